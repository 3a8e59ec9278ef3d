"""Routing (A3): the errand goes to the inbox of the office nearest the destination.

`errand_route` is what the job's matching step calls for an errand (through
offices.delegate): it gathers the inputs, asks the pure `offices.routing.route`, and
stores the inputs and the decision on the errand. Staff re-route by hand, logged.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.permissions import Ability, require_ability
from offices import conf, routing
from offices.errors import InvalidTransition, NotAllowed
from offices.models import Errand, PartnerOffice
from offices.services._common import fire, lock, notify_errand, now_or
from offices.services.offices_admin import office_provider
from services_catalog.machine import JOB
from services_catalog.models import Job, JobDecline

# The routing decision's reason codes (offices.routing), written into the job's note in words.
_REASONS = {
    "county": _("an office in the destination county"),
    "province": _("an office in the destination province"),
    "distance": _("the nearest open office"),
    "fewest_open_errands": _("the fewest open errands"),
    "nearest": _("the nearest"),
    "no_open_office": _("no office is open now"),
    "staff": _("chosen by staff"),
}


def reason_text(reason: str) -> str:
    """`county+nearest` -> "an office in the destination county + the nearest"."""
    return " + ".join(str(_REASONS.get(part, part)) for part in reason.split("+")) if reason else ""


def _candidates(errand: Errand, now: datetime.datetime) -> list[routing.Candidate]:
    local = timezone.localtime(now)
    offices = (
        PartnerOffice.objects.filter(services=errand.job.service_id)
        .select_related("province", "county")
        .annotate(open_errands=Count("performed_errands",
                                     filter=Q(performed_errands__status__in=Errand.PERFORMING_STATUSES)))
        .order_by("pk")
    )
    return [
        routing.Candidate(
            office_id=office.pk, name=office.name, province=office.province.code, county=office.county.code,
            latitude=float(office.latitude), longitude=float(office.longitude), is_active=office.is_active,
            open_now=routing.is_open_at(weekdays=office.weekdays(), opens_at=office.opens_at,
                                        closes_at=office.closes_at, local_now=local),
            open_errands=office.open_errands,
        )
        for office in offices
    ]


def _destination(errand: Errand) -> routing.Destination:
    county = errand.destination_county
    return routing.Destination(province=errand.destination_province.code, county=county.code,
                               latitude=float(county.latitude), longitude=float(county.longitude))


def _record(errand: Errand, decision: routing.Decision, now: datetime.datetime, *, by: str) -> None:
    errand.routing = [*errand.routing, {
        "at": now.isoformat(), "by": by,
        "destination": {"province": errand.destination_province.code, "county": errand.destination_county.code},
        "declined": list(errand.declined_office_ids), **decision.as_dict(),
    }]


def errand_route(*, job: Job, now: datetime.datetime | None = None):
    """Choose the performing office for the errand of `job` (already locked, in matching).

    Returns (the office's provider record, the reason) or (None, "") when no office is
    open now: the errand waits in routing and the periodic matching duty tries again."""
    now = now_or(now)
    errand = lock(Errand.objects.get(job_id=job.pk))
    decision = routing.route(_destination(errand), _candidates(errand, now), declined=errand.declined_office_ids)
    _record(errand, decision, now, by="system")
    if decision.chosen is None:
        errand.save(update_fields=["routing", "updated"])
        if not errand.events.filter(action="unrouted").exists():
            fire(errand, "unrouted", note=decision.reason)
            # the customer and the filing office learn it waits (staff see it in their list)
            notify_errand(errand, "unrouted", performer=False)
        return None, ""
    office = PartnerOffice.objects.get(pk=decision.chosen)
    provider = office_provider(office)
    errand.save(update_fields=["routing", "updated"])
    fire(errand, "routed", office=office, note=f"{office.name} ({reason_text(decision.reason)})", now=now,
         performer=office, hop_due_at=conf.hop_due("routed", now))
    notify_errand(errand, "routed", customer=True, origin=True, performer=True)
    return provider, f"{office.name}: {reason_text(decision.reason)}"


def errand_reroute(*, staff_user, errand: Errand, office: PartnerOffice, note: str = "",
                   now: datetime.datetime | None = None) -> Errand:
    """Staff (manage_jobs) send an errand to `office` by hand; the decision is logged."""
    require_ability(staff_user, Ability.MANAGE_JOBS, NotAllowed)
    now = now_or(now)
    if not office.is_active or not office.services.filter(pk=errand.job.service_id).exists():
        raise InvalidTransition(_("That office is inactive or does not perform this errand."))
    with transaction.atomic():
        job = JOB.lock(errand.job_id)
        errand = lock(errand)
        if errand.performer_id == office.pk and errand.status == Errand.Status.ROUTED:
            return errand
        if job.status not in (Job.Status.MATCHING, Job.Status.ASSIGNED, Job.Status.DISPATCHED):
            raise InvalidTransition(_("This errand can no longer be sent to another office."))
        if job.provider_id:
            JobDecline.objects.get_or_create(job=job, provider_id=job.provider_id, defaults={
                "removed_by": staff_user, "reason": str(_("Re-routed by staff"))})
            JOB.fire(job, "reassigned", actor=staff_user, note=note, locked=True,
                     fields={"provider": None, "visit_at": None, "matching_since": now})
        provider = office_provider(office)
        JOB.fire(job, "assigned", actor=staff_user, note=office.name, locked=True,
                 fields={"provider": provider, "assigned_at": now, "visit_at": None})
        errand.routing = [*errand.routing, {"at": now.isoformat(), "by": "staff", "chosen": office.pk,
                                            "reason": "staff", "note": note, "considered": []}]
        errand.save(update_fields=["routing", "updated"])
        fire(errand, "rerouted", actor=staff_user, office=office, note=note or office.name, now=now,
             performer=office, hop_due_at=conf.hop_due("routed", now))
        notify_errand(errand, "rerouted", note=note)
        return errand
