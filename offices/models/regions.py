"""Iran's provinces and their counties (a table seeded by a data migration, written by us)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def _wants_english() -> bool:
    return (get_language() or "fa").startswith("en")


class Region(models.Model):
    class Kind(models.TextChoices):
        PROVINCE = "province", _("Province")
        COUNTY = "county", _("County")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="counties", verbose_name=_("province")
    )
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    # The seat (provincial capital, county town): where distances are measured from.
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=5)
    longitude = models.DecimalField(_("longitude"), max_digits=8, decimal_places=5)
    # The service area (services_catalog.Area) an errand to this region is booked in.
    area = models.ForeignKey(
        "services_catalog.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("service area"),
    )

    class Meta:
        ordering = ["kind", "name", "pk"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="province", parent__isnull=True) | Q(kind="county", parent__isnull=False),
                name="region_county_has_province",
            ),
        ]

    def __str__(self) -> str:
        return self.get_name()

    def get_name(self) -> str:
        return self.name_en if _wants_english() and self.name_en else self.name

    @property
    def province(self) -> Region:
        return self if self.kind == self.Kind.PROVINCE else self.parent
