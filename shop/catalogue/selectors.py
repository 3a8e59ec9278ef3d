"""Catalogue reads shared by the storefront views and the API, written to a query budget.

A listing costs a fixed number of queries whatever its length: products, their stock
records (with partner), images and categories are fetched in one query each.

Only products a shopper can buy from an active vendor are listed (issue 4): a product
whose every stock record belongs to a suspended vendor disappears from listings, search
and the API. The test is a subquery in the product query, so it adds no query.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from oscar.core.loading import get_model

from core.text import search_variants

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")
StockRecord = get_model("partner", "StockRecord")
ProductImage = get_model("catalogue", "ProductImage")


def active_stockrecords() -> QuerySet:
    """Stock records a shopper can buy from: those of vendors that are not suspended."""
    return StockRecord.objects.filter(partner__status="active")


def product_list(*, category: Category | None = None, query: str = "") -> QuerySet:
    products = (
        Product.objects.browsable()
        .filter(is_public=True)
        .filter(
            # A parent product is sold through its children's stock records.
            Exists(active_stockrecords().filter(product=OuterRef("pk")))
            | Exists(active_stockrecords().filter(product__parent=OuterRef("pk")))
        )
        .select_related("product_class")
        .prefetch_related(
            Prefetch("stockrecords", queryset=active_stockrecords().select_related("partner").order_by("pk")),
            Prefetch("images", queryset=ProductImage.objects.order_by("display_order", "pk")),
        )
        .order_by("-date_created", "-pk")
    )
    if category is not None:
        products = products.filter(
            categories__in=category.get_descendants_and_self()
        ).distinct()
    if query:
        products = products.filter(text_search_q(query))
    return products


def text_search_q(query: str) -> Q:
    """Match every word of the query in the title or description, in either language.

    Each word is tried in its spelling variants (Arabic/Persian letters, digits, ZWNJ),
    so "كتاب" finds "کتاب".
    """
    condition = Q()
    for word in query.split()[:8]:
        word_q = Q()
        for variant in search_variants(word):
            word_q |= (
                Q(title__icontains=variant)
                | Q(title_en__icontains=variant)
                | Q(description__icontains=variant)
                | Q(description_en__icontains=variant)
                | Q(upc__iexact=variant)
            )
        condition &= word_q
    return condition


def public_categories() -> QuerySet:
    return Category.objects.filter(is_public=True).order_by("path")
