"""Production settings and behaviour: the headers and cookies a security reviewer checks,
admin brute-force protection, error mails, the 500 page, structured logs, gunicorn."""

import io
import json
import logging
import os
import re
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import OperationalError
from django.test import Client
from django.urls import path, reverse
from pytest_django.asserts import assertContains

import exosite.urls
from exosite.kernel.logs import JsonFormatter, RequestIdFilter, RequestIdMiddleware

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_local_pages():
    from exosite.kernel.pagecache import PageCacheMiddleware

    PageCacheMiddleware.local.clear()
    yield
    PageCacheMiddleware.local.clear()


BASE = str(django_settings.BASE_DIR)
SIX_MONTHS = 60 * 60 * 24 * 182


def production_env(**extra):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_"))}
    return {
        **clean,
        "DJANGO_SETTINGS_MODULE": "exosite.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "a-long-random-production-secret-" + "x7Yq2#Lp9!" * 4,
        "DJANGO_ALLOWED_HOSTS": "exosite.example",
        **extra,
    }


def run(args, env, timeout=60):
    return subprocess.run(
        [sys.executable, *args], cwd=BASE, env=env, capture_output=True, text=True, timeout=timeout
    )


# -- headers ------------------------------------------------------------------------------


def assert_security_headers(response):
    csp = response["Content-Security-Policy"]
    directives = dict(
        (part.strip().split(" ", 1) + [""])[:2] for part in csp.split(";") if part.strip()
    )
    script = directives["script-src"]
    assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script
    assert "'unsafe-inline'" not in directives["style-src"]
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    hsts = dict(
        (item.strip().split("=") + [""])[:2]
        for item in response["Strict-Transport-Security"].split(";")
    )
    assert int(hsts["max-age"]) >= SIX_MONTHS
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] in (
        "strict-origin-when-cross-origin",
        "strict-origin",
        "same-origin",
        "no-referrer",
    )
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert_site_headers(response)
    # Preload lists are opt-in (DJANGO_SECURE_HSTS_PRELOAD).
    assert "preload" not in response["Strict-Transport-Security"]


def assert_site_headers(response):
    """Permissions-Policy and Cross-Origin-Resource-Policy, on every response."""
    policy = dict(item.strip().split("=", 1) for item in response["Permissions-Policy"].split(","))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "browsing-topics"):
        assert policy[feature] == "()", feature
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"


@pytest.mark.parametrize("page_cache", [False, True])
def test_every_page_carries_the_security_headers(client, settings, make_article, page_cache):
    settings.EXOSITE_PAGE_CACHE = page_cache
    article = make_article()
    urls = [
        reverse("home"),
        article.get_absolute_url(),
        reverse("articles:list"),
        reverse("glossary:index"),
        reverse("faq:index"),
        reverse("faq:ask"),
        reverse("admin:login"),
        "/no-such-page/",
        "/sitemap.xml",
        "/robots.txt",
        "/healthz",
    ]
    for url in urls:
        for _ in range(2):  # the second is a cache hit where the page cache is on
            response = client.get(url, secure=True)
            assert response.status_code in (200, 404), url
            assert_security_headers(response)


def test_script_nonce_in_the_page_matches_the_header(client):
    response = client.get(reverse("home"), secure=True)
    nonces = set(re.findall(r'nonce="([^"]+)"', response.content.decode()))
    for nonce in nonces:
        assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]


def test_cookies_are_secure_httponly_and_samesite(client):
    user = get_user_model().objects.create_superuser("boss", "b@example.org", "a-long-passphrase")
    assert user.pk
    form = client.get(reverse("admin:login"), secure=True)
    csrf = form.cookies[django_settings.CSRF_COOKIE_NAME]
    assert csrf["secure"] and csrf["samesite"] == "Lax"
    response = client.post(
        reverse("admin:login"),
        {"username": "boss", "password": "a-long-passphrase", "next": "/admin/"},
        secure=True,
    )
    assert response.status_code == 302
    session = response.cookies[django_settings.SESSION_COOKIE_NAME]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"


# -- check --deploy and settings -----------------------------------------------------------


