"""Search in each language (issue 17): every document says its item's language, and Spanish
documents are stemmed the Spanish way (exosite/search/engines.py says how, on each engine).

SQLite: adding the column remakes the table, which drops the English index's triggers:
they are made again. Spanish documents get a second, contentless FTS5 table of their words
stemmed by `exosite_stems_es` (exosite.search.stemming, registered on every connection),
kept by triggers. (Not over a view: a view of the documents would make SQLite refuse the
next migration that remakes their table.)
PostgreSQL: an `exosite_search_es` configuration (Spanish Snowball stemmer, after
`unaccent` when the extension can be had), and the vectors made again to choose the
configuration by the row's language.
"""

import re
import unicodedata

import Stemmer
from django.db import migrations, models

# exosite.search.stemming's function, written out here (as 0003 writes its SQL out) so
# that this migration keeps doing what it did when the code around it changes. The site
# registers its own on every connection; both give the same stems.
SQL_FUNCTION = "exosite_stems_es"
WORD = re.compile(r"[^\W_]+")
COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def stems(text):
    if not text:
        return ""
    if text.isascii():
        text = text.lower()
    else:
        text = COMBINING.sub("", unicodedata.normalize("NFKD", text)).casefold()
    return " ".join(Stemmer.Stemmer("spanish").stemWords(WORD.findall(text)))


FIELDS = ("title", "keywords", "tags", "summary", "body", "filters")
TEXT = FIELDS[:-1]
COLUMNS = ", ".join(FIELDS)


def values(row):
    return ", ".join(f"{SQL_FUNCTION}({row}.{f})" for f in TEXT) + f", {row}.filters"


SQLITE_ENGLISH_TRIGGERS = [
    f"""CREATE TRIGGER exosite_search_fts_insert AFTER INSERT ON exosite_searchdocument BEGIN
        INSERT INTO exosite_search_fts(rowid, {COLUMNS})
        VALUES (new.id, {", ".join(f"new.{f}" for f in FIELDS)});
    END""",
    f"""CREATE TRIGGER exosite_search_fts_delete AFTER DELETE ON exosite_searchdocument BEGIN
        INSERT INTO exosite_search_fts(exosite_search_fts, rowid, {COLUMNS})
        VALUES ('delete', old.id, {", ".join(f"old.{f}" for f in FIELDS)});
    END""",
    f"""CREATE TRIGGER exosite_search_fts_update AFTER UPDATE ON exosite_searchdocument BEGIN
        INSERT INTO exosite_search_fts(exosite_search_fts, rowid, {COLUMNS})
        VALUES ('delete', old.id, {", ".join(f"old.{f}" for f in FIELDS)});
        INSERT INTO exosite_search_fts(rowid, {COLUMNS})
        VALUES (new.id, {", ".join(f"new.{f}" for f in FIELDS)});
    END""",
]
SQLITE_SPANISH = [
    # What the Spanish index holds of each Spanish document: its words folded and stemmed
    # (the filters as they are); the text itself stays in the documents' table.
    f"""CREATE VIRTUAL TABLE exosite_search_fts_es USING fts5(
        {COLUMNS}, content='', tokenize='unicode61 remove_diacritics 2', prefix='2 3 4'
    )""",
    f"""CREATE TRIGGER exosite_search_fts_es_insert AFTER INSERT ON exosite_searchdocument
        WHEN new.language = 'es' BEGIN
        INSERT INTO exosite_search_fts_es(rowid, {COLUMNS}) VALUES (new.id, {values("new")});
    END""",
    f"""CREATE TRIGGER exosite_search_fts_es_delete AFTER DELETE ON exosite_searchdocument
        WHEN old.language = 'es' BEGIN
        INSERT INTO exosite_search_fts_es(exosite_search_fts_es, rowid, {COLUMNS})
        VALUES ('delete', old.id, {values("old")});
    END""",
    # The old words out before the new ones in (one trigger: the order is kept).
    f"""CREATE TRIGGER exosite_search_fts_es_update AFTER UPDATE ON exosite_searchdocument
        WHEN old.language = 'es' OR new.language = 'es' BEGIN
        INSERT INTO exosite_search_fts_es(exosite_search_fts_es, rowid, {COLUMNS})
        SELECT 'delete', old.id, {values("old")} WHERE old.language = 'es';
        INSERT INTO exosite_search_fts_es(rowid, {COLUMNS})
        SELECT new.id, {values("new")} WHERE new.language = 'es';
    END""",
    "INSERT INTO exosite_search_fts(exosite_search_fts) VALUES ('rebuild')",
    f"""INSERT INTO exosite_search_fts_es(rowid, {COLUMNS})
        SELECT d.id, {values("d")} FROM exosite_searchdocument d WHERE d.language = 'es'""",
]
SQLITE_SPANISH_UNDO = [
    "DROP TRIGGER IF EXISTS exosite_search_fts_es_insert",
    "DROP TRIGGER IF EXISTS exosite_search_fts_es_delete",
    "DROP TRIGGER IF EXISTS exosite_search_fts_es_update",
    "DROP TABLE IF EXISTS exosite_search_fts_es",
]


