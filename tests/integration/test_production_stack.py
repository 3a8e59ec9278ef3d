"""Issue 14, point 8: the production stack for real. Run with REDIS_URL set (CI:
`.ci/production-stack`, on PostgreSQL): cache and sessions in Redis; a real Celery
worker process and a real beat process against Redis (not eager) deliver an order's
notification and run the periodic duties; two gunicorn workers see one page-cache
invalidation at once.

Every process here shares the test database (the tests commit: transaction=True)."""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from config.celery import app as celery_app
from notifications.models import Message
from services_catalog.models import Service
from tests.factories import UserFactory
from tests.factories_services import make_service
from tests.factories_vendors import make_vendor, make_vendor_product, place_order

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("REDIS_URL", "")
pytestmark = [
    pytest.mark.production_stack,
    pytest.mark.no_demo,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not REDIS_URL, reason="runs with REDIS_URL set (.ci/production-stack)"),
]
WAIT_SECONDS = 60


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("postgresql"):
        host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
        return f"postgres://{db.get('USER') or 'postgres'}@{host}:{port}/{db['NAME']}"
    name = str(db["NAME"])
    if "memory" in name:
        pytest.skip("other processes cannot share an in-memory SQLite database (use PostgreSQL)")
    return f"sqlite:///{name}"


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update({
        # The embedded defaults with DEBUG off: Redis cache and sessions, Celery on Redis.
        "DJANGO_SETTINGS_MODULE": "config.settings.dev", "DEBUG": "0", "REDIS_URL": REDIS_URL,
        "DATABASE_URL": _database_url(), "CHAARSOO_VAR_DIR": str(tmp_path), "PYTHONPATH": str(ROOT),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend", **extra,
    })
    return env


def _start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    handle = log.open("w")
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT,
                            start_new_session=True)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _wait_for(predicate, what: str, logs: list[Path]) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.5)
    tails = "\n".join(f"--- {log.name}\n{log.read_text()[-3000:]}" for log in logs if log.exists())
    raise AssertionError(f"{what} did not happen within {WAIT_SECONDS}s\n{tails}")


@pytest.fixture
def not_eager():
    """This process publishes tasks to Redis like a web worker does (not inline)."""
    saved = celery_app.conf.task_always_eager, celery_app.conf.broker_url
    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_url = REDIS_URL
    yield
    celery_app.conf.task_always_eager, celery_app.conf.broker_url = saved


@pytest.fixture
def worker(tmp_path):
    log = tmp_path / "worker.log"
    process = _start([sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo",
                      "--loglevel", "INFO", "--without-gossip", "--without-mingle"], _env(tmp_path), log)
    yield log
    _stop(process)


# --------------------------------------------------------------------------- Redis
def test_cache_and_sessions_live_in_redis(client):
    raw = redis.Redis.from_url(REDIS_URL)
    assert settings.CACHES["default"]["BACKEND"] == "core.cache.ResilientRedisCache"
    cache.set("stack-probe", "here", 30)
    assert any(b"stack-probe" in key for key in raw.keys("*stack-probe*"))
    user = get_user_model().objects.create_user("stack-user", "stack@example.com", "pw-stack-user-1")
    client.post(reverse("customer:login"), {"login-username": user.email, "login-password": "pw-stack-user-1",
                                            "login_submit": "1"})
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert raw.keys(f"*cached_db{session_key}"), "the session is not in Redis"


# --------------------------------------------------------------------------- Celery
def test_an_orders_notification_is_delivered_by_the_worker(not_eager, worker):
    vendor = make_vendor()
    order = place_order(UserFactory(email="stack.buyer@example.com"), [(make_vendor_product(vendor), 1)])
    messages = Message.objects.filter(created__gte=order.date_placed - dt.timedelta(seconds=5))
    assert messages.exists()
    _wait_for(lambda: not messages.exclude(status=Message.Status.SENT).exists(),
              "the worker sending the order's notifications", [worker])
    assert "notifications.deliver_message" in worker.read_text()


def test_beat_runs_the_periodic_duties_through_the_worker(tmp_path, worker):
    stuck = Message.objects.create(event="stack_probe", channel="email", to="stuck@example.com", subject="s",
                                   body="b", language="en")
    Message.objects.filter(pk=stuck.pk).update(created=timezone.now() - dt.timedelta(minutes=10))
    beat_log = tmp_path / "beat.log"
    beat = _start([sys.executable, "-m", "celery", "-A", "config", "beat", "--loglevel", "INFO",
                   "-s", str(tmp_path / "beat-schedule")], _env(tmp_path, CHAARSOO_PERIODIC_SECONDS="2"), beat_log)
    try:
        _wait_for(lambda: Message.objects.get(pk=stuck.pk).status == Message.Status.SENT,
                  "beat -> worker -> send_queued_notifications", [beat_log, worker])
    finally:
        _stop(beat)
    assert "core.run_periodic" in beat_log.read_text()


# --------------------------------------------------------------------------- gunicorn
def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_page_cache_invalidation_is_seen_by_both_gunicorn_workers(tmp_path):
    service = make_service(name="Stack sink repair", name_en="Stack sink repair")
    port = _free_port()
    access = tmp_path / "access.log"
    log = tmp_path / "gunicorn.log"
    server = _start([sys.executable, "-m", "gunicorn", "config.wsgi:application", "-w", "2", "-b", f"127.0.0.1:{port}",
                     "--access-logfile", str(access), "--access-logformat", "%(p)s %(s)s %(U)s"],
                    _env(tmp_path, CHAARSOO_PAGE_CACHE_SECONDS="300"), log)
    url = f"http://127.0.0.1:{port}/en/services/"

    def fetch(_n=0) -> tuple[str, str]:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.headers.get("X-Page-Cache", ""), response.read().decode()

    def ready() -> bool:
        try:
            return fetch()[0] != ""
        except OSError:
            return False

    try:
        _wait_for(ready, "gunicorn answering", [log])
        with ThreadPoolExecutor(8) as pool:
            before = list(pool.map(fetch, range(24)))
        assert all("Stack sink repair" in body for _state, body in before)
        assert {state for state, _body in before} >= {"hit"}
        Service.objects.filter(pk=service.pk).update(name_en="Stack tap repair")
        Service.objects.get(pk=service.pk).save()  # post_save: one version bump, in Redis
        with ThreadPoolExecutor(8) as pool:
            after = list(pool.map(fetch, range(24)))
        assert all("Stack tap repair" in body and "Stack sink repair" not in body for _state, body in after)
        pids = {line.split()[0] for line in access.read_text().splitlines() if "/en/services/" in line}
        assert len(pids) == 2, f"both workers must have answered: {pids}"
    finally:
        _stop(server)
    assert re.search(r"Booting worker with pid", log.read_text())
