from __future__ import annotations

import re

from django import template
from django.core.cache import cache
from django.utils.timezone import get_current_timezone_name
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.templatetags.locale_format import local_digits
from support.selectors import HOURS_CACHE_KEY, office_hours

register = template.Library()


@register.inclusion_tag("support/partials/chat_widget.html", takes_context=True)
def support_chat_button(context) -> dict:
    """The chat button on every storefront page, with the staffed hours (A4). Staff and
    partner pages under /<lang>/dashboard/ have none: their people reach support through
    their own desk, and a floating button there sits over the work."""
    request = context.get("request")
    path = getattr(request, "path", "")
    if path.split("/")[2:3] == ["dashboard"]:
        return {"show": False}
    hours = cache.get(HOURS_CACHE_KEY)
    if hours is None:
        hours = office_hours()
        cache.set(HOURS_CACHE_KEY, hours, 60)
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    return {"show": True, "hours": hours, "request": request, "user": user, "csrf_token": context.get("csrf_token"),
            # What the widget prints besides fixed text: its markup is kept under these
            # values (core/templatetags/row_cache.py; issue 16).
            "kept_for": {"hours": hours, "signed_in": signed_in, "zone": get_current_timezone_name()}}


@register.inclusion_tag("support/partials/hours_block.html")
def support_hours() -> dict:
    """A4: the staffed hours and phone line, for the help centre and contact pages (CMS)."""
    hours = cache.get(HOURS_CACHE_KEY)
    if hours is None:
        hours = office_hours()
        cache.set(HOURS_CACHE_KEY, hours, 60)
    return {"hours": hours}


# The ticket log's steps (support.machine), named in the reader's language.
_ACTIONS = {
    "open": _("opened"),
    "reply": _("answered"),
    "note": _("internal note"),
    "call": _("call logged"),
    "customer_reply": _("the customer wrote"),
    "wait_customer": _("waiting for the customer"),
    "customer_back": _("the customer is back"),
    "escalate": _("escalated"),
    "resolve": _("resolved"),
    "resolve_escalated": _("resolved by senior support"),
    "reopen": _("reopened"),
    "close": _("closed"),
    "response_warning": _("first answer due soon"),
    "response_breach": _("first answer overdue"),
    "resolution_warning": _("resolution due soon"),
    "resolution_breach": _("resolution overdue"),
    "set_priority": _("priority changed"),
    "book_visit": _("support visit booked"),
}


@register.filter
def ticket_action(action: str) -> str:
    return str(_ACTIONS.get(action, action))


_CALL_LENGTH = re.compile(r"(\d+)s")


@register.filter
def ticket_note(event) -> str:
    """A log entry's note in the reader's language: the call step records the call's length
    as "300s" (support.services.tickets.log_call), shown as «۳۰۰ ثانیه» on a Persian page."""
    note = event.note or ""
    length = _CALL_LENGTH.fullmatch(note) if event.action == "call" else None
    if length is None:
        return note
    return local_digits(gettext("%(seconds)s s") % {"seconds": length.group(1)})
