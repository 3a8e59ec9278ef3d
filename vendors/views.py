"""Storefront pages of the vendors app: applying to sell, the customer's warranty, and
the customer cancelling a shipment or the whole order before it leaves (P5).

A customer reaches shipment lines, claims and cancellations only through their own
orders: another customer's line, claim or order answers 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from oscar.core.loading import get_model

from core.errors import DomainError
from core.templatetags.locale_format import ident_text
from vendors import services
from vendors.forms import CustomerCancelForm, VendorApplicationForm, WarrantyClaimForm
from vendors.models import Shipment, ShipmentLine, WarrantyClaim

LINES_PER_PAGE = 20
Order = get_model("order", "Order")


def apply(request: HttpRequest) -> HttpResponse:
    form = VendorApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_submit(
                data=form.service_data(),
                categories=form.cleaned_data["categories"],
                applicant=request.user if request.user.is_authenticated else None,
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("vendors:apply-thanks")
    return render(request, "vendors/apply.html", {"form": form})


def apply_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "vendors/apply_thanks.html")


def _customer_lines(user):
    return ShipmentLine.objects.filter(shipment__order__user=user).select_related(
        "line", "shipment", "shipment__order", "shipment__partner"
    )


@login_required
def claim_list(request: HttpRequest) -> HttpResponse:
    delivered = (
        _customer_lines(request.user)
        .filter(shipment__status=Shipment.Status.DELIVERED)
        .prefetch_related(
            Prefetch("claims", queryset=WarrantyClaim.objects.filter(status=WarrantyClaim.Status.OPEN),
                     to_attr="open_claims")
        )
        .order_by("-shipment__delivered_at", "pk")
    )
    page = Paginator(delivered, LINES_PER_PAGE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    lines = []
    for line in page.object_list:
        ends_on = line.warranty_ends_on()
        lines.append({
            "line": line,
            "ends_on": ends_on,
            "in_warranty": ends_on is not None and today <= ends_on,
            "open_claim": line.open_claims[0] if line.open_claims else None,
        })
    claims = WarrantyClaim.objects.filter(customer=request.user).select_related("shipment_line__line")[:50]
    return render(
        request,
        "vendors/warranty/claim_list.html",
        {"page_title": _("Warranty"), "lines": lines, "lines_page": page, "claims": claims},
    )


@login_required
def claim_create(request: HttpRequest, line_pk: int) -> HttpResponse:
    shipment_line = get_object_or_404(_customer_lines(request.user), pk=line_pk)
    form = WarrantyClaimForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            claim = services.warranty_claim_open(
                shipment_line=shipment_line,
                customer=request.user,
                kind=form.cleaned_data["kind"],
                description=form.cleaned_data["description"],
                photos=form.cleaned_data["photos"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Your claim was sent to the vendor. We will tell you when they answer."))
            return redirect("vendors:claim-detail", pk=claim.pk)
    return render(
        request,
        "vendors/warranty/claim_form.html",
        {"page_title": _("Open a warranty claim"), "form": form, "shipment_line": shipment_line,
         "ends_on": shipment_line.warranty_ends_on()},
    )


@login_required
def claim_detail(request: HttpRequest, pk: int) -> HttpResponse:
    claim = get_object_or_404(
        WarrantyClaim.objects.select_related(
            "shipment_line", "shipment_line__line", "shipment_line__shipment", "shipment_line__shipment__order"
        ).prefetch_related("photos"),
        pk=pk, customer=request.user,
    )
    return render(
        request,
        "vendors/warranty/claim_detail.html",
        {"page_title": _("Warranty claim %(number)s") % {"number": claim.pk}, "claim": claim},
    )


# --------------------------------------------------------------------- P5: cancelling
def _cancel_page(request: HttpRequest, number: str, shipment_pk: int | None) -> HttpResponse:
    order = get_object_or_404(Order.objects.filter(user=request.user), number=number)
    shipment = None
    if shipment_pk is not None:
        shipment = get_object_or_404(Shipment.objects.filter(order=order).select_related("partner"), pk=shipment_pk)
    back = redirect("customer:order", order_number=order.number)
    if not services.customer_can_cancel(order, request.user, shipment):
        messages.error(request, _("This can no longer be cancelled: it has already left the vendor, or it was "
                                  "cancelled before."))
        return back
    form = CustomerCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if shipment is None:
                services.order_cancel_by_customer(order=order, user=request.user, reason=form.reason_text())
            else:
                services.shipment_cancel_by_customer(shipment=shipment, user=request.user,
                                                     reason=form.reason_text())
        except DomainError as exc:
            messages.error(request, exc.message)
            return back
        messages.success(request, _("Cancelled. We told the vendor and sent you a confirmation."))
        return back
    quote = services.cancellation_quote(order=order, shipment=shipment)
    return render(request, "vendors/cancel_confirm.html", {
        "page_title": (_("Cancel order %(number)s") if shipment is None else _("Cancel items of order %(number)s"))
        % {"number": ident_text(order.number)},
        "order": order, "shipment": shipment, "quote": quote, "form": form,
    })


@login_required
@require_http_methods(["GET", "POST"])
@transaction.non_atomic_requests  # a card refund or an unpaid order reaches Stripe: no transaction open
def order_cancel(request: HttpRequest, number: str) -> HttpResponse:
    """The confirmation page (GET) and the cancellation (POST) of the whole order."""
    return _cancel_page(request, number, None)


@login_required
@require_http_methods(["GET", "POST"])
@transaction.non_atomic_requests
def shipment_cancel(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    """The confirmation page (GET) and the cancellation (POST) of one vendor's part."""
    return _cancel_page(request, number, pk)
