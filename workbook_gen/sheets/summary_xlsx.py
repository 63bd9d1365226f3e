"""Summary sheets in a new file (generator, consolidation): the one renderer
(``workbook_gen.summary.render``) drawing into an xlsxwriter sheet, exactly as Hitung
Capaian draws into an open workbook."""

from __future__ import annotations

import weakref

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from .. import tables
from ..summary.render import formula_cells, render
from ..summary.xlsx_book import XlsxSheetBook
from ..summary.xlsx_stream import XlsxStreamBook
from .context import Context

PROTECT_OPTIONS = {"format_columns": True, "format_rows": True,
                   "select_locked_cells": True, "select_unlocked_cells": True}


#: per workbook being written: its summary sheets' formats (each added once)
_FORMATS: weakref.WeakKeyDictionary[Workbook, dict] = weakref.WeakKeyDictionary()


def write(wb: Workbook, ctx: Context, content: tables.SheetContent) -> Worksheet:
    return _draw(XlsxSheetBook(wb, PROTECT_OPTIONS, _FORMATS.setdefault(wb, {})), ctx, content)


def write_stream(wb: Workbook, ctx: Context, content: tables.SheetContent) -> Worksheet:
    """As :func:`write`, for a large sheet of a ``constant_memory`` workbook: the rows go
    to the file as the sheet is flushed (``summary.xlsx_stream``), not cell by cell."""
    return _draw(XlsxStreamBook(wb, PROTECT_OPTIONS, _FORMATS.setdefault(wb, {})), ctx,
                 content)


def _draw(book: XlsxSheetBook, ctx: Context, content: tables.SheetContent) -> Worksheet:
    book.cached[content.name] = formula_cells(content)
    render(book, content, None, ctx.spec.pengaturan.kata_sandi)
    book.flush()
    return book.sheets[content.name]
