"""Suggestions that find the answer: 'look before you ask' (the FAQ's ask form, through
`exosite.kernel.answers`) and the glossary's part in type-ahead.

A visitor's question becomes a few *concepts*, each a word of it or a glossary name found
in it ("dendritic cell", "Alzheimer's"). A concept matches a document through the search
engine (stemmed: "vaccines" finds "vaccine"), by the word itself or, for a glossary name,
any other name of that term (its synonyms, its abbreviation as written), or, counting for
less, the name of a related term (so "Alzheimer's" reaches the FAQ entry on dementia when
the glossary relates the two). The engine reads the `CANDIDATES` most relevant documents
matching any concept, and which concepts each matches, in one statement; they are ranked
here, the same way on every engine:

- each concept scores 3 in a title or alias, 2 when a related name is there, 1 elsewhere
  in the text, 0.5 for a related name elsewhere;
- results scoring at least half the best are "on topic": FAQ entries first, then glossary
  terms, then articles (and other kinds), each by score; the rest follow by score.

Everything is in one language, the visitor's (the ask form's page): the glossary's names
of that language, its stop words, the documents of that language. What is found is kept
per language, question and content version (`for_content`), like search results.
"""

import hashlib
from dataclasses import dataclass

from django.utils import timezone

from exosite.kernel import answers, kinds, languages
from exosite.kernel.parts import for_content

from . import stemming
from .engines import get_engine
from .query import MAX_WORD_CHARS, WORD, Term, clean, fold_key, is_stop_word, words_in

MAX_ASK_CHARS = 500
MAX_CONCEPTS = 8
# Per concept, of direct and of related alternatives: the statement stays small.
MAX_ALTERNATIVES = 8
MAX_NAME_WORDS = 8
CANDIDATES = 60
SUMMARY_CHARS = 160
KIND_ORDER = ("faq", "glossary", "article")
ON_TOPIC = 0.5

# Words of a question that say nothing of its subject, besides the engines' stop words.
QUESTION_WORDS = frozenset(
    """actually also among anyone anything available could currently done else even ever
    exactly get getting got hear heard hello hi just know like made make many may maybe
    might much must need please possible really say someone something still tell thanks
    thank things thing use used using want way would yet""".split()  # noqa: SIM905
)
# The same in Spanish, folded.
QUESTION_WORDS_ES = frozenset(
    """actualmente alguien algun alguna algo ademas aun buenas buenos cosa cosas decir
    dias gracias hola necesito oido oir podria posible puede pueden puedo queria quiero
    realmente saber se sabe todavia usar uso favor""".split()  # noqa: SIM905
)
# Words of nearly every page of this site: used only when a question has nothing else.
SITE_WORDS = frozenset(
    {"exosome", "exosomes", "exosomal", "exosoma", "exosomas", "exosómico", "exosómicos"}
    | {"exosomico", "exosomicos", "exosómica", "exosómicas", "exosomica", "exosomicas"}
)
SITE_KEYS = frozenset(map(fold_key, SITE_WORDS))


@dataclass(frozen=True)
class Concept:
    """One thing a question asks about: found by any of `direct`, or (for less) `related`."""

    direct: tuple[Term, ...]
    related: tuple[Term, ...] = ()

    @property
    def terms(self):
        return (*self.direct, *self.related)


# -- glossary names ---------------------------------------------------------------------------


@dataclass
class NameIndex:
    """The glossary's names for finding them in a question: folded word tuples (see
    query.fold_key) and abbreviations as written, each to its Expansions."""

    source: object = None
    by_words: dict = None
    by_abbreviation: dict = None
    longest: int = 1


# language -> its glossary's NameIndex
_names = {}


def name_index(language=None):
    """The NameIndex of the glossary in `language` (the active one by default), built
    again only when its expansions change (they are the same object until then:
    ContentKind.expansions)."""
    language = language or languages.current()
    glossary = kinds.glossary()
    expansions = glossary.expansions(language) if glossary else ()
    index = _names.get(language)
    if index is not None and index.source is expansions:
        return index
    by_words, by_abbreviation, longest = {}, {}, 1
    for expansion in expansions:
        for name in expansion.names:
            key = tuple(fold_key(name).split())[:MAX_NAME_WORDS]
            if key:
                by_words.setdefault(key, []).append(expansion)
                longest = max(longest, len(key))
        for abbreviation in expansion.abbreviations:
            by_abbreviation.setdefault(abbreviation, []).append(expansion)
    index = NameIndex(expansions, by_words, by_abbreviation, longest)
    _names[language] = index
    return index


def _term(text):
    # The words as written (the engine stems them): "Wharton's jelly" is the phrase
    # "wharton s jelly", as the index has it.
    words = tuple(words_in(text))
    return Term(words[:MAX_NAME_WORDS]) if words else None


def _alternatives(names, besides=()):
    terms = dict.fromkeys(term for term in map(_term, names) if term and term not in besides)
    return tuple(terms)[:MAX_ALTERNATIVES]


