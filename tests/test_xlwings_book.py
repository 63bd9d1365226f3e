"""The Excel path: macros/hitung_capaian.py on a counting fake of xlwings.

Proves that one run of Hitung Capaian makes a number of round trips that does not grow
with the number of IKUs or budget lines (the figures are printed with -s and quoted in
the notes), and that it leaves every input cell as typed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from macros import hitung_capaian as macro
from workbook_gen.layout import (
    REALISASI_COLS,
    SHEET_CATATAN,
    SHEET_REALISASI,
    SHEET_RINGKASAN,
    SUMMARY_SHEETS,
)

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
    assert small.calls.total < 600  # bulk, not per cell (named fonts, heights: +90)


def test_summary_written_and_inputs_untouched(books):
    before = FakeBook(books[10])
    after = run(books[10])
    inputs = ("realisasi_tw1", "realisasi_tw2", "realisasi_tw3", "realisasi_tw4")
    for row in range(6, 16):
        for name in inputs:
            ref = f"{REALISASI_COLS[name]}{row}"
            assert after.cell(SHEET_REALISASI, ref) == before.cell(SHEET_REALISASI, ref)
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
