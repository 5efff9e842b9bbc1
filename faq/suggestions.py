"""'Look before you ask': published FAQ entries and glossary terms that may already answer
what a visitor is typing. Deliberately simple word matching over a bounded candidate set;
the site search (when present) is the place for full ranking."""

import re

from django.db.models import Q

from exosite.kernel import kinds

from .models import Question

WORD_RE = re.compile(r"[^\W_]{3,}", re.UNICODE)
STOP_WORDS = frozenset(
    """about after also among and any are been before being between both but can cause
    could did does doing done each for from had has have how into its just like made make
    many may more most much must not now off once only other our out over same should
    some such than that the their them then there these they this those through too under
    until use used using very was were what when where which while who why will with
    would you your yours exosome exosomes""".split()  # noqa: SIM905
)
LIMIT = 5
CANDIDATES = 40


def keywords(text):
    words = [w.casefold() for w in WORD_RE.findall(text)]
    seen = dict.fromkeys(w for w in words if w not in STOP_WORDS)
    return list(seen)[:8]


def score(words, *texts):
    haystack = " ".join(texts).casefold()
    return sum(1 for word in words if word in haystack)


def suggest(text):
    """Up to five {kind, title, url, summary} dicts, best first."""
    words = keywords(text)
    if not words:
        return []
    question_filter = Q()
    term_filter = Q()
    for word in words:
        question_filter |= Q(question__icontains=word)
        term_filter |= Q(name__icontains=word) | Q(aliases__icontains=word)
    questions = (
        Question.objects.published()
        .filter(question_filter)
        .only("question", "slug", "seo_description")[:CANDIDATES]
    )
    terms = (
        kinds.get("glossary")
        .model.objects.published()
        .filter(term_filter)
        .only("name", "slug", "aliases", "short_definition")[:CANDIDATES]
    )
    ranked = [
        (
            score(words, q.question) * 2,
            {
                "kind": "FAQ",
                "title": q.question,
                "url": q.get_absolute_url(),
                "summary": q.seo_description,
            },
        )
        for q in questions
    ] + [
        (
            score(words, t.name, t.aliases) * 2 + 1,
            {
                "kind": "Glossary",
                "title": t.name,
                "url": t.get_absolute_url(),
                "summary": t.short_definition,
            },
        )
        for t in terms
    ]
    ranked.sort(key=lambda pair: -pair[0])
    return [item for points, item in ranked if points > 0][:LIMIT]
