"""The site chrome (head links, header with navigation, footer): the same on every page
but for the navigation's current section, so rendered once per release and kept in the
process instead of on every request (its `{% url %}` and `{% static %}` tags were a
quarter of an uncached page's time). `{% load chrome %}{% chrome "chrome/header.html" %}`.

What a chrome template may use: `site_name`, `site_contact_email`, `section` (the
main-navigation section, `nav_section`) and `disclaimer_shown` (the page has a disclaimer
of its own). Nothing of the request or of the content: a
chrome template that needs either does not belong here.
"""

from django import template
from django.template.loader import get_template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from exosite.kernel import memo
from exosite.kernel.release import release

register = template.Library()

_rendered = memo.Memo("site chrome", size=64)


@register.simple_tag(takes_context=True)
def chrome(context, name):
    values = {
        "site_name": context.get("site_name", ""),
        "site_contact_email": context.get("site_contact_email", ""),
        "section": context.get("nav_section", ""),
        # A page with a medical disclaimer of its own (an article's box): the footer's is
        # left out, so that a page says it once.
        "disclaimer_shown": bool(context.get("disclaimer_shown")),
    }
    key = (name, *values.values(), get_language(), release())
    html = _rendered.get(key)
    if html is None:
        html = _rendered.set(key, mark_safe(get_template(name).render(values)))
    return html
