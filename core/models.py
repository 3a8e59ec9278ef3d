"""The kernel's models: the anchor of the named staff permissions, and the abstract event
row every state machine writes (core.transitions)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class StaffAbility(models.Model):
    """No table: only the content type that the named permissions (core.permissions)
    belong to, so they show as "Chaarsoo core | …" in the admin's group editor."""

    class Meta:
        managed = False
        default_permissions = ()
        verbose_name = _("staff ability")
        verbose_name_plural = _("staff abilities")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)


class TransitionEvent(models.Model):
    """One step of an object's life: who (actor) fired which named transition (action),
    from which status to which, when, and why (note). Concrete subclasses add the foreign
    key to their object and may add fields (a Stripe event id, customer visibility)."""

    action = models.CharField(_("action"), max_length=40)
    from_status = models.CharField(_("from"), max_length=32, blank=True)
    to_status = models.CharField(_("to"), max_length=32, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    created = models.DateTimeField(_("at"), default=timezone.now, db_index=True)

    class Meta:
        abstract = True
        ordering = ("created", "pk")

    def __str__(self) -> str:
        return f"{self.action}: {self.from_status} -> {self.to_status}"


class IdempotencyKey(models.Model):
    """The first answer to a POST sent with an `Idempotency-Key` header (core.idempotency).

    One row per client (an account, or an anonymous client), key, method and path: the
    unique constraint is what makes a second concurrent request with the same key fail to
    start (409) instead of running twice. `status` is null while the first request runs.
    Rows older than 24 hours are deleted by the `expire_idempotency_keys` duty."""

    client = models.CharField(_("client"), max_length=80)
    key = models.CharField(_("idempotency key"), max_length=255)
    method = models.CharField(_("request method"), max_length=10)
    path = models.CharField(_("path"), max_length=500)
    fingerprint = models.CharField(_("request fingerprint"), max_length=64)
    status = models.PositiveSmallIntegerField(_("response status"), null=True, blank=True)
    content_type = models.CharField(_("response content type"), max_length=120, blank=True)
    body = models.BinaryField(_("response body"), default=b"")
    location = models.CharField(_("response location"), max_length=500, blank=True)
    created = models.DateTimeField(_("created"), default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=("client", "key", "method", "path"), name="core_idempotency_key_once"),
        ]
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")

    def __str__(self) -> str:
        return f"{self.method} {self.path} [{self.key}]"
