"""The documents search indexes: one builder per kind, the same dicts for every backend.

A builder returns None when the thing must not be found any more (unpublished, hidden,
sold by a suspended vendor only); the indexer then deletes its document.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags
from oscar.core.loading import get_model

from cms.models import HelpArticlePage
from search.normalize import joined_variants, normalize
from services_catalog.models import Service
from shop.catalogue.selectors import active_stockrecords, product_list
from vendors.models import ProductTerm

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")

KINDS = ("product", "service", "help", "category")
FIELDS = (
    "kind", "object_id", "language", "title", "title_en", "summary", "summary_en", "url", "image",
    "title_norm", "text", "category_id", "category_path", "vendor_id", "vendor_name", "price",
    "currency", "in_stock", "installation", "rating", "popularity", "created",
)


def _short(text: str, limit: int = 280) -> str:
    text = re.sub(r"\s+", " ", strip_tags(text or "")).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _fa_url(obj) -> str:
    with translation.override("fa"):
        return obj.get_absolute_url()


def _doc(**fields) -> dict:
    doc = dict.fromkeys(FIELDS, "")
    doc.update(category_id=None, vendor_id=None, price=None, rating=None, created=None,
               in_stock=False, installation=False, popularity=0)
    doc.update(fields)
    return doc


def _texts(title_words: Iterable[str], other_words: Iterable[str]) -> tuple[str, str]:
    titles = " ".join(t for t in title_words if t)
    title_norm = " ".join([normalize(titles), *joined_variants(titles)])
    text = " ".join([title_norm, normalize(" ".join(t for t in other_words if t))])
    return title_norm[:400], text


# ----------------------------------------------------------------------- products
def _products_queryset():
    return product_list().prefetch_related(
        Prefetch("categories", queryset=Category.objects.order_by("path")),
        Prefetch("vendor_terms", queryset=ProductTerm.objects.filter(needs_installation=True)),
    ).order_by("pk")


def product_doc(product, ancestors: dict[str, Category] | None = None) -> dict:
    records = list(product.stockrecords.all())
    categories = list(product.categories.all())
    category = categories[0] if categories else None
    names = []
    if category is not None:
        chain = [category]
        if ancestors is not None:
            chain += [ancestors[category.path[:i]] for i in range(category.steplen, len(category.path),
                                                                 category.steplen) if category.path[:i] in ancestors]
        names = [n for c in chain for n in (c.name, c.name_en)]
    prices = [r.price for r in records if r.price is not None]
    vendor = records[0].partner if records else None
    # Both names, "Persian | English" in vendor_name: the facet shows the reader's (search/views.py).
    vendor_names = [n for n in (vendor.name, vendor.name_en) if n] if vendor else []
    images = list(product.images.all())
    title_norm, text = _texts(
        [product.title, product.title_en],
        [product.upc or "", *names, *vendor_names, product.description, product.description_en],
    )
    return _doc(
        kind="product", object_id=product.pk, title=product.title[:255], title_en=product.title_en[:255],
        summary=_short(product.description), summary_en=_short(product.description_en),
        url=_fa_url(product), image=images[0].original.url if images else "",
        title_norm=title_norm, text=text,
        category_id=category.pk if category else None, category_path=category.path if category else "",
        vendor_id=vendor.pk if vendor else None, vendor_name=" | ".join(vendor_names)[:128],
        price=min(prices) if prices else None,
        currency=records[0].price_currency if records else "",
        in_stock=any(r.num_in_stock is None or r.num_in_stock - (r.num_allocated or 0) > 0 for r in records),
        installation=bool(list(product.vendor_terms.all())),
        rating=math.floor(product.rating) if product.rating is not None else None,
        created=product.date_created,
    )


def _category_ancestors() -> dict[str, Category]:
    return {c.path: c for c in Category.objects.all()}


def product_docs(pks: Iterable[int] | None = None, batch: int = 1000) -> Iterator[list[dict]]:
    ancestors = _category_ancestors()
    queryset = _products_queryset()
    if pks is not None:
        queryset = queryset.filter(pk__in=list(pks))
    last = 0
    while True:
        chunk = list(queryset.filter(pk__gt=last)[:batch])
        if not chunk:
            return
        last = chunk[-1].pk
        yield [product_doc(p, ancestors) for p in chunk]


def build_product(pk: int) -> dict | None:
    for docs in product_docs([pk]):
        return docs[0] if docs else None
    return None


def product_count() -> int:
    return _products_queryset().count()


# ----------------------------------------------------------------------- services
def _services_queryset():
    return (Service.objects.filter(is_active=True).select_related("category")
            .annotate(job_count=Count("jobs")).order_by("pk"))


def service_doc(service: Service) -> dict:
    title_norm, text = _texts(
        [service.name, service.name_en],
        [service.category.name, service.category.name_en, service.summary, service.summary_en,
         service.unit_name, service.unit_name_en],
    )
    return _doc(
        kind="service", object_id=service.pk, title=service.name, title_en=service.name_en,
        summary=_short(service.summary), summary_en=_short(service.summary_en), url=_fa_url_service(service),
        title_norm=title_norm, text=text, category_id=service.category_id,
        price=service.base_price if service.base_price and service.base_price > Decimal("0") else None,
        currency=service.currency, in_stock=True, popularity=getattr(service, "job_count", 0),
        created=service.created,
    )


def _fa_url_service(service: Service) -> str:
    with translation.override("fa"):
        return reverse("services_catalog:service-detail", args=[service.slug])


def service_docs(pks: Iterable[int] | None = None) -> Iterator[list[dict]]:
    queryset = _services_queryset()
    if pks is not None:
        queryset = queryset.filter(pk__in=list(pks))
    yield [service_doc(s) for s in queryset]


# ------------------------------------------------------------------- help articles
def _help_queryset():
    return HelpArticlePage.objects.live().public().select_related("locale").order_by("pk")


def help_doc(page: HelpArticlePage) -> dict:
    title_norm, text = _texts([page.title], [page.summary, strip_tags(page.body)])
    language = page.locale.language_code
    return _doc(
        kind="help", object_id=page.pk, language=language, title=page.title[:255],
        summary=_short(page.summary), url=page.url or "", title_norm=title_norm, text=text,
        created=page.first_published_at,
    )


def help_docs(pks: Iterable[int] | None = None) -> Iterator[list[dict]]:
    queryset = _help_queryset()
    if pks is not None:
        queryset = queryset.filter(pk__in=list(pks))
    yield [help_doc(p) for p in queryset]


# ---------------------------------------------------------------------- categories
def category_doc(category: Category) -> dict:
    title_norm, text = _texts([category.name, category.name_en], [])
    return _doc(
        kind="category", object_id=category.pk, title=category.name[:255], title_en=category.name_en[:255],
        url=_fa_url(category), title_norm=title_norm, text=text, category_id=category.pk,
        category_path=category.path, popularity=category.depth,
    )


def category_docs(pks: Iterable[int] | None = None) -> Iterator[list[dict]]:
    queryset = Category.objects.filter(is_public=True).order_by("path")
    if pks is not None:
        queryset = queryset.filter(pk__in=list(pks))
    yield [category_doc(c) for c in queryset]


BUILDERS = {"product": product_docs, "service": service_docs, "help": help_docs, "category": category_docs}


def build(kind: str, pk: int) -> dict | None:
    for docs in BUILDERS[kind]([pk]):
        return docs[0] if docs else None
    return None


def products_for_records(stockrecord_filter: Q) -> list[int]:
    """The products (parents included) whose stock records match: reindexed together."""
    rows = active_stockrecords().model.objects.filter(stockrecord_filter).values_list("product_id",
                                                                                      "product__parent_id")
    return sorted({parent or pk for pk, parent in rows})
