"""An office errand (A3, S6, S9): the service job filed at one office and performed by another."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TransitionEvent
from core.private_files import private_storage, private_upload_to
from offices.models.offices import PartnerOffice
from offices.models.regions import Region


class Errand(models.Model):
    class Status(models.TextChoices):
        ROUTING = "routing", _("Waiting for an office")
        ROUTED = "routed", _("In the performing office's inbox")
        ACCEPTED = "accepted", _("Accepted by the performing office")
        IN_PROGRESS = "in_progress", _("In progress")
        RESULT_READY = "result_ready", _("Result ready for hand-over")
        HANDED_OVER = "handed_over", _("Handed over to the customer")
        CANCELLED = "cancelled", _("Cancelled")

    class Originals(models.TextChoices):
        NONE = "none", _("No originals travel")
        POST = "post", _("Sent by post")
        COURIER = "courier", _("Sent by courier")
        COLLECTED = "collected", _("Collected by the performing office")

    OPEN_STATUSES = (Status.ROUTING, Status.ROUTED, Status.ACCEPTED, Status.IN_PROGRESS, Status.RESULT_READY)
    # Statuses in which the performing office holds the errand (its open work, for ties).
    PERFORMING_STATUSES = (Status.ROUTED, Status.ACCEPTED, Status.IN_PROGRESS)

    job = models.OneToOneField(
        "services_catalog.Job", on_delete=models.PROTECT, related_name="errand", verbose_name=_("job"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ROUTING)
    origin = models.ForeignKey(PartnerOffice, on_delete=models.PROTECT, related_name="filed_errands",
                               verbose_name=_("originating office"))
    performer = models.ForeignKey(PartnerOffice, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="performed_errands", verbose_name=_("performing office"))
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                 verbose_name=_("filed by"))
    destination_province = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+",
                                             verbose_name=_("destination province"))
    destination_county = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+",
                                           verbose_name=_("destination county"))
    destination_address = models.TextField(_("destination address"))
    originals = models.CharField(_("originals"), max_length=20, choices=Originals.choices, default=Originals.NONE)
    tracking_number = models.CharField(_("tracking number"), max_length=60, blank=True)
    originals_received_at = models.DateTimeField(_("originals received"), null=True, blank=True)
    originals_returned_at = models.DateTimeField(_("originals returned"), null=True, blank=True)
    # The routing inputs and decisions (A3): one entry per routing, newest last.
    routing = models.JSONField(_("routing decisions"), default=list, blank=True)
    declined_office_ids = models.JSONField(default=list, blank=True, verbose_name=_("declined office IDs"))
    hop_due_at = models.DateTimeField(_("current step due"), null=True, blank=True)
    # The step's due time the lateness was last announced for (flag_late_errands).
    late_flagged_due = models.DateTimeField(null=True, blank=True, editable=False, verbose_name=_("late flagged due"))
    result_reference = models.CharField(_("reference number"), max_length=100, blank=True)
    result_note = models.TextField(_("result"), blank=True)
    result_file = models.FileField(_("result document"), storage=private_storage,
                                   upload_to=private_upload_to("offices/results"), blank=True)
    outcome_negative = models.BooleanField(_("the third party's answer was negative"), default=False)
    handed_over_at = models.DateTimeField(_("handed over"), null=True, blank=True)
    split_posted_at = models.DateTimeField(null=True, blank=True, verbose_name=_("split posted at"))
    created = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("office errand")
        verbose_name_plural = _("office errands")
        indexes = [models.Index(fields=["performer", "status"]), models.Index(fields=["origin", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="routing") | Q(status="cancelled") | Q(performer__isnull=False),
                name="errand_performer_when_routed",
            ),
            models.CheckConstraint(
                condition=~Q(originals__in=["post", "courier"]) | ~Q(tracking_number=""),
                name="errand_tracking_when_sent",
            ),
        ]

    def __str__(self) -> str:
        return self.job.number

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class ErrandEvent(TransitionEvent):
    """One step of an errand (who, which office, when, from, to, note)."""

    errand = models.ForeignKey(Errand, on_delete=models.CASCADE, related_name="events", verbose_name=_("errand"))
    office = models.ForeignKey(PartnerOffice, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                               verbose_name=_("office"))
    visible_to_customer = models.BooleanField(default=False, verbose_name=_("visible to customer"))

    class Meta(TransitionEvent.Meta):
        verbose_name = _("errand event")
        verbose_name_plural = _("errand events")


class RefundRequest(models.Model):
    """S9: the errand ended badly through no fault of the customer; staff review."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for review")
        APPROVED = "approved", _("Approved, refunded")
        REJECTED = "rejected", _("Rejected")

    errand = models.ForeignKey(
        Errand, on_delete=models.PROTECT, related_name="refund_requests", verbose_name=_("errand"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    reason = models.TextField(_("what happened"))
    evidence = models.FileField(_("evidence"), storage=private_storage,
                                upload_to=private_upload_to("offices/evidence"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("requested by"),
    )
    amount = models.DecimalField(_("refunded"), max_digits=12, decimal_places=2, null=True, blank=True)
    decision_note = models.TextField(_("decision"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("decided at"))
    created = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("errand refund request")
        verbose_name_plural = _("errand refund requests")
        constraints = [
            models.UniqueConstraint(fields=["errand"], condition=Q(status="open"), name="one_open_refund_per_errand"),
        ]

    def __str__(self) -> str:
        return f"{self.errand} {self.get_status_display()}"
