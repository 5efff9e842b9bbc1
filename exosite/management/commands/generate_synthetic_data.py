"""Generate a large synthetic data set for benchmarks: articles, glossary terms, FAQ
entries, all tagged, with references, glossary links, mentions and the search index.

    DATABASE_URL=sqlite:///var/bench.sqlite3 manage.py generate_synthetic_data

10,000 of each kind by default (--articles/--terms/--questions change that). Meant for an
empty database of its own: it refuses to run where synthetic items already exist. The
text is made up from a small vocabulary (never shown to real visitors) but has the shape
of real content: ~800-word articles with headings and numbered citations, glossary terms
with aliases and abbreviations that the articles mention, questions grouped in topics.

Fast because it does in bulk what saving one item at a time would do: Markdown is
rendered in a process per core, rows are written with `bulk_create` (which sends no
signals), mentions are linked in memory against one glossary index, and the search index
is rebuilt once at the end (`exosite.search.documents.rebuild`). Then SQLite's table
statistics are refreshed (ANALYZE), without which it plans some page queries badly.
"""

import os
import random
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import timedelta
from multiprocessing import get_context

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import connections, transaction
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag, TaggedItem

from articles.models import Article, Reference
from exosite import markup
from exosite.models import Mention, Status
from exosite.ops import versions
from faq.models import Question, Topic
from glossary.models import Term

PREFIX = "syn-"
BATCH = 1000

ADJECTIVES = (
    "endosomal", "mesenchymal", "vesicular", "exosomal", "paracrine", "autologous",
    "allogeneic", "lipid", "membrane", "tetraspanin", "stromal", "dendritic", "neural",
    "cardiac", "hepatic", "renal", "synovial", "dermal", "osteogenic", "chondrogenic",
    "angiogenic", "immunomodulatory", "regenerative", "apoptotic", "senescent", "hypoxic",
    "microRNA", "proteomic", "lipidomic", "glycan", "surface", "luminal", "circulating",
    "plasma", "urinary", "salivary", "placental", "umbilical", "adipose", "marrow",
    "induced", "engineered", "loaded", "purified", "fractionated", "clinical", "preclinical",
    "therapeutic", "diagnostic", "prognostic",
)  # fmt: skip
NOUNS = (
    "marker", "cargo", "receptor", "pathway", "signal", "uptake", "isolation", "assay",
    "budding", "fusion", "secretion", "biogenesis", "corona", "potency", "dose", "yield",
    "heterogeneity", "purity", "stability", "storage", "release", "targeting", "tropism",
    "clearance", "half-life", "biodistribution", "toxicity", "response", "repair",
    "remodelling", "inflammation", "fibrosis", "signature", "profile", "subpopulation",
    "gradient", "filtration", "chromatography", "ultracentrifugation", "labelling",
    "tracking", "imaging", "quantification", "characterisation", "standard", "reference",
    "protocol", "trial", "endpoint", "outcome",
)  # fmt: skip
QUALIFIERS = ("", "complex", "index", "model")
TAGS = (
    "Biogenesis", "Isolation methods", "Characterisation", "Cardiology", "Neurology",
    "Orthopaedics", "Dermatology", "Wound healing", "Immunology", "Oncology", "Diagnostics",
    "Drug delivery", "Manufacturing", "Regulation", "Clinical trials", "Safety",
    "Stem cells", "Mesenchymal stromal cells", "Biomarkers", "Proteomics", "Lipidomics",
    "MicroRNA", "Imaging", "Standards", "Ageing", "Hair loss", "Osteoarthritis", "Kidney",
    "Liver", "Lung", "Eye", "Sports medicine", "Cosmetic use", "Evidence quality",
    "Preclinical models", "Dosing", "Storage", "Quality control", "Ethics", "Patients",
)  # fmt: skip
TOPICS = (
    "Basics", "Science", "Treatments", "Safety", "Research", "Regulation", "Costs",
    "Conditions", "Laboratory", "Glossary help",
)  # fmt: skip
CONTEXTS = (
    "knee osteoarthritis", "myocardial repair", "skin ageing", "spinal cord injury",
    "chronic wounds", "liver fibrosis", "acute kidney injury", "hair regrowth",
    "stroke recovery", "tendon healing", "dry eye disease", "lung injury",
)  # fmt: skip
PLAIN = (
    "patient outcomes", "cell survival", "tissue repair", "the immune response",
    "blood vessel growth", "scar formation", "the dose needed", "long-term safety",
    "how results are reported", "the quality of the evidence", "manufacturing costs",
    "the time to recovery",
)  # fmt: skip
OPENERS = (
    "Recent studies of {a} describe how {b} changes {c}",
    "In laboratory models, {a} was linked to better {b} in {c}",
    "Reviewers caution that {a} and {b} are measured differently across {c}",
    "Early clinical work reports that {a} may influence {b} during {c}",
    "Standardising {a} remains a prerequisite before {b} can be compared in {c}",
    "The evidence on {a} is mixed, and {b} is rarely reported for {c}",
)  # fmt: skip


