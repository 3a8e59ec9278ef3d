"""The referral pages and API (issue 10 points 1, 3, 4, 8, 9): share link attribution at
sign-up, the points page in Persian, the QR image, staff pages, the API's codes."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from ledger.services import transfer_move
from referrals import services
from referrals.models import Gift, Redemption, Referral
from referrals.services.accounts import available_account, platform_account
from tests.factories import UserFactory
from tests.helpers.roles import make_role_user

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]


@pytest.fixture(autouse=True)
def default_terms(db):
    """The programme's default terms (10% a side, 10 points per EUR), whatever else the
    session loaded (the demo seed uses other terms)."""
    from referrals.models import ProgrammeSettings

    return ProgrammeSettings.objects.create(note="test defaults")


def grant(user, points: int, key: str = "test-grant") -> None:
    from ledger import codes

    transfer_move(idempotency_key=f"{key}:{user.pk}", kind="points_granted_in_test",
                  source=platform_account(codes.PLATFORM_REFERRAL_EXPENSE), destination=available_account(user.pk),
                  amount=Decimal(points))


def test_a_visitor_who_arrives_by_the_link_is_attributed_at_sign_up(client):
    referrer = UserFactory()
    code = referrer.profile.subscription_code
    response = client.get(f"/fa/r/{code}/")
    assert response.status_code == 302 and "register" in response["Location"]
    page = client.get(response["Location"])
    assert "referral_code" in page.content.decode()
    response = client.post(response["Location"], {
        "first_name": "Nima", "last_name": "Rahimi", "email": "newcomer@example.com",
        "password1": "a-Long-pass-9182", "password2": "a-Long-pass-9182",
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    newcomer = get_user_model().objects.get(email="newcomer@example.com")
    assert newcomer.get_full_name() == "Nima Rahimi"  # the sign-up form asks the name too
    referral = Referral.objects.get(referred=newcomer)
    assert referral.referrer == referrer and referral.source == Referral.Source.LINK


def test_a_signed_in_customer_who_cannot_be_referred_is_told_why(client):
    """Self-referral under another account (same email address): no referral, and the
    page says so instead of passing over it in silence."""
    referrer = UserFactory(email="shared@example.com")
    second_account = UserFactory(email="shared@example.com")
    client.force_login(second_account)
    response = client.get(f"/en/r/{referrer.profile.subscription_code}/", follow=True)
    assert not Referral.objects.filter(referred=second_account).exists()
    shown = [str(message) for message in response.context["messages"]]
    assert shown and all(text.strip() for text in shown), shown


def test_a_code_typed_at_sign_up_is_checked_and_attributed(client):
    referrer = UserFactory()
    url = reverse("customer:register")
    data = {"first_name": "Sara", "last_name": "Amini", "email": "typed@example.com", "password1": "a-Long-pass-9182",
            "password2": "a-Long-pass-9182", "referral_code": "CH-ZZZZZZ"}
    response = client.post(url, data)
    assert response.status_code == 200 and not get_user_model().objects.filter(email="typed@example.com").exists()
    data["referral_code"] = referrer.profile.subscription_code.lower()
    assert client.post(url, data).status_code == 302
    assert Referral.objects.get(referred__email="typed@example.com").source == Referral.Source.SIGNUP


def test_the_points_page_in_persian_shows_code_link_qr_and_gifts(client):
    customer = UserFactory()
    grant(customer, 120)
    Gift.objects.create(title_fa="جعبه خاتم", title_en="Khatam box", points_price=100, stock=2)
    client.force_login(customer)
    page = client.get("/fa/account/points/").content.decode()
    assert customer.profile.subscription_code in page and f"/fa/r/{customer.profile.subscription_code}/" in page
    assert "جعبه خاتم" in page and "۱۲۰" in page
    qr = client.get("/fa/account/points/qr.svg")
    assert qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content


def test_the_profile_shows_the_share_panel(client):
    customer = UserFactory()
    client.force_login(customer)
    page = client.get(reverse("customers:profile")).content.decode()
    assert "data-copy-target" in page and reverse("referrals:qr") in page


def test_redeem_through_the_page(client):
    customer = UserFactory()
    grant(customer, 100)
    gift = Gift.objects.create(title_fa="گلیم", title_en="Kilim", points_price=80, stock=1)
    client.force_login(customer)
    data = {"recipient_name": "Sara", "phone": "09121234567", "address": "Tehran, Azadi 1", "client_key": "abc"}
    response = client.post(reverse("referrals:redeem", args=[gift.pk]), data)
    assert response.status_code == 302
    assert client.post(reverse("referrals:redeem", args=[gift.pk]), data).status_code == 302  # double click
    assert Redemption.objects.filter(customer=customer).count() == 1
    data["client_key"] = "other"
    assert client.post(reverse("referrals:redeem", args=[gift.pk]), data).status_code == 409


def test_api_balances_redeem_and_error_codes(client):
    customer = UserFactory()
    grant(customer, 50)
    gift = Gift.objects.create(title_fa="مینا", title_en="Mina plate", points_price=40, stock=1)
    client.force_login(customer)
    assert client.get("/api/v1/referrals/balances/").json()["available"] == 50
    assert client.get("/api/v1/referrals/code/").json()["code"] == customer.profile.subscription_code
    body = {"gift": gift.pk, "recipient_name": "S", "phone": "0912", "address": "Tehran"}
    created = client.post("/api/v1/referrals/redemptions/", body, content_type="application/json")
    assert created.status_code == 201 and created.json()["points"] == 40
    again = client.post("/api/v1/referrals/redemptions/", body, content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "gift_out_of_stock"
    gift.stock = 3
    gift.save()
    poor = client.post("/api/v1/referrals/redemptions/", body, content_type="application/json")
    assert poor.status_code == 409 and poor.json()["code"] == "not_enough_points"
    bad = client.post("/api/v1/referrals/redemptions/", {"gift": gift.pk}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["code"] == "invalid"
    assert len(client.get("/api/v1/referrals/statement/").json()) == 1


def test_staff_pages_settings_audit_and_block(client):
    staff = make_role_user("finance")
    client.force_login(staff)
    referrer, referred = UserFactory(), UserFactory()
    services.referral_attribute(referred=referred, code=referrer.profile.subscription_code, source="intake")
    for name in ("report", "settings", "review", "gift-list", "gift-create", "redemption-list"):
        assert client.get(reverse(f"referrals-dashboard:{name}")).status_code == 200, name
    response = client.post(reverse("referrals-dashboard:settings"), {
        "referrer_share": "0.2", "buyer_share": "0.05", "points_per_unit": "5", "job_window_days": "7",
        "expiry_months": "6", "reminder_days": "14", "note": "spring campaign",
    })
    assert response.status_code == 302
    terms = services.current_settings()
    assert (terms.referrer_share, terms.buyer_share, terms.changed_by) == (Decimal("0.2"), Decimal("0.05"), staff)
    assert "spring campaign" in client.get(reverse("referrals-dashboard:settings")).content.decode()
    referral = Referral.objects.get(referred=referred)
    client.post(reverse("referrals-dashboard:referral-block", args=[referral.pk]), {"reason": "test"})
    referral.refresh_from_db()
    assert referral.status == Referral.Status.BLOCKED and referral.blocked_by == staff


def test_editors_find_the_gift_catalogue_in_the_cms(client):
    Gift.objects.create(title_fa="ترمه", title_en="Termeh runner", points_price=300, stock=1)
    admin = get_user_model().objects.create_superuser("cms-admin", "cms-admin@example.com", "pw-12345678")
    client.force_login(admin)
    response = client.get("/cms/snippets/referrals/gift/")
    assert response.status_code == 200 and "Termeh runner" in response.content.decode()


def test_the_operator_types_the_callers_referral_code_at_intake(client):
    referrer = UserFactory()
    client.force_login(make_role_user("operator"))
    url = reverse("services_catalog-dashboard:intake")
    bad = client.post(url, {"phone": "09351112233", "referral_code": "CH-ZZZZZZ"})
    assert bad.status_code == 400
    response = client.post(url, {"phone": "09351112233", "referral_code": referrer.profile.subscription_code})
    assert response.status_code == 302
    referral = Referral.objects.get(referrer=referrer)
    assert referral.source == Referral.Source.INTAKE and referral.referred.profile.phone == "+989351112233"


def test_the_review_list_flags_referred_customers_sharing_an_address(client):
    from oscar.core.loading import get_model

    from tests.factories_vendors import iran

    UserAddress = get_model("address", "UserAddress")
    referrer = UserFactory()
    first, second, alone = UserFactory(), UserFactory(), UserFactory()
    for who, name in ((first, "Kaveh"), (second, "Parisa")):
        UserAddress.objects.create(user=who, first_name=name, line1="Enghelab St, Bahar Alley 8", line4="Tehran",
                                   postcode="13145-55555", country=iran())
    for who in (first, second, alone):
        services.referral_attribute(referred=who, code=referrer.profile.subscription_code, source="link")
    client.force_login(make_role_user("finance"))
    page = client.get(reverse("referrals-dashboard:review") + "?flagged=1").content.decode()
    flagged = {Referral.objects.get(referred=who).pk for who in (first, second)}
    for pk in flagged:
        assert f'data-referral="{pk}" class="table-warning" data-flagged' in page
    assert f'data-referral="{Referral.objects.get(referred=alone).pk}"' not in page


def test_staff_add_a_gift_with_a_picture_judged_by_its_content(client, settings, tmp_path):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    client.force_login(make_role_user("finance"))
    fields = {"title_fa": "گیوه", "title_en": "Giveh shoes", "points_price": "55", "stock": "4", "is_active": "on"}
    fake = SimpleUploadedFile("giveh.png", b"%PDF-1.4 not a picture", content_type="image/png")
    refused = client.post(reverse("referrals-dashboard:gift-create"), {**fields, "image": fake})
    assert refused.status_code == 400 and not Gift.objects.filter(title_en="Giveh shoes").exists()
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "#1f6f78").save(out, format="PNG")
    picture = SimpleUploadedFile("giveh.png", out.getvalue(), content_type="image/png")
    assert client.post(reverse("referrals-dashboard:gift-create"), {**fields, "image": picture}).status_code == 302
    assert Gift.objects.get(title_en="Giveh shoes").image.name.startswith("gifts/")


def test_the_points_page_in_english(client):
    customer = UserFactory()
    Gift.objects.create(title_fa="ترمه", title_en="Termeh runner", points_price=300, stock=1)
    client.force_login(customer)
    page = client.get("/en/account/points/").content.decode()
    assert "Your gift points" in page and "Termeh runner" in page and "ترمه" not in page
