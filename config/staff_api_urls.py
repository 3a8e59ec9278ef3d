"""The staff API (/api/v1/staff/): back-office actions for operator, finance and support
tools, each behind one named ability (core.permissions). config is the composition root,
so it may gather every app's endpoints here."""

from django.urls import path

from payments.staff_api import PaymentRefundView
from services_catalog.api.staff import JobCashView, JobQuoteView
from vendors.staff_api import (
    ApplicationDecisionView,
    ApplicationListView,
    VendorFineView,
    VendorPayoutView,
    VendorSuspensionView,
)

app_name = "staff-api"
urlpatterns = [
    path("payments/<int:pk>/refund/", PaymentRefundView.as_view(), name="payment-refund"),
    path("jobs/<str:number>/cash/", JobCashView.as_view(), name="job-cash"),
    path("jobs/<str:number>/quote/", JobQuoteView.as_view(), name="job-quote"),
    path("vendor-applications/", ApplicationListView.as_view(), name="application-list"),
    path("vendor-applications/<int:pk>/approve/", ApplicationDecisionView.as_view(approve=True),
         name="application-approve"),
    path("vendor-applications/<int:pk>/reject/", ApplicationDecisionView.as_view(approve=False),
         name="application-reject"),
    path("vendors/<int:pk>/fine/", VendorFineView.as_view(), name="vendor-fine"),
    path("vendors/<int:pk>/payouts/", VendorPayoutView.as_view(), name="vendor-payout"),
    path("vendors/<int:pk>/suspend/", VendorSuspensionView.as_view(suspend=True), name="vendor-suspend"),
    path("vendors/<int:pk>/reinstate/", VendorSuspensionView.as_view(suspend=False), name="vendor-reinstate"),
]
