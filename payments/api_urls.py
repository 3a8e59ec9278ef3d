"""Card payments for apps, under /api/v1/payments/."""

from django.db import transaction
from django.urls import path

from payments import api

app_name = "payments-api"
urlpatterns = [
    # Stripe is called outside any transaction (docs/architecture.md: money never crosses
    # Stripe inside an open database transaction).
    path("<slug:kind>/<str:reference>/intent/", transaction.non_atomic_requests(api.PaymentIntentView.as_view()),
         name="intent"),
]
