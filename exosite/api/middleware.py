"""What every answer under /api/ shares, whether the view or the page cache gave it.

Sits before the page cache (settings.MIDDLEWARE), so that:
- a preflight (OPTIONS) is answered here, and any other method than GET or HEAD refused
  with a JSON 405;
- every request counts against the client's rate limit, cache hits too: over the limit,
  a JSON 429 with Retry-After;
- every answer allows any origin to read it (CORS, no credentials), and says how to cache
  it: `public`, revalidated every time (`max-age=0, must-revalidate`, plus
  EXOSITE_CACHE_SHARED_MAX_AGE for a CDN, as pages do), with a strong ETag and a 304 for a
  matching If-None-Match (the page cache adds these to what it keeps; here for the rest);
- an address outside the API's routes gets a JSON 404, not the site's HTML page.

The rate limit counts in the cache (atomic increments: per server process with the local
memory cache, shared by every process with Redis), not the database: reading must stay
cheap. Writes by visitors (questions, feedback) keep their database-backed limits.
"""

import hashlib
import json

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control

from exosite.kernel.ratelimit import client_id, counted_in_cache

PREFIX = "/api/"
ALLOWED = "GET, HEAD, OPTIONS"
EXPOSED = "ETag, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining"


def json_error(status, code, message, **headers):
    body = {"error": {"status": status, "code": code, "message": message, "fields": {}}}
    response = HttpResponse(json.dumps(body), status=status, content_type="application/json")
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def rate(request):
    """(limit, used, seconds until the window ends) for this client now."""
    return counted_in_cache("api", client_id(request), settings.EXOSITE_API_RATE)


class ApiMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(PREFIX):
            return self.get_response(request)
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = ALLOWED
            response["Access-Control-Allow-Headers"] = "Accept, If-None-Match"
            response["Access-Control-Max-Age"] = "86400"
            return self.shared(response)
        if request.method not in ("GET", "HEAD"):
            response = json_error(405, "method_not_allowed", "This API only reads: use GET.")
            response["Allow"] = ALLOWED
            return self.shared(response)
        limit, used, reset = rate(request)
        if used > limit:
            response = json_error(
                429,
                "rate_limited",
                f"More than {limit} requests in a short time: try again in {reset} seconds.",
                Retry_After=str(reset),
            )
            response["X-RateLimit-Limit"] = str(limit)
            response["X-RateLimit-Remaining"] = "0"
            return self.shared(response)
        response = self.get_response(request)
        if response.status_code == 404 and "json" not in response.get("Content-Type", ""):
            response = json_error(404, "not_found", "The API has no such address: see /api/v1/.")
        response["X-RateLimit-Limit"] = str(limit)
        response["X-RateLimit-Remaining"] = str(max(0, limit - used))
        if response.status_code == 200 and not response.streaming:
            if not response.has_header("ETag"):
                digest = hashlib.blake2b(response.content, digest_size=16).hexdigest()
                response["ETag"] = f'"{digest}"'
            patch_cache_control(
                response,
                public=True,
                max_age=0,
                must_revalidate=True,
                s_maxage=settings.EXOSITE_CACHE_SHARED_MAX_AGE,
            )
            response = get_conditional_response(request, etag=response["ETag"], response=response)
        return self.shared(response)

    @staticmethod
    def shared(response):
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Expose-Headers"] = EXPOSED
        return response
