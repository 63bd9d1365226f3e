"""The xlsxwriter workbook and worksheet classes every generated workbook is written with.

They write exactly the bytes xlsxwriter's own ``Workbook`` and ``Worksheet`` write
(tests compare the two part by part), only faster, because a katalog makes a thousand
workbooks in one run:

* formulas are stored as written: xlsxwriter otherwise searches every formula for
  dynamic-array functions (FILTER, XLOOKUP, ...) and runs some thirty regular
  expressions over it to prefix them with ``_xlfn.``; these workbooks use none of them
  (Excel 2007 functions only, see ``workbook_gen.formulas``; a test checks every
  generated formula);
* a format is built once per process for each set of properties and copied into each
  workbook that asks for it again (building one parses every property and colour:
  about 40 us, a hundred times per workbook);
* the cells of a row are written by one tight loop (numbers, shared strings, blanks and
  formulas, the only kinds the generator writes) instead of a general method per cell
  that builds and escapes an attribute list; any other kind of cell, comments and the
  constant-memory mode go through xlsxwriter's own code.
"""

from __future__ import annotations

import copy
from typing import Any

import xlsxwriter.workbook
import xlsxwriter.worksheet
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import CellBlankTuple, CellFormulaTuple

#: formula results that Excel stores as an error value (t="e")
_ERRORS = frozenset({"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!"})
_NUMBER = xlsxwriter.worksheet.CellNumberTuple
_STRING = xlsxwriter.worksheet.CellStringTuple
_BLANK = xlsxwriter.worksheet.CellBlankTuple
_FORMULA = xlsxwriter.worksheet.CellFormulaTuple


def _escape(data: Any) -> Any:
    """XML text of a cell's formula or cached result (a number stays a number)."""
    if isinstance(data, str) and ("&" in data or "<" in data or ">" in data):
        return data.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return data


