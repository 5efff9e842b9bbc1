"""Fill the database with synthetic content in bulk, for benchmarks: articles, glossary
terms, FAQ entries in topics, and tags.

    manage.py generate_synthetic --profile load       # what bench/load.py measures
    manage.py generate_synthetic --profile search --articles 40000 --terms 40000 \\
        --questions 20000 --tags 200 --add            # what bench/search.py measures

One text model serves both profiles. Words are drawn from one fixed vocabulary with a Zipf
distribution (a few words are in nearly every item, most are rare; `vocabulary()` lists
them most frequent first), plus `RARE_WORDS`, each in about one item in 600, so a
benchmark knows which queries are common, mid-frequency and rare. Articles have the
shape of real ones: a lead paragraph, then sections under headings. About 97% of the
items are published (dates spread over five years), 1% are scheduled for the coming weeks
and 2% are drafts (`PUBLISHED_SHARE`: the share the search index holds).

The profiles set the default counts and what is built:

- `search` (1,000 articles, 1,000 terms, 500 questions, 100 tags): short articles of
  plain text, stored HTML written directly (no Markdown, no linking), a few tags used far
  more than the others. Fast enough for 100,000 items.
- `load` (10,000 of each, 40 tags): ~850-word articles whose sentences each name a
  glossary term, citing four shared library references; terms with aliases,
  abbreviations and "see also" links; Markdown rendered by the site's pipeline in a
  process per core; the mentions that linking finds recorded, the glossary index built
  once and linked in memory.

Rows are written with bulk_create (which sends no signals), the search index is rebuilt
once at the end (unless --no-index), then SQLite's table statistics are refreshed
(ANALYZE), without which it plans some page queries badly.

Everything it makes is in the source language (English): slugs and names are unique
per language, so a Spanish item may share a synthetic slug or name without harm, and the
links found are to English items.

Safe to run again: every slug starts with --prefix. Where such items exist it refuses,
unless --clear (remove them first) or --add (number on after them: a search benchmark
grows 10,000 documents to 100,000). It runs with DJANGO_DEBUG=1, or with --force on a
throwaway database.
"""

import functools
import gc
import html
import os
import random
import re
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from itertools import accumulate
from multiprocessing import get_context

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag, TaggedItem

from articles.models import Article
from exosite.kernel import citations, kinds, languages
from exosite.kernel.linking import link
from exosite.kernel.markdown import render_markdown
from exosite.kernel.progress import Progress
from exosite.models import Mention, Status, one_year_after
from exosite.ops import versions
from exosite.search import documents
from exosite.search.engines import get_engine
from faq.models import Question, Topic
from glossary.models import Term
from library.models import Citation, Reference
from trust.models import Person

# -- the text model ----------------------------------------------------------------------

_DOMAIN = """cell cells vesicle vesicles exosome exosomes protein membrane release
    study patients therapy marker markers plasma blood tissue repair immune signal
    signalling stem mesenchymal dendritic lipid rna microrna cargo uptake endosome
    surface receptor clinical trial dose safety evidence model mouse human culture
    isolation ultracentrifugation filtration size particle particles analysis method
    methods potency manufacturing regulation approval injury inflammation healing
    bone cartilage skin heart lung liver kidney brain nerve tumour cancer growth factor
    factors response effect effects treatment source sources donor umbilical cord
    marrow adipose secretome paracrine fibroblast macrophage neutrophil cytokine
    antigen antibody label tracking imaging storage stability purity yield batch"""
# Glossary names are "adjective noun" (and a qualifier): 50 x 50 x 4 = 10,000 names.
_ADJECTIVES = """endosomal mesenchymal vesicular exosomal paracrine autologous allogeneic
    lipid membrane tetraspanin stromal dendritic neural cardiac hepatic renal synovial
    dermal osteogenic chondrogenic angiogenic immunomodulatory regenerative apoptotic
    senescent hypoxic microRNA proteomic lipidomic glycan surface luminal circulating
    plasma urinary salivary placental umbilical adipose marrow induced engineered loaded
    purified fractionated clinical preclinical therapeutic diagnostic prognostic"""
