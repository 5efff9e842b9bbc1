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

An engine receives a parsed query (`exosite.search.query`), never the visitor's string:
FTS5 gets each word inside double quotes, PostgreSQL gets one `to_tsquery` parameter
built from quoted words. Visibility (published, not scheduled for later) is a condition
of every statement, computed from the time of the request.

Ranking, the same on both, in tiers:
1. an exact match of the whole query with a term's name, abbreviation or alias;
2. matches in a title or alias (titles that start with the query first, then the
   shortest: a title that is mostly the query is most about it);
3. every other match, by relevance over all fields (title > aliases > tags > summary >
   body), newest first on ties.
A tier ranks at most `RANK_WINDOW` matches, the most recently indexed ones, and a search
lists at most that many: ranking every one of 100,000 matches of a very common word costs
hundreds of milliseconds on either engine, and no visitor pages that far. Counts stop at
`COUNT_LIMIT` ("more than 1,000 results") for the same reason.
"""

import json
from dataclasses import dataclass

from django.db import NotSupportedError, connection
from taggit.models import Tag, TaggedItem

MARK_START = "\ue000"
MARK_END = "\ue001"
RANK_WINDOW = 1_000
COUNT_LIMIT = 1_000
KINDS = ("article", "term", "question")


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


def _merge(exact, titled, others, size):
    """Ids of the three ranking tiers, in order, each id once, at most `size`."""
    ordered = dict.fromkeys(exact)
    for pk in (*titled, *others):
        ordered.setdefault(pk)
        if len(ordered) >= size:
            break
    return list(ordered)[:size]


def _title_order(row):
    """(id, starts with the query, title length): starting titles first, then the
    shortest (a title that is mostly the query is most about it), then the newest."""
    return (-row[1], row[2], -row[0])


def _starts(query):
    """A LIKE pattern for titles beginning with the query's words (lowercase). Words are
    letters and digits: nothing to escape."""
    words = [word for term in query.terms for word in term.words]
    return " ".join(words) + "%"


class Engine:
    vendor = ""
    documents = "exosite_searchdocument"

    def __init__(self):
        self.tagged = TaggedItem._meta.db_table
        self.tags = Tag._meta.db_table

    @staticmethod
    def _fetch(sql, params):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    @staticmethod
    def _now(now):
        return connection.ops.adapt_datetimefield_value(now)

    # -- the interface ------------------------------------------------------------------

    def _count_sql(self, query, now, kind, tag_id, limit):
        """SQL counting the matches visible now, up to `limit` + 1, and its parameters."""
        raise NotImplementedError

    def count(self, query, *, now, kind=None, tag_id=None, limit=None):
        """Matches visible now, counted up to `limit` (COUNT_LIMIT) + 1."""
        if not query:
            return 0
        limit = COUNT_LIMIT if limit is None else limit
        sql, params = self._count_sql(query, now, kind, tag_id, limit)
        return self._fetch(sql, params)[0][0]

    def kind_counts(self, query, *, now, tag_id=None, limit=None):
        """{kind: matches visible now}, each counted up to `limit` + 1, in one query."""
        if not query:
            return dict.fromkeys(KINDS, 0)
        limit = COUNT_LIMIT if limit is None else limit
        parts, params = [], []
        for kind in KINDS:
            sql, kind_params = self._count_sql(query, now, kind, tag_id, limit)
            parts.append(f"({sql})")
            params.extend(kind_params)
        return dict(zip(KINDS, self._fetch("SELECT " + ", ".join(parts), params)[0], strict=True))

    def ranked(self, query, *, now, kind=None, tag_id=None, size=None):
        """Ids of the matching documents visible now, best first (at most `size`, by
        default RANK_WINDOW)."""
        raise NotImplementedError

    def hits(self, query, ids):
        """The documents `ids` (in that order) with their matched words marked."""
        raise NotImplementedError

    def suggest(self, query, *, now, limit=8):
        """Type-ahead: (kind, title, url, content_type_id, object_id) of documents whose
        title or alias matches `query` (a prefix query), best first."""
        raise NotImplementedError

    def search(self, query, *, now, kind=None, tag_id=None, limit=10, offset=0, count=True):
        """One page of hits and the number of matches (up to COUNT_LIMIT + 1)."""
        if not query:
            return [], 0
        total = self.count(query, now=now, kind=kind, tag_id=tag_id) if count else None
        ids = self.ranked(query, now=now, kind=kind, tag_id=tag_id)
        return self.hits(query, ids[offset : offset + limit]), total

    def tag_facets(self, ids, limit=12):
        """(slug, name, count) of the tags most used among documents `ids`."""
        if not ids:
            return []
        marks = ", ".join(["%s"] * len(ids))
        return self._fetch(
            f"""
            SELECT t.slug, t.name, COUNT(*) AS n
            FROM {self.documents} d
            JOIN {self.tagged} ti
              ON ti.content_type_id = d.content_type_id AND ti.object_id = d.object_id
            JOIN {self.tags} t ON t.id = ti.tag_id
            WHERE d.id IN ({marks})
            GROUP BY t.slug, t.name ORDER BY n DESC, t.name LIMIT %s
            """,
            [*ids, limit],
        )

    def optimize(self):
        """Tidy the index after bulk changes (rebuild_search_index, benchmarks)."""

    def rebuild(self):
        """Rebuild the engine's own index from the documents table."""


