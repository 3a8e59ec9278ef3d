"""The catalogue: categories, areas, services with volume tiers, required documents."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel

from services_catalog.models.common import ZERO, _wants_english, default_currency, money, unit_price_at


# --------------------------------------------------------------------------- catalogue
class ServiceCategory(models.Model):
    class Kind(models.TextChoices):
        HOME_REPAIR = "home_repair", _("Home repair")
        CAR = "car", _("Car service")
        ERRAND = "errand", _("Errand")
        COURSE = "course", _("Course")
        TOUR = "tour", _("Tour")

    slug = models.SlugField(_("slug"), max_length=80, unique=True, allow_unicode=True)
    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    ordering = models.PositiveSmallIntegerField(_("ordering"), default=0)

    class Meta:
        ordering = ["ordering", "pk"]
        verbose_name = _("service category")
        verbose_name_plural = _("service categories")

    def __str__(self) -> str:
        return self.get_name()

    def get_name(self) -> str:
        if _wants_english() and self.name_en:
            return self.name_en
        return self.name


class Area(models.Model):
    slug = models.SlugField(_("slug"), max_length=80, unique=True, allow_unicode=True)
    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")

    def __str__(self) -> str:
        return self.get_name()

    def get_name(self) -> str:
        if _wants_english() and self.name_en:
            return self.name_en
        return self.name


class Service(ClusterableModel):
    class PricingModel(models.TextChoices):
        FIXED = "fixed", _("Fixed price")
        PER_UNIT = "per_unit", _("Price per unit (volume tiers)")
        QUOTE = "quote", _("Quote required")

    class PaymentRule(models.TextChoices):
        UPFRONT = "upfront", _("Paid in full before the work")
        ON_COMPLETION = "on_completion", _("Paid after the work")
        DEPOSIT = "deposit", _("Deposit first, balance after the work")

    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True, allow_unicode=True)
    summary = models.TextField(_("summary"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    category = models.ForeignKey(
        ServiceCategory, on_delete=models.PROTECT, related_name="services", verbose_name=_("category")
    )
    pricing_model = models.CharField(
        _("pricing model"), max_length=20, choices=PricingModel.choices, default=PricingModel.QUOTE
    )
    base_price = models.DecimalField(
        _("base price"), max_digits=12, decimal_places=2, default=ZERO,
        help_text=_("The fixed price, or the price per unit when no volume tier applies."),
    )
    unit_name = models.CharField(_("unit"), max_length=60, blank=True, help_text=_("For example: square metre"))
    unit_name_en = models.CharField(_("unit (English)"), max_length=60, blank=True)
    min_lead_days = models.PositiveSmallIntegerField(
        _("minimum lead time (days)"), default=1, help_text=_("Between one and three days (S1).")
    )
    payment_rule = models.CharField(
        _("when it is paid"), max_length=20, choices=PaymentRule.choices, default=PaymentRule.ON_COMPLETION
    )
    deposit_percent = models.PositiveSmallIntegerField(
        _("deposit (%)"), null=True, blank=True, help_text=_("Only for a deposit first: 1 to 99 percent.")
    )
    areas = ParentalManyToManyField(Area, blank=True, related_name="services", verbose_name=_("areas"))
    for_one_off = models.BooleanField(_("offered to one-off customers"), default=True)
    for_registered = models.BooleanField(_("offered to registered customers"), default=True)
    for_loyal = models.BooleanField(_("offered to loyal customers"), default=True)
    handling_fee = models.DecimalField(
        _("handling fee"), max_digits=12, decimal_places=2, default=ZERO,
        help_text=_("Charged when the customer cancels after a provider is assigned, before dispatch (S8)."),
    )
    callout_fee = models.DecimalField(
        _("call-out fee"), max_digits=12, decimal_places=2, default=ZERO,
        help_text=_("Charged, with the work done so far, when the customer cancels after dispatch (S8)."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["category__ordering", "name", "pk"]
        verbose_name = _("service")
        verbose_name_plural = _("services")
        constraints = [
            models.CheckConstraint(
                condition=Q(min_lead_days__gte=1, min_lead_days__lte=3), name="service_lead_days_1_to_3"
            ),
            models.CheckConstraint(
                condition=(
                    # isnull=False: SQL lets a check pass when it evaluates to NULL.
                    Q(payment_rule="deposit", deposit_percent__isnull=False, deposit_percent__gte=1,
                      deposit_percent__lte=99)
                    | (~Q(payment_rule="deposit") & Q(deposit_percent__isnull=True))
                ),
                name="service_deposit_percent_only_for_deposit",
            ),
            models.CheckConstraint(condition=Q(base_price__gte=0), name="service_base_price_not_negative"),
            models.CheckConstraint(
                condition=Q(handling_fee__gte=0, callout_fee__gte=0), name="service_fees_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.get_name()

    def get_name(self) -> str:
        if _wants_english() and self.name_en:
            return self.name_en
        return self.name

    def get_summary(self) -> str:
        if _wants_english() and self.summary_en:
            return self.summary_en
        return self.summary

    def get_unit_name(self) -> str:
        if _wants_english() and self.unit_name_en:
            return self.unit_name_en
        return self.unit_name

    @property
    def currency(self) -> str:
        return default_currency()

    @property
    def is_quoted_automatically(self) -> bool:
        return self.pricing_model in (self.PricingModel.FIXED, self.PricingModel.PER_UNIT)

    def unit_price_for(self, quantity: int) -> Decimal:
        """S3: the price of one unit at this volume (see `unit_price_at`)."""
        return unit_price_at(
            quantity, base_price=self.base_price,
            tiers=[(tier.min_quantity, tier.unit_price) for tier in self.price_tiers.all()],
        )

    def price_for(self, quantity: int) -> Decimal:
        """The automatic price of a request: fixed per job, or per unit at the volume's tier."""
        if self.pricing_model == self.PricingModel.FIXED:
            return money(self.base_price)
        return money(self.unit_price_for(quantity) * quantity)

    def allows_tier(self, tier: str) -> bool:
        """A5: whether a customer of this tier ("one_off", "registered", "loyal") may book it."""
        return {"one_off": self.for_one_off, "registered": self.for_registered, "loyal": self.for_loyal}.get(
            tier, False
        )

    def deposit_for(self, total: Decimal) -> Decimal:
        if self.payment_rule != self.PaymentRule.DEPOSIT or not self.deposit_percent:
            return ZERO
        return money(Decimal(total) * Decimal(self.deposit_percent) / Decimal(100))


