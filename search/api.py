"""The search API: /api/v1/search/?q=&type=&category=&vendor=&price_min=&price_max=
&in_stock=&installation=&rating=&ordering=&page=&page_size= and /api/v1/search/suggest/?q=.

The search answers as every list of the API does (core.api.StandardPagination: `count`,
`next`, `previous`, `results`; `?page=`, `?page_size=` up to 100; a page past the end is a
404 `not_found`; `?ordering=` as core.api.DeclaredOrderingFilter reads it, one field, an
unknown one a 400 `invalid`), with its own keys beside them (facets, counts per kind…).
The results page (search.views) keeps its own `sort=` and page links."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_serializer,
    inline_serializer,
)
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import PageSerializer, StandardPagination, ordering_description, ordering_terms
from core.staff_api import ERROR
from search import service
from search.api_params import InvalidSearchParameters, SearchParamsSerializer, SuggestParamsSerializer, validated
from search.backends.database import price_bucket_bounds
from search.query import ORDERING_FIELDS, PRICE_BUCKETS

# The deepest result the API serves, whatever the page size (Elasticsearch's default
# max_result_window): the results page's last page (MAX_PAGE) at its page size.
MAX_RESULTS = service.MAX_PAGE * service.PER_PAGE

INVALID = OpenApiResponse(ERROR, description="A query parameter is not valid: `invalid_parameters` (the "
                                            "parameter named in `detail`), or `invalid` for `ordering`.")
PAST_THE_END = OpenApiResponse(ERROR, description="A page past the end of the results.")
ORDERING = OpenApiParameter(
    "ordering", OpenApiTypes.STR, description=ordering_description(
        ORDERING_FIELDS, "relevance (the best match first)", several=False))
PAGE_SIZE = OpenApiParameter(
    "page_size", OpenApiTypes.INT,
    description=f"{StandardPagination.page_size_query_description} At most {StandardPagination.max_page_size}; "
                f"default {StandardPagination.page_size}.")


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


@extend_schema_serializer(component_name="PaginatedSearchHitList")
class SearchResponseSerializer(PageSerializer):
    """A page of hits of the asked kind (`count` of them in all), as every list answers,
    with the search's own keys beside them."""

    results = HitSerializer(many=True)
    query = serializers.CharField()
    type = serializers.CharField()
    did_you_mean = serializers.CharField(allow_blank=True)
    corrected = serializers.DictField(child=serializers.CharField())
    counts = serializers.DictField(child=serializers.IntegerField(), help_text="Matches per kind")
    sections = serializers.DictField(
        child=HitSerializer(many=True),
        help_text="Without `type`: the best services and help beside the goods (kind -> hits)")
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


def _ordering(request) -> str:
    """`?ordering=` read as every list reads it (core.api.ordering_terms), one field; the
    backend's sort name (query.SORTS), relevance when absent."""
    terms = ordering_terms(request.query_params.get("ordering"), ORDERING_FIELDS)
    if len(terms) > 1:
        raise exceptions.ValidationError({"ordering": [InvalidSearchParameters.one_ordering_message()]})
    return terms[0] if terms else "relevance"


class SearchView(APIView):
    """One search over goods, services and help, with goods facets."""

    @extend_schema(parameters=[SearchParamsSerializer, PAGE_SIZE, ORDERING],
                   responses={200: SearchResponseSerializer, 400: INVALID, 404: PAST_THE_END})
    def get(self, request):
        sort = _ordering(request)
        params = validated(SearchParamsSerializer, request.query_params)
        paginator = StandardPagination()
        page_size = paginator.get_page_size(request)
        page = int(params.get("page", 1))
        if page * page_size > MAX_RESULTS:
            raise InvalidSearchParameters.beyond(MAX_RESULTS)
        params["sort"] = sort
        language = _language(request, params)
        search_request = service.request_from(params, language=language, per_page=page_size)
        result = service.run(search_request)
        paginator.paginate_total(request, search_request.page, result.total, page_size)
        body = paginator.get_paginated_response(
            HitSerializer([_hit(doc, language) for doc in result.hits], many=True).data).data
        body.update({
            "query": search_request.q, "type": search_request.kind or "product",
            "did_you_mean": result.plan.did_you_mean, "corrected": result.plan.corrected,
            "counts": result.counts,
            "sections": {kind: HitSerializer([_hit(doc, language) for doc in docs], many=True).data
                         for kind, docs in result.sections.items()},
            "facets": _facets(result), "backend": result.backend,
        })
        return Response(body)


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
