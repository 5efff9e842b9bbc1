"""Embedding the site elsewhere: the glossary script, cards for one term or FAQ entry in
an `<iframe>`, and the oEmbed endpoint that hands out those iframes (https://oembed.com).

`/embed/glossary.js` and the term index belong to the glossary (glossary/embed.py); the
cards are for any kind listed in CARDS, reached through the kind registry, so this module
imports no app.

Languages
    A card is in the language of its item and says its words in it: `?lang=es` on the
    card's address (slugs are unique within a language; English without it). oEmbed
    reads the language from the page's address (/es/glossary/<slug>/) and hands out the
    card in it.

Framing
    Every page of the site refuses to be framed (CSP `frame-ancestors 'none'` and
    `X-Frame-Options: DENY`) except the cards, which any site may frame: their CSP says
    `frame-ancestors *` and they send no X-Frame-Options. A card has no form, no cookie
    and nothing that acts on a click but plain links, so framing it gives a clickjacker
    nothing to steal.
"""

import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.http import (
    Http404,
    HttpResponse,
    HttpResponsePermanentRedirect,
    JsonResponse,
)
from django.http.request import validate_host
from django.shortcuts import render
from django.urls import Resolver404, path, re_path, resolve, reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_safe

from glossary import embed as glossary_embed

from .kernel import kinds, languages, mentions
from .kernel.text import plain_text

FIRST_PARAGRAPH = re.compile(r"<p\b[^>]*>(.*?)</p>", re.DOTALL | re.IGNORECASE)
SUMMARY_CHARACTERS = 320
CARD_WIDTH = 480


def term_summary(term):
    return term.short_definition


def answer_summary(question):
    """The answer's first paragraph (editors start with the short answer), shortened."""
    first = FIRST_PARAGRAPH.search(question.answer_html)
    text = plain_text(first.group(1) if first else question.answer_html)
    return Truncator(text).chars(SUMMARY_CHARACTERS)


@dataclass(frozen=True)
class Card:
    label: str  # what the card says it is
    detail: str  # URL name of the item's page, for oEmbed
    summary: object  # item -> plain text
    height: int  # the iframe's height at CARD_WIDTH, px


# Kind name -> its card. The kind's name is also the path: /embed/glossary/<slug>/.
CARDS = {
    "glossary": Card(_("Glossary"), "glossary:detail", term_summary, 220),
    "faq": Card(_("FAQ"), "faq:detail", answer_summary, 260),
}


def card_url_name(kind_name):
    return f"embed:{kind_name}-card"


def find(kind_name, slug, language=languages.SOURCE):
    """(published item, moved) for `slug` of the kind in `language`: moved when `slug` is
    an old one."""
    kind = kinds.get(kind_name)
    item = kind.queryset(language=language).filter(slug=slug).first()
    if item is not None:
        return item, False
    current = mentions.redirect_for(kind.model, slug, language)
    if current is None:
        raise Http404(f"No published {kind_name} item at {slug!r}")
    return current, True


@require_safe
@xframe_options_exempt
@csp_override({**settings.SECURE_CSP, "frame-ancestors": ["*"]})
def card(request, kind, slug):
    try:
        language = glossary_embed.asked_language(request)
    except glossary_embed.UnknownLanguage as error:
        return glossary_embed.unknown_language(error)
    item, moved = find(kind, slug, language)
    if moved:
        return HttpResponsePermanentRedirect(card_path(kind, item))
    spec = CARDS[kind]
    context = {
        "card": spec,
        "title": kinds.get(kind).title(item),
        "summary": spec.summary(item),
        "page_url": request.build_absolute_uri(item.get_absolute_url()),
        "language": language,
    }
    # The card's own words ("Glossary", "Read more on …") in the item's language.
    with languages.active(language):
        response = render(request, "embed/card.html", context)
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    response["Content-Language"] = language
    return response


