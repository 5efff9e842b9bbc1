from django.apps import AppConfig


class KindAppConfig(AppConfig):
    """A test-only app with one small content kind, "note": proof that a new kind needs
    its own app and nothing else (tests/site/test_kinds.py). Installed by tests/settings.py;
    its kind is registered only inside the tests that use it (the `note_kind` fixture), so
    the rest of the suite sees the site's real kinds."""

    name = "tests.kindapp"
    label = "kindapp"