def _concept(written, expansions):
    names = [n for e in expansions for n in (*e.names, *e.abbreviations)]
    direct = _alternatives([" ".join(written), *names])
    # A related term named with a word of nearly every page ("Exosome") finds everything.
    related = [n for e in expansions for n in e.related if fold_key(n) not in SITE_KEYS]
    return Concept(direct, _alternatives(related, besides=direct))


def concepts(text, index=None, language=None):
    """The concepts of a question in `language` (the active one by default), at most
    MAX_CONCEPTS, in the order asked."""
    language = language or languages.current()
    index = index or name_index(language)
    written = WORD.findall(clean(text)[:MAX_ASK_CHARS])
    # (as written, folded): a possessive "s" has no folded form and is left out.
    words = [(word, fold_key(word)) for word in written]
    words = [(word, folded) for word, folded in words if folded][: MAX_CONCEPTS * 4]
    found = _concepts(words, index, SITE_WORDS, language)
    return found or _concepts(words, index, frozenset(), language)


def _says_nothing(word, language):
    """A word of a question that says nothing of its subject (`word` casefolded)."""
    if language == "es":
        return is_stop_word(word, language) or stemming.fold(word) in QUESTION_WORDS_ES
    return is_stop_word(word) or word in QUESTION_WORDS


def _concepts(words, index, site_words, language="en"):
    found, seen, at = [], set(), 0
    while at < len(words) and len(found) < MAX_CONCEPTS:
        span = None
        for size in range(min(index.longest, len(words) - at), 0, -1):
            key = tuple(folded for _, folded in words[at : at + size])
            if size == 1 and (is_stop_word(key[0], language) or key[0] in site_words):
                break
            if key in index.by_words:
                span = (key, index.by_words[key])
                break
        written, folded = words[at]
        if span is None and written in index.by_abbreviation:
            span = ((folded,), index.by_abbreviation[written])
        if span is not None:
            key, expansions = span
            if key not in seen:
                seen.add(key)
                written_span = [word for word, _ in words[at : at + len(key)]]
                found.append(_concept(written_span, expansions))
            at += len(key)
            continue
        at += 1
        lowered = written.casefold()
        if _says_nothing(lowered, language) or lowered in site_words:
            continue
        if len(lowered) > 1 and folded not in seen:
            seen.add(folded)
            found.append(Concept((Term((lowered[:MAX_WORD_CHARS],)),)))
    return found


def expansions_of(query, language=None):
    """Type-ahead: when what was typed is a name in the glossary of `language` (the active
    one by default), the term's other names and its related terms' names (Terms), for
    what the engine offers after its own matches."""
    index = name_index(language)
    key = tuple(query.exact_key.split())
    expansions = index.by_words.get(key) or index.by_abbreviation.get(query.raw.strip(), ())
    if not expansions:
        return ()
    typed = _term(query.exact_key)
    return _alternatives([n for e in expansions for n in (*e.names, *e.related)], besides=(typed,))


# -- look before you ask --------------------------------------------------------------------


def score(flags):
    return sum(
        3 if in_title else 2 if related_in_title else 1 if anywhere else 0.5 if related else 0
        for in_title, anywhere, related_in_title, related in flags
    )


def ranked(rows):
    """The engine's candidates, best first (see the module's docstring)."""
    scored = [(score(row[6]), row) for row in rows]
    scored = [(points, row) for points, row in scored if points > 0]
    if not scored:
        return []
    best = max(points for points, _ in scored)

    def order(item):
        points, (pk, kind, title, *_) = item
        kind_place = KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER)
        if points >= best * ON_TOPIC:
            return (0, kind_place, -points, len(title), -pk)
        return (1, -points, kind_place, len(title), -pk)

    return [row for _, row in sorted(scored, key=order)]


def summary(row):
    """The document's summary (a term's short definition, an article's dek), else the
    opening of its text, cut at a word."""
    text = row[4] or " ".join(row[5].split())
    if len(text) <= SUMMARY_CHARS:
        return text
    return text[:SUMMARY_CHARS].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _kind_label(name):
    try:
        return kinds.get(name).singular_label
    except LookupError:
        return name


def look_up(text, limit=5, language=None):
    """Up to `limit` {kind, title, url, summary} dicts that may answer `text`, FAQ
    entries first, in `language` (the active one by default: the ask form's); kept per
    language, question and content version."""
    language = language or languages.current()
    found = concepts(text, language=language)
    if not found:
        return []
    key = hashlib.blake2b(repr((language, found, limit)).encode(), digest_size=16).hexdigest()
    return for_content(f"answers:{key}", lambda: _look_up(found, limit, language), local=True)


def _look_up(found, limit, language):
    rows = get_engine(language).look_up(found, now=timezone.now(), limit=CANDIDATES)
    return [
        {"kind": _kind_label(row[1]), "title": row[2], "url": row[3], "summary": summary(row)}
        for row in ranked(rows)[:limit]
    ]


def connect():
    answers.provide(look_up)
