"""The seller dashboard's operations as a REST API under /api/v1/vendor/, scoped to the
authenticated user's vendor."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from vendors import api

router = SimpleRouter()
router.register("shipments", api.ShipmentViewSet, basename="shipment")
router.register("claims", api.ClaimViewSet, basename="claim")
router.register("stock-records", api.StockRecordViewSet, basename="stockrecord")
router.register("payouts", api.PayoutViewSet, basename="payout")

app_name = "vendors-api"
urlpatterns = [
    path("balance/", api.BalanceView.as_view(), name="balance"),
    path("performance/", api.PerformanceView.as_view(), name="performance"),
    path("", include(router.urls)),
]
