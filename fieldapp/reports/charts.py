"""Bar charts drawn on the server as SVG (issue 15 §2): readable without JavaScript, printed
as they are, and within the strict CSP (presentation attributes only, no style)."""

from markupsafe import Markup, escape

ROW = 22  # px per bar
LABEL = 150  # px for the labels
BAR = 170  # px for the longest bar
WIDTH = LABEL + BAR + 50


def bars(rows: list[tuple[str, int | None]], title: str) -> Markup:
    """Horizontal bars, one per ``(label, count)``; a hidden count (None, "<5") has no bar.
    The table beside the chart holds the same numbers for screen readers."""
    top = max((n or 0 for _, n in rows), default=0) or 1
    height = ROW * len(rows) + 4
    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" width="100%" '
             f'role="img" aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">']
    for i, (label, n) in enumerate(rows):
        y = i * ROW + 2
        short = label if len(label) <= 21 else label[:20] + "…"
        width = 0 if n is None else max(1, round(BAR * n / top)) if n else 0
        shown = "<5" if n is None else str(n)
        parts.append(
            f'<text x="{LABEL - 6}" y="{y + 15}" text-anchor="end" font-size="12" '
            f'fill="#222">{escape(short)}</text>'
            f'<rect x="{LABEL}" y="{y + 3}" width="{width}" height="{ROW - 7}" '
            f'fill="#1f5fa8"/>'
            f'<text x="{LABEL + width + 4}" y="{y + 15}" font-size="12" '
            f'fill="#222">{escape(shown)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
