"""Staff register partner offices and create or deactivate their clerks (A3), record
payouts against an office's balance, and see late errands."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from ledger import codes
from ledger.selectors import balances
from offices import services
from offices.errors import NotAllowed, OfficeError
from offices.models import Clerk, PartnerOffice
from services_catalog.models import Service
from tests.factories_services import make_customer
from tests.helpers.offices import file_errand, make_clerk, make_errand_service, make_office, region
from tests.helpers.roles import make_role_user

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]


def test_an_operator_registers_an_office_and_gives_it_a_clerk_who_can_then_be_deactivated(client):
    service = make_errand_service("fars")
    operator = make_role_user("operator")
    client.force_login(operator)
    response = client.post(reverse("offices-dashboard:staff-offices"), {
        "code": "lar-post", "kind": "post", "name": "باجه پست لار", "name_en": "Lar post counter",
        "county": region("lar").pk, "address": "لار، خیابان امام", "latitude": "27.681", "longitude": "54.34",
        "services": [service.pk], "open_days": "012356", "opens_at": "08:00", "closes_at": "14:00",
        "phone": "+989171234567", "email": "lar@example.com", "is_active": "on",
    })
    assert response.status_code == 302, response.content.decode()[:1500]
    office = PartnerOffice.objects.get(code="lar-post")
    assert office.province == region("fars") and list(office.services.all()) == [service]
    client.post(reverse("offices-dashboard:staff-clerk-add", args=[office.pk]),
                {"username": "lar-clerk", "password": "long-enough-1"})
    clerk = Clerk.objects.get(office=office)
    assert clerk.user.groups.filter(name="Partner-office clerks").exists()
    assert client.login(username="lar-clerk", password="long-enough-1")
    assert client.get(reverse("offices-dashboard:console")).status_code == 200
    client.force_login(operator)
    client.post(reverse("offices-dashboard:staff-clerk-toggle", args=[clerk.pk]), {"active": "0"})
    clerk.refresh_from_db()
    clerk.user.refresh_from_db()
    assert not clerk.is_active and not clerk.user.is_active
    assert not client.login(username="lar-clerk", password="long-enough-1")
    with pytest.raises(NotAllowed):
        services.clerk_create(staff_user=make_role_user("finance"), office=office, username="x", password="y" * 9)


def test_finance_records_a_payout_within_the_office_balance():
    service = make_errand_service("fars", "tehran")
    a = make_office("tehran-county")
    b = make_office("shiraz-county", services=[service])
    clerk_a, clerk_b = make_clerk(a), make_clerk(b)
    errand = file_errand(clerk_a, make_customer(tier="loyal"), Service.objects.get(pk=service.pk))
    services.errand_take_cash(clerk_user=clerk_a, errand=errand)
    services.errand_accept(user=clerk_b, errand=errand)
    services.errand_result(user=clerk_b, errand=errand, reference="R")
    finance = make_role_user("finance")
    currency = errand.job.currency
    with pytest.raises(OfficeError):
        services.office_payout_record(staff_user=finance, office=b, amount=Decimal("61"), reference="TR-1",
                                      currency=currency)
    services.office_payout_record(staff_user=finance, office=b, amount=Decimal("60"), reference="TR-1",
                                  currency=currency)
    assert balances([codes.office_available(b.pk)])[codes.office_available(b.pk)] == Decimal("0.00")
    with pytest.raises(NotAllowed):
        services.office_payout_record(staff_user=make_role_user("operator"), office=a, amount=Decimal("1"),
                                      reference="x", currency=currency)


def test_a_clerk_sees_the_cash_taken_and_the_office_earnings(client):
    service = make_errand_service("fars", "tehran")
    a = make_office("tehran-county")
    b = make_office("shiraz-county", services=[service])
    clerk_a, clerk_b = make_clerk(a), make_clerk(b)
    errand = file_errand(clerk_a, make_customer(tier="loyal"), service)
    services.errand_take_cash(clerk_user=clerk_a, errand=errand)
    services.errand_accept(user=clerk_b, errand=errand)
    services.errand_result(user=clerk_b, errand=errand, reference="R")
    client.force_login(clerk_a)
    response = client.get(reverse("offices-dashboard:cash"))
    assert response.status_code == 200 and "data-balance" in response.content.decode()
    assert [p.job_id for p in response.context["payments"]] == [errand.job_id]
    cash = next(row for row in response.context["totals"] if row["method"] == "cash")
    assert cash["taken"] == Decimal("100.00") and cash["net"] == Decimal("100.00")
    assert response.context["balance"] == Decimal("10.00") and len(response.context["statement"]) == 1
