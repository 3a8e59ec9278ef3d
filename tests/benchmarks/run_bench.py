"""`make bench`: the storefront under gunicorn with production settings, measured.

Prints requests/s, p50 and p99 for each page next to a do-nothing Django view served by
the same server (the ceiling), each page's ratio to that ceiling, and basket-add POSTs
from 16 concurrent clients with their error count. Uses wrk when installed (Debian
package `wrk`), otherwise a bounded Python load generator. Every request goes to
127.0.0.1 only, and every run is bounded in time.

Later issues add their pages to PAGES (a name and a function returning a path), or to
SIGNED_IN_PAGES (the same, loaded with the session of a user the bench signs in).

The seller dashboard (issue 4) is measured for a vendor with 10,000 order lines (2,500
orders of 4 lines), bulk-inserted by `seed_vendor_orders` below: its shipment list shows
50 shipments per page with a fixed number of queries, whatever the vendor's history.
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
import urllib.parse
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
    "services list": lambda env: "/fa/services/",
    # The job's status page behind its signed link (what a caller without a password
    # opens from the SMS): the demo customer's completed job and its whole timeline.
    "job timeline": lambda env: django_query(
        env,
        "from django.urls import reverse;from django.utils import translation;"
        "from services_catalog.models import Job;from services_catalog.views import track_token;"
        "translation.activate('fa');"
        "job=Job.objects.filter(customer__username='customer',status='completed').first();"
        "print(reverse('services_catalog:job-track',args=[track_token(job)]))",
    ),
}


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

# name -> (function(env) returning the path, email, password): loaded signed in as that user.
SIGNED_IN_PAGES: dict[str, tuple[Callable[[dict], str], str, str]] = {
    f"seller shipments ({VENDOR_BENCH_LINES:,} lines)": (
        lambda env: "/fa/dashboard/seller/shipments/", VENDOR_BENCH_EMAIL, VENDOR_BENCH_PASSWORD,
    ),
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
    return _cookie_header(cookies)


def _cookies(response, cookies: dict) -> dict:
    for header, value in response.getheaders():
        if header.lower() == "set-cookie":
            name, _, rest = value.partition("=")
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
    latencies: list[float] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker():
        conn = http.client.HTTPConnection(host, port, timeout=10)
        local = []
        while time.monotonic() < deadline:
            start = time.perf_counter()
            conn.request("GET", path, headers=headers or {})
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
        ALLOWED_HOSTS="127.0.0.1,localhost", SITE_URL="http://127.0.0.1",
        SECURE_SSL_REDIRECT="0", SESSION_COOKIE_SECURE="0", CSRF_COOKIE_SECURE="0",
        SECURE_HSTS_SECONDS="0", CHAARSOO_VAR_DIR=str(var), CHAARSOO_BENCH_CEILING="1",
        LOG_LEVEL="ERROR",
    )
    env.pop("DEBUG", None)
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    print(f"Preparing: migrate, seed {args.products} products and a vendor with {VENDOR_BENCH_LINES:,} order "
          f"lines, collectstatic (in {var})")
    for command in (["migrate", "--no-input", "-v0"],
                    ["seed_demo", "--products", str(args.products), "--quiet"],
                    ["collectstatic", "--no-input", "-v0"]):
        subprocess.run([PY, "manage.py", *command], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    django_query(env, "from tests.benchmarks.run_bench import seed_vendor_orders;seed_vendor_orders()")

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

        for name, (path_for, email, password) in SIGNED_IN_PAGES.items():
            path = path_for(env)
            headers = {"Cookie": sign_in("127.0.0.1", port, email, password)}
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            for _ in range(3):
                conn.request("GET", path, headers=headers)
                reply = conn.getresponse()
                reply.read()
            if reply.status != 200:
                print(f"{name:<30} answered {reply.status}, skipped")
                continue
            if use_wrk:
                rps, p50, p99 = run_wrk(f"http://127.0.0.1:{port}{path}", args.seconds, args.connections, headers)
            else:
                rps, p50, p99 = run_python_load("127.0.0.1", port, path, args.seconds, args.connections, headers)
            print(f"{name:<30}{rps:>10.0f}{p50:>10.1f}{p99:>10.1f}{rps / (ceiling or rps):>9.2f}")

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
