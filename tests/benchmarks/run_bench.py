"""`make bench`: the storefront under gunicorn with production settings, measured.

Prints requests/s, p50 and p99 for each page next to a do-nothing Django view served by
the same server (the ceiling) and each page's ratio to that ceiling, in one run for both
modes: the anonymous pages with the page cache on, then every page rendered (page cache
off), the signed-in work pages included (issue 16). Then basket-add POSTs from 16
concurrent shoppers, counted from the baskets in the database: done, refused, errors.
Uses wrk when installed (Debian package `wrk`), otherwise a bounded Python load
generator. Every page is warmed (three requests, then one second of load at the same
concurrency, not counted) so that each gunicorn worker has filled its own caches before the
measured run. Every request goes to 127.0.0.1 only, and every run is bounded in time.
Runs on PostgreSQL when DATABASE_URL is set. The data is seeded once per database and
size (a marker in var/bench/) and reused by later runs; `--reseed` seeds again.

The pages are listed in tests/benchmarks/pages.py; later issues may add theirs there or to
PAGES / SIGNED_IN_PAGES below.

The seller dashboard (issue 4) is measured for a vendor with 10,000 order lines (2,500
orders of 4 lines), bulk-inserted by `seed_vendor_orders` below: its shipment list shows
50 shipments per page with a fixed number of queries, whatever the vendor's history.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
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
import urllib.parse
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable
CEILING = "ceiling (bare Django view)"  # the first page of tests/benchmarks/pages.py
WARM_SECONDS = 1  # of load before each page's measured run, not counted


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def django_query(env: dict, code: str) -> str:
    return subprocess.run(
        [PY, "-c", f"import django;django.setup();{code}"], cwd=ROOT, env=env,
        capture_output=True, text=True, check=True,
    ).stdout.strip()


# Extra pages: name -> function(env) returning the path (anonymous; measured with the page
# cache on and off), added to the pages of tests/benchmarks/pages.py.
PAGES: dict[str, Callable[[dict], str]] = {}


def _search(query: str, **extra) -> str:
    return "/fa/search/?" + urllib.parse.urlencode({"q": query, **extra})


# One search (issue 11): served by the search index, never by the page cache.
PAGES.update({
    "search: common word": lambda env: _search("سری"),
    "search: rare word": lambda env: _search("خوشنویسی"),
    "search: no hits": lambda env: _search("زرافه"),
    "search: faceted": lambda env: _search("سری", in_stock="1", price_min="25", price_max="50", category=django_query(
        env, "from oscar.core.loading import get_model;"
        "print(get_model('catalogue','Category').objects.get(slug='kitchen').pk)")),
    "search: suggestions": lambda env: "/fa/search/suggest/?" + urllib.parse.urlencode({"q": "سما"}),
    "search API": lambda env: "/api/v1/search/?" + urllib.parse.urlencode({"q": "سماور"}),
})


# The seller dashboard's shipment list for a vendor with this many order lines.
VENDOR_BENCH_LINES = 10_000
VENDOR_BENCH_LINES_PER_ORDER = 4
VENDOR_BENCH_EMAIL = "bench-vendor@bench.chaarsoo.local"
VENDOR_BENCH_PASSWORD = "bench-vendor-password-1405"

# Extra signed-in pages: name -> (function(env) returning the path, email, password).
SIGNED_IN_PAGES: dict[str, tuple[Callable[[dict], str], str, str]] = {}

# Passwords of the users tests/benchmarks/pages.py signs in as.
PASSWORDS = {
    VENDOR_BENCH_EMAIL: VENDOR_BENCH_PASSWORD,
    "provider@demo.chaarsoo.local": "provider-demo-1405",
    "operator@demo.chaarsoo.local": "operator-demo-1405",
    "bench-customer@bench.chaarsoo.local": "bench-customer-password-1405",
}


def seed_vendor_orders(lines: int = VENDOR_BENCH_LINES, per_order: int = VENDOR_BENCH_LINES_PER_ORDER) -> None:
    """A vendor with `lines` order lines in its shipments, bulk-inserted (seconds, not the
    minutes real checkouts would take): orders, lines, shipments and shipment lines in a
    mix of states. Run inside Django (see main); idempotent."""
    import datetime as dt
    from decimal import Decimal

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission
    from django.contrib.sites.models import Site
    from django.db import transaction
    from django.utils import timezone
    from oscar.core.loading import get_model

    from vendors.models import Contract, Shipment, ShipmentLine

    Partner = get_model("partner", "Partner")
    StockRecord = get_model("partner", "StockRecord")
    Product = get_model("catalogue", "Product")
    ProductClass = get_model("catalogue", "ProductClass")
    Order = get_model("order", "Order")
    Line = get_model("order", "Line")
    ShippingAddress = get_model("order", "ShippingAddress")
    Country = get_model("address", "Country")

    partner, _created = Partner.objects.get_or_create(code="bench-vendor", defaults={"name": "Bench Vendor"})
    if Shipment.objects.filter(partner=partner).exists():
        return
    with transaction.atomic():
        Contract.objects.get_or_create(partner=partner)
        User = get_user_model()
        user = User.objects.filter(email=VENDOR_BENCH_EMAIL).first() or User.objects.create_user(
            username="bench-vendor", email=VENDOR_BENCH_EMAIL, password=VENDOR_BENCH_PASSWORD
        )
        partner.users.add(user)
        user.user_permissions.add(
            Permission.objects.get(codename="dashboard_access", content_type__app_label="partner")
        )
        product_class, _ = ProductClass.objects.get_or_create(slug="goods", defaults={"name": "Goods"})
        records = []
        for index in range(per_order):
            # Not public: the storefront pages measured above stay as they were.
            product, _ = Product.objects.get_or_create(
                upc=f"BENCHV{index:04d}",
                defaults={"title": f"کالای فروشنده آزمایشی {index}", "title_en": f"Bench vendor product {index}",
                          "product_class": product_class, "structure": "standalone", "is_public": False},
            )
            record, _ = StockRecord.objects.get_or_create(
                product=product, partner=partner,
                defaults={"partner_sku": product.upc, "price": Decimal("10.00") + index, "num_in_stock": 10**6},
            )
            records.append(record)
        country, _ = Country.objects.get_or_create(
            iso_3166_1_a2="IR", defaults={"name": "Iran", "printable_name": "Iran", "is_shipping_country": True}
        )
        address = ShippingAddress.objects.create(
            first_name="Bench", last_name="Buyer", line1="Valiasr 1", line4="Tehran", state="Tehran",
            country=country, phone_number="+989120000000",
        )
        buyer = User.objects.filter(username="customer").first()
        site = Site.objects.get_current()
        now = timezone.now()
        count = lines // per_order
        states = ["pending", "confirmed", "shipped", "delivered", "cancelled"]
        orders = Order.objects.bulk_create([
            Order(number=f"BENCH-{i:07d}", site=site, user=buyer, shipping_address=address, currency="EUR",
                  total_incl_tax=Decimal("46.00"), total_excl_tax=Decimal("46.00"), shipping_incl_tax=0,
                  shipping_excl_tax=0, status="Pending", date_placed=now - dt.timedelta(minutes=i))
            for i in range(count)
        ], batch_size=1000)
        by_number = dict(Order.objects.filter(number__startswith="BENCH-").values_list("number", "pk"))
        for order in orders:
            order.pk = order.id = by_number[order.number]
        order_lines = Line.objects.bulk_create([
            Line(order=order, partner=partner, partner_name=partner.name, partner_sku=record.partner_sku,
                 stockrecord=record, product=record.product, title=record.product.title_en, upc=record.product.upc,
                 quantity=1, line_price_incl_tax=record.price, line_price_excl_tax=record.price,
                 line_price_before_discounts_incl_tax=record.price, line_price_before_discounts_excl_tax=record.price,
                 unit_price_incl_tax=record.price, unit_price_excl_tax=record.price, status="Pending",
                 num_allocated=0)
            for order in orders for record in records
        ], batch_size=2000)
        if not all(line.pk for line in order_lines):
            ids = list(Line.objects.filter(order__number__startswith="BENCH-").order_by("order_id", "pk")
                       .values_list("pk", flat=True))
            for line, pk in zip(order_lines, ids, strict=True):
                line.pk = line.id = pk
        shipments = Shipment.objects.bulk_create([
            Shipment(order=order, partner=partner, status=states[i % len(states)],
                     promised_by=(now + dt.timedelta(days=3)).date(),
                     tracking_reference="BENCH-TRACK" if states[i % len(states)] in ("shipped", "delivered") else "",
                     delivered_at=now if states[i % len(states)] == "delivered" else None)
            for i, order in enumerate(orders)
        ], batch_size=1000)
        by_order = dict(Shipment.objects.filter(partner=partner).values_list("order_id", "pk"))
        for shipment in shipments:
            shipment.pk = shipment.id = by_order[shipment.order_id]
        ShipmentLine.objects.bulk_create([
            ShipmentLine(shipment=shipments[i // per_order], line=line, warranty_days=365,
                         commission_rate=Decimal("0.1000"))
            for i, line in enumerate(order_lines)
        ], batch_size=2000)


def sign_in(host: str, port: int, email: str, password: str) -> str:
    """Sign in through the storefront's login form; the Cookie header of the session."""
    conn = http.client.HTTPConnection(host, port, timeout=30)
    conn.request("GET", "/fa/shop/accounts/login/")
    response = conn.getresponse()
    body = response.read().decode()
    cookies = _cookies(response, {})
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    form = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "login-username": email,
                                   "login-password": password, "login_submit": "Log In"})
    conn.request("POST", "/fa/shop/accounts/login/", body=form, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": _cookie_header(cookies),
        "Referer": f"http://{host}:{port}/fa/shop/accounts/login/",
    })
    reply = conn.getresponse()
    reply.read()
    cookies = _cookies(reply, cookies)
    if reply.status != 302 or "sessionid" not in cookies:
        raise RuntimeError(f"signing in as {email} failed ({reply.status})")
    # Follow the redirect as a browser does: the page shows the "signed in" message once and
    # deletes its cookie. wrk replays fixed headers, so a cookie left here would have every
    # measured request show the message again.
    location = reply.getheader("Location")
    for _hop in range(5):
        conn.request("GET", location, headers={"Cookie": _cookie_header(cookies)})
        landing = conn.getresponse()
        landing.read()
        cookies = _cookies(landing, cookies)
        if landing.status not in (301, 302):
            break
        location = landing.getheader("Location")
    return _cookie_header(cookies)


