"""Quotes (S2, S12), change orders, the statement (charges) and receipts of a job."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from payments.models import CardRefundIntent
from services_catalog.models.common import default_currency
from services_catalog.models.jobs import Job


# --------------------------------------------------------------------------- quotes (S2, S12)
class Quote(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENT = "sent", _("Sent")
        SUPERSEDED = "superseded", _("Replaced by a newer quote")
        ACCEPTED = "accepted", _("Accepted")
        EXPIRED = "expired", _("Expired")

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="quotes", verbose_name=_("job"))
    version = models.PositiveSmallIntegerField(_("version"))
    valid_until = models.DateTimeField(_("valid until"))
    total = models.DecimalField(_("total"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default=default_currency)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SENT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("created by"),
    )
    created = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    accepted_at = models.DateTimeField(null=True, blank=True, verbose_name=_("accepted at"))

    class Meta:
        ordering = ["job", "-version"]
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        constraints = [
            models.UniqueConstraint(fields=["job", "version"], name="quote_unique_version"),
            models.UniqueConstraint(
                fields=["job"], condition=Q(status__in=["sent", "accepted"]), name="quote_one_live_per_job"
            ),
            models.CheckConstraint(condition=Q(total__gte=0), name="quote_total_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.job} v{self.version}"

    def is_expired(self, now: datetime.datetime) -> bool:
        return now > self.valid_until


class QuoteLine(models.Model):
    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="lines", verbose_name=_("quote"))
    description = models.CharField(_("description"), max_length=300)
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=2, default=Decimal("1"))
    unit_price = models.DecimalField(_("unit price"), max_digits=12, decimal_places=2)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("quote line")
        verbose_name_plural = _("quote lines")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="quote_line_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="quote_line_price_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.description}: {self.amount}"


class ChangeOrder(models.Model):
    """S12: extra work the provider proposes; only added once the customer accepts it."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Waiting for the customer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="change_orders", verbose_name=_("job"))
    description = models.TextField(_("description"))
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    , verbose_name=_("proposed by"))
    decided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("decided at"))
    created = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["created", "pk"]
        verbose_name = _("change order")
        verbose_name_plural = _("change orders")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="change_order_amount_positive")]

    def __str__(self) -> str:
        return f"{self.job}: {self.amount}"


class JobCharge(models.Model):
    """The customer's statement for a job, line by line.

    Positive lines are charged, negative lines credited; lines of kind `refund` record
    money returned and are not part of what is billed. What the customer owes is
    billed (every non-refund line) minus what they paid net of refunds.
    """

    class Kind(models.TextChoices):
        QUOTE = "quote", _("Agreed price")
        CHANGE_ORDER = "change_order", _("Extra work (change order)")
        CANCELLATION_CREDIT = "cancellation_credit", _("Cancelled: agreed price released")
        CANCELLATION_FEE = "cancellation_fee", _("Handling fee")
        CALLOUT_FEE = "callout_fee", _("Call-out fee")
        WORK_DONE = "work_done", _("Work done before cancellation")
        REFUND = "refund", _("Refunded")

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="charges", verbose_name=_("job"))
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    description = models.CharField(_("description"), max_length=300, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    change_order = models.OneToOneField(
        ChangeOrder, null=True, blank=True, on_delete=models.PROTECT, related_name="charge"
    , verbose_name=_("change order"))
    created = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["created", "pk"]
        verbose_name = _("charge")
        verbose_name_plural = _("charges")
        constraints = [
            # One agreed price per job: accepting twice can never bill twice.
            models.UniqueConstraint(fields=["job"], condition=Q(kind="quote"), name="job_charge_one_quote_line"),
            models.UniqueConstraint(
                fields=["job"], condition=Q(kind="cancellation_credit"), name="job_charge_one_cancellation"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.amount}"


class JobReceipt(models.Model):
    """A payment received for a job: a card payment (through payments/) or cash taken by staff.

    One receipt per purpose: the payable adapter's `on_paid` fired twice finds the receipt
    and changes nothing.
    """

    class Method(models.TextChoices):
        CARD = "card", _("Card")
        CASH = "cash", _("Cash")

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="receipts", verbose_name=_("job"))
    purpose = models.CharField(_("purpose"), max_length=20)
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    payment = models.OneToOneField(
        "payments.Payment", null=True, blank=True, on_delete=models.PROTECT, related_name="job_receipt"
    , verbose_name=_("payment"))
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    , verbose_name=_("received by"))
    created = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["created", "pk"]
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        constraints = [
            models.UniqueConstraint(fields=["job", "purpose"], name="job_receipt_one_per_purpose"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="job_receipt_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.job} {self.purpose} {self.amount} {self.currency}"


class JobCardRefund(CardRefundIntent):
    """A card refund a job owes (S8, Y1): the intent, written in the job's transaction and
    committed before Stripe is called, then the result.

    `services_catalog.services.refunds` sends every pending one (no `sent_at`) to Stripe
    with no database transaction open, through payments' `refund_create`, keyed by
    `idempotency_key` (the business event: this job's cancellation, a duplicate payment),
    so a retry after a lost answer gets Stripe's first refund back, never a second one.
    A refund Stripe refused stays pending (with the error) for the next attempt.
    """

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="card_refunds", verbose_name=_("job"))
    reason = models.CharField(_("reason"), max_length=255, blank=True)

    class Meta:
        ordering = ["created", "pk"]
        verbose_name = _("card refund")
        verbose_name_plural = _("card refunds")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="job_card_refund_amount_positive"),
        ]
        indexes = [models.Index(fields=["sent_at"], name="job_card_refund_pending")]

    def __str__(self) -> str:
        return f"{self.job} {self.amount} {self.currency} ({'sent' if self.sent_at else 'pending'})"
