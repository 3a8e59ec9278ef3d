"""Issue 14, point 5: a Content Security Policy with a nonce per response and a
Permissions-Policy; Stripe's origins only when Stripe is configured; CMS links limited to
http(s), mailto, tel and relative; /api/docs/ from our own static files. And the security
headers of the production settings."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.urls import reverse

from cms.blocks import CallToActionBlock
from core.links import is_safe_link, validate_safe_link
from tests.factories_services import make_service

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]
ROOT = Path(__file__).resolve().parents[2]


def _directives(header: str) -> dict[str, list[str]]:
    return {name: values for name, *values in (part.split() for part in header.split(";") if part.strip())}


def _nonces(html: bytes) -> set[str]:
    return set(re.findall(r'<script[^>]*nonce="([^"]+)"', html.decode()))


def test_pages_carry_a_policy_whose_nonce_matches_their_inline_scripts(client):
    make_service()
    response = client.get(reverse("services_catalog:service-list"))
    policy = _directives(response["Content-Security-Policy"])
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in policy["script-src"]
    [nonce] = _nonces(response.content)
    assert f"'nonce-{nonce}'" in policy["script-src"]
    assert re.findall(rb"<script(?![^>]*(?:src=|nonce=))", response.content) == []  # no inline script without it
    assert "camera=()" in response["Permissions-Policy"] and "payment=()" in response["Permissions-Policy"]
    assert "stripe" not in response["Content-Security-Policy"]


def test_a_cached_page_gets_a_fresh_nonce_matching_its_header(client, settings):
    settings.CHAARSOO_PAGE_CACHE_SECONDS = 300
    make_service()
    url = reverse("services_catalog:service-list")
    first, hit = client.get(url), client.get(url)
    assert hit["X-Page-Cache"] == "hit"
    [nonce] = _nonces(hit.content)
    assert nonce != _nonces(first.content).pop()
    assert f"'nonce-{nonce}'" in hit["Content-Security-Policy"]


def test_even_a_refusal_at_the_door_carries_the_policy(client):
    refused = client.get("/fa/services/", {"q": "\x00"})
    assert refused.status_code == 400
    assert "default-src 'self'" in refused["Content-Security-Policy"] and refused["Permissions-Policy"]


def test_stripe_is_allowed_only_when_configured(client, settings):
    make_service()
    url = reverse("services_catalog:service-list")
    assert "stripe.com" not in client.get(url)["Content-Security-Policy"]
    settings.STRIPE_SECRET_KEY, settings.STRIPE_PUBLISHABLE_KEY = "sk_test_x", "pk_test_x"
    settings.STRIPE_JS_URL = "https://js.stripe.com/v3/"
    response = client.get(url)
    policy = _directives(response["Content-Security-Policy"])
    assert "https://js.stripe.com" in policy["script-src"] and "https://hooks.stripe.com" in policy["frame-src"]
    assert "https://api.stripe.com" in policy["connect-src"]
    assert 'payment=(self "https://js.stripe.com")' in response["Permissions-Policy"]


def test_the_admin_sites_keep_their_inline_scripts_without_a_nonce(client, django_user_model):
    admin = django_user_model.objects.create_superuser("csp-admin", "csp@example.com", "pw-csp-admin-1")
    client.force_login(admin)
    policy = _directives(client.get("/cms/")["Content-Security-Policy"])
    assert "'unsafe-inline'" in policy["script-src"]
    assert not any(source.startswith("'nonce-") for source in policy["script-src"])
    assert policy["object-src"] == ["'none'"]


@pytest.mark.parametrize("link", [
    "javascript:alert(1)", "JavaScript:alert(1)", " java\tscript:alert(1)", "java\nscript:x", "data:text/html,x",
    "vbscript:msgbox", "\x01javascript:x",
])
def test_unsafe_links_are_refused(link):
    assert not is_safe_link(link)
    with pytest.raises(ValidationError):
        validate_safe_link(link)


@pytest.mark.parametrize("link", [
    "https://example.com/x", "http://example.com", "mailto:help@example.com", "tel:+982100000000",
    "/fa/help/", "#top", "?page=2", "help/faq", "",
])
def test_safe_links_are_accepted(link):
    validate_safe_link(link)


def test_cms_fields_refuse_a_javascript_link_at_save():
    from cms.models import HomePage

    page = HomePage(title="Home", slug="home-x", hero_link_url="javascript:alert(document.cookie)")
    with pytest.raises(ValidationError) as refused:
        page.full_clean(exclude=["path", "depth", "locale", "translation_key", "content_type"])
    assert "hero_link_url" in refused.value.message_dict
    block = CallToActionBlock()
    with pytest.raises(ValidationError):
        block.clean(block.to_python({"title": "t", "text": "", "link_text": "go", "link_url": "javascript:x"}))


def test_a_stored_javascript_link_is_never_rendered():
    block = CallToActionBlock()
    html = block.render(block.to_python({"title": "t", "text": "", "link_text": "go", "link_url": "javascript:x"}))
    assert "javascript:" not in html
    ok = block.render(block.to_python({"title": "t", "text": "", "link_text": "go", "link_url": "/fa/help/"}))
    assert 'href="/fa/help/"' in ok


def test_api_docs_come_from_our_own_static_files(client):
    page = client.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(source.startswith(("/static/", "/api/")) for source in sources), sources
    assert "cdn" not in html
    script = next(source for source in sources if "script" in source and source.startswith("/api/"))
    assert client.get(script).status_code == 200
    bundle = next(s for s in sources if s.endswith("swagger-ui-bundle.js"))
    assert bundle.startswith("/static/drf_spectacular_sidecar/")
    assert finders.find(bundle.removeprefix("/static/"))  # shipped in our static files, not fetched


def test_security_headers_on_production_settings(tmp_path):
    """The production settings, as gunicorn would load them, behind a TLS proxy."""
    script = (
        "import django, json; django.setup(); from django.test import Client; "
        "c = Client(raise_request_exception=False, HTTP_X_FORWARDED_PROTO='https'); out = {}\n"
        "for path in ('/healthz', '/api/docs/', '/fa/'):\n"
        "    r = c.get(path); out[path] = {'status': r.status_code, **{k: r.get(k) for k in ("
        "'Strict-Transport-Security', 'X-Content-Type-Options', 'X-Frame-Options', 'Referrer-Policy',"
        "'Cross-Origin-Opener-Policy', 'Content-Security-Policy', 'Permissions-Policy')}}\n"
        "r = Client(raise_request_exception=False).get('/fa/'); out['http'] = [r.status_code, r.get('Location')]\n"
        "print(json.dumps(out))"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DATABASE_URL", "REDIS_URL")}
    env.update({
        "DJANGO_SETTINGS_MODULE": "config.settings.production", "SECRET_KEY": "z" * 60,
        "ALLOWED_HOSTS": "testserver", "SITE_URL": "https://testserver", "CHAARSOO_VAR_DIR": str(tmp_path),
        "PYTHONPATH": str(ROOT),
    })
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["http"][0] == 301 and out["http"][1].startswith("https://")
    for path in ("/healthz", "/api/docs/", "/fa/"):
        headers = out[path]
        assert headers["Strict-Transport-Security"].startswith("max-age=31536000"), path
        assert headers["X-Content-Type-Options"] == "nosniff" and headers["X-Frame-Options"] == "DENY", path
        assert headers["Referrer-Policy"] == "same-origin" and headers["Cross-Origin-Opener-Policy"] == "same-origin"
        policy = _directives(headers["Content-Security-Policy"])
        assert policy["default-src"] == ["'self'"] and policy["object-src"] == ["'none'"], path
        assert "'unsafe-inline'" not in policy["script-src"], path
        assert "camera=()" in headers["Permissions-Policy"], path
