"""Providers with their areas and weekly availability."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ledger import codes
from services_catalog.models.catalogue import Area, Service
from services_catalog.models.common import ZERO, Slot, Weekday


# --------------------------------------------------------------------------- providers
class Provider(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="provider", verbose_name=_("user"),
    )
    display_name = models.CharField(_("display name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    areas = models.ManyToManyField(Area, blank=True, related_name="providers", verbose_name=_("areas served"))
    services = models.ManyToManyField(
        Service, blank=True, related_name="providers", verbose_name=_("services offered")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    rating_average = models.DecimalField(_("average rating"), max_digits=3, decimal_places=2, default=ZERO)
    rating_count = models.PositiveIntegerField(_("ratings"), default=0)
    commission_rate = models.DecimalField(
        _("commission rate"), max_digits=4, decimal_places=3, default=Decimal("0.15"),
        help_text=_("The platform's share of each job (0.15 = 15%)."),
    )
    created = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["display_name", "pk"]
        verbose_name = _("service provider")
        verbose_name_plural = _("service providers")
        constraints = [
            models.CheckConstraint(
                condition=Q(commission_rate__gte=0, commission_rate__lte=1), name="provider_commission_0_to_1"
            ),
            models.CheckConstraint(
                condition=Q(rating_average__gte=0, rating_average__lte=5), name="provider_rating_0_to_5"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def payable_account_code(self) -> str:
        """The ledger account holding what the platform owes this provider (S17)."""
        return codes.provider_available(self.pk)


class ProviderAvailability(models.Model):
    """S13: the provider works this slot on this weekday (every week)."""

    provider = models.ForeignKey(
        Provider, on_delete=models.CASCADE, related_name="availability", verbose_name=_("provider"),
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    slot = models.CharField(_("slot"), max_length=20, choices=Slot.choices)

    class Meta:
        ordering = ["provider", "weekday", "slot"]
        verbose_name = _("weekly availability")
        verbose_name_plural = _("weekly availability")
        constraints = [
            models.UniqueConstraint(fields=["provider", "weekday", "slot"], name="availability_unique"),
            models.CheckConstraint(condition=Q(weekday__gte=0, weekday__lte=6), name="availability_weekday_0_6"),
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.get_weekday_display()} {self.get_slot_display()}"
