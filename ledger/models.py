"""Double-entry ledger: accounts, transfers and their legs.

Every leg carries a signed amount; a transfer's legs sum to zero; an account's balance is
the sum of its legs, cached on the account and changed only by `ledger.services` under a
row lock. Transfers and legs are append-only: a mistake is corrected by a reversing
transfer linked to the original, never by editing history. On PostgreSQL the database
enforces both rules too (triggers installed by migration 0001).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ledger.errors import AppendOnly

AMOUNT = {"max_digits": 18, "decimal_places": 2}


class Account(models.Model):
    code = models.CharField(_("code"), max_length=100, unique=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    currency = models.CharField(_("currency"), max_length=3)
    floor = models.DecimalField(
        _("floor"), **AMOUNT, null=True, blank=True, default=Decimal("0"),
        help_text=_("The lowest balance allowed; empty means no limit (clearing accounts)."),
    )
    balance = models.DecimalField(_("balance"), **AMOUNT, default=Decimal("0"))
    owner_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("owner type"),
    )
    owner_id = models.PositiveBigIntegerField(null=True, blank=True, verbose_name=_("owner ID"))
    owner = GenericForeignKey("owner_type", "owner_id")
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("ledger account")
        verbose_name_plural = _("ledger accounts")
        indexes = [models.Index(fields=["owner_type", "owner_id"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(floor__isnull=True) | Q(balance__gte=F("floor")), name="ledger_account_balance_above_floor"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name or self.code} ({self.currency})"

    def save(self, *args, **kwargs) -> None:
        # The cached balance is written only by ledger.services with row-locked updates, so
        # saving a stale in-memory copy (an admin edit, a renamed account) must never
        # overwrite it.
        if not self._state.adding:
            fields = kwargs.get("update_fields")
            if fields is None:
                fields = [f.name for f in self._meta.concrete_fields if not f.primary_key]
            kwargs["update_fields"] = [name for name in fields if name != "balance"]
        super().save(*args, **kwargs)


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnly()

    def delete(self):
        raise AppendOnly()


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise AppendOnly()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly()


class Transfer(AppendOnlyModel):
    idempotency_key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=60)
    memo = models.CharField(_("memo"), max_length=500, blank=True)
    currency = models.CharField(_("currency"), max_length=3)
    reverses = models.ForeignKey(
        "self", verbose_name=_("reverses"), on_delete=models.PROTECT, null=True, blank=True, related_name="reversals"
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    # PROTECT: a ledger row is permanent, so whoever posted it is deactivated, not deleted
    # (SET_NULL would be an UPDATE, which the append-only rule refuses).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    metadata = models.JSONField(_("metadata"), default=dict, blank=True)

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("ledger transfer")
        verbose_name_plural = _("ledger transfers")
        indexes = [models.Index(fields=["kind", "created"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind} ({self.currency})"


class Leg(AppendOnlyModel):
    transfer = models.ForeignKey(Transfer, verbose_name=_("transfer"), on_delete=models.PROTECT, related_name="legs")
    account = models.ForeignKey(Account, verbose_name=_("account"), on_delete=models.PROTECT, related_name="legs")
    amount = models.DecimalField(_("amount"), **AMOUNT)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("leg")
        verbose_name_plural = _("legs")
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="ledger_leg_amount_not_zero"),
            # One leg per account per transfer keeps idempotency comparison and partial
            # reversals unambiguous.
            models.UniqueConstraint(fields=["transfer", "account"], name="ledger_leg_one_per_account"),
        ]

    def __str__(self) -> str:
        return f"{self.account_id}: {self.amount}"
