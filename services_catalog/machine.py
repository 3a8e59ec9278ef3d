"""The service job's state machine, declared once (core.transitions).

Every status change of a job is one of the named transitions below, fired through
`JOB.fire(job, name, ...)` from `services_catalog.services`; steps that do not move the job
(a payment, a rating, a document) are logged with `JOB.log(job, action, ...)`. Transition
names are the event actions the history pages already show (JobEvent.Action), so the
timeline reads as before.

`ability` names the staff ability that may fire a transition on anyone's job; the parties
(the customer, the assigned provider) pass through the service's party rule (`allowed=`).
A transition fired with no actor is the system's own step (matching, expiry), decided by
the calling service.
"""

from __future__ import annotations

from core.permissions import Ability
from core.transitions import StateMachine, Transition
from services_catalog.errors import InvalidTransition, NotAllowed
from services_catalog.models import Job, JobEvent

S = Job.Status
A = JobEvent.Action

REVIEWABLE = (S.REQUESTED, S.QUOTED)
WORKING = (S.ASSIGNED, S.DISPATCHED, S.IN_PROGRESS)
REASSIGNABLE = (S.MATCHING, S.ASSIGNED, S.DISPATCHED)

JOB: StateMachine[Job] = StateMachine(
    model=Job,
    event_model=JobEvent,
    event_fk="job",
    select_related=("service", "area", "provider", "customer"),
    invalid=InvalidTransition,
    not_allowed=NotAllowed,
    transitions={
        # review and quotes (S2, S12); the provider already on a job may quote it too
        A.QUOTE_SENT: Transition(A.QUOTE_SENT, sources=REVIEWABLE, target=S.QUOTED, ability=Ability.QUOTE_JOB),
        A.QUOTE_REVISED: Transition(A.QUOTE_REVISED, sources={S.QUOTED}, target=S.QUOTED,
                                    ability=Ability.QUOTE_JOB),
        A.NOT_FEASIBLE: Transition(A.NOT_FEASIBLE, sources=REVIEWABLE, target=S.NOT_FEASIBLE,
                                   ability=Ability.QUOTE_JOB),
        # the customer, or (A2) an operator for a caller who accepts on the phone
        A.QUOTE_ACCEPTED: Transition(A.QUOTE_ACCEPTED, sources={S.QUOTED}, target=S.ACCEPTED,
                                     ability=Ability.FILE_FOR_CALLER),
        # matching (S4, S13): a paid or free job, a warranty redo (created as requested)
        A.MATCHING: Transition(A.MATCHING, sources={S.REQUESTED, S.ACCEPTED}, target=S.MATCHING),
        A.ASSIGNED: Transition(A.ASSIGNED, sources=REASSIGNABLE, target=S.ASSIGNED, ability=Ability.MANAGE_JOBS),
        A.REASSIGNED: Transition(A.REASSIGNED, sources=REASSIGNABLE, target=S.MATCHING,
                                 ability=Ability.MANAGE_JOBS),
        A.DECLINED: Transition(A.DECLINED, sources={S.ASSIGNED, S.DISPATCHED}, target=S.MATCHING),
        # the visit and the work (S4, S7, S12): the provider, or staff on their behalf
        A.DISPATCHED: Transition(A.DISPATCHED, sources={S.ASSIGNED}, target=S.DISPATCHED,
                                 ability=Ability.MANAGE_JOBS),
        A.VISIT_RESCHEDULED: Transition(A.VISIT_RESCHEDULED, sources={S.DISPATCHED}, target=S.DISPATCHED,
                                        ability=Ability.MANAGE_JOBS),
        A.STARTED: Transition(A.STARTED, sources={S.DISPATCHED}, target=S.IN_PROGRESS, ability=Ability.MANAGE_JOBS),
        A.COMPLETED: Transition(A.COMPLETED, sources={S.DISPATCHED, S.IN_PROGRESS}, target=S.COMPLETED,
                                ability=Ability.MANAGE_JOBS),
        # cancellation (S8): the customer, the provider, staff, or the system (expiry)
        A.CANCELLED: Transition(A.CANCELLED, sources=Job.OPEN_STATUSES, target=S.CANCELLED,
                                ability=Ability.MANAGE_JOBS),
    },
)
