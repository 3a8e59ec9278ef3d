"""Every email and SMS the platform sends, kept as a row (what, to whom, and how it went)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Message(models.Model):
    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        SMS = "sms", _("SMS")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        # Claimed by a worker: set before the provider is called, so a task delivered
        # twice by the broker can never send the same message twice.
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    event = models.CharField(_("event"), max_length=100, db_index=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    to = models.CharField(pgettext_lazy("recipient", "to"), max_length=254)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    body = models.TextField(_("body"))
    language = models.CharField(_("language"), max_length=10)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(_("error"), blank=True)
    # Sends tried so far: a failed send stays queued (retried by send_queued_notifications)
    # until CHAARSOO_NOTIFY_MAX_ATTEMPTS, then it is failed for staff to see.
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    provider_id = models.CharField(_("provider message id"), max_length=255, blank=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        # Oscar's own communication.Notification already uses "notifications".
        related_name="notification_messages",
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [models.Index(fields=["to", "event"]), models.Index(fields=["status", "created"])]
        constraints = [
            models.CheckConstraint(condition=Q(channel__in=["email", "sms"]), name="message_channel_known"),
            models.CheckConstraint(
                condition=Q(status__in=["queued", "sending", "sent", "failed"]), name="message_status_known"
            ),
            # A message counts as sent only with the time it went out.
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False), name="message_sent_has_time"
            ),
            models.CheckConstraint(condition=~Q(to=""), name="message_has_address"),
        ]

    def __str__(self) -> str:
        return f"{self.event} {self.get_channel_display()} → {self.to} ({self.get_status_display()})"
