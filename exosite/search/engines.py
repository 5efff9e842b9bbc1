"""The full-text engines behind site search: SQLite FTS5 and PostgreSQL text search.

Both read the same table, `exosite.SearchDocument` (one row per published article, term
and FAQ entry), which the database itself keeps in a full-text index (migration 0003):

- SQLite: an external-content FTS5 table, `exosite_search_fts`, kept in step with the
  documents by triggers; Porter stemming, accents removed, prefix indexes. Its `filters`
  column holds words for filtering (kind, tag ids, exact names) that visitors' words
  never reach: their expression is limited to the text columns.
- PostgreSQL: stored generated `tsvector` columns with GIN indexes: `search_vector`
  (every field, weighted) and `title_vector` (titles and aliases); an index for exact
  names; the `exosite_search` configuration (English stemming, `unaccent` if present).

Each engine searches one language (`get_engine(language)`): every statement reads only
that language's documents (`d.language`, with the visibility condition), and words are
stemmed the language's way.

- English: as above (Porter on SQLite, the `english` Snowball stemmer on PostgreSQL).
- Spanish on PostgreSQL: the `exosite_search_es` configuration (the `spanish` Snowball
  stemmer, after `unaccent` when the extension can be had); the generated vectors choose
  the configuration by each row's language (migration 0007).
- Spanish on SQLite: FTS5 stems only English, so Spanish documents have a second,
  contentless FTS5 table, `exosite_search_fts_es`, holding their words accent-folded and
  stemmed by the Snowball Spanish stemmer (PyStemmer), put there by triggers through the
  SQL function `exosite_stems_es` (`exosite.search.stemming`); a query's words are folded
  and stemmed the same way before they reach FTS5. The table has no text to highlight,
  so the marks of Spanish results are put in the documents' own text in Python, word by
  word, by the same stemmer: exact, as FTS5's own (a phrase's words are marked wherever
  they occur). The English table indexes every document (Spanish ones the Porter way,
  never returned: the language condition).

Both fold accents before stemming ("vesicula" finds "vesícula", "vesículas" finds it too,
"exosomas" finds "exosoma"). PostgreSQL 15's Snowball stems a few accent-folded Spanish
words apart from their plural ("informacion", "inform" for "informaciones"), which the
newer Snowball in PyStemmer does not: on that engine "informaciones" may not find
"información".

An engine receives a parsed query (`exosite.search.query`), never the visitor's string:
FTS5 gets each word inside double quotes, PostgreSQL one `to_tsquery` parameter built
from quoted words. Visibility (published, not scheduled for later) is a condition of
every statement, computed from the time of the request and read from each matching
item's own row (`Engine._live`), not from its document: the index may lag behind a change
that sent no signals (a `QuerySet.update()` withdrawing items), and counts, facets and
suggestions must not count what visitors cannot see. It costs one primary-key lookup per
match read, and a statement reads at most the matches it counts or ranks.

Ranking, the same on both, in tiers:
1. an exact match of the whole query with a term's name, abbreviation or alias;
2. matches with a query word in a title or alias: titles that start with the query
   first, then the shortest (a title that is mostly the query is most about it);
3. every other match, by relevance over all fields (title > aliases > tags > summary >
   body: bm25 on SQLite, ts_rank on PostgreSQL), newest first on ties.
A query matching at most `LIMIT` documents is ranked whole, in one statement. Beyond
that, tiers 2 and 3 each rank their `LIMIT` most recently indexed matches (tier 1 is
always complete), counts stop at `LIMIT` ("more than 500 results") and a search lists
at most `LIMIT` results (50 pages): ranking every one of 100,000 matches of a very common
word costs hundreds of milliseconds on either engine, and no visitor pages that far.
"""

import json
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import NotSupportedError, connection
from django.db.models import IntegerField
from django.db.models.expressions import RawSQL
from taggit.models import Tag, TaggedItem

from exosite.kernel import kinds, memo
from exosite.kernel.text import MARK_END, MARK_START

from . import stemming

LIMIT = 500


@dataclass
class Hit:
    id: int
    kind: str
    url: str
    content_type_id: int
    object_id: int
    # Field text with the matched words between MARK_START and MARK_END.
    title: str = ""
    keywords: str = ""
    summary: str = ""
    body: str = ""


def exact_token(key):
    """The word standing for a whole folded name in the SQLite `filters` column."""
    return "exact" + "x".join(key.split())


def filter_words(kind, tag_ids, exact_keys):
    """The `filters` column of a document (see exact_token)."""
    words = [f"kind{kind}", *(f"tag{pk}" for pk in tag_ids)]
    words += [exact_token(key) for key in exact_keys]
    return " ".join(words)


def _rank_key(row):
    """Sort key of a candidate (id, exact, in title, title starts so, title length,
    relevance): the three tiers in order."""
    pk, exact, titled, starts, length, score = row
    if exact:
        return (0, 0, length, -pk)
    if titled:
        return (1, -int(starts), length, -pk)
    return (2, -score, 0, -pk)


