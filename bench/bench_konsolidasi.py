"""Benchmark: ``workbook-gen konsolidasi`` against a straightforward openpyxl reading and
against the bare limit.

    .venv/bin/python bench/bench_konsolidasi.py [--n 100 1000 10000] [--ulang 3] [--cache DIR]

1. Generates (once, cached) filled unit workbooks with the real generator: 20 IKUs
   (counts, percentages, averages, a lower-is-better IKU, a reduction IKU, a category
   IKU) over 5 sasaran and 40 budget lines over 4 kegiatan (51/52/53), periode TW II, a
   different kode satker and realisasi per unit. Beyond ``--dasar`` distinct workbooks
   (default 500), further units are byte-level variants of them with another kode satker
   (and a matching spec fingerprint), so 10,000 files take a minute, not an hour.
2. Times, each run in a fresh child process (so peak memory is per run):
   * ``konsolidasi``: the whole command (find, check, read with python-calamine in
     parallel, recompute with the engine, write the recap .xlsx);
   * ``openpyxl``: ``load_workbook(read_only=True, data_only=True)`` behind the same
     ``BlockSource``, ``read_workbook`` + ``hitung`` per file, one process, no recap
     written. For large N only a sample is timed and extrapolated (said in the output).
   * ``batas``: the bare limit: inflate and SAX-parse (expat, no handlers doing work)
     only the parts a reader needs (workbook, rels, shared strings, the five sheets it
     reads), on all cores;
   * ``inkremental``: the whole ``konsolidasi`` command (find, stat/hash, cache, read the
     changed files, recap rules, write the rekap) with a cache already holding every
     file, after 10 files changed (their bytes, not their numbers). The runs work on a
     private copy of the workbooks, so the workbook folder is only read;
   * with ``--tanpa-tulis`` also ``konsolidasi()`` alone, full and incremental, no rekap
     written (labelled so): the parent's CPU per file and the memory it holds after.
3. Prints medians, the ratios, user+sys CPU seconds and peak RSS (parent and largest
   child: ``resource.getrusage(RUSAGE_SELF / RUSAGE_CHILDREN).ru_maxrss``). The machine is
   shared: the load average is printed with every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

N_IKU = 20
N_BARIS = 40


# --------------------------------------------------------------------------- workbooks


def spec_data(i: int) -> dict[str, Any]:
    """A unit's spec: fixed structure, realisasi drawn from a seed per unit."""
    rng = random.Random(i)
    sasaran = []
    for s in range(5):
        ikus = []
        for j in range(4):
            n = s * 4 + j + 1
            kode = f"IKU-{n:02d}"
            kind = n % 6
            d: dict[str, Any] = {"kode": kode, "nama": f"Indikator kinerja utama nomor {n}"}
            if kind == 0:  # count, kumulatif
                t = rng.choice([400, 1200, 1470])
                d.update(satuan="Orang", target=t, target_tw=[t // 4] * 4,
                         realisasi_tw=[rng.randint(0, t // 3), rng.randint(0, t // 3),
                                       None, None])
            elif kind == 1:  # percentage of a stock, akhir
                d.update(satuan="%", agregasi="akhir", target=rng.choice([63, 80, 100]),
                         realisasi_tw=[round(rng.uniform(40, 100), 2),
                                       round(rng.uniform(40, 100), 2), None, None])
            elif kind == 2:  # score, rata_rata
                d.update(satuan="Nilai", agregasi="rata_rata", target=75,
                         realisasi_tw=[round(rng.uniform(60, 90), 2),
                                       round(rng.uniform(60, 90), 2), None, None])
            elif kind == 3:  # lower is better
                d.update(satuan="Hari", polaritas="minimal", agregasi="rata_rata", target=10,
                         realisasi_tw=[rng.randint(5, 15), rng.randint(5, 15), None, None])
            elif kind == 4:  # reduction against last year's count
                d.update(satuan="%", rumus="penurunan", agregasi="akhir", baseline=134,
                         target=6, realisasi_tw=[rng.randint(120, 134), rng.randint(120, 134),
                                                 None, None])
            else:  # category on a scale
                d.update(satuan="Predikat", jenis="kategori", skala="predikat",
                         agregasi="akhir", target="Baik",
                         realisasi_tw=[rng.choice(["Cukup", "Baik", "Sangat Baik"]),
                                       rng.choice(["Cukup", "Baik", "Sangat Baik"]), None,
                                       None])
            ikus.append(d)
        sasaran.append({"kode": f"SS{s + 1}", "nama": f"Sasaran strategis {s + 1}",
                        "iku": ikus})
    kegiatan = []
    for k in range(4):
        komponen = []
        for c in range(N_BARIS // 4):
            jb = ("51", "52", "52", "53")[c % 4]
            pagu = rng.randint(50, 900) * 1_000_000
            komponen.append({
                "kode": f"{c + 1:02d}", "nama": f"Komponen {k + 1}.{c + 1}",
                "sasaran": f"SS{(k + c) % 5 + 1}", "akun": f"{jb}{rng.randint(1000, 9999)}",
                "pagu_awal": pagu,
                "realisasi_tw": [round(pagu * rng.uniform(0.05, 0.3)),
                                 round(pagu * rng.uniform(0.05, 0.3)), None, None]})
        kegiatan.append({"kode": f"0{k + 1}", "nama": f"Kegiatan {k + 1}",
                         "komponen": komponen})
    return {
        "versi_spec": 1,
        "unit": {"nama": f"Satker Uji {i:04d}", "kode_satker": str(700000 + i),
                 "provinsi": "Uji"},
        "tahun": 2026, "periode": "TW II",
        "skala": {"predikat": [{"label": "Kurang"}, {"label": "Cukup"}, {"label": "Baik"},
                               {"label": "Sangat Baik"}]},
        "sasaran": sasaran,
        "anggaran": {"kegiatan": kegiatan},
    }


def _generate_one(args: tuple[int, str]) -> float:
    from workbook_gen.generate import generate
    from workbook_gen.spec import spec_from_data

    i, folder = args
    out = Path(folder) / f"satker_{i:04d}.xlsm"
    if out.exists():
        return 0.0
    start = time.perf_counter()
    generate(spec_from_data(spec_data(i), f"bench:{i}"), out)
    return time.perf_counter() - start


def _variant(args: tuple[str, int, str]) -> None:
    """A copy of base workbook ``src`` for unit ``i``: the kode satker replaced in the
    shared strings (Identitas, _meta, the spec in _meta) and the spec fingerprint
    recomputed, so the reader trusts it as it trusts a generated workbook."""
    import zipfile

    from workbook_gen.layout import data_hash

    src, i, dst = args
    old, new = str(700000 + int(Path(src).stem.split("_")[1])), str(700000 + i)
    with zipfile.ZipFile(src) as zin:
        sst = zin.read("xl/sharedStrings.xml").decode("utf-8")
        from workbook_gen.konsolidasi.source import CalamineSource

        meta = dict()
        for k, v in CalamineSource(Path(src).read_bytes()).read_block("_meta", 1, 1, 400, 2):
            if k:
                meta[k] = meta.get(k, "") + (v or "")
        spec_text = meta["spec"]
        new_hash = data_hash(json.loads(spec_text.replace(old, new)))
        sst = sst.replace(old, new).replace(meta["hash_spec"], new_hash)
        with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
            for info in zin.infolist():
                data = sst.encode("utf-8") if info.filename == "xl/sharedStrings.xml" \
                    else zin.read(info)
                zout.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)


def ensure_workbooks(folder: Path, n: int, dasar: int = 500) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"satker_{i:04d}.xlsm" for i in range(n)]
    base = min(n, dasar)
    missing = [i for i, p in enumerate(paths[:base]) if not p.exists()]
    if missing:
        print(f"Membuat {len(missing)} workbook di {folder} ...", flush=True)
        start = time.perf_counter()
        with ProcessPoolExecutor() as pool:
            times = [t for t in pool.map(_generate_one, [(i, str(folder)) for i in missing],
                                         chunksize=8) if t]
        print(f"  {len(missing)} workbook dalam {time.perf_counter() - start:.1f} s "
              f"(median {statistics.median(times) * 1000:.0f} ms per workbook per proses)",
              flush=True)
    todo = [(str(paths[i % base]), i, str(p)) for i, p in enumerate(paths)
            if i >= base and not p.exists()]
    if todo:
        print(f"Membuat {len(todo)} varian (kode satker lain) ...", flush=True)
        start = time.perf_counter()
        with ProcessPoolExecutor() as pool:
            list(pool.map(_variant, todo, chunksize=32))
        print(f"  dalam {time.perf_counter() - start:.1f} s", flush=True)
    return paths


# --------------------------------------------------------------------------- the two ways


class OpenpyxlSource:
    """The straightforward way: openpyxl read-only, cached values, a block per call."""

    def __init__(self, path: str) -> None:
        import openpyxl

        self.wb = openpyxl.load_workbook(path, read_only=True, data_only=True)

    def sheet_names(self) -> list[str]:
        return list(self.wb.sheetnames)

    def read_block(self, sheet: str, first_row: int, first_col: int, last_row: int,
                   last_col: int) -> list[list[Any]]:
        width = last_col - first_col + 1
        rows = [list(r) + [None] * (width - len(r)) for r in self.wb[sheet].iter_rows(
            min_row=first_row, max_row=last_row, min_col=first_col, max_col=last_col,
            values_only=True)]
        rows += [[None] * width for _ in range(last_row - first_row + 1 - len(rows))]
        return rows

    def close(self) -> None:
        self.wb.close()


def run_openpyxl(paths: list[str]) -> int:
    from workbook_gen.engine import hitung
    from workbook_gen.reader import read_workbook

    ok = 0
    for p in paths:
        src = OpenpyxlSource(p)
        try:
            hasil = hitung(read_workbook(src, p).spec)
            ok += hasil.capaian_rata_rata is not None
        finally:
            src.close()
    return ok


def run_konsolidasi(paths: list[str], out: str, cache: str | None = None) -> int:
    import io

    from workbook_gen.konsolidasi.cli import run_cli

    sink = io.StringIO()
    code = run_cli(paths, output=out, as_json=False, timpa=True, stdout=sink, stderr=sink,
                   cache=cache)
    assert code == 0, sink.getvalue()
    assert "0 ditolak" in sink.getvalue(), sink.getvalue()
    return code


def run_tanpa_tulis(paths: list[str], cache: str | None) -> dict[str, float]:
    """``konsolidasi()`` only (find, stat/hash, cache, read, recap rules), no rekap written:
    the parent's share, and the memory it holds afterwards."""
    import gc

    from workbook_gen.konsolidasi.cache import BerkasCache
    from workbook_gen.konsolidasi.recap import konsolidasi

    berkas_cache = BerkasCache(cache) if cache else None
    cpu = time.process_time()
    try:
        rekap = konsolidasi(paths, cache=berkas_cache)
    finally:
        if berkas_cache is not None:
            berkas_cache.close()
    cpu = time.process_time() - cpu
    assert not rekap.ditolak, rekap.ditolak[:3]
    gc.collect()
    return {"rss_sesudah_mb": _rss_now_mb(), "dari_cache": rekap.dari_cache,
            "cpu_konsolidasi": cpu}


def _rss_now_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


NEEDED_SHEETS = ("_meta", "Identitas", "Target", "Realisasi", "Anggaran")


def _bare_one(path: str) -> int:
    """Inflate and parse with expat only the parts a reader needs."""
    import re
    import xml.parsers.expat
    import zipfile

    with zipfile.ZipFile(path) as zf:
        wb = zf.read("xl/workbook.xml")
        rels = zf.read("xl/_rels/workbook.xml.rels")
        ids = dict(re.findall(rb'<sheet name="([^"]+)" sheetId="\d+"(?: state="\w+")? '
                              rb'r:id="([^"]+)"', wb))
        targets = dict(re.findall(rb'Id="([^"]+)"[^>]*Target="([^"]+)"', rels))
        parts = ["xl/workbook.xml", "xl/sharedStrings.xml"] + [
            "xl/" + targets[ids[n.encode()]].decode().lstrip("/").removeprefix("xl/")
            for n in NEEDED_SHEETS if n.encode() in ids]
        total = 0
        for part in parts:
            parser = xml.parsers.expat.ParserCreate()
            data = zf.read(part)
            parser.Parse(data, True)
            total += len(data)
    return total


def run_bare(paths: list[str]) -> int:
    with ProcessPoolExecutor() as pool:
        return sum(pool.map(_bare_one, paths, chunksize=16))


def measure(way: str, list_file: str) -> None:
    """Child process: run one way once, print seconds, CPU and memory as JSON."""
    paths = Path(list_file).read_text().split("\n")
    extra: dict[str, float] = {}
    if way.startswith("tanpa-tulis:"):  # the code loaded first: "before" is the bare parent
        import workbook_gen.konsolidasi.cache
        import workbook_gen.konsolidasi.recap  # noqa: F401
    rss_awal = _rss_now_mb()
    start = time.perf_counter()
    if way == "openpyxl":
        run_openpyxl(paths)
    elif way == "batas":
        run_bare(paths)
    elif way.startswith("inkremental:"):
        run_konsolidasi(paths, way.split(":", 1)[1], cache=way.split(":", 1)[1] + ".cache")
    elif way.startswith("tanpa-tulis:"):
        extra = run_tanpa_tulis(paths, way.split(":", 1)[1] or None)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            run_konsolidasi(paths, str(Path(tmp) / "rekap.xlsx"))
    seconds = time.perf_counter() - start
    self_ru = resource.getrusage(resource.RUSAGE_SELF)
    kids_ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({
        "detik": seconds,
        "cpu": self_ru.ru_utime + self_ru.ru_stime + kids_ru.ru_utime + kids_ru.ru_stime,
        "cpu_induk": self_ru.ru_utime + self_ru.ru_stime,
        "rss_awal_mb": rss_awal,
        "rss_induk_mb": self_ru.ru_maxrss / 1024,
        "rss_anak_mb": kids_ru.ru_maxrss / 1024,
        **extra,
    }))


