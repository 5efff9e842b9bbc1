"""Move each article's own reference list into the shared library, cite by key, and name
people instead of free-text bylines.

- Every articles.Reference becomes a library.Reference, one per DOI (or PubMed ID, or
  identical citation text): MISEV2018 cited by three articles is stored once. The
  formatted citation is split into its parts when that reproduces it exactly, and kept
  whole as the title otherwise, so nothing is lost.
- Bodies cite by key: [1] -> [@thery2018], [2, 3] -> [@a; @b], [4–6] -> [@c; @d; @e].
  The numbers on the page come out the same (the order of first citation).
- A byline or reviewer typed as text, with no profile chosen, becomes a profile of that
  name (not public until an editor completes it). "Pending" is no reviewer: the review
  date goes with it, since no review was recorded.
- A review recorded before is kept as covering the text as it is (the citations changed
  spelling, not meaning).
"""

import hashlib
import json
import re
import unicodedata

from django.db import migrations
from django.utils.text import slugify

from exosite.kernel.markdown import render_markdown

OLD_CITATION_RE = re.compile(
    r"\[(\d{1,3}(?:\s*[-–]\s*\d{1,3})?(?:\s*,\s*\d{1,3}(?:\s*[-–]\s*\d{1,3})?)*)\]"
)
OLD_PART_RE = re.compile(r"(\d{1,3})(?:\s*[-–]\s*(\d{1,3}))?")
TAIL_RE = re.compile(
    r"^(?P<year>\d{4})(?:;(?P<volume>[^(:]+)(?:\((?P<issue>[^)]+)\))?)?(?::(?P<pages>.+))?$"
)


# The library's key helpers as they were when this migration was written (a migration
# keeps its own copy: later changes to library.identifiers must not change old data).


def key_base(authors, year):
    """ "van Niel G, D'Angelo G" 2018 -> vanniel2018 (library.identifiers.key_base)."""
    first = re.split(r"[,;]", authors or "", maxsplit=1)[0].strip().rstrip(".")
    words = first.split()
    if len(words) >= 2 and re.fullmatch(r"[A-Z]{1,4}", words[-1]):
        name = "".join(words[:-1])
    elif len(words) >= 3:
        name = "".join(w if w.isupper() else w[0] for w in words if w[:1].isupper())
    else:
        name = words[0] if words else "ref"
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    letters = re.sub(r"[^a-z0-9]", "", ascii_name.lower())[:40] or "ref"
    return letters + (str(year) if year else "")


def next_free(base, taken):
    """`base`, or base + b, c, ..., then base-2, base-3 (library.models.next_free)."""
    if base not in taken:
        return base
    for letter in "bcdefghijklmnopqrstuvwxyz":
        if base + letter not in taken:
            return base + letter
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def citation_text(fields):
    """As library.Reference.citation formats it."""
    parts = [fields["authors"].rstrip("."), fields["title"].rstrip(".")]
    if fields["journal"]:
        parts.append(fields["journal"].rstrip("."))
    where = str(fields["year"] or "")
    if fields["volume"]:
        where += f";{fields['volume']}"
        if fields["issue"]:
            where += f"({fields['issue']})"
    if fields["pages"]:
        where += f":{fields['pages']}"
    if where:
        parts.append(where)
    return ". ".join(part for part in parts if part) + "."


def split_citation(citation):
    """Authors, title, journal, year ... when they rebuild `citation` exactly."""
    text = citation.strip()
    segments = text.rstrip(".").split(". ")
    if len(segments) == 4:
        authors, title, journal, tail = segments
        found = TAIL_RE.match(tail)
        if found:
            fields = {
                "authors": authors + ".",
                "title": title,
                "journal": journal,
                "year": int(found["year"]),
                "volume": found["volume"] or "",
                "issue": found["issue"] or "",
                "pages": found["pages"] or "",
            }
            if citation_text(fields) == text:
                return fields
    fields = {
        "authors": "",
        "title": text,
        "journal": "",
        "year": None,
        "volume": "",
        "issue": "",
        "pages": "",
    }
    if len(segments) >= 2:  # "Organisation. Title. Date.": the first part names the authors
        attempt = {**fields, "authors": segments[0] + ".", "title": text.split(". ", 1)[1]}
        if citation_text(attempt) == text:
            return attempt
    return fields


