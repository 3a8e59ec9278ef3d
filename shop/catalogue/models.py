"""Catalogue fork: products and categories carry their text in Persian and English.

Oscar's own `title`, `description` and `name` hold the Persian (default-language) text;
the `_en` fields hold English. Readers ask for `get_title()` / `get_name()` and get the
active language's text, falling back to Persian when the English is missing.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from oscar.apps.catalogue.abstract_models import AbstractCategory, AbstractProduct, AbstractProductClass


def _wants_english() -> bool:
    return (get_language() or "fa").startswith("en")


class Product(AbstractProduct):
    title_en = models.CharField(_("Title (English)"), max_length=255, blank=True)
    description_en = models.TextField(_("Description (English)"), blank=True)

    class Meta(AbstractProduct.Meta):
        # Listings (shop.catalogue.selectors.product_list) show top-level products newest
        # first: this index hands them over in that order, so a page of 24 reads about 24
        # rows instead of sorting the whole catalogue (issue 16).
        indexes = [models.Index(fields=["parent", "date_created", "id"], name="product_listing_order")]

    def get_title(self) -> str:
        if _wants_english():
            english = self.title_en or (self.parent.title_en if self.parent_id else "")
            if english:
                return english
        return super().get_title()

    def get_description(self) -> str:
        if _wants_english() and self.description_en:
            return self.description_en
        return self.description

    @property
    def sorted_recommended_products(self):
        # The product page reads whether there are any with the product (`has_recommendations`,
        # shop.catalogue.views): most products have none, and then no query is asked.
        if getattr(self, "has_recommendations", None) is False:
            return []
        return super().sorted_recommended_products


class ProductClass(AbstractProductClass):
    """Oscar's product types. The demo's are stored by their English name ("Goods", marked
    with gettext_noop): every place that prints one (form choices, Oscar's dashboard, the
    product page) shows it through the catalogue; a name typed in Persian stays as typed."""

    def __str__(self) -> str:
        return gettext(self.name) if self.name else self.slug


class Category(AbstractCategory):
    name_en = models.CharField(_("Name (English)"), max_length=255, blank=True)

    def get_name(self) -> str:
        if _wants_english() and self.name_en:
            return self.name_en
        return self.name


from oscar.apps.catalogue.models import *  # noqa: E402,F401,F403
