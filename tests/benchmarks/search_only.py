"""Search pages alone, with the search result cache OFF (SEARCH_RESULT_CACHE_SECONDS=0),
against the database `make bench` left in var/bench (run `make bench` first).

    .venv/bin/python tests/benchmarks/search_only.py [--seconds 10] [--connections 16]

Prints req/s, p50, p95 and p99 per page next to the ceiling, as run_bench.py does.
"""

from __future__ import annotations

import argparse
import http.client
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks.run_bench import PAGES, PY, ROOT, free_port  # noqa: E402


def load(port: int, path: str, seconds: int, connections: int) -> tuple[float, float, float, float]:
    """req/s, p50, p95, p99 (ms) from `connections` clients for `seconds` (127.0.0.1 only)."""
    latencies: list[float] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        local = []
        while time.monotonic() < deadline:
            start = time.perf_counter()
            conn.request("GET", path)
            conn.getresponse().read()
            local.append((time.perf_counter() - start) * 1000)
        with lock:
            latencies.extend(local)

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    latencies.sort()
    pick = lambda q: latencies[max(int(len(latencies) * q) - 1, 0)]  # noqa: E731
    return len(latencies) / seconds, statistics.median(latencies), pick(0.95), pick(0.99)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--cache-seconds", default="0")
    args = parser.parse_args()
    var = ROOT / "var" / "bench"
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production", SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="127.0.0.1,localhost", SECURE_SSL_REDIRECT="0", SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0", SECURE_HSTS_SECONDS="0", CHAARSOO_VAR_DIR=str(var), CHAARSOO_BENCH_CEILING="1",
        LOG_LEVEL="ERROR", SEARCH_RESULT_CACHE_SECONDS=args.cache_seconds,
    )
    env.pop("DEBUG", None)
    port = free_port()
    server = subprocess.Popen(
        [PY, "-m", "gunicorn", "config.wsgi:application", "-b", f"127.0.0.1:{port}", "-w", str(args.workers),
         "--log-level", "error"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, start_new_session=True)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        print(f"search result cache: {args.cache_seconds} s; {args.workers} workers; {args.connections} connections")
        print(f"{'page':<30}{'req/s':>10}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}{'ratio':>9}")
        ceiling = None
        for name, path_for in PAGES.items():
            if not (name.startswith("ceiling") or name.startswith("search")):
                continue
            path = path_for(env)
            load(port, path, 1, 1)  # warm up
            rps, p50, p95, p99 = load(port, path, args.seconds, args.connections)
            ceiling = ceiling or rps
            print(f"{name:<30}{rps:>10.0f}{p50:>10.1f}{p95:>10.1f}{p99:>10.1f}{rps / ceiling:>9.2f}")
        return 0
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)


if __name__ == "__main__":
    sys.exit(main())
