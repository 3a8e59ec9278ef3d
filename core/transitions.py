"""One transition mechanism for every state machine (jobs, shipments, payments, claims,
and the apps to come: tickets, errands, redemptions).

A machine is declared once, next to its model:

    SHIPMENT = StateMachine(
        model=Shipment, event_model=ShipmentEvent, event_fk="shipment",
        invalid=InvalidTransition, not_allowed=NotAllowed,
        transitions={
            "confirm": Transition("confirm", sources={"pending"}, target="confirmed"),
            "cancel": Transition("cancel", sources={"pending", "confirmed"}, target="cancelled",
                                 ability=Ability.ACT_FOR_VENDOR),
        },
    )

and fired from a service inside its transaction:

    fired = SHIPMENT.fire(shipment, "confirm", actor=user, allowed=is_shipment_vendor)

`fire` locks the row (SELECT … FOR UPDATE), re-reads its status, treats a repeat of a
transition that already happened as a no-op returning the first event (a double click or
a replayed webhook changes nothing), refuses other source states with the machine's typed
InvalidTransition, checks the named permission (or the caller's party rule), writes the
status, the extra fields and the event row with the injected clock, and hands the event to
`on_fired` hooks, which queue notifications (notifications.notify sends after commit).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from core import clock
from core.errors import InvalidTransition, NotAllowed
from core.permissions import Ability, has_ability

M = TypeVar("M", bound=models.Model)
# allowed(actor, obj) -> bool: the party rule ("the vendor of this shipment").
PartyRule = Callable[[Any, Any], bool]


@dataclass(frozen=True)
class Transition:
    """A named step: from which statuses, to which (None keeps the status: an event that
    is logged without moving, like "visit rescheduled"), and who may fire it."""

    name: str
    sources: frozenset[str]
    target: str | None
    # Staff holding this ability may fire it; parties pass through `allowed` instead.
    ability: Ability | None = None
    # Whether a second firing when the object already sits in `target` is a quiet no-op.
    idempotent: bool = True

    def __init__(self, name: str, *, sources: Iterable[str], target: str | None,
                 ability: Ability | None = None, idempotent: bool = True) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "sources", frozenset(sources))
        object.__setattr__(self, "target", target)
        object.__setattr__(self, "ability", ability)
        object.__setattr__(self, "idempotent", idempotent)


@dataclass
class Fired(Generic[M]):
    """What `fire` did: the locked, saved object, its event, and whether it moved now."""

    obj: M
    event: models.Model | None
    changed: bool


@dataclass
class StateMachine(Generic[M]):
    model: type[M]
    event_model: type[models.Model]
    event_fk: str
    transitions: Mapping[str, Transition]
    status_field: str = "status"
    invalid: type[InvalidTransition] = InvalidTransition
    not_allowed: type[NotAllowed] = NotAllowed
    # Extra related rows to load with the lock (select_related names).
    select_related: tuple[str, ...] = ()
    on_fired: list[Callable[[M, models.Model, Transition], None]] = field(default_factory=list)

    def __post_init__(self) -> None:
        for key, spec in self.transitions.items():
            if key != spec.name:
                raise ValueError(f"transition {key!r} is declared as {spec.name!r}")

    # ------------------------------------------------------------------ reads
    def transition(self, name: str) -> Transition:
        return self.transitions[name]

    def can_fire(self, obj: M, name: str) -> bool:
        """Whether the object's current status allows `name` (no permission check)."""
        return getattr(obj, self.status_field) in self.transitions[name].sources

    def available(self, obj: M) -> list[str]:
        status = getattr(obj, self.status_field)
        return [name for name, spec in self.transitions.items() if status in spec.sources]

    # ----------------------------------------------------------------- writes
    def lock(self, obj: M | int) -> M:
        pk = obj if isinstance(obj, int) else obj.pk
        queryset = self.model._default_manager.select_for_update(of=("self",))
        if self.select_related:
            queryset = queryset.select_related(*self.select_related)
        return queryset.get(pk=pk)

    def check_permission(self, obj: M, spec: Transition, actor: Any, allowed: PartyRule | None) -> None:
        if actor is None:
            # The system itself (a periodic duty, a webhook): the service decided already.
            return
        if spec.ability is not None and has_ability(actor, spec.ability):
            return
        if allowed is not None and allowed(actor, obj):
            return
        if spec.ability is None and allowed is None:
            return
        raise self.not_allowed(_("You do not have permission to do this."))

    def fire(
        self,
        obj: M,
        name: str,
        *,
        actor: Any = None,
        note: str = "",
        now: datetime.datetime | None = None,
        allowed: PartyRule | None = None,
        fields: Mapping[str, Any] | None = None,
        event_fields: Mapping[str, Any] | None = None,
        locked: bool = False,
        refuse: Callable[[M, Transition], Exception] | None = None,
    ) -> Fired[M]:
        """Fire transition `name` on `obj` (see the module docstring).

        `actor=None` means the system (no permission check: the calling service made the
        decision). `locked=True` when the caller already holds the row lock in this
        transaction and passes the locked instance (it is then updated in place).
        `refuse` builds the exception for a wrong source state, when the machine's
        generic message is not the one the user should read.
        """
        spec = self.transitions[name]
        when = clock.now(now)
        with transaction.atomic():
            current = obj if locked else self.lock(obj)
            status = getattr(current, self.status_field)
            if spec.target is not None and status == spec.target and status not in spec.sources:
                if spec.idempotent:
                    return Fired(current, self._last_event(current, spec), changed=False)
            if status not in spec.sources:
                if refuse is not None:
                    raise refuse(current, spec)
                raise self.invalid(
                    _("This step (%(step)s) is not possible while the status is %(status)s.")
                    % {"step": name, "status": self._status_label(current)}
                )
            self.check_permission(current, spec, actor, allowed)
            update_fields = []
            if spec.target is not None and spec.target != status:
                setattr(current, self.status_field, spec.target)
                update_fields.append(self.status_field)
            for attribute, value in (fields or {}).items():
                setattr(current, attribute, value)
                update_fields.append(attribute)
            if update_fields:
                current.save()
            event = self.log(current, spec.name, from_status=status, actor=actor, note=note, now=when,
                             **(event_fields or {}))
            for hook in self.on_fired:
                hook(current, event, spec)
        if not locked and obj is not current:
            # The caller's instance reflects what was written.
            for attribute in [self.status_field, *(fields or {})]:
                setattr(obj, attribute, getattr(current, attribute))
        return Fired(current, event, changed=True)

    def log(self, obj: M, action: str, *, from_status: str | None = None, actor: Any = None,
            note: str = "", now: datetime.datetime | None = None, **extra: Any) -> models.Model:
        """Write one event row for `obj` without moving it (or after the caller moved it)."""
        status = getattr(obj, self.status_field)
        return self.event_model._default_manager.create(
            **{self.event_fk: obj},
            action=action,
            from_status=status if from_status is None else from_status,
            to_status=status,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            note=str(note)[:2000],
            created=clock.now(now),
            **extra,
        )

    # ---------------------------------------------------------------- helpers
    def _last_event(self, obj: M, spec: Transition) -> models.Model | None:
        return (
            self.event_model._default_manager.filter(**{self.event_fk: obj}, action=spec.name)
            .order_by("-created", "-pk")
            .first()
        )

    def _status_label(self, obj: M) -> str:
        display = getattr(obj, f"get_{self.status_field}_display", None)
        return str(display()) if callable(display) else str(getattr(obj, self.status_field))
