"""Django admin views of the services data: for developers and superusers. Editors use
Wagtail (/cms/) and staff the services dashboard; job states change only through
services_catalog.services, so jobs are read-only here."""

from __future__ import annotations

from django.contrib import admin

from services_catalog.models import (
    Area,
    ChangeOrder,
    Complaint,
    Job,
    JobCharge,
    JobDecline,
    JobEvent,
    JobReceipt,
    PriceTier,
    Provider,
    ProviderAvailability,
    ProviderSanction,
    Quote,
    QuoteLine,
    Rating,
    RequiredDocument,
    Service,
    ServiceCategory,
    SlotBooking,
    WarrantyClaim,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ServiceCategory)
class ServiceCategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en", "kind", "ordering")
    prepopulated_fields = {"slug": ("name_en",)}


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en", "slug")
    prepopulated_fields = {"slug": ("name_en",)}


class PriceTierInline(admin.TabularInline):
    model = PriceTier
    extra = 0


class RequiredDocumentInline(admin.TabularInline):
    model = RequiredDocument
    extra = 0


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ("name", "category", "pricing_model", "base_price", "payment_rule", "min_lead_days", "is_active")
    list_filter = ("category", "pricing_model", "payment_rule", "is_active")
    search_fields = ("name", "name_en", "slug")
    filter_horizontal = ("areas",)
    inlines = [PriceTierInline, RequiredDocumentInline]


class AvailabilityInline(admin.TabularInline):
    model = ProviderAvailability
    extra = 0


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):
    list_display = ("display_name", "user", "status", "rating_average", "rating_count", "commission_rate")
    list_filter = ("status",)
    search_fields = ("display_name", "user__username", "phone")
    filter_horizontal = ("areas", "services")
    readonly_fields = ("status", "rating_average", "rating_count")
    inlines = [AvailabilityInline]


class EventInline(ReadOnlyInline):
    model = JobEvent
    fields = ("created", "action", "from_status", "to_status", "actor", "note", "visible_to_customer")
    readonly_fields = fields


class ChargeInline(ReadOnlyInline):
    model = JobCharge
    fields = ("created", "kind", "description", "amount")
    readonly_fields = fields


class ReceiptInline(ReadOnlyInline):
    model = JobReceipt
    fields = ("created", "purpose", "method", "amount", "currency", "payment")
    readonly_fields = fields


class DeclineInline(ReadOnlyInline):
    """Providers off the job: declined it, or removed by staff (never offered it again)."""

    model = JobDecline
    fields = ("created", "provider", "removed_by", "reason")
    readonly_fields = fields


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    list_display = ("number", "service", "customer", "provider", "status", "preferred_date", "slot", "price_total")
    list_filter = ("status", "service__category")
    search_fields = ("number", "customer__username", "customer__email")
    inlines = [EventInline, ChargeInline, ReceiptInline, DeclineInline]


class QuoteLineInline(ReadOnlyInline):
    model = QuoteLine
    fields = ("description", "quantity", "unit_price", "amount")
    readonly_fields = fields


@admin.register(Quote)
class QuoteAdmin(ReadOnlyAdmin):
    list_display = ("job", "version", "total", "status", "valid_until")
    inlines = [QuoteLineInline]


for model in (ChangeOrder, SlotBooking, Rating, WarrantyClaim, Complaint, ProviderSanction):
    admin.site.register(model, ReadOnlyAdmin)
