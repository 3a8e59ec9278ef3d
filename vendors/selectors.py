"""Vendor reads shared by the seller dashboard, the API and the order pages, written to a
query budget: the number of queries never depends on how many rows are shown."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Avg, Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from oscar.core.loading import get_model

from vendors.models import Shipment, ShipmentLine, VendorSanction, WarrantyClaim

ProductReview = get_model("reviews", "ProductReview")
StockRecord = get_model("partner", "StockRecord")

PERFORMANCE_MONTHS = 6


def visible_to_vendor(shipments: QuerySet) -> QuerySet:
    """A vendor sees a shipment (and its shipping address) once the order is to be
    fulfilled: an order still waiting for its card payment is not theirs to see yet."""
    from payments.payables import ORDER_AWAITING_PAYMENT

    return shipments.exclude(order__status=ORDER_AWAITING_PAYMENT)


def vendor_shipments(*, partner, status: str | None = None) -> QuerySet:
    """The vendor's shipments, newest first, with what a shipping page shows: the order and
    its shipping address, and each line with its product. Three queries whatever the size
    of the page (shipments, lines with order lines and products, and nothing per row)."""
    shipments = visible_to_vendor(Shipment.objects.filter(partner=partner))
    if status:
        shipments = shipments.filter(status=status)
    return (
        shipments.select_related("order", "order__shipping_address", "order__shipping_address__country", "partner")
        .prefetch_related(
            Prefetch(
                "lines",
                queryset=ShipmentLine.objects.select_related("line", "line__product").order_by("pk"),
            )
        )
        .order_by("-created", "-pk")
    )


def order_shipments(*, order) -> list[Shipment]:
    """An order's shipments with their vendor and lines (order pages, receipts)."""
    return list(
        Shipment.objects.filter(order=order)
        .select_related("partner")
        .prefetch_related(Prefetch("lines", queryset=ShipmentLine.objects.select_related("line").order_by("pk")))
        .order_by("pk")
    )


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _months_back(start: dt.date, count: int) -> list[dt.date]:
    months = [start]
    for _index in range(count - 1):
        previous = months[-1] - dt.timedelta(days=1)
        months.append(previous.replace(day=1))
    return list(reversed(months))


def vendor_performance(*, partner, today: dt.date | None = None) -> dict:
    """The vendor's record: on-time delivery (delivered on or before the promised date,
    out of all delivered), warranty claims (all and upheld), its products' average review
    rating, fines, and the last six months month by month."""
    today = today or timezone.localdate()
    delivered = list(
        Shipment.objects.filter(partner=partner, status=Shipment.Status.DELIVERED, delivered_at__isnull=False)
        .values_list("promised_by", "delivered_at")
    )
    on_time_days: list[tuple[dt.date, bool]] = []
    for promised_by, delivered_at in delivered:
        day = timezone.localtime(delivered_at).date()
        on_time_days.append((day, day <= promised_by))
    delivered_count = len(on_time_days)
    on_time_count = sum(1 for _day, on_time in on_time_days if on_time)

    claims = WarrantyClaim.objects.filter(shipment_line__shipment__partner=partner)
    claim_counts = claims.aggregate(total=Count("pk"), upheld=Count("pk", filter=Q(upheld=True)))
    rating = ProductReview.objects.filter(
        status=ProductReview.APPROVED,
        product__in=StockRecord.objects.filter(partner=partner).values("product_id"),
    ).aggregate(average=Avg("score"))["average"]
    fines_total = VendorSanction.objects.filter(partner=partner, kind=VendorSanction.Kind.FINE).aggregate(
        total=Sum("amount")
    )["total"] or Decimal("0.00")

    months = _months_back(_month_start(today), PERFORMANCE_MONTHS)
    monthly = {month: {"month": month, "delivered": 0, "on_time": 0, "claims": 0} for month in months}
    for day, on_time in on_time_days:
        bucket = monthly.get(_month_start(day))
        if bucket is not None:
            bucket["delivered"] += 1
            bucket["on_time"] += int(on_time)
    for created in claims.filter(created__date__gte=months[0] - dt.timedelta(days=1)).values_list(
        "created", flat=True
    ):
        bucket = monthly.get(_month_start(timezone.localtime(created).date()))
        if bucket is not None:
            bucket["claims"] += 1

    return {
        "on_time_rate": (Decimal(on_time_count) / delivered_count).quantize(Decimal("0.0001"))
        if delivered_count
        else None,
        "delivered_count": delivered_count,
        "late_count": delivered_count - on_time_count,
        "claims_total": claim_counts["total"],
        "claims_upheld": claim_counts["upheld"],
        "average_rating": Decimal(str(rating)).quantize(Decimal("0.01")) if rating is not None else None,
        "fines_total": fines_total,
        "monthly": [monthly[month] for month in months],
    }
