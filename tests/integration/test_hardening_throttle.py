"""Issue 14, point 2: sign-in, password reset and anonymous forms are rate-limited; the
API has throttles and (in production) no HTTP Basic; logout is POST only; a vendor
application sent twice is one record."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from rest_framework.throttling import AnonRateThrottle

from vendors.models import VendorApplication

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]
PASSWORD = "right-horse-battery-1"


@pytest.fixture
def account():
    return get_user_model().objects.create_user("buyer-x", "buyer.x@example.com", PASSWORD)


def test_fifty_wrong_passwords_are_not_all_answered_200(client, account, settings):
    settings.CHAARSOO_RATE_LIMITS = {"login_ip": "100/10m"}
    url = reverse("customer:login")
    statuses = [
        client.post(url, {"login-username": account.email, "login-password": f"wrong-{n}",
                          "login_submit": "1"}).status_code
        for n in range(50)
    ]
    assert statuses[:5] == [200] * 5  # the form again, with its error
    assert set(statuses[5:]) == {429}
    # Locked out for this account from this address even with the right password...
    locked = client.post(url, {"login-username": account.email, "login-password": PASSWORD, "login_submit": "1"})
    assert locked.status_code == 429 and "_auth_user_id" not in client.session
    # ...while another account from the same address may still sign in (per account+IP).
    get_user_model().objects.create_user("other-y", "other.y@example.com", PASSWORD)
    other = client.post(url, {"login-username": "other.y@example.com", "login-password": PASSWORD, "login_submit": "1"})
    assert other.status_code == 302 and client.session["_auth_user_id"]


def test_many_accounts_from_one_address_hit_the_ip_limit(client, settings):
    settings.CHAARSOO_RATE_LIMITS = {"login_ip": "10/10m"}
    url = reverse("customer:login")
    statuses = [
        client.post(url, {"login-username": f"u{n}@example.com", "login-password": "x",
                          "login_submit": "1"}).status_code
        for n in range(12)
    ]
    assert statuses[:10] == [200] * 10 and statuses[10:] == [429, 429]


@pytest.mark.parametrize("url", ["/django-admin/login/", "/cms/login/", "/fa/dashboard/login/"])
def test_staff_sign_in_forms_are_limited_too(client, account, url):
    statuses = [client.post(url, {"username": "buyer-x", "password": f"no-{n}"}).status_code for n in range(8)]
    assert 429 in statuses and statuses[-1] == 429


def test_password_reset_sends_one_mail_per_address_per_window(client, account, django_capture_on_commit_callbacks):
    url = reverse("password-reset")
    # The reset mail goes through notify(), which sends once the request's transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, {"email": account.email})
        second = client.post(url, {"email": account.email.upper()})
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert len(mail.outbox) == 1
    # An unknown address gets the very same answer.
    unknown = client.post(url, {"email": "nobody@example.com"})
    assert unknown.status_code == 302 and unknown["Location"] == first["Location"]


def test_password_reset_per_address_limit_is_per_address(client, account, django_capture_on_commit_callbacks):
    other = get_user_model().objects.create_user("other-r", "other.r@example.com", PASSWORD)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password-reset"), {"email": account.email})
        client.post(reverse("password-reset"), {"email": other.email})
    assert sorted(message.to[0] for message in mail.outbox) == sorted([account.email, other.email])


def test_logout_is_post_only(client, account):
    client.force_login(account)
    page = client.get(reverse("customers:profile"))
    assert b'id="logout_form" method="post"' in page.content
    refused = client.get(reverse("customer:logout"))
    assert refused.status_code == 405
    assert "_auth_user_id" in client.session
    assert client.post(reverse("customer:logout")).status_code == 302
    assert "_auth_user_id" not in client.session


APPLICATION = {
    "company_name": "شرکت نمونه", "company_name_en": "Sample Co", "registration_number": "1234567",
    "contact_name": "Sara", "email": "Sales@Sample.example", "phone": "09121234567", "address": "Tehran",
    "bank_account_holder": "Sample Co", "iban": "IR062960000000100324200001", "message": "hello",
}


def test_vendor_application_sent_twice_is_one_record():
    from vendors import services

    first = services.application_submit(data=APPLICATION)
    again = services.application_submit(data={**APPLICATION, "email": "sales@sample.example"})
    assert again.pk == first.pk
    assert VendorApplication.objects.filter(email__iexact="sales@sample.example").count() == 1


def test_vendor_application_form_is_rate_limited(client):
    url = reverse("vendors:apply")
    statuses = [client.post(url, {"email": f"x{n}"}).status_code for n in range(7)]
    assert statuses[:5] == [200] * 5 and statuses[5:] == [429, 429]


def test_api_is_throttled_with_code_and_detail(client, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/min", "user": "1000/min"})
    statuses = [client.get("/api/v1/catalogue/products/").status_code for _ in range(4)]
    assert statuses[:3] == [200] * 3
    refused = client.get("/api/v1/catalogue/products/")
    assert refused.status_code == 429 and refused.json()["code"] == "throttled"


def test_api_token_authenticates(client, account):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=account)
    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code != 403 and response.status_code < 500
