"""The search API's query parameters, validated before anything reaches a backend: a bad
or extreme value (a number beyond the price column, a page past the last one the API
serves, an unknown kind, an id beyond the id columns) is a 400 `{code, detail}`, never a
database error. `ordering`, `page_size` and a page past the end are read as every list of
the API reads them (core.api): see search.api."""

from __future__ import annotations

from django.http import QueryDict
from django.utils.translation import gettext as _
from rest_framework import serializers

from core.errors import DomainError
from search.service import KINDS, MAX_ID, MAX_PAGE, MAX_QUERY_LENGTH

MAX_VENDORS = 50
LANGUAGES = ("fa", "en")


class InvalidSearchParameters(DomainError):
    code = "invalid_parameters"
    status_code = 400

    @classmethod
    def beyond(cls, most: int) -> InvalidSearchParameters:
        return cls(_("page: the search lists its first %(most)s results; ask for an earlier page or a smaller "
                     "page_size.") % {"most": most})

    @staticmethod
    def one_ordering_message() -> str:
        return _("The search orders by one field at a time.")


class SuggestParamsSerializer(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=MAX_QUERY_LENGTH,
                              help_text="The words typed so far (suggestions from two letters)")
    lang = serializers.ChoiceField(LANGUAGES, required=False, allow_blank=True)


class SearchParamsSerializer(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=MAX_QUERY_LENGTH,
                              help_text="The words to search for")
    type = serializers.ChoiceField(KINDS, required=False, allow_blank=True,
                                   help_text="Which kind of result to list (default: goods, with the best "
                                             "services and help)")
    category = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID,
                                        help_text="Goods category id (its sub-categories included)")
    vendor = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=MAX_ID), required=False,
                                   max_length=MAX_VENDORS, help_text="Vendor id (repeat for several)")
    # The price column: 12 digits, 2 of them decimals.
    price_min = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0, required=False,
                                         help_text="Lower bound, included")
    price_max = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0, required=False,
                                         help_text="Upper bound, not included")
    in_stock = serializers.BooleanField(required=False, help_text="Only goods in stock")
    installation = serializers.BooleanField(required=False, help_text="Only goods with installation")
    rating = serializers.IntegerField(required=False, min_value=1, max_value=5, help_text="At least this many stars")
    page = serializers.IntegerField(required=False, min_value=1, max_value=MAX_PAGE,
                                    help_text="A page number within the paginated result set.")
    lang = serializers.ChoiceField(LANGUAGES, required=False, allow_blank=True)


def _refuse(errors: dict) -> InvalidSearchParameters:
    detail = "; ".join(f"{name}: {' '.join(str(m) for m in _messages(messages))}"
                       for name, messages in errors.items())
    return InvalidSearchParameters(detail)


def _messages(messages) -> list:
    if isinstance(messages, dict):  # a list field's errors, by position
        return [m for value in messages.values() for m in _messages(value)]
    if isinstance(messages, list):
        return [m for value in messages for m in _messages(value)]
    return [messages]


def validated(serializer_class, params) -> QueryDict:
    """The query parameters, checked, as a QueryDict of their plain spellings (what
    service.request_from reads); InvalidSearchParameters when one is not acceptable."""
    serializer = serializer_class(data=params)
    if not serializer.is_valid():
        raise _refuse(serializer.errors)
    clean = QueryDict(mutable=True)
    for name, value in serializer.validated_data.items():
        if value is None or value == "" or value is False:
            continue
        if isinstance(value, list):
            clean.setlist(name, [str(v) for v in value])
        else:
            clean[name] = "true" if value is True else str(value)
    return clean
