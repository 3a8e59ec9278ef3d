"""The pages `make bench` and `profile_pages.py` load, computed inside Django.

`all_pages()` returns (name, path, email of the user to sign in as or None). Anonymous pages
are measured with the page cache on and off; signed-in pages always take the rendered path.
Add a page here.
"""

from __future__ import annotations

import json

from django.urls import reverse
from django.utils import translation
from oscar.core.loading import get_model

from tests.benchmarks.seed_work import CUSTOMER_EMAIL

VENDOR_EMAIL = "bench-vendor@bench.chaarsoo.local"
PROVIDER_EMAIL = "provider@demo.chaarsoo.local"
OPERATOR_EMAIL = "operator@demo.chaarsoo.local"
CEILING = "ceiling (bare Django view)"


def anonymous_pages() -> list[tuple[str, str]]:
    from services_catalog.models import Job
    from services_catalog.views import track_token

    Product = get_model("catalogue", "Product")
    Category = get_model("catalogue", "Category")
    with translation.override("fa"):
        product = Product.objects.get(upc="CHS0000001").get_absolute_url()
        category = Category.objects.filter(depth=1, is_public=True).order_by("path").first().get_absolute_url()
        job = Job.objects.filter(customer__username="customer", status="completed", number__startswith="CH").first()
        job = job or Job.objects.filter(customer__username="customer", status="completed").first()
        track = reverse("services_catalog:job-track", args=[track_token(job)])
    return [
        (CEILING, "/bench/ceiling"),
        ("home page (Wagtail)", "/fa/"),
        ("catalogue (Oscar)", "/fa/shop/"),
        ("catalogue, page 100", "/fa/shop/?page=100"),
        ("category page", category),
        ("product page (Oscar)", product),
        ("help article (Wagtail)", "/fa/help/how-to-order/"),
        ("services list", "/fa/services/"),
        ("job timeline (signed link)", track),
    ]


def signed_in_pages() -> list[tuple[str, str, str]]:
    return [
        ("catalogue, shopper with a basket", "/fa/shop/", CUSTOMER_EMAIL),
        ("basket", "/fa/shop/basket/", CUSTOMER_EMAIL),
        ("checkout (shipping address)", "/fa/shop/checkout/shipping-address/", CUSTOMER_EMAIL),
        ("account orders (200)", "/fa/shop/accounts/orders/", CUSTOMER_EMAIL),
        ("account jobs (200)", "/fa/services/jobs/", CUSTOMER_EMAIL),
        ("seller shipments (10,000 lines)", "/fa/dashboard/seller/shipments/", VENDOR_EMAIL),
        ("provider jobs", "/fa/dashboard/services/provider/", PROVIDER_EMAIL),
        ("provider calendar", "/fa/dashboard/services/provider/calendar/", PROVIDER_EMAIL),
        ("staff job queue (10,000 jobs)", "/fa/dashboard/services/", OPERATOR_EMAIL),
    ]


def all_pages() -> list[tuple[str, str, str | None]]:
    return [(name, path, None) for name, path in anonymous_pages()] + signed_in_pages()


def print_json() -> None:
    print(json.dumps({"anonymous": anonymous_pages(), "signed_in": signed_in_pages()}))
