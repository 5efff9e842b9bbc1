"""The page in every language: `{% load languages %}{% language_versions as versions %}`
gives the language switcher and the page head's hreflang links what they show.

An item's page knows its published translations (kept with its parts:
`exosite.kernel.viewmixins.translation_urls`); any other page (lists, search, tags) exists
in every language at the same address under the language's prefix. A language the item
has no translation in still gets a link: it leads to the page that says so, with a link
back (`exosite.kernel.viewmixins.not_in_language`), never to another language's text.
"""

from dataclasses import dataclass

from django import template
from django.urls import translate_url

from exosite.kernel import languages

register = template.Library()


@dataclass(frozen=True)
class Version:
    code: str
    name: str  # in the language itself: "English", "Español"
    url: str
    exists: bool
    current: bool


class Versions(list):
    """The page's `Version`s; `alternates` are those that exist, when more than one does
    (the hreflang links: none on a page that exists in one language only)."""

    @property
    def alternates(self):
        existing = [version for version in self if version.exists]
        return existing if len(existing) > 1 else []


@register.simple_tag(takes_context=True)
def language_versions(context):
    request = context.get("request")
    if request is None:
        return Versions()
    translations = context.get("translations")
    if translations is None:
        translations = (context.get("parts") or {}).get("translations")
    path = request.path
    current = languages.current()
    versions = Versions()
    for code, name in languages.names().items():
        url = translations.get(code) if translations is not None else None
        exists = translations is None or url is not None or code == current
        if url is None:
            url = path if code == current else translate_url(path, code)
        versions.append(Version(code, name, url, exists, code == current))
    return versions


@register.filter
def absolute(url, request):
    """`url` as an absolute address on the host asked."""
    return request.build_absolute_uri(url) if request is not None else url
