"""Demo data of the support desk (idempotent): tickets in every status and channel, one
breached and escalated by the duty, a live-chat transcript and a waiting chat, quality
calls, feedback, and the calendar with this year's holidays."""

from __future__ import annotations

import datetime

import jdatetime
from django.contrib.auth import get_user_model
from django.db import transaction

from core import clock
from support.machine import TICKET
from support.models import ChatSession, Feedback, Ticket
from support.services import (
    agent_reply,
    customer_reply,
    escalate_overdue,
    log_call,
    seed_fixed_holidays,
    ticket_file,
    ticket_resolve,
)
from support.services.chat import chat_close, chat_open, chat_pickup, chat_post
from support.services.quality import sample_quality_calls

MARK = "[demo]"


def _user(username: str):
    return get_user_model().objects.filter(username=username).first()


def seed(command) -> None:
    year = jdatetime.date.today().year
    for jalali_year in (year, year + 1):
        seed_fixed_holidays(jalali_year)
    customer, agent, senior = _user("customer"), _user("agent"), _user("senior")
    if customer is None or agent is None or Ticket.objects.filter(subject__startswith=MARK).exists():
        return
    now = clock.now()
    with transaction.atomic():
        _tickets(customer, agent, senior, now)
        _chats(customer, agent, now)
        sample_quality_calls(now=now, share=0.5)
        Feedback.objects.create(customer=customer, kind=Feedback.Kind.IDEA, created=now,
                                body="کاش بشود زمان نصب را هم هنگام خرید انتخاب کرد.")
    if not getattr(command, "quiet", False):
        command.stdout.write(f"Support: {Ticket.objects.count()} tickets, {ChatSession.objects.count()} chats.")


def _tickets(customer, agent, senior, now: datetime.datetime) -> None:
    days = datetime.timedelta(days=1)
    # Open, from the profile's form, linked to the customer's latest service job if any.
    job = customer.service_jobs.order_by("-created").first()
    late = ticket_file(customer=customer, channel="form", category="job" if job else "other", job=job,
                       subject=f"{MARK} سرویس‌کار دیر رسید", body="قرار بود ساعت ۹ برسد، ساعت ۱۱ آمد.",
                       now=now - 2 * days)
    # Waiting for the customer, by email.
    waiting = ticket_file(customer=customer, channel="email", contact_email=customer.email,
                          subject=f"{MARK} رونوشت فاکتور", body="ممکن است فاکتور را دوباره برایم بفرستید؟",
                          now=now - 3 * days)
    agent_reply(ticket=waiting, agent=agent, body="فاکتور کدام سفارش را می‌خواهید؟ لطفاً شمارهٔ سفارش را بفرستید.",
                wait_for_customer=True, now=now - 3 * days + datetime.timedelta(hours=1))
    # Breached and escalated: an urgent phone call nobody solved; the duty escalates it.
    urgent = log_call(agent=agent, customer=customer, seconds=300, subject=f"{MARK} پول دو بار کسر شد",
                      notes="مشتری می‌گوید مبلغ سفارش دو بار از کارتش کم شده.", now=now - 5 * days)
    Ticket.objects.filter(pk=urgent.pk).update(priority="urgent", response_target=30, resolution_target=240)
    escalate_overdue(now=now)
    # Resolved: a form ticket answered and fixed.
    resolved = ticket_file(customer=customer, channel="form", category="order",
                           subject=f"{MARK} رنگ کالا با عکس فرق دارد", body="رنگ کتری سبز است نه آبی.",
                           now=now - 6 * days)
    agent_reply(ticket=resolved, agent=agent, body="عذرخواهی می‌کنیم؛ تعویض رایگان ثبت شد.",
                now=now - 6 * days + datetime.timedelta(hours=2))
    ticket_resolve(ticket=resolved, agent=agent, now=now - 5 * days)
    # Closed: an email question answered, resolved and closed.
    closed = ticket_file(customer=customer, channel="email", contact_email=customer.email,
                         subject=f"{MARK} ساعت کاری پشتیبانی", body="چه ساعتی می‌توانم با شما تماس بگیرم؟",
                         now=now - 9 * days)
    agent_reply(ticket=closed, agent=agent, body="شنبه تا چهارشنبه ۸ تا ۱۷ و پنجشنبه ۸ تا ۱۳.",
                now=now - 9 * days + datetime.timedelta(hours=1))
    ticket_resolve(ticket=closed, agent=agent, now=now - 9 * days + datetime.timedelta(hours=2))
    TICKET.fire(closed, "close", actor=agent, now=now - 8 * days)
    # The customer adds to the open one.
    customer_reply(ticket=late, user=customer, body="دفعهٔ بعد لطفاً زودتر خبر بدهید.", now=now - days)


def _chats(customer, agent, now: datetime.datetime) -> None:
    session = chat_open(customer=customer, now=now - datetime.timedelta(hours=5))
    chat_pickup(session=session, agent=agent)
    chat_post(session=session, sender="customer", client_id="demo-1", body="سلام، سفارشم کی می‌رسد؟",
              now=now - datetime.timedelta(hours=5))
    chat_post(session=session, sender="agent", author=agent, client_id="demo-2",
              body="سلام! فردا صبح تحویل می‌شود.", now=now - datetime.timedelta(hours=5) + datetime.timedelta(minutes=1))
    chat_post(session=session, sender="customer", client_id="demo-3", body="ممنون.",
              now=now - datetime.timedelta(hours=5) + datetime.timedelta(minutes=2))
    chat_close(session=session, agent=agent, now=now - datetime.timedelta(hours=4))
    visitor = chat_open(visitor_name="مهمان", visitor_contact="09120000000", now=now)
    chat_post(session=visitor, sender="customer", client_id="demo-4", body="برای نصب کولر وقت خالی دارید؟", now=now)