def _cookies(response, cookies: dict) -> dict:
    for header, value in response.getheaders():
        if header.lower() == "set-cookie":
            name, _, rest = value.partition("=")
            if "max-age=0" in rest.lower().replace(" ", ""):  # the server deleted it
                cookies.pop(name, None)
            else:
                cookies[name] = rest.split(";")[0]
    return cookies


def _cookie_header(cookies: dict) -> str:
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def run_wrk(url: str, seconds: int, connections: int, headers: dict | None = None) -> tuple[float, float, float]:
    extra = [arg for name, value in (headers or {}).items() for arg in ("-H", f"{name}: {value}")]
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", *extra, url],
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


def run_python_load(host: str, port: int, path: str, seconds: int, connections: int, headers: dict | None = None):
    """`connections` threads loading `path` for `seconds`. A request that fails or takes over
    30 s counts as 30 s in the percentiles (and in the printed failures), never as a success."""
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker():
        conn = http.client.HTTPConnection(host, port, timeout=30)
        local, failed = [], 0
        while time.monotonic() < deadline:
            start = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers or {})
                reply = conn.getresponse()
                reply.read()
                if reply.status != 200:
                    failed += 1
                local.append((time.perf_counter() - start) * 1000)
            except (OSError, http.client.HTTPException):
                failed += 1
                local.append(30_000.0)
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=30)
        with lock:
            latencies.extend(local)
            failures[0] += failed

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    latencies.sort()
    if failures[0]:
        print(f"    warning: {failures[0]} failed or non-200 requests")
    if not latencies:
        return 0.0, 30_000.0, 30_000.0
    done = len(latencies) - failures[0]
    return (
        done / seconds,
        statistics.median(latencies),
        latencies[max(int(len(latencies) * 0.99) - 1, 0)],
    )


