"""Vendors (issue 4): applications, contracts, per-vendor shipments, warranty claims,
sanctions and payouts.

A vendor is an Oscar partner (shop.partner). Its contract sets commission, warranty
(P1), installation, delivery promises per region (P2) and contracted quantities (P3).
A customer order holding several vendors' goods is one Oscar order split into one
Shipment per vendor; each shipment line keeps a snapshot of the contract terms that
applied when the order was placed. Rules that fit in one row are database constraints;
everything that moves money or status lives in vendors.services, and every status
change goes through a named transition (vendors.machines).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import TransitionEvent
from core.private_files import private_storage, private_upload_to
from core.text import normalize_persian, to_ascii_digits
from payments.models import CardRefundIntent

_IBAN_SHAPE = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$")
RATE_MAX_DIGITS = 5
RATE_PLACES = 4
MONEY_DIGITS = 12
MONEY_PLACES = 2


def iban_normalise(raw: str) -> str:
    """"ir06 0170-…" -> "IR060170…": upper case, Latin digits, no spaces or dashes."""
    return re.sub(r"[\s\-]", "", to_ascii_digits(raw or "")).upper()


def validate_iban(value: str) -> None:
    """An Iranian Sheba number (IR + 24 digits) or any IBAN, with valid mod-97 check digits."""
    iban = iban_normalise(value)
    valid_shape = bool(_IBAN_SHAPE.match(iban)) and (not iban.startswith("IR") or re.fullmatch(r"IR[0-9]{24}", iban))
    if valid_shape:
        rearranged = iban[4:] + iban[:4]
        valid_shape = int("".join(str(int(char, 36)) for char in rearranged)) % 97 == 1
    if not valid_shape:
        raise ValidationError(
            _("Enter a valid IBAN: IR followed by 24 digits, or your bank's international IBAN."), code="invalid_iban"
        )


def region_key(region: str) -> str:
    """How regions are compared: case, spacing and Arabic/Persian letter forms don't matter."""
    return " ".join(normalize_persian(region or "").split()).casefold()


class VendorApplication(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    company_name = models.CharField(_("company name"), max_length=200)
    company_name_en = models.CharField(_("company name in English"), max_length=200, blank=True)
    registration_number = models.CharField(_("registration number"), max_length=64)
    contact_name = models.CharField(_("contact person"), max_length=200)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=32)
    address = models.TextField(_("address"))
    categories = models.ManyToManyField("catalogue.Category", verbose_name=_("categories"), blank=True,
                                        related_name="vendor_applications")
    bank_account_holder = models.CharField(_("bank account holder"), max_length=200)
    iban = models.CharField(_("IBAN"), max_length=34, validators=[validate_iban])
    stripe_account_id = models.CharField(_("Stripe Connect account"), max_length=255, blank=True)
    message = models.TextField(_("message"), blank=True)
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("applicant"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="vendor_applications")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING,
                              db_index=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    partner = models.ForeignKey("partner.Partner", verbose_name=_("vendor"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="applications")
    created = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("vendor application")
        verbose_name_plural = _("vendor applications")
        ordering = ("-created", "-pk")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=["pending", "approved", "rejected"]),
                                   name="vendorapplication_status_valid"),
            # A rejection always tells the applicant why; an approval always names the partner.
            models.CheckConstraint(condition=~Q(status="rejected") | ~Q(decision_reason=""),
                                   name="vendorapplication_rejection_has_reason"),
            models.CheckConstraint(condition=~Q(status="approved") | Q(partner__isnull=False),
                                   name="vendorapplication_approval_has_partner"),
            # A form sent twice (a double click, a retry) is one application.
            models.UniqueConstraint(Lower("email"), condition=Q(status="pending"),
                                    name="vendorapplication_one_pending_per_email"),
        ]

    def __str__(self) -> str:
        return f"{self.company_name} ({self.get_status_display()})"


