"""Issue 12 point 9 (A4): the CMS contact page, in both languages, shows the staffed hours
and phone line of the one support calendar; a change to the calendar, its weekly hours or
its holidays shows on the next visit, even with the anonymous page cache on."""

from __future__ import annotations

import datetime

import pytest

from cms.models import ContactPage
from support.models import SupportCalendar, Weekday, WeeklyHours

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_contact_page_in_both_languages_linked_from_the_footer(client):
    assert {page.locale.language_code for page in ContactPage.objects.all()} == {"fa", "en"}
    for language in ("fa", "en"):
        page = client.get(f"/{language}/contact/")
        assert page.status_code == 200 and b"data-office-hours" in page.content
        assert b"support@chaarsoo.example" in page.content
        assert f'href="/{language}/contact/"'.encode() in client.get(f"/{language}/help/").content


def test_the_contact_page_shows_a_change_of_the_calendar_at_once(client, settings):
    settings.CHAARSOO_PAGE_CACHE_SECONDS = 600
    assert client.get("/en/contact/")["X-Page-Cache"] == "miss"
    assert client.get("/en/contact/")["X-Page-Cache"] == "hit"
    calendar = SupportCalendar.objects.order_by("-valid_from").first()
    calendar.phone = "021-55554444"
    calendar.save()
    assert b"021-55554444" in client.get("/en/contact/").content
    WeeklyHours.objects.create(calendar=calendar, weekday=Weekday.FRIDAY,
                               opens=datetime.time(6, 10), closes=datetime.time(7, 50))
    page = client.get("/en/contact/").content.decode()
    assert "06:10–07:50" in page
    WeeklyHours.objects.filter(calendar=calendar, opens=datetime.time(6, 10)).delete()
    assert "06:10–07:50" not in client.get("/en/contact/").content.decode()
