"""Walk the URL configuration: every pattern with its full name and a concrete path.

Used by the permission matrix: a pattern's path is built with ids that match nothing
(999999, "missing"), because every access check runs before the object is looked up, so
a role that may open the page gets a 404 and one that may not gets a 403 (or the login
page when signed out)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

MISSING_INT = "999999"
MISSING_TEXT = "missing-zz"


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    route: str  # the pattern text, for messages
    path: str  # a concrete path with ids that match nothing


def _kwargs_for(names: list[str]) -> dict[str, str]:
    kwargs = {}
    for name in names:
        if name in ("pk", "id", "parent", "partner_pk", "user_pk", "change_id") or name.endswith(("_pk", "_id")):
            kwargs[name] = MISSING_INT
        else:
            kwargs[name] = MISSING_TEXT
    return kwargs


def _group_names(pattern: URLPattern | URLResolver) -> list[str]:
    regex = pattern.pattern.regex
    return list(regex.groupindex)


def iter_routes(language: str = "fa") -> Iterator[Route]:
    """Every named pattern of the project (format-suffix variants left out)."""

    def walk(patterns, prefix: str, namespace: str, kwarg_names: list[str]):
        for pattern in patterns:
            names = kwarg_names + _group_names(pattern)
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner, names)
            elif pattern.name:
                if "format" in names:
                    continue
                full = f"{namespace}:{pattern.name}" if namespace else pattern.name
                yield full, prefix + str(pattern.pattern), names

    seen: set[tuple[str, str]] = set()
    with translation.override(language):
        for full, route, names in walk(get_resolver().url_patterns, "", "", []):
            try:
                path = reverse(full, kwargs=_kwargs_for(names)) if names else reverse(full)
            except Exception:  # noqa: BLE001 - a name reused with other arguments: skip this variant
                continue
            if (full, path) in seen:
                continue
            seen.add((full, path))
            yield Route(name=full, route=route, path=path)
