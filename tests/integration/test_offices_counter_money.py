"""Money at an office's counter: an errand's fee on the office's card terminal (its receipt
number kept), an approved S9 refund given back the way it was paid (the terminal or the
till) by the originating office, and both reconciled per office beside cash."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils.translation import gettext

from offices import services
from offices.errors import InvalidRefund, InvalidTransition, OfficeError
from offices.models import CounterPayment, CounterRefund, Errand
from services_catalog.models import JobReceipt
from tests.factories_services import make_customer
from tests.helpers.offices import file_errand, make_clerk, make_errand_service, make_office
from tests.helpers.roles import make_role_user

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]


@pytest.fixture
def world():
    service = make_errand_service("fars", "tehran")
    a = make_office("tehran-county", name="A")
    b = make_office("shiraz-county", services=[service], name="B")
    return {"service": service, "a": a, "b": b, "clerk_a": make_clerk(a), "clerk_b": make_clerk(b),
            "customer": make_customer(tier="loyal", phone="+989121112255")}


def _done_with_refund_approved(w, errand, amount="40.00"):
    services.errand_accept(user=w["clerk_b"], errand=errand)
    services.errand_result(user=w["clerk_b"], errand=errand, reference="R-1", negative=True)
    request = services.refund_request_open(user=w["clerk_a"], errand=errand, reason="پاسخ منفی اداره")
    services.refund_request_decide(staff_user=make_role_user("finance"), request=request, approve=True,
                                   amount=Decimal(amount))
    errand.job.refresh_from_db()


def test_an_errand_paid_on_the_terminal_is_refunded_on_the_terminal_and_reconciled(world, client):
    w = world
    errand = file_errand(w["clerk_a"], w["customer"], w["service"])
    with pytest.raises(OfficeError) as refused:
        services.errand_take_payment(clerk_user=w["clerk_a"], errand=errand, method="terminal")
    assert refused.value.code == "terminal_reference_required"
    with pytest.raises(InvalidTransition):
        services.errand_take_payment(clerk_user=w["clerk_b"], errand=errand, method="terminal", reference="1")
    receipt = services.errand_take_payment(clerk_user=w["clerk_a"], errand=errand, method="terminal",
                                           reference="POS 4471")
    assert receipt.method == JobReceipt.Method.CARD and receipt.payment is None
    again = services.errand_take_payment(clerk_user=w["clerk_a"], errand=errand, method="terminal",
                                         reference="POS 4471")
    assert again == receipt and CounterPayment.objects.filter(job=errand.job).count() == 1
    payment = CounterPayment.objects.get(job=errand.job)
    assert (payment.office, payment.method, payment.reference, payment.amount) == (
        w["a"], "terminal", "POS 4471", Decimal("100.00"))
    errand.refresh_from_db()
    assert errand.status == Errand.Status.ROUTED and errand.performer == w["b"]  # paying started routing

    _done_with_refund_approved(w, errand)
    assert errand.job.cash_refund_due == Decimal("40.00")
    with pytest.raises(InvalidTransition):
        services.errand_refund_hand_back(clerk_user=w["clerk_b"], errand=errand, reference="R")
    with pytest.raises(OfficeError):  # a refund on the terminal has its own receipt number
        services.errand_refund_hand_back(clerk_user=w["clerk_a"], errand=errand)
    refunds = services.errand_refund_hand_back(clerk_user=w["clerk_a"], errand=errand, reference="POS-R 9")
    assert [(r.amount, r.reference) for r in refunds] == [(Decimal("40.00"), "POS-R 9")]
    job = errand.job
    job.refresh_from_db()
    assert job.cash_refund_due == Decimal("0") and job.amount_refunded == Decimal("40.00")
    assert job.charges.filter(kind="refund").get().description == gettext(
        "Refunded to your card on %(office)s's terminal") % {"office": "A"}
    assert errand.events.filter(action="refund_returned", visible_to_customer=True).exists()
    with pytest.raises(InvalidRefund):  # nothing more to give back
        services.errand_refund_hand_back(clerk_user=w["clerk_a"], errand=errand, reference="POS-R 9")
    call_command("ledger_check")

    totals = {row["method"]: row for row in services.office_reconciliation(w["a"])["totals"]}
    assert (totals["terminal"]["taken"], totals["terminal"]["returned"], totals["terminal"]["net"]) == (
        Decimal("100.00"), Decimal("40.00"), Decimal("60.00"))
    assert totals["cash"]["net"] == Decimal("0")
    client.force_login(w["clerk_a"])
    html = client.get(reverse("offices-dashboard:cash")).content.decode()
    assert 'data-counter-payment="terminal"' in html and "POS 4471" in html and "POS-R 9" in html
    client.force_login(make_role_user("finance"))
    html = client.get(reverse("offices-dashboard:staff-office", args=[w["a"].pk])).content.decode()
    assert "data-reconciliation" in html and "POS 4471" in html


def test_cash_is_handed_back_from_the_till_without_a_receipt_number(world, client):
    w = world
    errand = file_errand(w["clerk_a"], w["customer"], w["service"])
    client.force_login(w["clerk_a"])
    act = "offices-dashboard:errand-act"
    client.post(reverse(act, args=[errand.job.number, "cash"]))
    assert CounterPayment.objects.get(job=errand.job).method == "cash"
    _done_with_refund_approved(w, errand, "100.00")
    page = client.get(reverse("offices-dashboard:errand", args=[errand.job.number])).content.decode()
    assert "data-refund-back" in page and 'id="id_refund_reference"' not in page
    client.post(reverse(act, args=[errand.job.number, "refund-back"]))
    refund = CounterRefund.objects.get(payment__job=errand.job)
    assert refund.amount == Decimal("100.00") and refund.reference == ""
    errand.job.refresh_from_db()
    assert errand.job.cash_refund_due == Decimal("0") and errand.job.amount_refunded == Decimal("100.00")
    totals = {row["method"]: row for row in services.office_reconciliation(w["a"])["totals"]}
    assert totals["cash"]["net"] == Decimal("0.00") and totals["cash"]["returned"] == Decimal("100.00")


def test_the_console_api_takes_a_terminal_payment_and_gives_the_refund_back(world, client):
    w = world
    errand = file_errand(w["clerk_a"], w["customer"], w["service"])
    client.force_login(w["clerk_a"])
    url = f"/api/v1/offices/errands/{errand.job.number}/"
    response = client.post(url + "cash/", {"method": "terminal"}, content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "terminal_reference_required"
    response = client.post(url + "cash/", {"method": "terminal", "reference": "T-55"},
                           content_type="application/json")
    assert response.status_code == 200 and CounterPayment.objects.get(job=errand.job).reference == "T-55"
    _done_with_refund_approved(w, errand)
    response = client.post(url + "refund-back/", {"reference": "T-56"}, content_type="application/json")
    assert response.status_code == 200 and CounterRefund.objects.get(payment__job=errand.job).reference == "T-56"
