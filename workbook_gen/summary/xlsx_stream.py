"""A streaming book for large summary sheets (the national recap): the same renderer
(``summary.render``) draws into it, and the sheet's rows go straight to xlsxwriter's
row file, a band of rows at a time.

:class:`~workbook_gen.summary.xlsx_book.XlsxSheetBook` keeps every cell's value and
layered format in dicts; at 10,000 units (1.5 million cells) that costs seconds and
100 MB. This book keeps what the renderer hands it as it is: the grid of values (one
reference, no copy) and the format layers as areas. At :meth:`XlsxStreamBook.flush` it
cuts the sheet into bands of rows covered by the same layers, works out each column's
style once per band, and writes the rows' XML into the worksheet's temporary row file
the way xlsxwriter's ``constant_memory`` mode does, with text in the shared string
table. Everything else (styles, conditional formats, widths, heights, charts, page
setup, protection, the package) stays xlsxwriter's own.

The workbook must be opened with ``constant_memory``; a sheet is written completely at
its flush (before the next sheet is rendered), so only one sheet's grid is held at a
time. Cells xlsxwriter treats specially (formulas, NaN/inf, text past Excel's limit)
are written by xlsxwriter itself.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from itertools import compress, pairwise, repeat
from math import isfinite
from operator import is_not
from typing import Any

from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from ..book import Area, Fmt
from .xlsx_book import XlsxSheetBook, merge_fmt, xlsx_format

#: text longer than this may pass Excel's 32,767 UTF-16 units: xlsxwriter checks it
_LONG_TEXT = 16383
#: rows made at once (a column at a time): enough to leave Python out of the cell loop,
#: few enough to keep the text of one chunk small (about 2 MB)
_CHUNK = 512
_NUMBERS = {float, int}
_TEXT = {str}
_NONE = type(None)
#: distinct numbers kept with their text per sheet, at most
_MEMO = 20_000
#: a row the row-by-row writer leaves to xlsxwriter's own writers
_ODD = "\0odd"


class XlsxStreamBook(XlsxSheetBook):
    """The book protocol over new xlsxwriter sheets of a ``constant_memory`` workbook;
    each sheet is written out by :meth:`flush` right after it is rendered."""

    def __init__(self, wb: Workbook, protect_options: dict[str, bool] | None = None,
                 formats: dict[Fmt, Any] | None = None) -> None:
        if not wb.constant_memory:
            raise ValueError("XlsxStreamBook menulis ke workbook constant_memory saja")
        super().__init__(wb, protect_options, formats)
        #: sheet -> [(first row, first column, rows)] as the renderer wrote them
        self._blocks: dict[str, list[tuple[int, int, list[list[Any]]]]] = {}
        #: sheet -> format layers in the order they were laid: (r0, c0, r1, c1, Fmt)
        self._layers: dict[str, list[tuple[int, int, int, int, Fmt]]] = {}
        #: number -> its text and the cell's end (the sheet being flushed)
        self._numbers: dict[float, str] = {}

    def replace_sheet(self, name: str, after: str | None) -> None:
        self.sheets[name] = self.wb.add_worksheet(name)
        self._blocks[name] = []
        self._layers[name] = []

    def write_block(self, sheet: str, r0: int, c0: int, values: list[list[Any]]) -> None:
        self._blocks[sheet].append((r0, c0, values))

    write_formulas = write_block

    def format_area(self, area: Area, fmt: Fmt) -> None:
        self._layers[area.sheet].append((area.r0, area.c0, area.r1, area.c1, fmt))

    def format_areas(self, sheet: str, areas: Sequence[Area], fmt: Fmt) -> None:
        layers = self._layers[sheet]
        for a in areas:
            layers.append((a.r0, a.c0, a.r1, a.c1, fmt))

    # writing out
    def flush(self) -> None:
        for sheet in list(self._blocks):
            self._flush_sheet(sheet)
            del self._blocks[sheet], self._layers[sheet]
            self._numbers.clear()

    def _grid(self, sheet: str) -> list[list[Any]]:
        """The sheet's values as rows from row 1, column 1 (the renderer writes one block
        there; anything else is laid into a new grid, later blocks over earlier ones)."""
        blocks = self._blocks[sheet]
        if len(blocks) == 1 and blocks[0][:2] == (1, 1):
            return blocks[0][2]
        height = max([r0 + len(rows) - 1 for r0, _, rows in blocks] + [0])
        width = max([c0 + len(row) - 1 for _, c0, rows in blocks for row in rows] + [0])
        grid: list[list[Any]] = [[None] * width for _ in range(height)]
        for r0, c0, rows in blocks:
            for i, row in enumerate(rows):
                target = grid[r0 - 1 + i]
                for j, v in enumerate(row):
                    if v is not None:
                        target[c0 - 1 + j] = v
        return grid

    def _bands(self, sheet: str, height: int) -> list[tuple[int, int, list[Fmt | None]]]:
        """(first row, row after the last, layered format per column) for every band of
        rows covered by the same layers, rows 1..``height`` and every formatted row."""
        layers = self._layers[sheet]
        last = max([height] + [r1 for _, _, r1, _, _ in layers])
        cuts = sorted({1, last + 1} | {r0 for r0, _, _, _, _ in layers}
                      | {r1 + 1 for _, _, r1, _, _ in layers})
        starts: dict[int, list[int]] = {}
        ends: dict[int, list[int]] = {}
        for i, (r0, _, r1, _, _) in enumerate(layers):
            starts.setdefault(r0, []).append(i)
            ends.setdefault(r1 + 1, []).append(i)
        active: set[int] = set()
        memo: dict[tuple[int, ...], list[Fmt | None]] = {}
        out = []
        for lo, hi in pairwise(cuts):
            active.difference_update(ends.get(lo, ()))
            active.update(starts.get(lo, ()))
            if hi <= 1 or lo > last:
                continue
            key = tuple(sorted(active))
            styles = memo.get(key)
            if styles is None:
                styles = []
                for i in key:
                    _, c0, _, c1, fmt = layers[i]
                    if len(styles) < c1:
                        styles += [None] * (c1 - len(styles))
                    for c in range(c0 - 1, c1):
                        styles[c] = merge_fmt(styles[c], fmt)
                memo[key] = styles
            out.append((max(lo, 1), hi, styles))
        return out

    def _flush_sheet(self, sheet: str) -> None:
        ws = self.sheets[sheet]
        grid = self._grid(sheet)
        cached = self.cached.get(sheet, {})
        formula_rows = {r for r, _ in cached}
        fh = ws.row_data_fh
        row_info = ws.row_info
        tag = io.StringIO()  # a <row> tag with a height, as xlsxwriter writes it
        width = max((len(row) for row in grid), default=0)
        height = len(grid)
        xf: dict[int, str] = {}  # id(Fmt) -> ' s="n"'
        uses = 0  # shared strings written (xlsxwriter counts every use)
        first_row = last_row = None
        for lo, hi, styles in self._bands(sheet, height):
            n = max(width, len(styles))
            attrs = []
            for c in range(n):
                fmt = styles[c] if c < len(styles) else None
                if fmt is None:
                    attrs.append("")
                    continue
                a = xf.get(id(fmt))
                if a is None:
                    index = xlsx_format(self.wb, self._cache, fmt)._get_xf_index()
                    a = xf[id(fmt)] = f' s="{index}"'
                attrs.append(a)
            columns = [(f'<c r="{xl_col_to_name(c)}', attrs[c]) for c in range(n)]
            blank = [None] * n
            for c_lo in range(lo, hi, _CHUNK):
                c_hi = min(c_lo + _CHUNK, hi)
                rows = [grid[r - 1] if r <= height else blank for r in range(c_lo, c_hi)]
                rows = [row if len(row) == n else [*row, *[None] * (n - len(row))]
                        for row in rows]
                cells: list[str] | None = None
                if not formula_rows.intersection(range(c_lo, c_hi)):
                    cells, used = self._by_column(rows, c_lo, columns)
                out: list[str] = []
                for i, r in enumerate(range(c_lo, c_hi)):
                    if cells is not None:
                        text = cells[i]
                    elif r in formula_rows:
                        text = _ODD
                    else:
                        text = self._row_cells(rows[i], r, columns)
                    if not text:
                        continue
                    if first_row is None:
                        first_row = r
                    last_row = r
                    if r - 1 in row_info:
                        tag.seek(0)
                        tag.truncate()
                        ws.fh = tag
                        ws._write_row(r - 1, None, row_info[r - 1])
                        ws.fh = fh
                        out.append(tag.getvalue())
                    else:
                        out.append(f'<row r="{r}">')
                    if text is _ODD:
                        fh.write("".join(out))
                        out.clear()
                        uses += self._odd_row(ws, r, rows[i], columns, styles, cached)
                    else:
                        out.append(text)
                        if cells is None:
                            uses += text.count('t="s"')
                    out.append("</row>")
                fh.write("".join(out))
                if cells is not None:
                    uses += used
        self.wb.str_table.count += uses
        if first_row is not None:
            cmin, cmax = _used_columns(grid, self._layers[sheet])
            ws.previous_row = 0  # (xlsxwriter ignores rows above the last one written)
            ws._check_dimensions(first_row - 1, cmin)
            ws._check_dimensions(last_row - 1, cmax)
        # every row is in the file: xlsxwriter's own row writer has nothing left to do
        ws.table.clear()
        ws.previous_row = ws.xls_rowmax

    def _by_column(self, rows: list[list[Any]], first: int, columns: list[tuple[str, str]]
                   ) -> tuple[list[str] | None, int]:
        """The cells of each row (text, empty for a row without cells), made a column at
        a time: the column's values are sorted into text and numbers once and formatted by
        ``map``, no Python step per cell. None when a cell needs the row-by-row writer
        (another type, text past the limit, NaN/inf). Also returns the shared strings
        written."""
        m = len(rows)
        nums = list(map(str, range(first, first + m)))
        sst = self.wb.str_table
        used = 0
        xml: list[list[str]] = []
        tails: dict[str, str] = {}  # text -> its shared string index and the cell's end
        for (pre, a), column in zip(columns, zip(*rows, strict=True), strict=True):
            kinds = set(map(type, column))
            if _NONE in kinds:
                kinds.discard(_NONE)
                present = list(compress(range(m), map(is_not, column, repeat(None))))
                if not present and not a:
                    continue
                out = list(map("".join, zip(repeat(pre), nums, repeat(f'"{a}/>')))) if a \
                    else [""] * m
                values = [column[i] for i in present]
                at = [nums[i] for i in present]
            else:
                present, values, at = None, column, nums
            if not kinds:
                made = []
            elif kinds == _TEXT:
                if max(map(len, values)) > _LONG_TEXT:
                    return None, 0
                if not tails.keys() >= set(values):
                    for text in dict.fromkeys(values):  # new texts in order of first use
                        if text not in tails:
                            tails[text] = f"{_string_index(sst, text)}</v></c>"
                made = list(map("".join, zip(repeat(pre), at, repeat(f'"{a} t="s"><v>'),
                                             map(tails.__getitem__, values))))
                used += len(values)
            elif kinds <= _NUMBERS:
                texts = self._number_texts(values)
                if texts is None:
                    return None, 0  # NAN, INF: xlsxwriter's own writer decides
                made = list(map("".join, zip(repeat(pre), at, repeat(f'"{a}><v>'), texts)))
            else:
                return None, 0
            if present is None:
                out = made
            else:
                for i, text in zip(present, made, strict=True):
                    out[i] = text
            xml.append(out)
        if not xml:
            return [""] * m, used
        return list(map("".join, zip(*xml, strict=True))), used

    def _number_texts(self, values: Sequence[float]) -> list[str] | None:
        """Each number as xlsxwriter writes it ('%.16G') with the cell's end; formatted
        once per distinct value of the sheet (capaian, serapan and pagu repeat across
        units and columns), keeping at most _MEMO of them. None for NaN or infinity."""
        numbers = self._numbers
        distinct = set(values)
        new = distinct.difference(numbers)
        for v in new:
            if not isfinite(v):
                return None
        kept = len(new) <= _MEMO - len(numbers)
        if kept:
            for v in new:
                if v != 0:  # 0.0 and -0.0 are one key but two texts: never kept
                    numbers[v] = f"{v:.16G}</v></c>"
        if kept and 0 not in distinct:
            return list(map(numbers.__getitem__, values))
        get = numbers.get
        return [get(v) or f"{v:.16G}</v></c>" for v in values]

    def _row_cells(self, row: list[Any], r: int, columns: list[tuple[str, str]]) -> str:
        """The cells of one row as text ('' for none), or _ODD when a cell needs
        xlsxwriter's own writer (a formula, NaN/inf, text past Excel's limit)."""
        sst = self.wb.str_table
        parts = []
        for (pre, a), v in zip(columns, row, strict=True):
            if v is None:
                if a:
                    parts.append(f'{pre}{r}"{a}/>')
            elif (t := type(v)) is str and len(v) <= _LONG_TEXT:
                parts.append(f'{pre}{r}"{a} t="s"><v>{_string_index(sst, v)}</v></c>')
            elif t is float or t is int:
                text = f"{v:.16G}"
                if text[-1] in "NF":
                    return _ODD
                parts.append(f'{pre}{r}"{a}><v>{text}</v></c>')
            else:
                return _ODD
        return "".join(parts)

    def _odd_row(self, ws: Worksheet, r: int, row: list[Any], columns: list[tuple[str, str]],
                 styles: list[Fmt | None], cached: dict[tuple[int, int], Any]) -> int:
        """One row cell by cell: formulas, NaN/inf and text past Excel's limit through
        xlsxwriter's own writers (as XlsxSheetBook writes them), the rest as the fast
        rows do (other types as their text). Returns the shared strings written."""
        fh, used = ws.fh, 0
        sst = self.wb.str_table
        for c, (pre, a) in enumerate(columns):
            v = row[c]
            if v is None:
                if a:
                    fh.write(f'{pre}{r}"{a}/>')
                continue
            live = (r, c + 1) in cached and isinstance(v, str)
            number = isinstance(v, (int, float)) and not isinstance(v, bool)
            if not live and number:
                text = f"{v:.16G}"
                if text[-1] not in "NF":
                    fh.write(f'{pre}{r}"{a}><v>{text}</v></c>')
                    continue
            elif not live:
                v = str(v)
                if len(v) <= _LONG_TEXT:
                    used += 1
                    fh.write(f'{pre}{r}"{a} t="s"><v>{_string_index(sst, v)}</v></c>')
                    continue
            layered = styles[c] if c < len(styles) else None
            fmt = xlsx_format(self.wb, self._cache, layered)
            ws.table.clear()
            ws.previous_row = r - 1
            if live:
                ws._write_formula(r - 1, c, v, fmt, cached[(r, c + 1)])
            elif number:
                ws._write_number(r - 1, c, v, fmt)
            else:
                ws._write_string(r - 1, c, v, fmt)
            cell = ws.table.get(r - 1, {}).get(c)
            if cell is not None:
                ws._write_cell(r - 1, c, cell)
        ws.table.clear()
        return used


def _string_index(sst: Any, text: str) -> int:
    """The index of ``text`` in the workbook's shared string table, added when new (the
    uses are counted by the caller, all at once)."""
    index = sst.string_table.get(text)
    if index is None:
        index = sst.string_table[text] = sst.unique_count
        sst.unique_count += 1
    return index


def _used_columns(grid: list[list[Any]], layers: list[tuple[int, int, int, int, Fmt]]
                  ) -> tuple[int, int]:
    """First and last column (0-based) holding a value or a format."""
    lo = min([c0 - 1 for _, c0, _, _, _ in layers], default=None)
    hi = max([c1 - 1 for _, _, _, c1, _ in layers], default=None)
    width = max((len(row) for row in grid), default=0)
    for c in range(width):
        if lo is not None and c >= lo:
            break
        if any(len(row) > c and row[c] is not None for row in grid):
            lo = c
            break
    for c in range(width - 1, -1, -1):
        if hi is not None and c <= hi:
            break
        if any(len(row) > c and row[c] is not None for row in grid):
            hi = c
            break
    return lo or 0, hi or 0


__all__ = ["XlsxStreamBook"]
