"""Time of `workbook-gen hitung FILE -o OUT` (the openpyxl path of Hitung Capaian) for one
workbook with 20 and with 200 IKUs: median of several runs, plus the round trips the
Excel path makes (counting fake of xlwings).

Run: .venv/bin/python bench/bench_hitung.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fake_xlwings import FakeBook  # noqa: E402
from tests.workbooks import make_workbook, synthetic_data  # noqa: E402
from workbook_gen.cli import main  # noqa: E402
from workbook_gen.excel import tombol as macro  # noqa: E402


def bench(n: int, runs: int, folder: Path) -> tuple[float, int]:
    book = make_workbook(synthetic_data(n, n), folder / f"unit{n}.xlsm")
    times = []
    for i in range(runs):
        out = folder / f"out{n}-{i}.xlsm"
        start = time.perf_counter()
        assert main(["hitung", str(book), "-o", str(out)]) == 0
        times.append(time.perf_counter() - start)
    fake = FakeBook(book)
    macro.run(fake)
    return statistics.median(times), fake.calls.total


def run() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    import contextlib
    import io

    with tempfile.TemporaryDirectory() as tmp:
        for n in (20, 200):
            with contextlib.redirect_stdout(io.StringIO()):
                median, calls = bench(n, args.runs, Path(tmp))
            print(f"{n:>4} IKU, {n:>4} baris anggaran: hitung median {median:.2f} s "
                  f"({args.runs} kali); panggilan ke Excel lewat xlwings: {calls}")


if __name__ == "__main__":
    run()
