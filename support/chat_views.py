"""Live chat pages (T1): starting a chat, the polling fallback when the WebSocket fails,
and the agent's side in the console."""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.permissions import Ability, ability_required
from support.errors import SupportError
from support.models import ChatMessage, ChatSession
from support.selectors import customer_history
from support.services.chat import chat_close, chat_open, chat_pickup, chat_post, chat_since


def _error(exc: SupportError) -> JsonResponse:
    return JsonResponse({"code": exc.code, "detail": str(exc.message)}, status=exc.status_code)


def _body(request: HttpRequest) -> dict:
    if request.content_type == "application/json":
        try:
            return json.loads(request.body or b"{}")
        except ValueError:
            return {}
    return request.POST.dict()


@require_POST
def chat_start(request: HttpRequest) -> JsonResponse:
    """Open (or resume) a chat: signed-in customers as themselves, visitors with a contact."""
    data = _body(request)
    try:
        session = chat_open(customer=request.user if request.user.is_authenticated else None,
                            visitor_name=str(data.get("name", "")), visitor_contact=str(data.get("contact", "")))
    except SupportError as exc:
        return _error(exc)
    return JsonResponse({"key": session.key, "status": session.status,
                         "messages": chat_since(session=session, after_id=0)})


def _customer_session(request: HttpRequest, key: str) -> ChatSession:
    session = get_object_or_404(ChatSession, key=key)
    if session.customer_id and session.customer_id != getattr(request.user, "pk", None):
        raise Http404  # a signed-in customer's chat: the key alone is not enough
    return session


def chat_messages(request: HttpRequest, key: str) -> JsonResponse:
    """The polling fallback: GET ?since=<id> answers what came after; POST sends one."""
    session = _customer_session(request, key)
    if request.method == "POST":
        data = _body(request)
        try:
            message, new = chat_post(session=session, sender=ChatMessage.Sender.CUSTOMER,
                                     body=str(data.get("body", "")), client_id=str(data.get("client_id", "")),
                                     author=request.user if request.user.is_authenticated else None)
        except SupportError as exc:
            return _error(exc)
        return JsonResponse({"id": message.pk, "new": new}, status=201 if new else 200)
    since = request.GET.get("since", "0")
    return JsonResponse({"status": session.status, "ticket": session.ticket.number if session.ticket_id else None,
                         "messages": chat_since(session=session, after_id=int(since) if since.isdigit() else 0)})


@ability_required(Ability.HANDLE_TICKETS)
def agent_chat(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(ChatSession.objects.select_related("customer", "agent", "ticket"), pk=pk)
    return render(request, "support/dashboard/chat.html", {
        "session": session, "chat_messages": chat_since(session=session),
        "history": customer_history(session.customer) if session.customer_id else None,
    })


@ability_required(Ability.HANDLE_TICKETS)
@require_POST
def agent_pickup(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(ChatSession, pk=pk)
    try:
        chat_pickup(session=session, agent=request.user)
    except SupportError as exc:
        messages.error(request, exc.message)
    return redirect("support-dashboard:chat", pk=pk)


@ability_required(Ability.HANDLE_TICKETS)
def agent_messages(request: HttpRequest, pk: int) -> JsonResponse:
    """The agent's polling fallback (same shape as the customer's)."""
    session = get_object_or_404(ChatSession, pk=pk)
    if request.method == "POST":
        data = _body(request)
        try:
            message, new = chat_post(session=session, sender=ChatMessage.Sender.AGENT, author=request.user,
                                     body=str(data.get("body", "")), client_id=str(data.get("client_id", "")))
        except SupportError as exc:
            return _error(exc)
        return JsonResponse({"id": message.pk, "new": new}, status=201 if new else 200)
    since = request.GET.get("since", "0")
    return JsonResponse({"status": session.status,
                         "messages": chat_since(session=session, after_id=int(since) if since.isdigit() else 0)})


@ability_required(Ability.HANDLE_TICKETS)
@require_POST
def agent_close(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(ChatSession, pk=pk)
    try:
        ticket = chat_close(session=session, agent=request.user)
    except SupportError as exc:
        messages.error(request, exc.message)
        return redirect("support-dashboard:chat", pk=pk)
    messages.success(request, _("The chat is now ticket %(number)s.") % {"number": ticket.number})
    return redirect("support-dashboard:ticket", ticket.number)