def _ordered(*row_lists):
    """Ids of all candidates, best first; a document found by several statements keeps
    its best place."""
    best = {}
    for rows in row_lists:
        for row in rows:
            key = _rank_key(row)
            if row[0] not in best or key < best[row[0]]:
                best[row[0]] = key
    return [pk for pk, _ in sorted(best.items(), key=lambda item: item[1])][:LIMIT]


def _starts(query):
    """A LIKE pattern for titles beginning with the query's words (lowercase). Words are
    letters and digits: nothing to escape."""
    words = [word for term in query.terms for word in term.words]
    return " ".join(words) + "%"


# (vendor, kinds) -> the visibility condition's SQL, its parameters with a stand-in time,
# and where that time is in them (see Engine._live).
_live_statements = memo.Memo("search visibility SQL", size=16)
_STAND_IN = datetime(1900, 1, 1, tzinfo=UTC)


def _live_statement(chosen, tail):
    clauses, params = [], []
    for kind in chosen:
        items = (
            kind.queryset("all")
            .filter(
                published_at__lte=_STAND_IN,
                pk=RawSQL("d.object_id", (), output_field=IntegerField()),
            )
            .order_by()
            .values("pk")
        )
        sql, item_params = items.query.sql_with_params()
        clauses.append(f"(d.kind = %s AND EXISTS ({sql}{tail}))")
        params += [kind.name, *item_params]
    stand_in = connection.ops.adapt_datetimefield_value(_STAND_IN)
    at = tuple(n for n, value in enumerate(params) if value == stand_in)
    return "(" + (" OR ".join(clauses) or "1 = 0") + ")", tuple(params), at


class Engine:
    vendor = ""
    documents = "exosite_searchdocument"
    # Appended to each EXISTS of the visibility condition (see PostgresEngine).
    live_tail = ""

    def __init__(self, language="en"):
        self.language = language
        self.tagged = TaggedItem._meta.db_table
        self.tags = Tag._meta.db_table

    @staticmethod
    def _fetch(sql, params):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def _live(self, now, kind=None):
        """SQL and parameters true when document `d` is in the engine's language and its
        item is visible at `now`, read from the item's row through its kind
        (`ContentKind.queryset`): an EXISTS on the primary key, for the searchable kinds
        (only `kind`, when given). The SQL is made by the ORM once per process (with a
        stand-in time) and kept."""
        chosen = tuple(each for each in kinds.searchable() if not kind or each.name == kind)
        key = (connection.vendor, chosen)
        sql, params, at = _live_statements.get(key) or _live_statements.set(
            key, _live_statement(chosen, self.live_tail)
        )
        params = list(params)
        for position in at:
            params[position] = connection.ops.adapt_datetimefield_value(now)
        return f"(d.language = %s AND {sql})", [self.language, *params]

    # -- the interface ------------------------------------------------------------------

    def count(self, query, *, now, kind=None, tag_id=None):
        """Matches visible now, counted up to LIMIT + 1."""
        if not query:
            return 0
        sql, params = self._count_sql(query, now, kind, tag_id)
        return self._fetch(sql, params)[0][0]

    def kind_counts(self, query, *, now, tag_id=None):
        """{kind: matches visible now}, exactly: for a query known to match at most
        LIMIT documents (it reads every match)."""
        counts = dict.fromkeys((kind.name for kind in kinds.searchable()), 0)
        if query:
            sql, params = self._kind_counts_sql(query, now, tag_id)
            counts.update(self._fetch(sql, params))
        return counts

    def ranked(self, query, *, now, kind=None, tag_id=None, total=None):
        """Ids of the matching documents visible now, best first, at most LIMIT.
        `total`: the count, when the caller has it already."""
        if not query:
            return []
        if total is None:
            total = self.count(query, now=now, kind=kind, tag_id=tag_id)
        if not total:
            return []
        if total <= LIMIT:
            return _ordered(self._all_matches(query, now, kind, tag_id))
        return _ordered(*self._newest_matches(query, now, kind, tag_id))

    def hits(self, query, ids):
        """The documents `ids` (in that order) with their matched words marked."""
        raise NotImplementedError

    def suggest(self, query, *, now, limit=8, expansions=()):
        """Type-ahead: (kind, title, url, content_type_id, object_id) of documents whose
        title or alias matches `query` (a prefix query), best first; then those whose title
        or alias matches one of `expansions` (Terms: what the glossary relates to what was
        typed). A match of the last word is a word the typed letters begin, as written, or
        the same word stemmed ("cells" finds "cell"): never a word that only shares the
        first letters of its stem ("dendr" never offers "Dental pulp")."""
        raise NotImplementedError

    def look_up(self, concepts, *, now, limit):
        """Look before you ask: at most `limit` documents matching any alternative of any
        of `concepts` (exosite.search.answers.Concept), the most relevant first, as (id,
        kind, title, url, summary, opening of the body, flags): flags holds, for each
        concept, whether a direct alternative is in the title or an alias, in any field,
        and whether a related one is in the title or an alias, in any field."""
        raise NotImplementedError

    def search(self, query, *, now, kind=None, tag_id=None, limit=10, offset=0):
        """One page of hits and the number of matches (up to LIMIT + 1)."""
        if not query:
            return [], 0
        total = self.count(query, now=now, kind=kind, tag_id=tag_id)
        ids = self.ranked(query, now=now, kind=kind, tag_id=tag_id, total=total)
        return self.hits(query, ids[offset : offset + limit]), total

    def tag_facets(self, ids, limit=12):
        """(slug, name, count) of the tags most used among documents `ids`."""
        if not ids:
            return []
        # From the documents to their tags, never the other way round: CROSS JOIN keeps
        # SQLite from starting at the tags (at a few thousand documents its planner did,
        # then tested every id of the list for each tagged item: 250 ms for a common word).
        return self._fetch(
            f"""
            SELECT t.slug, t.name, COUNT(*) AS n
            FROM {self.documents} d
            CROSS JOIN {self.tagged} ti
            JOIN {self.tags} t ON t.id = ti.tag_id
            WHERE {self._id_in("d.id", ids)}
              AND ti.content_type_id = d.content_type_id AND ti.object_id = d.object_id
            GROUP BY t.slug, t.name ORDER BY n DESC, t.name LIMIT %s
            """,
            [*self._id_params(ids), limit],
        )

    def optimize(self):
        """Tidy the index after bulk changes (rebuild_search_index, benchmarks)."""

    def rebuild(self):
        """Rebuild the engine's own index from the documents table."""

    @contextmanager
    def bulk_load(self):
        """Documents written in bulk inside (generate_synthetic): the engine may index them
        once at the end instead of row by row. Use it inside a transaction."""
        yield

    # -- for the engines ------------------------------------------------------------------

    def _count_sql(self, query, now, kind, tag_id):
        """SQL counting the matches visible now, up to LIMIT + 1, and its parameters."""
        raise NotImplementedError

    def _kind_counts_sql(self, query, now, tag_id):
        """SQL giving (kind, number of matches visible now) rows, and its parameters."""
        raise NotImplementedError

    def _all_matches(self, query, now, kind, tag_id):
        """Every match as (id, exact, in title, starts so, title length, relevance)."""
        raise NotImplementedError

    def _newest_matches(self, query, now, kind, tag_id):
        """Row lists like _all_matches's: the exact matches, and the LIMIT newest
        matches with a query word in the title, and of all matches."""
        raise NotImplementedError

    @staticmethod
    def _id_in(column, ids):
        return f"{column} IN ({', '.join(['%s'] * len(ids))})"

    @staticmethod
    def _id_params(ids):
        return list(ids)


