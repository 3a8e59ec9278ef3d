"""The support desk over HTTP (issue 12 points 1, 3, 6, 10, 11): the customer's report
form with help articles first, their tickets, the API; the agent console with the
customer's history, replies, notes, calls and reports."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from support.models import Channel, Ticket, TicketAttachment, TicketMessage
from support.services import agent_reply, ticket_file
from tests.factories_services import make_customer
from tests.helpers.roles import make_role_user

pytestmark = pytest.mark.django_db


def png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 40, 40)).save(buffer, format="PNG")
    return SimpleUploadedFile("kettle.png", buffer.getvalue(), content_type="image/png")


def test_help_articles_match_what_the_customer_types(client):
    found = client.get("/en/support/articles/", {"q": "place an order"}).json()["articles"]
    assert any("order" in article["title"].lower() for article in found)
    assert client.get("/en/support/articles/", {"q": "x"}).json() == {"articles": []}


def test_a_customer_reports_a_problem_with_a_photo_and_sees_it_in_the_profile(client):
    customer = make_customer(email="sara.support@example.com")
    client.force_login(customer)
    page = client.get("/fa/support/report/")
    assert page.status_code == 200 and b"data-help-suggest" in page.content
    response = client.post("/fa/support/report/", {"category": "other", "subject": "کتری نشتی دارد",
                                                   "body": "از ته آب می‌دهد", "attachment": png()})
    ticket = Ticket.objects.get(customer=customer)
    assert response.status_code == 302 and response["Location"].endswith(f"/support/tickets/{ticket.number}/")
    assert ticket.channel == Channel.FORM and TicketAttachment.objects.filter(message__ticket=ticket).count() == 1
    assert ticket.number.encode() in client.get("/fa/support/tickets/").content
    detail = client.get(f"/fa/support/tickets/{ticket.number}/")
    assert "کتری نشتی دارد".encode() in detail.content
    client.post(f"/fa/support/tickets/{ticket.number}/", {"body": "عکس دیگری هم دارم"})
    assert ticket.messages.filter(kind="customer").count() == 2


def test_an_attachment_is_checked_by_its_content_not_its_name(client):
    customer = make_customer()
    client.force_login(customer)
    fake = SimpleUploadedFile("photo.png", b"MZ\x90\x00 not an image", content_type="image/png")
    response = client.post("/en/support/report/", {"category": "other", "subject": "x", "body": "y",
                                                   "attachment": fake})
    assert response.status_code == 400 and not Ticket.objects.filter(customer=customer).exists()


def test_a_customer_never_sees_another_customers_ticket_nor_an_internal_note(client):
    owner = make_customer()
    ticket = ticket_file(customer=owner, channel=Channel.FORM, subject="Mine", body="private")
    agent_reply(ticket=ticket, agent=make_role_user("agent"), body="NOTE-ONLY-FOR-STAFF", internal=True)
    client.force_login(make_customer())
    assert client.get(f"/en/support/tickets/{ticket.number}/").status_code == 404
    client.force_login(owner)
    assert b"NOTE-ONLY-FOR-STAFF" not in client.get(f"/en/support/tickets/{ticket.number}/").content
    api = client.get(f"/api/v1/support/tickets/{ticket.number}/").json()
    assert [message["body"] for message in api["messages"]] == ["private"]


def test_the_api_files_lists_and_answers_tickets_with_code_and_detail_errors(client):
    customer = make_customer()
    client.force_login(customer)
    created = client.post("/api/v1/support/tickets/", {"subject": "Late order", "body": "Where is it?"},
                          content_type="application/json")
    assert created.status_code == 201
    number = created.json()["number"]
    assert [row["number"] for row in client.get("/api/v1/support/tickets/").json()["results"]] == [number] or \
        number in str(client.get("/api/v1/support/tickets/").json())
    reply = client.post(f"/api/v1/support/tickets/{number}/replies/", {"body": "Any news?"},
                        content_type="application/json")
    assert reply.status_code == 201
    bad = client.post(f"/api/v1/support/tickets/{number}/replies/", {"body": ""}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["code"] == "invalid"
    Ticket.objects.filter(number=number).update(status=Ticket.Status.CLOSED)
    closed = client.post(f"/api/v1/support/tickets/{number}/replies/", {"body": "hello?"},
                         content_type="application/json")
    assert closed.status_code == 403 and set(closed.json()) == {"code", "detail", "fields"}
    schema = client.get("/api/schema/").content.decode()
    assert "/api/v1/support/tickets/" in schema


def test_the_agent_console_shows_the_queue_the_history_and_takes_replies_notes_and_calls(client):
    customer = make_customer(phone="+989127770011")
    earlier = ticket_file(customer=customer, channel=Channel.EMAIL, subject="Earlier question", body="old")
    ticket = ticket_file(customer=customer, channel=Channel.FORM, subject="Broken kettle", body="It leaks")
    agent = make_role_user("agent")
    client.force_login(agent)
    queue = client.get("/en/dashboard/support/")
    assert queue.status_code == 200 and ticket.number.encode() in queue.content
    page = client.get(f"/en/dashboard/support/tickets/{ticket.number}/")
    assert b"data-customer-history" in page.content and earlier.number.encode() in page.content
    client.post(f"/en/dashboard/support/tickets/{ticket.number}/reply/", {"body": "checking", "internal": "on"})
    ticket.refresh_from_db()
    assert ticket.first_response_at is None
    client.post(f"/en/dashboard/support/tickets/{ticket.number}/reply/", {"body": "A new one is coming."})
    ticket.refresh_from_db()
    assert ticket.first_response_at is not None
    # A phone call: found by mobile number, logged on a new ticket with notes and length.
    found = client.get("/en/dashboard/support/calls/", {"query": "09127770011"})
    assert found.status_code == 302 and found["Location"].endswith(f"/calls/{customer.pk}/")
    history = client.get(found["Location"])
    assert ticket.number.encode() in history.content
    logged = client.post(found["Location"], {"category": "order", "notes": "Asked about delivery", "minutes": 4,
                                             "subject": "Delivery"})
    call = TicketMessage.objects.get(kind="call", ticket__customer=customer)
    assert logged.status_code == 302 and call.call_seconds == 240 and call.ticket.channel == Channel.PHONE
    assert client.get("/en/dashboard/support/reports/").status_code == 200
    assert client.get("/fa/dashboard/support/reports/").content.count(b"<svg") >= 3


def test_status_steps_from_the_console(client):
    ticket = ticket_file(customer=make_customer(), channel=Channel.FORM, subject="Refund", body="please")
    client.force_login(make_role_user("agent"))
    client.post(f"/en/dashboard/support/tickets/{ticket.number}/status/", {"action": "escalate", "note": "money"})
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.ESCALATED and ticket.team == "senior"
    client.post(f"/en/dashboard/support/tickets/{ticket.number}/status/", {"action": "resolve"})
    assert Ticket.objects.get(pk=ticket.pk).status == Ticket.Status.ESCALATED  # an agent may not
    client.force_login(make_role_user("senior_agent"))
    client.post(f"/en/dashboard/support/tickets/{ticket.number}/status/", {"action": "resolve"})
    assert Ticket.objects.get(pk=ticket.pk).status == Ticket.Status.RESOLVED


def test_an_attachment_is_served_privately_to_its_customer_and_agents_only(client):
    from core.private_files import private_file_url

    owner = make_customer()
    client.force_login(owner)
    client.post("/en/support/report/", {"category": "other", "subject": "Photo", "body": "see", "attachment": png()})
    attachment = TicketAttachment.objects.get(message__ticket__customer=owner)
    url = private_file_url(attachment, "file")
    assert "kettle" not in attachment.file.name  # a random name, never the customer's
    assert client.get(url).status_code == 200
    client.force_login(make_customer())
    assert client.get(url).status_code in (403, 404)
    client.force_login(make_role_user("agent"))
    assert client.get(url).status_code == 200


def test_report_a_problem_is_offered_on_the_customers_order_job_and_claim_pages(customer_client, customer):
    from oscar.core.loading import get_model

    order = get_model("order", "Order").objects.filter(user=customer).first()
    page = customer_client.get(f"/fa/shop/accounts/orders/{order.number}/")
    assert page.status_code == 200 and f"/support/report/?order={order.number}".encode() in page.content
    job = customer.service_jobs.first()
    page = customer_client.get(f"/fa/services/jobs/{job.number}/")
    assert f"/support/report/?job={job.number}".encode() in page.content
    assert b"data-profile-support" in customer_client.get("/fa/account/").content
    linked = customer_client.get(f"/fa/support/report/?order={order.number}")
    assert order.number.encode() in linked.content
