"""Ratings (S15), warranty claims (S11), complaints (S10) and provider sanctions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from services_catalog.models.jobs import Job
from services_catalog.models.providers import Provider


class Rating(models.Model):
    """S15: one rating per side per job. `side` is who rates: the customer rates the
    provider, the provider rates the customer."""

    class Side(models.TextChoices):
        CUSTOMER = "customer", _("Customer's rating of the provider")
        PROVIDER = "provider", _("Provider's rating of the customer")

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("job"))
    side = models.CharField(_("side"), max_length=10, choices=Side.choices)
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("rater"),
    )
    score = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True)
    created = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

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

    job = models.ForeignKey(Job, on_delete=models.PROTECT, related_name="warranty_claims", verbose_name=_("job"))
    reason = models.TextField(_("what is wrong"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.REPORTED)
    redo_job = models.OneToOneField(
        Job, null=True, blank=True, on_delete=models.PROTECT, related_name="warranty_claim_redo"
    , verbose_name=_("redo job"))
    decision_note = models.TextField(_("decision note"), blank=True)
    fine_amount = models.DecimalField(_("fine"), max_digits=12, decimal_places=2, null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    , verbose_name=_("decided by"))
    decided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("decided at"))
    created = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

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

    job = models.ForeignKey(
        Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="complaints", verbose_name=_("job"),
    )
    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="complaints", verbose_name=_("provider"),
    )
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("customer"),
    )
    text = models.TextField(_("complaint"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices, blank=True)
    staff_note = models.TextField(_("staff note"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    , verbose_name=_("resolved by"))
    resolved_at = models.DateTimeField(null=True, blank=True, verbose_name=_("resolved at"))
    created = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

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

    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="sanctions", verbose_name=_("provider"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2, null=True, blank=True)
    reason = models.TextField(_("reason"))
    complaint = models.ForeignKey(
        Complaint, null=True, blank=True, on_delete=models.SET_NULL, related_name="sanctions"
    , verbose_name=_("complaint"))
    warranty_claim = models.ForeignKey(
        WarrantyClaim, null=True, blank=True, on_delete=models.SET_NULL, related_name="sanctions"
    , verbose_name=_("warranty claim"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    , verbose_name=_("created by"))
    created = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

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
