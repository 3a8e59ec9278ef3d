"""Oscar's partner app, forked: a partner is a vendor (issue 4).

A vendor can be suspended (its products vanish from the storefront and cannot be bought,
its users can still sign in to see what they are owed), and it may have a Stripe Connect
account for payouts. Stock records carry database constraints so that no code path can
allocate more than is in stock: the row locks at checkout prevent overselling, and the
database refuses it if anything ever slips past them.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from oscar.apps.partner.abstract_models import AbstractPartner, AbstractStockRecord


class Partner(AbstractPartner):
    """Oscar's `name` is the vendor's Persian name; `name_en` its English one (issue 15)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")

    name_en = models.CharField(_("Name (English)"), max_length=128, blank=True)
    status = models.CharField(_("Status"), max_length=16, choices=Status.choices, default=Status.ACTIVE,
                              db_index=True)
    suspended_reason = models.TextField(_("Reason for suspension"), blank=True)
    suspended_at = models.DateTimeField(_("Suspended at"), null=True, blank=True)
    stripe_account_id = models.CharField(
        _("Stripe Connect account"), max_length=255, blank=True,
        help_text=_("The vendor's connected account (acct_…); payouts are sent there when Stripe is configured."),
    )

    class Meta(AbstractPartner.Meta):
        constraints = [
            models.CheckConstraint(condition=Q(status__in=["active", "suspended"]), name="partner_status_valid"),
        ]

    @property
    def display_name(self) -> str:
        """The name in the reader's language, the other one when that is empty: Oscar's
        templates, `str(partner)` and ours all show this."""
        english, persian = self.name_en.strip(), self.name.strip()
        if (get_language() or "fa").startswith("en"):
            return english or persian or self.code
        return persian or english or self.code

    @property
    def is_suspended(self) -> bool:
        return self.status == self.Status.SUSPENDED


class StockRecord(AbstractStockRecord):
    class Meta(AbstractStockRecord.Meta):
        constraints = [
            # The backstop against overselling: whatever the code does, the database never
            # lets more units be allocated than are in stock.
            models.CheckConstraint(
                condition=Q(num_in_stock__isnull=True)
                | Q(num_allocated__isnull=True)
                | Q(num_allocated__lte=F("num_in_stock")),
                name="stockrecord_allocated_lte_in_stock",
            ),
            models.CheckConstraint(
                condition=Q(num_allocated__isnull=True) | Q(num_allocated__gte=0),
                name="stockrecord_allocated_not_negative",
            ),
        ]

    def clean(self) -> None:
        """The contract's rules for every form that edits stock, Oscar's product dashboard
        included (vendors.services.stock_set applies the same ones): a suspended vendor
        changes nothing, and stock never exceeds the contracted quantity (P3)."""
        from django.core.exceptions import ValidationError

        super().clean()
        partner = getattr(self, "partner", None) if self.partner_id else None
        if partner is None:
            return
        if partner.is_suspended:
            raise ValidationError(_("This vendor is suspended: its stock can't be changed."))
        from vendors.models import ProductTerm

        term = (
            ProductTerm.objects.filter(contract__partner=partner, product_id=self.product_id)
            .exclude(contracted_quantity=None)
            .first()
            if self.product_id
            else None
        )
        if term is not None and self.num_in_stock is not None and self.num_in_stock > term.contracted_quantity:
            raise ValidationError(
                {"num_in_stock": _("The contract allows at most %(limit)d units in stock.")
                 % {"limit": term.contracted_quantity}}
            )


from oscar.apps.partner.models import *  # noqa: E402,F401,F403  (Oscar fork: the models we don't change)
