"""Storefront pages of the vendors app: the application form, the customer's warranty and
cancelling their order (P5)."""

from django.urls import path

from vendors import views

app_name = "vendors"
urlpatterns = [
    path("apply/", views.apply, name="apply"),
    path("apply/thanks/", views.apply_thanks, name="apply-thanks"),
    path("warranty/", views.claim_list, name="claim-list"),
    path("warranty/lines/<int:line_pk>/claim/", views.claim_create, name="claim-create"),
    path("warranty/claims/<int:pk>/", views.claim_detail, name="claim-detail"),
    path("orders/<str:number>/cancel/", views.order_cancel, name="order-cancel"),
    path("orders/<str:number>/shipments/<int:pk>/cancel/", views.shipment_cancel, name="shipment-cancel"),
]
