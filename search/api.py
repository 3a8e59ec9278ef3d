"""The search API: /api/v1/search/?q=&type=&category=&vendor=&price_min=&price_max=
&in_stock=&installation=&rating=&sort=&page= and /api/v1/search/suggest/?q=."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.staff_api import ERROR
from search import service
from search.api_params import SearchParamsSerializer, SuggestParamsSerializer, validated
from search.backends.database import price_bucket_bounds
from search.query import PRICE_BUCKETS

INVALID = OpenApiResponse(ERROR, description="A query parameter is not valid (code invalid_parameters).")


def _language(request, params) -> str:
    language = params.get("lang") or getattr(request, "LANGUAGE_CODE", "fa")
    return "en" if str(language).startswith("en") else "fa"


class HitSerializer(serializers.Serializer):
    kind = serializers.CharField()
    id = serializers.IntegerField(source="object_id")
    title = serializers.CharField()
    summary = serializers.CharField()
    url = serializers.CharField()
    image = serializers.CharField(allow_blank=True)
    price = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True, coerce_to_string=True)
    currency = serializers.CharField(allow_blank=True)
    in_stock = serializers.BooleanField()
    installation = serializers.BooleanField()
    vendor_id = serializers.IntegerField(allow_null=True)
    category_id = serializers.IntegerField(allow_null=True)


class FacetValueSerializer(serializers.Serializer):
    value = serializers.CharField()
    count = serializers.IntegerField()


class SearchResponseSerializer(serializers.Serializer):
    query = serializers.CharField()
    type = serializers.CharField()
    did_you_mean = serializers.CharField(allow_blank=True)
    corrected = serializers.DictField(child=serializers.CharField())
    counts = serializers.DictField(child=serializers.IntegerField())
    total = serializers.IntegerField()
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    results = HitSerializer(many=True)
    facets = serializers.DictField(child=FacetValueSerializer(many=True))
    backend = serializers.CharField()


def _hit(doc: dict, language: str) -> dict:
    return {**doc, "title": service.display_title(doc, language), "summary": service.display_summary(doc, language),
            "url": service.localized_url(doc, language)}


def _facets(result) -> dict[str, list[dict]]:
    if not result.facets:
        return {}
    facets = result.facets
    out = {
        "category": [{"value": path, "count": n} for path, n in sorted(facets["category"].items())],
        "vendor": [{"value": str(v), "count": n} for v, n in sorted(facets["vendor"].items())],
        "price": [],
        "in_stock": [{"value": "true", "count": facets["in_stock"].get(True, 0)}],
        "installation": [{"value": "true", "count": facets["installation"].get(True, 0)}],
        "rating": [{"value": str(stars), "count": n} for stars, n in sorted(facets["rating"].items())],
    }
    for index in range(len(PRICE_BUCKETS) + 1):
        if facets["price"].get(index):
            low, high = price_bucket_bounds(index)
            out["price"].append({"value": f"{low if low is not None else ''}-{high if high is not None else ''}",
                                 "count": facets["price"][index]})
    return out




class SearchView(APIView):
    """One search over goods, services and help, with goods facets."""

    @extend_schema(parameters=[SearchParamsSerializer], responses={200: SearchResponseSerializer, 400: INVALID})
    def get(self, request):
        params = validated(SearchParamsSerializer, request.query_params)
        language = _language(request, params)
        search_request = service.request_from(params, language=language)
        result = service.run(search_request)
        hits = result.hits + [doc for docs in result.sections.values() for doc in docs]
        return Response({
            "query": search_request.q, "type": search_request.kind or "product",
            "did_you_mean": result.plan.did_you_mean, "corrected": result.plan.corrected,
            "counts": result.counts, "total": result.total, "page": search_request.page, "pages": result.pages,
            "results": HitSerializer([_hit(doc, language) for doc in hits], many=True).data,
            "facets": _facets(result), "backend": result.backend,
        })


class SuggestView(APIView):
    """As-you-type suggestions (goods, services, categories, help titles) from two letters."""

    @extend_schema(
        parameters=[SuggestParamsSerializer],
        responses={400: INVALID, 200: inline_serializer("SearchSuggestions", {
            "q": serializers.CharField(),
            "results": inline_serializer("SearchSuggestion", {
                "kind": serializers.CharField(), "title": serializers.CharField(), "url": serializers.CharField(),
            }, many=True),
        })},
    )
    def get(self, request):
        params = validated(SuggestParamsSerializer, request.query_params)
        language = _language(request, params)
        q = params.get("q", "").strip()[: service.MAX_QUERY_LENGTH]
        docs = service.suggest(q, language=language) if len(q) >= 2 else []
        return Response({"q": q, "results": [
            {"kind": d["kind"], "title": service.display_title(d, language), "url": service.localized_url(d, language)}
            for d in docs
        ]})
