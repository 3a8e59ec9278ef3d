"""A token that is sent and refused answers 401 with a challenge of its own scheme; a
request that sends no credentials stays 403 (docs/api.md, "401 or 403")."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from customers.models import DeviceToken
from tests.factories_customers import customer_with

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]
PASSWORD = "a-Long-pass-9182"


def _device_token(email: str = "me@example.com") -> str:
    user = customer_with(email=email, username=email.split("@")[0])
    user.set_password(PASSWORD)
    user.save()
    answer = APIClient().post("/api/v1/auth/sign-in/", {"username": email, "password": PASSWORD}, format="json")
    assert answer.status_code == 200, answer.content
    return answer.json()["token"]


def _with(header: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    return client


def test_a_signed_out_device_token_is_401_with_a_bearer_challenge():
    token = _device_token()
    assert _with(f"Bearer {token}").post("/api/v1/auth/sign-out/").status_code == 204

    answer = _with(f"Bearer {token}").get("/api/v1/me/")

    assert answer.status_code == 401 and answer["WWW-Authenticate"] == "Bearer"
    assert answer.json()["code"] == "authentication_failed" and answer.json()["detail"]


def test_an_expired_device_token_is_401_too():
    token = _device_token()
    DeviceToken.objects.update(expiry=timezone.now() - timedelta(minutes=1))

    answer = _with(f"Bearer {token}").get("/api/v1/shop/orders/")

    assert answer.status_code == 401 and answer["WWW-Authenticate"] == "Bearer"


def test_a_wrong_api_key_is_challenged_in_its_own_scheme():
    answer = _with("Token 0123456789abcdef0123456789abcdef01234567").get("/api/v1/me/")
    assert answer.status_code == 401 and answer["WWW-Authenticate"] == "Token"


def test_no_credentials_stays_403_without_a_challenge():
    answer = APIClient().get("/api/v1/me/")
    assert answer.status_code == 403 and "WWW-Authenticate" not in answer
    assert answer.json()["code"] == "not_authenticated"
    # Public reads stay public for a client that sends nothing.
    assert APIClient().get("/api/v1/catalogue/products/").status_code == 200
