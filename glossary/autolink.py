"""Glossary auto-linking: the first mention of each term in a page becomes a link to it.

Called on sanitised HTML by the linking stage (exosite.kernel.linking). Pure: no models, no
settings; the caller turns published, auto-linkable terms into `LinkTarget`s, builds one
`AutoLinker` per glossary version and reuses it for every page.

How it matches, and why not a library
-------------------------------------
Text is split into tokens (runs of word characters, single punctuation characters, runs
of whitespace) and looked up in a trie keyed by whole tokens, one dict per node. Each
token costs a dict lookup or two whatever the size of the glossary, so the time per page
stays flat from 100 to 10,000 terms (see `bench/autolink.py`).

pyahocorasick (2.3.1, maintained, Python 3.13 wheels) was tried and not used. Its raw scan
of the benchmark article is fast (about 1.4 ms with 10,000 terms), but it matches
characters, not words: on a lowered copy of the text it reports every substring hit
("cell" in "cellular", "dc" for "DC"), and each must then be checked in Python for word
boundaries, for the exact-case rule, for whitespace runs ("dendritic\ncells"), and
leftmost-longest overlap; `str.lower()` can also change the text's length ("İ"), which
shifts its offsets. Tokens give word boundaries for free, case folding happens per token
so offsets never shift, and the project keeps no compiled dependency for it, at about
10-13 ms per 5,000-word page: rendered HTML is stored, so this runs on save or when the
glossary changes, not per request.

Matching rules
--------------
- Whole tokens only: "antigen" is not found in "antigenic", "WHO" not in "WHOLE". A
  generated plural of the last word is found ("dendritic cells", "apoptotic bodies",
  "MVBs"); other suffixes are not. Plural rules are the glossary's language's: in
  Spanish, nouns and their adjectives both change ("vesícula extracelular" ->
  "vesículas extracelulares", "célula dendrítica" -> "células dendríticas"), while a
  noun used as a modifier stays as it is ("célula madre" -> "células madre"), so a
  Spanish name also matches with every content word made plural and with only its first
  word made plural; linking words ("de", "la") never change.
- Words compare case-insensitively (`str.casefold`). Abbreviations, and any all-capitals
  token of a name or alias ("MVB", "CD34"), compare exactly: "mvb" and "who" never match.
- Any run of whitespace in the text matches a space in a term; the straight, curly and
  modifier apostrophes are one character, and so are the hyphen and its Unicode variants.
- Longest match first, leftmost first. The words of a match are taken even when its term
  was already linked (or is excluded), so a shorter term is never linked inside a longer
  one ("dendritic cells" inside a second "immature dendritic cells").
- First occurrence per term key per document; `exclude_keys` count as already linked.
- Never inside SKIP_ELEMENTS. `<abbr>` is skipped on purpose: its text already carries an
  expansion the editor wrote (the Markdown abbr extension marks every occurrence), and a
  link inside it would stack two tooltips on one word; the full term, written out where
  the abbreviation is introduced, is linked instead.
- Text only: matches never cross a tag, an entity is matched by what it decodes to
  (`R&amp;D` matches "R&D"), and everything outside the inserted `<a>` tags, including the
  matched text itself, is left byte for byte as it was.
"""

from __future__ import annotations

import html as _html
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from itertools import compress, count

from django.utils.html import format_html

# Elements whose text is never linked: links, headings, code, citations (rendered as
# <sup class="citation">), figure captions, abbreviations (see above), and elements whose
# content is not prose.
# Their content is raw text in HTML: a "<" inside does not start a tag.
_RAW_TEXT_ELEMENTS = frozenset(
    {"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes"}
)
# Elements whose text is never linked: links, headings, code, citations (rendered as
# <sup class="citation">), figure captions, abbreviations (see above), and elements whose
# content is not prose.
SKIP_ELEMENTS = _RAW_TEXT_ELEMENTS | {
    "a", "h1", "h2", "h3", "h4", "h5", "h6", "code", "pre", "kbd", "samp", "figcaption",
    "sup", "abbr", "dfn", "button", "label", "select", "option", "svg", "math", "template",
    "noscript", "object",
}  # fmt: skip
# Only in SVG and MathML does "/>" close an element; in HTML "<a/>" opens a link.
_FOREIGN_ELEMENTS = frozenset({"svg", "math"})