def test_check_deploy_is_clean_with_redis_and_postgresql_configured():
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        production_env(
            REDIS_URL="redis://127.0.0.1:6379/0",
            DATABASE_URL="postgres://u:p@db.example:5432/exo",
        ),
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_values():
    code = (
        "import django, json; django.setup(); from django.conf import settings as s;"
        "print(json.dumps({'hsts': s.SECURE_HSTS_SECONDS, 'sub': s.SECURE_HSTS_INCLUDE_SUBDOMAINS,"
        "'ssl': s.SECURE_SSL_REDIRECT, 'sc': s.SESSION_COOKIE_SECURE, 'cc': s.CSRF_COOKIE_SECURE,"
        "'sh': s.SESSION_COOKIE_HTTPONLY, 'cache': s.CACHES['default']['BACKEND'],"
        "'log': s.LOGGING['handlers']['console']['formatter'], 'debug': s.DEBUG,"
        "'axes': s.AUTHENTICATION_BACKENDS[0], 'preload': s.SECURE_HSTS_PRELOAD}))"
    )
    result = run(["-c", code], production_env(REDIS_URL="redis://127.0.0.1:6379/0"))
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values == {
        "hsts": 31536000,
        "sub": True,
        "ssl": True,
        "sc": True,
        "cc": True,
        "sh": True,
        "cache": "exosite.kernel.redis.ResilientRedisCache",
        "log": "json",
        "debug": False,
        "axes": "axes.backends.AxesStandaloneBackend",
        "preload": False,
    }


def test_hsts_preload_only_when_asked_and_check_deploy_clean_either_way():
    code = "import django; django.setup(); from django.conf import settings as s;"
    for asked, expected in (("", False), ("0", False), ("1", True)):
        env = production_env(DJANGO_SECURE_HSTS_PRELOAD=asked)
        result = run(["-c", code + "print(s.SECURE_HSTS_PRELOAD)"], env)
        assert result.stdout.split()[-1] == str(expected), asked
        result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
        assert result.returncode == 0, result.stdout + result.stderr


