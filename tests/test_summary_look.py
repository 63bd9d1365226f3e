"""The summary sheets look the same whoever wrote them: the generator (xlsxwriter) and
``workbook-gen hitung`` (openpyxl book) draw one description (``summary.render``), so
fonts, fills, wraps, number formats, column widths, row heights and chart places agree
cell by cell; and the numbers stay live formulas after ``hitung``."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from workbook_gen.cli import main
from workbook_gen.layout import SHEET_CATATAN, SHEET_GRAFIK, SHEET_RINGKASAN, SUMMARY_SHEETS
from workbook_gen.summary.render import FONT, WARNA_HEADER

from .conftest import BANTEN, JATENG, NTB


@pytest.fixture(scope="module", params=[BANTEN, JATENG, NTB], ids=["banten", "jateng", "ntb"])
def pair(request, tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("tampilan")
    gen, hit = folder / "buat.xlsm", folder / "hitung.xlsm"
    assert main(["buat", str(request.param), "-o", str(gen)]) == 0
    assert main(["hitung", str(gen), "-o", str(hit)]) in (0, 1)
    return gen, hit


def _rgb(colour) -> str | None:
    rgb = getattr(colour, "rgb", None)
    return rgb[-6:].upper() if isinstance(rgb, str) else None


def look(path: Path) -> dict[str, dict]:
    wb = openpyxl.load_workbook(path)
    out = {}
    for name in SUMMARY_SHEETS:
        if name not in wb.sheetnames:
            continue
        ws = wb[name]
        cells = {}
        for row in ws.iter_rows():
            for c in row:
                if c.value is None:
                    continue
                fill = _rgb(c.fill.fgColor) if c.fill.fill_type == "solid" else None
                cells[c.coordinate] = (c.font.name, bool(c.font.b), bool(c.font.i),
                                       float(c.font.sz or 11), fill, bool(c.alignment.wrap_text),
                                       c.number_format, str(c.value).startswith("="))
        widths = {}
        for d in ws.column_dimensions.values():
            if d.width:
                for i in range(d.min or 1, (d.max or d.min or 1) + 1):
                    widths[i] = (round(d.width, 1), bool(d.hidden))
        heights = {k: round(d.height, 1) for k, d in ws.row_dimensions.items() if d.height}
        charts = sorted((ch.anchor._from.row, ch.anchor._from.col) for ch in ws._charts)
        out[name] = {"cells": cells, "widths": widths, "heights": heights, "charts": charts}
    return out


def test_same_fonts_fills_wraps_widths_heights(pair):
    gen, hit = (look(p) for p in pair)
    assert list(gen) == list(hit)
    for name in gen:
        g, h = gen[name], hit[name]
        diff = {k: (g["cells"].get(k), h["cells"].get(k)) for k in set(g["cells"]) | set(h["cells"])
                if g["cells"].get(k) != h["cells"].get(k)}
        assert not diff, (name, sorted(diff.items())[:5])
        assert g["heights"] == h["heights"], name
        assert g["charts"] == h["charts"], name
        # xlsxwriter stores a width with the cell padding (16 -> 16.71), openpyxl as given
        assert set(g["widths"]) == set(h["widths"]), name
        for k, (w, hidden) in h["widths"].items():
            gw, ghidden = g["widths"][k]
            assert ghidden == hidden and (hidden or abs(gw - w) < 1), (name, k, gw, w)


def test_the_look_is_the_one_described(pair):
    gen, _ = pair
    ws = openpyxl.load_workbook(gen)[SHEET_RINGKASAN]
    header = ws["A5"]
    assert header.value == "No"
    assert (header.font.name, header.font.b, _rgb(header.fill.fgColor)) == (
        FONT, True, WARNA_HEADER.lstrip("#"))
    assert header.font.color.rgb[-6:] == "FFFFFF"
    assert ws["B7"].alignment.wrap_text  # names wrap...
    assert ws.row_dimensions[6].height >= 30  # ...and their rows are tall enough
    assert ws.column_dimensions["N"].hidden  # helper columns of the means are hidden
    assert ws["A1"].value != ws["A3"].value  # the title is not printed twice


def test_numbers_stay_live_after_hitung(pair):
    _, hit = pair
    wb = openpyxl.load_workbook(hit)
    assert wb[SHEET_RINGKASAN]["K6"].value.startswith("=")
    assert wb[SHEET_GRAFIK]["B6"].value.startswith("=")
    assert wb[SHEET_CATATAN]["A2"].value.startswith("=IF(OR(PeriodeN<>")
