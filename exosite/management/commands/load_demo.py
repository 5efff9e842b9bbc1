"""Load (or refresh) the demo content: articles, glossary terms, FAQ entries and the people
who write and review them. Safe to run again (idempotent).

The content is in exosite/demo/, one Markdown file per item with TOML front matter
(exosite/demo/README.md describes the fields). Every file is read and checked before
anything is written, and everything is written in one transaction: a malformed file
stops the command with an error naming it and leaves the database as it was.

Items are matched by slug and updated in place, so running it twice creates nothing
new; an editor's later changes to demo items are overwritten, others are untouched.
"""

import re
import tomllib
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from articles.models import Article
from exosite.kernel import citations, frontmatter, mentions, review
from exosite.kernel.progress import Progress
from exosite.models import Status
from faq.models import Question, Topic
from glossary.kinds import name_key
from glossary.models import Term
from library.models import Reference
from trust.models import Person

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"

# "119 days ago", "in 30 days": demo dates that stay recent (or upcoming) whenever loaded.
RELATIVE_DATE_RE = re.compile(r"^(?:(\d+) days? ago|in (\d+) days?)$")


def _is_moment(value):
    if isinstance(value, datetime):
        return value.tzinfo is not None
    return isinstance(value, str) and bool(RELATIVE_DATE_RE.match(value))


# What a front-matter value may be: a check, and how to say it in an error message.
TYPES = {
    "text": (lambda v: isinstance(v, str), "a string"),
    "number": (lambda v: isinstance(v, int) and not isinstance(v, bool), "a whole number"),
    "flag": (lambda v: isinstance(v, bool), "true or false"),
    "names": (
        lambda v: isinstance(v, list) and all(isinstance(item, str) for item in v),
        "a list of strings",
    ),
    "date": (lambda v: type(v) is date, "a date (2026-10-12)"),
    "moment": (
        _is_moment,
        'a date and time with its offset (2026-03-04T09:00:00+00:00), "N days ago" or "in N days"',
    ),
}
REQUIRED = object()
PUBLICATION = {"status": ("text", Status.PUBLISHED.value), "published_at": ("moment", None)}
# Who reviewed the text as it is in the file (a people/ slug), and when.
REVIEW = {"reviewer": ("text", ""), "reviewed_at": ("date", None)}

# Each kind's fields: name -> (type, default, or REQUIRED). The body is the Markdown text.
TOPIC_FIELDS = {
    "slug": ("text", REQUIRED),
    "name": ("text", REQUIRED),
    "description": ("text", ""),
    "position": ("number", 0),
}
PERSON_FIELDS = {
    "name": ("text", REQUIRED),
    "slug": ("text", REQUIRED),
    "credentials": ("text", ""),
    "role": ("text", ""),
    "orcid": ("text", ""),
    "conflicts_of_interest": ("text", ""),
}
TERM_FIELDS = {
    "name": ("text", REQUIRED),
    "slug": ("text", REQUIRED),
    "abbreviation": ("text", ""),
    "aliases": ("names", []),
    "short_definition": ("text", REQUIRED),
    "technical_definition": ("text", ""),
    "pronunciation": ("text", ""),
    **PUBLICATION,
    **REVIEW,
    "related": ("names", []),
    "tags": ("names", []),
}
ARTICLE_FIELDS = {
    "title": ("text", REQUIRED),
    "slug": ("text", REQUIRED),
    **PUBLICATION,
    "summary": ("text", REQUIRED),
    "seo_description": ("text", ""),
    "author_profiles": ("names", REQUIRED),
    **REVIEW,
    "featured": ("flag", False),
    "tags": ("names", []),
}
REFERENCE_FIELDS = {
    "key": ("text", REQUIRED),
    "doi": ("text", ""),
    "pmid": ("text", ""),
    "authors": ("text", REQUIRED),
    "title": ("text", REQUIRED),
    "journal": ("text", ""),
    "year": ("number", None),
    "volume": ("text", ""),
    "issue": ("text", ""),
    "pages": ("text", ""),
    "url": ("text", ""),
}
QUESTION_FIELDS = {
    "question": ("text", REQUIRED),
    "slug": ("text", REQUIRED),
    "topic": ("text", REQUIRED),
    "position": ("number", 0),
    **PUBLICATION,
    **REVIEW,
    "tags": ("names", []),
}


