"""Time of 'buat KATALOG -o FOLDER': a generated katalog (.xlsx) of N units with the
Banten indicator set (7 IKU, 8 budget lines each; targets and pagu vary per unit) turned
into N unit workbooks (.xlsm) in a temporary folder.

Prints the katalog's size, the wall time of reading + checking + writing every workbook,
the CPU time (user + sys, this process and its worker processes; in all, per workbook,
and the main process's share), the peak resident memory of the main process and of the
largest worker, and the load average before and after, so a figure taken on a busy shared
machine can be judged: wall time depends on what else runs, CPU time less.

Run: .venv/bin/python bench/bench_katalog.py [--unit 1000] [--proses 2] [--xlsx]
"""

from __future__ import annotations

import argparse
import copy
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workbook_gen.katalog.buat import buat_dari_katalog  # noqa: E402
from workbook_gen.katalog.kosong import katalog_bytes, rows_from_specs  # noqa: E402


def units(n: int) -> list[dict]:
    base = yaml.safe_load((ROOT / "templates" / "bp3mi_banten_2026_tw1.yaml").read_text("utf-8"))
    base["anggaran"].pop("total", None)
    out = []
    for i in range(n):
        d = copy.deepcopy(base)
        d["unit"] = {"kode_satker": f"{400000 + i}", "nama": f"Unit Kerja {i + 1}",
                     "provinsi": "Banten", "kepala": f"Kepala {i + 1}",
                     "nip": f"19700101199003{i % 10000:04d}"}
        for s in d["sasaran"]:
            for iku in s["iku"]:
                iku.pop("realisasi_tw", None)
                iku.pop("riwayat", None)
                if isinstance(iku.get("target"), (int, float)):
                    iku["target"] = iku["target"] + i % 17
        for k in d["anggaran"]["kegiatan"]:
            for c in k["komponen"]:
                c.pop("realisasi_tw", None)
                c["pagu_awal"] = 1_000_000 * (1 + (i * 7 + len(c["nama"])) % 900)
        out.append(d)
    return out


def cpu() -> tuple[float, float]:
    """(CPU seconds of this process, of this process and its ended children)."""
    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    own = s.ru_utime + s.ru_stime
    return own, own + c.ru_utime + c.ru_stime


def run() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--unit", type=int, default=1000, help="jumlah unit di katalog")
    parser.add_argument("--proses", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--xlsx", action="store_true", help="tulis .xlsx tanpa makro")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-katalog-") as tmp:
        katalog = Path(tmp) / "katalog.xlsx"
        rows, pengaturan = rows_from_specs(units(args.unit))
        katalog.write_bytes(katalog_bytes(rows, pengaturan=pengaturan))
        load0 = os.getloadavg()
        (own0, all0), t0 = cpu(), time.perf_counter()
        hasil = buat_dari_katalog(katalog, Path(tmp) / "keluaran", proses=args.proses,
                                  macro=not args.xlsx, progress=False)
        wall = time.perf_counter() - t0
        own1, all1 = cpu()
        size = sum(p.stat().st_size for p in hasil.berkas)
        kat_kib = katalog.stat().st_size / 1024
    load = os.getloadavg()
    n = len(hasil.berkas)
    used = all1 - all0
    rss_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rss_child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"katalog: {args.unit} unit, {len(rows['target'])} baris target, "
          f"{len(rows['anggaran'])} baris anggaran, {kat_kib:.0f} KiB")
    print(f"{n} workbook ({size / 1024 / 1024:.1f} MiB) dengan {args.proses} proses: "
          f"waktu {wall:.1f} s ({wall / n * 1000:.1f} ms per unit)")
    print(f"CPU (user+sys, termasuk proses anak) {used:.1f} s = {used / n * 1000:.1f} ms per "
          f"workbook; proses utama {own1 - own0:.1f} s")
    print(f"memori puncak (RSS): proses utama {rss_self:.0f} MiB, proses anak terbesar "
          f"{rss_child:.0f} MiB")
    print(f"beban mesin (loadavg 1/5/15 menit) sebelum: {load0[0]:.2f} {load0[1]:.2f} "
          f"{load0[2]:.2f}, sesudah: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} "
          f"pada {os.cpu_count()} inti")


if __name__ == "__main__":
    run()
