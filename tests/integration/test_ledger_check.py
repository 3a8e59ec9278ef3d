"""`manage.py ledger_check` proves every cached balance equals the sum of its legs and
every transfer sums to zero, and exits non-zero listing whatever doesn't."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import F

from ledger import services
from ledger.models import Account, Leg, Transfer
from tests.factories_ledger import AccountFactory, funded_account

pytestmark = pytest.mark.django_db


def run_check() -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("ledger_check", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def ledger():
    source, destination = funded_account("100"), AccountFactory()
    transfer = services.transfer_move(idempotency_key="check:1", kind="sale", source=source, destination=destination,
                                      amount=Decimal("40"))
    services.transfer_reverse(transfer=transfer, idempotency_key="check:1:refund", amount=Decimal("15.55"))
    return source, destination


def test_a_clean_ledger_passes_with_its_counts(ledger):
    out, err = run_check()
    counts = f"{Account.objects.count()} accounts, {Transfer.objects.count()} transfers, {Leg.objects.count()} legs"
    assert out.startswith(f"OK: {counts}")
    assert err == ""


def test_a_cached_balance_changed_behind_the_ledgers_back_fails_the_check_and_names_the_account(ledger):
    _source, destination = ledger
    # A queryset update bypasses the services on purpose: this is the drift the check exists for.
    Account.objects.filter(pk=destination.pk).update(balance=F("balance") + Decimal("0.01"))
    err = StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("ledger_check", stdout=StringIO(), stderr=err)
    assert failure.value.returncode == 1
    assert "1 account(s) drifting" in str(failure.value)
    assert f"DRIFT account {destination.code} (#{destination.pk}): cached 24.46, legs sum 24.45" in err.getvalue()


class RolledBack(Exception):
    pass


def test_a_transfer_whose_legs_do_not_sum_to_zero_fails_the_check(ledger):
    source, destination = ledger
    err = StringIO()
    # Bypassing the service with bulk_create, inside a savepoint rolled back afterwards:
    # on PostgreSQL the deferred trigger refuses these rows at COMMIT (and at the test's
    # closing constraint check), which is exactly the rule, so they must not outlive it.
    with pytest.raises(RolledBack), transaction.atomic():
        transfer = Transfer.objects.create(idempotency_key="check:broken", kind="sale", currency=source.currency)
        Leg.objects.bulk_create([Leg(transfer=transfer, account=source, amount=Decimal("-5")),
                                 Leg(transfer=transfer, account=destination, amount=Decimal("4"))])
        with pytest.raises(CommandError) as failure:
            call_command("ledger_check", stdout=StringIO(), stderr=err)
        raise RolledBack
    assert "1 transfer(s) unbalanced" in str(failure.value)
    assert f"UNBALANCED transfer #{transfer.pk} (check:broken): 2 legs summing to -1.00" in err.getvalue()
