"""Selectors under a fixed query budget, the customer's timeline (S7), notification
templates in both languages and the Persian catalogue of the services app."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications.services import render_event
from services_catalog import selectors, services
from services_catalog.fees import cancellation_quote
from services_catalog.models import Job
from tests.factories_services import make_area, make_customer, make_job, make_provider_for, make_service, make_staff

pytestmark = pytest.mark.django_db
Status = Job.Status
APP_DIR = Path(settings.BASE_DIR) / "services_catalog"


def count_queries(function) -> int:
    """Queries to fetch the services and read what a list page shows of each."""
    with CaptureQueriesContext(connection) as captured:
        for service in function():
            service.category.get_name()
            list(service.areas.all())
            list(service.price_tiers.all())
    return len(captured)


def test_services_list_costs_the_same_queries_for_two_or_twelve_services():
    area = make_area()
    for _ in range(2):
        make_service(areas=[area], pricing_model="per_unit", tiers=[(5, "1.00")])
    few = count_queries(lambda: list(selectors.services_list(area=area)))
    for _ in range(10):
        make_service(areas=[area], pricing_model="per_unit", tiers=[(5, "1.00")])
    many = count_queries(lambda: list(selectors.services_list(area=area)))
    assert few == many == 3
    assert len(selectors.services_list(area=area)) == 12
    assert len(selectors.services_list(area=area.slug)) == 12


def test_services_list_filters_by_category_and_area_and_hides_inactive_services():
    area = make_area()
    shown = make_service(areas=[area])
    make_service(areas=[area], is_active=False)
    make_service(areas=[make_area()], category=shown.category)
    assert list(selectors.services_list(category=shown.category, area=area)) == [shown]
    assert list(selectors.services_list(category=shown.category.slug, area=area.slug)) == [shown]


def test_jobs_for_customer_and_provider_are_one_query_each_and_show_only_their_jobs():
    service = make_service()
    provider = make_provider_for(service)
    customer, other = make_customer(), make_customer()
    for slot in ("morning", "afternoon", "evening"):
        make_job(customer, service, status=Status.ASSIGNED, slot=slot)
    make_job(other, service, status=Status.QUOTED)

    def read_customer():
        return [(job.service.get_name(), job.area.get_name(), job.provider.display_name)
                for job in selectors.jobs_for_customer(customer)]

    def read_provider():
        return [(job.customer.username, job.service.category.get_name())
                for job in selectors.jobs_for_provider(provider)]

    with CaptureQueriesContext(connection) as customer_queries:
        assert len(read_customer()) == 3
    with CaptureQueriesContext(connection) as provider_queries:
        assert len(read_provider()) == 3
    assert len(customer_queries) == len(provider_queries) == 1


def test_S7_the_customer_timeline_shows_their_steps_and_hides_internal_ones():
    service = make_service()
    runner_up = make_provider_for(service, rating="1.00")
    best = make_provider_for(service, rating="5.00")
    customer = make_customer()
    job = make_job(customer, service, status=Status.ASSIGNED)
    services.job_decline(job=job, provider_user=best.user, reason="private reason")
    job.refresh_from_db()
    assert job.provider == runner_up
    with CaptureQueriesContext(connection) as queries:
        timeline = selectors.job_timeline(job)
        [event.actor for event in timeline]
    assert len(queries) == 1
    assert "declined" not in [event.action for event in timeline]
    assert "declined" in [event.action for event in selectors.job_timeline(job, for_customer=False)]
    assert timeline[0].get_to_status_display() and timeline[-1].to_status == Status.ASSIGNED


def test_job_visibility_is_for_the_customer_the_assigned_provider_and_staff_only():
    service = make_service()
    provider = make_provider_for(service)
    customer = make_customer()
    job = make_job(customer, service, status=Status.ASSIGNED)
    assert selectors.job_visible_to(job, customer) and selectors.job_visible_to(job, provider.user)
    assert selectors.job_visible_to(job, make_staff())
    assert not selectors.job_visible_to(job, make_customer())
    assert not selectors.job_visible_to(job, make_provider_for(service).user)


def test_S13_the_provider_calendar_shows_worked_booked_and_free_slots():
    service = make_service()
    provider = make_provider_for(service, slots=[(d, "morning") for d in range(7)])
    job = make_job(make_customer(), service, status=Status.ASSIGNED)
    calendar = selectors.provider_calendar(provider, start=job.preferred_date, days=2)
    first_morning = calendar[0]
    assert (first_morning["slot"], first_morning["job"], first_morning["free"]) == ("morning", job, False)
    assert calendar[1]["available"] is False  # afternoon: not worked
    assert calendar[3]["free"] is True  # next morning
    assert len(calendar) == 6


def test_S17_provider_earnings_read_their_payable_balance():
    service = make_service(base_price="100.00")
    provider = make_provider_for(service, commission_rate="0.15")
    assert selectors.provider_earnings(provider) == Decimal("0")
    make_job(make_customer(), service, status=Status.COMPLETED, pay_balance=True)
    assert selectors.provider_earnings(provider) == Decimal("85.00")
    assert len(selectors.provider_statement(provider)) == 1


# ------------------------------------------------------------------ notifications and translations
EVENTS = sorted(p.name for p in (APP_DIR / "templates" / "notifications").iterdir() if p.is_dir())


@pytest.mark.parametrize("language", ["fa", "en"])
def test_S7_every_services_notification_renders_in_both_languages(language):
    service = make_service(base_price="100.00", required_documents=[("Deed", True)])
    provider = make_provider_for(service, phone="+989121110099")
    customer = make_customer()
    job = make_job(customer, service, status=Status.COMPLETED, pay_balance=True,
                   documents=[{"requirement": service.required_documents.get(), "delivery": "post"}])
    quote = job.quotes.get()
    staff = make_staff()
    claim = services.warranty_report(job=job, customer=customer, reason="Again")
    claim = services.warranty_confirm(claim=claim, staff_user=staff)
    context = {
        "job": job, "provider": provider, "quote": quote, "amount": Decimal("10.00"), "amount_due": Decimal("5.00"),
        "purpose": "Deposit", "reason": "Because", "receipt": job.receipts.first(),
        "cancellation": cancellation_quote(job=Job(status="assigned", price_total=Decimal("100"), handling_fee=1,
                                                   callout_fee=2, currency="EUR"), cancelled_by="customer"),
        "change_order": _change(job),
        "claim": claim, "redo": claim.redo_job, "sanction": _sanction(provider),
    }
    assert len(EVENTS) >= 16
    for event in EVENTS:
        rendered = render_event(event=event, context=context, language=language, recipient=customer)
        assert rendered.subject and rendered.body and rendered.sms, event
        assert "{{" not in rendered.body + rendered.sms and "{%" not in rendered.body, event
        if event.startswith("services_job") or event in ("services_quote_ready", "services_receipt"):
            assert job.number in rendered.body, event


def _change(job):
    from services_catalog.models import ChangeOrder

    return ChangeOrder(job=job, description="Valve", amount=Decimal("9.00"), status="accepted")


def _sanction(provider):
    from services_catalog.models import ProviderSanction

    return ProviderSanction(provider=provider, kind="fine", amount=Decimal("3.00"), reason="Late")


DOMAIN_SOURCES = ("models/", "services/", "machine.py", "conf.py", "fees.py", "payables.py", "apps.py", "errors.py",
                  "selectors.py", "templates/notifications/")


def test_the_domain_strings_of_the_services_app_are_all_in_its_persian_catalogue():
    """Every string of the domain modules and notification templates is translated (the
    project-wide test in tests/unit/test_locale_format.py checks the whole catalogue)."""
    po_path = APP_DIR / "locale" / "fa" / "LC_MESSAGES" / "django.po"
    assert po_path.exists() and po_path.with_suffix(".mo").exists()
    catalogue = polib.pofile(str(po_path))
    domain = [entry for entry in catalogue
              if any(path.removeprefix("services_catalog/").startswith(DOMAIN_SOURCES)
                     for path, _line in entry.occurrences)]
    assert len(domain) > 300
    assert [entry.msgid for entry in domain if not entry.msgstr or entry.fuzzy] == []
    for msgid in ("Finding a provider", "Handling fee", "Request %(number)s received: %(service)s"):
        assert catalogue.find(msgid).msgstr, msgid


def test_dates_in_lead_time_messages_follow_the_language():
    from django.utils import translation

    from services_catalog.errors import LeadTimeTooShort

    service = make_service(min_lead_days=3)
    customer = make_customer()
    with translation.override("en"):
        with pytest.raises(LeadTimeTooShort) as english:
            services.job_request(customer=customer, service=service, area=service.areas.first(), address="x",
                                 preferred_date=datetime.date(2030, 1, 2), slot="morning",
                                 today=datetime.date(2030, 1, 1))
    assert "2030" in str(english.value)
    with translation.override("fa"):
        with pytest.raises(LeadTimeTooShort) as persian:
            services.job_request(customer=customer, service=service, area=service.areas.first(), address="x",
                                 preferred_date=datetime.date(2030, 1, 2), slot="morning",
                                 today=datetime.date(2030, 1, 1))
    assert "۱۴۰۸" in str(persian.value)  # 4 January 2030 is in the Jalali year 1408
