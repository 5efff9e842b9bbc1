from django.conf import settings


def site(request):
    match = getattr(request, "resolver_match", None)
    return {
        "site_name": settings.SITE_NAME,
        "site_contact_email": settings.SITE_CONTACT_EMAIL,
        # The main-navigation section the page belongs to ("articles", "tag-index", ...).
        "nav_section": (match.namespace or match.url_name) if match else "",
    }
