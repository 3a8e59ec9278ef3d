"""Storefront pages of the vendors app: applying to sell, and the customer's warranty.

A customer reaches shipment lines and claims only through their own orders: another
customer's line or claim answers 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from vendors import services
from vendors.forms import VendorApplicationForm, WarrantyClaimForm
from vendors.models import Shipment, ShipmentLine, WarrantyClaim

LINES_PER_PAGE = 20


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
