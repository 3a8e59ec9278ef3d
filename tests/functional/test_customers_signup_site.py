"""Issue 14 point 2 and issue 17 on the site: sign-up answers alike for a taken and a free
address, the mail's link activates the account, and the profile lists the app's signed-in
devices (fa and en) with a way to sign each one out."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from customers.models import DeviceToken
from notifications.models import Message
from tests.factories import UserFactory
from tests.helpers.accounts import activation_link

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]
User = get_user_model()
PASSWORD = "a-Long-pass-9182"


def _sign_up(client, email: str, url: str = "/en/shop/accounts/register/"):
    return client.post(url, {"first_name": "Nima", "last_name": "Rahimi", "email": email, "phone": "",
                             "password1": PASSWORD, "password2": PASSWORD}, follow=True)


def _main(response) -> str:
    html = response.content.decode()
    return html[html.index("data-signup-sent"):html.index("</section>", html.index("data-signup-sent"))]


def test_the_site_answers_a_taken_address_exactly_like_a_free_one(client):
    owner = UserFactory(email="taken@example.com")
    taken = _sign_up(client, "taken@example.com")
    free = _sign_up(client, "free@example.com")
    assert taken.redirect_chain == free.redirect_chain == [("/en/account/signup/check-your-email/", 302)]
    assert _main(taken) == _main(free) and "Open the link in it to continue" in _main(free)
    assert b"already exists" not in taken.content
    assert User.objects.filter(email__iexact="taken@example.com").count() == 1
    assert Message.objects.get(event="customers_signup_attempt").recipient == owner
    assert "_auth_user_id" not in client.session  # nobody is signed in by a sign-up


def test_the_combined_sign_in_page_does_not_tell_either(client):
    UserFactory(email="taken@example.com")
    data = {"registration-first_name": "N", "registration-last_name": "R", "registration-password1": PASSWORD,
            "registration-password2": PASSWORD, "registration_submit": "1"}
    taken = client.post("/fa/shop/accounts/login/", {**data, "registration-email": "taken@example.com"})
    free = client.post("/fa/shop/accounts/login/", {**data, "registration-email": "free@example.com"})
    assert taken.status_code == free.status_code == 302 and taken["Location"] == free["Location"]
    assert User.objects.filter(email="free@example.com", is_active=False).exists()


def test_the_activation_link_activates_once_in_persian(client):
    _sign_up(client, "new@example.com", url="/fa/shop/accounts/register/")
    uid, token = activation_link("new@example.com")
    response = client.get(f"/fa/account/activate/{uid}/{token}/", follow=True)
    assert "حساب شما فعال شد" in response.content.decode()
    assert User.objects.get(email="new@example.com").is_active
    again = client.get(f"/fa/account/activate/{uid}/{token}/", follow=True)
    assert "این پیوند دیگر معتبر نیست" in again.content.decode()


@pytest.mark.parametrize("language,heading", [("en", "Signed-in devices"), ("fa", "دستگاه‌های واردشده")])
def test_the_profile_lists_the_apps_devices_and_signs_one_out(client, language, heading):
    customer = UserFactory(username="sara")
    customer.set_password(PASSWORD)
    customer.save()
    api = APIClient()
    phone = api.post("/api/v1/auth/sign-in/", {"username": "sara", "password": PASSWORD, "device_name": "Pixel 8"},
                     format="json").json()
    api.post("/api/v1/auth/sign-in/", {"username": "sara", "password": PASSWORD, "device_name": "iPad"}, format="json")
    client.force_login(customer)
    page = client.get(f"/{language}/account/").content.decode()
    assert heading in page and "Pixel 8" in page and "iPad" in page
    response = client.post(f"/{language}/account/devices/{phone['device']['id']}/revoke/")
    assert response.status_code == 302
    assert list(DeviceToken.objects.values_list("name", flat=True)) == ["iPad"]
    client.post(f"/{language}/account/devices/revoke-all/")
    assert not DeviceToken.objects.exists()


def test_another_customers_device_cannot_be_signed_out_from_the_site(client):
    other = UserFactory(username="other")
    other.set_password(PASSWORD)
    other.save()
    theirs = APIClient().post("/api/v1/auth/sign-in/", {"username": "other", "password": PASSWORD},
                              format="json").json()
    client.force_login(UserFactory())
    client.post(f"/en/account/devices/{theirs['device']['id']}/revoke/")
    client.post("/en/account/devices/revoke-all/")
    assert DeviceToken.objects.filter(user=other).count() == 1


def test_both_sign_up_pages_ask_an_optional_mobile_number_and_keep_it_for_verification(client):
    for url in ("/fa/shop/accounts/register/", "/fa/shop/accounts/login/"):
        assert 'type="tel"' in client.get(url).content.decode()
    client.post("/en/shop/accounts/register/", {"first_name": "N", "last_name": "R", "email": "ph@example.com",
                                                "phone": "۰۹۱۲ ۴۴۴ ۵۵۶۶", "password1": PASSWORD, "password2": PASSWORD})
    user = User.objects.get(email="ph@example.com")
    assert user.phone_verifications.get().phone == "+989124445566" and user.profile.phone is None