def term_names(count):
    names = []
    for qualifier in QUALIFIERS:
        for adjective in ADJECTIVES:
            for noun in NOUNS:
                name = f"{adjective} {noun}" + (f" {qualifier}" if qualifier else "")
                names.append(name[0].upper() + name[1:])
    if count > len(names):
        names += [f"{names[i % len(names)]} {i // len(names) + 1}" for i in range(count)]
    return names[:count]


def render(item):
    """Worker: Markdown -> stored HTML, and the keys of what it links to (glossary index
    inherited from the parent process)."""
    source, options = item
    html = markup.render_markdown(source)
    linked = markup.link(html, scope="all", indexes=_INDEXES, **options)
    return html, linked.mentions


_INDEXES = {}


class Progress:
    """One updating bar on a terminal; a line every 10% when piped."""

    def __init__(self, stream, label, total):
        self.stream, self.label, self.total = stream, label, max(total, 1)
        self.started = time.perf_counter()
        self.tty = stream.isatty()
        self.shown = -1

    def __call__(self, done):
        tenth = done * 10 // self.total
        if not self.tty and tenth == self.shown and done < self.total:
            return
        self.shown = tenth
        filled = done * 30 // self.total
        bar = "#" * filled + "-" * (30 - filled)
        line = (
            f"  {self.label:<22} [{bar}] {done:>6}/{self.total:<6} "
            f"{time.perf_counter() - self.started:6.1f}s"
        )
        if self.tty:
            self.stream.write("\r" + line + ("\n" if done >= self.total else ""))
        else:
            self.stream.write(line + "\n")
        self.stream.flush()


