"""Django admin for the vendor domain: a read-mostly view for operators. Money and status
change only through vendors.services (the seller and staff dashboards), so the fields
that move money or status are read-only here.

Contracts (and their terms) are edited here by staff holding manage_vendors
(core.permissions), not by Django's per-model permissions, which no role carries."""

from __future__ import annotations

from django.contrib import admin

from core.permissions import Ability, has_ability
from vendors.models import (
    CategoryTerm,
    ClaimEvent,
    Contract,
    DeliveryPromise,
    Payout,
    ProductTerm,
    Shipment,
    ShipmentEvent,
    ShipmentLine,
    ShipmentRefund,
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


class ManageVendorsAdmin:
    """Admin permissions from the named ability manage_vendors (plus Django's own, so a
    superuser or a deliberately granted model permission keeps working)."""

    def _may(self, request) -> bool:
        return has_ability(request.user, Ability.MANAGE_VENDORS)

    def has_module_permission(self, request) -> bool:
        return self._may(request) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._may(request) or super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._may(request) or super().has_change_permission(request, obj)

    def has_add_permission(self, request, *args) -> bool:
        return self._may(request) or super().has_add_permission(request, *args)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._may(request) or super().has_delete_permission(request, obj)


class CategoryTermInline(ManageVendorsAdmin, admin.TabularInline):
    model = CategoryTerm
    extra = 0
    raw_id_fields = ("category",)


class ProductTermInline(ManageVendorsAdmin, admin.TabularInline):
    model = ProductTerm
    extra = 0
    raw_id_fields = ("product",)


class DeliveryPromiseInline(ManageVendorsAdmin, admin.TabularInline):
    model = DeliveryPromise
    extra = 0


@admin.register(Contract)
class ContractAdmin(ManageVendorsAdmin, admin.ModelAdmin):
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
    readonly_fields = ("action", "from_status", "to_status", "note", "actor", "created")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class ShipmentRefundInline(admin.TabularInline):
    """P5: the card refund a customer's cancellation owes; pending while `sent` is empty
    (the duty send_shipment_refunds retries it; `last error` says why Stripe refused)."""

    model = ShipmentRefund
    extra = 0
    can_delete = False
    fields = ("amount", "shipping_amount", "currency", "created", "sent_at", "payment_refund", "attempts",
              "last_error")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Shipment)
class ShipmentAdmin(admin.ModelAdmin):
    list_display = ("order", "partner", "status", "promised_by", "tracking_reference", "created")
    list_filter = ("status", "partner")
    search_fields = ("order__number", "tracking_reference", "partner__name")
    readonly_fields = ("order", "partner", "status", "promised_by", "tracking_reference", "carrier", "confirmed_at",
                       "shipped_at", "delivered_at", "cancelled_at", "cancel_reason", "created")
    inlines = (ShipmentLineInline, ShipmentEventInline, ShipmentRefundInline)


class WarrantyClaimPhotoInline(admin.TabularInline):
    model = WarrantyClaimPhoto
    extra = 0


class ClaimEventInline(admin.TabularInline):
    model = ClaimEvent
    extra = 0
    can_delete = False
    readonly_fields = ("action", "from_status", "to_status", "note", "actor", "created")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(WarrantyClaim)
class WarrantyClaimAdmin(admin.ModelAdmin):
    list_display = ("pk", "shipment_line", "customer", "kind", "status", "upheld", "created")
    list_filter = ("status", "kind", "upheld")
    readonly_fields = ("shipment_line", "customer", "status", "upheld", "responded_by", "responded_at",
                       "resolved_at", "created")
    inlines = (WarrantyClaimPhotoInline, ClaimEventInline)


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
