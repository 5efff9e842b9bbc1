"""Requests the site cannot read are refused with its own 400 page, before anything reads them.

Django raises when it reads such a request: a form in another charset than UTF-8, a
multipart body without a boundary, a body or a number of fields over the limits. It raises
where the form is first read, which is the CSRF check, and the error page runs the CSRF
check again, so the second failure escaped as a bare 500 (no headers, no request id, no
log line). `MalformedRequestMiddleware` reads the request once, early, in a `try`, and
answers what it cannot read with `bad_request`; after a refusal the form reads as empty,
so no later code (an error page included) can fail on it again.

What it refuses, and why Django alone does not:

- a `charset` other than UTF-8 (or ASCII) in Content-Type: Django refuses it on urlencoded
  forms only when they are read, and ignores one it does not know;
- a multipart body without a valid boundary, or cut short before its closing boundary
  (Django keeps the parts it got, so a truncated upload would be saved as if complete);
- a body over `DATA_UPLOAD_MAX_MEMORY_SIZE` (multipart: its fields, files excepted), more
  fields than `DATA_UPLOAD_MAX_NUMBER_FIELDS`, in the form or the query string;
- a NUL character, or bytes that are not UTF-8, in the path or the query string (the
  database cannot store NUL, and no address of the site has either);
- a header over `MAX_HEADER_BYTES`, more than `MAX_HEADERS` headers (gunicorn's own limits,
  for servers that have none), a Content-Length that is not a number.

Long addresses are left to the server in front (gunicorn refuses a request line over 4 KB);
the views cut long queries themselves.
"""

import codecs
import logging
import re
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.core.exceptions import BadRequest, RequestDataTooBig, SuspiciousOperation
from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpResponseBadRequest, UnreadablePostError
from django.http.multipartparser import MultiPartParser, MultiPartParserError
from django.template import loader
from django.views.decorators.clickjacking import xframe_options_deny

logger = logging.getLogger("exosite.requests")

MAX_HEADER_BYTES = 8190
MAX_HEADERS = 100
UTF8_NAMES = frozenset({"utf-8", "ascii"})
# Django percent-encodes the bytes of a path that are not UTF-8 ("%FF"); the server has
# already decoded every escape the client sent, so these are such bytes (or an escaped
# "%25" followed by hex, which no address of the site has either).
REPERCENTED = re.compile(r"%[89A-Fa-f][0-9A-Fa-f]")


class SiteRequest(WSGIRequest):
    """The WSGI application's request class (exosite/wsgi.py). Django parses Content-Type
    while it builds the request, before any middleware, and raises on one it cannot parse
    (`text/plain; a*=bogus''x`): the WSGI server then sends a bare 500. Such a request is
    built anyway, marked, and refused by `MalformedRequestMiddleware` like any other."""

    unreadable_content_type = False

    def _set_content_type_params(self, meta):
        try:
            super()._set_content_type_params(meta)
        except BadRequest:
            self.content_type, self.content_params = "", {}
            self.unreadable_content_type = True


@xframe_options_deny
def bad_request(request, exception=None):
    """The site's 400 page (also `handler400`): a template that needs no database and no
    CSRF check, so answering a bad request cannot fail in turn."""
    return HttpResponseBadRequest(loader.render_to_string("400.html"))


class MalformedRequestMiddleware:
    """After the request id, security and CSP middleware (so the 400 has their headers),
    before anything reads the request: the page cache, sessions, CSRF, the views."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        reason = self.refusal(request)
        if reason:
            # Whatever reads the form after this (an error page's CSRF check, say) finds
            # it empty instead of failing on it again.
            request._mark_post_parse_error()
            logger.warning(
                "Malformed request refused: %s",
                reason,
                extra={"method": request.method, "path": request.path, "reason": reason},
            )
            return bad_request(request)
        return self.get_response(request)

    def refusal(self, request):
        """Why the request cannot be read, or None."""
        return (
            self.refuse_headers(request)
            or self.refuse_address(request)
            or self.refuse_charset(request)
            or self.refuse_body(request)
        )

    def refuse_headers(self, request):
        if getattr(request, "unreadable_content_type", False):
            return "Content-Type could not be parsed"
        headers = [value for name, value in request.META.items() if name.startswith("HTTP_")]
        if len(headers) > MAX_HEADERS:
            return "too many headers"
        for value in [*headers, request.META.get("CONTENT_TYPE", "")]:
            if isinstance(value, str) and len(value) > MAX_HEADER_BYTES:
                return "header too long"
        length = request.META.get("CONTENT_LENGTH") or "0"
        if not (isinstance(length, str) and length.isascii() and length.isdigit()):
            return "invalid Content-Length"
        return None

    def refuse_address(self, request):
        path = request.path_info
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in path:
            return "NUL in the path"
        if REPERCENTED.search(path):
            return "path is not UTF-8"
        try:
            # WSGI gives the raw query as latin-1; its escapes decode to the bytes sent.
            raw = unquote_to_bytes(query.encode("iso-8859-1"))
            raw.decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return "query string is not UTF-8"
        if b"\x00" in raw:
            return "NUL in the query string"
        try:
            request.GET  # noqa: B018 (parses it: too many fields raise here)
        except SuspiciousOperation:
            return "too many fields in the query string"
        return None

    def refuse_charset(self, request):
        charset = request.content_params.get("charset") if request.content_params else None
        if charset is None:
            return None
        try:
            name = codecs.lookup(charset).name
        except LookupError:
            return "unknown charset"
        if name not in UTF8_NAMES:
            return "charset is not UTF-8"
        # Django reads a form only when its charset is spelt "utf-8"; "utf8" or "us-ascii"
        # mean the same bytes.
        request.encoding = "utf-8"
        return None

    def refuse_body(self, request):
        # Multipart bodies may be larger: their files do not count (Django streams them).
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        length = int(request.META.get("CONTENT_LENGTH") or 0)
        if request.content_type != "multipart/form-data" and limit is not None and length > limit:
            return "body too large"
        if request.method != "POST":
            return None
        request.multipart_parser_class = CompleteMultiPartParser
        try:
            request.POST  # noqa: B018 (parses the form and files once, here)
        except RequestDataTooBig:  # a SuspiciousOperation: first
            return "body too large"
        except SuspiciousOperation:
            return "too many fields or files"
        except UnreadablePostError:
            return "body could not be read"
        except (BadRequest, MultiPartParserError):
            return "form could not be parsed"
        return None


class _Tail:
    """Reads a stream through, keeping its last bytes."""

    def __init__(self, stream, keep):
        self.stream = stream
        self.keep = keep
        self.tail = b""

    def read(self, *args):
        data = self.stream.read(*args)
        self.tail = (self.tail + data)[-self.keep :]
        return data


class CompleteMultiPartParser(MultiPartParser):
    """Django's parser, refusing a body that ends before its closing boundary."""

    def __init__(self, META, input_data, upload_handlers, encoding=None):
        super().__init__(META, input_data, upload_handlers, encoding)
        self._input_data = _Tail(self._input_data, len(self._boundary) + 16)

    def parse(self):
        result = super().parse()
        if self._content_length and not self._input_data.tail.rstrip(b"\r\n \t").endswith(
            b"--" + self._boundary + b"--"
        ):
            for _name, files in result[1].lists():
                for upload in files:
                    upload.close()
            raise MultiPartParserError("Multipart body ends before its closing boundary.")
        return result
