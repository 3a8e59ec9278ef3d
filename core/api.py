"""API plumbing shared by every app: errors carry a stable code and a readable message."""

from __future__ import annotations

from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import DomainError


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        from rest_framework.response import Response

        return Response({"code": exc.code, "detail": str(exc.message)}, status=exc.status_code)
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, dict):
        detail = response.data.get("detail")
        code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
        if "code" not in response.data:
            response.data["code"] = code if detail is not None else "invalid"
    return response


def schema_endpoints(endpoints):
    """drf-spectacular preprocessing hook: document our API only.

    Wagtail's page API (/api/v1/cms/) and Wagtail admin's internal API are not built on
    DRF's schema machinery; the CMS API is described in the schema's description.
    """
    return [
        endpoint
        for endpoint in endpoints
        if endpoint[0].startswith("/api/v1/") and not endpoint[0].startswith("/api/v1/cms/")
    ]