def card_path(kind_name, item):
    """The card's address for `item`: its language as a parameter, none for English."""
    path = reverse(card_url_name(kind_name), kwargs={"slug": item.slug})
    language = getattr(item, "language", languages.SOURCE)
    return path if language == languages.SOURCE else f"{path}?lang={language}"


def _dimension(request, name):
    """The positive whole number in parameter `name`, None when absent; ValueError else."""
    value = request.GET.get(name, "").strip()
    if not value:
        return None
    number = int(value) if value.isdigit() else 0
    if number <= 0:
        raise ValueError(f"{name} must be a positive whole number of pixels")
    return number


def _on_this_site(request, parts):
    host = (parts.hostname or "").lower()
    if not host:
        return False
    if parts.netloc.lower() == request.get_host().lower():
        return True
    return validate_host(host, [name for name in settings.ALLOWED_HOSTS if name != "*"])


def _plain(status, message):
    response = HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def oembed(request):
    """oEmbed 1.0 (https://oembed.com, section 2.2): `url` of a term or FAQ page,
    `format=json` (xml is 501 Not Implemented, as the spec says), `maxwidth` and
    `maxheight` respected. A `rich` answer whose HTML is the card's iframe."""
    if request.GET.get("format", "json") != "json":
        return _plain(501, "Only format=json is implemented.")
    url = request.GET.get("url", "").strip()
    if not url:
        return _plain(400, "The url parameter is required.")
    try:
        max_width = _dimension(request, "maxwidth")
        max_height = _dimension(request, "maxheight")
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError for a port out of range)
    except ValueError as error:
        return _plain(400, str(error) if "max" in str(error) else "The url is malformed.")
    if parts.scheme not in ("http", "https") or not _on_this_site(request, parts):
        return _plain(404, "Not an address of this site.")
    path = unquote(parts.path)
    # The address's language (/es/glossary/<slug>/ is Spanish): its pages resolve in it.
    language = languages.normalise(translation.get_language_from_path(path)) or languages.SOURCE
    try:
        with languages.active(language):
            match = resolve(path)
        kind_name = next(name for name, spec in CARDS.items() if spec.detail == match.view_name)
        item, _ = find(kind_name, match.kwargs["slug"], language)
    except (Resolver404, StopIteration, KeyError, Http404):
        return _plain(404, "No published glossary term or FAQ entry has this address.")
    spec = CARDS[kind_name]
    width = min(CARD_WIDTH, max_width or CARD_WIDTH)
    height = min(spec.height, max_height or spec.height)
    title = kinds.get(kind_name).title(item)
    src = request.build_absolute_uri(card_path(kind_name, item))
    with languages.active(language):
        label = str(spec.label)
    # Width and height as attributes: a host page's CSP may refuse style attributes.
    iframe = format_html(
        '<iframe src="{}" width="{}" height="{}" title="{}" loading="lazy"></iframe>',
        src,
        width,
        height,
        f"{title} ({label}, {settings.SITE_NAME})",
    )
    data = {
        "version": "1.0",
        "type": "rich",
        "title": title,
        "provider_name": settings.SITE_NAME,
        "provider_url": request.build_absolute_uri("/"),
        "cache_age": 86400,
        "html": iframe,
        "width": width,
        "height": height,
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


app_name = "embed"

urlpatterns = [
    path("glossary.js", glossary_embed.script, name="glossary-script"),
    path("glossary/index.json", glossary_embed.index, name="glossary-index"),
    re_path(
        r"^glossary/index\.(?P<digest>[0-9a-f]{32})\.json$",
        glossary_embed.index,
        name="glossary-index-versioned",
    ),
    re_path(
        r"^glossary/index\.(?P<language>[a-z]{2})\.(?P<digest>[0-9a-f]{32})\.json$",
        glossary_embed.index,
        name="glossary-index-versioned-language",
    ),
    *(path(f"{name}/<slug:slug>/", card, {"kind": name}, name=f"{name}-card") for name in CARDS),
]
