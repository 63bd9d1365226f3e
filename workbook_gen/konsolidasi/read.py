"""Read one file (check -> fast reader -> metadata check -> reader -> engine -> small
summary) and many files in worker processes that die with their parent."""

from __future__ import annotations

import math
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from decimal import InvalidOperation
from itertools import repeat
from typing import Any

from ..engine import Hasil, bulatkan, hitung, kategori_untuk
from ..findings import ERROR, Finding
from ..gcpause import worker_gc
from ..layout import (
    ANGGARAN_COLS,
    INPUT_SHEETS,
    REALISASI_COLS,
    SHEET_ANGGARAN,
    SHEET_META,
    SHEET_REALISASI,
    SHEET_TARGET,
    TARGET_COLS,
)
from ..reader import META_MAX_ROWS, ReadError, read_workbook
from ..spec import Pengaturan, Spec
from .check import (
    KIRIM_ULANG,
    MAX_UNPACKED_BYTES,
    FileProblem,
    check_and_repack,
    read_regular,
)
from .katalog import kode_text as _kode
from .meta import check_meta_rows
from .records import (
    SEQUENTIAL_BELOW,
    HasilBerkas,
    IkuRingkas,
    PosRingkas,
    SasaranRingkas,
    UnitRingkas,
)
from .source import CalamineSource

#: The sheets :func:`baca_berkas` reads (only their parts get the CRC and DTD check
#: besides the package parts; see check.check_bytes).
READ_SHEETS = (SHEET_META, *INPUT_SHEETS)

#: Largest magnitude a typed number may have: what Excel holds exactly (15 digits).
MAX_ANGKA = 1e15


# --------------------------------------------------------------------------- one file


def _meta_ringkas(source: CalamineSource) -> dict[str, str]:
    """The simple metadata keys (no JSON), for the status of a file that cannot be read."""
    if SHEET_META not in source.sheet_names():
        return {}
    out: dict[str, str] = {}
    for key, value in source.read_block(SHEET_META, 1, 1, META_MAX_ROWS, 2):
        if key in ("aplikasi", "versi_template", "kode_satker", "nama_unit", "tahun"):
            out.setdefault(str(key), _kode(value))
    if out.get("aplikasi") != "workbook-gen":
        return {}
    return out


def _int(text: str | None) -> int | None:
    try:
        value = float(text) if text else None
    except ValueError:
        return None
    return int(value) if value is not None and math.isfinite(value) and abs(value) < 1e6 else None


def _pos(kode: str, nama: str, pagu: float, realisasi: float, serapan_mentah: float | None,
         p: Pengaturan) -> PosRingkas:
    return PosRingkas(kode, nama, pagu, realisasi, bulatkan(serapan_mentah, p), pagu - realisasi)


def ringkas(hasil: Hasil) -> UnitRingkas:
    """The small summary of one unit's engine results."""
    s = hasil.spec
    p = s.pengaturan
    a = hasil.anggaran
    return UnitRingkas(
        kode_satker=s.unit.kode_satker, nama=s.unit.nama, provinsi=s.unit.provinsi,
        tahun=s.tahun, periode=s.periode_label, capaian=hasil.capaian_rata_rata,
        capaian_revisi=hasil.capaian_rata_rata_revisi, kategori=hasil.kategori,
        warna=kategori_untuk(hasil.capaian_rata_rata, p)[1],
        total=_pos("TOTAL", "Jumlah", a.total.pagu, a.total.realisasi, a.total.serapan, p),
        sasaran=[SasaranRingkas(x.kode, x.nama, x.capaian, x.capaian_revisi, x.kategori, x.pagu,
                                x.realisasi_anggaran, bulatkan(x.serapan, p))
                 for x in hasil.sasaran],
        iku=[IkuRingkas(h.kode, h.nama, h.satuan, h.capaian, h.capaian_revisi, h.kategori,
                        h.warna, h.target, h.realisasi) for h in hasil.iku if h.diukur],
        jenis_belanja=[_pos(j.kode, j.nama, j.pagu, j.realisasi, j.serapan, p)
                       for j in a.per_jenis_belanja],
        terisi=any(h.dilaporkan for h in hasil.iku) or any(b.realisasi for b in a.baris),
        baris=[_pos(b.kode, b.nama, b.pagu, b.realisasi, b.serapan, p) for b in a.baris],
    )


def _ekstrem(value: Any) -> bool:
    return isinstance(value, float) and (not math.isfinite(value) or abs(value) >= MAX_ANGKA)


#: (sheet, column, what findings call it: a format of the IKU kode / the line key)
_TARGET = (SHEET_TARGET, TARGET_COLS["target"], "Target IKU {}")
_TARGET_REVISI = (SHEET_TARGET, TARGET_COLS["target_revisi"], "Target revisi IKU {}")
_BASELINE = (SHEET_TARGET, TARGET_COLS["baseline"], "Baseline IKU {}")
_TARGET_TW = [(SHEET_TARGET, TARGET_COLS[f"target_tw{n}"], f"Target TW {n} {{}}")
              for n in range(1, 5)]
