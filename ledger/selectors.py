"""Ledger reads shared by dashboards, the admin and `manage.py ledger_check`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Sum

from ledger.models import Account, Leg, Transfer
from ledger.rules import LEG_QUANTUM


def balances(codes: Iterable[str], *, currency: str | None = None) -> dict[str, Decimal]:
    """The cached balance of each account code in `codes` (one query); a code with no
    account yet reads as zero. Codes are unique across currencies except the platform's,
    so pass `currency` when asking for a platform account."""
    wanted = list(dict.fromkeys(codes))
    queryset = Account.objects.filter(code__in=wanted)
    if currency is not None:
        queryset = queryset.filter(currency=currency)
    found = dict(queryset.values_list("code", "balance"))
    return {code: found.get(code, Decimal("0")) for code in wanted}


def account_statement(*, account: Account, limit: int = 50) -> list[Leg]:
    """The account's latest legs, newest first, each with its transfer (one query)."""
    return list(Leg.objects.filter(account=account).select_related("transfer").order_by("-pk")[:limit])


@dataclass(frozen=True)
class Drift:
    account: Account
    cached: Decimal
    legs_total: Decimal


@dataclass(frozen=True)
class Imbalance:
    transfer: Transfer
    legs: int
    total: Decimal


def accounts_drifting() -> list[Drift]:
    """Every account whose cached balance differs from the sum of its legs.

    Compared in Python rather than in SQL: SQLite sums decimals as floats, so totals are
    rounded back to cents (legs are whole cents) before comparing.
    """
    accounts = Account.objects.annotate(legs_total=Sum("legs__amount")).order_by("pk")
    drifting = []
    for account in accounts.iterator(chunk_size=2000):
        total = _cents(account.legs_total)
        if account.balance != total:
            drifting.append(Drift(account=account, cached=account.balance, legs_total=total))
    return drifting


def transfers_unbalanced() -> list[Imbalance]:
    """Every transfer whose legs don't sum to zero or that has fewer than two legs."""
    transfers = Transfer.objects.annotate(legs_total=Sum("legs__amount"), legs_count=Count("legs")).order_by("pk")
    return [
        Imbalance(transfer=transfer, legs=transfer.legs_count, total=_cents(transfer.legs_total))
        for transfer in transfers.iterator(chunk_size=2000)
        if transfer.legs_count < 2 or _cents(transfer.legs_total) != 0
    ]


def _cents(total: Decimal | None) -> Decimal:
    return (total or Decimal("0")).quantize(LEG_QUANTUM)
