"""The API's OpenAPI schema: every operation documents the error answers it really can give.

`ChaarsooAutoSchema` (settings.REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]) adds, to what each
view declares, the refusals that come from the machinery every endpoint shares, derived
from the view itself, so an endpoint written tomorrow is documented without doing anything:

- 400 on every operation (a NUL character in the address is refused at the door; bodies
  and parameters are validated), 413 and 415 where a body is accepted;
- 401 and/or 403 from the view's authentication and permission classes: a token sent and
  refused is 401 with its scheme's `WWW-Authenticate` (core.api); "not signed in" is 401
  only when the first authenticator names a scheme, 403 otherwise (DRF);
- 404 on routes with path parameters, on paginated lists (a page past the end) and on
  writes (the body may name an object that does not exist);
- 409 and 422 on every POST (`Idempotency-Key`, core.idempotency), and on every write the
  statuses of the typed errors (`<app>/errors.py`) of the view's app, with their codes;
- 429 where the view is throttled, 503 everywhere (the database is unreachable).

Every error answer is one component, `Error` ({code, detail, fields}); each documented
status lists the `code` values it can carry. What a view declares itself (with
`extend_schema(responses=…)`) is kept; only missing statuses are added.
"""

from __future__ import annotations

import importlib
import re
from collections import defaultdict
from functools import lru_cache
from http import HTTPStatus
from typing import Any

from django.apps import apps
from django.conf import settings
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import AllowAny, IsAuthenticatedOrReadOnly

from core.errors import DomainError

IDEMPOTENCY_HEADER = "Idempotency-Key"
REPLAY_HEADER = "Idempotent-Replayed"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


class ErrorSerializer(serializers.Serializer):
    """Every error answer of the API (the component `Error`)."""

    code = serializers.CharField(help_text="Stable, machine-readable reason, e.g. `not_found`, `throttled`.")
    detail = serializers.CharField(help_text="A message a person can act on, in the request's language.")
    # A declared field named "fields" is moved into _declared_fields by DRF's metaclass, so
    # it does not shadow Serializer.fields.
    fields = serializers.DictField(  # type: ignore[assignment]
        child=serializers.JSONField(),
        help_text="Per-field validation messages (field name -> list of messages, nested for "
                  "nested objects); empty unless code is `invalid`.",
    )

    class Meta:
        ref_name = "Error"


