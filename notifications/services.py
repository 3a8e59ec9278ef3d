"""The one place every domain event becomes an email and an SMS.

`notify()` renders the event's templates in the recipient's language, stores one
`Message` per channel inside the caller's transaction, and hands each to a Celery task
once that transaction commits: a rolled-back request sends nothing, and the provider is
never called while the caller's rows are locked. A delivery that fails is logged and
marked failed; it never raises into the request that caused it.

Templates live in any app's `templates/notifications/<event>/`:
`subject.txt` + `body.txt` (the email; no body, no email) and `sms.txt` (no file, no SMS).
An event with no templates at all, or a body without a subject, is a programming error
and raises `ImproperlyConfigured` at once, so a test of the event finds it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage
from django.core.mail.message import make_msgid
from django.core.mail.utils import DNS_NAME
from django.db import transaction
from django.template import Context, Engine, TemplateDoesNotExist
from django.utils import timezone, translation

from notifications.models import Message
from notifications.selectors import messages_for
from notifications.sms import get_sms_backend

__all__ = ["notify", "messages_for", "message_deliver", "messages_deliver_queued"]

logger = logging.getLogger(__name__)

TEMPLATE_DIR = "notifications"
_ERROR_LIMIT = 2000


@dataclass(frozen=True)
class RenderedEvent:
    subject: str
    body: str | None
    sms: str | None


def notify(
    *,
    event: str,
    recipient=None,
    email: str | None = None,
    phone: str | None = None,
    context: dict | None = None,
    language: str | None = None,
) -> None:
    """Store and queue the email and SMS of `event` for whoever has an address.

    The email goes to `email` or else the recipient's email; the SMS to `phone` or else
    the recipient's profile phone. Language: `language`, else the recipient's preferred
    language, else the site default.
    """
    language = _language_for(recipient, language)
    email_to = (email or getattr(recipient, "email", "") or "").strip()
    phone_to, phone_error = _phone_for(recipient, phone)
    rendered = render_event(event=event, context=context or {}, language=language, recipient=recipient)
    owner = recipient if getattr(recipient, "pk", None) else None

    rows: list[Message] = []
    with transaction.atomic():
        if email_to and rendered.body is not None:
            rows.append(
                Message.objects.create(
                    event=event, channel=Message.Channel.EMAIL, to=email_to, subject=rendered.subject,
                    body=rendered.body, language=language, recipient=owner,
                )
            )
        if phone_to and rendered.sms is not None:
            if phone_error:
                # The caller handed us a number no provider can deliver to: keep the
                # message, visibly failed, rather than lose it or break the request.
                Message.objects.create(
                    event=event, channel=Message.Channel.SMS, to=phone_to[:254], body=rendered.sms,
                    language=language, recipient=owner, status=Message.Status.FAILED, error=phone_error,
                )
                logger.warning("SMS for %s not sent: invalid number %r (%s)", event, phone_to, phone_error)
            else:
                rows.append(
                    Message.objects.create(
                        event=event, channel=Message.Channel.SMS, to=phone_to, body=rendered.sms,
                        language=language, recipient=owner,
                    )
                )
        for row in rows:
            transaction.on_commit(partial(_enqueue, row.pk))
    if not rows and not phone_error:
        logger.info("Event %s: no email address or phone number to notify", event)


def render_event(*, event: str, context: dict[str, Any], language: str, recipient=None) -> RenderedEvent:
    """The subject, email body and SMS text of `event` in `language` (None: channel unused)."""
    data = {
        "recipient": recipient,
        "site_url": settings.SITE_URL,
        "language": language,
        **context,
    }
    with translation.override(language):
        subject = _render_optional(event, "subject.txt", data)
        body = _render_optional(event, "body.txt", data)
        sms = _render_optional(event, "sms.txt", data)
    if body is None and sms is None:
        raise ImproperlyConfigured(
            f"Notification event {event!r} has no templates: add {TEMPLATE_DIR}/{event}/body.txt "
            f"(with subject.txt) and/or {TEMPLATE_DIR}/{event}/sms.txt to the templates of the app that owns it."
        )
    if body is not None and not subject:
        raise ImproperlyConfigured(f"Notification event {event!r} has an email body but no subject.txt.")
    # Mail headers are one line; a template's line breaks must not leak into them.
    return RenderedEvent(subject=" ".join((subject or "").split())[:255], body=body, sms=sms)


def _render_optional(event: str, name: str, data: dict[str, Any]) -> str | None:
    try:
        template = Engine.get_default().get_template(f"{TEMPLATE_DIR}/{event}/{name}")
    except TemplateDoesNotExist:
        return None
    # Plain text: "&" must stay "&", not become "&amp;".
    return template.render(Context(data, autoescape=False)).strip()


def _language_for(recipient, language: str | None) -> str:
    profile = getattr(recipient, "profile", None) if recipient is not None else None
    for candidate in (language, getattr(profile, "preferred_language", None)):
        if candidate:
            try:
                return translation.get_supported_language_variant(candidate)
            except LookupError:
                logger.warning("Unsupported notification language %r; using the next choice", candidate)
    return settings.LANGUAGE_CODE


def _phone_for(recipient, phone: str | None) -> tuple[str, str]:
    """(number, error): the number to text, normalised, and why it cannot be used, if so."""
    if phone:
        # customers owns phone numbers; imported here because customers also calls notify().
        from customers.errors import InvalidPhone
        from customers.services import phone_normalise

        try:
            return phone_normalise(phone), ""
        except InvalidPhone as exc:
            return phone.strip(), str(exc.message)
    profile = getattr(recipient, "profile", None) if recipient is not None else None
    return (getattr(profile, "phone", None) or ""), ""


def _enqueue(message_id: int) -> None:
    from notifications.tasks import deliver_message

    try:
        deliver_message.delay(message_id)
    except Exception:
        # Broker unreachable (or, inline, an unexpected error): the message stays queued
        # for `manage.py send_queued_notifications`; the request that caused it goes on.
        logger.exception("Could not queue notification message %s; it stays queued", message_id)


def message_deliver(*, message_id: int) -> str:
    """Send one stored message through its channel; returns its resulting status.

    Only a queued message is sent, and it is claimed (queued -> sending) by one atomic
    update first, so a task that runs twice sends once.
    """
    claimed = Message.objects.filter(pk=message_id, status=Message.Status.QUEUED).update(
        status=Message.Status.SENDING
    )
    if not claimed:
        current = Message.objects.filter(pk=message_id).values_list("status", flat=True).first()
        return current or "missing"
    message = Message.objects.get(pk=message_id)
    try:
        provider_id = _send(message)
    except Exception as exc:
        logger.exception("Sending %s message %s (%s) to %s failed", message.channel, message.pk, message.event,
                         message.to)
        # The provider is down (SMTP, SMS): queued again for the periodic resend, until
        # the attempts run out.
        attempts = message.attempts + 1
        status = Message.Status.QUEUED if attempts < max_attempts() else Message.Status.FAILED
        Message.objects.filter(pk=message.pk).update(
            status=status, attempts=attempts, error=f"{type(exc).__name__}: {exc}"[:_ERROR_LIMIT]
        )
        return status
    Message.objects.filter(pk=message.pk).update(
        status=Message.Status.SENT, sent_at=timezone.now(), provider_id=provider_id[:255], error=""
    )
    return Message.Status.SENT


def max_attempts() -> int:
    return int(getattr(settings, "CHAARSOO_NOTIFY_MAX_ATTEMPTS", 12))


def _send(message: Message) -> str:
    if message.channel == Message.Channel.EMAIL:
        message_id = make_msgid(domain=DNS_NAME)
        EmailMessage(
            subject=message.subject,
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.to],
            headers={"Message-ID": message_id},
        ).send(fail_silently=False)
        return message_id
    return get_sms_backend().send(to=message.to, body=message.body)


def messages_deliver_queued(*, older_than_seconds: int = 300, limit: int = 500) -> int:
    """Queue again the messages still waiting after `older_than_seconds` (broker was down)."""
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    ids = list(
        Message.objects.filter(status=Message.Status.QUEUED, created__lte=cutoff)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    for message_id in ids:
        _enqueue(message_id)
    return len(ids)
