"""Language-aware formatting, loaded as a template builtin.

`date` replaces Django's filter of the same name in every template (Oscar's and
Wagtail's included): on Persian pages it renders the Jalali calendar in Persian digits,
on English pages it is Django's own filter, unchanged.
"""

from __future__ import annotations

import datetime as dt

from django import template
from django.template.defaultfilters import date as django_date
from django.utils import timezone
from django.utils.formats import get_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from core.jalali import format_jalali
from core.text import to_persian_digits

register = template.Library()


def is_persian_active() -> bool:
    return (get_language() or "").startswith("fa")


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    if value in (None, ""):
        return ""
    if not is_persian_active() or not isinstance(value, dt.date):
        return django_date(value, arg)
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    # Like Django's own filter: a named format ("SHORT_DATETIME_FORMAT") is looked up in
    # the active language's formats; anything else is a format string already.
    return format_jalali(value, get_format(arg or "DATE_FORMAT"))


@register.filter(is_safe=True)
def local_digits(value) -> str:
    """Persian digits on Persian pages; the value unchanged elsewhere."""
    text = str(value)
    return to_persian_digits(text) if is_persian_active() else text


# Identifiers (job and order numbers, codes, phone numbers, IBANs, Stripe ids) keep their
# own characters on Persian pages: the digit conversion leaves a dir="ltr" element alone.
LRI, PDI = "\u2066", "\u2069"


@register.filter(is_safe=True)
def ident(value) -> str:
    """An identifier in page text: `<bdi dir="ltr">J-9DFG54S</bdi>`."""
    if value in (None, ""):
        return ""
    return format_html('<bdi dir="ltr">{}</bdi>', value)


@register.filter(is_safe=True)
def ident_text(value) -> str:
    """An identifier where no markup may go (a <title>): wrapped in the Unicode
    left-to-right isolate characters, which the digit conversion also leaves alone."""
    if value in (None, ""):
        return ""
    return mark_safe(LRI + conditional_escape(value) + PDI)  # noqa: S308 - escaped above


@register.filter
def status_name(value) -> str:
    """A status stored as its English name (Oscar's order pipeline, shop/order_status.py),
    shown in the reader's language."""
    return gettext(str(value)) if value not in (None, "") else value
