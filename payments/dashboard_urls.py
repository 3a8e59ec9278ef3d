from django.urls import path

from payments import dashboard

app_name = "payments-dashboard"

urlpatterns = [
    path("", dashboard.payment_list, name="list"),
    path("<int:pk>/", dashboard.payment_detail, name="detail"),
    path("<int:pk>/refund/", dashboard.payment_refund, name="refund"),
]
