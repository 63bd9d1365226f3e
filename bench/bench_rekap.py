"""Benchmark: writing the national recap (``konsolidasi.write.build_rekap``, what
``write_rekap`` runs into its temporary file) for N
units, streamed (``summary.xlsx_stream``) and, with ``--lama``, through the cell-by-cell
book (``summary.xlsx_book.XlsxSheetBook``) it replaced.

    .venv/bin/python bench/bench_rekap.py [--n 1000 10000] [--ulang 3] [--lama]
    .venv/bin/python bench/bench_rekap.py --folder DIR --cache CACHE.sqlite  # a real Rekap

1. The Rekap: by default built here from the records, shaped like the konsolidasi bench
   (``bench_konsolidasi.py``): 5 sasaran, 20 IKUs and 3 jenis belanja per unit, 76 % of
   the units with a finding (peringatan), 1 % error, 1 % belum diisi, 2 % ditolak.
   With ``--folder`` and ``--cache``: ``konsolidasi`` over a folder of unit workbooks,
   reading from a copy of a cache that already holds them (the cache is not written).
2. Each run in a fresh child process: the Rekap is made, the cyclic collector run, the
   peak RSS reset (``/proc/self/clear_refs``), then the workbook is built. Printed: wall
   and CPU seconds (median of the runs), the cells written, the file size, and the peak
   RSS above the Rekap the writer was given. The machine is shared: the load average is
   printed with the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def synthetic_rekap(n: int) -> Any:
    """A Rekap of ``n`` units (deterministic figures, no workbook read)."""
    import random

    from workbook_gen.findings import ERROR, PERINGATAN, Finding
    from workbook_gen.konsolidasi.records import (
        BELUM_DIISI,
        DITOLAK,
        OK,
        STATUS_ERROR,
        STATUS_PERINGATAN,
        IkuRekap,
        IkuRingkas,
        PosRingkas,
        Rekap,
        SasaranRingkas,
        Statistik,
        StatusBerkas,
        UnitRingkas,
    )

    rng = random.Random(11)
    kategori = ["Sangat Baik", "Baik", "Cukup", "Kurang"]
    jenis = [("51", "Belanja Pegawai"), ("52", "Belanja Barang"), ("53", "Belanja Modal")]

    def pos(kode: str, nama: str) -> PosRingkas:
        pagu = float(rng.randrange(1_000, 9_000) * 1_000_000)
        real = float(round(pagu * rng.uniform(0.1, 0.6)))
        return PosRingkas(kode, nama, pagu, real, round(real / pagu * 100, 2), pagu - real)

    berkas, units = [], []
    for i in range(n):
        kode, nama = f"{700000 + i}", f"Satker Uji {i:05d}"
        status = (DITOLAK if i % 50 == 7 else STATUS_ERROR if i % 100 == 3
                  else BELUM_DIISI if i % 100 == 5 else STATUS_PERINGATAN if i % 25 < 19
                  else OK)
        temuan = []
        if status in (STATUS_PERINGATAN, STATUS_ERROR, DITOLAK):
            temuan.append(Finding(
                ERROR if status != STATUS_PERINGATAN else PERINGATAN, "target_tw_tidak_sesuai",
                f"Target!Q{11 + i % 20}",
                f"Target per triwulan IKU IKU-{1 + i % 20:02d} ({i % 400}, {i % 400}, "
                f"{i % 400}, {i % 400}) dijumlah menjadi {4 * (i % 400)}, bukan target "
                "tahunan 1.470.",
                "Samakan target triwulan dengan target tahunan; capaian tahunan tetap memakai "
                "target tahunan."))
        unit = None
        if status != DITOLAK:
            filled = status != BELUM_DIISI
            sasaran = [SasaranRingkas(f"SS{s}", f"Sasaran strategis {s}",
                                      round(rng.uniform(60, 130), 2) if filled else None,
                                      None, rng.choice(kategori) if filled else None,
                                      float(rng.randrange(1, 9) * 10**9),
                                      float(rng.randrange(1, 9) * 10**8),
                                      round(rng.uniform(10, 60), 2)) for s in range(1, 6)]
            for s in sasaran:
                s.capaian_revisi = s.capaian
            ikus = [IkuRingkas(f"IKU-{k:02d}", f"Indikator kinerja utama nomor {k}", "%",
                               round(rng.uniform(40, 140), 2) if filled else None, None,
                               rng.choice(kategori) if filled else None, None)
                    for k in range(1, 21)]
            capaian = round(rng.uniform(60, 120), 2) if filled else None
            unit = UnitRingkas(kode, nama, "Uji", 2026, "TW II", capaian, capaian,
                               rng.choice(kategori) if filled else None, None,
                               pos("TOTAL", "Jumlah"), sasaran, ikus,
                               [pos(k, nm) for k, nm in jenis], terisi=filled, status=status,
                               dihitung=status in (OK, STATUS_PERINGATAN))
            units.append(unit)
        berkas.append(StatusBerkas(f"/data/kiriman/satker_{i:05d}.xlsm", kode, nama, 1, 2026,
                                   "TW II", status,
                                   [f"{len(temuan)} temuan pada isian; lihat lembar Temuan."]
                                   if temuan else [], temuan, unit))
    counted = sorted((u for u in units if u.dihitung), key=lambda u: -(u.capaian or 0))
    for rank, u in enumerate(counted, 1):
        u.peringkat = rank
    shown = counted + sorted((u for u in units if not u.dihitung), key=lambda u: u.kode_satker)

    def stat(values: list[float | None]) -> Statistik:
        v = [x for x in values if x is not None]
        return Statistik(len(v), round(statistics.fmean(v), 2) if v else None,
                         round(statistics.median(v), 2) if v else None,
                         min(v, default=None), max(v, default=None))

    iku = []
    for k in range(20):
        ref = units[0].iku[k]
        cap = {u.kode_satker: u.iku[k].capaian for u in units}
        st = stat([u.iku[k].capaian for u in counted])
        iku.append(IkuRekap(ref.kode, ref.nama, ref.satuan, cap,
                            {u.kode_satker: u.iku[k].kategori for u in units}, st, "Baik"))
    national = [PosRingkas(k, nm, sum(u.jenis_belanja[j].pagu for u in counted),
                           sum(u.jenis_belanja[j].realisasi for u in counted), 34.5, 0.0)
                for j, (k, nm) in enumerate(jenis)]
    total = PosRingkas("TOTAL", "Jumlah", sum(u.total.pagu for u in counted),
                       sum(u.total.realisasi for u in counted), 34.5, 0.0)
    return Rekap(berkas, shown, iku, national, total, stat([u.capaian for u in counted]),
                 None, [], tahun=2026, periode="TW II")


def real_rekap(folder: str, cache: str) -> Any:
    from workbook_gen.konsolidasi.cache import BerkasCache
    from workbook_gen.konsolidasi.recap import konsolidasi

    with tempfile.TemporaryDirectory(prefix="bench-rekap-") as tmp:
        copy = Path(tmp) / "cache.sqlite"
        shutil.copyfile(cache, copy)
        return konsolidasi([folder], cache=BerkasCache(copy))


def _vm(key: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def child(args: argparse.Namespace) -> None:
    """One run (in a fresh process): figures as one JSON line on stdout."""
    import gc

    from workbook_gen.konsolidasi.write import build_rekap
    from workbook_gen.sheets import summary_xlsx

    rekap = real_rekap(args.folder, args.cache) if args.folder else synthetic_rekap(args.n[0])
    gc.collect()
    try:
        Path("/proc/self/clear_refs").write_text("5")  # peak RSS := current RSS
        reset = True
    except OSError:
        reset = False
    before = _vm("VmRSS")
    with tempfile.TemporaryFile() as fh:  # as write_rekap: straight into the file
        wall, cpu = time.perf_counter(), time.process_time()
        build_rekap(rekap, fh, summary_xlsx.write if args.cara == "lama" else None)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        size = fh.tell()
    print(json.dumps({"units": len(rekap.unit), "berkas": len(rekap.berkas), "wall": wall,
                      "cpu": cpu, "bytes": size, "rss_rekap": before,
                      "rss_peak": _vm("VmHWM") if reset else float("nan")}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--ulang", type=int, default=3, help="runs per figure (median)")
    ap.add_argument("--lama", action="store_true", help="also the cell-by-cell writer")
    ap.add_argument("--folder", help="a folder of unit workbooks (with --cache)")
    ap.add_argument("--cache", help="a konsolidasi cache holding every file of --folder")
    ap.add_argument("--anak", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--cara", default="baru", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.anak:
        child(args)
        return
    if bool(args.folder) != bool(args.cache):
        ap.error("--folder dan --cache dipakai bersama")
    sizes = [0] if args.folder else args.n
    ways = ["baru", "lama"] if args.lama else ["baru"]
    print(f"build_rekap, {args.ulang} kali per angka (median); mesin: {os.cpu_count()} "
          f"inti, beban {os.getloadavg()[0]:.2f}")
    for n in sizes:
        for cara in ways:
            runs = []
            for _ in range(args.ulang):
                cmd = [sys.executable, __file__, "--anak", "--cara", cara, "--n", str(n)]
                if args.folder:
                    cmd += ["--folder", args.folder, "--cache", args.cache]
                out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
                runs.append(json.loads(out.strip().splitlines()[-1]))
            r0 = runs[0]
            wall = statistics.median(r["wall"] for r in runs)
            cpu = statistics.median(r["cpu"] for r in runs)
            extra = max(r["rss_peak"] - r["rss_rekap"] for r in runs)
            print(f"  {cara:4s} {r0['units']:>6,} unit ({r0['berkas']:,} berkas): "
                  f"{wall:6.2f} s wall, {cpu:6.2f} s CPU "
                  f"({cpu / max(r0['units'], 1) * 1000:.3f} ms per unit), "
                  f"{r0['bytes'] / 2**20:.1f} MiB; RSS dengan Rekap {r0['rss_rekap']:.0f} MiB, "
                  f"puncak +{extra:.0f} MiB; beban {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
