"""The product page's promises (issue 15 point 11): vendor, warranty, installation,
delivery time to the visitor's region, stock.

The contract's part (warranty, installation and its price, delivery days: four queries
through the product's categories and the contract's terms, a fifth of the product page's
CPU) is kept for `PROMISES_SECONDS` under the page cache's version, which every save of a
contract, term, delivery promise, product category or vendor retires (issue 16). The
vendor and the stock come from the stock record this request read; the checkout reads
the contract afresh when the order is placed.
"""

from __future__ import annotations

import hashlib

from django import template
from django.core.cache import cache

from core.page_cache import current_version
from vendors import services

register = template.Library()
PROMISES_SECONDS = 60


def contract_promises(partner, product, region: str) -> dict:
    digest = hashlib.sha256(region.encode()).hexdigest()[:16]
    key = f"product-promises:{current_version()}:{partner.pk}:{product.pk}:{digest}"
    kept = cache.get(key)
    if kept is None:
        promises = services.product_promises(partner=partner, product=product, region=region)
        kept = {name: value for name, value in promises.items() if name != "partner"}
        cache.set(key, kept, PROMISES_SECONDS)
    return {**kept, "partner": partner}


def _visitor_region(request) -> str:
    """The signed-in visitor's default shipping address's province, else its city; read once
    a request (the product page's cached block is keyed by it, then the promises read it)."""
    region = getattr(request, "_chaarsoo_visitor_region", None)
    if region is not None:
        return region
    region = ""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        address = user.addresses.filter(is_default_for_shipping=True).first() or user.addresses.first()
        if address is not None:
            region = (address.state or address.line4 or "").strip()
    request._chaarsoo_visitor_region = region
    return region


@register.simple_tag(takes_context=True)
def visitor_region(context) -> str:
    """The region the promises are made for (part of the key of the block that shows them)."""
    request = context.get("request")
    return "" if request is None else _visitor_region(request)


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
    promises = contract_promises(stockrecord.partner, product, _visitor_region(request))
    promises["num_available"] = stockrecord.net_stock_level if product.get_product_class().track_stock else None
    promises["currency"] = stockrecord.price_currency
    return promises
