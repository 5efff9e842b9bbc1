"""Fill the database with synthetic content, in bulk, for benchmarks.

    manage.py generate_synthetic --articles 40000 --terms 40000 --questions 20000 --tags 500

Text is drawn from a fixed vocabulary with a Zipf distribution (a few words are in nearly
every item, most are rare), plus `RARE_WORDS` placed in about one item in 10,000, so a
benchmark knows which queries are common, mid-frequency and rare. About 94% of the items
are published (dates spread over five years), 4% are drafts, 2% are scheduled. Items
carry zero to three tags, some tags far more used than others.

Rows are written with bulk_create (no signals, no Markdown rendering: the stored HTML is
built directly), then the search index is brought up to date unless --no-index. Every
slug starts with --prefix, so --clear removes exactly what an earlier run made.
"""

import random
import time
from datetime import timedelta
from itertools import accumulate

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag, TaggedItem

from articles.models import Article
from exosite.models import Status
from exosite.search import documents
from faq.models import Question, Topic
from glossary.models import Term

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
_SYLLABLES = """ba be bi bo bu ca ce ci co cu da de di do du fa fe fi fo fu ga ge gi go gu
    la le li lo lu ma me mi mo mu na ne ni no nu pa pe pi po pu ra re ri ro ru sa se si so
    su ta te ti to tu va ve vi vo vu za ze zi zo zu ex in ar or el an on us"""
DOMAIN_WORDS = _DOMAIN.split()
SYLLABLES = _SYLLABLES.split()
VOCABULARY_SIZE = 20_000
RARE_WORDS = [f"zorblax{n}" for n in range(40)]
RARE_SHARE = 1 / 10_000  # each rare word is in about this share of items


def vocabulary():
    """The same words, in the same frequency order, on every run."""
    rng = random.Random(20_260_101)
    words = list(dict.fromkeys(DOMAIN_WORDS))
    seen = set(words)
    while len(words) < VOCABULARY_SIZE:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


class Text:
    def __init__(self, rng):
        self.rng = rng
        self.words = vocabulary()
        self.cumulative = list(accumulate(1 / (rank + 1) for rank in range(len(self.words))))

    def words_(self, low, high):
        count = self.rng.randint(low, high)
        picked = self.rng.choices(self.words, cum_weights=self.cumulative, k=count)
        if self.rng.random() < RARE_SHARE * len(RARE_WORDS):
            picked[self.rng.randrange(len(picked))] = self.rng.choice(RARE_WORDS)
        return picked

    def sentence(self, low=6, high=18):
        words = self.words_(low, high)
        return " ".join(words).capitalize() + "."

    def title(self, low=3, high=8):
        return " ".join(self.words_(low, high)).capitalize()

    def paragraphs(self, count_low, count_high, sentences=(3, 7)):
        return [
            " ".join(self.sentence() for _ in range(self.rng.randint(*sentences)))
            for _ in range(self.rng.randint(count_low, count_high))
        ]


def html(paragraphs):
    return "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)


