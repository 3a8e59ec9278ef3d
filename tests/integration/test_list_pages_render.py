"""Issue 16, list pages without the page cache: what they keep between requests is never
stale, and the HTML is the one the page printed before.

- The shopper's order history reads its rows as plain values on every request and keeps
  their rendering under a key of those values (`{% cached_rows %}`); its filter form, when
  not bound, under a key of the form's fields (`{% cached_form %}`). The page is the one
  Oscar's own view and template print (compared byte for byte, in Persian and English,
  with and without a filter), and a changed total, item count, date or currency, or a new
  order, shows on the next request even when written with `QuerySet.update()`.
- The staff job queue's filter dropdowns are read as values and kept under a key of their
  names and which one is selected: they print what the model objects printed, and a
  renamed or new service, area or provider, or another filter, shows on the next request.
- The dashboard's menu bar (every staff, seller and provider page) is kept under a key of
  its visible entries and the language: it is Oscar's bar for each user and language, and
  users with other entries never see each other's.
- The provider's calendar reads what a booked cell shows as values, building no booking,
  job, service or area: a renamed service or a new visit time shows on the next request.
- The seller's shipment rows format each day, quantity and destination once per page: every
  row still shows its own, and a change made with `QuerySet.update()` shows on the next
  request.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.template import engines
from django.template.backends.django import Template as BackendTemplate
from oscar.core.loading import get_class, get_model

from services_catalog.models import Area, Job, Provider, Service
from shop.account_views import OrderHistoryView
from tests.benchmarks.seed_work import add_jobs, add_orders
from tests.factories import UserFactory
from tests.factories_vendors import make_vendor, make_vendor_product, place_order, vendor_user
from vendors.models import Shipment, ShipmentLine

pytestmark = pytest.mark.django_db

Order = get_model("order", "Order")
Line = get_model("order", "Line")
OscarOrderHistoryView = get_class("customer.views", "OrderHistoryView")
ORDER_LIST = "oscar/customer/order/order_list.html"
CSRF = re.compile(r'(csrfmiddlewaretoken" value=")[^"]+')
NONCE = re.compile(r'nonce="[^"]+"')


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    # The visitor's CSRF token and the response's CSP nonce differ between responses.
    return NONCE.sub('nonce="-"', CSRF.sub(r"\1-", response.content.decode()))


def oscar_page(client, path: str) -> str:
    """The same page through Oscar's own view and Oscar's own template (as our template
    loader marks it), the way it was printed before issue 16."""
    backend = engines["django"]
    ours = backend.engine.find_template(ORDER_LIST)[1]
    oscar_template = BackendTemplate(backend.engine.find_template(ORDER_LIST, skip=[ours])[0], backend)
    assert "/oscar/templates/oscar/" in oscar_template.origin.name
    with (
        mock.patch.object(OrderHistoryView, "get_queryset", OscarOrderHistoryView.get_queryset),
        mock.patch.object(OrderHistoryView, "get_context_data", OscarOrderHistoryView.get_context_data),
        mock.patch.object(OrderHistoryView, "get_template_names", lambda self: oscar_template),
    ):
        return page(client, path)


@pytest.fixture
def shopper(client):
    shopper = get_user_model().objects.create_user("list-shopper", "list-shopper@example.com", "x")
    client.force_login(shopper)
    add_orders(shopper, 25, start=700_000)
    return shopper


def orders_table(html: str) -> str:
    start = html.index("<table")
    return html[start:html.index("</table>", start)]


@pytest.mark.parametrize("language", ["fa", "en"])
@pytest.mark.parametrize("query", [
    "", "?page=2", "?date_from=not-a-date&date_to=&order_number=", "?date_from=&date_to=&order_number=",
    "?date_from=2020-01-01&date_to=&order_number=BCO-7000",
])
def test_the_order_history_prints_what_oscars_view_and_template_printed(client, shopper, language, query):
    path = f"/{language}/shop/accounts/orders/{query}"
    before = oscar_page(client, path)
    assert page(client, path) == before  # rendered and kept
    assert page(client, path) == before  # from what was kept


def test_a_filter_with_errors_shows_them_and_the_next_plain_page_does_not(client, shopper):
    page(client, "/en/shop/accounts/orders/")
    shown = page(client, "/en/shop/accounts/orders/?date_from=not-a-date&date_to=&order_number=")
    assert "Enter a valid date." in shown and 'value="not-a-date"' in shown
    plain = page(client, "/en/shop/accounts/orders/")
    assert "Enter a valid date." not in plain and "not-a-date" not in plain


def test_a_filter_still_selects_orders(client, shopper):
    shown = page(client, "/en/shop/accounts/orders/?date_from=&date_to=&order_number=BCO-70001")
    assert re.findall(r"/(BCO-\d+)/", orders_table(shown)) == [f"BCO-{n}" for n in range(700010, 700020)]


def test_rows_are_rendered_once_for_the_same_values(client, shopper):
    page(client, "/fa/shop/accounts/orders/")
    with mock.patch("oscar.templatetags.currency_filters.format_currency") as format_currency:
        page(client, "/fa/shop/accounts/orders/")
    format_currency.assert_not_called()


def first_row(client, language: str = "en") -> str:
    table = orders_table(page(client, f"/{language}/shop/accounts/orders/"))
    return table[table.index("<td>"):table.index("</tr>", table.index("<td>"))]


def test_a_total_changed_with_update_shows_on_the_next_request(client, shopper):
    before = first_row(client)
    Order.objects.filter(number="BCO-700000").update(total_incl_tax=Decimal("1234.50"))
    after = first_row(client)
    assert after != before and "1,234.50" in after


def test_a_line_quantity_changed_with_update_shows_as_the_number_of_items(client, shopper):
    assert "<td>1</td>" in first_row(client)
    Line.objects.filter(order__number="BCO-700000").update(quantity=7)
    assert "<td>7</td>" in first_row(client)
    Line.objects.filter(order__number="BCO-700000").delete()
    assert "<td>0</td>" in first_row(client)


def test_a_date_and_currency_changed_with_update_show_on_the_next_request(client, shopper):
    before = first_row(client, "fa")
    # Still the newest order: 12 Khordad 1415 in Tehran.
    Order.objects.filter(number="BCO-700000").update(date_placed=dt.datetime(2036, 6, 1, 9, 5, tzinfo=dt.UTC))
    row = first_row(client, "fa")
    assert row != before and "۱۲ خرداد ۱۴۱۵" in row
    Order.objects.filter(number="BCO-700000").update(currency="USD")
    assert "$" in first_row(client, "fa")


def test_a_new_order_shows_on_the_next_request(client, shopper):
    page(client, "/en/shop/accounts/orders/")
    add_orders(shopper, 1, start=799_999)
    Order.objects.filter(number="BCO-799999").update(date_placed=Order.objects.latest("date_placed").date_placed
                                                     + dt.timedelta(minutes=1))
    assert "BCO-799999" in first_row(client)


# ------------------------------------------------------------------ the staff job queue
# The queue's dropdowns as the template printed them from model objects (before issue 16).
OLD_DROPDOWNS = """
    <select name="status" class="form-control mr-2 mb-2">
      <option value="">{% trans "All statuses" %}</option>
      <option value="open"{% if filters.status == "open" %} selected{% endif %}>{% trans "Open jobs" %}</option>
      {% for value, label in statuses %}<option value="{{ value }}"{% if value == filters.status %} selected{% endif %}>{{ label }}</option>{% endfor %}
    </select>
    <select name="service" class="form-control mr-2 mb-2">
      <option value="">{% trans "All services" %}</option>
      {% for service in services %}<option value="{{ service.pk }}"{% if filters.service == service.pk|stringformat:"s" %} selected{% endif %}>{{ service.get_name }}</option>{% endfor %}
    </select>
    <select name="area" class="form-control mr-2 mb-2">
      <option value="">{% trans "All areas" %}</option>
      {% for area in areas %}<option value="{{ area.pk }}"{% if filters.area == area.pk|stringformat:"s" %} selected{% endif %}>{{ area.get_name }}</option>{% endfor %}
    </select>
    <select name="provider" class="form-control mr-2 mb-2">
      <option value="">{% trans "All providers" %}</option>
      {% for provider in providers %}<option value="{{ provider.pk }}"{% if filters.provider == provider.pk|stringformat:"s" %} selected{% endif %}>{{ provider.display_name }}</option>{% endfor %}
    </select>
