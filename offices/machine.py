"""The office errand's state machine (core.transitions), beside the job's own (JOB).

The job keeps its statuses (paid, matching, assigned, dispatched, in progress,
completed); the errand says where it stands between the two offices. Clerks pass through
the party rules of offices.services (a clerk of the performing or originating office);
staff through `manage_jobs`. Steps that do not move the errand are logged (target None).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.permissions import Ability
from core.transitions import StateMachine, Transition
from offices.errors import InvalidTransition, NotAllowed
from offices.models import Errand, ErrandEvent

S = Errand.Status
OPEN = Errand.OPEN_STATUSES
EVERY = tuple(S.values)
MJ = Ability.MANAGE_JOBS

ERRAND: StateMachine[Errand] = StateMachine(
    model=Errand,
    event_model=ErrandEvent,
    event_fk="errand",
    select_related=("job", "origin", "performer"),
    invalid=InvalidTransition,
    not_allowed=NotAllowed,
    transitions={
        "filed": Transition("filed", sources={S.ROUTING}, target=None),
        "routed": Transition("routed", sources={S.ROUTING}, target=S.ROUTED, ability=MJ),
        "rerouted": Transition("rerouted", sources={S.ROUTING, S.ROUTED, S.ACCEPTED}, target=S.ROUTED, ability=MJ),
        "unrouted": Transition("unrouted", sources={S.ROUTING}, target=None),
        "declined": Transition("declined", sources={S.ROUTED, S.ACCEPTED}, target=S.ROUTING, ability=MJ,
                               idempotent=False),
        "accepted": Transition("accepted", sources={S.ROUTED}, target=S.ACCEPTED, ability=MJ),
        "started": Transition("started", sources={S.ACCEPTED}, target=S.IN_PROGRESS, ability=MJ),
        "progress": Transition("progress", sources={S.ACCEPTED, S.IN_PROGRESS}, target=None, ability=MJ),
        "originals_received": Transition("originals_received", sources=OPEN, target=None, ability=MJ),
        "originals_returned": Transition("originals_returned", sources=EVERY, target=None, ability=MJ),
        "result": Transition("result", sources={S.ACCEPTED, S.IN_PROGRESS}, target=S.RESULT_READY, ability=MJ),
        "handed_over": Transition("handed_over", sources={S.RESULT_READY}, target=S.HANDED_OVER, ability=MJ),
        "cancelled": Transition("cancelled", sources=OPEN, target=S.CANCELLED, ability=MJ),
        "paid": Transition("paid", sources=EVERY, target=None),
        "refund_requested": Transition("refund_requested", sources=EVERY, target=None),
        "refund_approved": Transition("refund_approved", sources=EVERY, target=None, ability=Ability.REFUND_PAYMENT),
        "refund_rejected": Transition("refund_rejected", sources=EVERY, target=None, ability=Ability.REFUND_PAYMENT),
        # the originating counter gave an approved refund back (cash, or on its card terminal)
        "refund_returned": Transition("refund_returned", sources=EVERY, target=None),
        "fee_split": Transition("fee_split", sources=EVERY, target=None),
        "late": Transition("late", sources=OPEN, target=None),
    },
)

# Steps the customer sees on the errand (the job's own timeline shows the job's steps).
CUSTOMER_VISIBLE = {"filed", "routed", "rerouted", "accepted", "started", "progress", "originals_received",
                    "originals_returned", "result", "handed_over", "cancelled", "refund_requested",
                    "refund_approved", "refund_rejected", "refund_returned"}

ACTION_LABELS = {
    "filed": _("Filed at the office"),
    "routed": _("Sent to the performing office"),
    "rerouted": _("Sent to another office by staff"),
    "unrouted": _("No open office found yet"),
    "declined": _("Declined by the office"),
    "accepted": _("Accepted by the performing office"),
    "started": _("Work started"),
    "progress": _("Progress"),
    "originals_received": _("Originals received"),
    "originals_returned": _("Originals returned"),
    "result": _("Result uploaded"),
    "handed_over": _("Handed over to the customer"),
    "cancelled": _("Cancelled"),
    "paid": _("Paid"),
    "refund_requested": _("Refund requested"),
    "refund_approved": _("Refund approved"),
    "refund_rejected": _("Refund rejected"),
    "refund_returned": _("Refund given back at the counter"),
    "fee_split": _("Fee split posted"),
    "late": _("Late: the step's time target passed"),
}
