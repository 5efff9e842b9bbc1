"""Every request the site cannot read gets its own 400 page, through the whole middleware
stack: the security headers, a request id, one JSON log line; never a 500.

The client enforces CSRF checks and carries a CSRF cookie, as a browser does: the check
reads the form, which is where a malformed one used to raise (and then again on the error
page, escaping as a bare 500).
"""

import json
import re
import socket

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains

from exosite.kernel.logs import JsonFormatter, RequestIdFilter

pytestmark = pytest.mark.django_db

BOUNDARY = "exosite-boundary"
PART = f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="question"\r\n\r\nWhy?\r\n'
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"
FORM = "application/x-www-form-urlencoded"
TOO_MANY_FIELDS = "&".join(f"f{i}=1" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))

# name: (content type, body)
BAD_BODIES = {
    "latin1 charset": (f"{FORM}; charset=latin1", b"question=caf%E9"),
    "utf-16 charset": (f"{FORM}; charset=utf-16", "question=why".encode("utf-16")),
    "unknown charset": (f"{FORM}; charset=bogus-8", b"question=why"),
    "multipart, utf-16 charset": (
        f"{MULTIPART}; charset=utf-16",
        (PART + f"--{BOUNDARY}--\r\n").encode(),
    ),
    "multipart without boundary": ("multipart/form-data", (PART + f"--{BOUNDARY}--\r\n").encode()),
    "multipart with an invalid boundary": (
        f"multipart/form-data; boundary={'b' * 300}",
        PART.encode(),
    ),
    "multipart cut short": (
        MULTIPART,
        PART.encode() + b"--" + BOUNDARY.encode() + b"\r\nContent-Dis",
    ),
    "multipart without its closing boundary": (MULTIPART, PART.encode()),
    "body over the limit": (FORM, b"question=" + b"x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE),
    "multipart fields over the limit": (
        MULTIPART,
        (
            PART.replace("Why?", "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE) + f"--{BOUNDARY}--\r\n"
        ).encode(),
    ),
    "too many fields": (FORM, TOO_MANY_FIELDS.encode()),
    "multipart, too many fields": (
        MULTIPART,
        (
            "".join(
                f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="f{i}"\r\n\r\n1\r\n'
                for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)
            )
            + f"--{BOUNDARY}--\r\n"
        ).encode(),
    ),
}

# name: (address, extra headers); sent as GET to these pages and as POST to /faq/ask/
BAD_ADDRESSES = {
    "NUL in the query": ("{page}?q=%00", {}),
    "query not UTF-8": ("{page}?q=%FF%FE", {}),
    "too many query fields": ("{page}?" + TOO_MANY_FIELDS, {}),
    "NUL in the path": ("{page}%00/", {}),
    "path not UTF-8": ("{page}%C3%28/", {}),
    "header too long": ("{page}", {"HTTP_X_PADDING": "a" * 10_000}),
    "too many headers": ("{page}", {f"HTTP_X_H{i}": "1" for i in range(120)}),
    "Content-Length not a number": ("{page}", {"CONTENT_LENGTH": "12abc"}),
}
GET_PAGES = ("/", "/search/", "/faq/", "/articles/")


def test_nul_in_a_filter_is_a_400_not_a_database_error(client, make_article):
    """PostgreSQL cannot compare text with NUL: /articles/?tag=%00 was a 500 there."""
    make_article(title="Vesicles")
    for url in ("/articles/?tag=%00", "/search/?q=%00&tag=%00", "/glossary/?letter=%00"):
        assertContains(client.get(url), "We could not read that request", status_code=400)


@pytest.fixture
def post_urls(make_question):
    question = make_question()
    return [
        reverse("faq:ask"),
        reverse("trust:helpful"),
        reverse("trust:problem"),
        reverse("admin:login"),
        reverse("faq:vote", args=[question.slug]),  # the old address, still answered
    ]


@pytest.fixture
def browser_client():
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.cookies[settings.CSRF_COOKIE_NAME] = "a" * 32
    return client


@pytest.fixture
def refusals(caplog):
    """The JSON lines the refusals are logged as (the request id filter as in production)."""
    caplog.handler.addFilter(RequestIdFilter())
    caplog.set_level("INFO")

    def lines():
        formatter = JsonFormatter()
        found = [
            json.loads(formatter.format(record))
            for record in caplog.records
            if record.name == "exosite.requests"
        ]
        caplog.clear()
        return found

    return lines


def assert_refused(response, refusals, what):
    assert response.status_code == 400, what
    assert b"We could not read that request" in response.content, what
    csp = response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp, what
    assert response["X-Content-Type-Options"] == "nosniff", what
    assert response["X-Frame-Options"] == "DENY", what
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin", what
    assert "camera=()" in response["Permissions-Policy"], what
    assert response["Cross-Origin-Resource-Policy"] == "same-origin", what
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"]), what
    (line,) = refusals()
    assert line["level"] == "WARNING", what
    assert line["request_id"] == response["X-Request-ID"], what
    assert line["reason"], what


@pytest.mark.parametrize("case", BAD_BODIES)
def test_unreadable_form_bodies_get_the_sites_400_on_every_post_endpoint(
    case, post_urls, browser_client, refusals
):
    content_type, body = BAD_BODIES[case]
    for url in post_urls:
        response = browser_client.generic("POST", url, body, content_type=content_type)
        assert_refused(response, refusals, f"{case} {url}")


@pytest.mark.parametrize("case", BAD_ADDRESSES)
def test_unreadable_addresses_and_headers_get_the_sites_400(case, browser_client, refusals):
    address, headers = BAD_ADDRESSES[case]
    for page in GET_PAGES:
        response = browser_client.get(address.format(page=page), **headers)
        assert_refused(response, refusals, f"{case} GET {page}")
    url = address.format(page=reverse("faq:ask"))
    response = browser_client.post(url, {"question": "Why?"}, **headers)
    assert_refused(response, refusals, f"{case} POST")


def test_a_refused_form_reads_as_empty_afterwards(rf):
    """Nothing after the refusal (an error page's CSRF check, say) can fail on it again."""
    from exosite.kernel.requests import MalformedRequestMiddleware

    request = rf.generic("POST", "/faq/ask/", b"question=x", content_type=f"{FORM}; charset=latin1")
    response = MalformedRequestMiddleware(lambda request: pytest.fail("reached the view"))(request)
    assert response.status_code == 400
    assert request.POST == {}


def test_well_formed_requests_still_pass(browser_client, client, make_question):
    """UTF-8 (named or not), ASCII, complete multipart bodies, ordinary addresses."""
    question = make_question()
    for content_type in (
        FORM,
        f"{FORM}; charset=UTF-8",
        f"{FORM}; charset=utf8",
        f"{FORM}; charset=us-ascii",
    ):
        response = client.generic(
            "POST",
            reverse("trust:helpful"),
            f"helpful=yes&page={question.get_absolute_url()}".encode(),
            content_type=content_type,
        )
        assert response.status_code in (200, 302), content_type
    body = (
        PART.replace("question", "helpful").replace("Why?", "yes") + f"--{BOUNDARY}--\r\n"
    ).encode()
    response = client.generic("POST", reverse("trust:helpful"), body, content_type=MULTIPART)
    assert response.status_code in (200, 302)
    for url in ("/search/?q=caf%C3%A9+%E2%80%94+exosomes", "/faq/"):
        assert client.get(url).status_code == 200, url
    # A well-formed post without a CSRF token is still refused by the CSRF check (403).
    assert browser_client.post(reverse("faq:ask"), {"question": "Why?"}).status_code == 403


def test_a_complete_upload_is_read_whole(rf):
    """The stricter multipart parser still reads what a browser sends, files included."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.http import HttpResponse

    from exosite.kernel.requests import MalformedRequestMiddleware

    def view(request):
        upload = request.FILES["file"]
        return HttpResponse(f"{upload.size} {request.POST['note']}")

    upload = SimpleUploadedFile("a.txt", b"x" * 3_000_000, content_type="text/plain")
    request = rf.post("/admin/", {"file": upload, "note": "café"})
    response = MalformedRequestMiddleware(view)(request)
    assert response.content.decode() == "3000000 café"


# -- through a real HTTP server: bytes the test client cannot send ---------------------------


def raw_request(live_server, request):
    host, port = live_server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=20) as conn:
        conn.sendall(request)
        conn.shutdown(socket.SHUT_WR)
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("iso-8859-1").split("\r\n")
    headers = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return int(status_line.split()[1]), headers, body


def raw_post(path, content_type, body, length=None):
    head = (
        f"POST {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
        f"Content-Type: {content_type}\r\nCookie: csrftoken={'a' * 32}\r\n"
        f"Content-Length: {len(body) if length is None else length}\r\n\r\n"
    )
    return head.encode() + body


def raw_get(target):
    return b"GET " + target + b" HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"


RAW_REQUESTS = {
    "latin1 form": raw_post("/faq/ask/", f"{FORM}; charset=latin1", b"question=caf\xe9"),
    "multipart cut short by the client": raw_post(
        "/feedback/problem/", MULTIPART, PART.encode()[:30], length=len(PART) + 40
    ),
    "raw bytes not UTF-8 in the path": raw_get(b"/faq/\xff\xfe/"),
    "raw NUL in the query": raw_get(b"/search/?q=a\x00b"),
}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("case", RAW_REQUESTS)
def test_a_real_server_answers_the_sites_400(live_server, case, refusals):
    status, headers, body = raw_request(live_server, RAW_REQUESTS[case])
    assert status == 400
    assert b"We could not read that request" in body
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert headers["cross-origin-resource-policy"] == "same-origin"
    (line,) = refusals()
    assert line["request_id"] == headers["x-request-id"]


def test_a_content_type_django_cannot_parse_gets_the_sites_400_from_the_wsgi_app():
    """Django parses Content-Type while it builds the request, before any middleware; the
    real WSGI application (what gunicorn runs) still answers with the site's 400."""
    from io import BytesIO

    from exosite.wsgi import application

    answered = {}

    def start_response(status, headers, exc_info=None):
        answered["status"], answered["headers"] = status, dict(headers)

    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/faq/ask/",
        "QUERY_STRING": "",
        "CONTENT_TYPE": "text/plain; a*=bogus''x",
        "CONTENT_LENGTH": "3",
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.input": BytesIO(b"why"),
        "wsgi.errors": BytesIO(),
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    body = b"".join(application(environ, start_response))
    assert answered["status"].startswith("400")
    assert "X-Request-ID" in answered["headers"]
    assert "Content-Security-Policy" in answered["headers"]
    assert b"<html" in body
