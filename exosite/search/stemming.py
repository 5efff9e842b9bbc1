"""Words as each language's full-text index holds them, where the database cannot stem
them itself: Spanish on SQLite (see exosite.search.engines).

FTS5 stems English only (Porter). Spanish documents are indexed in a second FTS5 table
whose text is the documents' words accent-folded and stemmed by the Snowball Spanish
stemmer (PyStemmer, the Snowball project's own C binding), through the SQL function
`exosite_stems_es` that every SQLite connection of the site has (`register`); a query's
words go through the same `stem` here. FTS5 then only matches stems, so the marks around
matched words are put in the original text here too (`marked`, `snippet`).

Folding comes first, as on PostgreSQL (`unaccent` before `spanish_stem`): "vesicula"
typed without its accent finds "vesícula". Changing the stemmer (an upgrade of PyStemmer)
changes the stems: run `manage.py rebuild_search_index` after it.

The triggers need the function: a program other than the site (the sqlite3 shell,
`manage.py dbshell`) can read the documents table but not write it ("no such function:
exosite_stems_es"); change content through the site or `manage.py shell`.
"""

import re
import threading
import unicodedata
from bisect import bisect_left

import Stemmer

from exosite.kernel.text import MARK_END, MARK_START

# What FTS5's unicode61 tokenizer and the query parser take for a word (query.WORD).
WORD = re.compile(r"[^\W_]+")
SQL_FUNCTION = "exosite_stems_es"

# PostgreSQL's Spanish stop words (its 'spanish' configuration drops them), folded: dropped
# from queries on both engines alike (see query.parse).
STOP_WORDS_ES_TEXT = """de la que el en y a los del se las por un para con no una su al lo
    como más pero sus le ya o este sí porque esta entre cuando muy sin sobre también me hasta
    hay donde quien desde todo nos durante todos uno les ni contra otros ese eso ante ellos
    e esto mí antes algunos qué unos yo otro otras otra él tanto esa estos mucho quienes nada
    muchos cual poco ella estar estas algunas algo nosotros mi mis tú te ti tu tus ellas
    nosotras vosotros vosotras os mío mía míos mías tuyo tuya tuyos tuyas suyo suya suyos
    suyas nuestro nuestra nuestros nuestras vuestro vuestra vuestros vuestras esos esas estoy
    estás está estamos estáis están esté estés estemos estéis estén estaré estarás estará
    estaremos estaréis estarán estaría estarías estaríamos estaríais estarían estaba estabas
    estábamos estabais estaban estuve estuviste estuvo estuvimos estuvisteis estuvieron
    estuviera estuvieras estuviéramos estuvierais estuvieran estuviese estuvieses
    estuviésemos estuvieseis estuviesen estando estado estada estados estadas estad he has
    ha hemos habéis han haya hayas hayamos hayáis hayan habré habrás habrá habremos habréis
    habrán habría habrías habríamos habríais habrían había habías habíamos habíais habían
    hube hubiste hubo hubimos hubisteis hubieron hubiera hubieras hubiéramos hubierais
    hubieran hubiese hubieses hubiésemos hubieseis hubiesen habiendo habido habida habidos
    habidas soy eres es somos sois son sea seas seamos seáis sean seré serás será seremos
    seréis serán sería serías seríamos seríais serían era eras éramos erais eran fui fuiste
    fue fuimos fuisteis fueron fuera fueras fuéramos fuerais fueran fuese fueses fuésemos
    fueseis fuesen sintiendo sentido sentida sentidos sentidas siente sentid
    tengo tienes tiene tenemos tenéis tienen tenga tengas tengamos tengáis
    tengan tendré tendrás tendrá tendremos tendréis tendrán tendría tendrías tendríamos
    tendríais tendrían tenía tenías teníamos teníais tenían tuve tuviste tuvo tuvimos
    tuvisteis tuvieron tuviera tuvieras tuviéramos tuvierais tuvieran tuviese tuvieses
    tuviésemos tuvieseis tuviesen teniendo tenido tenida tenidos tenidas tened"""


# Letters that may be written with an accent: typed without it, they still match (as
# classes of a regular expression, upper case too).
ACCENTED = {
    "a": "aáàâäãå",
    "e": "eéèêë",
    "i": "iíìîï",
    "o": "oóòôöõ",
    "u": "uúùûü",
    "n": "nñ",
    "c": "cç",
    "y": "yýÿ",
}
ACCENTED = {base: "[" + forms + forms.upper() + "]" for base, forms in ACCENTED.items()}


def accent_tolerant(text):
    """`text` (folded: lower case, no accents) as a regular expression that matches it
    written with or without accents, in Python's syntax and PostgreSQL's alike
    ("vesic" -> "v[eéèêëEÉÈÊË]s[iíìîïIÍÌÎÏ]c")."""
    return "".join(ACCENTED.get(letter, re.escape(letter)) for letter in text)


