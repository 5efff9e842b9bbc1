"""Site search: one search box over articles, glossary terms and FAQ entries.

- `query`: the visitors' syntax (words, "phrases", OR, -exclusions), parsed safely;
- `engines`: SQLite FTS5 and PostgreSQL full-text search behind one interface;
- `documents`: what each kind of content puts in the index, kept current by signals;
- `views`: the results page (/search/) and the type-ahead endpoint (/search/suggest/);
- `answers`: 'look before you ask' for the FAQ's ask form, and the glossary's synonyms
  and related terms in suggestions.

The apps never import this package; `ExositeConfig.ready()` calls `connect()`.
"""


def connect():
    from . import answers, documents

    documents.connect()
    answers.connect()
