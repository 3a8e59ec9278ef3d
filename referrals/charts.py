"""A small inline SVG bar chart (no library, no CDN) for the staff report."""

from __future__ import annotations

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH, HEIGHT, PAD = 640, 220, 30


def _n(value: float) -> str:
    return f"{value:.1f}"


def bar_chart(series: list[tuple[str, int, int]], *, labels: tuple[str, str]) -> SafeString:
    """Two bars per month (earned, redeemed); `series` is [(YYYY-MM, earned, redeemed)]."""
    if not series:
        return SafeString("")
    top = max(max(a, b) for _m, a, b in series) or 1
    slot = (WIDTH - 2 * PAD) / len(series)
    bar = max(slot / 3, 2)
    parts = []
    for index, (month, earned, redeemed) in enumerate(series):
        x = PAD + index * slot
        for offset, value, css in ((0, earned, "#2b7a78"), (bar, redeemed, "#e07a5f")):
            height = (HEIGHT - 2 * PAD) * value / top
            parts.append((x + offset, HEIGHT - PAD - height, bar, height, css, value))
        parts.append((x, HEIGHT - 8, 0, 0, "", month))
    rects = format_html_join(
        "", '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}</title></rect>',
        ((_n(x), _n(y), _n(w), _n(h), css, value) for x, y, w, h, css, value in parts if css),
    )
    months = format_html_join(
        "", '<text x="{}" y="{}" font-size="10">{}</text>',
        ((_n(x), _n(y), value) for x, y, w, h, css, value in parts if not css),
    )
    legend = format_html(
        '<rect x="{}" y="6" width="10" height="10" fill="#2b7a78"/><text x="{}" y="15" font-size="11">{}</text>'
        '<rect x="{}" y="6" width="10" height="10" fill="#e07a5f"/><text x="{}" y="15" font-size="11">{}</text>',
        PAD, PAD + 14, labels[0], PAD + 160, PAD + 174, labels[1],
    )
    return format_html(
        '<svg role="img" viewBox="0 0 {} {}" width="100%" style="max-width:{}px" direction="ltr" '
        'aria-label="{}">{}{}{}</svg>', WIDTH, HEIGHT, WIDTH, f"{labels[0]} / {labels[1]}", legend, rects, months,
    )