def test_gunicorn_configuration_loads():
    gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
    result = subprocess.run(
        [gunicorn, "--check-config", "-c", "exosite/gunicorn.conf.py", "exosite.wsgi"],
        cwd=BASE,
        env=production_env(DJANGO_ALLOWED_HOSTS="127.0.0.1"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# -- admin brute force -------------------------------------------------------------------


def test_admin_login_locks_out_after_repeated_failures(settings):
    get_user_model().objects.create_superuser("boss", "b@example.org", "a-long-passphrase")
    client = Client()
    url = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(url, {"username": "boss", "password": "wrong"})
        assert response.status_code == 200  # the admin's own "wrong password" form
    locked = client.post(url, {"username": "boss", "password": "wrong"})
    assert locked.status_code == 429
    assertContains(locked, "Sign-in paused", status_code=429)
    assertContains(locked, "15 minutes", status_code=429)
    # Even the right password is refused while locked out.
    again = client.post(url, {"username": "boss", "password": "a-long-passphrase"})
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_client_address(settings):
    get_user_model().objects.create_superuser("boss", "b@example.org", "a-long-passphrase")
    url = reverse("admin:login")
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attacker.post(url, {"username": "boss", "password": "wrong"})
    assert attacker.post(url, {"username": "boss", "password": "wrong"}).status_code == 429
    editor = Client(REMOTE_ADDR="198.51.100.7")
    response = editor.post(url, {"username": "boss", "password": "a-long-passphrase"})
    assert response.status_code == 302


def test_lockout_ends_after_the_cool_off(settings):
    from axes.models import AccessAttempt

    get_user_model().objects.create_superuser("boss", "b@example.org", "a-long-passphrase")
    client = Client()
    url = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": "boss", "password": "wrong"})
    assert client.post(url, {"username": "boss", "password": "wrong"}).status_code == 429
    from django.utils import timezone

    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME * 2)
    response = client.post(url, {"username": "boss", "password": "a-long-passphrase"})
    assert response.status_code == 302


# -- errors ---------------------------------------------------------------------------------


def broken(request):
    raise RuntimeError("boom")


def with_broken_view(settings):
    settings.ROOT_URLCONF = type(
        "urls", (), {"urlpatterns": [path("boom/", broken), *exosite.urls.urlpatterns]}
    )


def test_errors_are_mailed_to_the_admins(settings):
    settings.ADMINS = ["ops@example.org"]
    with_broken_view(settings)
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ops@example.org"]
    assert "boom" in mail.outbox[0].body


def test_500_page_when_the_database_is_down(settings, monkeypatch):
    settings.EXOSITE_PAGE_CACHE = True
    with_broken_view(settings)
    from django.db.backends.base.base import BaseDatabaseWrapper

    def refuse(self, *args, **kwargs):
        raise OperationalError("database unreachable")

    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", refuse)
    client = Client(raise_request_exception=False)
    for url in ("/boom/", reverse("articles:list")):
        response = client.get(url)
        assert response.status_code == 500
        assertContains(response, "Something went wrong on our side", status_code=500)
        assert response["X-Request-ID"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert_site_headers(response)


def failing_error_page(request, *args, **kwargs):
    raise RuntimeError("the error page broke too")


def test_an_error_page_that_fails_still_gets_an_answer_with_headers(settings):
    """When Django's own error handling raises (an error page that fails), the request id
    middleware answers with a page that cannot fail, logs it and mails it."""
    settings.ADMINS = ["ops@example.org"]
    with_broken_view(settings)
    settings.ROOT_URLCONF.handler500 = failing_error_page
    response = Client(raise_request_exception=False).get("/boom/", secure=True)
    assert response.status_code == 500
    assertContains(response, "Something went wrong on our side", status_code=500)
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert_site_headers(response)
    assert any("the error page failed too" in message.body for message in mail.outbox)


def test_a_request_for_another_host_gets_the_sites_400(client):
    response = client.get("/", HTTP_HOST="attacker.example", secure=True)
    assertContains(response, "We could not read that request", status_code=400)
    assert_security_headers(response)
    assert response["X-Request-ID"]


# -- logs -----------------------------------------------------------------------------------


def test_every_response_has_a_request_id(client):
    first = client.get(reverse("home"))
    second = client.get(reverse("home"))
    assert re.fullmatch(r"[0-9a-f]{32}", first["X-Request-ID"])
    assert first["X-Request-ID"] != second["X-Request-ID"]
    assert client.get(reverse("home"), HTTP_X_REQUEST_ID="lb-7f3a9c21")["X-Request-ID"] == (
        "lb-7f3a9c21"
    )
    forged = client.get(reverse("home"), HTTP_X_REQUEST_ID="<script>alert(1)</script>")
    assert re.fullmatch(r"[0-9a-f]{32}", forged["X-Request-ID"])


def test_logs_are_json_lines_with_the_request_id(rf):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    loggers = [logging.getLogger("exosite.access"), logging.getLogger("tests.app")]
    for logger in loggers:
        logger.addHandler(handler)
    try:

        def view(request):
            logging.getLogger("tests.app").warning("inside the view", extra={"answer": 42})
            from django.http import HttpResponse

            return HttpResponse("ok")

        response = RequestIdMiddleware(view)(rf.get("/articles/?q=private+words"))
    finally:
        for logger in loggers:
            logger.removeHandler(handler)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    inside, access = lines
    assert inside["message"] == "inside the view"
    assert inside["answer"] == 42
    assert inside["level"] == "WARNING"
    assert inside["request_id"] == access["request_id"] == response["X-Request-ID"]
    assert access["logger"] == "exosite.access"
    assert access["path"] == "/articles/"  # never the query string
    assert access["status"] == 200
    assert access["method"] == "GET"
    assert "duration_ms" in access
    assert "private words" not in stream.getvalue()


def test_static_files_carry_a_strict_policy_of_their_own(settings):
    from exosite.kernel.security import STATIC_CSP

    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    response = Client().get("/static/css/site.css", secure=True)
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == STATIC_CSP
    assert "default-src 'none'" in STATIC_CSP
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "max-age=31536000" in response["Strict-Transport-Security"]
    assert_site_headers(response)
