"""Gift-point arithmetic (referrals.rules): whole points, shares rounded down, refunds
taken back in proportion on the cumulative refunded amount, rounded half up."""

from __future__ import annotations

from decimal import Decimal

import pytest

from referrals.rules import cost_of, points_to_take_back, share_points, unspent_of

D = Decimal


@pytest.mark.parametrize(
    ("commission", "share", "rate", "points"),
    [
        (D("10.00"), D("0.10"), D("10"), 10),   # 1 EUR of share × 10 points
        (D("7.35"), D("0.10"), D("10"), 7),     # 7.35 points rounded down
        (D("0.99"), D("0.10"), D("10"), 0),     # under one point: nothing
        (D("0"), D("0.10"), D("10"), 0),        # no commission, no points
        (D("10.00"), D("0"), D("10"), 0),       # share switched off
        (D("123.45"), D("0.25"), D("2.5"), 77),  # 77.15625 -> 77
    ],
)
def test_share_points_round_down(commission, share, rate, points):
    assert share_points(commission=commission, share=share, points_per_unit=rate) == points


def test_half_refund_takes_half_rounded_half_up():
    assert points_to_take_back(points=15, already_taken=0, paid=D("100"), refunded_before=D("0"), refund=D("50")) == 8
    assert points_to_take_back(points=10, already_taken=0, paid=D("100"), refunded_before=D("0"), refund=D("50")) == 5


def test_partial_refunds_add_up_to_the_whole():
    taken, refunded = 0, D("0")
    for refund in (D("33.33"), D("33.33"), D("33.34")):
        step = points_to_take_back(points=7, already_taken=taken, paid=D("100"), refunded_before=refunded,
                                   refund=refund)
        taken += step
        refunded += refund
    assert taken == 7


def test_three_partial_refunds_equal_one_refund_of_their_total():
    one = points_to_take_back(points=13, already_taken=0, paid=D("90"), refunded_before=D("0"), refund=D("60"))
    first = points_to_take_back(points=13, already_taken=0, paid=D("90"), refunded_before=D("0"), refund=D("20"))
    second = points_to_take_back(points=13, already_taken=first, paid=D("90"), refunded_before=D("20"),
                                 refund=D("40"))
    assert first + second == one == 9


def test_refund_never_takes_more_than_earned():
    assert points_to_take_back(points=5, already_taken=5, paid=D("10"), refunded_before=D("10"), refund=D("5")) == 0
    assert points_to_take_back(points=5, already_taken=0, paid=D("10"), refunded_before=D("0"), refund=D("50")) == 5


def test_unspent_takes_the_oldest_first():
    # Balance 30 from an older earning of 20 and a younger one of 25: 15 of the older were spent.
    assert unspent_of(earning_points=20, balance=30, younger_points=25) == 5
    assert unspent_of(earning_points=20, balance=10, younger_points=25) == 0
    assert unspent_of(earning_points=20, balance=100, younger_points=25) == 20


def test_cost_in_currency():
    assert cost_of(25, points_per_unit=D("10")) == D("2.50")
    assert cost_of(25, points_per_unit=D("0")) == D("0.00")


def test_the_report_chart_draws_two_bars_a_month():
    from referrals.charts import bar_chart

    svg = bar_chart([("2026-10", 120, 40), ("2026-11", 60, 0)], labels=("earned", "redeemed"))
    assert svg.startswith("<svg") and svg.count("<rect") == 6 and "2026-11" in svg
    assert bar_chart([], labels=("a", "b")) == ""
