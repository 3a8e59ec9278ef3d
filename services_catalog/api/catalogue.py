"""`/api/v1/services/…`: the service catalogue before a request (issue 17 point 3).

Categories, areas and services with their prices (strings with the currency), volume
tiers (S3), the customer tiers a service is offered to (A5), the lead time and the
earliest date (S1), the documents required (S6), and the free slots of a service in an
area (S13). Every figure comes from the same model methods and services the site's
service pages and request form use.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from core.api import DeclaredOrderingFilter, MoneySerializer
from core.bounds import booking_horizon_days, latest_booking_date
from core.staff_api import error_responses
from services_catalog import matching, selectors, services
from services_catalog.models import Area, PriceTier, RequiredDocument, Service, ServiceCategory
from services_catalog.views import customer_tier

DEFAULT_SLOT_DAYS = 14


def money_data(amount: Decimal, currency: str) -> dict[str, str]:
    """Money as the API writes it: the amount as a string (never a float) and its currency."""
    return {"amount": f"{amount:.2f}", "currency": currency}


def site_url(path: str) -> str:
    """An absolute address on the public site (SITE_URL), whatever host the API was called on."""
    return f"{settings.SITE_URL}{path}"


class ServiceCategorySerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="get_name", read_only=True)
    kind = serializers.CharField(read_only=True, help_text="home_repair, car, errand, course or tour")

    class Meta:
        model = ServiceCategory
        fields = ["slug", "name", "kind"]


class AreaSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="get_name", read_only=True)

    class Meta:
        model = Area
        fields = ["slug", "name"]


class PriceTierSerializer(serializers.ModelSerializer):
    unit_price = serializers.SerializerMethodField()

    class Meta:
        model = PriceTier
        fields = ["min_quantity", "unit_price"]

    @extend_schema_field(MoneySerializer)
    def get_unit_price(self, tier: PriceTier) -> dict[str, str]:
        return money_data(tier.unit_price, tier.service.currency)


class RequiredDocumentSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="get_name", read_only=True)

    class Meta:
        model = RequiredDocument
        fields = ["id", "name", "original_needed"]


class ServiceSerializer(serializers.ModelSerializer):
    """A service in a list: what it is, what it costs, how soon it can be booked."""

    name = serializers.CharField(source="get_name", read_only=True)
    summary = serializers.CharField(source="get_summary", read_only=True)
    category = ServiceCategorySerializer(read_only=True)
    pricing_model = serializers.CharField(read_only=True, help_text="fixed, per_unit or quote")
    price = serializers.SerializerMethodField(
        help_text="The fixed price, or the unit price below the first volume tier; null when quoted."
    )
    unit_name = serializers.CharField(source="get_unit_name", read_only=True)
    price_tiers = PriceTierSerializer(many=True, read_only=True)
    payment_rule = serializers.CharField(read_only=True, help_text="upfront, on_completion or deposit (S5)")
    customer_tiers = serializers.SerializerMethodField(
        help_text="The customer tiers the service is offered to (A5): one_off, registered, loyal."
    )
    earliest_date = serializers.SerializerMethodField(help_text="The first date a request may ask for (S1).")
    areas = AreaSerializer(many=True, read_only=True)
    url = serializers.SerializerMethodField(help_text="The service's page on the site.")
    api_url = serializers.SerializerMethodField()

    class Meta:
        model = Service
        fields = [
            "slug", "name", "summary", "category", "pricing_model", "price", "unit_name", "price_tiers",
            "payment_rule", "deposit_percent", "min_lead_days", "earliest_date", "customer_tiers", "areas", "url",
            "api_url",
        ]

    @extend_schema_field(MoneySerializer(allow_null=True))
    def get_price(self, service: Service) -> dict[str, str] | None:
        if service.pricing_model == Service.PricingModel.QUOTE:
            return None
        return money_data(service.base_price, service.currency)

    def get_customer_tiers(self, service: Service) -> list[str]:
        return [tier for tier in ("one_off", "registered", "loyal") if service.allows_tier(tier)]

    def get_earliest_date(self, service: Service) -> datetime.date:
        return services.earliest_date(service)

    def get_url(self, service: Service) -> str:
        return site_url(reverse("services_catalog:service-detail", kwargs={"slug": service.slug}))

    def get_api_url(self, service: Service) -> str:
        return site_url(reverse("services_catalog-api:service-detail", kwargs={"slug": service.slug}))


class ServiceDetailSerializer(ServiceSerializer):
    """One service with what a request needs: documents (S6), cancellation fees (S8) and
    whether the signed-in customer's tier may book it (A5)."""

    required_documents = RequiredDocumentSerializer(many=True, read_only=True)
    handling_fee = serializers.SerializerMethodField(help_text="Charged when cancelled after assignment (S8).")
    callout_fee = serializers.SerializerMethodField(help_text="Charged when cancelled after dispatch (S8).")
    available_to_you = serializers.SerializerMethodField(
        help_text="Whether your customer tier may book it; null when signed out."
    )

    class Meta(ServiceSerializer.Meta):
        fields = ServiceSerializer.Meta.fields + [
            "required_documents", "handling_fee", "callout_fee", "available_to_you",
        ]

    @extend_schema_field(MoneySerializer)
    def get_handling_fee(self, service: Service) -> dict[str, str]:
        return money_data(service.handling_fee, service.currency)

    @extend_schema_field(MoneySerializer)
    def get_callout_fee(self, service: Service) -> dict[str, str]:
        return money_data(service.callout_fee, service.currency)

    @extend_schema_field(serializers.BooleanField(allow_null=True))
    def get_available_to_you(self, service: Service) -> bool | None:
        request = self.context.get("request")
        tier = customer_tier(request.user) if request is not None else None
        return None if tier is None else service.allows_tier(tier)


