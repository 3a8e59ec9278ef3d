"""The support desk's settings readers (each with a default, so `make run` needs nothing)."""

from __future__ import annotations

from django.conf import settings

DEFAULT_TARGETS = {  # priority -> (first response, resolution), business minutes
    "urgent": (30, 240),
    "high": (60, 480),
    "normal": (120, 960),
    "low": (240, 1920),
}


def support_address() -> str:
    """The address customers write to; replies go out from it with +<token> (plus-addressing)."""
    return getattr(settings, "SUPPORT_EMAIL", "support@chaarsoo.example")


def reply_address(token: str) -> str:
    local, _at, domain = support_address().partition("@")
    return f"{local}+{token}@{domain}"


def warning_share() -> float:
    return float(getattr(settings, "SUPPORT_WARNING_SHARE", 0.8))


def quality_sample_share() -> float:
    return float(getattr(settings, "SUPPORT_QUALITY_SAMPLE_SHARE", 0.1))


def imap_settings() -> dict:
    """SUPPORT_IMAP = {"host", "port", "user", "password", "ssl", "mailbox"}; empty: no fetching."""
    return dict(getattr(settings, "SUPPORT_IMAP", {}) or {})
