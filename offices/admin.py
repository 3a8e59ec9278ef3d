"""Django admin for partner offices: the region table, offices, clerks, fee splits per
service, and read views of errands, refund requests, payouts, counter orders and the
money taken and given back at office counters. The
work itself happens in the office console and the staff pages (offices/*_views.py)."""

from django.contrib import admin

from offices.models import (
    Clerk,
    CounterOrder,
    CounterPayment,
    CounterRefund,
    Errand,
    ErrandEvent,
    ErrandShare,
    OfficePayout,
    PartnerOffice,
    RefundRequest,
    Region,
)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en", "kind", "parent", "area")
    list_filter = ("kind",)
    search_fields = ("name", "name_en", "code")


class ClerkInline(admin.TabularInline):
    model = Clerk
    extra = 0
    raw_id_fields = ("user",)


@admin.register(PartnerOffice)
class PartnerOfficeAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "province", "county", "is_active")
    list_filter = ("kind", "is_active", "province")
    search_fields = ("name", "name_en", "code")
    filter_horizontal = ("services",)
    inlines = [ClerkInline]


@admin.register(ErrandShare)
class ErrandShareAdmin(admin.ModelAdmin):
    list_display = ("service", "origin_percent", "performer_percent", "platform_percent")


class ErrandEventInline(admin.TabularInline):
    model = ErrandEvent
    extra = 0
    can_delete = False
    readonly_fields = ("action", "from_status", "to_status", "office", "actor", "note", "created")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Errand)
class ErrandAdmin(admin.ModelAdmin):
    list_display = ("job", "status", "origin", "performer", "destination_county", "hop_due_at")
    list_filter = ("status",)
    search_fields = ("job__number",)
    readonly_fields = [field.name for field in Errand._meta.fields]
    inlines = [ErrandEventInline]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(RefundRequest)
class RefundRequestAdmin(admin.ModelAdmin):
    list_display = ("errand", "status", "amount", "created")
    readonly_fields = [field.name for field in RefundRequest._meta.fields]


admin.site.register(OfficePayout)
admin.site.register(CounterOrder)


class CounterRefundInline(admin.TabularInline):
    model = CounterRefund
    extra = 0
    can_delete = False
    readonly_fields = ("amount", "reference", "recorded_by", "created")


@admin.register(CounterPayment)
class CounterPaymentAdmin(admin.ModelAdmin):
    """Read only: money at a counter is recorded by the clerk's console (offices.services.counter)."""

    list_display = ("office", "method", "amount", "amount_refunded", "reference", "job", "order", "created")
    list_filter = ("method", "office")
    search_fields = ("reference", "job__number", "order__number")
    readonly_fields = [field.name for field in CounterPayment._meta.fields]
    inlines = [CounterRefundInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
