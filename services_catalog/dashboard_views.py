"""Staff dashboard for service jobs (issue 5 points 3, 4, 6, 10, 11; A2, A6).

The job queue with filters; a job's review (not feasible, quote and revisions),
reassignment, cash payments, cancellation; warranty claims (confirm or reject) and
complaints (warn, fine, suspend); operator intake for callers; providers. Each page and
action names the staff ability it needs (core.permissions): signed-out visitors go to the
login page, a signed-in user without it gets the 403 page. Every action is one call to
`services_catalog.services`, which checks the ability again. The actions that may lead to
a Stripe call (cash, cancellation: card refunds) run outside the request transaction
(`transaction.non_atomic_requests`), so the job's own transaction commits first.
"""

from __future__ import annotations

import contextlib
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError, NotAllowed
from core.permissions import Ability, ability_required, has_ability
from core.round_trips import KeptCounts
from core.row_links import row_link
from core.text import normalize_identifier
from customers.errors import InvalidPhone
from customers.services import customer_set_tier, phone_normalise, subscription_code_normalise
from payments.models import Payment
from services_catalog import services
from services_catalog.errors import InvalidQuote, JobError, LeadTimeTooShort
from services_catalog.forms import (
    CancelForm,
    ComplaintResolveForm,
    CustomerCreateForm,
    CustomerLookupForm,
    DispatchForm,
    IntakeReferralForm,
    IntakeServiceForm,
    JobRequestForm,
    NotFeasibleForm,
    QuoteForm,
    ReassignForm,
    WarrantyRejectForm,
)
from services_catalog.job_rows import job_rows, queue_filter_choices
from services_catalog.models import (
    Complaint,
    Job,
    Provider,
    Quote,
    Service,
    WarrantyClaim,
)
from services_catalog.payables import amount_for, purpose_due

A = Ability
# Who reaches the queue and a job's page: whoever acts on jobs (quote, manage, cash, refund).
JOB_DESK = (A.MANAGE_JOBS, A.QUOTE_JOB, A.RECORD_CASH, A.REFUND_PAYMENT, A.FILE_FOR_CALLER)
JOBS_PER_PAGE = 30
# The queue's two badges, counted fresh on every request in one query (scalar subqueries).
_QUEUE_BADGES = KeptCounts(
    open_claims=lambda: WarrantyClaim.objects.filter(status=WarrantyClaim.Status.REPORTED),
    open_complaints=lambda: Complaint.objects.filter(status=Complaint.Status.OPEN),
)


def _job(number: str) -> Job:
    return get_object_or_404(Job.objects.select_related("service", "area", "provider", "customer", "filed_by"),
                             number=number)


def _detail_url(job: Job) -> str:
    return reverse("services_catalog-dashboard:job-detail", args=[job.number])


# ------------------------------------------------------------------ queue
@ability_required(*JOB_DESK)
def job_list(request: HttpRequest) -> HttpResponse:
    jobs = Job.objects.select_related("service", "area", "provider", "customer")
    status = request.GET.get("status", "")
    if status == "open":
        jobs = jobs.filter(status__in=Job.OPEN_STATUSES)
    elif status in Job.Status.values:
        jobs = jobs.filter(status=status)
    service = request.GET.get("service", "")
    if service.isdigit():
        jobs = jobs.filter(service_id=int(service))
    area = request.GET.get("area", "")
    if area.isdigit():
        jobs = jobs.filter(area_id=int(area))
    provider = request.GET.get("provider", "")
    if provider.isdigit():
        jobs = jobs.filter(provider_id=int(provider))
    # The number as the customer reads it to us: Persian digits, pasted bidi marks.
    query = normalize_identifier(request.GET.get("q", ""))[:100]
    if query:
        matches = (
            Q(number__iexact=query) | Q(customer__email__icontains=query)
            | Q(customer__profile__phone__icontains=query) | Q(customer__profile__subscription_code__iexact=query)
        )
        code = subscription_code_normalise(query)
        if code:
            matches |= Q(customer__profile__subscription_code=code)
        with contextlib.suppress(InvalidPhone):  # not a phone number: the other fields still match
            matches |= Q(customer__profile__phone=phone_normalise(query))
        jobs = jobs.filter(matches)
    page_obj = Paginator(jobs, JOBS_PER_PAGE).get_page(request.GET.get("page"))
    filters = {"status": status, "service": service, "area": area, "provider": provider, "q": query}
    return render(
        request,
        "services_catalog/dashboard/job_list.html",
        {
            "page_obj": page_obj,
            "jobs": page_obj.object_list,
            "rows": job_rows(page_obj.object_list, row_link("services_catalog-dashboard:job-detail")),
            "filters": filters,
            "choices": queue_filter_choices(filters),
            **_QUEUE_BADGES.counts(),
        },
    )


