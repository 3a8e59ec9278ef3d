"""The support desk in a real browser (issue 12, "Proven by"): a customer on a 375-px phone
(Persian) opens the chat, an agent in a second browser context answers, the chat becomes
a ticket; "report a problem" shows a help article first.

The live server here is pytest-django's WSGI server, which cannot upgrade to a WebSocket:
the page's WebSocket fails and both sides fall back to polling (data-transport="polling").
That fallback is what this test proves; the WebSocket path itself is proven with channels'
communicator in tests/integration/test_support_chat.py."""

from __future__ import annotations

import datetime
import os
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.core.management import call_command

from core import clock
from core.management.commands.seed_demo import demo_password
from support.models import ChatSession, Ticket
from tests.functional.test_browser import CHROMIUM, _browser_or_skip, shot

# A Saturday morning in Tehran: the desk is staffed.
STAFFED = datetime.datetime(2026, 12, 5, 10, 0, tzinfo=ZoneInfo("Asia/Tehran"))


def sign_in(page, base: str, role: str, username: str) -> None:
    page.goto(f"{base}/fa/shop/accounts/login/")
    page.fill("#id_login-username", f"{username}@demo.chaarsoo.local")
    page.fill("#id_login-password", demo_password(role))
    page.click("button[name=login_submit]")
    page.wait_for_load_state()


@pytest.fixture
def two_browsers(monkeypatch):
    _browser_or_skip()
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        phone = browser.new_context(viewport={"width": 375, "height": 812}, locale="fa-IR")
        desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fa-IR")
        pages = phone.new_page(), desk.new_page()
        for page in pages:
            page.set_default_timeout(20000)
        yield pages
        phone.close()
        desk.close()
        browser.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_phone_customer_chats_with_an_agent_and_the_chat_becomes_a_ticket(live_server, two_browsers, settings):
    settings.CHAARSOO_PAGE_CACHE_SECONDS = 0
    customer_page, agent_page = two_browsers
    base = live_server.url
    with clock.frozen(STAFFED):
        call_command("seed_demo", products=0, quiet=True, stdout=open(os.devnull, "w"))
        ChatSession.objects.all().delete()  # the demo's chats; this test starts its own

        # --- report a problem: a help article shows as the subject is typed (T2)
        sign_in(customer_page, base, "customer", "customer")
        customer_page.goto(f"{base}/fa/support/report/")
        customer_page.fill("[data-help-suggest]", "سفارش")
        customer_page.wait_for_selector("[data-help-articles]:not(.d-none) [data-help-list] a")
        shot(customer_page, "support-01-report-help-article-fa-375")
        assert customer_page.evaluate("document.documentElement.scrollWidth") <= 375  # no sideways scrolling

        # --- the customer opens the chat on the home page and writes
        customer_page.goto(f"{base}/fa/")
        customer_page.click("[data-chat-toggle]")
        customer_page.wait_for_selector("[data-chat-form]:not([hidden])")
        customer_page.fill("[data-chat-input]", "سلام، سفارشم هنوز نرسیده")
        customer_page.press("[data-chat-input]", "Enter")
        customer_page.wait_for_selector("[data-chat-log] [data-message-id]")
        assert customer_page.get_attribute("[data-support-chat]", "data-transport") == "polling"
        shot(customer_page, "support-02-chat-open-fa-375")

        # --- an agent in a second browser picks it up in the console and answers
        sign_in(agent_page, base, "agent", "agent")
        agent_page.goto(f"{base}/fa/dashboard/support/")
        agent_page.click("[data-chat-link]")
        agent_page.click("[data-chat-pickup]")
        agent_page.wait_for_selector("[data-agent-chat-form]")
        assert "سفارشم هنوز نرسیده" in agent_page.inner_text("[data-chat-log]")
        agent_page.fill("[data-agent-chat-form] [data-chat-input]", "سلام! فردا صبح به دستتان می‌رسد.")
        agent_page.press("[data-agent-chat-form] [data-chat-input]", "Enter")
        agent_page.wait_for_selector("[data-chat-log] .agent[data-message-id]")
        shot(agent_page, "support-03-agent-console-chat")

        # --- the customer sees the answer without reloading
        customer_page.wait_for_selector("[data-chat-log] .msg.agent[data-message-id]")
        assert "فردا صبح" in customer_page.inner_text("[data-chat-log]")
        shot(customer_page, "support-04-chat-answered-fa-375")

        # --- the agent ends the chat: it becomes a ticket with its transcript
        agent_page.click("[data-chat-close]")
        agent_page.wait_for_url("**/fa/dashboard/support/tickets/**")
        ticket = Ticket.objects.get(channel="chat", chat__isnull=False)
        assert "فردا صبح" in ticket.messages.first().body and ticket.first_response_at is not None
        shot(agent_page, "support-05-chat-became-ticket")
        customer_page.wait_for_selector("[data-chat-closed]:not([hidden])")
        assert not customer_page.is_visible("[data-chat-form]")  # nothing more can be sent
        shot(customer_page, "support-06-chat-ended-fa-375")
        customer_page.goto(f"{base}/fa/support/tickets/")
        # (Until the fa digit conversion leaves dir="ltr" identifiers alone, compare in Latin digits.)
        listed = customer_page.inner_text("[data-ticket-list]").translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789"))
        assert ticket.number in listed

    # --- on a Friday nobody is in: the button says when people are back and offers a ticket (A4)
    cache.clear()
    with clock.frozen(STAFFED + datetime.timedelta(days=6)):
        customer_page.goto(f"{base}/fa/")
        customer_page.click("[data-chat-toggle]")
        customer_page.wait_for_selector("[data-chat-offline]")
        assert customer_page.is_visible("[data-support-chat] a[href$='/support/report/']")
        shot(customer_page, "support-07-chat-outside-hours-fa-375")
