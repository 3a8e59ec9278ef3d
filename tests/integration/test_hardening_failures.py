"""Issue 14, point 7: failures are clean. Database down: 503 pages (fa/en) and /healthz;
Redis down with REDIS_URL: the site keeps serving (cache and sessions degrade, healthz
says so); SMTP/SMS down: the domain change commits and the message is queued and retried;
the anonymous page cache ignores unknown query parameters."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from notifications.models import Message
from services_catalog.models import Job
from tests.factories_services import make_customer, make_job, make_service

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]
ROOT = Path(__file__).resolve().parents[2]
DEAD_REDIS = "redis://127.0.0.1:1/0"


class SMTPDown:
    def __init__(self, *args, **kwargs):
        """Takes the email backend's arguments and keeps nothing: every send fails."""

    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server refused the connection")


# --------------------------------------------------------------------------- database down
def test_database_down_pages_are_503_and_healthz_says_so():
    script = (
        "import django, json; django.setup(); from django.test import Client; "
        "c = Client(raise_request_exception=False); "
        "print(json.dumps({p: [c.get(p).status_code, c.get(p)['Content-Type']] for p in "
        "('/fa/', '/en/services/', '/healthz', '/api/v1/catalogue/products/', '/fa/shop/accounts/login/')}))"
    )
    env = {**os.environ, "DATABASE_URL": "postgres://postgres@127.0.0.1:1/nowhere",
           "DJANGO_SETTINGS_MODULE": "config.settings.test", "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    answers = json.loads(result.stdout.strip().splitlines()[-1])
    assert {path: status for path, (status, _type) in answers.items()} == dict.fromkeys(answers, 503)
    assert answers["/healthz"][1] == answers["/api/v1/catalogue/products/"][1] == "application/json"
    assert answers["/fa/"][1].startswith("text/html")


# --------------------------------------------------------------------------- Redis down
@pytest.fixture
def redis_down(settings):
    settings.CACHES = {"default": {"BACKEND": "core.cache.ResilientRedisCache", "LOCATION": DEAD_REDIS,
                                   "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}}}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    settings.CHAARSOO_PAGE_CACHE_SECONDS = 300


def test_redis_down_the_site_keeps_serving_and_healthz_says_so(client, redis_down):
    make_service()
    assert client.get(reverse("services_catalog:service-list")).status_code == 200
    user = get_user_model().objects.create_user("redis-down", "redis.down@example.com", "pw-redis-down-1")
    response = client.post(reverse("customer:login"), {"login-username": user.email,
                                                      "login-password": "pw-redis-down-1", "login_submit": "1"})
    assert response.status_code == 302  # signed in: the session lives in its database row
    assert client.get(reverse("customers:profile")).status_code == 200
    health = client.get("/healthz")
    assert health.status_code == 503 and health.json()["checks"] == {"database": True, "cache": False}


# --------------------------------------------------------------------------- SMTP / SMS down
def test_smtp_down_the_job_commits_and_the_mail_is_retried(settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = f"{__name__}.SMTPDown"
    customer = make_customer(email="retry.me@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        job = make_job(customer, make_service(), status="quoted")
    assert Job.objects.filter(pk=job.pk).exists()
    waiting = Message.objects.filter(channel="email", to="retry.me@example.com")
    assert waiting.exists() and all(m.status == "queued" and m.attempts == 1 for m in waiting)

    call_command("send_queued_notifications", "--older-than", "0")  # still down: tried again
    assert all(m.attempts == 2 and m.status == "queued" for m in waiting.all())

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_queued_notifications", "--older-than", "0")
    assert {m.status for m in waiting.all()} == {"sent"}


def test_a_message_failing_every_attempt_ends_failed(settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = f"{__name__}.SMTPDown"
    settings.CHAARSOO_NOTIFY_MAX_ATTEMPTS = 2
    customer = make_customer(email="give.up@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        make_job(customer, make_service(), status="quoted")
    call_command("send_queued_notifications", "--older-than", "0")
    statuses = set(Message.objects.filter(to="give.up@example.com").values_list("status", flat=True))
    assert statuses == {"failed"}


# --------------------------------------------------------------------------- page cache
def test_page_cache_ignores_unknown_query_parameters(client, settings):
    settings.CHAARSOO_PAGE_CACHE_SECONDS = 300
    make_service()
    url = reverse("services_catalog:service-list")
    assert client.get(url, {"x": "1"})["X-Page-Cache"] == "miss"
    assert client.get(url, {"x": "2", "utm_source": "flood"})["X-Page-Cache"] == "hit"
    assert client.get(url)["X-Page-Cache"] == "hit"
    assert client.get(url, {"page": "1"})["X-Page-Cache"] == "miss"  # a parameter the page reads
