"""Money of office errands (A3): the fee split on the ledger, office balances and
statements, payouts recorded by staff, and the split given back on an S9 refund."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.money import quantize
from core.permissions import Ability, require_ability
from ledger import codes
from ledger.models import Account
from ledger.selectors import account_statement, balances
from ledger.services import account_get_or_create, transfer_post
from offices.errors import InvalidRefund, NotAllowed
from offices.models import Errand, ErrandShare, OfficePayout, PartnerOffice
from offices.services._common import fire, lock, now_or
from services_catalog.models import Job

ZERO = Decimal("0")


def _account(code: str, currency: str, name: str, owner=None) -> Account:
    return account_get_or_create(code=code, currency=currency, name=name, floor=None, owner=owner)


def office_account(office: PartnerOffice, currency: str) -> Account:
    return _account(codes.office_available(office.pk), currency, f"Partner office {office.code}: earned",
                    owner=office)


def shares_for(service) -> tuple[Decimal, Decimal]:
    """(originating office %, performing office %) for a service (defaults when unset)."""
    share = ErrandShare.objects.filter(service=service).first() or ErrandShare(service=service)
    return share.origin_percent, share.performer_percent


def split_amounts(fee: Decimal, currency: str, origin_percent: Decimal, performer_percent: Decimal):
    """The fee cut in three: originating office, performing office, and the platform
    (which takes the rounding remainder, so the three always add up to the fee)."""
    origin = quantize(fee * origin_percent / Decimal(100), currency)
    performer = quantize(fee * performer_percent / Decimal(100), currency)
    return origin, performer, fee - origin - performer


def errand_split_post(*, job: Job, now: datetime.datetime | None = None) -> None:
    """Post the split of a completed errand's fee, once (the key is the errand's)."""
    now = now_or(now)
    errand = lock(Errand.objects.get(job_id=job.pk))
    if job.status != Job.Status.COMPLETED or errand.performer_id is None:
        return  # a cancelled errand's fees stay the platform's (in platform:services)
    fee = job.value
    currency = job.currency
    origin_pct, performer_pct = shares_for(job.service)
    origin, performer, platform = split_amounts(fee, currency, origin_pct, performer_pct)
    legs = [
        (_account(codes.PLATFORM_SERVICES, currency, "Service jobs: customer payments"), -fee),
        (office_account(errand.origin, currency), origin),
        (office_account(errand.performer, currency), performer),
        (_account(codes.PLATFORM_COMMISSION, currency, "Platform commission"), platform),
    ]
    merged: dict[int, tuple[Account, Decimal]] = {}
    for account, amount in legs:  # one leg per account (the same office at both ends)
        held = merged.get(account.pk)
        merged[account.pk] = (account, (held[1] if held else ZERO) + amount)
    if fee > ZERO:
        transfer_post(
            idempotency_key=f"offices:errand:{errand.pk}:split", kind="office_errand_split",
            legs=[(account, amount) for account, amount in merged.values() if amount != ZERO],
            memo=f"Errand {job.number}: origin {origin}, performer {performer}, platform {platform}",
            # The statement renders the line from these parts in the reader's language.
            metadata={"job": job.number, "origin": str(origin), "performer": str(performer),
                      "platform": str(platform)},
        )
    if errand.split_posted_at is None:
        fire(errand, "fee_split", now=now, note=f"{origin} / {performer} / {platform} {currency}",
             split_posted_at=now)


def errand_split_reverse(*, errand: Errand, amount: Decimal, key: str) -> None:
    """S9: a refund of `amount` takes back the same proportions from all three parties."""
    job = errand.job
    if errand.split_posted_at is None or amount <= ZERO:
        return
    currency = job.currency
    fee = job.value
    origin_pct, performer_pct = shares_for(job.service)
    origin, performer, _platform = split_amounts(fee, currency, origin_pct, performer_pct)
    ratio = amount / fee if fee else ZERO
    back_origin = quantize(origin * ratio, currency)
    back_performer = quantize(performer * ratio, currency)
    back_platform = amount - back_origin - back_performer
    merged: dict[int, tuple[Account, Decimal]] = {}
    for account, value in [
        (_account(codes.PLATFORM_SERVICES, currency, "Service jobs: customer payments"), amount),
        (office_account(errand.origin, currency), -back_origin),
        (office_account(errand.performer, currency), -back_performer),
        (_account(codes.PLATFORM_COMMISSION, currency, "Platform commission"), -back_platform),
    ]:
        held = merged.get(account.pk)
        merged[account.pk] = (account, (held[1] if held else ZERO) + value)
    transfer_post(idempotency_key=key, kind="office_errand_refund",
                  legs=[(a, v) for a, v in merged.values() if v != ZERO],
                  memo=f"Errand {job.number}: refund {amount} taken back from the split",
                  metadata={"job": job.number, "amount": str(amount)})


def office_balance(office: PartnerOffice, currency: str) -> Decimal:
    return balances([codes.office_available(office.pk)], currency=currency).get(
        codes.office_available(office.pk), ZERO)


def office_statement(office: PartnerOffice, currency: str, limit: int = 100):
    account = Account.objects.filter(code=codes.office_available(office.pk)).first()
    return account_statement(account=account, limit=limit) if account else []


def office_payout_record(*, staff_user, office: PartnerOffice, amount: Decimal, reference: str,
                         currency: str) -> OfficePayout:
    """Staff (pay_out) record that an office was paid `amount`: its balance goes down."""
    require_ability(staff_user, Ability.PAY_OUT, NotAllowed)
    amount = quantize(Decimal(amount), currency)
    reference = (reference or "").strip()
    if amount <= ZERO or not reference:
        raise InvalidRefund(_("A payout needs an amount above zero and the bank reference."), code="invalid_payout")
    with transaction.atomic():
        account = office_account(office, currency)
        Account.objects.select_for_update().get(pk=account.pk)
        if office_balance(office, currency) < amount:
            raise InvalidRefund(_("The office has not earned that much."), code="payout_exceeds_balance")
        payout = OfficePayout.objects.create(office=office, amount=amount, currency=currency, reference=reference,
                                             recorded_by=staff_user)
        transfer_post(
            idempotency_key=f"offices:payout:{payout.pk}", kind="office_payout",
            legs=[(account, -amount), (_account(codes.PLATFORM_PAYOUTS, currency, "Payouts sent"), amount)],
            memo=f"Payout to office {office.code}: {reference}", user=staff_user,
            metadata={"office": office.code, "reference": reference},
        )
        return payout
