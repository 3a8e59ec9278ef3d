"""Server-rendered SVG charts for the seller dashboard.

The performance page draws its chart as inline SVG in the HTML: no JavaScript library,
no CDN, nothing for a phone to download, and it prints. The numbers are also rendered
as a table beside the chart for screen readers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from core.templatetags.locale_format import local_digits


@dataclass(frozen=True)
class Series:
    label: str
    colour: str


def _nice_ceiling(value: int) -> int:
    """The smallest 1/2/5 x 10^n at or above `value` (at least 1), for a readable axis."""
    if value <= 1:
        return 1
    magnitude = 10 ** int(math.floor(math.log10(value)))
    for step in (1, 2, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


def bar_chart_svg(
    *,
    title: str,
    groups: Sequence[tuple[str, Sequence[int]]],
    series: Sequence[Series],
    rtl: bool = False,
    width: int = 420,
    height: int = 250,
) -> SafeString:
    """Grouped bars: one group per label in `groups`, one bar per `series` in each group.

    `groups` is [(label, [value per series]), ...] in time order; on right-to-left pages
    the time axis runs from right to left, as Persian readers expect.
    """
    # The value axis sits on the reading side: left in English, right in Persian.
    axis_w, edge, top, bottom = 32, 8, 18, 48
    left, right = (edge, axis_w) if rtl else (axis_w, edge)
    plot_w = width - left - right
    plot_h = height - top - bottom
    peak = _nice_ceiling(max((v for _label, values in groups for v in values), default=0))
    ticks = 4 if peak >= 4 else peak
    parts: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-label="{escape(title)}" class="vendor-chart" preserveAspectRatio="xMidYMid meet" '
        f'style="max-width:{width}px;height:auto;font-family:inherit;direction:ltr">',
        f"<title>{escape(title)}</title>",
    ]
    # Horizontal grid lines with their values.
    for tick in range(ticks + 1):
        value = peak * tick // ticks if ticks else 0
        y = top + plot_h - (plot_h * tick / ticks if ticks else 0)
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#dee2e6" stroke-width="1"/>'
        )
        label_x, anchor = (width - right + 6, "start") if rtl else (left - 6, "end")
        parts.append(
            f'<text x="{label_x}" y="{y + 4:.1f}" font-size="12" text-anchor="{anchor}" fill="#6c757d">'
            f"{escape(local_digits(value))}</text>"
        )
    count = max(len(groups), 1)
    group_w = plot_w / count
    bar_w = (group_w * 0.7) / max(len(series), 1)
    for index, (label, values) in enumerate(groups):
        position = count - 1 - index if rtl else index
        x0 = left + position * group_w + group_w * 0.15
        for s_index, (item, value) in enumerate(zip(series, values, strict=True)):
            bar_h = plot_h * value / peak if peak else 0
            x = x0 + (len(series) - 1 - s_index if rtl else s_index) * bar_w
            y = top + plot_h - bar_h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w - 2:.1f}" height="{bar_h:.1f}" '
                f'fill="{escape(item.colour)}"><title>{escape(label)}: {escape(item.label)} '
                f"{escape(local_digits(value))}</title></rect>"
            )
            if value:
                parts.append(
                    f'<text x="{x + (bar_w - 2) / 2:.1f}" y="{y - 3:.1f}" font-size="11" text-anchor="middle" '
                    f'fill="#212529">{escape(local_digits(value))}</text>'
                )
        parts.append(
            f'<text x="{x0 + group_w * 0.35:.1f}" y="{top + plot_h + 17}" font-size="12" text-anchor="middle" '
            f'fill="#212529">{escape(label)}</text>'
        )
    # Legend along the bottom edge, one equal slot per series, from the reading side.
    slot = plot_w / max(len(series), 1)
    for index, item in enumerate(series):
        position = len(series) - 1 - index if rtl else index
        x = left + position * slot
        swatch_x, text_x, anchor = (x + slot - 12, x + slot - 16, "end") if rtl else (x, x + 14, "start")
        parts.append(
            f'<rect x="{swatch_x:.1f}" y="{height - 16}" width="10" height="10" fill="{escape(item.colour)}"/>'
            f'<text x="{text_x:.1f}" y="{height - 7}" font-size="12" text-anchor="{anchor}" fill="#212529">'
            f"{escape(item.label)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated text above is escaped
