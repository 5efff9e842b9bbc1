"""'Look before you ask': what may already answer a question a visitor is typing.

The finding is site search's (stemmed full-text matching, the glossary's synonyms and
related terms: `exosite.search.answers`), which the apps may not import; the FAQ's ask
form reaches it here. Search provides it when it connects (`ExositeConfig.ready()`).
"""

_finder = []


def provide(finder):
    """`finder(text, limit)` -> up to `limit` {kind, title, url, summary} dicts, best first."""
    _finder[:] = [finder]


def find(text, limit=5):
    """What may answer `text`, best first (nothing when no finder was provided)."""
    return _finder[0](text, limit) if _finder else []