class PriceTier(models.Model):
    """S3: from `min_quantity` units on, each unit costs `unit_price`."""

    service = ParentalKey(Service, on_delete=models.CASCADE, related_name="price_tiers", verbose_name=_("service"))
    min_quantity = models.PositiveIntegerField(_("from quantity"))
    unit_price = models.DecimalField(_("unit price"), max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["min_quantity"]
        verbose_name = _("volume price")
        verbose_name_plural = _("volume prices")
        constraints = [
            models.UniqueConstraint(fields=["service", "min_quantity"], name="price_tier_unique_quantity"),
            models.CheckConstraint(condition=Q(min_quantity__gte=1), name="price_tier_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="price_tier_price_not_negative"),
        ]

    def __str__(self) -> str:
        return f"≥{self.min_quantity}: {self.unit_price}"


class RequiredDocument(models.Model):
    """S6: a document the customer must provide (a scan, or the original by post/courier)."""

    service = ParentalKey(
        Service, on_delete=models.CASCADE, related_name="required_documents", verbose_name=_("service"),
    )
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    original_needed = models.BooleanField(
        _("original needed"), default=False,
        help_text=_("The original must reach the provider (post, courier, or collected and returned)."),
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")

    def __str__(self) -> str:
        return self.get_name()

    def get_name(self) -> str:
        if _wants_english() and self.name_en:
            return self.name_en
        return self.name
