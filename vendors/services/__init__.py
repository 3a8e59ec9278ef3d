"""Every write the vendor domain knows (issue 4; rules P1–P4, S10, S11, S17), one module
per capability:

- applications: applying to sell, approving and rejecting (review_vendor_applications)
- checkout: contract terms, delivery promises, stock, installation, placing an order
  split into one shipment per vendor
- shipments: confirm, ship, deliver, cancel (vendors.machines.SHIPMENT)
- cancellation: the customer cancelling a shipment or the whole order (P5), with the
  card refund sent after commit (shipment_refunds_send)
- payables: crediting delivered sales, releasing them after the return window, refunds
- payouts: paying a vendor out, Stripe outside any transaction (pay_out)
- sanctions: suspending, reinstating (suspend_party) and fining (fine_party)
- claims: warranty claims (vendors.machines.CLAIM) and the quality policy

Conventions (docs/architecture.md): keyword-only functions inside `transaction.atomic`;
contested rows locked in a fixed order (order, then shipment, then its lines; stock
records by pk); typed errors from vendors.errors; side effects after commit; staff act
only with the named ability (core.permissions), a vendor's users only for their vendor.
Reads live in vendors.selectors; this package re-exports the ones callers reach here.
"""

from vendors.selectors import vendor_balance, vendor_contact_phone, vendor_for_user
from vendors.services._common import user_can_act_for
from vendors.services.applications import (
    APPLICATION_FIELDS,
    application_approve,
    application_reject,
    application_submit,
)
from vendors.services.cancellation import (
    cancellable_shipments,
    cancellation_quote,
    customer_can_cancel,
    order_cancel_by_customer,
    shipment_cancel_by_customer,
    shipment_refund_line_ids,
    shipment_refunds_send,
)
from vendors.services.checkout import (
    INSTALLATION_SURCHARGE_CODE,
    basket_delivery_promises,
    basket_installation_options,
    contract_commission_rate,
    contract_warranty_days,
    delivery_days,
    installation_quote,
    order_place,
    order_split_into_shipments,
    product_promises,
    promised_delivery_date,
    stock_set,
)
from vendors.services.claims import (
    warranty_claim_open,
    warranty_claim_resolve,
    warranty_claim_respond,
    warranty_claim_uphold,
)
from vendors.services.payables import (
    commission_for,
    order_refund_allocate,
    order_refund_debit,
    payable_release_due,
)
from vendors.services.payouts import payout_create, payout_send
from vendors.services.sanctions import vendor_fine, vendor_reinstate, vendor_suspend
from vendors.services.shipments import (
    installation_mark_done,
    on_order_status_changed,
    order_cancelled_close_shipments,
    shipment_cancel,
    shipment_confirm,
    shipment_deliver,
    shipment_ship,
)

__all__ = [
    "product_promises",
    "APPLICATION_FIELDS", "INSTALLATION_SURCHARGE_CODE",
    "application_submit", "application_approve", "application_reject", "vendor_suspend", "vendor_reinstate",
    "contract_warranty_days", "contract_commission_rate", "delivery_days", "promised_delivery_date",
    "basket_delivery_promises", "basket_installation_options", "installation_quote", "stock_set", "order_place",
    "order_split_into_shipments", "shipment_confirm", "shipment_ship", "shipment_deliver", "shipment_cancel",
    "order_cancelled_close_shipments", "on_order_status_changed",
    "installation_mark_done", "payable_release_due", "vendor_balance", "payout_create", "payout_send",
    "warranty_claim_open", "warranty_claim_respond", "warranty_claim_uphold", "warranty_claim_resolve",
    "vendor_fine", "order_refund_debit", "order_refund_allocate", "vendor_for_user", "user_can_act_for",
    "vendor_contact_phone", "commission_for",
    "shipment_cancel_by_customer", "order_cancel_by_customer", "cancellation_quote", "cancellable_shipments",
    "customer_can_cancel", "shipment_refunds_send", "shipment_refund_line_ids",
]
