"""Bar charts as inline SVG, drawn on the server (no script, no build step).

Every text goes through ``markupsafe.escape``; the chart carries a ``<title>`` and a
``role="img"`` with an ``aria-label`` so screen readers announce it, and the page shows the
same figures in a table.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

_BAR = "#1f5f99"


def bar_chart(
    data: Sequence[tuple[str, int]],
    *,
    title: str,
    width: int = 560,
    bar_height: int = 18,
    label_width: int = 150,
) -> Markup:
    """Horizontal bars, one per ``(label, value)``."""
    rows = list(data) or [("none", 0)]
    top = max(v for _l, v in rows) or 1
    height = len(rows) * (bar_height + 6) + 6
    span = width - label_width - 60
    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(title)}" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, value) in enumerate(rows):
        y = 6 + i * (bar_height + 6)
        w = round(span * value / top)
        parts.append(
            f'<text x="{label_width - 8}" y="{y + bar_height - 5}" text-anchor="end">'
            f"{escape(label)}</text>"
            f'<rect x="{label_width}" y="{y}" width="{w}" height="{bar_height}" fill="{_BAR}"/>'
            f'<text x="{label_width + w + 6}" y="{y + bar_height - 5}">{value:,}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def column_chart(
    data: Sequence[tuple[str, int]], *, title: str, width: int = 560, height: int = 180
) -> Markup:
    """Vertical columns, one per ``(label, value)`` (e.g. the 24 hours of a day)."""
    rows = list(data) or [("none", 0)]
    top = max(v for _l, v in rows) or 1
    plot = height - 34
    step = (width - 40) / len(rows)
    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(title)}" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
        f'<text x="4" y="12">{top:,}</text>',
        f'<line x1="36" y1="{plot + 8}" x2="{width}" y2="{plot + 8}" stroke="#555"/>',
    ]
    for i, (label, value) in enumerate(rows):
        x = 40 + i * step
        h = round(plot * value / top)
        parts.append(
            f'<rect x="{x:.1f}" y="{plot + 8 - h}" width="{max(step - 3, 1):.1f}" '
            f'height="{h}" fill="{_BAR}"><title>{escape(label)}: {value:,}</title></rect>'
        )
        if i % 3 == 0:
            parts.append(f'<text x="{x:.1f}" y="{height - 8}">{escape(label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
