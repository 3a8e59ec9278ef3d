"""The provider's dashboard (issue 5 point 13): their jobs and every step they take on
them (review, decline, dispatch, start, extra work, work done, complete, rate the
customer), a calendar of booked slots, weekly availability and areas, earnings from the
ledger (S17) and ratings (S15).

A provider only ever sees jobs assigned to them: any other job number answers 404.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.paging import KeysFirst
from core.row_links import row_link
from services_catalog import selectors, services
from services_catalog.errors import JobError
from services_catalog.forms import (
    AvailabilityForm,
    ChangeOrderForm,
    DeclineForm,
    DispatchForm,
    NotFeasibleForm,
    QuoteForm,
    RatingForm,
    WorkDoneForm,
)
from services_catalog.job_rows import calendar_cells, job_rows
from services_catalog.models import (
    SLOTS,
    Job,
    JobDocument,
    Provider,
    ProviderAvailability,
    Quote,
    Rating,
    Slot,
)

CALENDAR_DAYS = 14
JOBS_PER_PAGE = 30
BUCKETS = {
    "current": (Job.Status.REQUESTED, Job.Status.QUOTED, Job.Status.ASSIGNED, Job.Status.DISPATCHED,
                Job.Status.IN_PROGRESS),
    "done": (Job.Status.COMPLETED,),
    "cancelled": (Job.Status.CANCELLED, Job.Status.NOT_FEASIBLE),
}


def provider_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in, with a provider profile; passes the Provider as `provider`."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        provider = Provider.objects.filter(user=request.user).first()
        if provider is None:
            raise PermissionDenied(_("This page is for service providers."))
        return view(request, *args, provider=provider, **kwargs)

    return wrapper


def _my_job(provider: Provider, number: str) -> Job:
    return get_object_or_404(
        Job.objects.select_related("service", "area", "customer__profile", "provider"), number=number,
        provider=provider,
    )


def _back(job: Job) -> HttpResponse:
    return redirect("services_catalog-dashboard:provider-job-detail", number=job.number)


# ------------------------------------------------------------------ jobs
@provider_required
def job_list(request: HttpRequest, provider: Provider) -> HttpResponse:
    bucket = request.GET.get("show", "current")
    jobs = selectors.jobs_for_provider(provider, statuses=BUCKETS.get(bucket))
    if bucket != "current":
        jobs = jobs.order_by("-preferred_date", "-pk")
    page_obj = Paginator(KeysFirst(jobs), JOBS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "services_catalog/provider/job_list.html", {
        "provider": provider, "page_obj": page_obj, "jobs": page_obj.object_list, "bucket": bucket,
        "rows": job_rows(page_obj.object_list, row_link("services_catalog-dashboard:provider-job-detail")),
    })


def _job_context(provider: Provider, job: Job, **forms_override: Any) -> dict[str, Any]:
    quote = job.quotes.filter(status__in=[Quote.Status.SENT, Quote.Status.ACCEPTED]).prefetch_related("lines").first()
    ratings = {rating.side: rating for rating in job.ratings.all()}
    working = job.status in (Job.Status.ASSIGNED, Job.Status.DISPATCHED, Job.Status.IN_PROGRESS)
    # Work begins at the visit: the buttons appear once the service would accept them.
    start_from = job.visit_at - services.START_EARLY_GRACE if job.visit_at else None
    visit_due = start_from is None or timezone.now() >= start_from
    visit_initial = {"visit_time": timezone.localtime(job.visit_at).time() if job.visit_at else None}
    return {
        "provider": provider,
        "job": job,
        "events": job.events.select_related("actor"),
        "quote": quote,
        "can_review": job.status in (Job.Status.REQUESTED, Job.Status.QUOTED),
        "quote_form": forms_override.get("quote_form") or QuoteForm(),
        "not_feasible_form": forms_override.get("not_feasible_form") or NotFeasibleForm(),
        "can_decline": job.status in (Job.Status.ASSIGNED, Job.Status.DISPATCHED),
        "decline_form": DeclineForm(),
        "can_dispatch": job.status in (Job.Status.ASSIGNED, Job.Status.DISPATCHED),
        "dispatch_form": forms_override.get("dispatch_form") or DispatchForm(initial=visit_initial),
        "slot_hours": SLOTS[job.slot],
        "can_start": job.status == Job.Status.DISPATCHED and visit_due,
        "start_from": start_from if job.status == Job.Status.DISPATCHED and not visit_due else None,
        "can_record_work": job.status == Job.Status.IN_PROGRESS,
        "work_form": forms_override.get("work_form")
        or WorkDoneForm(prefix="work", initial={"amount": job.work_done_amount}),
        "can_propose": working,
        "change_form": forms_override.get("change_form") or ChangeOrderForm(),
        "change_orders": list(job.change_orders.all()),
        "can_complete": job.status == Job.Status.IN_PROGRESS or (job.status == Job.Status.DISPATCHED and visit_due),
        "can_rate": job.status == Job.Status.COMPLETED and Rating.Side.PROVIDER not in ratings,
        "my_rating": ratings.get(Rating.Side.PROVIDER),
        "customer_rating": ratings.get(Rating.Side.CUSTOMER),
        "rating_form": RatingForm(),
        "documents": list(job.documents.select_related("requirement")),
        "photos": list(job.photos.all()),
        "customer_phone": getattr(getattr(job.customer, "profile", None), "phone", None),
    }


def _render_job(request: HttpRequest, provider: Provider, job: Job, *, status: int = 200, **forms_override: Any):
    return render(request, "services_catalog/provider/job_detail.html", _job_context(provider, job, **forms_override),
                  status=status)


@provider_required
def job_detail(request: HttpRequest, number: str, provider: Provider) -> HttpResponse:
    return _render_job(request, provider, _my_job(provider, number))


def _refused(request: HttpRequest, job: Job, exc: DomainError) -> HttpResponse:
    messages.error(request, str(exc.message))
    return _back(job)


@provider_required
@require_POST
def job_quote(request: HttpRequest, number: str, provider: Provider) -> HttpResponse:
    job = _my_job(provider, number)
    form = QuoteForm(request.POST)
    if not form.is_valid():
        return _render_job(request, provider, job, status=400, quote_form=form)
    try:
        services.quote_send(job=job, user=request.user, lines=form.cleaned_data["lines"],
                            valid_days=form.cleaned_data["valid_days"])
    except JobError as exc:
        return _refused(request, job, exc)
    messages.success(request, _("The quote was sent to the customer."))
    return _back(job)


@provider_required
@require_POST
def job_not_feasible(request: HttpRequest, number: str, provider: Provider) -> HttpResponse:
    job = _my_job(provider, number)
    form = NotFeasibleForm(request.POST)
    if not form.is_valid():
        return _render_job(request, provider, job, status=400, not_feasible_form=form)
    try:
        services.job_review_not_feasible(job=job, user=request.user, reason=form.cleaned_data["reason"])
    except JobError as exc:
        return _refused(request, job, exc)
    messages.success(request, _("The customer was told why the job is not feasible."))
    return _back(job)


@provider_required
@require_POST
def job_decline(request: HttpRequest, number: str, provider: Provider) -> HttpResponse:
    job = _my_job(provider, number)
    form = DeclineForm(request.POST)
    form.is_valid()
    try:
        services.job_decline(job=job, provider_user=request.user, reason=form.cleaned_data.get("reason", ""))
    except JobError as exc:
        return _refused(request, job, exc)
    # The job is no longer theirs: back to the list.
    messages.success(request, _("You declined job %(number)s; it goes to another provider.") % {"number": job.number})
    return redirect("services_catalog-dashboard:provider-jobs")


@provider_required
@require_POST
def job_dispatch(request: HttpRequest, number: str, provider: Provider) -> HttpResponse:
    job = _my_job(provider, number)
    form = DispatchForm(request.POST)
    if not form.is_valid():
        return _render_job(request, provider, job, status=400, dispatch_form=form)
    try:
        services.job_dispatch(job=job, user=request.user, visit_at=form.visit_at(job.preferred_date))
    except JobError as exc:
        form.add_error("visit_time", str(exc.message))
        return _render_job(request, provider, job, status=400, dispatch_form=form)
    messages.success(request, _("The customer was told the visit time."))
    return _back(job)


@provider_required
@require_POST
def job_start(request: HttpRequest, number: str, provider: Provider) -> HttpResponse:
    job = _my_job(provider, number)
    try:
        services.job_start(job=job, user=request.user)
    except JobError as exc:
        return _refused(request, job, exc)
    messages.success(request, _("Work started."))
    return _back(job)


@provider_required
@require_POST
def job_work_done(request: HttpRequest, number: str, provider: Provider) -> HttpResponse:
    job = _my_job(provider, number)
    form = WorkDoneForm(request.POST, prefix="work")
    if not form.is_valid():
        return _render_job(request, provider, job, status=400, work_form=form)
    try:
        services.job_record_work_done(job=job, user=request.user, amount=form.cleaned_data["amount"],
                                      note=form.cleaned_data["note"])
    except JobError as exc:
        form.add_error("amount", str(exc.message))
        return _render_job(request, provider, job, status=400, work_form=form)
    messages.success(request, _("The work done so far is recorded."))
    return _back(job)


@provider_required
@require_POST
def job_change_order(request: HttpRequest, number: str, provider: Provider) -> HttpResponse:
    job = _my_job(provider, number)
    form = ChangeOrderForm(request.POST)
    if not form.is_valid():
        return _render_job(request, provider, job, status=400, change_form=form)
    try:
        services.change_order_propose(job=job, provider_user=request.user,
                                      description=form.cleaned_data["description"], amount=form.cleaned_data["amount"])
    except JobError as exc:
        form.add_error(None, str(exc.message))
        return _render_job(request, provider, job, status=400, change_form=form)
    messages.success(request, _("The customer was asked to accept the extra work; do it only once they have."))
    return _back(job)


@provider_required
@require_POST
def job_complete(request: HttpRequest, number: str, provider: Provider) -> HttpResponse:
    job = _my_job(provider, number)
    try:
        services.job_complete(job=job, provider_user=request.user)
    except JobError as exc:
        return _refused(request, job, exc)
    messages.success(request, _("Job %(number)s is complete. Thank you!") % {"number": job.number})
    return _back(job)


@provider_required
@require_POST
def job_rate(request: HttpRequest, number: str, provider: Provider) -> HttpResponse:
    job = _my_job(provider, number)
    form = RatingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a score from 1 to 5."))
        return _back(job)
    already = job.ratings.filter(rater=request.user).exists()
    try:
        services.rating_submit(job=job, user=request.user, score=form.cleaned_data["score"],
                               comment=form.cleaned_data["comment"])
    except JobError as exc:
        return _refused(request, job, exc)
    if already:
        messages.info(request, _("You already rated this customer; your first rating stays recorded."))
    else:
        messages.success(request, _("Thank you for rating the customer."))
    return _back(job)


@provider_required
@require_POST
def document_mark(request: HttpRequest, number: str, pk: int, provider: Provider) -> HttpResponse:
    job = _my_job(provider, number)
    document = get_object_or_404(JobDocument, pk=pk, job=job)
    try:
        services.job_document_mark(document=document, user=request.user, returned=request.POST.get("returned") == "1")
    except JobError as exc:
        return _refused(request, job, exc)
    messages.success(request, _("Recorded."))
    return _back(job)


# ------------------------------------------------------------------ calendar, availability, areas (S13)
@provider_required
def calendar(request: HttpRequest, provider: Provider) -> HttpResponse:
    """The next 14 days: which slots are booked (and by which job) and which are free."""
    # What a booked cell shows is read as values (job_rows.calendar_cells), fresh on every
    # request; the template prints it inside {% cached_rows %}.
    cells = calendar_cells(provider, start=timezone.localdate(), days=CALENDAR_DAYS,
                           link=row_link("services_catalog-dashboard:provider-job-detail"))
    slots_per_day = len(SLOTS)
    rows = [
        (cells[index]["date"], cells[index:index + slots_per_day]) for index in range(0, len(cells), slots_per_day)
    ]
    return render(request, "services_catalog/provider/calendar.html", {
        "provider": provider, "rows": rows, "slots": [Slot(slot) for slot in SLOTS],
    })


@provider_required
def availability(request: HttpRequest, provider: Provider) -> HttpResponse:
    current = set(ProviderAvailability.objects.filter(provider=provider).values_list("weekday", "slot"))
    form = AvailabilityForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.provider_set_availability(provider=provider, user=request.user, slots=form.chosen())
        except JobError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Your weekly availability is saved."))
            return redirect("services_catalog-dashboard:provider-availability")
    return render(request, "services_catalog/provider/availability.html", {
        "provider": provider, "form": form, "areas": provider.areas.all(),
        "services": provider.services.select_related("category"),
    })


# ------------------------------------------------------------------ earnings (S17) and ratings (S15)
@provider_required
def earnings(request: HttpRequest, provider: Provider) -> HttpResponse:
    return render(request, "services_catalog/provider/earnings.html", {
        "provider": provider, "balance": selectors.provider_earnings(provider),
        "legs": selectors.provider_statement(provider), "currency": settings.OSCAR_DEFAULT_CURRENCY,
        "completed_jobs": Job.objects.filter(provider=provider, status=Job.Status.COMPLETED).count(),
        "sanctions": provider.sanctions.all()[:20],
    })


@provider_required
def ratings(request: HttpRequest, provider: Provider) -> HttpResponse:
    received = Rating.objects.filter(job__provider=provider, side=Rating.Side.CUSTOMER).select_related("job__service")
    page_obj = Paginator(received, JOBS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "services_catalog/provider/ratings.html", {
        "provider": provider, "page_obj": page_obj, "ratings": page_obj.object_list,
    })

