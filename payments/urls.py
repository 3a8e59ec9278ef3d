from django.urls import path

from payments import views

app_name = "payments"

urlpatterns = [
    path("order/<str:number>/pay/", views.order_pay, name="order-pay"),
    path("order/<str:number>/return/", views.order_return, name="order-return"),
    path("receipts/", views.receipts, name="receipts"),
    path("receipts/<int:pk>/", views.receipt, name="receipt"),
]
