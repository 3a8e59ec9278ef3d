"""`/api/v1/provider/…`: the jobs assigned to the signed-in provider, their slots and earnings."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import DeclaredOrderingFilter
from core.staff_api import error_responses
from services_catalog import selectors, services
from services_catalog.api.serializers import (
    ChangeOrderSerializer,
    DeclineSerializer,
    DispatchSerializer,
    EarningsSerializer,
    JobDetailSerializer,
    JobPhotoSerializer,
    JobSerializer,
    PhotosSerializer,
    ProposeSerializer,
    QuoteInputSerializer,
    RateSerializer,
    RatingSerializer,
    ReasonSerializer,
    SlotsSerializer,
    WorkDoneSerializer,
    _detail_queryset,
)
from services_catalog.models import (
    Job,
    Provider,
    ProviderAvailability,
    SlotBooking,
)

CALENDAR_DAYS = 14


# ------------------------------------------------------------------ providers: /api/v1/provider/
class IsProvider(IsAuthenticated):
    message = "This endpoint is for service providers."

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            return False
        provider = Provider.objects.filter(user=request.user).first()
        request.provider = provider
        return provider is not None


class ProviderJobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The jobs assigned to the signed-in provider, and every step they take on them."""

    permission_classes = [IsProvider]
    lookup_field = "number"
    lookup_value_regex = r"[^/]+"
    filter_backends = [DeclaredOrderingFilter]
    ordering_fields = ["preferred_date", "created"]  # ?ordering= (docs/api.md)
    ordering = ["-created"]

    def get_queryset(self) -> QuerySet[Job]:
        jobs = Job.objects.filter(provider=self.request.provider)
        if self.action == "list":
            return jobs.select_related("service", "area", "provider")
        return _detail_queryset(jobs)

    def get_serializer_class(self):
        return JobSerializer if self.action == "list" else JobDetailSerializer

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        context["all_events"] = True
        return context

    @extend_schema(parameters=[OpenApiParameter("status", str, description="Only jobs in this status")])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def filter_queryset(self, queryset: QuerySet[Job]) -> QuerySet[Job]:
        wanted = self.request.query_params.get("status")
        if self.action == "list" and wanted:
            queryset = queryset.filter(status=wanted)
        return super().filter_queryset(queryset)

    def _detail(self, job: Job) -> Response:
        job = _detail_queryset(Job.objects.filter(pk=job.pk)).get()
        return Response(JobDetailSerializer(job, context=self.get_serializer_context()).data)

    @extend_schema(request=QuoteInputSerializer, responses={200: JobDetailSerializer})
    @action(detail=True, methods=["post"])
    def quote(self, request: Request, number: str | None = None) -> Response:
        """Send or revise the quote of a job under review (S2)."""
        job = self.get_object()
        serializer = QuoteInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.quote_send(job=job, user=request.user, lines=serializer.validated_data["lines"],
                            valid_days=serializer.validated_data["valid_days"])
        return self._detail(job)

    @extend_schema(request=ReasonSerializer, responses={200: JobDetailSerializer})
    @action(detail=True, methods=["post"], url_path="not-feasible")
    def not_feasible(self, request: Request, number: str | None = None) -> Response:
        job = self.get_object()
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        job = services.job_review_not_feasible(job=job, user=request.user,
                                               reason=serializer.validated_data["reason"])
        return self._detail(job)

    @extend_schema(request=DeclineSerializer, responses={204: None})
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, number: str | None = None) -> Response:
        """Decline the job: it goes back to matching and is never offered to you again."""
        job = self.get_object()
        serializer = DeclineSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.job_decline(job=job, provider_user=request.user,
                             reason=serializer.validated_data["reason"])
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=DispatchSerializer, responses={200: JobDetailSerializer})
    # Named dispatch_visit: `dispatch` is the method every DRF view routes requests through.
    @action(detail=True, methods=["post"], url_path="dispatch")
    def dispatch_visit(self, request: Request, number: str | None = None) -> Response:
        """Set the exact visit time, within the booked slot (S4, S7)."""
        job = self.get_object()
        serializer = DispatchSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        job = services.job_dispatch(job=job, user=request.user,
                                    visit_at=serializer.validated_data["visit_at"])
        return self._detail(job)

    @extend_schema(request=None, responses={200: JobDetailSerializer})
    @action(detail=True, methods=["post"])
    def start(self, request: Request, number: str | None = None) -> Response:
        job = self.get_object()
        return self._detail(services.job_start(job=job, user=request.user))

    @extend_schema(request=WorkDoneSerializer, responses={200: JobDetailSerializer})
    @action(detail=True, methods=["post"], url_path="work-done")
    def work_done(self, request: Request, number: str | None = None) -> Response:
        """Record the value of the work done so far (charged if the customer cancels, S8)."""
        job = self.get_object()
        serializer = WorkDoneSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        job = services.job_record_work_done(job=job, user=request.user, **serializer.validated_data)
        return self._detail(job)

    @extend_schema(request=ProposeSerializer, responses={201: ChangeOrderSerializer})
    @action(detail=True, methods=["post"], url_path="change-orders")
    def change_orders(self, request: Request, number: str | None = None) -> Response:
        """Propose extra work; it is added only once the customer accepts (S12)."""
        job = self.get_object()
        serializer = ProposeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        change = services.change_order_propose(job=job, provider_user=request.user,
                                               **serializer.validated_data)
        return Response(ChangeOrderSerializer(change).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request={"multipart/form-data": PhotosSerializer},
        responses={201: JobPhotoSerializer(many=True), **error_responses(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"], pagination_class=None)
    def photos(self, request: Request, number: str | None = None) -> Response:
        """Add photos of the work (before, during, done), from assignment to completion."""
        job = self.get_object()
        serializer = PhotosSerializer(data={"photos": request.FILES.getlist("photos")})
        serializer.is_valid(raise_exception=True)
        added = services.job_photos_add(job=job, user=request.user, photos=serializer.validated_data["photos"])
        return Response(JobPhotoSerializer(added, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: JobDetailSerializer})
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, number: str | None = None) -> Response:
        job = self.get_object()
        return self._detail(services.job_complete(job=job, provider_user=request.user))

    @extend_schema(request=RateSerializer, responses={201: RatingSerializer})
    @action(detail=True, methods=["post"])
    def rate(self, request: Request, number: str | None = None) -> Response:
        """Rate the customer once, after completion (S15)."""
        job = self.get_object()
        serializer = RateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rating = services.rating_submit(job=job, user=request.user, **serializer.validated_data)
        return Response(RatingSerializer(rating).data, status=status.HTTP_201_CREATED)


class ProviderSlotsView(APIView):
    """Your weekly availability (S13) and the slots booked in the next 14 days; PUT
    replaces the weekly availability."""

    permission_classes = [IsProvider]

    def _data(self, provider: Provider) -> dict[str, Any]:
        today = timezone.localdate()
        bookings = SlotBooking.objects.filter(
            provider=provider, date__range=(today, today + datetime.timedelta(days=CALENDAR_DAYS - 1))
        ).select_related("job")
        availability = ProviderAvailability.objects.filter(provider=provider).values("weekday", "slot")
        return SlotsSerializer({"availability": list(availability), "bookings": list(bookings)}).data

    @extend_schema(responses={200: SlotsSerializer})
    def get(self, request: Request) -> Response:
        return Response(self._data(request.provider))

    @extend_schema(request=SlotsSerializer, responses={200: SlotsSerializer})
    def put(self, request: Request) -> Response:
        serializer = SlotsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        slots = [(item["weekday"], item["slot"]) for item in serializer.validated_data["availability"]]
        services.provider_set_availability(provider=request.provider, user=request.user, slots=slots)
        return Response(self._data(request.provider))


class ProviderEarningsView(APIView):
    """What Chaarsoo owes you (your payable balance on the ledger, S17) and its statement."""

    permission_classes = [IsProvider]

    @extend_schema(responses={200: EarningsSerializer})
    def get(self, request: Request) -> Response:
        provider = request.provider
        data = {"balance": selectors.provider_earnings(provider), "currency": settings.OSCAR_DEFAULT_CURRENCY,
                "statement": selectors.provider_statement(provider)}
        return Response(EarningsSerializer(data).data)
