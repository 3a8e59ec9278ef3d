"""Gift-point arithmetic, pure (no database). Points are whole numbers.

Rounding, stated once:
- a share is ROUNDED DOWN to whole points: commission 7.35 EUR × 10% × 10 points/EUR =
  7.35 points -> 7 points. The fraction is not carried over to a later purchase: the
  programme never owes more than its stated share (the remainder stays with the platform).
- a refund takes back the same proportion of the points, computed on the CUMULATIVE
  refunded amount and rounded HALF UP: after refunds totalling r of a payment p, the
  points taken back are round_half_up(points × r / p), never more than the points. Each
  refund takes the difference from what was taken before, so several partial refunds add
  up to exactly the same as one refund of their total, and a full refund always takes
  back every point (no point is left behind by rounding).
"""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal


def share_points(*, commission: Decimal, share: Decimal, points_per_unit: Decimal) -> int:
    """The whole points one side earns: commission × share × rate, rounded down."""
    if commission <= 0 or share <= 0 or points_per_unit <= 0:
        return 0
    value = Decimal(commission) * Decimal(share) * Decimal(points_per_unit)
    return int(value.to_integral_value(rounding=ROUND_DOWN))


def points_to_take_back(*, points: int, already_taken: int, paid: Decimal, refunded_before: Decimal,
                        refund: Decimal) -> int:
    """How many points this refund takes back (see the module docstring)."""
    if points <= 0 or paid <= 0 or refund <= 0:
        return 0
    refunded = min(Decimal(refunded_before) + Decimal(refund), Decimal(paid))
    target = (Decimal(points) * refunded / Decimal(paid)).to_integral_value(rounding=ROUND_HALF_UP)
    target = min(int(target), points)
    return max(target - already_taken, 0)


def unspent_of(*, earning_points: int, balance: int, younger_points: int) -> int:
    """How many points of one earning are still unspent when spending takes the oldest
    first: the balance is made of the youngest earnings, so this earning keeps what the
    balance holds beyond the younger ones, at most its own points."""
    return max(0, min(earning_points, balance - younger_points))


def cost_of(points: int, *, points_per_unit: Decimal) -> Decimal:
    """What `points` cost the platform in currency (for the report)."""
    if points_per_unit <= 0:
        return Decimal("0.00")
    return (Decimal(points) / Decimal(points_per_unit)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