class Command(BaseCommand):
    help = "Generate synthetic articles, glossary terms, FAQ entries and tags in bulk."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=1_000)
        parser.add_argument("--terms", type=int, default=1_000)
        parser.add_argument("--questions", type=int, default=500)
        parser.add_argument("--tags", type=int, default=100)
        parser.add_argument("--prefix", default="syn", help="Start of every generated slug.")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--batch-size", type=int, default=1_000)
        parser.add_argument(
            "--clear", action="store_true", help="Remove earlier synthetic items first."
        )
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
        started = time.monotonic()
        self.rng = random.Random(options["seed"])
        self.text = Text(self.rng)
        self.prefix = options["prefix"]
        self.batch_size = options["batch_size"]
        self.now = timezone.now()
        # Continue numbering after an earlier run, so runs add up (10,000 then 100,000).
        self.serial = Article.objects.filter(slug__startswith=f"{self.prefix}-").count() + (
            Term.objects.filter(slug__startswith=f"{self.prefix}-").count()
            + Question.objects.filter(slug__startswith=f"{self.prefix}-").count()
        )
        if options["clear"]:
            self.clear()
            self.serial = 0
        with transaction.atomic():
            tags = self.make_tags(options["tags"])
            made = {
                "articles": self.make(Article, options["articles"], self.article, tags),
                "glossary terms": self.make(Term, options["terms"], self.term, tags),
                "FAQ entries": self.make(Question, options["questions"], self.question, tags),
            }
        indexed = ""
        if not options["no_index"]:

            def progress(done, total):
                self.progress("search index", done, total)

            with transaction.atomic():
                created, updated, _ = documents.rebuild(progress, full_text=False)
            indexed = f"; search index: {created:,} added, {updated:,} updated"
        summary = ", ".join(f"{count:,} {label}" for label, count in made.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {summary} and {len(tags):,} tags in "
                f"{time.monotonic() - started:.1f} s{indexed}."
            )
        )

    def progress(self, label, done, total):
        if self.stdout.isatty():
            width = 30
            filled = int(width * done / total) if total else width
            bar = "#" * filled + "-" * (width - filled)
            self.stdout.write(f"\r  {label:<15} [{bar}] {done:,}/{total:,}", ending="")
            if done >= total:
                self.stdout.write("")
            self.stdout.flush()
        elif done >= total:
            self.stdout.write(f"  {label}: {total:,}")

    def clear(self):
        pattern = f"{self.prefix}-"
        for model in (Article, Term, Question):
            items = model.objects.filter(slug__startswith=pattern)
            content_type = ContentType.objects.get_for_model(model)
            ids = items.values("pk")
            TaggedItem.objects.filter(content_type=content_type, object_id__in=ids).delete()
            items.delete()
        Tag.objects.filter(slug__startswith=pattern).delete()

    # -- items ---------------------------------------------------------------------------

    def status(self):
        roll = self.rng.random()
        if roll < 0.04:
            return Status.DRAFT, None
        if roll < 0.06:
            return Status.PUBLISHED, self.now + timedelta(days=self.rng.randint(1, 60))
        return Status.PUBLISHED, self.now - timedelta(minutes=self.rng.randint(1, 5 * 525_600))

    def next_slug(self, kind):
        self.serial += 1
        return f"{self.prefix}-{kind}-{self.serial}"

    def article(self):
        status, published_at = self.status()
        paragraphs = self.text.paragraphs(2, 5)
        return Article(
            slug=self.next_slug("article"),
            title=self.text.title()[:200],
            summary=self.text.sentence(12, 30),
            body="\n\n".join(paragraphs),
            body_html=html(paragraphs),
            authors="Synthetic author",
            status=status,
            published_at=published_at,
        )

    def term(self):
        status, published_at = self.status()
        slug = self.next_slug("term")
        paragraphs = self.text.paragraphs(1, 2, sentences=(2, 4))
        aliases = [self.text.title(1, 3).lower() for _ in range(self.rng.randint(0, 2))]
        return Term(
            slug=slug,
            # Names are unique: the serial keeps them so.
            name=f"{self.text.title(1, 3)} {slug.rsplit('-', 1)[1]}",
            aliases="\n".join(aliases),
            short_definition=self.text.sentence(10, 25)[:300],
            definition="\n\n".join(paragraphs),
            definition_html=html(paragraphs),
            status=status,
            published_at=published_at,
        )

    def question(self):
        status, published_at = self.status()
        paragraphs = self.text.paragraphs(1, 3, sentences=(2, 5))
        return Question(
            slug=self.next_slug("question"),
            question=(self.text.title(5, 12) + "?")[:300],
            answer="\n\n".join(paragraphs),
            answer_html=html(paragraphs),
            topic=self.topic,
            status=status,
            published_at=published_at,
        )

    @property
    def topic(self):
        if not hasattr(self, "_topic"):
            self._topic, _ = Topic.objects.get_or_create(
                slug=f"{self.prefix}-topic",
                defaults={"name": "Synthetic questions", "position": 999},
            )
        return self._topic

    def make_tags(self, count):
        existing = list(Tag.objects.filter(slug__startswith=f"{self.prefix}-"))
        new = []
        for n in range(len(existing), count):
            name = f"{self.rng.choice(DOMAIN_WORDS)} {self.prefix} {n}"
            new.append(Tag(name=name, slug=f"{self.prefix}-{slugify(name)}"))
        Tag.objects.bulk_create(new, batch_size=self.batch_size)
        tags = list(Tag.objects.filter(slug__startswith=f"{self.prefix}-").order_by("pk"))
        self.progress("tags", len(tags), len(tags))
        return tags[:count] if count else []

    def make(self, model, count, build, tags):
        content_type = ContentType.objects.get_for_model(model)
        weights = list(accumulate(1 / (rank + 1) for rank in range(len(tags))))
        done = 0
        while done < count:
            size = min(self.batch_size, count - done)
            items = model.objects.bulk_create([build() for _ in range(size)])
            if tags:
                tagged = []
                for item in items:
                    chosen = set(
                        self.rng.choices(tags, cum_weights=weights, k=self.rng.randint(0, 3))
                    )
                    tagged.extend(
                        TaggedItem(tag=tag, content_type=content_type, object_id=item.pk)
                        for tag in chosen
                    )
                TaggedItem.objects.bulk_create(tagged, batch_size=self.batch_size)
            done += size
            self.progress(model._meta.verbose_name_plural, done, count)
        return count
