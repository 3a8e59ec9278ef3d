"""A job's history (S7): one event per step, on the kernel's TransitionEvent."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TransitionEvent
from services_catalog.models.jobs import Job


class JobEvent(TransitionEvent):
    """One step of a job's history (S7): who (actor), when (created), from which status to
    which, and why (note); the kernel's TransitionEvent with the job and whether the
    customer sees the step. Written only through `services_catalog.machine.JOB`."""

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
        REFUNDED_OUTSIDE = "refunded_outside", _("Card payment refunded by staff or in Stripe")
        RATED = "rated", _("Rated")
        WARRANTY_REPORTED = "warranty_reported", _("Warranty claim reported")
        WARRANTY_CONFIRMED = "warranty_confirmed", _("Warranty claim confirmed: free redo")
        WARRANTY_REJECTED = "warranty_rejected", _("Warranty claim rejected")
        COMPLAINT_FILED = "complaint_filed", _("Complaint sent")
        DOCUMENT_ADDED = "document_added", _("Document added")
        DOCUMENT_RECEIVED = "document_received", _("Original document received")
        DOCUMENT_RETURNED = "document_returned", _("Original document returned")
        PHOTOS_ADDED = "photos_added", _("Photos added")

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="events", verbose_name=_("job"))
    # The kernel's action, with this machine's names as choices (get_action_display).
    action = models.CharField(_("action"), max_length=40, choices=Action.choices)
    visible_to_customer = models.BooleanField(default=True, verbose_name=_("visible to customer"))

    class Meta(TransitionEvent.Meta):
        ordering = ["created", "pk"]
        verbose_name = _("job event")
        verbose_name_plural = _("job events")

    def __str__(self) -> str:
        return f"{self.job} {self.action}"

    def get_from_status_display(self) -> str:
        return str(Job.Status(self.from_status).label) if self.from_status in Job.Status.values else ""

    def get_to_status_display(self) -> str:
        return str(Job.Status(self.to_status).label) if self.to_status in Job.Status.values else ""
