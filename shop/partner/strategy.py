"""Which vendor's offer a shopper gets (Oscar's strategy, forked for issue 4).

A suspended vendor's stock records are never selected: its products show as unavailable,
cannot be added to a basket, and a basket that already holds them cannot be checked out.
"""

from __future__ import annotations

from django.db.models import Prefetch, prefetch_related_objects
from oscar.apps.partner import strategy as oscar_strategy
from oscar.core.loading import get_class

Unavailable = get_class("partner.availability", "Unavailable")
PurchaseInfo = oscar_strategy.PurchaseInfo


def _partner_is_active(stockrecord) -> bool:
    from shop.partner.models import Partner

    return stockrecord.partner.status == Partner.Status.ACTIVE


class UseFirstActiveStockRecord:
    """The first stock record (by pk) whose vendor is not suspended.

    Listings prefetch stock records with their partner (shop.catalogue.selectors), so
    choosing among them costs no query; otherwise one query fetches the record and its
    partner together.
    """

    def select_stockrecord(self, product):
        prefetched = getattr(product, "_prefetched_objects_cache", {})
        if "stockrecords" in prefetched:
            records = sorted(prefetched["stockrecords"], key=lambda record: record.pk)
            return next((record for record in records if _partner_is_active(record)), None)
        return (
            product.stockrecords.filter(partner__status="active")
            .select_related("partner")
            .order_by("pk")
            .first()
        )


def _prefetch_basket_lines(line) -> None:
    """Oscar loads a basket's lines in one query (`Basket.all_lines`), but then each line's
    vendor (to check it is active) and product class (does it track stock?) one query at a
    time: 2 queries per line on every page that shows the basket total (issue 16). The
    first line priced fetches them for every loaded line of its basket, in two queries."""
    basket = line._state.fields_cache.get("basket")
    loaded = getattr(getattr(basket, "_lines", None), "_result_cache", None)
    # Once per loaded set of lines (Oscar reloads them after a change to the basket).
    if not loaded or getattr(basket, "_chaarsoo_prefetched_lines", None) is loaded:
        return
    basket._chaarsoo_prefetched_lines = loaded
    from shop.partner.models import Partner

    # The vendor comes with its contract (vendors' promises on the basket page read it), in the same query.
    partners = Prefetch("stockrecord__partner", queryset=Partner.objects.select_related("contract"))
    prefetch_related_objects(loaded, partners, "product__product_class", "product__parent__product_class")


class Default(
    UseFirstActiveStockRecord, oscar_strategy.StockRequired, oscar_strategy.NoTax, oscar_strategy.Structured
):
    def fetch_for_line(self, line, stockrecord=None):
        _prefetch_basket_lines(line)
        # A basket line keeps the stock record it was added with: it is the offer the
        # shopper chose, and the one the order will allocate from. If that vendor has been
        # suspended since, the line can no longer be bought.
        stockrecord = stockrecord or line.stockrecord
        if stockrecord is None:
            return self.fetch_for_product(line.product)
        if not _partner_is_active(stockrecord):
            # The price stays known so the basket can still show and total the line.
            price = self.pricing_policy(line.product, stockrecord)
            return PurchaseInfo(price=price, availability=Unavailable(), stockrecord=stockrecord)
        return self.fetch_for_product(line.product, stockrecord=stockrecord)


class Selector:
    def strategy(self, request=None, user=None, **kwargs):
        return Default(request)
