"""/healthz: is this app server able to serve? For load balancers and monitoring.

200 with `"status": "ok"` when the database answers and the cache round-trips; 200 with
`"degraded"` when only the cache fails (the site still serves, uncached: taking every
server out of rotation because a shared Redis is down would turn a slowdown into an
outage); 503 with `"error"` when the database fails. Errors are named by type only, never
with their messages (which can hold host names). Never cached; exempt from the HTTPS
redirect (settings.SECURE_REDIRECT_EXEMPT) so that a probe over plain HTTP gets an answer.
"""

import time

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe

from .redis import check as check_cache
from .release import release


def _timed(check):
    started = time.perf_counter()
    ok, detail = check()
    result = {"ok": ok, "ms": round((time.perf_counter() - started) * 1000, 2)}
    result.update(detail)
    return result


def _database():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return False, {"vendor": connection.vendor, "error": type(exc).__name__}
    return True, {"vendor": connection.vendor}


def _cache():
    ok, backend, error = check_cache()
    detail = {"backend": backend}
    if error:
        detail["error"] = error
    return ok, detail


@require_safe
def healthz(request):
    checks = {"database": _timed(_database), "cache": _timed(_cache)}
    if not checks["database"]["ok"]:
        status, code = "error", 503
    elif not checks["cache"]["ok"]:
        status, code = "degraded", 200
    else:
        status, code = "ok", 200
    response = JsonResponse(
        {"status": status, "release": release()[:12], "checks": checks}, status=code
    )
    add_never_cache_headers(response)
    return response
