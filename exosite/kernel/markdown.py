"""Stage one of the content pipeline: editors' Markdown in, safe HTML out.

    Markdown source -> limits -> HTML -> sanitise (nh3 allowlist) -> stored HTML

Models call `render_markdown()` when they are saved and store the result; the admin's
previews and forms, imports and the demo content call the same function. Stage two
(`exosite.kernel.linking`: cross-links, citations, figures, glossary auto-links) runs on
the stored HTML. This module imports nothing of the project, only Python-Markdown and nh3.

Bounded work for any text (`BoundedWorkExtension`, measured by bench/render.py).
Python-Markdown looked for the closing bracket of every "[" (and the closing parenthesis
of every link address) by reading on to the end of the text, so runs of "[", "[[", "![",
"[a" or "*[" took time growing with the square of their length (54 s for 8,000
characters). Here the link and image patterns find each bracket's partner in one pass
(`_Brackets`); the same kind of rereading is bounded for footnote marks ("[^"), headings
underlined in a long block ("=\n"), and raw HTML tags that never close ("<a <a ..."),
each noted where it is done. On top of that, limits refused with a message for the editor
(`MarkdownLimitError`, shown next to the field in the admin and in the live preview):

- `MAX_MARKDOWN_CHARS`: the size of one field;
- `MAX_NESTING`: how deeply lists and quotations nest (Python-Markdown parses nesting by
  recursion, and 300 nested lists exhausted Python's stack);
- `MAX_ABBREVIATIONS`: abbreviation definitions, each tried at every word;
- `RENDER_SECONDS`: a time budget for whatever is still slow. Threads cannot be
  interrupted from outside (signals only reach the main thread), so the render checks
  the clock itself: every block, inline match and raw HTML piece passes `checkpoint()`,
  which ends a render over budget. A single regular-expression search cannot be
  interrupted, which is why the searches above are bounded rather than only timed.
"""

import functools
import re
import threading
import time
from bisect import bisect_left
from xml.etree import ElementTree

import markdown
import nh3
from markdown.extensions import Extension
from markdown.extensions.footnotes import FootnoteInlineProcessor
from markdown.extensions.md_in_html import HtmlBlockPreprocessor, HTMLExtractorExtra
from markdown.htmlparser import htmlparser
from markdown.inlinepatterns import (
    ImageInlineProcessor,
    ImageReferenceInlineProcessor,
    LinkInlineProcessor,
    ReferenceInlineProcessor,
    ShortImageReferenceInlineProcessor,
    ShortReferenceInlineProcessor,
)
from markdown.treeprocessors import Treeprocessor

# A long article is 40,000 characters; this is two and a half of them.
MAX_MARKDOWN_CHARS = 100_000
# Lists in lists and quotations in quotations; real text rarely goes past 4.
MAX_NESTING = 24
# Longest render allowed: the slowest text of the largest size takes about a second (six
# on a busy 2-core machine; see bench/render.py).
RENDER_SECONDS = 10.0
# A link's address and title, together; longer is not a link (it stays text).
MAX_LINK_TARGET = 2_000
# Characters read one by one for links with quotes, per render (see _LinearLinks).
QUOTED_LINK_READING = 2 * MAX_MARKDOWN_CHARS
# Abbreviation definitions ("*[HTML]: ..."): each is tried at every word of the text.
MAX_ABBREVIATIONS = 200
# A raw HTML start tag with its attributes; longer is text.
MAX_TAG_CHARS = 1_000
# A start tag that stops before one of these has not ended (upstream's html.parser).
STARTTAG_INCOMPLETE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ=/")
# A footnote's name ("[^name]"); unbounded, a run of "[^" took quadratic time in one
# regular-expression search, which no checkpoint can interrupt.
FOOTNOTE_RE = r"\[\^([^\]]{1,100})\]"


class MarkdownLimitError(ValueError):
    """Text that is too large, too deeply nested or too slow to render; the message is
    written for the editor."""


class _DemoteH1(Treeprocessor):
    def run(self, root):
        for element in root.iter("h1"):
            element.tag = "h2"


