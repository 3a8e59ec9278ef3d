"""Refunds of counter orders paid at the counter: the originating office's clerk sees the
refunds it owes and records handing each back (cash, or the terminal's receipt number);
staff with `refund_payment` refund a line of such an order (owed at that counter)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from oscar.core.loading import get_model

from core.errors import DomainError
from core.permissions import Ability, ability_required
from offices import services
from offices.models import CounterOrder, CounterRefundOwed

CLERK = Ability.FILE_OFFICE_ERRANDS
Line = get_model("order", "Line")


def _office(request: HttpRequest):
    office = services.clerk_office(request.user)
    if office is None:
        raise Http404(_("You are not a clerk of an active office."))
    return office


@ability_required(CLERK)
def counter_refunds(request: HttpRequest) -> HttpResponse:
    office = _office(request)
    return render(request, "offices/counter_refunds.html", {
        "office": office, "owed": services.counter_refunds_owed(office),
        "returned": services.counter_refunds_returned(office),
    })


@ability_required(CLERK)
@require_POST
def counter_refund_back(request: HttpRequest, pk: int) -> HttpResponse:
    office = _office(request)
    owed = get_object_or_404(CounterRefundOwed, pk=pk, payment__office=office)
    try:
        services.counter_refund_hand_back(clerk_user=request.user, owed=owed,
                                          reference=request.POST.get("reference", ""))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The refund is recorded as given back; the customer was told."))
    return redirect("offices-dashboard:counter-refunds")


@ability_required(Ability.REFUND_PAYMENT)
def staff_order_refund(request: HttpRequest, number: str) -> HttpResponse:
    """Staff refund a line of an order paid at a partner office's counter."""
    placed = get_object_or_404(CounterOrder.objects.select_related("order", "office"), order__number=number,
                               paid_at_counter=True)
    order = placed.order
    if request.method == "POST":
        line = get_object_or_404(Line, order=order, pk=request.POST.get("line") or 0)
        try:
            amount = Decimal(request.POST.get("amount") or "0")
        except InvalidOperation:
            amount = Decimal("0")
        try:
            services.counter_order_refund_line(staff_user=request.user, line=line, amount=amount,
                                               reason=request.POST.get("reason", ""))
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("The refund is owed at the office's counter; its clerk gives it back."))
            return redirect("offices-dashboard:staff-order-refund", number=number)
    return render(request, "offices/staff/order_refund.html", {
        "placed": placed, "order": order, "lines": order.lines.all(),
        "owed": order.counter_refunds_owed.select_related("refund", "decided_by"),
    })
