"""Issue 14, point 6 (SITE_URL everywhere) and the production settings of point 2 (no HTTP
Basic on the API)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sites.models import Site
from django.core import mail
from django.urls import reverse

from core.apps import sync_site_domain
from tests.factories_services import make_customer, make_job, make_service

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]
ROOT = Path(__file__).resolve().parents[2]
SITE = "https://shop.example.ir"


def test_migrate_puts_site_url_into_the_sites_row(settings):
    settings.SITE_URL = SITE
    sync_site_domain()
    assert Site.objects.get(pk=settings.SITE_ID).domain == "shop.example.ir"


def test_password_reset_mail_links_to_site_url(client, settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = SITE
    settings.OSCAR_URL_SCHEMA = "https"
    sync_site_domain()
    get_user_model().objects.create_user("reset-me", "reset.me@example.com", "pw-reset-me-1")
    # The reset mail goes through notify(), which sends once the request's transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password-reset"), {"email": "reset.me@example.com"})
    [message] = mail.outbox
    assert f"{SITE}/" in message.body
    assert "example.com/" not in message.body.replace("reset.me@example.com", "")


def test_notification_links_use_site_url(settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = SITE
    customer = make_customer(email="links@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        make_job(customer, make_service(), status="quoted")
    bodies = [message.body for message in mail.outbox]
    assert bodies and all(":8000" not in body for body in bodies)
    assert any(f"{SITE}/" in body for body in bodies)


def _production(code: str, **env: str) -> dict:
    clean = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DJANGO_SETTINGS_MODULE")}
    clean.update({"SECRET_KEY": "y" * 60, "ALLOWED_HOSTS": "shop.example.ir", "SITE_URL": SITE, **env})
    result = subprocess.run(
        [sys.executable, "-c", "import django, json, os; os.environ['DJANGO_SETTINGS_MODULE']="
         "'config.settings.production'; django.setup(); from django.conf import settings; " + code],
        cwd=ROOT, env=clean, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_settings_take_every_address_from_site_url():
    values = _production(
        "print(json.dumps([settings.SITE_URL, settings.WAGTAILADMIN_BASE_URL, settings.WAGTAILAPI_BASE_URL,"
        " settings.OSCAR_URL_SCHEMA]))"
    )
    assert values == [SITE, SITE, SITE, "https"]


def test_production_settings_refuse_to_start_without_site_url():
    clean = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DJANGO_SETTINGS_MODULE", "SITE_URL")}
    clean.update({"SECRET_KEY": "y" * 60})
    result = subprocess.run(
        [sys.executable, "-c", "import django, os; os.environ['DJANGO_SETTINGS_MODULE']="
         "'config.settings.production'; django.setup()"],
        cwd=ROOT, env=clean, capture_output=True, text=True,
    )
    assert result.returncode != 0 and "SITE_URL" in result.stderr


def test_production_api_takes_no_http_basic():
    classes = _production("print(json.dumps(settings.REST_FRAMEWORK['DEFAULT_AUTHENTICATION_CLASSES']))")
    assert "rest_framework.authentication.BasicAuthentication" not in classes
    assert "rest_framework.authentication.TokenAuthentication" in classes
