"""Neutral tables and charts: what a summary sheet shows, independent of any writer.

The summary builder (``workbook_gen.summary``) turns engine results into
:class:`SheetContent`; writers only render them: xlsxwriter for new files
(generator, consolidation) and the book adapter for an open workbook (Hitung Capaian).
Writers never compute. Positions are fixed here, so every writer puts a value in the
same cell and charts can refer to cells.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Number formats by name; writers map them to Excel format codes (see FORMAT_CODES).
TEKS = "teks"
ANGKA = "angka"  # up to 2 decimals, grouped
BULAT = "bulat"  # whole number, grouped
PERSEN = "persen"  # a percentage value such as 88.28 shown as 88.28 (not 8828 %)
RUPIAH = "rupiah"

FORMAT_CODES = {
    TEKS: "@",
    ANGKA: "#,##0.##",
    BULAT: "#,##0",
    PERSEN: "#,##0.00",
    RUPIAH: "#,##0",
}

# Row styles
NORMAL = "normal"
GRUP = "grup"  # a group row (sasaran, kegiatan), bold with a light fill
TOTAL = "total"  # a total / mean row, bold with a top border


@dataclass
class Column:
    header: str | Formula  # a Formula: a header that follows an input (the periode)
    format: str = TEKS
    width: float = 12
    hidden: bool = False  # a helper column of the live formulas (not printed)


@dataclass(frozen=True)
class Formula:
    """A live cell: the formula text (with '=') and the engine's value, written as its
    cached value so readers and previews show the truth before a recalculation."""

    text: str
    value: Any = None


def value_of(cell: Any) -> Any:
    """What a cell shows: the cached value of a formula, else the cell itself."""
    return cell.value if isinstance(cell, Formula) else cell


@dataclass
class Table:
    """A titled table.

    ``text_colours`` colours cells by their text, per column: {column index: {text: hex}}
    (category names, finding levels). Writers may render it as fills per cell or as
    conditional formats over the column; either way the colour follows the text.
    """

    title: str
    columns: list[Column]
    rows: list[list[Any]]
    subtitle: str | None = None
    row_styles: list[str] = field(default_factory=list)
    text_colours: dict[int, dict[str, str]] = field(default_factory=dict)
    note: str | None = None  # one line under the table
    #: rows formatted for the data (at least ``len(rows)``): Hitung Capaian later writes
    #: up to this many rows as values into the formatted area (Catatan Validasi)
    capacity: int = 0

    def colour_of(self, row: int, col: int) -> str | None:
        value = value_of(self.rows[row][col])
        return self.text_colours.get(col, {}).get(value) if isinstance(value, str) else None

    def style(self, i: int) -> str:
        return self.row_styles[i] if i < len(self.row_styles) else NORMAL


@dataclass
class Series:
    name: str
    table: int  # index of the table in SheetContent.blocks
    column: int  # value column index in that table
    colour: str | None = None


@dataclass
class Chart:
    kind: str  # "column", "bar", "line", "pie"
    title: str
    table: int  # table (index in SheetContent.blocks) holding categories and values
    category_column: int
    series: list[Series]
    rows: tuple[int, int] | None = None  # first and last data row index; None: all
    y_title: str | None = None


@dataclass
class SheetContent:
    """One summary sheet: blocks laid out top to bottom, charts to the right."""

    name: str
    title: str | Formula  # a Formula: a title that follows an input (the periode)
    blocks: list[Table | Chart]
    landscape: bool = True
    #: cells outside the tables, {(row, column): value or Formula}, 0-based (row 1 is the
    #: line under the sheet title; hidden columns past the tables hold stored values)
    cells: dict[tuple[int, int], Any] = field(default_factory=dict)
    hidden_columns: tuple[int, ...] = ()  # 0-based columns hidden on the sheet


@dataclass(frozen=True)
class Placed:
    """Where a table landed: first row of the title, header and data (0-based)."""

    title_row: int
    header_row: int
    first_data_row: int
    last_data_row: int


def place(content: SheetContent, start_row: int = 2) -> dict[int, Placed]:
    """Row positions of each table (0-based rows); charts take no rows.

    Row 0 holds the sheet title, row 1 the subtitle line; tables start at ``start_row``
    with a title row, an optional subtitle row, a header row, the data rows and a gap.
    """
    out: dict[int, Placed] = {}
    row = start_row
    for i, block in enumerate(content.blocks):
        if not isinstance(block, Table):
            continue
        title_row = row
        header_row = row + (2 if block.subtitle else 1)
        first = header_row + 1
        last = first + len(block.rows) - 1
        out[i] = Placed(title_row, header_row, first, last)
        row = last + (3 if block.note else 2)
    return out
