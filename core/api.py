"""API plumbing shared by every app: errors carry a stable code and a readable message."""

from __future__ import annotations

from django.db import transaction
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


def _handle(exc, context):
    if isinstance(exc, DomainError):
        # An expected refusal: nothing the request wrote may be committed with it.
        set_rollback()
        return Response({"code": exc.code, "detail": str(exc.message)}, status=exc.status_code)
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, dict):
        detail = response.data.get("detail")
        code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
        if "code" not in response.data:
            response.data["code"] = code if detail is not None else "invalid"
    return response


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
