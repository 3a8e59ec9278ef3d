"""Issue 15 points 13 and 9, found by the crawl as the support agent and the operator: a link
shown to a role opens for it (no 403), and staff pages read in Persian."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from oscar.core.loading import get_model

from support.models.tickets import Channel, Ticket, TicketMessage

pytestmark = pytest.mark.django_db


def _as(client, username: str):
    client.force_login(get_user_model().objects.get(username=username))
    return client


def _ticket_with_a_job_in_its_history() -> Ticket:
    from services_catalog.models import Job

    customers = Job.objects.values_list("customer", flat=True)
    ticket = Ticket.objects.filter(customer__in=customers).first()
    assert ticket is not None, "the demo has a ticket from a customer with a service job"
    return ticket


def test_the_agent_sees_the_customers_jobs_without_a_link_to_a_page_it_cannot_open(client):
    ticket = _ticket_with_a_job_in_its_history()
    page = _as(client, "agent").get(f"/fa/dashboard/support/tickets/{ticket.number}/").content.decode()
    job_links = re.findall(r'href="(/fa/dashboard/services/jobs/[^"]+)"', page)
    assert 'data-history-kind="job"' in page and job_links == []
    assert all(client.get(href).status_code == 200 for href in re.findall(r'href="(/fa/dashboard/[^"]+)"', page))


def test_staff_who_work_the_job_queue_keep_the_link(client):
    ticket = _ticket_with_a_job_in_its_history()
    page = _as(client, "admin").get(f"/fa/dashboard/support/tickets/{ticket.number}/").content.decode()
    assert re.search(r'href="/fa/dashboard/services/jobs/J-[^"]+"', page)


def test_a_calls_length_reads_in_persian(client):
    ticket = _ticket_with_a_job_in_its_history()
    TicketMessage.objects.create(ticket=ticket, kind=TicketMessage.Kind.CALL, via=Channel.PHONE, body="تماس",
                                 call_seconds=30, created=timezone.now())
    page = _as(client, "agent").get(f"/fa/dashboard/support/tickets/{ticket.number}/").content.decode()
    assert "۳۰ ثانیه" in page and "۳۰ s" not in page


def test_the_operators_order_page_links_neither_product_nor_vendor_pages_it_cannot_open(client):
    order = get_model("order", "Order").objects.filter(lines__partner__isnull=False).first()
    page = _as(client, "operator").get(f"/fa/dashboard/orders/{order.number}/").content.decode()
    assert "/fa/dashboard/catalogue/products/" not in page and "/fa/dashboard/partners/" not in page
    admin_page = _as(client, "admin").get(f"/fa/dashboard/orders/{order.number}/").content.decode()
    assert "/fa/dashboard/catalogue/products/" in admin_page and "/fa/dashboard/partners/" in admin_page


def test_staff_acting_for_a_vendor_get_no_link_to_the_sellers_own_dashboard(client):
    from vendors.models import Shipment

    shipment = Shipment.objects.first()
    page = _as(client, "operator").get(f"/fa/dashboard/seller/vendors/shipments/{shipment.pk}/").content.decode()
    assert 'href="/fa/dashboard/seller/"' not in page
    assert client.get(f"/fa/dashboard/seller/vendors/shipments/{shipment.pk}/").status_code == 200


def test_oscars_shipping_address_heading_is_persian_with_the_order_number_intact(client):
    order = get_model("order", "Order").objects.first()
    page = _as(client, "admin").get(f"/fa/dashboard/orders/{order.number}/shipping-address/").content.decode()
    assert f'ویرایش نشانی تحویل سفارش <bdi dir="ltr">{order.number}</bdi>' in page
    assert "Edit shipping address for order" not in page