# ------------------------------------------------------------------ one job
def _quote_lines_initial(quote: Quote | None) -> list[dict[str, Any]]:
    if quote is None:
        return []
    return [
        {"description": line.description, "quantity": line.quantity, "unit_price": line.unit_price}
        for line in quote.lines.all()
    ]


def _detail_context(request: HttpRequest, job: Job, **forms_override: Any) -> dict[str, Any]:
    quotes = list(job.quotes.prefetch_related("lines"))
    live_quote = next((q for q in quotes if q.status in (Quote.Status.SENT, Quote.Status.ACCEPTED)), None)
    due = purpose_due(job)
    user = request.user
    may = {
        "quote": has_ability(user, A.QUOTE_JOB), "manage": has_ability(user, A.MANAGE_JOBS),
        "cash": has_ability(user, A.RECORD_CASH), "refund": has_ability(user, A.REFUND_PAYMENT),
        "accept_for_caller": has_ability(user, A.FILE_FOR_CALLER), "judge": has_ability(user, A.JUDGE_WARRANTY),
    }
    preview = None
    if job.can_cancel() and may["manage"]:
        preview = services.job_cancellation_preview(job=job, user=user)
    candidates = Provider.objects.filter(
        status=Provider.Status.ACTIVE, areas=job.area_id, services=job.service_id
    ).order_by("-rating_average", "display_name")
    reassign_form = forms_override.get("reassign_form") or ReassignForm(
        initial={"expected_provider": job.provider_id or 0}
    )
    reassign_form.fields["provider"].queryset = candidates
    context = {
        "job": job,
        "may": may,
        "events": job.events.select_related("actor"),
        "quotes": quotes,
        "live_quote": live_quote,
        "can_review": may["quote"] and job.status in (Job.Status.REQUESTED, Job.Status.QUOTED),
        # A2: the caller accepts on the phone, the operator records it (phone-filed jobs only).
        "can_accept_for_caller": bool(
            may["accept_for_caller"] and job.filed_by_id and live_quote and live_quote.status == Quote.Status.SENT
            and job.status == Job.Status.QUOTED
        ),
        "quote_form": forms_override.get("quote_form")
        or QuoteForm(initial_lines=_quote_lines_initial(live_quote if live_quote else None)),
        "not_feasible_form": forms_override.get("not_feasible_form") or NotFeasibleForm(),
        "can_reassign": may["manage"] and job.status in (
            Job.Status.MATCHING, Job.Status.ASSIGNED, Job.Status.DISPATCHED),
        "reassign_form": reassign_form,
        "can_dispatch": may["manage"] and job.status in (Job.Status.ASSIGNED, Job.Status.DISPATCHED),
        "dispatch_form": forms_override.get("dispatch_form") or DispatchForm(),
        "due_purpose": due,
        "due_purpose_label": Payment.Purpose(due).label if due else "",
        "due_amount": amount_for(job, due) if due else None,
        "cancel_preview": preview,
        "cancel_form": forms_override.get("cancel_form")
        or (CancelForm(prefix="cancel", initial={"expected_fee": preview.fee_total}) if preview else None),
        "claims": list(job.warranty_claims.select_related("redo_job")),
        "reject_form": WarrantyRejectForm(),
        "complaints": list(job.complaints.all()),
        "change_orders": list(job.change_orders.all()),
        "charges": list(job.charges.all()),
        "receipts": list(job.receipts.all()),
        "documents": list(job.documents.select_related("requirement")),
        "photos": list(job.photos.all()),
        "ratings": list(job.ratings.all()),
        "balance_owed": services.amount_owed(job),
    }
    return context


def _render_detail(request: HttpRequest, job: Job, *, status: int = 200, **forms_override: Any) -> HttpResponse:
    return render(
        request, "services_catalog/dashboard/job_detail.html", _detail_context(request, job, **forms_override),
        status=status,
    )


@ability_required(*JOB_DESK)
def job_detail(request: HttpRequest, number: str) -> HttpResponse:
    return _render_detail(request, _job(number))


def _done(request: HttpRequest, job: Job, text: str) -> HttpResponse:
    messages.success(request, text)
    return redirect(_detail_url(job))


def _refused(request: HttpRequest, job: Job, exc: DomainError) -> HttpResponse:
    messages.error(request, str(exc.message))
    return redirect(_detail_url(job))


