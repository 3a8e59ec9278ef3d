"""Staff view of payments: every payment, its Stripe ids, history and refunds; refunds.

Seeing payments needs `view_payments`; sending a refund needs `refund_payment` (the
refund service checks it too). The refund action reaches Stripe, so it opts out of
ATOMIC_REQUESTS: payments.refunds commits its own short transactions around the call.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core.permissions import Ability, ability_required, has_ability
from core.text import normalize_identifier
from payments import services
from payments.errors import PaymentError
from payments.models import Payment, PaymentEvent
from payments.payables import adapter_for


class RefundForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount to refund"), max_digits=12, decimal_places=2, min_value=Decimal("0.01"))
    reason = forms.CharField(label=_("Reason"), max_length=255, required=False)

    def __init__(self, *args, payment: Payment, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["amount"].initial = payment.refundable_amount
        self.fields["amount"].help_text = _("Up to %(amount)s %(currency)s") % {
            "amount": payment.refundable_amount,
            "currency": payment.currency,
        }

    def clean_amount(self):
        try:
            return Decimal(self.cleaned_data["amount"])
        except (InvalidOperation, TypeError):
            raise forms.ValidationError(_("Enter an amount such as 12.50.")) from None


@ability_required(Ability.VIEW_PAYMENTS)
def payment_list(request: HttpRequest) -> HttpResponse:
    payments = Payment.objects.select_related("user", "payable_type")
    status = request.GET.get("status", "")
    if status in Payment.Status.values:
        payments = payments.filter(status=status)
    query = normalize_identifier(request.GET.get("q", ""))[:100]
    if query:
        payments = payments.filter(
            Q(stripe_payment_intent_id__icontains=query)
            | Q(user__email__icontains=query)
            | Q(idempotency_key__icontains=query)
        )
    page = Paginator(payments, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "payments/dashboard/payment_list.html",
        {"page_obj": page, "payments": page.object_list, "statuses": Payment.Status.choices,
         "status": status, "query": query},
    )


def _payment(pk: int) -> Payment:
    return get_object_or_404(
        Payment.objects.select_related("user", "payable_type").prefetch_related(
            Prefetch("events", queryset=PaymentEvent.objects.select_related("actor")), "refunds"
        ),
        pk=pk,
    )


def _describe(payment: Payment) -> str:
    payable = payment.payable
    if payable is None:
        return f"{payment.payable_type.model} {payment.payable_id}"
    try:
        return adapter_for(payable).describe(payable)
    except PaymentError:  # a payable kind no longer registered
        return f"{payment.payable_type.model} {payment.payable_id}"


def _render_detail(request: HttpRequest, payment: Payment, form: RefundForm | None = None) -> HttpResponse:
    can_refund = has_ability(request.user, Ability.REFUND_PAYMENT)
    if can_refund and form is None:
        form = RefundForm(payment=payment)
    return render(
        request,
        "payments/dashboard/payment_detail.html",
        {"payment": payment, "form": form, "can_refund": can_refund, "payable_label": _describe(payment)},
    )


@ability_required(Ability.VIEW_PAYMENTS)
@transaction.non_atomic_requests
def payment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method == "POST":
        # The refund form used to post here: the same action, with its own permission.
        return payment_refund(request, pk)
    return _render_detail(request, _payment(pk))


@ability_required(Ability.REFUND_PAYMENT)
@require_POST
@transaction.non_atomic_requests
def payment_refund(request: HttpRequest, pk: int) -> HttpResponse:
    payment = _payment(pk)
    form = RefundForm(request.POST, payment=payment)
    if form.is_valid():
        try:
            services.refund_create(
                payment=payment,
                amount=form.cleaned_data["amount"],
                user=request.user,
                reason=form.cleaned_data["reason"],
            )
        except PaymentError as exc:
            form.add_error("amount", exc.message)
        else:
            messages.success(request, _("The refund was sent to Stripe and recorded."))
            return redirect("payments-dashboard:detail", pk=payment.pk)
    return _render_detail(request, _payment(pk), form)
