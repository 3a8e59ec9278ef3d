"""Ledger writes: open accounts, post transfers, reverse them.

Rules (issue 4 point 9, architecture "Money and points"):
- the legs of a transfer sum to zero, in one currency (checked here, and on PostgreSQL
  again by a deferred constraint trigger at commit);
- every involved account is locked with `select_for_update` in pk order before its
  balance is read, so concurrent debits can't overdraw it and opposite transfers can't
  deadlock; the cached balance is updated in the same transaction;
- an idempotency key names the business event: posting it again returns the transfer
  already posted, and posts nothing;
- reversals lock the original, are linked to it, and never exceed it in total.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.db.models import F, Sum
from django.utils.translation import gettext as _

from ledger.errors import (
    CurrencyMismatch,
    IdempotencyConflict,
    InsufficientFunds,
    InvalidTransfer,
    ReversalExceedsOriginal,
    ReversalNotAllowed,
)
from ledger.models import Account, Leg, Transfer
from ledger.rules import reversal_amounts, validate_legs

REVERSAL_KIND = "reversal"


def account_get_or_create(
    *,
    code: str,
    currency: str,
    name: str = "",
    floor: Decimal | None = Decimal("0"),
    owner: models.Model | None = None,
) -> Account:
    """The account with this code, opened with these settings if it doesn't exist yet."""
    currency = currency.upper()
    defaults: dict = {"currency": currency, "name": name or code, "floor": floor}
    if owner is not None:
        defaults.update(owner_type=ContentType.objects.get_for_model(owner), owner_id=owner.pk)
    account, _created = Account.objects.get_or_create(code=code, defaults=defaults)
    if account.currency != currency:
        raise CurrencyMismatch(
            _("Account %(code)s keeps %(currency)s, not %(asked)s.")
            % {"code": code, "currency": account.currency, "asked": currency}
        )
    return account


def account_balance(*, account: Account) -> Decimal:
    """The cached balance, fresh from the database (in-memory copies may be stale)."""
    return Account.objects.values_list("balance", flat=True).get(pk=account.pk)


def transfer_post(
    *,
    idempotency_key: str,
    kind: str,
    legs: Sequence[tuple[Account, Decimal]],
    memo: str = "",
    user=None,
    metadata: dict | None = None,
    minimum_balances: Mapping[Account, Decimal] | None = None,
) -> Transfer:
    """Post one balanced transfer, or return the one already posted under this key.

    Raises UnbalancedTransfer, CurrencyMismatch, InvalidTransfer, InsufficientFunds (an
    account would end below its floor, or below `minimum_balances[account]`) and
    IdempotencyConflict (the key was used for different legs). Nothing is written when
    it raises.
    """
    currency = validate_legs(legs)
    minimums = {account.pk: Decimal(minimum) for account, minimum in (minimum_balances or {}).items()}
    if not minimums.keys() <= {account.pk for account, _amount in legs}:
        raise InvalidTransfer(_("A minimum balance was given for an account this transfer doesn't touch."))
    with transaction.atomic():
        return _post(
            idempotency_key=idempotency_key,
            kind=kind,
            currency=currency,
            legs=[(account.pk, Decimal(amount)) for account, amount in legs],
            memo=memo,
            user=user,
            metadata=metadata or {},
            minimums=minimums,
        )


def transfer_move(
    *,
    idempotency_key: str,
    kind: str,
    source: Account,
    destination: Account,
    amount: Decimal,
    memo: str = "",
    user=None,
    metadata: dict | None = None,
    source_minimum: Decimal | None = None,
) -> Transfer:
    """Move a positive `amount` from `source` to `destination` (see transfer_post)."""
    if amount <= 0:
        raise InvalidTransfer(_("The amount to move must be positive, not %(amount)s.") % {"amount": amount})
    return transfer_post(
        idempotency_key=idempotency_key,
        kind=kind,
        legs=[(source, -amount), (destination, amount)],
        memo=memo,
        user=user,
        metadata=metadata,
        minimum_balances=None if source_minimum is None else {source: source_minimum},
    )