_REALISASI_TW = [(SHEET_REALISASI, REALISASI_COLS[f"realisasi_tw{n}"],
                  f"Realisasi TW {n} IKU {{}}") for n in range(1, 5)]
_REALISASI_TAHUNAN = (SHEET_REALISASI, REALISASI_COLS["realisasi_tahunan"],
                      "Realisasi tahunan IKU {}")
_PAGU_AWAL = (SHEET_ANGGARAN, ANGGARAN_COLS["pagu_awal"], "Pagu awal {}")
_PAGU_REVISI = (SHEET_ANGGARAN, ANGGARAN_COLS["pagu_revisi"], "Pagu revisi {}")
_ANGGARAN_TW = [(SHEET_ANGGARAN, ANGGARAN_COLS[f"realisasi_tw{n}"],
                 f"Realisasi anggaran TW {n} {{}}") for n in range(1, 5)]


def _angka_sel(spec: Spec) -> Iterator[tuple[Any, tuple[str, str, str], bool, str]]:
    """Every typed number :func:`_angka_ekstrem` looks at: (value, its cell's sheet,
    column and name, whether it is an IKU's (else a budget line's), the IKU kode or line
    key)."""
    for iku in spec.semua_iku():
        kode = iku.kode
        yield iku.target, _TARGET, True, kode
        yield iku.target_revisi, _TARGET_REVISI, True, kode
        yield iku.baseline, _BASELINE, True, kode
        yield from zip(iku.target_tw or [], _TARGET_TW, repeat(True), repeat(kode))
        yield from zip(iku.realisasi_tw, _REALISASI_TW, repeat(True), repeat(kode))
        yield iku.realisasi_tahunan, _REALISASI_TAHUNAN, True, kode
    for line in spec.anggaran:
        key = line.key
        yield line.pagu_awal, _PAGU_AWAL, False, key
        yield line.pagu_revisi, _PAGU_REVISI, False, key
        yield from zip(line.realisasi_tw, _ANGGARAN_TW, repeat(False), repeat(key))


def _angka_ekstrem(spec: Spec, layout: Any) -> list[Finding]:
    """Numbers Excel cannot hold exactly (|x| >= 1e15, inf, nan), each with its cell (the
    finding's texts are made only for such a number: most workbooks have none)."""
    out: list[Finding] = []
    for value, (sheet, col, what), of_iku, kode in _angka_sel(spec):
        if not _ekstrem(value):
            continue
        row = (layout.iku_rows if of_iku else layout.line_rows).get(kode)
        out.append(Finding(ERROR, "angka_ekstrem", f"{sheet}!{col}{row}" if row else sheet,
                           f"{what.format(kode)} terlalu besar untuk dihitung ({value:.3g}); "
                           "angka harus kurang dari 1.000.000.000.000.000 (15 digit).",
                           "Ketik angka yang benar di sel itu, lalu kirim ulang."))
    return out


def baca_berkas(path: str, max_unpacked_bytes: int = MAX_UNPACKED_BYTES) -> HasilBerkas:
    """Check, read and compute one file. Never raises for a bad file: problems are
    recorded in :attr:`HasilBerkas.masalah`."""
    out = HasilBerkas(berkas=path)
    source: CalamineSource | None = None
    try:
        data, out.sidik = read_regular(path)
        data = check_and_repack(data, max_unpacked_bytes, sheets=READ_SHEETS)
        source = CalamineSource(data, sheets=READ_SHEETS)
        del data
        meta_rows = source.read_block(SHEET_META, 1, 1, META_MAX_ROWS, 2) \
            if SHEET_META in source.sheet_names() else None
        if meta_rows is not None:
            check_meta_rows(meta_rows)
        bacaan = read_workbook(source, path)
        out.versi_template = bacaan.meta.versi_template
        out.kode_satker = bacaan.spec.unit.kode_satker
        out.nama_unit = bacaan.spec.unit.nama
        out.tahun = bacaan.spec.tahun
        out.periode = bacaan.spec.periode_label
        ekstrem = _angka_ekstrem(bacaan.spec, bacaan.meta.layout)
        if ekstrem:
            out.masalah.extend(ekstrem)
            return out
        hasil = hitung(bacaan.spec)
        out.unit = ringkas(hasil)
        out.temuan = list(hasil.temuan)
    except FileProblem as exc:
        out.masalah.append(Finding(ERROR, exc.jenis, exc.lokasi, exc.pesan, exc.saran))
        if source is not None and exc.jenis == "metadata_rusak":
            _status_from_meta(out, source)
    except ReadError as exc:
        out.masalah.extend(exc.report.errors or [Finding(ERROR, "tidak_terbaca", "", str(exc))])
        if source is not None:
            _status_from_meta(out, source)
    except (InvalidOperation, OverflowError, ArithmeticError):
        out.masalah.append(Finding(
            ERROR, "angka_ekstrem", "", "Ada angka yang terlalu besar atau terlalu kecil untuk "
            "dihitung di workbook ini.", "Periksa isian target, realisasi dan anggaran, "
            "lalu kirim ulang."))
    except MemoryError:
        out.masalah.append(Finding(ERROR, "terlalu_besar", "", "Workbook ini membutuhkan "
                                   "memori terlalu besar untuk dibaca.", KIRIM_ULANG))
    except Exception as exc:  # noqa: BLE001 - a bad file must never stop the run
        out.masalah.append(Finding(
            ERROR, "tidak_terbaca", "",
            f"Berkas tidak bisa dibaca (kesalahan tak terduga: {type(exc).__name__}).",
            "Buka dan simpan ulang di Excel, atau minta unit mengirim ulang."))
    finally:
        if source is not None:
            source.close()
    return out


