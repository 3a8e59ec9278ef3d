"""Services of partner offices; callers write `from offices.services import errand_file`."""

from offices.services._common import clerk_office, is_origin_clerk, is_performer_clerk, require_clerk
from offices.services.filing import destination_area, errand_file, errand_services, errand_take_cash, office_cash
from offices.services.inbox import (
    errand_accept,
    errand_decline,
    errand_hand_over,
    errand_originals,
    errand_progress,
    errand_result,
)
from offices.services.money import (
    errand_split_post,
    office_balance,
    office_payout_record,
    office_statement,
    shares_for,
    split_amounts,
)
from offices.services.offices_admin import clerk_create, clerk_set_active, office_provider
from offices.services.orders import counter_order_place
from offices.services.refunds import refund_request_decide, refund_request_open, refundable
from offices.services.routes import errand_reroute, errand_route

__all__ = [
    "clerk_create", "clerk_office", "clerk_set_active", "counter_order_place", "destination_area", "errand_accept",
    "errand_decline", "errand_file", "errand_hand_over", "errand_originals", "errand_progress", "errand_reroute",
    "errand_result", "errand_route", "errand_services", "errand_split_post", "errand_take_cash", "is_origin_clerk",
    "is_performer_clerk", "office_balance", "office_cash", "office_payout_record", "office_provider",
    "office_statement", "refund_request_decide", "refund_request_open", "refundable", "require_clerk", "shares_for",
    "split_amounts",
]
