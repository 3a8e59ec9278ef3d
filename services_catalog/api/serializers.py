"""Serializers of the service-job API (customers' and providers' views of a job)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.private_files import private_file_url
from payments.gateway import stripe_configured
from services_catalog.forms import MAX_PHOTOS, check_document_file, check_photo
from services_catalog.models import (
    Area,
    ChangeOrder,
    Job,
    JobDocument,
    JobEvent,
    JobPhoto,
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


def _private_link(instance, field: str) -> str:
    """The signed link to a private file (core.private_files), absolute on SITE_URL; the
    file server checks on every request that the caller may read it."""
    path = private_file_url(instance, field)
    return f"{settings.SITE_URL}{path}" if path else ""


class JobPhotoSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="Readable by the job's customer, provider and job staff.")

    class Meta:
        model = JobPhoto
        fields = ["id", "url", "created"]

    def get_url(self, photo: JobPhoto) -> str:
        return _private_link(photo, "image")


class JobDocumentSerializer(serializers.ModelSerializer):
    requirement = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    name = serializers.CharField(source="__str__", read_only=True)
    delivery = serializers.CharField(read_only=True, help_text="upload, post, courier or collected")
    url = serializers.SerializerMethodField(help_text="The scan, when one was uploaded; else empty.")

    class Meta:
        model = JobDocument
        fields = ["id", "requirement", "name", "delivery", "url", "received_at", "returned_at"]

    def get_url(self, document: JobDocument) -> str:
        return _private_link(document, "file")


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
    photos = JobPhotoSerializer(many=True, read_only=True)
    documents = JobDocumentSerializer(many=True, read_only=True)

    class Meta(JobSerializer.Meta):
        fields = JobSerializer.Meta.fields + [
            "address", "description", "not_feasible_reason", "cancelled_by", "cancel_reason", "amount_paid",
            "amount_refunded", "completed_at", "timeline", "quote", "change_orders", "charges", "ratings",
            "payment_due", "photos", "documents",
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
        help_text="How the original reaches the provider. To upload a scan, send the request as "
        "multipart/form-data.",
    )


class DocumentUploadInputSerializer(serializers.Serializer):
    requirement = serializers.PrimaryKeyRelatedField(queryset=RequiredDocument.objects.all())
    delivery = serializers.ChoiceField(
        choices=JobDocument.Delivery.choices,
        help_text="upload (a scan, in document_files), or how the original reaches the provider.",
    )
    file_index = serializers.IntegerField(
        min_value=0, required=False, allow_null=True, default=None,
        help_text="The position in document_files of this document's scan (needed for upload, optional "
        "beside an original).",
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


@extend_schema_field({"type": "array", "items": {"type": "string", "format": "binary"}})
class UploadListField(serializers.ListField):
    """Repeated file parts of a multipart body (described as binary for generated clients)."""


class JobRequestUploadSerializer(JobRequestSerializer):
    """The request as multipart/form-data: the same fields, plus photos and document scans
    (each document part is a JSON object; its scan is `document_files[file_index]`)."""

    documents = DocumentUploadInputSerializer(many=True, required=False, default=list)
    photos = UploadListField(
        child=serializers.ImageField(), required=False, default=list, max_length=MAX_PHOTOS,
        help_text=f"Up to {MAX_PHOTOS} photos, 8 MB each.",
    )
    document_files = UploadListField(
        child=serializers.FileField(), required=False, default=list,
        help_text="Scans (PDF, JPG or PNG, 8 MB each), referred to by the documents' file_index.",
    )

    def validate_photos(self, photos: list) -> list:
        for photo in photos:
            _checked(check_photo, photo)
        return photos

    def validate_document_files(self, files: list) -> list:
        for upload in files:
            _checked(check_document_file, upload)
        return files

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        files = data.get("document_files", [])
        used: set[int] = set()
        for document in data.get("documents", []):
            index = document.get("file_index")
            if index is None:
                continue
            if index >= len(files) or index in used:
                raise serializers.ValidationError({"documents": [_("Each file_index must name its own file in "
                                                                   "document_files.")]})
            used.add(index)
        return data

    def documents_payload(self) -> list[dict[str, Any]]:
        """The documents as `services.job_request` takes them, each with its file (S6 is
        checked there, as for the site's form)."""
        files = self.validated_data["document_files"]
        return [
            {"requirement": d["requirement"], "delivery": d["delivery"],
             "file": files[d["file_index"]] if d.get("file_index") is not None else None}
            for d in self.validated_data["documents"]
        ]


class PhotosSerializer(serializers.Serializer):
    photos = UploadListField(
        child=serializers.ImageField(), min_length=1, max_length=MAX_PHOTOS,
        help_text=f"1 to {MAX_PHOTOS} photos, 8 MB each.",
    )

    def validate_photos(self, photos: list) -> list:
        for photo in photos:
            _checked(check_photo, photo)
        return photos


def _checked(check, upload) -> None:
    """Run a form-level file check and answer its refusal as an API validation error."""
    try:
        check(upload)
    except DjangoValidationError as error:
        raise serializers.ValidationError(error.messages) from error


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


class QuoteLineInputSerializer(serializers.Serializer):
    """A quote line as staff or a provider write it (the amount is computed)."""

    description = serializers.CharField()
    quantity = serializers.DecimalField(max_digits=10, decimal_places=2)
    unit_price = serializers.DecimalField(max_digits=12, decimal_places=2)


class QuoteInputSerializer(serializers.Serializer):
    lines = QuoteLineInputSerializer(many=True)
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
        "ratings", "photos", "documents__requirement",
    )
