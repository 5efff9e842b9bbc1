"""Test settings: the real settings, read from the environment, with test defaults.

Tests run with DEBUG off, as production does; only what a test machine cannot have
(TLS, a collected static manifest) is relaxed here.
"""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-secret-key-not-for-production-use")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")

from exosite.settings import *  # noqa: F403

# A test-only app whose content kind some tests register (tests/site/test_kinds.py).
INSTALLED_APPS = [*INSTALLED_APPS, "tests.kindapp"]  # noqa: F405

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
# Tests measure the views themselves (query counts, fresh renders); the page cache in front
# of them is tested on its own in tests/site/test_cache.py, which turns it on.
EXOSITE_PAGE_CACHE = False
# No test reaches Crossref or PubMed: the library's tests turn lookups on against a local
# server with recorded answers (tests/library/conftest.py).
EXOSITE_REFERENCE_LOOKUP = False
# Tasks run at once, after the commit that asked for them (as under `make run`); the tests
# of the worker itself switch to the database backend (tests/site/test_tasks.py).
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
