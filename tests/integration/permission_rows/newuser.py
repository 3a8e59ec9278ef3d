"""Rows for pages added while fixing issue 15 (what a new user trips on)."""

from tests.helpers.matrix import OPERATOR, allowed

ROWS = {
    # Staff process a vendor's shipment for it (act_for_vendor).
    "vendors-dashboard:staff-shipment-detail": allowed(OPERATOR),
}
