"""The payment's state machine, declared once (core.transitions).

A payment follows Stripe's PaymentIntent and only ever moves forward: pending (or failed:
a declined card can be retried on the same intent) -> requires_action -> processing ->
succeeded, or cancelled from any open status. Succeeded and cancelled are final. So
Stripe events applied in any order end in the same status, and a replayed one is a no-op.

Events that don't move the payment (`created`, `refund`, `ignored`, `amount_mismatch`,
`refund_failed`, ...) are logged on the same history with `PAYMENT.log`.
"""

from __future__ import annotations

from core.permissions import Ability
from core.transitions import StateMachine, Transition
from payments.errors import InvalidTransition, NotAllowed
from payments.models import Payment, PaymentEvent

S = Payment.Status
# Open: could still be charged (or retried); the only statuses a payment may be cancelled from.
OPEN = frozenset({S.PENDING, S.FAILED, S.REQUIRES_ACTION, S.PROCESSING})
FINAL = frozenset({S.SUCCEEDED, S.CANCELED})

REOPEN = "reopen"
FAIL = "fail"
REQUIRE_ACTION = "require_action"
PROCESS = "process"
SUCCEED = "succeed"
CANCEL = "cancel"
SUPERSEDE = "supersede"
EXPIRE = "expire"
REFUND = "refund"

PAYMENT: StateMachine[Payment] = StateMachine(
    model=Payment,
    event_model=PaymentEvent,
    event_fk="payment",
    invalid=InvalidTransition,
    not_allowed=NotAllowed,
    transitions={
        # Stripe reports the intent's status; each transition is the step to that status.
        REOPEN: Transition(REOPEN, sources={S.FAILED}, target=S.PENDING),
        # From failed too: a second decline with a new reason is recorded.
        FAIL: Transition(FAIL, sources={S.PENDING, S.FAILED}, target=S.FAILED),
        REQUIRE_ACTION: Transition(REQUIRE_ACTION, sources={S.PENDING, S.FAILED}, target=S.REQUIRES_ACTION),
        PROCESS: Transition(PROCESS, sources={S.PENDING, S.FAILED, S.REQUIRES_ACTION}, target=S.PROCESSING),
        SUCCEED: Transition(SUCCEED, sources=OPEN, target=S.SUCCEEDED),
        CANCEL: Transition(CANCEL, sources=OPEN, target=S.CANCELED),
        # Our own decisions: a new attempt replaces this one; the payable's window closed.
        SUPERSEDE: Transition(SUPERSEDE, sources=OPEN, target=S.CANCELED),
        EXPIRE: Transition(EXPIRE, sources=OPEN, target=S.CANCELED),
        # Money given back: the payment stays succeeded; only refund_payment holders (or
        # the system, actor None) may fire it.
        REFUND: Transition(REFUND, sources={S.SUCCEEDED}, target=None, ability=Ability.REFUND_PAYMENT),
    },
)

# The transition that brings a payment to each status Stripe can report.
TO_STATUS: dict[str, str] = {
    S.PENDING: REOPEN,
    S.FAILED: FAIL,
    S.REQUIRES_ACTION: REQUIRE_ACTION,
    S.PROCESSING: PROCESS,
    S.SUCCEEDED: SUCCEED,
    S.CANCELED: CANCEL,
}
