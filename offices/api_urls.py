"""Partner offices: API endpoints, mounted under /api/v1/offices/ (namespace `offices-api`)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from offices import api

router = SimpleRouter()
router.register("errands", api.OfficeErrandViewSet, basename="errand")

app_name = "offices-api"
urlpatterns = [path("", include(router.urls))]
