"""`{% oembed_discovery %}`: the oEmbed discovery link (https://oembed.com, section 4) of a
page about one item that other sites can embed as a card (exosite/embed.py)."""

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.http import urlencode

from exosite.kernel import kinds

register = template.Library()


@register.simple_tag(takes_context=True)
def oembed_discovery(context):
    """For the page's `object` when its kind has a card (a URL named
    "embed:<kind>-card"); nothing on previews, which show what visitors cannot see."""
    obj = context.get("object")
    request = context.get("request")
    if obj is None or request is None or context.get("preview") or not getattr(obj, "pk", None):
        return ""
    kind = kinds.for_model(type(obj))
    if kind is None:
        return ""
    try:
        reverse(f"embed:{kind.name}-card", kwargs={"slug": obj.slug})
    except NoReverseMatch:
        return ""
    page_url = request.build_absolute_uri(obj.get_absolute_url())
    query = urlencode({"url": page_url, "format": "json"})
    return format_html(
        '<link rel="alternate" type="application/json+oembed" href="{}" title="{}">',
        request.build_absolute_uri(f"{reverse('oembed')}?{query}"),
        kind.title(obj),
    )
