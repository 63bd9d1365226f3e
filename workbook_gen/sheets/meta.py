"""The hidden metadata sheet ``_meta``: ``layout.meta_rows`` in columns A:B (template
version, spec hash, unit, tahun, the cell map and the spec), read back with
``layout.parse_meta``. Very hidden (not listed under Unhide in Excel) and protected.

Columns D onwards hold the label list of every scale (``layout.label_ranges``): the
kategori formulas look labels up there, and so do data validations whose labels cannot be
written inline (a label with a comma, or a list longer than Excel's 255 chars).
"""

from __future__ import annotations

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from ..layout import LABEL_LIST_FIRST_COL, SHEET_META, label_ranges, meta_rows
from ..spec import Spec
from .context import Context
from .styles import protect

LIST_FIRST_COL = LABEL_LIST_FIRST_COL  # D


def label_list_ranges(spec: Spec) -> dict[str, str]:
    """Scale name -> '=range' of its labels on _meta (data validation lists)."""
    return {nama: "=" + rng for nama, rng in label_ranges(spec).items()}


def write(wb: Workbook, ctx: Context) -> Worksheet:
    ws = wb.add_worksheet(SHEET_META)
    ws.set_column("A:A", 16)
    ws.set_column("B:B", 60)
    for i, (key, value) in enumerate(meta_rows(ctx.spec, ctx.layout)):
        ws.write_string(i, 0, key)
        ws.write_string(i, 1, value)
    for i, (nama, skala) in enumerate(ctx.spec.skala.items()):
        col = LIST_FIRST_COL - 1 + i
        ws.write_string(0, col, f"skala:{nama}")
        for j, label in enumerate(skala.labels):
            ws.write_string(1 + j, col, label)
    protect(ws, ctx.spec)
    ws.very_hidden()
    return ws
