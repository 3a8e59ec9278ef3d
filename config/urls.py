import os

from django.apps import apps
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from core.private_files import serve_private_file
from core.views import healthz
from payments.views import stripe_webhook

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("payments/stripe/webhook/", stripe_webhook, name="stripe-webhook"),
    path("files/<str:token>/", serve_private_file, name="private-file"),
    path("django-admin/", admin.site.urls),
    path("cms/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v1/", include("config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("i18n/", include("django.conf.urls.i18n")),
]

urlpatterns += i18n_patterns(
    path("shop/", include("shop.urls")),
    path("payments/", include("payments.urls")),
    path("dashboard/payments/", include("payments.dashboard_urls")),
    path("dashboard/seller/", include("vendors.dashboard_urls")),
    path("dashboard/services/", include("services_catalog.dashboard_urls")),
    path("vendors/", include("vendors.urls")),
    path("services/", include("services_catalog.urls")),
    path("account/", include("customers.urls")),
    path("dashboard/referrals/", include("referrals.dashboard_urls")),
    path("dashboard/search/", include("search.dashboard_urls")),
    path("dashboard/support/", include("support.dashboard_urls")),
    path("dashboard/offices/", include("offices.dashboard_urls")),
    path("search/", include("search.urls")),
    path("support/", include("support.urls")),
    path("offices/", include("offices.urls")),
    # Referrals own short paths of their own (the share link /<lang>/r/<code>/).
    path("", include("referrals.urls")),
    path("dashboard/", apps.get_app_config("dashboard").urls),
    # Wagtail last: it serves every remaining path from the page tree of the language.
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)

# Our error pages: the site's layout in the URL's language (core/views.py, templates/).
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"

if os.environ.get("CHAARSOO_BENCH_CEILING"):
    # `make bench` only: the cheapest Django view this server can serve (the ceiling).
    from core.views import bench_ceiling

    urlpatterns.insert(0, path("bench/ceiling", bench_ceiling))

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
