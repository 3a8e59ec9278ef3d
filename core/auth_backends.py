"""Permission checks answered from one query per request (issue 16).

Listed first in AUTHENTICATION_BACKENDS, before Oscar's and Django's backends. Django's
own backend reads a user's permissions in two queries, built anew by the ORM on every
request; `core.work_areas.load_permissions` reads the same set in one query compiled once
per process and leaves it where Django's backend looks for it (`_perm_cache`), so the
backends after this one answer from it too. Nothing is kept beyond the request.

It signs no one in and loads no user (no `get_user`), so sessions keep naming the backend
that signed their user in, and Django's test client never picks this one.
"""

from __future__ import annotations

from typing import Any

from core.work_areas import load_permissions


class PermissionsInOneQuery:
    def authenticate(self, request: Any, **credentials: Any) -> None:
        return None

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        load_permissions(user_obj)
        # A superuser has every permission: Django's backend answers for them.
        return getattr(user_obj, "_perm_cache", set())

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return user_obj.is_active and perm in self.get_all_permissions(user_obj, obj)
