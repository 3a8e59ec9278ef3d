from django.contrib import admin

from payments.models import Payment, PaymentEvent, PaymentRefund, StripeWebhookEvent


class PaymentEventInline(admin.TabularInline):
    model = PaymentEvent
    extra = 0
    can_delete = False
    readonly_fields = ["action", "from_status", "to_status", "note", "stripe_event_id", "actor", "created"]


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    list_display = ["pk", "payable_type", "payable_id", "purpose", "status", "amount", "amount_refunded",
                    "currency", "stripe_payment_intent_id", "created"]
    list_filter = ["status", "purpose", "method"]
    search_fields = ["stripe_payment_intent_id", "idempotency_key", "user__email"]
    readonly_fields = [f.name for f in Payment._meta.fields]
    inlines = [PaymentEventInline]


@admin.register(PaymentRefund)
class PaymentRefundAdmin(admin.ModelAdmin):
    list_display = ["pk", "payment", "amount", "currency", "source", "status", "stripe_refund_id", "created"]
    readonly_fields = [f.name for f in PaymentRefund._meta.fields]


@admin.register(StripeWebhookEvent)
class StripeWebhookEventAdmin(admin.ModelAdmin):
    list_display = ["event_id", "type", "outcome", "received"]
    search_fields = ["event_id", "type"]
    readonly_fields = ["event_id", "type", "payload", "outcome", "received"]
