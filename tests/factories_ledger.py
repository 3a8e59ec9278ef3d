"""Ledger factories. Balances are never set directly: money arrives by a transfer from a
clearing account, so every cached balance stays equal to the sum of its legs."""

from __future__ import annotations

from decimal import Decimal

import factory
from django.conf import settings

from ledger.models import Account
from ledger.services import account_get_or_create, transfer_move


class AccountFactory(factory.django.DjangoModelFactory):
    code = factory.Sequence(lambda n: f"test:account:{n}")
    name = factory.LazyAttribute(lambda account: account.code)
    currency = factory.LazyFunction(lambda: settings.OSCAR_DEFAULT_CURRENCY)
    floor = Decimal("0")

    class Meta:
        model = Account


def clearing_account(currency: str | None = None) -> Account:
    """An unbounded account (no floor) that funds test accounts."""
    currency = currency or settings.OSCAR_DEFAULT_CURRENCY
    return account_get_or_create(code=f"test:clearing:{currency}", currency=currency, floor=None)


def funded_account(amount: Decimal | str, **kwargs) -> Account:
    account = AccountFactory(**kwargs)
    transfer_move(
        idempotency_key=f"test:fund:{account.code}",
        kind="test.fund",
        source=clearing_account(account.currency),
        destination=account,
        amount=Decimal(amount),
    )
    account.refresh_from_db()
    return account
