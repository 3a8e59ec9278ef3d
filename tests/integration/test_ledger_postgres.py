"""What PostgreSQL guarantees on its own (triggers from migration 0001), and the ledger
under real concurrency: threads with their own connections, committed transactions."""

from __future__ import annotations

import threading
from collections.abc import Callable
from decimal import Decimal
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import IntegrityError, connection, connections, transaction

from ledger import services
from ledger.errors import IdempotencyConflict, InsufficientFunds, LedgerError, ReversalExceedsOriginal
from ledger.models import Account, Leg, Transfer
from tests.factories_ledger import AccountFactory, clearing_account, funded_account

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="database triggers and row locks need PostgreSQL (run with DATABASE_URL=postgres://...)",
    ),
]
D = Decimal


def run_at_once(count: int, work: Callable[[int], object]) -> list[object]:
    """Run work(0..count-1) in threads released together; each result or raised LedgerError."""
    barrier = threading.Barrier(count)
    results: list[object] = [None] * count

    def target(index: int) -> None:
        try:
            barrier.wait()
            results[index] = work(index)
        except LedgerError as error:
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=target, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def assert_ledger_check_clean() -> None:
    out = StringIO()
    call_command("ledger_check", stdout=out, stderr=StringIO())
    assert out.getvalue().startswith("OK:")


# ------------------------------------------------------------------ the database's own rules
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "amounts",
    [
        pytest.param([D("-10"), D("9")], id="legs summing to -1"),
        pytest.param([D("-10")], id="a single leg"),
        pytest.param([], id="no legs"),
    ],
)
def test_the_database_refuses_to_commit_a_transfer_whose_legs_do_not_sum_to_zero(amounts):
    accounts = [AccountFactory(floor=None), AccountFactory(floor=None)]
    with pytest.raises(IntegrityError, match="does not balance"):
        with transaction.atomic():
            transfer = Transfer.objects.create(idempotency_key="raw:1", kind="raw", currency=accounts[0].currency)
            # As many legs as amounts (none, one, or both accounts).
            legs = zip(accounts, amounts, strict=False)
            Leg.objects.bulk_create(Leg(transfer=transfer, account=account, amount=amount) for account, amount in legs)
    assert not Transfer.objects.filter(idempotency_key="raw:1").exists()
    assert not Leg.objects.filter(account__in=accounts).exists()


@pytest.mark.django_db(transaction=True)
def test_the_database_refuses_to_commit_a_transfer_mixing_currencies():
    euros, points = AccountFactory(floor=None), AccountFactory(floor=None, currency="PTS")
    with pytest.raises(IntegrityError, match="mixes currencies"):
        with transaction.atomic():
            transfer = Transfer.objects.create(idempotency_key="raw:mix", kind="raw", currency=euros.currency)
            Leg.objects.bulk_create([Leg(transfer=transfer, account=euros, amount=D("-5")),
                                     Leg(transfer=transfer, account=points, amount=D("5"))])
    assert not Transfer.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_balance_check_is_deferred_to_commit_so_legs_can_be_inserted_one_at_a_time():
    first, second = AccountFactory(floor=None), AccountFactory(floor=None)
    with transaction.atomic():
        transfer = Transfer.objects.create(idempotency_key="raw:ok", kind="raw", currency=first.currency)
        Leg.objects.create(transfer=transfer, account=first, amount=D("-5"))  # unbalanced until the next line
        Leg.objects.create(transfer=transfer, account=second, amount=D("5"))
    assert transfer.legs.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE ledger_transfer SET memo = 'edited' WHERE id = %(transfer)s",
        "DELETE FROM ledger_transfer WHERE id = %(transfer)s",
        "UPDATE ledger_leg SET amount = -amount WHERE transfer_id = %(transfer)s",
        "DELETE FROM ledger_leg WHERE transfer_id = %(transfer)s",
    ],
)
def test_the_database_refuses_to_update_or_delete_ledger_rows_even_in_raw_sql(statement):
    transfer = services.transfer_move(idempotency_key="raw:sql", kind="sale", source=clearing_account(),
                                      destination=AccountFactory(), amount=D("5"))
    with pytest.raises(IntegrityError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, {"transfer": transfer.pk})
    assert Transfer.objects.get(pk=transfer.pk).memo == ""
    assert sorted(transfer.legs.values_list("amount", flat=True)) == [D("-5.00"), D("5.00")]


