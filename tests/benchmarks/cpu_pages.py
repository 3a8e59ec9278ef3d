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

import inprocess  # first: sets Django up on the bench database

selected_pages, warmed_client = inprocess.selected_pages, inprocess.warmed_client

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def measure(name: str, path: str, user: str | None, repeat: int) -> None:
    client = warmed_client(name, path, user)
    if client is None:
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
    for name, path, user in selected_pages(selected):
        measure(name, path, user, repeat)


if __name__ == "__main__":
    main(sys.argv[1:])
