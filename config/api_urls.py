from django.urls import include, path
from rest_framework.routers import DefaultRouter
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from cms.api import ContentPagesAPIViewSet
from core.profile_api import ProfileView
from shop.catalogue.api import CategoryViewSet, ProductViewSet

router = DefaultRouter()
router.register("catalogue/categories", CategoryViewSet, basename="category")
router.register("catalogue/products", ProductViewSet, basename="product")

cms_router = WagtailAPIRouter("wagtailapi")
cms_router.register_endpoint("pages", ContentPagesAPIViewSet)
cms_router.register_endpoint("images", ImagesAPIViewSet)
cms_router.register_endpoint("documents", DocumentsAPIViewSet)

urlpatterns = [
    path("me/", ProfileView.as_view(), name="api-profile"),
    path("auth/", include("customers.auth_api_urls")),
    path("cms/", cms_router.urls),
    path("vendor/", include("vendors.api_urls")),
    path("shop/", include("shop.api.urls")),
    path("payments/", include("payments.api_urls")),
    path("staff/", include("config.staff_api_urls")),
    path("referrals/", include("referrals.api_urls")),
    path("search/", include("search.api_urls")),
    path("support/", include("support.api_urls")),
    path("offices/", include("offices.api_urls")),
    path("", include("services_catalog.api_urls")),
    path("", include(router.urls)),
]
