"""Benchmark: what the input checks of issue 12 cost per workbook.

    .venv/bin/python bench/bench_inputs.py [--ulang 50]

Generates the two bundled example workbooks and times, per workbook (median of
``--ulang`` runs): reading the file safely (``inputfile.read_bytes``), the zip checks
(``inputfile.check_zip``: every part inflated once, CRC, DTD scan), the metadata schema
(``layout.parse_meta``), the re-validation of the metadata's spec (``spec_from_data``) and,
for scale, the whole ``read_workbook`` through openpyxl. Also the zip check of a workbook
near the per-part limit (one 15 MB sheet part), the worst case it accepts.
"""

from __future__ import annotations

import argparse
import copy
import io
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workbook_gen.book import OpenpyxlBook  # noqa: E402
from workbook_gen.generate import generate  # noqa: E402
from workbook_gen.inputfile import MAX_WORKBOOK_BYTES, check_zip, read_bytes  # noqa: E402
from workbook_gen.layout import SHEET_META, parse_meta  # noqa: E402
from workbook_gen.reader import META_MAX_ROWS, read_workbook  # noqa: E402
from workbook_gen.spec import load_spec, spec_from_data  # noqa: E402


def timed(fn, n: int) -> float:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ulang", type=int, default=50)
    n = ap.parse_args().ulang
    with tempfile.TemporaryDirectory() as tmp:
        for spec_path in sorted((ROOT / "templates").glob("bp3mi_*.yaml")):
            spec = load_spec(spec_path)
            out = Path(tmp) / f"{spec_path.stem}.xlsm"
            generate(spec, out)
            data = read_bytes(out, max_bytes=MAX_WORKBOOK_BYTES)
            with OpenpyxlBook(out) as book:
                rows = book.read_block(SHEET_META, 1, 1, META_MAX_ROWS, 2)
                meta_rows = [(r[0], r[1]) for r in rows]
                meta = parse_meta(meta_rows)
                t_read = timed(lambda o=out: read_bytes(o, max_bytes=MAX_WORKBOOK_BYTES), n)
                t_zip = timed(lambda d=data, o=out: check_zip(d, o.name), n)
                t_meta = timed(lambda r=meta_rows: parse_meta(r), n)
                t_spec = timed(lambda m=meta: spec_from_data(copy.deepcopy(m.spec_data), "x",
                                                             nilai_ketat=False), n)
                t_all = timed(lambda b=book, o=out: read_workbook(b, o.name), max(n // 5, 3))
            t_open = timed(lambda o=out: OpenpyxlBook(o).close(), max(n // 10, 3))
            print(f"{out.name} ({len(data) / 1024:.0f} kB, {len(spec.semua_iku())} IKU, "
                  f"{len(spec.anggaran)} baris anggaran):")
            print(f"  read_bytes         {t_read:7.2f} ms")
            print(f"  check_zip          {t_zip:7.2f} ms")
            print(f"  parse_meta+schema  {t_meta:7.2f} ms")
            print(f"  spec re-validation {t_spec:7.2f} ms")
            print(f"  read_workbook      {t_all:7.2f} ms (openpyxl book already open)")
            print(f"  OpenpyxlBook open  {t_open:7.2f} ms (all of the above on open + load)")
        big = io.BytesIO()
        with zipfile.ZipFile(big, "w", zipfile.ZIP_DEFLATED) as zf:
            # numbered rows as Excel writes them (identical rows would compress 300x+)
            rows = b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (i, i, i * 7)
                            for i in range(1, 300_000))
            zf.writestr("xl/worksheets/sheet1.xml", rows)
        blob = big.getvalue()
        t_big = timed(lambda: check_zip(blob, "besar.xlsx"), 3)
        size = zipfile.ZipFile(big).infolist()[0].file_size / 1024 / 1024
        print(f"check_zip, one {size:.0f} MB sheet part ({len(blob) / 1024 / 1024:.1f} MB zipped): "
              f"{t_big:.0f} ms")


if __name__ == "__main__":
    main()