class SQLiteEngine(Engine):
    vendor = "sqlite"
    fts = "exosite_search_fts"
    text_columns = "{title keywords tags summary body}"
    # bm25 weights of the FTS5 columns: title, keywords, tags, summary, body, filters.
    weights = "10.0, 8.0, 3.0, 2.0, 1.0, 0.0"
    marks = f"'{MARK_START}', '{MARK_END}'"

    @staticmethod
    def _term(term):
        # Words are letters and digits only (query.WORD): no quote can end the string.
        text = '"' + " ".join(term.words) + '"'
        return text + " *" if term.prefix else text

    def _any(self, terms):
        return "(" + " OR ".join(self._term(term) for term in terms) + ")"

    def _positive(self, query):
        return " AND ".join(self._any(group) for group in query.groups)

    def expression(self, query, columns=None, kind=None, tag_id=None):
        """The FTS5 MATCH expression: visitors' words in the text columns (or `columns`),
        exclusions anywhere in the text, filters in the `filters` column."""
        expression = f"{columns or self.text_columns} : ({self._positive(query)})"
        if query.excluded:
            excluded = " OR ".join(self._term(term) for term in query.excluded)
            expression = f"({expression}) NOT ({self.text_columns} : ({excluded}))"
        filters = [f'"kind{kind}"'] if kind else []
        if tag_id:
            filters.append(f'"tag{int(tag_id)}"')
        if filters:
            expression = f"({expression}) AND {{filters}} : ({' AND '.join(filters)})"
        return expression

    def _visible(self, select, match, now, tail="", params=()):
        """Rows of `select` (over the FTS table `f` and the documents `d`) matching
        `match` and visible now."""
        return self._fetch(
            f"""
            SELECT {select} FROM {self.fts} f JOIN {self.documents} d ON d.id = f.rowid
            WHERE {self.fts} MATCH %s AND d.published_at <= %s {tail}
            """,
            [*params, match, self._now(now)],
        )

    def _count_sql(self, query, now, kind, tag_id, limit):
        sql = f"""
            SELECT COUNT(*) FROM (
                SELECT 1 FROM {self.fts} f JOIN {self.documents} d ON d.id = f.rowid
                WHERE {self.fts} MATCH %s AND d.published_at <= %s LIMIT %s
            ) matches
        """
        return sql, [self.expression(query, kind=kind, tag_id=tag_id), self._now(now), limit + 1]

    def ranked(self, query, *, now, kind=None, tag_id=None, size=None):
        if not query:
            return []
        size = RANK_WINDOW if size is None else size
        match = self.expression(query, kind=kind, tag_id=tag_id)
        exact = []
        if query.exact_key:
            rows = self._visible(
                "f.rowid, length(d.title)",
                f'({match}) AND {{filters}} : "{exact_token(query.exact_key)}"',
                now,
            )
            exact = [pk for pk, _ in sorted(rows, key=lambda row: (row[1], -row[0]))]
        newest = f"ORDER BY f.rowid DESC LIMIT {int(size)}"
        bm25 = f"bm25({self.fts}, {self.weights})"
        titled = self._visible(
            "f.rowid, lower(d.title) LIKE %s, length(d.title)",
            self.expression(query, "{title keywords}", kind, tag_id),
            now,
            newest,
            [_starts(query)],
        )
        titled.sort(key=_title_order)
        others = self._visible(f"f.rowid, {bm25}", match, now, newest)
        others.sort(key=lambda row: (row[1], -row[0]))
        return _merge(exact, [row[0] for row in titled], [row[0] for row in others], size)

    def hits(self, query, ids):
        if not ids:
            return []
        marks = ", ".join(["%s"] * len(ids))
        rows = self._fetch(
            f"""
            SELECT d.id, d.kind, d.url, d.content_type_id, d.object_id,
                   highlight({self.fts}, 0, {self.marks}),
                   highlight({self.fts}, 1, {self.marks}),
                   highlight({self.fts}, 3, {self.marks}),
                   snippet({self.fts}, 4, {self.marks}, '…', 28)
            FROM {self.fts} f JOIN {self.documents} d ON d.id = f.rowid
            WHERE {self.fts} MATCH %s AND f.rowid IN ({marks})
            """,
            [self.expression(query), *ids],
        )
        found = {row[0]: Hit(*row) for row in rows}
        return [found[pk] for pk in ids if pk in found]

    def suggest(self, query, *, now, limit=8):
        if not query:
            return []
        *words, last = [term.words[0] for term in query.terms]
        prefix = self._suggest_prefix(last)
        phrase = " ".join([*words, prefix])
        typed = " ".join([*words, last])
        select = "d.id, d.kind, d.title, d.url, d.content_type_id, d.object_id"
        newest = "ORDER BY f.rowid DESC LIMIT 100"
        rows = {}
        if query.exact_key:
            exact = f'{{filters}} : "{exact_token(query.exact_key)}"'
            rows.update((row[0], (0, row)) for row in self._visible(select, exact, now))
        words_match = " AND ".join([*(f'"{word}"' for word in words), f'"{prefix}" *'])
        for row in self._visible(select, "{title keywords} : (" + words_match + ")", now, newest):
            starts = row[2].lower().startswith(typed)
            rows.setdefault(row[0], (1 if starts else 2, row))
        # Titles that start with the words, however old (FTS5 initial-token query).
        starting = f'{{title}} : ^"{phrase}" *'
        for row in self._visible(select, starting, now, newest):
            rows.setdefault(row[0], (1, row))
        best = sorted(rows.values(), key=lambda item: (item[0], len(item[1][2]), -item[1][0]))
        return [row[1:] for _, row in best[:limit]]

    @staticmethod
    def _suggest_prefix(word):
        # Stemming shortens words ("dendritic" is indexed as "dendrit"), so a prefix the
        # visitor is still typing ("dendriti") is cut back to stay a prefix of the stem.
        return word[: max(3, len(word) - 2)] if len(word) > 4 else word

    def optimize(self):
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {self.fts}({self.fts}) VALUES ('optimize')")

    def rebuild(self):
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {self.fts}({self.fts}) VALUES ('rebuild')")


