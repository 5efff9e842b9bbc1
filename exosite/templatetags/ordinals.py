"""Ordinals in the page's language: "1st", "2nd" in English, "1.ª", "2.ª" in Spanish.

Django's `ordinal` (humanize) has no Spanish for 1 and says "º", the masculine ending; the
ordinals this site shows count citations ("la 2.ª de 3"), which are feminine in Spanish.
"""

from django import template
from django.contrib.humanize.templatetags.humanize import ordinal
from django.utils import translation
from django.utils.translation import pgettext

register = template.Library()


@register.filter
def nth(value):
    """The n-th of several citations: "2nd" / "2.ª"."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return value
    with translation.override("en"):
        english = str(ordinal(number))
    # Translators: {n} is the number, {suffix} the English ending ("st", "nd", "rd", "th");
    # it counts citations, feminine in Spanish ("{n}.ª").
    return pgettext("the n-th citation", "{n}{suffix}").format(
        n=number, suffix=english[len(str(number)) :]
    )
