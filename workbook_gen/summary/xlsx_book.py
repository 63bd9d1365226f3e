"""The book protocol over a new xlsxwriter sheet, so the generator draws summary sheets
with the same renderer as Hitung Capaian (``summary.render``).

xlsxwriter writes a cell's value and format together, once; this book collects values
and layered formats per cell and writes everything in :meth:`XlsxSheetBook.flush`.
Formulas keep the engine's value as their cached value.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields, replace
from typing import Any

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from ..book import Area, AreaByArea, ChartSpec, Fmt

_DEFAULTS = {f.name: getattr(Fmt(), f.name) for f in fields(Fmt)}
#: a formatted area of at least this many rows keeps its empty rows as runs
_RUN_ROWS = 20
_VALIGN = {"center": "vcenter", "top": "top"}


_MERGED: dict[tuple[Fmt, Fmt], Fmt] = {}  # a recap layers the same few formats 10^6 times


def merge_fmt(old: Fmt | None, new: Fmt) -> Fmt:
    """``new`` over ``old``: every field ``new`` sets wins (as the other books layer)."""
    if old is None:
        return new
    out = _MERGED.get((old, new))
    if out is None:
        changes = {k: v for k, d in _DEFAULTS.items() if (v := getattr(new, k)) != d}
        out = _MERGED[(old, new)] = replace(old, **changes)
        if len(_MERGED) > 4096:  # formats are few; bound it anyway
            _MERGED.clear()
    return out


def xlsx_format(wb: Workbook, cache: dict[Fmt, Any], fmt: Fmt | None) -> Any:
    """The xlsxwriter format of a layered :class:`Fmt` (added to ``wb`` once, kept in
    ``cache``); None for no format."""
    if fmt is None:
        return None
    out = cache.get(fmt)
    if out is None:
        props: dict[str, Any] = {}
        if fmt.font:
            props["font_name"] = fmt.font
        if fmt.bold:
            props["bold"] = True
        if fmt.italic:
            props["italic"] = True
        if fmt.size:
            props["font_size"] = fmt.size
        if fmt.font_colour:
            props["font_color"] = fmt.font_colour
        if fmt.fill:
            props["bg_color"] = fmt.fill
        if fmt.number_format:
            props["num_format"] = fmt.number_format
        if fmt.wrap:
            props["text_wrap"] = True
        if fmt.border:
            props.update(border=1, border_color="#BFBFBF")
        if fmt.align:
            props["align"] = fmt.align
        if fmt.valign:
            props["valign"] = _VALIGN.get(fmt.valign, fmt.valign)
        out = cache[fmt] = wb.add_format(props)
    return out


class XlsxSheetBook(AreaByArea):
    """One workbook being written by xlsxwriter; sheets added by ``replace_sheet``."""

    def __init__(self, wb: Workbook, protect_options: dict[str, bool] | None = None,
                 formats: dict[Fmt, Any] | None = None) -> None:
        self.wb = wb
        self.name = "baru.xlsx"
        self.sheets: dict[str, Worksheet] = {}
        self._values: dict[str, dict[tuple[int, int], Any]] = {}
        self._formats: dict[str, dict[tuple[int, int], Fmt]] = {}
        #: Fmt -> xlsxwriter format; pass one dict for all sheets of a workbook to add
        #: each format once
        self._cache: dict[Fmt, Any] = {} if formats is None else formats
        self._protect = protect_options or {}
        #: sheet -> {(row, col): cached value} of its formula cells (1-based); only these
        #: cells are written as formulas (a text that starts with "=" stays text)
        self.cached: dict[str, dict[tuple[int, int], Any]] = {}
        #: sheet -> rows holding a value or a format of their own
        self._touched: dict[str, set[int]] = {}
        #: sheet -> {row: (first column, last column, Fmt)}: empty rows of a large
        #: formatted area (the rows Catatan Validasi keeps for findings), kept as one run
        #: per row and written in one call each; split into cells when anything else
        #: lands on the row
        self._runs: dict[str, dict[int, tuple[int, int, Fmt]]] = {}

    # the protocol (only what rendering needs)
    def sheet_names(self) -> list[str]:
        return list(self.sheets)

    def replace_sheet(self, name: str, after: str | None) -> None:
        self.sheets[name] = self.wb.add_worksheet(name)
        self._values[name] = {}
        self._formats[name] = {}
        self._touched[name] = set()
        self._runs[name] = {}

    def write_block(self, sheet: str, r0: int, c0: int, values: list[list[Any]]) -> None:
        cells, touched, runs = self._values[sheet], self._touched[sheet], self._runs[sheet]
        for i, row in enumerate(values):
            r = r0 + i
            wrote = False
            for j, v in enumerate(row):
                if v is not None:
                    cells[(r, c0 + j)] = v
                    wrote = True
            if wrote:
                if r in runs:
                    self._split_run(sheet, r)
                touched.add(r)

    write_formulas = write_block

    def _split_run(self, sheet: str, row: int) -> None:
        c0, c1, fmt = self._runs[sheet].pop(row)
        cells = self._formats[sheet]
        for c in range(c0, c1 + 1):
            cells[(row, c)] = fmt

    def format_area(self, area: Area, fmt: Fmt) -> None:
        cells = self._formats[area.sheet]
        touched, runs = self._touched[area.sheet], self._runs[area.sheet]
        rows: range | list[int] = range(area.r0, area.r1 + 1)
        if len(rows) >= _RUN_ROWS:
            rows = [r for r in rows if r in touched or r in runs]
            for r in range(area.r0, area.r1 + 1):
                if r not in touched and r not in runs:
                    runs[r] = (area.c0, area.c1, fmt)
        merged: dict[int, tuple[Fmt, Fmt]] = {}  # id(format below) -> (it, fmt over it)
        columns = range(area.c0, area.c1 + 1)
        for r in rows:
            if r in runs:
                self._split_run(area.sheet, r)
            touched.add(r)
            for c in columns:
                old = cells.get((r, c))
                if old is None:
                    cells[(r, c)] = fmt
                    continue
                hit = merged.get(id(old))
                if hit is None:
                    hit = merged[id(old)] = (old, merge_fmt(old, fmt))
                cells[(r, c)] = hit[1]

    def colour_by_text(self, area: Area, colours: dict[str, str]) -> None:
        ws = self.sheets[area.sheet]
        for text, colour in colours.items():
            ws.conditional_format(area.r0 - 1, area.c0 - 1, area.r1 - 1, area.c1 - 1, {
                "type": "cell", "criteria": "==",
                "value": '"' + text.replace('"', '""') + '"',
                "format": self.wb.add_format({"bg_color": colour})})

    def set_column_widths(self, sheet: str, widths: Sequence[float]) -> None:
        ws = self.sheets[sheet]
        for j, w in enumerate(widths):
            ws.set_column(j, j, w if w else 8, None, {"hidden": w == 0})

    def set_row_heights(self, sheet: str, heights: dict[int, float]) -> None:
        ws = self.sheets[sheet]
        for row, h in heights.items():
            ws.set_row(row - 1, h)

    def add_chart(self, sheet: str, chart: ChartSpec) -> None:
        xl: Any = self.wb.add_chart({"type": chart.kind})
        cat = chart.categories
        for name, values, colour in chart.series:
            series: dict[str, Any] = {
                "name": name,
                "categories": [cat.sheet, cat.r0 - 1, cat.c0 - 1, cat.r1 - 1, cat.c1 - 1],
                "values": [values.sheet, values.r0 - 1, values.c0 - 1, values.r1 - 1,
                           values.c1 - 1],
            }
            if chart.kind == "line":
                series["marker"] = {"type": "circle", "size": 7}
                if colour:
                    series["marker"].update(fill={"color": colour}, border={"color": colour})
            if colour and chart.kind != "pie":
                series["line" if chart.kind == "line" else "fill"] = {"color": colour}
            if chart.kind == "pie" and chart.point_colours:
                series["points"] = [{"fill": {"color": c}} for c in chart.point_colours]
            xl.add_series(series)
        xl.set_title({"name": chart.title, "name_font": {"size": 12, "bold": True}})
        if chart.y_title and chart.kind != "pie":
            xl.set_y_axis({"name": chart.y_title})
        xl.set_legend({"position": "bottom"})
        xl.show_hidden_data()  # helper columns feeding a chart are hidden
        xl.set_size({"width": chart.width, "height": chart.height})
        self.sheets[sheet].insert_chart(chart.anchor_row - 1, chart.anchor_col - 1, xl)

    def page_setup(self, sheet: str, landscape: bool) -> None:
        ws = self.sheets[sheet]
        ws.set_paper(9)  # A4
        if landscape:
            ws.set_landscape()
        else:
            ws.set_portrait()
        ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
        ws.fit_to_pages(1, 0)
        ws.set_footer("&L&A&RHalaman &P dari &N")

    def protect(self, sheet: str, password: str | None) -> None:
        self.sheets[sheet].protect(password or "", self._protect)

    # writing out
    def _format(self, fmt: Fmt | None) -> Any:
        return xlsx_format(self.wb, self._cache, fmt)

    def flush(self) -> None:
        """Write every collected cell with its format (formulas with cached values).

        Cells go through xlsxwriter's undecorated writers (``_write_number`` ...): the
        public ones only add the parsing of "A1" arguments, a call per cell that a
        summary sheet with its formatted empty rows makes thousands of times. Cells are
        written row by row, left to right, so formats and shared strings come in the
        same order whatever the sheet."""
        for sheet, ws in self.sheets.items():
            values, formats = self._values[sheet], self._formats[sheet]
            cached = self.cached.get(sheet, {})
            by_id: dict[int, Any] = {}  # id(Fmt) -> xlsxwriter format (Fmts live in formats)
            formula, blank = ws._write_formula, ws._write_blank
            number, string = ws._write_number, ws._write_string
            runs = sorted(self._runs[sheet].items())
            next_run = runs[0][0] if runs else None
            i = 0
            for (r, c) in sorted(values.keys() | formats.keys()):
                while next_run is not None and next_run < r:
                    self._write_run(ws, by_id, next_run, runs[i][1])
                    i += 1
                    next_run = runs[i][0] if i < len(runs) else None
                v = values.get((r, c))
                layered = formats.get((r, c))
                fmt = by_id.get(id(layered))
                if fmt is None and layered is not None:
                    fmt = by_id[id(layered)] = self._format(layered)
                if v is None:
                    blank(r - 1, c - 1, None, fmt)
                elif (r, c) in cached and isinstance(v, str):
                    formula(r - 1, c - 1, v, fmt, cached[(r, c)])
                elif isinstance(v, (int, float)) and not isinstance(v, bool):
                    number(r - 1, c - 1, v, fmt)
                else:
                    string(r - 1, c - 1, str(v), fmt)
            for row, run in runs[i:]:
                self._write_run(ws, by_id, row, run)

    def _write_run(self, ws: Worksheet, by_id: dict[int, Any], row: int,
                   run: tuple[int, int, Fmt]) -> None:
        """The formatted empty cells of one row: one call where the sheet can take them
        at once (``sheets.writer.PlainFormulaWorksheet.write_blank_run``)."""
        c0, c1, layered = run
        fmt = by_id.get(id(layered))
        if fmt is None:
            fmt = by_id[id(layered)] = self._format(layered)
        write_run = getattr(ws, "write_blank_run", None)
        if write_run is not None:
            write_run(row - 1, c0 - 1, c1 - 1, fmt)
        else:
            for c in range(c0, c1 + 1):
                ws._write_blank(row - 1, c - 1, None, fmt)


__all__ = ["XlsxSheetBook", "merge_fmt", "xlsx_format"]
