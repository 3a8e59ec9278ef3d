"""Referrals and gift points (R1–R3, issue 10).

- `ProgrammeSettings`: the programme's terms; every change is a new row (the newest is in
  force), so the rows are the audit trail of who changed what and when.
- `Referral`: who brought whom (one referrer per customer, set once), by which route, and
  whether staff blocked it.
- `Earning`: the points one beneficiary earned from one payment. The points themselves
  live on the ledger (ledger.codes.points_pending/points_available); this row says where
  they came from, how much of them refunds took back, and when they are released/expire.
- `Gift` and `Redemption`: the handicraft catalogue and a customer's order of a gift.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import TransitionEvent

# Points are kept on the ledger in their own "currency" (never mixed with money).
POINTS = "PTS"


class ProgrammeSettings(models.Model):
    referrer_share = models.DecimalField(
        _("referrer's share of the commission"), max_digits=4, decimal_places=3, default=Decimal("0.100"),
        help_text=_("0.10 means a tenth of the platform's commission on a purchase."),
    )
    buyer_share = models.DecimalField(
        _("buyer's share of the commission"), max_digits=4, decimal_places=3, default=Decimal("0.100"),
    )
    buyer_share_without_referrer = models.BooleanField(
        _("buyers without a referrer earn too"), default=False,
    )
    points_per_unit = models.DecimalField(
        _("points per currency unit"), max_digits=8, decimal_places=2, default=Decimal("10"),
        help_text=_("How many points one unit of the currency (e.g. 1 EUR) of a share is worth."),
    )
    job_window_days = models.PositiveIntegerField(
        _("days after a job's completion before its points are available"), default=14,
    )
    expiry_months = models.PositiveIntegerField(_("points expire after (months)"), default=12)
    reminder_days = models.PositiveIntegerField(_("remind this many days before expiry"), default=30)
    note = models.CharField(_("why it changed"), max_length=300, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("changed by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("referral programme settings")
        verbose_name_plural = _("referral programme settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(referrer_share__gte=0, referrer_share__lte=1, buyer_share__gte=0, buyer_share__lte=1),
                name="referrals_shares_between_0_and_1",
            ),
            models.CheckConstraint(condition=Q(points_per_unit__gte=0), name="referrals_rate_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.referrer_share}/{self.buyer_share} × {self.points_per_unit} ({self.created:%Y-%m-%d})"


class Referral(models.Model):
    class Source(models.TextChoices):
        LINK = "link", _("Share link")
        SIGNUP = "signup", _("Code at sign-up")
        INTAKE = "intake", _("Code given on the phone")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        BLOCKED = "blocked", _("Blocked")

    referrer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("referrer"), on_delete=models.PROTECT, related_name="referrals_made",
    )
    # One referrer per customer, set once.
    referred = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("referred customer"), on_delete=models.PROTECT,
        related_name="referral",
    )
    source = models.CharField(_("how"), max_length=10, choices=Source.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    # A customer who had already paid for something before being referred earns the
    # referrer nothing (abuse check, issue 10 point 7).
    referrer_earns = models.BooleanField(_("referrer earns"), default=True)
    flag = models.CharField(_("why it looks suspicious"), max_length=200, blank=True)
    blocked_at = models.DateTimeField(_("blocked at"), null=True, blank=True)
    blocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("blocked by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    block_reason = models.CharField(_("why it was blocked"), max_length=300, blank=True)
    created = models.DateTimeField(_("referred at"))

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        constraints = [
            models.CheckConstraint(condition=~Q(referrer=F("referred")), name="referrals_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.referrer_id} → {self.referred_id}"


class Earning(models.Model):
    class Role(models.TextChoices):
        REFERRER = "referrer", _("Referrer")
        BUYER = "buyer", _("Buyer")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        AVAILABLE = "available", _("Available")
        REVERSED = "reversed", _("Taken back")

    beneficiary = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="point_earnings",
    )
    role = models.CharField(_("as"), max_length=10, choices=Role.choices)
    referral = models.ForeignKey(
        Referral, null=True, blank=True, on_delete=models.PROTECT, related_name="earnings", verbose_name=_("referral"),
    )
    payable_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("payable type"),
    )
    payable_id = models.PositiveBigIntegerField(verbose_name=_("payable ID"))
    payable_ref = models.CharField(_("order or job"), max_length=40)
    # The payment this was earned on ("payment:<pk>", "job-receipt:<pk>", "cod-shipment:<pk>").
    payment_key = models.CharField(_("payment"), max_length=80)
    base_amount = models.DecimalField(_("amount paid"), max_digits=14, decimal_places=2)
    refunded_amount = models.DecimalField(_("amount refunded"), max_digits=14, decimal_places=2, default=0)
    commission = models.DecimalField(_("platform commission"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    points = models.PositiveIntegerField(_("points earned"))
    points_reversed = models.PositiveIntegerField(_("points taken back"), default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    release_due_at = models.DateTimeField(_("available from"), null=True, blank=True, db_index=True)
    released_at = models.DateTimeField(_("made available at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True, db_index=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    expired_at = models.DateTimeField(_("expired at"), null=True, blank=True)
    points_expired = models.PositiveIntegerField(_("points expired"), default=0)
    created = models.DateTimeField(_("earned at"))

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("points earning")
        verbose_name_plural = _("points earnings")
        indexes = [models.Index(fields=["payable_type", "payable_id"])]
        constraints = [
            # No payment earns one beneficiary role twice (R3).
            models.UniqueConstraint(fields=["payment_key", "role"], name="referrals_one_earning_per_payment_role"),
            models.CheckConstraint(condition=Q(points__gt=0), name="referrals_earning_positive"),
            models.CheckConstraint(condition=Q(points_reversed__lte=F("points")), name="referrals_reversed_within"),
            models.CheckConstraint(condition=Q(refunded_amount__lte=F("base_amount")),
                                   name="referrals_refunded_within_paid"),
        ]

    def __str__(self) -> str:
        return f"{self.points} pts → {self.beneficiary_id} ({self.payment_key}, {self.role})"

    @property
    def net_points(self) -> int:
        return self.points - self.points_reversed


class PointsReversal(models.Model):
    """Points one refund (or a block) took back from one earning: at most once per refund."""

    earning = models.ForeignKey(Earning, on_delete=models.PROTECT, related_name="reversals", verbose_name=_("earning"))
    refund_key = models.CharField(_("refund"), max_length=120)
    amount = models.DecimalField(_("amount refunded"), max_digits=14, decimal_places=2, default=0)
    points = models.PositiveIntegerField(_("points taken back"))
    from_available = models.BooleanField(_("taken from available points"), default=False)
    created = models.DateTimeField(_("at"))

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("points taken back")
        verbose_name_plural = _("points taken back")
        constraints = [
            models.UniqueConstraint(fields=["refund_key", "earning"], name="referrals_one_reversal_per_refund"),
        ]

    def __str__(self) -> str:
        return f"-{self.points} pts ({self.refund_key})"


class Gift(models.Model):
    """A handicraft in the gift catalogue (editable in the dashboard and as a CMS snippet)."""

    title_fa = models.CharField(_("title (Persian)"), max_length=150)
    title_en = models.CharField(_("title (English)"), max_length=150)
    description_fa = models.TextField(_("description (Persian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    image = models.ImageField(_("picture"), upload_to="gifts/", blank=True)
    points_price = models.PositiveIntegerField(_("price in points"))
    stock = models.PositiveIntegerField(pgettext_lazy("how many", "in stock"), default=0)
    is_active = models.BooleanField(_("offered"), default=True)
    created = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["points_price", "pk"]
        verbose_name = _("gift")
        verbose_name_plural = _("gifts")
        constraints = [models.CheckConstraint(condition=Q(points_price__gt=0), name="referrals_gift_price_positive")]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return self.title_fa if translation.get_language() == "fa" else self.title_en

    @property
    def description(self) -> str:
        return self.description_fa if translation.get_language() == "fa" else self.description_en


class Redemption(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        SHIPPED = "shipped", _("Shipped")
        DELIVERED = "delivered", _("Delivered")
        CANCELLED = "cancelled", _("Cancelled")

    number = models.CharField(_("number"), max_length=20, unique=True)
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="redemptions",
    )
    gift = models.ForeignKey(Gift, verbose_name=_("gift"), on_delete=models.PROTECT, related_name="redemptions")
    points = models.PositiveIntegerField(_("points"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED)
    recipient_name = models.CharField(_("recipient"), max_length=150)
    phone = models.CharField(_("mobile number"), max_length=32)
    address = models.TextField(_("delivery address"))
    postcode = models.CharField(_("postcode"), max_length=20, blank=True)
    carrier = models.CharField(_("carrier"), max_length=100, blank=True)
    tracking_reference = models.CharField(_("tracking reference"), max_length=128, blank=True)
    cancel_reason = models.CharField(_("why it was cancelled"), max_length=300, blank=True)
    # The form's (or the app's) one-time key: a double click redeems once.
    client_key = models.CharField(max_length=64, unique=True, null=True, blank=True, verbose_name=_("client key"))
    created = models.DateTimeField(_("requested at"))
    updated = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("gift redemption")
        verbose_name_plural = _("gift redemptions")

    def __str__(self) -> str:
        return self.number


class RedemptionEvent(TransitionEvent):
    redemption = models.ForeignKey(
        Redemption, on_delete=models.CASCADE, related_name="events", verbose_name=_("redemption"),
    )

    class Meta(TransitionEvent.Meta):
        verbose_name = _("redemption event")
        verbose_name_plural = _("redemption events")
