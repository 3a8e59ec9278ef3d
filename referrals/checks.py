"""The proofs `manage.py referrals_check` runs (R3): no earning without its payment, no
payment earned twice, every earning on the ledger, pending balances equal what is pending."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from django.db.models import Count

from ledger import codes
from ledger.models import Account, Transfer
from payments.models import Payment
from referrals.models import POINTS, Earning
from services_catalog.models import JobReceipt
from vendors.models import Shipment


def _payment_exists(key: str) -> bool:
    kind, _sep, raw = key.partition(":")
    if not raw.isdigit():
        return False
    pk = int(raw)
    if kind == "payment":
        return Payment.objects.filter(pk=pk, status=Payment.Status.SUCCEEDED).exists()
    if kind == "job-receipt":
        return JobReceipt.objects.filter(pk=pk).exists()
    if kind == "cod-shipment":
        return Shipment.objects.filter(pk=pk, status=Shipment.Status.DELIVERED).exists()
    return False


def problems(*, check_payments: bool = True) -> list[str]:
    found: list[str] = []
    for row in Earning.objects.values("payment_key", "role").annotate(n=Count("pk")).filter(n__gt=1):
        found.append(f"TWICE payment {row['payment_key']} earned the {row['role']} {row['n']} times")
    earned = Counter(
        (t.idempotency_key.rsplit(":", 1)[0].removeprefix("referrals:earn:"), t.idempotency_key.rsplit(":", 1)[1])
        for t in Transfer.objects.filter(kind="points_earned").only("idempotency_key")
    )
    keys = set()
    for earning in Earning.objects.order_by("pk"):
        keys.add((earning.payment_key, earning.role))
        if (earning.payment_key, earning.role) not in earned:
            found.append(f"UNPOSTED earning #{earning.pk} ({earning.payment_key}) has no ledger transfer")
        if check_payments and not _payment_exists(earning.payment_key):
            found.append(f"ORPHAN earning #{earning.pk}: no payment {earning.payment_key}")
    for key in earned:
        if key not in keys:
            found.append(f"STRAY ledger earning {key} has no earning row")
    pending: Counter = Counter()
    for earning in Earning.objects.filter(status=Earning.Status.PENDING):
        pending[earning.beneficiary_id] += earning.net_points
    accounts = Account.objects.filter(currency=POINTS, code__startswith="points:", code__endswith=":pending")
    for account in accounts:
        user_id = int(account.code.split(":")[1])
        if account.balance != Decimal(pending.pop(user_id, 0)):
            found.append(f"PENDING {account.code} holds {account.balance}, pending earnings say otherwise")
    for user_id, value in pending.items():
        if value:
            found.append(f"PENDING {codes.points_pending(user_id)} missing for {value} pending points")
    return found
