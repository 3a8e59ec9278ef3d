"""Partner offices: the office console (clerks) and the staff pages, under /<lang>/dashboard/offices/."""

from django.urls import path

from offices import console_views as console
from offices import counter_refund_views as counter_refunds
from offices import order_views as orders
from offices import staff_views as staff

app_name = "offices-dashboard"
urlpatterns = [
    # the office console (clerks)
    path("", console.console, name="console"),
    path("customer/", console.customer_lookup, name="customer"),
    path("customer/<int:user_id>/file/", console.file_errand, name="file"),
    path("errands/<str:number>/", console.errand_detail, name="errand"),
    path("errands/<str:number>/act/<str:action>/", console.errand_act, name="errand-act"),
    path("errands/<str:number>/refund/", console.refund_open, name="refund-open"),
    path("errands/<str:number>/file/<str:what>/", console.errand_file_download, name="errand-file"),
    path("cash/", console.cash, name="cash"),
    path("cash/refunds/", counter_refunds.counter_refunds, name="counter-refunds"),
    path("cash/refunds/<int:pk>/back/", counter_refunds.counter_refund_back, name="counter-refund-back"),
    path("customer/<int:user_id>/order/", orders.order_new, name="order-new"),
    path("orders/<str:number>/", orders.order_detail, name="order"),
    # staff
    path("staff/", staff.office_list, name="staff-offices"),
    path("staff/offices/<int:pk>/", staff.office_detail, name="staff-office"),
    path("staff/offices/<int:pk>/clerks/", staff.clerk_add, name="staff-clerk-add"),
    path("staff/clerks/<int:pk>/active/", staff.clerk_toggle, name="staff-clerk-toggle"),
    path("staff/offices/<int:pk>/payout/", staff.payout, name="staff-payout"),
    path("staff/offices/<int:pk>/edit/", staff.office_detail, name="staff-office-edit"),
    path("staff/errands/", staff.errand_list, name="staff-errands"),
    path("staff/errands/<str:number>/", staff.errand_detail, name="staff-errand"),
    path("staff/errands/<str:number>/reroute/", staff.reroute, name="staff-reroute"),
    path("staff/orders/<str:number>/refund/", counter_refunds.staff_order_refund, name="staff-order-refund"),
    path("staff/refunds/<int:pk>/decide/", staff.refund_decide, name="staff-refund-decide"),
]
