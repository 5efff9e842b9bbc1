import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

BASE = str(settings.BASE_DIR)


def run_settings(env, code="import django; django.setup(); print('ok')"):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE,
        env={**clean, "DJANGO_SETTINGS_MODULE": "exosite.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_settings({"DJANGO_DEBUG": "0"})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_commands_that_read_only_the_code_need_no_secret_key():
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    manage = [sys.executable, "manage.py"]
    checked = subprocess.run(
        [*manage, "makemigrations", "--check", "--dry-run"],
        cwd=BASE,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert checked.returncode == 0, checked.stderr
    assert "No changes detected" in checked.stdout
    served = subprocess.run(
        [*manage, "migrate", "--plan"],
        cwd=BASE,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert served.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in served.stderr


def test_development_starts_without_a_secret_key():
    result = run_settings({"DJANGO_DEBUG": "1"})
    assert result.returncode == 0, result.stderr


def test_database_url_selects_postgresql():
    code = (
        "from django.conf import settings; db = settings.DATABASES['default'];"
        "print(db['ENGINE'], db['NAME'], db['HOST'])"
    )
    result = run_settings(
        {"DJANGO_DEBUG": "1", "DATABASE_URL": "postgres://u:p@db.example:5432/exo"}, code
    )
    assert result.stdout.split() == ["django.db.backends.postgresql", "exo", "db.example"]


def test_check_deploy_is_clean_in_production():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
            "DJANGO_SETTINGS_MODULE": "exosite.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "a-long-random-production-secret-" + "x7Yq2#Lp9!" * 4,
            "DJANGO_ALLOWED_HOSTS": "exosite.example",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite pragmas")
def test_sqlite_runs_in_wal_mode_with_immediate_transactions():
    # The test database is in memory (no WAL there); check the configured file database.
    options = settings.DATABASES["default"]["OPTIONS"]
    assert "journal_mode=WAL" in options["init_command"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 5
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone()[0] == 1
