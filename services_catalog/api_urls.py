"""API routes under /api/v1/ (namespace `services_catalog-api`): the catalogue
(`service-categories/`, `service-areas/`, `services/…` with the free slots of an area),
`jobs/…` for customers, `provider/…` for providers."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from services_catalog import api

router = SimpleRouter()
router.register("service-categories", api.ServiceCategoryViewSet, basename="service-category")
router.register("service-areas", api.AreaViewSet, basename="service-area")
router.register("services", api.ServiceViewSet, basename="service")
router.register("jobs", api.JobViewSet, basename="job")
router.register("provider/jobs", api.ProviderJobViewSet, basename="provider-job")

app_name = "services_catalog-api"
urlpatterns = [
    path("provider/slots/", api.ProviderSlotsView.as_view(), name="provider-slots"),
    path("provider/earnings/", api.ProviderEarningsView.as_view(), name="provider-earnings"),
    path("", include(router.urls)),
]
