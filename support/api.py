"""`/api/v1/support/…`: the signed-in customer's tickets, their replies, and filing one
(T1, A1). Refusals are `{code, detail}` (core.api.exception_handler)."""

from __future__ import annotations

from django.apps import apps
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from core.api import DeclaredOrderingFilter
from support.models import Category, Channel, Ticket, TicketMessage
from support.services import customer_reply, ticket_file
from support.uploads import validate_attachment


class MessageSerializer(serializers.ModelSerializer):
    from_support = serializers.SerializerMethodField()

    class Meta:
        model = TicketMessage
        fields = ("id", "body", "created", "via", "from_support")

    def get_from_support(self, obj: TicketMessage) -> bool:
        return obj.kind == TicketMessage.Kind.REPLY


class TicketSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Ticket
        fields = ("number", "subject", "category", "channel", "status", "status_label", "created",
                  "first_response_at", "resolved_at")


class TicketDetailSerializer(TicketSerializer):
    messages = serializers.SerializerMethodField()

    class Meta(TicketSerializer.Meta):
        fields = (*TicketSerializer.Meta.fields, "messages")

    @extend_schema(responses=MessageSerializer(many=True))
    def get_messages(self, obj: Ticket) -> list[dict]:
        public = obj.messages.filter(kind__in=TicketMessage.PUBLIC).order_by("created", "pk")
        return MessageSerializer(public, many=True).data


class TicketFileSerializer(serializers.Serializer):
    subject = serializers.CharField(max_length=200)
    body = serializers.CharField()
    category = serializers.ChoiceField(choices=Category.choices, default=Category.OTHER)
    order = serializers.CharField(required=False, allow_blank=True, help_text="order number")
    job = serializers.CharField(required=False, allow_blank=True, help_text="service job number")
    attachment = serializers.FileField(required=False)

    def validate_attachment(self, value):
        if value:
            try:
                validate_attachment(value)
            except Exception as exc:  # Django's ValidationError -> DRF's
                raise serializers.ValidationError(getattr(exc, "messages", [str(exc)])) from exc
        return value


class ReplySerializer(serializers.Serializer):
    body = serializers.CharField()


class TicketViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The signed-in customer's support tickets."""

    permission_classes = [IsAuthenticated]
    lookup_field = "number"
    lookup_value_regex = r"[^/]+"
    filter_backends = [DeclaredOrderingFilter]
    ordering_fields = ["created"]  # ?ordering= (docs/api.md)
    ordering = ["-created"]

    def get_queryset(self):
        return Ticket.objects.filter(customer=self.request.user).order_by("-created")

    def get_serializer_class(self):
        if self.action == "create":
            return TicketFileSerializer
        if self.action == "replies":
            return ReplySerializer
        return TicketDetailSerializer if self.action == "retrieve" else TicketSerializer

    @extend_schema(request=TicketFileSerializer, responses={201: TicketDetailSerializer})
    def create(self, request: Request) -> Response:
        data = TicketFileSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        linked = {}
        if values.get("order"):
            linked["order"] = apps.get_model("order", "Order").objects.filter(
                number=values["order"], user=request.user).first()
        if values.get("job"):
            linked["job"] = apps.get_model("services_catalog", "Job").objects.filter(
                number=values["job"], customer=request.user).first()
        ticket = ticket_file(customer=request.user, channel=Channel.FORM, subject=values["subject"],
                             body=values["body"], category=values["category"],
                             files=[values["attachment"]] if values.get("attachment") else [],
                             **{key: value for key, value in linked.items() if value is not None})
        return Response(TicketDetailSerializer(ticket).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReplySerializer, responses={201: MessageSerializer})
    @action(detail=True, methods=["post"])
    def replies(self, request: Request, number: str) -> Response:
        ticket = self.get_object()
        data = ReplySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        message = customer_reply(ticket=ticket, user=request.user, body=data.validated_data["body"])
        return Response(MessageSerializer(message).data, status=status.HTTP_201_CREATED)