# SQLite's page cache while documents are loaded in bulk (bulk_load), in KiB: 1 GiB.
BULK_CACHE_KIB = 1024 * 1024


# The FTS5 table of each language (see the module's docstring), English's by default.
SQLITE_TABLES = {"en": "exosite_search_fts", "es": "exosite_search_fts_es"}
# Languages whose words are stemmed here, not by FTS5's tokenizer.
SQLITE_STEMMED = {"es"}


class SQLiteEngine(Engine):
    vendor = "sqlite"
    fts = SQLITE_TABLES["en"]
    text_columns = "{title keywords tags summary body}"
    marks = f"'{MARK_START}', '{MARK_END}'"

    def __init__(self, language="en"):
        super().__init__(language)
        self.stemmed = language in SQLITE_STEMMED
        self.fts = SQLITE_TABLES.get(language, SQLITE_TABLES["en"])
        # bm25 weights of the FTS5 columns: title, keywords, tags, summary, body, filters.
        self.bm25 = f"bm25({self.fts}, 10.0, 8.0, 3.0, 2.0, 1.0, 0.0)"

    def _word(self, word):
        """A query word as the language's table holds it (stemmed here for Spanish)."""
        return stemming.stem(word) if self.stemmed else word

    def _prefix(self, word):
        """Typed letters as a prefix of what the table holds (folded, not stemmed)."""
        return stemming.fold(word) if self.stemmed else word

    def _term(self, term):
        # Words are letters and digits only (query.WORD), folded and stemmed ones too: no
        # quote can end the string.
        words = [self._word(word) for word in term.words]
        if term.prefix:
            words[-1] = self._prefix(term.words[-1])
        text = '"' + " ".join(words) + '"'
        return text + " *" if term.prefix else text

    def _any(self, terms):
        return "(" + " OR ".join(self._term(term) for term in terms) + ")"

    def expression(self, query, kind=None, tag_id=None):
        """The FTS5 MATCH expression: visitors' words in the text columns, and the
        filters in the `filters` column."""
        positive = " AND ".join(self._any(group) for group in query.groups)
        expression = f"{self.text_columns} : ({positive})"
        if query.excluded:
            excluded = self._any(query.excluded)
            expression = f"({expression}) NOT ({self.text_columns} : {excluded})"
        filters = [f'"kind{kind}"'] if kind else []
        if tag_id:
            filters.append(f'"tag{int(tag_id)}"')
        if filters:
            expression = f"({expression}) AND {{filters}} : ({' AND '.join(filters)})"
        return expression

    def _visible(self, select, match, now, tail="", params=(), kind=None):
        """Rows of `select` (over the FTS table `f` and the documents `d`) matching
        `match` and visible now. `params` are those of `select`."""
        live, live_params = self._live(now, kind)
        return self._fetch(
            f"""
            SELECT {select} FROM {self.fts} f JOIN {self.documents} d ON d.id = f.rowid
            WHERE {self.fts} MATCH %s AND {live} {tail}
            """,
            [*params, match, *live_params],
        )

    def _count_sql(self, query, now, kind, tag_id):
        live, live_params = self._live(now, kind)
        sql = f"""
            SELECT COUNT(*) FROM (
                SELECT 1 FROM {self.fts} f JOIN {self.documents} d ON d.id = f.rowid
                WHERE {self.fts} MATCH %s AND {live} LIMIT %s
            ) matches
        """
        return sql, [self.expression(query, kind, tag_id), *live_params, LIMIT + 1]

    def _kind_counts_sql(self, query, now, tag_id):
        live, live_params = self._live(now)
        sql = f"""
            SELECT d.kind, COUNT(*) FROM {self.fts} f JOIN {self.documents} d ON d.id = f.rowid
            WHERE {self.fts} MATCH %s AND {live} GROUP BY d.kind
        """
        return sql, [self.expression(query, tag_id=tag_id), *live_params]

    def _all_matches(self, query, now, kind, tag_id):
        in_title = (
            f"instr(highlight({self.fts}, 0, {self.marks}) "
            f"|| highlight({self.fts}, 1, {self.marks}), '{MARK_START}') > 0"
        )
        title_params = []
        if self.stemmed:  # a contentless table: nothing to highlight, asked again
            words = self._any(term for group in query.groups for term in group)
            in_title = (
                f"EXISTS (SELECT 1 FROM {self.fts} g "
                f"WHERE g.{self.fts} MATCH %s AND g.rowid = f.rowid)"
            )
            title_params = [f"{{title keywords}} : {words}"]
        return self._visible(
            f"f.rowid, instr(d.exact_keys, %s) > 0, {in_title}, lower(d.title) LIKE %s,"
            f" length(d.title), -{self.bm25}",
            self.expression(query, kind, tag_id),
            now,
            params=[
                f"|{query.exact_key}|" if query.exact_key else "\n",
                *title_params,
                _starts(query),
            ],
            kind=kind,
        )

    def _newest_matches(self, query, now, kind, tag_id):
        match = self.expression(query, kind, tag_id)
        newest = f"ORDER BY f.rowid DESC LIMIT {LIMIT}"
        exact = []
        if query.exact_key:
            exact = self._visible(
                "f.rowid, 1, 1, 0, length(d.title), 0",
                f'({match}) AND {{filters}} : "{exact_token(query.exact_key)}"',
                now,
                kind=kind,
            )
        words = self._any(term for group in query.groups for term in group)
        titled = self._visible(
            "f.rowid, 0, 1, lower(d.title) LIKE %s, length(d.title), 0",
            f"({match}) AND {{title keywords}} : {words}",
            now,
            newest,
            [_starts(query)],
            kind=kind,
        )
        others = self._visible(f"f.rowid, 0, 0, 0, 0, -{self.bm25}", match, now, newest, kind=kind)
        return exact, titled, others

    def hits(self, query, ids):
        if not ids:
            return []
        if self.stemmed:
            return self._marked_hits(query, ids)
        rows = self._fetch(
            f"""
            SELECT d.id, d.kind, d.url, d.content_type_id, d.object_id,
                   highlight({self.fts}, 0, {self.marks}),
                   highlight({self.fts}, 1, {self.marks}),
                   highlight({self.fts}, 3, {self.marks}),
                   snippet({self.fts}, 4, {self.marks}, '…', 28)
            FROM {self.fts} f JOIN {self.documents} d ON d.id = f.rowid
            WHERE {self.fts} MATCH %s AND {self._id_in("f.rowid", ids)}
            """,
            [self.expression(query), *ids],
        )
        found = {row[0]: Hit(*row) for row in rows}
        return [found[pk] for pk in ids if pk in found]

    def _marked_hits(self, query, ids):
        """hits() of a table of stems: the documents' own text, marked word by word where
        a word's stem is one of the query's (see exosite.search.stemming)."""
        wanted = {self._word(word) for term in query.terms for word in term.words}
        rows = self._fetch(
            f"""
            SELECT d.id, d.kind, d.url, d.content_type_id, d.object_id,
                   d.title, d.keywords, d.summary, d.body
            FROM {self.documents} d WHERE {self._id_in("d.id", ids)}
            """,
            list(ids),
        )
        found = {
            pk: Hit(
                pk,
                kind,
                url,
                content_type_id,
                object_id,
                stemming.marked(title, wanted),
                stemming.marked(keywords, wanted),
                stemming.marked(summary, wanted),
                stemming.snippet(body, wanted),
            )
            for pk, kind, url, content_type_id, object_id, title, keywords, summary, body in rows
        }
        return [found[pk] for pk in ids if pk in found]

    def suggest(self, query, *, now, limit=8, expansions=()):
        if not query:
            return []
        *written, last = [term.words[0] for term in query.terms]
        typed = " ".join([*written, last])
        words = [self._word(word) for word in written]
        prefix = _suggest_prefix(self._prefix(last))
        select = "d.id, d.kind, d.title, d.url, d.content_type_id, d.object_id"
        newest = "ORDER BY f.rowid DESC LIMIT 100"
        # The index holds stems, so the prefix asked of it is cut back (see
        # _suggest_prefix) and what it finds is checked: a word of the title or an alias
        # begins with the typed letters (as written), or the last word matches whole.
        pattern = _word_start(last, self.vendor)
        check = f"""AND (d.title REGEXP %s OR d.keywords REGEXP %s OR EXISTS (
            SELECT 1 FROM {self.fts} g
            WHERE g.{self.fts} MATCH %s AND g.rowid = f.rowid))"""
        checked = [pattern, pattern, f'{{title keywords}} : "{self._word(last)}"']
        rows = {}
        if query.exact_key:
            exact = f'{{filters}} : "{exact_token(query.exact_key)}"'
            rows.update((row[0], (0, row)) for row in self._visible(select, exact, now))
        last_match = f'("{self._word(last)}" OR "{prefix}" *)'
        words_match = " AND ".join([*(f'"{word}"' for word in words), last_match])
        found = self._checked(
            select, "{title keywords} : (" + words_match + ")", now, check, checked
        )
        for row in found:
            rows.setdefault(row[0], (1 if _starts_with(row[2], typed) else 2, row))
        # Titles that start with the words, however old (FTS5 initial-token query).
        starting = '{title} : ^"' + " ".join([*words, prefix]) + '" *'
        for row in self._checked(select, starting, now, check, checked):
            rows.setdefault(row[0], (1, row))
        if expansions:
            related = "{title keywords} : " + self._any(expansions)
            for row in self._visible(select, related, now, newest):
                rows.setdefault(row[0], (3, row))
        return _best_suggestions(rows, limit)

    def _checked(self, select, match, now, check, check_params):
        """Like _visible (the newest 100), with the extra condition `check`."""
        live, live_params = self._live(now)
        return self._fetch(
            f"""
            SELECT {select} FROM {self.fts} f JOIN {self.documents} d ON d.id = f.rowid
            WHERE {self.fts} MATCH %s AND {live} {check} ORDER BY f.rowid DESC LIMIT 100
            """,
            [match, *live_params, *check_params],
        )

    def look_up(self, concepts, *, now, limit):
        alternatives = [term for concept in concepts for term in concept.terms]
        if not alternatives:
            return []
        live, live_params = self._live(now)
        flags, flag_params = [], []
        for terms in (each for concept in concepts for each in (concept.direct, concept.related)):
            for columns in ("{title keywords}", self.text_columns):
                if terms:
                    flags.append(
                        f"EXISTS (SELECT 1 FROM {self.fts} g "
                        f"WHERE g.{self.fts} MATCH %s AND g.rowid = found.id)"
                    )
                    flag_params.append(f"{columns} : {self._any(terms)}")
                else:
                    flags.append("0")
        # The candidates first (the `limit` most relevant), then each tested for each
        # concept: a lookup by rowid in the index, for at most `limit` rows.
        rows = self._fetch(
            f"""
            WITH found AS MATERIALIZED (
                SELECT d.id, d.kind, d.title, d.url, d.summary, substr(d.body, 1, 400) AS opening
                FROM {self.fts} f JOIN {self.documents} d ON d.id = f.rowid
                WHERE {self.fts} MATCH %s AND {live}
                ORDER BY {self.bm25}, f.rowid DESC LIMIT %s
            )
            SELECT found.*, {", ".join(flags)} FROM found
            """,
            [
                f"{self.text_columns} : {self._any(alternatives)}",
                *live_params,
                limit,
                *flag_params,
            ],
        )
        return [(*row[:6], _flags(row[6:])) for row in rows]

    def optimize(self):
        """Every language's table."""
        with connection.cursor() as cursor:
            for fts in SQLITE_TABLES.values():
                cursor.execute(f"INSERT INTO {fts}({fts}) VALUES ('optimize')")

    def rebuild(self):
        """Every language's table (a contentless one emptied and filled again)."""
        columns = "title, keywords, tags, summary, body, filters"
        with connection.cursor() as cursor:
            for language, fts in SQLITE_TABLES.items():
                if language not in SQLITE_STEMMED:
                    cursor.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")
                    continue
                stems = ", ".join(
                    f"{stemming.SQL_FUNCTION}(d.{name})" for name in columns.split(", ")[:-1]
                )
                cursor.execute(f"INSERT INTO {fts}({fts}) VALUES ('delete-all')")
                cursor.execute(
                    f"INSERT INTO {fts}(rowid, {columns}) SELECT d.id, {stems}, d.filters "
                    f"FROM {self.documents} d WHERE d.language = %s",
                    [language],
                )

    @contextmanager
    def bulk_load(self):
        """Without the insert trigger, then one 'rebuild' (a pass over the documents), with
        a large page cache: indexing row by row slowed to 25-60 ms a document past 50,000
        in one transaction, FTS5 merging its segments again and again. The trigger is put back
        as it was (its SQL read from the schema); inside a transaction, so that a failure
        rolls both back."""
        if not connection.in_atomic_block:
            raise NotSupportedError("bulk_load() drops a trigger: use it in a transaction.")
        trigger = f"{SQLITE_TABLES['en']}_insert"
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = %s", [trigger]
            )
            (sql,) = cursor.fetchone()
            cursor.execute(f"DROP TRIGGER {trigger}")
            # A page cache the size of the work (SQLite's default is 2 MB): building the
            # index merges its segments, and with the default every merge read their pages
            # back from the operating system (140 million reads for 117,000 documents).
            cursor.execute("PRAGMA cache_size")
            (cache_size,) = cursor.fetchone()
            cursor.execute(f"PRAGMA cache_size = {-BULK_CACHE_KIB}")
        try:
            yield
            with connection.cursor() as cursor:
                cursor.execute(sql)
            self.rebuild()
            self.optimize()
        finally:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = {int(cache_size)}")


