from django.urls import path

from payments import views

app_name = "payments"

urlpatterns = [
    path("receipts/", views.receipts, name="receipts"),
    path("receipts/<int:pk>/", views.receipt, name="receipt"),
    # The names the shop has always used for an order's pages; same URLs, same views.
    path("order/<str:number>/pay/", views.order_pay, name="order-pay"),
    path("order/<str:number>/return/", views.order_return, name="order-return"),
    # The one pay page and return page of every registered payable (payments.payables).
    path("<slug:kind>/<str:reference>/pay/", views.pay, name="pay"),
    path("<slug:kind>/<str:reference>/return/", views.pay_return, name="return"),
]