def _child(way: str, paths: list[Path]) -> dict[str, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as fh:
        fh.write("\n".join(str(p) for p in paths))
        list_file = fh.name
    try:
        out = subprocess.run([sys.executable, __file__, "_ukur", way, list_file],
                             check=True, capture_output=True, text=True)
    finally:
        os.unlink(list_file)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _touch(paths: list[Path], tag: str) -> None:
    """Change the bytes of ``paths`` (a zip comment), not their numbers. Each file is
    replaced by a changed copy (a new inode), so a hard-linked original is never touched."""
    import zipfile

    for p in paths:
        tmp = p.with_name(p.name + ".baru")
        shutil.copyfile(p, tmp)
        with zipfile.ZipFile(tmp, "a") as zf:
            zf.comment = f"diubah {tag}".encode()
        os.replace(tmp, p)


def _private_copy(paths: list[Path], folder: Path) -> list[Path]:
    """The bench files copied into a folder of this run, so the incremental run can change
    some without writing into the (possibly shared) workbook folder."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for p in paths:
        q = folder / p.name
        shutil.copyfile(p, q)
        out.append(q)
    return out


def _fmt(runs: list[dict[str, float]]) -> str:
    med = statistics.median(r["detik"] for r in runs)
    return (f"median {med:7.2f} s, runs {[round(r['detik'], 2) for r in runs]}, CPU "
            f"(user+sys) median {statistics.median(r['cpu'] for r in runs):.1f} s, RSS puncak "
            f"induk {max(r['rss_induk_mb'] for r in runs):.0f} MB, anak terbesar "
            f"{max(r['rss_anak_mb'] for r in runs):.0f} MB")


def _fmt_induk(runs: list[dict[str, float]], n: int) -> str:
    """The parent's share of a run of konsolidasi() alone."""
    med = statistics.median(r["detik"] for r in runs)
    cpu = statistics.median(r["cpu_konsolidasi"] for r in runs)
    awal = statistics.median(r["rss_awal_mb"] for r in runs)
    sesudah = statistics.median(r["rss_sesudah_mb"] for r in runs)
    return (f"median {med:7.2f} s, runs {[round(r['detik'], 2) for r in runs]}; CPU induk "
            f"dalam konsolidasi() {cpu:.2f} s ({cpu / n * 1000:.2f} ms/berkas; seluruh proses "
            f"{statistics.median(r['cpu_induk'] for r in runs):.2f} s dengan mulai Python dan "
            f"impor); RSS induk sebelum {awal:.0f} MB, "
            f"sesudah {sesudah:.0f} MB ({(sesudah - awal) * 1024 / n:.1f} KB/unit), puncak "
            f"{max(r['rss_induk_mb'] for r in runs):.0f} MB")


def main() -> None:
    ap = argparse.ArgumentParser(description="Benchmark konsolidasi vs openpyxl.")
    ap.add_argument("--n", type=int, nargs="+", default=[100, 1000])
    ap.add_argument("--ulang", type=int, default=3, help="runs per measurement (median)")
    ap.add_argument("--cache", type=Path,
                    default=Path(tempfile.gettempdir()) / "workbook-gen-bench")
    ap.add_argument("--dasar", type=int, default=500,
                    help="distinct generated workbooks; the rest are variants of them")
    ap.add_argument("--sampel-openpyxl", type=int, default=200,
                    help="for N above this, openpyxl is timed on this many files and "
                         "extrapolated")
    ap.add_argument("--berubah", type=int, default=10,
                    help="files changed before the incremental run")
    ap.add_argument("--tanpa-tulis", action="store_true",
                    help="also time konsolidasi() alone (no rekap written), full and "
                         "incremental: the parent's CPU per file and the memory it holds")
    args = ap.parse_args()

    shared = ensure_workbooks(args.cache, max(args.n), args.dasar)
    size = statistics.mean(p.stat().st_size for p in shared[:50]) / 1024
    print(f"Workbook: {N_IKU} IKU, {N_BARIS} baris anggaran, rata-rata {size:.0f} KB; "
          f"{os.cpu_count()} inti; Python {sys.version.split()[0]}")
    rows = []
    for n in args.n:
        kons: list[dict[str, float]] = []
        opx: list[dict[str, float]] = []
        bare: list[dict[str, float]] = []
        inc: list[dict[str, float]] = []
        tt: list[dict[str, float]] = []
        inc_tt: list[dict[str, float]] = []
        loads = []
        with tempfile.TemporaryDirectory() as tmp:
            # the incremental runs change files: they work on copies of their own
            subset = _private_copy(shared[:n], Path(tmp) / "kiriman")
            sample = subset if n <= args.sampel_openpyxl else subset[:args.sampel_openpyxl]
            time.sleep(3.5)  # a stat younger than 3 s is not remembered by the cache
            rekap = str(Path(tmp) / "rekap.xlsx")
            _child(f"inkremental:{rekap}", subset)  # fills the cache (not timed)
            batches = (subset[i:i + args.berubah] for i in range(0, n, args.berubah))
            for _ in range(args.ulang):  # interleaved, so background load hits all alike
                loads.append(os.getloadavg()[0])
                kons.append(_child("konsolidasi", subset))
                if args.tanpa_tulis:
                    tt.append(_child("tanpa-tulis:", subset))
                opx.append(_child("openpyxl", sample))
                bare.append(_child("batas", subset))
                _touch(next(batches, []), f"{time.time()}")
                inc.append(_child(f"inkremental:{rekap}", subset))
                if args.tanpa_tulis:
                    _touch(next(batches, []), f"{time.time()}")
                    inc_tt.append(_child(f"tanpa-tulis:{rekap}.cache", subset))
        k_med = statistics.median(r["detik"] for r in kons)
        o_med = statistics.median(r["detik"] for r in opx) * n / len(sample)
        b_med = statistics.median(r["detik"] for r in bare)
        i_med = statistics.median(r["detik"] for r in inc)
        note = "" if len(sample) == n else f" (diekstrapolasi dari {len(sample)} berkas)"
        rows.append((n, k_med, o_med, b_med, i_med))
        print(f"\nN = {n} (load average 1 menit saat mulai tiap ulangan: "
              f"{[round(x, 1) for x in loads]})")
        print(f"  konsolidasi : {_fmt(kons)} ({k_med / n * 1000:.1f} ms/berkas; seluruh "
              "perintah, menulis rekap)")
        print(f"  inkremental : {_fmt(inc)} ({args.berubah} berkas berubah, sisanya dari "
              "cache; seluruh perintah: cari, stat/sidik, cache, baca yang berubah, rekap, "
              "tulis)")
        if args.tanpa_tulis:
            print(f"  konsolidasi() saja, TANPA menulis rekap: {_fmt_induk(tt, n)}")
            print(f"  inkremental, konsolidasi() saja, TANPA menulis rekap "
                  f"({args.berubah} berkas berubah): {_fmt_induk(inc_tt, n)}")
        print(f"  batas       : {_fmt(bare)} (bongkar + SAX bagian yang dibaca, semua inti)")
        print(f"  openpyxl    : median {o_med:7.2f} s ({o_med / n * 1000:.1f} ms/berkas){note}, "
              f"CPU median {statistics.median(r['cpu'] for r in opx):.1f} s")
        k_cpu = statistics.median(r["cpu"] for r in kons)
        b_cpu = statistics.median(r["cpu"] for r in bare)
        print(f"  rasio       : openpyxl/konsolidasi {o_med / k_med:.1f}x; konsolidasi/batas "
              f"{k_med / b_med:.1f}x; CPU konsolidasi/batas {k_cpu / b_cpu:.1f}x")
        print(f"  CPU/berkas  : konsolidasi {k_cpu / n * 1000:.1f} ms, batas "
              f"{b_cpu / n * 1000:.1f} ms (user+sys, semua proses); load average 1/5/15 menit "
              f"di akhir: {' / '.join(f'{x:.1f}' for x in os.getloadavg())}", flush=True)
    print("\nRingkasan (median detik): " + "; ".join(
        f"N={n}: konsolidasi {k:.2f}, inkremental {i:.2f}, batas {b:.2f}, openpyxl {o:.2f}"
        for n, k, o, b, i in rows))


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "_ukur":
        measure(sys.argv[2], sys.argv[3])
    else:
        main()
