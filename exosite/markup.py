"""The content pipeline: editors' Markdown in, safe HTML out.

    Markdown source -> HTML -> sanitise (nh3 allowlist) -> [cross-links -> citations
    -> glossary auto-links, added by the content-pipeline work] -> stored HTML

Models call `render_markdown()` when they are saved and store the result; templates only
print it. This module imports no app: apps register with it, never the other way round.
"""

import hashlib
import html as html_lib
import re
from dataclasses import dataclass, field

import markdown
import nh3
from django.core.cache import cache
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from .cache import release


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


# ---------------------------------------------------------------------------------------
# Linking: cross-links -> citations -> glossary auto-links, on the stored (sanitised) HTML.
#
# These steps depend on other content (is the target published? what is in the glossary
# now?), so they are not stored with the item. They run on the stored HTML, never on
# Markdown, and their result is cached under a key made of the fragment's own HTML and the
# version of every registered link source: any change to a term, article or FAQ entry
# (including a scheduled one going live) changes the version, and the next page view
# re-links the fragment. See README "How content is rendered".
# ---------------------------------------------------------------------------------------


# A tag in serialised HTML; quoted attribute values may contain ">".
TAG_RE = re.compile(r"""<(/?)([a-zA-Z][a-zA-Z0-9]*)(?:[^>"']|"[^"]*"|'[^']*')*>""")
VOID_ELEMENTS = frozenset({"br", "hr", "img", "wbr", "col", "source", "input", "meta", "link"})
CROSSLINK_SKIP = frozenset({"a", "code", "pre"})
CITATION_SKIP = frozenset({"a", "code", "pre", "sup", "figcaption"})

CROSSLINK_RE = re.compile(r"\[\[([^\[\]|<>]{1,200}?)(?:\|([^\[\]<>]{1,200}?))?\]\]")
CITATION_RE = re.compile(
    r"\[(\d{1,3}(?:\s*[-–]\s*\d{1,3})?(?:\s*,\s*\d{1,3}(?:\s*[-–]\s*\d{1,3})?)*)\]"
)
CITATION_PART_RE = re.compile(r"(\d{1,3})(?:\s*([-–])\s*(\d{1,3}))?")
MAX_RANGE = 50  # a range wider than this is a typo, not a citation


@dataclass(frozen=True)
class Target:
    """Something a cross-link can point to."""

    key: str  # "kind:slug", e.g. "glossary:dendritic-cell"
    url: str
    title: str


@dataclass
class Rendered:
    html: str
    warnings: list[str] = field(default_factory=list)
    # reference number -> ids of the places in the text that cite it
    citations: dict[int, list[str]] = field(default_factory=dict)
    # keys ("glossary:slug", "article:slug", ...) of everything the fragment links to
    mentions: list[str] = field(default_factory=list)
    broken_links: int = 0
    citation_problems: int = 0


class LinkSource:
    """What an app registers (in AppConfig.ready) so that cross-links can reach its items.

    `kind` is the cross-link prefix ("article", "faq", "glossary"). `scope` is "live"
    (what visitors see now) or "all" (also scheduled items: used to record mentions ahead
    of publication, see exosite.linking).
    """

    kind = ""

    def version(self):
        """Anything that changes whenever a link to this kind could render differently."""
        raise NotImplementedError

    def resolve(self, slugs, scope="live"):
        """{slug: Target} for the published items among `slugs`."""
        raise NotImplementedError


class Glossary(LinkSource):
    """The glossary source also finds terms by name and auto-links them, through an index
    of its published terms (built once per glossary version and reused)."""

    kind = "glossary"

    def index(self, scope="live", version=None):
        """An object with `find(name)` -> Target | None (name or alias, any case) and
        `autolink(html, exclude_keys)` -> (html, [keys linked])."""
        raise NotImplementedError


_sources: dict[str, LinkSource] = {}


def register(source):
    _sources[source.kind] = source


def sources():
    return dict(_sources)


def sources_version(kinds=None):
    """The version of the given link sources (all by default): one query each."""
    kinds = sorted(_sources if kinds is None else set(kinds) & set(_sources))
    return tuple((kind, _sources[kind].version()) for kind in kinds)


def transform_text(html, function, skip):
    """Apply `function` to every text run of `html` outside the `skip` elements."""
    out = []
    depth = 0
    position = 0
    for match in TAG_RE.finditer(html):
        text = html[position : match.start()]
        if text:
            out.append(text if depth else function(text))
        out.append(match.group(0))
        closing, name = match.group(1), match.group(2).lower()
        if name in skip and name not in VOID_ELEMENTS and not match.group(0).endswith("/>"):
            depth += -1 if closing else 1
            depth = max(depth, 0)
        position = match.end()
    tail = html[position:]
    if tail:
        out.append(tail if depth else function(tail))
    return "".join(out)


def _crosslinks(html, rendered, scope, glossary_index):
    """Replace [[...]] with links to published targets; anything else becomes plain text."""
    wanted = {}  # kind -> set of slugs
    for found in CROSSLINK_RE.finditer(html):
        kind, _, slug = html_lib.unescape(found.group(1)).strip().partition(":")
        if slug and kind in _sources:
            wanted.setdefault(kind, set()).add(slug.strip())
    if not wanted and "[[" not in html:
        return html
    resolved = {kind: _sources[kind].resolve(slugs, scope) for kind, slugs in wanted.items()}

    def replace(found):
        written, label = found.group(1).strip(), (found.group(2) or "").strip()
        kind, _, slug = html_lib.unescape(written).partition(":")
        target = None
        if slug and kind in _sources:
            target = resolved[kind].get(slug.strip())
            text = label or (escape(target.title) if target else escape(slug.strip()))
        else:
            index = glossary_index()
            target = index.find(html_lib.unescape(written)) if index else None
            text = label or written
        if target is None:
            rendered.broken_links += 1
            rendered.warnings.append(
                f"The link [[{html_lib.unescape(written)}]] goes nowhere: nothing published "
                "has that name or address. It is shown as plain text until it does."
            )
            return text
        rendered.mentions.append(target.key)
        return format_html('<a class="xref" href="{}">{}</a>', target.url, _safe(text))

    return transform_text(html, lambda text: CROSSLINK_RE.sub(replace, text), CROSSLINK_SKIP)


