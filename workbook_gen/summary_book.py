"""Render neutral summary content (``tables.SheetContent``) into an open book.

The same positions as the generator's xlsxwriter renderer (both use ``tables.place``).
Calls per sheet: one value write for the whole sheet, a fixed number of format calls per
table and column, one call per group of styled rows, one per coloured column, one per
chart. Nothing per cell.
"""

from __future__ import annotations

from typing import Any

from .book import Area, Book, ChartSpec, Fmt
from .tables import (
    FORMAT_CODES,
    GRUP,
    TOTAL,
    Chart,
    Formula,
    Placed,
    SheetContent,
    Table,
    place,
)

TITLE = Fmt(bold=True, size=14)
TABLE_TITLE = Fmt(bold=True, size=11)
SUBTITLE = Fmt(italic=True)
HEADER = Fmt(bold=True, fill="#D9E1F2", wrap=True, border=True)
BODY = Fmt(border=True)
GROUP = Fmt(bold=True, fill="#F2F2F2")
TOTAL_ROW = Fmt(bold=True, fill="#E2EFDA")
CHART_ROWS = 17  # rows between stacked charts


def grid_of(content: SheetContent, formulas: bool = True
            ) -> tuple[list[list[Any]], dict[int, Placed]]:
    """All values of the sheet as one rectangle (row 0 = sheet title); live cells as
    their formula text (``formulas``) or as their cached value."""
    placed = place(content)
    tables = [b for b in content.blocks if isinstance(b, Table)]
    width = max([len(t.columns) for t in tables] + [c + 1 for _, c in content.cells] + [1])
    height = max([p.last_data_row + 2 for p in placed.values()] + [1])
    grid: list[list[Any]] = [[None] * width for _ in range(height)]
    grid[0][0] = content.title
    for i, block in enumerate(content.blocks):
        if not isinstance(block, Table):
            continue
        pl = placed[i]
        grid[pl.title_row][0] = block.title
        if block.subtitle:
            grid[pl.title_row + 1][0] = block.subtitle
        for c, col in enumerate(block.columns):
            grid[pl.header_row][c] = col.header
        for r, row in enumerate(block.rows):
            for c, value in enumerate(row):
                grid[pl.first_data_row + r][c] = value
        if block.note:
            grid[pl.last_data_row + 1][0] = block.note
    for (r, c), value in content.cells.items():
        grid[r][c] = value
    for row in grid:
        for c, value in enumerate(row):
            if isinstance(value, Formula):
                row[c] = value.text if formulas else value.value
    return grid, placed


def render(book: Book, content: SheetContent, after: str | None,
           password: str | None = None) -> dict[int, Placed]:
    """Replace the sheet ``content.name`` with the content; return where tables landed."""
    name = content.name
    book.replace_sheet(name, after)
    grid, placed = grid_of(content)
    book.write_block(name, 1, 1, grid)
    book.format_area(Area(name, 1, 1, 1, 1), TITLE)
    widths: dict[int, float] = {}
    for i, block in enumerate(content.blocks):
        if not isinstance(block, Table):
            continue
        pl = placed[i]
        n = len(block.columns)
        top, first, last = pl.title_row + 1, pl.first_data_row + 1, pl.last_data_row + 1
        book.format_area(Area(name, top, 1, top, 1), TABLE_TITLE)
        if block.subtitle:
            book.format_area(Area(name, top + 1, 1, top + 1, 1), SUBTITLE)
        book.format_area(Area(name, pl.header_row + 1, 1, pl.header_row + 1, n), HEADER)
        if block.rows:
            book.format_area(Area(name, first, 1, last, n), BODY)
            by_format: dict[str, list[Area]] = {}
            for c, col in enumerate(block.columns, 1):
                if col.format != "teks":
                    by_format.setdefault(col.format, []).append(Area(name, first, c, last, c))
            for fmt_name, areas in by_format.items():
                book.format_areas(name, areas, Fmt(number_format=FORMAT_CODES[fmt_name]))
            for style, fmt in ((GRUP, GROUP), (TOTAL, TOTAL_ROW)):
                rows = [first + r for r in range(len(block.rows)) if block.style(r) == style]
                if rows:
                    book.format_rows(name, rows, 1, n, fmt)
            for c, colours in block.text_colours.items():
                book.colour_by_text(Area(name, first, c + 1, last, c + 1), colours)
        for c, col in enumerate(block.columns, 1):
            widths[c] = max(widths.get(c, 0), col.width)
    hidden = {c + 1 for c in content.hidden_columns}
    last = max(list(widths) + list(hidden), default=0)
    book.set_column_widths(name, [0 if c in hidden else widths.get(c, 10)
                                  for c in range(1, last + 1)])
    chart_col = max([c for c in widths if c not in hidden], default=1) + 2
    chart_row = 3
    for block in content.blocks:
        if isinstance(block, Chart):
            book.add_chart(name, _chart_spec(name, block, placed, chart_row, chart_col))
            chart_row += CHART_ROWS
    book.page_setup(name, content.landscape)
    book.protect(name, password)
    return placed


def _chart_spec(sheet: str, chart: Chart, placed: dict[int, Placed],
                row: int, col: int) -> ChartSpec:
    """Absolute ranges (1-based) of a chart's categories and series."""
    pl = placed[chart.table]
    lo, hi = chart.rows if chart.rows is not None else (0, pl.last_data_row - pl.first_data_row)

    def column(table: int, c: int) -> Area:
        start = placed[table].first_data_row + 1
        return Area(sheet, start + lo, c + 1, start + hi, c + 1)

    series = [(s.name, column(s.table, s.column), s.colour) for s in chart.series]
    return ChartSpec(chart.kind, chart.title, column(chart.table, chart.category_column),
                     series, row, col, chart.y_title)
