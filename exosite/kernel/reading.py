"""Reading aids worked out from a page's rendered HTML: its sections, for a table of
contents, and the time it takes to read."""

import html
import math
import re

# The pipeline gives every heading an id (Markdown's "toc" extension; kept by the sanitiser).
H2_RE = re.compile(r'<h2 id="([^"]+)"[^>]*>(.*?)</h2>', re.S)
TAG_RE = re.compile(r"<[^>]+>")
# Words a minute for reading on screen: adults read 200-250 words a minute; health text,
# read carefully, at the slower end.
WORDS_PER_MINUTE = 200
# A table of contents helps from three sections on.
MIN_SECTIONS = 3


def text_of(fragment):
    return html.unescape(TAG_RE.sub("", fragment)).strip()


def sections(rendered):
    """[(id, heading text)] of the page's second-level headings."""
    return [(anchor, text_of(inner)) for anchor, inner in H2_RE.findall(rendered)]


def contents(rendered, *extra):
    """The table of contents (a list of (id, text)), or [] for a page too short to need one.
    `extra` entries (the reference list, say) follow the text's own sections."""
    found = sections(rendered)
    return [*found, *extra] if len(found) >= MIN_SECTIONS else []


def minutes(rendered):
    """Minutes to read the text (at least one)."""
    words = len(TAG_RE.sub(" ", rendered).split())
    return max(1, math.ceil(words / WORDS_PER_MINUTE))
