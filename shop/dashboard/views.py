"""Oscar's dashboard index, with a vendor's money figures counting only its own lines.

Oscar narrows a vendor's index to the orders that hold one of its lines, but then sums
those orders' totals: a split order showed the other vendors' goods as this vendor's
revenue. For a vendor user the revenue, average and hourly chart are summed from its own
order lines; staff see Oscar's figures unchanged.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import ROUND_UP, Decimal

from django.db.models import Sum
from django.utils.timezone import now
from oscar.apps.dashboard import views
from oscar.core.loading import get_model

Line = get_model("order", "Line")


class IndexView(views.IndexView):
    def _own_lines(self):
        partner_ids = tuple(self.request.user.partners.values_list("id", flat=True))
        return Line.objects.filter(partner_id__in=partner_ids)

    def get_stats(self):
        stats = super().get_stats()
        if self.request.user.is_staff:
            return stats
        lines = self._own_lines()
        last_day = lines.filter(order__date_placed__gt=now() - timedelta(hours=24))
        revenue_last_day = last_day.aggregate(total=Sum("line_price_incl_tax"))["total"]
        orders_last_day = last_day.values("order_id").distinct().count()
        stats.update(
            total_revenue=lines.aggregate(total=Sum("line_price_incl_tax"))["total"],
            total_revenue_last_day=revenue_last_day,
            average_order_costs=(revenue_last_day / orders_last_day) if orders_last_day else None,
        )
        return stats

    def get_hourly_report(self, orders, hours=24, segments=10):
        if self.request.user.is_staff:
            return super().get_hourly_report(orders, hours=hours, segments=segments)
        # Oscar's chart sums the orders' totals; a vendor's sums its own lines, then the
        # same scaling (Oscar's own code, fed with per-slot sums).
        report = super().get_hourly_report(orders.none(), hours=hours, segments=segments)
        lines = self._own_lines()
        for item in report["order_total_hourly"]:
            start = item["end_time"] - timedelta(hours=2)
            item["total_incl_tax"] = lines.filter(
                order__date_placed__gte=start, order__date_placed__lt=item["end_time"]
            ).aggregate(total=Sum("line_price_incl_tax"))["total"] or Decimal("0.0")
        return _rescale(report, segments)


def _rescale(report: dict, segments: int) -> dict:
    slots = report["order_total_hourly"]
    max_value = max([slot["total_incl_tax"] for slot in slots] or [Decimal("0")])
    divisor = 1
    while divisor < max_value / 50:
        divisor *= 10
    max_value = (max_value / divisor).quantize(Decimal("1"), rounding=ROUND_UP) * divisor
    if max_value:
        segment_size = max_value / Decimal("100.0")
        for slot in slots:
            slot["percentage"] = int(slot["total_incl_tax"] / segment_size)
        steps = max_value / Decimal(str(segments))
        y_range = [index * steps for index in reversed(range(segments + 1))]
    else:
        y_range = []
        for slot in slots:
            slot["percentage"] = 0
    return {"order_total_hourly": slots, "max_revenue": max_value, "y_range": y_range}
