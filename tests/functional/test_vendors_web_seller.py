"""The seller dashboard over HTTP (issue 4 points 3, 4, 6, 8): a vendor's users see and
handle only their own shipments, claims, stock, payouts and performance, in Persian and
English; bad input changes nothing; a suspended vendor's dashboard is read-only."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext
from oscar.core.loading import get_model

from core.text import to_persian_digits
from tests.factories import UserFactory
from tests.factories_vendors import make_vendor, make_vendor_product, place_order, vendor_user
from tests.helpers.roles import make_staff
from vendors import services
from vendors.models import Shipment, ShipmentLine, WarrantyClaim

StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db
LANGUAGES = ["fa", "en"]


# ------------------------------------------------------------------ fixtures (shared by the vendor web tests)
@pytest.fixture
def buyer(db):
    return UserFactory(email="buyer.web@example.com", first_name="Sara", last_name="Ahmadi")


@pytest.fixture
def shop_a(db):
    return make_vendor("Lamp shop A", promises={"Tehran": 2})


@pytest.fixture
def shop_b(db):
    return make_vendor("Rug shop B")


@pytest.fixture
def lamp(shop_a):
    return make_vendor_product(shop_a, price="40.00", stock=20, needs_installation=True, installation_price="5.00",
                               contracted_quantity=30)


@pytest.fixture
def rug(shop_b):
    return make_vendor_product(shop_b, price="250.00", stock=5)


@pytest.fixture
def order(buyer, lamp, rug):
    """One customer order holding both vendors' goods: two shipments."""
    return place_order(buyer, [(lamp, 1), (rug, 1)], installation_products=[lamp])


@pytest.fixture
def shipment_a(order, shop_a) -> Shipment:
    return order.shipments.get(partner=shop_a)


@pytest.fixture
def shipment_b(order, shop_b) -> Shipment:
    return order.shipments.get(partner=shop_b)


@pytest.fixture
def seller(client, shop_a):
    client.force_login(vendor_user(shop_a))
    return client


def deliver(shipment: Shipment) -> Shipment:
    user = vendor_user(shipment.partner)
    services.shipment_confirm(shipment=shipment, user=user)
    services.shipment_ship(shipment=shipment, user=user, tracking_reference="TRK-1")
    return services.shipment_deliver(shipment=shipment, user=user)


def url(name: str, language: str, **kwargs) -> str:
    with translation.override(language):
        return reverse(f"vendors-dashboard:{name}", kwargs=kwargs or None)


def html(response) -> str:
    return response.content.decode()


def localise(text: str, language: str) -> str:
    """Persian pages show digits in Persian (core.middleware.PersianDigitsMiddleware)."""
    return to_persian_digits(text) if language == "fa" else text


# ------------------------------------------------------------------ home and menu
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_seller_home_shows_balances_open_shipments_and_claims(seller, shipment_a, shipment_b, language):
    response = seller.get(url("home", language))
    page = html(response)
    assert response.status_code == 200
    assert 'data-balance="held"' in page and 'data-balance="available"' in page
    assert "Lamp shop A" in page and "Rug shop B" not in page
    with translation.override(language):
        heading = gettext("Shipments to handle")
    assert heading in page and (language == "en" or heading != "Shipments to handle")
    # The seller menu is in the dashboard navigation, the staff's vendor pages are not.
    assert reverse("vendors-dashboard:shipment-list") in page
    assert reverse("vendors-dashboard:application-list") not in page


def test_users_who_work_for_no_vendor_get_403_and_visitors_are_sent_to_sign_in(client, customer):
    anonymous = client.get(url("shipment-list", "en"))
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    client.force_login(customer)
    assert client.get(url("shipment-list", "en")).status_code == 403
    client.force_login(make_staff())
    assert client.get(url("home", "en")).status_code == 403


# ------------------------------------------------------------------ shipments
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_shipment_list_shows_only_the_vendors_own_shipments(seller, shipment_a, shipment_b, lamp, rug, language):
    response = seller.get(url("shipment-list", language))
    page = html(response)
    assert response.status_code == 200
    assert f'data-shipment="{shipment_a.pk}"' in page
    assert f'data-shipment="{shipment_b.pk}"' not in page
    assert rug.get_title() not in page and rug.title_en not in page
    # The row: order number, what is in it, where it goes (read as columns, issue 16).
    row = page.split(f'data-shipment="{shipment_a.pk}"')[1].split("</tr>")[0]
    assert str(shipment_a.order.number) in row
    assert localise(escape(shipment_a.order.shipping_address.line4), language) in row
    assert all(localise(escape(item.line.title), language) in row for item in shipment_a.lines.select_related("line"))


