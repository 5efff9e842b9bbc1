"""Site search: one search box over articles, glossary terms and FAQ entries.

- `query`: the visitors' syntax (words, "phrases", OR, -exclusions), parsed safely;
- `engines`: SQLite FTS5 and PostgreSQL full-text search behind one interface;
- `documents`: what each kind of content puts in the index, kept current by signals;
- `views`: the results page (/search/) and the type-ahead endpoint (/search/suggest/);
- `answers`: 'look before you ask' for the FAQ's ask form, and the glossary's synonyms
  and related terms in suggestions;
- `stemming`: Spanish words as SQLite's Spanish index holds them (PostgreSQL stems
  them itself).

The apps never import this package; `ExositeConfig.ready()` calls `connect()`.
"""


def connect():
    from django.db import connections
    from django.db.backends.signals import connection_created

    from . import answers, documents, stemming

    documents.connect()
    answers.connect()
    # SQLite's Spanish index stems through a function of ours: every connection has it.
    connection_created.connect(_register_functions, dispatch_uid="search-sqlite-functions")
    for connection in connections.all(initialized_only=True):
        if connection.vendor == "sqlite" and connection.connection is not None:
            stemming.register(connection.connection)


def _register_functions(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        from .stemming import register

        register(connection.connection)
