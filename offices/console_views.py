"""The office console (A3): a clerk files errands for walk-in customers, works the
performing office's inbox, hands results over and takes cash at the counter.

Site pages (clerks hold no `is_staff`), under /<lang>/dashboard/offices/. A clerk sees
only the errands filed at or routed to their own office; anyone else's answers 404."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.permissions import Ability, ability_required
from customers.errors import CustomerError
from customers.services import customer_find, customer_find_or_create_by_phone, profile_for
from offices import forms, selectors, services
from offices.models import CounterPayment, Errand
from offices.selectors import is_late
from services_catalog.payables import purpose_due
from services_catalog.selectors import amount_owed

CLERK = Ability.FILE_OFFICE_ERRANDS


def _office(request: HttpRequest):
    office = services.clerk_office(request.user)
    if office is None:
        raise Http404(_("You are not a clerk of an active office."))
    return office


def _errand_for_clerk(request: HttpRequest, number: str) -> tuple[Errand, object]:
    office = _office(request)
    errand = get_object_or_404(selectors.office_errands(office), job__number=number)
    return errand, office


@ability_required(CLERK)
def console(request: HttpRequest) -> HttpResponse:
    office = _office(request)
    inbox = list(selectors.inbox(office))
    filed = list(selectors.filed(office)[:50])
    for errand in [*inbox, *filed]:
        errand.late = is_late(errand)
    return render(request, "offices/console.html", {
        "office": office, "inbox": inbox, "filed": filed, "lookup": forms.CustomerLookupForm(),
    })


@ability_required(CLERK)
def customer_lookup(request: HttpRequest) -> HttpResponse:
    """Find the walk-in customer by mobile number or subscription code, or register them."""
    office = _office(request)
    lookup = forms.CustomerLookupForm(request.GET or None)
    create = forms.CustomerCreateForm(request.POST or None)
    found, searched, status = None, False, 200
    if request.method == "POST":
        if create.is_valid():
            try:
                user, created = customer_find_or_create_by_phone(
                    phone=create.cleaned_data["phone"], name=create.cleaned_data["name"],
                    email=create.cleaned_data["email"], operator=request.user)
            except CustomerError as exc:
                create.add_error(None, str(exc.message))
                status = 400
            else:
                if created:
                    messages.success(request, _("New customer registered; the subscription code was sent by SMS."))
                return redirect("offices-dashboard:file", user_id=user.pk)
        else:
            status = 400
    elif lookup.is_valid():
        searched = True
        found = customer_find(query=lookup.cleaned_data["query"])
        if found is None:
            create = forms.CustomerCreateForm(initial={"phone": lookup.cleaned_data["query"]})
    return render(request, "offices/customer.html", {
        "office": office, "lookup": lookup, "create": create, "found": found, "searched": searched,
    }, status=status)


@ability_required(CLERK)
def file_errand(request: HttpRequest, user_id: int) -> HttpResponse:
    office = _office(request)
    customer = get_object_or_404(get_user_model(), pk=user_id, is_active=True)
    available = services.errand_services()
    service = available.filter(pk=request.POST.get("service") or request.GET.get("service") or 0).first()
    data = request.POST if request.method == "POST" and "county" in request.POST else None
    form = forms.ErrandFileForm(data, request.FILES or None, services=available, service=service,
                                initial={"service": service})
    status = 200
    if data is not None:
        if form.is_valid():
            try:
                errand = services.errand_file(
                    clerk_user=request.user, customer=customer, service=form.cleaned_data["service"],
                    county=form.cleaned_data["county"], address=form.cleaned_data["address"],
                    description=form.cleaned_data["description"], documents=form.documents(),
                    originals=form.cleaned_data["originals"], tracking_number=form.cleaned_data["tracking_number"])
            except DomainError as exc:
                form.add_error(None, str(exc.message))
            else:
                messages.success(request, _("Errand %(number)s filed; the customer got the number by SMS.")
                                 % {"number": errand.job.number})
                return redirect("offices-dashboard:errand", number=errand.job.number)
        status = 400
    return render(request, "offices/file.html", {
        "office": office, "customer": customer, "profile": profile_for(customer), "form": form,
        "service": service, "services": available,
    }, status=status)


@ability_required(CLERK)
def errand_detail(request: HttpRequest, number: str) -> HttpResponse:
    errand, office = _errand_for_clerk(request, number)
    job = errand.job
    return render(request, "offices/errand.html", {
        "office": office, "errand": errand, "job": job, "late": is_late(errand),
        "is_origin": office.pk == errand.origin_id, "is_performer": office.pk == errand.performer_id,
        "due": purpose_due(job), "owed": max(amount_owed(job), 0),
        "events": selectors.timeline(errand, for_customer=False),
        "documents": selectors.documents(errand),
        "decline_form": forms.DeclineForm(), "progress_form": forms.ProgressForm(),
        "result_form": forms.ResultForm(), "refund_form": forms.RefundRequestForm(),
        "refunds": list(errand.refund_requests.all()),
        "paid_on_terminal": job.counter_payments.filter(method=CounterPayment.Method.TERMINAL).exists(),
    })


ACTIONS = {
    "cash": lambda request, errand: services.errand_take_cash(clerk_user=request.user, errand=errand),
    "terminal": lambda request, errand: services.errand_take_payment(
        clerk_user=request.user, errand=errand, method=CounterPayment.Method.TERMINAL,
        reference=request.POST.get("reference", "")),
    "refund-back": lambda request, errand: services.errand_refund_hand_back(
        clerk_user=request.user, errand=errand, reference=request.POST.get("reference", "")),
    "accept": lambda request, errand: services.errand_accept(user=request.user, errand=errand),
    "decline": lambda request, errand: services.errand_decline(user=request.user, errand=errand,
                                                               reason=request.POST.get("reason", "")),
    "progress": lambda request, errand: services.errand_progress(user=request.user, errand=errand,
                                                                 note=request.POST.get("note", "")),
    "received": lambda request, errand: services.errand_originals(user=request.user, errand=errand),
    "returned": lambda request, errand: services.errand_originals(user=request.user, errand=errand, returned=True),
    "result": lambda request, errand: services.errand_result(
        user=request.user, errand=errand, reference=request.POST.get("reference", ""),
        note=request.POST.get("note", ""), file=request.FILES.get("file"), negative=bool(request.POST.get("negative"))),
    "handover": lambda request, errand: services.errand_hand_over(user=request.user, errand=errand),
}


@ability_required(CLERK)
@require_POST
def errand_act(request: HttpRequest, number: str, action: str) -> HttpResponse:
    errand, _office_ = _errand_for_clerk(request, number)
    step = ACTIONS.get(action)
    if step is None:
        raise Http404
    try:
        step(request, errand)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Done."))
    if action == "decline":
        return redirect("offices-dashboard:console")
    return redirect("offices-dashboard:errand", number=number)


@login_required
@require_POST
def refund_open(request: HttpRequest, number: str) -> HttpResponse:
    """The customer (from their job page) or the originating clerk asks for a refund (S9)."""
    errand = get_object_or_404(selectors.errands(), job__number=number)
    if not selectors.may_see_errand(request.user, errand):
        raise Http404
    form = forms.RefundRequestForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.refund_request_open(user=request.user, errand=errand, reason=form.cleaned_data["reason"],
                                         evidence=form.cleaned_data["evidence"])
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("The refund request was sent; staff review it."))
    else:
        messages.error(request, _("Say what went wrong with the errand."))
    if services.clerk_office(request.user) is not None:
        return redirect("offices-dashboard:errand", number=number)
    return redirect("services_catalog:job-detail", number)


@login_required
def errand_file_download(request: HttpRequest, number: str, what: str) -> HttpResponse:
    """A private file of an errand, only to the customer, a clerk of either office, or staff."""
    errand = get_object_or_404(selectors.errands(), job__number=number)
    if not selectors.may_see_errand(request.user, errand):
        raise Http404
    if what == "result":
        field = errand.result_file
    elif what.startswith("doc-") and what[4:].isdigit():
        document = get_object_or_404(errand.job.documents, pk=int(what[4:]))
        field = document.file
    elif what.startswith("evidence-") and what[9:].isdigit():
        field = get_object_or_404(errand.refund_requests, pk=int(what[9:])).evidence
    else:
        raise Http404
    if not field:
        raise Http404
    return FileResponse(field.open("rb"), as_attachment=True, filename=field.name.rsplit("/", 1)[-1])


@ability_required(CLERK)
def cash(request: HttpRequest) -> HttpResponse:
    """What this office took at its counter, in cash and on its card terminal, and gave
    back (to reconcile with the till and the terminal's report), and what it earned."""
    office = _office(request)
    currency = settings.OSCAR_DEFAULT_CURRENCY
    return render(request, "offices/cash.html", {
        "office": office, **services.office_reconciliation(office),
        "balance": services.office_balance(office, currency), "statement": services.office_statement(office, currency),
        "currency": currency,
    })
