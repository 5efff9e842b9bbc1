"""Stage two of the content pipeline: links, on the stored (sanitised) HTML.

    stored HTML -> figures -> cross-links -> citations -> glossary auto-links -> page

These steps depend on other content (is the target published? what is in the glossary
now?), so they are not stored with the item. They run on the stored HTML, never on
Markdown, and their result is cached under a key made of the fragment's own HTML and the
link version of every content kind it can reach (`exosite.kernel.kinds`): any change to a
term, article or FAQ entry (including a scheduled one going live) changes the version,
and the next page view re-links the fragment. See ARCHITECTURE.md.

Cross-links reach every registered kind by its name (`[[article:slug]]`,
`[[faq:slug|label]]`); `[[Name]]` and auto-links reach the kind that `names_terms` (the
glossary). A link to something missing or unpublished renders as plain text and is
reported as a warning; a link to a scheduled item is reported as such when mentions are
recorded (scope "all"), and links by itself when the item goes live.
"""

import hashlib
import html as html_lib
import re
from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from . import citations, kinds, languages
from .kinds import Target
from .release import release

__all__ = ["Rendered", "Target", "link", "link_cached", "link_many", "rendered"]

# A tag in serialised HTML; quoted attribute values may contain ">".
TAG_RE = re.compile(r"""<(/?)([a-zA-Z][a-zA-Z0-9]*)(?:[^>"']|"[^"]*"|'[^']*')*>""")
VOID_ELEMENTS = frozenset({"br", "hr", "img", "wbr", "col", "source", "input", "meta", "link"})
CROSSLINK_SKIP = frozenset({"a", "code", "pre"})
CITATION_SKIP = frozenset({"a", "code", "pre", "sup", "figcaption"})

# A citation with the spaces typed before it (group 1), its keys in group 2. The look-behind
# starts the spaces only where a run of them starts: linear, however many there are.
CITE_SPACED_RE = re.compile(r"(?<![ \t\r\n])([ \t\r\n]*)" + citations.CITE_RE.pattern)
CROSSLINK_RE = re.compile(r"\[\[([^\[\]|<>]{1,200}?)(?:\|([^\[\]<>]{1,200}?))?\]\]")
# Warnings kept per fragment: each is shown to the editor as a message and stored with the
# item, and text at the size limit can hold 30,000 broken links or citations.
MAX_WARNINGS = 50
MAX_COUNT = 32_767  # what the stored problem counters (small integers) can hold


@dataclass
class Rendered:
    html: str
    warnings: list[str] = field(default_factory=list)
    # reference number -> ids of the places in the text that cite it
    citations: dict[int, list[str]] = field(default_factory=dict)
    # the references cited (exosite.kernel.citations.Cited), numbered 1, 2 ... in order
    references: list = field(default_factory=list)
    # keys ("glossary:slug", "article:slug", ...) of everything the fragment links to
    mentions: list[str] = field(default_factory=list)
    broken_links: int = 0
    citation_problems: int = 0


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


def _crosslinks(html, rendered, scope, glossary_index, language):
    """Replace [[...]] with links to published targets; anything else becomes plain text."""
    known = set(kinds.names())
    wanted = {}  # kind -> set of slugs
    for found in CROSSLINK_RE.finditer(html):
        kind, _, slug = html_lib.unescape(found.group(1)).strip().partition(":")
        if slug and kind in known:
            wanted.setdefault(kind, set()).add(slug.strip())
    if not wanted and "[[" not in html:
        return html
    resolved = {
        kind: kinds.get(kind).resolve(slugs, scope, language) for kind, slugs in wanted.items()
    }

    def replace(found):
        written, label = found.group(1).strip(), (found.group(2) or "").strip()
        kind, _, slug = html_lib.unescape(written).partition(":")
        target = None
        if slug and kind in known:
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
        if not target.live:
            rendered.warnings.append(
                f"The link [[{html_lib.unescape(written)}]] points to “{target.title}”, which "
                "is scheduled and not live yet: it is shown as plain text until it goes live, "
                "then links by itself."
            )
            return text
        return format_html('<a class="xref" href="{}">{}</a>', target.url, _safe(text))

    return transform_text(html, lambda text: CROSSLINK_RE.sub(replace, text), CROSSLINK_SKIP)