def _status_from_meta(out: HasilBerkas, source: CalamineSource) -> None:
    """What the metadata says, for the status row of a file that cannot be used."""
    try:
        meta = _meta_ringkas(source)
    except Exception:  # noqa: BLE001 - best effort only
        meta = {}
    out.kode_satker = out.kode_satker or meta.get("kode_satker") or None
    out.nama_unit = out.nama_unit or meta.get("nama_unit") or None
    out.versi_template = out.versi_template or _int(meta.get("versi_template"))
    out.tahun = out.tahun or _int(meta.get("tahun"))


# --------------------------------------------------------------------------- many files


ProgressFn = Callable[[int, int], None]


def baca_dan_kode(path: str, max_unpacked_bytes: int = MAX_UNPACKED_BYTES
                  ) -> tuple[str | None, bytes]:
    """:func:`baca_berkas`, returned as the file's sha256 (None when its bytes could not be
    read) and the result encoded for the cache: the parent decodes it with the same
    function as a cache hit, and unpickles a few KB instead of a tree of records."""
    from .cache import encode

    r = baca_berkas(path, max_unpacked_bytes)
    try:
        return r.sidik, encode(r)
    except Exception as exc:  # noqa: BLE001 - a value the encoding cannot hold: refused
        return None, encode(HasilBerkas(berkas=path, masalah=[Finding(
            ERROR, "tidak_terbaca", "",
            f"Berkas tidak bisa dibaca (kesalahan tak terduga: {type(exc).__name__}).",
            "Buka dan simpan ulang di Excel, atau minta unit mengirim ulang.")]))


def read_all(paths: Sequence[str], workers: int | None, max_unpacked_bytes: int,
             progress: ProgressFn | None) -> Reading:
    """Read ``paths`` (in worker processes when there are many), giving each result in
    order as :func:`baca_dan_kode` returns it. The workers start at once, so the caller
    can do other work (decode cached results) while they read; iterate the returned
    :class:`Reading` to the end, or close it to stop them."""
    return Reading(paths, workers, max_unpacked_bytes, progress)


class Reading:
    """Files being read: an iterator of results in order; :meth:`close` stops the workers
    (Ctrl+C, an error) and drops the files not yet read."""

    def __init__(self, paths: Sequence[str], workers: int | None, max_unpacked_bytes: int,
                 progress: ProgressFn | None) -> None:
        self.paths = paths
        self.total = len(paths)
        self.max_unpacked_bytes = max_unpacked_bytes
        self.progress = progress
        self.done = 0
        self.pool: ProcessPoolExecutor | None = None
        self.results: Iterator[tuple[str | None, bytes]] | None = None
        workers = workers if workers and workers > 0 else (os.cpu_count() or 1)
        workers = min(workers, self.total) if self.total else 1
        if workers > 1 and self.total >= SEQUENTIAL_BELOW:
            chunksize = max(1, min(16, self.total // (workers * 8)))
            self.pool = ProcessPoolExecutor(max_workers=workers, initializer=_worker_init,
                                            initargs=(os.getpid(),))
            try:  # every file is handed to the workers now
                self.results = self.pool.map(baca_dan_kode, paths,
                                              [max_unpacked_bytes] * self.total,
                                              chunksize=chunksize)
            except BaseException:
                self.close()
                raise

    def __iter__(self) -> Reading:
        return self

    def __next__(self) -> tuple[str | None, bytes]:
        if self.done >= self.total:
            self._finish()
            raise StopIteration
        try:
            if self.results is None:  # few files: read here, one by one
                r = baca_dan_kode(self.paths[self.done], self.max_unpacked_bytes)
            else:
                r = next(self.results)
        except BaseException:
            self.close()
            raise
        self.done += 1
        if self.progress:
            self.progress(self.done, self.total)
        return r

    def _finish(self) -> None:
        if self.pool is not None:
            self.pool.shutdown()
            self.pool = None

    def close(self) -> None:
        """Stop now: drop the queued files and stop the workers (Ctrl+C or an error)."""
        pool, self.pool = self.pool, None
        if pool is not None:
            for proc in list((getattr(pool, "_processes", None) or {}).values()):
                proc.terminate()
            pool.shutdown(wait=False, cancel_futures=True)
        self.done = self.total


def _worker_init(parent: int) -> None:
    """Workers leave Ctrl+C and SIGTERM to the parent, and die with it: the kernel kills them
    when the parent dies (Linux), and a watchdog thread checks the parent every second
    (everywhere), so no worker outlives a killed run."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    worker_gc()
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(1.0)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="watchdog-induk", daemon=True).start()
