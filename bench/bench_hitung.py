"""Hitung Capaian: time of the CLI path and calls into Excel of the button path.

1. `workbook-gen hitung FILE -o OUT` (openpyxl) for 20 and 200 IKUs: median of runs.
2. The button path (workbook_gen.excel.tombol on the counting fake of xlwings,
   tests/fake_xlwings.py) for 20 and 200 IKUs with 1, 5 and 20 sasaran and kegiatan:
   calls into Excel per click (tombol.run: everything, message box included), split into
   the routine's own work (calculate, reads, formula check/restore, verification through
   the check sums, Catatan Validasi, name, message) and drawing summary sheets again
   (workbook_gen.summary.render: only when a sheet is missing or not as generated; a
   clean click draws nothing). Also with riwayat rows, and a click after the Grafik sheet
   was deleted (drawn again).

Run: .venv/bin/python bench/bench_hitung.py [--runs 5]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fake_xlwings import FakeBook  # noqa: E402
from tests.workbooks import make_workbook, synthetic_data  # noqa: E402
from workbook_gen import routine  # noqa: E402
from workbook_gen.cli import main  # noqa: E402
from workbook_gen.excel import tombol  # noqa: E402


def time_cli(n: int, runs: int, folder: Path) -> float:
    book = make_workbook(synthetic_data(n, n), folder / f"unit{n}.xlsm")
    times = []
    for i in range(runs):
        out = folder / f"out{n}-{i}.xlsm"
        start = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):
            assert main(["hitung", str(book), "-o", str(out)]) == 0
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def count_calls(n: int, groups: int, folder: Path, riwayat: int = 0,
                hapus: str | None = None) -> tuple[int, int, int]:
    """(total, routine's own, summary rendering) calls of one button run; ``riwayat``:
    IKUs given two earlier years (Perbandingan Tahunan); ``hapus``: a sheet deleted
    before the click."""
    data = synthetic_data(n, n, n_sasaran=groups, n_kegiatan=groups)
    ikus = [iku for s in data["sasaran"] for iku in s["iku"]]
    for iku in ikus[:riwayat]:
        iku["riwayat"] = [{"tahun": 2024, "realisasi": 50}, {"tahun": 2025, "realisasi": 60}]
    path = make_workbook(data, folder / f"unit{n}-{groups}-{riwayat}.xlsm")
    book = FakeBook(path)
    if hapus:
        book.sheets._remove(hapus)
    rendering = 0
    render = routine.render

    def counted(*args, **kwargs):
        nonlocal rendering
        before = book.calls.total
        result = render(*args, **kwargs)
        rendering += book.calls.total - before
        return result

    routine.render = counted
    try:
        tombol.run(book)
    finally:
        routine.render = render
    assert book.input_writes() == []
    return book.calls.total, book.calls.total - rendering, rendering


def run() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for n in (20, 200):
            median = time_cli(n, args.runs, folder)
            print(f"{n:>4} IKU, {n:>4} baris anggaran: hitung (CLI) median {median:.2f} s "
                  f"({args.runs} kali)")
        print("panggilan ke Excel per klik (tiruan xlwings): total = rutin + lembar ringkasan")
        for n in (20, 200):
            for groups in (1, 5, 20):
                total, own, rendering = count_calls(n, groups, folder)
                print(f"{n:>4} IKU, {groups:>2} sasaran/kegiatan: {total:>4} = {own:>3} rutin "
                      f"+ {rendering:>4} ringkasan")
        for n, riwayat in ((20, 5), (20, 20), (200, 200)):
            total, own, rendering = count_calls(n, 5, folder, riwayat)
            print(f"{n:>4} IKU, {riwayat:>3} IKU dengan riwayat: {total:>4} = {own:>3} rutin "
                  f"+ {rendering:>4} ringkasan")
        for n in (20, 200):
            total, own, rendering = count_calls(n, 5, folder, hapus="Grafik")
            print(f"{n:>4} IKU, lembar Grafik dihapus: {total:>4} = {own:>3} rutin "
                  f"+ {rendering:>4} ringkasan (digambar ulang)")


if __name__ == "__main__":
    run()
