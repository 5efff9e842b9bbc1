"""Request ids and structured logs.

Every request gets an id: the `X-Request-ID` a proxy sent (when it looks like one) or a
new one. It is returned in the `X-Request-ID` response header, attached to every log
record written while the request is handled (`RequestIdFilter`), and written with the
one access-log line per request (logger `exosite.access`). `JsonFormatter` prints each
record as one JSON object per line, for log collectors; `DJANGO_LOG_FORMAT=text` prints
plain lines instead.

Access lines hold the method, path (without the query string, which may carry what a
visitor typed), status, duration, size and page-cache outcome; never the client address.
"""

import json
import logging
import os
import re
import time
from contextvars import ContextVar

from django.http import HttpResponseServerError

request_id_var = ContextVar("request_id", default="-")
access_logger = logging.getLogger("exosite.access")

VALID_ID = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")
# Paths polled by load balancers: logged at DEBUG so they do not drown the rest.
QUIET_PATHS = ("/healthz",)


class RequestIdMiddleware:
    """Around everything but the site headers, so that it times and logs everything,
    static files and errors included, and answers even when an error page fails."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        offered = request.META.get("HTTP_X_REQUEST_ID", "")
        request.id = offered if VALID_ID.match(offered) else os.urandom(16).hex()
        token = request_id_var.set(request.id)
        started = time.perf_counter()
        try:
            try:
                response = self.get_response(request)
            except Exception:
                response = last_resort(request)
            response["X-Request-ID"] = request.id
            level = logging.DEBUG if request.path in QUIET_PATHS else logging.INFO
            if access_logger.isEnabledFor(level):
                access_logger.log(
                    level,
                    "%s %s %s",
                    request.method,
                    request.path,
                    response.status_code,
                    extra={
                        "method": request.method,
                        "path": request.path,
                        "status": response.status_code,
                        "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                        "bytes": _size(response),
                        "cache": response.get("X-Cache", ""),
                    },
                )
            return response
        finally:
            request_id_var.reset(token)


# Only ever sent when Django's own error handling failed (an error page that raised): a
# page that needs nothing that could fail, with the headers the skipped middleware would
# have given it.
LAST_RESORT_PAGE = (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
    "<title>Something went wrong · Exosite</title></head><body><main>"
    "<h1>Something went wrong on our side</h1><p>The error has been recorded. Please try "
    'again in a minute, or go back to the <a href="/">home page</a>.</p></main></body></html>'
)
LAST_RESORT_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def last_resort(request):
    logging.getLogger("django.request").error(
        "Internal Server Error (the error page failed too): %s",
        request.path,
        exc_info=True,
        extra={"status_code": 500, "request": request},
    )
    return HttpResponseServerError(LAST_RESORT_PAGE, headers=LAST_RESORT_HEADERS)


def _size(response):
    if "Content-Length" in response:
        return int(response["Content-Length"])
    if response.streaming:
        return None
    return len(response.content)


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record (`-` outside a request)."""

    def filter(self, record):
        record.request_id = request_id_var.get()
        return True


# Attributes every LogRecord has; anything else was passed with `extra=` and is printed.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {
    "message",
    "asctime",
    "request_id",
    "request",  # Django's request loggers pass the request object itself
    "status_code",
    "server_time",
}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id, extras."""

    def format(self, record):
        data = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
            "pid": record.process,
        }
        if getattr(record, "status_code", None) is not None:
            data["status"] = record.status_code
        for name, value in vars(record).items():
            if name not in _STANDARD and not name.startswith("_"):
                data[name] = value
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, default=str, ensure_ascii=False)


JsonFormatter.converter = time.gmtime
