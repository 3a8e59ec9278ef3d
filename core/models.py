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
