"""The customer's side (issue 4 points 5 and 7, P1, P2): the order page shows each
vendor's shipment with its status, tracking, promised date and installation, and each
delivered line's warranty end date; warranty claims with photos from the account; a
claim after the warranty ends is refused with the end date; nobody sees another
customer's claims."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image

from tests.factories import UserFactory
from tests.factories_vendors import vendor_user
from tests.functional.test_vendors_web_seller import (  # noqa: F401  (fixtures)
    buyer,
    deliver,
    html,
    lamp,
    order,
    rug,
    shipment_a,
    shipment_b,
    shop_a,
    shop_b,
)
from vendors import services
from vendors.models import Shipment, WarrantyClaim, WarrantyClaimPhoto

pytestmark = pytest.mark.django_db
LANGUAGES = ["fa", "en"]


def photo(name: str = "broken.jpg", fmt: str = "JPEG", size: tuple[int, int] = (40, 30)) -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=fmt)
    content_type = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif"}[fmt]
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)


def vurl(name: str, language: str, **kwargs) -> str:
    with translation.override(language):
        return reverse(f"vendors:{name}", kwargs=kwargs or None)


@pytest.fixture
def shopper(client, buyer):  # noqa: F811
    client.force_login(buyer)
    return client


@pytest.fixture
def delivered_line(shipment_a):  # noqa: F811
    deliver(shipment_a)
    return shipment_a.lines.get()


# ------------------------------------------------------------------ order page
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_order_page_shows_each_vendors_shipment_with_status_tracking_and_promise(
    shopper, order, shipment_a, shipment_b, language  # noqa: F811
):
    user = vendor_user(shipment_b.partner)
    services.shipment_confirm(shipment=shipment_b, user=user)
    services.shipment_ship(shipment=shipment_b, user=user, tracking_reference="RUG-TRACK-77", carrier="Tipax")
    deliver(shipment_a)
    with translation.override(language):
        response = shopper.get(reverse("customer:order", kwargs={"order_number": order.number}))
    page = html(response)
    assert response.status_code == 200
    assert f'data-shipment="{shipment_a.pk}" data-shipment-status="delivered"' in page
    assert f'data-shipment="{shipment_b.pk}" data-shipment-status="shipped"' in page
    assert "RUG-TRACK-77" in page and "Lamp shop A" in page and "Rug shop B" in page
    # Promised date of the undelivered shipment, warranty end of the delivered line.
    with translation.override(language):
        from core.templatetags.locale_format import date as local_date

        assert local_date(shipment_b.promised_by, "j F Y") in page
        ends_on = shipment_a.lines.get().warranty_ends_on()
        assert local_date(ends_on, "j F Y") in page
    assert vurl("claim-create", language, line_pk=shipment_a.lines.get().pk) in page
    assert vurl("claim-create", language, line_pk=shipment_b.lines.get().pk) not in page
    # The lamp's installation is shown with its state.
    assert ("Installation" if language == "en" else "نصب") in page


# ------------------------------------------------------------------ warranty pages
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_warranty_page_lists_delivered_lines_with_their_end_dates(shopper, delivered_line, shipment_b, language):  # noqa: F811
    response = shopper.get(vurl("claim-list", language))
    page = html(response)
    assert response.status_code == 200
    assert f'data-shipment-line="{delivered_line.pk}"' in page
    assert f'data-shipment-line="{shipment_b.lines.get().pk}"' not in page  # not delivered yet
    with translation.override(language):
        from core.templatetags.locale_format import date as local_date

        assert local_date(delivered_line.warranty_ends_on(), "j F Y") in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_customer_opens_a_claim_with_photos_and_reads_the_vendors_answer(shopper, delivered_line, language):
    create = vurl("claim-create", language, line_pk=delivered_line.pk)
    assert shopper.get(create).status_code == 200
    response = shopper.post(create, {"kind": "replace", "description": "The glass shade arrived cracked.",
                                     "photos": [photo("a.jpg"), photo("b.png", "PNG")]})
    claim = WarrantyClaim.objects.get(shipment_line=delivered_line)
    assert response.status_code == 302 and response["Location"] == vurl("claim-detail", language, pk=claim.pk)
    assert (claim.kind, claim.status, claim.photos.count()) == ("replace", "open", 2)

    services.warranty_claim_respond(claim=claim, user=vendor_user(delivered_line.shipment.partner), accept=True,
                                    response="A new shade is on its way.")
    page = html(shopper.get(vurl("claim-detail", language, pk=claim.pk)))
    assert "The glass shade arrived cracked." in page and "A new shade is on its way." in page
    assert page.count("<img") >= 2


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_claim_after_the_warranty_shows_the_end_date_and_opens_nothing(shopper, delivered_line, language):
    long_ago = timezone.now() - dt.timedelta(days=delivered_line.warranty_days + 5)
    Shipment.objects.filter(pk=delivered_line.shipment_id).update(delivered_at=long_ago)
    delivered_line.refresh_from_db()
    response = shopper.post(vurl("claim-create", language, line_pk=delivered_line.pk),
                            {"kind": "repair", "description": "It stopped working."})
    assert response.status_code == 200
    with translation.override(language):
        from core.templatetags.locale_format import date as local_date

        end_date = local_date(delivered_line.warranty_ends_on(), "j F Y")
    assert end_date in html(response)
    assert any(end_date in str(error) for error in response.context["form"].non_field_errors())
    assert not WarrantyClaim.objects.filter(shipment_line=delivered_line).exists()


@pytest.mark.parametrize(
    "files, error",
    [
        ([photo("x.gif", "GIF")], "bad_type"),
        ([photo(f"{n}.jpg") for n in range(6)], "too_many"),
        ([SimpleUploadedFile("fake.jpg", b"not an image at all", content_type="image/jpeg")], "invalid_image"),
    ],
    ids=["gif", "six-photos", "not-an-image"],
)
def test_claim_photos_must_be_at_most_five_real_jpeg_png_or_webp_images(shopper, delivered_line, files, error):
    response = shopper.post(vurl("claim-create", "en", line_pk=delivered_line.pk),
                            {"kind": "repair", "description": "Broken.", "photos": files})
    assert response.status_code == 200
    assert response.context["form"].has_error("photos", error)
    assert not WarrantyClaim.objects.filter(shipment_line=delivered_line).exists()
    assert not WarrantyClaimPhoto.objects.filter(claim__shipment_line=delivered_line).exists()


def test_an_oversized_photo_is_refused(shopper, delivered_line, monkeypatch):
    monkeypatch.setattr("vendors.forms.MAX_PHOTO_BYTES", 100)
    response = shopper.post(vurl("claim-create", "en", line_pk=delivered_line.pk),
                            {"kind": "repair", "description": "Broken.", "photos": [photo(size=(200, 200))]})
    assert response.context["form"].has_error("photos", "too_large")
    assert not WarrantyClaim.objects.filter(shipment_line=delivered_line).exists()


def test_customers_cannot_see_or_claim_on_other_customers_lines_and_claims(client, delivered_line, buyer):  # noqa: F811
    claim = services.warranty_claim_open(shipment_line=delivered_line, customer=buyer, kind="repair",
                                         description="Flickers: private note 7731.")
    stranger = UserFactory(email="stranger@example.com")
    client.force_login(stranger)
    assert client.get(vurl("claim-detail", "en", pk=claim.pk)).status_code == 404
    assert client.get(vurl("claim-create", "en", line_pk=delivered_line.pk)).status_code == 404
    assert client.post(vurl("claim-create", "en", line_pk=delivered_line.pk),
                       {"kind": "repair", "description": "x"}).status_code == 404
    listing = html(client.get(vurl("claim-list", "en")))
    assert "private note 7731" not in listing and f'data-shipment-line="{delivered_line.pk}"' not in listing
    assert WarrantyClaim.objects.filter(shipment_line=delivered_line).count() == 1


def test_warranty_pages_ask_visitors_to_sign_in(client, delivered_line):
    for path in (vurl("claim-list", "en"), vurl("claim-create", "en", line_pk=delivered_line.pk)):
        response = client.get(path)
        assert response.status_code == 302 and "login" in response["Location"]