# Comments, declarations, processing instructions and tags (quoted attribute values may
# hold ">"). Anything else, including a stray "<", is text.
_MARKUP = re.compile(
    r"<!--.*?(?:-->|\Z)"
    r"|<[!?][^>]*>?"
    r"|</?([A-Za-z][^\s/>]*)(?:\"[^\"]*\"?|'[^']*'?|[^'\">])*>?",
    re.DOTALL,
)
_CHARREF = re.compile(r"&(?:#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[A-Za-z][A-Za-z0-9]*;?)")
# Covers every character, so token lengths add up to offsets.
_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")

# One-to-one, so offsets are kept.
_EQUIVALENT_CHARACTERS = str.maketrans(
    {
        "\u2019": "'",  # right single quotation mark, the usual curly apostrophe
        "\u2018": "'",  # left single quotation mark, sometimes typed for it
        "\u02bc": "'",  # modifier letter apostrophe
        "\u2032": "'",  # prime
        "\u2010": "-",  # hyphen
        "\u2011": "-",  # non-breaking hyphen
    }
)
_EQUIVALENT_PRESENT = re.compile(f"[{''.join(map(chr, _EQUIVALENT_CHARACTERS))}]")
_GAP = " "


@dataclass(frozen=True)
class LinkTarget:
    key: str  # stable id, e.g. the term slug
    url: str  # e.g. "/glossary/dendritic-cell/"
    title: str  # the term's name
    short_definition: str
    phrases: tuple[str, ...]  # name and aliases, matched case-insensitively
    abbreviations: tuple[str, ...] = ()  # matched exactly, e.g. "MVB", "imDC"


@dataclass
class LinkResult:
    html: str
    linked_keys: list[str] = field(default_factory=list)  # in order of first appearance


class _Node:
    __slots__ = ("folded", "exact", "target")

    def __init__(self):
        self.folded: dict[str, _Node] = {}  # casefolded token -> child (and _GAP)
        self.exact: dict[str, _Node] = {}  # token as written -> child
        self.target: LinkTarget | None = None


def _is_capitals(token: str) -> bool:
    return token.upper() == token != token.lower()


def _plurals(word: str) -> list[str]:
    """Regular English plurals of a lower-case word; a wrong guess only costs a lookup."""
    if not word[-1:].isalpha():
        return []
    if word.endswith("y") and word[-2:-1] not in ("a", "e", "i", "o", "u", ""):
        return [word[:-1] + "ies"]
    if word.endswith("is"):
        return [word[:-2] + "es"]  # analysis -> analyses
    if word.endswith("us"):
        return [word + "es", word[:-2] + "i"]  # virus -> viruses, nucleus -> nuclei
    if word.endswith("um"):
        return [word + "s", word[:-2] + "a"]  # serum -> serums, medium -> media
    if word.endswith(("ix", "ex")):
        return [word + "es", word[:-2] + "ices"]  # matrix -> matrices
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return [word + "es"]
    return [word + "s"]


_SPANISH_UNACCENTED = str.maketrans("áéíóú", "aeiou")
# Words that never take a plural inside a Spanish name: articles, prepositions, "y", "o".
_SPANISH_FIXED = frozenset(
    {"de", "del", "la", "el", "los", "las", "y", "e", "o", "u", "en", "a", "al", "con", "por"}
)


