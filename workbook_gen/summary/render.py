"""The one renderer of summary sheets: neutral content (``tables.SheetContent``) drawn
through the book protocol (``workbook_gen.book.Book``).

Every target draws the same description: the generator through
:class:`~workbook_gen.summary.xlsx_book.XlsxSheetBook` (xlsxwriter, a new file), Hitung
Capaian through the open workbook's book (xlwings, openpyxl). Styles, widths, row
heights, chart places and colours are decided here once, so a summary sheet looks the
same whoever wrote it. Calls per sheet: one value write, a fixed number of format calls
per table and column, one per group of styled rows, one per distinct row height, one per
coloured column, one per chart. Nothing per cell.
"""

from __future__ import annotations

from itertools import chain, compress
from operator import itemgetter
from typing import Any

from ..book import Area, Book, ChartSpec, Fmt
from ..tables import (
    FORMAT_CODES,
    GRUP,
    TEKS,
    TOTAL,
    Chart,
    Formula,
    Placed,
    SheetContent,
    Table,
    place,
    value_of,
)

FONT = "Calibri"
WARNA_HEADER = "#1F4E78"  # dark blue header, white text (as the input sheets)
WARNA_GRUP = "#DDEBF7"  # light blue: group and total rows

TITLE = Fmt(bold=True, size=14, font=FONT, font_colour=WARNA_HEADER)
TABLE_TITLE = Fmt(bold=True, size=12, font=FONT)
SUBTITLE = Fmt(italic=True, font=FONT, font_colour="#404040")
HEADER = Fmt(bold=True, font=FONT, font_colour="#FFFFFF", fill=WARNA_HEADER, wrap=True,
             border=True, align="center", valign="center")
BODY = Fmt(font=FONT, wrap=True, border=True, valign="top")
#: a table written later by Hitung Capaian (Catatan Validasi): no borders on rows that
#: may stay empty
BODY_OPEN = Fmt(font=FONT, wrap=True, valign="top")
GROUP = Fmt(bold=True, fill=WARNA_GRUP)
TOTAL_ROW = Fmt(bold=True, fill=WARNA_GRUP)
CHART_ROWS = 17  # rows a chart takes (300 px at 15 pt rows, plus a gap)
CHART_WIDTH = 480
CHART_COLUMNS = 8  # default-width columns a chart spans (480 px at 64 px a column)
LINE_HEIGHT = 15.0  # points per text line


def _raw_grid(content: SheetContent
              ) -> tuple[list[list[Any]], dict[int, Placed], list[int]]:
    """All cells of the sheet as one rectangle, live cells still :class:`Formula`; and the
    indices of the rows holding one. Table rows are copied whole (a recap's tables hold
    a million cells: no Python step per cell)."""
    placed = place(content)
    tables = [b for b in content.blocks if isinstance(b, Table)]
    width = max([len(t.columns) for t in tables] + [c + 1 for _, c in content.cells] + [1])
    height = max([p.last_data_row + 2 for p in placed.values()]
                 + [r + 1 for r, _ in content.cells] + [1])
    grid: list[list[Any]] = [None] * height  # type: ignore[list-item]
    for i, block in enumerate(content.blocks):  # data rows first, copied whole
        if isinstance(block, Table):
            first = placed[i].first_data_row
            for r, row in enumerate(block.rows):
                if len(row) > width:
                    raise IndexError("list assignment index out of range")
                grid[first + r] = [*row, *[None] * (width - len(row))] \
                    if len(row) < width else list(row)
    for r in range(height):
        if grid[r] is None:
            grid[r] = [None] * width
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
        if block.note:
            grid[pl.last_data_row + 1][0] = block.note
    for (r, c), value in content.cells.items():
        grid[r][c] = value
    live = [r for r, row in enumerate(grid) if Formula in set(map(type, row))] \
        if _has_formula(content) else []
    return grid, placed, live


def _has_formula(content: SheetContent) -> bool:
    """Whether any cell of the sheet is live (one pass over all values, no Python step
    per cell)."""
    values: list[Any] = [content.title, *content.cells.values()]
    for block in content.blocks:
        if isinstance(block, Table):
            values += [block.title, block.subtitle, block.note]
            values += [c.header for c in block.columns]
            if Formula in set(map(type, chain.from_iterable(block.rows))):
                return True
    return Formula in set(map(type, values))


