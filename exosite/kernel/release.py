"""The release: what pages are made from besides the content (the code, the templates and
the static manifest), as a short hash. Page-cache keys and kept parts of pages carry it,
so a deploy never serves pages rendered by the previous one."""

import functools
import hashlib
import os
from pathlib import Path

import django
from django.conf import settings


@functools.cache
def release():
    """A short hash of what pages are made from besides the content: the code, the
    templates and the static manifest (EXOSITE_RELEASE, when set, replaces it). A deploy
    therefore never serves pages rendered by the previous one."""
    if settings.EXOSITE_RELEASE:
        return settings.EXOSITE_RELEASE
    digest = hashlib.blake2b(django.get_version().encode(), digest_size=8)
    base = Path(settings.BASE_DIR)
    skip = {"node_modules", "staticfiles", "media", "var", "tests", "bench", "__pycache__"}
    files = []
    for folder, subfolders, names in os.walk(base):
        subfolders[:] = sorted(d for d in subfolders if d not in skip and not d.startswith("."))
        files += [
            Path(folder) / name
            for name in sorted(names)
            if name.endswith((".py", ".html", ".txt", ".xml", ".json"))
        ]
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.is_file():
        files.append(manifest)
    for path in files:
        digest.update(str(path.relative_to(base) if path.is_relative_to(base) else path).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()
