"""The shopper's account pages where Oscar's own view costs a query per row (issue 16).

Oscar's order history shows each order's number of items, which reads the order's lines:
one query per order listed. This view fetches the lines of the whole page in one query,
with only the quantity they are counted by (a whole line is some twenty fields to build).
It is mounted at Oscar's own address (shop/urls.py), so `customer:order-list` is unchanged.
"""

from __future__ import annotations

from django.db.models import Prefetch
from oscar.core.loading import get_class, get_model

OscarOrderHistoryView = get_class("customer.views", "OrderHistoryView")
Line = get_model("order", "Line")


class OrderHistoryView(OscarOrderHistoryView):
    def get_queryset(self):
        counted = Line.objects.only("pk", "order_id", "quantity")
        return super().get_queryset().prefetch_related(Prefetch("lines", queryset=counted))
