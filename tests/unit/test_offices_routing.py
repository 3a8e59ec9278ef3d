"""A3 routing: a table of cases for the pure rule (offices.routing.route)."""

from __future__ import annotations

import datetime

import pytest

from offices.routing import Candidate, Destination, great_circle_km, is_open_at, route

# The destination: Shiraz county, Fars province.
SHIRAZ = Destination(province="fars", county="shiraz-county", latitude=29.5918, longitude=52.5837)


def office(pk, *, county="shiraz-county", province="fars", lat=29.59, lng=52.58, **kwargs):
    return Candidate(office_id=pk, name=f"office {pk}", province=province, county=county, latitude=lat,
                     longitude=lng, **kwargs)


MARVDASHT = {"county": "marvdasht", "lat": 29.874, "lng": 52.802}
JAHROM = {"county": "jahrom", "lat": 28.5, "lng": 53.56}
ISFAHAN = {"county": "isfahan-county", "province": "isfahan", "lat": 32.6546, "lng": 51.668}
YAZD = {"county": "yazd-county", "province": "yazd", "lat": 31.8974, "lng": 54.3569}
BUSHEHR = {"county": "bushehr-county", "province": "bushehr", "lat": 28.9684, "lng": 50.8385}

CASES = [
    # (why, candidates, declined, expected office, expected reason prefix)
    ("the county beats the province even when farther",
     [office(1, **MARVDASHT), office(2, lat=29.7, lng=52.4)], (), 2, "county"),
    ("the province beats a nearer office elsewhere",
     [office(1, county="x", province="kohgiluyeh-boyer-ahmad", lat=29.6, lng=52.5), office(2, **JAHROM)], (),
     2, "province"),
    ("outside the province the nearest by great circle wins",
     [office(1, **ISFAHAN), office(2, **BUSHEHR), office(3, **YAZD)], (), 2, "distance"),
    ("a tie in the county goes to the fewest open errands",
     [office(1, open_errands=3), office(2, open_errands=1), office(3, open_errands=2)], (), 2,
     "county+fewest_open_errands"),
    ("a full tie goes to the older office",
     [office(4), office(3)], (), 3, "county+nearest"),
    ("a closed office is skipped",
     [office(1, open_now=False), office(2, **MARVDASHT)], (), 2, "province"),
    ("an inactive office is skipped",
     [office(1, is_active=False), office(2, **ISFAHAN)], (), 2, "distance"),
    ("an office that does not perform the errand is skipped",
     [office(1, performs=False), office(2, **JAHROM)], (), 2, "province"),
    ("a decline re-routes to the next office",
     [office(1), office(2, **MARVDASHT), office(3, **ISFAHAN)], (1,), 2, "province"),
    ("two declines re-route further",
     [office(1), office(2, **MARVDASHT), office(3, **ISFAHAN)], (1, 2), 3, "distance"),
    ("nobody open: no office chosen",
     [office(1, open_now=False), office(2, is_active=False)], (), None, "no_open_office"),
    ("no candidates at all", [], (), None, "no_open_office"),
]


@pytest.mark.parametrize(("why", "candidates", "declined", "expected", "reason"), CASES, ids=[c[0] for c in CASES])
def test_routing_table(why, candidates, declined, expected, reason):
    decision = route(SHIRAZ, candidates, declined=declined)
    assert decision.chosen == expected, why
    assert decision.reason.startswith(reason), decision.reason
    assert len(decision.considered) == len(candidates)


def test_the_decision_records_every_candidate_and_why_each_was_skipped():
    decision = route(SHIRAZ, [office(1, open_now=False), office(2, is_active=False), office(3, **MARVDASHT)],
                     declined=())
    rows = {row["office"]: row for row in decision.considered}
    assert rows[1]["skipped"] == "closed"
    assert rows[2]["skipped"] == "inactive"
    assert rows[3]["skipped"] == "" and rows[3]["rank"] == 1 and rows[3]["tier"] == "province"
    assert decision.as_dict()["chosen"] == 3


def test_great_circle_distance_tehran_to_isfahan_is_about_340_km():
    assert 330 < great_circle_km(35.6892, 51.3890, 32.6546, 51.6680) < 350


@pytest.mark.parametrize(("moment", "expected"), [
    (datetime.datetime(2026, 12, 5, 9, 0), True),    # Saturday morning
    (datetime.datetime(2026, 12, 5, 7, 59), False),  # before opening
    (datetime.datetime(2026, 12, 5, 16, 0), False),  # closing time
    (datetime.datetime(2026, 12, 4, 10, 0), False),  # Friday
])
def test_opening_hours(moment, expected):
    assert is_open_at(weekdays={0, 1, 2, 3, 5, 6}, opens_at=datetime.time(8), closes_at=datetime.time(16),
                      local_now=moment) is expected
