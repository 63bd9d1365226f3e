"""Shared cell formats, colours and sheet setup for every generated sheet.

One look for inputs (pale yellow, dotted brown border, unlocked), one for formulas
(light grey, locked), one for fixed text (white, locked). Number formats use the
Excel codes ``#,##0`` / ``#,##0.00``, which Excel and LibreOffice display with the
user's locale: under an Indonesian locale 9355124000 shows as 9.355.124.000 and 12.5
as 12,50.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from ..layout import SHEET_PROTECTION
from ..spec import Spec

# Colours (also described on the Petunjuk sheet and in docs/workbook.md).
WARNA_INPUT = "#FFF2CC"  # pale yellow: cells to fill
WARNA_INPUT_TEPI = "#BF8F00"
WARNA_RUMUS = "#EDEDED"  # light grey: formulas, computed by the workbook
WARNA_HEADER = "#1F4E78"  # dark blue header, white text
WARNA_GRUP = "#DDEBF7"  # light blue: subtotal rows
WARNA_TIDAK_BERLAKU = "#D9D9D9"  # grey: not applicable (e.g. baseline of a non-penurunan IKU)
WARNA_TEMUAN = "#FFC7CE"  # red: an input cell listed in Catatan Validasi

FMT_BULAT = "#,##0"
FMT_DESIMAL = "#,##0.00"
FMT_TEKS = "@"

PAPER_A4 = 9


def fmt_desimal(desimal: int) -> str:
    return FMT_BULAT if desimal <= 0 else "#,##0." + "0" * desimal


@dataclass
class Styles:
    """Format cache: ``styles.get(kind, num_format, **extra)`` returns one Format per key."""

    workbook: Workbook
    _cache: dict[tuple, Format] = field(default_factory=dict)

    def get(self, kind: str, num_format: str | None = None, **extra: Any) -> Format:
        key = (kind, num_format, tuple(sorted(extra.items())))
        fmt = self._cache.get(key)
        if fmt is None:
            props = dict(_BASE[kind])
            if num_format:
                props["num_format"] = num_format
            props.update(extra)
            fmt = self.workbook.add_format(props)
            self._cache[key] = fmt
        return fmt

    def mark(self) -> Format:
        """Conditional format of an input cell with a finding: red fill, dark red text."""
        key = ("mark",)
        fmt = self._cache.get(key)
        if fmt is None:
            fmt = self.workbook.add_format({"bg_color": WARNA_TEMUAN, "font_color": "#9C0006"})
            self._cache[key] = fmt
        return fmt

    def fill(self, colour: str) -> Format:
        """A background-only format (conditional formats, legend swatches)."""
        key = ("fill", colour)
        fmt = self._cache.get(key)
        if fmt is None:
            fmt = self.workbook.add_format({"bg_color": colour})
            self._cache[key] = fmt
        return fmt


_BASE: dict[str, dict[str, Any]] = {
    "title": {"bold": True, "font_size": 14, "font_color": WARNA_HEADER},
    "subtitle": {"italic": True, "font_color": "#404040"},
    "note": {"italic": True, "font_color": "#595959", "text_wrap": True,
             "valign": "top"},
    "header": {"bold": True, "font_color": "#FFFFFF", "bg_color": WARNA_HEADER,
               "text_wrap": True, "valign": "vcenter", "align": "center", "border": 1,
               "border_color": "#FFFFFF"},
    "group_header": {"bold": True, "bg_color": WARNA_GRUP, "border": 1,
                     "border_color": "#BFBFBF", "align": "center"},
    "text": {"text_wrap": True, "valign": "top", "border": 1, "border_color": "#BFBFBF"},
    "label": {"bold": True, "valign": "top"},
    "input": {"bg_color": WARNA_INPUT, "border": 4, "border_color": WARNA_INPUT_TEPI,
              "locked": False, "valign": "top"},
    "formula": {"bg_color": WARNA_RUMUS, "border": 1, "border_color": "#BFBFBF",
                "valign": "top"},
    "na": {"bg_color": WARNA_TIDAK_BERLAKU, "border": 1, "border_color": "#BFBFBF"},
    "group": {"bold": True, "bg_color": WARNA_GRUP, "border": 1,
              "border_color": "#BFBFBF", "valign": "top"},
    "total": {"bold": True, "bg_color": WARNA_GRUP, "top": 2, "bottom": 2, "left": 1,
              "right": 1, "border_color": "#404040"},
    "legend": {"border": 1, "border_color": "#BFBFBF"},
    "plain": {},
}


def fit_row(ws: Worksheet, row: int, texts: list[tuple[object, float]]) -> None:
    """Give a data row (1-based) the height its longest wrapped text needs; Excel and
    LibreOffice do not grow rows written by xlsxwriter on their own."""
    lines = 1
    for text, width in texts:
        if isinstance(text, str) and text:
            per_line = max(int(width * 1.1), 1)
            lines = max(lines, -(-len(text) // per_line))
    if lines > 1:
        ws.set_row(row - 1, 15 * lines)


def setup_print(ws: Worksheet, *, header_row: int | None, landscape: bool = True,
                fit_width: bool = True, title: str = "") -> None:
    """A4, landscape, fit to one page wide, rows up to the header repeated on each page."""
    ws.set_paper(PAPER_A4)
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    if fit_width:
        ws.fit_to_pages(1, 0)
    if header_row is not None:
        ws.repeat_rows(0, header_row)
    right = "&RHalaman &P dari &N"
    left = title.replace("&", "&&")[:255 - len(right) - 2].rstrip("&")  # Excel: 255 in all
    ws.set_footer("&L" + left + right)


def protect(ws: Worksheet, spec: Spec) -> None:
    """Protect the sheet (no password unless pengaturan.kata_sandi): locked cells can be
    selected but not changed; columns and rows may be resized."""
    ws.protect(spec.pengaturan.kata_sandi or "", dict(SHEET_PROTECTION))


def unit_line(spec: Spec) -> str:
    return (f"{spec.unit.nama} (kode satker {spec.unit.kode_satker}) - tahun {spec.tahun}")
