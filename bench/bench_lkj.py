"""Time of writing the LKj tables (.docx): the two bundled examples, from their spec and
from a generated workbook, and a large unit (40 IKU with four years of riwayat each, 60
budget lines) from its spec.

Prints per case: the median of a few runs, the document size, the number of tables and
charts; and the first run (it includes importing matplotlib and python-docx) and the
process's peak resident memory.

Run: .venv/bin/python bench/bench_lkj.py [--ulang 3]
"""

from __future__ import annotations

import argparse
import copy
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workbook_gen.cli import bundled_examples  # noqa: E402
from workbook_gen.generate import generate  # noqa: E402
from workbook_gen.lkj import hasil_dari_berkas, tulis_lkj  # noqa: E402
from workbook_gen.lkj.content import LkjChart, LkjTable, build_lkj  # noqa: E402
from workbook_gen.spec import load_spec, spec_from_data  # noqa: E402


def _large_spec(tmp: Path) -> Path:
    """A big unit as YAML text (40 IKUs over 8 sasaran, 60 budget lines)."""
    import yaml

    sasaran = []
    for s in range(8):
        ikus = []
        for i in range(5):
            k = s * 5 + i + 1
            ikus.append({
                "kode": f"IKU-{k}", "nama": f"Indikator kinerja nomor {k} yang cukup panjang "
                "namanya seperti di laporan", "satuan": "Orang", "target": 1000 + k,
                "target_tw": [250, 250, 250, 250 + k],
                "realisasi_tw": [200 + k, 260, 240, 300],
                "riwayat": [{"tahun": 2021 + y, "target": 900 + y * 10, "realisasi": 850 + y}
                            for y in range(4)]})
        sasaran.append({"kode": f"SS{s + 1}", "nama": f"Sasaran strategis {s + 1}",
                        "iku": ikus})
    kegiatan = []
    for g in range(6):
        komponen = [{"kode": f"{c + 1:02d}", "nama": f"Komponen {g + 1}.{c + 1}",
                     "sasaran": f"SS{(g + c) % 8 + 1}", "jenis_belanja": "52",
                     "pagu_awal": 100_000_000 + c, "realisasi_tw": [10_000_000] * 4}
                    for c in range(10)]
        kegiatan.append({"kode": f"{g + 1:02d}", "nama": f"Kegiatan {g + 1}",
                         "komponen": komponen})
    data = {"versi_spec": 1, "unit": {"nama": "BP3MI Besar", "kode_satker": "999999"},
            "tahun": 2025, "periode": "tahunan", "sasaran": sasaran,
            "anggaran": {"kegiatan": kegiatan}}
    spec_from_data(copy.deepcopy(data), "besar.yaml")  # valid before timing
    path = tmp / "besar.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def run() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ulang", type=int, default=3, help="pengulangan per kasus")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        cases: list[tuple[str, Path]] = []
        for spec in bundled_examples():
            cases.append((f"{spec.stem} (spec)", spec))
            cases.append((f"{spec.stem} (workbook)",
                          generate(load_spec(spec), tmp / f"{spec.stem}.xlsm")))
        cases.append(("40 IKU, 60 baris anggaran (spec)", _large_spec(tmp)))
        first = None
        print(f"{'kasus':<44} {'median s':>9} {'KiB':>7} {'tabel':>6} {'grafik':>6}")
        for label, path in cases:
            times = []
            for _ in range(args.ulang):
                t0 = time.perf_counter()
                hasil = hasil_dari_berkas(path)
                out = tulis_lkj(hasil, tmp / "lkj.docx", overwrite=True)
                times.append(time.perf_counter() - t0)
                if first is None:
                    first = times[0]
            blocks = build_lkj(hasil)
            tables = sum(isinstance(b, LkjTable) for b in blocks)
            charts = sum(isinstance(b, LkjChart) for b in blocks)
            print(f"{label:<44} {statistics.median(times):>9.2f} "
                  f"{out.stat().st_size / 1024:>7.0f} {tables:>6} {charts:>6}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    rss_mib = rss / 1024 / 1024 if sys.platform == "darwin" else rss / 1024
    print(f"pertama kali (termasuk impor): {first:.2f} s; memori puncak: {rss_mib:.0f} MiB")


if __name__ == "__main__":
    run()