@ability_required(A.QUOTE_JOB)
@require_POST
def job_quote(request: HttpRequest, number: str) -> HttpResponse:
    job = _job(number)
    form = QuoteForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, job, status=400, quote_form=form)
    try:
        quote = services.quote_send(job=job, user=request.user, lines=form.cleaned_data["lines"],
                                    valid_days=form.cleaned_data["valid_days"])
    except InvalidQuote as exc:
        form.add_error(None, str(exc.message))
        return _render_detail(request, job, status=400, quote_form=form)
    except JobError as exc:
        return _refused(request, job, exc)
    return _done(request, job, _("Quote version %(version)s sent to the customer.") % {"version": quote.version})


@ability_required(A.FILE_FOR_CALLER)
@require_POST
def job_accept_for_caller(request: HttpRequest, number: str) -> HttpResponse:
    """A2: the caller accepts the quote on the phone; the operator records it."""
    job = _job(number)
    quote = job.quotes.filter(status=Quote.Status.SENT).first()
    if quote is None:
        messages.error(request, _("This job has no quote to accept."))
        return redirect(_detail_url(job))
    try:
        services.quote_accept(quote=quote, user=request.user)
    except JobError as exc:
        return _refused(request, job, exc)
    return _done(request, job, _("The caller's acceptance is recorded; the price is now fixed."))


@ability_required(A.REFUND_PAYMENT)
@require_POST
def job_cash_refund(request: HttpRequest, number: str) -> HttpResponse:
    """Staff confirm they handed the customer back the cash refund owed."""
    job = _job(number)
    try:
        job = services.job_record_cash_refund(job=job, staff_user=request.user)
    except DomainError as exc:
        return _refused(request, job, exc)
    return _done(request, job, _("The cash refund is recorded as handed back."))


@ability_required(A.QUOTE_JOB)
@require_POST
def job_not_feasible(request: HttpRequest, number: str) -> HttpResponse:
    job = _job(number)
    form = NotFeasibleForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, job, status=400, not_feasible_form=form)
    try:
        services.job_review_not_feasible(job=job, user=request.user, reason=form.cleaned_data["reason"])
    except JobError as exc:
        return _refused(request, job, exc)
    return _done(request, job, _("The customer was told why the job is not feasible."))


@ability_required(A.MANAGE_JOBS)
@require_POST
def job_reassign(request: HttpRequest, number: str) -> HttpResponse:
    job = _job(number)
    form = ReassignForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, job, status=400, reassign_form=form)
    try:
        job = services.job_reassign(job=job, staff_user=request.user, provider=form.cleaned_data["provider"],
                                    expected_provider_id=form.expected_provider_id())
    except JobError as exc:
        return _refused(request, job, exc)
    if job.provider_id:
        return _done(request, job, _("The job is now with %(provider)s.") % {"provider": job.provider.display_name})
    return _done(request, job, _("No other provider is free at that slot; the job waits for one."))


@ability_required(A.MANAGE_JOBS)
@require_POST
def job_dispatch(request: HttpRequest, number: str) -> HttpResponse:
    job = _job(number)
    form = DispatchForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, job, status=400, dispatch_form=form)
    try:
        services.job_dispatch(job=job, user=request.user, visit_at=form.visit_at(job.preferred_date))
    except JobError as exc:
        form.add_error("visit_time", str(exc.message))
        return _render_detail(request, job, status=400, dispatch_form=form)
    return _done(request, job, _("The visit time was sent to the customer."))


@transaction.non_atomic_requests
@ability_required(A.RECORD_CASH)
@require_POST
def job_cash(request: HttpRequest, number: str) -> HttpResponse:
    job = _job(number)
    try:
        receipt = services.job_record_cash_payment(job=job, staff_user=request.user)
    except DomainError as exc:
        return _refused(request, job, exc)
    return _done(request, job, _("Cash payment of %(amount)s %(currency)s recorded.")
                 % {"amount": receipt.amount, "currency": receipt.currency})


@transaction.non_atomic_requests
@ability_required(A.MANAGE_JOBS)
@require_POST
def job_cancel(request: HttpRequest, number: str) -> HttpResponse:
    job = _job(number)
    form = CancelForm(request.POST, prefix="cancel")
    if not form.is_valid():
        return _render_detail(request, job, status=400, cancel_form=form)
    try:
        services.job_cancel(job=job, user=request.user, reason=form.cleaned_data["reason"],
                            expected_fee=form.cleaned_data["expected_fee"])
    except DomainError as exc:
        return _refused(request, job, exc)
    return _done(request, job, _("Job %(number)s is cancelled.") % {"number": job.number})


