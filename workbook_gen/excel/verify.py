"""Does the spreadsheet compute what the engine computes?

The generator writes every formula with the engine's value as its cached result, and it
asks the same functions for that value as :func:`expected_values` does: the input sheets'
formula cells from ``workbook.formula_cells``, the summary sheets' live cells from
``summary.render.formula_cells``. So, for every cell the generator owns a formula for,
:func:`expected_values` gives the value the spreadsheet must show, with the standard
library alone (xlwings Lite has no xlsxwriter). :func:`formula_values` reads the cached
values of a written file (tests check the two agree cell for cell). The routine reads
the values the spreadsheet computed and reports every cell that differs by more than
0.01 (or whose text differs) as an error naming the cell.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Iterable
from typing import Any
from xml.etree import ElementTree as ET

from ..findings import Finding
from ..layout import Layout, col_index, col_letter, layout_for
from ..spec import Spec

TOLERANCE = 0.01

_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
       "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
       "p": "http://schemas.openxmlformats.org/package/2006/relationships"}
_REF = re.compile(r"([A-Z]+)(\d+)")

# sheet -> {(row, col): value the spreadsheet must show}, 1-based
ExpectedValues = dict[str, dict[tuple[int, int], Any]]


def formula_values(xlsx: bytes) -> ExpectedValues:
    """Every formula cell of an xlsx file and its cached value (None for "")."""
    out: ExpectedValues = {}
    with zipfile.ZipFile(io.BytesIO(xlsx)) as z:
        book = ET.fromstring(z.read("xl/workbook.xml"))
        rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): r.get("Target", "") for r in rels.findall("p:Relationship",
                                                                           _NS)}
        for sheet in book.iterfind("m:sheets/m:sheet", _NS):
            target = targets[sheet.get(f"{{{_NS['r']}}}id")]
            part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                posixpath.join("xl", target))
            cells: dict[tuple[int, int], Any] = {}
            for c in ET.fromstring(z.read(part)).iterfind("m:sheetData/m:row/m:c", _NS):
                if c.find("m:f", _NS) is None:
                    continue
                m = _REF.fullmatch(c.get("r", ""))
                if not m:
                    continue
                v = c.find("m:v", _NS)
                text = v.text if v is not None else None
                kind = c.get("t", "n")
                if text in (None, ""):
                    value: Any = None
                elif kind in ("str", "s", "inlineStr"):
                    value = text
                elif kind == "b":
                    value = text == "1"
                elif kind == "e":
                    value = text
                else:
                    value = float(text)
                cells[(int(m.group(2)), col_index(m.group(1)))] = value
            if cells:
                out[sheet.get("name", "")] = cells
    return out


def expected_values(spec: Spec, layout: Layout | None = None) -> ExpectedValues:
    """What every generator-owned formula cell must show for these inputs (its cached
    value in a workbook generated from them), sheet by sheet in workbook order."""
    from ..engine import hitung
    from ..summary import build_summary
    from ..summary.render import formula_cells
    from ..workbook.formula_cells import owned_cells, shown, spec_in_cells

    layout = layout or layout_for(spec)
    hasil = hitung(spec_in_cells(spec, layout))
    out: ExpectedValues = {
        sheet: {rc: shown(cell.value) for rc, cell in sorted(cells.items())}
        for sheet, cells in owned_cells(spec, layout, hasil).items() if cells}
    for content in build_summary(hasil, layout=layout):
        cells = formula_cells(content)
        if cells:
            out[content.name] = {rc: shown(v) for rc, v in sorted(cells.items())}
    return out


def same(got: Any, want: Any) -> bool:
    """Equal as a spreadsheet shows it: numbers within 0.01, text ignoring case and
    surrounding spaces, an empty cell equal to ""."""
    if want is None or want == "":
        return got is None or got == ""
    if isinstance(want, str):
        return isinstance(got, str) and got.strip().casefold() == want.strip().casefold()
    if isinstance(got, bool) or not isinstance(got, (int, float)):
        return False
    return abs(float(got) - float(want)) <= TOLERANCE


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "kosong"
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".").replace(".", ",")
    return f"'{value}'"


def verify(book: Any, expected: ExpectedValues, *, live: bool,
           skip: Iterable[tuple[str, int, int]] = ()) -> list[Finding]:
    """Read every expected cell from ``book`` (one block per sheet) and report the
    differences. ``live``: the book is an open spreadsheet that has just recalculated;
    otherwise (a file) an empty cached value means "not computed since saved" and is
    not a difference, and the ``skip`` cells (just rewritten) are not checked."""
    skipped = set(skip)
    names = set(book.sheet_names())
    findings: list[Finding] = []
    for sheet, cells in expected.items():
        if sheet not in names or not cells:
            continue
        r0 = min(r for r, _ in cells)
        r1 = max(r for r, _ in cells)
        c0 = min(c for _, c in cells)
        c1 = max(c for _, c in cells)
        block = book.read_block(sheet, r0, c0, r1, c1)
        for (r, c), want in sorted(cells.items()):
            if not live and (sheet, r, c) in skipped:
                continue
            got = block[r - r0][c - c0]
            if not live and got is None:
                continue
            if same(got, want):
                continue
            findings.append(different(f"{sheet}!{col_letter(c)}{r}", got, want))
    return findings


def different(lokasi: str, got: Any, want: Any) -> Finding:
    """The error for a cell whose computed value differs from the engine's."""
    return Finding(
        "error", "hasil_rumus_berbeda", lokasi,
        f"Nilai yang dihitung spreadsheet ({_shown(got)}) berbeda dari perhitungan "
        f"Python ({_shown(want)}).",
        "Pastikan perhitungan otomatis aktif (Rumus > Opsi Perhitungan > Otomatis) "
        "dan rumus sel ini tidak diubah; bila tetap berbeda, kirim workbook ini ke "
        "pengelola aplikasi.")
