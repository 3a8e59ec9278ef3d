"""What the CMS blocks answer in the page API (issue 17 point 4): the objects a block
points at, resolved in the same call, with absolute addresses on SITE_URL.

A product is described by the catalogue API's own serializer (the price and availability
a shopper sees, from Oscar's strategy), and a service by the service catalogue's, so a
shelf never says something the product or service endpoint would not.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.urls import reverse
from oscar.core.loading import get_class

from services_catalog.api.catalogue import ServiceSerializer
from services_catalog.models import Service
from shop.catalogue.api import ProductSerializer
from shop.catalogue.selectors import product_list

Selector = get_class("partner.strategy", "Selector")

# The size apps get: large enough for a tablet, never the editor's original upload.
IMAGE_RENDITION = "max-1600x1600"


def absolute(url: str) -> str:
    """An address on the public site: SITE_URL + path, unless storage already gave a full URL."""
    if not url or url.startswith(("http://", "https://")):
        return url
    return f"{settings.SITE_URL}{url}"


def _strategy(request) -> Any:
    user = getattr(request, "user", None)
    return Selector().strategy(request=request, user=user)


def product_summaries(product_ids: Sequence[int], request) -> list[dict[str, Any]]:
    """The chosen products still on sale, in the editor's order: title, price (strings with
    the currency), availability, image and the product's API and web addresses. A fixed
    number of queries however many products."""
    by_id = {product.pk: product for product in product_list().filter(pk__in=list(product_ids)).order_by("pk")}
    products = [by_id[pk] for pk in product_ids if pk in by_id]
    data = ProductSerializer(products, many=True, context={"request": request, "strategy": _strategy(request)}).data
    summaries = []
    for product, item in zip(products, data, strict=True):
        images = list(product.images.all())
        summaries.append({
            "id": item["id"], "slug": item["slug"], "title": item["title"], "price": item["price"],
            "availability": item["availability"],
            "image": absolute(images[0].original.url) if images else None,
            "url": absolute(product.get_absolute_url()),
            "api_url": absolute(reverse("product-detail", kwargs={"pk": product.pk})),
        })
    return summaries


def service_summaries(service_ids: Sequence[int], request) -> list[dict[str, Any]]:
    """The chosen services still offered, in the editor's order, as the service catalogue
    API describes them (price, tiers, lead time, areas, addresses)."""
    chosen = (Service.objects.filter(pk__in=list(service_ids), is_active=True).select_related("category")
              .prefetch_related("areas", "price_tiers"))
    by_id = {service.pk: service for service in chosen}
    services = [by_id[pk] for pk in service_ids if pk in by_id]
    return list(ServiceSerializer(services, many=True, context={"request": request}).data)


def image_data(image) -> dict[str, Any] | None:
    """A Wagtail image as apps need it: a ready-sized rendition's absolute URL and its size."""
    if image is None:
        return None
    rendition = image.get_rendition(IMAGE_RENDITION)
    return {
        "id": image.pk, "title": image.title, "url": absolute(rendition.url), "width": rendition.width,
        "height": rendition.height,
    }