# ------------------------------------------------------------------ warranty (S11)
@ability_required(A.JUDGE_WARRANTY)
def warranty_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", WarrantyClaim.Status.REPORTED)
    claims = WarrantyClaim.objects.select_related("job__service", "job__provider", "job__customer", "redo_job")
    if status in WarrantyClaim.Status.values:
        claims = claims.filter(status=status)
    page_obj = Paginator(claims, JOBS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "services_catalog/dashboard/warranty_list.html", {
        "page_obj": page_obj, "claims": page_obj.object_list, "statuses": WarrantyClaim.Status.choices,
        "status": status, "reject_form": WarrantyRejectForm(),
    })


@ability_required(A.JUDGE_WARRANTY)
@require_POST
def warranty_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    claim = get_object_or_404(WarrantyClaim.objects.select_related("job"), pk=pk)
    try:
        claim = services.warranty_confirm(claim=claim, staff_user=request.user)
    except DomainError as exc:
        return _refused(request, claim.job, exc)
    text = _("Warranty confirmed: free redo job %(number)s created.") % {"number": claim.redo_job.number}
    if claim.fine_amount:
        text += " " + _("The provider was fined %(amount)s.") % {"amount": claim.fine_amount}
    return _done(request, claim.job, text)


@ability_required(A.JUDGE_WARRANTY)
@require_POST
def warranty_reject(request: HttpRequest, pk: int) -> HttpResponse:
    claim = get_object_or_404(WarrantyClaim.objects.select_related("job"), pk=pk)
    form = WarrantyRejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tell the customer why the claim is rejected."))
        return redirect(_detail_url(claim.job))
    try:
        services.warranty_reject(claim=claim, staff_user=request.user, note=form.cleaned_data["note"])
    except DomainError as exc:
        return _refused(request, claim.job, exc)
    return _done(request, claim.job, _("The warranty claim was rejected and the customer told why."))


# ------------------------------------------------------------------ complaints (S10)
@ability_required(A.RESOLVE_COMPLAINTS)
def complaint_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", Complaint.Status.OPEN)
    complaints = Complaint.objects.select_related("provider", "customer", "job")
    if status in Complaint.Status.values:
        complaints = complaints.filter(status=status)
    page_obj = Paginator(complaints, JOBS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "services_catalog/dashboard/complaint_list.html", {
        "page_obj": page_obj, "complaints": page_obj.object_list, "statuses": Complaint.Status.choices,
        "status": status,
    })


@ability_required(A.RESOLVE_COMPLAINTS)
def complaint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = get_object_or_404(Complaint.objects.select_related("provider", "customer", "job"), pk=pk)
    form = ComplaintResolveForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.complaint_resolve(
                    complaint=complaint, staff_user=request.user, action=form.cleaned_data["action"],
                    amount=form.cleaned_data.get("amount"), note=form.cleaned_data["note"],
                )
            except NotAllowed as exc:
                # A fine needs fine_party, a suspension suspend_party: a forbidden action.
                raise PermissionDenied(str(exc.message)) from exc
            except DomainError as exc:
                form.add_error(None, str(exc.message))
                status = 400
            else:
                messages.success(request, _("The complaint is closed."))
                return redirect("services_catalog-dashboard:complaint-detail", pk=complaint.pk)
        else:
            status = 400
    return render(request, "services_catalog/dashboard/complaint_detail.html", {
        "complaint": complaint, "form": form, "sanctions": complaint.sanctions.all(),
        "provider_complaints": Complaint.objects.filter(provider=complaint.provider).exclude(pk=complaint.pk)[:10],
    }, status=status)


# ------------------------------------------------------------------ providers
@ability_required(A.MANAGE_PROVIDERS)
def provider_list(request: HttpRequest) -> HttpResponse:
    from ledger.models import Account

    providers = list(Provider.objects.select_related("user").prefetch_related("areas"))
    balances = dict(
        Account.objects.filter(code__in=[p.payable_account_code for p in providers]).values_list("code", "balance")
    )
    rows = [(provider, balances.get(provider.payable_account_code, Decimal("0"))) for provider in providers]
    return render(request, "services_catalog/dashboard/provider_list.html", {"rows": rows})


@ability_required(A.SUSPEND_PARTY)
@require_POST
def provider_reinstate(request: HttpRequest, pk: int) -> HttpResponse:
    provider = get_object_or_404(Provider, pk=pk)
    services.provider_reinstate(provider=provider, staff_user=request.user)
    messages.success(request, _("%(provider)s is active again.") % {"provider": provider.display_name})
    return redirect("services_catalog-dashboard:provider-list")


