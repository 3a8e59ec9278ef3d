"""CPU time per request of the bench pages, in-process (issue 16).

    .venv/bin/python tests/benchmarks/cpu_pages.py [--repeat 20] [page-name-substring ...]

On a machine shared with other work, wall-clock times move with the load; the CPU time a
request costs its own process does not. Each page is requested `--repeat` times in one
process (Django's test client, production settings, page cache off, the bench database in
var/bench/) after two warm-up requests; printed: the median `time.process_time()` per
request, the queries of one request and the page's size.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

import profile_pages  # noqa: F401  (sets up Django on the bench database, as the profiler does)
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.benchmarks import pages


def measure(path: str, user: str | None, repeat: int) -> tuple[float, int, int, int]:
    client = Client()
    if user:
        client.force_login(get_user_model().objects.get(email=user))
    for _ in range(2):
        response = client.get(path)
    times = []
    for _ in range(repeat):
        start = time.process_time()
        client.get(path)
        times.append(time.process_time() - start)
    with CaptureQueriesContext(connection) as context:
        client.get(path)
    return statistics.median(times) * 1000, len(context.captured_queries), len(response.content), response.status_code


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("words", nargs="*")
    args = parser.parse_args()
    print("| page | CPU ms/request (median) | queries | bytes |\n| --- | --- | --- | --- |")
    for name, path, user in pages.all_pages():
        if name == pages.CEILING or args.words and not any(word in name for word in args.words):
            continue
        cpu, queries, size, status = measure(path, user, args.repeat)
        note = "" if status == 200 else f" (status {status})"
        print(f"| {name}{note} | {cpu:.1f} | {queries} | {size:,} |", flush=True)


if __name__ == "__main__":
    sys.exit(main())