def grid_of(content: SheetContent, formulas: bool = True
            ) -> tuple[list[list[Any]], dict[int, Placed]]:
    """All values of the sheet as one rectangle (row 0 = sheet title); live cells as
    their formula text (``formulas``) or as their cached value."""
    grid, placed, live = _raw_grid(content)
    for r in live:
        row = grid[r]
        for c, value in enumerate(row):
            if isinstance(value, Formula):
                row[c] = value.text if formulas else value.value
    return grid, placed


def formula_cells(content: SheetContent) -> dict[tuple[int, int], Any]:
    """{(row, column): cached value} (1-based) of every live cell of the sheet."""
    if not _has_formula(content):
        return {}
    grid, _, live = _raw_grid(content)
    return {(r + 1, c + 1): f.value for r in live for c, f in enumerate(grid[r])
            if isinstance(f, Formula) and isinstance(f.text, str) and f.text != f.value
            and f.text.startswith("=")}


def column_widths(content: SheetContent) -> list[float]:
    """Width of every column (1-based list index + 1); hidden columns 0."""
    widths: dict[int, float] = {}
    for block in content.blocks:
        if isinstance(block, Table):
            for j, col in enumerate(block.columns):
                widths[j] = max(widths.get(j, 0), col.width)
    last = max(list(widths) + list(content.hidden_columns) + [c for _, c in content.cells],
               default=0)
    return [0 if j in content.hidden_columns else widths.get(j, 10) for j in range(last + 1)]


def _lines(text: Any, width: float) -> int:
    if not isinstance(text, str) or not text or width <= 0:
        return 1
    per_line = max(int(width * 1.05) - 1, 1)
    lines = 0
    for part in text.split("\n"):  # word wrap: count words that do not fit a line
        n, used = 1, 0
        for word in part.split(" "):
            w = len(word)
            if used and used + 1 + w > per_line:
                n += 1
                used = w
            else:
                used += (1 if used else 0) + w
            while used > per_line:  # a word longer than the line breaks anywhere
                n += 1
                used -= per_line
        lines += n
    return lines


_NOT_TEXT = {type(None), float, int, bool}


def row_heights(content: SheetContent) -> dict[int, float]:
    """Heights (1-based rows) that show every wrapped header and cell text in full."""
    widths = column_widths(content)
    out: dict[int, float] = {}
    placed = place(content)
    for i, block in enumerate(content.blocks):
        if not isinstance(block, Table):
            continue
        pl = placed[i]
        rows = [[c.header for c in block.columns]] + block.rows
        lines: dict[int, int] = {}  # index in rows -> lines (only rows above one line)
        shortest = min(map(len, rows))
        for j, width in enumerate(widths):
            if width <= 0:
                continue
            # each distinct text measured once; a text no longer than a line and
            # without a line break takes one line
            if j < shortest:
                column = list(map(itemgetter(j), rows))
            else:
                column = [row[j] if j < len(row) else None for row in rows]
            kinds = set(map(type, column))
            if kinds <= _NOT_TEXT:
                continue
            per_line = max(int(width * 1.05) - 1, 1)
            try:
                distinct = set(column)
            except TypeError:  # an unhashable value: measure cell by cell
                distinct = None
            multi = {}  # text (or Formula) -> lines, only those above one line
            for v in column if distinct is None else distinct:
                text = v.value if isinstance(v, Formula) else v
                if not isinstance(text, str) or (len(text) <= per_line and "\n" not in text):
                    continue
                n = _lines(text, width)
                if n > 1:
                    multi[v if distinct is not None else id(v)] = n
            if not multi:
                continue
            counts = list(map(multi.get, column)) if distinct is not None else [
                multi.get(id(v)) for v in column]
            for r in compress(range(len(counts)), counts):
                if counts[r] > lines.get(r, 1):
                    lines[r] = counts[r]
        first = pl.first_data_row - 1  # rows[0] is the header row
        for r in sorted(lines):
            out[(pl.header_row if r == 0 else first + r) + 1] = LINE_HEIGHT * lines[r]
    return out


