"""`{% header_basket as summary %}`: the header's basket count and total (shop.basket_summary)."""

from __future__ import annotations

from django import template

from shop.basket_summary import BasketSummary, empty_summary, header_summary

register = template.Library()


@register.simple_tag(takes_context=True)
def header_basket(context) -> BasketSummary:
    request = context.get("request")
    return header_summary(request) if request is not None else empty_summary()
