"""Hooks through which another app takes over part of a job's life.

A partner-office errand (offices/, A3) is a service job whose work is done by a partner
office instead of a travelling provider: the office is routed instead of matched, its
clerks act where a provider would, and the fee is split its own way instead of the
provider's share. The app registers one `JobDelegate` from its AppConfig.ready(); every
job it does not claim goes the usual way. services_catalog never imports that app.
"""

from __future__ import annotations

import datetime
from typing import Any, Protocol

from services_catalog.models import Job, Provider


class JobDelegate(Protocol):
    def claims(self, job: Job) -> bool:
        """Whether this app does the work of `job` (then the methods below apply)."""

    def route(self, job: Job, *, now: datetime.datetime) -> tuple[Provider | None, str]:
        """The provider standing for whoever does the work next, and why (None: nobody now)."""

    def acts_for_provider(self, user: Any, job: Job) -> bool:
        """Whether `user` may do what the job's provider may (start, complete, originals)."""

    def takes_cash(self, user: Any, job: Job) -> bool:
        """Whether `user` may record the job's cash payment, and hand a refund of it back (a counter clerk)."""

    def settle(self, job: Job, *, now: datetime.datetime) -> None:
        """Credit whoever earned the job's value (instead of the provider's share)."""


_DELEGATES: list[JobDelegate] = []


def register(delegate: JobDelegate) -> None:
    if not any(type(existing) is type(delegate) for existing in _DELEGATES):
        _DELEGATES.append(delegate)


def delegate_for(job: Job) -> JobDelegate | None:
    for delegate in _DELEGATES:
        if delegate.claims(job):
            return delegate
    return None
