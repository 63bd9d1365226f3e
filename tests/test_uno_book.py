"""The Hitung Capaian routine on a live spreadsheet: LibreOffice Calc over UNO.

A headless LibreOffice (own profile and pipe, started and stopped by the module fixture)
opens filled workbooks; the routine runs through ``UnoBook`` exactly as the button runs
it through ``XlwingsBook``. Checked: every input cell is unchanged to the byte after a
run that restores formulas on Realisasi and Anggaran, codes and text numbers keep their
values, the summary sheets hold what the CLI path writes, and a formula result that
disagrees with the engine is reported by the verification.
"""

from __future__ import annotations

import copy
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from workbook_gen.cli import main
from workbook_gen.excel.uno import UNO_DIRS, UnoBook, import_uno
from workbook_gen.layout import (
    ANGGARAN_COLS,
    NAME_PERIODE_N,
    REALISASI_COLS,
    SHEET_ANGGARAN,
    SHEET_CATATAN,
    SHEET_REALISASI,
    SHEET_RINGKASAN,
    SUMMARY_SHEETS,
    layout_for,
)
from workbook_gen.routine import hitung_capaian
from workbook_gen.spec import spec_from_data

from .conftest import JATENG
from .support.libreoffice import find_soffice
from .workbooks import (
    cleared,
    fill,
    load_data,
    make_workbook,
    realisasi_cells,
    synthetic_data,
)

HAVE_UNO = any((Path(d) / "uno.py").is_file() for d in UNO_DIRS)

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(not HAVE_UNO or find_soffice() is None,
                       reason="LibreOffice with python3-uno is not installed "
                              "(scripts/setup.sh installs both)"),
]


@pytest.fixture(scope="module")
def office():
    from .support.uno_office import Office

    o = Office()
    yield o
    o.close()


@pytest.fixture(scope="module")
def filled(tmp_path_factory) -> tuple[Path, dict[str, Any]]:
    """Jawa Tengah's workbook typed in by hand ("6.419 orang", "-", "86,06%"), with an
    IKU whose code is "01" and one whose code is "2026"."""
    data = load_data(JATENG)
    data["sasaran"][0]["iku"][0]["kode"] = "01"
    data["sasaran"][1]["iku"][0]["kode"] = "2026"
    path = make_workbook(cleared(data), tmp_path_factory.mktemp("uno") / "jateng.xlsm")
    fill(path, realisasi_cells(data))
    return path, data


@pytest.fixture(scope="module")
def numeric(tmp_path_factory) -> tuple[Path, dict[str, Any]]:
    """A synthetic workbook (every rule kind, riwayat-free) with numbers typed as numbers
    and the IKU code "01": the spreadsheet and the engine must agree everywhere."""
    data = synthetic_data(12, 9, n_sasaran=3)
    data["sasaran"][0]["iku"][0]["kode"] = "01"
    path = make_workbook(cleared(data), tmp_path_factory.mktemp("uno-n") / "angka.xlsm")
    fill(path, realisasi_cells(data))
    return path, data


def _copy(src: Path, folder: Path, name: str) -> Path:
    out = folder / name
    shutil.copyfile(src, out)
    return out


def input_cells(path: Path) -> list[tuple[str, int, int]]:
    """Every unlocked (input) cell of the generated workbook's protected sheets."""
    wb = openpyxl.load_workbook(path)
    out = []
    for ws in wb:
        if not ws.protection.sheet:
            continue
        for row in ws.iter_rows():
            out += [(ws.title, c.row, c.column) for c in row if c.protection.locked is False]
    return out


def snapshot(doc: Any, cells: list[tuple[str, int, int]]) -> list[tuple[Any, ...]]:
    """What each cell holds, exactly: its content type, text, number and formula."""
    sheets = doc.Sheets
    out = []
    for sheet, r, c in cells:
        cell = sheets.getByName(sheet).getCellByPosition(c - 1, r - 1)
        out.append((sheet, r, c, cell.Type.value, cell.getString(), cell.getValue(),
                    cell.getFormula()))
    return out


def type_into(doc: Any, sheet: str, ref: str, value: Any) -> None:
    """Type over a locked cell as a user who removed the sheet protection would."""
    ws = doc.Sheets.getByName(sheet)
    ws.unprotect("")
    cell = ws.getCellRangeByName(ref)
    if isinstance(value, str):
        cell.setString(value)
    else:
        cell.setValue(value)
    ws.protect("")


