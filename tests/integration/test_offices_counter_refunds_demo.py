"""The offices demo shows both sides of a counter order's refund: one still owed at the
Kelardasht counter (a line refunded by staff), one handed back on the Vanak kiosk's
terminal (its shipment cancelled by the vendor), netted in that office's reconciliation."""

from __future__ import annotations

import pytest
from django.urls import reverse

from offices import services
from offices.models import CounterRefundOwed, PartnerOffice

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_refund_owed_and_one_handed_back(client):
    owed = CounterRefundOwed.objects.get(payment__office__code="kelardasht-ict")
    returned = CounterRefundOwed.objects.get(payment__office__code="tehran-vanak-kiosk")
    assert owed.refund is None and owed.reverses_vendor_share
    assert returned.refund.reference == "POS-R-310112" and returned.refund.amount == returned.amount
    vanak = PartnerOffice.objects.get(code="tehran-vanak-kiosk")
    terminal = {row["method"]: row for row in services.office_reconciliation(vanak)["totals"]}["terminal"]
    assert terminal["returned"] >= returned.amount

    client.force_login(PartnerOffice.objects.get(code="kelardasht-ict").clerks.first().user)
    page = client.get(reverse("offices-dashboard:counter-refunds")).content.decode()
    assert f'data-refund-owed="{owed.pk}"' in page
