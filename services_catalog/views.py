"""Storefront pages of quotable services (issue 5 points 2, 3 and the customer's side of 4–11).

Browse by category and area, a service's detail with "Request this service", the request
form, and the customer's own jobs: timeline (S7), quote acceptance (S12), payment (S5),
change orders (S12), cancellation with the fee shown first (S8), rating (S15), warranty
(S11) and complaints (S10). Views fetch, validate, call one service and render; the
rules live in `services_catalog.services`.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.paging import KeysFirst
from core.permissions import is_staff_member
from core.row_links import row_link
from payments.errors import PaymentError
from payments.gateway import stripe_configured
from payments.models import Payment
from services_catalog import conf, selectors, services
from services_catalog.errors import JobError, LeadTimeTooShort
from services_catalog.forms import (
    CancelForm,
    ComplaintForm,
    DocumentAddForm,
    JobRequestForm,
    RatingForm,
    ServiceFilterForm,
    WarrantyForm,
)
from services_catalog.job_rows import job_rows
from services_catalog.models import (
    Area,
    ChangeOrder,
    Job,
    JobEvent,
    Quote,
    Rating,
    Service,
    ServiceCategory,
    WarrantyClaim,
)
from services_catalog.payables import KIND as JOB_KIND
from services_catalog.payables import amount_for, purpose_due

logger = logging.getLogger(__name__)
SERVICES_PER_PAGE = 24
JOBS_PER_PAGE = 20
TRACK_SALT = "services_catalog.job-track"


# ------------------------------------------------------------------ helpers shared with the API
def service_page_for(service: Service):
    """The live ServicePage (CMS content) of `service` in the current language, if any."""
    from cms.models import ServicePage

    return (
        ServicePage.objects.live().public()
        .filter(service=service, locale__language_code=get_language())
        .first()
    )


def customer_tier(user) -> str | None:
    if not user.is_authenticated:
        return None
    from customers.services import profile_for

    return profile_for(user).tier


def track_token(job: Job) -> str:
    """An unguessable link to a job's status page, for a caller without a password (A2)
    or a relative the customer shares it with. It shows status and dates, no address."""
    return signing.dumps(job.number, salt=TRACK_SALT)


def customer_timeline(job: Job) -> list[JobEvent]:
    """The steps the customer sees (S7), oldest first, with who did each."""
    return list(job.events.filter(visible_to_customer=True).select_related("actor__provider"))


# Steps whose note is a machine summary (quote version and amount, payment purpose, visit
# time in ISO form): the page shows the same facts, formatted, in its own panels.
TECHNICAL_NOTES = frozenset({
    JobEvent.Action.QUOTE_SENT, JobEvent.Action.QUOTE_REVISED, JobEvent.Action.QUOTE_ACCEPTED,
    JobEvent.Action.PAID, JobEvent.Action.DISPATCHED, JobEvent.Action.VISIT_RESCHEDULED, JobEvent.Action.RATED,
    JobEvent.Action.WORK_RECORDED, JobEvent.Action.CHANGE_PROPOSED, JobEvent.Action.CHANGE_ACCEPTED,
    JobEvent.Action.CHANGE_DECLINED,
})


def actor_label(event: JobEvent, job: Job) -> str:
    actor = event.actor
    if actor is None or is_staff_member(actor):
        return _("Chaarsoo")
    if actor.pk == job.customer_id:
        return _("You")
    provider = getattr(actor, "provider", None)
    return provider.display_name if provider is not None else _("Provider")


def current_quote(job: Job) -> Quote | None:
    return job.quotes.filter(status__in=[Quote.Status.SENT, Quote.Status.ACCEPTED]).prefetch_related("lines").first()


def _own_job(request: HttpRequest, number: str) -> Job:
    # Another customer's job number answers 404: it neither exists nor not, for them.
    return get_object_or_404(
        Job.objects.select_related("service", "area", "provider", "customer"), number=number, customer=request.user
    )


def _error_message(request: HttpRequest, exc: Exception) -> None:
    messages.error(request, str(getattr(exc, "message", exc)))


# ------------------------------------------------------------------ catalogue (issue 5 point 2)
def service_list(request: HttpRequest) -> HttpResponse:
    form = ServiceFilterForm(request.GET or None)
    category = area = None
    if form.is_valid():
        category = form.cleaned_data.get("category")
        area = form.cleaned_data.get("area")
    page_obj = Paginator(selectors.services_list(category=category, area=area), SERVICES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "services_catalog/service_list.html",
        {
            "form": form,
            "categories": list(ServiceCategory.objects.all()),
            "areas": list(Area.objects.all()),
            "category": category,
            "area": area,
            "page_obj": page_obj,
            "services": page_obj.object_list,
            # The cards rendered once per catalogue version (shop listing_cache, issue 16):
            # every service, price tier, category or area save retires them.
            # The key is the query string, as the catalogue's: the page links carry its other parameters.
            "listing_cache_key": f"services|{request.GET.urlencode()}",
        },
    )


def service_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        service = selectors.service_detail(slug=slug)
    except Service.DoesNotExist:
        raise Http404 from None
    tier = customer_tier(request.user)
    return render(
        request,
        "services_catalog/service_detail.html",
        {
            "service": service,
            "service_page": service_page_for(service),
            "earliest": services.earliest_date(service),
            "tier_allowed": tier is None or service.allows_tier(tier),
        },
    )


# ------------------------------------------------------------------ request (issue 5 point 3)
@login_required
def job_request(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        service = selectors.service_detail(slug=slug)
    except Service.DoesNotExist:
        raise Http404 from None
    earliest = services.earliest_date(service)
    tier = customer_tier(request.user)
    form = JobRequestForm(request.POST or None, request.FILES or None, service=service, earliest=earliest)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.job_request(customer=request.user, **form.request_kwargs())
        except LeadTimeTooShort as exc:
            form.add_error("preferred_date", str(exc.message))
        except JobError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("Your request %(number)s was received.") % {"number": job.number})
            return redirect("services_catalog:job-detail", number=job.number)
    return render(
        request,
        "services_catalog/job_request.html",
        {"service": service, "form": form, "earliest": earliest, "tier_allowed": service.allows_tier(tier)},
        status=400 if request.method == "POST" else 200,
    )


# ------------------------------------------------------------------ the customer's jobs (A1, S7)
@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    jobs = selectors.jobs_for_customer(request.user)
    page_obj = Paginator(KeysFirst(jobs), JOBS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "services_catalog/job_list.html", {
        "page_obj": page_obj, "jobs": page_obj.object_list,
        "rows": job_rows(page_obj.object_list, row_link("services_catalog:job-detail")),
    })


def _job_context(request: HttpRequest, job: Job) -> dict[str, Any]:
    now = timezone.now()
    quote = current_quote(job)
    events = customer_timeline(job)
    due_purpose = purpose_due(job)
    ratings = {rating.side: rating for rating in job.ratings.all()}
    claims = list(job.warranty_claims.select_related("redo_job"))
    warranty_until = None
    if job.status == Job.Status.COMPLETED and job.completed_at:
        warranty_until = job.completed_at + datetime.timedelta(days=conf.warranty_days())
    open_or_confirmed = any(c.status in (WarrantyClaim.Status.REPORTED, WarrantyClaim.Status.CONFIRMED) for c in claims)
    return {
        "job": job,
        "timeline": [
            (event, actor_label(event, job), "" if event.action in TECHNICAL_NOTES else event.note) for event in events
        ],
        "quote": quote,
        "quote_expired": bool(quote and quote.status == Quote.Status.SENT and quote.is_expired(now)),
        "can_accept": bool(
            quote and quote.status == Quote.Status.SENT and job.status == Job.Status.QUOTED
            and not quote.is_expired(now)
        ),
        "due_purpose": due_purpose,
        "due_purpose_label": Payment.Purpose(due_purpose).label if due_purpose else "",
        "due_amount": amount_for(job, due_purpose) if due_purpose else None,
        "card_payments": stripe_configured(),
        "pay_url": reverse("payments:pay", kwargs={"kind": JOB_KIND, "reference": job.number}),
        "change_orders": list(job.change_orders.all()),
        "charges": list(job.charges.all()),
        "receipts": list(job.receipts.all()),
        "documents": list(job.documents.select_related("requirement")),
        "photos": list(job.photos.all()),
        "my_rating": ratings.get(Rating.Side.CUSTOMER),
        "can_rate": job.status == Job.Status.COMPLETED and job.provider_id and Rating.Side.CUSTOMER not in ratings,
        "rating_form": RatingForm(),
        "claims": claims,
        "warranty_until": warranty_until,
        "can_claim_warranty": bool(warranty_until and now <= warranty_until and not open_or_confirmed),
        "warranty_form": WarrantyForm(),
        "complaints": list(job.complaints.all()),
        "can_complain": job.provider_id is not None,
        "complaint_form": ComplaintForm(),
        "document_form": DocumentAddForm(service=job.service) if job.is_open else None,
        "track_url": reverse("services_catalog:job-track", args=[track_token(job)]),
        "now": now,
    }


@login_required
def job_detail(request: HttpRequest, number: str) -> HttpResponse:
    job = _own_job(request, number)
    return render(request, "services_catalog/job_detail.html", _job_context(request, job))


@login_required
@require_POST
def quote_accept(request: HttpRequest, number: str, quote_id: int) -> HttpResponse:
    job = _own_job(request, number)
    quote = get_object_or_404(Quote, pk=quote_id, job=job)
    try:
        job = services.quote_accept(quote=quote, user=request.user)
    except JobError as exc:
        _error_message(request, exc)
        return redirect("services_catalog:job-detail", number=job.number)
    messages.success(request, _("You accepted the quote; the price is now fixed."))
    if purpose_due(job) and stripe_configured():
        return redirect("payments:pay", kind=JOB_KIND, reference=job.number)
    return redirect("services_catalog:job-detail", number=job.number)


# ------------------------------------------------------------------ payment (S5, Y1)
# A job is paid on payments' one pay page and return page (services_catalog.payables.JobPage):
# /payments/job/<number>/pay/ and .../return/. The job's old addresses (links in sent emails,
# a 3-D Secure return under way) still lead there, the query string included.
def _to_shared_page(request: HttpRequest, number: str, url_name: str) -> HttpResponse:
    job = _own_job(request, number)  # somebody else's job answers 404 here too
    url = reverse(url_name, kwargs={"kind": JOB_KIND, "reference": job.number})
    query = request.META.get("QUERY_STRING", "")
    return redirect(f"{url}?{query}" if query else url)


@login_required
def job_pay(request: HttpRequest, number: str) -> HttpResponse:
    return _to_shared_page(request, number, "payments:pay")


@login_required
def job_pay_return(request: HttpRequest, number: str) -> HttpResponse:
    return _to_shared_page(request, number, "payments:return")


# ------------------------------------------------------------------ change orders (S12)
@login_required
@require_POST
def change_order_decide(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    job = _own_job(request, number)
    change = get_object_or_404(ChangeOrder, pk=pk, job=job)
    decision = request.POST.get("decision")
    if decision not in ("accept", "decline"):
        messages.error(request, _("Choose to accept or decline the extra work."))
        return redirect("services_catalog:job-detail", number=job.number)
    try:
        change = services.change_order_decide(change_order=change, customer=request.user, accept=decision == "accept")
    except JobError as exc:
        _error_message(request, exc)
    else:
        if change.status == ChangeOrder.Status.ACCEPTED:
            messages.success(request, _("You accepted the extra work; it is added to the job."))
        else:
            messages.success(request, _("You declined the extra work."))
    return redirect("services_catalog:job-detail", number=job.number)


# ------------------------------------------------------------------ cancellation (S8)
@transaction.non_atomic_requests  # Stripe is called with no transaction open
@login_required
def job_cancel(request: HttpRequest, number: str) -> HttpResponse:
    """GET shows what cancelling would cost (the same function the cancellation uses);
    POST confirms it with the fee that was shown."""
    job = _own_job(request, number)
    if job.status == Job.Status.CANCELLED:
        messages.info(request, _("This job is already cancelled."))
        return redirect("services_catalog:job-detail", number=job.number)
    try:
        preview = services.job_cancellation_preview(job=job, user=request.user)
    except JobError as exc:
        _error_message(request, exc)
        return redirect("services_catalog:job-detail", number=job.number)
    form = CancelForm(request.POST or None, initial={"expected_fee": preview.fee_total})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.job_cancel(
                    job=job, user=request.user, reason=form.cleaned_data["reason"],
                    expected_fee=form.cleaned_data["expected_fee"],
                )
            except (JobError, PaymentError) as exc:
                # Show the schedule as it is now (the fee may have changed) with the reason.
                messages.error(request, str(exc.message))
                preview = services.job_cancellation_preview(job=job, user=request.user)
                form = CancelForm(initial={"expected_fee": preview.fee_total, "reason": form.cleaned_data["reason"]})
                status = 409
            else:
                messages.success(request, _("Job %(number)s is cancelled.") % {"number": job.number})
                return redirect("services_catalog:job-detail", number=job.number)
        else:
            status = 400
    return render(
        request, "services_catalog/job_cancel.html", {"job": job, "preview": preview, "form": form}, status=status
    )


# ------------------------------------------------------------------ after the work (S15, S11, S10)
@login_required
@require_POST
def job_rate(request: HttpRequest, number: str) -> HttpResponse:
    job = _own_job(request, number)
    form = RatingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a score from 1 to 5."))
        return redirect("services_catalog:job-detail", number=job.number)
    already = job.ratings.filter(rater=request.user).exists()
    try:
        services.rating_submit(job=job, user=request.user, score=form.cleaned_data["score"],
                               comment=form.cleaned_data["comment"])
    except JobError as exc:
        _error_message(request, exc)
    else:
        if already:  # a second post (another tab, a resubmitted form) changes nothing
            messages.info(request, _("You already rated this job; your first rating stays recorded."))
        else:
            messages.success(request, _("Thank you for rating this job."))
    return redirect("services_catalog:job-detail", number=job.number)


@login_required
@require_POST
def job_warranty(request: HttpRequest, number: str) -> HttpResponse:
    job = _own_job(request, number)
    form = WarrantyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tell us what must be redone."))
        return redirect("services_catalog:job-detail", number=job.number)
    try:
        services.warranty_report(job=job, customer=request.user, reason=form.cleaned_data["reason"])
    except JobError as exc:
        _error_message(request, exc)
    else:
        messages.success(request, _("Your warranty report was sent; our staff will contact you."))
    return redirect("services_catalog:job-detail", number=job.number)


@login_required
@require_POST
def job_complaint(request: HttpRequest, number: str) -> HttpResponse:
    job = _own_job(request, number)
    form = ComplaintForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tell us what happened."))
        return redirect("services_catalog:job-detail", number=job.number)
    try:
        services.complaint_file(customer=request.user, text=form.cleaned_data["text"], job=job)
    except JobError as exc:
        _error_message(request, exc)
    else:
        messages.success(request, _("Your complaint reached our staff."))
    return redirect("services_catalog:job-detail", number=job.number)


@login_required
@require_POST
def job_document_add(request: HttpRequest, number: str) -> HttpResponse:
    job = _own_job(request, number)
    form = DocumentAddForm(request.POST, request.FILES, service=job.service)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(str(e) for e in errors))
        return redirect("services_catalog:job-detail", number=job.number)
    try:
        services.job_document_add(job=job, user=request.user, requirement=form.cleaned_data["requirement"],
                                  file=form.cleaned_data.get("file"), delivery=form.cleaned_data["delivery"])
    except JobError as exc:
        _error_message(request, exc)
    else:
        messages.success(request, _("The document was added."))
    return redirect("services_catalog:job-detail", number=job.number)


# ------------------------------------------------------------------ tracking link (S7, A2)
def job_track(request: HttpRequest, token: str) -> HttpResponse:
    try:
        number = signing.loads(token, salt=TRACK_SALT)
    except signing.BadSignature:
        raise Http404 from None
    job = get_object_or_404(Job.objects.select_related("service", "provider"), number=number)
    events = job.events.filter(visible_to_customer=True)
    return render(request, "services_catalog/job_track.html", {"job": job, "events": events})