def transfer_reverse(
    *,
    transfer: Transfer,
    idempotency_key: str,
    amount: Decimal | None = None,
    memo: str = "",
    user=None,
) -> Transfer:
    """Post the negated legs of `transfer`, all of what remains unreversed or `amount` of it.

    The amount is measured on the original's first positive leg. Reversals together never
    exceed the original (ReversalExceedsOriginal); a reversal itself can't be reversed
    (ReversalNotAllowed). Accounts' floors still apply.
    """
    if amount is not None and amount <= 0:
        raise InvalidTransfer(_("The amount to reverse must be positive, not %(amount)s.") % {"amount": amount})
    with transaction.atomic():
        # Locking the original serialises its reversals, so two refunds of one sale
        # can't both see the same unreversed remainder.
        original = Transfer.objects.select_for_update().get(pk=transfer.pk)
        if original.reverses_id is not None:
            raise ReversalNotAllowed(
                _("Transfer #%(pk)s is itself a reversal; post a new transfer instead.") % {"pk": original.pk}
            )
        legs = list(original.legs.order_by("pk").values_list("account_id", "amount"))
        measure_account, measure_amount = next((account, leg) for account, leg in legs if leg > 0)
        existing = Transfer.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            # A repeated event: it must be this very reversal, measured against what it
            # posted then, not against what remains now.
            posted = existing.legs.filter(account_id=measure_account).values_list("amount", flat=True).first()
            if existing.reverses_id != original.pk or (amount is not None and amount != -posted):
                raise _conflict(existing)
            return existing
        already = Leg.objects.filter(transfer__reverses=original, account_id=measure_account).aggregate(
            total=Sum("amount")
        )["total"] or Decimal("0")
        remaining = measure_amount + already
        wanted = remaining if amount is None else amount
        if wanted <= 0 or wanted > remaining:
            raise ReversalExceedsOriginal(
                _("Only %(remaining)s %(currency)s of transfer #%(pk)s is left to reverse.")
                % {"remaining": remaining, "currency": original.currency, "pk": original.pk}
            )
        return _post(
            idempotency_key=idempotency_key,
            kind=REVERSAL_KIND,
            currency=original.currency,
            legs=reversal_amounts(legs, wanted, currency=original.currency),
            memo=memo,
            user=user,
            metadata={},
            minimums={},
            reverses=original,
        )


def _post(
    *,
    idempotency_key: str,
    kind: str,
    currency: str,
    legs: list[tuple[int, Decimal]],
    memo: str,
    user,
    metadata: dict,
    minimums: dict[int, Decimal],
    reverses: Transfer | None = None,
) -> Transfer:
    """Lock, check and write; called inside transaction.atomic."""
    deltas = dict(legs)
    accounts = {a.pk: a for a in Account.objects.select_for_update().filter(pk__in=deltas).order_by("pk")}
    existing = Transfer.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return _same_or_conflict(existing, kind=kind, legs=legs, reverses=reverses)
    for pk, delta in deltas.items():
        account = accounts[pk]
        if account.currency != currency:
            raise CurrencyMismatch(
                _("Account %(account)s keeps %(currency)s, not %(asked)s.")
                % {"account": account, "currency": account.currency, "asked": currency}
            )
        limits = [limit for limit in (account.floor, minimums.get(pk)) if limit is not None]
        if delta < 0 and limits and account.balance + delta < max(limits):
            raise InsufficientFunds(
                _("%(account)s holds %(balance)s %(currency)s; taking %(amount)s would leave less than %(limit)s.")
                % {
                    "account": account.name or account.code,
                    "balance": account.balance,
                    "currency": currency,
                    "amount": -delta,
                    "limit": max(limits),
                }
            )
    try:
        # A savepoint: if a concurrent post with the same key commits first, the unique
        # key refuses this insert and we return the winner's transfer instead.
        with transaction.atomic():
            transfer = Transfer.objects.create(
                idempotency_key=idempotency_key,
                kind=kind,
                memo=memo,
                currency=currency,
                reverses=reverses,
                created_by=user if getattr(user, "is_authenticated", False) else None,
                metadata=metadata,
            )
    except IntegrityError:
        winner = Transfer.objects.filter(idempotency_key=idempotency_key).first()
        if winner is None:
            raise
        return _same_or_conflict(winner, kind=kind, legs=legs, reverses=reverses)
    Leg.objects.bulk_create(Leg(transfer=transfer, account_id=pk, amount=amount) for pk, amount in legs)
    for pk, delta in deltas.items():
        Account.objects.filter(pk=pk).update(balance=F("balance") + delta)
    return transfer


def _same_or_conflict(
    existing: Transfer, *, kind: str, legs: list[tuple[int, Decimal]], reverses: Transfer | None
) -> Transfer:
    posted = sorted(existing.legs.values_list("account_id", "amount"))
    if existing.kind != kind or existing.reverses_id != getattr(reverses, "pk", None) or posted != sorted(legs):
        raise _conflict(existing)
    return existing


def _conflict(existing: Transfer) -> IdempotencyConflict:
    return IdempotencyConflict(
        _("The event %(key)s was already recorded differently (transfer #%(pk)s); use a new key for a new event.")
        % {"key": existing.idempotency_key, "pk": existing.pk}
    )
