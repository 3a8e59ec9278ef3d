"""Live chat (T1): a session between a customer (or a visitor who gave a phone or an email)
and an agent; every message is stored before it is broadcast, keyed by the sender's client
id so a retry never duplicates it. A closed chat becomes a ticket with its transcript."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from support.models.tickets import Ticket


class ChatSession(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting for an agent")
        ACTIVE = "active", _("With an agent")
        CLOSED = "closed", _("Closed")

    customer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="support_chats", verbose_name=_("customer"))
    visitor_name = models.CharField(_("name"), max_length=120, blank=True)
    visitor_contact = models.CharField(_("phone or email"), max_length=120, blank=True)
    # The secret that lets a visitor's browser (no account) back into its chat.
    key = models.CharField(max_length=40, unique=True, verbose_name=_("key"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.WAITING)
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("agent"))
    ticket = models.OneToOneField(Ticket, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="chat", verbose_name=_("ticket"))
    created = models.DateTimeField(_("started"))

    class Meta:
        ordering = ("-created", "-pk")
        verbose_name = _("chat")
        verbose_name_plural = _("chats")

    def __str__(self) -> str:
        return f"chat {self.pk}"

    @property
    def group_name(self) -> str:
        return f"support-chat-{self.pk}"

    @property
    def who(self) -> str:
        if self.customer_id:
            return self.customer.get_full_name() or self.customer.username
        return self.visitor_name or self.visitor_contact


class ChatMessage(models.Model):
    class Sender(models.TextChoices):
        CUSTOMER = "customer", _("Customer")
        AGENT = "agent", _("Agent")

    session = models.ForeignKey(
        ChatSession, on_delete=models.CASCADE, related_name="messages", verbose_name=_("session"),
    )
    sender = models.CharField(max_length=10, choices=Sender.choices, verbose_name=_("sender"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+", verbose_name=_("author"))
    client_id = models.CharField(max_length=64, verbose_name=_("client ID"))
    body = models.TextField(verbose_name=_("body"))
    created = models.DateTimeField(verbose_name=_("created at"))

    class Meta:
        ordering = ("pk",)
        constraints = [
            models.UniqueConstraint(fields=("session", "sender", "client_id"), name="support_chat_client_id_once"),
        ]
        verbose_name = _("chat message")
        verbose_name_plural = _("chat messages")

    def __str__(self) -> str:
        return f"{self.sender}: {self.body[:40]}"
