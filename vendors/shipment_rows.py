"""The seller's shipment list as plain values, built once per page (issue 16).

Fifty shipments with their lines rendered from model objects cost the template engine a
`{% url %}`, two Jalali dates, a lazy status label and some twenty attribute lookups per
row: most of the page's CPU. Each row here is a dict of what the row shows, computed on
every request from the rows `dashboard_views.shipment_list_rows` loads (nothing kept
between requests: a status change shows on the next page load).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.timezone import get_current_timezone
from django.utils.translation import get_language_bidi

from core.row_links import row_link
from core.templatetags.locale_format import date as local_date
from core.templatetags.locale_format import ident
from vendors.models import Shipment, ShipmentLine


def shipment_rows(shipments: QuerySet[Shipment]) -> list[dict[str, Any]]:
    """One dict per shipment of `shipments` (`dashboard_views.shipment_list_rows`, sliced to
    the page: the order's number and destination annotated), with its lines. Two queries,
    as the shipments with their prefetched lines were; read as values, not as the
    shipment and line objects the prefetch built (250 objects for 50 shipments)."""
    link = row_link("vendors-dashboard:shipment-detail")
    statuses = {value: str(label) for value, label in Shipment.Status.choices}
    separator = "، " if get_language_bidi() else ", "
    # Looked up once, not per row by template_localtime (the stored datetimes are aware).
    local_zone = get_current_timezone()
    found = list(shipments.values(
        "pk", "order_id", "created", "promised_by", "status", "order_number", "ship_city", "ship_state"
    ))
    items: dict[int, list[dict[str, Any]]] = {shipment["pk"]: [] for shipment in found}
    lines = (
        # A shipment's lines are lines of its own order (vendors.services.checkout splits
        # an order's lines into its shipments), so naming the orders changes no row. It
        # lets PostgreSQL read the order lines by their order's index instead of scanning
        # every order line to join 200 of them (3 ms against 0.7 at 10,000 lines).
        ShipmentLine.objects.filter(
            shipment_id__in=list(items), line__order_id__in={shipment["order_id"] for shipment in found}
        )
        .order_by("pk")
        .values_list("shipment_id", "installation_requested", "line__title", "line__quantity")
    )
    # A page of 50 shipments shows a few days, places and quantities many times over: each
    # is formatted once per page (formatting, not the values, was most of this function).
    quantities = _once(localize)
    days = _once(lambda day: local_date(day, "Y/m/d"))
    places = _once(lambda place: format_html("{}{}{}", place[0], separator, place[1]))
    for shipment_id, installation, title, quantity in lines:
        # The quantity as the template printed it (localised).
        items[shipment_id].append({"quantity": quantities(quantity), "title": title, "installation": installation})
    rows = []
    for shipment in found:
        ship_to = shipment["ship_city"]
        if shipment["ship_state"]:
            ship_to = places((ship_to, shipment["ship_state"]))
        rows.append({
            "pk": shipment["pk"],
            "url": link(shipment["pk"]),
            "order": ident(shipment["order_number"]),
            # "Y/m/d" shows the local day only: the day is formatted, as the datetime was.
            "created": days(shipment["created"].astimezone(local_zone).date()),
            "items": items[shipment["pk"]],
            "ship_to": ship_to,
            "promised_by": days(shipment["promised_by"]),
            "status_label": statuses.get(shipment["status"], shipment["status"]),
        })
    return rows


def _once(format_value: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """`format_value`, remembering its answer for each value (None is formatted as the
    function would); for one page only, so nothing outlives the request."""
    seen: dict[Any, Any] = {}

    def formatted(value: Any) -> Any:
        if value not in seen:
            seen[value] = format_value(value)
        return seen[value]

    return formatted

