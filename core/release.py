"""The version of the running code, for cache keys that must not outlive a deploy (issue 16).

Kept fragments (rows, forms, blocks, whole anonymous pages) are found under keys made of
the data they show, not of the templates and code that printed them. In a shared Redis
they would outlive a deploy that changed their markup by up to their timeout; with the
release in the cache's key prefix, new code starts with empty caches of its own. A deploy
may name its release (`CHAARSOO_RELEASE`, e.g. the commit or image tag); otherwise the
release is a digest of the project's code and templates and of the versions of the
frameworks whose templates it renders.
"""

from __future__ import annotations

import hashlib
import os
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Not code: the environment, data, uploads, tests and dependencies (named by version below).
# Static files are: a page kept in the cache names their hashed URLs.
SKIPPED_DIRS = frozenset({".git", ".venv", "node_modules", "var", "tests", "__pycache__", "media"})
CODE_SUFFIXES = frozenset({".py", ".html", ".txt", ".json", ".mo", ".css", ".js", ".svg"})
FRAMEWORKS = ("Django", "django-oscar", "wagtail")


def code_version(root: Path = ROOT) -> str:
    """`CHAARSOO_RELEASE`, or 16 hex digits of the code under `root` and the frameworks'
    versions: the same on every process running the same code, different after any
    change to it."""
    named = os.environ.get("CHAARSOO_RELEASE", "").strip()
    if named:
        return named
    digest = hashlib.sha256()
    for name in FRAMEWORKS:
        digest.update(f"{name}={metadata.version(name)}\n".encode())
    for path in sorted(_code_files(root)):
        digest.update(str(path.relative_to(root)).encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _code_files(root: Path):
    for directory, subdirectories, files in os.walk(root):
        subdirectories[:] = [name for name in subdirectories if name not in SKIPPED_DIRS]
        for name in files:
            if Path(name).suffix in CODE_SUFFIXES:
                yield Path(directory, name)
