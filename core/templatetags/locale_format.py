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


def _shipping_method_names() -> dict[str, object]:
    """Each shipping method's name (lazily translated) by its code: Oscar's repository's
    methods and the one it uses when nothing needs shipping."""
    from oscar.core.loading import get_class

    repository = get_class("shipping.repository", "Repository")
    no_shipping = get_class("shipping.methods", "NoShippingRequired")
    methods = [*repository.methods, no_shipping()]
    return {method.code: method.name for method in methods}


@register.filter
def shipping_method_name(order) -> str:
    """An order's shipping method in the reader's language: Oscar stores its name in the
    language the order was placed in, so it is named again from `shipping_code`; a code
    no longer offered keeps the stored name, through the catalogue."""
    name = _shipping_method_names().get(getattr(order, "shipping_code", "") or "")
    if name is not None:
        return str(name)
    return status_name(getattr(order, "shipping_method", ""))


@register.filter
def line_vendor_name(line) -> str:
    """An order line's vendor in the reader's language; Oscar's stored `partner_name` (one
    language) only when the vendor is gone."""
    partner = line.partner if getattr(line, "partner_id", None) else None
    return partner.display_name if partner is not None else line.partner_name
