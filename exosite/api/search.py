"""Search, type-ahead and the glossary's term index for the read API: the site's own
(exosite.search, glossary.embed), kept per content version as the pages keep them."""

import hashlib
import json

from django.utils.html import strip_tags

from exosite.kernel.parts import for_content
from exosite.search import views as search_views
from exosite.search.query import parse
from glossary import embed


def found(text, kind, tag_slug, number, language="en"):
    """{total, results, more} of page `number` of a search of the content in `language`,
    as the search page finds it."""
    query = parse(text, language)
    key = hashlib.blake2b(
        repr((language, query.raw, kind, tag_slug, number)).encode(), digest_size=16
    ).hexdigest()

    def compute():
        if not query:
            return {"total": 0, "results": [], "more": False}
        page = search_views.find(query, kind, tag_slug, number, language)
        results = [
            {
                "kind": result.kind,
                "kind_label": result.kind_label,
                "title": strip_tags(result.title),
                "url": result.url,
                "snippet_html": str(result.snippet),
            }
            for result in page["results"]
        ]
        pages = -(-page.get("count", 0) // search_views.PER_PAGE)
        shown_page = page.get("number", number)
        return {"total": page["total"], "results": results, "more": shown_page < pages}

    return for_content(f"api-search:{key}", compute)


# Type-ahead: exosite.search.views.suggestions, the site's own.
suggestions = search_views.suggestions


def term_index():
    return json.loads(embed.current_index().body)
