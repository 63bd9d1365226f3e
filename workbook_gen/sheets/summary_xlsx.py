"""Render a summary sheet (``tables.SheetContent``) with xlsxwriter.

The content is computed by ``workbook_gen.summary``; this writer only places it:
tables where ``tables.place`` says, charts to the right of the tables referring to the
table cells. The Hitung Capaian routine renders the same content into an open workbook,
so both writers put every value in the same cell.
"""

from __future__ import annotations

from typing import Any

from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from .. import tables
from .context import Context, write_value
from .styles import fit_row, protect, setup_print

CHART_ROWS = 17  # rows between stacked charts (as the book renderer, summary_book)
_STYLE_KIND = {tables.NORMAL: "text", tables.GRUP: "group", tables.TOTAL: "total"}
_CHART_KINDS = {"column", "bar", "line", "pie"}


def _fmt(ctx: Context, style: str, fmt_name: str, fill: str | None = None):
    extra: dict[str, Any] = {}
    if fill:
        extra["bg_color"] = fill
    code = tables.FORMAT_CODES.get(fmt_name)
    if fmt_name == tables.TEKS:
        code = None  # text cells keep the General format: numbers typed later stay numbers
    return ctx.styles.get(_STYLE_KIND.get(style, "text"), code, **extra)


def _write(ws: Worksheet, row: int, col: int, value: Any, fmt) -> None:
    if isinstance(value, tables.Formula):
        ws.write_formula(row, col, value.text, fmt, value.value)
    else:
        write_value(ws, xl_rowcol_to_cell(row, col), value, fmt)


def write(wb: Workbook, ctx: Context, content: tables.SheetContent) -> Worksheet:
    st = ctx.styles
    ws = wb.add_worksheet(content.name)
    ws.write_string(0, 0, content.title, st.get("title"))
    placed = tables.place(content)
    widths: dict[int, float] = {}
    for block in content.blocks:
        if isinstance(block, tables.Table):
            for j, col in enumerate(block.columns):
                widths[j] = max(widths.get(j, 0), col.width)
    ncols = 1 + max([j for j in widths if j not in content.hidden_columns], default=0)
    for i, block in enumerate(content.blocks):
        if not isinstance(block, tables.Table):
            continue
        pl = placed[i]
        ws.write_string(pl.title_row, 0, block.title, st.get("label", font_size=12))
        if block.subtitle:
            ws.write_string(pl.title_row + 1, 0, block.subtitle, st.get("subtitle"))
        for j, col in enumerate(block.columns):
            ws.write_string(pl.header_row, j, col.header, st.get("header"))
        fit_row(ws, pl.header_row + 1, [(c.header, widths[j]) for j, c in enumerate(block.columns)])
        for r, values in enumerate(block.rows):
            style = block.style(r)
            for j, value in enumerate(values):
                col_fmt = block.columns[j].format if j < len(block.columns) else tables.TEKS
                fmt = _fmt(ctx, style, col_fmt, block.colour_of(r, j))
                _write(ws, pl.first_data_row + r, j, value, fmt)
            fit_row(ws, pl.first_data_row + r + 1,
                    [(tables.value_of(v), widths[j]) for j, v in enumerate(values)
                     if j < len(block.columns) and not block.columns[j].hidden])
        if block.note:
            ws.write_string(pl.last_data_row + 1, 0, block.note, st.get("subtitle"))
    for (r, c), value in content.cells.items():
        _write(ws, r, c, value, st.get("subtitle") if c == 0 else None)
    for j, width in widths.items():
        ws.set_column(j, j, width, None, {"hidden": j in content.hidden_columns})
    for j in content.hidden_columns:
        if j not in widths:
            ws.set_column(j, j, 8, None, {"hidden": True})

    chart_row = 2
    for block in content.blocks:
        if isinstance(block, tables.Chart) and _insert_chart(wb, ws, content, placed, block,
                                                             chart_row, ncols + 1):
            chart_row += CHART_ROWS
    setup_print(ws, header_row=None, landscape=content.landscape, title=content.title)
    protect(ws, ctx.spec)
    return ws


def _insert_chart(wb: Workbook, ws: Worksheet, content: tables.SheetContent,
                  placed: dict[int, tables.Placed], chart: tables.Chart, row: int,
                  col: int) -> bool:
    if chart.table not in placed or chart.kind not in _CHART_KINDS:
        return False
    pl = placed[chart.table]
    first, last = pl.first_data_row, pl.last_data_row
    if chart.rows is not None:
        first, last = pl.first_data_row + chart.rows[0], pl.first_data_row + chart.rows[1]
    if last < first:
        return False  # no data rows: no chart
    xl = wb.add_chart({"type": chart.kind})
    for s in chart.series:
        spl = placed.get(s.table, pl)
        s_first = spl.first_data_row + (first - pl.first_data_row)
        s_last = spl.first_data_row + (last - pl.first_data_row)
        series: dict[str, Any] = {
            "name": s.name,
            "categories": [content.name, first, chart.category_column, last,
                           chart.category_column],
            "values": [content.name, s_first, s.column, s_last, s.column],
        }
        if s.colour and chart.kind != "pie":
            key = "line" if chart.kind == "line" else "fill"
            series[key] = {"color": s.colour}
        xl.add_series(series)
    xl.set_title({"name": chart.title})
    if chart.y_title and chart.kind != "pie":
        xl.set_y_axis({"name": chart.y_title})
    xl.set_legend({"position": "bottom"})
    ws.insert_chart(row, col, xl, {"x_scale": 1.6, "y_scale": 1.15})
    return True
