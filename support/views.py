"""The customer's side of the desk (T1, T2, A1, S16): report a problem (help articles
first), their tickets and replies, feedback and ideas."""

from __future__ import annotations

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core import clock
from support.errors import SupportError
from support.forms import FeedbackForm, ReplyForm, ReportForm
from support.models import Category, Channel, Ticket
from support.selectors import office_hours
from support.services import customer_reply, ticket_file
from support.suggest import help_articles


def _linked(request: HttpRequest) -> dict:
    """The order, job or claim a "report a problem" link came from, if it is the user's own."""
    source = request.POST if request.method == "POST" else request.GET
    linked: dict = {}
    specs = (("order", "order", "Order", "number", "user"), ("job", "services_catalog", "Job", "number", "customer"),
             ("claim", "vendors", "WarrantyClaim", "pk", "customer"))
    for key, label, model, field, owner in specs:
        value = (source.get(key) or "").strip()
        if not value or (label == "vendors" and not value.isdigit()):
            continue
        found = apps.get_model(label, model).objects.filter(**{field: value, owner: request.user}).first()
        if found is not None:
            linked[key] = found
    return linked


CATEGORY_OF = {"order": Category.ORDER, "job": Category.JOB, "claim": Category.WARRANTY}


@login_required
def report(request: HttpRequest) -> HttpResponse:
    """T2: as the subject is typed, matching help articles show; the ticket is filed after."""
    linked = _linked(request)
    initial = {"category": next((CATEGORY_OF[key] for key in linked), Category.OTHER)}
    form = ReportForm(request.POST or None, request.FILES or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                ticket = ticket_file(
                    customer=request.user, channel=Channel.FORM, subject=data["subject"], body=data["body"],
                    category=data["category"], files=[data["attachment"]] if data.get("attachment") else [],
                    **linked,
                )
            except SupportError as exc:
                form.add_error(None, str(exc.message))
            else:
                messages.success(request, _("Thank you. Your request %(number)s is with our team.")
                                 % {"number": ticket.number})
                return redirect("support:ticket-detail", ticket.number)
        status = 400
    return render(request, "support/report.html", {"form": form, "linked": linked,
                                                   "hours": office_hours()}, status=status)


@login_required
def ticket_list(request: HttpRequest) -> HttpResponse:
    tickets = Ticket.objects.filter(customer=request.user).order_by("-created")
    return render(request, "support/ticket_list.html", {"tickets": tickets})


@login_required
def ticket_detail(request: HttpRequest, number: str) -> HttpResponse:
    ticket = get_object_or_404(Ticket, number=number, customer=request.user)
    form = ReplyForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                customer_reply(ticket=ticket, user=request.user, body=form.cleaned_data["body"],
                               files=[form.cleaned_data["attachment"]] if form.cleaned_data.get("attachment") else [])
            except SupportError as exc:
                form.add_error(None, str(exc.message))
            else:
                messages.success(request, _("Your message was added."))
                return redirect("support:ticket-detail", ticket.number)
        status = 400
    public = ticket.messages.filter(kind__in=("customer", "reply")).select_related("author").prefetch_related(
        "attachments")
    return render(request, "support/ticket_detail.html", {"ticket": ticket, "public": public, "form": form},
                  status=status)


@require_GET
def article_suggest(request: HttpRequest) -> JsonResponse:
    """T2: help articles matching what the customer is typing (a small JSON list)."""
    return JsonResponse({"articles": help_articles(request.GET.get("q", ""), request=request)})


@login_required
def feedback(request: HttpRequest) -> HttpResponse:
    """S16: feedback and ideas, any time."""
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        row = form.save(commit=False)
        row.customer = request.user
        row.created = clock.now()
        row.save()
        messages.success(request, _("Thank you; we read every message."))
        return redirect("support:feedback")
    return render(request, "support/feedback.html", {"form": form}, status=400 if request.method == "POST" else 200)


def hours(request: HttpRequest) -> HttpResponse:
    """A4: the staffed hours and the phone line (also included on CMS pages)."""
    return render(request, "support/hours.html", {"hours": office_hours()})