class Command(BaseCommand):
    help = "Generate synthetic articles, glossary terms and FAQ entries for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=10_000)
        parser.add_argument("--terms", type=int, default=10_000)
        parser.add_argument("--questions", type=int, default=10_000)
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument(
            "--processes", type=int, default=os.cpu_count() or 1, help="Markdown workers."
        )

    def handle(self, *args, **options):
        if (
            Article.objects.filter(slug__startswith=PREFIX).exists()
            or Term.objects.filter(slug__startswith=PREFIX).exists()
        ):
            raise CommandError(
                "This database already holds synthetic items. Generate into an empty one, "
                "e.g. DATABASE_URL=sqlite:///var/bench.sqlite3 manage.py migrate first."
            )
        started = time.perf_counter()
        self.random = random.Random(options["seed"])
        self.now = timezone.now()
        self.processes = max(1, options["processes"])
        self.counts = {"mentions": 0, "references": 0, "tagged": 0}

        tags = self.make_tags()
        topics = self.make_topics()
        terms = self.make_terms(options["terms"])
        index_keys = self.glossary_keys()
        articles = self.make_articles(options["articles"], terms)
        questions = self.make_questions(options["questions"], terms, topics)
        self.tag_everything(tags, terms, articles, questions)
        searched = self.rebuild_search_index()
        versions.refresh_statistics()
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {len(articles)} articles ({self.counts['references']} references), "
                f"{len(terms)} glossary terms, {len(questions)} FAQ entries in "
                f"{len(topics)} topics, {len(tags)} tags ({self.counts['tagged']} taggings), "
                f"{self.counts['mentions']} mentions over {index_keys} linkable names"
                f"{searched} in {time.perf_counter() - started:.1f}s."
            )
        )

    # -- helpers ---------------------------------------------------------------------

    def progress(self, label, total):
        return Progress(getattr(self.stdout, "_out", sys.stdout), label, total)

    def published_at(self):
        """Mostly published in the past; 2% drafts, 1% scheduled for the coming weeks."""
        roll = self.random.random()
        if roll < 0.02:
            return Status.DRAFT, None
        if roll < 0.03:
            return Status.PUBLISHED, self.now + timedelta(days=self.random.randint(1, 60))
        return Status.PUBLISHED, self.now - timedelta(minutes=self.random.randint(60, 2_000_000))

    def sentence(self, names):
        # About one glossary name per sentence, as in real text (the rest is plain words).
        a = self.random.choice(names)
        b = self.random.choice(names) if self.random.random() < 0.2 else self.random.choice(PLAIN)
        text = self.random.choice(OPENERS).format(
            a=a.lower(), b=b.lower(), c=self.random.choice(CONTEXTS)
        )
        return text + "."

    def paragraph(self, names, citations=0):
        sentences = [self.sentence(names) for _ in range(self.random.randint(4, 7))]
        for _ in range(citations):
            position = self.random.randrange(len(sentences))
            first = self.random.randint(1, 4)
            cite = f" [{first}]" if self.random.random() < 0.7 else f" [{first}, {first % 4 + 1}]"
            sentences[position] = sentences[position][:-1] + cite + "."
        return " ".join(sentences)

    def rendered(self, label, items):
        """[(source, link options)] -> [(html, mention keys)], in worker processes."""
        results = []
        tick = self.progress(label, len(items))
        if self.processes == 1 or len(items) < 200:
            for done, item in enumerate(items, start=1):
                results.append(render(item))
                tick(done)
            return results
        connections.close_all()  # the workers are forked: they must not share a connection
        with ProcessPoolExecutor(self.processes, mp_context=get_context("fork")) as pool:
            for done, result in enumerate(pool.map(render, items, chunksize=50), start=1):
                results.append(result)
                tick(done)
        return results

    # -- content ---------------------------------------------------------------------

    def make_tags(self):
        tags = []
        for name in TAGS:
            tag = (
                Tag.objects.filter(name__iexact=name).first()
                or Tag.objects.filter(slug=slugify(name)).first()
                or Tag.objects.create(name=name, slug=slugify(name))
            )
            tags.append(tag)
        return tags

    def make_topics(self):
        topics = []
        for position, name in enumerate(TOPICS, start=1):
            topic, _ = Topic.objects.get_or_create(
                slug=f"{PREFIX}{slugify(name)}",
                defaults={"name": f"{name} (synthetic)", "position": 100 + position},
            )
            topics.append(topic)
        return topics

    def make_terms(self, count):
        names = term_names(count)
        items, rows = [], []
        for n, name in enumerate(names):
            status, published_at = self.published_at()
            words = name.split()
            abbreviation = (
                "".join(word[0] for word in words).upper() + str(n % 97) if n % 10 == 0 else ""
            )
            aliases = f"{name}s" if n % 7 == 0 else ""
            short = (
                f"{name} describes how {words[-1]} relates to {words[0].lower()} processes "
                "in extracellular vesicle research."
            )
            definition = (
                f"**{name}** is a synthetic glossary entry. {self.paragraph(names)}\n\n"
                f"{self.paragraph(names)}"
            )
            rows.append(
                Term(
                    name=name,
                    slug=f"{PREFIX}{slugify(name)}-{n}",
                    abbreviation=abbreviation,
                    aliases=aliases,
                    short_definition=short[:300],
                    definition=definition,
                    status=status,
                    published_at=published_at,
                )
            )
            items.append(definition)
        # Definitions are linked after every term exists: render them first, link later.
        html = self.rendered(
            "glossary definitions", [(text, {"autolink": False}) for text in items]
        )
        for term, (definition_html, _) in zip(rows, html, strict=True):
            term.definition_html = definition_html
        tick = self.progress("glossary terms", len(rows))
        created = []
        with transaction.atomic():
            for start in range(0, len(rows), BATCH):
                created += Term.objects.bulk_create(rows[start : start + BATCH])
                tick(len(created))
        # "See also": each term linked to two neighbours.
        through = Term.related.through
        pairs = []
        for i, term in enumerate(created):
            for other in (created[(i + 1) % len(created)], created[(i + 7) % len(created)]):
                if other.pk != term.pk:
                    pairs.append(through(from_term_id=term.pk, to_term_id=other.pk))
                    pairs.append(through(from_term_id=other.pk, to_term_id=term.pk))
        through.objects.bulk_create(pairs, batch_size=BATCH, ignore_conflicts=True)
        return created

    def glossary_keys(self):
        """Build the glossary index once, before the workers fork (they inherit it)."""
        glossary = markup.sources()["glossary"]
        index = glossary.index("all")
        _INDEXES["all"] = index
        return len(index.by_name)

    def make_articles(self, count, terms):
        names = [term.name for term in terms]
        rows, items = [], []
        for n in range(count):
            status, published_at = self.published_at()
            focus = self.random.sample(names, 3)
            context = self.random.choice(CONTEXTS)
            sections = []
            for s in range(self.random.randint(4, 5)):
                heading = f"## {focus[s % 3]} and {context} ({s + 1})"
                body = "\n\n".join(
                    self.paragraph(names, citations=1) for _ in range(self.random.randint(2, 3))
                )
                sections.append(f"{heading}\n\n{body}")
            body = f"{self.paragraph(focus, citations=1)}\n\n" + "\n\n".join(sections)
            rows.append(
                Article(
                    title=f"{focus[0]} in {context}: what study {n + 1} adds",
                    slug=f"{PREFIX}article-{n + 1}",
                    summary=f"A synthetic overview of {focus[0].lower()} and "
                    f"{focus[1].lower()} in {context}.",
                    body=body,
                    authors="Synthetic Editors",
                    reviewed_by="Synthetic Reviewer",
                    reviewed_at=(self.now - timedelta(days=self.random.randint(1, 700))).date(),
                    status=status,
                    published_at=published_at,
                    featured=n < 3,
                )
            )
            items.append((body, {"references": [1, 2, 3, 4], "autolink": True}))
        for article, (html, keys) in zip(
            rows, self.rendered("articles (Markdown)", items), strict=True
        ):
            article.body_html = html
            article._mention_keys = keys
        tick = self.progress("articles", len(rows))
        created = []
        with transaction.atomic():
            for start in range(0, len(rows), BATCH):
                batch = Article.objects.bulk_create(rows[start : start + BATCH])
                created += batch
                references = [
                    Reference(
                        article=article,
                        position=position,
                        citation=f"Synthetic A, Author B. Study {article.pk}-{position} of "
                        f"extracellular vesicles. J Synth Biol. 2024;{position}:1-9.",
                        doi=f"10.5555/synthetic.{article.pk}.{position}",
                    )
                    for article in batch
                    for position in range(1, 5)
                ]
                Reference.objects.bulk_create(references)
                self.counts["references"] += len(references)
                tick(len(created))
        for article, source in zip(created, rows, strict=True):
            article._mention_keys = source._mention_keys
        self.save_mentions(created)
        return created

    def make_questions(self, count, terms, topics):
        names = [term.name for term in terms]
        rows, items = [], []
        for n in range(count):
            status, published_at = self.published_at()
            a, b = self.random.sample(names, 2)
            answer = "\n\n".join(self.paragraph(names) for _ in range(2))
            rows.append(
                Question(
                    question=f"How does {a.lower()} affect {b.lower()}? ({n + 1})",
                    slug=f"{PREFIX}question-{n + 1}",
                    answer=f"**Short answer:** it depends on the study. {answer}",
                    topic=topics[n % len(topics)],
                    position=n // len(topics),
                    status=status,
                    published_at=published_at,
                )
            )
            items.append((rows[-1].answer, {"self_key": f"faq:{rows[-1].slug}"}))
        for question, (html, keys) in zip(rows, self.rendered("FAQ answers", items), strict=True):
            question.answer_html = html
            question._mention_keys = keys
        tick = self.progress("FAQ entries", len(rows))
        created = []
        with transaction.atomic():
            for start in range(0, len(rows), BATCH):
                created += Question.objects.bulk_create(rows[start : start + BATCH])
                tick(len(created))
        for question, source in zip(created, rows, strict=True):
            question._mention_keys = source._mention_keys
        self.save_mentions(created)
        # The terms' own definitions, linked now that every term exists.
        items = [(term.definition, {"self_key": f"glossary:{term.slug}"}) for term in terms]
        for term, (_, keys) in zip(terms, self.rendered("glossary links", items), strict=True):
            term._mention_keys = keys
        self.save_mentions(terms)
        return created

    def save_mentions(self, items):
        if not items:
            return
        model = type(items[0])
        source_type = ContentType.objects.get_for_model(model)
        pks = {}
        for kind, source in markup.sources().items():
            target = source.model
            pks[kind] = (
                ContentType.objects.get_for_model(target),
                dict(target.objects.filter(slug__startswith=PREFIX).values_list("slug", "pk")),
            )
        rows = []
        for item in items:
            for key in item._mention_keys:
                kind, _, slug = key.partition(":")
                target_type, by_slug = pks.get(kind, (None, {}))
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
        tick = self.progress(f"mentions ({model._meta.verbose_name_plural})", len(rows))
        with transaction.atomic():
            for start in range(0, len(rows), BATCH * 5):
                Mention.objects.bulk_create(rows[start : start + BATCH * 5], ignore_conflicts=True)
                tick(min(start + BATCH * 5, len(rows)))
        self.counts["mentions"] += len(rows)

    def tag_everything(self, tags, terms, articles, questions):
        rows = []
        for items in (terms, articles, questions):
            if not items:
                continue
            content_type = ContentType.objects.get_for_model(type(items[0]))
            for item in items:
                for tag in self.random.sample(tags, self.random.randint(2, 4)):
                    rows.append(
                        TaggedItem(tag_id=tag.pk, content_type=content_type, object_id=item.pk)
                    )
        tick = self.progress("tags", len(rows))
        with transaction.atomic():
            for start in range(0, len(rows), BATCH * 5):
                TaggedItem.objects.bulk_create(rows[start : start + BATCH * 5])
                tick(min(start + BATCH * 5, len(rows)))
        self.counts["tagged"] = len(rows)

    def rebuild_search_index(self):
        """The search index (exosite/search, when present), rebuilt once for everything."""
        try:
            from exosite.search import documents
        except ImportError:
            return ""
        tick = None

        def progress(done, total):
            nonlocal tick
            tick = tick or self.progress("search index", total)
            tick(done)

        documents.rebuild(progress)
        return ", search index rebuilt"
