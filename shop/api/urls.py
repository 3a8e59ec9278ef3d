"""The shopper's API under /api/v1/shop/ (issue 17 point 2)."""

from django.urls import path

from shop.api import basket, checkout, orders

app_name = "shop-api"
urlpatterns = [
    path("basket/", basket.BasketView.as_view(), name="basket"),
    path("basket/lines/", basket.BasketLinesView.as_view(), name="basket-lines"),
    path("basket/lines/<int:pk>/", basket.BasketLineView.as_view(), name="basket-line"),
    path("basket/vouchers/", basket.BasketVouchersView.as_view(), name="basket-vouchers"),
    path("basket/vouchers/<int:pk>/", basket.BasketVoucherView.as_view(), name="basket-voucher"),
    path("addresses/", checkout.AddressListView.as_view(), name="addresses"),
    path("checkout/", checkout.CheckoutView.as_view(), name="checkout"),
    path("orders/", orders.OrderListView.as_view(), name="orders"),
    path("orders/<str:number>/", orders.OrderDetailView.as_view(), name="order"),
    path("orders/<str:number>/lines/<int:line_id>/claims/", orders.ClaimCreateView.as_view(), name="line-claims"),
    path("orders/<str:number>/cancel/", orders.OrderCancelView.as_view(), name="order-cancel"),
    path("orders/<str:number>/shipments/<int:shipment_id>/cancel/", orders.ShipmentCancelView.as_view(),
         name="shipment-cancel"),
]
