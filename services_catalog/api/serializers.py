"""Serializers of the service-job API (customers' and providers' views of a job)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from payments.gateway import stripe_configured
from services_catalog.models import (
    Area,
    ChangeOrder,
    Job,
    JobDocument,
    JobEvent,
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


def _detail_queryset(queryset: QuerySet[Job]) -> QuerySet[Job]:
    return queryset.select_related("service", "area", "provider").prefetch_related(
        "events", Prefetch("quotes", queryset=Quote.objects.prefetch_related("lines")), "change_orders", "charges",
        "ratings",
    )