def free_key(taken, authors, year, title):
    key = next_free(key_base(authors or title, year), taken)
    taken.add(key)
    return key


def person_for(Person, name):
    name = name.strip()[:150]
    found = Person.objects.filter(name__iexact=name).first()
    if found:
        return found
    base = slugify(name)[:150] or "person"
    slug, n = base, 2
    while Person.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return Person.objects.create(name=name, slug=slug, is_public=False)


def fingerprint(article):
    values = [str(getattr(article, name) or "") for name in ("title", "summary", "body")]
    return hashlib.sha256(json.dumps(values).encode()).hexdigest()


def forwards(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    OldReference = apps.get_model("articles", "Reference")
    Reference = apps.get_model("library", "Reference")
    Citation = apps.get_model("library", "Citation")
    Person = apps.get_model("trust", "Person")
    ContentType = apps.get_model("contenttypes", "ContentType")
    article_type, _ = ContentType.objects.get_or_create(app_label="articles", model="article")

    taken = set(Reference.objects.values_list("key", flat=True))
    by_identity = {}
    for reference in Reference.objects.all():
        for identity in (f"doi:{reference.doi}", f"pmid:{reference.pmid}"):
            if not identity.endswith(":"):
                by_identity[identity] = reference

    def library_reference(old):
        doi = old.doi.strip().lower()
        for prefix in ("https://doi.org/", "http://doi.org/", "doi:"):
            doi = doi.removeprefix(prefix)
        if not re.match(r"^10\.\d{4,9}/\S+$", doi):
            doi = ""  # not a DOI: kept in the citation text, not as a link
        pmid = old.pmid.strip() if re.match(r"^[1-9][0-9]{0,8}$", old.pmid.strip()) else ""
        citation = old.citation.strip()
        if old.doi.strip() and not doi:
            citation = f"{citation} {old.doi.strip()}"
        identities = [
            i
            for i in (
                f"doi:{doi}" if doi else "",
                f"pmid:{pmid}" if pmid else "",
                f"text:{citation}",
            )
            if i
        ]
        for identity in identities:
            if identity in by_identity:
                return by_identity[identity]
        fields = split_citation(citation)
        reference = Reference.objects.create(
            key=free_key(taken, fields["authors"], fields["year"], fields["title"]),
            doi=doi,
            pmid=pmid,
            url=old.url[:500],
            **fields,
        )
        for identity in identities:
            by_identity[identity] = reference
        return reference

    for article in Article.objects.all():
        olds = {ref.position: ref for ref in OldReference.objects.filter(article=article)}
        keys = {position: library_reference(old).key for position, old in olds.items()}

        def cite(found, keys=keys):
            numbers = []
            for part in OLD_PART_RE.finditer(found.group(1)):
                first, last = int(part.group(1)), int(part.group(2) or part.group(1))
                if last < first or last - first > 50:
                    return found.group(0)
                numbers.extend(range(first, last + 1))
            if not all(n in keys for n in numbers):
                return found.group(0)  # a citation problem before: still one after
            return "[" + "; ".join(f"@{keys[n]}" for n in numbers) + "]"

        article.body = OLD_CITATION_RE.sub(cite, article.body)
        article.body_html = render_markdown(article.body)

        if not article.author_profiles.exists() and article.authors.strip():
            article.author_profiles.add(person_for(Person, article.authors))
        if article.reviewer_id is None:
            text = article.reviewed_by.strip()
            if text and not text.lower().startswith("pending"):
                article.reviewer = person_for(Person, text)
            else:
                article.reviewed_at = None
        if article.reviewer_id and article.reviewed_at:
            article.reviewed_fingerprint = fingerprint(article)
            article.review_current = True
        article.save()

        order = []
        for key in re.findall(
            r"@([a-z0-9_-]+)",
            " ".join(m.group(0) for m in re.finditer(r"\[@[^\]]*\]", article.body)),
        ):
            if key not in order:
                order.append(key)
        references = Reference.objects.in_bulk(order, field_name="key")
        Citation.objects.bulk_create(
            Citation(
                reference=references[key],
                content_type=article_type,
                object_id=article.pk,
                position=n,
            )
            for n, key in enumerate(order, 1)
            if key in references
        )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0006_reviews_and_revisions"),
        ("library", "0001_initial"),
        ("trust", "0004_revisions_keep_related"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
