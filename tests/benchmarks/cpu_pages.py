"""CPU time per request of the rendered bench pages, in-process (issue 16).

    .venv/bin/python tests/benchmarks/cpu_pages.py [page-name-substring ...]

Same set-up as profile_pages.py (production settings, page cache off, the bench database
in var/bench/, or CHAARSOO_VAR_DIR). Each page is requested twice to warm up, then
CPU_REPEAT times (20 unless set); prints the median and the lowest `time.process_time()`
per request, the queries of one request and the page's size. CPU time does not depend on
how long the process waited for a core, so it compares code on a loaded machine where
wall-clock times do not. On a PostgreSQL server on this machine it also prints the CPU its
backend process spent per request (read from /proc: planning and running the queries;
the kernel counts it in 10 ms ticks, so use CPU_REPEAT of 50 or more).
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


def database_cpu_seconds() -> float | None:
    """CPU seconds the connection's PostgreSQL backend has used, when it runs on this
    machine (its /proc entry is readable); None otherwise."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def measure(name: str, path: str, user: str | None, repeat: int) -> None:
    client = warmed_client(name, path, user)
    if client is None:
        return
    times = []
    database_before = database_cpu_seconds()
    for _ in range(repeat):
        start = time.process_time()
        client.get(path)
        times.append((time.process_time() - start) * 1000)
    database_after = database_cpu_seconds()
    database = ""
    if database_before is not None and database_after is not None:
        database = f"  database {(database_after - database_before) * 1000 / repeat:5.1f} ms"
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    print(f"{name:45} median {statistics.median(times):6.1f} ms  min {min(times):6.1f} ms{database}  "
          f"{len(context.captured_queries):3d} queries  {len(response.content):8,d} bytes", flush=True)


def main(selected: list[str]) -> None:
    repeat = int(os.environ.get("CPU_REPEAT", "20"))
    for name, path, user in selected_pages(selected):
        measure(name, path, user, repeat)


if __name__ == "__main__":
    main(sys.argv[1:])
