"""Charts drawn on the server as SVG: readable without JavaScript, in print and in PDF.

A chart draws a figures table (kb.services.figures.Table, read through its rows and cells): each bar
or square carries the same text as the table's cell, and a cell hidden by the small-numbers rule gets
no bar, only its "< 3". Every text is escaped; the table right under the chart is its accessible
alternative, so the SVG is one image with a title and a description.
"""

from __future__ import annotations

from itertools import count

from markupsafe import Markup, escape

BAR = "#1d5f8a"  # a bar 6.7:1 against the white page
TEXT = "#1a1a1a"
GRID = "#c8d3dc"
FONT = 'font-family="system-ui, sans-serif" font-size="13"'
_ids = count(1)


def _frame(width: int, height: int, title: str, body: list[str]) -> Markup:
    n = next(_ids)
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-labelledby="chart-{n}-title chart-{n}-desc" {FONT}>'
        f'<title id="chart-{n}-title">{escape(title)}</title>'
        f'<desc id="chart-{n}-desc">Les valeurs du graphique figurent dans le tableau qui le suit.</desc>'
        + "".join(body) + "</svg>")


def _label(text: str, limit: int = 34) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def bar_chart(table, column: int = -1, skip_total: bool = True) -> Markup:
    """Horizontal bars, one per row, of one column (the total by default)."""
    rows = [r for r in table.rows if not (skip_total and r.key == "total")]
    values = [r.cells[column] for r in rows]
    top = max([c.value for c in values if not c.hidden] + [1])
    label_width, bar_width, line = 250, 330, 24
    height = max(line * len(rows) + 8, 32)
    body = []
    for i, (row, cell) in enumerate(zip(rows, values, strict=True)):
        y = 4 + i * line
        body.append(f'<text x="{label_width - 8}" y="{y + 16}" text-anchor="end" fill="{TEXT}">'
                    f'<title>{escape(row.label)}</title>{escape(_label(row.label))}</text>')
        width = 0 if cell.hidden else round(bar_width * cell.value / top)
        if width:
            body.append(f'<rect x="{label_width}" y="{y + 3}" width="{width}" height="{line - 6}" fill="{BAR}"/>')
        body.append(f'<text x="{label_width + width + 6}" y="{y + 16}" fill="{TEXT}">{escape(cell.text)}</text>')
    return _frame(label_width + bar_width + 60, height, table.title, body)


def column_chart(table, column: int = -1) -> Markup:
    """Vertical columns in row order (years): a trend."""
    rows = [r for r in table.rows if r.key != "total"]
    values = [r.cells[column] for r in rows]
    top = max([c.value for c in values if not c.hidden] + [1])
    step, plot, base = 44, 180, 210
    body = [f'<line x1="20" y1="{base}" x2="{20 + step * len(rows)}" y2="{base}" stroke="{GRID}"/>']
    for i, (row, cell) in enumerate(zip(rows, values, strict=True)):
        x = 20 + i * step
        h = 0 if cell.hidden else round(plot * cell.value / top)
        if h:
            body.append(f'<rect x="{x + 8}" y="{base - h}" width="{step - 16}" height="{h}" fill="{BAR}"/>')
        body.append(f'<text x="{x + step / 2}" y="{base - h - 6}" text-anchor="middle" fill="{TEXT}">'
                    f'{escape(cell.text)}</text>')
        body.append(f'<text x="{x + step / 2}" y="{base + 18}" text-anchor="middle" fill="{TEXT}">'
                    f'{escape(_label(row.label, 8))}</text>')
    return _frame(max(40 + step * len(rows), 200), base + 30, table.title, body)


def grid_chart(table) -> Markup:
    """A cross table as squares shaded by share of their column (or by count), with each cell's text."""
    rows = [r for r in table.rows if r.key != "total"]
    columns = table.columns[:-1]
    shown = [c for r in rows for c in r.cells[:-1] if not c.hidden]
    top = max([c.value for c in shown] + [1])
    label_width, cell_w, cell_h, head = 210, 118, 34, 46
    body = []
    for j, name in enumerate(columns):
        x = label_width + j * cell_w + cell_w / 2
        body.append(f'<text x="{x}" y="{head - 10}" text-anchor="middle" fill="{TEXT}">'
                    f'<title>{escape(name)}</title>{escape(_label(name, 16))}</text>')
    for i, row in enumerate(rows):
        y = head + i * cell_h
        body.append(f'<text x="{label_width - 8}" y="{y + 22}" text-anchor="end" fill="{TEXT}">'
                    f'<title>{escape(row.label)}</title>{escape(_label(row.label, 28))}</text>')
        for j, cell in enumerate(row.cells[:-1]):
            x = label_width + j * cell_w
            strength = 0.0 if cell.hidden else (cell.share if cell.share is not None else cell.value / top)
            # At most half the colour: the dark text keeps a contrast above 7:1 on every shade.
            opacity = 0.06 + 0.49 * min(max(strength, 0.0), 1.0) ** 0.7
            body.append(f'<rect x="{x + 1}" y="{y + 1}" width="{cell_w - 2}" height="{cell_h - 2}" '
                        f'fill="{BAR}" fill-opacity="{opacity:.2f}"/>')
            text = cell.text if cell.share is None or cell.hidden else f"{cell.text} · {cell.share_text}"
            body.append(f'<text x="{x + cell_w / 2}" y="{y + 22}" text-anchor="middle" '
                        f'fill="{TEXT}">{escape(text)}</text>')
    return _frame(label_width + cell_w * len(columns) + 10, head + cell_h * len(rows) + 6, table.title, body)
