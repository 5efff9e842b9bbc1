"""Visitors' search syntax, parsed once into a structure every engine compiles safely.

Supported, as on the big web search engines:

- words: all must match (``vesicles cancer``); stemmed by the engine ("vesicle" finds
  "vesicles"), case and accents do not matter;
- ``"quoted phrases"`` (an unclosed quote runs to the end of the query);
- ``OR`` in capitals between two words or phrases (binds tighter than the implicit AND:
  ``exosome OR vesicle therapy`` is (exosome OR vesicle) AND therapy);
- ``-word`` or ``-"a phrase"`` excludes.

Everything else is text: punctuation, FTS operators (``NEAR(``, ``*``, ``AND``), SQL. The
engines never see the visitor's string, only the words found in it, each of which is a
run of letters and digits; they quote or bind them as parameters. Limits keep a hostile
query cheap: the first ``MAX_QUERY_CHARS`` characters and ``MAX_TERMS`` terms are used,
and the visitor is told when something was left out.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext

from . import stemming

MAX_QUERY_CHARS = 200
MAX_TERMS = 12
MAX_PHRASE_WORDS = 8
MAX_WORD_CHARS = 60

# Letters and digits only: what both engines' tokenizers treat as a word.
WORD = re.compile(r"[^\W_]+")
TOKEN = re.compile(r'(?P<neg>-)?"(?P<phrase>[^"]*)"?|(?P<bare>[^\s"]+)')
QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "＂": '"'})
CONTROL = re.compile(r"[\x00-\x1f\x7f\ue000-\uf8ff]")

# PostgreSQL's English stop words (the ones its 'english' configuration drops). Dropped
# here too, so that both engines treat "what is an exosome" alike, unless the query
# holds nothing else or they are quoted. Spanish ones: exosite.search.stemming.
STOP_WORDS_TEXT = """a about above after again against all am an and any are as at be because been
    before being below between both but by can did do does doing don down during each
    few for from further had has have having he her here hers herself him himself his
    how i if in into is it its itself just me more most my myself no nor not now of off
    on once only or other our ours ourselves out over own s same she should so some such
    t than that the their theirs them themselves then there these they this those
    through to too under until up very was we were what when where which while who whom
    why will with you your yours yourself yourselves"""
STOP_WORDS = frozenset(STOP_WORDS_TEXT.split())


def is_stop_word(word, language="en"):
    """Whether PostgreSQL's configuration of `language` drops `word` (a folded word)."""
    if language == "es":
        return stemming.fold(word) in stemming.STOP_WORDS_ES
    return word in STOP_WORDS


@dataclass(frozen=True)
class Term:
    """A word or a phrase (several words in a row). `prefix`: the last word is a prefix."""

    words: tuple[str, ...]
    prefix: bool = False

    @property
    def is_phrase(self):
        return len(self.words) > 1

    def __str__(self):
        text = " ".join(self.words)
        return f'"{text}"' if self.is_phrase else text + ("*" if self.prefix else "")


@dataclass
class ParsedQuery:
    raw: str
    # All groups must match; a group matches when any of its terms does.
    groups: list[tuple[Term, ...]] = field(default_factory=list)
    excluded: list[Term] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # The query as one name ("dendritic cells"), to find an exact term or alias match.
    exact_key: str = ""

    def __bool__(self):
        return bool(self.groups)

    @property
    def terms(self):
        return [term for group in self.groups for term in group]

    @property
    def has_phrase(self):
        return any(term.is_phrase for term in self.terms)

    def __str__(self):
        parts = [" OR ".join(map(str, group)) for group in self.groups]
        parts += [f"-{term}" for term in self.excluded]
        return " ".join(parts)


def clean(raw):
    text = unicodedata.normalize("NFKC", raw or "").translate(QUOTES)
    return CONTROL.sub(" ", text).strip()


def words_in(text):
    return [word[:MAX_WORD_CHARS] for word in WORD.findall(text.casefold())]


def parse(raw, language="en"):
    """Parse a visitor's query (in `language`: its stop words are left out). Never raises;
    an unusable query parses to a falsy result."""
    text = clean(raw)
    query = ParsedQuery(raw=text)
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS]
        query.notes.append(
            gettext("Your search was long: only its first %(count)d characters were used.")
            % {"count": MAX_QUERY_CHARS}
        )
    pending_or = False
    count = 0
    dropped = False
    positive_words = []
    for match in TOKEN.finditer(text):
        if match["bare"] in ("OR", "|"):
            pending_or = bool(query.groups)
            continue
        negated = bool(match["neg"])
        source = match["phrase"] if match["phrase"] is not None else match["bare"]
        if match["bare"] and source.startswith("-") and WORD.search(source):
            negated, source = True, source.lstrip("-")
        words = tuple(words_in(source))
        if not words:
            continue  # punctuation only
        if count >= MAX_TERMS:
            dropped = True
            continue
        count += 1
        term = Term(words[:MAX_PHRASE_WORDS])
        if negated:
            query.excluded.append(term)
            pending_or = False
        elif pending_or:
            query.groups[-1] = (*query.groups[-1], term)
            pending_or = False
        else:
            query.groups.append((term,))
            positive_words.extend(term.words)
    if dropped:
        query.notes.append(
            gettext("Your search had many words: only the first %(count)d were used.")
            % {"count": MAX_TERMS}
        )
    query.groups = _without_stop_words(_unique(query.groups), language)
    query.excluded = _unique(query.excluded)
    if query.groups and not query.excluded and all(len(g) == 1 for g in query.groups):
        query.exact_key = fold_key(" ".join(positive_words))
    return query


def parse_prefix(raw, max_words=6):
    """A type-ahead query: every word must match, the last one as a prefix."""
    words = words_in(clean(raw)[:MAX_QUERY_CHARS])[:max_words]
    query = ParsedQuery(raw=raw or "")
    if words:
        query.groups = [(Term((word,)),) for word in words[:-1]]
        query.groups.append((Term((words[-1],), prefix=True),))
        query.exact_key = fold_key(" ".join(words))
    return query


def _unique(items):
    return list(dict.fromkeys(items))


def _without_stop_words(groups, language="en"):
    def is_stop(group):
        return (
            len(group) == 1
            and len(group[0].words) == 1
            and is_stop_word(group[0].words[0], language)
        )

    kept = [group for group in groups if not is_stop(group)]
    return kept or groups


def fold_key(text):
    """A name folded for exact matching: no case, accents or punctuation, and each word
    without a plural 's' ("Dendritic Cells" and "dendritic cell" give the same key)."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    words = []
    for word in WORD.findall(text):
        if word == "s":
            continue  # a possessive: "Wharton's" is "Wharton"
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        words.append(word)
    return " ".join(words)
