"""Plain text from the site's stored HTML, for the search index and structured data."""

import html as html_lib
import re

from . import citations

# Search engines put these around matched words (private-use characters no text has).
MARK_START = "\ue000"
MARK_END = "\ue001"

# Tags that separate words (blocks, cells, line breaks) and the rest (inline: <em>).
BLOCK_TAG = re.compile(
    r"</?(?:p|div|li|ul|ol|dl|dt|dd|h[1-6]|br|hr|tr|td|th|table|thead|tbody|tfoot|"
    r"blockquote|pre|figure|figcaption|img|sup)\b[^>]*>",
    re.IGNORECASE,
)
TAG = re.compile(r"<[^>]*>")
CROSSLINK = re.compile(r"\[\[(?:[a-z]+:)?([^\]|]+)(?:\|([^\]]+))?\]\]")
# Citations as linking reads them (exosite.kernel.citations): by key ([@welsh2024], also
# written loosely, [see @a]) and numbered ([1], [2, 3], [4–6]).
CITATION = re.compile(rf"\s?(?:{citations.NUMBERED_RE.pattern}|{citations.LOOSE_RE.pattern})")
SPACE = re.compile(r"\s+")
MARKS = str.maketrans("", "", MARK_START + MARK_END + "↩")


def plain_text(html):
    """Readable text of stored HTML: tags, citation markers and [[link]] syntax removed."""
    text = html_lib.unescape(TAG.sub("", BLOCK_TAG.sub(" ", html or "")))
    text = CROSSLINK.sub(lambda m: m[2] or m[1].replace("-", " "), text)
    text = CITATION.sub("", text)
    return SPACE.sub(" ", text.translate(MARKS)).strip()


# Schemes a stored address may have to become a link (href, JSON-LD url, sameAs).
SAFE_SCHEMES = ("http:", "https:", "mailto:")
# What browsers drop before reading a scheme: leading C0 controls and spaces, and every
# tab and newline anywhere ("java\tscript:" is "javascript:" to them).
URL_LEADING = "".join(chr(n) for n in range(33))
URL_DROPPED = str.maketrans("", "", "\t\n\r")


def safe_url(url):
    """`url` if it is an absolute web or mail address, else "": what a model stored reaches
    an href only through this (the admin validates, but the ORM, fixtures and a restore
    do not, and `javascript:` in an href runs when clicked)."""
    cleaned = str(url or "").translate(URL_DROPPED).lstrip(URL_LEADING).rstrip()
    scheme = cleaned[: len("mailto:")].lower()
    return cleaned if scheme.startswith(SAFE_SCHEMES) else ""
