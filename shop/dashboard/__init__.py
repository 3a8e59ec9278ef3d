"""Oscar's dashboard, forked the Oscar way (label `dashboard`) so that its access rule is
a named permission (core.permissions `manage_shop`) on top of Oscar's `is_staff`; the
orders and catalogue dashboards below are forked too.

Oscar lets partner users into its order pages, but its order detail shows every line of
an order (another vendor's lines too) and the customer's email. Vendors handle their
part of an order in the seller dashboard (vendors/), which shows only their shipment.
"""