class PlainFormulaWorksheet(xlsxwriter.worksheet.Worksheet):
    """xlsxwriter's worksheet with formulas stored as written and a faster row writer
    (module docstring). ``tests/test_generate.py`` checks that every generated formula
    comes out exactly as xlsxwriter's own preparation would give it, and
    ``tests/test_worksheet_xml.py`` that the sheets' XML is byte for byte xlsxwriter's."""

    def _prepare_formula(self, formula: str, expand_future_functions: bool = False) -> str:
        if formula.startswith("{"):
            formula = formula[1:]
        if formula.startswith("="):
            formula = formula[1:]
        if formula.endswith("}"):
            formula = formula[:-1]
        return formula

    def _write_formula(self, row: int, col: int, formula: str, cell_format: Any = None,
                       value: Any = 0) -> int:
        """A formula cell, as xlsxwriter stores one that names no dynamic-array function
        and is no {array} formula (the only kind the generator writes)."""
        if not formula or formula.startswith("{") or self.constant_memory:
            return super()._write_formula(row, col, formula, cell_format, value)
        if self._check_dimensions(row, col):
            return -1
        self.table[row][col] = CellFormulaTuple(self._prepare_formula(formula), cell_format,
                                                value)
        return 0

    def write_blank_run(self, row: int, first_col: int, last_col: int,
                        cell_format: Any) -> None:
        """Formatted empty cells from ``first_col`` to ``last_col`` of ``row`` (0-based),
        stored as ``write_blank`` stores each, in one call."""
        if (cell_format is None or self.constant_memory or first_col > last_col
                or self._check_dimensions(row, first_col)
                or self._check_dimensions(row, last_col)):
            for col in range(first_col, last_col + 1):
                self._write_blank(row, col, None, cell_format)
            return
        blank = CellBlankTuple(cell_format)
        self.table[row].update(dict.fromkeys(range(first_col, last_col + 1), blank))

    def _calculate_spans(self) -> None:
        if self.comments:
            super()._calculate_spans()
            return
        bounds: dict[int, tuple[int, int]] = {}  # block of 16 rows -> (first, last column)
        for row_num, cells in self.table.items():
            if not cells:
                continue
            lo, hi = min(cells), max(cells)
            if lo < self.dim_colmin or hi > self.dim_colmax:  # (never: dims hold every cell)
                super()._calculate_spans()
                return
            index = row_num // 16
            if index in bounds:
                a, b = bounds[index]
                lo, hi = min(lo, a), max(hi, b)
            bounds[index] = (lo, hi)
        self.row_spans = {i: f"{lo + 1}:{hi + 1}" for i, (lo, hi) in bounds.items()}

    def _write_rows(self) -> None:
        if self.comments or self.constant_memory:
            super()._write_rows()
            return
        self._calculate_spans()
        write = self.fh.write
        table, row_info, col_info = self.table, self.row_info, self.col_info
        lo_col, hi_col = self.dim_colmin, self.dim_colmax
        names = [xl_col_to_name(c) for c in range(hi_col + 1)]
        styles: dict[int, str] = {}  # id(format) -> ' s="index"' (formats live in the cells)
        for row_num in range(self.dim_rowmin, self.dim_rowmax + 1):
            cells = table.get(row_num)
            info = row_info.get(row_num)
            if not cells:
                if info is not None:  # a row with a height or format only
                    self._write_empty_row(row_num, self.row_spans.get(row_num // 16), info)
                continue
            self._write_row(row_num, self.row_spans.get(row_num // 16), info)
            row_format = info.row_format if info is not None else None
            r = str(row_num + 1)
            for col_num in sorted(cells):
                if not lo_col <= col_num <= hi_col:
                    continue
                cell = cells[col_num]
                kind = type(cell)
                if kind not in (_NUMBER, _STRING, _BLANK, _FORMULA):
                    self._write_cell(row_num, col_num, cell)
                    continue
                fmt = cell.format
                if fmt:
                    style = styles.get(id(fmt))
                    if style is None:
                        style = styles[id(fmt)] = f' s="{fmt._get_xf_index()}"'
                elif row_format:
                    style = f' s="{row_format._get_xf_index()}"'
                elif col_num in col_info and col_info[col_num].column_format is not None:
                    style = f' s="{col_info[col_num].column_format._get_xf_index()}"'
                else:
                    style = ""
                ref = names[col_num] + r
                if kind is _BLANK:
                    write(f'<c r="{ref}"{style}/>')
                elif kind is _NUMBER:
                    write(f'<c r="{ref}"{style}><v>{cell.number:.16G}</v></c>')
                elif kind is _STRING:
                    write(f'<c r="{ref}"{style} t="s"><v>{cell.string}</v></c>')
                else:
                    value = cell.value
                    kind_attr = ""
                    if isinstance(value, bool):
                        kind_attr, value = ' t="b"', int(value)
                    elif isinstance(value, str) and value:
                        kind_attr = ' t="e"' if value in _ERRORS else ' t="str"'
                    write(f'<c r="{ref}"{style}{kind_attr}><f>{_escape(cell.formula)}</f>'
                          f'<v>{_escape(value)}</v></c>')
            write("</row>")


#: per process: properties (with the workbook's defaults) -> a format never written yet
_PROTOTYPES: dict[tuple, Format] = {}


class FastWorkbook(xlsxwriter.workbook.Workbook):
    """xlsxwriter's workbook whose ``add_format`` copies a format built earlier in this
    process with the same properties instead of building it again (module docstring).
    Worksheets are :class:`PlainFormulaWorksheet`."""

    def __init__(self, filename: Any = None, options: dict[str, Any] | None = None) -> None:
        super().__init__(filename, options)
        self.worksheet_class = PlainFormulaWorksheet

    def add_format(self, properties: dict[str, Any] | None = None) -> Format:
        try:
            key = (tuple(sorted(self.default_format_properties.items())),
                   tuple(sorted((properties or {}).items())))
            hash(key)
        except TypeError:  # a property value that is a list or a dict
            return super().add_format(properties)
        prototype = _PROTOTYPES.get(key)
        if prototype is None:
            made = super().add_format(properties)
            _PROTOTYPES[key] = copy.copy(made)  # before close() gives it an index
            return made
        made = copy.copy(prototype)
        made.xf_format_indices = self.xf_format_indices
        made.dxf_format_indices = self.dxf_format_indices
        self.formats.append(made)
        return made


__all__ = ["FastWorkbook", "PlainFormulaWorksheet"]
