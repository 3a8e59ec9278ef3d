"""What search stores: one document per searchable thing, the words seen, synonyms, and
a cheap log of what people asked.

`SearchDocument` holds everything a results page shows and filters on (no join back to
the shop at query time). The database backend matches words through its own full-text
index kept beside this table: an FTS5 virtual table on SQLite, a GIN index on
`to_tsvector('simple', text)` on PostgreSQL (see the migration).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    class Kind(models.TextChoices):
        PRODUCT = "product", _("Goods")
        SERVICE = "service", _("Services")
        HELP = "help", _("Help")
        CATEGORY = "category", _("Categories")

    kind = models.CharField(max_length=10, choices=Kind.choices, verbose_name=_("kind"))
    object_id = models.PositiveBigIntegerField(verbose_name=_("object ID"))
    # Empty: the document speaks both languages (its text holds fa and en); else the
    # language of a help article.
    language = models.CharField(max_length=8, blank=True, default="", verbose_name=_("language"))
    title = models.CharField(max_length=255, verbose_name=_("title"))
    title_en = models.CharField(max_length=255, blank=True, default="", verbose_name=_("title (English)"))
    summary = models.CharField(max_length=300, blank=True, default="", verbose_name=_("summary"))
    summary_en = models.CharField(max_length=300, blank=True, default="", verbose_name=_("summary (English)"))
    url = models.CharField(max_length=300, verbose_name=_("URL"))
    image = models.CharField(max_length=300, blank=True, default="", verbose_name=_("image"))
    # The normalised words (search.normalize): title words first, then the rest.
    title_norm = models.CharField(max_length=400, blank=True, default="", verbose_name=_("normalised title"))
    text = models.TextField(blank=True, default="", verbose_name=_("indexed text"))
    # Goods facets.
    category_id = models.IntegerField(null=True, blank=True, verbose_name=_("category ID"))
    category_path = models.CharField(max_length=255, blank=True, default="", verbose_name=_("category path"))
    vendor_id = models.IntegerField(null=True, blank=True, verbose_name=_("vendor ID"))
    vendor_name = models.CharField(max_length=128, blank=True, default="", verbose_name=_("vendor name"))
    price = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True, verbose_name=_("price"))
    currency = models.CharField(max_length=12, blank=True, default="", verbose_name=_("currency"))
    in_stock = models.BooleanField(default=False, verbose_name=_("in stock"))
    installation = models.BooleanField(default=False, verbose_name=_("installation"))
    rating = models.PositiveSmallIntegerField(null=True, blank=True, verbose_name=_("rating"))
    popularity = models.PositiveIntegerField(default=0, verbose_name=_("popularity"))
    created = models.DateTimeField(null=True, blank=True, verbose_name=_("created at"))
    # category path|vendor|in stock|installation|rating|price range (backends.database.facet_key)
    facet_key = models.CharField(max_length=300, blank=True, default="", verbose_name=_("facet key"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id", "language"], name="searchdoc_unique")]
        indexes = [
            models.Index(fields=["kind", "category_path"], name="searchdoc_kind_cat"),
            models.Index(fields=["kind", "price"], name="searchdoc_kind_price"),
            models.Index(fields=["kind", "created"], name="searchdoc_kind_created"),
        ]
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id} {self.title}"


class SearchTerm(models.Model):
    """Every normalised word ever indexed: the dictionary for typo and layout checks."""

    term = models.CharField(max_length=64, unique=True, verbose_name=_("term"))

    class Meta:
        verbose_name = _("search term")
        verbose_name_plural = _("search terms")

    def __str__(self) -> str:
        return self.term


class Synonym(models.Model):
    """Words and phrases that mean the same to a shopper («یخچال، refrigerator, fridge»)."""

    terms = models.CharField(
        _("words that mean the same"), max_length=400,
        help_text=_("Separate them with commas, for example: fridge, refrigerator, یخچال"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    updated = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        ordering = ["-updated", "-pk"]
        verbose_name = _("synonym group")
        verbose_name_plural = _("synonym groups")

    def __str__(self) -> str:
        return self.terms

    def parts(self) -> list[str]:
        return [part.strip() for part in self.terms.replace("،", ",").split(",") if part.strip()]


class QueryLog(models.Model):
    """One row per results page asked for: the normalised query and how many it found."""

    query = models.CharField(max_length=200, verbose_name=_("query"))
    results = models.PositiveIntegerField(verbose_name=_("results"))
    language = models.CharField(max_length=8, blank=True, default="", verbose_name=_("language"))
    created = models.DateTimeField(db_index=True, verbose_name=_("created at"))

    class Meta:
        indexes = [models.Index(fields=["created", "query"], name="querylog_created_query")]
        verbose_name = _("query log")
        verbose_name_plural = _("query logs")

    def __str__(self) -> str:
        return self.query


class PendingIndex(models.Model):
    """A change the external engine (Elasticsearch) has not taken yet: replayed later."""

    kind = models.CharField(max_length=10, verbose_name=_("kind"))
    object_id = models.PositiveBigIntegerField(verbose_name=_("object ID"))
    created = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="pendingindex_unique")]
        verbose_name = _("pending index entry")
        verbose_name_plural = _("pending index entries")

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}"