@dataclass
class Item:
    path: Path
    fields: dict
    body: str


class DemoContent:
    """Every demo file of a directory, read and checked; `problems` lists what is wrong."""

    def __init__(self, directory, now):
        self.directory, self.now, self.problems = Path(directory), now, []
        self.slugs = {}  # folder -> the slugs of its files, even those with problems
        self.topics = self.read_topics(self.directory / "faq" / "topics.toml")
        self.references = self.read_references(self.directory / "references.toml")
        self.people = self.read_items("people", PERSON_FIELDS)
        self.terms = self.read_items("glossary", TERM_FIELDS)
        self.articles = self.read_items("articles", ARTICLE_FIELDS)
        self.questions = self.read_items("faq", QUESTION_FIELDS)
        self.check_across()

    def problem(self, path, message):
        self.problems.append(f"{path}: {message}")

    def read_topics(self, path):
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
            self.problem(path, error)
            return []
        unknown = sorted(set(data) - {"topic"})
        if unknown:
            self.problem(path, f"unknown key(s) {', '.join(unknown)}: it holds [[topic]] tables")
        tables = data.get("topic", [])
        if not (isinstance(tables, list) and all(isinstance(table, dict) for table in tables)):
            self.problem(path, "topic must be [[topic]] tables")
            return []
        topics = [self.check(path, table, TOPIC_FIELDS, "[[topic]] ") for table in tables]
        slugs = [topic["slug"] for topic in topics if topic]
        for slug in sorted(slug for slug, count in Counter(slugs).items() if count > 1):
            self.problem(path, f"more than one topic has the slug {slug!r}")
        return [topic for topic in topics if topic]

    def read_references(self, path):
        """The reference library's records, each checked as the admin would (DOI, PMID)."""
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
            self.problem(path, error)
            return []
        unknown = sorted(set(data) - {"reference"})
        if unknown:
            self.problem(
                path, f"unknown key(s) {', '.join(unknown)}: it holds [[reference]] tables"
            )
        tables = data.get("reference", [])
        if not (isinstance(tables, list) and all(isinstance(table, dict) for table in tables)):
            self.problem(path, "reference must be [[reference]] tables")
            return []
        references = []
        for table in tables:
            fields = self.check(path, table, REFERENCE_FIELDS, "[[reference]] ")
            if fields is None:
                continue
            try:
                Reference(**fields).clean()
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    self.problem(path, f"[[reference]] {fields['key']}: {field}: {messages[0]}")
                continue
            references.append(fields)
        for field in ("key", "doi", "pmid"):
            values = [reference[field] for reference in references if reference[field]]
            for value in sorted(v for v, count in Counter(values).items() if count > 1):
                self.problem(path, f"more than one reference has the {field} {value!r}")
        return references

    def read_items(self, folder, spec):
        items = []
        paths = sorted((self.directory / folder).glob("*.md"))
        self.slugs[folder] = {path.stem for path in paths}
        if not paths:
            self.problem(self.directory / folder, "no .md files here")
        for path in paths:
            try:
                metadata, body = frontmatter.read(path)
            except (OSError, frontmatter.FrontMatterError) as error:
                self.problems.append(str(error))
                continue
            fields = self.check(path, metadata, spec)
            if fields is None:
                continue
            if fields["slug"] != path.stem:
                self.problem(path, f"slug {fields['slug']!r} differs from the file name")
                continue
            if "status" in spec and not self.check_publication(path, fields):
                continue
            items.append(Item(path, fields, body))
        return items

    def check(self, path, data, spec, where=""):
        """`data` with its defaults filled in, or None (and problems noted)."""
        unknown = sorted(set(data) - set(spec))
        missing = [
            name for name, (_, default) in spec.items() if default is REQUIRED and name not in data
        ]
        wrong = [
            f"{name} must be {TYPES[kind][1]}, not {data[name]!r}"
            for name, (kind, _) in spec.items()
            if name in data and not TYPES[kind][0](data[name])
        ]
        if unknown:
            self.problem(
                path, f"{where}unknown field(s) {', '.join(unknown)}; known: {', '.join(spec)}"
            )
        if missing:
            self.problem(path, f"{where}missing field(s) {', '.join(missing)}")
        for message in wrong:
            self.problem(path, where + message)
        if unknown or missing or wrong:
            return None
        return {name: data.get(name, default) for name, (_, default) in spec.items()}

    def check_publication(self, path, fields):
        """Turn status and published_at into the model's values."""
        if fields["status"] not in Status.values:
            self.problem(path, f"status must be one of {', '.join(Status.values)}")
            return False
        when = fields["published_at"]
        if isinstance(when, str):
            ago, ahead = RELATIVE_DATE_RE.match(when).groups()
            when = (
                self.now - timedelta(days=int(ago))
                if ago
                else self.now + timedelta(days=int(ahead))
            )
        if fields["status"] == Status.PUBLISHED and when is None:
            self.problem(path, "a published item needs published_at")
            return False
        fields["published_at"] = when
        return True

    def check_across(self):
        """What no single file shows: every slug an item names is a demo item, and no two
        glossary terms have the same name."""
        topics = {topic["slug"] for topic in self.topics}
        people, terms = self.slugs["people"], self.slugs["glossary"]
        keys = {reference["key"] for reference in self.references}
        for item in self.terms:
            self.check_slugs(item, "related", item.fields["related"], terms, "glossary/")
        for item in self.articles:
            self.check_slugs(
                item, "author_profiles", item.fields["author_profiles"], people, "people/"
            )
            if item.fields["reviewer"] in item.fields["author_profiles"]:
                self.problem(item.path, "the reviewer is one of the authors")
        for item in (*self.terms, *self.articles, *self.questions):
            if item.fields["reviewer"]:
                self.check_slugs(item, "reviewer", [item.fields["reviewer"]], people, "people/")
            cited = [key for key in citations.keys_in(item.body) if ":" not in key]
            self.check_slugs(item, "citations", cited, keys, "references.toml")
        for item in self.questions:
            self.check_slugs(item, "topic", [item.fields["topic"]], topics, "faq/topics.toml")
        names = Counter(item.fields["name"] for item in self.terms)
        for item in self.terms:
            if names[item.fields["name"]] > 1:
                self.problem(item.path, f"another glossary term is named {item.fields['name']!r}")
        self.check_synonyms()

    def check_synonyms(self):
        """A synonym names its own term only, as the admin has it (glossary.admin.TermForm):
        not another term's name, abbreviation or synonym."""
        owners = {}
        for item in self.terms:
            names = [item.fields["name"], item.fields["abbreviation"], *item.fields["aliases"]]
            for name in filter(None, names):
                owners.setdefault(name_key(name), set()).add(item.fields["slug"])
        for item in self.terms:
            for alias in item.fields["aliases"]:
                others = sorted(owners[name_key(alias)] - {item.fields["slug"]})
                if others:
                    self.problem(
                        item.path,
                        f"synonym {alias!r} also names {', '.join(others)}: list that term "
                        "under related instead",
                    )

    def check_slugs(self, item, field, slugs, known, where):
        unknown = [slug for slug in slugs if slug not in known]
        if unknown:
            self.problem(item.path, f"{field}: {', '.join(unknown)} not found in {where}")