def basket_adds(host: str, port: int, product_path: str, product_id: str, clients: int, adds: int):
    """`clients` anonymous shoppers each POST `adds` basket adds. Returns the attempts, the
    non-redirect answers (errors), the basket ids the shoppers got, and the time taken.
    Whether an add was done is judged afterwards from the baskets in the database: Oscar
    answers a refused add with the same redirect as a done one."""
    errors: list[str] = []
    baskets: set[int] = set()
    attempts = [0]
    lock = threading.Lock()

    def client():
        conn = http.client.HTTPConnection(host, port, timeout=30)
        conn.request("GET", product_path)
        response = conn.getresponse()
        body = response.read().decode()
        cookies = _cookies(response, {})
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
        for _ in range(adds):
            conn.request(
                "POST", f"/fa/shop/basket/add/{product_id}/",
                body=f"csrfmiddlewaretoken={token}&quantity=1",
                headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": _cookie_header(cookies),
                         "Referer": f"http://{host}:{port}{product_path}"},
            )
            reply = conn.getresponse()
            reply.read()
            cookies = _cookies(reply, cookies)
            with lock:
                attempts[0] += 1
                if reply.status != 302:
                    errors.append(str(reply.status))
        basket = cookies.get("oscar_open_basket", "").strip('"').split(":")[0]
        with lock:
            if basket.isdigit():
                baskets.add(int(basket))

    start = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return attempts[0], errors, baskets, time.perf_counter() - start


