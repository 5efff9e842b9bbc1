"""Canonical URLs and JSON-LD for the page templates: `{% load seo %}`.

JSON-LD is data, not script, but it is printed with the request's CSP nonce all the same,
and escaped like `json_script` (no "<", ">" or "&" survive, so "</script>" in a title
cannot end the element).
"""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from exosite.kernel import structured_data
from exosite.kernel.text import safe_url as _safe_url

register = template.Library()

JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}
# Query parameters that make a different page (everything else, such as tracking
# parameters, is dropped from the canonical URL).
CANONICAL_PARAMETERS = ("tag", "letter", "page", "written", "reviewed")
# Page numbers: left out of the canonical address on the first page.
PAGE_PARAMETERS = ("page", "written", "reviewed")


def _request(context):
    return context.get("request")


class JsonPayload(str):
    """JSON-LD already serialised and escaped (see `json_payload`)."""


def json_payload(data):
    """`data` as the text of a JSON-LD script element, made once and kept (a page's data
    can be large: the glossary's hundreds of terms)."""
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return JsonPayload(payload.translate(JSON_ESCAPES))


@register.simple_tag(takes_context=True)
def json_ld(context, data):
    """A JSON-LD script element for `data` (a dict, or a `json_payload`)."""
    payload = data if isinstance(data, JsonPayload) else json_payload(data)
    # A LazyNonce is falsy until first used: printing it here generates it.
    nonce = context.get("csp_nonce")
    return format_html(
        '<script type="application/ld+json"{}>{}</script>',
        format_html(' nonce="{}"', nonce) if nonce is not None else "",
        mark_safe(payload),
    )


@register.filter
def safe_url(url):
    """A stored address for an href: "" unless it is http(s) or mailto
    (exosite.kernel.text.safe_url)."""
    return _safe_url(url)


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """The page's address without parameters that do not change what it shows ("" where
    there is no request or the address matched no page)."""
    request = _request(context)
    if request is None or getattr(request, "resolver_match", None) is None:
        return ""
    kept = []
    for name in CANONICAL_PARAMETERS:
        value = request.GET.get(name, "")
        if name in PAGE_PARAMETERS and (not value.isdigit() or int(value) <= 1):
            continue
        if value:
            kept.append((name, value))
    url = request.build_absolute_uri(request.path)
    return f"{url}?{urlencode(kept)}" if kept else url


@register.simple_tag(takes_context=True)
def article_json_ld(context, article, references=()):
    return json_ld(context, structured_data.article(_request(context), article, references))


@register.simple_tag(takes_context=True)
def term_json_ld(context, term):
    return json_ld(context, structured_data.term_page(_request(context), term))


@register.simple_tag(takes_context=True)
def faq_json_ld(context, questions):
    """FAQPage from a list of questions (one question for an entry's own page)."""
    if not isinstance(questions, list | tuple):
        questions = [questions]
    return json_ld(context, structured_data.faq_page(_request(context), questions))


@register.simple_tag(takes_context=True)
def breadcrumbs_json_ld(context, *trail):
    """`{% breadcrumbs_json_ld "Articles" "articles:list" article.title %}`: name and URL
    (or URL name) pairs after the home page, then the current page's name."""
    request = _request(context)
    return json_ld(context, breadcrumbs_payload(request, request.path if request else "", *trail))


def breadcrumbs_payload(request, path, *trail):
    """The BreadcrumbList of the page at `path`, as `breadcrumbs_json_ld` prints it, made
    once: for the parts of a page kept per content version."""
    *pairs, current = trail
    steps = []
    for name, url in zip(pairs[::2], pairs[1::2], strict=True):
        if not str(url).startswith("/"):
            try:
                url = reverse(url)
            except NoReverseMatch:
                continue
        steps.append((name, url))
    steps.append((current, path))
    return json_payload(structured_data.breadcrumbs(request, steps))


@register.simple_tag(takes_context=True)
def website_json_ld(context):
    return json_ld(context, structured_data.website(_request(context)))


@register.simple_tag(takes_context=True)
def person_json_ld(context, profile):
    return json_ld(context, structured_data.person_page(_request(context), profile))


@register.simple_tag(takes_context=True)
def organization_json_ld(context):
    return json_ld(
        context,
        {"@context": structured_data.CONTEXT, **structured_data.organization(_request(context))},
    )
