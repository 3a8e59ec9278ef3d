"""Routing an errand to the office that performs it nearest the destination (A3).

A pure function of its inputs, so the rule is tested by a table of cases:
1. only offices that perform the errand's service are candidates; inactive offices,
   offices closed at the moment of routing (their opening hours at the clock's now) and
   offices that already declined this errand are skipped (each skip is recorded);
2. offices in the destination's county come first, then the destination's province,
   then every other office by great-circle distance from the destination;
3. ties (same rank, and for the distance rank the same whole kilometre) go to the office
   with the fewest open errands, then the nearer one, then the older one (smaller id).

The decision keeps every candidate considered and why the chosen one won, to be stored
on the errand and shown to staff.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

EARTH_RADIUS_KM = 6371.0088

COUNTY, PROVINCE, DISTANCE = "county", "province", "distance"
TIER_ORDER = {COUNTY: 0, PROVINCE: 1, DISTANCE: 2}

SKIP_INACTIVE = "inactive"
SKIP_CLOSED = "closed"
SKIP_DECLINED = "declined"
SKIP_NOT_PERFORMED = "does_not_perform"


@dataclass(frozen=True)
class Destination:
    province: str
    county: str
    latitude: float
    longitude: float


@dataclass(frozen=True)
class Candidate:
    office_id: int
    name: str
    province: str
    county: str
    latitude: float
    longitude: float
    performs: bool = True
    is_active: bool = True
    open_now: bool = True
    open_errands: int = 0


@dataclass
class Decision:
    chosen: int | None
    reason: str
    considered: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def great_circle_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """The haversine distance in kilometres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi = phi2 - phi1
    d_lambda = math.radians(lng2 - lng1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def is_open_at(*, weekdays: Iterable[int], opens_at: datetime.time, closes_at: datetime.time,
               local_now: datetime.datetime) -> bool:
    """Whether an office with these hours is open at `local_now` (a local, aware or naive time)."""
    return local_now.weekday() in set(weekdays) and opens_at <= local_now.time() < closes_at


def _tier(candidate: Candidate, destination: Destination) -> str:
    if candidate.county == destination.county:
        return COUNTY
    if candidate.province == destination.province:
        return PROVINCE
    return DISTANCE


def route(destination: Destination, candidates: Iterable[Candidate], *, declined: Iterable[int] = ()) -> Decision:
    """Choose the office for an errand to `destination` (see the module docstring)."""
    declined_ids = set(declined)
    considered: list[dict] = []
    ranked: list[tuple[tuple, Candidate, dict]] = []
    for candidate in candidates:
        distance = great_circle_km(candidate.latitude, candidate.longitude,
                                   destination.latitude, destination.longitude)
        tier = _tier(candidate, destination)
        row = {"office": candidate.office_id, "name": candidate.name, "tier": tier,
               "distance_km": round(distance, 1), "open_errands": candidate.open_errands, "skipped": ""}
        considered.append(row)
        if not candidate.performs:
            row["skipped"] = SKIP_NOT_PERFORMED
        elif not candidate.is_active:
            row["skipped"] = SKIP_INACTIVE
        elif candidate.office_id in declined_ids:
            row["skipped"] = SKIP_DECLINED
        elif not candidate.open_now:
            row["skipped"] = SKIP_CLOSED
        else:
            distance_rank = math.floor(distance) if tier == DISTANCE else 0
            key = (TIER_ORDER[tier], distance_rank, candidate.open_errands, distance, candidate.office_id)
            ranked.append((key, candidate, row))
    if not ranked:
        return Decision(chosen=None, reason="no_open_office", considered=considered)
    ranked.sort(key=lambda item: item[0])
    best_key, best, best_row = ranked[0]
    reason = best_row["tier"]
    runner_up = ranked[1][0] if len(ranked) > 1 else None
    if runner_up is not None and runner_up[:2] == best_key[:2]:
        reason += "+fewest_open_errands" if runner_up[2] != best_key[2] else "+nearest"
    for position, (_key, _candidate, row) in enumerate(ranked, start=1):
        row["rank"] = position
    return Decision(chosen=best.office_id, reason=reason, considered=considered)
