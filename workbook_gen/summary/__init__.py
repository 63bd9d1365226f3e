"""The summary sheets: neutral tables from engine results (``build``), the live formulas
that restate the engine's rules over the workbook's cells (``live``), and their
rendering (``workbook_gen.summary_book`` for an open book, ``sheets.summary_xlsx`` for a
new file)."""

from .build import (
    LETAK_COLUMN,
    SEL_TEMUAN,
    WARNA_ERROR,
    WARNA_PERINGATAN,
    build_summary,
    sel_temuan_area,
)

__all__ = ["LETAK_COLUMN", "SEL_TEMUAN", "WARNA_ERROR", "WARNA_PERINGATAN", "build_summary",
           "sel_temuan_area"]
