"""Inbound email (T1): each message becomes a ticket or threads into one, never both.

Threading, in order: the In-Reply-To/References ids against the ids we stored (the mail
that opened a ticket, every reply we sent); then the reply token in the address we gave
(support+<token>@…, plus-addressing); then the ticket's reference in the subject
([#T-XXXXXXX]) when the sender is that ticket's own address. Auto-replies (Auto-Submitted,
X-Autoreply, Precedence bulk/junk/list/auto_reply, out-of-office subjects) and bounces
(DSN reports, MAILER-DAEMON/postmaster senders) are recognised: never answered, never a
new ticket, and they never reopen one. A Message-ID already stored is skipped, so
fetching the same mail twice changes nothing.
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import imaplib
import logging
import re
from dataclasses import dataclass, field
from email.message import EmailMessage as ParsedMessage
from email.utils import getaddresses, parseaddr

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from support.conf import imap_settings, support_address
from support.machine import TICKET
from support.models import Channel, Ticket, TicketMessage
from support.services import mail_out
from support.services.tickets import customer_reply, ticket_file
from support.uploads import validate_attachment

logger = logging.getLogger(__name__)
REFERENCE = re.compile(r"\[#(T-[A-Z0-9]{7})\]")
ID = re.compile(r"<[^<>\s]+>")
AUTO_SUBJECT = re.compile(r"^(auto(matic)?[ -]?reply|out of (the )?office|autoreply|vacation|"
                          r"undeliver|delivery status notification|mail delivery failed|returned mail)", re.I)


@dataclass
class Inbound:
    message_id: str
    sender: str
    sender_name: str
    recipients: list[str]
    subject: str
    body: str
    references: list[str]
    automatic: str  # "" for a person; else "auto-reply" or "bounce"
    files: list = field(default_factory=list)  # attachments that passed the content check


def parse(raw: bytes) -> Inbound:
    msg: ParsedMessage = email.message_from_bytes(raw, policy=email.policy.default)
    name, sender = parseaddr(str(msg.get("From", "")))
    recipients = [address.lower() for _n, address in getaddresses(
        [str(value) for header in ("To", "Cc", "Delivered-To", "X-Original-To") for value in msg.get_all(header, [])])]
    references = ID.findall(str(msg.get("In-Reply-To", ""))) + ID.findall(str(msg.get("References", "")))
    return Inbound(
        message_id=str(msg.get("Message-ID", "")).strip()[:255], sender=sender.lower(), sender_name=name,
        recipients=recipients, subject=" ".join(str(msg.get("Subject", "")).split())[:200],
        body=_body(msg), references=references, automatic=classify(msg, sender), files=_attachments(msg),
    )


def _attachments(msg, limit: int = 5) -> list[ContentFile]:
    """Photos and PDFs attached to the mail, judged by content (others are left out)."""
    files = []
    for part in msg.iter_attachments():
        data = part.get_payload(decode=True) or b""
        upload = ContentFile(data, name=(part.get_filename() or "attachment")[-100:])
        try:
            validate_attachment(upload)
        except ValidationError:
            continue
        files.append(upload)
        if len(files) >= limit:
            break
    return files


def classify(msg, sender: str) -> str:
    """"bounce", "auto-reply", or "" for a message a person wrote."""
    local = sender.partition("@")[0].lower()
    content_type = msg.get_content_type()
    if (local in ("mailer-daemon", "postmaster") or content_type == "multipart/report"
            or str(msg.get("Return-Path", "")).strip() == "<>"):
        return "bounce"
    auto_submitted = str(msg.get("Auto-Submitted", "no")).strip().lower()
    precedence = str(msg.get("Precedence", "")).strip().lower()
    if (auto_submitted not in ("", "no") or msg.get("X-Autoreply") or msg.get("X-Autorespond")
            or precedence in ("bulk", "junk", "list", "auto_reply")
            or str(msg.get("X-Auto-Response-Suppress", "")).lower() in ("all", "oof")
            or AUTO_SUBJECT.match(str(msg.get("Subject", "")).strip())):
        return "auto-reply"
    return ""


def _body(msg) -> str:
    part = msg.get_body(preferencelist=("plain", "html")) if msg.is_multipart() else msg
    if part is None:
        return ""
    try:
        text = part.get_content()
    except (LookupError, KeyError):
        text = part.get_payload(decode=True).decode("utf-8", "replace")
    if part.get_content_type() == "text/html":
        text = strip_tags(text)
    return strip_quoted(text)


def strip_quoted(text: str) -> str:
    """What the person wrote, without the quoted thread and our footer below it."""
    kept = []
    for line in text.replace("\r\n", "\n").split("\n"):
        stripped = line.strip()
        if stripped == "--" or re.match(r"^On .+ wrote:$", stripped) or re.match(r"^.+ نوشت:$", stripped):
            break
        if stripped.startswith(">"):
            continue
        kept.append(line)
    return "\n".join(kept).strip()


def find_ticket(inbound: Inbound) -> Ticket | None:
    """The ticket this mail answers, by the rules in the module docstring."""
    if inbound.references:
        ticket = Ticket.objects.filter(email_message_id__in=inbound.references).first()
        if ticket is None:
            found = (TicketMessage.objects.filter(email_message_id__in=inbound.references)
                     .select_related("ticket").first())
            ticket = found.ticket if found else None
        if ticket is not None:
            return ticket
    local, _at, domain = support_address().lower().partition("@")
    for address in inbound.recipients:
        match = re.fullmatch(rf"{re.escape(local)}\+([0-9a-f]+)@{re.escape(domain)}", address)
        if match:
            ticket = Ticket.objects.filter(reply_token=match.group(1)).first()
            if ticket is not None:
                return ticket
    match = REFERENCE.search(inbound.subject)
    if match:
        ticket = Ticket.objects.filter(number=match.group(1)).select_related("customer").first()
        if ticket is not None and inbound.sender in (mail_out.recipient_for(ticket).lower(),):
            return ticket
    return None


def receive(raw: bytes) -> str:
    """File one raw message; answers what it did: new, threaded, duplicate, ignored."""
    inbound = parse(raw)
    if inbound.message_id and (Ticket.objects.filter(email_message_id=inbound.message_id).exists()
                               or TicketMessage.objects.filter(email_message_id=inbound.message_id).exists()):
        return "duplicate"
    if inbound.sender == support_address().lower():
        return "ignored"  # our own mail coming back: never a loop
    ticket = find_ticket(inbound)
    if inbound.automatic:
        if ticket is not None:
            TICKET.log(ticket, "mail_ignored", note=f"{inbound.automatic}: {inbound.subject}"[:200])
        return "ignored"
    with transaction.atomic():
        if ticket is not None:
            customer_reply(ticket=ticket, body=inbound.body or inbound.subject, via=Channel.EMAIL,
                           email_message_id=inbound.message_id, files=inbound.files)
            return "threaded"
        customer = (get_user_model().objects.filter(email__iexact=inbound.sender, is_active=True).first()
                    if inbound.sender else None)
        ticket = ticket_file(
            customer=customer, channel=Channel.EMAIL, subject=inbound.subject, body=inbound.body,
            contact_email=inbound.sender, contact_name=inbound.sender_name[:120],
            email_message_id=inbound.message_id, files=inbound.files,
        )
        if inbound.sender:
            transaction.on_commit(lambda: _acknowledge(ticket, inbound))
    return "new"


def _acknowledge(ticket: Ticket, inbound: Inbound) -> None:
    message_id = mail_out.send_acknowledgement(ticket=ticket, to=inbound.sender, in_reply_to=inbound.message_id)
    # Store the acknowledgement's id too: a reply to it threads into this ticket.
    TicketMessage.objects.create(ticket=ticket, kind=TicketMessage.Kind.NOTE, via=Channel.EMAIL,
                                 body=str(_("An automatic acknowledgement was sent by email.")),
                                 email_message_id=message_id, created=ticket.created)


def fetch(*, limit: int = 100) -> dict[str, int]:
    """Fetch unseen mail from the support mailbox (settings.SUPPORT_IMAP) and file it.

    A message is marked \\Seen only after it was filed, so a crash retries it (and the
    Message-ID check makes the retry harmless)."""
    config = imap_settings()
    counts: dict[str, int] = {}
    if not config.get("host"):
        return counts
    client_class = imaplib.IMAP4_SSL if config.get("ssl") else imaplib.IMAP4
    client = client_class(config["host"], int(config.get("port", 993 if config.get("ssl") else 143)))
    try:
        client.login(config["user"], config["password"])
        status, detail = client.select(config.get("mailbox", "INBOX"))
        if status != "OK":
            raise imaplib.IMAP4.error(f"cannot open the support mailbox: {detail!r}")
        _status, data = client.uid("SEARCH", None, "UNSEEN")
        for uid in (data[0] or b"").split()[:limit]:
            _status, parts = client.uid("FETCH", uid, "(BODY.PEEK[])")
            raw = next((part[1] for part in parts if isinstance(part, tuple)), None)
            if raw is None:
                continue
            try:
                outcome = receive(raw)
            except Exception:  # one bad message must not block the mailbox
                logger.exception("Support mail %s could not be filed", uid)
                counts["failed"] = counts.get("failed", 0) + 1
                continue
            counts[outcome] = counts.get(outcome, 0) + 1
            client.uid("STORE", uid, "+FLAGS", "(\\Seen)")
    finally:
        # A connection that drops at logout changes nothing already filed and marked \\Seen.
        with contextlib.suppress(OSError, imaplib.IMAP4.error):
            client.logout()
    return counts
