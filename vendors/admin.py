"""Django admin for the vendor domain: a read-mostly view for operators. Money and status
change only through vendors.services (the seller and staff dashboards), so the fields
that move money or status are read-only here."""

from __future__ import annotations

from django.contrib import admin

from vendors.models import (
    CategoryTerm,
    Contract,
    DeliveryPromise,
    Payout,
    ProductTerm,
    Shipment,
    ShipmentEvent,
    ShipmentLine,
    VendorApplication,
    VendorSanction,
    WarrantyClaim,
    WarrantyClaimPhoto,
)


@admin.register(VendorApplication)
class VendorApplicationAdmin(admin.ModelAdmin):
    list_display = ("company_name", "contact_name", "email", "status", "created", "decided_at")
    list_filter = ("status",)
    search_fields = ("company_name", "company_name_en", "email", "registration_number")
    readonly_fields = ("status", "decision_reason", "decided_by", "decided_at", "partner", "applicant", "created")


class CategoryTermInline(admin.TabularInline):
    model = CategoryTerm
    extra = 0
    raw_id_fields = ("category",)


class ProductTermInline(admin.TabularInline):
    model = ProductTerm
    extra = 0
    raw_id_fields = ("product",)


class DeliveryPromiseInline(admin.TabularInline):
    model = DeliveryPromise
    extra = 0


@admin.register(Contract)
class ContractAdmin(admin.ModelAdmin):
    list_display = ("partner", "commission_rate", "default_warranty_days", "return_window_days",
                    "default_delivery_days", "starts_on")
    search_fields = ("partner__name",)
    inlines = (CategoryTermInline, ProductTermInline, DeliveryPromiseInline)


class ShipmentLineInline(admin.TabularInline):
    model = ShipmentLine
    extra = 0
    can_delete = False
    fields = ("line", "warranty_days", "commission_rate", "installation_requested", "installation_price",
              "installation_status", "credited_amount", "held_amount", "released_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class ShipmentEventInline(admin.TabularInline):
    model = ShipmentEvent
    extra = 0
    can_delete = False
    readonly_fields = ("from_status", "to_status", "note", "created_by", "created")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Shipment)
class ShipmentAdmin(admin.ModelAdmin):
    list_display = ("order", "partner", "status", "promised_by", "tracking_reference", "created")
    list_filter = ("status", "partner")
    search_fields = ("order__number", "tracking_reference", "partner__name")
    readonly_fields = ("order", "partner", "status", "promised_by", "tracking_reference", "carrier", "confirmed_at",
                       "shipped_at", "delivered_at", "cancelled_at", "cancel_reason", "created")
    inlines = (ShipmentLineInline, ShipmentEventInline)


class WarrantyClaimPhotoInline(admin.TabularInline):
    model = WarrantyClaimPhoto
    extra = 0


@admin.register(WarrantyClaim)
class WarrantyClaimAdmin(admin.ModelAdmin):
    list_display = ("pk", "shipment_line", "customer", "kind", "status", "upheld", "created")
    list_filter = ("status", "kind", "upheld")
    readonly_fields = ("shipment_line", "customer", "status", "upheld", "responded_by", "responded_at",
                       "resolved_at", "created")
    inlines = (WarrantyClaimPhotoInline,)


@admin.register(VendorSanction)
class VendorSanctionAdmin(admin.ModelAdmin):
    list_display = ("partner", "kind", "amount", "currency", "created", "created_by")
    list_filter = ("kind",)
    readonly_fields = ("partner", "kind", "amount", "currency", "reason", "claim", "created_by", "created",
                       "ledger_transfer_key")

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Payout)
class PayoutAdmin(admin.ModelAdmin):
    list_display = ("partner", "amount", "currency", "status", "stripe_transfer_id", "created")
    list_filter = ("status",)
    readonly_fields = ("partner", "amount", "currency", "status", "stripe_transfer_id", "failure_message",
                       "created_by", "created", "sent_at", "idempotency_key")

    def has_add_permission(self, request) -> bool:
        return False