class PostgresEngine(Engine):
    vendor = "postgresql"
    config = "exosite_search"
    # Above this share of documents, walking back from the newest row finds RANK_WINDOW
    # matches sooner than collecting and sorting all of them (measured at 100,000).
    DENSE = 0.2
    headline_all = f"HighlightAll=true, StartSel={MARK_START}, StopSel={MARK_END}"
    headline_body = (
        f'MaxWords=28, MinWords=12, MaxFragments=2, FragmentDelimiter=" … ", '
        f"StartSel={MARK_START}, StopSel={MARK_END}"
    )

    @staticmethod
    def _term(term, weight=""):
        # Words are letters and digits only (query.WORD): safe between quotes.
        if term.prefix:
            return f"'{term.words[0]}':*{weight}"
        lexemes = [f"'{word}'" + (f":{weight}" if weight else "") for word in term.words]
        return "(" + " <-> ".join(lexemes) + ")"

    def _any(self, terms, weight=""):
        return "(" + " | ".join(self._term(term, weight) for term in terms) + ")"

    def tsquery(self, query, exclusions=True):
        """The query in to_tsquery syntax. Without `exclusions`: what ranking and
        highlighting use (ts_rank scores a query with a negation next to nothing)."""
        text = " & ".join(self._any(group) for group in query.groups)
        if exclusions and query.excluded:
            text = f"({text}) & !{self._any(query.excluded)}"
        return text

    def _filters(self, now, kind=None, tag_id=None):
        where = ["d.published_at <= %s"]
        params = [self._now(now)]
        if kind:
            where.append("d.kind = %s")
            params.append(kind)
        if tag_id:
            where.append(
                f"EXISTS (SELECT 1 FROM {self.tagged} ti WHERE ti.content_type_id = "
                "d.content_type_id AND ti.object_id = d.object_id AND ti.tag_id = %s)"
            )
            params.append(tag_id)
        return " AND ".join(where), params

    def _count_sql(self, query, now, kind, tag_id, limit):
        where, params = self._filters(now, kind, tag_id)
        sql = f"""
            SELECT COUNT(*) FROM (
                SELECT 1 FROM {self.documents} d
                WHERE d.search_vector @@ to_tsquery('{self.config}', %s) AND {where}
                LIMIT %s
            ) matches
        """
        return sql, [self.tsquery(query), *params, limit + 1]

    def ranked(self, query, *, now, kind=None, tag_id=None, size=None):
        if not query:
            return []
        size = RANK_WINDOW if size is None else size
        where, params = self._filters(now, kind, tag_id)
        full, positive = self.tsquery(query), self.tsquery(query, exclusions=False)
        exact = []
        if query.exact_key:
            rows = self._fetch(
                f"""
                SELECT d.id, length(d.title) FROM {self.documents} d
                WHERE string_to_array(d.exact_keys, '|') @> ARRAY[%s]::text[]
                  AND d.search_vector @@ to_tsquery('{self.config}', %s) AND {where}
                """,
                [query.exact_key, full, *params],
            )
            exact = [pk for pk, _ in sorted(rows, key=lambda row: (row[1], -row[0]))]
        # Title tier: the positive words in titles and aliases, no excluded word anywhere.
        excluded = ""
        excluded_params = []
        if query.excluded:
            excluded = f"AND NOT d.search_vector @@ to_tsquery('{self.config}', %s)"
            excluded_params = [self._any(query.excluded)]
        titled = self._fetch(
            f"""
            SELECT d.id, lower(d.title) LIKE %s, length(d.title)
            FROM {self.documents} d
            WHERE d.title_vector @@ to_tsquery('{self.config}', %s) {excluded} AND {where}
            ORDER BY d.id DESC LIMIT %s
            """,
            [_starts(query), positive, *excluded_params, *params, size],
        )
        titled.sort(key=_title_order)
        # The newest matches: a word in most documents is found quickest walking back
        # from the newest row; a rarer one through the GIN index, then sorted. PostgreSQL
        # underrates the cost of testing a large tsvector row by row, so the shape of
        # the statement is chosen here from its own estimate of the matches.
        newest = "d.id DESC" if self._dense(full) else "d.id + 0 DESC"
        others = self._fetch(
            f"""
            SELECT newest.id, ts_rank(newest.search_vector, to_tsquery('{self.config}', %s))
            FROM (
                SELECT d.id, d.search_vector FROM {self.documents} d
                WHERE d.search_vector @@ to_tsquery('{self.config}', %s) AND {where}
                ORDER BY {newest} LIMIT %s
            ) newest
            """,
            [positive, full, *params, size],
        )
        others.sort(key=lambda row: (-row[1], -row[0]))
        return _merge(exact, [row[0] for row in titled], [row[0] for row in others], size)

    def _dense(self, tsquery):
        """Whether the planner expects `tsquery` in more than DENSE of the documents."""
        rows = self._fetch(
            f"""
            EXPLAIN (FORMAT JSON)
            SELECT 1 FROM {self.documents} d
            WHERE d.search_vector @@ to_tsquery('{self.config}', %s)
            UNION ALL SELECT 1 FROM {self.documents} d
            """,
            [tsquery],
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

    def suggest(self, query, *, now, limit=8):
        if not query:
            return []
        *words, last = [term.words[0] for term in query.terms]
        typed = " ".join([*words, last])
        lexemes = [f"'{word}'" for word in words]
        lexemes.append(f"'{SQLiteEngine._suggest_prefix(last)}':*")
        where, params = self._filters(now)
        select = f"""SELECT d.id, d.kind, d.title, d.url, d.content_type_id, d.object_id
            FROM {self.documents} d"""
        rows = {}
        if query.exact_key:
            found = self._fetch(
                f"""{select} WHERE string_to_array(d.exact_keys, '|') @> ARRAY[%s]::text[]
                AND {where}""",
                [query.exact_key, *params],
            )
            rows.update((row[0], (0, row)) for row in found)
        found = self._fetch(
            f"""{select} WHERE d.title_vector @@ to_tsquery('{self.config}', %s) AND {where}
            ORDER BY d.id DESC LIMIT 100""",
            [" & ".join(lexemes), *params],
        )
        for row in found:
            rows.setdefault(row[0], (1 if row[2].lower().startswith(typed) else 2, row))
        # Titles that start with what was typed, however old (a text_pattern_ops index).
        found = self._fetch(
            f"""{select} WHERE lower(d.title) LIKE %s AND {where}
            ORDER BY length(d.title), d.id DESC LIMIT 100""",
            [typed + "%", *params],
        )
        for row in found:
            rows.setdefault(row[0], (1, row))
        best = sorted(rows.values(), key=lambda item: (item[0], len(item[1][2]), -item[1][0]))
        return [row[1:] for _, row in best[:limit]]

    def optimize(self):
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {self.documents}")

    def rebuild(self):
        """The vectors are generated columns: PostgreSQL keeps them current by itself."""


ENGINES = {engine.vendor: engine for engine in (SQLiteEngine, PostgresEngine)}


def get_engine():
    try:
        return ENGINES[connection.vendor]()
    except KeyError:
        raise NotSupportedError(
            f"Site search supports SQLite and PostgreSQL, not {connection.vendor}."
        ) from None
