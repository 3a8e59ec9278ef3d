"""Ledger services against the database (SQLite and PostgreSQL): balances, floors,
idempotency, reversals, append-only history, statements and the read-only admin."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from ledger import services
from ledger.errors import (
    AppendOnly,
    CurrencyMismatch,
    IdempotencyConflict,
    InsufficientFunds,
    InvalidTransfer,
    ReversalExceedsOriginal,
    ReversalNotAllowed,
    UnbalancedTransfer,
)
from ledger.models import Account, Leg, Transfer
from ledger.selectors import account_statement, accounts_drifting
from tests.factories_ledger import AccountFactory, clearing_account, funded_account

pytestmark = pytest.mark.django_db
D = Decimal


def balances(*accounts: Account) -> list[Decimal]:
    return [services.account_balance(account=account) for account in accounts]


def snapshot() -> tuple[int, int]:
    return Transfer.objects.count(), Leg.objects.count()


# ------------------------------------------------------------------ posting
def test_a_balanced_transfer_posts_its_legs_and_moves_the_cached_balances():
    sales, vendor, commission = clearing_account(), AccountFactory(), AccountFactory()
    transfer = services.transfer_post(
        idempotency_key="order:1:line:1:delivered",
        kind="sale",
        legs=[(sales, D("-100.00")), (vendor, D("85.00")), (commission, D("15.00"))],
        memo="Line 1",
        metadata={"order": 1},
    )
    assert sorted(transfer.legs.values_list("account_id", "amount")) == sorted(
        [(sales.pk, D("-100.00")), (vendor.pk, D("85.00")), (commission.pk, D("15.00"))]
    )
    assert (transfer.kind, transfer.currency, transfer.metadata) == ("sale", vendor.currency, {"order": 1})
    assert balances(vendor, commission) == [D("85.00"), D("15.00")]
    assert accounts_drifting() == []


def test_transfer_move_debits_the_source_and_credits_the_destination():
    source, destination = funded_account("50"), AccountFactory()
    services.transfer_move(idempotency_key="move:1", kind="payout", source=source, destination=destination,
                           amount=D("20"))
    assert balances(source, destination) == [D("30.00"), D("20.00")]


@pytest.mark.parametrize("amount", [D("0"), D("-5")])
def test_transfer_move_refuses_an_amount_that_is_not_positive(amount):
    source, destination = funded_account("50"), AccountFactory()
    before = snapshot()
    with pytest.raises(InvalidTransfer):
        services.transfer_move(idempotency_key="move:bad", kind="payout", source=source, destination=destination,
                               amount=amount)
    assert snapshot() == before


def test_an_unbalanced_transfer_is_refused_and_nothing_is_written():
    source, destination = funded_account("50"), AccountFactory()
    before = snapshot()
    with pytest.raises(UnbalancedTransfer):
        services.transfer_post(idempotency_key="bad:1", kind="sale", legs=[(source, D("-10")), (destination, D("9"))])
    assert snapshot() == before
    assert balances(source, destination) == [D("50.00"), D("0.00")]


def test_legs_in_different_currencies_are_refused_and_nothing_is_written():
    euros, points = funded_account("50"), AccountFactory(currency="PTS")
    before = snapshot()
    with pytest.raises(CurrencyMismatch):
        services.transfer_move(idempotency_key="mix:1", kind="sale", source=euros, destination=points, amount=D("5"))
    assert snapshot() == before


def test_an_account_code_keeps_its_currency():
    services.account_get_or_create(code="points:user:1", currency="PTS", floor=D("0"))
    with pytest.raises(CurrencyMismatch):
        services.account_get_or_create(code="points:user:1", currency="EUR")


def test_account_get_or_create_returns_the_existing_account_with_its_owner():
    owner = get_user_model().objects.create(username="ledger-owner")
    first = services.account_get_or_create(code="points:user:x", currency="pts", name="Points", owner=owner)
    again = services.account_get_or_create(code="points:user:x", currency="PTS")
    assert again.pk == first.pk
    assert (again.currency, again.name, again.floor, again.owner) == ("PTS", "Points", D("0"), owner)


# ------------------------------------------------------------------ floors
def test_a_debit_below_the_floor_is_refused_and_nothing_is_written():
    source, destination = funded_account("50"), AccountFactory()
    before = snapshot()
    with pytest.raises(InsufficientFunds):
        services.transfer_move(idempotency_key="over:1", kind="payout", source=source, destination=destination,
                               amount=D("50.01"))
    assert snapshot() == before
    assert balances(source, destination) == [D("50.00"), D("0.00")]


def test_a_floor_refusal_on_any_leg_writes_none_of_the_other_legs():
    # The short account is the last one locked, after the others were already checked.
    rich, receiver, short = funded_account("100"), AccountFactory(), funded_account("5")
    before = snapshot()
    with pytest.raises(InsufficientFunds):
        services.transfer_post(
            idempotency_key="split:1", kind="fine",
            legs=[(rich, D("-10")), (short, D("-10")), (receiver, D("20"))],
        )
    assert snapshot() == before
    assert balances(rich, receiver, short) == [D("100.00"), D("0.00"), D("5.00")]


def test_a_negative_floor_allows_an_overdraft_down_to_it_and_no_floor_allows_any():
    overdraft, destination = AccountFactory(floor=D("-20")), AccountFactory()
    services.transfer_move(idempotency_key="od:1", kind="fine", source=overdraft, destination=destination,
                           amount=D("20"))
    with pytest.raises(InsufficientFunds):
        services.transfer_move(idempotency_key="od:2", kind="fine", source=overdraft, destination=destination,
                               amount=D("0.01"))
    unbounded = AccountFactory(floor=None)
    services.transfer_move(idempotency_key="od:3", kind="fine", source=unbounded, destination=destination,
                           amount=D("1000000"))
    assert balances(overdraft, unbounded) == [D("-20.00"), D("-1000000.00")]


def test_minimum_balances_refuse_a_debit_that_would_leave_less_than_the_minimum():
    vendor, payouts = funded_account("100"), AccountFactory()
    with pytest.raises(InsufficientFunds):
        services.transfer_post(idempotency_key="payout:1", kind="payout", legs=[(vendor, D("-60")), (payouts, D("60"))],
                               minimum_balances={vendor: D("50")})
    with pytest.raises(InsufficientFunds):
        services.transfer_move(idempotency_key="payout:1", kind="payout", source=vendor, destination=payouts,
                               amount=D("60"), source_minimum=D("50"))
    services.transfer_move(idempotency_key="payout:1", kind="payout", source=vendor, destination=payouts,
                           amount=D("50"), source_minimum=D("50"))
    assert balances(vendor) == [D("50.00")]


def test_a_minimum_balance_for_an_account_outside_the_transfer_is_a_mistake():
    source, destination, other = funded_account("10"), AccountFactory(), AccountFactory()
    with pytest.raises(InvalidTransfer):
        services.transfer_post(idempotency_key="min:x", kind="payout", legs=[(source, D("-1")), (destination, D("1"))],
                               minimum_balances={other: D("0")})


# ------------------------------------------------------------------ idempotency
def test_posting_the_same_event_again_returns_the_first_transfer_and_posts_nothing():
    source, destination = funded_account("50"), AccountFactory()
    first = services.transfer_move(idempotency_key="delivered:7", kind="sale", source=source, destination=destination,
                                   amount=D("10"))
    before = snapshot()
    again = services.transfer_move(idempotency_key="delivered:7", kind="sale", source=source, destination=destination,
                                   amount=D("10.00"))
    assert again.pk == first.pk
    assert snapshot() == before
    assert balances(source, destination) == [D("40.00"), D("10.00")]


def test_repeating_an_event_is_answered_even_after_the_balance_has_gone_below_what_it_needed():
    source, destination = funded_account("10"), AccountFactory()
    first = services.transfer_move(idempotency_key="once", kind="sale", source=source, destination=destination,
                                   amount=D("10"))
    assert services.transfer_move(idempotency_key="once", kind="sale", source=source, destination=destination,
                                  amount=D("10")).pk == first.pk


@pytest.mark.parametrize(
    "change",
    [
        pytest.param({"amount": D("11")}, id="another amount"),
        pytest.param({"kind": "fine"}, id="another kind"),
        pytest.param({"swap": True}, id="another direction"),
    ],
)
def test_reusing_an_event_key_for_different_legs_raises_a_conflict_and_writes_nothing(change):
    source, destination = funded_account("50"), AccountFactory()
    services.transfer_move(idempotency_key="delivered:8", kind="sale", source=source, destination=destination,
                           amount=D("10"))
    before = snapshot()
    if change.pop("swap", False):
        source, destination = destination, source
    with pytest.raises(IdempotencyConflict):
        services.transfer_move(**{"idempotency_key": "delivered:8", "kind": "sale", "source": source,
                                  "destination": destination, "amount": D("10"), **change})
    assert snapshot() == before
    assert balances(source, destination) in ([D("40.00"), D("10.00")], [D("10.00"), D("40.00")])


# ------------------------------------------------------------------ reversals
@pytest.fixture
def sale():
    """A 100 sale: 85 to the vendor, 15 commission, from the sales clearing account."""
    sales, vendor, commission = clearing_account(), AccountFactory(), AccountFactory()
    transfer = services.transfer_post(
        idempotency_key="sale:1", kind="sale",
        legs=[(sales, D("-100")), (vendor, D("85")), (commission, D("15"))],
    )
    return transfer, vendor, commission


def test_a_full_reversal_restores_every_balance_and_is_linked_to_the_original(sale):
    transfer, vendor, commission = sale
    user = get_user_model().objects.create(username="ledger-staff")
    reversal = services.transfer_reverse(transfer=transfer, idempotency_key="refund:1", memo="Refund", user=user)
    assert (reversal.reverses, reversal.kind, reversal.created_by) == (transfer, "reversal", user)
    assert list(transfer.reversals.all()) == [reversal]
    assert balances(vendor, commission) == [D("0.00"), D("0.00")]
    assert accounts_drifting() == []


def test_partial_reversals_are_measured_on_the_first_positive_leg_and_scale_the_rest(sale):
    transfer, vendor, commission = sale
    services.transfer_reverse(transfer=transfer, idempotency_key="refund:part:1", amount=D("17"))
    assert balances(vendor, commission) == [D("68.00"), D("12.00")]
    services.transfer_reverse(transfer=transfer, idempotency_key="refund:rest")
    assert balances(vendor, commission) == [D("0.00"), D("0.00")]


def test_reversals_together_never_exceed_the_original(sale):
    transfer, vendor, _commission = sale
    with pytest.raises(ReversalExceedsOriginal):
        services.transfer_reverse(transfer=transfer, idempotency_key="refund:too-much", amount=D("85.01"))
    services.transfer_reverse(transfer=transfer, idempotency_key="refund:a", amount=D("80"))
    before = snapshot()
    with pytest.raises(ReversalExceedsOriginal):
        services.transfer_reverse(transfer=transfer, idempotency_key="refund:b", amount=D("5.01"))
    services.transfer_reverse(transfer=transfer, idempotency_key="refund:c", amount=D("5"))
    with pytest.raises(ReversalExceedsOriginal):
        services.transfer_reverse(transfer=transfer, idempotency_key="refund:d")
    assert snapshot()[0] == before[0] + 1
    assert balances(vendor) == [D("0.00")]


def test_a_reversal_cannot_itself_be_reversed(sale):
    transfer, vendor, _commission = sale
    reversal = services.transfer_reverse(transfer=transfer, idempotency_key="refund:1", amount=D("10"))
    with pytest.raises(ReversalNotAllowed):
        services.transfer_reverse(transfer=reversal, idempotency_key="undo-refund:1")
    assert balances(vendor) == [D("75.00")]


def test_repeating_a_reversal_event_returns_it_even_after_it_used_up_the_original(sale):
    transfer, vendor, _commission = sale
    first = services.transfer_reverse(transfer=transfer, idempotency_key="refund:all")
    assert services.transfer_reverse(transfer=transfer, idempotency_key="refund:all").pk == first.pk
    assert services.transfer_reverse(transfer=transfer, idempotency_key="refund:all", amount=D("85")).pk == first.pk
    with pytest.raises(IdempotencyConflict):
        services.transfer_reverse(transfer=transfer, idempotency_key="refund:all", amount=D("10"))
    with pytest.raises(IdempotencyConflict):
        services.transfer_reverse(transfer=transfer, idempotency_key="sale:1")
    assert transfer.reversals.count() == 1
    assert balances(vendor) == [D("0.00")]


def test_a_reversal_respects_the_floor_of_an_account_that_has_spent_the_money(sale):
    transfer, vendor, _commission = sale
    services.transfer_move(idempotency_key="payout:v", kind="payout", source=vendor, destination=AccountFactory(),
                           amount=D("80"))
    with pytest.raises(InsufficientFunds):
        services.transfer_reverse(transfer=transfer, idempotency_key="refund:late")
    assert transfer.reversals.count() == 0


# ------------------------------------------------------------------ append-only
def test_a_posted_transfer_and_its_legs_cannot_be_updated_or_deleted(sale):
    transfer, _vendor, _commission = sale
    leg = transfer.legs.first()
    transfer.memo = "edited"
    leg.amount = D("1")
    for attempt in (transfer.save, transfer.delete, leg.save, leg.delete,
                    lambda: Transfer.objects.filter(pk=transfer.pk).update(memo="edited"),
                    lambda: Leg.objects.filter(pk=leg.pk).delete()):
        with pytest.raises(AppendOnly):
            attempt()
    assert Transfer.objects.get(pk=transfer.pk).memo == ""
    assert transfer.legs.count() == 3 and sum(transfer.legs.values_list("amount", flat=True)) == 0


def test_saving_a_stale_copy_of_an_account_never_overwrites_its_cached_balance():
    account = AccountFactory()
    stale = Account.objects.get(pk=account.pk)
    services.transfer_move(idempotency_key="fund:stale", kind="fund", source=clearing_account(), destination=account,
                           amount=D("25"))
    stale.name = "Renamed"
    stale.save()
    account.refresh_from_db()
    assert (account.name, account.balance) == ("Renamed", D("25.00"))


# ------------------------------------------------------------------ reads
def test_an_account_statement_lists_the_latest_legs_with_their_transfers_in_one_query(django_assert_num_queries):
    account = funded_account("100")
    for number in range(3):
        services.transfer_move(idempotency_key=f"stmt:{number}", kind="payout", source=account,
                               destination=AccountFactory(), amount=D(number + 1))
    with django_assert_num_queries(1):
        legs = account_statement(account=account, limit=3)
        keys = [leg.transfer.idempotency_key for leg in legs]
    assert keys == ["stmt:2", "stmt:1", "stmt:0"]
    assert [leg.amount for leg in legs] == [D("-3.00"), D("-2.00"), D("-1.00")]


def test_staff_see_accounts_and_transfers_with_their_legs_in_the_admin_but_cannot_change_them(client, sale):
    transfer, vendor, _commission = sale
    client.force_login(get_user_model().objects.create_superuser("ledger-admin", "ledger-admin@example.com", "x"))
    page = client.get(reverse("admin:ledger_transfer_change", args=[transfer.pk]))
    assert page.status_code == 200
    assert vendor.code in page.content.decode() and "85.00" in page.content.decode()
    assert client.get(reverse("admin:ledger_transfer_changelist")).status_code == 200
    assert client.get(reverse("admin:ledger_account_changelist"), {"q": vendor.code}).status_code == 200
    assert client.get(reverse("admin:ledger_account_change", args=[vendor.pk])).status_code == 200
    assert client.get(reverse("admin:ledger_transfer_add")).status_code == 403
    assert client.get(reverse("admin:ledger_transfer_delete", args=[transfer.pk])).status_code == 403
    client.post(reverse("admin:ledger_account_change", args=[vendor.pk]), {"code": "x", "balance": "1000000"})
    assert Account.objects.values_list("code", "balance").get(pk=vendor.pk) == (vendor.code, D("85.00"))
