"""Services of partner offices; callers write `from offices.services import errand_file`."""

from offices.services._common import clerk_office, is_origin_clerk, is_performer_clerk, require_clerk
from offices.services.counter import errand_refund_hand_back, errand_take_payment, office_reconciliation
from offices.services.filing import destination_area, errand_file, errand_services, errand_take_cash
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
from offices.services.order_refunds import (
    counter_order_refund_line,
    counter_refund_hand_back,
    counter_refunds_owed,
    counter_refunds_returned,
)
from offices.services.orders import (
    counter_address_add,
    counter_basket,
    counter_basket_add,
    counter_basket_set_quantity,
    counter_basket_voucher_add,
    counter_basket_voucher_remove,
    counter_checkout,
    counter_order_place,
    customer_addresses,
    payment_ways,
)
from offices.services.refunds import refund_request_decide, refund_request_open, refundable
from offices.services.routes import errand_reroute, errand_route

__all__ = [
    "counter_order_refund_line", "counter_refund_hand_back", "counter_refunds_owed", "counter_refunds_returned",
    "counter_address_add", "counter_basket", "counter_basket_add", "counter_basket_set_quantity",
    "counter_basket_voucher_add", "counter_basket_voucher_remove", "counter_checkout", "customer_addresses",
    "errand_refund_hand_back", "errand_take_payment", "office_reconciliation", "payment_ways",
    "clerk_create", "clerk_office", "clerk_set_active", "counter_order_place", "destination_area", "errand_accept",
    "errand_decline", "errand_file", "errand_hand_over", "errand_originals", "errand_progress", "errand_reroute",
    "errand_result", "errand_route", "errand_services", "errand_split_post", "errand_take_cash", "is_origin_clerk",
    "is_performer_clerk", "office_balance", "office_payout_record", "office_provider",
    "office_statement", "refund_request_decide", "refund_request_open", "refundable", "require_clerk", "shares_for",
    "split_amounts",
]