def _safe(already_escaped):
    return mark_safe(already_escaped)  # text from sanitised HTML: still escaped


def _citations(html, rendered, resolved=None):
    """Turn [@key], [@a; @b] into numbered links to the item's references, numbered by
    first citation (exosite.kernel.citations). `resolved` ({normal key: Cited}), when
    the caller has looked the keys up already, saves the query."""
    matches = []
    transform_text(
        html, lambda text: matches.extend(citations.CITE_RE.finditer(text)) or text, CITATION_SKIP
    )
    wanted = {
        citations.normal(key) for found in matches for key in citations.written_keys(found.group(1))
    }
    if resolved is None:
        known = citations.resolve(wanted)
    else:
        known = {key: resolved[key] for key in wanted if key in resolved}
    numbers = {}  # reference pk -> its number
    counter = iter(range(1, 1_000_000))

    def replace(found):
        inner = found.group(2)
        written = citations.written_keys(inner)
        missing = [key for key in written if citations.normal(key) not in known]
        if missing:
            rendered.citation_problems += 1
            rendered.warnings.append(
                f"The citation [{html_lib.unescape(inner)}] names "
                f"{', '.join('@' + html_lib.unescape(key) for key in missing)}, which is not in "
                "the reference library: add it there (paste its DOI), or fix the key."
            )
            return found.group(0)
        anchor = f"cite-{next(counter)}"
        cited = []
        for key in written:
            reference = known[citations.normal(key)]
            if reference.pk not in numbers:
                numbers[reference.pk] = len(numbers) + 1
                rendered.references.append(reference)
            number = numbers[reference.pk]
            if number not in cited:
                cited.append(number)
                rendered.citations.setdefault(number, []).append(anchor)
        parts = []
        for first, last in citations.numbers_text(sorted(cited)):
            if last is None:
                parts.append(_citation_link(first, reference_name(first)))
            else:
                parts.append(
                    _citation_link(
                        first,
                        gettext("References %(first)s to %(last)s")
                        % {"first": first, "last": last},
                    )
                    + "–"
                    + _citation_link(last, reference_name(last))
                )
        # The space typed before a citation becomes a no-break space: the citation stays
        # with the word it supports instead of starting a line on its own.
        glue = "&nbsp;" if found.group(1) else ""
        return f'{glue}<sup class="citation" id="{anchor}">[{", ".join(parts)}]</sup>'

    def numbered(found):
        rendered.citation_problems += 1
        rendered.warnings.append(
            f"[{html_lib.unescape(found.group(1))}] looks like a numbered citation: cite "
            "references from the library by key instead, e.g. [@welsh2024] (the page numbers "
            "them for you)."
        )
        return found.group(0)

    def loose(found):
        if not citations.CITE_RE.fullmatch(found.group(0)):
            rendered.citation_problems += 1
            rendered.warnings.append(
                f"{html_lib.unescape(found.group(0))} is not a citation the site can read: "
                "inside the brackets put only keys, each with its @, separated by "
                "semicolons, e.g. [@welsh2024] or [@welsh2024; @thery2018]."
            )
        return found.group(0)

    def replace_all(text):
        citations.LOOSE_RE.sub(loose, text)
        return citations.NUMBERED_RE.sub(numbered, CITE_SPACED_RE.sub(replace, text))

    return transform_text(html, replace_all, CITATION_SKIP)


def reference_name(number):
    return gettext("Reference %(number)s") % {"number": number}


