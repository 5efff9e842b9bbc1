"""The read API, /api/v1/: every published content kind the registry knows, listed with
filters and cursors and shown whole; built on django-ninja, which writes the OpenAPI 3.1
schema (/api/v1/openapi.json) from the same type hints that validate the parameters.

Published items only, always: every query starts from the kind's `queryset("live")`, the
one the site's own pages use. What every response shares (CORS, the rate limit, ETags and
304s, cache headers, JSON errors for addresses outside the API's routes) is done by
exosite.api.middleware.
"""

import hashlib
from datetime import date, datetime
from typing import Literal

from django.conf import settings
from django.http import Http404, HttpResponse, QueryDict
from django.urls import reverse
from ninja import Field, NinjaAPI, Query, Schema
from ninja.errors import HttpError, ValidationError

from exosite.kernel import languages
from exosite.kernel.parts import for_content
from glossary import embed as glossary_embed

from . import items as api_items
from . import search as api_search


class Tag(Schema):
    name: str
    slug: str


class Topic(Schema):
    name: str
    slug: str


class Person(Schema):
    name: str
    url: str | None = Field(description="Their profile on the site, if public.")


class Reference(Schema):
    number: int = Field(description="As cited in the text: [1], [2, 3].")
    citation: str
    doi: str | None
    pmid: str | None
    url: str | None = Field(description="The DOI's address, else PubMed's, else the source's.")


class ItemSummary(Schema):
    kind: str
    slug: str = Field(description="Unique within the item's language.")
    language: str = Field(description="The language the item is written in: en or es.")
    translations: dict[str, str] = Field(
        description="{language: the item's page on the site} for each published version of "
        "this item, itself included."
    )
    title: str
    url: str = Field(description="The item's page on the site.")
    api_url: str
    description: str
    published_at: datetime | None
    updated_at: datetime
    tags: list[Tag]
    topic: Topic | None = Field(None, description="FAQ entries only: the entry's topic.")


class ItemDetail(ItemSummary):
    html: str = Field(description="The text as the site shows it (sanitised, links absolute).")
    markdown: str = Field(description="The text as editors wrote it.")
    references: list[Reference]
    authors: list[Person]
    review_current: bool = Field(
        description="Whether a medical review covers this very version of the text."
    )
    reviewer: Person | None
    reviewed_at: date | None
    next_review_at: date | None


class ItemList(Schema):
    items: list[ItemSummary]
    next: str | None = Field(description="The next page's address; null on the last page.")


class KindInfo(Schema):
    name: str
    label: str
    url: str


class Index(Schema):
    kinds: list[KindInfo]
    openapi: str
    docs: str


class ErrorDetail(Schema):
    status: int
    code: str
    message: str
    fields: dict[str, str] = Field(
        default_factory=dict, description="For a bad parameter: its name and what is wrong."
    )


class Error(Schema):
    error: ErrorDetail


def error_body(status, code, message, fields=None):
    return {"error": {"status": status, "code": code, "message": message, "fields": fields or {}}}


api = NinjaAPI(
    title="Exosite read API",
    version="1",
    description=(
        "Read-only access to what Exosite publishes: articles, glossary terms, FAQ entries "
        "and policy pages. Anonymous, JSON, CORS open to any origin for GET, rate-limited "
        "per client (429 with Retry-After). Lists are ordered by last change (oldest first) "
        "and paged by cursor: follow `next`."
    ),
    urls_namespace="api",
    docs_url=None,  # the site's own page: exosite.api.docs
    openapi_url="/openapi.json",
)


@api.exception_handler(ValidationError)
def invalid(request, exc):
    if any(tuple(problem.get("loc", ()))[:1] == ("path",) for problem in exc.errors):
        # An address naming no kind of content: not a bad parameter, nothing there.
        return not_found(request, Http404("No kind of content is called that: see /api/v1/."))
    fields = {}
    for problem in exc.errors:
        location = [str(part) for part in problem.get("loc", ()) if part not in ("query", "path")]
        fields[".".join(location) or "request"] = problem.get("msg", "Not valid.")
    names = ", ".join(fields)
    return api.create_response(
        request, error_body(400, "invalid", f"Not a valid value: {names}.", fields), status=400
    )


@api.exception_handler(Http404)
def not_found(request, exc):
    message = str(exc) or "Nothing is published at this address."
    return api.create_response(request, error_body(404, "not_found", message), status=404)


@api.exception_handler(HttpError)
def http_error(request, exc):
    return api.create_response(
        request,
        error_body(
            exc.status_code, getattr(exc, "code", "error"), str(exc), getattr(exc, "fields", None)
        ),
        status=exc.status_code,
    )


