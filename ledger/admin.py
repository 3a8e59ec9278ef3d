"""Read-only admin views: ledger history is changed only by posting transfers."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from ledger.models import Account, Leg, Transfer


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Account)
class AccountAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["code", "name", "currency", "balance", "floor", "created"]
    list_filter = ["currency"]
    search_fields = ["code", "name"]
    fields = readonly_fields = ["code", "name", "currency", "balance", "floor", "owner_type", "owner_id", "created"]


class LegInline(ReadOnlyMixin, admin.TabularInline):
    model = Leg
    fields = readonly_fields = ["account", "amount"]
    extra = 0


@admin.register(Transfer)
class TransferAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["pk", "created", "kind", "moved", "currency", "idempotency_key", "reverses"]
    list_filter = ["kind", "currency"]
    search_fields = ["idempotency_key", "memo", "legs__account__code"]
    date_hierarchy = "created"
    list_select_related = ["reverses"]
    fields = readonly_fields = [
        "idempotency_key", "kind", "memo", "currency", "reverses", "created", "created_by", "metadata",
    ]
    inlines = [LegInline]

    def get_queryset(self, request) -> QuerySet[Transfer]:
        return super().get_queryset(request).annotate(moved=Sum("legs__amount", filter=Q(legs__amount__gt=0)))

    @admin.display(description=_("amount moved"), ordering="moved")
    def moved(self, transfer: Transfer):
        return transfer.moved