# Unicode's combining marks (accents, tildes, cedillas) as NFKD separates them.
COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text):
    """`text` without case or accents ("Vesícula" -> "vesicula", "niño" -> "nino")."""
    if not text:
        return ""
    if text.isascii():
        return text.lower()
    return COMBINING.sub("", unicodedata.normalize("NFKD", text)).casefold()


STOP_WORDS_ES = frozenset(fold(STOP_WORDS_ES_TEXT).split())

# A Stemmer object is not safe to share between threads: one per thread.
_local = threading.local()


def _stemmer():
    stemmer = getattr(_local, "spanish", None)
    if stemmer is None:
        stemmer = _local.spanish = Stemmer.Stemmer("spanish")
        # Stems are asked of the same few thousand words over and over.
        stemmer.maxCacheSize = 20000
    return stemmer


def stem(word):
    """The Spanish index's form of one word: folded, then stemmed."""
    return _stemmer().stemWord(fold(word))


def stems(text):
    """Every word of `text` as the Spanish index holds it, separated by spaces."""
    if not text:
        return ""
    return " ".join(_stemmer().stemWords(WORD.findall(fold(text))))


def register(dbapi_connection):
    """Give an SQLite connection `exosite_stems_es` (the Spanish index's triggers and its
    content view call it)."""
    dbapi_connection.create_function(SQL_FUNCTION, 1, stems, deterministic=True)


# -- the marks around matched words -------------------------------------------------------


class _Matcher:
    """Whether a word of a text is one the query wants: each different word is folded and
    stemmed once (a text repeats its words)."""

    def __init__(self, wanted, prefixes):
        self.wanted, self.prefixes, self.known = wanted, prefixes, {}
        # The stemmer only ever changes a word after its first two letters (its regions
        # R1, R2 and RV start later): a word not beginning as a wanted stem does is no
        # match, and need not be stemmed.
        self.starts = tuple({each[:2] for each in (*wanted, *prefixes)})

    def __call__(self, word):
        found = self.known.get(word)
        if found is None:
            folded = fold(word)
            found = folded.startswith(self.starts) and self._stem_matches(folded)
            self.known[word] = found
        return found

    def candidates(self):
        """A regular expression finding the words of a text that may match: those that
        begin as a wanted stem does, in any case, with or without accents (None: none)."""
        if not self.starts:
            return None
        begins = "|".join(map(accent_tolerant, self.starts))
        return re.compile(r"(?<![^\W_])(?:" + begins + r")[^\W_]*", re.IGNORECASE)

    def _stem_matches(self, folded):
        stemmed = _stemmer().stemWord(folded)
        return stemmed in self.wanted or any(stemmed.startswith(p) for p in self.prefixes)


def marked(text, wanted, prefixes=(), matches=None):
    """`text` with every word whose stem is in `wanted` (or begins with one of
    `prefixes`) between MARK_START and MARK_END, as FTS5's highlight() marks them."""
    if not text or not (wanted or prefixes):
        return text or ""
    matches = matches or _Matcher(wanted, prefixes)
    out, last = [], 0
    for match in WORD.finditer(text):
        if matches(match.group()):
            out += [text[last : match.start()], MARK_START, match.group(), MARK_END]
            last = match.end()
    out.append(text[last:])
    return "".join(out)


def snippet(text, wanted, prefixes=(), size=28, ellipsis="…"):
    """A passage of `size` words of `text` holding the most matched words, marked, with
    `ellipsis` where text was left out: what FTS5's snippet() gives. Only the words that
    begin as a wanted stem does are stemmed, and only the passage is read word by word."""
    if not text:
        return ""
    matches = _Matcher(wanted, prefixes)
    candidates = matches.candidates()
    found = candidates.finditer(text) if candidates else ()
    at = [match.start() for match in found if matches(match.group())]
    anchor = 0
    if at:
        # The match followed by the most matches within about `size` words (8 characters
        # a word), begun a few words earlier so that it has some context.
        reach = size * 8
        first = max(range(min(len(at), 200)), key=lambda n: bisect_left(at, at[n] + reach) - n)
        anchor = at[first]
    before = list(WORD.finditer(text, max(0, anchor - 200), anchor))[-3:]
    begin_at = before[0].start() if before else anchor
    passage = []
    for match in WORD.finditer(text, begin_at):
        passage.append(match)
        if len(passage) == size:
            break
    if not passage:
        return marked(text, wanted, prefixes, matches)
    end_at = passage[-1].end()
    cut_before = WORD.search(text, 0, begin_at) is not None
    cut_after = WORD.search(text, end_at) is not None
    begin_at = begin_at if cut_before else 0
    end_at = end_at if cut_after else len(text)
    marked_passage = marked(text[begin_at:end_at], wanted, prefixes, matches)
    return (ellipsis if cut_before else "") + marked_passage + (ellipsis if cut_after else "")
