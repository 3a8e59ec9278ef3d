"""Oscar's product page, with the product's stock records fetched together with it.

The page asks the strategy for the product's offer three times (price, availability, the
basket form); without the records at hand each ask was a query (issue 16). Every record
is fetched with its vendor, and the strategy keeps choosing the first active one, as it
does from a query. Oscar's catalogue app picks this class up through `get_class`.
"""

from __future__ import annotations

from django.db.models import Prefetch
from oscar.apps.catalogue.views import ProductDetailView as OscarProductDetailView
from oscar.core.loading import get_model

StockRecord = get_model("partner", "StockRecord")


class ProductDetailView(OscarProductDetailView):
    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("product_class")
            .prefetch_related(Prefetch("stockrecords", queryset=StockRecord.objects.select_related("partner")))
        )
