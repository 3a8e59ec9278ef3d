"""Support desk: API endpoints, mounted under /api/v1/support/."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from support.api import TicketViewSet

router = SimpleRouter()
router.register("tickets", TicketViewSet, basename="ticket")

app_name = "support-api"
urlpatterns = [path("", include(router.urls))]
