"""The product page's promises (issue 15 point 11): vendor, warranty, installation,
delivery time to the visitor's region, stock."""

from __future__ import annotations

from django import template

from vendors import services

register = template.Library()


def _visitor_region(request) -> str:
    """The signed-in visitor's default shipping address's province, else its city."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    address = user.addresses.filter(is_default_for_shipping=True).first() or user.addresses.first()
    if address is None:
        return ""
    return (address.state or address.line4 or "").strip()


@register.simple_tag(takes_context=True)
def product_promises(context, product) -> dict | None:
    request = context.get("request")
    strategy = getattr(request, "strategy", None)
    if strategy is None or product is None or product.is_parent:
        return None
    info = strategy.fetch_for_product(product)
    stockrecord = info.stockrecord
    if stockrecord is None:
        return None
    promises = services.product_promises(
        partner=stockrecord.partner, product=product, region=_visitor_region(request)
    )
    promises["num_available"] = stockrecord.net_stock_level if product.get_product_class().track_stock else None
    promises["currency"] = stockrecord.price_currency
    return promises
