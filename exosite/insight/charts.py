"""Charts drawn on the server as SVG: no script, nothing to load, and the page's CSP
(no inline styles) holds: colours come from classes in static/css/insight.css.

Each chart is an image with a name (`role="img"`, `aria-labelledby` its title and a one-
sentence summary); the table under it holds the same figures for screen readers and for
anyone who wants the numbers.
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

BAR = 22
GAP = 6
LABEL = 230
WIDTH = 640


def _svg(chart_id, title, summary, height, body):
    return mark_safe(
        f'<svg class="insight-chart" id="{chart_id}" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'focusable="false" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(summary)}</desc>{body}</svg>'
    )


def bars(chart_id, title, rows, summary="", limit=10):
    """Horizontal bars: `rows` [(label, value)], largest first."""
    rows = [(str(label), int(value or 0)) for label, value in rows[:limit]]
    if not rows:
        return ""
    top = max(value for _, value in rows) or 1
    room = WIDTH - LABEL - 60
    parts = []
    for index, (label, value) in enumerate(rows):
        y = index * (BAR + GAP)
        length = max(1, round(room * value / top)) if value else 0
        short = Truncator(label).chars(34)
        parts.append(
            f'<text class="insight-label" x="{LABEL - 8}" y="{y + BAR * 0.7:.1f}" '
            f'text-anchor="end">{escape(short)}</text>'
            f'<rect class="insight-bar" x="{LABEL}" y="{y}" width="{length}" height="{BAR}"/>'
            f'<text class="insight-value" x="{LABEL + length + 6}" y="{y + BAR * 0.7:.1f}">'
            f"{value:,}</text>"
        )
    height = len(rows) * (BAR + GAP)
    return _svg(chart_id, title, summary, height, "".join(parts))


def stacked_columns(chart_id, title, columns, series, summary=""):
    """Columns stacked from `series` [(css class, legend label)]: `columns` [(label,
    [value per series])]."""
    if not columns:
        return ""
    plot_height, bottom, legend = 180, 40, 28
    count = len(columns)
    step = (WIDTH - 40) / count
    width = max(4, step * 0.7)
    top = max(sum(values) for _, values in columns) or 1
    parts = []
    for index, (name, label) in enumerate(series):
        x = 40 + index * 170
        parts.append(
            f'<rect class="{name}" x="{x}" y="4" width="14" height="14"/>'
            f'<text class="insight-label" x="{x + 20}" y="16">{escape(label)}</text>'
        )
    base = legend + plot_height
    parts.append(
        f'<line class="insight-axis" x1="36" y1="{base}" x2="{WIDTH}" y2="{base}"/>'
        f'<text class="insight-value" x="32" y="{legend + 10}" text-anchor="end">{top:,}</text>'
        f'<text class="insight-value" x="32" y="{base}" text-anchor="end">0</text>'
    )
    for index, (label, values) in enumerate(columns):
        x = 40 + index * step + (step - width) / 2
        y = base
        for (name, _), value in zip(series, values, strict=False):
            height = plot_height * value / top
            if height:
                y -= height
                parts.append(
                    f'<rect class="{name}" x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" '
                    f'height="{height:.1f}"/>'
                )
        if count <= 16 or index % 2 == 0:
            parts.append(
                f'<text class="insight-tick" x="{x + width / 2:.1f}" y="{base + 16}" '
                f'text-anchor="middle">{escape(label)}</text>'
            )
    return _svg(chart_id, title, summary, base + bottom, "".join(parts))
