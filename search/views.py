"""The results page /<lang>/search/?q= and the as-you-type suggestions it calls."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from search import service
from search.backends.database import price_bucket_bounds
from search.models import SearchDocument
from search.query import PRICE_BUCKETS

SORT_LABELS = (
    ("relevance", gettext_lazy("Most relevant")),
    ("price", gettext_lazy("Cheapest first")),
    ("-price", gettext_lazy("Dearest first")),
    ("newest", gettext_lazy("Newest first")),
)


def _language() -> str:
    return (get_language() or "fa")[:2]


def _url(params, **changes) -> str:
    """The current query string with some parameters changed (None removes; page resets)."""
    query = params.copy()
    query.pop("page", None)
    for key, value in changes.items():
        if key == "page":
            if value and value > 1:
                query["page"] = str(value)
            continue
        query.pop(key, None)
        if value is None:
            continue
        if isinstance(value, (list, tuple)):
            query.setlist(key, [str(v) for v in value])
        else:
            query[key] = str(value)
    return "?" + query.urlencode()


def _card(doc: dict, language: str) -> dict:
    return {**doc, "href": service.localized_url(doc, language), "name": service.display_title(doc, language),
            "text": service.display_summary(doc, language)}


def _category_facet(params, facet: dict, current_path: str, language: str) -> dict:
    categories = service.category_docs()
    by_path = {c["category_path"]: c for c in categories}
    depth = len(current_path) // 4 if current_path and current_path != service.UNKNOWN_CATEGORY else 0
    options = []
    for cat in categories:
        path = cat["category_path"]
        is_child = len(path) == (depth + 1) * 4 and path.startswith(current_path if depth else "")
        if is_child and facet.get(path):
            name = cat["title_en"] if language == "en" and cat["title_en"] else cat["title"]
            options.append({"label": name, "count": facet[path], "url": _url(params, category=cat["object_id"])})
    trail = []
    for end in range(4, len(current_path) + 1, 4):
        cat = by_path.get(current_path[:end])
        if cat:
            name = cat["title_en"] if language == "en" and cat["title_en"] else cat["title"]
            trail.append({"label": name, "url": _url(params, category=cat["object_id"])})
    return {"options": options, "trail": trail, "clear": _url(params, category=None) if trail else ""}


def _facets(params, result, language: str) -> dict:
    facets = result.facets
    filters = result.request.filters
    vendors = [
        {"label": facets["vendor_names"].get(vid, "").split(" | ")[1 if language == "en" else 0]
         if " | " in facets["vendor_names"].get(vid, "") else facets["vendor_names"].get(vid, ""),
         "count": n, "selected": vid in filters.vendor_ids,
         "url": _url(params, vendor=sorted(set(filters.vendor_ids) ^ {vid}) or None)}
        for vid, n in sorted(facets["vendor"].items(), key=lambda item: -item[1])
    ]
    prices = []
    for index in range(len(PRICE_BUCKETS) + 1):
        if not facets["price"].get(index):
            continue
        low, high = price_bucket_bounds(index)
        selected = filters.price_min == low and filters.price_max == high
        prices.append({"low": low, "high": high, "count": facets["price"][index], "selected": selected,
                       "url": _url(params, price_min=None if selected else low, price_max=None if selected else high)})
    ratings = [{"stars": stars, "count": facets["rating"][stars], "selected": filters.rating_min == stars,
                "url": _url(params, rating=None if filters.rating_min == stars else stars)}
               for stars in (4, 3, 2, 1) if facets["rating"].get(stars)]
    return {
        "category": _category_facet(params, facets["category"], filters.category_path, language),
        "vendor": vendors,
        "price": prices,
        "in_stock": {"count": facets["in_stock"].get(True, 0), "selected": filters.in_stock,
                     "url": _url(params, in_stock=None if filters.in_stock else 1)},
        "installation": {"count": facets["installation"].get(True, 0), "selected": filters.installation,
                         "url": _url(params, installation=None if filters.installation else 1)},
        "rating": ratings,
    }


@require_GET
def results(request: HttpRequest) -> HttpResponse:
    language = _language()
    search_request = service.request_from(request.GET, language=language)
    context = {"query": search_request.q, "kind": search_request.kind or "product", "overview": not search_request.kind}
    if search_request.q:
        result = service.run(search_request)
        params = request.GET.copy()
        found = sum(result.counts.values())
        if search_request.page == 1:
            service.log_query(search_request.q, found, language)
        context.update(
            result=result,
            hits=[_card(doc, language) for doc in result.hits],
            sections={kind: [_card(doc, language) for doc in docs] for kind, docs in result.sections.items()},
            tabs=[{"kind": kind, "label": label, "count": result.counts.get(kind, 0),
                   "url": _url(params, type=kind, **dict.fromkeys(
                       ("category", "vendor", "price_min", "price_max", "in_stock", "installation", "rating")))}
                  for kind, label in (("product", _("Goods")), ("service", _("Services")), ("help", _("Help")))],
            facets=_facets(params, result, language) if result.facets else None,
            sorts=[{"value": v, "label": label, "url": _url(params, sort=v),
                    "selected": v == search_request.sort} for v, label in SORT_LABELS],
            previous_url=_url(params, page=search_request.page - 1) if search_request.page > 1 else "",
            next_url=_url(params, page=search_request.page + 1) if search_request.page < result.pages else "",
            last_url=_url(params, page=result.pages) if search_request.page < result.pages else "",
            did_you_mean_url=_url(params, q=result.plan.did_you_mean) if result.plan.did_you_mean else "",
            nothing=found == 0,
        )
        if found == 0:
            fallback = service.when_nothing_found()
            context["fallback"] = {k: [_card(d, language) for d in v] for k, v in fallback.items()}
    return render(request, "search/results.html", context)


@require_GET
def suggest(request: HttpRequest) -> JsonResponse:
    language = _language()
    q = request.GET.get("q", "").strip()[: service.MAX_QUERY_LENGTH]
    items = []
    if len(q) >= 2:
        labels = dict(SearchDocument.Kind.choices)
        items = [{"kind": doc["kind"], "kind_label": str(labels.get(doc["kind"], "")),
                  "title": service.display_title(doc, language),
                  "url": service.localized_url(doc, language)} for doc in service.suggest(q, language=language)]
    return JsonResponse({"q": q, "results": items})