class Command(BaseCommand):
    help = "Load (or refresh) the demo articles, glossary terms, FAQ entries and people."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir",
            type=Path,
            default=DEMO_DIR,
            help="Where the demo files are (default: exosite/demo/).",
        )

    def handle(self, *args, **options):
        progress = Progress(self.stdout)
        now = timezone.now()
        content = DemoContent(options["dir"], now)
        if content.problems:
            raise CommandError(
                f"The demo content was not loaded: {len(content.problems)} problem(s) in "
                f"{options['dir']}\n" + "\n".join(f"  {problem}" for problem in content.problems)
            )
        links = MentionsProgress(progress)
        with mentions.bulk_changes(links), transaction.atomic():
            topics = self.load_topics(content.topics)
            people = self.load_people(content.people)
            self.load_references(content.references)
            loaded = [
                *self.load_terms(content.terms, people, progress),
                *self.load_articles(content.articles, people, progress),
                *self.load_questions(content.questions, topics, people, progress),
            ]
            self.check_policy(loaded)
        links.finish()
        progress.done(
            f"Demo content ready: {len(content.articles)} articles, {len(content.terms)} "
            f"glossary terms, {len(content.questions)} FAQ entries in {len(topics)} topics, "
            f"{len(people)} people."
        )

    def load_topics(self, rows):
        topics = {}
        for data in rows:
            topic, _ = Topic.objects.update_or_create(
                slug=data["slug"],
                defaults={key: data[key] for key in ("name", "description", "position")},
            )
            topics[topic.slug] = topic
        return topics

    def check_policy(self, items):
        """The demo passes the editorial gate honestly: every published item could be
        published through the admin as it is (exosite.kernel.review); otherwise nothing
        is loaded."""
        refused = [
            f"  {item}: {'; '.join(message for messages in found.values() for message in messages)}"
            for item in items
            if item.status == Status.PUBLISHED and (found := review.problems(item))
        ]
        if refused:
            raise CommandError(
                f"The demo content was not loaded: {len(refused)} published item(s) would "
                "not pass the editorial gate:\n" + "\n".join(refused)
            )

    def load_references(self, rows):
        for data in rows:
            fields = dict(data)
            key = fields.pop("key")
            reference = Reference.objects.filter(key=key).first() or Reference(key=key)
            for name, value in fields.items():
                setattr(reference, name, value)
            reference.clean()
            reference.save()

    def load_people(self, items):
        people = {}
        for item in items:
            person = upsert(Person, item, "bio")
            people[person.slug] = person
        return people

    def load_terms(self, items, people, progress):
        by_slug = {}
        for item in progress.track("glossary terms", items):
            term = upsert(
                Term,
                item,
                "definition",
                skip=("related",),
                people=people,
                aliases="\n".join(item.fields["aliases"]),
            )
            by_slug[term.slug] = term
        # "See also" links go both ways, so a term's are the ones its file lists and those of
        # every file that lists it: setting only its own would drop links made earlier.
        related = {item.fields["slug"]: set(item.fields["related"]) for item in items}
        for item in items:
            for other in item.fields["related"]:
                related[other].add(item.fields["slug"])
        for slug, term in by_slug.items():
            term.related.set(by_slug[other] for other in sorted(related[slug]))
        return list(by_slug.values())

    def load_articles(self, items, people, progress):
        articles = []
        for item in progress.track("articles", items):
            article = upsert(Article, item, "body", skip=("author_profiles",), people=people)
            article.author_profiles.set([people[slug] for slug in item.fields["author_profiles"]])
            articles.append(article)
        return articles

    def load_questions(self, items, topics, people, progress):
        return [
            upsert(Question, item, "answer", people=people, topic=topics[item.fields["topic"]])
            for item in progress.track("FAQ entries", items)
        ]


