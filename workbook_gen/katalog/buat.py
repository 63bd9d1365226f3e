"""One workbook per unit of a katalog, written into a folder.

Every unit is checked and generated in worker processes (``--proses N``); the files go
to a hidden staging folder inside the output folder and are moved into place only when
the whole katalog has no error, so a katalog with problems writes nothing and every
problem is reported at once (at its katalog cell).
"""

from __future__ import annotations

import multiprocessing
import os
import re
import shutil
import sys
import tempfile
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..findings import ERROR, Finding, OutputError, Report, SpecError
from ..gcpause import worker_gc
from ..generate import build_workbook
from ..outfile import write_atomic
from .baca import KatalogError
from .susun import Katalog, UnitData, load_katalog, merge, periksa_unit

MAX_NAMA = 60
#: staged workbooks are flushed to disk by one os.sync() before they are moved into place
#: (where the system has it), not by one fsync each
_SYNC_ONCE = hasattr(os, "sync")
WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
                    *(f"lpt{i}" for i in range(10))}


def nama_berkas(kode_satker: str, nama: str, ext: str = ".xlsm") -> str:
    """'426482', 'BP3MI Banten' -> '426482_BP3MI_Banten.xlsm': letters, digits and '-'
    only (safe on Windows, macOS and in e-mail), at most 60 characters before the
    extension."""
    def clean(text: str) -> str:
        t = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
        return re.sub(r"[^A-Za-z0-9-]+", "_", t).strip("_-")

    kode = clean(kode_satker) or "unit"
    stem = f"{kode}_{clean(nama)}".strip("_")[:MAX_NAMA].rstrip("_-")
    if stem.casefold() in WINDOWS_RESERVED:
        stem += "_unit"
    return stem + ext


@dataclass
class HasilBuat:
    berkas: list[Path] = field(default_factory=list)
    report: Report = field(default_factory=Report)  # warnings (errors raise KatalogError)


def _one(job: tuple[UnitData, str, bool]) -> tuple[str, str | None, list[Finding]]:
    unit, out, macro = job
    try:
        spec = unit.spec()
    except SpecError as exc:
        return unit.kode_satker, None, list(exc.report)
    try:
        write_atomic(build_workbook(spec, macro=macro), Path(out), sync=not _SYNC_ONCE)
    except SpecError as exc:  # e.g. a formula past Excel's 8,192 characters
        return unit.kode_satker, None, list(exc.report)
    except OutputError as exc:
        return unit.kode_satker, None, [Finding(ERROR, "tidak_bisa_ditulis", unit.tempat,
                                                str(exc), "")]
    except Exception as exc:  # noqa: BLE001 - one unit must not hide the others' results
        return unit.kode_satker, None, [Finding(
            ERROR, "gagal_dibuat", unit.tempat,
            f"Workbook unit {unit.kode_satker} gagal dibuat ({type(exc).__name__}: "
            f"{str(exc)[:160]}).", "Laporkan ke pengelola workbook-gen beserta katalognya.")]
    return unit.kode_satker, out, list(spec.temuan_masukan)


def _worker_start() -> None:
    """A worker process: the katalog it inherited stays out of the garbage collector's
    scans, which run less often (each workbook makes some hundred thousand small objects
    and little cyclic garbage; about 5 % of a workbook's time otherwise)."""
    worker_gc()


