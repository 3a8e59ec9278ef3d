"""Vendor money (issue 4 point 8, S17, P3): held until the return window passes, then
available; payouts never take the balance below zero and are sent as Stripe Connect
transfers when configured; fines and refunds debit the vendor; every posting has an
idempotency key, and `ledger_check` stays clean."""

from __future__ import annotations

import datetime as dt
import json
import threading
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest
from django.core.management import call_command
from django.utils import timezone

from ledger.models import Account, Transfer
from tests.factories import UserFactory
from tests.factories_vendors import deliver, make_vendor, make_vendor_product, place_order, vendor_user
from tests.helpers.roles import make_staff
from vendors import services
from vendors.errors import NotAllowed, PayoutNotAllowed, RefundNotAllowed
from vendors.models import Payout, ShipmentLine, VendorSanction

pytestmark = pytest.mark.django_db


def balance(code: str) -> Decimal:
    account = Account.objects.filter(code=code).first()
    return account.balance if account else Decimal("0.00")


def assert_ledger_clean() -> None:
    call_command("ledger_check", stdout=open("/dev/null", "w"), stderr=open("/dev/null", "w"))


@pytest.fixture
def buyer(db):
    return UserFactory(email="buyer@example.com")


@pytest.fixture
def staff(db):
    return make_staff()


def delivered_sale(buyer, *, price="250.00", commission_rate="0.2000", return_window_days=14,
                   stripe_account_id=""):
    """A vendor whose one line (price, commission) was delivered: held = price − commission."""
    vendor = make_vendor(commission_rate=commission_rate, return_window_days=return_window_days,
                         stripe_account_id=stripe_account_id)
    rug = make_vendor_product(vendor, price=price, stock=5)
    order = place_order(buyer, [(rug, 1)])
    deliver(order.shipments.get())
    return vendor, order.lines.get()


def release_all(vendor) -> None:
    due = ShipmentLine.objects.get(shipment__partner=vendor).release_due_at
    services.payable_release_due(now=due + dt.timedelta(seconds=1))


# ------------------------------------------------------------------ release
def release_everything_already_delivered() -> None:
    """Settle lines delivered before this test (the demo data) so counts are this test's."""
    services.payable_release_due(now=timezone.now() + dt.timedelta(days=3650))


def test_the_held_payable_is_released_only_after_the_return_window(buyer):
    release_everything_already_delivered()
    vendor, line = delivered_sale(buyer, return_window_days=14)
    held, available = f"vendor:{vendor.pk}:held", f"vendor:{vendor.pk}:available"
    delivered_at = line.shipment_line.shipment.delivered_at
    assert (balance(held), balance(available)) == (Decimal("200.00"), Decimal("0.00"))

    assert services.payable_release_due(now=delivered_at + dt.timedelta(days=13)) == 0
    assert balance(held) == Decimal("200.00")

    assert services.payable_release_due(now=delivered_at + dt.timedelta(days=14, minutes=1)) == 1
    assert (balance(held), balance(available)) == (Decimal("0.00"), Decimal("200.00"))
    assert Transfer.objects.filter(idempotency_key=f"vendor-release:{line.pk}").count() == 1
    # Running the job again releases nothing twice.
    assert services.payable_release_due(now=delivered_at + dt.timedelta(days=30)) == 0
    assert balance(available) == Decimal("200.00")
    assert services.vendor_balance(partner=vendor)["available"] == Decimal("200.00")
    assert_ledger_clean()


def test_the_release_command_releases_lines_whose_window_has_passed(buyer):
    release_everything_already_delivered()
    vendor, line = delivered_sale(buyer)
    ShipmentLine.objects.filter(line=line).update(release_due_at=timezone.now() - dt.timedelta(minutes=1))
    from io import StringIO

    out = StringIO()
    call_command("release_vendor_payables", stdout=out)
    assert "Released 1" in out.getvalue()
    assert balance(f"vendor:{vendor.pk}:available") == Decimal("200.00")


# ------------------------------------------------------------------ payouts
def test_a_payout_debits_available_and_never_takes_it_below_zero(buyer):
    vendor, _line = delivered_sale(buyer)
    release_all(vendor)
    seller = vendor_user(vendor)

    payout = services.payout_create(partner=vendor, amount=Decimal("150.00"), user=seller, idempotency_key="p-1")

    assert (payout.status, payout.amount) == (Payout.Status.RECORDED, Decimal("150.00"))
    assert balance(f"vendor:{vendor.pk}:available") == Decimal("50.00")
    with pytest.raises(PayoutNotAllowed) as refused:
        services.payout_create(partner=vendor, amount=Decimal("50.01"), user=seller, idempotency_key="p-2")
    assert "50" in str(refused.value.message)
    assert balance(f"vendor:{vendor.pk}:available") == Decimal("50.00")
    assert not Payout.objects.filter(idempotency_key="p-2").exists()
    with pytest.raises(PayoutNotAllowed):
        services.payout_create(partner=vendor, amount=Decimal("0"), user=seller, idempotency_key="p-3")
    assert_ledger_clean()