def load(use_wrk: bool, port: int, path: str, seconds: int, connections: int, headers: dict | None = None):
    if use_wrk:
        return run_wrk(f"http://127.0.0.1:{port}{path}", seconds, connections, headers)
    return run_python_load("127.0.0.1", port, path, seconds, connections, headers)


def warm(use_wrk: bool, port: int, path: str, connections: int, headers: dict | None = None) -> int:
    """Three requests, then, if the page answers 200, one second of load that is not counted:
    the three requests may all reach one worker, and every worker fills its own caches,
    thumbnails and connections on its first requests. Returns the third answer's status."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    status = 0
    for _ in range(3):
        conn.request("GET", path, headers=headers or {})
        reply = conn.getresponse()
        reply.read()
        status = reply.status
    if status == 200:
        load(use_wrk, port, path, WARM_SECONDS, connections, headers)
    return status


class Server:
    """gunicorn on a free port (or `--port`), started and stopped with its process group."""

    def __init__(self, env: dict, workers: int, port: int) -> None:
        self.env, self.workers, self.port = env, workers, port

    def __enter__(self) -> Server:
        self.process = subprocess.Popen(
            [PY, "-m", "gunicorn", "config.wsgi:application", "-b", f"127.0.0.1:{self.port}",
             "-w", str(self.workers), "--access-logfile", "-", "--log-level", "error"],
            cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, start_new_session=True,
        )
        for _ in range(150):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def __exit__(self, *exc) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)


def ensure_postgres_database(url: str) -> None:
    """Create the bench's PostgreSQL database when it does not exist yet, so
    `DATABASE_URL=postgres://…/chaarsoo_bench make bench` works on a fresh server."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    maintenance = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"Created the PostgreSQL database {name}")


