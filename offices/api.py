"""`/api/v1/offices/…`: the office console's API for clerks: the errands filed at or
routed to their office (the inbox filter), and every step of the performing and the
originating office. Refusals are `{code, detail}` (core.api's exception handler)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from core.api import DeclaredOrderingFilter
from core.permissions import Ability, api_permission
from offices import selectors, services
from offices.models import CounterPayment, Errand, ErrandEvent


class ErrandEventSerializer(serializers.ModelSerializer):
    office = serializers.CharField(source="office.name", default=None)
    actor = serializers.CharField(source="actor.username", default=None)

    class Meta:
        model = ErrandEvent
        fields = ["action", "from_status", "to_status", "office", "actor", "note", "created"]


class ErrandSerializer(serializers.ModelSerializer):
    number = serializers.CharField(source="job.number")
    service = serializers.CharField(source="job.service.name")
    job_status = serializers.CharField(source="job.status")
    origin = serializers.CharField(source="origin.name")
    performer = serializers.CharField(source="performer.name", default=None)
    destination_county = serializers.CharField(source="destination_county.code")
    late = serializers.SerializerMethodField()

    class Meta:
        model = Errand
        fields = ["number", "service", "status", "job_status", "origin", "performer", "destination_county",
                  "destination_address", "originals", "tracking_number", "hop_due_at", "late", "result_reference",
                  "result_note", "outcome_negative", "created"]

    def get_late(self, errand: Errand) -> bool:
        return selectors.is_late(errand)


class CounterPaymentSerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=CounterPayment.Method.choices, default=CounterPayment.Method.CASH)
    reference = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")


class RefundBackSerializer(serializers.Serializer):
    reference = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")


class ErrandDetailSerializer(ErrandSerializer):
    events = serializers.SerializerMethodField()

    class Meta(ErrandSerializer.Meta):
        fields = [*ErrandSerializer.Meta.fields, "events"]

    @extend_schema_field(ErrandEventSerializer(many=True))
    def get_events(self, errand: Errand) -> list[dict[str, Any]]:
        return ErrandEventSerializer(selectors.timeline(errand, for_customer=False), many=True).data


class DeclineReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


class ErrandNoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ErrandResultSerializer(serializers.Serializer):
    reference = serializers.CharField(required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")
    file = serializers.FileField(required=False)
    negative = serializers.BooleanField(required=False, default=False)


class OfficeErrandViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Errands filed at or routed to the signed-in clerk's office."""

    permission_classes = [api_permission(Ability.FILE_OFFICE_ERRANDS)]
    lookup_field = "job__number"
    lookup_url_kwarg = "number"
    lookup_value_regex = r"[^/]+"
    filter_backends = [DeclaredOrderingFilter]
    ordering_fields = ["created", "hop_due_at"]  # ?ordering= (docs/api.md)
    ordering = ["-created"]
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    def get_queryset(self) -> QuerySet[Errand]:
        office = services.clerk_office(self.request.user)
        if office is None:
            return Errand.objects.none()
        return selectors.office_errands(office)

    def get_serializer_class(self):
        return ErrandSerializer if self.action == "list" else ErrandDetailSerializer

    @extend_schema(parameters=[OpenApiParameter("box", str, enum=["inbox", "filed"],
                                                description="inbox: open work of this office; filed: filed here")])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def filter_queryset(self, queryset: QuerySet[Errand]) -> QuerySet[Errand]:
        office = services.clerk_office(self.request.user)
        box = self.request.query_params.get("box")
        if self.action == "list" and office is not None:
            if box == "inbox":
                queryset = queryset.filter(performer=office, status__in=Errand.PERFORMING_STATUSES)
            elif box == "filed":
                queryset = queryset.filter(origin=office)
        return super().filter_queryset(queryset)

    def _detail(self, errand: Errand) -> Response:
        errand = selectors.errands().get(pk=errand.pk)
        return Response(ErrandDetailSerializer(errand, context=self.get_serializer_context()).data)

    @extend_schema(request=None, responses={200: ErrandDetailSerializer})
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, number: str | None = None) -> Response:
        """The performing office takes the errand on."""
        return self._detail(services.errand_accept(user=request.user, errand=self.get_object()))

    @extend_schema(request=DeclineReasonSerializer, responses={200: ErrandDetailSerializer})
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, number: str | None = None) -> Response:
        """Decline with a reason: the errand is routed to the next office."""
        serializer = DeclineReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        errand = services.errand_decline(user=request.user, errand=self.get_object(),
                                         reason=serializer.validated_data["reason"])
        return self._detail(errand)

    @extend_schema(request=ErrandNoteSerializer, responses={200: ErrandDetailSerializer})
    @action(detail=True, methods=["post"])
    def progress(self, request: Request, number: str | None = None) -> Response:
        serializer = ErrandNoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._detail(services.errand_progress(user=request.user, errand=self.get_object(),
                                                     note=serializer.validated_data["note"]))

    @extend_schema(request=None, responses={200: ErrandDetailSerializer})
    @action(detail=True, methods=["post"], url_path="originals-received")
    def originals_received(self, request: Request, number: str | None = None) -> Response:
        return self._detail(services.errand_originals(user=request.user, errand=self.get_object()))

    @extend_schema(request=None, responses={200: ErrandDetailSerializer})
    @action(detail=True, methods=["post"], url_path="originals-returned")
    def originals_returned(self, request: Request, number: str | None = None) -> Response:
        return self._detail(services.errand_originals(user=request.user, errand=self.get_object(), returned=True))

    @extend_schema(request=ErrandResultSerializer, responses={200: ErrandDetailSerializer})
    @action(detail=True, methods=["post"])
    def result(self, request: Request, number: str | None = None) -> Response:
        """Upload the result and complete the errand."""
        serializer = ErrandResultSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        return self._detail(services.errand_result(
            user=request.user, errand=self.get_object(), reference=data["reference"], note=data["note"],
            file=data.get("file"), negative=data["negative"]))

    @extend_schema(request=None, responses={200: ErrandDetailSerializer})
    @action(detail=True, methods=["post"], url_path="hand-over")
    def hand_over(self, request: Request, number: str | None = None) -> Response:
        """The originating office handed the result to the customer."""
        return self._detail(services.errand_hand_over(user=request.user, errand=self.get_object()))

    @extend_schema(request=CounterPaymentSerializer, responses={200: ErrandDetailSerializer})
    @action(detail=True, methods=["post"])
    def cash(self, request: Request, number: str | None = None) -> Response:
        """The originating office took the amount due at the counter: in cash (the
        default), or by card on its own terminal (`method` "terminal" with the terminal's
        receipt number as `reference`)."""
        serializer = CounterPaymentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        errand = self.get_object()
        services.errand_take_payment(clerk_user=request.user, errand=errand, **serializer.validated_data)
        return self._detail(errand)

    @extend_schema(request=RefundBackSerializer, responses={200: ErrandDetailSerializer})
    @action(detail=True, methods=["post"], url_path="refund-back")
    def refund_back(self, request: Request, number: str | None = None) -> Response:
        """The originating office gave an approved refund back the way it was paid (cash
        from the till, or on its card terminal: `reference` is then the refund's receipt number)."""
        serializer = RefundBackSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        errand = self.get_object()
        services.errand_refund_hand_back(clerk_user=request.user, errand=errand, **serializer.validated_data)
        return self._detail(errand)
