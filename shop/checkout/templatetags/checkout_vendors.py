"""Template tags for the multi-vendor basket and checkout (issue 4 point 5)."""

from __future__ import annotations

from django import template

register = template.Library()


@register.simple_tag
def basket_delivery_promises(basket, region: str = "") -> list[dict]:
    """Per vendor in the basket: its lines and promised delivery date for `region`
    (the contract's default when the region is not known yet)."""
    if basket is None or getattr(basket, "is_empty", True):
        return []
    from vendors.services import basket_delivery_promises as promises_for

    return promises_for(basket=basket, region=region or "")