"""  # noqa: E501 - Django template tags cannot be split across lines


def old_dropdowns(language: str, filters: dict[str, str]) -> str:
    from django.utils import translation

    from services_catalog.models import Job

    with translation.override(language):
        return engines["django"].from_string("{% load i18n %}" + OLD_DROPDOWNS).render({
            "filters": filters, "statuses": Job.Status.choices,
            "services": Service.objects.only("pk", "name", "name_en"), "areas": Area.objects.all(),
            "providers": Provider.objects.only("pk", "display_name"),
        })


def dropdowns(html: str) -> str:
    start = html.index("\n", html.index('<input type="search" name="q"'))
    return html[start:html.index('<button class="btn btn-primary mb-2"', start)].strip()


@pytest.fixture
def operator_client(client):
    client.force_login(get_user_model().objects.get(username="operator"))
    return client


@pytest.mark.parametrize("language", ["fa", "en"])
@pytest.mark.parametrize("chosen", [{}, {"status": "open"}, {"status": "quoted", "service": "first",
                                                              "area": "first", "provider": "first"}])
def test_the_queue_dropdowns_print_what_the_objects_printed(operator_client, language, chosen):
    firsts = {"service": Service.objects.first(), "area": Area.objects.first(), "provider": Provider.objects.first()}
    filters = {"status": "", "service": "", "area": "", "provider": ""}
    filters.update({name: str(firsts[name].pk) if value == "first" else value for name, value in chosen.items()})
    query = "&".join(f"{name}={value}" for name, value in filters.items())
    expected = old_dropdowns(language, filters).strip()
    assert dropdowns(page(operator_client, f"/{language}/dashboard/services/?{query}")) == expected
    assert dropdowns(page(operator_client, f"/{language}/dashboard/services/?{query}")) == expected  # kept


def test_a_renamed_or_new_choice_shows_on_the_next_request(operator_client):
    page(operator_client, "/en/dashboard/services/")
    service, area, provider = Service.objects.first(), Area.objects.first(), Provider.objects.first()
    Service.objects.filter(pk=service.pk).update(name_en="Renamed service")
    Area.objects.filter(pk=area.pk).update(name_en="Renamed area")
    Provider.objects.filter(pk=provider.pk).update(display_name="Renamed provider")
    shown = dropdowns(page(operator_client, "/en/dashboard/services/"))
    for name in ("Renamed service", "Renamed area", "Renamed provider"):
        assert f">{name}</option>" in shown
    Area.objects.create(slug="list-pages-new", name="ناحیه تازه", name_en="A new area")
    assert ">A new area</option>" in dropdowns(page(operator_client, "/en/dashboard/services/"))


def test_another_filter_selects_its_option_and_the_plain_queue_selects_none(operator_client):
    service = Service.objects.first()
    page(operator_client, "/en/dashboard/services/")
    chosen = dropdowns(page(operator_client, f"/en/dashboard/services/?service={service.pk}"))
    assert f'<option value="{service.pk}" selected>' in chosen
    assert " selected>" not in dropdowns(page(operator_client, "/en/dashboard/services/"))


# ------------------------------------------------------------------ the seller's shipments
def shipment_cells(client, shipment) -> list[str]:
    html = page(client, "/fa/dashboard/seller/shipments/")
    row = html[html.index(f'data-shipment="{shipment.pk}"'):]
    return re.findall(r"<td>(.*?)</td>", row[:row.index("</tr>")], re.S)


def test_each_shipment_row_shows_its_own_day_quantity_and_destination(client):
    vendor = make_vendor("Days shop")
    product = make_vendor_product(vendor, price="10.00", stock=500)
    buyer = UserFactory()
    for _ in range(3):
        place_order(buyer, [(product, 1)])
    client.force_login(vendor_user(vendor))
    first, second, third = Shipment.objects.filter(partner=vendor).order_by("pk")
    shown = [shipment_cells(client, shipment) for shipment in (first, second, third)]
    assert shown[0][1:] == shown[1][1:] == shown[2][1:]  # the same day, items, place and status
    Shipment.objects.filter(pk=second.pk).update(
        created=dt.datetime(2036, 6, 1, 21, 0, tzinfo=dt.UTC),  # 2 June in Tehran: 13 Khordad 1415
        promised_by=dt.date(2036, 6, 21),  # 1 Tir 1415
    )
    Line.objects.filter(pk__in=ShipmentLine.objects.filter(shipment=second).values("line_id")).update(quantity=4)
    cells = {shipment.pk: shipment_cells(client, shipment) for shipment in (first, second, third)}
    assert "۱۴۱۵/۰۳/۱۳" in cells[second.pk][1] and "۱۴۱۵/۰۴/۰۱" in cells[second.pk][4]
    assert "۴ ×" in cells[second.pk][2]
    assert cells[first.pk] == shown[0] and cells[third.pk] == shown[2]


# ------------------------------------------------------------------ the dashboard's menu bar
MENU_BAR = re.compile(r'<nav class="navbar navbar-expand-lg navbar-dark bg-dark navbar-primary">.*?</nav>', re.S)


def oscars_menu_bar(user, language: str) -> str:
    """The bar as Oscar's layout block prints it (its source, as our loader reads it)."""
    from django.utils import translation

    backend = engines["django"]
    ours = backend.engine.find_template("oscar/dashboard/layout.html")[1]
    source = backend.engine.find_template("oscar/dashboard/layout.html", skip=[ours])[0].source
    block = source[source.index("{% block dashboard_nav %}"):]
    block = block[:block.index("{% endblock %}") + len("{% endblock %}")]
    with translation.override(language):
        html = backend.from_string("{% load dashboard_tags %}" + block).render({"user": user})
    return MENU_BAR.search(html).group(0)