_NOUNS = """marker cargo receptor pathway signal uptake isolation assay budding fusion
    secretion biogenesis corona potency dose yield heterogeneity purity stability storage
    release targeting tropism clearance half-life biodistribution toxicity response repair
    remodelling inflammation fibrosis signature profile subpopulation gradient filtration
    chromatography ultracentrifugation labelling tracking imaging quantification
    characterisation standard reference protocol trial endpoint outcome"""
ADJECTIVES, NOUNS = _ADJECTIVES.split(), _NOUNS.split()
QUALIFIERS = ("", "complex", "index", "model")
_SYLLABLES = """ba be bi bo bu ca ce ci co cu da de di do du fa fe fi fo fu ga ge gi go gu
    la le li lo lu ma me mi mo mu na ne ni no nu pa pe pi po pu ra re ri ro ru sa se si so
    su ta te ti to tu va ve vi vo vu za ze zi zo zu ex in ar or el an on us"""
TAGS = """Biogenesis|Isolation methods|Characterisation|Cardiology|Neurology|Orthopaedics|
    Dermatology|Wound healing|Immunology|Oncology|Diagnostics|Drug delivery|Manufacturing|
    Regulation|Clinical trials|Safety|Stem cells|Mesenchymal stromal cells|Biomarkers|
    Proteomics|Lipidomics|MicroRNA|Imaging|Standards|Ageing|Hair loss|Osteoarthritis|Kidney|
    Liver|Lung|Eye|Sports medicine|Cosmetic use|Evidence quality|Preclinical models|Dosing|
    Storage|Quality control|Ethics|Patients"""
TOPICS = """Basics|Science|Treatments|Safety|Research|Regulation|Costs|Conditions|Laboratory|
    Glossary help"""
VOCABULARY_SIZE = 20_000
RARE_WORDS = [f"zorblax{n}" for n in range(40)]
# The chance, for each rare word, that a run of words (a sentence, a title) holds it.
RARE_SHARE = 1 / 10_000
DRAFT_SHARE, SCHEDULED_SHARE = 0.02, 0.01
PUBLISHED_SHARE = 1 - DRAFT_SHARE  # scheduled items are in the search index too


def _names(text):
    return [name.strip() for name in text.split("|")]


@functools.cache
def vocabulary():
    """Every word, most frequent first: the same words in the same order on every run."""
    rng = random.Random(20_260_101)
    words = list(dict.fromkeys(_DOMAIN.split() + [w.lower() for w in ADJECTIVES + NOUNS]))
    words = [word for word in words if word.isalpha()]
    seen, syllables = set(words), _SYLLABLES.split()
    while len(words) < VOCABULARY_SIZE:
        word = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return tuple(words)


def term_name(n):
    """The n-th glossary name; different for every n."""
    combinations = len(QUALIFIERS) * len(ADJECTIVES) * len(NOUNS)
    qualifier, rest = divmod(n % combinations, len(ADJECTIVES) * len(NOUNS))
    adjective, noun = divmod(rest, len(NOUNS))
    name = f"{ADJECTIVES[adjective]} {NOUNS[noun]}"
    name += f" {QUALIFIERS[qualifier]}" if QUALIFIERS[qualifier] else ""
    name += f" {n // combinations + 1}" if n >= combinations else ""
    return name[0].upper() + name[1:]


