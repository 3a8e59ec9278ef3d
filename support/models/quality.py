"""S16: quality calls on a weekly random sample of completed jobs, and customers' feedback."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class QualityCall(models.Model):
    class Outcome(models.TextChoices):
        PENDING = "pending", _("To call")
        DONE = "done", _("Called")
        UNREACHABLE = "unreachable", _("No answer")

    job = models.OneToOneField(
        "services_catalog.Job", on_delete=models.CASCADE, related_name="quality_call", verbose_name=_("job"),
    )
    week = models.DateField(_("week of"))
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, default=Outcome.PENDING)
    score = models.PositiveSmallIntegerField(_("score (1-5)"), null=True, blank=True,
                                             validators=[MinValueValidator(1), MaxValueValidator(5)])
    notes = models.TextField(_("notes"), blank=True)
    called_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("called by"))
    called_at = models.DateTimeField(null=True, blank=True, verbose_name=_("called at"))

    class Meta:
        ordering = ("-week", "pk")
        verbose_name = _("quality call")
        verbose_name_plural = _("quality calls")

    def __str__(self) -> str:
        return f"{self.job_id} {self.week}"


class Feedback(models.Model):
    class Kind(models.TextChoices):
        FEEDBACK = "feedback", _("Feedback")
        IDEA = "idea", _("An idea")

    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="support_feedback", verbose_name=_("customer"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.FEEDBACK)
    job = models.ForeignKey("services_catalog.Job", null=True, blank=True, on_delete=models.SET_NULL,
                            related_name="+", verbose_name=_("about the job"))
    body = models.TextField(_("what would you like to tell us?"))
    created = models.DateTimeField(verbose_name=_("created at"))

    class Meta:
        ordering = ("-created",)
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")

    def __str__(self) -> str:
        return self.body[:60]