class DemoteH1Extension(Extension):
    """The page title is the only <h1>: a "#" heading in a body becomes an <h2>."""

    def extendMarkdown(self, md):
        # Before "toc" (priority 5) so the heading ids are made for the final levels.
        md.treeprocessors.register(_DemoteH1(md), "demote_h1", 30)


class _Brackets:
    """Where each "[" and "(" of a text closes, found in one pass over the text.

    Python-Markdown's link patterns ask, for each "[", where its "]" is (and for each
    link, where its ")" is), and found out by reading on, to the end of the text when
    there was none. Pairing them once with a stack gives the same answers: the partner
    of an opening bracket depends only on the text after it. The text changes each time
    a pattern matches (the match becomes a placeholder), always before the position
    asked about next, so the pairs found for the rest of the text are kept, shifted,
    while that rest is unchanged.
    """

    TOKENS = re.compile(r"""[\[\]()'"]""")

    def __init__(self):
        self.text = None
        self.valid_from = 0  # in the current text's positions
        self.shift = 0  # current position - position when the pairs were found
        self.closes = {}  # opening bracket's end -> closing bracket's end
        self.quotes = []  # positions of quote characters, ascending
        self.reading_left = QUOTED_LINK_READING

    def _locate(self, data, position):
        """Make the pairs valid for `data` from `position` on."""
        if data is self.text and position >= self.valid_from:
            return
        if self.text is not None:
            delta = len(data) - len(self.text)
            before = position - delta
            if before >= self.valid_from and data[position:] == self.text[before:]:
                self.text, self.valid_from, self.shift = data, position, self.shift + delta
                return
        self.text, self.valid_from, self.shift = data, position, 0
        self.closes, self.quotes = {}, []
        open_square, open_round = [], []
        for found in self.TOKENS.finditer(data, position):
            char, end = found.group(), found.end()
            if char == "[":
                open_square.append(end)
            elif char == "(":
                open_round.append(end)
            elif char == "]":
                if open_square:
                    self.closes[open_square.pop()] = end
            elif char == ")":
                if open_round:
                    self.closes[open_round.pop()] = end
            else:
                self.quotes.append(found.start())

    def closing(self, data, after_opening):
        """The end of the bracket closing the one that ends at `after_opening`, or None."""
        self._locate(data, after_opening - 1)
        end = self.closes.get(after_opening - self.shift)
        return None if end is None else end + self.shift

    def quote_before(self, data, start, end):
        """Whether a quote character lies in data[start:end]."""
        self._locate(data, start)
        at = bisect_left(self.quotes, start - self.shift)
        return at < len(self.quotes) and self.quotes[at] + self.shift < end


class _LinearLinks:
    """Python-Markdown's link and image patterns, with their bracket search in linear time.

    Same results as upstream on every link shorter than `MAX_LINK_TARGET`, except that
    an unclosed title no longer swallows the rest of the paragraph into a link address.
    """

    brackets = None  # a _Brackets shared by the patterns of one render

    def getText(self, data, index):
        checkpoint()
        end = self.brackets.closing(data, index)
        if end is None:
            return "", len(data), False
        return data[index : end - 1], end, True

    def getLink(self, data, index):
        checkpoint()
        found = self.RE_LINK.match(data, pos=index)
        if found is None or found.group(1):
            return super().getLink(data, index)  # "<address>": a regular expression
        start = found.end()
        end = self.brackets.closing(data, index + 1)
        if not self.brackets.quote_before(data, start, len(data) if end is None else end):
            # No title: the address runs to the matching ")" (or there is no link).
            if end is None or end - start > MAX_LINK_TARGET:
                return "", None, index, False
            return self.unescape(data[start : end - 1]).strip(), None, end, True
        # A quote (a title?): upstream's own reading, character by character, over at
        # most MAX_LINK_TARGET characters, and QUOTED_LINK_READING in all: a title that
        # never closes is read to the end of its window, and thousands of those would
        # each read theirs. Past the allowance such links stay text.
        if self.brackets.reading_left <= 0:
            return "", None, index, False
        window = data[index : index + MAX_LINK_TARGET]
        href, title, end, handled = super().getLink(window, 0)
        handled = handled and end > 0  # upstream's end -1 took the rest of the text
        self.brackets.reading_left -= end if handled else len(window)
        if not handled:
            return "", None, index, False
        return href, title, index + end, True


