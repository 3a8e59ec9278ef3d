"""Storefront listing views, served from the database (Oscar's haystack views replaced).

`CatalogueView` and `ProductCategoryView` keep Oscar's names so Oscar's catalogue app
picks them up through `get_class("search.views", ...)`.
"""

from __future__ import annotations

from urllib.parse import unquote, urlencode

from django.contrib import messages
from django.http import Http404, HttpResponsePermanentRedirect, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView, View
from oscar.core.loading import get_model

from core.permissions import Ability, has_ability
from shop.catalogue.pagination import CachedCountPaginator
from shop.catalogue.selectors import product_list

Category = get_model("catalogue", "Category")

MAX_QUERY_LENGTH = 100


class _ProductListView(ListView):
    context_object_name = "products"
    paginate_by = 24

    def count_key(self) -> str:
        return ""

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        paginator = super().get_paginator(queryset, per_page, orphans, allow_empty_first_page, **kwargs)
        if isinstance(paginator, CachedCountPaginator):
            paginator.count_key = self.count_key()  # issue 16: no SQL compiled for the count's key
        return paginator

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            messages.error(request, _("That page number does not exist; here is the first page."))
            return redirect(request.path)


class CatalogueView(_ProductListView):
    template_name = "oscar/catalogue/browse.html"
    paginator_class = CachedCountPaginator  # issue 16: no catalogue-wide COUNT(*) per request

    def get_queryset(self):
        return product_list()

    def count_key(self) -> str:
        return "all"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["summary"] = _("All products")
        ctx["listing_cache_key"] = f"all|{self.request.GET.urlencode()}"  # issue 16: cards rendered once
        return ctx


class ProductCategoryView(_ProductListView):
    template_name = "oscar/catalogue/category.html"
    paginator_class = CachedCountPaginator

    def get(self, request, *args, **kwargs):
        self.category = get_object_or_404(Category, pk=kwargs["pk"])
        if not (self.category.is_public or has_ability(request.user, Ability.MANAGE_SHOP)):
            raise Http404
        expected = self.category.get_absolute_url()
        if unquote(expected) != unquote(request.path):
            return HttpResponsePermanentRedirect(expected)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return product_list(category=self.category)

    def count_key(self) -> str:
        return f"category:{self.category.pk}"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["category"] = self.category
        ctx["summary"] = self.category.get_name()
        ctx["listing_cache_key"] = f"category:{self.category.pk}|{self.request.GET.urlencode()}"
        return ctx


class ProductSearchView(View):
    """The shop's old search address: one search for the whole site now (issue 11)."""

    def get(self, request, *args, **kwargs):
        query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
        target = reverse("site_search:results")
        return HttpResponseRedirect(f"{target}?{urlencode({'q': query, 'type': 'product'})}" if query else target)
