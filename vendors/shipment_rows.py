"""The seller's shipment list as plain values, built once per page (issue 16).

Fifty shipments with their lines rendered from model objects cost the template engine a
`{% url %}`, two Jalali dates, a lazy status label and some twenty attribute lookups per
row: most of the page's CPU. Each row here is a dict of what the row shows, computed on
every request from the rows `dashboard_views.shipment_list_rows` loads (nothing kept
between requests: a status change shows on the next page load).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.html import format_html
from django.utils.timezone import template_localtime
from django.utils.translation import get_language_bidi

from core.row_links import row_link
from core.templatetags.locale_format import date as local_date
from core.templatetags.locale_format import ident
from vendors.models import Shipment


def shipment_rows(shipments: Iterable[Shipment]) -> list[dict[str, Any]]:
    """One dict per shipment of `shipment_list_rows` (annotated order number and
    destination, `list_lines` with each line's title and quantity)."""
    link = row_link("vendors-dashboard:shipment-detail")
    statuses = {value: str(label) for value, label in Shipment.Status.choices}
    separator = "، " if get_language_bidi() else ", "
    rows = []
    for shipment in shipments:
        ship_to = shipment.ship_city
        if shipment.ship_state:
            ship_to = format_html("{}{}{}", ship_to, separator, shipment.ship_state)
        rows.append({
            "pk": shipment.pk,
            "url": link(shipment.pk),
            "order": ident(shipment.order_number),
            "created": local_date(template_localtime(shipment.created), "Y/m/d"),
            "items": [
                {"quantity": item.line_quantity, "title": item.line_title,
                 "installation": item.installation_requested}
                for item in shipment.list_lines
            ],
            "ship_to": ship_to,
            "promised_by": local_date(template_localtime(shipment.promised_by), "Y/m/d"),
            "status_label": statuses.get(shipment.status, shipment.status),
        })
    return rows