def _safe(already_escaped):
    return mark_safe(already_escaped)  # text from sanitised HTML: still escaped


def _citations(html, references, rendered):
    """Turn [1], [2, 3], [4–6] into links to the numbered references, and back."""
    counter = iter(range(1, 1_000_000))
    cited = set()

    def numbers(inner):
        """The cited numbers, or [] when a range is backwards or implausibly wide."""
        result = []
        for part in CITATION_PART_RE.finditer(inner):
            first = int(part.group(1))
            last = int(part.group(3) or first)
            if last < first or last - first > MAX_RANGE:
                return []
            result.extend(range(first, last + 1))
        return result

    def replace(found):
        inner = found.group(1)
        wanted = numbers(inner)
        if not wanted:
            return found.group(0)
        missing = [n for n in wanted if n not in references]
        if missing:
            rendered.citation_problems += 1
            rendered.warnings.append(
                f"Citation [{html_lib.unescape(inner)}] refers to "
                f"{', '.join(map(str, missing))}, which is not in the reference list."
            )
            return found.group(0)
        anchor = f"cite-{next(counter)}"
        for number in wanted:
            rendered.citations.setdefault(number, []).append(anchor)
            cited.add(number)

        def link(part):
            return (
                f'<a href="#ref-{int(part.group(0))}"><span class="visually-hidden">'
                f"reference </span>{int(part.group(0))}</a>"
            )

        body = re.sub(r"\d{1,3}", link, inner)
        return f'<sup class="citation" id="{anchor}">[{body}]</sup>'

    html = transform_text(html, lambda text: CITATION_RE.sub(replace, text), CITATION_SKIP)
    for number in sorted(set(references) - cited):
        rendered.citation_problems += 1
        rendered.warnings.append(f"Reference {number} is never cited in the text.")
    return html


FIGURE_RE = re.compile(r"<p>\s*\[\[figure:([A-Za-z0-9_-]{1,60})\]\]\s*</p>")


def _figures(html, figures, rendered):
    """Replace a paragraph holding only [[figure:key]] with that figure's markup."""

    def replace(found):
        key = found.group(1)
        if key in figures:
            return figures[key]
        rendered.broken_links += 1
        rendered.warnings.append(
            f"[[figure:{key}]] names no figure of this article: add it under Figures, or "
            "fix the name. Nothing is shown there until then."
        )
        return ""

    return FIGURE_RE.sub(replace, html)


def link(
    html,
    *,
    figures=None,
    references=None,
    autolink=True,
    self_key=None,
    scope="live",
    indexes=None,
    glossary_version=None,
):
    """Run the linking steps on stored HTML. Costs queries: use `link_cached` in views.

    `indexes` ({scope: glossary index}) shares one glossary index between many calls;
    `glossary_version`, when the caller already has it, saves asking for it again.
    """
    rendered = Rendered(html="")
    glossary = _sources.get("glossary")
    indexes = {} if indexes is None else indexes
    index = None

    def glossary_index():
        nonlocal index
        if index is None and glossary is not None:
            if scope not in indexes:
                indexes[scope] = glossary.index(scope, version=glossary_version)
            index = indexes[scope]
        return index

    if figures is not None:
        html = _figures(html, figures, rendered)
    html = _crosslinks(html, rendered, scope, glossary_index)
    if references is not None:
        html = _citations(html, set(references), rendered)
    if autolink and glossary_index() is not None:
        html, linked = index.autolink(html, exclude_keys=[self_key] if self_key else ())
        rendered.mentions.extend(linked)
    rendered.html = html
    rendered.mentions = list(dict.fromkeys(rendered.mentions))
    return rendered


def fragment_kinds(html):
    """The link sources a fragment's rendering depends on."""
    return None if "[[" in html else {"glossary"}


def link_many(fragments):
    """Link several fragments through the cache: [(html, options), ...] -> [Rendered].

    The cache key is the fragment's HTML, its options and the version of the link sources
    it depends on (the glossary, and every kind when it has cross-links). One version
    query per source kind and one cache round trip for the lot; only fragments missing
    from the cache are linked, then stored.
    """
    versions = {}
    keys = []
    for html, options in fragments:
        kinds = fragment_kinds(html)
        label = "all" if kinds is None else ",".join(sorted(kinds))
        if label not in versions:
            versions[label] = sources_version(kinds)
        digest = hashlib.blake2b(
            repr((html, sorted(options.items()), versions[label], release())).encode(),
            digest_size=16,
        ).hexdigest()
        keys.append(f"markup:{digest}")
    found = cache.get_many(keys)
    missing = {}
    results = []
    indexes = {}
    for key, (html, options) in zip(keys, fragments, strict=True):
        if key not in found:
            found[key] = missing[key] = link(
                html,
                **options,
                indexes=indexes,
                glossary_version=dict(versions[label]).get("glossary"),
            )
        results.append(found[key])
    if missing:
        cache.set_many(missing, timeout=None)
    return results


def link_cached(html, **options):
    return link_many([(html, options)])[0]
