"""Who may read a warranty claim's photos (core.private_files)."""

from __future__ import annotations

from typing import Any

from core.permissions import Ability, has_ability
from core.private_files import register_private_file
from vendors.machines import is_vendor_party

CLAIM_FILE_ABILITIES = (Ability.ACT_FOR_VENDOR, Ability.MANAGE_VENDORS, Ability.JUDGE_WARRANTY,
                        Ability.VIEW_CUSTOMER_HISTORY)


def can_read_claim_photo(user: Any, photo: Any) -> bool:
    """The claim's customer, its vendor's users, and vendor/warranty staff."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    claim = photo.claim
    if claim.customer_id == user.pk:
        return True
    return is_vendor_party(user, claim.partner) or any(has_ability(user, a) for a in CLAIM_FILE_ABILITIES)


def register() -> None:
    from vendors.models import WarrantyClaimPhoto

    register_private_file(WarrantyClaimPhoto, "image", can_read_claim_photo)
