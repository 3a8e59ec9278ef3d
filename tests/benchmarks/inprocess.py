"""What the in-process bench scripts share (profile_pages.py, cpu_pages.py): Django set up
on the bench database with production settings and the page cache off, no server, and a
test client signed in and warmed up on a page.

Import it before anything from Django: it sets the environment and calls django.setup().
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("CHAARSOO_VAR_DIR", str(ROOT / "var" / "bench"))
os.environ.update(
    DJANGO_SETTINGS_MODULE="config.settings.production", SECRET_KEY="profile-only-" + "x" * 50,
    ALLOWED_HOSTS="testserver,127.0.0.1", SITE_URL="http://testserver", SECURE_SSL_REDIRECT="0",
    SESSION_COOKIE_SECURE="0", CSRF_COOKIE_SECURE="0", SECURE_HSTS_SECONDS="0",
    CHAARSOO_PAGE_CACHE_SECONDS="0", LOG_LEVEL="ERROR",
)
os.environ.pop("DEBUG", None)

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client  # noqa: E402

from tests.benchmarks import pages  # noqa: E402


def selected_pages(selected: list[str]) -> Iterator[tuple[str, str, str | None]]:
    """The bench pages (name, path, user) whose names hold one of `selected` (all if none)."""
    for name, path, user in pages.all_pages():
        if name != pages.CEILING and (not selected or any(word in name for word in selected)):
            yield name, path, user


def warmed_client(name: str, path: str, user: str | None) -> Client | None:
    """A client (signed in as `user`) that has requested `path` twice, so caches and lazy
    imports are warm; None, with a line saying why, when the page does not answer 200."""
    client = Client()
    if user:
        client.force_login(get_user_model().objects.get(email=user))
    for _ in range(2):
        response = client.get(path)
    if response.status_code != 200:
        print(f"## {name}: {path} answered {response.status_code}\n")
        return None
    return client
