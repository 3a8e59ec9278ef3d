"""Links that editors type (CMS URL fields): http(s), mailto, tel and relative links only.

A `javascript:` (or `data:`, `vbscript:`...) link is refused when the page is saved
(`validate_safe_link`), and one already stored is never rendered (`safe_link`)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ALLOWED_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.I)
# Browsers drop ASCII whitespace and control characters inside a URL's scheme.
_IGNORED = re.compile(r"[\x00-\x20\x7f]+")


def is_safe_link(value: str) -> bool:
    compact = _IGNORED.sub("", value or "")
    match = _SCHEME.match(compact)
    return match is None or match.group(1).lower() in ALLOWED_SCHEMES


def validate_safe_link(value: str) -> None:
    if not is_safe_link(value):
        raise ValidationError(
            _("Enter a web address (https://…), a mailto: or tel: link, or a path on this site (/…)."),
            code="unsafe_link",
        )


def safe_link(value: str) -> str:
    """The link itself when it is safe, else an empty string (render nothing)."""
    return value if is_safe_link(value) else ""