def _citation_link(number, name):
    # A name a screen reader says well ("Reference 2", not "2"), given by aria-label so
    # that copied text stays "[2, 3]"; the visible number is part of it (WCAG 2.5.3).
    return f'<a href="#ref-{number}" aria-label="{name}">{number}</a>'


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
    cites=False,
    autolink=True,
    self_key=None,
    scope="live",
    indexes=None,
    glossary_version=None,
    resolved=None,
    language=languages.SOURCE,
):
    """Run the linking steps on stored HTML. Costs queries: use `link_cached` in views.

    Links go to items in `language`, the linked item's own: a Spanish article links
    Spanish terms and Spanish pages; references are shared by every language.
    `indexes` ({(scope, language): glossary index}) shares glossary indexes between many
    calls; `glossary_version`, when the caller already has it, saves asking for it again;
    `resolved` ({normal key: Cited}) holds citation keys already looked up.
    """
    rendered = Rendered(html="")
    glossary = kinds.glossary()
    indexes = {} if indexes is None else indexes
    index = None

    def glossary_index():
        nonlocal index
        if index is None and glossary is not None:
            if (scope, language) not in indexes:
                indexes[scope, language] = glossary.index(
                    scope, version=glossary_version, language=language
                )
            index = indexes[scope, language]
        return index

    if figures is not None:
        html = _figures(html, figures, rendered)
    html = _crosslinks(html, rendered, scope, glossary_index, language)
    if cites:
        # The citations' names for screen readers ("Reference 2") in the page's language.
        with languages.active(language):
            html = _citations(html, rendered, resolved)
    if autolink and glossary_index() is not None:
        html, linked = index.autolink(html, exclude_keys=[self_key] if self_key else ())
        rendered.mentions.extend(linked)
    rendered.html = html
    rendered.mentions = list(dict.fromkeys(rendered.mentions))
    if len(rendered.warnings) > MAX_WARNINGS:
        more = len(rendered.warnings) - MAX_WARNINGS
        rendered.warnings = [
            *rendered.warnings[:MAX_WARNINGS],
            f"… and {more:,} more problems with links or citations.",
        ]
    rendered.broken_links = min(rendered.broken_links, MAX_COUNT)
    rendered.citation_problems = min(rendered.citation_problems, MAX_COUNT)
    return rendered


def fragment_kinds(html):
    """The kinds a fragment's rendering depends on (None: all of them)."""
    if "[[" in html:
        return None
    glossary = kinds.glossary()
    return {glossary.name} if glossary else set()


def link_many(fragments):
    """Link several fragments through the cache: [(html, options), ...] -> [Rendered].

    The cache key is the fragment's HTML, its options and the link version of the kinds
    it depends on (the glossary, and every kind when it has cross-links). One version
    query per kind and one cache round trip for the lot; only fragments missing
    from the cache are linked, then stored.
    """
    versions = {}
    keys, labels = [], []
    for html, options in fragments:
        needed = fragment_kinds(html)
        label = "all" if needed is None else ",".join(sorted(needed))
        if label not in versions:
            versions[label] = kinds.versions_of(needed)
        labels.append(label)
        library = ""
        if options.get("cites") and "[@" in html:
            if "library" not in versions:
                versions["library"] = citations.version()
            library = versions["library"]
        digest = hashlib.blake2b(
            repr((html, sorted(options.items()), versions[label], library, release())).encode(),
            digest_size=16,
        ).hexdigest()
        keys.append(f"markup:{digest}")
    found = cache.get_many(keys)
    missing = {}
    results = []
    indexes = {}
    glossary = kinds.glossary()
    resolved = _resolve_all(
        html
        for key, (html, options) in zip(keys, fragments, strict=True)
        if key not in found and options.get("cites")
    )
    for key, label, (html, options) in zip(keys, labels, fragments, strict=True):
        if key not in found:
            found[key] = missing[key] = link(
                html,
                **options,
                indexes=indexes,
                glossary_version=dict(versions[label]).get(glossary.name) if glossary else None,
                resolved=resolved,
            )
        results.append(found[key])
    if missing:
        cache.set_many(missing, timeout=None)
    return results


def _resolve_all(fragments):
    """{normal key: Cited} for every key the fragments cite: one query for a page of them
    (one per 500 keys)."""
    wanted = list(dict.fromkeys(key for html in fragments for key in citations.keys_in(html)))
    resolved = {}
    for start in range(0, len(wanted), 500):
        resolved.update(citations.resolve(wanted[start : start + 500]))
    return resolved


def link_cached(html, **options):
    return link_many([(html, options)])[0]


def options_for(obj):
    """The linking options for `obj`'s own HTML: its kind's, and never a link to itself."""
    kind = kinds.of(obj)
    options = {"self_key": kind.key(obj), **kind.link_options(obj)}
    language = getattr(obj, "language", languages.SOURCE)
    if language != languages.SOURCE:  # English keeps its cache keys
        options["language"] = language
    if kind.cites:
        options["cites"] = True
    return options


def rendered(obj):
    """`obj`'s stored HTML, linked for visitors (through the cache)."""
    return link_cached(getattr(obj, kinds.of(obj).html_field), **options_for(obj))
