"""Load (or refresh) the demo content: articles, glossary terms, FAQ entries and the people
who write and review them, in English and in Spanish. Safe to run again (idempotent).

The content is in exosite/demo/, one Markdown file per item with TOML front matter
(exosite/demo/README.md describes the fields); the Spanish translations are in
exosite/demo/es/, laid out the same way, each file naming the English item it translates
(`translation_of`). Every file of both languages is read and checked before anything is
written, and everything is written in one transaction: a malformed file stops the
command with an error naming it and leaves the database as it was.

Items are matched by language and slug and updated in place, so running it twice creates
nothing new; an editor's later changes to demo items are overwritten, others are
untouched. A translation is recorded as up to date with its source as loaded (its
`translated_version` is the source's `edit_version`), so a fresh demo has no out-of-date
translations.
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
from exosite.kernel.linking import CROSSLINK_RE
from exosite.kernel.progress import Progress
from exosite.models import Status
from faq.models import Question, Topic
from glossary.kinds import name_key
from glossary.models import Term
from library.models import Reference
from trust.models import Person, PersonTranslation

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"
SOURCE_LANGUAGE = "en"
# The translations of the demo content: {language code: its folder inside the demo folder}.
TRANSLATIONS = {"es": "es"}

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
# A translation names the source item (in the English files) it translates.
TRANSLATION = {"translation_of": ("text", REQUIRED)}
# A person's texts in another language (trust.models.PersonTranslation), in a file named
# after the person's slug; the body is the biography. Name, slug and ORCID are the person's.
PERSON_TRANSLATION_FIELDS = {
    **TRANSLATION,
    "credentials": ("text", ""),
    "role": ("text", ""),
    "conflicts_of_interest": ("text", ""),
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
    """Every demo file of a directory, read and checked; `problems` lists what is wrong.

    With a `source` (the English content), the directory holds translations of it into
    `language`: each file names the source item it translates (`translation_of`); people
    are the source's (a file in people/ gives one person's texts in the language), and so
    is the reference library. A translation need not cover every folder."""

    def __init__(self, directory, now, language=SOURCE_LANGUAGE, source=None):
        self.directory, self.now, self.problems = Path(directory), now, []
        self.language, self.source = language, source
        self.slugs = {}  # folder -> the slugs of its files, even those with problems
        extra = TRANSLATION if source else {}
        self.topics = self.read_topics(self.directory / "faq" / "topics.toml", extra)
        if source is None:
            self.references = self.read_references(self.directory / "references.toml")
            self.people = self.read_items("people", PERSON_FIELDS)
        else:
            self.references = source.references
            self.people = self.read_items("people", PERSON_TRANSLATION_FIELDS)
        self.terms = self.read_items("glossary", {**TERM_FIELDS, **extra})
        self.articles = self.read_items("articles", {**ARTICLE_FIELDS, **extra})
        self.questions = self.read_items("faq", {**QUESTION_FIELDS, **extra})
        self.check_across()
        if source is not None:
            self.check_translations()

    def problem(self, path, message):
        self.problems.append(f"{path}: {message}")

    def read_topics(self, path, extra):
        if self.source is not None and not path.exists():
            return []  # no FAQ topics translated (an entry naming one is refused)
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
        spec = {**TOPIC_FIELDS, **extra}
        topics = [self.check(path, table, spec, "[[topic]] ") for table in tables]
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
        if not paths and self.source is None:
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
            # A person's translation is named after the person (it has no slug of its own).
            slug = fields.get("slug", fields.get("translation_of"))
            if slug != path.stem:
                name = "slug" if "slug" in fields else "translation_of"
                self.problem(path, f"{name} {slug!r} differs from the file name")
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
        # People and references are shared by every language: a translation's authors and
        # reviewers are the source's people, and it cites the one library.
        people = (self.source or self).slugs["people"]
        terms = self.slugs["glossary"]
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
        self.check_crosslinks()
        names = Counter(item.fields["name"] for item in self.terms)
        for item in self.terms:
            if names[item.fields["name"]] > 1:
                self.problem(item.path, f"another glossary term is named {item.fields['name']!r}")
        self.check_synonyms()

    def check_crosslinks(self):
        """Every [[kind:slug]] names an item of this language's files, and every [[Name]]
        one of its terms (by name, abbreviation or synonym): a Spanish page links Spanish
        pages. Whether the target is published is the editorial gate's to say."""
        folders = {"article": "articles", "glossary": "glossary", "faq": "faq"}
        names = {
            name_key(name)
            for item in self.terms
            for name in (item.fields["name"], item.fields["abbreviation"], *item.fields["aliases"])
            if name
        }
        for item in (*self.terms, *self.articles, *self.questions):
            text = item.body + item.fields.get("technical_definition", "")
            for found in CROSSLINK_RE.finditer(text):
                written = found.group(1).strip()
                kind, _, slug = written.partition(":")
                if slug and kind in folders:
                    known = self.slugs[folders[kind]]
                    if slug.strip() not in known:
                        self.problem(
                            item.path,
                            f"[[{written}]]: {slug.strip()} not found in {folders[kind]}/",
                        )
                elif not slug and name_key(written) not in names:
                    self.problem(item.path, f"[[{written}]]: no glossary term has that name")

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

    def check_translations(self):
        """Each translation names a source item of its kind, and no two translate the same
        one (a source has at most one translation per language)."""
        source = self.source
        folders = {
            "people": (self.people, source.slugs["people"]),
            "glossary": (self.terms, source.slugs["glossary"]),
            "articles": (self.articles, source.slugs["articles"]),
            "faq": (self.questions, source.slugs["faq"]),
        }
        for folder, (items, known) in folders.items():
            where = f"{source.directory.name}/{folder}/"
            for item in items:
                self.check_slugs(
                    item, "translation_of", [item.fields["translation_of"]], known, where
                )
            self.check_once([(item.path, item.fields["translation_of"]) for item in items])
        path = self.directory / "faq" / "topics.toml"
        known = {topic["slug"] for topic in source.topics}
        for topic in self.topics:
            if topic["translation_of"] not in known:
                self.problem(
                    path,
                    f"[[topic]] {topic['slug']}: translation_of: {topic['translation_of']} not "
                    f"found in {source.directory.name}/faq/topics.toml",
                )
        self.check_once([(path, topic["translation_of"]) for topic in self.topics])

    def check_once(self, pairs):
        translated = Counter(slug for _, slug in pairs)
        for path, slug in pairs:
            if translated[slug] > 1:
                self.problem(path, f"translation_of: {slug} is translated by another file too")

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
        directory = options["dir"]
        content = DemoContent(directory, now)
        translations = [
            DemoContent(directory / folder, now, language=language, source=content)
            for language, folder in TRANSLATIONS.items()
            if (directory / folder).is_dir()
        ]
        problems = [problem for found in (content, *translations) for problem in found.problems]
        if problems:
            raise CommandError(
                f"The demo content was not loaded: {len(problems)} problem(s) in "
                f"{directory}\n" + "\n".join(f"  {problem}" for problem in problems)
            )
        links = MentionsProgress(progress)
        with mentions.bulk_changes(links), transaction.atomic():
            self.load_references(content.references)
            people = self.load_people(content.people)
            source = self.load_content(content, people, progress)
            loaded = [item for (folder, _), item in source.items() if folder != "topics"]
            for translation in translations:
                loaded.extend(self.load_translation(translation, source, people, progress))
            self.check_policy(loaded)
        links.finish()
        summary = [
            f"{len(content.articles)} articles, {len(content.terms)} glossary terms, "
            f"{len(content.questions)} FAQ entries in {len(content.topics)} topics, "
            f"{len(people)} people"
        ]
        for translation in translations:
            summary.append(
                f"translated into {translation.language}: {len(translation.articles)} "
                f"articles, {len(translation.terms)} glossary terms, "
                f"{len(translation.questions)} FAQ entries in {len(translation.topics)} "
                f"topics, {len(translation.people)} people's texts"
            )
        progress.done(f"Demo content ready: {'; '.join(summary)}.")

    def load_content(self, content, people, progress, translation_of=None):
        """Load one language's items; {(folder, slug): item} of what was loaded.
        `translation_of` ({(folder, slug): source item}) links each translation to its
        source, recorded as up to date with it."""
        language, label = content.language, ""
        if translation_of is not None:
            label = f" ({language})"

        def sources(folder, item_fields):
            if translation_of is None:
                return {}
            return {"translation_of": translation_of[folder, item_fields["translation_of"]]}

        topics = self.load_topics(content.topics, language, sources)
        loaded = {
            **{
                ("glossary", term.slug): term
                for term in self.load_terms(
                    content.terms, people, progress, language, sources, label
                )
            },
            **{
                ("articles", article.slug): article
                for article in self.load_articles(
                    content.articles, people, progress, language, sources, label
                )
            },
            **{
                ("faq", question.slug): question
                for question in self.load_questions(
                    content.questions, topics, people, progress, language, sources, label
                )
            },
        }
        return {**{("topics", slug): topic for slug, topic in topics.items()}, **loaded}

    def load_translation(self, content, source, people, progress):
        """Load a translation of the source content, and its people's texts."""
        loaded = self.load_content(content, people, progress, translation_of=source)
        for item in content.people:
            fields = {name: item.fields[name] for name in PERSON_TRANSLATION_FIELDS}
            person = people[fields.pop("translation_of")]
            PersonTranslation.objects.update_or_create(
                person=person,
                language=content.language,
                defaults={**fields, "bio": item.body},
            )
        return [item for (folder, _), item in loaded.items() if folder != "topics"]

    def load_topics(self, rows, language, sources):
        topics = {}
        for data in rows:
            values = {key: data[key] for key in ("name", "description", "position")}
            topic = Topic.objects.filter(language=language, slug=data["slug"]).first()
            topic = topic or Topic(language=language, slug=data["slug"])
            for name, value in values.items():
                setattr(topic, name, value)
            translate(topic, **sources("topics", data))
            topic.save()
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

    def load_terms(self, items, people, progress, language, sources, label=""):
        by_slug = {}
        for item in progress.track(f"glossary terms{label}", items):
            term = upsert(
                Term,
                item,
                "definition",
                language,
                skip=("related",),
                people=people,
                aliases="\n".join(item.fields["aliases"]),
                **sources("glossary", item.fields),
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

    def load_articles(self, items, people, progress, language, sources, label=""):
        articles = []
        for item in progress.track(f"articles{label}", items):
            article = upsert(
                Article,
                item,
                "body",
                language,
                skip=("author_profiles",),
                people=people,
                **sources("articles", item.fields),
            )
            article.author_profiles.set([people[slug] for slug in item.fields["author_profiles"]])
            articles.append(article)
        return articles

    def load_questions(self, items, topics, people, progress, language, sources, label=""):
        return [
            upsert(
                Question,
                item,
                "answer",
                language,
                people=people,
                topic=topics[item.fields["topic"]],
                **sources("faq", item.fields),
            )
            for item in progress.track(f"FAQ entries{label}", items)
        ]


def translate(row, translation_of=None):
    """Make `row` a translation of `translation_of` (or an original, given None), up to
    date with the source as it is now (saved): its `translated_version` is the source's
    `edit_version`, so a freshly loaded translation is never out of date."""
    row.translation_of = translation_of
    if translation_of is None:
        row.translated_version, row.translated_fingerprint = None, ""
        return
    row.translated_version = getattr(translation_of, "edit_version", None)
    row.translated_fingerprint = translation_of.translation_fingerprint()


def upsert(
    model, item, body_field, language=None, skip=(), people=None, translation_of=None, **values
):
    """Create or update the row with the item's slug (in `language`, for content kept in
    languages): the item's fields (less `skip`), its body in `body_field`, then `values`;
    its tags, if it has them, are set afterwards. A file that names a reviewer records
    their review of the text as the file has it. A translation (its file's
    `translation_of`) points at its source, `translation_of`."""
    fields = {name: value for name, value in item.fields.items() if name not in skip}
    fields.pop("translation_of", None)
    slug, tags = fields.pop("slug"), fields.pop("tags", None)
    reviewer, reviewed_at = fields.pop("reviewer", ""), fields.pop("reviewed_at", None)
    key = {"slug": slug} if language is None else {"language": language, "slug": slug}
    row = model.objects.filter(**key).first() or model(**key)
    for name, value in {**fields, body_field: item.body, **values}.items():
        setattr(row, name, value)
    if language is not None:
        translate(row, translation_of)
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
