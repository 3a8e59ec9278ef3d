"""The customer's profile page at /<lang>/account/ (A1, A5, A6), over HTTP and in a phone-sized browser."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from customers.models import CustomerProfile, PhoneVerification
from tests.factories_customers import customer_with
from tests.functional.test_browser import ARTIFACTS, browser_page, shot  # noqa: F401
from tests.helpers.accounts import sms_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def me(client):
    user = customer_with(phone="+989121234500", email="me@example.com", first_name="Sara", last_name="Karimi")
    client.force_login(user)
    return user


def _page(client: Client, language: str) -> str:
    response = client.get(f"/{language}/account/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_profile_page_needs_a_signed_in_customer(client):
    response = client.get("/fa/account/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"] and "next=/fa/account/" in response["Location"]


def test_the_profile_url_name_is_customers_profile():
    with translation.override("en"):
        assert reverse("customers:profile") == "/en/account/"


def test_the_page_shows_the_subscription_code_tier_phone_and_language_in_english(client, me):
    html = _page(client, "en")
    code = me.profile.subscription_code
    assert f"data-subscription-code>{code}</code>" in html
    assert "Your subscription code" in html
    assert "Registered customer" in html and 'data-tier="registered"' in html
    assert "+989121234500" in html
    assert 'value="+989121234500"' in html  # the form starts from the current number
    assert '<option value="fa" selected>' in html


def test_the_persian_page_is_right_to_left_and_keeps_the_code_in_latin_letters(client, me):
    html = _page(client, "fa")
    assert 'dir="rtl"' in html
    assert "کد اشتراک شما" in html and "مشتری ثبت‌نام‌شده" in html
    # The code is read out and typed exactly: the page's Persian digits leave it alone.
    assert f"data-subscription-code>{me.profile.subscription_code}</code>" in html
    # A phone number is an identifier too: it keeps its digits, left to right (issue 15 point 5).
    assert '<bdi dir="ltr">+989121234500</bdi>' in html


def test_a_one_off_customer_sees_their_tier_A5(client):
    user = customer_with(tier="one_off")
    client.force_login(user)
    assert "One-off service customer" in _page(client, "en")


def test_the_page_links_to_orders_receipts_and_whatever_else_exists(client, me):
    html = _page(client, "en")
    with translation.override("en"):
        assert f'href="{reverse("customer:order-list")}"' in html
        assert f'href="{reverse("payments:receipts")}"' in html
        for name in ("services_catalog:job-list", "vendors:claim-list"):
            try:
                url = reverse(name)
            except NoReverseMatch:
                continue  # that app has not published the page yet: no dead link
            assert f'href="{url}"' in html


def test_a_customer_changes_their_number_typed_in_persian_digits_and_proves_it_by_sms(client, me):
    response = client.post("/fa/account/", {"phone": "۰۹۱۲ ۷۶۵ ۴۳۲۱", "preferred_language": "fa"})
    assert response.status_code == 302 and response["Location"] == "/fa/account/"
    me.profile.refresh_from_db()
    assert me.profile.phone == "+989121234500"  # not before the code comes back
    page = _page(client, "fa")
    assert "نمایهٔ شما ذخیره شد." in page and "data-phone-verify" in page
    response = client.post("/fa/account/phone/confirm/", {"code": sms_code("+989127654321")})
    assert response.status_code == 302
    me.profile.refresh_from_db()
    assert me.profile.phone == "+989127654321" and me.profile.phone_verified_at is not None
    assert "data-phone-verified" in _page(client, "en")


def _answer_for(client, number: str) -> str:
    response = client.post("/en/account/", {"phone": number, "preferred_language": "en"}, follow=True)
    assert response.status_code == 200
    return " ".join(str(message) for message in response.context["messages"]).replace(number, "<number>")


def test_a_number_another_account_uses_gets_the_same_answer_as_a_free_one(client, me):
    """Issue 14 point 2: the page must not tell whether a number is in use."""
    customer_with(phone="+989120009999")
    taken = _answer_for(client, "+989120009999")
    client.post("/en/account/phone/confirm/", {"code": "000000"}, follow=True)  # its note is read here
    PhoneVerification.objects.all().update(sent_at=None)
    free = _answer_for(client, "+989120007777")
    assert taken == free and "texted a code" in taken
    me.profile.refresh_from_db()
    assert me.profile.phone == "+989121234500"


def test_a_wrong_code_is_refused_in_persian_and_counted(client, me):
    client.post("/fa/account/", {"phone": "09120008888", "preferred_language": "fa"})
    response = client.post("/fa/account/phone/confirm/", {"code": "000000"}, follow=True)
    assert "این کد درست نیست" in response.content.decode()
    assert PhoneVerification.objects.get(user=me).attempts == 1


def test_a_landline_is_refused_with_what_to_enter_instead(client, me):
    response = client.post("/en/account/", {"phone": "021 8888 7777", "preferred_language": "fa"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Iranian mobile number of 11 digits" in html and "landlines" in html
    me.profile.refresh_from_db()
    assert me.profile.phone == "+989121234500"


def test_changing_the_language_brings_the_page_back_in_that_language(client, me):
    response = client.post("/fa/account/", {"phone": "+989121234500", "preferred_language": "en"})
    assert response["Location"] == "/en/account/"
    assert CustomerProfile.objects.get(user=me).preferred_language == "en"
    assert "Your profile has been saved." in _page(client, "en")


def test_a_customer_may_remove_their_number(client, me):
    client.post("/en/account/", {"phone": "", "preferred_language": "en"})
    me.profile.refresh_from_db()
    assert me.profile.phone is None
    assert "Not given yet" in _page(client, "en")


# ------------------------------------------------------------------ phone-sized browser
@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_profile_page_fits_a_phone_in_persian(live_server, browser_page, settings):  # noqa: F811
    settings.CHAARSOO_PAGE_CACHE_SECONDS = 0
    user = customer_with(phone="+989121234501", email="phone@example.com", first_name="Sara")
    login = Client()
    login.force_login(user)
    session_cookie = login.cookies[settings.SESSION_COOKIE_NAME].value
    page = browser_page
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session_cookie, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/fa/account/")
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.text_content("[data-subscription-code]") == user.profile.subscription_code
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # no sideways scrolling
    shot(page, "customers-profile-fa-375")

    page.fill("#id_phone", "۰۹۱۲ ۱۲۳ ۴۵۰۲")
    page.click("form[action='/fa/account/'] button[type=submit]")
    page.wait_for_selector("[data-phone-verify]")
    page.fill("#id_code", sms_code("+989121234502"))
    page.click("form[action='/fa/account/phone/confirm/'] button[type=submit]")
    page.wait_for_selector("[data-phone-verified]")
    assert CustomerProfile.objects.get(user=user).phone == "+989121234502"
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=str(ARTIFACTS / "customers-profile-fa-375-saved-full.png"), full_page=True)


def test_a_number_given_before_verification_existed_is_verified_from_the_profile(client, me):
    page = _page(client, "en")
    assert "data-phone-verify" in page and "Text me a code" in page
    assert client.post("/en/account/phone/resend/").status_code == 302
    again = client.post("/en/account/phone/resend/", follow=True)
    assert "A code was sent a moment ago" in again.content.decode()
    client.post("/en/account/phone/confirm/", {"code": sms_code("+989121234500")})
    me.profile.refresh_from_db()
    assert me.profile.phone_verified_at is not None
    assert "data-phone-verify" not in _page(client, "en")
