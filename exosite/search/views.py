"""The search results page and the type-ahead endpoint."""

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import JsonResponse, QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from exosite.insight import hooks as insight
from exosite.kernel import kinds, languages
from exosite.kernel.paging import Counted, held
from exosite.kernel.parts import for_content
from exosite.kernel.tags import published_tags
from exosite.kernel.text import MARK_END, MARK_START
from exosite.models import SearchDocument

from .answers import expansions_of
from .documents import kind_of
from .engines import LIMIT, get_engine
from .query import parse, parse_prefix

PER_PAGE = 10
SUGGESTIONS = 8
# Results of another language offered when the visitor's has none.
ELSEWHERE = 3
# What the kind filter was called before each kind had one name (old links keep working).
OLD_KIND_NAMES = {"term": "glossary", "question": "faq"}


def kind_filters():
    """The kind filter's choices, (name, plural label), in the order the page lists them."""
    return [(kind.name, kind.plural_label) for kind in kinds.searchable()]


def labels_of_kinds():
    return [name for name, _ in kind_filters()]


def kind_label(name):
    try:
        return kinds.get(name).singular_label
    except LookupError:
        return name


MARKED = re.compile(f"([{MARK_START}{MARK_END}])")
SLUG = re.compile(r"[-\w]+")


def highlighted(text):
    """Engine output (text with start/end marks around matches) as safe HTML: the text
    escaped, each mark pair a <mark> element, always balanced."""
    out, inside = [], False
    for part in MARKED.split(text or ""):
        if part == MARK_START:
            if not inside:
                out.append("<mark>")
            inside = True
        elif part == MARK_END:
            if inside:
                out.append("</mark>")
            inside = False
        else:
            out.append(escape(part))
    if inside:
        out.append("</mark>")
    return mark_safe("".join(out))


@dataclass
class Result:
    kind: str
    kind_label: str
    url: str
    title: str
    snippet: str
    also: str  # a term's matching aliases, when they matched

    @classmethod
    def from_hit(cls, hit):
        # The summary (a term's short definition) when it matched or the body did not.
        use_summary = MARK_START in hit.summary or (hit.summary and MARK_START not in hit.body)
        snippet = hit.summary if use_summary else hit.body
        return cls(
            kind=hit.kind,
            kind_label=kind_label(hit.kind),
            url=hit.url,
            title=highlighted(hit.title),
            snippet=highlighted(snippet),
            also=highlighted(hit.keywords.replace("\n", ", "))
            if MARK_START in hit.keywords
            else "",
        )


def visible(rows, key=lambda row: (row.content_type_id, row.object_id)):
    """Only the rows whose item is published now, checked against the content itself: a
    stale index (say, after a bulk update that sent no signals) never shows a draft."""
    ids = defaultdict(set)
    for row in rows:
        content_type_id, object_id = key(row)
        ids[content_type_id].add(object_id)
    live = set()
    for content_type_id, object_ids in ids.items():
        kind = kind_of(ContentType.objects.get_for_id(content_type_id).model_class())
        if kind is not None:
            published = kind.model.objects.published().filter(pk__in=object_ids)
            live.update((content_type_id, pk) for pk in published.values_list("pk", flat=True))
    return [row for row in rows if key(row) in live]


def _shown(count):
    """A count as the page shows it: "500+" past the counting limit, "" if unknown."""
    if count is None:
        return ""
    return f"{LIMIT:,}+" if count > LIMIT else f"{count:,}"


def _page_number(value, num_pages):
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 1
    return min(max(number, 1), num_pages)


