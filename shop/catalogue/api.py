"""Catalogue API: categories and products with price and availability, paginated and
filterable by category. Prices come from Oscar's strategy, the same as the storefront."""

from __future__ import annotations

import django_filters
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from oscar.core.loading import get_class, get_model
from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny

from search.backends import database_backend
from shop.catalogue.selectors import product_list, public_categories

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")
Selector = get_class("partner.strategy", "Selector")


class CategorySerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()
    parent = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Category
        fields = ["id", "name", "slug", "depth", "parent", "url"]

    def get_name(self, category: Category) -> str:
        return category.get_name()

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_parent(self, category: Category) -> int | None:
        parent_path = category.path[: -Category.steplen]
        return self.context.get("category_ids_by_path", {}).get(parent_path)

    def get_url(self, category: Category) -> str:
        return category.get_absolute_url()


class PriceSerializer(serializers.Serializer):
    currency = serializers.CharField()
    incl_tax = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    excl_tax = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)


class AvailabilitySerializer(serializers.Serializer):
    is_available_to_buy = serializers.BooleanField()
    code = serializers.CharField()
    message = serializers.CharField()
    num_available = serializers.IntegerField(allow_null=True)


class ProductSerializer(serializers.ModelSerializer):
    title = serializers.SerializerMethodField()
    description = serializers.SerializerMethodField()
    price = serializers.SerializerMethodField()
    availability = serializers.SerializerMethodField()
    image = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Product
        fields = ["id", "upc", "slug", "title", "description", "price", "availability", "image", "url"]

    def _info(self, product: Product):
        cache = self.context.setdefault("_purchase_info", {})
        if product.pk not in cache:
            cache[product.pk] = self.context["strategy"].fetch_for_product(product)
        return cache[product.pk]

    def get_title(self, product: Product) -> str:
        return product.get_title()

    def get_description(self, product: Product) -> str:
        return product.get_description()

    @extend_schema_field(PriceSerializer(allow_null=True))
    def get_price(self, product: Product) -> dict | None:
        price = self._info(product).price
        if not price.exists:
            return None
        return {
            "currency": price.currency,
            # Strings, so no client ever reads money through a float.
            "incl_tax": f"{price.incl_tax:.2f}" if price.is_tax_known else None,
            "excl_tax": f"{price.excl_tax:.2f}",
        }

    @extend_schema_field(AvailabilitySerializer())
    def get_availability(self, product: Product) -> dict:
        availability = self._info(product).availability
        return {
            "is_available_to_buy": availability.is_available_to_buy,
            "code": availability.code,
            "message": str(availability.message),
            "num_available": getattr(availability, "num_available", None),
        }

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_image(self, product: Product) -> str | None:
        images = list(product.images.all())
        if not images:
            return None
        request = self.context.get("request")
        url = images[0].original.url
        return request.build_absolute_uri(url) if request else url

    def get_url(self, product: Product) -> str:
        return product.get_absolute_url()


class ProductFilter(django_filters.FilterSet):
    category = django_filters.NumberFilter(
        method="filter_category", label=_("Category id (includes its sub-categories)")
    )
    q = django_filters.CharFilter(method="filter_text", label=_("Words to search for"))

    class Meta:
        model = Product
        fields = ["category", "q"]

    def filter_category(self, queryset, name, value):
        category = Category.objects.filter(pk=value, is_public=True).first()
        if category is None:
            return queryset.none()
        return queryset.filter(categories__in=category.get_descendants_and_self()).distinct()

    def filter_text(self, queryset, name, value):
        # One search for the whole site (issue 11): the words go through the search index.
        matching = database_backend().product_ids_sql(value[:100])
        return queryset.filter(pk__in=RawSQL(*matching)) if matching else queryset


class CategoryViewSet(viewsets.ReadOnlyModelViewSet):
    """Public catalogue categories, in tree order."""

    serializer_class = CategorySerializer
    permission_classes = [AllowAny]
    filter_backends: list = []

    def get_queryset(self):
        return public_categories()

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["category_ids_by_path"] = dict(public_categories().values_list("path", "id"))
        return context


class ProductViewSet(viewsets.ReadOnlyModelViewSet):
    """Products on sale, with the price and availability a shopper would see."""

    serializer_class = ProductSerializer
    permission_classes = [AllowAny]
    filterset_class = ProductFilter
    # By price: the search API (/api/v1/search/?ordering=price) has it indexed.
    ordering_fields = ["date_created"]  # ?ordering= (docs/api.md)
    ordering = ["-date_created"]

    def get_queryset(self):
        return product_list()

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["strategy"] = Selector().strategy(request=self.request, user=self.request.user)
        return context
