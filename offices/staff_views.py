"""Staff pages of partner offices: offices and clerks, balances and payouts, the errands
with their routing decisions, re-routing by hand, late errands, refund requests (S9)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core import clock
from core.errors import DomainError
from core.permissions import Ability, ability_required
from offices import forms, selectors, services
from offices.models import Clerk, Errand, PartnerOffice, RefundRequest

A = Ability
SEE = (A.MANAGE_JOBS, A.PAY_OUT, A.REFUND_PAYMENT)


def _currency() -> str:
    return settings.OSCAR_DEFAULT_CURRENCY


@ability_required(*SEE)
def office_list(request: HttpRequest) -> HttpResponse:
    form = forms.OfficeForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm(f"core.{A.MANAGE_JOBS.value}"):
            messages.error(request, _("You do not have permission to do this."))
        elif form.is_valid():
            office = form.save()
            messages.success(request, _("Office registered."))
            return redirect("offices-dashboard:staff-office", pk=office.pk)
    offices = list(PartnerOffice.objects.select_related("province", "county").order_by("province__name", "name"))
    for office in offices:
        office.balance = services.office_balance(office, _currency())
    return render(request, "offices/staff/offices.html", {"offices": offices, "form": form,
                                                           "late": selectors.late_errands()[:50]},
                  status=400 if request.method == "POST" else 200)


@ability_required(*SEE)
def office_detail(request: HttpRequest, pk: int) -> HttpResponse:
    office = get_object_or_404(PartnerOffice, pk=pk)
    form = forms.OfficeForm(request.POST or None, instance=office)
    if request.method == "POST" and request.user.has_perm(f"core.{A.MANAGE_JOBS.value}") and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect("offices-dashboard:staff-office", pk=office.pk)
    return render(request, "offices/staff/office.html", {
        "office": office, "form": form, "clerks": office.clerks.select_related("user"),
        "clerk_form": forms.ClerkForm(), "payout_form": forms.PayoutForm(),
        "balance": services.office_balance(office, _currency()), "currency": _currency(),
        "statement": services.office_statement(office, _currency()), "payouts": office.payouts.all()[:50],
        "counter": services.office_reconciliation(office),
    })


@ability_required(A.MANAGE_JOBS)
@require_POST
def clerk_add(request: HttpRequest, pk: int) -> HttpResponse:
    office = get_object_or_404(PartnerOffice, pk=pk)
    form = forms.ClerkForm(request.POST)
    if form.is_valid():
        try:
            services.clerk_create(staff_user=request.user, office=office, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Clerk account created."))
    else:
        messages.error(request, _("Enter a username and a password of at least 8 characters."))
    return redirect("offices-dashboard:staff-office", pk=office.pk)


@ability_required(A.MANAGE_JOBS)
@require_POST
def clerk_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    clerk = get_object_or_404(Clerk, pk=pk)
    services.clerk_set_active(staff_user=request.user, clerk=clerk, active=request.POST.get("active") == "1")
    messages.success(request, _("Saved."))
    return redirect("offices-dashboard:staff-office", pk=clerk.office_id)


@ability_required(A.PAY_OUT)
@require_POST
def payout(request: HttpRequest, pk: int) -> HttpResponse:
    office = get_object_or_404(PartnerOffice, pk=pk)
    form = forms.PayoutForm(request.POST)
    if form.is_valid():
        try:
            services.office_payout_record(staff_user=request.user, office=office, currency=_currency(),
                                          **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Payout recorded."))
    else:
        messages.error(request, _("Enter the amount and the bank reference."))
    return redirect("offices-dashboard:staff-office", pk=office.pk)


@ability_required(A.MANAGE_JOBS, A.REFUND_PAYMENT)
def errand_list(request: HttpRequest) -> HttpResponse:
    errands = list(selectors.errands()[:200])
    now = clock.now()
    for errand in errands:
        errand.late = selectors.is_late(errand, now)
    refunds = RefundRequest.objects.filter(status=RefundRequest.Status.OPEN).select_related("errand__job")
    return render(request, "offices/staff/errands.html", {"errands": errands, "refunds": refunds})


@ability_required(A.MANAGE_JOBS, A.REFUND_PAYMENT)
def errand_detail(request: HttpRequest, number: str) -> HttpResponse:
    errand = get_object_or_404(selectors.errands(), job__number=number)
    # Names in the reader's language, looked up now: the decision stored the name it was made with.
    names = {office.pk: office.get_name() for office in PartnerOffice.objects.only("pk", "name", "name_en")}
    routing = [_readable(decision, names) for decision in reversed(errand.routing)]
    refunds = list(errand.refund_requests.all())
    return render(request, "offices/staff/errand.html", {
        "errand": errand, "job": errand.job, "late": selectors.is_late(errand),
        "events": selectors.timeline(errand, for_customer=False), "routing": routing,
        "reroute_form": forms.RerouteForm(), "decision_form": forms.RefundDecisionForm(),
        "refunds": refunds, "documents": selectors.documents(errand),
    })


ROUTING_WORDS = {
    "county": _("same county"), "province": _("same province"), "distance": _("nearest by distance"),
    "fewest_open_errands": _("fewest open errands"), "nearest": _("nearest"), "staff": _("chosen by staff"),
    "no_open_office": _("no open office"), "system": _("automatic"), "closed": _("closed now"),
    "inactive": _("inactive"), "declined": _("declined"), "does_not_perform": _("does not perform it"),
}


def _words(code: str) -> str:
    return " + ".join(str(ROUTING_WORDS.get(part, part)) for part in (code or "").split("+") if part)


def _readable(decision: dict, names: dict) -> dict:
    """A stored routing decision with its codes in words, for the staff page."""
    rows = [{**row, "name": names.get(row.get("office"), row.get("name", "")),
             "tier_label": _words(row.get("tier", "")), "skipped_label": _words(row.get("skipped", ""))}
            for row in decision.get("considered", [])]
    at = decision.get("at")
    return {**decision, "considered": rows, "chosen_name": names.get(decision.get("chosen"), ""),
            "at": datetime.datetime.fromisoformat(at) if at else None, "by_label": _words(decision.get("by", "")),
            "reason_label": _words(decision.get("reason", ""))}


@ability_required(A.MANAGE_JOBS)
@require_POST
def reroute(request: HttpRequest, number: str) -> HttpResponse:
    errand = get_object_or_404(Errand, job__number=number)
    form = forms.RerouteForm(request.POST)
    if form.is_valid():
        try:
            services.errand_reroute(staff_user=request.user, errand=errand, office=form.cleaned_data["office"],
                                    note=form.cleaned_data["note"])
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("The errand was sent to %(office)s.") % {"office": form.cleaned_data["office"]})
    return redirect("offices-dashboard:staff-errand", number=number)


@ability_required(A.REFUND_PAYMENT)
@require_POST
def refund_decide(request: HttpRequest, pk: int) -> HttpResponse:
    refund = get_object_or_404(RefundRequest.objects.select_related("errand__job"), pk=pk)
    form = forms.RefundDecisionForm(request.POST)
    if form.is_valid():
        try:
            services.refund_request_decide(staff_user=request.user, request=refund,
                                           approve=form.cleaned_data["decision"] == "approve",
                                           amount=form.cleaned_data["amount"], note=form.cleaned_data["note"])
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Decision recorded; the customer was told."))
    return redirect("offices-dashboard:staff-errand", number=refund.errand.job.number)
