"""The staff dashboard for service jobs over HTTP (issue 5 points 3, 4, 6, 10, 11; A2, A6,
S2, S8, S10, S11): the queue, review and quotes, reassignment, cash, cancellation,
warranty decisions, complaints, providers and the operator's phone intake."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from customers.services import profile_for
from ledger.models import Account
from services_catalog import services
from services_catalog.models import (
    Complaint,
    Job,
    JobReceipt,
    Provider,
    ProviderSanction,
    Quote,
    WarrantyClaim,
)
from tests.factories_services import (
    future_date,
    make_customer,
    make_job,
    make_provider_for,
    make_service,
    make_staff,
)

pytestmark = pytest.mark.django_db
Status = Job.Status
BASE = "/en/dashboard/services"


@pytest.fixture
def operator(client):
    user = make_staff(first_name="Olga", last_name="Operator")
    client.force_login(user)
    return user


@pytest.fixture
def quote_job():
    return make_job(make_customer(), make_service(pricing_model="quote", base_price="0"))


# ------------------------------------------------------------------ queue
def test_the_queue_filters_by_status_service_area_provider_and_search(client, operator):
    service = make_service(pricing_model="fixed")
    provider = make_provider_for(service)
    customer = make_customer(phone="+989121239999", email="caller@example.com")
    assigned = make_job(customer, service, status=Status.ASSIGNED)
    waiting = make_job(make_customer(), make_service(pricing_model="quote", base_price="0"))

    def numbers(query: str) -> str:
        response = client.get(f"{BASE}/{query}")
        assert response.status_code == 200
        return response.content.decode()

    everything = numbers("")
    assert assigned.number in everything and waiting.number in everything
    only_requested = numbers("?status=requested")
    assert waiting.number in only_requested and assigned.number not in only_requested
    assert assigned.number in numbers("?status=open")
    by_service = numbers(f"?service={service.pk}")
    assert assigned.number in by_service and waiting.number not in by_service
    assert assigned.number in numbers(f"?area={assigned.area_id}")
    assert assigned.number in numbers(f"?provider={provider.pk}")
    assert waiting.number not in numbers(f"?provider={provider.pk}")
    assert assigned.number in numbers("?q=caller@example")
    assert assigned.number in numbers(f"?q={profile_for(customer).subscription_code}")
    by_number = numbers(f"?q={assigned.number}")
    assert assigned.number in by_number and waiting.number not in by_number
    assert client.get(f"{BASE}/?status=bogus&service=x&page=99").status_code == 200
    assert client.get("/fa/dashboard/services/?status=requested").status_code == 200


def test_the_queue_runs_a_fixed_number_of_queries(client, operator):
    service = make_service(pricing_model="fixed")
    make_provider_for(service)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            client.get(f"{BASE}/")
        return len(queries)

    make_job(make_customer(), service, status=Status.ASSIGNED)
    count()
    before = count()
    for day in range(1, 4):
        make_job(make_customer(), service, status=Status.ASSIGNED, preferred_date=future_date(service, extra_days=day))
    assert count() == before


def test_staff_menu_has_the_service_entries(client, operator):
    html = client.get("/en/dashboard/").content.decode()
    assert f'href="{BASE}/"' in html and f'href="{BASE}/intake/"' in html
    assert f'href="{BASE}/provider/"' not in html  # not a provider


# ------------------------------------------------------------------ review (S2)
def test_S2_staff_send_a_quote_with_line_items_and_revise_it(client, operator, quote_job):
    job = quote_job
    page = client.get(f"{BASE}/jobs/{job.number}/").content.decode()
    assert "data-quote-form" in page
    response = client.post(f"{BASE}/jobs/{job.number}/quote/", {
        "valid_days": "5",
        "line_0_description": "Labour", "line_0_quantity": "2", "line_0_unit_price": "30",
        "line_1_description": "Valve", "line_1_quantity": "1", "line_1_unit_price": "12.50",
    })
    assert response.status_code == 302
    quote = job.quotes.get(status=Quote.Status.SENT)
    assert quote.total == Decimal("72.50") and quote.lines.count() == 2
    client.post(f"{BASE}/jobs/{job.number}/quote/", {
        "valid_days": "3", "line_0_description": "Labour", "line_0_quantity": "2", "line_0_unit_price": "25",
    })
    assert list(job.quotes.order_by("version").values_list("status", flat=True)) == ["superseded", "sent"]
    assert job.quotes.get(status="sent").total == Decimal("50.00")


def test_S2_a_quote_with_bad_lines_is_shown_again_with_errors(client, operator, quote_job):
    job = quote_job
    empty = client.post(f"{BASE}/jobs/{job.number}/quote/", {"valid_days": "3"})
    assert empty.status_code == 400 and "A quote needs at least one line" in empty.content.decode()
    no_price = client.post(f"{BASE}/jobs/{job.number}/quote/", {
        "valid_days": "0", "line_0_description": "Labour", "line_0_quantity": "-1",
    })
    assert no_price.status_code == 400
    assert not job.quotes.exists()


def test_S2_not_feasible_needs_a_reason_the_customer_sees(client, operator, quote_job):
    job = quote_job
    assert client.post(f"{BASE}/jobs/{job.number}/not-feasible/", {"reason": ""}).status_code == 400
    client.post(f"{BASE}/jobs/{job.number}/not-feasible/", {"reason": "We do not serve that building type"})
    job.refresh_from_db()
    assert job.status == Status.NOT_FEASIBLE and job.not_feasible_reason == "We do not serve that building type"


def test_a_quote_on_a_job_past_review_is_refused_with_the_reason(client, operator):
    job = make_job(make_customer(), make_service(pricing_model="fixed"), status=Status.CANCELLED)
    response = client.post(f"{BASE}/jobs/{job.number}/quote/", {
        "valid_days": "3", "line_0_description": "x", "line_0_quantity": "1", "line_0_unit_price": "1",
    }, follow=True)
    assert "not possible now" in response.content.decode() and not job.quotes.filter(status="sent").exists()


# ------------------------------------------------------------------ assignment, visit, cash
def test_staff_reassign_to_a_chosen_provider(client, operator):
    service = make_service(pricing_model="fixed")
    first = make_provider_for(service, rating="5")
    second = make_provider_for(service, rating="3", display_name="Second provider")
    job = make_job(make_customer(), service, status=Status.ASSIGNED)
    assert job.provider == first
    assert "Second provider" in client.get(f"{BASE}/jobs/{job.number}/").content.decode()
    client.post(f"{BASE}/jobs/{job.number}/reassign/", {"provider": second.pk, "expected_provider": first.pk})
    job.refresh_from_db()
    assert job.provider == second and job.status == Status.ASSIGNED
    # The same form submitted again (it still names the first provider) changes nothing.
    client.post(f"{BASE}/jobs/{job.number}/reassign/", {"provider": "", "expected_provider": first.pk})
    job.refresh_from_db()
    assert job.provider == second
    bad = client.post(f"{BASE}/jobs/{job.number}/reassign/", {"provider": "999999", "expected_provider": second.pk})
    assert bad.status_code == 400


def test_staff_set_the_visit_time_and_a_time_outside_the_slot_is_refused(client, operator):
    service = make_service(pricing_model="fixed")
    make_provider_for(service)
    job = make_job(make_customer(), service, status=Status.ASSIGNED, slot="morning")
    outside = client.post(f"{BASE}/jobs/{job.number}/dispatch/", {"visit_time": "18:00"})
    assert outside.status_code == 400 and "booked slot" in outside.content.decode()
    assert client.post(f"{BASE}/jobs/{job.number}/dispatch/", {"visit_time": "9:99"}).status_code == 400
    client.post(f"{BASE}/jobs/{job.number}/dispatch/", {"visit_time": "09:30"})
    job.refresh_from_db()
    assert job.status == Status.DISPATCHED and timezone.localtime(job.visit_at).strftime("%H:%M") == "09:30"


def test_S5_staff_record_a_cash_payment_once(client, operator):
    service = make_service(pricing_model="fixed", base_price="60", payment_rule="upfront")
    job = make_job(make_customer(), service, status=Status.ACCEPTED, pay=False)
    assert "data-record-cash" in client.get(f"{BASE}/jobs/{job.number}/").content.decode()
    client.post(f"{BASE}/jobs/{job.number}/cash/")
    again = client.post(f"{BASE}/jobs/{job.number}/cash/", follow=True)
    assert again.status_code == 200
    assert JobReceipt.objects.filter(job=job).count() == 1
    job.refresh_from_db()
    assert job.amount_paid == Decimal("60.00") and job.status == Status.MATCHING


def test_cash_with_nothing_due_says_so(client, operator, quote_job):
    response = client.post(f"{BASE}/jobs/{quote_job.number}/cash/", follow=True)
    assert "Nothing is due" in response.content.decode()


def test_A2_the_operator_records_a_callers_acceptance_only_for_a_phone_filed_job(client, operator):
    service = make_service(pricing_model="fixed", base_price="40")
    caller = make_customer(phone="+989121117788")
    by_phone = services.job_request(
        customer=caller, service=service, area=service.areas.first(), address="Tehran", slot="morning",
        preferred_date=future_date(service), filed_by=operator,
    )
    online = make_job(make_customer(), service, status=Status.QUOTED, slot="evening")
    assert "data-accept-for-caller" in client.get(f"{BASE}/jobs/{by_phone.number}/").content.decode()
    assert "data-accept-for-caller" not in client.get(f"{BASE}/jobs/{online.number}/").content.decode()
    client.post(f"{BASE}/jobs/{by_phone.number}/accept-for-caller/")
    by_phone.refresh_from_db()
    assert by_phone.price_total == Decimal("40.00") and by_phone.status != Status.QUOTED
    refused = client.post(f"{BASE}/jobs/{online.number}/accept-for-caller/", follow=True)
    assert "only the customer can accept" in refused.content.decode()
    online.refresh_from_db()
    assert online.status == Status.QUOTED


def test_S8_cash_paid_then_cancelled_is_handed_back_and_recorded_once(client, operator):
    service = make_service(pricing_model="fixed", base_price="60", payment_rule="upfront")
    job = make_job(make_customer(), service, status=Status.MATCHING)  # paid 60 in cash, nobody free
    client.post(f"{BASE}/jobs/{job.number}/cancel/", {"cancel-reason": "Caller changed plans",
                                                      "cancel-expected_fee": "0"})
    job.refresh_from_db()
    assert job.status == Status.CANCELLED and job.cash_refund_due == Decimal("60.00")
    assert "data-cash-refund" in client.get(f"{BASE}/jobs/{job.number}/").content.decode()
    client.post(f"{BASE}/jobs/{job.number}/cash-refund/")
    client.post(f"{BASE}/jobs/{job.number}/cash-refund/")
    job.refresh_from_db()
    assert job.cash_refund_due == Decimal("0.00") and job.amount_refunded == Decimal("60.00")
    assert job.charges.filter(kind="refund").count() == 1


def test_S8_staff_cancel_for_a_caller_with_the_fee_shown(client, operator):
    service = make_service(pricing_model="fixed", base_price="80", handling_fee="10")
    make_provider_for(service)
    job = make_job(make_customer(), service, status=Status.ASSIGNED)
    page = client.get(f"{BASE}/jobs/{job.number}/").content.decode()
    assert "Handling fee" in page and "10.00" in page
    client.post(f"{BASE}/jobs/{job.number}/cancel/", {"cancel-reason": "Caller phoned", "cancel-expected_fee": "10.00"})
    job.refresh_from_db()
    assert job.status == Status.CANCELLED and job.cancelled_by == Job.CancelledBy.STAFF


# ------------------------------------------------------------------ warranty (S11)
@pytest.fixture
def claim():
    service = make_service(pricing_model="fixed", base_price="100")
    make_provider_for(service, rating="5")
    make_provider_for(service, rating="4")  # someone else can redo it
    customer = make_customer()
    job = make_job(customer, service, status=Status.COMPLETED, pay_balance=True)
    return services.warranty_report(job=job, customer=customer, reason="Leaking again")


def test_S11_staff_confirm_a_claim_a_free_redo_is_created_and_the_provider_fined_7_percent(client, operator, claim):
    listing = client.get(f"{BASE}/warranty/").content.decode()
    assert f'data-claim="{claim.pk}"' in listing
    response = client.post(f"{BASE}/warranty/{claim.pk}/confirm/", follow=True)
    claim.refresh_from_db()
    assert claim.status == WarrantyClaim.Status.CONFIRMED and claim.fine_amount == Decimal("7.00")
    assert claim.redo_job.redo_of == claim.job and claim.redo_job.price_total == Decimal("0.00")
    assert claim.redo_job.number in response.content.decode()
    client.post(f"{BASE}/warranty/{claim.pk}/confirm/")  # twice: one fine
    assert ProviderSanction.objects.filter(warranty_claim=claim, kind="fine").count() == 1


def test_S11_staff_reject_a_claim_with_a_reason(client, operator, claim):
    assert client.post(f"{BASE}/warranty/{claim.pk}/reject/", {"note": ""}).status_code == 302
    claim.refresh_from_db()
    assert claim.status == WarrantyClaim.Status.REPORTED
    client.post(f"{BASE}/warranty/{claim.pk}/reject/", {"note": "The leak is in the neighbour's pipe"})
    claim.refresh_from_db()
    assert claim.status == WarrantyClaim.Status.REJECTED
    confirm = client.post(f"{BASE}/warranty/{claim.pk}/confirm/", follow=True)
    assert "already" in confirm.content.decode()


# ------------------------------------------------------------------ complaints (S10)
@pytest.fixture
def complaint():
    service = make_service(pricing_model="fixed")
    make_provider_for(service)
    customer = make_customer()
    job = make_job(customer, service, status=Status.COMPLETED, pay_balance=True)
    return services.complaint_file(customer=customer, job=job, text="Rude on the phone")


@pytest.mark.parametrize("action", ["none", "warning", "suspension"])
def test_S10_staff_close_a_complaint_with_no_action_a_warning_or_a_suspension(client, operator, complaint, action):
    assert f'data-complaint="{complaint.pk}"' in client.get(f"{BASE}/complaints/").content.decode()
    client.post(f"{BASE}/complaints/{complaint.pk}/", {"action": action, "note": "Checked"})
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.CLOSED and complaint.action == action
    provider = Provider.objects.get(pk=complaint.provider_id)
    assert (provider.status == Provider.Status.SUSPENDED) == (action == "suspension")


def test_S10_a_fine_needs_an_amount_and_lands_on_the_ledger(client, operator, complaint):
    missing = client.post(f"{BASE}/complaints/{complaint.pk}/", {"action": "fine", "note": ""})
    assert missing.status_code == 400 and "Enter the amount of the fine" in missing.content.decode()
    client.post(f"{BASE}/complaints/{complaint.pk}/", {"action": "fine", "amount": "15.00", "note": "Late twice"})
    complaint.refresh_from_db()
    assert complaint.action == "fine"
    account = Account.objects.get(code=complaint.provider.payable_account_code)
    fines = account.legs.filter(transfer__kind="provider_fine")
    assert [leg.amount for leg in fines] == [Decimal("-15.00")]


def test_staff_reinstate_a_suspended_provider(client, operator):
    provider = make_provider_for(make_service(), status=Provider.Status.SUSPENDED, display_name="Suspended one")
    html = client.get(f"{BASE}/providers/").content.decode()
    assert f'data-provider="{provider.pk}"' in html and "Reinstate" in html
    client.post(f"{BASE}/providers/{provider.pk}/reinstate/")
    provider.refresh_from_db()
    assert provider.status == Provider.Status.ACTIVE


# ------------------------------------------------------------------ operator intake (A2, A6)
def test_A2_the_operator_finds_a_caller_by_mobile_number_or_subscription_code(client, operator):
    caller = make_customer(phone="+989121112233", first_name="Caller")
    code = profile_for(caller).subscription_code
    for query in ("0912 111 2233", "۰۹۱۲۱۱۱۲۲۳۳", code.lower()):
        html = client.get(f"{BASE}/intake/", {"query": query}).content.decode()
        assert f'data-found="{caller.pk}"' in html, query
    unknown = client.get(f"{BASE}/intake/", {"query": "09129998877"}).content.decode()
    assert "data-not-found" in unknown and 'value="09129998877"' in unknown


def test_A2_the_operator_registers_a_new_caller_and_files_a_request_for_them(client, operator):
    bad = client.post(f"{BASE}/intake/", {"phone": "12", "name": "New Caller"})
    assert bad.status_code == 400 and 'data-field-error="phone"' in bad.content.decode()
    created = client.post(f"{BASE}/intake/", {"phone": "09127776655", "name": "New Caller"})
    assert created.status_code == 302
    caller = profile_for_phone("+989127776655")
    assert created["Location"] == f"{BASE}/intake/{caller.pk}/"
    assert profile_for(caller).tier == "one_off"

    service = make_service(pricing_model="quote", base_price="0")
    page = client.get(f"{BASE}/intake/{caller.pk}/", {"service": service.pk})
    assert page.status_code == 200 and "data-intake-form" in page.content.decode()
    filed = client.post(f"{BASE}/intake/{caller.pk}/?service={service.pk}", {
        "area": service.areas.first().pk, "address": "Karaj, Golshahr 3", "preferred_date":
        future_date(service).isoformat(), "slot": "afternoon", "quantity": "1", "description": "By phone",
    })
    job = Job.objects.get(customer=caller)
    assert filed.status_code == 302 and filed["Location"] == f"{BASE}/jobs/{job.number}/"
    assert job.filed_by == operator
    assert "Filed by phone" in client.get(filed["Location"]).content.decode()


def test_A2_an_intake_request_too_early_shows_the_earliest_date(client, operator):
    caller = make_customer(phone="+989121115544")
    service = make_service(min_lead_days=3)
    response = client.post(f"{BASE}/intake/{caller.pk}/?service={service.pk}", {
        "area": service.areas.first().pk, "address": "Tehran", "preferred_date": future_date(service, extra_days=-2)
        .isoformat(), "slot": "morning", "quantity": "1",
    })
    assert response.status_code == 400 and "the earliest date you can choose is" in response.content.decode()
    assert not Job.objects.filter(customer=caller).exists()


def profile_for_phone(phone: str):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(profile__phone=phone)


# ------------------------------------------------------------------ both languages
@pytest.mark.parametrize("language", ["fa", "en"])
def test_every_staff_page_renders_in_both_languages(client, operator, claim, complaint, language):
    base = f"/{language}/dashboard/services"
    job = claim.job
    for path in ("/", f"/jobs/{job.number}/", "/warranty/", "/warranty/?status=all", "/complaints/",
                 f"/complaints/{complaint.pk}/", "/providers/", "/intake/", f"/intake/{job.customer_id}/"):
        response = client.get(base + path)
        assert response.status_code == 200, path
        assert (('dir="rtl"' in response.content.decode()) == (language == "fa")), path