def _run(jobs: list[tuple[UnitData, str, bool]], proses: int, progress: bool
         ) -> Iterable[tuple[str, str | None, list[Finding]]]:
    bar: Any = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(jobs), unit="unit", desc="Membuat workbook", file=sys.stderr,
                   disable=not sys.stderr.isatty(), leave=False)
    try:
        if proses <= 1 or len(jobs) < 4:
            for job in jobs:
                yield _one(job)
                if bar is not None:
                    bar.update()
            return
        # small chunks: a workbook takes ~40 ms, so the last chunk a worker finishes
        # alone is short, and sending four units costs nothing by comparison
        chunk = max(1, min(4, len(jobs) // (proses * 8)))
        with multiprocessing.get_context("fork" if os.name == "posix" else "spawn"
                                         ).Pool(proses, initializer=_worker_start) as pool:
            for result in pool.imap_unordered(_one, jobs, chunksize=chunk):
                yield result
                if bar is not None:
                    bar.update()
    finally:
        if bar is not None:
            bar.close()


def buat_dari_katalog(path: str | Path, folder: str | Path, *, proses: int | None = None,
                      macro: bool = True, timpa: bool = False, progress: bool = True,
                      siapkan: Callable[[Katalog], Report] | None = None) -> HasilBuat:
    """Write one workbook per unit of the katalog at ``path`` into ``folder``.

    ``siapkan`` may change the units' spec mappings before they are checked (the
    roll-over puts last year's figures into each IKU's riwayat) and returns its own
    findings. Raises KatalogError (nothing written) when the katalog or any unit has an
    error, OutputError when the folder cannot be used.
    """
    out_dir = Path(folder)
    if out_dir.suffix.lower() in (".xlsm", ".xlsx") and not out_dir.is_dir():
        raise OutputError(f"{out_dir}: dari katalog dibuat satu workbook per unit, jadi -o "
                          f"adalah folder, misalnya -o {out_dir.with_suffix('')}.")
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"{out_dir} adalah berkas, bukan folder. Tulis nama folder untuk "
                          "workbook unit, misalnya -o workbook-2026.")
    kat = load_katalog(path)
    report = Report()
    if siapkan is not None:
        report.extend(siapkan(kat))
    if kat.report.errors or report.errors:  # check every unit, write nothing
        _, found = periksa_unit(kat)
        raise KatalogError(Report(found.findings + report.findings), kat.sumber)
    report.extend(kat.report)
    created = not out_dir.exists()
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"Folder {out_dir} tidak bisa dibuat ({exc.strerror or exc}). Pilih "
                          "folder lain.") from None
    ext = ".xlsm" if macro else ".xlsx"
    names = {u.kode_satker: nama_berkas(u.kode_satker, u.nama, ext) for u in kat.unit}
    taken: dict[str, str] = {}
    for kode, name in names.items():
        if name.casefold() in taken:  # two codes that clean to the same name
            name = nama_berkas(f"{kode}-{len(taken)}", "", ext)
            names[kode] = name
        taken[name.casefold()] = kode
    source = Path(path).resolve()
    if any((out_dir / n).resolve() == source for n in names.values()):
        raise OutputError(f"Salah satu workbook unit akan menimpa katalog {path}. Pilih folder "
                          "keluaran lain.")
    if not timpa:
        exist = [n for n in names.values() if (out_dir / n).exists()]
        if exist:
            more = f" dan {len(exist) - 3} lainnya" if len(exist) > 3 else ""
            raise OutputError(f"Di {out_dir} sudah ada {', '.join(exist[:3])}{more}. Pakai "
                              "--timpa untuk menggantinya, atau pilih folder lain.")
    staging = Path(tempfile.mkdtemp(dir=out_dir, prefix=".katalog-"))
    try:
        jobs = [(u, str(staging / names[u.kode_satker]), macro) for u in kat.unit]
        seen = {(f.tingkat, f.jenis, f.lokasi, f.pesan) for f in report}
        written: dict[str, str] = {}
        for kode, out, found in _run(jobs, proses or os.cpu_count() or 1, progress):
            if out is not None:
                written[kode] = out
            merge(report, found, seen)
        if report.errors:
            shutil.rmtree(staging, ignore_errors=True)
            if created:  # leave no empty folder behind for a katalog that wrote nothing
                try:
                    out_dir.rmdir()
                except OSError:
                    pass
            raise KatalogError(report, kat.sumber)
        result = HasilBuat(report=report)
        if _SYNC_ONCE:
            os.sync()  # every staged workbook on disk before any is in place
        for u in kat.unit:  # katalog order
            target = out_dir / names[u.kode_satker]
            os.replace(written[u.kode_satker], target)
            result.berkas.append(target)
        return result
    finally:
        shutil.rmtree(staging, ignore_errors=True)