def test_the_shipment_list_filters_by_status_and_pages_by_fifty(seller, shop_a, buyer):
    bulb = make_vendor_product(shop_a, price="2.00", stock=100)
    for _ in range(51):
        place_order(buyer, [(bulb, 1)])
    first = Shipment.objects.filter(partner=shop_a).order_by("pk").first()
    services.shipment_confirm(shipment=first, user=vendor_user(shop_a))

    page_one = seller.get(url("shipment-list", "en"))
    assert page_one.context["page_obj"].paginator.count == 51
    assert len(page_one.context["shipments"]) == 50
    assert len(seller.get(url("shipment-list", "en") + "?page=2").context["shipments"]) == 1
    confirmed = seller.get(url("shipment-list", "en") + "?status=confirmed")
    assert [s.pk for s in confirmed.context["shipments"]] == [first.pk]
    open_ones = seller.get(url("shipment-list", "en") + "?status=open")
    assert open_ones.context["page_obj"].paginator.count == 51
    pending = seller.get(url("shipment-list", "en") + "?status=pending")
    assert pending.context["page_obj"].paginator.count == 50


@pytest.mark.parametrize("language", LANGUAGES)
def test_shipment_detail_shows_what_shipping_needs_but_not_the_customers_email_or_other_vendors_lines(
    seller, shipment_a, rug, buyer, language
):
    response = seller.get(url("shipment-detail", language, pk=shipment_a.pk))
    page = html(response)
    assert response.status_code == 200
    address = shipment_a.order.shipping_address
    for shown in (address.first_name, address.last_name, address.line1):
        assert localise(shown, language) in page
    # The phone number keeps its own digits on every page (issue 15 point 5).
    assert str(address.phone_number) in page
    assert buyer.email not in page
    assert rug.get_title() not in page and rug.title_en not in page and rug.upc not in page
    assert 'data-action="confirm"' in page


def test_another_vendors_shipment_answers_404(seller, shipment_b):
    assert seller.get(url("shipment-detail", "en", pk=shipment_b.pk)).status_code == 404
    response = seller.post(url("shipment-detail", "en", pk=shipment_b.pk), {"action": "confirm"})
    assert response.status_code == 404
    shipment_b.refresh_from_db()
    assert shipment_b.status == Shipment.Status.PENDING


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_vendor_confirms_ships_with_tracking_and_delivers_installing_too(seller, shipment_a, language):
    detail = url("shipment-detail", language, pk=shipment_a.pk)

    response = seller.post(detail, {"action": "confirm"}, follow=True)
    shipment_a.refresh_from_db()
    assert shipment_a.status == Shipment.Status.CONFIRMED
    assert 'id="ship-form"' in html(response)

    response = seller.post(detail, {"action": "ship", "tracking_reference": "IR-POST-۱۲۳۴", "carrier": "Post"},
                           follow=True)
    shipment_a.refresh_from_db()
    assert shipment_a.status == Shipment.Status.SHIPPED
    assert shipment_a.tracking_reference == "IR-POST-1234"  # Persian digits typed, Latin stored
    assert "IR-POST-1234" in html(response)

    line = shipment_a.lines.get()
    seller.post(detail, {"action": "installation", "line": line.pk})
    line.refresh_from_db()
    assert line.installation_status == ShipmentLine.InstallationStatus.DONE

    response = seller.post(detail, {"action": "deliver"}, follow=True)
    shipment_a.refresh_from_db()
    assert shipment_a.status == Shipment.Status.DELIVERED
    assert services.vendor_balance(partner=shipment_a.partner)["held"] == Decimal("41.00")  # 40 - 10% + 5
    assert "Nothing left to do" in html(response) or "کاری برای این" in html(response)


