"""One quality policy for everyone who works through the platform (S11, P3, issue 4 point 7).

A service provider whose job must be redone under warranty, and a vendor whose goods fail
under warranty, are treated alike: each confirmed failure fines them a share of the value
of what failed, and too many confirmed failures within a window suspend them. The numbers
are configurable per kind of party (`CHAARSOO_QUALITY_POLICY` in settings); the rule is
written once, here.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

from core import clock

PROVIDER = "provider"
VENDOR = "vendor"

_DEFAULTS: dict[str, dict[str, object]] = {
    # S11: a redo within the warranty costs the original provider 7% of the job's value.
    PROVIDER: {"fine_rate": "0.07", "suspend_after": 3, "window_days": 180},
    VENDOR: {"fine_rate": "0.07", "suspend_after": 3, "window_days": 180},
}


@dataclass(frozen=True)
class QualityPolicy:
    kind: str
    fine_rate: Decimal
    suspend_after: int
    window_days: int

    def fine_for(self, value: Decimal, currency_places: int = 2) -> Decimal:
        """The fine for one confirmed failure of something worth `value`."""
        quantum = Decimal(1).scaleb(-currency_places)
        return (Decimal(value) * self.fine_rate).quantize(quantum, rounding=ROUND_HALF_UP)

    def should_suspend(self, confirmed_failures_in_window: int) -> bool:
        """True once the party has reached the suspension threshold within the window."""
        return confirmed_failures_in_window >= self.suspend_after


def quality_policy(kind: str) -> QualityPolicy:
    """The policy for `kind` ("provider" or "vendor"), settings over defaults."""
    if kind not in _DEFAULTS:
        raise ValueError(f"Unknown quality policy kind: {kind!r}")
    configured = getattr(settings, "CHAARSOO_QUALITY_POLICY", {}).get(kind, {})
    values = {**_DEFAULTS[kind], **configured}
    return QualityPolicy(
        kind=kind,
        fine_rate=Decimal(str(values["fine_rate"])),
        suspend_after=int(values["suspend_after"]),
        window_days=int(values["window_days"]),
    )


@dataclass(frozen=True)
class QualityOutcome:
    fine: Decimal
    failures_in_window: int
    suspended: bool


def apply_quality_policy(
    *,
    kind: str,
    value: Decimal,
    fine: Callable[[Decimal], object],
    count_failures_since: Callable[[datetime.datetime], int],
    suspend: Callable[[int, int], object],
    now: datetime.datetime | None = None,
    currency_places: int = 2,
) -> QualityOutcome:
    """The one sanction rule for a confirmed failure, for providers (S11) and vendors (P3).

    The caller has already recorded the failure as confirmed (so it is counted) and
    supplies how its party is fined, how its confirmed failures are counted and how it is
    suspended; the policy decides the amount and whether the threshold is reached.
    `fine` is called only for a positive amount; `suspend(failures, window_days)` only
    when the threshold is reached. Both must be idempotent per failure (the callers key
    their ledger transfers by the claim).
    """
    policy = quality_policy(kind)
    amount = policy.fine_for(value, currency_places)
    if amount > 0:
        fine(amount)
    since = clock.now(now) - datetime.timedelta(days=policy.window_days)
    failures = count_failures_since(since)
    suspended = policy.should_suspend(failures)
    if suspended:
        suspend(failures, policy.window_days)
    return QualityOutcome(fine=amount, failures_in_window=failures, suspended=suspended)
