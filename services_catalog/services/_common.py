"""What every capability module of `services_catalog.services` shares: the clock, the
locks (in the package's one global order), who-may checks, the job's state machine
(`_fire`/`_log`, both through `services_catalog.machine.JOB`), notifications, numbers and
the provider's ledger account. Private to the package."""

from __future__ import annotations

import datetime
import enum
import secrets
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core import clock
from core.permissions import Ability, has_ability
from ledger import codes
from ledger.services import account_get_or_create
from notifications.services import notify
from payments.models import Payment
from services_catalog import job_hooks
from services_catalog.errors import InvalidAmount, InvalidTransition, NotAllowed
from services_catalog.machine import JOB
from services_catalog.models import Job, JobEvent, Provider
from services_catalog.payables import purpose_due

Status = Job.Status
Action = JobEvent.Action
WORKING_STATUSES = (Status.ASSIGNED, Status.DISPATCHED, Status.IN_PROGRESS)
NUMBER_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"

# Ledger accounts (ledger.codes): platform-side accounts are clearing/income accounts
# without a floor; a provider's payable account has no floor either, since a fine can
# leave a provider owing the platform (S11). The names stay as aliases for importers.
PLATFORM_SERVICES_ACCOUNT = codes.PLATFORM_SERVICES
PLATFORM_COMMISSION_ACCOUNT = codes.PLATFORM_COMMISSION
PLATFORM_FINES_ACCOUNT = codes.PLATFORM_FINES


class _Unchecked(enum.Enum):
    UNCHECKED = "unchecked"


# `job_reassign(expected_provider_id=...)` default: no check. None is a real value there
# ("the staff member saw the job without a provider").
UNCHECKED = _Unchecked.UNCHECKED


# --------------------------------------------------------------------------- clock, users
def _now(now: datetime.datetime | None) -> datetime.datetime:
    """The injected `now`, else the domain clock (core.clock)."""
    return clock.now(now)


def _authenticated(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def _actor(user):
    return user if _authenticated(user) else None


def _can(user, ability: Ability) -> bool:
    """Whether `user` holds the named staff ability (core.permissions)."""
    return _authenticated(user) and has_ability(user, ability)


def _require(user, ability: Ability, message: Any = None) -> None:
    if not _can(user, ability):
        raise NotAllowed(message or _("You do not have permission to do this."))


def _is_customer(user, job: Job) -> bool:
    return _authenticated(user) and user.pk == job.customer_id


def _is_job_provider(user, job: Job) -> bool:
    if not (_authenticated(user) and job.provider_id):
        return False
    if job.provider.user_id == user.pk:
        return True
    delegate = job_hooks.delegate_for(job)  # a partner office's clerk stands for the provider
    return delegate is not None and delegate.acts_for_provider(user, job)


def _is_party(user, job: Job) -> bool:
    """The job's customer or its assigned provider (the party rule of a cancellation)."""
    return _is_customer(user, job) or _is_job_provider(user, job)


def provider_for(user) -> Provider | None:
    """The provider profile of `user`, if they are one."""
    if not _authenticated(user):
        return None
    return Provider.objects.filter(user=user).first()


# --------------------------------------------------------------------------- locks
def _locked(job: Job) -> Job:
    """Lock the job row (always the first lock a service takes)."""
    return JOB.lock(job)


def _lock_provider(pk: int) -> Provider:
    """Lock a provider row FOR NO KEY UPDATE (see the package docstring: it must not block
    other transactions from booking this provider, which take a key-share lock)."""
    return Provider.objects.select_for_update(no_key=True).get(pk=pk)


# --------------------------------------------------------------------------- who may
def _require_customer(job: Job, user, *, staff_ability: Ability | None = None) -> None:
    """The job's customer, or staff holding `staff_ability` acting for them."""
    if _is_customer(user, job):
        return
    if staff_ability is not None and _can(user, staff_ability):
        return
    raise NotAllowed(_("Only the customer who requested job %(number)s can do this.") % {"number": job.number})


def _require_job_provider(job: Job, user, *, staff_ability: Ability = Ability.MANAGE_JOBS) -> None:
    """The job's provider, or staff holding `staff_ability` acting on their behalf."""
    if _can(user, staff_ability) or _is_job_provider(user, job):
        return
    raise NotAllowed(_("Only the provider assigned to job %(number)s can do this.") % {"number": job.number})


def _require_status(job: Job, *allowed: str) -> None:
    if job.status not in allowed:
        raise InvalidTransition(
            _("Job %(number)s is %(status)s, so this step is not possible now.")
            % {"number": job.number, "status": job.get_status_display()}
        )


# --------------------------------------------------------------------------- the machine
def _fire(job: Job, action: str, *, actor=None, note: str = "", visible: bool = True, allowed=None,
          **fields: Any) -> JobEvent:
    """Fire the named transition on the locked `job` (machine.JOB): its status moves to the
    transition's target, `fields` are written with it, and the event is logged."""
    fired = JOB.fire(
        job, action, actor=actor, note=note, allowed=allowed, fields=fields, locked=True,
        event_fields=None if visible else {"visible_to_customer": False},
    )
    return fired.event


def _log(job: Job, action: str, *, actor=None, note: str = "", visible: bool = True,
         from_status: str | None = None) -> JobEvent:
    """Log a step that does not move the job (a payment, a rating, a document)."""
    return JOB.log(job, action, from_status=from_status, actor=actor, note=note, visible_to_customer=visible)


# --------------------------------------------------------------------------- notifications
def _notify(event: str, *, recipient, phone: str | None = None, **context: Any) -> None:
    # notifications stores the messages now and sends them when the transaction commits.
    notify(event=event, recipient=recipient, phone=phone or None, context=context)


def _notify_customer(job: Job, event: str, **context: Any) -> None:
    _notify(event, recipient=job.customer, job=job, **context)


def _notify_provider(job: Job, event: str, **context: Any) -> None:
    provider = job.provider
    if provider is None:
        return
    _notify(event, recipient=provider.user, phone=provider.phone, job=job, provider=provider, **context)


# --------------------------------------------------------------------------- numbers, money
def _new_number() -> str:
    while True:
        number = "J-" + "".join(secrets.choice(NUMBER_ALPHABET) for _position in range(7))
        if not Job.objects.filter(number=number).exists():
            return number


def _decimal(value: Any, *, field: str) -> Decimal:
    try:
        result = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        raise InvalidAmount(_("%(field)s must be a number.") % {"field": field}) from None
    if not result.is_finite():
        raise InvalidAmount(_("%(field)s must be a number.") % {"field": field})
    return result


def _ledger_account(code: str, *, currency: str, name: str, owner=None):
    return account_get_or_create(code=code, currency=currency, name=name, floor=None, owner=owner)


def provider_account(provider: Provider, *, currency: str | None = None):
    """The provider's payable account on the ledger (S17): positive = the platform owes them."""
    return _ledger_account(
        codes.provider_available(provider.pk),
        currency=currency or settings.OSCAR_DEFAULT_CURRENCY,
        name=f"Provider {provider.display_name}: payable",
        owner=provider,
    )


def _purpose_label(job: Job) -> str:
    purpose = purpose_due(job)
    return str(Payment.Purpose(purpose).label) if purpose else ""
