"""Security answers and headers the middleware stack does not give by itself.

`SiteHeadersMiddleware` adds what Django has no setting for (Permissions-Policy,
Cross-Origin-Resource-Policy) to every response: pages, static files, redirects, error pages.

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


def permissions_policy(features):
    """{"camera": [], "fullscreen": ["self"]} -> 'camera=(), fullscreen=(self)'."""
    return ", ".join(f"{name}=({' '.join(allowed)})" for name, allowed in features.items())


class SiteHeadersMiddleware:
    """First in the middleware list, so that every answer passes through it: whitenoise's
    static files, redirects, the error pages and the request id middleware's last resort."""

    def __init__(self, get_response):
        from django.conf import settings  # see the module docstring

        self.get_response = get_response
        self.headers = {
            "Permissions-Policy": permissions_policy(settings.EXOSITE_PERMISSIONS_POLICY),
            "Cross-Origin-Resource-Policy": settings.EXOSITE_CROSS_ORIGIN_RESOURCE_POLICY,
        }

    def __call__(self, request):
        response = self.get_response(request)
        for name, value in self.headers.items():
            if value:
                response.headers.setdefault(name, value)
        return response
