"""API plumbing shared by every app (the conventions, docs/api.md):

- every error answer is `{code, detail, fields}`: a stable code, a message a person can
  act on in the request's language, and the per-field messages of a validation error;
- one pagination style (`page`, `page_size` up to a maximum) and one `ordering` parameter
  for lists that declare `ordering_fields`.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import InvalidPage
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, serializers
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
        response = _handle(exc, context)
        if response is not None and isinstance(exc, exceptions.AuthenticationFailed):
            _challenge_refused_credentials(response, context)
        return response
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


def _challenge_refused_credentials(response: Response, context) -> None:
    """A token that was sent and refused (revoked, expired, mistyped) is 401 with a
    `WWW-Authenticate` challenge of the scheme the client used ("Bearer", "Token", "Basic"),
    so an app knows to sign in again rather than show "not allowed".

    DRF itself answers 401 only when the view's *first* authenticator names a scheme; ours
    is the session (none), so every refusal would be 403. Answering 401 to every request
    would also turn the anonymous "sign in first" (NotAuthenticated, no credentials sent)
    into 401, which a browser meets as a Basic password prompt: that one stays 403."""
    request = context.get("request")
    view = context.get("view")
    if request is None or view is None:
        return
    sent = request.META.get("HTTP_AUTHORIZATION", "").split()
    if not sent:
        return
    for authenticator in view.get_authenticators():
        challenge = authenticator.authenticate_header(request)
        if challenge and challenge.split()[0].lower() == sent[0].lower():
            response.status_code = 401
            response["WWW-Authenticate"] = challenge
            return


class MoneySerializer(serializers.Serializer):
    """Money in every answer (the component `Money`): a decimal string, never a float, with
    its ISO 4217 currency beside it."""

    amount = serializers.DecimalField(max_digits=None, decimal_places=2, coerce_to_string=True,
                                      help_text='A decimal string, e.g. "1250000.00"; never a float.')
    currency = serializers.CharField(help_text="ISO 4217 code, e.g. IRR or EUR.")

    class Meta:
        ref_name = "Money"


def detail_fields(detail: Any) -> dict[str, Any]:
    return detail if isinstance(detail, dict) else {}


class StandardPagination(PageNumberPagination):
    """Every list: `?page=` and `?page_size=` (at most `max_page_size`); answers
    `{count, next, previous, results}`. A page past the end is a 404 (`not_found`)."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def paginate_total(self, request, number: int, total: int, page_size: int) -> None:
        """For a list that is not a queryset (the search backends read one page themselves):
        check page `number` of `total` rows as `paginate_queryset` does (a page past the end
        is a 404 `not_found`), so that `get_paginated_response` and the next/previous links
        work as for any other list."""
        self.request = request
        paginator = self.django_paginator_class(range(total), page_size)
        try:
            self.page = paginator.page(number)
        except InvalidPage as exc:
            raise exceptions.NotFound(self.invalid_page_message.format(page_number=number, message=str(exc))) from exc


def _standard_page_properties() -> dict[str, Any]:
    return StandardPagination().get_paginated_response_schema({"type": "array", "items": {}})["properties"]


@extend_schema_field(_standard_page_properties()["count"])
class PageCountField(serializers.IntegerField):
    """`count` of a paginated answer, documented as every list's."""


@extend_schema_field(_standard_page_properties()["next"])
class NextPageField(serializers.URLField):
    """`next` of a paginated answer (an absolute address, other parameters kept; null on the last page)."""


@extend_schema_field(_standard_page_properties()["previous"])
class PreviousPageField(serializers.URLField):
    """`previous` of a paginated answer (null on the first page)."""


class PageSerializer(serializers.Serializer):
    """The standard list answer's keys, for a list answer written by hand (one that also
    carries keys of its own beside them, e.g. the search's facets): subclasses add
    `results` and their own keys; name the component `Paginated<Thing>List`."""

    count = PageCountField()
    next = NextPageField(allow_null=True)
    previous = PreviousPageField(allow_null=True)


def ordering_terms(raw: str | None, allowed: list[str] | tuple[str, ...]) -> list[str]:
    """The terms of an `?ordering=` value (comma-separated, `-` for descending), each one
    of `allowed`; a 400 `invalid` naming the `ordering` field otherwise. None or "" is no
    ordering asked (the list's default)."""
    if not raw:
        return []
    terms = [term.strip() for term in raw.split(",")]
    unknown = [term for term in terms if (term[1:] if term.startswith("-") else term) not in allowed]
    if unknown:
        message = _("Cannot order by %(term)s. Order by one of %(allowed)s; put - in front for descending.") % {
            "term": repr(unknown[0]) if unknown[0] else _("an empty name"), "allowed": ", ".join(allowed)}
        raise exceptions.ValidationError({"ordering": [message]})
    return terms


class DeclaredOrderingFilter(OrderingFilter):
    """`?ordering=field` (`-field` descending, comma-separated), only on views that name
    their `ordering_fields`: a list never orders by a field nobody chose to expose. A field
    not declared is a 400 (`invalid`, `fields.ordering`), never silently ignored; the view's
    `ordering` is the default, and the primary key always breaks ties (stable pages)."""

    def _declared(self, view) -> bool:
        return bool(getattr(view, "ordering_fields", None))

    def get_ordering(self, request, queryset, view):
        allowed = [name for name, _label in self.get_valid_fields(queryset, view, {"request": request})]
        terms = ordering_terms(request.query_params.get(self.ordering_param), allowed)
        return terms or self.get_default_ordering(view)

    def filter_queryset(self, request, queryset, view):
        # Lists only: a detail route or an action finds its object whatever `?ordering=` says.
        if not self._declared(view) or getattr(view, "action", None) not in (None, "list"):
            return queryset
        ordering = list(self.get_ordering(request, queryset, view) or ())
        if not ordering:
            return queryset
        if not {term.lstrip("-") for term in ordering} & {"pk", "id"}:
            ordering.append("-pk" if ordering[0].startswith("-") else "pk")
        return queryset.order_by(*ordering)

    def get_schema_operation_parameters(self, view):
        if not self._declared(view):
            return []
        parameters = super().get_schema_operation_parameters(view)
        declared = view.ordering_fields
        names = [name if isinstance(name, str) else name[0] for name in declared] if declared != "__all__" else []
        default = getattr(view, "ordering", None)
        for parameter in parameters:
            parameter["description"] = ordering_description(names, [default] if isinstance(default, str)
                                                            else list(default or ()))
        return parameters


def ordering_description(names: list[str] | tuple[str, ...], default: list[str] | str, *,
                         several: bool = True) -> str:
    """The schema's description of an `ordering` parameter (every list says the same)."""
    allowed = ", ".join(f"`{name}`" for name in names) or "the listed fields"
    if not isinstance(default, str):  # field names; a string is already a sentence
        default = f"`{','.join(default)}`" if default else ""
    return (f"Order by one of {allowed}; prefix `-` for descending"
            + ("; separate several with commas. " if several else " (one field). ")
            + (f"Default: {default}. " if default else "")
            + "Any other field is a 400 (`invalid`, the message in `fields.ordering`).")


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
