"""Reading what the accounts flows sent (issue 17): the SMS code and the mail's links, from
the stored notifications (notifications.models.Message), as a customer would read them."""

from __future__ import annotations

import re

from notifications.models import Message

_CODE = re.compile(r"\b(\d{6})\b")
_ACTIVATION = re.compile(r"/account/activate/([^/\s]+)/([^/\s]+)/")
_RESET = re.compile(r"/password-reset/confirm/([^/\s]+)/([^/\s]+)/")


def last_message(*, event: str, to: str) -> Message:
    return Message.objects.filter(event=event, to=to).latest("pk")


def sms_code(phone: str) -> str:
    """The code of the newest verification SMS to `phone` ("+98912…")."""
    return _CODE.search(last_message(event="customers_phone_code", to=phone).body).group(1)


def activation_link(email: str) -> tuple[str, str]:
    """(uid, token) of the newest activation mail to `email`."""
    match = _ACTIVATION.search(last_message(event="customers_activate", to=email).body)
    return match.group(1), match.group(2)


def reset_link(email: str) -> tuple[str, str]:
    """(uid, token) of the newest password-reset mail to `email`."""
    body = last_message(event="password_reset", to=email).body
    match = _RESET.search(body)
    assert match, body
    return match.group(1), match.group(2)