class BadParameter(HttpError):
    code = "invalid"

    def __init__(self, field, message):
        super().__init__(400, f"Not a valid value: {field}.")
        self.fields = {field: message}


class SearchResult(Schema):
    kind: str
    kind_label: str
    title: str
    url: str
    snippet_html: str = Field(description="Where it matched, the words found in <mark>.")


class SearchResults(Schema):
    query: str
    total: int = Field(description="Matches in all (counted up to the engine's limit).")
    results: list[SearchResult]
    next: str | None


class Suggestion(Schema):
    title: str
    url: str
    kind: str
    kind_label: str


class Suggestions(Schema):
    query: str
    results: list[Suggestion]


class TermIndex(Schema):
    v: int = Field(description="The format's version.")
    url: str = Field(description="A term's page: replace {slug}.")
    terms: list[list[str]] = Field(
        description="[slug, name, short definition, abbreviation or '', alias, ...] for each "
        "published term that is auto-linked, in the order a matcher should try them."
    )


JSON = "application/json; charset=utf-8"


def kept_json(key, schema, build):
    """A 200 response of `build()`'s data as `schema` says, the JSON kept per content
    version (validating and writing it was most of an answer's time); None when `build()`
    found nothing."""

    def encoded():
        data = build()
        return None if data is None else schema.model_validate(data).model_dump_json()

    body = for_content(key, encoded, local=True)
    return None if body is None else HttpResponse(body, content_type=JSON)


KINDS = api_items.api_kinds()
KindName = Literal[tuple(KINDS)] if KINDS else str
# Every item is in one language, and a slug is unique within its language.
Language = Literal[tuple(languages.codes())]
LANGUAGE_HELP = (
    "The language of the content: "
    + ", ".join(f"{code} ({name})" for code, name in languages.names().items())
    + f". {languages.SOURCE} unless asked."
)


class InLanguage(Schema):
    lang: Language = Field(languages.SOURCE, description=LANGUAGE_HELP)


def the_kind(name):
    kind = KINDS.get(name)
    if kind is None:
        raise Http404(f"No kind of content is called {name!r}.")
    return kind


@api.get("/", response=Index, summary="What the API serves")
def index(request):
    return {
        "kinds": [
            {
                "name": name,
                "label": kind.plural_label,
                "url": request.build_absolute_uri(f"/api/v1/{name}/"),
            }
            for name, kind in KINDS.items()
        ],
        "openapi": request.build_absolute_uri(reverse("api:openapi-json")),
        "docs": request.build_absolute_uri(reverse("api-docs")),
    }


class SearchParameters(Schema):
    q: str = Field(..., min_length=1, max_length=500, description="What to look for.")
    kind: str | None = Field(None, max_length=50, description="Only this kind of content.")
    tag: str | None = Field(None, max_length=100, description="Only items with this tag.")
    page: int = Field(1, ge=1, le=1000, description="Ten results a page.")
    lang: Language = Field(languages.SOURCE, description=LANGUAGE_HELP)


@api.get(
    "/search/",
    response={200: SearchResults, 400: Error},
    summary="Search everything published, as the site's search does",
)
def search(request, params: Query[SearchParameters]):
    if params.kind and params.kind not in KINDS:
        raise BadParameter("kind", f"One of: {', '.join(KINDS)}.")
    found = api_search.found(params.q, params.kind, params.tag or "", params.page, params.lang)
    following = None
    if found["more"]:
        query = request.GET.copy()
        query["page"] = str(params.page + 1)
        following = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
    return {
        "query": params.q,
        "total": found["total"],
        "results": [
            {**result, "url": request.build_absolute_uri(result["url"])}
            for result in found["results"]
        ],
        "next": following,
    }


@api.get("/suggest/", response={200: Suggestions, 400: Error}, summary="Type-ahead")
def suggest(
    request,
    q: str = Query(..., max_length=100, description="What has been typed."),
    lang: Language = languages.SOURCE,
):
    return {
        "query": q,
        "results": [
            {**row, "url": request.build_absolute_uri(row["url"])}
            for row in api_search.suggestions(q, lang)
        ],
    }


@api.get(
    "/glossary-index/",
    response=TermIndex,
    summary="The glossary's names, for matching terms in other text",
)
def glossary_index(request, params: Query[InLanguage]):
    # The embed script's own index, its bytes as they are kept (glossary.embed).
    body = glossary_embed.current_index(params.lang).body
    return in_language(HttpResponse(body, content_type=JSON), params.lang)


