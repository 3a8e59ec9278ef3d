"""Payment records for every payable (shop orders now; service jobs and later payables).

A payable is any model row that can be charged: a `Payment` points at it through a
content type and id, carries the amount computed on the server, and follows Stripe's
PaymentIntent through named statuses. Refunds and every status change are kept as rows
of their own; Stripe webhook events are stored by id before anything else happens.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import TransitionEvent


class Payment(models.Model):
    class Method(models.TextChoices):
        CARD = "card", _("Card (Stripe)")

    class Purpose(models.TextChoices):
        FULL = "full", _("Full payment")
        DEPOSIT = "deposit", _("Deposit")
        BALANCE = "balance", _("Balance")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for card details")
        REQUIRES_ACTION = "requires_action", _("Waiting for card authentication")
        PROCESSING = "processing", _("Being confirmed")
        SUCCEEDED = "succeeded", _("Paid")
        FAILED = "failed", _("Declined")
        CANCELED = "canceled", _("Cancelled")

    OPEN_STATUSES = (Status.PENDING, Status.REQUIRES_ACTION, Status.PROCESSING, Status.FAILED)

    payable_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, verbose_name=_("payable type"))
    payable_id = models.PositiveBigIntegerField(verbose_name=_("payable ID"))
    payable = GenericForeignKey("payable_type", "payable_id")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="payments"
    , verbose_name=_("user"))
    method = models.CharField(_("method"), max_length=20, choices=Method.choices, default=Method.CARD)
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices, default=Purpose.FULL)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    amount_refunded = models.DecimalField(_("refunded"), max_digits=12, decimal_places=2, default=Decimal("0"))
    attempt = models.PositiveSmallIntegerField(default=1, verbose_name=_("attempt"))
    idempotency_key = models.CharField(max_length=120, unique=True, verbose_name=_("idempotency key"))
    stripe_payment_intent_id = models.CharField(
        max_length=255, unique=True, null=True, blank=True, verbose_name=_("Stripe payment intent ID"),
    )
    stripe_charge_id = models.CharField(max_length=255, blank=True, verbose_name=_("Stripe charge ID"))
    failure_code = models.CharField(max_length=80, blank=True, verbose_name=_("failure code"))
    failure_message = models.CharField(max_length=500, blank=True, verbose_name=_("failure message"))
    created = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))
    succeeded_at = models.DateTimeField(null=True, blank=True, verbose_name=_("succeeded at"))

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        indexes = [models.Index(fields=["payable_type", "payable_id"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(condition=Q(amount_refunded__gte=0), name="payment_refunded_not_negative"),
            models.CheckConstraint(
                condition=Q(amount_refunded__lte=F("amount")), name="payment_refunded_within_amount"
            ),
            models.UniqueConstraint(
                fields=["payable_type", "payable_id", "purpose", "attempt"], name="payment_unique_attempt"
            ),
            # One live intent per payable and purpose: a double-clicked "Pay" can never
            # leave two chargeable intents behind.
            models.UniqueConstraint(
                fields=["payable_type", "payable_id", "purpose"],
                condition=Q(status__in=["pending", "requires_action", "processing", "failed", "succeeded"]),
                name="payment_one_live_per_purpose",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} {self.amount} {self.currency} ({self.get_status_display()})"

    @property
    def refundable_amount(self) -> Decimal:
        if self.status != self.Status.SUCCEEDED:
            return Decimal("0")
        return self.amount - self.amount_refunded


class PaymentRefund(models.Model):
    """A refund of (part of) a payment.

    Written as `pending`, with the amount already counted in the payment's
    `amount_refunded` (so a second refund cannot promise the same money), and committed
    before Stripe is called; the answer is recorded in a new short transaction (`done`
    with Stripe's id). A pending row left by a crash is retried with its own idempotency
    key, so Stripe pays it at most once.
    """

    class Source(models.TextChoices):
        STAFF = "staff", _("Staff")
        STRIPE = "stripe", _("Stripe dashboard")

    class Status(models.TextChoices):
        PENDING = "pending", _("Being sent to Stripe")
        DONE = "done", _("Refunded")

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds", verbose_name=_("payment"))
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3, verbose_name=_("currency"))
    stripe_refund_id = models.CharField(
        max_length=255, unique=True, null=True, blank=True, verbose_name=_("Stripe refund ID"),
    )
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.STAFF, verbose_name=_("source"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DONE)
    idempotency_key = models.CharField(
        max_length=160, unique=True, null=True, blank=True, verbose_name=_("idempotency key"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("created by"),
    )
    created = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="refund_amount_positive")]

    def __str__(self) -> str:
        return f"{self.amount} {self.currency} ({self.get_source_display()})"


class PaymentEvent(TransitionEvent):
    """One line of a payment's history (core.models.TransitionEvent): which transition of
    payments.machine moved it, or which event was logged on it, who or what caused it
    (`actor`, empty for Stripe and the system), and the Stripe event that carried it."""

    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="events", verbose_name=_("payment"))
    stripe_event_id = models.CharField(max_length=255, blank=True, verbose_name=_("Stripe event ID"))

    class Meta(TransitionEvent.Meta):
        verbose_name = _("payment event")
        verbose_name_plural = _("payment events")


class StripeWebhookEvent(models.Model):
    """Every webhook event we accepted, stored by Stripe's id before any side effect."""

    event_id = models.CharField(max_length=255, unique=True, verbose_name=_("event ID"))
    type = models.CharField(max_length=100, verbose_name=_("type"))
    payload = models.JSONField(verbose_name=_("payload"))
    outcome = models.CharField(max_length=255, blank=True, verbose_name=_("outcome"))
    received = models.DateTimeField(auto_now_add=True, verbose_name=_("received at"))

    class Meta:
        ordering = ["-received"]
        verbose_name = _("Stripe webhook event")
        verbose_name_plural = _("Stripe webhook events")

    def __str__(self) -> str:
        return f"{self.type} {self.event_id}"


class CardRefundIntent(models.Model):
    """A card refund a domain rule owes (a job's cancellation, a shipment cancelled before
    it left): written in the deciding transaction and committed before Stripe is called,
    then the result. `payments.refunds.refund_intent_send` sends a pending one (no
    `sent_at`) through `refund_create` with no transaction open, keyed by
    `idempotency_key` (the business event), so a retry after a refusal or a lost answer
    never pays twice; a refusal stays pending with its error for the next attempt.
    Concrete intents add what the refund is for (a job, a shipment)."""

    payment = models.ForeignKey("payments.Payment", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("payment"))
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    idempotency_key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    created = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    payment_refund = models.ForeignKey("payments.PaymentRefund", null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="+", verbose_name=_("payment refund"))
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        abstract = True
        ordering = ("created", "pk")
