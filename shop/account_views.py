"""The shopper's account pages where Oscar's own view costs too much per row (issue 16).

Oscar's order history builds each order of the page as a model (some forty fields) and
shows its number of items, which reads the order's lines: one query per order listed.
This view reads only the four columns the table shows, and the page's item counts in one
summed query, as plain values (`order_rows`) on every request; the template prints them
through `{% cached_rows %}` (templates/oscar/customer/order/order_list.html), so the same
rows are rendered once. The filter form, when not bound, is kept the same way
(`{% cached_form %}`); a filter that was sent, valid or not, is rendered afresh. It is
mounted at Oscar's own address (shop/urls.py), so `customer:order-list` is unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Sum
from django.utils import timezone
from oscar.core.loading import get_class, get_model

OscarOrderHistoryView = get_class("customer.views", "OrderHistoryView")
Line = get_model("order", "Line")

# What a row of the order history prints (Oscar's template reads these names).
ORDER_COLUMNS = ("pk", "number", "total_incl_tax", "currency", "date_placed")


def order_rows(orders: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows of one page of orders (values of ORDER_COLUMNS) with each order's number
    of items, Oscar's `Order.num_items` (the sum of its lines' quantities), summed in one
    query. The date is the local time the page prints, so the row's value (and the key
    its rendering is kept under) changes with the time zone."""
    rows = [dict(order) for order in orders]
    counts = dict(
        Line.objects.filter(order_id__in=[row["pk"] for row in rows])
        .values("order_id").annotate(items=Sum("quantity")).values_list("order_id", "items")
    ) if rows else {}
    for row in rows:
        row["num_items"] = counts.get(row["pk"]) or 0
        row["date_placed"] = timezone.localtime(row["date_placed"]) if row["date_placed"] else None
    return rows


class OrderHistoryView(OscarOrderHistoryView):
    def get_queryset(self):
        # Oscar's filters (the search form's dates and number) are applied first.
        return super().get_queryset().values(*ORDER_COLUMNS)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        # The page's rows (Oscar's paginated `orders`), read once as plain values.
        context["orders"] = context["object_list"] = order_rows(context["orders"])
        return context