@pytest.mark.parametrize("language", LANGUAGES)
def test_shipping_without_a_tracking_reference_is_a_form_error_and_changes_nothing(seller, shipment_a, language):
    services.shipment_confirm(shipment=shipment_a, user=vendor_user(shipment_a.partner))
    response = seller.post(url("shipment-detail", language, pk=shipment_a.pk),
                           {"action": "ship", "tracking_reference": "  ", "carrier": "Post"})
    assert response.status_code == 200
    assert response.context["ship_form"].errors["tracking_reference"]
    expected = ("Enter the carrier's tracking reference" if language == "en"
                else "کد رهگیری")
    assert escape(expected) in html(response)
    shipment_a.refresh_from_db()
    assert (shipment_a.status, shipment_a.tracking_reference, shipment_a.shipped_at) == ("confirmed", "", None)


def test_a_refused_transition_shows_the_services_message_and_changes_nothing(seller, shipment_a):
    response = seller.post(url("shipment-detail", "en", pk=shipment_a.pk), {"action": "deliver"}, follow=True)
    assert escape("can't be marked delivered") in html(response)
    shipment_a.refresh_from_db()
    assert shipment_a.status == Shipment.Status.PENDING


def test_installation_of_another_shipments_line_is_not_found(seller, shipment_a, shipment_b):
    deliver(shipment_a)
    other_line = shipment_b.lines.get()
    response = seller.post(url("shipment-detail", "en", pk=shipment_a.pk),
                           {"action": "installation", "line": other_line.pk})
    assert response.status_code == 404


# ------------------------------------------------------------------ warranty claims
@pytest.fixture
def claim_a(shipment_a, buyer) -> WarrantyClaim:
    deliver(shipment_a)
    return services.warranty_claim_open(
        shipment_line=shipment_a.lines.get(), customer=buyer, kind="repair", description="The switch sparks."
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_vendor_sees_its_claims_and_answers_one(seller, claim_a, language):
    listing = seller.get(url("claim-list", language))
    assert f'data-claim="{claim_a.pk}"' in html(listing)
    detail = url("claim-detail", language, pk=claim_a.pk)
    page = html(seller.get(detail))
    assert "The switch sparks." in page and 'id="claim-respond-form"' in page

    response = seller.post(detail, {"decision": "reject", "response": "Misuse: the lamp was dropped."}, follow=True)
    claim_a.refresh_from_db()
    assert (claim_a.status, claim_a.upheld) == (WarrantyClaim.Status.REJECTED, False)
    assert "Misuse: the lamp was dropped." in html(response)
    assert 'id="claim-respond-form"' not in html(response)


def test_accepting_a_claim_upholds_it_and_fines_the_vendor_under_the_quality_policy(seller, claim_a, shop_a):
    seller.post(url("claim-detail", "en", pk=claim_a.pk), {"decision": "accept", "response": "We will repair it."})
    claim_a.refresh_from_db()
    assert (claim_a.status, claim_a.upheld) == (WarrantyClaim.Status.ACCEPTED, True)
    assert shop_a.sanctions.filter(kind="fine", claim=claim_a).exists()


def test_a_claim_answer_without_a_response_is_a_form_error(seller, claim_a):
    response = seller.post(url("claim-detail", "en", pk=claim_a.pk), {"decision": "reject", "response": ""})
    assert response.status_code == 200 and response.context["form"].errors["response"]
    claim_a.refresh_from_db()
    assert claim_a.status == WarrantyClaim.Status.OPEN


def test_another_vendors_claim_answers_404(client, claim_a, shop_b):
    client.force_login(vendor_user(shop_b))
    assert client.get(url("claim-detail", "en", pk=claim_a.pk)).status_code == 404
    assert client.post(url("claim-detail", "en", pk=claim_a.pk),
                       {"decision": "accept", "response": "x"}).status_code == 404
    assert f'data-claim="{claim_a.pk}"' not in html(client.get(url("claim-list", "en")))


# ------------------------------------------------------------------ payouts and stock
@pytest.mark.parametrize("language", LANGUAGES)
def test_payouts_page_lists_payouts_with_balances(seller, shipment_a, shop_a, language):
    deliver(shipment_a)
    services.payable_release_due(now=timezone.now() + dt.timedelta(days=30))
    payout = services.payout_create(partner=shop_a, amount=Decimal("30.00"), user=make_staff(),
                                    idempotency_key="web-test-payout")
    page = html(seller.get(url("payout-list", language)))
    assert f'data-payout="{payout.pk}"' in page
    assert 'data-balance="available"' in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_vendor_sets_stock_and_price_within_its_contracted_quantity(seller, lamp, rug, language):
    record = StockRecord.objects.get(product=lamp)
    listing = html(seller.get(url("stock-list", language)))
    assert f'data-stockrecord="{record.pk}"' in listing
    assert f'data-stockrecord="{StockRecord.objects.get(product=rug).pk}"' not in listing

    response = seller.post(url("stock-update", language, pk=record.pk), {"num_in_stock": 25, "price": "42.50"})
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.num_in_stock, record.price) == (25, Decimal("42.50"))

    refused = seller.post(url("stock-update", language, pk=record.pk), {"num_in_stock": 31, "price": "1.00"})
    assert refused.status_code == 200
    assert refused.context["form"].errors["num_in_stock"]
    assert "at most 30" in html(refused) if language == "en" else ("30" in html(refused) or "۳۰" in html(refused))
    record.refresh_from_db()
    assert (record.num_in_stock, record.price) == (25, Decimal("42.50"))


