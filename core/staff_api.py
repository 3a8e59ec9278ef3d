"""Plumbing shared by the staff API endpoints of every app (/api/v1/staff/…): each action
is a small APIView whose permission is one named ability (core.permissions), whose body is
validated by a serializer, and whose work is one service call; typed domain errors become
`{"code", "detail"}` 4xx answers (core.api)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse

from core.openapi import ErrorSerializer

ERROR = ErrorSerializer  # the one `Error` component of every API error answer


def error_responses(*codes: int) -> dict[int, OpenApiResponse]:
    """The documented refusals of a staff action: 400 bad input, 401 signed out, 403 the
    ability is missing, 404 no such object, 409 the object's state forbids it."""
    text = {
        400: "The input is not valid.",
        401: "Sign in first.",
        403: "Your role does not include this action.",
        404: "No such object.",
        409: "The object's state does not allow this action now.",
    }
    return {code: OpenApiResponse(ERROR, description=text[code]) for code in codes}
