"""CPU time per request of the rendered bench pages, in-process (issue 16).

    .venv/bin/python tests/benchmarks/cpu_pages.py [page-name-substring ...]

Same set-up as profile_pages.py (production settings, page cache off, the bench database
in var/bench/, or CHAARSOO_VAR_DIR). Each page is requested twice to warm up, then
CPU_REPEAT times (20 unless set); prints the median and the lowest `time.process_time()`
per request, the queries of one request and the page's size. CPU time does not depend on
how long the process waited for a core, so it compares code on a loaded machine where
wall-clock times do not.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
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
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from tests.benchmarks import pages  # noqa: E402


def measure(name: str, path: str, user: str | None, repeat: int) -> None:
    client = Client()
    if user:
        client.force_login(get_user_model().objects.get(email=user))
    for _ in range(2):
        response = client.get(path)
    if response.status_code != 200:
        print(f"{name}: {path} answered {response.status_code}")
        return
    times = []
    for _ in range(repeat):
        start = time.process_time()
        client.get(path)
        times.append((time.process_time() - start) * 1000)
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    print(f"{name:45} median {statistics.median(times):6.1f} ms  min {min(times):6.1f} ms  "
          f"{len(context.captured_queries):3d} queries  {len(response.content):8,d} bytes", flush=True)


def main(selected: list[str]) -> None:
    repeat = int(os.environ.get("CPU_REPEAT", "20"))
    for name, path, user in pages.all_pages():
        if name == pages.CEILING or selected and not any(word in name for word in selected):
            continue
        measure(name, path, user, repeat)


if __name__ == "__main__":
    main(sys.argv[1:])