def _formula_cells(data: dict[str, Any]) -> dict[str, tuple[str, str]]:
    spec = spec_from_data(copy.deepcopy(data), "x")
    lay = layout_for(spec)
    line = min(lay.line_rows.values())
    sub = min(lay.subtotal_rows.values())
    return {"capaian": (SHEET_REALISASI, f"{REALISASI_COLS['capaian']}{FIRST_IKU}"),
            "pagu": (SHEET_ANGGARAN, f"{ANGGARAN_COLS['pagu']}{line}"),
            "subtotal": (SHEET_ANGGARAN, f"{ANGGARAN_COLS['pagu_awal']}{sub}")}


FIRST_IKU = 6


def test_inputs_untouched_while_formulas_are_restored(office, numeric, tmp_path):
    path, data = numeric
    doc = office.load(_copy(path, tmp_path, "ditimpa.xlsm"))
    try:
        cells = input_cells(path)
        typed = _formula_cells(data)
        for sheet, ref in typed.values():
            type_into(doc, sheet, ref, 1234)
        before = snapshot(doc, cells)
        book = UnoBook(doc, office.ctx, "ditimpa.xlsm")
        result = hitung_capaian(book, book.name)
        assert snapshot(doc, cells) == before
        # every write landed on formula or summary cells, none on an input cell
        inputs = set(cells)
        touched = [(s, r, c) for s, r0, c0, r1, c1 in book.writes
                   for r in range(r0, r1 + 1) for c in range(c0, c1 + 1) if (s, r, c) in inputs]
        assert touched == []
        restored = sorted(f.lokasi for f in result.dipulihkan)
        assert restored == sorted(f"{s}!{ref}" for s, ref in typed.values())
        for sheet, ref in typed.values():
            assert doc.Sheets.getByName(sheet).getCellRangeByName(ref).getFormula().startswith(
                "=")
        assert result.diperiksa == []  # LibreOffice's results equal the engine's
    finally:
        doc.close(True)


def test_codes_years_and_text_numbers_keep_their_values(office, filled, tmp_path):
    path, data = filled
    doc = office.load(_copy(path, tmp_path, "kode.xlsm"))
    try:
        typed = {ref: v for ref, v in realisasi_cells(data).items() if isinstance(v, str)}
        assert typed  # "6.419 orang", "-", "86,06%" ...
        book = UnoBook(doc, office.ctx, "kode.xlsm")
        hitung_capaian(book, book.name)
        for ref, value in typed.items():
            sheet, cell = ref.split("!")
            got = doc.Sheets.getByName(sheet).getCellRangeByName(cell)
            assert (got.getType().value, got.getString()) == ("TEXT", value), ref
        realisasi = book.read_block(SHEET_REALISASI, FIRST_IKU, 2, FIRST_IKU + 20, 2)
        codes = [r[0] for r in realisasi]
        assert "01" in codes and "2026" in codes
        grafik = [v for row in book.read_block("Grafik", 1, 1, 40, 6) for v in row]
        assert "01" in grafik and "2026" in grafik
        assert 2026.0 not in grafik and 1.0 not in grafik[:40]
    finally:
        doc.close(True)


def _summary(values_of) -> dict[str, list[list[Any]]]:
    return {name: values_of(name) for name in SUMMARY_SHEETS}


def same_formula(found: Any, expected: str) -> bool:
    from workbook_gen.routine import _same as same_text

    return same_text(found, expected)


def _same(a: Any, b: Any) -> bool:
    if a in (None, "") and b in (None, ""):
        return True
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(a - b) <= 1e-9
    return a == b


def test_summary_values_equal_the_cli_path(office, numeric, tmp_path):
    path, _ = numeric
    source = _copy(path, tmp_path, "sama.xlsm")
    out = tmp_path / "cli.xlsm"
    assert main(["hitung", str(source), "-o", str(out)]) == 0
    wb = openpyxl.load_workbook(out)
    doc = office.load(source)
    try:
        book = UnoBook(doc, office.ctx, "sama.xlsm")
        hitung_capaian(book, book.name)
        names = book.sheet_names()
        compared = 0
        for name in SUMMARY_SHEETS:
            if name not in wb.sheetnames:
                assert name not in names
                continue
            ws = wb[name]
            cli_rows = [list(r) for r in ws.iter_rows(min_row=1, max_row=ws.max_row,
                                                      max_col=ws.max_column, values_only=True)]
            uno_rows = book.read_block(name, 1, 1, ws.max_row, ws.max_column)
            uno_formulas = book.read_formulas(name, 1, 1, ws.max_row, ws.max_column)
            for i, (a, b, fb) in enumerate(zip(cli_rows, uno_rows, uno_formulas, strict=True)):
                for j, (x, y, fy) in enumerate(zip(a, b, fb, strict=True)):
                    if isinstance(x, str) and x.startswith("="):  # live: the same formula
                        assert same_formula(fy, x), (name, i + 1, j + 1, x, fy)
                    else:
                        assert _same(x, y), (name, i + 1, j + 1, x, y)
                    compared += x is not None
        assert compared > 200
    finally:
        doc.close(True)


