"""The message log in the Django admin: read-only, filterable by event, channel and status."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from notifications.models import Message


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["created", "event", "channel", "to", "status", "language", "sent_at"]
    list_filter = ["event", "channel", "status", "language"]
    search_fields = ["to", "event", "subject", "provider_id"]
    date_hierarchy = "created"
    readonly_fields = [field.name for field in Message._meta.fields]

    # The log is a record of what was sent: nobody adds, edits or deletes it by hand.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Message | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Message | None = None) -> bool:
        return False