# ------------------------------------------------------------------ concurrency
@pytest.mark.django_db(transaction=True)
def test_concurrent_debits_never_take_an_account_below_its_floor():
    account, sink = funded_account("100"), AccountFactory(floor=None)

    def debit(index: int):
        return services.transfer_move(idempotency_key=f"debit:{index}", kind="payout", source=account,
                                      destination=sink, amount=D("30"))

    results = run_at_once(10, debit)
    assert sum(isinstance(result, Transfer) for result in results) == 3
    assert sum(isinstance(result, InsufficientFunds) for result in results) == 7
    assert services.account_balance(account=account) == D("10.00")
    assert_ledger_check_clean()


@pytest.mark.django_db(transaction=True)
def test_the_same_event_posted_concurrently_becomes_exactly_one_transfer():
    account, destination = funded_account("100"), AccountFactory()

    def post(index: int):
        return services.transfer_move(idempotency_key="delivered:line:9", kind="sale", source=account,
                                      destination=destination, amount=D("30"))

    results = run_at_once(8, post)
    assert all(isinstance(result, Transfer) for result in results), results
    assert len({result.pk for result in results}) == 1
    assert Transfer.objects.filter(idempotency_key="delivered:line:9").count() == 1
    assert services.account_balance(account=destination) == D("30.00")
    assert_ledger_check_clean()


@pytest.mark.django_db(transaction=True)
def test_one_event_key_posted_concurrently_with_different_legs_keeps_the_winner_and_refuses_the_rest():
    # Different destinations: no shared account lock orders them, so the unique key decides.
    account = funded_account("100")
    destinations = [AccountFactory() for _ in range(4)]

    def post(index: int):
        return services.transfer_move(idempotency_key="contested", kind="sale", source=clearing_account(),
                                      destination=destinations[index], amount=D("1"))

    results = run_at_once(4, post)
    assert sum(isinstance(result, Transfer) for result in results) == 1
    assert sum(isinstance(result, IdempotencyConflict) for result in results) == 3
    assert Transfer.objects.filter(idempotency_key="contested").count() == 1
    assert sum(services.account_balance(account=destination) for destination in destinations) == D("1.00")
    assert services.account_balance(account=account) == D("100.00")
    assert_ledger_check_clean()


@pytest.mark.django_db(transaction=True)
def test_opposite_transfers_between_two_accounts_at_once_do_not_deadlock():
    first, second = funded_account("100"), funded_account("100")

    def move(index: int):
        source, destination = (first, second) if index % 2 else (second, first)
        return services.transfer_move(idempotency_key=f"swap:{index}", kind="swap", source=source,
                                      destination=destination, amount=D(index + 1))

    results = run_at_once(10, move)
    assert all(isinstance(result, Transfer) for result in results), results
    # Odd indexes move 2+4+...+10 = 30 to the second; even ones 1+3+...+9 = 25 back.
    assert services.account_balance(account=first) == D("95.00")
    assert services.account_balance(account=second) == D("105.00")
    assert_ledger_check_clean()


@pytest.mark.django_db(transaction=True)
def test_concurrent_partial_reversals_never_exceed_the_original():
    vendor = AccountFactory()
    sale = services.transfer_move(idempotency_key="sale:c", kind="sale", source=clearing_account(),
                                  destination=vendor, amount=D("100"))

    def refund(index: int):
        return services.transfer_reverse(transfer=sale, idempotency_key=f"refund:c:{index}", amount=D("30"))

    results = run_at_once(5, refund)
    assert sum(isinstance(result, Transfer) for result in results) == 3
    assert sum(isinstance(result, ReversalExceedsOriginal) for result in results) == 2
    assert services.account_balance(account=vendor) == D("10.00")
    assert Account.objects.get(pk=vendor.pk).balance == D("10.00")
    assert_ledger_check_clean()
