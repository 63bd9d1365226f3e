"""The generator's faster workbook and worksheet (sheets/writer: FastWorkbook,
PlainFormulaWorksheet) write the same bytes as xlsxwriter's own Workbook and Worksheet:
every part of generated workbooks, and workbooks of generated cells of every kind and
formats (hypothesis)."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
import xlsxwriter
import xlsxwriter.worksheet
from hypothesis import given, settings
from hypothesis import strategies as st

from workbook_gen import generate
from workbook_gen.book import Area, Fmt
from workbook_gen.sheets.writer import FastWorkbook, PlainFormulaWorksheet
from workbook_gen.spec import load_spec, spec_from_data
from workbook_gen.summary import xlsx_book
from workbook_gen.summary.xlsx_book import XlsxSheetBook

from .conftest import BANTEN, JATENG
from .workbooks import synthetic_data


class StockRows(xlsxwriter.worksheet.Worksheet):
    """xlsxwriter's own row and cell writing, formulas stored as the generator stores
    them (that part has its own test in test_generate.py)."""

    _prepare_formula = PlainFormulaWorksheet._prepare_formula


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    core = parts.get("docProps/core.xml")
    if core is not None:  # creation time, to the second
        parts["docProps/core.xml"] = re.sub(rb"<dcterms:(created|modified)[^<]*<", b"<", core)
    return parts


@pytest.mark.parametrize("kind", ["xlsm", "xlsx", "lite"])
def test_generated_workbooks_have_xlsxwriters_own_bytes(monkeypatch, kind):
    specs = [load_spec(BANTEN), load_spec(JATENG),
             spec_from_data(synthetic_data(12, 9, n_sasaran=3), "x")]
    options = {"xlsm": {"macro": True}, "xlsx": {"macro": False},
               "lite": {"macro": False, "lite": True}}[kind]
    fast = [_parts(generate.build_workbook(s, **options)) for s in specs]
    monkeypatch.setattr(generate, "PlainFormulaWorksheet", StockRows)
    monkeypatch.setattr(generate, "FastWorkbook", xlsxwriter.Workbook)
    stock = [_parts(generate.build_workbook(s, **options)) for s in specs]
    for mine, theirs in zip(fast, stock, strict=True):
        assert list(mine) == list(theirs)
        sheets = [n for n in mine if n.startswith("xl/worksheets/sheet")]
        assert len(sheets) >= 12
        for name in mine:
            assert mine[name] == theirs[name], name


_PROPERTIES = [
    {"bold": True}, {"num_format": "0.00"}, {"bg_color": "#FFF2CC", "locked": False},
    {"bg_color": "#1F4E78", "font_color": "#FFFFFF", "border": 1, "border_color": "#FFFFFF",
     "text_wrap": True, "valign": "vcenter", "align": "center"},
    {"italic": True, "font_name": "Calibri", "font_size": 14}, {"pattern": 2, "fg_color": "red"},
    {"top": 2, "bottom": 2, "left": 1, "right": 1, "border_color": "#404040"}, {}]


_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12) | \
    st.sampled_from(["a & b", "<x>", 'say "hi"', "_x0041_", "line\nbreak", "=1+1", "#N/A"])
_NUMBER = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15) | \
    st.integers(-10**12, 10**12)
_CACHED = _NUMBER | _TEXT | st.booleans() | st.sampled_from(
    ["", "#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!"])
_CELL = st.one_of(
    st.tuples(st.just("number"), _NUMBER),
    st.tuples(st.just("string"), _TEXT),
    st.tuples(st.just("blank"), st.none()),
    st.tuples(st.just("formula"), st.tuples(st.sampled_from(
        ["=A1+1", '=IF(A1>0,"a&b","<c>")', "=SUM(B1:B3)", '="x"&"y"']), _CACHED)),
    st.tuples(st.just("boolean"), st.booleans()),
)
_SHEET = st.fixed_dictionaries({
    "cells": st.dictionaries(st.tuples(st.integers(0, 40), st.integers(0, 20)),
                             st.tuples(_CELL, st.integers(0, 3)), max_size=60),
    "rows": st.dictionaries(st.integers(0, 45), st.tuples(
        st.sampled_from([None, 15.0, 30.0]), st.integers(0, 3)), max_size=6),
    "columns": st.dictionaries(st.integers(0, 22), st.integers(0, 3), max_size=4),
    "formats": st.lists(st.integers(0, len(_PROPERTIES) - 1), min_size=3, max_size=6),
    "merge": st.booleans(),
    "rich": st.booleans(),
})


def _sheet_xml(worksheet_class: type, sheet: dict, book_class: type = xlsxwriter.Workbook
               ) -> dict[str, bytes]:
    buf = io.BytesIO()
    wb = book_class(buf, {"in_memory": True, "strings_to_numbers": False,
                          "strings_to_formulas": False, "strings_to_urls": False})
    wb.worksheet_class = worksheet_class
    formats = [None] + [wb.add_format(dict(_PROPERTIES[i])) for i in sheet["formats"]]
    ws = wb.add_worksheet("Data")
    for col, f in sheet["columns"].items():
        ws.set_column(col, col, 12, formats[f])
    for row, (height, f) in sheet["rows"].items():
        ws.set_row(row, height, formats[f])
    for (row, col), ((kind, value), f) in sheet["cells"].items():
        fmt = formats[f]
        if kind == "number":
            ws.write_number(row, col, value, fmt)
        elif kind == "string":
            ws.write_string(row, col, value, fmt)
        elif kind == "blank":
            ws.write_blank(row, col, None, fmt or formats[1])
        elif kind == "formula":
            ws.write_formula(row, col, value[0], fmt, value[1])
        else:
            ws.write_boolean(row, col, value, fmt)
    if sheet["merge"]:
        ws.merge_range(50, 1, 51, 3, "gabung & <sel>", formats[1])
    if sheet["rich"]:
        ws.write_rich_string(52, 0, "a ", formats[1], "tebal", " c")
    wb.close()
    return _parts(buf.getvalue())


@settings(max_examples=150, deadline=None)
@given(_SHEET)
def test_any_sheet_has_xlsxwriters_own_bytes(sheet):
    assert (_sheet_xml(PlainFormulaWorksheet, sheet, FastWorkbook)
            == _sheet_xml(xlsxwriter.worksheet.Worksheet, sheet))


def test_a_format_copied_from_another_workbook_is_its_own():
    """A format asked for again in a second workbook is a copy: changing it, or the
    workbook giving it an index, leaves the first workbook's and the next ones' alone."""
    props = {"bg_color": "#ABCDEF", "bold": True}
    first = FastWorkbook(io.BytesIO(), {"in_memory": True})
    a = first.add_format(dict(props))
    second = FastWorkbook(io.BytesIO(), {"in_memory": True})
    b = second.add_format(dict(props))
    assert a is not b and b in second.formats and b not in first.formats
    assert b.xf_format_indices is second.xf_format_indices
    b.set_italic()
    second.add_worksheet().write_number(0, 0, 1, b)
    second.close()
    third = FastWorkbook(io.BytesIO(), {"in_memory": True})
    c = third.add_format(dict(props))
    assert second.formats[-1].xf_index is not None  # (the copy got the index)
    assert (c.italic, c.xf_index, c.pattern, a.italic) == (0, None, a.pattern, 0)
    assert (c.bg_color, c.fg_color) == (a.bg_color, a.fg_color)


def test_sheet_with_a_comment_falls_back_to_xlsxwriter():
    def build(cls: type) -> dict[str, bytes]:
        buf = io.BytesIO()
        wb = xlsxwriter.Workbook(buf, {"in_memory": True})
        wb.worksheet_class = cls
        ws = wb.add_worksheet()
        ws.write_number(0, 0, 1.5)
        ws.write_comment(3, 2, "catatan")
        ws.write_string(5, 1, "x")
        wb.close()
        return _parts(buf.getvalue())

    mine = build(PlainFormulaWorksheet)
    assert b'<c r="A1"><v>1.5</v></c>' in mine["xl/worksheets/sheet1.xml"]
    assert mine == build(StockRows)


_FMTS = [Fmt(bold=True), Fmt(wrap=True, valign="top", font="Calibri"), Fmt(fill="#DDEBF7"),
         Fmt(number_format="#,##0.00", border=True)]
_OPS = st.lists(st.one_of(
    st.tuples(st.just("values"), st.integers(1, 60), st.integers(1, 6),
              st.lists(st.lists(st.none() | st.integers(0, 9) | st.sampled_from(["a", "b & c"]),
                                min_size=1, max_size=4), min_size=1, max_size=5)),
    st.tuples(st.just("format"), st.integers(1, 40), st.integers(1, 6), st.integers(0, 45),
              st.integers(0, 3), st.integers(0, len(_FMTS) - 1)),
), max_size=12)


def _summary_book_bytes(ops: list) -> dict[str, bytes]:
    buf = io.BytesIO()
    wb = FastWorkbook(buf, {"in_memory": True, "strings_to_numbers": False,
                            "strings_to_formulas": False, "strings_to_urls": False})
    book = XlsxSheetBook(wb)
    book.replace_sheet("Catatan", None)
    for op in ops:
        if op[0] == "values":
            book.write_block("Catatan", op[1], op[2], op[3])
        else:
            _, r0, c0, rows, cols, f = op
            book.format_area(Area("Catatan", r0, c0, r0 + rows, c0 + cols), _FMTS[f])
    book.flush()
    wb.close()
    return _parts(buf.getvalue())


@settings(max_examples=120, deadline=None)
@given(_OPS)
def test_summary_book_keeps_empty_formatted_rows_as_runs_with_the_same_bytes(ops):
    """XlsxSheetBook keeps the empty rows of a large formatted area as one run per row
    (Catatan Validasi's rows for findings); whatever lands on them later, the sheet is
    the one cell-by-cell formatting gives."""
    runs = _summary_book_bytes(ops)
    every_row = xlsx_book._RUN_ROWS
    try:
        xlsx_book._RUN_ROWS = 10**9  # no runs: every cell on its own
        cells = _summary_book_bytes(ops)
    finally:
        xlsx_book._RUN_ROWS = every_row
    assert runs == cells
