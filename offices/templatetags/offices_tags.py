"""Template helpers of partner offices (the customer's view of an errand on the job page)."""

from __future__ import annotations

from django import template

from offices import forms, selectors

register = template.Library()


@register.simple_tag
def errand_customer_timeline(errand):
    return selectors.timeline(errand, for_customer=True)


@register.simple_tag
def errand_refund_form():
    return forms.RefundRequestForm()
