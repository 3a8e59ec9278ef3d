"""Serializer fields of the pages' `api_fields` that point outside the page tree: the
linked service and catalogue category come resolved, with absolute addresses."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from rest_framework import serializers


class ServiceSummaryField(serializers.Field):
    """A ServicePage's service, as the service catalogue API describes it."""

    def get_attribute(self, instance):
        return instance.service

    def to_representation(self, service) -> dict[str, Any] | None:
        # Imported here: cms.models (which names this field) loads while the models of the
        # catalogue apps this reaches are still loading.
        from cms.api_representations import service_summaries

        found = service_summaries([service.pk], self.context.get("request")) if service is not None else []
        return found[0] if found else None


class CategorySummaryField(serializers.Field):
    """A LandingPage's catalogue category: its name and its product list's addresses."""

    def get_attribute(self, instance):
        return instance.category

    def to_representation(self, category) -> dict[str, Any] | None:
        from cms.api_representations import absolute  # see ServiceSummaryField.to_representation

        if category is None:
            return None
        return {
            "id": category.pk, "name": category.get_name(), "slug": category.slug,
            "url": absolute(category.get_absolute_url()),
            "api_url": absolute(reverse("product-list") + f"?category={category.pk}"),
        }
