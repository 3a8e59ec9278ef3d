"""API plumbing shared by every app (the conventions, docs/api.md):

- every error answer is `{code, detail, fields}`: a stable code, a message a person can
  act on in the request's language, and the per-field messages of a validation error;
- one pagination style (`page`, `page_size` up to a maximum) and one `ordering` parameter
  for lists that declare `ordering_fields`.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.filters import OrderingFilter
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from core.errors import DomainError
from core.read_requests import READ_METHODS


def _outer_rollback_flag(context) -> bool | None:
    """For a view that runs outside the request transaction (`non_atomic_requests`: the
    ones that call Stripe; and every GET and HEAD, core.read_requests), an atomic block
    still open is not the request's own (it is a caller's, or the test runner's): its
    rollback flag must survive our error answer.
    Returns the flag to restore, or None when the view owns the transaction."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    reads_outside = getattr(request, "method", None) in READ_METHODS  # core.read_requests
    if not reads_outside and not getattr(getattr(match, "func", None), "_non_atomic_requests", None):
        return None
    if not transaction.get_connection().in_atomic_block:
        return None
    return transaction.get_rollback()


def exception_handler(exc, context):
    outer_flag = _outer_rollback_flag(context)
    try:
        return _handle(exc, context)
    finally:
        if outer_flag is not None:
            transaction.set_rollback(outer_flag)


def error_body(code: str, detail: str, fields: dict[str, Any] | None = None) -> dict[str, Any]:
    """The one shape of every API error answer (the schema's `Error` component)."""
    return {"code": code, "detail": str(detail), "fields": fields or {}}


def _first_message(errors: Any) -> str | None:
    """The first message of a (possibly nested) DRF error structure."""
    if isinstance(errors, dict):
        for value in errors.values():
            message = _first_message(value)
            if message:
                return message
        return None
    if isinstance(errors, list):
        for value in errors:
            message = _first_message(value)
            if message:
                return message
        return None
    return str(errors) if errors is not None else None


def _validation_body(exc: exceptions.ValidationError) -> dict[str, Any]:
    errors = exc.detail
    fields = errors if isinstance(errors, dict) else ({"non_field_errors": errors} if errors else {})
    first = _first_message(fields)
    if isinstance(errors, dict) and set(errors) == {"non_field_errors"} and first:
        detail = first
    elif first:
        detail = _("Some of what you sent is not valid; see each field's message. First: %(message)s") % {
            "message": first}
    else:
        detail = _("What you sent is not valid.")
    return error_body("invalid", detail, fields)


def _handle(exc, context):
    if isinstance(exc, DomainError):
        # An expected refusal: nothing the request wrote may be committed with it.
        set_rollback()
        return Response(error_body(exc.code, exc.message), status=exc.status_code)
    if isinstance(exc, Http404):
        # Django's message names the model in English ("No Ticket matches the given
        # query."): the API says "not found" in the request's language.
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = _validation_body(exc)
    elif isinstance(exc, exceptions.APIException):
        detail = exc.detail
        code = getattr(detail, "code", None) or exc.default_code
        if isinstance(detail, (dict, list)):
            response.data = error_body(code, _first_message(detail) or exc.default_detail, detail_fields(detail))
        else:
            response.data = error_body(code, detail)
    elif isinstance(response.data, dict) and "detail" in response.data:  # Http404, PermissionDenied
        detail = response.data["detail"]
        response.data = error_body(getattr(detail, "code", None) or "error", detail)
    return response


def detail_fields(detail: Any) -> dict[str, Any]:
    return detail if isinstance(detail, dict) else {}


class StandardPagination(PageNumberPagination):
    """Every list: `?page=` and `?page_size=` (at most `max_page_size`); answers
    `{count, next, previous, results}`. A page past the end is a 404 (`not_found`)."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


class DeclaredOrderingFilter(OrderingFilter):
    """`?ordering=field` (`-field` descending, comma-separated), only on views that name
    their `ordering_fields`: a list never orders by a field nobody chose to expose."""

    def _declared(self, view) -> bool:
        return bool(getattr(view, "ordering_fields", None))

    def filter_queryset(self, request, queryset, view):
        return super().filter_queryset(request, queryset, view) if self._declared(view) else queryset

    def get_schema_operation_parameters(self, view):
        if not self._declared(view):
            return []
        parameters = super().get_schema_operation_parameters(view)
        declared = view.ordering_fields
        names = [name if isinstance(name, str) else name[0] for name in declared] if declared != "__all__" else []
        allowed = ", ".join(f"`{name}`" for name in names) or "the listed fields"
        for parameter in parameters:
            parameter["description"] = f"Order by one of {allowed}; prefix `-` for descending."
        return parameters


# Wagtail's API routes described in the schema (cms.api describes them by hand); its
# images and documents endpoints and the redirecting `find` route are not.
DESCRIBED_CMS_ROUTES = ("/api/v1/cms/pages/", "/api/v1/cms/pages/{pk}/", "/api/v1/cms/pages/slug/{slug}/")


def schema_endpoints(endpoints):
    """drf-spectacular preprocessing hook: document our API only.

    Of Wagtail's page API (/api/v1/cms/) only the routes cms.api describes; Wagtail
    admin's internal API is not ours.
    """
    return [
        endpoint
        for endpoint in endpoints
        if endpoint[0].startswith("/api/v1/")
        and (not endpoint[0].startswith("/api/v1/cms/") or endpoint[0] in DESCRIBED_CMS_ROUTES)
    ]
