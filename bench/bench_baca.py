"""Benchmark: the worker's read path per file, ``konsolidasi.read.baca_berkas``, stage by
stage, in one process.

    .venv/bin/python bench/bench_baca.py [--folder /tmp/h11scale-bench] [--n 350]
                                         [--ulang 3] [--tanpa-tahap]

Files are taken evenly over the folder (the bench workbooks of
``bench/bench_konsolidasi.py``; the folder is only read). A warm-up pass over 30 files
comes first (imports, schema checkers, the per-structure memos a worker keeps), then:

1. ``total``: ``baca_berkas`` over the files, ``--ulang`` times; median CPU
   (time.process_time) and wall (perf_counter) per file;
2. ``tahap``: one more pass with each stage's function wrapped by a timer (inclusive
   CPU per call, summed; nested stages are indented under the stage calling them). A
   stage missing in this version of the code is skipped. The timers add about 1 us per
   call, so the stage figures add up to slightly more than the total.

Prints ms per file; the load average is printed with the figures (the machine is shared).
"""

from __future__ import annotations

import argparse
import importlib
import os
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

#: (depth, module, attribute path, label): the stages of baca_berkas, in call order.
STAGES = [
    (0, "workbook_gen.konsolidasi.read", "read_regular", "read_regular"),
    (0, "workbook_gen.konsolidasi.read", "check_bytes", "check_bytes"),
    (0, "workbook_gen.konsolidasi.read", "check_and_repack", "check_and_repack"),
    (0, "workbook_gen.konsolidasi.read", "CalamineSource.__init__", "calamine open"),
    (0, "workbook_gen.konsolidasi.source", "CalamineSource._rows", "calamine sheet parse"),
    (0, "workbook_gen.konsolidasi.read", "check_meta_rows", "check_meta_rows"),
    (0, "workbook_gen.konsolidasi.read", "read_workbook", "read_workbook"),
    (1, "workbook_gen.reader", "read_meta", "read_meta"),
    (2, "workbook_gen.reader", "parse_meta", "parse_meta"),
    (1, "workbook_gen.reader", "_check_structure", "_check_structure"),
    (1, "workbook_gen.reader", "_read_values", "_read_values"),
    (2, "workbook_gen.reader", "spec_from_data", "spec_from_data"),
    (2, "workbook_gen.reader", "layout_for", "layout_for"),
    (0, "workbook_gen.konsolidasi.read", "_angka_ekstrem", "_angka_ekstrem"),
    (0, "workbook_gen.konsolidasi.read", "hitung", "hitung"),
    (0, "workbook_gen.konsolidasi.read", "ringkas", "ringkas"),
]


def pick(folder: Path, n: int) -> list[str]:
    files = sorted(str(p) for p in folder.iterdir() if p.suffix in (".xlsm", ".xlsx"))
    if not files:
        sys.exit(f"Tidak ada workbook di {folder}.")
    step = max(1, len(files) // n)
    return files[::step][:n]


def run(paths: list[str]) -> tuple[float, float]:
    from workbook_gen.konsolidasi.read import baca_berkas

    c0, w0 = time.process_time(), time.perf_counter()
    for p in paths:
        baca_berkas(p)
    return time.process_time() - c0, time.perf_counter() - w0


def wrap_stages() -> dict[str, float]:
    """Replace each stage's function by a timed one; returns label -> CPU seconds."""
    spent: dict[str, float] = defaultdict(float)
    for _, modname, attr, label in STAGES:
        mod = importlib.import_module(modname)
        holder: Any = mod
        *path, name = attr.split(".")
        try:
            for part in path:
                holder = getattr(holder, part)
            fn = getattr(holder, name)
        except AttributeError:
            continue

        def timed(*a: Any, _fn: Any = fn, _label: str = label, **k: Any) -> Any:
            t = time.process_time()
            try:
                return _fn(*a, **k)
            finally:
                spent[_label] += time.process_time() - t

        setattr(holder, name, timed)
    return spent


def main() -> None:
    ap = argparse.ArgumentParser(description="Waktu baca_berkas per tahap.")
    ap.add_argument("--folder", type=Path, default=Path("/tmp/h11scale-bench"))
    ap.add_argument("--n", type=int, default=350, help="berkas yang dibaca")
    ap.add_argument("--ulang", type=int, default=3, help="putaran total (median)")
    ap.add_argument("--tanpa-tahap", action="store_true", help="tanpa rincian per tahap")
    args = ap.parse_args()
    paths = pick(args.folder, args.n)
    n = len(paths)
    run(paths[:: max(1, n // 30)])  # warm-up
    print(f"{n} berkas dari {args.folder}; load average {os.getloadavg()[0]:.2f}")
    cpu, wall = [], []
    for _ in range(args.ulang):
        c, w = run(paths)
        cpu.append(c)
        wall.append(w)
    print(f"total baca_berkas: {statistics.median(cpu) / n * 1000:.2f} ms CPU per berkas "
          f"(putaran: {', '.join(f'{c / n * 1000:.2f}' for c in cpu)}), "
          f"{statistics.median(wall) / n * 1000:.2f} ms wall; "
          f"load average {os.getloadavg()[0]:.2f}")
    if args.tanpa_tahap:
        return
    spent = wrap_stages()
    c, _ = run(paths)
    print(f"\nper tahap (satu putaran dengan pengukur waktu, total {c / n * 1000:.2f} ms CPU "
          "per berkas):")
    for depth, _, _, label in STAGES:
        if label in spent:
            print(f"  {'  ' * depth}{label:<{28 - 2 * depth}} {spent[label] / n * 1000:7.2f} ms")


if __name__ == "__main__":
    main()