def _plurals_es(word: str) -> list[str]:
    """Regular Spanish plurals of a lower-case word (RAE rules for common endings)."""
    if not word[-1:].isalpha() or word in _SPANISH_FIXED:
        return []
    if word[-1] in "aeoáéó" or (word[-1] in "iu" and len(word) > 1):
        return [word + "s"]  # vesícula -> vesículas, café -> cafés
    if word[-1] in "íú":
        return [word + "es", word + "s"]  # bisturí -> bisturíes, bisturís
    if word.endswith("z"):
        return [word[:-1] + "ces"]  # matriz -> matrices
    if word.endswith(("s", "x")) and len(word) > 3 and word[-2] not in "áéíóú":
        return []  # análisis, tórax: the same in the plural
    if len(word) > 2 and word[-2] in "áéíóú" and word[-1] in "ns":
        # The accent goes where the stress stays: región -> regiones, común -> comunes.
        return [word[:-2] + word[-2].translate(_SPANISH_UNACCENTED) + word[-1] + "es"]
    return [word + "es"]  # celular -> celulares, ADN? (capitals are handled apart)


_PLURALS = {"en": _plurals, "es": _plurals_es}


def _tokenize(text: str) -> list[str]:
    if "\0" in text:  # _find joins tokens with it
        text = text.replace("\0", "\ufffd")
    if _EQUIVALENT_PRESENT.search(text):  # translate() is slow, and seldom needed
        text = text.translate(_EQUIVALENT_CHARACTERS)
    return _TOKEN.findall(text)


class AutoLinker:
    def __init__(self, targets: Iterable[LinkTarget], *, language: str = "en"):
        self._plurals = _PLURALS.get(language, _plurals)
        self._every_word = language == "es"
        self._root = _Node()
        self._opening_tags: dict[LinkTarget, str] = {}  # made when first needed
        for target in targets:
            for phrase in target.phrases:
                self._add_forms(phrase, target, abbreviation=False)
            for abbreviation in target.abbreviations:
                self._add_forms(abbreviation, target, abbreviation=True)
        # A cheap first filter on casefolded text tokens: where a match can start.
        self._first_tokens = frozenset(self._root.folded) | {
            token.casefold() for token in self._root.exact
        }

    def _add_forms(self, text: str, target: LinkTarget, *, abbreviation: bool) -> None:
        tokens = _tokenize(text.strip())
        if not tokens:
            return
        # (key, exact) per token: exact for abbreviations and all-capitals words.
        keys = [
            (_GAP, False)
            if token.isspace()
            else (token, True)
            if abbreviation or _is_capitals(token)
            else (token.casefold(), False)
            for token in tokens
        ]
        self._insert(keys, target)
        *head, (last, exact) = keys
        for plural in self._plural_forms(last, exact):
            self._insert([*head, (plural, exact)], target)
        words = [index for index, (key, _exact) in enumerate(keys) if key != _GAP]
        if self._every_word and len(words) > 1:
            # Spanish: every word made plural, and only the first.
            for chosen in (words, words[:1]):
                forms = [list(keys)]
                for index in chosen:
                    key, exact = keys[index]
                    plurals = self._plural_forms(key, exact)[:1]
                    if plurals:
                        forms = [
                            [*form[:index], (plurals[0], exact), *form[index + 1 :]]
                            for form in forms
                        ]
                if forms[0] != keys:
                    self._insert(forms[0], target)

    def _plural_forms(self, key: str, exact: bool) -> list[str]:
        if exact:  # capitals: "MVBs" in either language
            return [key + "s"] if key[-1:].isalpha() else []
        return self._plurals(key)

    def _insert(self, keys: list[tuple[str, bool]], target: LinkTarget) -> None:
        node = self._root
        for key, exact in keys:
            children = node.exact if exact else node.folded
            node = children.get(key) or children.setdefault(key, _Node())
        if node.target is None:  # the first target to claim a phrase keeps it
            node.target = target

    def link(self, html: str, *, exclude_keys: Collection[str] = ()) -> LinkResult:
        seen = set(exclude_keys)
        linked: list[LinkTarget] = []
        out: list[str] = []
        copied = 0  # html[:copied] is already in out
        skipping: list[str] = []  # open elements from SKIP_ELEMENTS, innermost last
        pos = 0
        length = len(html)
        while pos < length:
            tag = _MARKUP.search(html, pos)
            text_end = tag.start() if tag else length
            if text_end > pos and not skipping:
                for start, end, target in self._find(html[pos:text_end], seen):
                    out.append(html[copied : pos + start])
                    if (opening := self._opening_tags.get(target)) is None:
                        opening = self._opening_tags[target] = _opening_tag(target)
                    # The label is the matched slice of the input, already safe HTML.
                    out.extend((opening, html[pos + start : pos + end], "</a>"))
                    copied = pos + end
                    linked.append(target)
            if tag is None:
                break
            pos = tag.end()
            name = (tag.group(1) or "").lower()
            if name in SKIP_ELEMENTS:
                if tag.group()[1] != "/":
                    if name not in _FOREIGN_ELEMENTS or not tag.group().endswith("/>"):
                        skipping.append(name)
                    if name in _RAW_TEXT_ELEMENTS:
                        close = re.compile(rf"</{name}(?=[\s/>])", re.IGNORECASE).search(html, pos)
                        pos = close.start() if close else length
                elif name in skipping:
                    del skipping[len(skipping) - 1 - skipping[::-1].index(name) :]
        if not linked:
            return LinkResult(html=html, linked_keys=[])
        out.append(html[copied:])
        return LinkResult(html="".join(out), linked_keys=[target.key for target in linked])

    def _find(self, raw: str, seen: set[str]) -> list[tuple[int, int, LinkTarget]]:
        """Links to make in one text node: (start, end, target), offsets into `raw`."""
        text, raw_offsets = _decode(raw)
        tokens = _tokenize(text)
        # One casefold for the whole node: "\0" is not a token character and stays put.
        folded = "\0".join(tokens).casefold().split("\0")
        starts = compress(count(), map(self._first_tokens.__contains__, folded))
        found = []
        resume = 0
        offset_index = offset = 0  # offset is where tokens[offset_index] starts in text
        for index in starts:
            if index < resume:
                continue
            match = _longest(self._root, tokens, folded, index)
            if match is None:
                continue
            end_index, target = match
            resume = end_index
            if target.key in seen:
                continue
            start = offset = offset + sum(map(len, tokens[offset_index:index]))
            end = offset = offset + sum(map(len, tokens[index:end_index]))
            offset_index = end_index
            start, end = raw_offsets(start), raw_offsets(end)
            if start is None or end is None:  # inside an entity that decodes to several
                continue
            seen.add(target.key)
            found.append((start, end, target))
        return found


