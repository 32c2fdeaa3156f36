"""The SVG bar chart of tools/bench-peers: one panel per load, a horizontal
bar per contender, the reference server's bars in orange, the rest in blue.

Example:
    svg = bar_chart_svg({"pp50": {"ref-epoll": 61000, "go": 30000}}, ["pp50"],
                        {"pp50": "msg/s"}, "2 CPUs, AMD EPYC, 2025-01-01")
"""
from html import escape

PANEL_W, BAR_H, GAP, LABEL_W, COLUMNS = 440, 16, 4, 120, 2


def _panel(x, y, title, values, unit):
    parts = [f'<text x="{x}" y="{y + 14}" font-weight="bold">{escape(title)} ({unit})</text>']
    top = max((v for v in values.values() if v), default=1) or 1
    for i, (name, value) in enumerate(sorted(values.items(), key=lambda kv: -(kv[1] or 0))):
        by = y + 24 + i * (BAR_H + GAP)
        width = (value or 0) / top * (PANEL_W - LABEL_W - 80)
        color = "#e07b28" if name.startswith("ref-") else "#3b74c4"
        parts.append(f'<text x="{x + LABEL_W - 6}" y="{by + 12}" text-anchor="end">'
                     f'{escape(name)}</text>')
        parts.append(f'<rect x="{x + LABEL_W}" y="{by}" width="{width:.1f}" height="{BAR_H}" '
                     f'fill="{color}"/>')
        shown = f"{value:,.0f}" if value is not None else "fail"
        parts.append(f'<text x="{x + LABEL_W + width + 4:.1f}" y="{by + 12}">{shown}</text>')
    return parts, 24 + len(values) * (BAR_H + GAP) + 16


def bar_chart_svg(table, loads, units, subtitle):
    """table: {load: {contender: value or None}}; returns an SVG document."""
    parts, heights, y = [], [], 60
    for row in range(0, len(loads), COLUMNS):
        row_height = 0
        for column, load in enumerate(loads[row:row + COLUMNS]):
            panel, height = _panel(20 + column * (PANEL_W + 20), y, load, table.get(load, {}),
                                   units[load])
            parts += panel
            row_height = max(row_height, height)
        heights.append(row_height)
        y += row_height
    width = COLUMNS * (PANEL_W + 20) + 20
    head = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{y + 10}" '
            'font-family="sans-serif" font-size="12">',
            '<rect width="100%" height="100%" fill="white"/>',
            '<text x="20" y="26" font-size="16" font-weight="bold">Echo servers on loopback: '
            'echo-bench medians (higher is better)</text>',
            f'<text x="20" y="46" fill="#444">{escape(subtitle)}</text>']
    return "\n".join(head + parts + ["</svg>"]) + "\n"