class PostgresEngine(Engine):
    vendor = "postgresql"
    config = "exosite_search"
    # OFFSET 0 keeps each EXISTS a lookup by primary key for the matches read (a few
    # hundred at most): without it PostgreSQL may hash every published row of each
    # content table first, a cost that grows with the site, not with the matches.
    live_tail = " OFFSET 0"
    # Above this share of the documents, walking back from the newest row finds LIMIT
    # matches sooner than collecting and sorting all of them (measured at 100,000:
    # about 7 µs a row tested one by one, 2 µs a match through the index).
    DENSE = 0.15
    headline_all = f"HighlightAll=true, StartSel={MARK_START}, StopSel={MARK_END}"
    headline_body = (
        f'MaxWords=28, MinWords=12, MaxFragments=2, FragmentDelimiter=" … ", '
        f"StartSel={MARK_START}, StopSel={MARK_END}"
    )

    def __init__(self, language="en"):
        super().__init__(language)
        if language == "es":
            self.config = "exosite_search_es"

    @staticmethod
    def _term(term):
        # Words are letters and digits only (query.WORD): safe between quotes.
        if term.prefix:
            return f"'{term.words[0]}':*"
        return "(" + " <-> ".join(f"'{word}'" for word in term.words) + ")"

    def _any(self, terms):
        return "(" + " | ".join(self._term(term) for term in terms) + ")"

    def tsquery(self, query, exclusions=True):
        """The query in to_tsquery syntax. Without `exclusions`: what ranking and
        highlighting use (ts_rank scores a query with a negation next to nothing)."""
        text = " & ".join(self._any(group) for group in query.groups)
        if exclusions and query.excluded:
            text = f"({text}) & !{self._any(query.excluded)}"
        return text

    def _match(self, query, now, kind, tag_id, vector="search_vector", tsquery=None):
        """WHERE clause and parameters: visible now, of `kind`, matching (`tsquery`, by
        default the query's; "" for no text condition), with `tag_id`.
        Cheap conditions come first: PostgreSQL tests them in the order written, and
        testing a large tsvector row by row is what costs."""
        where, params = [], []
        if kind:
            where.append("d.kind = %s")
            params.append(kind)
        if tsquery != "":
            where.append(f"d.{vector} @@ to_tsquery('{self.config}', %s)")
            params.append(tsquery if tsquery is not None else self.tsquery(query))
        if tag_id:
            where.append(
                f"EXISTS (SELECT 1 FROM {self.tagged} ti WHERE ti.content_type_id = "
                "d.content_type_id AND ti.object_id = d.object_id AND ti.tag_id = %s)"
            )
            params.append(tag_id)
        live, live_params = self._live(now, kind)
        return " AND ".join([*where, live]), [*params, *live_params]

    def _count_sql(self, query, now, kind, tag_id):
        where, params = self._match(query, now, kind, tag_id)
        sql = f"""
            SELECT COUNT(*) FROM (
                SELECT 1 FROM {self.documents} d WHERE {where} LIMIT %s
            ) matches
        """
        return sql, [*params, LIMIT + 1]

    def _kind_counts_sql(self, query, now, tag_id):
        where, params = self._match(query, now, None, tag_id)
        sql = f"SELECT d.kind, COUNT(*) FROM {self.documents} d WHERE {where} GROUP BY d.kind"
        return sql, params

    def _rank_expression(self):
        return f"ts_rank(d.search_vector, to_tsquery('{self.config}', %s))"

    def _all_matches(self, query, now, kind, tag_id):
        where, params = self._match(query, now, kind, tag_id)
        words = self._any(term for group in query.groups for term in group)
        return self._fetch(
            f"""
            SELECT d.id, string_to_array(d.exact_keys, '|') @> ARRAY[%s]::text[],
                   d.title_vector @@ to_tsquery('{self.config}', %s),
                   lower(d.title) LIKE %s, length(d.title), {self._rank_expression()}
            FROM {self.documents} d WHERE {where}
            """,
            [
                query.exact_key or "\n",
                words,
                _starts(query),
                self.tsquery(query, exclusions=False),
                *params,
            ],
        )

    def _newest_matches(self, query, now, kind, tag_id):
        exact = []
        if query.exact_key:
            # A name equal to the query holds all its words (exact keys are only made
            # for queries without OR or exclusions): no need to test the vector.
            where, params = self._match(query, now, kind, tag_id, tsquery="")
            exact = self._fetch(
                f"""
                SELECT d.id, true, true, false, length(d.title), 0
                FROM {self.documents} d
                WHERE string_to_array(d.exact_keys, '|') @> ARRAY[%s]::text[] AND {where}
                """,
                [query.exact_key, *params],
            )
        # A query word in the title (title_vector is small: cheap to test row by row);
        # when that does not imply the whole query matches, that is tested too.
        words = self._any(term for group in query.groups for term in group)
        where, params = self._match(query, now, kind, tag_id, "title_vector", words)
        if len(query.groups) > 1 or query.excluded:
            where += f" AND d.search_vector @@ to_tsquery('{self.config}', %s)"
            params.append(self.tsquery(query))
        titled = self._fetch(
            f"""
            SELECT d.id, false, true, lower(d.title) LIKE %s, length(d.title), 0
            FROM {self.documents} d WHERE {where} ORDER BY d.id DESC LIMIT %s
            """,
            [_starts(query), *params, LIMIT],
        )
        # The newest matches: a word in most documents is found quickest walking back
        # from the newest row; a rarer one through the GIN index, then sorted. PostgreSQL
        # underrates the cost of testing a large tsvector row by row, so the shape of
        # the statement is chosen here, from the planner's estimate of the matches.
        where, params = self._match(query, now, kind, tag_id)
        newest = "d.id DESC" if self._dense(query) else "d.id + 0 DESC"
        others = self._fetch(
            f"""
            SELECT newest.id, false, false, false, 0,
                   ts_rank(newest.search_vector, to_tsquery('{self.config}', %s))
            FROM (
                SELECT d.id, d.search_vector FROM {self.documents} d
                WHERE {where} ORDER BY {newest} LIMIT %s
            ) newest
            """,
            [self.tsquery(query, exclusions=False), *params, LIMIT],
        )
        return exact, titled, others

    def _dense(self, query):
        """Whether the planner expects the query in more than DENSE of the documents."""
        rows = self._fetch(
            f"""
            EXPLAIN (FORMAT JSON)
            SELECT 1 FROM {self.documents} d
            WHERE d.search_vector @@ to_tsquery('{self.config}', %s)
            UNION ALL SELECT 1 FROM {self.documents} d
            """,
            [self.tsquery(query)],
        )
        plan = rows[0][0]
        if isinstance(plan, str):
            plan = json.loads(plan)
        matching, everything = (node["Plan Rows"] for node in plan[0]["Plan"]["Plans"])
        return matching > self.DENSE * max(everything, 1)

    def hits(self, query, ids):
        if not ids:
            return []
        rows = self._fetch(
            f"""
            WITH q AS (SELECT to_tsquery('{self.config}', %s) AS q)
            SELECT d.id, d.kind, d.url, d.content_type_id, d.object_id,
                   ts_headline('{self.config}', d.title, q.q, %s),
                   ts_headline('{self.config}', d.keywords, q.q, %s),
                   ts_headline('{self.config}', d.summary, q.q, %s),
                   ts_headline('{self.config}', d.body, q.q, %s)
            FROM {self.documents} d, q WHERE d.id = ANY(%s)
            """,
            [
                self.tsquery(query, exclusions=False),
                self.headline_all,
                self.headline_all,
                self.headline_all,
                self.headline_body,
                list(ids),
            ],
        )
        found = {row[0]: Hit(*row) for row in rows}
        return [found[pk] for pk in ids if pk in found]

    def suggest(self, query, *, now, limit=8, expansions=()):
        if not query:
            return []
        *words, last = [term.words[0] for term in query.terms]
        typed = " ".join([*words, last])
        lexemes = [f"'{word}'" for word in words]
        lexemes.append(f"('{last}' | '{_suggest_prefix(last)}':*)")
        live, live_params = self._live(now)
        select = f"""SELECT d.id, d.kind, d.title, d.url, d.content_type_id, d.object_id
            FROM {self.documents} d"""
        rows = {}
        if query.exact_key:
            found = self._fetch(
                f"""{select} WHERE string_to_array(d.exact_keys, '|') @> ARRAY[%s]::text[]
                AND {live}""",
                [query.exact_key, *live_params],
            )
            rows.update((row[0], (0, row)) for row in found)
        # As on SQLite: the index's stems found by a shorter prefix, then checked against
        # the words as written, or the last word matched whole.
        found = self._fetch(
            f"""{select} WHERE d.title_vector @@ to_tsquery('{self.config}', %s)
            AND (d.title ~* %s OR d.keywords ~* %s
                 OR d.title_vector @@ to_tsquery('{self.config}', %s))
            AND {live} ORDER BY d.id DESC LIMIT 100""",
            [
                " & ".join(lexemes),
                _word_start(last, self.vendor),
                _word_start(last, self.vendor),
                f"'{last}'",
                *live_params,
            ],
        )
        for row in found:
            rows.setdefault(row[0], (1 if _starts_with(row[2], typed) else 2, row))
        # Titles that start with what was typed, however old (a text_pattern_ops index).
        found = self._fetch(
            f"""{select} WHERE lower(d.title) LIKE %s AND {live}
            ORDER BY length(d.title), d.id DESC LIMIT 100""",
            [typed + "%", *live_params],
        )
        for row in found:
            rows.setdefault(row[0], (1, row))
        if expansions:
            found = self._fetch(
                f"""{select} WHERE d.title_vector @@ to_tsquery('{self.config}', %s)
                AND {live} ORDER BY d.id DESC LIMIT 100""",
                [self._any(expansions), *live_params],
            )
            for row in found:
                rows.setdefault(row[0], (3, row))
        return _best_suggestions(rows, limit)

    def look_up(self, concepts, *, now, limit):
        alternatives = [term for concept in concepts for term in concept.terms]
        if not alternatives:
            return []
        live, live_params = self._live(now)
        flags, flag_params = [], []
        for terms in (each for concept in concepts for each in (concept.direct, concept.related)):
            for vector in ("title_vector", "search_vector"):
                if terms:
                    flags.append(f"found.{vector} @@ to_tsquery('{self.config}', %s)")
                    flag_params.append(self._any(terms))
                else:
                    flags.append("false")
        everything = self._any(alternatives)
        rows = self._fetch(
            f"""
            WITH found AS MATERIALIZED (
                SELECT d.id, d.kind, d.title, d.url, d.summary, left(d.body, 400) AS opening,
                       d.title_vector, d.search_vector
                FROM {self.documents} d
                WHERE d.search_vector @@ to_tsquery('{self.config}', %s) AND {live}
                ORDER BY {self._rank_expression()} DESC, d.id DESC LIMIT %s
            )
            SELECT found.id, found.kind, found.title, found.url, found.summary, found.opening,
                   {", ".join(flags)}
            FROM found
            """,
            [everything, *live_params, everything, limit, *flag_params],
        )
        return [(*row[:6], _flags(row[6:])) for row in rows]

    @staticmethod
    def _id_in(column, ids):
        return f"{column} = ANY(%s)"

    @staticmethod
    def _id_params(ids):
        return [list(ids)]

    def optimize(self):
        # The content tables too: searches look their rows up (Engine._live), and without
        # statistics the planner may walk the status index instead of the primary key.
        tables = [self.documents]
        tables += [kind.model._meta.db_table for kind in kinds.searchable()]
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {', '.join(connection.ops.quote_name(t) for t in tables)}")

    def rebuild(self):
        """The vectors are generated columns: PostgreSQL keeps them current by itself."""


