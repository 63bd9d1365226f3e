"""Time and memory of generating workbooks: 100 .xlsm files from the bundled specs
(alternating Banten and Jawa Tengah) written into a temporary folder.

Prints the total time, the median per file, the process's peak resident memory
(getrusage maxrss) and the peak Python heap of one generation (tracemalloc, measured in
a separate pass so it does not slow the timed run).

Run: .venv/bin/python bench/bench_generate.py [--jumlah 100] [--xlsx]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workbook_gen.cli import bundled_examples  # noqa: E402
from workbook_gen.generate import generate  # noqa: E402
from workbook_gen.spec import load_spec  # noqa: E402


def _maxrss_mib() -> float:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / 1024 / 1024 if sys.platform == "darwin" else rss / 1024  # bytes on macOS


def run() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jumlah", type=int, default=100, help="berkas yang dibuat")
    parser.add_argument("--xlsx", action="store_true", help="buat .xlsx (tanpa makro)")
    args = parser.parse_args()
    ext = ".xlsx" if args.xlsx else ".xlsm"
    specs = [load_spec(p) for p in bundled_examples()]
    rss_before = _maxrss_mib()
    times: list[float] = []
    with tempfile.TemporaryDirectory(prefix="bench-generate-") as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        for i in range(args.jumlah):
            t0 = time.perf_counter()
            generate(specs[i % len(specs)], folder / f"unit{i:03d}{ext}")
            times.append(time.perf_counter() - t0)
        total = time.perf_counter() - start
        size = sum(p.stat().st_size for p in folder.iterdir())
        rss_after = _maxrss_mib()

        tracemalloc.start()
        peaks = []
        for i, spec in enumerate(specs):
            tracemalloc.reset_peak()
            generate(spec, folder / f"traced{i}{ext}")
            peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()

    print(f"{args.jumlah} workbook {ext} dari {len(specs)} spec bawaan "
          f"(Python {sys.version.split()[0]}):")
    print(f"  waktu total      : {total:.2f} s")
    print(f"  median per berkas: {statistics.median(times) * 1000:.1f} ms "
          f"(min {min(times) * 1000:.1f}, maks {max(times) * 1000:.1f})")
    print(f"  ukuran rata-rata : {size / args.jumlah / 1024:.0f} KiB")
    print(f"  memori puncak    : maxrss {rss_after:.0f} MiB (sebelum membuat: "
          f"{rss_before:.0f} MiB); heap Python puncak per berkas (tracemalloc) "
          f"{max(peaks) / 1024 / 1024:.1f} MiB")


if __name__ == "__main__":
    run()
