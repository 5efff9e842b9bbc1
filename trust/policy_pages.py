"""The policy pages every installation starts with (editors revise them in the admin).

One Markdown file per page, with TOML front matter (title, slug, summary, position,
in_footer) read by exosite.kernel.frontmatter: the English pages in trust/pages/, each
other language's in trust/pages/<code>/ (trust/pages/es/), where a page may name the
English page it translates (`translation_of`, that page's slug). A page is known by its
language and slug: slugs are unique within a language only. Written for this project as
it is: an independent, evidence-based reference run by its editors, with no advertising
and no sponsors. The privacy page describes exactly what the code keeps and for how long
(faq and trust apps, exosite.kernel.ratelimit).
"""

from pathlib import Path

from django.utils import timezone

from exosite.kernel import frontmatter, languages
from exosite.kernel.markdown import render_markdown

PAGES_DIR = Path(__file__).resolve().parent / "pages"
FIELDS = ("title", "slug", "summary", "position", "in_footer")
# A page in another language than the source's may also name the page it translates.
TRANSLATION_FIELDS = ("translation_of",)


def policy_pages(directory=PAGES_DIR, language=languages.SOURCE):
    """The fields of the pages in `language` (the body included, and the language), in
    footer order: the files of `directory` for the source language, of its folder named
    by the language's code for another (none when there is no such folder)."""
    folder = directory if language == languages.SOURCE else directory / language
    allowed = FIELDS if language == languages.SOURCE else (*FIELDS, *TRANSLATION_FIELDS)
    pages = []
    for path in sorted(folder.glob("*.md")):
        metadata, body = frontmatter.read(path)
        missing = [name for name in FIELDS if name not in metadata]
        unknown = sorted(set(metadata) - set(allowed))
        if missing or unknown:
            raise frontmatter.FrontMatterError(
                path,
                None,
                f"front matter: missing {missing}, unknown {unknown}; it holds {allowed}",
            )
        if metadata["slug"] != path.stem:
            raise frontmatter.FrontMatterError(
                path, None, f"the slug {metadata['slug']!r} differs from the file name"
            )
        pages.append({**metadata, "language": language, "body": body})
    return sorted(pages, key=lambda page: page["position"])


def all_policy_pages(directory=PAGES_DIR):
    """The pages of every language, the source language's first (a translation names one
    of them); a translation of a page that has no file is refused, naming the file."""
    codes = [languages.SOURCE, *languages.others(languages.SOURCE)]
    pages = [page for code in codes for page in policy_pages(directory, code)]
    sources = {page["slug"] for page in pages if page["language"] == languages.SOURCE}
    for page in pages:
        source = page.get("translation_of")
        if source is not None and source not in sources:
            path = directory / page["language"] / f"{page['slug']}.md"
            raise frontmatter.FrontMatterError(
                path,
                None,
                f"translation_of: {source!r} is not the slug of a page in {directory}",
            )
    return pages


def ensure_policy_pages(Page, directory=None):
    """Create any policy page that is missing, in every language, each known by its
    language and slug (never touches an existing one); a translation points at its
    English page when that exists. `directory` holds the files (PAGES_DIR)."""
    directory = directory or PAGES_DIR
    now = timezone.now()
    # Only the fields the model has (a migration passes its historical model, which may
    # predate a front-matter key added to the files later, or the pages' languages).
    fields = {field.name for field in Page._meta.get_fields()}
    in_languages = "language" in fields
    pages = all_policy_pages(directory) if in_languages else policy_pages(directory)
    for data in pages:
        key = {"slug": data["slug"]}
        if in_languages:
            key["language"] = data["language"]
        if Page.objects.filter(**key).exists():
            continue
        values = {
            name: value
            for name, value in data.items()
            if name in fields and name not in TRANSLATION_FIELDS
        }
        if in_languages and data.get("translation_of"):
            values["translation_of"] = Page.objects.filter(
                language=languages.SOURCE, slug=data["translation_of"]
            ).first()
        Page.objects.create(
            **values,
            body_html=render_markdown(data["body"]),
            status="published",
            published_at=now,
        )


def ensure_policy_pages_after_migrate(sender, **kwargs):
    from trust.models import Page

    ensure_policy_pages(Page)
