"""Where long identifiers may wrap: `{% load wrapping %}{{ url|wrap_points }}`.

A DOI or an address is one long "word" to the browser: on a phone it either runs off the
screen or, with `overflow-wrap: anywhere`, breaks wherever the line ends, in the middle
of a number. `wrap_points` offers the browser `<wbr>` breaks where a reader expects them
(after a "/" or a "-"; before a ".", "?", "#", "&", "=" or "_", as the Chicago Manual of
Style breaks URLs, so a line never ends in a "." that reads as a full stop), never between
two digits ("10.1002" and "2019.01" stay whole; a hyphen, where browsers break anyway,
separates numbers rather than splitting one: "1479-5876"). `<wbr>` adds no character:
copied text and the link's accessible name are unchanged.
"""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()

# Break after a run of slashes ("https://" stays whole) or a hyphen (where browsers break
# anyway), or before one of the other marks.
_POINTS = re.compile(r"(?<=/)(?=[^/])|(?<=-)|(?=[.?#&=_])")


def wrap_points(text):
    """`text`, escaped, with `<wbr>` at the places it may wrap (a SafeString)."""
    text = str(text or "")
    pieces, start = [], 0
    for point in _POINTS.finditer(text):
        at = point.start()
        if at in (0, len(text)):
            continue
        if text[at - 1] == "-":
            pass  # browsers break after a hyphen in any case
        elif at - start < 3 or len(text) - at < 3:
            continue  # no scrap of one or two characters alone on a line ("j", ".1")
        elif text[at - 1].isdigit() and text[at + 1 : at + 2].isdigit():
            continue  # a number with a dot in it: "10.1002"
        pieces.append(text[start:at])
        start = at
    pieces.append(text[start:])
    return mark_safe("<wbr>".join(escape(piece) for piece in pieces))


register.filter("wrap_points", wrap_points, is_safe=True)
