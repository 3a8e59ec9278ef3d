"""Issue 15 (fa review): the staff pages of partner offices name each office in the reader's
language, including the offices a stored routing decision considered."""

from __future__ import annotations

import pytest

from offices.services import errand_take_cash
from tests.factories_services import make_customer
from tests.helpers.offices import file_errand, make_clerk, make_errand_service, make_office
from tests.helpers.roles import make_role_user

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]


def _named(office, fa: str, en: str):
    office.name, office.name_en = fa, en
    office.save(update_fields=["name", "name_en"])
    return office


def test_the_staff_errand_page_names_the_considered_offices_in_the_readers_language(client):
    service = make_errand_service("fars", "tehran")
    origin = _named(make_office("tehran-county"), "دفتر پیشخوان دولت ونک", "Vanak kiosk")
    _named(make_office("shiraz-county", services=[service]), "دفتر پیشخوان دولت زند", "Zand kiosk")
    clerk = make_clerk(origin)
    errand = file_errand(clerk, make_customer(tier="loyal"), service)
    errand_take_cash(clerk_user=clerk, errand=errand)  # paid: routed, the decision is stored
    client.force_login(make_role_user("operator"))
    english = client.get(f"/en/dashboard/offices/staff/errands/{errand.job.number}/").content.decode()
    persian = client.get(f"/fa/dashboard/offices/staff/errands/{errand.job.number}/").content.decode()
    assert "<td>Zand kiosk</td>" in english and "<td>دفتر پیشخوان دولت زند</td>" not in english
    assert "<td>دفتر پیشخوان دولت زند</td>" in persian and "Zand kiosk" not in persian
