"""Issue 17 point 1-3 and issue 14 point 2: /api/v1/auth/ for the mobile app. Every
success, and every refusal with its code and status."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.module_loading import import_string
from rest_framework.authtoken.models import Token
from rest_framework.request import Request
from rest_framework.test import APIClient, APIRequestFactory

from customers.models import DeviceToken, PhoneVerification
from notifications.models import Message
from referrals.models import Referral
from tests.factories import UserFactory
from tests.factories_customers import customer_with
from tests.helpers.accounts import activation_link, reset_link, sms_code

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]
User = get_user_model()
PASSWORD = "a-Long-pass-9182"
AUTH = "/api/v1/auth/"


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def register(api: APIClient, email: str = "sara@example.com", phone: str = "09121110000", **extra):
    body = {"first_name": "Sara", "last_name": "Amini", "email": email, "phone": phone, "password": PASSWORD,
            **extra}
    return api.post(f"{AUTH}register/", body, format="json")


def active_customer(email: str = "me@example.com", phone: str | None = None):
    user = customer_with(phone=phone, email=email, username=email.split("@")[0])
    user.set_password(PASSWORD)
    user.save()
    return user


def sign_in(api: APIClient, username: str, password: str = PASSWORD, **extra):
    return api.post(f"{AUTH}sign-in/", {"username": username, "password": password, **extra}, format="json")


def bearer(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


# ------------------------------------------------------------------ register and activate
def test_sign_up_answers_the_same_for_a_free_and_a_taken_address(api):
    owner = active_customer("taken@example.com")
    free = register(api, "new@example.com")
    taken = register(api, "Taken@example.com", phone="09121110001")
    assert (free.status_code, taken.status_code) == (202, 202)
    assert free.json() == taken.json()
    assert User.objects.filter(email__iexact="taken@example.com").count() == 1
    newcomer = User.objects.get(email="new@example.com")
    assert not newcomer.is_active and newcomer.get_full_name() == "Sara Amini"
    assert Message.objects.filter(event="customers_activate", to="new@example.com").count() == 1
    attempt = Message.objects.get(event="customers_signup_attempt")
    assert attempt.recipient == owner and not Message.objects.filter(event="customers_activate",
                                                                        to="Taken@example.com").exists()


def test_signing_up_again_before_activating_sends_the_link_again(api):
    register(api, "twice@example.com")
    register(api, "twice@example.com")
    assert User.objects.filter(email="twice@example.com").count() == 1
    assert Message.objects.filter(event="customers_activate", to="twice@example.com").count() == 2


def test_sign_up_refuses_a_weak_password_and_a_landline_with_fields(api):
    response = api.post(f"{AUTH}register/", {"first_name": "S", "last_name": "A", "email": "x@example.com",
                                             "phone": "021 8888 7777", "password": "123"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and {"password", "phone"} <= set(body["fields"]) and body["detail"]
    assert not User.objects.filter(email="x@example.com").exists()


def test_sign_up_takes_a_referral_code_like_the_site(api):
    referrer = UserFactory()
    response = register(api, "referred@example.com", referral_code=referrer.profile.subscription_code)
    assert response.status_code == 202
    assert Referral.objects.get(referred__email="referred@example.com").referrer == referrer
    unknown = register(api, "other@example.com", referral_code="CH-ZZZZZZ")
    assert unknown.status_code == 400 and "referral_code" in unknown.json()["fields"]


def test_the_activation_link_works_once_and_only_then_can_the_account_sign_in(api):
    register(api, "act@example.com")
    refused = sign_in(api, "act@example.com")
    assert refused.status_code == 400 and refused.json()["code"] == "invalid_credentials"
    uid, token = activation_link("act@example.com")
    assert api.post(f"{AUTH}activate/", {"uid": uid, "token": token}, format="json").status_code == 200
    again = api.post(f"{AUTH}activate/", {"uid": uid, "token": token}, format="json")
    assert again.status_code == 400 and again.json()["code"] == "invalid_link"
    assert sign_in(api, "act@example.com").status_code == 200


# ------------------------------------------------------------------ sign in, devices
def test_sign_in_by_email_username_or_mobile_number_gives_a_bearer_token(api):
    user = active_customer("me@example.com", phone="+989127770123")
    for identifier in ("me@example.com", "me", "0912 777 0123"):
        response = sign_in(api, identifier, device_name="Sara's phone")
        assert response.status_code == 200, response.json()
        body = response.json()
        assert body["user"]["id"] == user.pk and body["device"]["name"] == "Sara's phone"
        me = bearer(body["token"]).get("/api/v1/me/")
        assert me.status_code == 200 and me.json()["username"] == "me"
    assert DeviceToken.objects.filter(user=user).count() == 3


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(api):
    active_customer("me@example.com")
    wrong = sign_in(api, "me@example.com", password="nope")
    nobody = sign_in(api, "nobody@example.com", password="nope")
    assert wrong.status_code == nobody.status_code == 400
    assert wrong.json() == nobody.json() and wrong.json()["code"] == "invalid_credentials"


def test_sign_in_is_throttled_per_account_like_the_site(api, settings):
    settings.CHAARSOO_RATE_LIMITS = {"login_ip": "100/10m"}
    active_customer("me@example.com")
    active_customer("other@example.com")
    statuses = [sign_in(api, "me@example.com", password=f"wrong-{n}").status_code for n in range(6)]
    assert statuses == [400] * 5 + [429]
    locked = sign_in(api, "me@example.com")
    assert locked.status_code == 429 and locked.json()["code"] == "throttled" and locked["Retry-After"]
    assert sign_in(api, "other@example.com").status_code == 200


def test_sign_in_is_throttled_per_ip_across_accounts(api, settings):
    settings.CHAARSOO_RATE_LIMITS = {"login_ip": "3/10m"}
    statuses = [sign_in(api, f"guess{n}@example.com", password="x").status_code for n in range(4)]
    assert statuses == [400, 400, 400, 429]


def test_the_device_name_comes_from_the_user_agent_when_the_app_sends_none(api):
    active_customer("me@example.com")
    response = api.post(f"{AUTH}sign-in/", {"username": "me", "password": PASSWORD}, format="json",
                        HTTP_USER_AGENT="Chaarsoo/2.1 (iPhone; iOS 17.2)")
    assert response.json()["device"]["name"] == "Chaarsoo (iPhone; iOS 17.2)"


def test_devices_are_listed_and_one_or_all_others_revoked(api):
    user = active_customer("me@example.com")
    phone = sign_in(api, "me", device_name="phone").json()
    tablet = sign_in(api, "me", device_name="tablet").json()
    laptop = sign_in(api, "me", device_name="laptop").json()
    client = bearer(phone["token"])
    listed = client.get(f"{AUTH}devices/").json()
    assert [d["name"] for d in listed] == ["laptop", "tablet", "phone"]
    assert [d["current"] for d in listed] == [False, False, True] and listed[2]["last_used"]
    assert client.delete(f"{AUTH}devices/{tablet['device']['id']}/").status_code == 204
    assert bearer(tablet["token"]).get("/api/v1/me/").json()["code"] == "authentication_failed"
    missing = client.delete(f"{AUTH}devices/{tablet['device']['id']}/")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    revoked = client.post(f"{AUTH}devices/revoke-others/")
    assert revoked.status_code == 200 and revoked.json() == {"revoked": 1}
    assert bearer(laptop["token"]).get("/api/v1/me/").json()["code"] == "authentication_failed"
    assert list(DeviceToken.objects.filter(user=user).values_list("name", flat=True)) == ["phone"]


def test_another_customers_device_cannot_be_revoked(api):
    active_customer("me@example.com")
    active_customer("other@example.com")
    mine = sign_in(api, "me").json()
    theirs = sign_in(api, "other").json()
    response = bearer(mine["token"]).delete(f"{AUTH}devices/{theirs['device']['id']}/")
    assert response.status_code == 404
    assert bearer(theirs["token"]).get("/api/v1/me/").status_code == 200


def test_sign_out_revokes_this_device_only(api):
    active_customer("me@example.com")
    first = sign_in(api, "me").json()["token"]
    second = sign_in(api, "me").json()["token"]
    assert bearer(first).post(f"{AUTH}sign-out/").status_code == 204
    assert bearer(first).get("/api/v1/me/").json()["code"] == "authentication_failed"
    assert bearer(second).get("/api/v1/me/").status_code == 200


def test_sign_out_and_refresh_need_a_device_token(api):
    user = active_customer("me@example.com")
    api.force_login(user)
    for path in ("sign-out/", "refresh/"):
        response = api.post(f"{AUTH}{path}")
        assert response.status_code == 400 and response.json()["code"] == "not_a_device"
    assert APIClient().post(f"{AUTH}sign-out/").status_code in (401, 403)


def test_a_token_expires_and_refresh_extends_it_up_to_its_longest_life(api, settings):
    active_customer("me@example.com")
    token = sign_in(api, "me").json()["token"]
    device = DeviceToken.objects.get()
    device.expiry = timezone.now() + timedelta(minutes=1)
    device.save()
    refreshed = bearer(token).post(f"{AUTH}refresh/")
    assert refreshed.status_code == 200
    device.refresh_from_db()
    assert device.expiry > timezone.now() + timedelta(days=29)
    device.created = timezone.now() - timedelta(days=400)
    device.save()
    capped = bearer(token).post(f"{AUTH}refresh/")
    assert capped.status_code == 400 and capped.json()["code"] == "refresh_limit_reached"
    DeviceToken.objects.filter(pk=device.pk).update(expiry=timezone.now() - timedelta(seconds=1))
    assert bearer(token).get("/api/v1/me/").json()["code"] == "authentication_failed"


def test_drf_api_keys_keep_working_beside_device_tokens():
    user = active_customer("me@example.com")
    key = Token.objects.create(user=user).key
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/me/").status_code == 200
    assert client.get(f"{AUTH}devices/").json() == []


def test_http_basic_is_refused_under_the_production_authentication_classes():
    """Production keeps device tokens and API keys, and no class there reads a password."""
    from tests.integration.test_hardening_site_url import _production

    active_customer("me@example.com")
    classes = _production("print(json.dumps(settings.REST_FRAMEWORK['DEFAULT_AUTHENTICATION_CLASSES']))")
    assert "customers.device_auth.DeviceTokenAuthentication" in classes
    basic = "Basic " + base64.b64encode(f"me:{PASSWORD}".encode()).decode()
    request = Request(APIRequestFactory().get("/api/v1/me/", HTTP_AUTHORIZATION=basic))
    assert all(import_string(path)().authenticate(request) is None for path in classes)


# ------------------------------------------------------------------ password reset
def test_password_reset_answers_alike_mails_once_per_address_and_confirms(api):
    user = active_customer("me@example.com")
    old_device = sign_in(api, "me").json()["token"]
    known = api.post(f"{AUTH}password-reset/", {"email": "me@example.com"}, format="json")
    unknown = api.post(f"{AUTH}password-reset/", {"email": "nobody@example.com"}, format="json")
    assert known.status_code == unknown.status_code == 202 and known.json() == unknown.json()
    again = api.post(f"{AUTH}password-reset/", {"email": "me@example.com"}, format="json")
    assert again.json() == known.json()
    assert Message.objects.filter(event="password_reset", to="me@example.com").count() == 1
    uid, token = reset_link("me@example.com")
    weak = api.post(f"{AUTH}password-reset/confirm/", {"uid": uid, "token": token, "new_password": "123"},
                    format="json")
    assert weak.status_code == 400 and "new_password" in weak.json()["fields"]
    done = api.post(f"{AUTH}password-reset/confirm/", {"uid": uid, "token": token, "new_password": "N3w-long-pass!"},
                    format="json")
    assert done.status_code == 200
    user.refresh_from_db()
    assert user.check_password("N3w-long-pass!")
    assert bearer(old_device).get("/api/v1/me/").json()["code"] == "authentication_failed"  # every device signed out
    used = api.post(f"{AUTH}password-reset/confirm/", {"uid": uid, "token": token, "new_password": "An0ther-pass!"},
                    format="json")
    assert used.status_code == 400 and used.json()["code"] == "invalid_link"


def test_password_reset_is_throttled_per_ip(api, settings):
    settings.CHAARSOO_RATE_LIMITS = {"reset_ip": "2/h"}
    statuses = [api.post(f"{AUTH}password-reset/", {"email": f"a{n}@example.com"}, format="json").status_code
                for n in range(3)]
    assert statuses == [202, 202, 429]


# ------------------------------------------------------------------ phone verification
def test_the_number_given_at_sign_up_is_verified_by_sms_code(api):
    register(api, "ph@example.com", phone="0912 555 0001")
    uid, token = activation_link("ph@example.com")
    api.post(f"{AUTH}activate/", {"uid": uid, "token": token}, format="json")
    client = bearer(sign_in(api, "ph@example.com").json()["token"])
    sent = client.post(f"{AUTH}phone/request/", {}, format="json")
    assert sent.status_code == 202 and sent.json()["phone"] == "+989125550001"
    assert PhoneVerification.objects.filter(code_hash=sms_code("+989125550001")).count() == 0  # hashed
    done = client.post(f"{AUTH}phone/confirm/", {"code": sms_code("+989125550001")}, format="json")
    assert done.status_code == 200 and done.json()["phone"] == "+989125550001"
    assert User.objects.get(email="ph@example.com").profile.phone_verified_at is not None


def test_a_number_in_use_is_answered_like_a_free_one_and_can_never_be_confirmed(api):
    active_customer("owner@example.com", phone="+989125550002")
    active_customer("me@example.com")
    client = bearer(sign_in(api, "me").json()["token"])
    taken = client.post(f"{AUTH}phone/request/", {"phone": "09125550002"}, format="json")
    assert taken.status_code == 202 and taken.json()["phone"] == "+989125550002"
    assert not Message.objects.filter(event="customers_phone_code").exists()
    assert Message.objects.filter(event="customers_phone_claim_attempt", to="+989125550002").count() == 1
    refused = client.post(f"{AUTH}phone/confirm/", {"code": "123456"}, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "wrong_code"


def test_phone_code_refusals(api):
    active_customer("me@example.com")
    client = bearer(sign_in(api, "me").json()["token"])
    none = client.post(f"{AUTH}phone/request/", {}, format="json")
    assert none.status_code == 400 and none.json()["code"] == "no_phone"
    nothing = client.post(f"{AUTH}phone/confirm/", {"code": "123456"}, format="json")
    assert nothing.status_code == 400 and nothing.json()["code"] == "no_code"
    assert client.post(f"{AUTH}phone/request/", {"phone": "09125550003"}, format="json").status_code == 202
    soon = client.post(f"{AUTH}phone/request/", {"phone": "09125550003"}, format="json")
    assert soon.status_code == 429 and soon.json()["code"] == "resend_too_soon" and int(soon["Retry-After"]) > 0
    right = sms_code("+989125550003")
    wrong = "000000" if right != "000000" else "111111"
    codes = [client.post(f"{AUTH}phone/confirm/", {"code": wrong}, format="json").json()["code"] for _n in range(5)]
    assert codes == ["wrong_code"] * 4 + ["too_many_attempts"]
    assert PhoneVerification.objects.get().attempts == 5  # counted, though every answer was an error
    late = client.post(f"{AUTH}phone/confirm/", {"code": right}, format="json")
    assert late.status_code == 429 and late.json()["code"] == "too_many_attempts"


def test_an_expired_code_is_refused(api):
    active_customer("me@example.com")
    client = bearer(sign_in(api, "me").json()["token"])
    client.post(f"{AUTH}phone/request/", {"phone": "09125550004"}, format="json")
    PhoneVerification.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    expired = client.post(f"{AUTH}phone/confirm/", {"code": sms_code("+989125550004")}, format="json")
    assert expired.status_code == 400 and expired.json()["code"] == "code_expired"


def test_signed_out_visitors_get_no_device_or_phone_endpoint(api):
    for method, path in (("get", "devices/"), ("post", "devices/revoke-others/"), ("post", "phone/request/"),
                         ("post", "phone/confirm/"), ("post", "refresh/")):
        assert getattr(api, method)(f"{AUTH}{path}").status_code in (401, 403)