def test_another_vendors_stock_record_answers_404(seller, rug):
    record = StockRecord.objects.get(product=rug)
    assert seller.get(url("stock-update", "en", pk=record.pk)).status_code == 404
    assert seller.post(url("stock-update", "en", pk=record.pk), {"num_in_stock": 0}).status_code == 404
    record.refresh_from_db()
    assert record.num_in_stock == 5


# ------------------------------------------------------------------ performance
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_performance_page_draws_an_inline_svg_chart_of_six_months(seller, shipment_a, language):
    deliver(shipment_a)
    response = seller.get(url("performance", language))
    page = html(response)
    assert response.status_code == 200
    assert page.count("<svg") == 1 and "<script" not in page.split('id="performance-chart"')[1].split("</figure>")[0]
    assert len(response.context["performance"]["monthly"]) == 6
    assert 'data-figure="on-time"' in page
    expected = "100%" if language == "en" else "۱۰۰٪"
    assert expected in page
    assert "cdn" not in page.split('id="performance-chart"')[1].split("</figure>")[0].lower()


# ------------------------------------------------------------------ suspension
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_suspended_vendors_users_see_balances_read_only_with_the_reason(seller, shop_a, shipment_a, language):
    services.vendor_suspend(partner=shop_a, staff_user=make_staff(), reason="Three failed claims")
    home = html(seller.get(url("home", language)))
    assert "data-vendor-suspended" in home and "Three failed claims" in home
    payouts = seller.get(url("payout-list", language))
    assert payouts.status_code == 200 and "data-vendor-suspended" in html(payouts)

    detail = seller.get(url("shipment-detail", language, pk=shipment_a.pk))
    assert 'data-action="confirm"' not in html(detail)
    seller.post(url("shipment-detail", language, pk=shipment_a.pk), {"action": "confirm"})
    shipment_a.refresh_from_db()
    assert shipment_a.status == Shipment.Status.PENDING


# ------------------------------------------------------------------ dashboard menu
def test_the_dashboard_menu_shows_seller_entries_to_vendor_users_and_vendor_pages_to_staff(shop_a, customer):
    from oscar.apps.dashboard.menu import get_nodes

    def urls(user) -> set[str]:
        return {child.url for node in get_nodes(user) for child in node.children} | {
            node.url for node in get_nodes(user) if not node.is_heading
        }

    seller = urls(vendor_user(shop_a))
    assert {reverse("vendors-dashboard:home"), reverse("vendors-dashboard:shipment-list"),
            reverse("vendors-dashboard:performance"), reverse("dashboard:catalogue-product-list")} <= seller
    assert reverse("vendors-dashboard:application-list") not in seller
    staff = urls(make_staff())
    assert {reverse("vendors-dashboard:application-list"), reverse("vendors-dashboard:vendor-list")} <= staff
    assert reverse("vendors-dashboard:shipment-list") not in staff
    assert urls(customer).isdisjoint({reverse("vendors-dashboard:home"), reverse("vendors-dashboard:vendor-list")})


def test_the_dashboard_front_page_links_a_vendor_user_to_the_seller_pages(seller):
    page = html(seller.get(reverse("dashboard:index")))
    assert f'class="dropdown-item" href="{reverse("vendors-dashboard:shipment-list")}"' in page