def prepare(env: dict, products: int, var: Path, reseed: bool) -> None:
    """Migrate, seed once (a marker in var/bench/ per database and size), seed the work
    pages' data (idempotent, seconds) and collect static files."""
    database = env.get("DATABASE_URL") or "sqlite"
    if database.startswith("postgres"):
        ensure_postgres_database(database)
    marker = var / f"seeded-{hashlib.sha256(database.encode()).hexdigest()[:12]}-{products}"
    steps = [["migrate", "--no-input", "-v0"]]
    if reseed or not marker.exists():
        steps.append(["seed_demo", "--products", str(products), "--quiet"])
    steps.append(["collectstatic", "--no-input", "-v0"])
    print(f"Preparing ({database.split('@')[-1]}): migrate, " + ("seed " if len(steps) == 3 else "reuse ")
          + f"{products:,} products, a vendor with {VENDOR_BENCH_LINES:,} order lines, 10,000 service jobs, "
          f"a customer with 200 orders and jobs")
    for command in steps:
        subprocess.run([PY, "manage.py", *command], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    django_query(env, "from tests.benchmarks.run_bench import seed_vendor_orders;seed_vendor_orders();"
                      "from tests.benchmarks.seed_work import seed_work;seed_work()")
    if database.startswith("postgres"):
        refresh_planner_statistics(env)
    marker.touch()


def refresh_planner_statistics(env: dict) -> None:
    """VACUUM ANALYZE the freshly loaded tables, as autovacuum does on a production server
    soon after a bulk load. A server running with autovacuum off (as this machine's is)
    never does: PostgreSQL then plans every query from default estimates (e.g. 12 rows for
    a provider's 5,720 jobs, sorted all of them to show 30: 8 ms instead of 1), and without
    the visibility map that VACUUM writes, it cannot count or page from an index alone."""
    django_query(env, "from django.db import connection;connection.cursor().execute('VACUUM ANALYZE')")


def page_list(env: dict) -> tuple[list[tuple[str, str]], list[tuple[str, str, str]]]:
    found = json.loads(django_query(env, "from tests.benchmarks.pages import print_json;print_json()"))
    anonymous = [tuple(page) for page in found["anonymous"]]
    anonymous += [(name, path_for(env)) for name, path_for in PAGES.items()]
    signed_in = [tuple(page) for page in found["signed_in"]]
    signed_in += [(name, path_for(env), email) for name, (path_for, email, password) in SIGNED_IN_PAGES.items()]
    for _name, (_path_for, email, password) in SIGNED_IN_PAGES.items():
        PASSWORDS[email] = password
    return anonymous, signed_in


def measure_anonymous(use_wrk, port, pages, args) -> dict[str, tuple[float, float, float]]:
    results = {}
    for name, path in pages:
        status = warm(use_wrk, port, path, args.connections)
        if status != 200:
            print(f"  {name}: answered {status}, skipped")
            continue
        results[name] = load(use_wrk, port, path, args.seconds, args.connections)
        print(f"  {name:<40}{results[name][0]:>9.0f} req/s  p50 {results[name][1]:>7.1f}  p99 {results[name][2]:>7.1f}")
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=2000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=0, help="gunicorn's port (default: a free one)")
    parser.add_argument("--reseed", action="store_true", help="run seed_demo even if this size was seeded")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--only", action="append", default=[], metavar="WORDS",
                        help="measure only the pages whose name contains WORDS (repeatable; the ceiling is "
                             "always measured); --only signed measures only the signed-in pages")
    parser.add_argument("--no-cache-on", action="store_true", help="skip the page-cache-on half")
    parser.add_argument("--no-adds", action="store_true", help="skip the basket-add POSTs")
    args = parser.parse_args()

    var = ROOT / "var" / "bench"
    var.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="127.0.0.1,localhost", SITE_URL="http://127.0.0.1",
        SECURE_SSL_REDIRECT="0", SESSION_COOKIE_SECURE="0", CSRF_COOKIE_SECURE="0",
        SECURE_HSTS_SECONDS="0", CHAARSOO_VAR_DIR=str(var), CHAARSOO_BENCH_CEILING="1",
        LOG_LEVEL="ERROR",
    )
    env.pop("DEBUG", None)
    env.pop("DATABASE_URL", None)
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    started = time.monotonic()
    prepare(env, args.products, var, args.reseed)
    anonymous, signed_in = page_list(env)
    if args.only:
        def chosen(name: str, signed: bool) -> bool:
            return name == CEILING or any(word in name or (word == "signed" and signed) for word in args.only)

        anonymous = [page for page in anonymous if chosen(page[0], False)]
        signed_in = [page for page in signed_in if chosen(page[0], True)]
    use_wrk = shutil.which("wrk") is not None
    port = args.port or free_port()
    print(f"Load generator: {'wrk' if use_wrk else 'python threads'}; {args.workers} gunicorn workers; "
          f"{args.connections} connections; {args.seconds}s per page; database "
          f"{'PostgreSQL' if args.database_url.startswith('postgres') else 'SQLite'}; {args.products:,} products")

    cached: dict[str, tuple[float, float, float]] = {}
    if not args.no_cache_on:
        print("\nPage cache ON (anonymous pages):")
        with Server({**env, "CHAARSOO_PAGE_CACHE_SECONDS": "300"}, args.workers, port):
            cached = measure_anonymous(use_wrk, port, anonymous, args)
    print("\nPage cache OFF (every page rendered):")
    with Server({**env, "CHAARSOO_PAGE_CACHE_SECONDS": "0"}, args.workers, port):
        rendered = measure_anonymous(use_wrk, port, anonymous, args)
        for name, path, email in signed_in:
            headers = {"Cookie": sign_in("127.0.0.1", port, email, PASSWORDS[email])}
            status = warm(use_wrk, port, path, args.connections, headers)
            if status != 200:
                print(f"  {name}: answered {status}, skipped")
                continue
            rendered[name] = load(use_wrk, port, path, args.seconds, args.connections, headers)
            print(f"  {name:<40}{rendered[name][0]:>9.0f} req/s  p50 {rendered[name][1]:>7.1f}  "
                  f"p99 {rendered[name][2]:>7.1f}  (signed in)")
        adds = "" if args.no_adds or "product page (Oscar)" not in dict(anonymous) else measure_basket_adds(
            env, port, anonymous)

    print_table(anonymous, signed_in, cached, rendered)
    print(adds)
    print(f"\nWhole bench: {(time.monotonic() - started) / 60:.1f} minutes")
    return 0


