"""The site's languages: which one a request is in, and addresses in a given language.

English is the source language and keeps today's unprefixed addresses; Spanish pages live
under /es/ (`i18n_patterns(prefix_default_language=False)` in exosite/urls.py). A piece
of content is in exactly one language (`exosite.models.Translatable.language`); the
interface follows the address, and the content shown follows the interface.
"""

from contextlib import contextmanager

from django.conf import settings
from django.db.models import prefetch_related_objects
from django.urls import reverse as django_reverse
from django.utils import translation
from django.utils.translation import pgettext_lazy

SOURCE = "en"


def codes():
    return [code for code, _name in settings.LANGUAGES]


def names():
    """{code: the language's name in itself}: "English", "Español"."""
    return dict(settings.LANGUAGES)


# Languages as a sentence names them, in the interface's language ("available in
# Spanish", "disponible en español"); the switcher names each in itself (`names`).
IN_TEXT = {
    "en": pgettext_lazy("inside a sentence", "English"),
    "es": pgettext_lazy("inside a sentence", "Spanish"),
}


def in_text(code):
    return IN_TEXT.get(code, code)


def english_name(code):
    """The language's name in English ("Spanish"), for commands and spreadsheets."""
    with translation.override(SOURCE):
        return str(IN_TEXT.get(code, code))


def normalise(code):
    """The site's code for a language tag ("es-MX" -> "es"), or None if it has none."""
    if not code:
        return None
    base = str(code).lower().replace("_", "-").split("-")[0]
    return base if base in codes() else None


def current():
    """The active language as a content language code: "en" or "es"."""
    return normalise(translation.get_language()) or SOURCE


def others(code=None):
    code = code or current()
    return [other for other in codes() if other != code]


@contextmanager
def active(code):
    with translation.override(code or SOURCE):
        yield


def reverse(viewname, language, **kwargs):
    """The address of `viewname` in `language` (with its /es/ prefix, or none for English)."""
    with translation.override(language or SOURCE):
        return django_reverse(viewname, **kwargs)


class PathLanguageMiddleware:
    """Activates the language of the address: /es/... is Spanish, every other address
    English (the admin, the API and the embed script included).

    Used instead of Django's LocaleMiddleware, which also reads the language cookie and
    Accept-Language for unprefixed addresses and then adds `Vary: Accept-Language`: here
    one address is one language, so a page is cached once per address and a visitor
    switches language with a link, never by a header they cannot see. The response says
    its language (`Content-Language`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        code = normalise(translation.get_language_from_path(request.path_info)) or SOURCE
        translation.activate(code)
        request.LANGUAGE_CODE = code
        try:
            response = self.get_response(request)
        finally:
            translation.deactivate()
        response.headers.setdefault("Content-Language", code)
        return response


def people_in(language, *people):
    """Give `people` (authors and reviewers, who are the same person in every language)
    their credentials, role and biography in `language` where they have a translation:
    one query for all of them, none in the source language."""
    people = [person for person in people if person is not None]
    if language == SOURCE or not people:
        return
    prefetch_related_objects(people, "texts")
    for person in people:
        person.in_language(language)
