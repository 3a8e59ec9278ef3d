"""Quotable service jobs: the catalogue (categories, areas, services with volume tiers and
required documents), providers with their areas, weekly availability and booked slots, and
the job itself with its quotes, change orders, charges, events, ratings, warranty claims
and complaints.

Rules that fit in one row live here (as methods or database constraints); every write that
moves a job lives in `services_catalog.services`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


def _wants_english() -> bool:
    return (get_language() or "fa").startswith("en")


def default_currency() -> str:
    return settings.OSCAR_DEFAULT_CURRENCY


def money(value: Decimal | int | str) -> Decimal:
    """Round to the currency's cents, half up (the way an invoice is rounded)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


# --------------------------------------------------------------------------- slots (S13)
class Slot(models.TextChoices):
    MORNING = "morning", _("Morning (08:00–12:00)")
    AFTERNOON = "afternoon", _("Afternoon (12:00–16:00)")
    EVENING = "evening", _("Evening (16:00–20:00)")


# Fixed daily slots: (start hour, end hour) in the site's time zone.
SLOTS: dict[str, tuple[int, int]] = {
    Slot.MORNING: (8, 12),
    Slot.AFTERNOON: (12, 16),
    Slot.EVENING: (16, 20),
}


def slot_bounds(day: datetime.date, slot: str) -> tuple[datetime.datetime, datetime.datetime]:
    """The aware start and end of `slot` on `day`, in the site's time zone."""
    from django.utils import timezone

    start_hour, end_hour = SLOTS[slot]
    tz = timezone.get_default_timezone()
    start = datetime.datetime.combine(day, datetime.time(start_hour), tzinfo=tz)
    end = datetime.datetime.combine(day, datetime.time(end_hour), tzinfo=tz)
    return start, end


class Weekday(models.IntegerChoices):
    # Python's date.weekday() numbering, so availability compares without conversion.
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


def unit_price_at(quantity: int, *, base_price: Decimal, tiers: Iterable[tuple[int, Decimal]]) -> Decimal:
    """S3: the unit price of the highest volume tier `quantity` reaches, else the base price."""
    price = base_price
    for min_quantity, unit_price in sorted(tiers):
        if quantity >= min_quantity:
            price = unit_price
    return price


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
    created = models.DateTimeField(auto_now_add=True)

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

    service = ParentalKey(Service, on_delete=models.CASCADE, related_name="price_tiers")
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

    service = ParentalKey(Service, on_delete=models.CASCADE, related_name="required_documents")
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


# --------------------------------------------------------------------------- providers
class Provider(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="provider")
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
    created = models.DateTimeField(auto_now_add=True)

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
        return f"provider:{self.pk}:available"


