"""The agent console (T1–T5): queues by team, a ticket with the customer's whole history,
replies, notes and status changes, phone calls, quality calls and reports."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import clock
from core.permissions import Ability, ability_required, has_ability
from customers.services import customer_find
from support import selectors
from support.errors import SupportError
from support.forms import AgentReplyForm, CallerLookupForm, CallForm, QualityCallForm, StatusForm, VisitForm
from support.models import QualityCall, Team, Ticket
from support.reports import report_context
from support.services import agent_reply, log_call, ticket_escalate, ticket_resolve, ticket_set_priority, ticket_wait
from support.services._common import load_calendar
from support.services.visits import book_visit

H = Ability.HANDLE_TICKETS


@ability_required(H)
def queue(request: HttpRequest) -> HttpResponse:
    team = request.GET.get("team") or (Team.SENIOR if has_ability(request.user, Ability.ESCALATE_TICKETS)
                                       else Team.AGENTS)
    if team not in Team.values:
        team = Team.AGENTS
    tickets = list(selectors.queue(team)[:200])
    now, calendar = clock.now(), load_calendar()
    for ticket in tickets:
        ticket.live_due = selectors.live_due(ticket, now, calendar)
        ticket.due_state = selectors.due_state(ticket)
    return render(request, "support/dashboard/queue.html", {
        "tickets": tickets, "team": team, "teams": Team.choices, "chats": selectors.waiting_chats()[:20],
        "now": now,
    })


def _ticket(number: str) -> Ticket:
    return get_object_or_404(Ticket.objects.select_related("customer", "assigned_to", "order", "job"), number=number)


@ability_required(H)
def ticket(request: HttpRequest, number: str) -> HttpResponse:
    item = _ticket(number)
    item.live_due = selectors.live_due(item)
    history = (selectors.customer_history(item.customer, exclude_ticket=item)
               if has_ability(request.user, Ability.VIEW_CUSTOMER_HISTORY) else None)
    return render(request, "support/dashboard/ticket.html", {
        "ticket": item, "thread": item.messages.select_related("author").prefetch_related("attachments"),
        "events": item.events.select_related("actor"), "history": history, "reply_form": AgentReplyForm(),
        "due_state": selectors.due_state(item), "can_escalated": has_ability(request.user, Ability.ESCALATE_TICKETS),
        "priorities": Ticket._meta.get_field("priority").choices, "visit_form": _visit_form(item),
    })


def _visit_form(item: Ticket) -> VisitForm | None:
    if item.customer_id is None or item.visit_job_id:
        return None
    last = item.customer.service_jobs.order_by("-created").first()
    return VisitForm(initial={"address": last.address, "area": last.area_id} if last else {})


@ability_required(H)
@require_POST
def ticket_reply(request: HttpRequest, number: str) -> HttpResponse:
    item = _ticket(number)
    form = AgentReplyForm(request.POST)
    if form.is_valid():
        try:
            agent_reply(ticket=item, agent=request.user, body=form.cleaned_data["body"],
                        internal=form.cleaned_data["internal"], wait_for_customer=form.cleaned_data["wait"])
        except SupportError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Saved."))
    else:
        messages.error(request, _("Write something first."))
    return redirect("support-dashboard:ticket", item.number)


@ability_required(H)
@require_POST
def ticket_status(request: HttpRequest, number: str) -> HttpResponse:
    item = _ticket(number)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a step."))
        return redirect("support-dashboard:ticket", item.number)
    action, note = form.cleaned_data["action"], form.cleaned_data["note"]
    try:
        if action == "wait":
            ticket_wait(ticket=item, agent=request.user)
        elif action == "resolve":
            ticket_resolve(ticket=item, agent=request.user, note=note)
        elif action == "escalate":
            ticket_escalate(ticket=item, user=request.user, reason=note or _("Handed to senior support"))
        elif action == "priority" and form.cleaned_data["priority"]:
            ticket_set_priority(ticket=item, agent=request.user, priority=form.cleaned_data["priority"])
        elif action == "close":
            from support.machine import TICKET  # noqa: PLC0415 - a one-line step, no service of its own

            TICKET.fire(item, "close", actor=request.user, note=note)
    except SupportError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Saved."))
    return redirect("support-dashboard:ticket", item.number)


@ability_required(H)
@require_POST
def ticket_visit(request: HttpRequest, number: str) -> HttpResponse:
    """S18: book an on-site support visit (a service job) from the ticket."""
    item = _ticket(number)
    form = VisitForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the service, the area and the address."))
        return redirect("support-dashboard:ticket", item.number)
    data = form.cleaned_data
    try:
        job = book_visit(ticket=item, agent=request.user, service=data["service"], area=data["area"],
                         address=data["address"], platform_fault=data["fault"] == "platform")
    except SupportError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Visit %(number)s booked.") % {"number": job.number})
    return redirect("support-dashboard:ticket", item.number)


@ability_required(H)
def call(request: HttpRequest) -> HttpResponse:
    """T1, A2: find the caller by mobile number or subscription code."""
    lookup = CallerLookupForm(request.GET or None)
    found = customer_find(query=lookup.cleaned_data["query"]) if lookup.is_valid() else None
    if found is not None:
        return redirect("support-dashboard:call-customer", user_id=found.pk)
    return render(request, "support/dashboard/call.html", {"lookup": lookup, "searched": lookup.is_bound})


@ability_required(H)
def call_customer(request: HttpRequest, user_id: int) -> HttpResponse:
    """The caller's history at once (T4), and the call logged on a new or open ticket."""
    customer = get_object_or_404(get_user_model(), pk=user_id, is_active=True)
    form = CallForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            existing = (Ticket.objects.filter(number=data["ticket"].strip(), customer=customer).first()
                        if data["ticket"] else None)
            try:
                item = log_call(agent=request.user, customer=customer, notes=data["notes"],
                                seconds=data["minutes"] * 60, ticket=existing, subject=data["subject"],
                                category=data["category"])
            except SupportError as exc:
                form.add_error(None, str(exc.message))
            else:
                messages.success(request, _("Call logged on %(number)s.") % {"number": item.number})
                return redirect("support-dashboard:ticket", item.number)
        status = 400
    history = (selectors.customer_history(customer) if has_ability(request.user, Ability.VIEW_CUSTOMER_HISTORY)
               else None)
    open_tickets = Ticket.objects.filter(customer=customer, status__in=Ticket.ACTIVE)
    return render(request, "support/dashboard/call_customer.html", {
        "customer": customer, "form": form, "history": history, "open_tickets": open_tickets}, status=status)


@ability_required(H)
def quality(request: HttpRequest) -> HttpResponse:
    """S16: this week's quality calls."""
    calls = QualityCall.objects.select_related("job__service", "job__provider", "job__customer")[:200]
    return render(request, "support/dashboard/quality.html", {"calls": calls, "form": QualityCallForm()})


@ability_required(H)
@require_POST
def quality_record(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(QualityCall, pk=pk)
    form = QualityCallForm(request.POST, instance=row)
    if form.is_valid():
        row = form.save(commit=False)
        row.called_by, row.called_at = request.user, clock.now()
        row.save()
        messages.success(request, _("Saved."))
    else:
        messages.error(request, _("Give a score from 1 to 5."))
    return redirect("support-dashboard:quality")


@ability_required(H)
def reports(request: HttpRequest) -> HttpResponse:
    """Tickets per day, times against targets, breaches by team and channel; quality per provider."""
    return render(request, "support/dashboard/reports.html", report_context())
