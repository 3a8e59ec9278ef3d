"""Staff view of payments: every payment, its Stripe ids, history and refunds; refunds."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

from payments import services
from payments.errors import PaymentError
from payments.models import Payment


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


@staff_member_required(login_url="customer:login")
def payment_list(request: HttpRequest) -> HttpResponse:
    payments = Payment.objects.select_related("user", "payable_type")
    status = request.GET.get("status", "")
    if status in Payment.Status.values:
        payments = payments.filter(status=status)
    query = request.GET.get("q", "").strip()[:100]
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


@staff_member_required(login_url="customer:login")
def payment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    payment = get_object_or_404(
        Payment.objects.select_related("user", "payable_type").prefetch_related("events", "refunds"), pk=pk
    )
    form = RefundForm(request.POST or None, payment=payment)
    if request.method == "POST" and form.is_valid():
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
    return render(request, "payments/dashboard/payment_detail.html", {"payment": payment, "form": form})