def render(book: Book, content: SheetContent, after: str | None,
           password: str | None = None) -> dict[int, Placed]:
    """Replace the sheet ``content.name`` with the content; return where tables landed."""
    name = content.name
    book.replace_sheet(name, after)
    grid, placed = grid_of(content)
    if getattr(book, "live", False):
        # an open spreadsheet takes text as text (a formula written as a value would
        # stay text): values first, then the live cells as formulas, by rectangles
        from ..routine import rectangles

        values, _ = grid_of(content, formulas=False)
        book.write_block(name, 1, 1, values)
        live = {(r + 1, c + 1): t for r, row in enumerate(grid) for c, t in enumerate(row)
                if isinstance(t, str) and t.startswith("=") and t != values[r][c]}
        if live:
            for r0, c0, r1, c1 in rectangles(live):
                book.write_formulas(name, r0, c0, [[live[(r, c)] for c in range(c0, c1 + 1)]
                                                   for r in range(r0, r1 + 1)])
    else:
        book.write_block(name, 1, 1, grid)
    book.format_area(Area(name, 1, 1, 1, 1), TITLE)
    if (1, 0) in content.cells:
        book.format_area(Area(name, 2, 1, 2, 1), SUBTITLE)
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
        if block.note:
            book.format_area(Area(name, last + 1, 1, last + 1, 1), SUBTITLE)
        if block.capacity > len(block.rows):
            last = first + block.capacity - 1
            book.format_area(Area(name, first, 1, last, n), BODY_OPEN)
        elif not block.rows:
            continue
        else:
            book.format_area(Area(name, first, 1, last, n), BODY)
        by_format: dict[str, list[Area]] = {}
        for c, col in enumerate(block.columns, 1):
            if col.format != TEKS:
                by_format.setdefault(col.format, []).append(Area(name, first, c, last, c))
        for fmt_name, areas in by_format.items():
            book.format_areas(name, areas, Fmt(number_format=FORMAT_CODES[fmt_name]))
        for style, fmt in ((GRUP, GROUP), (TOTAL, TOTAL_ROW)):
            rows = [first + r for r in range(len(block.rows)) if block.style(r) == style]
            if rows:
                book.format_rows(name, rows, 1, n, fmt)
        for c, colours in block.text_colours.items():
            book.colour_by_text(Area(name, first, c + 1, last, c + 1), colours)
    widths = column_widths(content)
    book.set_column_widths(name, widths)
    heights = row_heights(content)
    if heights:
        book.set_row_heights(name, heights)
    chart_col = _chart_column(content, widths)
    slot = 0
    for block in content.blocks:
        if isinstance(block, Chart) and block.table in placed:
            # two charts side by side to the right of the tables, from the top: the
            # page (A4 landscape, one page wide) stays compact
            row = 3 + (slot // 2) * CHART_ROWS
            col = chart_col + (slot % 2) * CHART_COLUMNS
            spec = _chart_spec(name, block, placed, row, col, content)
            if spec is not None:
                book.add_chart(name, spec)
                slot += 1
    book.page_setup(name, content.landscape)
    book.protect(name, password)
    return placed


def _chart_column(content: SheetContent, widths: list[float]) -> int:
    """First column (1-based) for charts: after the tables and one empty column, and
    clear of the table titles that run over to the right (bold 12 pt: ~1.1 width units
    a character)."""
    visible = [j for j, w in enumerate(widths) if w > 0]
    col = (max(visible) if visible else 0) + 3
    longest = max([len(b.title) * 1.1 for b in content.blocks if isinstance(b, Table)]
                  + [0])
    used, j = 0.0, 0
    while used < longest:
        used += widths[j] if j < len(widths) else 8.43
        j += 1
    return max(col, j + 2)


def _chart_spec(sheet: str, chart: Chart, placed: dict[int, Placed], row: int, col: int,
                content: SheetContent) -> ChartSpec | None:
    """Absolute ranges (1-based) of a chart's categories and series."""
    pl = placed[chart.table]
    lo, hi = chart.rows if chart.rows is not None else (0, pl.last_data_row - pl.first_data_row)
    if hi < lo:
        return None  # no data rows: no chart

    def column(table: int, c: int) -> Area:
        start = placed[table].first_data_row + 1
        return Area(sheet, start + lo, c + 1, start + hi, c + 1)

    series = [(s.name, column(s.table, s.column), s.colour) for s in chart.series]
    points = None
    table = content.blocks[chart.table]
    if chart.kind == "pie" and isinstance(table, Table):
        colours = table.text_colours.get(chart.category_column, {})
        labels = [value_of(r[chart.category_column]) for r in table.rows[lo:hi + 1]]
        if colours and all(label in colours for label in labels):
            points = [colours[label] for label in labels]
    return ChartSpec(chart.kind, chart.title, column(chart.table, chart.category_column),
                     series, row, col, chart.y_title, width=CHART_WIDTH,
                     point_colours=points)
