"""What each StreamField block answers in the page API, as serializers the schema is built
from (issue 17 point 4): a generated client reads a shelf's products as typed objects, not
as untyped dictionaries. The answers themselves are built by the blocks
(`cms.blocks`, `cms.api_representations`); these classes only describe them."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_array_type, build_basic_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import PolymorphicProxySerializer
from rest_framework import serializers

from services_catalog.api.catalogue import ServiceSerializer
from shop.catalogue.api import AvailabilitySerializer, PriceSerializer


class ImageValueSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.URLField(help_text="A rendition at most 1600 px wide or high, absolute on SITE_URL")
    width = serializers.IntegerField()
    height = serializers.IntegerField()


class ShelfProductSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    title = serializers.CharField()
    price = PriceSerializer(allow_null=True, help_text="null when the product has no price for this shopper")
    availability = AvailabilitySerializer()
    image = serializers.URLField(allow_null=True)
    url = serializers.URLField(help_text="The product's page on the site")
    api_url = serializers.URLField(help_text="The product in /api/v1/products/")


class ProductShelfValueSerializer(serializers.Serializer):
    heading = serializers.CharField()
    products = ShelfProductSerializer(many=True, help_text="Still on sale, in the editor's order")


class ServiceShelfValueSerializer(serializers.Serializer):
    heading = serializers.CharField()
    services = ServiceSerializer(many=True, help_text="Still offered, in the editor's order")


class CallToActionValueSerializer(serializers.Serializer):
    title = serializers.CharField()
    text = serializers.CharField(allow_blank=True)
    link_text = serializers.CharField()
    link_url = serializers.CharField(help_text="Absolute on SITE_URL for our own pages; another address as written")


def _block(name: str, value: serializers.Field, doc: str) -> type[serializers.Serializer]:
    """A block of one type: {type, id, value}; `type` is the discriminator."""
    fields: dict[str, Any] = {
        "type": serializers.ChoiceField(choices=[name]),
        "id": serializers.CharField(help_text="The block's id, stable across edits"),
        "value": value,
        "__doc__": doc,
    }
    return type(f"{name.title().replace('_', '')}Block", (serializers.Serializer,), fields)


BLOCKS: dict[str, type[serializers.Serializer]] = {
    "heading": _block("heading", serializers.CharField(), "A heading's text."),
    "paragraph": _block("paragraph", serializers.CharField(help_text="HTML"), "Rich text as HTML."),
    "image": _block("image", ImageValueSerializer(allow_null=True), "An image (null once deleted)."),
    "products": _block("products", ProductShelfValueSerializer(), "A product shelf, resolved."),
    "call_to_action": _block("call_to_action", CallToActionValueSerializer(), "A call to action."),
    "services": _block("services", ServiceShelfValueSerializer(), "A service shelf, resolved."),
}

CONTENT_BLOCK = PolymorphicProxySerializer(
    component_name="ContentBlock", serializers=BLOCKS, resource_type_field_name="type",
)


class PageBodyField(serializers.JSONField):
    """A page's body as Wagtail's API gives it: a list of blocks on home, landing and
    service pages; the HTML of the text on help articles and terms."""


class PageBodyFieldExtension(OpenApiSerializerFieldExtension):
    """The body in the schema: HTML, or a list of typed blocks discriminated by `type`."""

    target_class = PageBodyField

    def map_serializer_field(self, auto_schema: Any, direction: str) -> dict[str, Any]:
        blocks = auto_schema.resolve_serializer(CONTENT_BLOCK, direction).ref
        return {
            "oneOf": [
                {**build_basic_type(OpenApiTypes.STR), "description": "Help articles and terms: HTML"},
                {**build_array_type(blocks), "description": "Home, landing and service pages: blocks"},
            ],
        }
