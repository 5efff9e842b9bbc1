"""Markdown files with TOML front matter: how prose that ships with the code is kept
(the demo content, the starting policy pages), one readable, diffable file per item.

    +++
    title = "About Exosite"
    position = 1
    +++
    The body, in **Markdown**.

The front matter sits between two lines of `+++` and is TOML (read with the standard
library's tomllib); the body is everything after the closing line. A malformed file raises
`FrontMatterError`, whose message names the file and the line.
"""

import re
import tomllib
from pathlib import Path

DELIMITER = "+++"

# tomllib before Python 3.14 gives the position only inside its message.
TOML_POSITION_RE = re.compile(r"\s*\(at (?:line (\d+), column \d+|end of document)\)$")
LEADING_BLANK_LINES_RE = re.compile(r"\A(?:[ \t]*\n)+")


class FrontMatterError(ValueError):
    """A file whose front matter cannot be read; `str()` is "path:line: what is wrong"."""

    def __init__(self, path, line, message):
        self.path, self.line, self.message = str(path), line, message
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {message}")


def read(path):
    """The front matter of the file at `path` as a dict, and its body as a string.

    The body loses its leading blank lines and trailing whitespace; nothing else changes.
    """
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise FrontMatterError(path, None, f"not UTF-8 text (byte {error.start})") from None
    return parse(text, path)


def parse(text, path="<text>"):
    """Like `read`, for text already in hand; `path` names it in error messages."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines[0].rstrip() != DELIMITER:
        raise FrontMatterError(
            path, 1, f"the file must start with front matter: a line {DELIMITER}, then TOML"
        )
    closing = next(
        (number for number, line in enumerate(lines[1:], 1) if line.rstrip() == DELIMITER),
        None,
    )
    if closing is None:
        raise FrontMatterError(
            path, 1, f"the front matter opened here is never closed by a line {DELIMITER}"
        )
    try:
        metadata = tomllib.loads("".join(f"{line}\n" for line in lines[1:closing]))
    except tomllib.TOMLDecodeError as error:
        line, message = _position(error)
        if line is None:  # something left open (a string, an array) until the end
            line, message = closing, f"{message} before the closing {DELIMITER}"
        # Front matter line n is line n + 1 of the file.
        raise FrontMatterError(
            path, line + 1, f"front matter is not valid TOML: {message}"
        ) from None
    body = "\n".join(lines[closing + 1 :])
    return metadata, LEADING_BLANK_LINES_RE.sub("", body).rstrip()


def _position(error):
    """The front matter line (or None at its end) and the message without the position."""
    message = getattr(error, "msg", None)
    if message is not None:  # Python 3.14+
        at_end = error.pos >= len(error.doc)
        return (None if at_end else error.lineno), message
    text = str(error)
    match = TOML_POSITION_RE.search(text)
    if not match:
        return None, text
    return (int(match[1]) if match[1] else None), text[: match.start()]
