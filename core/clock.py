"""The one clock the domain reads. Services take an optional `now`; when it is omitted
they ask `clock.now()`, which tests can move with `clock.frozen(...)` instead of patching
`timezone.now` (that would also move Django's own timestamps, sessions and caches)."""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Iterator

from django.utils import timezone

_frozen: list[datetime.datetime] = []


def now(value: datetime.datetime | None = None) -> datetime.datetime:
    """`value` when given (a service's injected `now`), else the frozen time, else the time."""
    if value is not None:
        return value
    if _frozen:
        return _frozen[-1]
    return timezone.now()


@contextlib.contextmanager
def frozen(at: datetime.datetime) -> Iterator[datetime.datetime]:
    """Inside the block, `now()` answers `at` (nested blocks stack)."""
    _frozen.append(at)
    try:
        yield at
    finally:
        _frozen.pop()
