"""Security answers and headers the middleware stack does not give by itself.

Imported by the settings (for `static_headers`), so it imports nothing of Django at load.
"""


def admin_lockout(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out client (AXES_LOCKOUT_CALLABLE): a page that
    says what happened and for how long, with status 429."""
    from django.conf import settings  # see the module docstring
    from django.shortcuts import render

    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes}
    return render(request, "axes/locked_out.html", context, status=429)


# The policy for static files (whitenoise serves them before the CSP middleware runs).
# They are stylesheets, scripts and images, never pages: nothing may run in them (an SVG
# opened on its own, say) and nothing may frame them.
STATIC_CSP = "default-src 'none'; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'"


def static_headers(headers, path, url):
    """WHITENOISE_ADD_HEADERS_FUNCTION: computed once per file at start-up."""
    headers["Content-Security-Policy"] = STATIC_CSP
    headers["X-Frame-Options"] = "DENY"