# Python-Markdown's names and priorities for the patterns that look for brackets.
LINK_PATTERNS = {
    name: (type(f"Linear{upstream.__name__}", (_LinearLinks, upstream), {}), priority)
    for name, upstream, priority in (
        ("reference", ReferenceInlineProcessor, 170),
        ("link", LinkInlineProcessor, 160),
        ("image_link", ImageInlineProcessor, 150),
        ("image_reference", ImageReferenceInlineProcessor, 140),
        ("short_reference", ShortReferenceInlineProcessor, 130),
        ("short_image_ref", ShortImageReferenceInlineProcessor, 125),
    )
}


class _TimedHtmlExtractor(HTMLExtractorExtra):
    """The raw-HTML finder, with a start tag read over at most MAX_TAG_CHARS characters
    and a checkpoint at each piece it reports. Python's HTML parser (before 3.13.5, see
    CVE-2025-6069) read a start tag's attributes on to the end of the text for each "<"
    of a tag that never closes: "<a <a <a ..." took 82 s for 40,000 characters."""

    def check_for_whole_start_tag(self, i):
        # Upstream's, on a window: a tag that does not end within it is text.
        checkpoint()
        window = min(len(self.rawdata), i + MAX_TAG_CHARS)
        found = htmlparser.locatestarttagend_tolerant.match(self.rawdata, i, window)
        j = found.end()
        following = self.rawdata[j : j + 1] if j < window else ""
        if following == ">":
            return j + 1
        if following == "/":
            if self.rawdata.startswith("/>", j):
                return j + 2
            return j if j > i else i + 1
        if following == "" or following in STARTTAG_INCOMPLETE:
            return -1
        return j if j > i else i + 1

    def handle_data(self, data):
        checkpoint()
        super().handle_data(data)

    def handle_starttag(self, tag, attrs):
        checkpoint()
        super().handle_starttag(tag, attrs)


class _TimedHtmlBlockPreprocessor(HtmlBlockPreprocessor):
    def run(self, lines):  # upstream's, with the timed extractor
        parser = _TimedHtmlExtractor(self.md)
        parser.feed("\n".join(lines))
        parser.close()
        return "".join(parser.cleandoc).split("\n")


class BoundedWorkExtension(Extension):
    """Linear link patterns, bounded footnote names and table detection, and a clock
    checked by every block, inline match and raw HTML piece. Registered last."""

    def extendMarkdown(self, md):
        brackets = _Brackets()
        for name, (linear, priority) in LINK_PATTERNS.items():
            processor = linear(md.inlinePatterns[name].pattern, md)
            processor.brackets = brackets
            md.inlinePatterns.register(processor, name, priority)
        footnotes = md.inlinePatterns["footnote"].footnotes
        md.inlinePatterns.register(FootnoteInlineProcessor(FOOTNOTE_RE, footnotes), "footnote", 175)
        md.preprocessors.register(_TimedHtmlBlockPreprocessor(md), "html_block", 20)
        table = md.parser.blockprocessors["table"]
        table.test = _table_test(table.test)
        hashheader = md.parser.blockprocessors["hashheader"]
        hashheader.test = _hash_header_test(hashheader.RE)
        setext = md.parser.blockprocessors["setextheader"]
        setext.run = _setext_run(setext)


def _table_test(upstream):
    """Tables' test splits the whole block into rows, and a block of many lines is tested
    again after each heading taken from its start ("=\n" repeated: quadratic). A first
    line without "|" is never a table's header, so that is answered at once."""

    def test(parent, block):
        newline = block.find("\n")
        if newline < 0 or "|" not in block[:newline]:
            return False
        return upstream(parent, block)

    return test


# A block of many lines is tested again by every block processor after each heading taken
# from its start. Upstream's tests below read (or split) the whole rest of the block each
# time ("=\n" repeated: quadratic); these give the same answers reading only what they need.


def _hash_header_test(pattern):
    """A "#" heading anywhere in the block: look only from the first "#" on."""

    def test(parent, block):
        first = block.find("#")
        if first < 0:
            return False
        return pattern.search(block, max(block.rfind("\n", 0, first), 0)) is not None

    return test