@pytest.mark.parametrize("language", ["fa", "en"])
def test_each_users_menu_bar_is_oscars_in_their_language(client, language):
    pages = [
        ("provider", f"/{language}/dashboard/services/provider/"), ("operator", f"/{language}/dashboard/services/"),
        ("provider", f"/{language}/dashboard/services/provider/calendar/"),
    ]
    bars = []
    for username, path in pages:
        user = get_user_model().objects.get(username=username)
        client.force_login(user)
        bar = MENU_BAR.search(page(client, path)).group(0)
        assert bar == oscars_menu_bar(user, language)
        bars.append(bar)
    assert bars[0] != bars[1] and bars[0] == bars[2]  # the operator's bar was not the provider's


# ------------------------------------------------------------------ the provider's calendar
@pytest.fixture
def booked(client):
    """The demo provider signed in, with jobs booked in the calendar's 14 days."""
    client.force_login(get_user_model().objects.get(username="provider"))
    add_jobs(get_user_model().objects.get(username="customer"), 6, 0, start=860_000)
    jobs = Job.objects.filter(number__startswith="BJ-086", booking__isnull=False).select_related("service")
    assert jobs
    return jobs


def calendar_cell(client, job) -> str:
    html = page(client, "/en/dashboard/services/provider/calendar/")
    start = html.index(f'data-booked="{job.number}"')
    return html[start:html.index("</td>", start)]


def test_the_calendar_builds_no_booking_job_service_or_area(client, booked):
    from django.db.models.signals import post_init

    built: list[str] = []

    def count(sender, **kwargs) -> None:
        built.append(sender.__name__)

    page(client, "/en/dashboard/services/provider/calendar/")
    post_init.connect(count)
    try:
        page(client, "/en/dashboard/services/provider/calendar/")
    finally:
        post_init.disconnect(count)
    assert not {"SlotBooking", "Job", "Service", "Area"} & set(built)


def test_a_renamed_service_and_a_new_visit_time_show_in_the_calendar_on_the_next_request(client, booked):
    job = booked[0]
    assert f">{job.service.name_en}</a>" in calendar_cell(client, job)
    Service.objects.filter(pk=job.service_id).update(name_en="Renamed for the calendar")
    Job.objects.filter(pk=job.pk).update(visit_at=dt.datetime(2036, 6, 1, 6, 45, tzinfo=dt.UTC))  # 10:15 in Tehran
    cell = calendar_cell(client, job)
    assert ">Renamed for the calendar</a>" in cell and "· 10:15" in cell
