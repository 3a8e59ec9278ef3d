"""The job, its booked slot, declines, photos and documents."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.private_files import private_storage, private_upload_to
from services_catalog.models.catalogue import Area, RequiredDocument, Service
from services_catalog.models.common import ZERO, Slot, default_currency, money, slot_bounds
from services_catalog.models.providers import Provider


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
    updated = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))
    quoted_at = models.DateTimeField(null=True, blank=True, verbose_name=_("quoted at"))
    accepted_at = models.DateTimeField(null=True, blank=True, verbose_name=_("accepted at"))
    matching_since = models.DateTimeField(null=True, blank=True, verbose_name=_("matching since"))
    assigned_at = models.DateTimeField(null=True, blank=True, verbose_name=_("assigned at"))
    dispatched_at = models.DateTimeField(null=True, blank=True, verbose_name=_("dispatched at"))
    started_at = models.DateTimeField(null=True, blank=True, verbose_name=_("started at"))
    completed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("completed at"))
    cancelled_at = models.DateTimeField(null=True, blank=True, verbose_name=_("cancelled at"))
    paid_in_full_at = models.DateTimeField(null=True, blank=True, verbose_name=_("paid in full at"))
    provider_credited_at = models.DateTimeField(null=True, blank=True, verbose_name=_("provider credited at"))

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("service job")
        verbose_name_plural = _("service jobs")
        indexes = [
            models.Index(fields=["status", "matching_since"]),
            # A customer's jobs, newest first, in exactly the list's order (created, then
            # id): with (customer, -created) alone, PostgreSQL's generic plan for the
            # prepared statement walked the whole queue index instead (issue 16).
            models.Index(fields=["customer", "-created", "-id"], name="job_customer_newest"),
            # A provider's job list reads its page's keys in order (date, slot, id) from this
            # index alone, the status tested in the index too (core.paging.KeysFirst), and
            # its count from the next one, instead of sorting, reading and counting
            # thousands of rows (issue 16).
            models.Index(fields=["provider", "preferred_date", "slot", "id", "status"], name="job_provider_agenda"),
            models.Index(fields=["provider", "status"], name="job_provider_status"),
            # The staff queue, newest first (Meta.ordering): a page reads its 30 rows in
            # order instead of sorting every job (issue 16).
            models.Index(fields=["created", "id"], name="job_queue_order"),
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

    provider = models.ForeignKey(
        Provider, on_delete=models.CASCADE, related_name="bookings", verbose_name=_("provider"),
    )
    date = models.DateField(_("date"))
    slot = models.CharField(_("slot"), max_length=20, choices=Slot.choices)
    job = models.OneToOneField(Job, on_delete=models.CASCADE, related_name="booking", verbose_name=_("job"))
    created = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

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

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="declines", verbose_name=_("job"))
    provider = models.ForeignKey(
        Provider, on_delete=models.CASCADE, related_name="declines", verbose_name=_("provider"),
    )
    reason = models.TextField(_("reason"), blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("removed by staff"),
    )
    created = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["created", "pk"]
        constraints = [models.UniqueConstraint(fields=["job", "provider"], name="job_decline_once")]
        verbose_name = _("job decline")
        verbose_name_plural = _("job declines")

    def __str__(self) -> str:
        return f"{self.job} declined by {self.provider}"


def job_upload_path(instance: models.Model, filename: str) -> str:
    """The old public path (kept for the migrations that name it); files are private now."""
    return f"services/jobs/{instance.job_id}/{filename}"


class JobPhoto(models.Model):
    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="photos", verbose_name=_("job"))
    # Private (core.private_files): outside MEDIA_ROOT, random names, served to the job's
    # customer, its provider and job staff only (services_catalog.private_files).
    image = models.ImageField(_("photo"), storage=private_storage, upload_to=private_upload_to("services/jobs/photos"))
    created = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

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

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="documents", verbose_name=_("job"))
    requirement = models.ForeignKey(
        RequiredDocument, null=True, blank=True, on_delete=models.SET_NULL, related_name="documents"
    , verbose_name=_("requirement"))
    file = models.FileField(_("file"), storage=private_storage, upload_to=private_upload_to("services/jobs/documents"),
                            blank=True)
    delivery = models.CharField(_("delivery"), max_length=20, choices=Delivery.choices, default=Delivery.UPLOAD)
    received_at = models.DateTimeField(_("original received"), null=True, blank=True)
    returned_at = models.DateTimeField(_("original returned"), null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

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
        # Never the storage path (a random private file name): the requirement, or "Document".
        return self.requirement.get_name() if self.requirement_id else str(_("Document"))