class Contract(models.Model):
    partner = models.OneToOneField("partner.Partner", verbose_name=_("vendor"), on_delete=models.CASCADE,
                                   related_name="contract")
    commission_rate = models.DecimalField(
        _("commission rate"), max_digits=RATE_MAX_DIGITS, decimal_places=RATE_PLACES, default=Decimal("0.1000"),
        help_text=_("The platform's share of each sale, between 0 and 1 (0.1000 is 10%)."),
    )
    default_warranty_days = models.PositiveIntegerField(_("replacement warranty (days)"), default=365)
    return_window_days = models.PositiveIntegerField(
        _("return window (days)"), default=14,
        help_text=_("Sale proceeds are held this long after delivery before the vendor can be paid."),
    )
    default_delivery_days = models.PositiveIntegerField(
        _("delivery promise (days)"), default=5, help_text=_("Used for regions without their own promise.")
    )
    starts_on = models.DateField(_("starts on"), default=timezone.localdate)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        constraints = [
            models.CheckConstraint(condition=Q(commission_rate__gte=0, commission_rate__lte=1),
                                   name="contract_commission_rate_between_0_and_1"),
            models.CheckConstraint(condition=Q(default_delivery_days__gt=0), name="contract_delivery_days_positive"),
        ]

    def __str__(self) -> str:
        return str(_("Contract of %(vendor)s") % {"vendor": self.partner})


