"""Issue 9 on the staff pages of service jobs: each page and action asks for its named
ability. A content editor and a support agent get the 403 page on the cash, refund, fine,
reassign and provider pages; an operator quotes and files for callers but gets 403 on a
refund; finance hands back a cash refund."""

from __future__ import annotations

from decimal import Decimal

import pytest

from services_catalog import services
from services_catalog.models import Complaint, Job, Provider
from tests.factories_services import make_customer, make_job, make_provider_for, make_service
from tests.helpers.roles import make_role_user

pytestmark = pytest.mark.django_db
Status = Job.Status
BASE = "/en/dashboard/services"


@pytest.fixture
def desk():
    """A job owed a cash refund, an assigned job with a complaint, a suspended provider."""
    service = make_service(base_price="100.00", payment_rule="upfront")
    provider = make_provider_for(service)
    owed = services.job_cancel(job=make_job(make_customer(), service, status=Status.ASSIGNED),
                               user=provider.user, reason="Sick")
    other = make_provider_for(service)
    assigned = make_job(make_customer(), service, status=Status.ASSIGNED)
    complaint = services.complaint_file(customer=assigned.customer, text="Late", job=assigned)
    Provider.objects.filter(pk=provider.pk).update(status=Provider.Status.SUSPENDED)
    return {"owed": owed, "assigned": assigned, "complaint": complaint, "provider": provider, "other": other}


def money_pages(desk) -> list[tuple[str, str, dict]]:
    owed, assigned = desk["owed"].number, desk["assigned"].number
    return [
        ("get", f"{BASE}/", {}),
        ("get", f"{BASE}/jobs/{assigned}/", {}),
        ("post", f"{BASE}/jobs/{owed}/cash-refund/", {}),
        ("post", f"{BASE}/jobs/{assigned}/cash/", {}),
        ("post", f"{BASE}/jobs/{assigned}/reassign/", {"provider": desk["other"].pk, "expected_provider": 0}),
        ("post", f"{BASE}/jobs/{assigned}/cancel/", {"cancel-reason": "x", "cancel-expected_fee": "0"}),
        ("get", f"{BASE}/complaints/{desk['complaint'].pk}/", {}),
        ("post", f"{BASE}/complaints/{desk['complaint'].pk}/", {"action": "fine", "amount": "5", "note": "x"}),
        ("get", f"{BASE}/providers/", {}),
        ("post", f"{BASE}/providers/{desk['provider'].pk}/reinstate/", {}),
        ("get", f"{BASE}/intake/", {}),
        ("get", f"{BASE}/warranty/", {}),
    ]


@pytest.mark.parametrize("role", ["editor", "agent"])
def test_an_editor_or_a_support_agent_gets_403_on_every_money_page(client, desk, role):
    client.force_login(make_role_user(role))
    before = (desk["assigned"].status, desk["assigned"].provider_id, desk["assigned"].events.count())
    for method, url, data in money_pages(desk):
        assert getattr(client, method)(url, data).status_code == 403, (method, url)
    desk["owed"].refresh_from_db()
    desk["assigned"].refresh_from_db()
    assert desk["owed"].cash_refund_due == Decimal("100.00")
    assert (desk["assigned"].status, desk["assigned"].provider_id, desk["assigned"].events.count()) == before
    assert Complaint.objects.get(pk=desk["complaint"].pk).status == Complaint.Status.OPEN
    assert Provider.objects.get(pk=desk["provider"].pk).status == Provider.Status.SUSPENDED


def test_an_operator_quotes_and_files_for_callers_but_gets_403_on_a_refund_or_a_fine(client, desk):
    client.force_login(make_role_user("operator"))
    quoted = make_job(make_customer(), make_service(pricing_model="quote", base_price="0"))
    response = client.post(f"{BASE}/jobs/{quoted.number}/quote/", {
        "valid_days": "3", "line_0_description": "Fix the tap", "line_0_quantity": "1", "line_0_unit_price": "40",
    })
    assert response.status_code == 302
    assert Job.objects.get(pk=quoted.pk).status == Status.QUOTED
    assert client.get(f"{BASE}/intake/").status_code == 200
    assert client.get(f"{BASE}/intake/{quoted.customer_id}/").status_code == 200
    assert client.get(f"{BASE}/jobs/{desk['owed'].number}/").status_code == 200
    assert "data-cash-refund" not in client.get(f"{BASE}/jobs/{desk['owed'].number}/").content.decode()
    assert client.post(f"{BASE}/jobs/{desk['owed'].number}/cash-refund/").status_code == 403
    fine = {"action": "fine", "amount": "5", "note": "Late"}
    assert client.post(f"{BASE}/complaints/{desk['complaint'].pk}/", fine).status_code == 403
    assert client.post(f"{BASE}/providers/{desk['provider'].pk}/reinstate/").status_code == 403
    desk["owed"].refresh_from_db()
    assert desk["owed"].cash_refund_due == Decimal("100.00")
    assert Complaint.objects.get(pk=desk["complaint"].pk).status == Complaint.Status.OPEN


def test_finance_hands_back_a_cash_refund_from_the_job_page(client, desk):
    client.force_login(make_role_user("finance"))
    page = client.get(f"{BASE}/jobs/{desk['owed'].number}/").content.decode()
    assert "data-cash-refund" in page
    assert client.post(f"{BASE}/jobs/{desk['owed'].number}/cash-refund/").status_code == 302
    desk["owed"].refresh_from_db()
    assert (desk["owed"].cash_refund_due, desk["owed"].amount_refunded) == (Decimal("0"), Decimal("100.00"))
    assert client.post(f"{BASE}/jobs/{desk['assigned'].number}/quote/", {"valid_days": "3"}).status_code == 403


def test_the_menu_shows_staff_entries_only_to_holders(rf):
    from services_catalog.navigation import NAVIGATION

    staff_menu = NAVIGATION[0]
    assert not staff_menu["access_fn"](make_role_user("editor"))
    assert not staff_menu["access_fn"](make_role_user("agent"))
    operator = make_role_user("operator")
    finance = make_role_user("finance")
    visible = {child["url_name"].split(":")[1] for child in staff_menu["children"] if child["access_fn"](finance)}
    assert visible == {"job-list", "provider-list"}
    assert all(child["access_fn"](operator) for child in staff_menu["children"])
