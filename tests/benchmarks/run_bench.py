"""`make bench`: the storefront under gunicorn with production settings, measured.

Prints requests/s, p50 and p99 for each page next to a do-nothing Django view served by
the same server (the ceiling), each page's ratio to that ceiling, and basket-add POSTs
from 16 concurrent clients with their error count. Uses wrk when installed (Debian
package `wrk`), otherwise a bounded Python load generator. Every request goes to
127.0.0.1 only, and every run is bounded in time.

Later issues add their pages to PAGES (a name and a function returning a path).
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def django_query(env: dict, code: str) -> str:
    return subprocess.run(
        [PY, "-c", f"import django;django.setup();{code}"], cwd=ROOT, env=env,
        capture_output=True, text=True, check=True,
    ).stdout.strip()


# name -> function(env) returning the path to load
PAGES: dict[str, Callable[[dict], str]] = {
    "ceiling (bare Django view)": lambda env: "/bench/ceiling",
    "home page (Wagtail)": lambda env: "/fa/",
    "catalogue (Oscar)": lambda env: "/fa/shop/",
    "product page (Oscar)": lambda env: django_query(
        env,
        "from django.utils import translation;from oscar.core.loading import get_model;"
        "translation.activate('fa');"
        "print(get_model('catalogue','Product').objects.get(upc='CHS0000001').get_absolute_url())",
    ),
    "help article (Wagtail)": lambda env: "/fa/help/how-to-order/",
}


def run_wrk(url: str, seconds: int, connections: int) -> tuple[float, float, float]:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url],
        capture_output=True, text=True, timeout=seconds + 30,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def pct(label: str) -> float:
        value, unit = re.search(rf"\s{label}%\s+([\d.]+)(us|ms|s)", out).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        print(f"    warning: {non2xx.group(1)} non-2xx responses")
    return rps, pct("50"), pct("99")


def run_python_load(host: str, port: int, path: str, seconds: int, connections: int):
    latencies: list[float] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker():
        conn = http.client.HTTPConnection(host, port, timeout=10)
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
    return (
        len(latencies) / seconds,
        statistics.median(latencies),
        latencies[int(len(latencies) * 0.99) - 1],
    )


def basket_adds(host: str, port: int, product_path: str, product_id: str, clients: int, adds: int):
    errors: list[str] = []
    done = [0]
    lock = threading.Lock()

    def client():
        conn = http.client.HTTPConnection(host, port, timeout=30)
        conn.request("GET", product_path)
        response = conn.getresponse()
        body = response.read().decode()
        cookies = {}
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                cookies[name] = rest.split(";")[0]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
        for _ in range(adds):
            cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
            conn.request(
                "POST", f"/fa/shop/basket/add/{product_id}/",
                body=f"csrfmiddlewaretoken={token}&quantity=1",
                headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie,
                         "Referer": f"http://{host}:{port}{product_path}"},
            )
            reply = conn.getresponse()
            reply.read()
            for header, value in reply.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    cookies[name] = rest.split(";")[0]
            with lock:
                done[0] += 1
                if reply.status != 302:
                    errors.append(str(reply.status))

    start = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return done[0], errors, time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=2000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    args = parser.parse_args()

    var = ROOT / "var" / "bench"
    var.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0", SESSION_COOKIE_SECURE="0", CSRF_COOKIE_SECURE="0",
        SECURE_HSTS_SECONDS="0", CHAARSOO_VAR_DIR=str(var), CHAARSOO_BENCH_CEILING="1",
        LOG_LEVEL="ERROR",
    )
    env.pop("DEBUG", None)
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    print(f"Preparing: migrate, seed {args.products} products, collectstatic (in {var})")
    for command in (["migrate", "--no-input", "-v0"],
                    ["seed_demo", "--products", str(args.products), "--quiet"],
                    ["collectstatic", "--no-input", "-v0"]):
        subprocess.run([PY, "manage.py", *command], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)

    port = free_port()
    server = subprocess.Popen(
        [PY, "-m", "gunicorn", "config.wsgi:application", "-b", f"127.0.0.1:{port}",
         "-w", str(args.workers), "--access-logfile", "-", "--log-level", "error"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, start_new_session=True,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        use_wrk = shutil.which("wrk") is not None
        print(f"Load generator: {'wrk' if use_wrk else 'python threads'}; {args.workers} gunicorn "
              f"workers; {args.connections} connections; {args.seconds}s per page\n")
        print(f"{'page':<30}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'ratio':>9}")
        ceiling = None
        for name, path_for in PAGES.items():
            path = path_for(env)
            # warm up: fill caches and thumbnails
            for _ in range(3):
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                conn.request("GET", path)
                status = conn.getresponse().status
            if status != 200:
                print(f"{name:<30} answered {status}, skipped")
                continue
            if use_wrk:
                rps, p50, p99 = run_wrk(f"http://127.0.0.1:{port}{path}", args.seconds, args.connections)
            else:
                rps, p50, p99 = run_python_load("127.0.0.1", port, path, args.seconds, args.connections)
            ceiling = ceiling or rps
            print(f"{name:<30}{rps:>10.0f}{p50:>10.1f}{p99:>10.1f}{rps / ceiling:>9.2f}")

        product_path = PAGES["product page (Oscar)"](env)
        product_id = django_query(
            env, "from oscar.core.loading import get_model;"
            "print(get_model('catalogue','Product').objects.get(upc='CHS0000001').pk)",
        )
        done, errors, elapsed = basket_adds("127.0.0.1", port, product_path, product_id, 16, 25)
        print(f"\nbasket adds: {done} POSTs from 16 concurrent clients in {elapsed:.1f}s "
              f"({done / elapsed:.0f}/s), errors: {len(errors)}"
              + (f" ({', '.join(sorted(set(errors)))})" if errors else ""))
        return 1 if errors else 0
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)


if __name__ == "__main__":
    sys.exit(main())
