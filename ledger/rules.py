"""Pure ledger arithmetic (no database): which legs are acceptable, and what a partial
reversal posts. `ledger.services` applies these under row locks."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from core.money import quantize
from ledger.errors import CurrencyMismatch, InvalidTransfer, UnbalancedTransfer

if TYPE_CHECKING:
    from ledger.models import Account

# The scale of every amount column (ledger.models.AMOUNT): a storage invariant the ledger
# checks itself, not a currency rounding (that is core.money.quantize).
LEG_QUANTUM = Decimal("0.01")


def validate_legs(legs: Sequence[tuple[Account, Decimal]]) -> str:
    """The transfer's currency, if these legs may be posted together; raises otherwise."""
    if len(legs) < 2:
        raise InvalidTransfer(_("A transfer needs at least two legs."))
    seen: set[int] = set()
    for account, amount in legs:
        if account.pk is None:
            raise InvalidTransfer(_("Account %(account)s has not been saved.") % {"account": account})
        if account.pk in seen:
            raise InvalidTransfer(
                _("Account %(account)s appears twice in one transfer; combine its legs.") % {"account": account}
            )
        seen.add(account.pk)
        if not isinstance(amount, Decimal | int):
            raise InvalidTransfer(_("Ledger amounts must be exact decimals, not %(type)s.") % {"type": type(amount)})
        if amount == 0 or Decimal(amount) != Decimal(amount).quantize(LEG_QUANTUM):
            raise InvalidTransfer(
                _("Leg amount %(amount)s must be non-zero with at most two decimal places.") % {"amount": amount}
            )
    total = sum((Decimal(amount) for _account, amount in legs), Decimal("0"))
    if total != 0:
        raise UnbalancedTransfer(
            _("The legs of a transfer must sum to zero; these sum to %(total)s.") % {"total": total}
        )
    currencies = sorted({account.currency for account, _amount in legs})
    if len(currencies) != 1:
        raise CurrencyMismatch(
            _("All accounts of one transfer must use the same currency, not %(currencies)s.")
            % {"currencies": ", ".join(currencies)}
        )
    return currencies[0]


def reversal_amounts(
    original: Sequence[tuple[int, Decimal]], amount: Decimal, *, currency: str
) -> list[tuple[int, Decimal]]:
    """The legs (account id, amount) that reverse `amount` of a transfer with legs `original`.

    The amount is measured on the first positive leg, which is reversed exactly; the other
    legs are scaled in proportion and rounded to the currency's smallest unit
    (core.money.quantize, the platform's one rounding rule), and the largest of them absorbs
    the rounding so the reversal still sums to zero. Legs that round to zero are left out.
    """
    measure = next(index for index, (_account, leg) in enumerate(original) if leg > 0)
    base = original[measure][1]
    scaled = [(account, -quantize(leg * amount / base, currency)) for account, leg in original]
    scaled[measure] = (original[measure][0], -amount)
    others = [index for index in range(len(original)) if index != measure]
    absorber = max(others, key=lambda index: abs(original[index][1]))
    residual = sum(leg for index, (_account, leg) in enumerate(scaled) if index != absorber)
    scaled[absorber] = (scaled[absorber][0], -residual)
    return [(account, leg) for account, leg in scaled if leg != 0]