@require_GET
def search(request):
    """The results page. What it finds for a query (counts, the page's results, facets,
    suggestions) is worked out once per live content version and kept
    (exosite.kernel.parts.for_content): the index is content too, and a scheduled item's
    time coming changes the live version as it changes what matches."""
    raw = request.GET.get("q", "")
    language = languages.current()
    query = parse(raw, language)
    labels = dict(kind_filters())
    wanted = request.GET.get("kind", "")
    wanted = OLD_KIND_NAMES.get(wanted, wanted)
    kind = wanted if wanted in labels else None
    tag_slug = request.GET.get("tag", "")[:200]
    # Only a well-formed slug reaches the database (PostgreSQL rejects NUL bytes, say).
    tag_slug = tag_slug if SLUG.fullmatch(tag_slug) else ""
    unknown_tag = bool(request.GET.get("tag", ""))
    number = _page_number(request.GET.get("page"), LIMIT // PER_PAGE + 1)
    key = hashlib.blake2b(
        repr((language, query.raw, kind, tag_slug, unknown_tag, number)).encode(), digest_size=16
    ).hexdigest()
    # What was found, and the part of the page that shows it, made once per search and
    # content version (rendering it was two thirds of an uncached search).
    kept = for_content(
        f"search:{key}",
        lambda: _found_page(
            query, kind, labels.get(kind, ""), tag_slug, unknown_tag, number, language
        ),
        local=True,
    )
    # A copy: rendering writes into its context ({% ... as name %}), and what is kept is
    # shared by every request.
    response = render(request, "site/search.html", {**kept})
    response["X-Robots-Tag"] = "noindex"
    insight.mark_search(request, response, kept)  # counted, page-cache hits too
    return response


def _found_page(query, kind, kind_label, tag_slug, unknown_tag, number, language):
    """The page's context: the search, `find`, and `results_html`, the part of the page
    that shows what was found, rendered from the search's own parameters (its links keep
    those, not whatever else the address had)."""
    found = find(query, kind, tag_slug, number, language)
    params = QueryDict(mutable=True)
    for name, value in (("q", query.raw), ("kind", kind), ("tag", tag_slug)):
        if value:
            params[name] = value
    context = {
        "q": query.raw,
        "query": query,
        "kind": kind,
        "kind_label": kind_label,
        "searched": bool(query.raw),
        "language": language,
        "language_name": languages.in_text(language),
        "unknown_tag": unknown_tag and found["tag"] is None,
        "params": params,
        "page_base": f"?{params.urlencode()}&page=" if params else "?page=",
        **found,
    }
    if "count" in found:
        context["page_obj"] = held(found["results"], found["number"], found["count"], PER_PAGE)
    context["results_html"] = render_to_string("site/search_results.html", context)
    return context


def find(query, kind, tag_slug, number, language=None):
    """What a search finds in `language` (the active one by default): the engine's counts,
    the results of page `number` (the last page if there are fewer), the facets; or, when
    nothing matched, what other languages have (`elsewhere`) and glossary suggestions."""
    language = language or languages.current()
    # Only a tag with something published narrows the search (else: "no tag with that name").
    tag = published_tags().filter(slug=tag_slug).first() if tag_slug else None
    found = {"tag": tag, "results": [], "total": 0, "elsewhere": []}
    everything = 0
    if query:
        now = timezone.now()
        engine = get_engine(language)
        tag_id = tag.pk if tag else None
        everything = engine.count(query, now=now, tag_id=tag_id)
        # Counts per kind for the filter links when they are cheap (every match is read
        # anyway); past LIMIT matches the links go without numbers; no match, no count.
        if not everything:
            counts = dict.fromkeys(labels_of_kinds(), 0)
        elif everything <= LIMIT:
            counts = engine.kind_counts(query, now=now, tag_id=tag_id)
        else:
            counts = {}
        if not kind:
            total = everything
        elif counts:
            total = counts[kind]
        else:
            total = engine.count(query, now=now, kind=kind, tag_id=tag_id)
        # The ranked list (at most LIMIT ids) is what the pages walk through.
        ids = engine.ranked(query, now=now, kind=kind, tag_id=tag_id, total=total)
        number = min(number, Paginator(Counted(len(ids)), PER_PAGE).num_pages)
        start = (number - 1) * PER_PAGE
        # The engine checked each id against its item's row (published now): no draft is
        # listed, counted or faceted, whatever the index holds.
        hits = engine.hits(query, ids[start : start + PER_PAGE])
        found |= {
            "results": [Result.from_hit(hit) for hit in hits],
            "total": total,
            "more_than": LIMIT if total > LIMIT else None,
            "listed": len(ids),
            "count": len(ids),
            "number": number,
            "kind_facets": [
                (value, label, counts.get(value), _shown(counts.get(value)))
                for value, label in kind_filters()
            ],
            "all_count": _shown(everything),
            "tag_facets": engine.tag_facets(ids),
        }
    found = insight.pin_results(query, kind, tag_slug, found)  # promoted results first
    if query.raw and not everything:
        found["elsewhere"] = elsewhere(query.raw, kind, tag, language)
    if query.raw and not found["results"]:
        found["suggested_terms"] = suggested_terms(query, language)
    return found


def elsewhere(raw, kind, tag, language):
    """When nothing in `language` matches: for each other language with matches, {code,
    name, total, results (its best few), url (its search page)}. Offered apart, never mixed
    into the visitor's results."""
    offered = []
    now = timezone.now()
    tag_id = tag.pk if tag else None
    for code in languages.others(language):
        query = parse(raw, code)
        if not query:
            continue
        engine = get_engine(code)
        total = engine.count(query, now=now, kind=kind, tag_id=tag_id)
        if not total:
            continue
        ids = engine.ranked(query, now=now, kind=kind, tag_id=tag_id, total=total)
        params = QueryDict(mutable=True)
        for name, value in (("q", query.raw), ("kind", kind), ("tag", tag.slug if tag else "")):
            if value:
                params[name] = value
        offered.append(
            {
                "code": code,
                "name": languages.in_text(code),
                "total": total,
                "shown": _shown(total),
                "results": [Result.from_hit(hit) for hit in engine.hits(query, ids[:ELSEWHERE])],
                "url": f"{languages.reverse('search', code)}?{params.urlencode()}",
            }
        )
    return offered


def suggested_terms(query, language="en", limit=6):
    """Published glossary terms whose name or an alias starts like a word of the query:
    "dendritc" suggests "Dendritic cells"."""
    stems = {word[:4] for term in query.terms + query.excluded for word in term.words}
    stems = [stem for stem in stems if len(stem) >= 3][:5]
    if not stems:
        return []
    matches = Q()
    for stem in stems:
        matches |= Q(title__istartswith=stem) | Q(keywords__icontains=stem)
    glossary = kinds.glossary()
    if glossary is None:
        return []
    documents = SearchDocument.objects.filter(
        matches, language=language, kind=glossary.name, published_at__lte=timezone.now()
    ).only("title", "url", "content_type_id", "object_id")[: limit * 2]
    return visible(list(documents))[:limit]


def _suggestions(query, language):
    # Published now, checked by the engine against each item's row; then what the
    # glossary relates to a name typed whole ("alzheimer's": the dementia entries).
    rows = get_engine(language).suggest(
        query,
        now=timezone.now(),
        limit=SUGGESTIONS,
        expansions=expansions_of(query, language),
    )
    found = [
        {"title": title, "url": url, "kind": kind, "kind_label": kind_label(kind)}
        for kind, title, url, _, _ in rows
    ]
    return insight.pin_suggestions(query, found)  # promoted results first


def suggestions(raw, language=None):
    """Type-ahead's answers for what was typed, in `language` (the active one by default):
    the site's endpoint and the read API's."""
    language = language or languages.current()
    query = parse_prefix(raw[:100])
    if not query or len("".join(term.words[0] for term in query.terms)) < 2:
        return []
    key = hashlib.blake2b(repr((language, query.terms)).encode(), digest_size=16).hexdigest()
    # Kept per language, typed words and content version, like search results.
    return for_content(f"suggest:{key}", lambda: _suggestions(query, language), local=True)


@require_GET
def suggest(request):
    """Type-ahead: up to eight published titles and terms matching what was typed, in the
    page's language (or `lang`, when given and known)."""
    raw = request.GET.get("q", "")[:100]
    language = languages.normalise(request.GET.get("lang", "")[:20]) or languages.current()
    response = JsonResponse({"query": raw, "results": suggestions(raw, language)})
    # Every cache asks again each time (and gets a 304 from the page cache while nothing
    # changed): a withdrawn title is never shown from a copy. No s-maxage either.
    response["Cache-Control"] = "max-age=0, must-revalidate"
    response["X-Robots-Tag"] = "noindex"
    return response