def upsert(model, item, body_field, skip=(), people=None, **values):
    """Create or update the row with the item's slug: the item's fields (less `skip`), its
    body in `body_field`, then `values`; its tags, if it has them, are set afterwards. A
    file that names a reviewer records their review of the text as the file has it."""
    fields = {name: value for name, value in item.fields.items() if name not in skip}
    slug, tags = fields.pop("slug"), fields.pop("tags", None)
    reviewer, reviewed_at = fields.pop("reviewer", ""), fields.pop("reviewed_at", None)
    row = model.objects.filter(slug=slug).first() or model(slug=slug)
    for name, value in {**fields, body_field: item.body, **values}.items():
        setattr(row, name, value)
    if reviewer:
        row.record_review(people[reviewer], on=reviewed_at)
    elif people is not None:
        row.reviewer, row.reviewed_at = None, None
    row.save()
    if tags is not None:
        row.tags.set(tags)
    return row


class MentionsProgress:
    """Reports the refresh of links and mentions that ends the bulk changes (the count is
    known only once it has finished)."""

    label = "links and mentions"

    def __init__(self, progress):
        self.progress, self.count = progress, 0

    def __call__(self, done, total=None):
        self.count = done
        if total is not None or self.progress.interactive:
            self.progress.update(self.label, done, total)

    def finish(self):
        self.progress.update(self.label, self.count, self.count)