# The codes the shared machinery answers with, per status (domain errors are added per app).
BASE_CODES: dict[int, tuple[str, ...]] = {
    400: ("invalid", "parse_error", "invalid_characters", "invalid_length"),
    401: ("not_authenticated", "authentication_failed"),
    403: ("not_authenticated", "authentication_failed", "permission_denied"),
    404: ("not_found",),
    409: (),
    413: ("too_large",),
    415: ("unsupported_media_type",),
    422: ("idempotency_key_reused",),
    429: ("throttled",),
    503: ("unavailable",),
}
POST_CODES: dict[int, tuple[str, ...]] = {
    400: ("invalid_idempotency_key",),
    409: ("idempotency_key_in_progress",),
    422: ("idempotency_key_reused",),
}
STATUS_TEXT: dict[int, str] = {
    400: "The request is not valid: see `fields` for each field's messages.",
    401: "Not signed in, or the token is not valid.",
    403: "Not allowed: not signed in, or your account may not do this.",
    404: "No such object (or not one of yours), or a page past the end of a list.",
    409: "The object's state does not allow this now, or the same Idempotency-Key is still being processed.",
    413: "The request body is too large.",
    415: "The body's Content-Type is not accepted here.",
    422: "This Idempotency-Key was already used with a different request body.",
    429: "Too many requests: wait the seconds in Retry-After.",
    502: "A service we depend on (e.g. the card processor) did not answer: try again shortly.",
    503: "The service is briefly unavailable: retry after the seconds in Retry-After.",
}
RETRY_AFTER = {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait before retrying."}}


def _app_of(module_name: str) -> str:
    return module_name.split(".", 1)[0]


@lru_cache(maxsize=1)
def domain_error_codes() -> dict[str, dict[int, tuple[str, ...]]]:
    """app package -> status -> the codes of the typed errors in `<app>/errors.py`."""
    for config in apps.get_app_configs():
        if config.path.startswith(str(settings.BASE_DIR)):
            try:
                importlib.import_module(f"{config.name}.errors")
            except ModuleNotFoundError as missing:
                if missing.name != f"{config.name}.errors":
                    raise
    found: dict[str, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    pending = list(DomainError.__subclasses__())
    while pending:
        error = pending.pop()
        pending.extend(error.__subclasses__())
        found[_app_of(error.__module__)][error.status_code].add(error.code)
    return {app: {status: tuple(sorted(codes)) for status, codes in by_status.items()}
            for app, by_status in found.items()}


class ChaarsooAutoSchema(AutoSchema):
    # ------------------------------------------------------------ parameters
    def get_override_parameters(self) -> list[Any]:
        parameters = list(super().get_override_parameters())
        if self.method == "POST" and not getattr(self.view, "idempotency_exempt", False):
            parameters.append(OpenApiParameter(
                IDEMPOTENCY_HEADER, OpenApiTypes.STR, OpenApiParameter.HEADER, required=False,
                description=(
                    "Any unique string (at most 255 printable ASCII characters, a UUID is fine). "
                    "Sending the same request again with the same key returns the first answer "
                    f"(with `{REPLAY_HEADER}: true`) instead of doing it twice; keys are kept 24 hours."
                ),
            ))
        return parameters

    # ------------------------------------------------------------ responses
    def _get_response_bodies(self, direction: str = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for status, codes in self.error_statuses().items():
            key = str(status)
            if key not in responses:
                described = OpenApiResponse(ErrorSerializer, description=self._describe(status, codes))
                responses[key] = self._get_response_for_code(described, key, direction=direction)
            elif codes and "Codes: " not in responses[key].get("description", ""):
                # The view described this refusal itself: add the codes it can carry.
                listed = ", ".join(f"`{code}`" for code in codes)
                responses[key]["description"] = f"{responses[key].get('description', '').rstrip()} Codes: {listed}."
            if status in (429, 503):
                responses[key].setdefault("headers", {}).update(RETRY_AFTER)
        domain = self._domain_codes()
        for key, response in responses.items():
            status = int(key) if key.isdigit() else 0
            # A refusal the view declared itself, even on a read (e.g. checkout's 409 for an
            # empty basket): the codes the shared machinery and the view's app can give it.
            codes = tuple(sorted({*BASE_CODES.get(status, ()), *domain.get(status, ())})) if status >= 400 else ()
            if codes and "Codes: " not in response.get("description", ""):
                listed = ", ".join(f"`{code}`" for code in codes)
                response["description"] = f"{response.get('description', '').rstrip()} Codes: {listed}."
        if self.method == "POST" and not getattr(self.view, "idempotency_exempt", False):
            for key, response in responses.items():
                if key.startswith("2"):
                    response.setdefault("headers", {})[REPLAY_HEADER] = {
                        "schema": {"type": "boolean"},
                        "description": "Present (true) when this is the stored answer to an earlier "
                                       "request with the same Idempotency-Key.",
                    }
        return dict(sorted(responses.items()))

    @staticmethod
    def _describe(status: int, codes: tuple[str, ...]) -> str:
        listed = ", ".join(f"`{code}`" for code in codes)
        text = STATUS_TEXT.get(status) or f"{HTTPStatus(status).phrase}."
        return f"{text} Codes: {listed}." if codes else text

    def error_statuses(self) -> dict[int, tuple[str, ...]]:
        """Status -> the `code` values an answer with that status can carry."""
        statuses: dict[int, set[str]] = defaultdict(set)

        def add(status: int, *codes: str) -> None:
            statuses[status].update(BASE_CODES.get(status, ()))
            statuses[status].update(codes)

        add(400)
        add(503)
        if self.method in BODY_METHODS:
            add(413)
            add(415)
        if self.method == "POST" and not getattr(self.view, "idempotency_exempt", False):
            for status, codes in POST_CODES.items():
                add(status, *codes)
        self._add_auth_statuses(add)
        # A write may name other objects in its body (a gift, an address) that do not exist.
        paginated = self.method == "GET" and self._is_list_view() and self._get_paginator()
        if "{" in self.path or paginated or self.method not in SAFE_METHODS:
            add(404)
        if self.view.get_throttles():
            add(429)
        if self.method not in SAFE_METHODS:
            for status, codes in self._domain_codes().items():
                add(status, *codes)
        return {status: tuple(sorted(codes)) for status, codes in sorted(statuses.items())}

    def _domain_codes(self) -> dict[int, tuple[str, ...]]:
        merged: dict[int, set[str]] = defaultdict(set)
        for app in {"core", _app_of(type(self.view).__module__)}:
            for status, codes in domain_error_codes().get(app, {}).items():
                merged[status].update(codes)
        return {status: tuple(codes) for status, codes in merged.items()}

    def _add_auth_statuses(self, add) -> None:
        authenticators = self.view.get_authenticators()
        permissions = self.view.get_permissions()
        open_to_all = all(
            isinstance(permission, AllowAny)
            or (isinstance(permission, IsAuthenticatedOrReadOnly) and self.method in SAFE_METHODS)
            for permission in permissions
        )
        challenge = bool(authenticators) and _challenges(authenticators[0])
        if authenticators:
            # A bad token is refused whatever the permissions: 401 with a challenge, else 403.
            add(401 if challenge else 403)
        if any(_challenges(authenticator) for authenticator in authenticators):
            # A token of a scheme that names itself (Bearer, Token, Basic), sent and refused:
            # 401 with its challenge, even behind a session authenticator (core.api).
            add(401, "authentication_failed")
        if not open_to_all:
            add(403, "not_allowed")
            if challenge:
                add(401)
        if self.method not in SAFE_METHODS and any(isinstance(a, SessionAuthentication) for a in authenticators):
            add(403)  # a session request without its CSRF token


def _challenges(authenticator: Any) -> bool:
    """Whether DRF answers this authenticator's refusals 401 (it names a scheme) or 403."""
    try:
        return bool(authenticator.authenticate_header(None))
    except Exception:  # an authenticator that reads the request: it names a scheme
        return True


# ---------------------------------------------------------------- hooks
API_DESCRIPTION = """\
The API of the Chaarsoo marketplace (versioned under `/api/v1/`). Everything a shopper,
customer, vendor and provider does on the site can be done here. Conventions (docs/api.md):

**Authentication.** Apps sign in with `POST /api/v1/auth/sign-in/` and send the device
token as `Authorization: Bearer <token>` (revocable, expiring, listed under
`/api/v1/auth/devices/`); `Authorization: Token <key>` is the API key of staff
integrations; the site's session cookie (with its CSRF token on writes) is for the browser.
A token that is sent and refused (signed out, revoked, expired) is answered 401 with
`WWW-Authenticate: Bearer`: sign in again. A request without credentials to something that
needs them is 403 `not_authenticated`.

**Errors.** Every error answer is `{"code", "detail", "fields"}`: `code` is stable and
machine-readable, `detail` is a message a person can act on (in the request's language),
`fields` holds each invalid field's messages (empty unless `code` is `invalid`). Each
operation lists the statuses it can answer and, per status, the codes.

**Idempotency.** Every POST accepts an `Idempotency-Key` header. The first answer (status
and body) is kept 24 hours per account (or anonymous client), key, method and path; sending
it again returns that answer with `Idempotent-Replayed: true`. The same key with another
body is refused 422 (`idempotency_key_reused`); while the first request is still running,
409 (`idempotency_key_in_progress`).

**Rate limits.** 429 (`throttled`) with `Retry-After` (seconds).

**Pagination.** Lists take `page` and `page_size` (at most 100) and answer
`{"count", "next", "previous", "results"}` (a page past the end is 404 `not_found`); lists
that can be ordered take `ordering` (the field names their parameter lists, `-` before one
for descending); any other field is 400 `invalid`. The search (`/api/v1/search/`) answers
the same way, with its facets and counts per kind beside `results`.

**Languages.** `Accept-Language: fa` (default) or `en` picks the language of messages and
names. **Money** is a decimal string with its currency beside it (`"price": "12.50"`,
`"currency": "EUR"`); dates and times are ISO 8601 (the client formats Jalali dates).

CMS pages are served by Wagtail's API v2 at `/api/v1/cms/pages/`
(`?type=cms.HelpArticlePage&fields=*`, `?locale=en`).
"""


def describe_api(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: the API's conventions as its description."""
    result.setdefault("info", {})["description"] = API_DESCRIPTION
    return result


_CODE_LIST = re.compile(r"Codes: (.*)\.$")


def documented_codes(description: str) -> tuple[str, ...]:
    """The `code` values listed in one of our error responses' description (for tests)."""
    match = _CODE_LIST.search(description or "")
    return tuple(code.strip("` ") for code in match.group(1).split(",")) if match else ()
