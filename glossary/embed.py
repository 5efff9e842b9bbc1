"""The embeddable glossary: `/embed/glossary.js` and the term index it matches against.

A partner site adds one tag, `<script src="https://SITE/embed/glossary.js" defer>`, and
the script (static/embed/glossary.js) links the first mention of each term in the part
of the page it is pointed at, matching in the browser by the auto-linker's rules
(glossary/autolink.py).

The term index
    Published, auto-linked terms only (a term an editor keeps out of auto-linking on this
    site is not linked on others either), in the order the auto-linker reads them (the
    first term to claim a phrase keeps it), as compact JSON:

        {"v": 1, "url": "/glossary/{slug}/",
         "terms": [[slug, name, short definition, abbreviation, alias, alias, ...], ...]}

    The abbreviation is "" when there is none. Term pages are addresses relative to the
    script's own origin, so the index does not depend on the host it was asked on.

Languages
    There is one index per language, of that language's terms, their pages under the
    language's prefix ("/es/glossary/{slug}/"). The script takes `data-lang="es"` on its
    tag (English otherwise) and names every language's index; the unversioned index takes
    `?lang=es`. English keeps the addresses it always had; another language's versioned
    index is `index.<code>.<hash>.json`, so the immutable names never meet.

Caching: fetched once, kept until the glossary changes, never stale
    The index is built once per live content version (exosite.kernel.parts.for_content:
    any content write, or a scheduled term going live) and named by a hash of its bytes:
    `/embed/glossary/index.<hash>.json`, served `immutable` for a year to browsers and
    CDNs alike. The script is what names the current hash, so the script itself is
    revalidated on every use (`max-age=0, must-revalidate` with a strong ETag: a 304
    costs one small round trip; the page cache keeps it per content version). A change
    to the glossary gives a new hash, hence a new address nobody has cached. An old
    hash (a page open across a change) is redirected to the current one.
    `/embed/glossary/index.json` is the same index for other consumers, revalidated
    every time with the same ETag.

Cross-origin
    Both answer `Access-Control-Allow-Origin: *` and `Cross-Origin-Resource-Policy:
    cross-origin` (the site's default, same-origin, would stop another site's page from
    running the script). Neither reads nor sets a cookie.
"""

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.views.decorators.http import require_safe

from exosite.kernel import languages
from exosite.kernel.pagecache import PageCacheMiddleware
from exosite.kernel.parts import for_content

from .models import Term

INDEX_FORMAT = 1
SCRIPT = Path(settings.BASE_DIR) / "static" / "embed" / "glossary.js"
# Replaced in the script by {language: the current index's address} (a JSON object).
INDEX_PLACEHOLDER = '"__EXOSITE_INDEX__"'
IMMUTABLE = "public, max-age=31536000, immutable"


def entry(term):
    """One term of the index: [slug, name, short definition, abbreviation, *aliases]."""
    return [term.slug, term.name, term.short_definition, term.abbreviation, *term.alias_list]


def build_index(terms, language=languages.SOURCE):
    """The index's bytes for `terms` (in the auto-linker's order), their pages in
    `language`."""
    slug_url = languages.reverse("glossary:detail", language, kwargs={"slug": "__slug__"})
    slug_url = slug_url.replace("__slug__", "{slug}")
    data = {"v": INDEX_FORMAT, "url": slug_url, "terms": [entry(term) for term in terms]}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def digest(body):
    # The page cache's ETag is the same hash of the same bytes (exosite.kernel.pagecache),
    # so a 304 means the same thing whichever of the two answered.
    return hashlib.blake2b(body, digest_size=16).hexdigest()


class Index:
    __slots__ = ("body", "digest", "language")

    def __init__(self, body, language=languages.SOURCE):
        self.body = body
        self.digest = digest(body)
        self.language = language

    @property
    def etag(self):
        return f'"{self.digest}"'

    @property
    def path(self):
        if self.language == languages.SOURCE:
            return reverse("embed:glossary-index-versioned", kwargs={"digest": self.digest})
        return reverse(
            "embed:glossary-index-versioned-language",
            kwargs={"language": self.language, "digest": self.digest},
        )


def current_index(language=languages.SOURCE):
    """The index of `language`'s terms visitors may see now: one query per live content
    version, language and process."""

    def compute():
        terms = (
            Term.objects.published()
            .in_language(language)
            .filter(autolink=True)
            .only("slug", "language", "name", "short_definition", "abbreviation", "aliases")
            .order_by("name", "pk")
        )
        return Index(build_index(terms, language), language)

    return for_content(f"embed:glossary-index:{language}", compute, local=True)


class UnknownLanguage(ValueError):
    pass


def asked_language(request, code=None):
    """The language a request asks for (`?lang=`, or `code` from the address), English
    when it asks for none; UnknownLanguage for a language the site does not have."""
    code = request.GET.get("lang", "") if code is None else code
    if not code:
        return languages.SOURCE
    if code not in languages.codes():
        raise UnknownLanguage(f"lang must be one of: {', '.join(languages.codes())}.")
    return code


def unknown_language(error):
    response = HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
    return cross_origin(response)


def cross_origin(response):
    response["Access-Control-Allow-Origin"] = "*"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


def conditional(request, response, etag):
    """`response` with its ETag, or a 304 when the client has it already. Where the page
    cache will answer, it does that itself (with the same ETag: `digest`), and must see
    the 200 to store it: a 304 would keep it from storing the page for a minute."""
    response["ETag"] = etag
    if settings.EXOSITE_PAGE_CACHE and PageCacheMiddleware.cacheable_request(request):
        return cross_origin(response)
    return cross_origin(get_conditional_response(request, etag=etag, response=response))


@require_safe
def index(request, digest=None, language=None):
    try:
        language = asked_language(request, language)
    except UnknownLanguage as error:
        return unknown_language(error)
    current = current_index(language)
    if digest is not None and digest != current.digest:
        moved = cross_origin(HttpResponseRedirect(current.path))
        moved["Cache-Control"] = "no-cache"
        return moved
    response = HttpResponse(current.body, content_type="application/json")
    response["Cache-Control"] = (
        IMMUTABLE if digest else PageCacheMiddleware.cache_control(shared=True)
    )
    response["Content-Language"] = language
    return conditional(request, response, current.etag)


@lru_cache(maxsize=4)
def _source(mtime):
    return SCRIPT.read_text(encoding="utf-8")


def script_source():
    """The widget's source, read once per process (again if the file changed)."""
    return _source(SCRIPT.stat().st_mtime_ns)


@require_safe
def script(request):
    # Every language's index: the tag's data-lang chooses (the script is one file for all).
    indexes = {code: current_index(code).path for code in languages.codes()}
    source = script_source().replace(INDEX_PLACEHOLDER, json.dumps(indexes), 1)
    body = source.encode()
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = PageCacheMiddleware.cache_control(shared=True)
    return conditional(request, response, f'"{digest(body)}"')
