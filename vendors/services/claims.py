"""Warranty claims (P1, P3) through their named transitions (vendors.machines.CLAIM): the
customer opens a claim on a delivered line within its warranty; the vendor (or staff
holding act_for_vendor) accepts or rejects it; staff holding judge_warranty may uphold a
rejected claim; an accepted claim is resolved once the item was replaced or repaired.
An upheld claim (accepted, or upheld by staff) is a confirmed failure: the one quality
policy (core.quality) fines the vendor and may suspend it."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import clock
from core.money import minor_units
from core.permissions import Ability
from core.quality import VENDOR, apply_quality_policy
from core.templatetags.locale_format import date as format_date
from vendors import conf
from vendors.errors import (
    ClaimAlreadyOpen,
    ClaimNotAllowed,
    InvalidTransition,
    NotAllowed,
    ReasonRequired,
    WarrantyExpired,
)
from vendors.machines import CLAIM, CLAIM_OPENED, claim_party
from vendors.models import ShipmentLine, WarrantyClaim, WarrantyClaimPhoto
from vendors.services._common import actor, notify_customer, notify_vendor, require, require_vendor_or
from vendors.services.sanctions import fine, vendor_suspend

C = WarrantyClaim.Status


def warranty_claim_open(
    *, shipment_line: ShipmentLine, customer: Any, kind: str, description: str, photos: Iterable = ()
) -> WarrantyClaim:
    """P1: the customer asks for a replacement or repair of a delivered line within its
    warranty. A claim after the warranty ends is refused with the end date shown."""
    item = ShipmentLine.objects.select_related("shipment__partner", "shipment__order", "line").get(
        pk=shipment_line.pk
    )
    order = item.shipment.order
    if not getattr(customer, "is_authenticated", False) or order.user_id != customer.pk:
        raise NotAllowed(_("Only the customer who ordered this item can open a claim for it."), code="claim_forbidden")
    if kind not in WarrantyClaim.Kind.values:
        raise ClaimNotAllowed(_("Choose replacement or repair."))
    description = (description or "").strip()
    if not description:
        raise ClaimNotAllowed(_("Describe what is wrong with the item."))
    ends_on = item.warranty_ends_on()
    if ends_on is None:
        raise ClaimNotAllowed(_("The warranty starts when the item is delivered; you can open a claim after that."))
    if timezone.localdate(clock.now()) > ends_on:
        raise WarrantyExpired(
            _("The warranty for “%(product)s” ended on %(date)s, so a claim can no longer be opened.")
            % {"product": item.line.title, "date": format_date(ends_on, "j F Y")},
            ends_on=ends_on,
        )
    try:
        with transaction.atomic():
            item = ShipmentLine.objects.select_for_update().get(pk=item.pk)
            if item.claims.filter(status=C.OPEN).exists():
                raise ClaimAlreadyOpen(_("A claim for this item is already open; the vendor will answer it."))
            claim = WarrantyClaim.objects.create(
                shipment_line=item, customer=customer, kind=kind, description=description
            )
            CLAIM.log(claim, CLAIM_OPENED, from_status="", actor=customer)
            for photo in photos:
                WarrantyClaimPhoto.objects.create(claim=claim, image=photo)
            context = {"claim": claim, "order": order, "line": claim.shipment_line.line}
            notify_vendor(claim.partner, "vendor_claim_opened", context)
            notify_customer(order, "customer_claim_opened", context)
    except IntegrityError as exc:
        raise ClaimAlreadyOpen(_("A claim for this item is already open; the vendor will answer it.")) from exc
    return claim


def _apply_quality_policy(claim: WarrantyClaim) -> None:
    """P3/S11 through the one policy (core.quality): a confirmed failure fines the vendor a
    share of the line's value; too many in the policy's window suspend it."""
    partner = claim.partner

    def fine_vendor(amount: Decimal) -> None:
        fine(partner=partner, amount=amount, reason=_("Warranty claim #%(claim)s upheld") % {"claim": claim.pk},
             user=None, claim=claim, key=f"vendor-fine:claim:{claim.pk}")

    def count_failures_since(since: Any) -> int:
        return WarrantyClaim.objects.filter(
            shipment_line__shipment__partner=partner, upheld=True, responded_at__gte=since
        ).count()

    def suspend(failures: int, window_days: int) -> None:
        vendor_suspend(
            partner=partner,
            reason=_("%(count)d warranty claims upheld within %(days)d days")
            % {"count": failures, "days": window_days},
            claim=claim,
        )

    apply_quality_policy(
        kind=VENDOR, value=claim.shipment_line.line.line_price_incl_tax, fine=fine_vendor,
        count_failures_since=count_failures_since, suspend=suspend, currency_places=minor_units(conf.currency()),
    )


def _answered(claim: WarrantyClaim) -> None:
    context = {"claim": claim, "line": claim.shipment_line.line}
    notify_customer(claim.shipment_line.shipment.order, "customer_claim_answered", context)


def warranty_claim_respond(*, claim: WarrantyClaim, user: Any, accept: bool, response: str) -> WarrantyClaim:
    """The vendor (or staff holding act_for_vendor) accepts or rejects an open claim.
    Accepting means the goods failed: the claim is upheld and the quality policy applies.
    Answering again the same way changes nothing."""
    response = (response or "").strip()
    with transaction.atomic():
        claim = CLAIM.lock(claim)
        require_vendor_or(user, claim.partner)
        if claim.status != C.OPEN:
            same = claim.upheld if accept else claim.status == C.REJECTED
            if same:
                return claim
            raise InvalidTransition(_("This claim was already answered."))
        if not accept and not response:
            raise ReasonRequired(_("Tell the customer why the claim is rejected."))
        CLAIM.fire(
            claim, "accept" if accept else "reject", actor=user, allowed=claim_party, note=response, locked=True,
            fields={"upheld": bool(accept), "vendor_response": response, "responded_by": actor(user),
                    "responded_at": clock.now()},
        )
        if accept:
            _apply_quality_policy(claim)
        _answered(claim)
        return claim


def warranty_claim_uphold(*, claim: WarrantyClaim, staff_user: Any, response: str) -> WarrantyClaim:
    """Staff holding judge_warranty overrule a vendor's rejection: the goods failed after
    all (counts for the quality policy like an acceptance). Upholding twice changes nothing."""
    require(staff_user, Ability.JUDGE_WARRANTY)
    response = (response or "").strip()
    if not response:
        raise ReasonRequired(_("Say why the claim is upheld; vendor and customer are told."))
    with transaction.atomic():
        claim = CLAIM.lock(claim)
        if claim.upheld:
            return claim
        if claim.status not in (C.OPEN, C.REJECTED):
            raise InvalidTransition(_("This claim was already resolved."))
        CLAIM.fire(
            claim, "uphold", actor=staff_user, note=response, locked=True,
            fields={"upheld": True, "vendor_response": response, "responded_by": staff_user,
                    "responded_at": clock.now()},
        )
        _apply_quality_policy(claim)
        _answered(claim)
        return claim


def warranty_claim_resolve(*, claim: WarrantyClaim, user: Any) -> WarrantyClaim:
    """An accepted claim is done: the item was replaced or repaired."""
    with transaction.atomic():
        claim = CLAIM.lock(claim)
        require_vendor_or(user, claim.partner)
        if claim.status == C.RESOLVED:
            return claim
        if claim.status != C.ACCEPTED:
            raise InvalidTransition(_("Only an accepted claim can be marked resolved."))
        CLAIM.fire(claim, "resolve", actor=user, allowed=claim_party, locked=True,
                   fields={"resolved_at": clock.now()})
        return claim
