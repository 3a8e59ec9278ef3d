"""Partner offices (A3): rural ICT offices, post counters, government-services kiosks; their clerks."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from offices.models.regions import Region, _wants_english


class PartnerOffice(models.Model):
    class Kind(models.TextChoices):
        ICT = "ict", _("Rural ICT office")
        POST = "post", _("Post counter")
        KIOSK = "kiosk", _("Government-services kiosk")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    province = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("province"),
                                 limit_choices_to={"kind": Region.Kind.PROVINCE})
    county = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="offices", verbose_name=_("county"),
                               limit_choices_to={"kind": Region.Kind.COUNTY})
    address = models.TextField(_("address"))
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=5,
                                   validators=[MinValueValidator(Decimal(-90)), MaxValueValidator(Decimal(90))])
    longitude = models.DecimalField(_("longitude"), max_digits=8, decimal_places=5,
                                    validators=[MinValueValidator(Decimal(-180)), MaxValueValidator(Decimal(180))])
    services = models.ManyToManyField("services_catalog.Service", blank=True, related_name="partner_offices",
                                      verbose_name=_("errands it performs"))
    # Opening hours: the weekdays (Python numbering, Monday 0 … Sunday 6) and the hours.
    open_days = models.CharField(_("open on"), max_length=7, default="012356",
                                 help_text=_("Weekday numbers, Monday 0 to Sunday 6; Friday (4) is usually closed."))
    opens_at = models.TimeField(_("opens at"), default=datetime.time(8))
    closes_at = models.TimeField(_("closes at"), default=datetime.time(16))
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("email"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # The provider record standing for this office on the jobs it performs (its user
    # never signs in); the office's clerks act for it.
    provider = models.OneToOneField("services_catalog.Provider", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="partner_office", editable=False, verbose_name=_("provider"))
    created = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("partner office")
        verbose_name_plural = _("partner offices")
        constraints = [
            models.CheckConstraint(condition=Q(opens_at__lt=models.F("closes_at")), name="office_opens_before_closing"),
        ]

    def __str__(self) -> str:
        return self.get_name()

    def get_name(self) -> str:
        return self.name_en if _wants_english() and self.name_en else self.name

    def weekdays(self) -> frozenset[int]:
        return frozenset(int(day) for day in self.open_days if day.isdigit())


class Clerk(models.Model):
    """A clerk account of one office (the clerk role); staff create and deactivate it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="office_clerk", verbose_name=_("user"),
    )
    office = models.ForeignKey(PartnerOffice, on_delete=models.PROTECT, related_name="clerks",
                               verbose_name=_("office"))
    is_active = models.BooleanField(_("active"), default=True)
    created = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["office", "pk"]
        verbose_name = _("clerk")
        verbose_name_plural = _("clerks")

    def __str__(self) -> str:
        return f"{self.user.get_username()} @ {self.office}"


class ErrandShare(models.Model):
    """A3 money: how an errand's fee is split, per service (percent of the fee)."""

    service = models.OneToOneField(
        "services_catalog.Service", on_delete=models.CASCADE, related_name="errand_share", verbose_name=_("service"),
    )
    origin_percent = models.DecimalField(_("originating office (%)"), max_digits=5, decimal_places=2,
                                         default=Decimal("10"))
    performer_percent = models.DecimalField(_("performing office (%)"), max_digits=5, decimal_places=2,
                                            default=Decimal("60"))

    class Meta:
        verbose_name = _("errand fee split")
        verbose_name_plural = _("errand fee splits")
        constraints = [
            models.CheckConstraint(
                condition=Q(origin_percent__gte=0, performer_percent__gte=0)
                & Q(origin_percent__lte=Decimal(100) - models.F("performer_percent")),
                name="errand_share_within_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service}: {self.origin_percent}% / {self.performer_percent}%"

    @property
    def platform_percent(self) -> Decimal:
        return Decimal(100) - self.origin_percent - self.performer_percent


class OfficePayout(models.Model):
    """Staff paid an office what it earned (recorded; the money moves outside)."""

    office = models.ForeignKey(
        PartnerOffice, on_delete=models.PROTECT, related_name="payouts", verbose_name=_("office"),
    )
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    reference = models.CharField(_("bank reference"), max_length=100)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("recorded by"),
    )
    created = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("office payout")
        verbose_name_plural = _("office payouts")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="office_payout_positive")]

    def __str__(self) -> str:
        return f"{self.office} {self.amount}"


class CounterOrder(models.Model):
    """P4: a goods order placed for a customer at a partner office's counter (or by an
    operator on the phone): who placed it, where, how it reaches the customer."""

    class Delivery(models.TextChoices):
        ADDRESS = "address", _("Delivered to the customer's address")
        PICKUP = "pickup", _("Picked up at the office")

    order = models.OneToOneField(
        "order.Order", on_delete=models.PROTECT, related_name="counter_order", verbose_name=_("order"),
    )
    office = models.ForeignKey(PartnerOffice, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="counter_orders", verbose_name=_("office"))
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                  verbose_name=_("placed by"))
    class Payment(models.TextChoices):
        CASH = "cash", _("Cash at the counter")
        TERMINAL = "terminal", _("Card on the office's terminal")
        PAY_LINK = "pay_link", _("Pay link sent to the customer")
        ON_DELIVERY = "cod", _("Pay on delivery")

    delivery = models.CharField(_("delivery"), max_length=10, choices=Delivery.choices)
    payment = models.CharField(_("payment"), max_length=10, choices=Payment.choices, default=Payment.CASH)
    paid_at_counter = models.BooleanField(_("paid at the counter"), default=False)
    created = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("order placed at an office")
        verbose_name_plural = _("orders placed at offices")

    def __str__(self) -> str:
        return str(self.order_id)