# ------------------------------------------------------------------ operator intake (A2, A6)
@ability_required(A.FILE_FOR_CALLER)
def intake(request: HttpRequest) -> HttpResponse:
    """Find the caller by mobile number or subscription code, or register them."""
    from customers.errors import CustomerError
    from customers.services import customer_find, customer_find_or_create_by_phone

    lookup = CustomerLookupForm(request.GET or None)
    create = CustomerCreateForm(request.POST or None)
    found = None
    searched = False
    status = 200
    if request.method == "POST":
        if create.is_valid():
            try:
                user, created = customer_find_or_create_by_phone(
                    phone=create.cleaned_data["phone"], name=create.cleaned_data["name"],
                    email=create.cleaned_data["email"], operator=request.user,
                )
            except CustomerError as exc:
                create.add_error("phone" if exc.code == "invalid_phone" else None, str(exc.message))
                status = 400
            else:
                if created:
                    messages.success(request, _("New customer registered; the subscription code was sent by SMS."))
                if create.cleaned_data.get("referral_code"):
                    # A caller found by that number too: the code counts for them as well.
                    from referrals.services import intake_attribute

                    intake_attribute(request, user, create.cleaned_data["referral_code"])
                return redirect("services_catalog-dashboard:intake-customer", user_id=user.pk)
        else:
            status = 400
    elif lookup.is_valid():
        searched = True
        found = customer_find(query=lookup.cleaned_data["query"])
        if found is None:
            create = CustomerCreateForm(initial={"phone": lookup.cleaned_data["query"]})
    return render(request, "services_catalog/dashboard/intake.html", {
        "lookup": lookup, "create": create, "found": found, "searched": searched,
    }, status=status)


@ability_required(A.FILE_FOR_CALLER)
def intake_customer(request: HttpRequest, user_id: int) -> HttpResponse:
    """File a request for the caller (filed_by = the operator): pick the service, then the form."""
    from customers.services import profile_for

    customer = get_object_or_404(get_user_model(), pk=user_id, is_active=True)
    profile = profile_for(customer)
    if request.method == "POST" and request.POST.get("action") == "tier":
        # A5: the operator moves the caller to another tier (logged as a TierChange).
        try:
            customer_set_tier(user=customer, tier=request.POST.get("tier", ""), operator=request.user)
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("The customer's tier was changed."))
        return redirect("services_catalog-dashboard:intake-customer", user_id=customer.pk)
    referral_form = IntakeReferralForm(request.POST if request.POST.get("action") == "referral" else None)
    if referral_form.is_valid():
        # Issue 10 point 1: the code of the caller's referrer, for a caller found by phone/code.
        from referrals.services import intake_attribute

        intake_attribute(request, customer, referral_form.cleaned_data["referral_code"])
        return redirect("services_catalog-dashboard:intake-customer", user_id=customer.pk)
    if referral_form.is_bound:
        messages.error(request, " ".join(referral_form.errors.get("referral_code", [])))
        return redirect("services_catalog-dashboard:intake-customer", user_id=customer.pk)
    chooser = IntakeServiceForm(request.GET or None)
    service = chooser.cleaned_data["service"] if chooser.is_valid() else None
    form = None
    status = 200
    if service is not None:
        service = Service.objects.prefetch_related("price_tiers", "areas", "required_documents").get(pk=service.pk)
        earliest = services.earliest_date(service)
        form = JobRequestForm(request.POST or None, request.FILES or None, service=service, earliest=earliest)
        if request.method == "POST":
            if form.is_valid():
                try:
                    job = services.job_request(customer=customer, filed_by=request.user, **form.request_kwargs())
                except LeadTimeTooShort as exc:
                    form.add_error("preferred_date", str(exc.message))
                except JobError as exc:
                    form.add_error(None, str(exc.message))
                else:
                    messages.success(request, _("Request %(number)s filed for the caller.") % {"number": job.number})
                    return redirect(_detail_url(job))
            status = 400
    recent = Job.objects.filter(customer=customer).select_related("service")[:10]
    return render(request, "services_catalog/dashboard/intake_customer.html", {
        "customer": customer, "profile": profile, "tiers": type(profile).Tier.choices,
        "chooser": chooser, "service": service, "form": form,
        "recent_jobs": recent, "referral_form": referral_form, "referral": getattr(customer, "referral", None),
        "earliest": services.earliest_date(service) if service else None,
    }, status=status)

