"""Tickets (T1–T5): one owning team, a priority, a status moved by support.machine, its
messages (public replies and internal notes), attachments, and the pauses while it waits
for the customer."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TransitionEvent
from core.private_files import private_storage, private_upload_to
from support.models.calendar import Priority


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    CHAT = "chat", _("Live chat")
    FORM = "form", _("Report form")
    EMAIL = "email", _("Email")


class Team(models.TextChoices):
    AGENTS = "agents", _("Support agents")
    SENIOR = "senior", _("Senior support")


class Category(models.TextChoices):
    ORDER = "order", _("An order or a delivery")
    JOB = "job", _("A service job")
    WARRANTY = "warranty", _("A warranty claim")
    PAYMENT = "payment", _("A payment or a refund")
    ACCOUNT = "account", _("My account")
    OTHER = "other", _("Something else")


class Ticket(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        WAITING = "waiting", _("Waiting for the customer")
        ESCALATED = "escalated", _("Escalated")
        RESOLVED = "resolved", _("Resolved")
        CLOSED = "closed", _("Closed")

    class Fault(models.TextChoices):
        UNKNOWN = "", _("Not decided")
        PLATFORM = "platform", _("Chaarsoo's fault")
        CUSTOMER = "customer", _("Not Chaarsoo's fault")

    ACTIVE = (Status.OPEN, Status.WAITING, Status.ESCALATED)

    number = models.CharField(_("number"), max_length=20, unique=True)
    customer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="tickets", verbose_name=_("customer"))
    # Who wrote in when no account is known (an email address, a visitor's phone).
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    contact_name = models.CharField(_("contact name"), max_length=120, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, default=Category.OTHER)
    subject = models.CharField(_("subject"), max_length=200)
    order = models.ForeignKey("order.Order", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("order"))
    job = models.ForeignKey("services_catalog.Job", null=True, blank=True, on_delete=models.SET_NULL,
                            related_name="+", verbose_name=_("service job"))
    claim = models.ForeignKey("vendors.WarrantyClaim", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("warranty claim"))
    team = models.CharField(_("team"), max_length=10, choices=Team.choices, default=Team.AGENTS)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("agent"))
    fault = models.CharField(_("fault"), max_length=10, choices=Fault.choices, blank=True, default="")
    # S18: the on-site support visit booked from this ticket (a service job).
    visit_job = models.ForeignKey("services_catalog.Job", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("support visit"))
    # The token in the reply address (support+<token>@…) and the subject ([#number]).
    reply_token = models.CharField(max_length=24, unique=True, verbose_name=_("reply token"))
    created = models.DateTimeField(_("opened"), db_index=True)
    first_response_at = models.DateTimeField(_("first answered"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    # Targets in business minutes, copied from PriorityTarget when filed (a later change of
    # the targets does not move an open ticket's goalposts).
    response_target = models.PositiveIntegerField(_("first response target (business minutes)"))
    resolution_target = models.PositiveIntegerField(_("resolution target (business minutes)"))
    # Due times as last computed (None while paused); the escalation duty recomputes.
    response_due = models.DateTimeField(_("answer due"), null=True, blank=True)
    resolution_due = models.DateTimeField(_("fix due"), null=True, blank=True)
    # Escalation levels, each reached once (support.services.escalation).
    response_warned_at = models.DateTimeField(null=True, blank=True, verbose_name=_("response warned at"))
    response_breached_at = models.DateTimeField(null=True, blank=True, verbose_name=_("response breached at"))
    resolution_warned_at = models.DateTimeField(null=True, blank=True, verbose_name=_("resolution warned at"))
    resolution_breached_at = models.DateTimeField(null=True, blank=True, verbose_name=_("resolution breached at"))
    # The Message-ID of the mail that opened it (threading).
    email_message_id = models.CharField(max_length=255, blank=True, db_index=True, verbose_name=_("email message ID"))

    class Meta:
        ordering = ("-created", "-pk")
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        indexes = [models.Index(fields=("status", "team"))]

    def __str__(self) -> str:
        return self.number

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def contact_label(self) -> str:
        if self.customer_id:
            return self.customer.get_full_name() or self.customer.username
        return self.contact_name or self.contact_email or self.contact_phone


class TicketEvent(TransitionEvent):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events", verbose_name=_("ticket"))

    class Meta(TransitionEvent.Meta):
        verbose_name = _("ticket event")
        verbose_name_plural = _("ticket events")


class TicketMessage(models.Model):
    class Kind(models.TextChoices):
        CUSTOMER = "customer", _("From the customer")
        REPLY = "reply", _("Public reply")
        NOTE = "note", _("Internal note")
        CALL = "call", _("Phone call")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="messages", verbose_name=_("ticket"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+", verbose_name=_("author"))
    via = models.CharField(_("via"), max_length=10, choices=Channel.choices)
    body = models.TextField(_("message"))
    call_seconds = models.PositiveIntegerField(_("call length (seconds)"), null=True, blank=True)
    # Mail threading: our own Message-ID for outgoing replies, the sender's for incoming.
    email_message_id = models.CharField(max_length=255, blank=True, db_index=True, verbose_name=_("email message ID"))
    created = models.DateTimeField(_("at"), db_index=True)

    PUBLIC = (Kind.CUSTOMER, Kind.REPLY)

    class Meta:
        ordering = ("created", "pk")
        verbose_name = _("ticket message")
        verbose_name_plural = _("ticket messages")

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.kind}"

    @property
    def is_public(self) -> bool:
        return self.kind in self.PUBLIC


class TicketAttachment(models.Model):
    message = models.ForeignKey(
        TicketMessage, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("message"),
    )
    file = models.FileField(_("file"), storage=private_storage, upload_to=private_upload_to("support/attachments"))
    name = models.CharField(_("name"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name or str(self.pk)


class TicketPause(models.Model):
    """The ticket waits for the customer: its clock stops (T3)."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="pauses", verbose_name=_("ticket"))
    started = models.DateTimeField(verbose_name=_("started at"))
    ended = models.DateTimeField(null=True, blank=True, verbose_name=_("ended at"))

    class Meta:
        ordering = ("started",)
        constraints = [
            models.UniqueConstraint(fields=("ticket",), condition=models.Q(ended__isnull=True),
                                    name="support_one_open_pause"),
        ]
        verbose_name = _("ticket pause")
        verbose_name_plural = _("ticket pauses")

    def __str__(self) -> str:
        return f"{self.started} - {self.ended}"