class TextModel:
    """Sentences of Zipf-distributed words; with `names`, each sentence also names one of
    them (glossary terms, which the linking then finds)."""

    def __init__(self, rng, names=()):
        self.rng = rng
        self.names = names
        self.words_by_rank = vocabulary()
        self.cumulative = list(accumulate(1 / rank for rank in range(1, VOCABULARY_SIZE + 1)))

    def words(self, low, high):
        picked = self.rng.choices(
            self.words_by_rank, cum_weights=self.cumulative, k=self.rng.randint(low, high)
        )
        if self.rng.random() < RARE_SHARE * len(RARE_WORDS):
            picked[self.rng.randrange(len(picked))] = self.rng.choice(RARE_WORDS)
        return picked

    def phrase(self):
        """A glossary name when there are names, else a few words."""
        if self.names:
            return self.rng.choice(self.names).lower()
        return " ".join(self.words(2, 3))

    def sentence(self, low=7, high=14):
        words = self.words(low, high)
        if self.names:
            words.insert(self.rng.randrange(len(words) + 1), self.phrase())
        return " ".join(words).capitalize() + "."

    def title(self, low=3, high=8):
        return " ".join(self.words(low, high)).capitalize()

    def paragraph(self, sentences=(4, 7), citations=0):
        """Sentences, `citations` of them ending with a citation of the synthetic library
        references ("[@synthetic2]", "[@synthetic1; @synthetic2]")."""
        found = [self.sentence() for _ in range(self.rng.randint(*sentences))]
        for _ in range(citations):
            at = self.rng.randrange(len(found))
            first = self.rng.randint(1, REFERENCES)
            second = first % REFERENCES + 1
            cite = (
                f"[@synthetic{first}]"
                if self.rng.random() < 0.7
                else f"[@synthetic{first}; @synthetic{second}]"
            )
            found[at] = f"{found[at][:-1]} {cite}."
        return " ".join(found)

    def article(self, sections, citations):
        """Markdown: a lead paragraph, then `sections` (low, high) headed sections of two
        or three paragraphs, each paragraph with `citations` citations."""
        parts = [self.paragraph(citations=citations)]
        for number in range(1, self.rng.randint(*sections) + 1):
            parts.append(f"## {self.phrase().capitalize()} ({number})")
            parts += [self.paragraph(citations=citations) for _ in range(self.rng.randint(2, 3))]
        return "\n\n".join(parts)


BOLD = re.compile(r"\*\*(.+?)\*\*")


def plain_html(markdown):
    """The text model's Markdown (paragraphs, `## ` headings, `**bold**`) as HTML, for the
    profile that skips the site's pipeline."""
    blocks = []
    for block in markdown.split("\n\n"):
        text = BOLD.sub(r"<strong>\1</strong>", html.escape(block))
        blocks.append(f"<h2>{text[3:]}</h2>" if text.startswith("## ") else f"<p>{text}</p>")
    return "\n".join(blocks)


# -- profiles ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    articles: int
    terms: int
    questions: int
    tags: int
    sections: tuple  # headed sections per article (low, high)
    tags_per_item: tuple  # (low, high)
    popular_tags: bool  # a few tags used far more than the others (Zipf), or evenly
    # Glossary names in the text, citations and references, Markdown through the site's
    # pipeline, mentions recorded and "see also" between terms.
    linked: bool


PROFILES = {
    "search": Profile(1_000, 1_000, 500, 100, (1, 2), (0, 3), popular_tags=True, linked=False),
    "load": Profile(10_000, 10_000, 10_000, 40, (4, 5), (2, 4), popular_tags=False, linked=True),
}
REFERENCES = 4  # per article, in the load profile
BATCH = 1_000


# -- rendering in worker processes -----------------------------------------------------------

# The glossary index, built once before the workers are forked (they inherit it), keyed as
# exosite.kernel.linking.link looks for it: (scope, language).
_INDEXES = {}
LANGUAGE = languages.SOURCE


def _render(job):
    """Worker: (Markdown or None, HTML, link options or None) -> (HTML, mention keys)."""
    source, rendered_html, options = job
    if source is not None:
        rendered_html = render_markdown(source)
    if options is None:
        return rendered_html, []
    return rendered_html, link(rendered_html, scope="all", indexes=_INDEXES, **options).mentions