def vector(config):
    """The weighted vector of every field, and the titles' and aliases' (0003's), in
    `config`."""
    c = f"'{config}'::regconfig"
    every = (
        f"setweight(to_tsvector({c}, title), 'A') || setweight(to_tsvector({c}, keywords), 'A')"
        f" || setweight(to_tsvector({c}, tags), 'B')"
        f" || setweight(to_tsvector({c}, summary), 'C')"
        f" || setweight(to_tsvector({c}, body), 'D')"
    )
    titles = f"to_tsvector({c}, title) || to_tsvector({c}, keywords)"
    return every, titles


def postgres_vectors(by_language):
    """Statements making search_vector and title_vector again (and their indexes): with
    `by_language`, in the row's language's configuration."""
    english, english_titles = vector("exosite_search")
    if by_language:
        spanish, spanish_titles = vector("exosite_search_es")
        every = f"CASE language WHEN 'es' THEN {spanish} ELSE {english} END"
        titles = f"CASE language WHEN 'es' THEN {spanish_titles} ELSE {english_titles} END"
    else:
        every, titles = english, english_titles
    return [
        "DROP INDEX IF EXISTS exosite_searchdocument_vector",
        "DROP INDEX IF EXISTS exosite_searchdocument_title_vector",
        "ALTER TABLE exosite_searchdocument DROP COLUMN IF EXISTS search_vector",
        "ALTER TABLE exosite_searchdocument DROP COLUMN IF EXISTS title_vector",
        f"""ALTER TABLE exosite_searchdocument ADD COLUMN search_vector tsvector
            GENERATED ALWAYS AS ({every}) STORED""",
        "CREATE INDEX exosite_searchdocument_vector ON exosite_searchdocument "
        "USING gin (search_vector)",
        f"""ALTER TABLE exosite_searchdocument ADD COLUMN title_vector tsvector
            GENERATED ALWAYS AS ({titles}) STORED""",
        "CREATE INDEX exosite_searchdocument_title_vector ON exosite_searchdocument "
        "USING gin (title_vector)",
    ]


def unaccent_available(schema_editor):
    """Create the unaccent extension if we may (as 0003 does)."""
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'unaccent'")
        if cursor.fetchone() is None:
            return False
        cursor.execute("SAVEPOINT exosite_unaccent")
        try:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        except Exception:
            cursor.execute("ROLLBACK TO SAVEPOINT exosite_unaccent")
            return False
        cursor.execute("RELEASE SAVEPOINT exosite_unaccent")
        return True


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.connection.ensure_connection()
        schema_editor.connection.connection.create_function(
            SQL_FUNCTION, 1, stems, deterministic=True
        )
        for name in ("insert", "delete", "update"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS exosite_search_fts_{name}")
        for sql in SQLITE_ENGLISH_TRIGGERS + SQLITE_SPANISH:
            schema_editor.execute(sql)
    elif vendor == "postgresql":
        schema_editor.execute(
            "CREATE TEXT SEARCH CONFIGURATION exosite_search_es (COPY = pg_catalog.spanish)"
        )
        if unaccent_available(schema_editor):
            # "vesicula" finds "vesícula": accents go before the stemmer sees the word.
            schema_editor.execute(
                "ALTER TEXT SEARCH CONFIGURATION exosite_search_es "
                "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, spanish_stem"
            )
        for sql in postgres_vectors(by_language=True):
            schema_editor.execute(sql)


def uninstall(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for sql in SQLITE_SPANISH_UNDO:
            schema_editor.execute(sql)
    elif vendor == "postgresql":
        for sql in postgres_vectors(by_language=False):
            schema_editor.execute(sql)
        schema_editor.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS exosite_search_es")


def english_triggers_back(apps, schema_editor):
    """Going back, removing the column remakes the table again: its triggers return."""
    if schema_editor.connection.vendor == "sqlite":
        for name in ("insert", "delete", "update"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS exosite_search_fts_{name}")
        for sql in SQLITE_ENGLISH_TRIGGERS:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("exosite", "0006_tagredirect")]

    operations = [
        # Undone last going back: the English triggers after the column is removed.
        migrations.RunPython(migrations.RunPython.noop, english_triggers_back),
        migrations.AddField(
            model_name="searchdocument",
            name="language",
            field=models.CharField(default="en", max_length=8),
        ),
        migrations.AddIndex(
            model_name="searchdocument",
            index=models.Index(
                fields=["language", "kind", "published_at"], name="exosite_searchdoc_language"
            ),
        ),
        migrations.RunPython(install, uninstall, elidable=False),
    ]
