"""/healthz: the database and the cache, for load balancers and monitoring."""

import socket

import pytest
from django.db import OperationalError
from django.test import Client, override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def closed_port():
    """A loopback port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def unreachable_redis():
    return {
        "default": {
            "BACKEND": "exosite.kernel.redis.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


def test_healthy(client, settings):
    settings.EXOSITE_PAGE_CACHE = True
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "ok"
    assert data["checks"]["database"]["ok"] is True
    assert data["checks"]["cache"]["ok"] is True
    assert data["release"]
    assert "no-store" in response["Cache-Control"]
    assert "X-Cache" not in response


def test_database_down_is_an_error(client, monkeypatch):
    from exosite.kernel import health

    def refuse(*args, **kwargs):
        raise OperationalError("connection refused to db.internal:5432")

    monkeypatch.setattr(health.connection, "cursor", refuse)
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    data = response.json()
    assert data["status"] == "error"
    assert data["checks"]["database"] == {
        "ok": False,
        "ms": data["checks"]["database"]["ms"],
        "vendor": data["checks"]["database"]["vendor"],
        "error": "OperationalError",
    }
    assert "db.internal" not in response.content.decode()  # no internals leaked


def test_cache_down_is_degraded_not_down(client):
    with override_settings(CACHES=unreachable_redis()):
        response = client.get(reverse("healthz"))
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "degraded"
    assert data["checks"]["cache"]["ok"] is False
    assert data["checks"]["cache"]["backend"] == "ResilientRedisCache"
    assert data["checks"]["cache"]["error"] == "ConnectionError"


def test_health_check_answers_over_plain_http_behind_an_https_redirect(settings):
    settings.SECURE_SSL_REDIRECT = True
    client = Client()
    assert client.get(reverse("healthz")).status_code == 200
    assert client.get(reverse("home")).status_code == 301


def test_only_safe_methods(client):
    assert client.post(reverse("healthz")).status_code == 405
