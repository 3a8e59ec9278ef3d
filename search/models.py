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

    kind = models.CharField(max_length=10, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    # Empty: the document speaks both languages (its text holds fa and en); else the
    # language of a help article.
    language = models.CharField(max_length=8, blank=True, default="")
    title = models.CharField(max_length=255)
    title_en = models.CharField(max_length=255, blank=True, default="")
    summary = models.CharField(max_length=300, blank=True, default="")
    summary_en = models.CharField(max_length=300, blank=True, default="")
    url = models.CharField(max_length=300)
    image = models.CharField(max_length=300, blank=True, default="")
    # The normalised words (search.normalize): title words first, then the rest.
    title_norm = models.CharField(max_length=400, blank=True, default="")
    text = models.TextField(blank=True, default="")
    # Goods facets.
    category_id = models.IntegerField(null=True, blank=True)
    category_path = models.CharField(max_length=255, blank=True, default="")
    vendor_id = models.IntegerField(null=True, blank=True)
    vendor_name = models.CharField(max_length=128, blank=True, default="")
    price = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=12, blank=True, default="")
    in_stock = models.BooleanField(default=False)
    installation = models.BooleanField(default=False)
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    popularity = models.PositiveIntegerField(default=0)
    created = models.DateTimeField(null=True, blank=True)
    # category path|vendor|in stock|installation|rating|price range (backends.database.facet_key)
    facet_key = models.CharField(max_length=300, blank=True, default="")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id", "language"], name="searchdoc_unique")]
        indexes = [
            models.Index(fields=["kind", "category_path"], name="searchdoc_kind_cat"),
            models.Index(fields=["kind", "price"], name="searchdoc_kind_price"),
            models.Index(fields=["kind", "created"], name="searchdoc_kind_created"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id} {self.title}"


class SearchTerm(models.Model):
    """Every normalised word ever indexed: the dictionary for typo and layout checks."""

    term = models.CharField(max_length=64, unique=True)

    def __str__(self) -> str:
        return self.term


class Synonym(models.Model):
    """Words and phrases that mean the same to a shopper («یخچال، refrigerator, fridge»)."""

    terms = models.CharField(
        _("words that mean the same"), max_length=400,
        help_text=_("Separate them with commas, for example: fridge, refrigerator, یخچال"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    updated = models.DateTimeField(auto_now=True)

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

    query = models.CharField(max_length=200)
    results = models.PositiveIntegerField()
    language = models.CharField(max_length=8, blank=True, default="")
    created = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["created", "query"], name="querylog_created_query")]

    def __str__(self) -> str:
        return self.query


class PendingIndex(models.Model):
    """A change the external engine (Elasticsearch) has not taken yet: replayed later."""

    kind = models.CharField(max_length=10)
    object_id = models.PositiveBigIntegerField()
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="pendingindex_unique")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}"