class ProviderAvailability(models.Model):
    """S13: the provider works this slot on this weekday (every week)."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="availability")
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


# --------------------------------------------------------------------------- jobs
class Job(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        QUOTED = "quoted", _("Quote sent")
        NOT_FEASIBLE = "not_feasible", _("Not feasible")
        ACCEPTED = "accepted", _("Accepted, waiting for payment")
        MATCHING = "matching", _("Finding a provider")
        ASSIGNED = "assigned", _("Provider assigned")
        DISPATCHED = "dispatched", _("Visit scheduled")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    class CancelledBy(models.TextChoices):
        CUSTOMER = "customer", _("Customer")
        PROVIDER = "provider", _("Provider")
        STAFF = "staff", _("Staff")
        SYSTEM = "system", _("Chaarsoo (no provider found)")

    OPEN_STATUSES = (
        Status.REQUESTED, Status.QUOTED, Status.ACCEPTED, Status.MATCHING,
        Status.ASSIGNED, Status.DISPATCHED, Status.IN_PROGRESS,
    )
    FINAL_STATUSES = (Status.NOT_FEASIBLE, Status.COMPLETED, Status.CANCELLED)
    # A provider holds a slot in these states.
    BOOKED_STATUSES = (Status.ASSIGNED, Status.DISPATCHED, Status.IN_PROGRESS)

    number = models.CharField(_("number"), max_length=20, unique=True)
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="service_jobs", verbose_name=_("customer")
    )
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="jobs", verbose_name=_("service"))
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="jobs", verbose_name=_("area"))
    address = models.TextField(_("address"))
    preferred_date = models.DateField(_("date"))
    slot = models.CharField(_("slot"), max_length=20, choices=Slot.choices)
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED)
    provider = models.ForeignKey(
        Provider, null=True, blank=True, on_delete=models.PROTECT, related_name="jobs", verbose_name=_("provider")
    )
    # S12: copied from the accepted quote and never changed; extras only via change orders.
    price_total = models.DecimalField(_("agreed price"), max_digits=12, decimal_places=2, null=True, blank=True)
    # Accepted change orders (S12), kept beside the locked price so the job's value needs no query.
    extras_total = models.DecimalField(_("accepted extra work"), max_digits=12, decimal_places=2, default=ZERO)
    currency = models.CharField(_("currency"), max_length=3, default=default_currency)
    payment_rule = models.CharField(
        _("when it is paid"), max_length=20, choices=Service.PaymentRule.choices,
        help_text=_("Copied from the service at request time, so later edits do not change this job."),
    )
    deposit_percent = models.PositiveSmallIntegerField(_("deposit (%)"), null=True, blank=True)
    handling_fee = models.DecimalField(_("handling fee"), max_digits=12, decimal_places=2, default=ZERO)
    callout_fee = models.DecimalField(_("call-out fee"), max_digits=12, decimal_places=2, default=ZERO)
    commission_rate = models.DecimalField(
        _("commission rate"), max_digits=4, decimal_places=3, null=True, blank=True,
        help_text=_("The assigned provider's rate, locked when they are credited."),
    )
    # Money so far (cached; written only by services under the job's row lock).
    amount_paid = models.DecimalField(_("paid"), max_digits=12, decimal_places=2, default=ZERO)
    amount_refunded = models.DecimalField(_("refunded"), max_digits=12, decimal_places=2, default=ZERO)
    # Paid in cash and owed back to the customer, but not yet handed back: it becomes
    # `amount_refunded` only when staff confirm the hand-over (job_record_cash_refund).
    cash_refund_due = models.DecimalField(
        _("cash refund to hand back"), max_digits=12, decimal_places=2, default=ZERO,
        help_text=_("Owed back to the customer in cash; staff confirm when it is handed back."),
    )
    work_done_amount = models.DecimalField(
        _("work done so far"), max_digits=12, decimal_places=2, default=ZERO,
        help_text=_("Recorded by the provider; charged if the customer cancels after dispatch (S8)."),
    )
    visit_at = models.DateTimeField(_("visit time"), null=True, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="filed_jobs",
        verbose_name=_("filed by operator"),
    )
    redo_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="redos",
        verbose_name=_("warranty redo of"),
    )
    not_feasible_reason = models.TextField(_("why it is not feasible"), blank=True)
    cancelled_by = models.CharField(_("cancelled by"), max_length=20, choices=CancelledBy.choices, blank=True)
    cancel_reason = models.TextField(_("cancellation reason"), blank=True)
    created = models.DateTimeField(_("requested at"), auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    quoted_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    matching_since = models.DateTimeField(null=True, blank=True)
    assigned_at = models.DateTimeField(null=True, blank=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    paid_in_full_at = models.DateTimeField(null=True, blank=True)
    provider_credited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("service job")
        verbose_name_plural = _("service jobs")
        indexes = [
            models.Index(fields=["status", "matching_since"]),
            models.Index(fields=["customer", "-created"]),
            models.Index(fields=["provider", "preferred_date"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="job_quantity_positive"),
            models.CheckConstraint(
                condition=Q(price_total__isnull=True) | Q(price_total__gte=0), name="job_price_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(amount_paid__gte=0, amount_refunded__gte=0, work_done_amount__gte=0, extras_total__gte=0),
                name="job_money_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(amount_refunded__lte=F("amount_paid")), name="job_refunded_within_paid"
            ),
            # What was given back plus what is still to hand back never exceeds what was paid.
            models.CheckConstraint(
                condition=Q(cash_refund_due__gte=0)
                & Q(cash_refund_due__lte=F("amount_paid") - F("amount_refunded")),
                name="job_cash_refund_within_paid",
            ),
            # A job past acceptance always has its locked price (S12).
            models.CheckConstraint(
                condition=Q(status__in=["requested", "quoted", "not_feasible", "cancelled"])
                | Q(price_total__isnull=False),
                name="job_price_locked_after_acceptance",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["assigned", "dispatched", "in_progress", "completed"])
                | Q(provider__isnull=False),
                name="job_provider_when_assigned",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    # ----------------------------------------------------------------- single-row rules
    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_redo(self) -> bool:
        return self.redo_of_id is not None

    @property
    def value(self) -> Decimal:
        """What the work is worth: the locked price plus accepted change orders (S12)."""
        return (self.price_total or ZERO) + self.extras_total

    @property
    def net_paid(self) -> Decimal:
        return self.amount_paid - self.amount_refunded

    def deposit_amount(self) -> Decimal:
        if self.payment_rule != Service.PaymentRule.DEPOSIT or not self.deposit_percent or self.price_total is None:
            return ZERO
        return money(self.price_total * Decimal(self.deposit_percent) / Decimal(100))

    def upfront_amount(self) -> Decimal:
        """What must be paid before a provider is matched (S5)."""
        if self.price_total is None:
            return ZERO
        if self.payment_rule == Service.PaymentRule.UPFRONT:
            return self.price_total
        if self.payment_rule == Service.PaymentRule.DEPOSIT:
            return self.deposit_amount()
        return ZERO

    def can_cancel(self) -> bool:
        return self.is_open

    def slot_bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        return slot_bounds(self.preferred_date, self.slot)


class SlotBooking(models.Model):
    """S13/issue point 6: a provider's slot on a date, held by one job.

    The unique constraint is the guarantee: two jobs can never book the same provider for
    the same slot, on any database, whatever the application code does.
    """

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="bookings")
    date = models.DateField(_("date"))
    slot = models.CharField(_("slot"), max_length=20, choices=Slot.choices)
    job = models.OneToOneField(Job, on_delete=models.CASCADE, related_name="booking")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "slot"]
        verbose_name = _("booked slot")
        verbose_name_plural = _("booked slots")
        constraints = [
            models.UniqueConstraint(fields=["provider", "date", "slot"], name="slot_booking_no_double_booking"),
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.date} {self.get_slot_display()}"


class JobDecline(models.Model):
    """A provider is off a job for good: they declined it, or staff took it from them
    (`removed_by` set). Either way neither matching nor staff hand it back to them."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="declines")
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="declines")
    reason = models.TextField(_("reason"), blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("removed by staff"),
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created", "pk"]
        constraints = [models.UniqueConstraint(fields=["job", "provider"], name="job_decline_once")]

    def __str__(self) -> str:
        return f"{self.job} declined by {self.provider}"


def job_upload_path(instance: models.Model, filename: str) -> str:
    return f"services/jobs/{instance.job_id}/{filename}"


class JobPhoto(models.Model):
    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to=job_upload_path)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return self.image.name


