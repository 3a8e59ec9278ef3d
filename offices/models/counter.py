"""Money taken and given back at an office's counter, and the baskets a clerk or an
operator fills for a customer (P4).

A counter payment is cash in the till or a card payment on the office's own card terminal
(POS), with the terminal's receipt number kept as its identifier. It belongs either to an
errand's job (its fee) or to a counter order, and is reconciled per office; a refund of it
is recorded back the same way (cash handed back, or a refund on the same terminal)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from offices.models.offices import PartnerOffice


class CounterBasket(models.Model):
    """An Oscar basket filled for `customer` by a clerk or an operator. The basket has no
    owner of its own, so the customer's site basket never merges with it; offers and
    vouchers are applied for the customer."""

    basket = models.OneToOneField("basket.Basket", on_delete=models.CASCADE, related_name="counter_basket",
                                  verbose_name=_("basket"))
    customer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("customer"))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("opened by"))
    office = models.ForeignKey(PartnerOffice, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("office"))
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("basket filled for a customer")
        verbose_name_plural = _("baskets filled for customers")

    def __str__(self) -> str:
        return f"{self.customer_id}:{self.basket_id}"


class CounterPayment(models.Model):
    class Method(models.TextChoices):
        CASH = "cash", _("Cash at the counter")
        TERMINAL = "terminal", _("Card on the office's terminal")

    office = models.ForeignKey(PartnerOffice, on_delete=models.PROTECT, related_name="counter_payments",
                               verbose_name=_("office"))
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    amount_refunded = models.DecimalField(_("refunded"), max_digits=12, decimal_places=2, default=Decimal("0"))
    # The card terminal's receipt (or reference) number; empty for cash.
    reference = models.CharField(_("terminal receipt number"), max_length=60, blank=True)
    job = models.ForeignKey("services_catalog.Job", null=True, blank=True, on_delete=models.PROTECT,
                            related_name="counter_payments", verbose_name=_("job"))
    order = models.ForeignKey("order.Order", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="counter_payments", verbose_name=_("order"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=_("recorded by"))
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("counter payment")
        verbose_name_plural = _("counter payments")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="counter_payment_positive"),
            models.CheckConstraint(condition=Q(amount_refunded__gte=0) & Q(amount_refunded__lte=F("amount")),
                                   name="counter_payment_refund_within"),
            models.CheckConstraint(condition=Q(method="cash") | ~Q(reference=""),
                                   name="counter_payment_terminal_reference"),
            models.CheckConstraint(condition=Q(job__isnull=True, order__isnull=False)
                                   | Q(job__isnull=False, order__isnull=True),
                                   name="counter_payment_job_or_order"),
        ]

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.amount} {self.currency}"

    @property
    def refundable_amount(self) -> Decimal:
        return self.amount - self.amount_refunded


class CounterRefund(models.Model):
    """Money given back at the counter for a counter payment: cash from the till, or a
    refund on the same card terminal (its receipt number kept)."""

    payment = models.ForeignKey(CounterPayment, on_delete=models.PROTECT, related_name="refunds",
                                verbose_name=_("counter payment"))
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    reference = models.CharField(_("terminal receipt number"), max_length=60, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=_("recorded by"))
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("counter refund")
        verbose_name_plural = _("counter refunds")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="counter_refund_positive")]

    def __str__(self) -> str:
        return f"{self.payment} -{self.amount}"


class CounterRefundOwed(models.Model):
    """Money owed back at the counter for a counter-paid order: decided by a vendor or
    staff cancelling a shipment before it left (or the whole order), or by staff refunding
    a line. The originating office's clerk hands it back the way it was paid (cash from the
    till, or a refund on the same terminal) and records it: `refund` is set then, once."""

    payment = models.ForeignKey(CounterPayment, on_delete=models.PROTECT, related_name="owed_refunds",
                                verbose_name=_("counter payment"))
    order = models.ForeignKey("order.Order", on_delete=models.PROTECT, related_name="counter_refunds_owed",
                              verbose_name=_("order"))
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    # The business event that decided it ("shipment:<pk>", "staff:<line pk>:<n>"): once only.
    key = models.CharField(_("idempotency key"), max_length=80, unique=True)
    # Staff refunds take the vendors' shares back as a card refund does; a cancelled
    # shipment's lines were never credited to a vendor, so there is nothing to take back.
    reverses_vendor_share = models.BooleanField(_("takes back the vendor's share"), default=False)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("decided by"))
    refund = models.OneToOneField(CounterRefund, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="owed", verbose_name=_("handed back"))
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("refund owed at the counter")
        verbose_name_plural = _("refunds owed at the counter")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="counter_refund_owed_positive")]

    def __str__(self) -> str:
        return f"{self.order_id} -{self.amount}"

    @property
    def is_handed_back(self) -> bool:
        return self.refund_id is not None
