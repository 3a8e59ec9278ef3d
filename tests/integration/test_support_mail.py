"""T1 by email, against a real IMAP server (Dovecot, tests/helpers/dovecot.py): a mail
becomes a ticket, the agent's reply goes out threaded, the customer's answer threads back
into the same ticket; auto-replies and bounces never open a ticket nor get an answer."""

from __future__ import annotations

import imaplib
import io
import shutil
import tempfile
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from PIL import Image

from support.models import Channel, Ticket, TicketMessage
from support.services import agent_reply
from tests.helpers.dovecot import start_dovecot, stop_dovecot
from tests.helpers.roles import make_role_user

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]
SUPPORT = "support@chaarsoo.example"


@pytest.fixture
def imap(settings):
    # Not pytest's tmp_path: it sits under a 0700 folder that Dovecot's mail user cannot enter.
    root = Path(tempfile.mkdtemp(prefix="chaarsoo-dovecot-"))
    server, process = start_dovecot(root)
    settings.SUPPORT_EMAIL = SUPPORT
    settings.SUPPORT_IMAP = server.settings("support")
    yield server
    stop_dovecot(process)
    shutil.rmtree(root, ignore_errors=True)


def deliver(server, message: EmailMessage) -> None:
    """Put a message into the support mailbox as the mail server would."""
    client = imaplib.IMAP4(server.host, server.port)
    client.login("support", server.password)
    client.append("INBOX", None, None, message.as_bytes())
    client.logout()


def customer_mail(subject: str, body: str, **headers) -> EmailMessage:
    message = EmailMessage()
    message["From"] = "Sara <sara@example.com>"
    message["To"] = headers.pop("To", SUPPORT)
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="example.com")
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return message


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 120, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


def fetch() -> None:
    call_command("fetch_support_mail", stdout=open("/dev/null", "w"))


def test_round_trip_new_ticket_agent_reply_and_customer_reply_thread_in(imap, django_capture_on_commit_callbacks):
    first = customer_mail("My fridge arrived broken", "The door is cracked.")
    first.add_attachment(png_bytes(), maintype="image", subtype="png", filename="door.png")
    first.add_attachment(b"MZ\x90\x00 a program", maintype="application", subtype="octet-stream",
                         filename="invoice.png")  # not a picture whatever its name says: left out
    deliver(imap, first)
    with django_capture_on_commit_callbacks(execute=True):
        fetch()
    ticket = Ticket.objects.get(contact_email="sara@example.com")
    assert ticket.channel == Channel.EMAIL
    opening = ticket.messages.filter(kind="customer").first()
    assert opening.body == "The door is cracked."
    assert [attachment.name for attachment in opening.attachments.all()] == ["door.png"]
    # The acknowledgement is an auto-reply (RFC 3834) so no robot answers it.
    ack = mail.outbox[-1]
    assert ack.extra_headers["Auto-Submitted"] == "auto-replied"
    fetch()  # the same mailbox again: nothing new (already \\Seen, and the Message-ID is known)
    assert Ticket.objects.filter(contact_email="sara@example.com").count() == 1

    agent = make_role_user("agent")
    with django_capture_on_commit_callbacks(execute=True):
        agent_reply(ticket=ticket, agent=agent, body="Sorry! A new one is on its way.")
    sent = mail.outbox[-1]
    assert sent.to == ["sara@example.com"]
    assert f"[#{ticket.number}]" in sent.subject
    assert sent.extra_headers["In-Reply-To"] and first["Message-ID"] in sent.extra_headers["References"]
    assert sent.extra_headers["Reply-To"] == f"support+{ticket.reply_token}@chaarsoo.example"

    # The customer answers from their mail program: In-Reply-To our reply's Message-ID.
    answer = customer_mail(f"Re: {sent.subject}", "Thanks, when?\n\nOn Monday Chaarsoo wrote:\n> Sorry!",
                           In_Reply_To=sent.extra_headers["Message-ID"],
                           References=sent.extra_headers["References"] + " " + sent.extra_headers["Message-ID"])
    deliver(imap, answer)
    fetch()
    assert Ticket.objects.filter(contact_email="sara@example.com").count() == 1
    last = ticket.messages.filter(kind="customer").order_by("pk").last()
    assert last.body == "Thanks, when?"


def test_a_reply_without_headers_threads_by_the_address_token_or_the_subject(imap):
    deliver(imap, customer_mail("Payment question", "Charged twice."))
    fetch()
    ticket = Ticket.objects.get(contact_email="sara@example.com")
    deliver(imap, customer_mail("again", "by token", To=f"support+{ticket.reply_token}@chaarsoo.example"))
    deliver(imap, customer_mail(f"Re: [#{ticket.number}] Payment question", "by subject"))
    fetch()
    assert Ticket.objects.filter(contact_email="sara@example.com").count() == 1
    assert list(ticket.messages.filter(kind="customer").order_by("pk").values_list("body", flat=True)) == [
        "Charged twice.", "by token", "by subject"]


def test_auto_replies_and_bounces_never_open_a_ticket_nor_get_an_answer(imap, django_capture_on_commit_callbacks):
    deliver(imap, customer_mail("Out of office", "I am away.", Auto_Submitted="auto-replied"))
    deliver(imap, customer_mail("Re: hello", "away", X_Autoreply="yes"))
    deliver(imap, customer_mail("News", "bulk", Precedence="bulk"))
    bounce = customer_mail("Undelivered Mail Returned to Sender", "could not deliver")
    bounce.replace_header("From", "MAILER-DAEMON@mx.example.com")
    deliver(imap, bounce)
    before = TicketMessage.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        fetch()
    assert not Ticket.objects.filter(channel=Channel.EMAIL, contact_email__in=(
        "sara@example.com", "mailer-daemon@mx.example.com")).exists()
    assert mail.outbox == []
    assert TicketMessage.objects.count() == before