class Command(BaseCommand):
    help = "Generate synthetic articles, glossary terms, FAQ entries and tags in bulk."

    def add_arguments(self, parser):
        parser.add_argument("--profile", choices=sorted(PROFILES), default="search")
        for kind in ("articles", "terms", "questions", "tags"):
            parser.add_argument(f"--{kind}", type=int, help="Overrides the profile's count.")
        parser.add_argument("--prefix", default="syn", help="Start of every generated slug.")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--processes", type=int, default=os.cpu_count() or 1, help="Markdown workers."
        )
        existing = parser.add_mutually_exclusive_group()
        existing.add_argument(
            "--clear", action="store_true", help="Remove earlier synthetic items first."
        )
        existing.add_argument("--add", action="store_true", help="Add to earlier synthetic items.")
        parser.add_argument("--no-index", action="store_true", help="Leave the search index alone.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run with DJANGO_DEBUG off (benchmarks on a throwaway database).",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "generate_synthetic fills the database with fake content: it runs with "
                "DJANGO_DEBUG=1, or with --force on a throwaway database."
            )
        profile = PROFILES[options["profile"]]
        counts = {
            kind: getattr(profile, kind) if options[kind] is None else options[kind]
            for kind in ("articles", "terms", "questions", "tags")
        }
        self.prefix = options["prefix"]
        self.profile = profile
        self.rng = random.Random(options["seed"])
        self.now = timezone.now()
        self.processes = max(1, options["processes"])
        self.progress = Progress(self.stdout)
        _INDEXES.clear()  # an index of an earlier call in this process is stale
        self.made = {"citations": 0, "mentions": 0, "taggings": 0}
        self.start_numbers(clear=options["clear"], add=options["add"])

        tags = self.make_tags(counts["tags"])
        topics = self.make_topics()
        terms = self.make_terms(counts["terms"])
        articles = self.make_articles(counts["articles"])
        questions = self.make_questions(counts["questions"], topics)
        if profile.linked:
            self.link_definitions(terms)
        for items in (terms, articles, questions):
            self.tag(items, tags)
        made = (
            f"{len(articles):,} articles ({self.made['citations']:,} citations), "
            f"{len(terms):,} glossary terms, {len(questions):,} FAQ entries in {len(topics)} "
            f"topics, {len(tags):,} tags ({self.made['taggings']:,} taggings), "
            f"{self.made['mentions']:,} mentions"
        )
        # What was made is in the database now: let go of it (at 100,000 articles the
        # process holds 2 GB), start afresh on a new SQLite connection (closing the last
        # one checkpoints the write-ahead log; not inside a caller's transaction, as in
        # the tests) and give the index rebuild's queries table statistics to plan with.
        del tags, topics, terms, articles, questions
        _INDEXES.clear()
        gc.collect()
        connection = connections[DEFAULT_DB_ALIAS]
        if connection.vendor == "sqlite" and not connection.in_atomic_block:
            connection.close()
        versions.refresh_statistics()
        indexed = "" if options["no_index"] else self.rebuild_search_index()
        versions.refresh_statistics()
        self.progress.done(f"Generated ({options['profile']} profile) {made}{indexed}.")

    # -- earlier runs --------------------------------------------------------------------

    def mine(self, model):
        return model.objects.filter(language=LANGUAGE, slug__startswith=f"{self.prefix}-")

    def start_numbers(self, clear, add):
        """Refuse to mix with earlier synthetic items unless told; number on after them."""
        earlier = {model: self.mine(model).count() for model in (Article, Term, Question)}
        if any(earlier.values()) and not (clear or add):
            raise CommandError(
                f"This database already holds synthetic items (slugs starting "
                f"'{self.prefix}-'). Use --clear to replace them, --add to add to them, or "
                "another --prefix."
            )
        if clear and any(earlier.values()):
            self.clear()
            earlier = dict.fromkeys(earlier, 0)
        self.numbers = earlier

    def clear(self):
        # Terms last: deleting a term re-links the content that names it, by then only
        # content that is not synthetic.
        for model in (Question, Article, Term):
            items = self.mine(model)
            content_type = ContentType.objects.get_for_model(model)
            ids = items.values("pk")
            TaggedItem.objects.filter(content_type=content_type, object_id__in=ids).delete()
            Mention.objects.filter(source_type=content_type, source_id__in=ids).delete()
            Mention.objects.filter(target_type=content_type, target_id__in=ids).delete()
            items.delete()
            self.progress.update(f"removed earlier {model._meta.verbose_name_plural}", 1, 1)
        Topic.objects.filter(language=LANGUAGE, slug__startswith=f"{self.prefix}-").delete()
        Tag.objects.filter(slug__startswith=f"{self.prefix}-").delete()

    def next_number(self, model):
        self.numbers[model] += 1
        return self.numbers[model]

    # -- shared pieces -------------------------------------------------------------------

    def status(self):
        """(status, published_at): mostly published in the past, some drafts, a few
        scheduled for the coming weeks."""
        roll = self.rng.random()
        if roll < DRAFT_SHARE:
            return Status.DRAFT, None
        if roll < DRAFT_SHARE + SCHEDULED_SHARE:
            return Status.PUBLISHED, self.now + timedelta(days=self.rng.randint(1, 60))
        return Status.PUBLISHED, self.now - timedelta(minutes=self.rng.randint(60, 2_600_000))

    def rendered(self, label, jobs):
        """[(Markdown or None, HTML, link options or None)] -> [(HTML, mention keys)], in a
        process per core when there are many."""
        if self.processes == 1 or len(jobs) < 200:
            return list(self.progress.track(label, map(_render, jobs), total=len(jobs)))
        connections.close_all()  # the workers are forked: they must not share a connection
        with ProcessPoolExecutor(self.processes, mp_context=get_context("fork")) as pool:
            results = pool.map(_render, jobs, chunksize=50)
            return list(self.progress.track(label, results, total=len(jobs)))

    def html_of(self, label, sources, link_options=None):
        """Stored HTML for each Markdown source: the site's pipeline (and linking, with
        `link_options`) in the load profile, plain_html otherwise. -> [(HTML, keys)]"""
        if not self.profile.linked:
            return [(plain_html(source), []) for source in sources]
        options = link_options or [None] * len(sources)
        return self.rendered(label, [(s, "", o) for s, o in zip(sources, options, strict=True)])

    def create(self, label, model, rows, after_batch=None):
        """bulk_create in batches, with a progress bar; returns the saved rows."""
        created = []
        with transaction.atomic():
            for start in range(0, len(rows), BATCH):
                batch = model.objects.bulk_create(rows[start : start + BATCH])
                if after_batch:
                    after_batch(batch)
                created += batch
                self.progress.update(label, len(created), len(rows))
        if not rows:
            self.progress.update(label, 0, 0)
        return created

    def write_links(self, label, model, rows, **options):
        """bulk_create of small link rows (mentions, taggings) in larger batches, with a
        progress bar."""
        size = BATCH * 5
        with transaction.atomic():
            for start in range(0, len(rows), size):
                model.objects.bulk_create(rows[start : start + size], **options)
                self.progress.update(label, min(start + size, len(rows)), len(rows))

    def self_key(self, obj):
        return kinds.for_model(type(obj)).key(obj)

    # -- content -------------------------------------------------------------------------

    def make_tags(self, count):
        """Tags with real names (numbered past the list); one of the same name that
        exists already (demo content) is used as it is."""
        names = _names(TAGS)
        wanted = [
            names[n % len(names)] + (f" {n // len(names) + 1}" if n >= len(names) else "")
            for n in range(count)
        ]
        existing = {tag.name.lower(): tag for tag in Tag.objects.all()}
        new = [
            Tag(name=name, slug=f"{self.prefix}-{slugify(name)}")
            for name in wanted
            if name.lower() not in existing
        ]
        Tag.objects.bulk_create(new, batch_size=BATCH)
        existing = {tag.name.lower(): tag for tag in Tag.objects.all()}
        tags = [existing[name.lower()] for name in wanted if name.lower() in existing]
        self.progress.update("tags", len(tags), count)
        return tags

    def make_topics(self):
        topics = []
        for position, name in enumerate(_names(TOPICS), start=1):
            topic, _ = Topic.objects.get_or_create(
                language=LANGUAGE,
                slug=f"{self.prefix}-{slugify(name)}",
                defaults={"name": f"{name} (synthetic)", "position": 100 + position},
            )
            topics.append(topic)
        return topics

    def make_terms(self, count):
        """Terms with aliases and abbreviations. The text model is made here, with their
        names in the load profile; their definitions are linked once every term exists
        (link_definitions)."""
        names = Term.objects.filter(language=LANGUAGE).values_list("name", flat=True)
        taken = {name.lower() for name in names}
        numbered = []
        while len(numbered) < count:
            n = self.next_number(Term)
            name = term_name(n - 1)
            if name.lower() not in taken:  # else a demo term has that name
                numbered.append((n, name))
        names = [name for _, name in numbered] if self.profile.linked else ()
        self.text = TextModel(self.rng, names)
        rows = [self.term(n, name) for n, name in numbered]
        self.store_html("glossary definitions", rows, "definition", "definition_html")
        terms = self.create("glossary terms", Term, rows)
        if self.profile.linked:
            self.see_also(terms)
        return terms

    def term(self, n, name):
        status, published_at = self.status()
        words = name.split()
        abbreviation = "".join(w[0] for w in words).upper() + str(n % 97) if n % 10 == 0 else ""
        return Term(
            name=name,
            slug=f"{self.prefix}-term-{n}",
            abbreviation=abbreviation,
            aliases=f"{name}s" if n % 7 == 0 else "",
            short_definition=(
                f"{name} describes how {words[1]} relates to {words[0].lower()} processes: "
                f"{self.text.sentence()}"
            )[:300],
            definition=f"**{name}** is a synthetic glossary entry. "
            f"{self.text.paragraph()}\n\n{self.text.paragraph()}",
            status=status,
            published_at=published_at,
        )

    def see_also(self, terms):
        """Each term related to two others, both ways."""
        through = Term.related.through
        pairs = []
        for i, term in enumerate(terms):
            for other in (terms[(i + 1) % len(terms)], terms[(i + 7) % len(terms)]):
                if other.pk != term.pk:
                    pairs.append(through(from_term_id=term.pk, to_term_id=other.pk))
                    pairs.append(through(from_term_id=other.pk, to_term_id=term.pk))
        through.objects.bulk_create(pairs, batch_size=BATCH, ignore_conflicts=True)

    def glossary_index(self):
        """Build the glossary index once, before the workers fork (they inherit it)."""
        glossary = kinds.glossary()
        if glossary is not None and ("all", LANGUAGE) not in _INDEXES:
            _INDEXES["all", LANGUAGE] = glossary.index("all", language=LANGUAGE)

    def people(self):
        """The synthetic author and medical reviewer (made once; hidden profiles)."""
        author, _ = Person.objects.get_or_create(
            slug=f"{self.prefix}-author", defaults={"name": "Synthetic Author"}
        )
        reviewer, _ = Person.objects.get_or_create(
            slug=f"{self.prefix}-reviewer",
            defaults={"name": "Synthetic Reviewer", "credentials": "MD"},
        )
        return author, reviewer

    def make_articles(self, count):
        linked = self.profile.linked
        author, reviewer = self.people()
        rows = []
        for _ in range(count):
            n = self.next_number(Article)
            status, published_at = self.status()
            a, b = self.text.phrase(), self.text.phrase()
            rows.append(
                Article(
                    title=f"{a.capitalize()} and {b}: what study {n} adds"[:200],
                    slug=f"{self.prefix}-article-{n}",
                    summary=f"A synthetic overview of {a} and {b}. {self.text.sentence()}",
                    body=self.text.article(self.profile.sections, citations=int(linked)),
                    reviewer=reviewer,
                    reviewed_at=(self.now - timedelta(days=self.rng.randint(1, 700))).date(),
                    status=status,
                    published_at=published_at,
                    featured=n <= 3,
                )
            )
        for row in rows:  # what save() records for a review (bulk_create does not call it)
            row.next_review_at = one_year_after(row.reviewed_at)
            row.reviewed_fingerprint = row.content_fingerprint()
            row.review_current = True
        if linked:
            self.glossary_index()
        options = [{"self_key": self.self_key(row)} for row in rows]
        self.store_html("articles (Markdown)", rows, "body", "body_html", options)
        articles = self.create("articles", Article, rows, self.add_citations if linked else None)
        through = Article.author_profiles.through
        self.write_links(
            "authors", through, [through(article_id=a.pk, person_id=author.pk) for a in articles]
        )
        self.record_mentions(articles, rows)
        return articles

    def library(self):
        """The synthetic references every synthetic article cites (made once)."""
        for number in range(1, REFERENCES + 1):
            Reference.objects.get_or_create(
                key=f"synthetic{number}",
                defaults={
                    "authors": "Synthetic A, Author B.",
                    "title": f"Study {number} of extracellular vesicles",
                    "journal": "J Synth Biol",
                    "year": 2024,
                    "pages": f"{number}-9",
                    # Crossref's test prefix: no real work has it.
                    "doi": f"10.5555/synthetic.{number}",
                },
            )
        return dict(Reference.objects.filter(key__startswith="synthetic").values_list("key", "pk"))

    def add_citations(self, articles):
        """Citation rows, as linking would record them (the order of first citation)."""
        if not hasattr(self, "_library"):
            self._library = self.library()
        article_type = ContentType.objects.get_for_model(Article)
        rows = [
            Citation(
                reference_id=self._library[key],
                content_type=article_type,
                object_id=article.pk,
                position=position,
            )
            for article in articles
            for position, key in enumerate(citations.keys_in(article.body), 1)
            if key in self._library
        ]
        Citation.objects.bulk_create(rows)
        self.made["citations"] += len(rows)

    def make_questions(self, count, topics):
        rows = []
        for i in range(count):
            n = self.next_number(Question)
            status, published_at = self.status()
            answer = "\n\n".join(self.text.paragraph() for _ in range(2))
            rows.append(
                Question(
                    question=(f"How does {self.text.phrase()} affect {self.text.phrase()}? ({n})")[
                        :300
                    ],
                    slug=f"{self.prefix}-question-{n}",
                    answer=f"**Short answer:** it depends on the study. {answer}",
                    topic=topics[i % len(topics)],
                    position=i // len(topics),
                    status=status,
                    published_at=published_at,
                )
            )
        options = [{"self_key": self.self_key(row)} for row in rows]
        self.store_html("FAQ answers", rows, "answer", "answer_html", options)
        questions = self.create("FAQ entries", Question, rows)
        self.record_mentions(questions, rows)
        return questions

    def store_html(self, label, rows, source_field, html_field, options=None):
        """Each row's `html_field` from its `source_field` (html_of), and the mention keys
        linking found in it."""
        sources = [getattr(row, source_field) for row in rows]
        for row, (stored, keys) in zip(rows, self.html_of(label, sources, options), strict=True):
            setattr(row, html_field, stored)
            row._mention_keys = keys

    def link_definitions(self, terms):
        """The terms' own definitions, linked now that every term exists."""
        self.glossary_index()
        jobs = [(None, t.definition_html, {"self_key": self.self_key(t)}) for t in terms]
        for term, (_, keys) in zip(terms, self.rendered("glossary links", jobs), strict=True):
            term._mention_keys = keys
        self.record_mentions(terms, terms)

    def record_mentions(self, items, sources):
        """Mention rows for what linking found in each item (keys carried by `sources`,
        the unsaved rows, in the same order), resolved in memory."""
        if not items or not self.profile.linked:
            return
        source_type = ContentType.objects.get_for_model(type(items[0]))
        targets = {}
        rows = []
        for item, source in zip(items, sources, strict=True):
            for key in source._mention_keys:
                name, _, slug = key.partition(":")
                if name not in targets:
                    targets[name] = self.targets_of(name)
                target_type, by_slug = targets[name]
                pk = by_slug.get(slug)
                if pk and not (target_type == source_type and pk == item.pk):
                    rows.append(
                        Mention(
                            source_type=source_type,
                            source_id=item.pk,
                            target_type=target_type,
                            target_id=pk,
                        )
                    )
        label = f"mentions ({items[0]._meta.verbose_name_plural})"
        self.write_links(label, Mention, rows, ignore_conflicts=True)
        self.made["mentions"] += len(rows)

    def targets_of(self, name):
        """(content type, {slug: pk}) of the kind called `name`, its items in the language
        the synthetic content is written in (a slug may be another language's too)."""
        try:
            model = kinds.get(name).model
        except LookupError:
            return None, {}
        items = model.objects.all()
        if hasattr(model, "language"):
            items = items.filter(language=LANGUAGE)
        pks = dict(items.values_list("slug", "pk"))
        return ContentType.objects.get_for_model(model), pks

    def tag(self, items, tags):
        if not items or not tags:
            return
        content_type = ContentType.objects.get_for_model(type(items[0]))
        weights = list(accumulate((1 / rank) for rank in range(1, len(tags) + 1)))
        rows = []
        for item in items:
            many = self.rng.randint(*self.profile.tags_per_item)
            if self.profile.popular_tags:
                chosen = set(self.rng.choices(tags, cum_weights=weights, k=many))
            else:
                chosen = self.rng.sample(tags, min(many, len(tags)))
            rows += [
                TaggedItem(tag_id=tag.pk, content_type=content_type, object_id=item.pk)
                for tag in chosen
            ]
        self.write_links(f"tags ({items[0]._meta.verbose_name_plural})", TaggedItem, rows)
        self.made["taggings"] += len(rows)

    def rebuild_search_index(self):
        with transaction.atomic(), get_engine().bulk_load():
            created, updated, deleted = documents.rebuild(
                self.progress.callback("search index"), full_text=False
            )
        return f"; search index: {created:,} added, {updated:,} updated, {deleted:,} removed"
