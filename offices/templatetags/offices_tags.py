"""Template helpers of partner offices (the customer's view of an errand on the job page,
an office's statement lines)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _
from oscar.templatetags.currency_filters import currency as money

from core.templatetags.locale_format import ident
from offices import forms, selectors
from offices.services.routes import reason_text

register = template.Library()


@register.simple_tag
def errand_customer_timeline(errand):
    return selectors.timeline(errand, for_customer=True)


@register.simple_tag
def errand_refund_form():
    return forms.RefundRequestForm()


@register.filter
def office_memo(transfer) -> str:
    """An office statement line, rendered from the transfer's kind and parts in the reader's
    language (the stored memo is the English record for the ledger's own admin): job
    numbers and bank references kept as written, amounts as money."""
    parts = transfer.metadata or {}
    currency = transfer.currency
    if transfer.kind == "office_errand_split" and {"job", "origin", "performer", "platform"} <= parts.keys():
        return format_html(
            _("Errand {number}: origin office {origin}, performing office {performer}, Chaarsoo {platform}"),
            number=ident(parts["job"]), origin=money(parts["origin"], currency),
            performer=money(parts["performer"], currency), platform=money(parts["platform"], currency),
        )
    if transfer.kind == "office_errand_refund" and {"job", "amount"} <= parts.keys():
        return format_html(
            _("Errand {number}: refund of {amount} taken back from the split"),
            number=ident(parts["job"]), amount=money(parts["amount"], currency),
        )
    if transfer.kind == "office_payout" and "reference" in parts:
        return format_html(_("Payout to the office, bank reference {reference}"), reference=ident(parts["reference"]))
    return transfer.memo


@register.filter
def errand_note(event) -> str:
    """An errand event's note: a routing step stores its reason code (`no_open_office`),
    shown in words in the reader's language; notes typed by people stay as typed."""
    if event.action == "unrouted" and event.note and " " not in event.note:
        return reason_text(event.note)
    return event.note