def _longest(root, tokens, folded, index) -> tuple[int, LinkTarget] | None:
    """The longest term starting at tokens[index]: (end index, target), or None."""
    best = None
    frontier = [root]
    for position in range(index, len(tokens)):
        key = folded[position]
        if key.isspace():
            key = _GAP
        following = []
        for node in frontier:
            if node.exact and (child := node.exact.get(tokens[position])) is not None:
                following.append(child)
            if (child := node.folded.get(key)) is not None:
                following.append(child)
        if not following:
            break
        for node in following:
            if node.target is not None:
                best = (position + 1, node.target)
                break
        frontier = following
    return best


def _decode(raw: str):
    """The text of an HTML text node, and a map from its offsets back to `raw`'s.

    The map returns None for an offset inside a reference that decodes to several
    characters, where no tag can go.
    """
    if "&" not in raw:
        return raw, lambda offset: offset
    parts = []
    raw_at: list[int | None] = []
    copied = 0
    for ref in _CHARREF.finditer(raw):
        value = _html.unescape(ref.group())
        if value == ref.group():
            continue
        parts.append(raw[copied : ref.start()])
        raw_at.extend(range(copied, ref.start()))
        parts.append(value)
        raw_at.append(ref.start())
        raw_at.extend([None] * (len(value) - 1))
        copied = ref.end()
    parts.append(raw[copied:])
    raw_at.extend(range(copied, len(raw) + 1))
    return "".join(parts), raw_at.__getitem__


def _opening_tag(target: LinkTarget) -> str:
    # A plain link without JavaScript; the tooltip script reads data-definition and ties
    # the tooltip to the link with aria-describedby. No title attribute: it would show a
    # second tooltip that keyboard and touch users never get.
    return format_html(
        '<a class="term-link" href="{}" data-term="{}" data-definition="{}">',
        target.url,
        target.key,
        target.short_definition,
    )
