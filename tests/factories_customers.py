"""Factories and fixtures for customers and notifications tests (import what you use)."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from pathlib import Path

import factory
import pytest

from core.permissions import assign_role
from customers.services import profile_for
from notifications.sms import LocmemSMSBackend, SentSMS
from tests.factories import UserFactory

LOCMEM_SMS = "notifications.sms.LocmemSMSBackend"


class StaffFactory(UserFactory):
    """An operator (core.permissions role), e.g. for phone intake."""

    username = factory.Sequence(lambda n: f"operator{n}")
    is_staff = True

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create:
            assign_role(self, extracted or "operator")


def customer_with(*, phone: str | None = None, language: str = "fa", tier: str = "registered", **user_fields):
    """A saved user whose profile has this phone, language and tier."""
    user = UserFactory(**user_fields)
    profile = profile_for(user)
    profile.phone = phone
    profile.preferred_language = language
    profile.tier = tier
    profile.save()
    return user


@pytest.fixture
def sms_outbox(settings) -> Iterator[list[SentSMS]]:
    """Every SMS sent during the test (the locmem backend), like pytest-django's mailoutbox."""
    settings.CHAARSOO_SMS_BACKEND = LOCMEM_SMS
    LocmemSMSBackend.outbox.clear()
    yield LocmemSMSBackend.outbox
    LocmemSMSBackend.outbox.clear()


@pytest.fixture
def operator(db):
    return StaffFactory()


@pytest.fixture
def event_templates(tmp_path: Path, settings) -> Callable[..., None]:
    """write(event, subject=..., body=..., sms=...): templates of a test-only event."""
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [tmp_path, *templates[0]["DIRS"]]
    settings.TEMPLATES = templates  # Django resets its template engines on this change

    def write(event: str, **files: str) -> None:
        folder = tmp_path / "notifications" / event
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            (folder / f"{name}.txt").write_text(text, encoding="utf-8")

    return write


__all__ = [
    "StaffFactory",
    "customer_with",
    "event_templates",
    "operator",
    "sms_outbox",
]