def test_missing_summary_sheets_are_drawn_again_with_charts(office, numeric, tmp_path):
    """UnoBook draws what the one renderer asks (formats, row heights, charts with pie
    colours, legends): Grafik and Ringkasan Capaian deleted, drawn again with the same
    values the generator's sheets had, and nothing else rebuilt."""
    path, _ = numeric
    doc = office.load(_copy(path, tmp_path, "hilang.xlsm"))
    try:
        book = UnoBook(doc, office.ctx, "hilang.xlsm")
        before = {name: book.read_block(name, 1, 1, 60, 12) for name in ("Grafik",
                                                                         SHEET_RINGKASAN)}
        doc.Sheets.removeByName("Grafik")
        doc.Sheets.removeByName(SHEET_RINGKASAN)
        result = hitung_capaian(book, book.name)
        assert result.diperiksa == []
        names = book.sheet_names()
        assert names.index(SHEET_RINGKASAN) == names.index(SHEET_ANGGARAN) + 1
        for name, cells in before.items():
            after = book.read_block(name, 1, 1, 60, 12)
            for i, (a, b) in enumerate(zip(cells, after, strict=True)):
                for j, (x, y) in enumerate(zip(a, b, strict=True)):
                    assert _same(x, y), (name, i + 1, j + 1, x, y)
        charts = doc.Sheets.getByName("Grafik").Charts
        assert charts.getCount() == 3
        assert all(charts.getByIndex(i).EmbeddedObject.HasLegend for i in range(3))
    finally:
        doc.close(True)


def test_a_wrong_formula_result_is_reported(office, numeric, tmp_path):
    """The name PeriodeN (quarters covered; Identitas says TW II) redefined as 4: every
    's.d. periode' formula then computes another period than the engine."""
    path, _ = numeric
    doc = office.load(_copy(path, tmp_path, "salah.xlsm"))
    try:
        names = doc.NamedRanges
        origin = import_uno().createUnoStruct("com.sun.star.table.CellAddress")
        names.removeByName(NAME_PERIODE_N)
        names.addNewByName(NAME_PERIODE_N, "4", origin, 0)
        book = UnoBook(doc, office.ctx, "salah.xlsm")
        result = hitung_capaian(book, book.name)
        wrong = result.diperiksa
        assert wrong and all(f.tingkat == "error" and f.jenis == "hasil_rumus_berbeda"
                             for f in wrong)
        assert f"{SHEET_REALISASI}!{REALISASI_COLS['target_sd']}{FIRST_IKU}" in {
            f.lokasi for f in wrong}
        catatan = [v for row in book.read_block(SHEET_CATATAN, 1, 1, 200, 6) for v in row]
        assert any(isinstance(v, str) and "berbeda dari perhitungan Python" in v
                   for v in catatan)
    finally:
        doc.close(True)


def test_periksa_compares_the_values_a_spreadsheet_saved(numeric, filled, tmp_path, capsys):
    """The file path of the verification (openpyxl: the cached values of the last save).
    Saved by LibreOffice, the formulas and the engine agree everywhere on both workbooks
    (text typed into number cells is covered by tests/test_input_forms.py: both sides
    treat it as not a number)."""
    import json

    from .support.libreoffice import recalculate

    saved = recalculate([numeric[0], filled[0]], tmp_path / "lo")
    assert main(["periksa", str(saved[numeric[0]]), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [f for f in data["temuan"] if f["jenis"] == "hasil_rumus_berbeda"] == []
    main(["periksa", str(saved[filled[0]]), "--json"])
    data = json.loads(capsys.readouterr().out)
    assert [f for f in data["temuan"] if f["jenis"] == "hasil_rumus_berbeda"] == []
