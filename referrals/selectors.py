"""Reads of the referral programme: a customer's balances and statement, the staff review
list and the report."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from core.jalali import format_jalali
from ledger import codes
from ledger.selectors import balances as ledger_balances
from referrals import rules, sources
from referrals.models import POINTS, Earning, PointsReversal, Redemption, Referral
from referrals.services.accounts import current_settings


@dataclass(frozen=True)
class Balances:
    available: int
    pending: int
    expired: int

    @property
    def negative(self) -> bool:
        return self.available < 0


def customer_balances(user_id: int) -> Balances:
    found = ledger_balances([codes.points_available(user_id), codes.points_pending(user_id)])
    expired = Earning.objects.filter(beneficiary_id=user_id).aggregate(total=Sum("points_expired"))["total"] or 0
    return Balances(available=int(found[codes.points_available(user_id)]),
                    pending=int(found[codes.points_pending(user_id)]), expired=int(expired))


@dataclass(frozen=True)
class Line:
    when: dt.datetime
    text: str
    points: int
    state: str
    url: str = ""
    reference: str = ""


def _describe(earning: Earning) -> tuple[str, str, str]:
    """Text, link and reference of an earning: a referrer never sees the other customer's purchase."""
    if earning.role == Earning.Role.REFERRER:
        return _("A customer you referred made a purchase"), "", ""
    label = f"{earning.payable_type.app_label}.{earning.payable_type.model}"
    what = _("Your order") if label == sources.ORDER else _("Your service job")
    return what, sources.payable_url(label, earning.payable_ref), earning.payable_ref


def statement(user_id: int, *, limit: int = 100) -> list[Line]:
    """Every change to the customer's points, newest first."""
    lines: list[Line] = []
    earnings = Earning.objects.filter(beneficiary_id=user_id).select_related("payable_type")
    for earning in earnings:
        text, url, ref = _describe(earning)
        lines.append(Line(earning.created, text, earning.points, earning.get_status_display(), url, ref))
        if earning.released_at:
            lines.append(Line(earning.released_at, _("Points became available"), 0, "", url, ref))
        if earning.expired_at and earning.points_expired:
            lines.append(Line(earning.expired_at, _("Points expired"), -earning.points_expired, "", url, ref))
    for reversal in PointsReversal.objects.filter(earning__beneficiary_id=user_id, points__gt=0).select_related(
            "earning__payable_type"):
        text, url, ref = _describe(reversal.earning)
        reason = _("Taken back: referral blocked") if reversal.refund_key.startswith("block:") else _(
            "Taken back: refund")
        lines.append(Line(reversal.created, reason, -reversal.points, "", url, ref))
    for redemption in Redemption.objects.filter(customer_id=user_id).select_related("gift"):
        url = reverse("referrals:points") + f"#{redemption.number}"
        lines.append(Line(redemption.created, _("Gift: %(gift)s") % {"gift": redemption.gift.title},
                          -redemption.points, redemption.get_status_display(), url, redemption.number))
        if redemption.status == Redemption.Status.CANCELLED:
            lines.append(Line(redemption.updated, _("Gift request cancelled: points returned"), redemption.points,
                              "", url, redemption.number))
    lines.sort(key=lambda line: line.when, reverse=True)
    return lines[:limit]


def suspicious_referrals():
    """Referrals to review: flagged when earning, or whose referred customer shares a
    delivery address (or a phone) with another customer referred by the same referrer."""
    from referrals.services.attribution import address_keys

    referrals = list(Referral.objects.select_related("referrer", "referred", "referred__profile"))
    by_referred = {r.referred_id: r for r in referrals}
    hashes = defaultdict(set)
    for user_id, keys in address_keys(by_referred).items():
        for value in keys:
            hashes[by_referred[user_id].referrer_id, value].add(user_id)
    reasons: dict[int, list[str]] = defaultdict(list)
    for (_referrer, _hash), users in hashes.items():
        if len(users) > 1:
            for user_id in users:
                reasons[by_referred[user_id].pk].append(_("shares a delivery address with another referred customer"))
    phones = Counter((r.referrer_id, getattr(getattr(r.referred, "profile", None), "phone", None)) for r in referrals)
    for r in referrals:
        phone = getattr(getattr(r.referred, "profile", None), "phone", None)
        if phone and phones[r.referrer_id, phone] > 1:
            reasons[r.pk].append(_("shares a mobile number with another referred customer"))
        if r.flag:
            reasons[r.pk].append(r.flag)
    return [(r, reasons.get(r.pk, [])) for r in referrals]


def report() -> dict:
    """Programme totals and per-month points for the chart."""
    conf = current_settings()
    earned = Earning.objects.aggregate(total=Sum("points"), reversed=Sum("points_reversed"),
                                       expired=Sum("points_expired"))
    redeemed = Redemption.objects.exclude(status=Redemption.Status.CANCELLED).aggregate(total=Sum("points"))
    totals = {
        "referrers": Referral.objects.values("referrer").distinct().count(),
        "referred": Referral.objects.count(),
        "blocked": Referral.objects.filter(status=Referral.Status.BLOCKED).count(),
        "earned": int(earned["total"] or 0),
        "reversed": int(earned["reversed"] or 0),
        "expired": int(earned["expired"] or 0),
        "redeemed": int(redeemed["total"] or 0),
    }
    net = totals["earned"] - totals["reversed"]
    totals["cost"] = rules.cost_of(net, points_per_unit=conf.points_per_unit)
    months: dict[str, dict[str, int]] = defaultdict(lambda: {"earned": 0, "redeemed": 0})
    for earning in Earning.objects.only("created", "points", "points_reversed"):
        months[_month(earning.created)]["earned"] += earning.net_points
    for redemption in Redemption.objects.exclude(status=Redemption.Status.CANCELLED).only("created", "points"):
        months[_month(redemption.created)]["redeemed"] += redemption.points
    series = [(month, values["earned"], values["redeemed"]) for month, values in sorted(months.items())][-12:]
    top = (Referral.objects.values("referrer__username").annotate(n=Count("pk"),
           blocked=Count("pk", filter=Q(status=Referral.Status.BLOCKED))).order_by("-n")[:10])
    return {"totals": totals, "series": series, "top": list(top), "currency": _currency(), "settings": conf,
            "points_currency": POINTS, "platform": _platform_totals()}


def _month(when: dt.datetime) -> str:
    """The month a point moved in: Jalali (Persian digits) on Persian pages."""
    from django.utils import timezone, translation

    local = timezone.localtime(when)
    if (translation.get_language() or "").startswith("fa"):
        return format_jalali(local, "Y/m")
    return local.strftime("%Y-%m")


def _currency() -> str:
    from django.conf import settings

    return settings.OSCAR_DEFAULT_CURRENCY


def _platform_totals() -> dict[str, Decimal]:
    return ledger_balances([codes.PLATFORM_REFERRAL_EXPENSE, codes.PLATFORM_GIFT_REDEMPTION,
                            codes.PLATFORM_POINTS_EXPIRED], currency=POINTS)
