"""The seller dashboard (vendor users) and the staff's vendor pages, under /<lang>/dashboard/seller/."""

from django.urls import path

from vendors import dashboard_views as views

app_name = "vendors-dashboard"
urlpatterns = [
    # Vendor users: their own partner's data only.
    path("", views.home, name="home"),
    path("shipments/", views.shipment_list, name="shipment-list"),
    path("shipments/<int:pk>/", views.shipment_detail, name="shipment-detail"),
    path("claims/", views.claim_list, name="claim-list"),
    path("claims/<int:pk>/", views.claim_detail, name="claim-detail"),
    path("payouts/", views.payout_list, name="payout-list"),
    path("stock/", views.stock_list, name="stock-list"),
    path("stock/<int:pk>/", views.stock_update, name="stock-update"),
    path("performance/", views.performance, name="performance"),
    # Staff only.
    path("applications/", views.application_list, name="application-list"),
    path("applications/<int:pk>/", views.application_detail, name="application-detail"),
    path("vendors/", views.vendor_list, name="vendor-list"),
    path("vendors/<int:pk>/", views.vendor_detail, name="vendor-detail"),
    path("vendors/shipments/<int:pk>/", views.staff_shipment_detail, name="staff-shipment-detail"),
]