class FreeSlotSerializer(serializers.Serializer):
    date = serializers.DateField()
    slot = serializers.CharField(help_text="morning, afternoon or evening")
    free = serializers.BooleanField(help_text="At least one provider of the area works then and is not booked.")
    providers_free = serializers.IntegerField(min_value=0)


class ServiceAvailabilitySerializer(serializers.Serializer):
    service = serializers.CharField()
    area = serializers.CharField()
    earliest_date = serializers.DateField(help_text="S1: no request may ask for an earlier date.")
    latest_date = serializers.DateField(help_text="Requests are booked at most this far ahead.")
    slots = FreeSlotSerializer(many=True)


class ServiceCategoryViewSet(viewsets.ReadOnlyModelViewSet):
    """Service categories, in the site's order."""

    serializer_class = ServiceCategorySerializer
    permission_classes = [AllowAny]
    lookup_field = "slug"
    lookup_value_regex = r"[^/]+"
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[ServiceCategory]:
        return ServiceCategory.objects.order_by("ordering", "pk")


class AreaViewSet(viewsets.ReadOnlyModelViewSet):
    """The areas services are offered in."""

    serializer_class = AreaSerializer
    permission_classes = [AllowAny]
    lookup_field = "slug"
    lookup_value_regex = r"[^/]+"
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[Area]:
        return Area.objects.order_by("name", "pk")


class ServiceViewSet(viewsets.ReadOnlyModelViewSet):
    """Active services (issue 5 point 2), filterable by category and area slug."""

    permission_classes = [AllowAny]
    lookup_field = "slug"
    lookup_value_regex = r"[^/]+"
    filter_backends = [DeclaredOrderingFilter]
    ordering_fields = ["name", "base_price", "min_lead_days", "created"]  # ?ordering= (docs/api.md)
    ordering = ["category__ordering", "category_id", "name"]

    def get_queryset(self) -> QuerySet[Service]:
        if self.action == "list":
            return selectors.services_list(
                category=self.request.query_params.get("category") or None,
                area=self.request.query_params.get("area") or None,
            )
        return selectors.services_list().prefetch_related("required_documents")

    def get_serializer_class(self):
        return ServiceSerializer if self.action == "list" else ServiceDetailSerializer

    @extend_schema(parameters=[
        OpenApiParameter("category", str, description="Only services of this category (slug)"),
        OpenApiParameter("area", str, description="Only services offered in this area (slug)"),
    ])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        parameters=[
            OpenApiParameter("area", str, required=True, description="The area's slug"),
            OpenApiParameter("days", int, description=f"How many days from the earliest date "
                                                      f"(default {DEFAULT_SLOT_DAYS})"),
        ],
        responses={200: ServiceAvailabilitySerializer, **error_responses(400, 404)},
    )
    @action(detail=True, methods=["get"])
    def availability(self, request: Request, slug: str | None = None) -> Response:
        """The earliest date (S1) and the free slots (S13) of the service in an area, from
        the earliest date on: where a request would find a provider."""
        service = self.get_object()
        area = self._area(service, request.query_params.get("area"))
        days = self._days(request.query_params.get("days"))
        earliest = services.earliest_date(service)
        latest = latest_booking_date(earliest)
        days = min(days, (latest - earliest).days + 1)
        slots = matching.free_slots(service_id=service.pk, area_id=area.pk, start=earliest, days=days)
        return Response(ServiceAvailabilitySerializer({
            "service": service.slug, "area": area.slug, "earliest_date": earliest, "latest_date": latest,
            "slots": [{"date": day, "slot": slot, "free": count > 0, "providers_free": count}
                      for day, slot, count in slots],
        }).data)

    @staticmethod
    def _area(service: Service, slug: str | None) -> Area:
        if not slug:
            raise ValidationError({"area": [_("Choose an area.")]})
        area = next((area for area in service.areas.all() if area.slug == slug), None)
        if area is None:
            raise ValidationError({"area": [_("This service is not offered in that area.")]})
        return area

    @staticmethod
    def _days(raw: str | None) -> int:
        if raw in (None, ""):
            return DEFAULT_SLOT_DAYS
        try:
            days = int(raw)
        except ValueError:
            days = 0
        if not 1 <= days <= booking_horizon_days():
            raise ValidationError({"days": [_("Choose between 1 and %(max)s days.") % {"max": booking_horizon_days()}]})
        return days