class CategoryTerm(models.Model):
    contract = models.ForeignKey(Contract, verbose_name=_("contract"), on_delete=models.CASCADE,
                                 related_name="category_terms")
    category = models.ForeignKey("catalogue.Category", verbose_name=_("category"), on_delete=models.CASCADE,
                                 related_name="+")
    commission_rate = models.DecimalField(_("commission rate"), max_digits=RATE_MAX_DIGITS,
                                          decimal_places=RATE_PLACES, null=True, blank=True)
    warranty_days = models.PositiveIntegerField(_("replacement warranty (days)"), null=True, blank=True)

    class Meta:
        verbose_name = _("category term")
        verbose_name_plural = _("category terms")
        constraints = [
            models.UniqueConstraint(fields=["contract", "category"], name="categoryterm_unique_per_contract"),
            models.CheckConstraint(
                condition=Q(commission_rate__isnull=True) | Q(commission_rate__gte=0, commission_rate__lte=1),
                name="categoryterm_commission_rate_between_0_and_1",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contract.partner} / {self.category}"


class ProductTerm(models.Model):
    contract = models.ForeignKey(Contract, verbose_name=_("contract"), on_delete=models.CASCADE,
                                 related_name="product_terms")
    product = models.ForeignKey("catalogue.Product", verbose_name=_("product"), on_delete=models.CASCADE,
                                related_name="vendor_terms")
    warranty_days = models.PositiveIntegerField(_("replacement warranty (days)"), null=True, blank=True)
    needs_installation = models.BooleanField(_("needs installation"), default=False)
    installation_price = models.DecimalField(
        _("installation price"), max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES, null=True, blank=True,
        help_text=_("Per unit. Empty: installation is free."),
    )
    contracted_quantity = models.PositiveIntegerField(
        _("contracted quantity"), null=True, blank=True,
        help_text=_("The most units the vendor may hold in stock for this product (P3). Empty: no limit."),
    )

    class Meta:
        verbose_name = _("product term")
        verbose_name_plural = _("product terms")
        constraints = [
            models.UniqueConstraint(fields=["contract", "product"], name="productterm_unique_per_contract"),
            models.CheckConstraint(condition=Q(installation_price__isnull=True) | Q(installation_price__gte=0),
                                   name="productterm_installation_price_not_negative"),
            models.CheckConstraint(condition=Q(contracted_quantity__isnull=True) | Q(contracted_quantity__gte=0),
                                   name="productterm_contracted_quantity_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.contract.partner} / {self.product}"

    @property
    def unit_installation_price(self) -> Decimal:
        return self.installation_price if self.installation_price is not None else Decimal("0.00")


class DeliveryPromise(models.Model):
    """P2: goods reach a region within `days` of the order. Regions match the shipping
    address's state/province, ignoring case, spacing and letter forms."""

    contract = models.ForeignKey(Contract, verbose_name=_("contract"), on_delete=models.CASCADE,
                                 related_name="delivery_promises")
    region = models.CharField(_("region"), max_length=100)
    region_key = models.CharField(max_length=100, editable=False, db_index=True, verbose_name=_("region key"))
    days = models.PositiveIntegerField(_("days"))

    class Meta:
        verbose_name = _("delivery promise")
        verbose_name_plural = _("delivery promises")
        ordering = ("region",)
        constraints = [
            models.UniqueConstraint(fields=["contract", "region_key"], name="deliverypromise_unique_region"),
            # The default region is the contract's default_delivery_days, never a blank row.
            models.CheckConstraint(condition=~Q(region_key=""), name="deliverypromise_region_not_blank"),
            models.CheckConstraint(condition=Q(days__gt=0), name="deliverypromise_days_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.region}: {self.days}"

    def save(self, *args, **kwargs) -> None:
        self.region = " ".join((self.region or "").split())
        self.region_key = region_key(self.region)
        super().save(*args, **kwargs)


class Shipment(models.Model):
    """One vendor's part of a customer order, with its own status, tracking and promise."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        SHIPPED = "shipped", _("Shipped")
        DELIVERED = "delivered", _("Delivered")
        CANCELLED = "cancelled", _("Cancelled")

    order = models.ForeignKey("order.Order", verbose_name=_("order"), on_delete=models.CASCADE,
                              related_name="shipments")
    partner = models.ForeignKey("partner.Partner", verbose_name=_("vendor"), on_delete=models.PROTECT,
                                related_name="shipments")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    promised_by = models.DateField(_("promised delivery date"))
    tracking_reference = models.CharField(_("tracking reference"), max_length=128, blank=True)
    carrier = models.CharField(_("carrier"), max_length=100, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    shipped_at = models.DateTimeField(_("shipped at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")
        ordering = ("pk",)
        constraints = [
            models.UniqueConstraint(fields=["order", "partner"], name="shipment_one_per_vendor_and_order"),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "confirmed", "shipped", "delivered", "cancelled"]),
                name="shipment_status_valid",
            ),
            # Nothing leaves a vendor without a tracking reference the customer can follow.
            models.CheckConstraint(condition=~Q(status__in=["shipped", "delivered"]) | ~Q(tracking_reference=""),
                                   name="shipment_shipped_has_tracking"),
            # The warranty starts at delivery, so a delivered shipment always knows when.
            models.CheckConstraint(condition=~Q(status="delivered") | Q(delivered_at__isnull=False),
                                   name="shipment_delivered_has_date"),
        ]
        indexes = [
            models.Index(fields=["partner", "status"], name="shipment_partner_status"),
            models.Index(fields=["partner", "-created"], name="shipment_partner_created"),
        ]

    def __str__(self) -> str:
        return f"{self.order.number} / {self.partner}"

    # Single-row rules, used by the services and by templates deciding which buttons to show.
    def can_confirm(self) -> bool:
        return self.status == self.Status.PENDING

    def can_ship(self) -> bool:
        return self.status == self.Status.CONFIRMED

    def can_deliver(self) -> bool:
        return self.status == self.Status.SHIPPED

    def can_cancel(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.CONFIRMED)

    @property
    def is_late(self) -> bool:
        """Delivered after, or still undelivered past, the promised date."""
        if self.status == self.Status.CANCELLED:
            return False
        if self.delivered_at is not None:
            return timezone.localtime(self.delivered_at).date() > self.promised_by
        return timezone.localdate() > self.promised_by


class ShipmentLine(models.Model):
    class InstallationStatus(models.TextChoices):
        NONE = "none", _("Not requested")
        TO_DO = "to_do", _("To do")
        DONE = "done", _("Done")

    shipment = models.ForeignKey(Shipment, verbose_name=_("shipment"), on_delete=models.CASCADE,
                                 related_name="lines")
    line = models.OneToOneField("order.Line", verbose_name=_("order line"), on_delete=models.CASCADE,
                                related_name="shipment_line")
    # Snapshots of the contract when the order was placed: later contract changes don't
    # alter what this customer was promised or what this sale earns the vendor.
    warranty_days = models.PositiveIntegerField(_("replacement warranty (days)"))
    commission_rate = models.DecimalField(_("commission rate"), max_digits=RATE_MAX_DIGITS,
                                          decimal_places=RATE_PLACES)
    return_window_days = models.PositiveIntegerField(_("return window (days)"), default=14)
    installation_requested = models.BooleanField(_("installation requested"), default=False)
    installation_price = models.DecimalField(
        _("installation price"), max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES, default=Decimal("0.00"),
        help_text=_("What the customer paid for installing this line (unit price × quantity)."),
    )
    installation_status = models.CharField(_("installation"), max_length=8, choices=InstallationStatus.choices,
                                           default=InstallationStatus.NONE)
    installed_at = models.DateTimeField(_("installed at"), null=True, blank=True)
    # Money, filled in when the line is delivered (see vendors.services.shipment_deliver).
    commission_amount = models.DecimalField(_("commission"), max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES,
                                            default=Decimal("0.00"))
    credited_amount = models.DecimalField(_("credited to the vendor"), max_digits=MONEY_DIGITS,
                                          decimal_places=MONEY_PLACES, default=Decimal("0.00"))
    held_amount = models.DecimalField(_("held for the return window"), max_digits=MONEY_DIGITS,
                                      decimal_places=MONEY_PLACES, default=Decimal("0.00"))
    refunded_amount = models.DecimalField(_("refunded to the customer"), max_digits=MONEY_DIGITS,
                                          decimal_places=MONEY_PLACES, default=Decimal("0.00"))
    release_due_at = models.DateTimeField(_("release due at"), null=True, blank=True, db_index=True)
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)

    class Meta:
        verbose_name = _("shipment line")
        verbose_name_plural = _("shipment lines")
        ordering = ("pk",)
        constraints = [
            models.CheckConstraint(condition=Q(installation_price__gte=0),
                                   name="shipmentline_installation_price_not_negative"),
            models.CheckConstraint(condition=Q(commission_rate__gte=0, commission_rate__lte=1),
                                   name="shipmentline_commission_rate_between_0_and_1"),
            models.CheckConstraint(condition=Q(installation_status__in=["none", "to_do", "done"]),
                                   name="shipmentline_installation_status_valid"),
            # An installation task exists exactly when the customer asked (and paid) for one.
            models.CheckConstraint(
                condition=Q(installation_requested=True, installation_status__in=["to_do", "done"])
                | Q(installation_requested=False, installation_status="none"),
                name="shipmentline_installation_task_matches_request",
            ),
            models.CheckConstraint(condition=Q(held_amount__gte=0), name="shipmentline_held_not_negative"),
            models.CheckConstraint(condition=Q(refunded_amount__gte=0), name="shipmentline_refunded_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.shipment} / {self.line.title}"

    def warranty_ends_on(self) -> dt.date | None:
        """The last day of the replacement warranty: it starts on delivery (P1)."""
        delivered_at = self.shipment.delivered_at
        if delivered_at is None:
            return None
        return timezone.localtime(delivered_at).date() + dt.timedelta(days=self.warranty_days)

    @property
    def gross_amount(self) -> Decimal:
        """What the customer paid for this line, installation included."""
        return self.line.line_price_incl_tax + self.installation_price


class ShipmentRefund(CardRefundIntent):
    """P5: the card refund a shipment cancelled by its customer owes: the intent, written
    in the cancelling transaction and committed before Stripe is called, then the result.

    vendors.services.shipment_refunds_send sends each pending one (no `sent_at`) through
    payments' `refund_create` with no transaction open, keyed by `idempotency_key` (one
    per shipment), so a retry after a refusal or a lost answer never pays twice. The
    refund falls on this shipment's lines only (shop.payables reads it back by its key).
    """

    shipment = models.OneToOneField(Shipment, on_delete=models.CASCADE, related_name="customer_refund",
                                    verbose_name=_("shipment"))
    shipping_amount = models.DecimalField(_("of which shipping"), max_digits=MONEY_DIGITS,
                                          decimal_places=MONEY_PLACES, default=Decimal("0.00"))

    class Meta:
        verbose_name = _("shipment refund")
        verbose_name_plural = _("shipment refunds")
        ordering = ("created", "pk")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="shipmentrefund_amount_positive"),
            models.CheckConstraint(condition=Q(shipping_amount__gte=0) & Q(shipping_amount__lte=models.F("amount")),
                                   name="shipmentrefund_shipping_within_amount"),
        ]
        indexes = [models.Index(fields=["sent_at"], name="shipmentrefund_pending")]

    def __str__(self) -> str:
        return f"{self.shipment_id} {self.amount} {self.currency} ({'sent' if self.sent_at else 'pending'})"


class ShipmentEvent(TransitionEvent):
    """The log of a shipment's named transitions (vendors.machines.SHIPMENT): who moved it
    from what to what, and why."""

    shipment = models.ForeignKey(Shipment, verbose_name=_("shipment"), on_delete=models.CASCADE,
                                 related_name="events")

    class Meta(TransitionEvent.Meta):
        verbose_name = _("shipment event")
        verbose_name_plural = _("shipment events")

    def __str__(self) -> str:
        return f"{self.shipment}: {self.from_status} -> {self.to_status}"


class WarrantyClaim(models.Model):
    class Kind(models.TextChoices):
        REPLACE = "replace", _("Replacement")
        REPAIR = "repair", _("Repair")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")
        RESOLVED = "resolved", _("Resolved")

    shipment_line = models.ForeignKey(ShipmentLine, verbose_name=_("order line"), on_delete=models.CASCADE,
                                      related_name="claims")
    customer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("customer"), on_delete=models.CASCADE,
                                 related_name="warranty_claims")
    kind = models.CharField(_("what you ask for"), max_length=8, choices=Kind.choices)
    description = models.TextField(_("what is wrong"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    vendor_response = models.TextField(_("vendor's response"), blank=True)
    responded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("responded by"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    # The goods failed (the vendor accepted, or staff upheld the claim): counts against the
    # vendor under the quality policy (core.quality, P3).
    upheld = models.BooleanField(_("upheld"), default=False)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    created = models.DateTimeField(_("opened at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("warranty claim")
        verbose_name_plural = _("warranty claims")
        ordering = ("-created", "-pk")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["replace", "repair"]), name="warrantyclaim_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=["open", "accepted", "rejected", "resolved"]),
                                   name="warrantyclaim_status_valid"),
            # One open claim per line at a time: a double-submitted form opens one.
            models.UniqueConstraint(fields=["shipment_line"], condition=Q(status="open"),
                                    name="warrantyclaim_one_open_per_line"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()} ({self.get_status_display()})"

    @property
    def partner(self):
        return self.shipment_line.shipment.partner


class WarrantyClaimPhoto(models.Model):
    claim = models.ForeignKey(WarrantyClaim, verbose_name=_("claim"), on_delete=models.CASCADE,
                              related_name="photos")
    # Private (core.private_files): the claim's customer, its vendor and staff only.
    image = models.ImageField(_("photo"), storage=private_storage,
                              upload_to=private_upload_to("vendors/warranty-claims"))

    class Meta:
        verbose_name = _("claim photo")
        verbose_name_plural = _("claim photos")
        ordering = ("pk",)

    def __str__(self) -> str:
        return self.image.name


class ClaimEvent(TransitionEvent):
    """The log of a warranty claim's named transitions (vendors.machines.CLAIM)."""

    claim = models.ForeignKey(WarrantyClaim, verbose_name=_("claim"), on_delete=models.CASCADE,
                              related_name="events")

    class Meta(TransitionEvent.Meta):
        verbose_name = _("claim event")
        verbose_name_plural = _("claim events")

    def __str__(self) -> str:
        return f"#{self.claim_id}: {self.from_status} -> {self.to_status}"


class VendorSanction(models.Model):
    class Kind(models.TextChoices):
        WARNING = "warning", _("Warning")
        FINE = "fine", _("Fine")
        SUSPENSION = "suspension", _("Suspension")

    partner = models.ForeignKey("partner.Partner", verbose_name=_("vendor"), on_delete=models.CASCADE,
                                related_name="sanctions")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    amount = models.DecimalField(_("amount"), max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES, null=True,
                                 blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    reason = models.TextField(_("reason"))
    claim = models.ForeignKey(WarrantyClaim, verbose_name=_("warranty claim"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="sanctions")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    ledger_transfer_key = models.CharField(_("ledger transfer"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("vendor sanction")
        verbose_name_plural = _("vendor sanctions")
        ordering = ("-created", "-pk")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["warning", "fine", "suspension"]),
                                   name="vendorsanction_kind_valid"),
            models.CheckConstraint(condition=~Q(kind="fine") | Q(amount__gt=0), name="vendorsanction_fine_positive"),
            # A failed claim fines the vendor once, however often its acceptance is replayed.
            models.UniqueConstraint(fields=["claim"], condition=Q(kind="fine", claim__isnull=False),
                                    name="vendorsanction_one_fine_per_claim"),
        ]

    def __str__(self) -> str:
        return f"{self.partner}: {self.get_kind_display()}"


class Payout(models.Model):
    class Status(models.TextChoices):
        RECORDED = "recorded", _("Recorded")
        SENT = "sent", _("Sent by Stripe")
        FAILED = "failed", _("Failed")

    partner = models.ForeignKey("partner.Partner", verbose_name=_("vendor"), on_delete=models.PROTECT,
                                related_name="payouts")
    amount = models.DecimalField(_("amount"), max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES)
    currency = models.CharField(_("currency"), max_length=3)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.RECORDED)
    stripe_transfer_id = models.CharField(_("Stripe transfer"), max_length=255, blank=True)
    failure_message = models.TextField(_("failure"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=200, unique=True)

    class Meta:
        verbose_name = _("payout")
        verbose_name_plural = _("payouts")
        ordering = ("-created", "-pk")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payout_amount_positive"),
            models.CheckConstraint(condition=Q(status__in=["recorded", "sent", "failed"]), name="payout_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.partner}: {self.amount} {self.currency} ({self.get_status_display()})"

    @property
    def ledger_key(self) -> str:
        return f"vendor-payout:{self.idempotency_key}"

