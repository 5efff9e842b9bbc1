"""The glossary's link source: cross-links by name or slug, and auto-linking."""

import threading
import unicodedata

from exosite import markup
from exosite.linking import ModelSource

from .autolink import AutoLinker, LinkTarget
from .models import Term

APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'"})


def name_key(name):
    """How names compare in [[Name]] cross-links: any case, any apostrophe, any spacing."""
    text = unicodedata.normalize("NFKC", name).translate(APOSTROPHES)
    return " ".join(text.casefold().split())


class GlossaryIndex:
    """Every published term of one glossary version: for finding by name and auto-linking."""

    def __init__(self, terms):
        self.by_name = {}
        targets = []
        for term in terms:
            target = markup.Target(
                key=f"glossary:{term.slug}", url=term.get_absolute_url(), title=term.name
            )
            for name in (term.name, term.abbreviation, *term.alias_list):
                if name:
                    self.by_name.setdefault(name_key(name), target)
            if term.autolink:
                targets.append(
                    LinkTarget(
                        key=target.key,
                        url=target.url,
                        title=term.name,
                        short_definition=term.short_definition,
                        phrases=(term.name, *term.alias_list),
                        abbreviations=(term.abbreviation,) if term.abbreviation else (),
                    )
                )
        self.linker = AutoLinker(targets)

    def find(self, name):
        return self.by_name.get(name_key(name))

    def autolink(self, html, exclude_keys=()):
        result = self.linker.link(html, exclude_keys=exclude_keys)
        return result.html, result.linked_keys


class GlossarySource(ModelSource, markup.Glossary):
    model = Term
    title_field = "name"
    html_field = "definition_html"

    def __init__(self):
        self._lock = threading.Lock()
        self._indexes = {}  # (scope, version) -> GlossaryIndex; only the latest are kept

    def index(self, scope="live", version=None):
        key = (scope, version or self.version())
        index = self._indexes.get(key)
        if index is None:
            terms = self.queryset(scope).only(
                "name", "slug", "abbreviation", "aliases", "short_definition", "autolink"
            )
            index = GlossaryIndex(terms)
            with self._lock:
                self._indexes = {k: v for k, v in self._indexes.items() if k[0] != scope}
                self._indexes[key] = index
        return index


source = GlossarySource()
