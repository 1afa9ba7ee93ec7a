"""Server-side SVG charts for the dashboard: a stacked bar chart for a series over days and a
horizontal bar chart for shares. Plain SVG strings — no JavaScript, nothing fetched at run
time, readable by screen readers through <title> elements — so the page works offline and
in the tests' headless browser. Colours come from one palette, in a fixed order per key.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from html import escape

PALETTE = (
    "#1f77b4",
    "#2ca02c",
    "#ff7f0e",
    "#9467bd",
    "#d62728",
    "#17becf",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#075e54",
)


def colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def nice_max(value: float) -> float:
    """The smallest 1/2/5 x 10^n at or above `value` (at least 1)."""
    if value <= 1:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * power >= value:
            return float(step * power)
    return float(10 * power)


def stacked_bars(
    days: Sequence[str],
    series: Mapping[str, Sequence[int]],
    labels: dict[str, str],
    title: str,
    width: int = 760,
    height: int = 260,
) -> str:
    """One bar per day, stacked by key (service). `series[key][i]` is the count on days[i]."""
    left, right, top, bottom = 44, 230, 16, 38
    plot_w, plot_h = width - left - right, height - top - bottom
    totals = [sum(values[i] for values in series.values()) for i in range(len(days))]
    top_value = nice_max(max(totals, default=0))
    n = max(1, len(days))
    slot = plot_w / n
    bar_w = max(2.0, min(36.0, slot * 0.7))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for k in range(5):  # gridlines and y ticks
        value = top_value * k / 4
        y = top + plot_h - plot_h * k / 4
        parts.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
        )
        parts.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" class="tick">{value:g}</text>'
        )
    every = max(1, math.ceil(n / 12))
    for i, day in enumerate(days):
        x = left + slot * i + (slot - bar_w) / 2
        y = top + plot_h
        for index, (key, values) in enumerate(series.items()):
            count = values[i]
            if not count:
                continue
            h = plot_h * count / top_value
            y -= h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                f'fill="{colour(index)}"><title>{escape(day)} · {escape(labels.get(key, key))}: '
                f"{count}</title></rect>"
            )
        if i % every == 0:
            parts.append(
                f'<text x="{left + slot * i + slot / 2:.1f}" y="{top + plot_h + 16}" '
                f'text-anchor="middle" class="tick">{escape(day[8:10])}/{escape(day[5:7])}</text>'
            )
    parts.append(
        f'<line x1="{left}" x2="{left + plot_w}" y1="{top + plot_h}" y2="{top + plot_h}" class="axis"/>'
    )
    for index, key in enumerate(series):  # legend
        y = top + 4 + index * 18
        parts.append(
            f'<rect x="{left + plot_w + 14}" y="{y}" width="11" height="11" fill="{colour(index)}"/>'
            f'<text x="{left + plot_w + 30}" y="{y + 10}" class="legend">'
            f"{escape(labels.get(key, key))}</text>"
        )
    if not series:
        parts.append(
            f'<text x="{left + plot_w / 2}" y="{top + plot_h / 2}" text-anchor="middle" '
            f'class="empty">কোনো অনুরোধ নেই · no requests</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def horizontal_bars(items: list[tuple[str, int]], title: str, width: int = 420) -> str:
    """One labelled bar per (label, count), with the count and its share of the total."""
    row, left, right = 24, 210, 70
    total = sum(count for _, count in items) or 1
    top_value = max((count for _, count in items), default=0) or 1
    height = max(1, len(items)) * row + 8
    plot_w = width - left - right
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for index, (label, count) in enumerate(items):
        y = 4 + index * row
        w = plot_w * count / top_value
        share = 100 * count / total
        parts.append(
            f'<text x="{left - 8}" y="{y + 15}" text-anchor="end" class="legend">{escape(label)}</text>'
            f'<rect x="{left}" y="{y + 3}" width="{w:.1f}" height="16" fill="{colour(index)}">'
            f"<title>{escape(label)}: {count} ({share:.0f}%)</title></rect>"
            f'<text x="{left + w + 6:.1f}" y="{y + 15}" class="tick">{count} · {share:.0f}%</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
