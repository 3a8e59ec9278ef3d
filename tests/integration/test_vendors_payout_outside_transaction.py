"""Money is never sent to Stripe inside an open database transaction (issue 9 point 6):
the staff's payout form records the payout and commits, then the Stripe Connect transfer
is made with no transaction open (the page opts out of ATOMIC_REQUESTS), and the result is
recorded in a short transaction of its own.

Transactional (real commits): a test wrapped in a rolled-back transaction would always
see one open."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import translation

from ledger import codes
from ledger import services as ledger
from tests.factories_vendors import make_vendor
from tests.helpers.roles import make_role_user
from tests.integration.test_vendors_domain_money import connect_api  # noqa: F401 (fixture)
from vendors import gateway
from vendors.models import Payout


@pytest.mark.django_db(transaction=True)
def test_the_payout_page_calls_stripe_with_no_transaction_open_and_records_the_transfer(
    client, connect_api, monkeypatch  # noqa: F811
):
    vendor = make_vendor("Connected shop", stripe_account_id="acct_1OutsideTx")
    currency = settings.OSCAR_DEFAULT_CURRENCY
    available = ledger.account_get_or_create(code=codes.vendor_available(vendor.pk), currency=currency,
                                             name="available", floor=None, owner=vendor)
    sales = ledger.account_get_or_create(code=codes.PLATFORM_SALES, currency=currency, name="sales", floor=None)
    ledger.transfer_move(idempotency_key="test-credit", kind="test", source=sales, destination=available,
                         amount=Decimal("100.00"), memo="credit")

    calls = []
    real_create_transfer = gateway.create_transfer

    def watched(**kwargs):
        calls.append({
            "in_transaction": connection.in_atomic_block,
            # Committed before Stripe is asked: another connection's view would see it.
            "payout_status": Payout.objects.values_list("status", flat=True).get(partner=vendor),
        })
        return real_create_transfer(**kwargs)

    monkeypatch.setattr(gateway, "create_transfer", watched)
    client.force_login(make_role_user("finance"))
    with translation.override("en"):
        detail = reverse("vendors-dashboard:vendor-detail", kwargs={"pk": vendor.pk})
    response = client.post(detail, {"action": "payout", "payout-amount": "40.00", "payout-idempotency_key": "tx-1"})

    assert response.status_code == 302
    assert calls == [{"in_transaction": False, "payout_status": Payout.Status.RECORDED}]
    payout = Payout.objects.get(partner=vendor)
    assert (payout.status, payout.stripe_transfer_id) == (Payout.Status.SENT, "tr_test_1")
    assert connect_api[0]["idempotency_key"] == "payout:tx-1"
