"""Server-rendered SVG charts: readable without JavaScript, vector in the PDF.

Each chart names itself (role="img" with <title> and <desc>); the numbers are also in a
table beside it for screen readers, so the chart itself is not the only way in.
"""

from __future__ import annotations

import itertools
from decimal import Decimal
from html import escape

from django.utils.safestring import SafeString, mark_safe

from omakouvola.formatting import format_euros

# Colour-blind-safe (Okabe–Ito) with enough contrast against white.
PALETTE = ["#0b5394", "#d55e00", "#009e73", "#6a3d9a", "#b8860b"]
TEXT = "#1a1a1a"
GRID = "#c8c8c8"
_ids = itertools.count(1)


def _label(value: Decimal | int | float, money: bool) -> str:
    if money:
        return format_euros(Decimal(value))
    return f"{value:,}".replace(",", "\u00a0") if isinstance(value, int) else str(value)


def bar_chart(
    title: str,
    labels: list[str],
    series: list[tuple[str, list[Decimal | int]]],
    *,
    money: bool = False,
    width: int = 640,
) -> SafeString:
    """Horizontal bars, one group per label and one bar per series, values written out."""
    n = next(_ids)
    label_width = 240
    value_width = 120
    bar_height = 16
    gap = 10
    entries = _legend_layout([name for name, _values in series], left=label_width, width=width)
    legend = (max(y for _x, y, _name in entries) + 10) if len(series) > 1 else 0
    group_height = bar_height * len(series) + gap
    height = legend + group_height * max(len(labels), 1) + 8
    plot = width - label_width - value_width
    peak = max([float(v) for _, values in series for v in values] + [0]) or 1.0
    desc = "; ".join(
        f"{label}: " + ", ".join(f"{name} {_label(values[i], money)}" for name, values in series)
        for i, label in enumerate(labels)
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" '
        f'aria-labelledby="chart-{n}-title chart-{n}-desc">',
        f'<title id="chart-{n}-title">{escape(title)}</title>',
        f'<desc id="chart-{n}-desc">{escape(desc)}</desc>',
    ]
    if len(series) > 1:
        for index, (x, y, name) in enumerate(entries):
            colour = PALETTE[index % len(PALETTE)]
            parts.append(f'<rect x="{x}" y="{y - 10}" width="12" height="12" fill="{colour}"/>')
            parts.append(
                f'<text x="{x + 16}" y="{y}" font-size="12" fill="{TEXT}">{escape(name)}</text>'
            )
    for i, label in enumerate(labels):
        top = legend + i * group_height
        middle = top + (bar_height * len(series)) / 2 + 4
        parts.append(
            f'<text x="{label_width - 8}" y="{middle:.1f}" font-size="12" text-anchor="end" '
            f'fill="{TEXT}">{escape(_shorten(label))}</text>'
        )
        for index, (_name, values) in enumerate(series):
            value = float(values[i])
            length = max(plot * value / peak, 0)
            y = top + index * bar_height
            colour = PALETTE[index % len(PALETTE)]
            parts.append(
                f'<rect x="{label_width}" y="{y}" width="{length:.1f}" '
                f'height="{bar_height - 3}" fill="{colour}"/>'
            )
            parts.append(
                f'<text x="{label_width + length + 4:.1f}" y="{y + bar_height - 5}" '
                f'font-size="11" fill="{TEXT}">{escape(_label(values[i], money))}</text>'
            )
    parts.append(
        f'<line x1="{label_width}" y1="{legend}" x2="{label_width}" y2="{height - 4}" '
        f'stroke="{GRID}"/>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def line_chart(
    title: str, points: list[tuple[str, Decimal]], *, money: bool = True, width: int = 640
) -> SafeString:
    """A running total as a step line, with the first and last values written out."""
    n = next(_ids)
    height = 220
    left, right, top, bottom = 90, 20, 20, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max([float(v) for _, v in points] + [0]) or 1.0
    desc = "; ".join(f"{label}: {_label(v, money)}" for label, v in points)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" '
        f'aria-labelledby="chart-{n}-title chart-{n}-desc">',
        f'<title id="chart-{n}-title">{escape(title)}</title>',
        f'<desc id="chart-{n}-desc">{escape(desc)}</desc>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" '
        f'stroke="{GRID}"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="{GRID}"/>',
        f'<text x="{left - 6}" y="{top + 4}" font-size="11" text-anchor="end" fill="{TEXT}">'
        f"{escape(_label(Decimal(str(peak)), money))}</text>",
    ]
    if points:
        step = plot_w / max(len(points) - 1, 1)
        coords = []
        previous_y = top + plot_h
        for i, (_label_text, value) in enumerate(points):
            x = left + i * step
            y = top + plot_h - plot_h * float(value) / peak
            coords.append(f"{x:.1f},{previous_y:.1f} {x:.1f},{y:.1f}")
            previous_y = y
        parts.append(
            f'<polyline fill="none" stroke="{PALETTE[0]}" stroke-width="2" '
            f'points="{" ".join(coords)}"/>'
        )
        for i in (0, len(points) - 1):
            label, _value = points[i]
            x = left + i * step
            anchor = "start" if i == 0 else "end"
            parts.append(
                f'<text x="{x:.1f}" y="{height - 18}" font-size="11" text-anchor="{anchor}" '
                f'fill="{TEXT}">{escape(label)}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))


# A generous average advance of a 12 px sans-serif glyph (DejaVu Sans is ~7.3 px), so a
# legend never runs past the right edge and gets clipped by the viewBox.
LEGEND_CHAR_WIDTH = 7.6


def _legend_layout(names: list[str], *, left: int, width: int) -> list[tuple[int, int, str]]:
    """(x, baseline y, name) of each legend entry, wrapping to a new row before the edge;
    a name too long for a row of its own starts at the left margin and is shortened."""
    entries, x, y = [], left, 14
    for name in names:
        room = width - 4 - 16
        if LEGEND_CHAR_WIDTH * len(name) > room - 4:
            name = _shorten(name, int((room - 4) / LEGEND_CHAR_WIDTH))
        needed = 16 + LEGEND_CHAR_WIDTH * len(name)
        if x + needed > width - 4 and x > 4:
            x, y = (left if left + needed <= width - 4 else 4), y + 18
        if x + needed > width - 4:
            x = 4
        entries.append((int(x), y, name))
        x += int(needed) + 16
    return entries


def _shorten(text: str, limit: int = 34) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
