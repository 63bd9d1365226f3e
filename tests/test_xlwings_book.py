"""The Excel path: workbook_gen/excel/tombol.py on a counting fake of xlwings.

Proves that one run of Hitung Capaian makes a number of round trips that does not grow
with the number of IKUs or budget lines (the figures are printed with -s and quoted in
the notes), and that it leaves every input cell as typed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from workbook_gen.excel import tombol as macro
from workbook_gen.layout import (
    REALISASI_COLS,
    SHEET_CATATAN,
    SHEET_REALISASI,
    SHEET_RINGKASAN,
    SHEET_TAHUNAN,
    SUMMARY_SHEETS,
)
from workbook_gen.layout import col_index as column_index
from workbook_gen.layout import col_letter as column_letter
from workbook_gen.summary.checksum import CHECK_COLUMN

from .fake_xlwings import FakeBook
from .workbooks import make_workbook, synthetic_data


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> dict[int, Path]:
    folder = tmp_path_factory.mktemp("xlwings")
    out = {}
    for n in (10, 200):
        out[n] = make_workbook(synthetic_data(n, n), folder / f"unit{n}.xlsm")
    return out


def run(path: Path) -> FakeBook:
    book = FakeBook(path)
    message = macro.run(book)
    assert book.app.alerts == [message]
    return book


def test_calls_do_not_grow_with_ikus_and_budget_lines(books):
    small, large = run(books[10]), run(books[200])
    print(f"\nround trips: 10 IKU/10 baris = {small.calls.total}, "
          f"200 IKU/200 baris = {large.calls.total}")
    assert small.calls.total == large.calls.total
    assert small.calls.counter == large.calls.counter
    assert small.calls.total <= 40


def with_riwayat(data: dict, years: int) -> dict:
    """Every IKU gets ``years`` rows of history (the Tahunan sheet appears)."""
    for sasaran in data["sasaran"]:
        for i, iku in enumerate(sasaran["iku"]):
            if iku.get("jenis") != "kategori":
                iku["riwayat"] = [{"tahun": 2026 - y, "target": 90 + i, "realisasi": 80 + y}
                                  for y in range(years, 0, -1)]
    return data


@pytest.mark.parametrize("groups", [1, 5, 20])
@pytest.mark.parametrize("n", [20, 200])
@pytest.mark.parametrize("years", [0, 3])
def test_a_full_click_makes_at_most_40_calls(n, groups, years, tmp_path):
    """The whole click (tombol.run: recalculation, reads, check, Catatan Validasi, name,
    message), summary sheets untouched because they are live formulas already: one read
    per input sheet (values and formulas from one range), one read of the check sums,
    one write of the findings; the same count whatever the size."""
    data = with_riwayat(synthetic_data(n, n, n_sasaran=groups, n_kegiatan=groups), years)
    path = make_workbook(data, tmp_path / "unit.xlsm")
    book = run(path)
    print(f"\nn={n} kelompok={groups} riwayat={years}: {book.calls.total} panggilan "
          f"{dict(book.calls.counter)}")
    assert book.calls.total <= 40, book.calls.counter
    assert book.calls.total == 31, book.calls.counter
    assert book.calls.counter["range.raw_value.get"] == 6  # five input sheets + Catatan
    assert book.calls.counter["range.formula.get"] == 3  # Identitas, Realisasi, Anggaran
    assert book.calls.counter["sheets.add"] == 0  # nothing drawn again
    assert (SHEET_TAHUNAN in book.sheets.names()) == bool(years)


def test_a_missing_summary_sheet_is_drawn_again(books):
    book = FakeBook(books[10])
    book.sheets._remove(SHEET_RINGKASAN)
    macro.run(book)
    assert SHEET_RINGKASAN in book.sheets.names()
    assert book.calls.counter["sheets.add"] == 1
    names = book.sheets.names()
    assert names.index(SHEET_RINGKASAN) == names.index("Anggaran") + 1


def test_a_typed_over_summary_cell_is_found_by_its_check_sum_and_restored(books):
    book = FakeBook(books[10])
    sheet = next(s for s in book.sheets._list if s._name == SHEET_RINGKASAN)
    (r, c), (value, formula) = next((k, v) for k, v in sorted(sheet.cells.items())
                                    if v[1] is not None and isinstance(v[0], float))
    sheet.cells[(r, c)] = (value + 3, None)  # typed over with another number
    # what Excel's recalculation does to the sheet's check sum on Catatan Validasi
    catatan = next(s for s in book.sheets._list if s._name == SHEET_CATATAN)
    row = next(r for (r, c), (v, _) in catatan.cells.items()
               if c == CHECK_COLUMN + 1 and v == SHEET_RINGKASAN)
    total, text = catatan.cells[(row, CHECK_COLUMN + 2)]
    catatan.cells[(row, CHECK_COLUMN + 2)] = (total + 3, text)
    macro.run(book)
    assert book.cell(SHEET_RINGKASAN, f"{column_letter(c)}{r}")[1] == formula
    assert book.calls.counter["sheets.add"] == 0  # restored, not drawn again
    catatan = next(s for s in book.sheets._list if s._name == SHEET_CATATAN)
    texts = [v for (v, _) in catatan.cells.values() if isinstance(v, str)]
    assert f"{SHEET_RINGKASAN}!{column_letter(c)}{r}" in texts


def test_summary_written_and_inputs_untouched(books):
    before = FakeBook(books[10])
    after = run(books[10])
    inputs = ("realisasi_tw1", "realisasi_tw2", "realisasi_tw3", "realisasi_tw4")
    for row in range(6, 16):
        for name in inputs:
            ref = f"{REALISASI_COLS[name]}{row}"
            assert after.cell(SHEET_REALISASI, ref) == before.cell(SHEET_REALISASI, ref)
    assert after.input_writes() == []
    names = after.sheets.names()
    assert all(names.count(s) <= 1 for s in SUMMARY_SHEETS)
    assert SHEET_RINGKASAN in names and SHEET_CATATAN in names
    assert "SelTemuan" in [n.name for n in after.names._items.values()]


def test_running_twice_gives_the_same_cells(books):
    book = FakeBook(books[10])
    macro.run(book)
    first = {s._name: dict(s.cells) for s in book.sheets._list}
    macro.run(book)
    second = {s._name: dict(s.cells) for s in book.sheets._list}
    assert first == second


def test_unreadable_workbook_message(tmp_path, books):
    book = FakeBook(books[10])
    book.sheets._remove("_meta")
    message = macro.run(book)
    assert message.startswith("Hitung Capaian tidak bisa dijalankan pada workbook ini:")
    assert "bukan workbook yang dibuat dengan workbook-gen" in message


def test_unexpected_error_goes_to_a_log_next_to_the_workbook(tmp_path, books, monkeypatch):
    copy = tmp_path / "unit.xlsm"
    copy.write_bytes(books[10].read_bytes())
    book = FakeBook(copy)

    def boom(*_a, **_k):
        raise RuntimeError("rusak di dalam")

    monkeypatch.setattr("workbook_gen.routine.hitung", boom)
    message = macro.run(book)
    log = tmp_path / "unit.xlsm.hitung-capaian.log"
    assert f"Rincian teknis ditulis ke {log}." in message
    assert "Traceback" not in message
    assert "RuntimeError: rusak di dalam" in log.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- faithful


def _typed_over(path: Path, tmp_path: Path) -> tuple[Path, dict[str, object]]:
    """A copy with formulas typed over on Realisasi (one IKU row) and Anggaran (a budget
    line's pagu efektif and a subtotal's pagu awal, whose row lies in the input columns)."""
    from workbook_gen.layout import ANGGARAN_COLS, layout_for
    from workbook_gen.spec import spec_from_data

    from .workbooks import fill

    layout = layout_for(spec_from_data(synthetic_data(10, 10), "x"))
    sub = min(layout.subtotal_rows.values())
    typed = {f"{SHEET_REALISASI}!{REALISASI_COLS['capaian']}7": 123,
             f"{SHEET_REALISASI}!{REALISASI_COLS['kategori']}7": "Baik",
             f"Anggaran!{ANGGARAN_COLS['pagu']}8": 5,
             f"Anggaran!{ANGGARAN_COLS['pagu_awal']}{sub}": 7}
    copy = tmp_path / "ditimpa.xlsm"
    copy.write_bytes(path.read_bytes())
    fill(copy, typed)
    return copy, typed


def test_restore_writes_only_typed_over_formula_cells(books, tmp_path):
    path, typed = _typed_over(books[10], tmp_path)
    book = FakeBook(path)
    macro.run(book)
    assert book.input_writes() == []
    restored = {(s, r0, c0, r1, c1) for s, r0, c0, r1, c1 in book.writes
                if s in (SHEET_REALISASI, "Anggaran")}
    # M7 and P7 are two single-cell writes (N7:O7 between them were not typed over)
    expected = set()
    for ref in typed:
        sheet, cell = ref.split("!")
        from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

        col, row = coordinate_from_string(cell)
        c = column_index_from_string(col)
        expected.add((sheet, row, c, row, c))
    assert restored == expected
    for ref in typed:
        sheet, cell = ref.split("!")
        value, formula = book.cell(sheet, cell)
        assert formula is not None and formula.startswith("="), ref
    catatan = next(s for s in book.sheets._list if s._name == SHEET_CATATAN)
    letak = {v for (_, _), (v, _) in catatan.cells.items() if isinstance(v, str)}
    assert {ref for ref in typed} <= letak


def test_many_typed_over_cells_rewrite_formula_rectangles_only(books, tmp_path):
    from .workbooks import fill

    copy = tmp_path / "banyak.xlsm"
    copy.write_bytes(books[10].read_bytes())
    fill(copy, {f"{SHEET_REALISASI}!{REALISASI_COLS['capaian']}{r}": 1 for r in range(6, 16)
                if r % 2 == 0})  # five separate cells: more than MAX_EXACT_WRITES
    book = FakeBook(copy)
    macro.run(book)
    assert book.input_writes() == []
    writes = [w for w in book.writes if w[0] == SHEET_REALISASI]
    i, p = (column_index(REALISASI_COLS[k]) for k in ("realisasi_sd", "kategori"))
    assert writes == [(SHEET_REALISASI, 6, i, 15, p)]  # the whole formula block I6:P15


def test_text_that_looks_like_a_number_keeps_its_value(tmp_path):
    """An IKU code "01" and "2026" written to the summary stay text (Excel would turn
    them into 1 and 2026 without the apostrophe prefix)."""
    data = synthetic_data(4, 3, n_sasaran=2)
    data["sasaran"][0]["iku"][0]["kode"] = "01"
    data["sasaran"][1]["iku"][0]["kode"] = "2026"
    path = make_workbook(data, tmp_path / "kode.xlsm")
    book = FakeBook(path)
    macro.run(book)
    grafik = next(s for s in book.sheets._list if s._name == "Grafik")
    values = [v for (v, _) in grafik.cells.values()]
    assert "01" in values and "2026" in values  # the chart's category column
    assert 2026.0 not in values


def test_literal_prefixes_only_what_excel_would_parse():
    from workbook_gen.book import literal

    assert literal("01") == "'01"
    assert literal("1.10") == "'1.10"
    assert literal("=SUM(A1)") == "'=SUM(A1)"
    assert literal("TRUE") == "'TRUE"
    assert literal("Sangat Baik") == "Sangat Baik"
    assert literal("") == ""
    assert literal(12.5) == 12.5


def test_verification_reports_a_wrong_computed_value(books, tmp_path):
    book = FakeBook(books[10])
    sheet = next(s for s in book.sheets._list if s._name == SHEET_REALISASI)
    m6 = (6, column_index(REALISASI_COLS["capaian"]))
    value, formula = sheet.cells[m6]
    sheet.cells[m6] = (value + 7.5, formula)  # Excel computed something else
    message = macro.run(book)
    assert "1 error" in message
    catatan = next(s for s in book.sheets._list if s._name == SHEET_CATATAN)
    texts = [v for (v, _) in catatan.cells.values() if isinstance(v, str)]
    assert f"{SHEET_REALISASI}!M6" in texts
    assert any("berbeda dari perhitungan Python" in t for t in texts)


def test_clean_workbook_verifies_without_findings(books):
    book = FakeBook(books[10])
    message = macro.run(book)
    assert "error" not in message


def test_xlwings_conf_sheet(books, tmp_path):
    """Keys from A1 down (xlwings reads A1:End(xlDown)), hidden, only in the .xlsm."""
    import openpyxl

    wb = openpyxl.load_workbook(books[10])
    ws = wb["xlwings.conf"]
    assert ws.sheet_state == "hidden" and ws.protection.sheet
    assert [tuple(r) for r in ws.iter_rows(values_only=True)] == [
        ("ADD_WORKBOOK_TO_PYTHONPATH", "False"),
        ("INTERPRETER_WIN", r"%LOCALAPPDATA%\workbook-gen\python\Scripts\python.exe")]
    xlsx = make_workbook(synthetic_data(10, 10), tmp_path / "tanpa-makro.xlsx")
    assert "xlwings.conf" not in openpyxl.load_workbook(xlsx).sheetnames


def test_protection_as_generated_and_charts_with_explicit_series(books, tmp_path):
    """Every sheet the routine writes is protected again with the generator's options
    (layout.SHEET_PROTECTION: columns and rows resizable); every chart series is given
    explicitly (no set_source_data, which lets Excel guess rows/columns)."""
    from workbook_gen.book import protect_args

    path, _ = _typed_over(books[10], tmp_path)
    book = FakeBook(path)
    book.sheets._remove("Grafik")  # missing: drawn again, with its charts
    macro.run(book)
    protects = [kw for label, _, kw in book.calls.api_calls if label == "Protect"]
    # Realisasi, Anggaran (restored), Grafik (drawn again), Catatan Validasi (written)
    assert len(protects) == 2 + 1 + 1
    assert all(kw == {"Password": "", **protect_args()} for kw in protects)
    assert protect_args() == {"DrawingObjects": True, "Contents": True, "Scenarios": True,
                              "AllowFormattingColumns": True, "AllowFormattingRows": True}
    assert book.calls.counter["chart.set_source_data"] == 0
    charts = book.calls.counter["charts.add"]
    assert charts >= 2 and book.calls.counter["api.NewSeries"] >= charts
    values = [a for label, a, _ in book.calls.api_calls
              if label == "SeriesCollection" and not a]  # (1,): the pie's point colours
    assert len(values) == book.calls.counter["api.NewSeries"]