def _suggest_prefix(word):
    # Stemming shortens words ("dendritic" is indexed as "dendrit"), so a prefix the
    # visitor is still typing ("dendriti") is cut back to stay a prefix of the stem.
    return word[: max(3, len(word) - 2)] if len(word) > 4 else word


def _word_start(word, vendor):
    r"""A regular expression matching a word that begins with `word` (letters and digits
    only, see query.WORD: nothing to escape), in any case and with or without accents
    ("vesic" matches "Vesícula"): Python's for SQLite's REGEXP (Django provides the
    function), PostgreSQL's for ~* (where a word starts at \m)."""
    pattern = stemming.accent_tolerant(stemming.fold(word))
    return rf"(?i)\b{pattern}" if vendor == "sqlite" else rf"\m{pattern}"


def _starts_with(title, typed):
    """Whether `title` begins with what was typed, in any case and with any accents."""
    return stemming.fold(title).startswith(stemming.fold(typed))


def _flags(values):
    """Flat booleans, four per concept, as (in title, anywhere, related in title, related
    anywhere) tuples."""
    values = [bool(value) for value in values]
    return [tuple(values[n : n + 4]) for n in range(0, len(values), 4)]


def _best_suggestions(rows, limit):
    """From {id: (tier, row)}: exact names, then titles starting with what was typed,
    then others, then what the glossary relates to it; shortest titles first within a
    tier. Rows lose their id."""
    best = sorted(rows.values(), key=lambda item: (item[0], len(item[1][2]), -item[1][0]))
    return [row[1:] for _, row in best[:limit]]


ENGINES = {engine.vendor: engine for engine in (SQLiteEngine, PostgresEngine)}


def get_engine(language="en"):
    """The engine of the database in use, searching the documents in `language`."""
    try:
        return ENGINES[connection.vendor](language)
    except KeyError:
        raise NotSupportedError(
            f"Site search supports SQLite and PostgreSQL, not {connection.vendor}."
        ) from None
