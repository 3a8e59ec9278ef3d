"""Staff actions on the programme: block a referral, change the terms (audited)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core import clock
from core.permissions import Ability, require_ability
from referrals.errors import RedemptionNotAllowed
from referrals.models import ProgrammeSettings, Referral
from referrals.services.points import referral_reverse_pending

SETTINGS_FIELDS = ("referrer_share", "buyer_share", "buyer_share_without_referrer", "points_per_unit",
                   "job_window_days", "expiry_months", "reminder_days")


def referral_block(*, referral: Referral, staff_user, reason: str) -> int:
    """Block a referral: it earns nothing more, and its pending points are taken back.
    Returns the points taken back; blocking again changes nothing."""
    require_ability(staff_user, Ability.MANAGE_REFERRALS, RedemptionNotAllowed)
    with transaction.atomic():
        locked = Referral.objects.select_for_update().get(pk=referral.pk)
        if locked.status == Referral.Status.BLOCKED:
            return 0
        locked.status = Referral.Status.BLOCKED
        locked.blocked_at = clock.now()
        locked.blocked_by = staff_user
        locked.block_reason = (reason or "").strip()[:300] or str(_("Blocked by staff"))
        locked.save(update_fields=["status", "blocked_at", "blocked_by", "block_reason"])
        return referral_reverse_pending(locked, key=f"block:{locked.pk}")


def settings_change(*, staff_user, note: str = "", **values) -> ProgrammeSettings:
    """Save new terms as a new row: the older rows stay as the audit trail."""
    require_ability(staff_user, Ability.MANAGE_REFERRALS, RedemptionNotAllowed)
    fields = {name: values[name] for name in SETTINGS_FIELDS if name in values}
    return ProgrammeSettings.objects.create(changed_by=staff_user, note=(note or "")[:300], **fields)