class ListFilters(Schema):
    tag: str | None = Field(None, max_length=100, description="A tag's slug.")
    topic: str | None = Field(
        None, max_length=100, description="An FAQ topic's slug (FAQ entries only)."
    )
    updated_since: datetime | None = Field(
        None, description="Only items changed at or after this time (ISO 8601, with a zone)."
    )
    cursor: str | None = Field(None, max_length=200, description="From a list's `next` link.")
    limit: int = Field(
        20, ge=1, description="Items per page: 20 unless asked; more than 100 gives 100."
    )
    lang: Language = Field(languages.SOURCE, description=LANGUAGE_HELP)


@api.get(
    "/{kind}/",
    response={200: ItemList, 400: Error, 404: Error},
    summary="List the published items of a kind",
)
def item_list(request, kind: KindName, filters: Query[ListFilters]):
    content = the_kind(kind)
    if filters.tag and not content.tagged:
        raise BadParameter("tag", f"{content.plural_label} have no tags.")
    if filters.topic and not api_items.has_field(content.model, "topic"):
        raise BadParameter("topic", f"{content.plural_label} have no topics.")
    if filters.updated_since and filters.updated_since.tzinfo is None:
        raise BadParameter("updated_since", "Give the time zone, e.g. 2026-12-01T00:00:00Z.")
    rows = api_items.listing(content, filters.lang)
    if filters.cursor:
        try:
            rows = api_items.after_cursor(rows, filters.cursor)
        except api_items.BadCursor as error:
            raise BadParameter("cursor", str(error)) from error
    # The page's own parameters, and nothing else the address had (as the site's links).
    asked = {
        # The source language is the default: its links stay as they were.
        "lang": filters.lang if filters.lang != languages.SOURCE else None,
        "tag": filters.tag,
        "topic": filters.topic,
        "updated_since": filters.updated_since.isoformat() if filters.updated_since else None,
        "limit": min(filters.limit, settings.EXOSITE_API_MAX_LIMIT),
    }
    key = hashlib.blake2b(
        repr((kind, filters.cursor, sorted(asked.items()), api_items.origin(request))).encode(),
        digest_size=16,
    ).hexdigest()
    # Made (and checked against its schema, and written as JSON) once per page, language
    # and content version, like the site's lists: never stale. In the language asked, so
    # that what the item's text says for readers (citations' names) and the addresses of
    # its people are in it too.
    with languages.active(filters.lang):
        response = kept_json(
            f"api-list:{filters.lang}:{key}",
            ItemList,
            lambda: listed(request, content, rows, filters, asked),
        )
    return in_language(response, filters.lang)


def listed(request, content, rows, filters, asked):
    if filters.tag:
        rows = rows.filter(tags__slug=filters.tag)
    if filters.topic:
        rows = rows.filter(topic__slug=filters.topic)
    if filters.updated_since:
        rows = rows.filter(updated_at__gte=filters.updated_since)
    limit = asked["limit"]
    page = api_items.with_tags(content, rows[: limit + 1])
    following = None
    if len(page) > limit:
        page = page[:limit]
        query = QueryDict(mutable=True)
        query.update({name: str(value) for name, value in asked.items() if value})
        query["cursor"] = api_items.cursor_for(page[-1])
        following = api_items.absolute(request, f"{request.path}?{query.urlencode()}")
    return {
        "items": [api_items.summary(request, content, obj) for obj in page],
        "next": following,
    }


@api.get(
    "/{kind}/{slug}/",
    response={200: ItemDetail, 404: Error},
    summary="One published item, whole",
)
def item_detail(request, kind: KindName, slug: str, params: Query[InLanguage]):
    lang = params.lang
    content = the_kind(kind)
    slug = slug[:200]
    key = hashlib.blake2b(
        repr((kind, slug, api_items.origin(request))).encode(), digest_size=16
    ).hexdigest()
    # Made once per item, language and content version (as the item's page keeps its
    # parts); slugs are unique within a language, so the language finds the item.
    with languages.active(lang):
        response = kept_json(
            f"api-item:{lang}:{key}", ItemDetail, lambda: shown(request, content, slug, lang)
        )
    if response is None:
        name = languages.names().get(lang, lang)
        raise Http404(
            f"No published {content.singular_label.lower()} is called {slug!r} in {name}."
        )
    return in_language(response, lang)


def shown(request, content, slug, language):
    items = api_items.listing(content, language).filter(slug=slug)[:1]
    found = api_items.with_tags(content, items)
    return api_items.detail(request, content, found[0]) if found else None


def in_language(response, language):
    """`response`, saying the language of what it holds (the site's middleware would say
    English: /api/ addresses have no language prefix)."""
    if response is not None:
        response["Content-Language"] = language
    return response
