"""A payment's history in the reader's language (issue 15 point 7): the event names and
statuses are stored as codes ("succeed", "requires_action"); the staff page shows words."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from payments.models import Payment

register = template.Library()

_ACTIONS = {
    "created": _("payment started"),
    "reopen": _("reopened"),
    "fail": pgettext_lazy("payment event", "declined"),
    "require_action": _("card authentication asked"),
    "process": _("being confirmed"),
    "succeed": pgettext_lazy("payment event", "paid"),
    "cancel": _("cancelled"),
    "supersede": _("replaced by a newer payment"),
    "expire": _("expired"),
    "refund": pgettext_lazy("payment event", "refunded"),
    "refund_failed": _("refund failed"),
    "refund_followup_failed": _("refund follow-up failed"),
    "ignored": _("ignored (already closed)"),
}
_STATUSES = dict(Payment.Status.choices)


@register.filter
def payment_action(action: str) -> str:
    return _ACTIONS.get(action, action)


@register.filter
def payment_status(status: str) -> str:
    return _STATUSES.get(status, status)
