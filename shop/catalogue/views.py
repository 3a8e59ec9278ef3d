"""Oscar's product page, with what it shows fetched up front (issue 16's query budget).

The page asks for the product's offer several times (Oscar's price and stock blocks, the
add-to-basket form, the promises of issue 15 point 11) and for its images twice; the
stock records (with their vendor and the vendor's contract, which the promises read),
the images and the product class are loaded with the product, so each later look is free.

Two counts the page asks for one query each are read with the product instead, as
annotations Oscar's own properties take up: whether it has options (`Product.has_options`,
which the add-to-basket form asks; Oscar's catalogue list annotates it the same way) and
its number of approved reviews (`Product.num_approved_reviews`, a cached property the
stars, the information table and the reviews block read). Whether it has recommended
products is read the same way, so a product without any asks no query for them.

The parts of the page that are the same for every visitor (breadcrumb, gallery,
description, the information table with its price and availability) are rendered once
per `fragment_key` (`{% cached_listing %}`, issue 16). The key is made of what this
request has just read from the database: the product's update time and class, each
active vendor's stock record with its price, stock and allocations, and the images; so a
changed price or stock level shows on the very next view, in every worker. The price and
stock block with the vendor's promises (keyed also by the visitor's region), the
add-to-basket form (the visitor's CSRF token put back in; `basket_form_key`) and, for a
visitor who is not signed in, the reviews (`reviews_key`) are kept under the same key.
What is the visitor's own (the stock alert, wish lists, a signed-in shopper's reviews and
votes, a form coming back with errors, recently viewed products) is rendered afresh.
"""

from __future__ import annotations

import functools

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import get_language
from oscar.apps.catalogue.views import ProductDetailView as OscarProductDetailView
from oscar.core.loading import get_model

from shop.catalogue.selectors import active_stockrecords

Product = get_model("catalogue", "Product")
ProductImage = get_model("catalogue", "ProductImage")
Option = get_model("catalogue", "Option")
ProductReview = get_model("reviews", "ProductReview")
ProductRecommendation = get_model("catalogue", "ProductRecommendation")


@functools.cache
def _page_querysets():
    """The product page's querysets, built once a process and cloned for each request (`.all()`,
    as Django's generic views do with a class's `queryset`). Building them (the annotations'
    subqueries, the vendors' filter, the prefetch querysets) was about a third of the view's
    own CPU; a clone is evaluated, the templates never are."""
    product = (
        Product._default_manager.select_related("product_class")
        .annotate(
            # Product.has_options reads these two when both are there. A child product has
            # no class of its own: its options are its parent's class's (get_product_class).
            has_product_class_options=Exists(
                Option.objects.filter(
                    Q(productclass=OuterRef("product_class")) | Q(productclass=OuterRef("parent__product_class"))
                )
            ),
            has_product_options=Exists(Option.objects.filter(product=OuterRef("pk"))),
            # Product.sorted_recommended_products (shop.catalogue.models) asks no query without any.
            has_recommendations=Exists(ProductRecommendation.objects.filter(primary=OuterRef("pk"))),
            # Fills the cached property Product.num_approved_reviews (reviews.approved().count()).
            num_approved_reviews=Coalesce(
                Subquery(
                    ProductReview.objects.filter(product=OuterRef("pk"), status=ProductReview.APPROVED)
                    .order_by()
                    .values("product")
                    .annotate(count=Count("pk"))
                    .values("count")
                ),
                0,
            ),
        )
    )
    # Only active vendors' records, as the strategy would choose (see shop.partner.strategy).
    stockrecords = active_stockrecords().select_related("partner__contract").order_by("pk")
    images = ProductImage.objects.order_by("display_order", "pk")
    return product, stockrecords, images


class ProductDetailView(OscarProductDetailView):
    def get_queryset(self):
        product, stockrecords, images = _page_querysets()
        # New Prefetch objects around clones: Django's prefetching marks the queryset it is given.
        return product.all().prefetch_related(
            Prefetch("stockrecords", queryset=stockrecords.all()), Prefetch("images", queryset=images.all())
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["fragment_key"] = fragment_key(self.object)
        return ctx


def fragment_key(product) -> str:
    """What the visitor-independent parts of a product page are made of, as loaded now;
    empty (not cached) for a parent product, whose price and stock are its children's."""
    if product.is_parent:
        return ""
    product_class = product.get_product_class()
    records = ",".join(
        f"{record.pk}/{record.partner_id}/{record.price_currency}/{record.price}/{record.num_in_stock}"
        f"/{record.num_allocated}/{record.date_updated.isoformat() if record.date_updated else ''}"
        for record in product.stockrecords.all()
    )
    images = ",".join(f"{image.pk}/{image.original}/{image.display_order}" for image in product.images.all())
    return (
        f"product:{product.pk}:{get_language()}:{product.date_updated.isoformat()}:"
        f"{product_class.pk}/{product_class.track_stock}:[{records}]:[{images}]"
    )
