"""Stage one of the content pipeline: editors' Markdown in, safe HTML out.

    Markdown source -> HTML -> sanitise (nh3 allowlist) -> stored HTML

Models call `render_markdown()` when they are saved and store the result. Stage two
(`exosite.kernel.linking`: cross-links, citations, figures, glossary auto-links) runs on
the stored HTML. This module imports nothing of the project, only Python-Markdown and nh3.
"""

import markdown
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor


class _DemoteH1(Treeprocessor):
    def run(self, root):
        for element in root.iter("h1"):
            element.tag = "h2"


class DemoteH1Extension(Extension):
    """The page title is the only <h1>: a "#" heading in a body becomes an <h2>."""

    def extendMarkdown(self, md):
        # Before "toc" (priority 5) so the heading ids are made for the final levels.
        md.treeprocessors.register(_DemoteH1(md), "demote_h1", 30)


# Python-Markdown extensions, configured here and nowhere else.
MARKDOWN_EXTENSIONS = [
    "markdown.extensions.extra",  # tables, footnotes, fenced code, attr lists, abbr, def lists
    "markdown.extensions.sane_lists",
    "markdown.extensions.toc",
    DemoteH1Extension(),
]
MARKDOWN_EXTENSION_CONFIGS = {
    "markdown.extensions.toc": {"toc_depth": "2-6"},
    "markdown.extensions.footnotes": {"BACKLINK_TITLE": "Back to reference %d"},
}

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em",
    "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "img", "ins", "kbd",
    "li", "mark", "ol", "p", "pre", "s", "small", "strong", "sub", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
# Only what the Markdown features above produce. No style attributes (the CSP forbids
# them) and no event handlers; ids only where Markdown sets them (headings, footnotes).
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height", "loading"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "h5": {"id"},
    "h6": {"id"},
    "li": {"id"},
    "sup": {"id"},
    "ol": {"start"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
ALLOWED_CLASSES = {
    "a": {"footnote-ref", "footnote-backref"},
    "div": {"footnote"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def sanitize(html):
    """Keep only the allowlisted tags, attributes and URL schemes."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )


def render_markdown(source):
    """Editors' Markdown as sanitised HTML, ready to store."""
    if not source:
        return ""
    html = markdown.markdown(
        source,
        extensions=MARKDOWN_EXTENSIONS,
        extension_configs=MARKDOWN_EXTENSION_CONFIGS,
        output_format="html",
    )
    return sanitize(html)
