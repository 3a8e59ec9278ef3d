"""Profile the rendered pages of the bench database in-process (issue 16).

    .venv/bin/python tests/benchmarks/profile_pages.py [page-name-substring ...]

Uses the database `make bench` seeded in var/bench/ (run the bench once first), production
settings with the page cache off, and Django's test client (no server). For each page:
milliseconds per request, the number of queries and their time, then cProfile's costliest
functions (cumulative) so the real costs are named before any code changes.
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import sys
import time

import inprocess  # first: sets Django up on the bench database

selected_pages, warmed_client = inprocess.selected_pages, inprocess.warmed_client

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def measure(name: str, path: str, user: str | None, repeat: int = 5) -> None:
    client = warmed_client(name, path, user)
    if client is None:
        return
    start = time.perf_counter()
    for _ in range(repeat):
        client.get(path)
    per_request = (time.perf_counter() - start) / repeat * 1000
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    captured = list(context.captured_queries)  # the next request resets the connection's log
    sql_ms = sum(float(q["time"]) for q in captured) * 1000
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(repeat):
        client.get(path)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats(os.environ.get("PROFILE_SORT", "cumulative")).print_stats(45)
    print(f"## {name}: {path}\n{per_request:.1f} ms/request, {len(captured)} queries, {sql_ms:.1f} ms SQL, "
          f"{len(response.content):,} bytes")
    slow = captured if os.environ.get("PROFILE_ALL_SQL") else sorted(captured, key=lambda q: -float(q["time"]))[:3]
    for query in slow:
        print(f"  {float(query['time']) * 1000:.1f} ms  {query['sql'][:300]}")
    lines = out.getvalue().splitlines()
    start_at = next(i for i, line in enumerate(lines) if "ncalls" in line)
    print("\n".join(line for line in lines[start_at:start_at + 45] if "site-packages/django/test/" not in line))
    print()


def main(selected: list[str]) -> None:
    for name, path, user in selected_pages(selected):
        measure(name, path, user)


if __name__ == "__main__":
    main(sys.argv[1:])
