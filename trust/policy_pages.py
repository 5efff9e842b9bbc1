"""The policy pages every installation starts with (editors revise them in the admin).

One Markdown file per page in trust/pages/, with TOML front matter (title, slug, summary,
position, in_footer) read by exosite.kernel.frontmatter. Written for this project as it
is: an independent, evidence-based reference run by its editors, with no advertising and
no sponsors. The privacy page describes exactly what the code keeps and for how long (faq
and trust apps, exosite.kernel.ratelimit).
"""

from pathlib import Path

from django.utils import timezone

from exosite.kernel import frontmatter
from exosite.kernel.markdown import render_markdown

PAGES_DIR = Path(__file__).resolve().parent / "pages"
FIELDS = ("title", "slug", "summary", "position", "in_footer")


def policy_pages(directory=PAGES_DIR):
    """The pages' fields (the body included), in footer order."""
    pages = []
    for path in sorted(directory.glob("*.md")):
        metadata, body = frontmatter.read(path)
        missing = [name for name in FIELDS if name not in metadata]
        unknown = sorted(set(metadata) - set(FIELDS))
        if missing or unknown:
            raise frontmatter.FrontMatterError(
                path, None, f"front matter: missing {missing}, unknown {unknown}; it holds {FIELDS}"
            )
        if metadata["slug"] != path.stem:
            raise frontmatter.FrontMatterError(
                path, None, f"the slug {metadata['slug']!r} differs from the file name"
            )
        pages.append({**metadata, "body": body})
    return sorted(pages, key=lambda page: page["position"])


def ensure_policy_pages(Page):
    """Create any policy page that is missing (never touches an existing one)."""
    now = timezone.now()
    # Only the fields the model has (a migration passes its historical model, which may
    # predate a front-matter key added to the files later).
    fields = {field.name for field in Page._meta.get_fields()}
    for data in policy_pages():
        if Page.objects.filter(slug=data["slug"]).exists():
            continue
        Page.objects.create(
            **{name: value for name, value in data.items() if name in fields},
            body_html=render_markdown(data["body"]),
            status="published",
            published_at=now,
        )


def ensure_policy_pages_after_migrate(sender, **kwargs):
    from trust.models import Page

    ensure_policy_pages(Page)
