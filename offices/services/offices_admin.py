"""Offices and their clerks (A3): staff register offices and create or deactivate clerks."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.permissions import Ability, assign_role, require_ability
from offices.errors import NotAllowed, OfficeError
from offices.models import Clerk, PartnerOffice
from services_catalog.models import Provider


def office_provider(office: PartnerOffice) -> Provider:
    """The provider record standing for `office` on the jobs it performs (made once).

    Its user never signs in (no usable password, inactive); it has no areas and no weekly
    hours, so provider matching never picks it: errands reach it by routing only."""
    if office.provider_id:
        return office.provider
    with transaction.atomic():
        office = PartnerOffice.objects.select_for_update().get(pk=office.pk)
        if office.provider_id:
            return office.provider
        User = get_user_model()
        user, _created = User.objects.get_or_create(
            username=f"office-{office.code}"[:150],
            defaults={"is_active": False, "first_name": office.name[:150]},
        )
        if _created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        # No email or phone here: the offices are told by offices' own messages.
        provider = Provider.objects.create(user=user, display_name=office.name, commission_rate=0)
        office.provider = provider
        office.save(update_fields=["provider"])
        return provider


def clerk_create(*, staff_user, office: PartnerOffice, username: str, password: str, first_name: str = "",
                 last_name: str = "", email: str = "") -> Clerk:
    """Staff (manage_jobs) give an office a clerk account (the clerk role)."""
    require_ability(staff_user, Ability.MANAGE_JOBS, NotAllowed)
    username = (username or "").strip()
    if not username or not password:
        raise OfficeError(_("A clerk needs a username and a password."), code="clerk_incomplete")
    User = get_user_model()
    with transaction.atomic():
        if User.objects.filter(username__iexact=username).exists():
            raise OfficeError(_("That username is taken."), code="username_taken")
        user = User.objects.create_user(username=username, password=password, email=email,
                                        first_name=first_name, last_name=last_name)
        assign_role(user, "clerk")
        return Clerk.objects.create(user=user, office=office)


def clerk_set_active(*, staff_user, clerk: Clerk, active: bool) -> Clerk:
    """Staff deactivate (or reactivate) a clerk: the account can no longer sign in."""
    require_ability(staff_user, Ability.MANAGE_JOBS, NotAllowed)
    with transaction.atomic():
        clerk = Clerk.objects.select_for_update().select_related("user").get(pk=clerk.pk)
        clerk.is_active = active
        clerk.save(update_fields=["is_active"])
        if clerk.user.is_active != active:
            clerk.user.is_active = active
            clerk.user.save(update_fields=["is_active"])
        return clerk
