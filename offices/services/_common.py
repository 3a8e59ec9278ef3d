"""What the office services share: who is a clerk of which office, the errand's events,
notifications to the customer and to both offices. Private to the package."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from core import clock
from core.permissions import Ability, has_ability
from notifications.services import notify
from offices.errors import NotAClerk
from offices.machine import ACTION_LABELS, CUSTOMER_VISIBLE, ERRAND
from offices.models import Clerk, Errand, PartnerOffice


def _authenticated(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def clerk_office(user) -> PartnerOffice | None:
    """The office `user` is an active clerk of (with the clerk ability), else None."""
    if not _authenticated(user) or not has_ability(user, Ability.FILE_OFFICE_ERRANDS):
        return None
    clerk = Clerk.objects.filter(user=user, is_active=True).select_related("office").first()
    return clerk.office if clerk is not None else None


def require_clerk(user) -> PartnerOffice:
    office = clerk_office(user)
    if office is None:
        raise NotAClerk(_("Only an active clerk of a partner office can do this."))
    return office


def is_origin_clerk(user, errand: Errand) -> bool:
    office = clerk_office(user)
    return office is not None and office.pk == errand.origin_id


def is_performer_clerk(user, errand: Errand) -> bool:
    office = clerk_office(user)
    return office is not None and errand.performer_id is not None and office.pk == errand.performer_id


def fire(errand: Errand, name: str, *, actor=None, office: PartnerOffice | None = None, note: str = "",
         allowed=None, now=None, **fields: Any):
    """Fire (or log) the errand step `name` on the locked errand, with the acting office."""
    return ERRAND.fire(
        errand, name, actor=actor, note=note, now=now, allowed=allowed, fields=fields, locked=True,
        event_fields={"office": office, "visible_to_customer": name in CUSTOMER_VISIBLE},
    )


def lock(errand: Errand | int) -> Errand:
    return ERRAND.lock(errand)


def now_or(now):
    return clock.now(now)


def notify_errand(errand: Errand, step: str, *, note: str = "", customer: bool = True,
                  origin: bool = True, performer: bool = True) -> None:
    """SMS and email about `step` to the customer and to the offices involved (A3)."""
    context = {"job": errand.job, "errand": errand, "step": ACTION_LABELS.get(step, step), "note": note}
    if customer:
        notify(event="offices_errand_update", recipient=errand.job.customer, context=context)
    offices = []
    if origin:
        offices.append(errand.origin)
    if performer and errand.performer_id:
        offices.append(errand.performer)
    for office in {o.pk: o for o in offices}.values():
        if office.email or office.phone:
            notify(event="offices_errand_update", email=office.email or None, phone=office.phone or None,
                   context={**context, "office": office})
