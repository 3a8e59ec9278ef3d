"""Vendor reads shared by the seller dashboard, the API and the order pages, written to a
query budget: the number of queries never depends on how many rows are shown."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from oscar.core.loading import get_model

from ledger import codes
from ledger.selectors import balances
from shop import order_status
from vendors import conf
from vendors.models import (
    Contract,
    Payout,
    ProductTerm,
    Shipment,
    ShipmentLine,
    VendorApplication,
    VendorSanction,
    WarrantyClaim,
)

ProductReview = get_model("reviews", "ProductReview")
StockRecord = get_model("partner", "StockRecord")

PERFORMANCE_MONTHS = 6
OPEN_SHIPMENT_STATUSES = (Shipment.Status.PENDING, Shipment.Status.CONFIRMED)


def vendor_for_user(user: Any):
    """The partner this user works for (the first of user.partners), or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return user.partners.order_by("pk").first()


def vendor_balance(*, partner) -> dict:
    """{"held", "available", "currency"}: what the platform owes the vendor, before and
    after the return window (one query)."""
    held, available = codes.vendor_held(partner.pk), codes.vendor_available(partner.pk)
    found = balances([held, available])
    return {"held": found[held], "available": found[available], "currency": conf.currency()}


def vendor_contact_phone(partner) -> str | None:
    """The phone the vendor gave when applying (the latest approved application)."""
    return (
        VendorApplication.objects.filter(partner=partner, status=VendorApplication.Status.APPROVED)
        .exclude(phone="")
        .order_by("-decided_at", "-pk")
        .values_list("phone", flat=True)
        .first()
    )


def visible_to_vendor(shipments: QuerySet) -> QuerySet:
    """A vendor sees a shipment (and its shipping address) once the order is to be
    fulfilled: an order still waiting for its card payment is not theirs to see yet."""
    return shipments.exclude(order__status=order_status.PENDING_PAYMENT)


def seller_home_counts(*, partner) -> dict[str, int]:
    """The seller home page's two counts: shipments to handle and claims to answer."""
    return {
        "open_shipments": visible_to_vendor(
            Shipment.objects.filter(partner=partner, status__in=(*OPEN_SHIPMENT_STATUSES, Shipment.Status.SHIPPED))
        ).count(),
        "open_claims": WarrantyClaim.objects.filter(
            shipment_line__shipment__partner=partner, status=WarrantyClaim.Status.OPEN
        ).count(),
    }


def vendor_claims(*, partner) -> QuerySet:
    """Warranty claims on the vendor's goods, with what the claim pages show."""
    return WarrantyClaim.objects.filter(shipment_line__shipment__partner=partner).select_related(
        "shipment_line", "shipment_line__line", "shipment_line__shipment", "shipment_line__shipment__order"
    )


def vendor_stockrecords(*, partner) -> QuerySet:
    return StockRecord.objects.filter(partner=partner).select_related("product").order_by("product__title", "pk")


def with_contracted_quantities(*, partner, records) -> list:
    """Each record with `contracted_quantity` from the vendor's product terms (P3), in one query."""
    records = list(records)
    quantities = dict(
        ProductTerm.objects.filter(
            contract__partner=partner, product_id__in=[r.product_id for r in records]
        ).values_list("product_id", "contracted_quantity")
    )
    for record in records:
        record.contracted_quantity = quantities.get(record.product_id)
    return records


def vendor_page(*, partner) -> dict:
    """What the staff's vendor page shows besides the forms."""
    return {
        "contract": Contract.objects.filter(partner=partner).first(),
        "balance": vendor_balance(partner=partner),
        "sanctions": VendorSanction.objects.filter(partner=partner)[:50],
        "payouts": Payout.objects.filter(partner=partner)[:20],
        # Claims the vendor refused: staff may overrule them (the quality policy then counts them).
        "rejected_claims": WarrantyClaim.objects.filter(
            shipment_line__shipment__partner=partner, status=WarrantyClaim.Status.REJECTED
        ).select_related("shipment_line__line", "shipment_line__shipment__order")[:50],
        # Shipments still to confirm, ship or deliver: staff may process them for the vendor.
        "open_shipments": visible_to_vendor(
            Shipment.objects.filter(partner=partner, status__in=(*OPEN_SHIPMENT_STATUSES, Shipment.Status.SHIPPED))
        ).select_related("order").order_by("promised_by", "pk")[:50],
    }


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