def test_held_money_cannot_be_paid_out_before_the_return_window(buyer):
    vendor, _line = delivered_sale(buyer)
    with pytest.raises(PayoutNotAllowed):
        services.payout_create(partner=vendor, amount=Decimal("1.00"), user=vendor_user(vendor), idempotency_key="x")


def test_a_repeated_payout_request_records_one_payout(buyer):
    vendor, _line = delivered_sale(buyer)
    release_all(vendor)
    seller = vendor_user(vendor)
    first = services.payout_create(partner=vendor, amount=Decimal("60.00"), user=seller, idempotency_key="form-7")
    again = services.payout_create(partner=vendor, amount=Decimal("60.00"), user=seller, idempotency_key="form-7")
    assert again.pk == first.pk
    assert balance(f"vendor:{vendor.pk}:available") == Decimal("140.00")
    assert Transfer.objects.filter(idempotency_key="vendor-payout:form-7").count() == 1
    with pytest.raises(PayoutNotAllowed):
        services.payout_create(partner=vendor, amount=Decimal("61.00"), user=seller, idempotency_key="form-7")


def test_only_the_vendor_or_staff_can_pay_a_vendor_out(buyer, staff):
    vendor, _line = delivered_sale(buyer)
    other = make_vendor()
    release_all(vendor)
    with pytest.raises(NotAllowed):
        services.payout_create(partner=vendor, amount=Decimal("10.00"), user=vendor_user(other), idempotency_key="a")
    assert services.payout_create(partner=vendor, amount=Decimal("10.00"), user=staff, idempotency_key="b").pk


def test_without_stripe_a_payout_is_recorded_only(buyer, settings, django_capture_on_commit_callbacks):
    settings.STRIPE_SECRET_KEY = ""
    vendor, _line = delivered_sale(buyer, stripe_account_id="acct_1VendorConnected")
    release_all(vendor)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        payout = services.payout_create(partner=vendor, amount=Decimal("20.00"), user=vendor_user(vendor),
                                        idempotency_key="k")
    assert callbacks == []
    payout.refresh_from_db()
    assert (payout.status, payout.stripe_transfer_id) == (Payout.Status.RECORDED, "")


def test_localstripe_has_no_connect_transfers_so_the_payout_fails_and_is_reversed(
    buyer, stripe_settings, django_capture_on_commit_callbacks
):
    """localstripe (the emulator the payment tests use) answers POST /v1/transfers with
    404: the real Stripe call is made, refused, recorded as failed, and the debit reversed."""
    vendor, _line = delivered_sale(buyer, stripe_account_id="acct_1VendorConnected")
    release_all(vendor)
    with django_capture_on_commit_callbacks(execute=True):
        payout = services.payout_create(partner=vendor, amount=Decimal("120.00"), user=vendor_user(vendor),
                                        idempotency_key="ls-1")
    payout.refresh_from_db()
    assert payout.status == Payout.Status.FAILED
    assert payout.failure_message
    assert balance(f"vendor:{vendor.pk}:available") == Decimal("200.00")
    reversal = Transfer.objects.get(idempotency_key="vendor-payout-failed:ls-1")
    assert reversal.reverses.idempotency_key == "vendor-payout:ls-1"
    # Sending again does nothing: a failed payout stays failed, the vendor asks anew.
    assert services.payout_send(payout=payout).status == Payout.Status.FAILED
    assert Transfer.objects.filter(idempotency_key__startswith="vendor-payout-failed:ls-1").count() == 1
    assert_ledger_clean()


class _ConnectTransfers(BaseHTTPRequestHandler):
    """Stripe's POST /v1/transfers, answered the way Stripe's API does (localstripe lacks it)."""

    received: list[dict] = []

    def do_POST(self):  # noqa: N802 (http.server's naming)
        body = parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
        type(self).received.append(
            {"path": self.path, "idempotency_key": self.headers.get("Idempotency-Key"), "body": body}
        )
        if self.path != "/v1/transfers":
            self.send_response(404)
            self.end_headers()
            return
        payload = json.dumps({
            "id": f"tr_test_{len(type(self).received)}", "object": "transfer",
            "amount": int(body["amount"][0]), "currency": body["currency"][0],
            "destination": body["destination"][0], "livemode": False, "metadata": {},
        }).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args) -> None:
        return


