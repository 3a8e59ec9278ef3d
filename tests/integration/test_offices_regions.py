"""The region table holds every province and every county of Iran (A3 routing needs the
destination's county): the counts per province are written down here, so a province
whose counties went missing fails; the later seed kept the first seed's rows and codes."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db.models import Count

from offices.models import Region
from offices.regions_counties import add_missing
from tests.helpers.offices import region

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]

COUNTIES = {
    "tehran": 16, "alborz": 6, "isfahan": 28, "fars": 36, "khorasan-razavi": 33, "khorasan-north": 8,
    "khorasan-south": 10, "azarbaijan-east": 21, "azarbaijan-west": 17, "ardabil": 11, "gilan": 17,
    "mazandaran": 22, "golestan": 14, "semnan": 8, "qom": 1, "markazi": 12, "qazvin": 6, "zanjan": 8,
    "hamadan": 10, "kurdistan": 10, "kermanshah": 14, "ilam": 10, "lorestan": 11, "khuzestan": 27,
    "chaharmahal-bakhtiari": 10, "kohgiluyeh-boyer-ahmad": 9, "bushehr": 10, "hormozgan": 13, "kerman": 23,
    "yazd": 11, "sistan-baluchestan": 23,
}


def test_every_province_has_all_its_counties():
    region("tehran")  # seeds the table again if a transactional test emptied it
    provinces = Region.objects.filter(kind=Region.Kind.PROVINCE)
    assert provinces.count() == 31
    counts = dict(provinces.annotate(n=Count("counties")).values_list("code", "n"))
    assert counts == COUNTIES
    assert sum(counts.values()) == 455


def test_counties_have_both_names_and_a_seat_inside_iran():
    region("tehran")
    for county in Region.objects.filter(kind=Region.Kind.COUNTY):
        assert county.name and county.name_en and county.name != county.name_en, county.code
        assert Decimal("25") <= county.latitude <= Decimal("40") and Decimal("44") <= county.longitude <= Decimal(
            "63.5"), county.code
    # names are unique within a province (no county written twice under two codes)
    duplicates = (Region.objects.filter(kind=Region.Kind.COUNTY).values("parent", "name")
                  .annotate(n=Count("pk")).filter(n__gt=1))
    assert not duplicates.exists(), list(duplicates)


def test_the_first_seeds_rows_keep_their_codes_and_adding_again_adds_nothing():
    shiraz = region("shiraz-county")
    assert shiraz.parent.code == "fars" and region("tabas").parent.code == "yazd"
    before = set(Region.objects.values_list("pk", "code"))
    assert add_missing(Region) == 0
    assert set(Region.objects.values_list("pk", "code")) == before
