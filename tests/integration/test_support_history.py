"""T4: the history panel lists the customer's service warranty claims beside the product
ones, newest first, and shows Oscar's order statuses in the reader's language."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone, translation
from oscar.test.factories import create_order

from services_catalog.models import Job, WarrantyClaim
from support import selectors
from support.models import Channel
from support.services import ticket_file
from tests.factories_services import make_job, make_service
from tests.helpers.roles import make_role_user

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]


def test_the_history_has_service_claims_and_translated_order_statuses_newest_first(client):
    customer = make_role_user("customer")
    job = make_job(customer, make_service(), status=Job.Status.QUOTED)
    claim = WarrantyClaim.objects.create(job=job, reason="The tap still drips.")
    order = create_order(user=customer)
    type(order).objects.filter(pk=order.pk).update(status="Being processed",
                                                   date_placed=timezone.now() - datetime.timedelta(days=3))
    ticket = ticket_file(customer=customer, channel=Channel.FORM, subject="Tap", body="Drips again.")
    with translation.override("fa"):
        items = selectors.customer_history(customer, exclude_ticket=ticket)["items"]
        kinds = [item.kind for item in items]
        assert "service_claim" in kinds and "order" in kinds
        assert [item.when for item in items] == sorted((item.when for item in items), reverse=True)
        claim_row = items[kinds.index("service_claim")]
        assert claim_row.reference == job.number and claim_row.when == claim.created
        assert str(items[kinds.index("order")].status) == "در حال پردازش"
    client.force_login(make_role_user("agent"))
    page = client.get(f"/fa/dashboard/support/tickets/{ticket.number}/").content.decode()
    assert 'data-history-kind="service_claim"' in page and "در حال پردازش" in page
    assert "Being processed" not in page
