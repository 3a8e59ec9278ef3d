"""Oscar's product page, with what it shows fetched up front (issue 16's query budget).

The page asks for the product's offer several times (Oscar's price and stock blocks, the
add-to-basket form, the promises of issue 15 point 11) and for its images twice; the
stock records (with their vendor and the vendor's contract, which the promises read),
the images and the product class are loaded with the product, so each later look is free.
"""

from __future__ import annotations

from django.db.models import Prefetch
from oscar.apps.catalogue.views import ProductDetailView as OscarProductDetailView
from oscar.core.loading import get_model

from shop.catalogue.selectors import active_stockrecords

ProductImage = get_model("catalogue", "ProductImage")


class ProductDetailView(OscarProductDetailView):
    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("product_class")
            .prefetch_related(
                # Only active vendors' records, as the strategy would choose (see shop.partner.strategy).
                Prefetch(
                    "stockrecords",
                    queryset=active_stockrecords().select_related("partner__contract").order_by("pk"),
                ),
                Prefetch("images", queryset=ProductImage.objects.order_by("display_order", "pk")),
            )
        )