def _setext_run(processor):
    """A heading underlined with "=" or "-": split off its two lines, not every line."""

    def run(parent, blocks):
        title, underline, *rest = blocks.pop(0).split("\n", 2)
        level = 1 if underline.startswith("=") else 2
        heading = ElementTree.SubElement(parent, f"h{level}")
        heading.text = title.strip()
        if rest:
            blocks.insert(0, rest[0])

    return run


def _timed(method):
    @functools.wraps(method)
    def timed(*args, **kwargs):
        checkpoint()
        return method(*args, **kwargs)

    return timed


_clock = threading.local()


def checkpoint():
    """End the render in this thread when it has used its time budget."""
    deadline = getattr(_clock, "deadline", None)
    if deadline is not None and time.monotonic() > deadline:
        raise MarkdownLimitError(
            f"This text took more than {RENDER_SECONDS:g} seconds to format, so it was "
            "stopped. Look for long runs of brackets, asterisks or nested lists, or split "
            "the text."
        )


# Python-Markdown extensions, configured here and nowhere else.
MARKDOWN_EXTENSIONS = [
    "markdown.extensions.extra",  # tables, footnotes, fenced code, attr lists, abbr, def lists
    "markdown.extensions.sane_lists",
    "markdown.extensions.toc",
    DemoteH1Extension(),
    BoundedWorkExtension(),
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


# The list and quotation markers at the start of a line, with their indentation.
LINE_PREFIX_RE = re.compile(r"^(?:[ \t>]|(?:[-*+]|\d{1,9}[.)])(?=[ \t]))*", re.MULTILINE)


ABBREVIATION_RE = re.compile(r"^[ ]{0,3}\*\[", re.MULTILINE)


def check_limits(source):
    """Refuse text that is too large or nested too deeply (cheap: no rendering)."""
    if len(source) > MAX_MARKDOWN_CHARS:
        raise MarkdownLimitError(
            f"This text has {len(source):,} characters; at most {MAX_MARKDOWN_CHARS:,} are "
            "allowed. Split it into two, or shorten it."
        )
    abbreviations = len(ABBREVIATION_RE.findall(source))
    if abbreviations > MAX_ABBREVIATIONS:
        raise MarkdownLimitError(
            f"This text defines {abbreviations:,} abbreviations (lines starting with “*[”); "
            f"at most {MAX_ABBREVIATIONS} are allowed."
        )
    # One match per line. Each marker counts a level, and so do four spaces of indent
    # (less the one space after each marker).
    for line, found in enumerate(LINE_PREFIX_RE.finditer(source), start=1):
        prefix = found.group()
        if len(prefix) <= MAX_NESTING:
            continue  # levels <= characters
        spaces = prefix.expandtabs(4).count(" ")
        markers = len(prefix.replace("\t", "").replace(" ", ""))
        if not markers:
            continue  # indentation alone is code or a continuation line, never nesting
        levels = markers + max(spaces - markers, 0) // 4
        if levels > MAX_NESTING:
            raise MarkdownLimitError(
                f"Line {line:,} is nested too deeply (lists or quotations more than "
                f"{MAX_NESTING} levels inside each other, or indented by more than "
                f"{MAX_NESTING * 4} spaces). Flatten it."
            )


@functools.lru_cache(maxsize=16)  # the admin's form check and the save render once
def render_markdown(source):
    """Editors' Markdown as sanitised HTML, ready to store.

    Raises `MarkdownLimitError` (a ValueError) for text over the limits or the time
    budget; `PublishableForm` shows it next to the field before anything is saved.
    """
    if not source:
        return ""
    check_limits(source)
    md = markdown.Markdown(
        extensions=MARKDOWN_EXTENSIONS,
        extension_configs=MARKDOWN_EXTENSION_CONFIGS,
        output_format="html",
    )
    for processor in md.parser.blockprocessors:
        processor.run = _timed(processor.run)
    for pattern in md.inlinePatterns:
        pattern.handleMatch = _timed(pattern.handleMatch)
    _clock.deadline = time.monotonic() + RENDER_SECONDS
    try:
        html = md.convert(source)
    except RecursionError:
        raise MarkdownLimitError(
            "This text is nested too deeply to format. Flatten its lists or quotations."
        ) from None
    finally:
        _clock.deadline = None
    return sanitize(html)