class JobDocument(models.Model):
    """S6: a document for a job: a scan uploaded, or the original on its way or collected."""

    class Delivery(models.TextChoices):
        UPLOAD = "upload", _("Uploaded")
        POST = "post", _("Original sent by post")
        COURIER = "courier", _("Original sent by courier")
        COLLECTED = "collected", _("Original collected by the provider")

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="documents")
    requirement = models.ForeignKey(
        RequiredDocument, null=True, blank=True, on_delete=models.SET_NULL, related_name="documents"
    )
    file = models.FileField(_("file"), upload_to=job_upload_path, blank=True)
    delivery = models.CharField(_("delivery"), max_length=20, choices=Delivery.choices, default=Delivery.UPLOAD)
    received_at = models.DateTimeField(_("original received"), null=True, blank=True)
    returned_at = models.DateTimeField(_("original returned"), null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("job document")
        verbose_name_plural = _("job documents")
        constraints = [
            models.CheckConstraint(
                condition=~Q(delivery="upload") | ~Q(file=""), name="job_document_upload_has_file"
            ),
        ]

    def __str__(self) -> str:
        return self.requirement.get_name() if self.requirement_id else self.file.name


# --------------------------------------------------------------------------- quotes (S2, S12)
class Quote(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENT = "sent", _("Sent")
        SUPERSEDED = "superseded", _("Replaced by a newer quote")
        ACCEPTED = "accepted", _("Accepted")
        EXPIRED = "expired", _("Expired")

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="quotes")
    version = models.PositiveSmallIntegerField(_("version"))
    valid_until = models.DateTimeField(_("valid until"))
    total = models.DecimalField(_("total"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default=default_currency)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SENT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

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
    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="lines")
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

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="change_orders")
    description = models.TextField(_("description"))
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

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

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="charges")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    description = models.CharField(_("description"), max_length=300, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    change_order = models.OneToOneField(
        ChangeOrder, null=True, blank=True, on_delete=models.PROTECT, related_name="charge"
    )
    created = models.DateTimeField(auto_now_add=True)

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

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="receipts")
    purpose = models.CharField(_("purpose"), max_length=20)
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    payment = models.OneToOneField(
        "payments.Payment", null=True, blank=True, on_delete=models.PROTECT, related_name="job_receipt"
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

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


class JobEvent(models.Model):
    """One step of a job's history (S7): who, when, from which status to which, and why."""

    class Action(models.TextChoices):
        REQUESTED = "requested", _("Request received")
        QUOTE_SENT = "quote_sent", _("Quote sent")
        QUOTE_REVISED = "quote_revised", _("Quote revised")
        NOT_FEASIBLE = "not_feasible", _("Not feasible")
        QUOTE_ACCEPTED = "quote_accepted", _("Quote accepted, price locked")
        PAID = "paid", _("Payment received")
        DUPLICATE_PAYMENT_REFUNDED = "duplicate_payment_refunded", _("Duplicate payment refunded")
        MATCHING = "matching", _("Finding a provider")
        ASSIGNED = "assigned", _("Provider assigned")
        REASSIGNED = "reassigned", _("Provider changed by staff")
        DECLINED = "declined", _("Provider declined")
        DISPATCHED = "dispatched", _("Visit time set")
        VISIT_RESCHEDULED = "visit_rescheduled", _("Visit time changed")
        STARTED = "started", _("Work started")
        WORK_RECORDED = "work_recorded", _("Work done so far recorded")
        CHANGE_PROPOSED = "change_proposed", _("Extra work proposed")
        CHANGE_ACCEPTED = "change_accepted", _("Extra work accepted")
        CHANGE_DECLINED = "change_declined", _("Extra work declined")
        COMPLETED = "completed", _("Work done")
        PROVIDER_CREDITED = "provider_credited", _("Provider credited")
        CANCELLED = "cancelled", _("Cancelled")
        CASH_REFUND_DUE = "cash_refund_due", _("Cash refund to hand back")
        CASH_REFUNDED = "cash_refunded", _("Refund handed back in cash")
        RATED = "rated", _("Rated")
        WARRANTY_REPORTED = "warranty_reported", _("Warranty claim reported")
        WARRANTY_CONFIRMED = "warranty_confirmed", _("Warranty claim confirmed: free redo")
        WARRANTY_REJECTED = "warranty_rejected", _("Warranty claim rejected")
        COMPLAINT_FILED = "complaint_filed", _("Complaint sent")
        DOCUMENT_ADDED = "document_added", _("Document added")
        DOCUMENT_RECEIVED = "document_received", _("Original document received")
        DOCUMENT_RETURNED = "document_returned", _("Original document returned")

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    action = models.CharField(_("action"), max_length=40, choices=Action.choices)
    note = models.TextField(_("note"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    visible_to_customer = models.BooleanField(default=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created", "pk"]
        verbose_name = _("job event")
        verbose_name_plural = _("job events")

    def __str__(self) -> str:
        return f"{self.job} {self.action}"

    def get_from_status_display(self) -> str:
        return str(Job.Status(self.from_status).label) if self.from_status in Job.Status.values else ""

    def get_to_status_display(self) -> str:
        return str(Job.Status(self.to_status).label) if self.to_status in Job.Status.values else ""


class Rating(models.Model):
    """S15: one rating per side per job. `side` is who rates: the customer rates the
    provider, the provider rates the customer."""

    class Side(models.TextChoices):
        CUSTOMER = "customer", _("Customer's rating of the provider")
        PROVIDER = "provider", _("Provider's rating of the customer")

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="ratings")
    side = models.CharField(_("side"), max_length=10, choices=Side.choices)
    rater = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.UniqueConstraint(fields=["job", "side"], name="rating_one_per_side"),
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="rating_score_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.job} {self.side}: {self.score}"


class WarrantyClaim(models.Model):
    """S11: the customer says the job must be redone; staff confirm or reject."""

    class Status(models.TextChoices):
        REPORTED = "reported", _("Reported")
        CONFIRMED = "confirmed", _("Confirmed: free redo")
        REJECTED = "rejected", _("Rejected")

    job = models.ForeignKey(Job, on_delete=models.PROTECT, related_name="warranty_claims")
    reason = models.TextField(_("what is wrong"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.REPORTED)
    redo_job = models.OneToOneField(
        Job, null=True, blank=True, on_delete=models.PROTECT, related_name="warranty_claim_redo"
    )
    decision_note = models.TextField(_("decision note"), blank=True)
    fine_amount = models.DecimalField(_("fine"), max_digits=12, decimal_places=2, null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("warranty claim")
        verbose_name_plural = _("warranty claims")
        constraints = [
            # One open claim per job: a double-submitted report is one claim.
            models.UniqueConstraint(
                fields=["job"], condition=Q(status="reported"), name="warranty_one_open_claim_per_job"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.job}: {self.get_status_display()}"


class Complaint(models.Model):
    """S10: a customer's complaint about a provider, resolved by staff."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    class Action(models.TextChoices):
        NONE = "none", _("No action")
        WARNING = "warning", _("Warning")
        FINE = "fine", _("Fine")
        SUSPENSION = "suspension", _("Suspension")

    job = models.ForeignKey(Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="complaints")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="complaints")
    customer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("complaint"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices, blank=True)
    staff_note = models.TextField(_("staff note"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")

    def __str__(self) -> str:
        return f"{self.provider}: {self.text[:40]}"


class ProviderSanction(models.Model):
    """A warning, fine or suspension given to a provider (S10, S11), with the reason."""

    class Kind(models.TextChoices):
        WARNING = "warning", _("Warning")
        FINE = "fine", _("Fine")
        SUSPENSION = "suspension", _("Suspension")

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="sanctions")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2, null=True, blank=True)
    reason = models.TextField(_("reason"))
    complaint = models.ForeignKey(
        Complaint, null=True, blank=True, on_delete=models.SET_NULL, related_name="sanctions"
    )
    warranty_claim = models.ForeignKey(
        WarrantyClaim, null=True, blank=True, on_delete=models.SET_NULL, related_name="sanctions"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("provider sanction")
        verbose_name_plural = _("provider sanctions")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="fine") | Q(amount__gt=0), name="sanction_fine_has_amount"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider}: {self.get_kind_display()}"
