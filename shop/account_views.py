"""The shopper's account pages where Oscar's own view costs a query per row (issue 16).

Oscar's order history shows each order's number of items, which reads the order's lines:
one query per order listed. This view fetches the lines of the whole page in one query.
It is mounted at Oscar's own address (shop/urls.py), so `customer:order-list` is unchanged.
"""

from __future__ import annotations

from oscar.core.loading import get_class

OscarOrderHistoryView = get_class("customer.views", "OrderHistoryView")


class OrderHistoryView(OscarOrderHistoryView):
    def get_queryset(self):
        return super().get_queryset().prefetch_related("lines")
