"""Oscar's basket, loaded for a page in a fixed and small number of queries (issue 16).

Oscar's basket middleware counted the lines (`Basket.is_empty`: a `COUNT(*)`) before
loading them, then each line's product class and vendor were fetched afterwards (the
strategy asks for them), and the basket page fetched the site offers and the basket's
vouchers a second time for its "spend more" messages. Here the lines come in one query
with their product class and vendor (and the vendor's contract, which the delivery
promises read), the count is taken from the loaded lines, and the offers the middleware
applied are the ones the basket page's messages look at. Prices and stock are read as
before, fresh on every request: nothing here is cached beyond the request.
"""

from __future__ import annotations

from django.db.models import prefetch_related_objects
from oscar.apps.basket.middleware import BasketMiddleware as OscarBasketMiddleware
from oscar.apps.basket.views import BasketView as OscarBasketView
from oscar.core.loading import get_model

from core.compiled_queries import CompiledModelQuery
from shop.basket_blocks import promise_values, totals_values, voucher_values
from shop.basket_offers import Applicator
from shop.basket_rows import line_rows
from vendors.services import basket_delivery_promises

Basket = get_model("basket", "Basket")
Line = get_model("basket", "Line")
UserAddress = get_model("address", "UserAddress")

# What the page's lines need beside Oscar's own select_related("product", "stockrecord").
LINE_RELATIONS = ("product__product_class", "stockrecord__partner__contract")
# Oscar's Basket.all_lines() prefetches these.
LINE_PREFETCHES = ("attributes", "product__images")

# Oscar's all_lines() query with LINE_RELATIONS, its SQL built once per process: building
# a six-table select_related join cost more Python than the rest of loading the lines.
LINES = CompiledModelQuery(
    lambda basket_id: Line.objects.filter(basket_id=basket_id)
    .select_related("product", "stockrecord", *LINE_RELATIONS)
    .order_by("pk")
)

# Oscar's `user.addresses.filter(is_default_for_shipping=True).first()` (the model's own
# ordering, one row), its SQL built once per process: the ORM's building was most of it.
DEFAULT_SHIPPING_ADDRESS = CompiledModelQuery(
    lambda user_id: UserAddress.objects.filter(user_id=user_id, is_default_for_shipping=True)[:1]
)


# Oscar's `Basket.open.get_or_create(owner=user)` when the basket exists: its SQL built once
# per process (the ORM's building was most of the lookup). Two rows at most: more than one
# open basket is Oscar's to merge.
OPEN_BASKETS = CompiledModelQuery(lambda owner_id: Basket.open.filter(owner_id=owner_id).order_by()[:2])


def load_lines(basket) -> None:
    """Fetch the basket's lines now, in one query with what pricing them reads."""
    if basket.id is None:
        return
    lines = basket.all_lines()
    if lines._result_cache is None:  # not loaded yet (Oscar keeps the loaded list otherwise)
        loaded = LINES.objects(basket.id)
        for line in loaded:
            line.basket = basket  # as the related manager's queryset sets it: offers change this basket
        prefetch_related_objects(loaded, *LINE_PREFETCHES)
        # The basket's own queryset, holding the rows just read (a later filter on it runs
        # its own query): Basket.num_lines then counts the list, not the table.
        lines = lines.select_related(*LINE_RELATIONS)
        lines._result_cache, lines._prefetch_done = loaded, True
        basket._lines = lines


class BasketMiddleware(OscarBasketMiddleware):
    def get_basket(self, request):
        """Oscar's, with a signed-in shopper's one open basket read by compiled SQL. A
        shopper with no open basket, with several, or with a basket cookie to merge (just
        signed in) gets Oscar's own handling."""
        if request._basket_cache is None and request.user.is_authenticated and (
            self.get_cookie_key(request) not in request.COOKIES
        ):
            found = OPEN_BASKETS.objects(request.user.pk)
            if len(found) == 1:
                basket = found[0]
                basket.owner = request.user  # as Oscar does: no query for basket.owner
                request._basket_cache = basket
        return super().get_basket(request)

    def apply_offers_to_basket(self, request, basket) -> None:
        load_lines(basket)
        if basket.is_empty:
            return
        applicator = Applicator()  # Oscar's, with the site offers' and vouchers' SQL compiled once
        offers = applicator.get_offers(basket, request.user, request)
        applicator.apply_offers(basket, offers)
        # Same request, same basket: the basket page's upsell messages reuse them.
        # (The basket page changes lines, never the vouchers or the shopper the offers depend on.)
        request._chaarsoo_basket_offers = (basket.pk, offers)


class BasketView(OscarBasketView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The lines as values for the template's kept block (shop.basket_rows); None for a
        # formset with errors, which Oscar's block prints.
        context["basket_rows"] = line_rows(context["formset"], self.request)
        # What the totals, voucher and promises blocks print, read this request: their keys
        # in the cache (shop.basket_blocks).
        basket = self.request.basket
        if not basket.is_empty:
            context["basket_totals_values"] = totals_values(context, basket)
            context["voucher_values"] = voucher_values(context.get("voucher_form"))
            context["promise_values"] = promise_values(basket_delivery_promises(basket=basket, region=""), "")
        return context

    def get_default_shipping_address(self):
        if not self.request.user.is_authenticated:
            return None
        addresses = DEFAULT_SHIPPING_ADDRESS.objects(self.request.user.pk)
        return addresses[0] if addresses else None

    def get_upsell_messages(self, basket):
        applied = getattr(self.request, "_chaarsoo_basket_offers", None)
        if applied is None or applied[0] != basket.pk:
            return super().get_upsell_messages(basket)
        offers = applied[1]
        applied_offers = list(basket.offer_applications.offers.values())
        return [
            {"message": offer.get_upsell_message(basket), "offer": offer}
            for offer in offers
            if offer.is_condition_partially_satisfied(basket) and offer not in applied_offers
        ]
