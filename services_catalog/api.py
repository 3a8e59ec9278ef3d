"""REST API of service jobs (issue 5 point 13), in the OpenAPI schema.

- `/api/v1/jobs/…` for customers: their own jobs with the timeline (S7), requesting a
  service, accepting the quote (S12), paying (S5), the cancellation fee before cancelling
  (S8), deciding change orders (S12), rating (S15), warranty (S11) and complaints (S10).
- `/api/v1/provider/…` for providers: the jobs assigned to them and every step they take,
  booked slots and weekly availability (S13), earnings on the ledger (S17).

Each user sees only their own jobs: another's job number answers 404. A rule the service
refuses comes back as a 4xx `{"code", "detail"}` (core.api.exception_handler).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from payments.errors import NotPayable
from payments.gateway import stripe_configured
from services_catalog import selectors, services
from services_catalog.models import (
    Area,
    ChangeOrder,
    Job,
    JobDocument,
    JobEvent,
    Provider,
    ProviderAvailability,
    Quote,
    Rating,
    RequiredDocument,
    Service,
    Slot,
    SlotBooking,
)
from services_catalog.payables import amount_for, purpose_due

CALENDAR_DAYS = 14


# ------------------------------------------------------------------ serializers
class QuoteLineSerializer(serializers.Serializer):
    description = serializers.CharField()
    quantity = serializers.DecimalField(max_digits=10, decimal_places=2)
    unit_price = serializers.DecimalField(max_digits=12, decimal_places=2)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)


class QuoteSerializer(serializers.ModelSerializer):
    lines = QuoteLineSerializer(many=True, read_only=True)
    # Plain strings: one enum per model named "status" would collide in the schema.
    status = serializers.CharField(read_only=True, help_text="sent, accepted, superseded or expired")
    is_expired = serializers.SerializerMethodField()

    class Meta:
        model = Quote
        fields = ["id", "version", "status", "total", "currency", "valid_until", "is_expired", "accepted_at", "lines"]

    def get_is_expired(self, quote: Quote) -> bool:
        return quote.status == Quote.Status.SENT and quote.is_expired(timezone.now())


class EventSerializer(serializers.ModelSerializer):
    action_display = serializers.CharField(source="get_action_display")

    class Meta:
        model = JobEvent
        fields = ["action", "action_display", "from_status", "to_status", "note", "created"]


class ChangeOrderSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text="proposed, accepted or declined")

    class Meta:
        model = ChangeOrder
        fields = ["id", "description", "amount", "status", "created", "decided_at"]


class ChargeSerializer(serializers.Serializer):
    kind = serializers.CharField()
    description = serializers.CharField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)


class RatingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Rating
        fields = ["side", "score", "comment", "created"]


class PaymentDueSerializer(serializers.Serializer):
    purpose = serializers.CharField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    currency = serializers.CharField()
    card_available = serializers.BooleanField()


class JobSerializer(serializers.ModelSerializer):
    """A job in a list: what, where, when, how far along."""

    service = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    service_name = serializers.SerializerMethodField()
    area = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    status = serializers.CharField(
        read_only=True, help_text="requested, quoted, not_feasible, accepted, matching, assigned, dispatched, "
        "in_progress, completed or cancelled",
    )
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    provider = serializers.SerializerMethodField()
    value = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)

    class Meta:
        model = Job
        fields = [
            "number", "service", "service_name", "area", "preferred_date", "slot", "quantity", "status",
            "status_display", "provider", "price_total", "extras_total", "value", "currency", "payment_rule",
            "visit_at", "created",
        ]

    def get_service_name(self, job: Job) -> str:
        return job.service.get_name()

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_provider(self, job: Job) -> str | None:
        return job.provider.display_name if job.provider_id else None


class JobDetailSerializer(JobSerializer):
    """One job with its timeline, quote, extras, statement and what is due now."""

    address = serializers.CharField(read_only=True)
    timeline = serializers.SerializerMethodField()
    quote = serializers.SerializerMethodField()
    change_orders = ChangeOrderSerializer(many=True, read_only=True)
    charges = ChargeSerializer(many=True, read_only=True)
    ratings = RatingSerializer(many=True, read_only=True)
    payment_due = serializers.SerializerMethodField()

    class Meta(JobSerializer.Meta):
        fields = JobSerializer.Meta.fields + [
            "address", "description", "not_feasible_reason", "cancelled_by", "cancel_reason", "amount_paid",
            "amount_refunded", "completed_at", "timeline", "quote", "change_orders", "charges", "ratings",
            "payment_due",
        ]

    @extend_schema_field(EventSerializer(many=True))
    def get_timeline(self, job: Job) -> list[dict[str, Any]]:
        events = [event for event in job.events.all() if event.visible_to_customer or self.context.get("all_events")]
        return EventSerializer(events, many=True).data

    @extend_schema_field(QuoteSerializer(allow_null=True))
    def get_quote(self, job: Job) -> dict[str, Any] | None:
        live = [q for q in job.quotes.all() if q.status in (Quote.Status.SENT, Quote.Status.ACCEPTED)]
        return QuoteSerializer(live[0]).data if live else None

    @extend_schema_field(PaymentDueSerializer(allow_null=True))
    def get_payment_due(self, job: Job) -> dict[str, Any] | None:
        purpose = purpose_due(job)
        if purpose is None:
            return None
        return {"purpose": purpose, "amount": amount_for(job, purpose), "currency": job.currency,
                "card_available": stripe_configured()}


class DocumentInputSerializer(serializers.Serializer):
    requirement = serializers.PrimaryKeyRelatedField(queryset=RequiredDocument.objects.all())
    delivery = serializers.ChoiceField(
        choices=[c for c in JobDocument.Delivery.choices if c[0] != JobDocument.Delivery.UPLOAD],
        help_text="How the original reaches the provider. Scans are uploaded on the website.",
    )


class JobRequestSerializer(serializers.Serializer):
    service = serializers.SlugRelatedField(slug_field="slug", queryset=Service.objects.filter(is_active=True))
    area = serializers.SlugRelatedField(slug_field="slug", queryset=Area.objects.all())
    address = serializers.CharField(max_length=500)
    preferred_date = serializers.DateField()
    slot = serializers.ChoiceField(choices=Slot.choices)
    quantity = serializers.IntegerField(min_value=1, max_value=10000, default=1)
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    documents = DocumentInputSerializer(many=True, required=False, default=list)


class AcceptQuoteSerializer(serializers.Serializer):
    quote = serializers.IntegerField(required=False, help_text="The quote id; the current quote when left out.")


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")
    expected_fee = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, allow_null=True, default=None,
        help_text="The fee shown by cancellation-quote: if it changed meanwhile, nothing is cancelled (409).",
    )


class FeeLineSerializer(serializers.Serializer):
    kind = serializers.CharField()
    description = serializers.CharField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)


class CancellationQuoteSerializer(serializers.Serializer):
    stage = serializers.CharField()
    cancelled_by = serializers.CharField()
    lines = FeeLineSerializer(many=True)
    fee_total = serializers.DecimalField(max_digits=12, decimal_places=2)
    refund_total = serializers.DecimalField(max_digits=12, decimal_places=2)
    amount_due = serializers.DecimalField(max_digits=12, decimal_places=2)
    currency = serializers.CharField()


class RateSerializer(serializers.Serializer):
    score = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class ComplaintSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=2000)


class DecideSerializer(serializers.Serializer):
    accept = serializers.BooleanField()


class PaySerializer(serializers.Serializer):
    payment = serializers.IntegerField()
    purpose = serializers.CharField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    currency = serializers.CharField()
    client_secret = serializers.CharField(help_text="For Stripe's confirmCardPayment; never stored by Chaarsoo.")
    publishable_key = serializers.CharField()


class DispatchSerializer(serializers.Serializer):
    visit_at = serializers.DateTimeField(help_text="Within the booked slot of the job's date.")


class ProposeSerializer(serializers.Serializer):
    description = serializers.CharField(max_length=2000)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0.01"))


class WorkDoneSerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0"))
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class QuoteInputSerializer(serializers.Serializer):
    lines = QuoteLineSerializer(many=True)
    valid_days = serializers.IntegerField(min_value=1, max_value=60, default=3)


class DeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class SlotBookingSerializer(serializers.ModelSerializer):
    job = serializers.SlugRelatedField(slug_field="number", read_only=True)

    class Meta:
        model = SlotBooking
        fields = ["date", "slot", "job"]


class AvailabilitySlotSerializer(serializers.Serializer):
    weekday = serializers.IntegerField(min_value=0, max_value=6, help_text="0 = Monday … 6 = Sunday")
    slot = serializers.ChoiceField(choices=Slot.choices)


class SlotsSerializer(serializers.Serializer):
    availability = AvailabilitySlotSerializer(many=True)
    bookings = SlotBookingSerializer(many=True, read_only=True)


class LegSerializer(serializers.Serializer):
    created = serializers.DateTimeField(source="transfer.created")
    kind = serializers.CharField(source="transfer.kind")
    memo = serializers.CharField(source="transfer.memo")
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)


class EarningsSerializer(serializers.Serializer):
    balance = serializers.DecimalField(max_digits=14, decimal_places=2)
    currency = serializers.CharField()
    statement = LegSerializer(many=True)


# ------------------------------------------------------------------ customers: /api/v1/jobs/
def _detail_queryset(queryset: QuerySet[Job]) -> QuerySet[Job]:
    return queryset.select_related("service", "area", "provider").prefetch_related(
        "events", Prefetch("quotes", queryset=Quote.objects.prefetch_related("lines")), "change_orders", "charges",
        "ratings",
    )


class JobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """The signed-in customer's service jobs."""

    permission_classes = [IsAuthenticated]
    lookup_field = "number"
    lookup_value_regex = r"[^/]+"
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[Job]:
        jobs = Job.objects.filter(customer=self.request.user)
        if self.action == "list":
            return jobs.select_related("service", "area", "provider")
        return _detail_queryset(jobs)

    def get_serializer_class(self):
        if self.action == "list":
            return JobSerializer
        if self.action == "create":
            return JobRequestSerializer
        return JobDetailSerializer

    def _detail(self, job: Job, *, status_code: int = status.HTTP_200_OK) -> Response:
        job = _detail_queryset(Job.objects.filter(pk=job.pk)).get()
        return Response(JobDetailSerializer(job, context=self.get_serializer_context()).data, status=status_code)

    @extend_schema(request=JobRequestSerializer, responses={201: JobDetailSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Request a service (S1: a date before the lead time is refused, code lead_time_too_short)."""
        serializer = JobRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        job = services.job_request(
            customer=request.user, service=data["service"], area=data["area"], address=data["address"],
            preferred_date=data["preferred_date"], slot=data["slot"], quantity=data["quantity"],
            description=data["description"],
            documents=[{"requirement": d["requirement"], "delivery": d["delivery"], "file": None}
                       for d in data["documents"]],
        )
        return self._detail(job, status_code=status.HTTP_201_CREATED)

    @extend_schema(request=AcceptQuoteSerializer, responses={200: JobDetailSerializer})
    @action(detail=True, methods=["post"], url_path="accept-quote")
    def accept_quote(self, request: Request, number: str | None = None) -> Response:
        """Accept the quote: the price is locked (S12); an expired quote is refused (quote_expired)."""
        job = self.get_object()
        serializer = AcceptQuoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        quote_id = serializer.validated_data.get("quote")
        quotes = job.quotes.all()
        quote = get_object_or_404(quotes, pk=quote_id) if quote_id else (
            quotes.filter(status__in=[Quote.Status.SENT, Quote.Status.ACCEPTED]).first()
        )
        if quote is None:
            raise NotPayableQuote()
        job = services.quote_accept(quote=quote, user=request.user)
        return self._detail(job)

    @extend_schema(request=None, responses={200: PaySerializer})
    @action(detail=True, methods=["post"])
    def pay(self, request: Request, number: str | None = None) -> Response:
        """Start (or resume) the card payment due now (S5): returns the PaymentIntent's
        client secret for Stripe's SDK. Without card payments: 409 card_unavailable."""
        from payments.services import payment_prepare

        job = self.get_object()
        if not stripe_configured():
            raise CardUnavailable()
        purpose = purpose_due(job)
        if purpose is None:
            raise NotPayable(_("Nothing is due for this job now."))
        payment, client_secret = payment_prepare(payable=job, user=request.user, purpose=purpose)
        return Response(PaySerializer({
            "payment": payment.pk, "purpose": purpose, "amount": payment.amount, "currency": payment.currency,
            "client_secret": client_secret, "publishable_key": settings.STRIPE_PUBLISHABLE_KEY,
        }).data)

    @extend_schema(responses={200: CancellationQuoteSerializer})
    @action(detail=True, methods=["get"], url_path="cancellation-quote")
    def cancellation_quote(self, request: Request, number: str | None = None) -> Response:
        """What cancelling now would cost and refund (S8), before confirming."""
        job = self.get_object()
        preview = services.job_cancellation_preview(job=job, user=request.user)
        return Response(CancellationQuoteSerializer(_preview_data(preview)).data)

    @extend_schema(request=CancelSerializer, responses={200: JobDetailSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, number: str | None = None) -> Response:
        """Cancel (S8): fees recorded as statement lines, the rest refunded."""
        job = self.get_object()
        serializer = CancelSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        job = services.job_cancel(job=job, user=request.user, **serializer.validated_data)
        return self._detail(job)

    @extend_schema(request=DecideSerializer, responses={200: ChangeOrderSerializer})
    @action(detail=True, methods=["post"], url_path=r"change-orders/(?P<change_id>\d+)/decide")
    def decide_change_order(self, request: Request, number: str | None = None, change_id: str = "") -> Response:
        """Accept or decline extra work the provider proposed (S12)."""
        job = self.get_object()
        change = get_object_or_404(ChangeOrder, pk=change_id, job=job)
        serializer = DecideSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        change = services.change_order_decide(change_order=change, customer=request.user,
                                              accept=serializer.validated_data["accept"])
        return Response(ChangeOrderSerializer(change).data)

    @extend_schema(request=RateSerializer, responses={201: RatingSerializer})
    @action(detail=True, methods=["post"])
    def rate(self, request: Request, number: str | None = None) -> Response:
        """Rate the provider once, after completion (S15)."""
        job = self.get_object()
        serializer = RateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rating = services.rating_submit(job=job, user=request.user, **serializer.validated_data)
        return Response(RatingSerializer(rating).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ReasonSerializer,
        responses={201: inline_serializer("WarrantyClaimOut", {"id": serializers.IntegerField(),
                                                               "status": serializers.CharField()})},
    )
    @action(detail=True, methods=["post"])
    def warranty(self, request: Request, number: str | None = None) -> Response:
        """Report within 90 days of completion that the work must be redone (S11)."""
        job = self.get_object()
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        claim = services.warranty_report(job=job, customer=request.user,
                                         reason=serializer.validated_data["reason"])
        return Response({"id": claim.pk, "status": claim.status}, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ComplaintSerializer,
        responses={201: inline_serializer("ComplaintOut", {"id": serializers.IntegerField(),
                                                           "status": serializers.CharField()})},
    )
    @action(detail=True, methods=["post"])
    def complaint(self, request: Request, number: str | None = None) -> Response:
        """Complain about the job's provider to Chaarsoo staff (S10)."""
        job = self.get_object()
        serializer = ComplaintSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        complaint = services.complaint_file(customer=request.user, text=serializer.validated_data["text"],
                                            job=job)
        return Response({"id": complaint.pk, "status": complaint.status}, status=status.HTTP_201_CREATED)


class NotPayableQuote(NotPayable):
    code = "no_quote"
    status_code = 409

    def __init__(self) -> None:
        super().__init__(_("This job has no quote to accept yet."))


class CardUnavailable(NotPayable):
    code = "card_unavailable"
    status_code = 409

    def __init__(self) -> None:
        super().__init__(_("Card payments are not available; pay in cash to the provider or our office."))


def _preview_data(preview) -> dict[str, Any]:
    return {
        "stage": preview.stage, "cancelled_by": preview.cancelled_by,
        "lines": [{"kind": line.kind, "description": str(line.description), "amount": line.amount}
                  for line in preview.lines],
        "fee_total": preview.fee_total, "refund_total": preview.refund_total, "amount_due": preview.amount_due,
        "currency": preview.currency,
    }


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
    filter_backends: list = []

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
        return queryset

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