@pytest.fixture
def connect_api(settings):
    _ConnectTransfers.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _ConnectTransfers)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.STRIPE_SECRET_KEY = "sk_test_chaarsoo"
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_chaarsoo"
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{server.server_port}"
    settings.STRIPE_MAX_NETWORK_RETRIES = 0
    yield _ConnectTransfers.received
    server.shutdown()
    server.server_close()


def test_a_payout_to_a_connected_account_is_sent_as_a_stripe_transfer(
    buyer, connect_api, settings, django_capture_on_commit_callbacks
):
    vendor, _line = delivered_sale(buyer, stripe_account_id="acct_1VendorConnected")
    release_all(vendor)
    with django_capture_on_commit_callbacks(execute=True):
        payout = services.payout_create(partner=vendor, amount=Decimal("120.50"), user=vendor_user(vendor),
                                        idempotency_key="sent-1")
    payout.refresh_from_db()
    assert (payout.status, payout.stripe_transfer_id) == (Payout.Status.SENT, "tr_test_1")
    request = connect_api[0]
    assert request["path"] == "/v1/transfers"
    assert request["idempotency_key"] == "payout:sent-1"
    assert request["body"]["amount"] == ["12050"]
    assert request["body"]["currency"] == [settings.OSCAR_DEFAULT_CURRENCY.lower()]
    assert request["body"]["destination"] == ["acct_1VendorConnected"]
    assert balance(f"vendor:{vendor.pk}:available") == Decimal("79.50")
    # A sent payout is never sent again.
    services.payout_send(payout=payout)
    assert len(connect_api) == 1


# ------------------------------------------------------------------ fines and refunds
def test_a_staff_fine_debits_available_even_into_debt(buyer, staff):
    vendor, _line = delivered_sale(buyer)
    fine = services.vendor_fine(partner=vendor, amount=Decimal("30.00"), reason="late deliveries",
                                staff_user=staff, idempotency_key="fine-form-1")
    assert (fine.kind, fine.amount) == (VendorSanction.Kind.FINE, Decimal("30.00"))
    assert balance(f"vendor:{vendor.pk}:available") == Decimal("-30.00")
    again = services.vendor_fine(partner=vendor, amount=Decimal("30.00"), reason="late deliveries",
                                 staff_user=staff, idempotency_key="fine-form-1")
    assert again.pk == fine.pk
    assert balance(f"vendor:{vendor.pk}:available") == Decimal("-30.00")
    with pytest.raises(NotAllowed):
        services.vendor_fine(partner=vendor, amount=Decimal("1.00"), reason="x", staff_user=vendor_user(vendor))
    # Later releases pay the debt off before anything can be paid out.
    release_all(vendor)
    assert balance(f"vendor:{vendor.pk}:available") == Decimal("170.00")
    assert_ledger_clean()


def test_a_refund_before_release_debits_held_and_after_release_debits_available(buyer, staff):
    vendor, line = delivered_sale(buyer, price="250.00", commission_rate="0.2000")
    commission_before = balance("platform:commission")

    services.order_refund_debit(line=line, amount=Decimal("100.00"), user=staff, idempotency_key="r1")
    # The vendor gives back its 80%, the platform its 20% commission.
    assert balance(f"vendor:{vendor.pk}:held") == Decimal("120.00")
    assert balance("platform:commission") == commission_before - Decimal("20.00")
    services.order_refund_debit(line=line, amount=Decimal("100.00"), user=staff, idempotency_key="r1")
    assert balance(f"vendor:{vendor.pk}:held") == Decimal("120.00")

    release_all(vendor)
    assert balance(f"vendor:{vendor.pk}:available") == Decimal("120.00")
    services.order_refund_debit(line=line, amount=Decimal("50.00"), user=staff, idempotency_key="r2")
    assert balance(f"vendor:{vendor.pk}:available") == Decimal("80.00")
    with pytest.raises(RefundNotAllowed):
        services.order_refund_debit(line=line, amount=Decimal("100.01"), user=staff, idempotency_key="r3")
    assert ShipmentLine.objects.get(line=line).refunded_amount == Decimal("150.00")
    assert_ledger_clean()


def test_a_refund_of_an_undelivered_line_debits_nothing(buyer, staff):
    vendor = make_vendor()
    rug = make_vendor_product(vendor, price="250.00", stock=5)
    order = place_order(buyer, [(rug, 1)])
    transfers = Transfer.objects.count()
    services.order_refund_debit(line=order.lines.get(), amount=Decimal("250.00"), user=staff)
    assert Transfer.objects.count() == transfers
