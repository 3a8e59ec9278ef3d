"""Users in a named role (core.permissions), for tests.

`make_role_user("finance")` gives a fresh user in the finance group with `is_staff` as the
role sets it. `make_staff()` is the all-round back-office user the older tests act as: an
operator who is also in finance (every staff ability of the job and vendor pages).
"""

from __future__ import annotations

import itertools
from typing import Any

from django.contrib.auth import get_user_model

from core.permissions import assign_role

_counter = itertools.count(1)


def make_role_user(*roles: str, username: str | None = None, **fields: Any):
    User = get_user_model()
    n = next(_counter)
    name = username or f"{'-'.join(roles) or 'user'}-{n}"
    user = User.objects.create_user(username=name, email=f"{name}@example.com", password="secret-pass-123", **fields)
    for key in roles:
        assign_role(user, key)
    return user


def make_staff(**fields: Any):
    """Operator and finance at once: what "staff" meant before roles were named."""
    return make_role_user("operator", "finance", **fields)