def measure_basket_adds(env: dict, port: int, anonymous: list[tuple[str, str]]) -> str:
    product_path = dict(anonymous)["product page (Oscar)"]
    product_id = django_query(
        env, "from oscar.core.loading import get_model;"
        "print(get_model('catalogue','Product').objects.get(upc='CHS0000001').pk)",
    )
    clients, per_client = 16, 25
    attempts, errors, baskets, elapsed = basket_adds("127.0.0.1", port, product_path, product_id, clients, per_client)
    done = int(django_query(
        env, "from django.db.models import Sum;from oscar.core.loading import get_model;"
        f"print(get_model('basket','Line').objects.filter(basket_id__in={sorted(baskets)!r})"
        ".aggregate(n=Sum('quantity'))['n'] or 0)",
    ))
    refused = attempts - done - len(errors)
    return (f"\nBasket adds (page cache off): {attempts} POSTs from {clients} concurrent shoppers in {elapsed:.1f}s: "
            f"{done} done (the baskets in the database grew by {done}; {done / elapsed:.0f}/s), "
            f"{refused} refused (redirected without adding), {len(errors)} errors"
            + (f" ({', '.join(sorted(set(errors)))})" if errors else ""))


def print_table(anonymous, signed_in, cached, rendered) -> None:
    """The README table: ratios to the ceiling of the same mode in the same run."""
    ceiling_on = cached.get(CEILING, (0,))[0] or 1
    ceiling_off = rendered.get(CEILING, (0,))[0] or 1
    print("\n| page | cache on: req/s | ratio | cache off: req/s | p50 ms | p99 ms | ratio |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name, _path in anonymous:
        on = cached.get(name)
        off = rendered.get(name)
        print(f"| {name} | " + (f"{on[0]:.0f} | {on[0] / ceiling_on:.3f}" if on else "– | –") + " | "
              + (f"{off[0]:.0f} | {off[1]:.0f} | {off[2]:.0f} | {off[0] / ceiling_off:.3f}" if off else "– | – | – | –")
              + " |")
    for name, _path, _email in signed_in:
        off = rendered.get(name)
        if off:
            print(f"| {name} (signed in) | – | – | {off[0]:.0f} | {off[1]:.0f} | {off[2]:.0f} | "
                  f"{off[0] / ceiling_off:.3f} |")


if __name__ == "__main__":
    sys.exit(main())
