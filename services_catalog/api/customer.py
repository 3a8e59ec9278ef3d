"""`/api/v1/jobs/…`: the signed-in customer's service jobs and every step they take."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from core.api import DeclaredOrderingFilter
from core.staff_api import error_responses
from payments.errors import NotPayable
from payments.gateway import stripe_configured
from services_catalog import services
from services_catalog.api.serializers import (
    AcceptQuoteSerializer,
    CancellationQuoteSerializer,
    CancelSerializer,
    ChangeOrderSerializer,
    ComplaintSerializer,
    DecideSerializer,
    JobDetailSerializer,
    JobRequestSerializer,
    JobRequestUploadSerializer,
    JobSerializer,
    PaySerializer,
    RateSerializer,
    RatingSerializer,
    ReasonSerializer,
    _detail_queryset,
)
from services_catalog.models import (
    ChangeOrder,
    Job,
    Quote,
)
from services_catalog.payables import purpose_due

CALENDAR_DAYS = 14


# ------------------------------------------------------------------ customers: /api/v1/jobs/
class JobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """The signed-in customer's service jobs."""

    permission_classes = [IsAuthenticated]
    # Paying (a PaymentIntent) and cancelling (card refunds) call Stripe, which must never
    # happen inside an open transaction: their routes opt out of ATOMIC_REQUESTS (every
    # write here is one atomic service call anyway, committed before Stripe is called).
    non_atomic_actions = frozenset({"pay", "cancel"})
    lookup_field = "number"
    lookup_value_regex = r"[^/]+"
    filter_backends = [DeclaredOrderingFilter]
    ordering_fields = ["created", "preferred_date"]  # ?ordering= (docs/api.md)
    ordering = ["-created"]

    @classmethod
    def as_view(cls, actions=None, **initkwargs):
        view = super().as_view(actions, **initkwargs)
        if actions and cls.non_atomic_actions & set(actions.values()):
            view = transaction.non_atomic_requests(view)
        return view

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

    @extend_schema(
        # Documented as multipart (one body type per operation); a JSON body without files,
        # as JobRequestSerializer reads it, is accepted too.
        request={"multipart/form-data": JobRequestUploadSerializer},
        responses={201: JobDetailSerializer, **error_responses(400, 401, 403)},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Request a service, as the site's request form does: JSON, or multipart/form-data
        with photos and document scans in the same call (S6). S1: a date before the lead
        time is refused (lead_time_too_short); S6: a missing document (missing_documents)."""
        if (request.content_type or "").startswith("multipart/"):
            serializer = JobRequestUploadSerializer(data=_multipart_fields(request))
            serializer.is_valid(raise_exception=True)
            documents, photos = serializer.documents_payload(), serializer.validated_data["photos"]
        else:
            serializer = JobRequestSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            documents = [{"requirement": d["requirement"], "delivery": d["delivery"], "file": None}
                         for d in serializer.validated_data["documents"]]
            photos = []
        data = serializer.validated_data
        job = services.job_request(
            customer=request.user, service=data["service"], area=data["area"], address=data["address"],
            preferred_date=data["preferred_date"], slot=data["slot"], quantity=data["quantity"],
            description=data["description"], photos=photos, documents=documents,
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


def _multipart_fields(request: Request) -> dict[str, Any]:
    """A multipart request as the upload serializer reads it: one value per plain field,
    the repeated `documents` parts decoded from JSON (as generated clients send them), and
    the repeated files as lists."""
    fields: dict[str, Any] = {name: request.data.get(name) for name in JobRequestSerializer().fields
                              if name != "documents" and name in request.data}
    documents = []
    for part in request.data.getlist("documents"):
        try:
            documents.append(json.loads(part) if isinstance(part, str) else part)
        except ValueError:
            raise ValidationError({"documents": [_("Each document must be a JSON object.")]}) from None
    fields["documents"] = documents
    fields["photos"] = request.FILES.getlist("photos")
    fields["document_files"] = request.FILES.getlist("document_files")
    return fields


def _preview_data(preview) -> dict[str, Any]:
    return {
        "stage": preview.stage, "cancelled_by": preview.cancelled_by,
        "lines": [{"kind": line.kind, "description": str(line.description), "amount": line.amount}
                  for line in preview.lines],
        "fee_total": preview.fee_total, "refund_total": preview.refund_total, "amount_due": preview.amount_due,
        "currency": preview.currency,
    }
