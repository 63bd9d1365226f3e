"""Central consolidation: many unit workbooks -> one national recap.

``konsolidasi(inputs)`` finds the workbooks (files, folders searched recursively, globs),
reads each one with the fast reader (:mod:`workbook_gen.fastread`) through its metadata,
recomputes capaian and budget with the engine (cached formula values are never used),
and checks it: one of ours, supported template version, expected tahun and periode, unit
not sent twice, the engine's findings, and (with a catalogue) an expected unit. Files are
read in parallel worker processes that return small summaries, so memory stays flat as
the number of files grows.

The result is pure data (:class:`Rekap`); :func:`build_rekap_content` turns it into
neutral sheets (:mod:`workbook_gen.tables`) rendered by the xlsxwriter summary writer,
:func:`rekap_to_dict` into the ``--json`` document, :func:`write_rekap` writes the recap
workbook atomically.
"""

from __future__ import annotations

import csv
import glob
import io
import os
import signal
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import TEMPLATE_VERSION, outfile
from .engine import Hasil, bulatkan, hitung, kategori_untuk, serapan
from .fastread import MAX_UNPACKED_BYTES, CalamineSource, FileProblem, check_file
from .findings import ERROR, PERINGATAN, Finding, WorkbookGenError
from .layout import PERIODE_PILIHAN, SHEET_META
from .output import json_number
from .reader import META_MAX_ROWS, ReadError, read_workbook
from .spec import Pengaturan, Spec, Unit
from .tables import (
    BULAT,
    PERSEN,
    RUPIAH,
    TEKS,
    TOTAL,
    Chart,
    Column,
    Series,
    SheetContent,
    Table,
)

EXTENSIONS = (".xlsx", ".xlsm")
OK = "OK"
STATUS_PERINGATAN = "peringatan"
DITOLAK = "ditolak"

SHEET_STATUS = "Status Pengumpulan"
SHEET_UNIT = "Rekap Unit"
SHEET_IKU = "Rekap IKU"
SHEET_ANGGARAN = "Rekap Anggaran"
SHEET_TEMUAN = "Temuan"
SHEET_GRAFIK = "Grafik"
REKAP_SHEETS = (SHEET_STATUS, SHEET_UNIT, SHEET_IKU, SHEET_ANGGARAN, SHEET_TEMUAN, SHEET_GRAFIK)

WARNA_STATUS = {OK: "#C6EFCE", STATUS_PERINGATAN: "#FFE699", DITOLAK: "#F4B6B6"}
WARNA_TINGKAT = {"Error": "#F4B6B6", "Peringatan": "#FFE699"}
NAMA_JENIS = {"51": "Belanja Pegawai", "52": "Belanja Barang", "53": "Belanja Modal",
              "-": "Jenis belanja belum diisi"}
LABEL_JENIS = {"51": "51 Pegawai", "52": "52 Barang", "53": "53 Modal", "-": "Tanpa Jenis"}
SEQUENTIAL_BELOW = 8  # fewer files than this: read in this process (no pool start-up)

_BAKU = Pengaturan()  # national figures: default rounding (2 decimals, half-up) and bands


class KonsolidasiError(WorkbookGenError):
    """Nothing to consolidate, or a catalogue that cannot be used (message names the file)."""


# --------------------------------------------------------------------------- records


@dataclass
class PosRingkas:
    """A budget group of one unit (total, a jenis belanja or a sasaran)."""

    kode: str
    nama: str
    pagu: float
    realisasi: float
    serapan: float | None  # rounded
    sisa: float


@dataclass
class SasaranRingkas:
    kode: str
    nama: str
    capaian: float | None
    capaian_revisi: float | None
    kategori: str | None
    pagu: float
    realisasi: float
    serapan: float | None


@dataclass
class IkuRingkas:
    kode: str
    nama: str
    satuan: str
    capaian: float | None  # rounded, against the PK target
    capaian_revisi: float | None
    kategori: str | None
    warna: str | None


@dataclass
class UnitRingkas:
    """What the recap needs of one unit: small and picklable (no Spec)."""

    kode_satker: str
    nama: str
    provinsi: str | None
    tahun: int
    periode: str  # "TW I".."TW IV" / "Tahunan"
    capaian: float | None
    capaian_revisi: float | None
    kategori: str | None
    warna: str | None
    total: PosRingkas
    sasaran: list[SasaranRingkas]
    iku: list[IkuRingkas]
    jenis_belanja: list[PosRingkas]
    peringkat: int | None = None


@dataclass
class HasilBerkas:
    """The outcome of reading one file (returned by a worker process)."""

    berkas: str
    kode_satker: str | None = None
    nama_unit: str | None = None
    versi_template: int | None = None
    tahun: int | None = None
    periode: str | None = None
    masalah: list[Finding] = field(default_factory=list)  # why the file cannot be used
    temuan: list[Finding] = field(default_factory=list)  # the engine's findings
    unit: UnitRingkas | None = None

    @property
    def terbaca(self) -> bool:
        return self.unit is not None


@dataclass
class StatusBerkas:
    """One row of Status Pengumpulan."""

    berkas: str
    kode_satker: str | None
    nama_unit: str | None
    versi_template: int | None
    tahun: int | None
    periode: str | None
    status: str  # OK / peringatan / ditolak
    alasan: list[str]
    temuan: list[Finding]  # rejection reasons first, then the engine's findings
    unit: UnitRingkas | None = None

    @property
    def diterima(self) -> bool:
        return self.status != DITOLAK

    @property
    def jumlah_error(self) -> int:
        return sum(f.tingkat == ERROR for f in self.temuan)

    @property
    def jumlah_peringatan(self) -> int:
        return sum(f.tingkat == PERINGATAN for f in self.temuan)


@dataclass
class IkuRekap:
    """One IKU across units (matched by kode): capaian per unit and national figures."""

    kode: str
    nama: str
    satuan: str
    capaian: dict[str, float | None]  # kode satker -> capaian (PK), units that have the IKU
    kategori: dict[str, str | None]
    rata_rata: float | None
    minimum: float | None
    maksimum: float | None
    kategori_rata_rata: str | None

    @property
    def jumlah_unit(self) -> int:
        return sum(v is not None for v in self.capaian.values())


@dataclass(frozen=True)
class UnitKatalog:
    kode_satker: str
    nama: str


@dataclass
class Rekap:
    berkas: list[StatusBerkas]
    unit: list[UnitRingkas]  # accepted units, by rank
    iku: list[IkuRekap]
    jenis_belanja: list[PosRingkas]  # national, per jenis belanja
    total: PosRingkas  # national budget
    capaian_rata_rata: float | None  # mean of the units' capaian (PK)
    capaian_rata_rata_revisi: float | None
    belum_mengirim: list[UnitKatalog]
    tahun: int | None = None
    periode: str | None = None
    pakai_katalog: bool = False
    detik: float = 0.0
    catatan: list[str] = field(default_factory=list)  # input patterns that matched nothing

    @property
    def jumlah_berkas(self) -> int:
        return len(self.berkas)

    @property
    def diterima(self) -> list[StatusBerkas]:
        return [b for b in self.berkas if b.diterima]

    @property
    def ditolak(self) -> list[StatusBerkas]:
        return [b for b in self.berkas if not b.diterima]

    def unit_urut_kode(self) -> list[UnitRingkas]:
        return sorted(self.unit, key=lambda u: u.kode_satker)


# --------------------------------------------------------------------------- inputs


def cari_berkas(inputs: Iterable[str | os.PathLike[str]],
                exclude: Iterable[str | os.PathLike[str]] = ()) -> tuple[list[Path], list[str]]:
    """Expand INPUT arguments: files as given, folders searched recursively for .xlsx/.xlsm
    (Excel lock files ``~$...`` skipped), globs. Returns the files (each once, in a stable
    order) and notes on arguments that matched nothing."""
    skip = {_resolved(Path(p)) for p in exclude}
    found: list[Path] = []
    seen: set[Path] = set()
    notes: list[str] = []

    def add(p: Path) -> None:
        key = _resolved(p)
        if key in seen or key in skip:
            return
        seen.add(key)
        found.append(p)

    for raw in inputs:
        text = os.fspath(raw)
        p = Path(text)
        if p.is_dir():
            hits = sorted(q for q in p.rglob("*") if _is_workbook_name(q) and q.is_file())
            if not hits:
                notes.append(f"Folder {text} tidak berisi berkas .xlsx/.xlsm.")
            for q in hits:
                add(q)
        elif p.exists() or not glob.has_magic(text):
            add(p)  # a missing named file is reported as rejected
        else:
            hits = sorted(Path(h) for h in glob.glob(text, recursive=True))
            files: list[Path] = []
            for h in hits:
                if h.is_dir():
                    files += sorted(q for q in h.rglob("*") if _is_workbook_name(q)
                                    and q.is_file())
                elif h.is_file():
                    files.append(h)
            if not files:
                notes.append(f"Pola {text} tidak cocok dengan berkas apa pun.")
            for q in files:
                add(q)
    return found, notes


def _is_workbook_name(p: Path) -> bool:
    return p.suffix.lower() in EXTENSIONS and not p.name.startswith(("~$", ".~lock"))


def _resolved(p: Path) -> Path:
    try:
        return p.resolve()
    except OSError:
        return p.absolute()


def load_katalog(path: str | os.PathLike[str]) -> list[UnitKatalog]:
    """The expected units: YAML (a list of {kode_satker, nama}, or {unit: [...]}) or CSV
    with a header row holding kode_satker and nama (comma, semicolon or tab separated)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise KonsolidasiError(f"Katalog {p} tidak ditemukan. Periksa nama dan folder "
                               "berkasnya.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise KonsolidasiError(f"Katalog {p} tidak bisa dibaca ({exc}). Simpan sebagai teks "
                               "UTF-8 (YAML atau CSV).") from None
    if p.suffix.lower() == ".csv":
        entries = _katalog_csv(text, p)
    else:
        entries = _katalog_yaml(text, p)
    seen: dict[str, str] = {}
    for where, e in entries:
        if e.kode_satker in seen:
            raise KonsolidasiError(f"Katalog {p}, {where}: kode satker {e.kode_satker} sudah "
                                   f"ditulis di {seen[e.kode_satker]}. Tulis setiap unit sekali.")
        seen[e.kode_satker] = where
    if not entries:
        raise KonsolidasiError(f"Katalog {p} tidak berisi unit. Lihat format di "
                               "docs/konsolidasi.md.")
    return [e for _, e in entries]


def _kode(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


def _katalog_csv(text: str, p: Path) -> list[tuple[str, UnitKatalog]]:
    first = text.splitlines()[0] if text.strip() else ""
    delim = max((";", ",", "\t"), key=first.count) if first else ","
    reader = csv.reader(io.StringIO(text), delimiter=delim)
    rows = list(reader)
    if not rows:
        return []
    header = [h.strip().casefold() for h in rows[0]]
    if "kode_satker" not in header:
        raise KonsolidasiError(f"Katalog {p}, baris 1: kolom 'kode_satker' tidak ada. Baris "
                               "pertama harus berisi judul kolom: kode_satker,nama.")
    ik = header.index("kode_satker")
    inama = header.index("nama") if "nama" in header else None
    out = []
    for n, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        kode = row[ik].strip() if ik < len(row) else ""
        if not kode:
            raise KonsolidasiError(f"Katalog {p}, baris {n}: kode_satker kosong. Isi kode "
                                   "satker unit itu atau hapus barisnya.")
        nama = row[inama].strip() if inama is not None and inama < len(row) else ""
        out.append((f"baris {n}", UnitKatalog(kode, nama)))
    return out


def _katalog_yaml(text: str, p: Path) -> list[tuple[str, UnitKatalog]]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", baris {mark.line + 1}" if mark else ""
        raise KonsolidasiError(f"Katalog {p}{where}: penulisan YAML salah. Lihat format di "
                               "docs/konsolidasi.md.") from None
    if isinstance(data, dict) and "unit" in data:
        data = data["unit"]
    if not isinstance(data, list):
        raise KonsolidasiError(f"Katalog {p}: isinya harus daftar unit, misalnya\n"
                               "  unit:\n    - {kode_satker: \"426482\", nama: BP3MI Banten}")
    out = []
    for i, item in enumerate(data, start=1):
        kode = _kode(item.get("kode_satker")) if isinstance(item, dict) else ""
        if not kode:
            raise KonsolidasiError(f"Katalog {p}, unit ke-{i}: kode_satker tidak ada. Tulis "
                                   "setiap unit sebagai {kode_satker: \"...\", nama: ...}.")
        out.append((f"unit ke-{i}", UnitKatalog(kode, str(item.get("nama") or ""))))
    return out


def normalise_periode(text: str) -> str | None:
    """'TW I' / 'tw1' / 'TW  IV' / 'tahunan' -> 'TW I' .. 'TW IV' / 'Tahunan'; None if unknown."""
    key = "".join(text.split()).upper()
    roman = {"1": "I", "2": "II", "3": "III", "4": "IV"}
    if key.startswith("TW") and key[2:] in roman:
        key = "TW" + roman[key[2:]]
    for p in PERIODE_PILIHAN:
        if "".join(p.split()).upper() == key:
            return p
    return None


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
        return int(float(text)) if text else None
    except ValueError:
        return None


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
                        h.warna) for h in hasil.iku if h.diukur],
        jenis_belanja=[_pos(j.kode, j.nama, j.pagu, j.realisasi, j.serapan, p)
                       for j in a.per_jenis_belanja],
    )


def baca_berkas(path: str, max_unpacked_bytes: int = MAX_UNPACKED_BYTES) -> HasilBerkas:
    """Check, read and compute one file. Never raises for a bad file: problems are
    recorded in :attr:`HasilBerkas.masalah`."""
    out = HasilBerkas(berkas=path)
    source: CalamineSource | None = None
    try:
        data = check_file(path, max_unpacked_bytes)
        source = CalamineSource(data)
        del data
        bacaan = read_workbook(source, path)
        hasil = hitung(bacaan.spec)
        out.unit = ringkas(hasil)
        out.versi_template = bacaan.meta.versi_template
        out.kode_satker = out.unit.kode_satker
        out.nama_unit = out.unit.nama
        out.tahun = out.unit.tahun
        out.periode = out.unit.periode
        out.temuan = list(hasil.temuan)
    except FileProblem as exc:
        out.masalah.append(Finding(ERROR, exc.jenis, "", exc.pesan, exc.saran))
    except ReadError as exc:
        out.masalah.extend(exc.report.errors or [Finding(ERROR, "tidak_terbaca", "", str(exc))])
        if source is not None:  # what the metadata says, for the status row
            try:
                meta = _meta_ringkas(source)
            except FileProblem:
                meta = {}
            out.kode_satker = meta.get("kode_satker") or None
            out.nama_unit = meta.get("nama_unit") or None
            out.versi_template = _int(meta.get("versi_template"))
            out.tahun = _int(meta.get("tahun"))
    except Exception as exc:  # noqa: BLE001 - a bad file must never stop the run
        out.masalah.append(Finding(
            ERROR, "tidak_terbaca", "",
            f"Berkas tidak bisa dibaca ({type(exc).__name__}: {str(exc)[:160]}).",
            "Buka dan simpan ulang di Excel, atau minta unit mengirim ulang."))
    finally:
        if source is not None:
            source.close()
    return out


# --------------------------------------------------------------------------- many files


ProgressFn = Callable[[int, int], None]


def _read_all(paths: Sequence[str], workers: int | None, max_unpacked_bytes: int,
              progress: ProgressFn | None) -> Iterator[HasilBerkas]:
    total = len(paths)
    workers = workers if workers and workers > 0 else (os.cpu_count() or 1)
    workers = min(workers, total) if total else 1
    if workers <= 1 or total < SEQUENTIAL_BELOW:
        for i, p in enumerate(paths, 1):
            r = baca_berkas(p, max_unpacked_bytes)
            if progress:
                progress(i, total)
            yield r
        return
    chunksize = max(1, min(16, total // (workers * 8)))
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_worker_init)
    try:
        results = pool.map(baca_berkas, paths, [max_unpacked_bytes] * total,
                           chunksize=chunksize)
        for i, r in enumerate(results, 1):
            if progress:
                progress(i, total)
            yield r
    except BaseException:
        # Ctrl+C or an error: drop the queued files instead of reading them all first
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


def _worker_init() -> None:
    """Workers leave Ctrl+C to the parent (no traceback from every worker)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def konsolidasi(inputs: Iterable[str | os.PathLike[str]], *, tahun: int | None = None,
                periode: str | None = None,
                katalog: str | os.PathLike[str] | Sequence[UnitKatalog] | None = None,
                workers: int | None = None, progress: ProgressFn | None = None,
                exclude: Iterable[str | os.PathLike[str]] = (),
                max_unpacked_bytes: int = MAX_UNPACKED_BYTES) -> Rekap:
    """Read, check and recompute every workbook found in ``inputs``; see the module doc.

    ``periode`` is 'TW I'..'TW IV' or 'Tahunan' (other spellings normalised). Raises
    :class:`KonsolidasiError` when no file is found or the catalogue cannot be used.
    """
    start = time.perf_counter()
    units_katalog: list[UnitKatalog] | None = None
    if katalog is not None:
        units_katalog = (load_katalog(katalog) if isinstance(katalog, (str, os.PathLike))
                         else list(katalog))
    if periode is not None:
        canon = normalise_periode(periode)
        if canon is None:
            raise KonsolidasiError(f"Periode '{periode}' tidak dikenal. Pilih salah satu: "
                                   f"{', '.join(PERIODE_PILIHAN)}.")
        periode = canon
    paths, notes = cari_berkas(inputs, exclude)
    if not paths:
        extra = (" " + " ".join(notes)) if notes else ""
        raise KonsolidasiError("Tidak ada berkas .xlsx/.xlsm yang ditemukan untuk direkap."
                               f"{extra} Sebutkan berkas, folder atau pola seperti "
                               "'kiriman/*.xlsm'.")
    results = list(_read_all([str(p) for p in paths], workers, max_unpacked_bytes, progress))
    rekap = _assemble(results, tahun, periode, units_katalog)
    rekap.catatan = notes
    rekap.detik = time.perf_counter() - start
    return rekap


def _tolak(r: HasilBerkas, jenis: str, pesan: str, saran: str = "") -> None:
    r.masalah.append(Finding(ERROR, jenis, "", pesan, saran))


def _assemble(results: list[HasilBerkas], tahun: int | None, periode: str | None,
              katalog: list[UnitKatalog] | None) -> Rekap:
    # checks that reject a readable file
    for r in results:
        if not r.terbaca:
            continue
        if tahun is not None and r.tahun != tahun:
            _tolak(r, "tahun", f"Workbook tahun {r.tahun}, bukan tahun {tahun} yang direkap.",
                   f"Minta unit mengirim workbook tahun {tahun}.")
        if periode is not None and r.periode != periode:
            _tolak(r, "periode", f"Periode workbook {r.periode} (Identitas!B10), bukan "
                   f"{periode} yang direkap.",
                   f"Minta unit mengisi dan mengirim workbook {periode}.")
    by_kode: dict[str, list[HasilBerkas]] = {}
    for r in results:
        if r.terbaca and not r.masalah and r.kode_satker:
            by_kode.setdefault(r.kode_satker, []).append(r)
    for kode, group in by_kode.items():
        if len(group) < 2:
            continue
        for r in group:
            others = ", ".join(o.berkas for o in group if o is not r)
            _tolak(r, "unit_ganda",
                   f"Unit dengan kode satker {kode} juga dikirim dalam berkas {others}; "
                   "tidak ada yang direkap sampai tinggal satu berkas.",
                   "Pastikan setiap unit mengirim satu berkas: hapus berkas yang lama atau "
                   "salah, lalu jalankan rekap lagi.")

    accepted = [r for r in results if r.terbaca and not r.masalah]
    notes: dict[int, list[Finding]] = {}
    if katalog is not None:
        known = {k.kode_satker for k in katalog}
        for r in accepted:
            if r.kode_satker not in known:
                notes.setdefault(id(r), []).append(Finding(
                    PERINGATAN, "di_luar_katalog", "",
                    f"Unit {r.kode_satker} ({r.nama_unit}) tidak ada di katalog.",
                    "Periksa kode satker di lembar Identitas, atau tambahkan unit ke katalog."))
    if tahun is None:
        _mixed(accepted, "tahun", "tahun", notes, "--tahun")
    if periode is None:
        _mixed(accepted, "periode", "periode", notes, "--periode")

    statuses: list[StatusBerkas] = []
    for r in results:
        extra = notes.get(id(r), [])
        if r.masalah:
            status, alasan = DITOLAK, [f.pesan for f in r.masalah]
        elif extra or r.temuan:
            status = STATUS_PERINGATAN
            alasan = [f.pesan for f in extra]
            if r.temuan:
                e = sum(f.tingkat == ERROR for f in r.temuan)
                alasan.append(f"{len(r.temuan)} temuan pada isian ({e} error, "
                              f"{len(r.temuan) - e} peringatan); lihat lembar Temuan.")
        else:
            status, alasan = OK, []
        statuses.append(StatusBerkas(
            berkas=r.berkas, kode_satker=r.kode_satker, nama_unit=r.nama_unit,
            versi_template=r.versi_template, tahun=r.tahun, periode=r.periode, status=status,
            alasan=alasan, temuan=list(r.masalah) + extra + list(r.temuan),
            unit=r.unit if status != DITOLAK else None))

    units = [s.unit for s in statuses if s.unit is not None]
    _rank(units)
    units.sort(key=lambda u: (u.peringkat is None, u.peringkat or 0, u.kode_satker))
    belum: list[UnitKatalog] = []
    if katalog is not None:
        sent = {u.kode_satker for u in units}
        belum = [k for k in katalog if k.kode_satker not in sent]
    pagu = sum(u.total.pagu for u in units)
    real = sum(u.total.realisasi for u in units)
    return Rekap(
        berkas=statuses, unit=units, iku=_iku_rekap(units), jenis_belanja=_jenis(units),
        total=PosRingkas("TOTAL", "Jumlah nasional", pagu, real, _serapan(real, pagu),
                         pagu - real),
        capaian_rata_rata=_mean([u.capaian for u in units]),
        capaian_rata_rata_revisi=_mean([u.capaian_revisi for u in units]),
        belum_mengirim=belum, tahun=tahun, periode=periode,
        pakai_katalog=katalog is not None)


def _mixed(accepted: list[HasilBerkas], attr: str, what: str, notes: dict[int, list[Finding]],
           option: str) -> None:
    counts = Counter(getattr(r, attr) for r in accepted)
    if len(counts) < 2:
        return
    common = counts.most_common(1)[0][0]
    for r in accepted:
        value = getattr(r, attr)
        if value != common:
            notes.setdefault(id(r), []).append(Finding(
                PERINGATAN, f"{what}_berbeda", "",
                f"{what.capitalize()} workbook {value} berbeda dari {what} sebagian besar "
                f"berkas ({common}).",
                f'Periksa berkasnya; pakai {option} "{common}" untuk hanya merekap {what} itu.'))


def _serapan(realisasi: float, pagu: float) -> float | None:
    return bulatkan(serapan(realisasi, pagu), _BAKU)


def _mean(values: Iterable[float | None]) -> float | None:
    vals = [v for v in values if v is not None]
    return bulatkan(sum(vals) / len(vals), _BAKU) if vals else None


def _rank(units: list[UnitRingkas]) -> None:
    """Competition ranking by overall capaian (PK): equal capaian, equal rank (1, 2, 2, 4)."""
    ordered = sorted((u for u in units if u.capaian is not None), key=lambda u: -u.capaian)
    prev: float | None = None
    rank = 0
    for i, u in enumerate(ordered, 1):
        if u.capaian != prev:
            rank, prev = i, u.capaian
        u.peringkat = rank


def _iku_rekap(units: list[UnitRingkas]) -> list[IkuRekap]:
    order: dict[str, list[IkuRingkas]] = {}
    per_unit: dict[str, dict[str, IkuRingkas]] = {}
    for u in sorted(units, key=lambda u: u.kode_satker):
        per_unit[u.kode_satker] = {}
        for h in u.iku:
            order.setdefault(h.kode, []).append(h)
            per_unit[u.kode_satker][h.kode] = h
    out = []
    for kode, group in order.items():
        nama = Counter(h.nama for h in group).most_common(1)[0][0]
        satuan = Counter(h.satuan for h in group).most_common(1)[0][0]
        cap = {k: d[kode].capaian for k, d in per_unit.items() if kode in d}
        kat = {k: d[kode].kategori for k, d in per_unit.items() if kode in d}
        values = [v for v in cap.values() if v is not None]
        mean = _mean(values)
        out.append(IkuRekap(kode, nama, satuan, cap, kat, mean,
                            min(values) if values else None, max(values) if values else None,
                            kategori_untuk(mean, _BAKU)[0]))
    return out


def _jenis(units: list[UnitRingkas]) -> list[PosRingkas]:
    sums: dict[str, list[float]] = {}
    for u in units:
        for j in u.jenis_belanja:
            acc = sums.setdefault(j.kode, [0.0, 0.0])
            acc[0] += j.pagu
            acc[1] += j.realisasi
    return [PosRingkas(k, NAMA_JENIS.get(k, k), pg, rl, _serapan(rl, pg), pg - rl)
            for k, (pg, rl) in sorted(sums.items())]


# --------------------------------------------------------------------------- content


def _kat_colours(pengaturan: Pengaturan = _BAKU) -> dict[str, str]:
    return {b.nama: b.warna for b in pengaturan.kategori}


def _judul(rekap: Rekap, what: str) -> str:
    bits = [what]
    if rekap.periode:
        bits.append(rekap.periode)
    if rekap.tahun:
        bits.append(str(rekap.tahun))
    return " ".join(bits)


def _status_sheet(rekap: Rekap) -> SheetContent:
    cols = [Column("No", TEKS, 5), Column("Berkas", TEKS, 40), Column("Kode Satker", TEKS, 11),
            Column("Unit", TEKS, 28), Column("Versi Template", TEKS, 9),
            Column("Tahun", TEKS, 7), Column("Periode", TEKS, 9), Column("Status", TEKS, 11),
            Column("Keterangan", TEKS, 60), Column("Jumlah Temuan", BULAT, 9)]
    rows = []
    for i, b in enumerate(rekap.berkas, 1):
        rows.append([str(i), b.berkas, b.kode_satker, b.nama_unit,
                     None if b.versi_template is None else str(b.versi_template),
                     None if b.tahun is None else str(b.tahun), b.periode, b.status,
                     " ".join(b.alasan) or None, len(b.temuan)])
    n_ok = sum(b.status == OK for b in rekap.berkas)
    n_w = sum(b.status == STATUS_PERINGATAN for b in rekap.berkas)
    table = Table("Status Pengumpulan Berkas", cols, rows, text_colours={7: WARNA_STATUS},
                  subtitle=f"{rekap.jumlah_berkas} berkas: {n_ok} OK, {n_w} peringatan, "
                           f"{len(rekap.ditolak)} ditolak. Berkas yang ditolak tidak ikut "
                           "direkap.")
    blocks: list[Table | Chart] = [table]
    if rekap.pakai_katalog:
        brows = [[str(i), k.kode_satker, k.nama, "belum mengirim"]
                 for i, k in enumerate(rekap.belum_mengirim, 1)]
        if not brows:
            brows = [["-", "-", "Semua unit di katalog sudah mengirim berkas yang diterima.",
                      None]]
        blocks.append(Table(
            "Unit yang Belum Mengirim", [Column("No", TEKS, 5), Column("Kode Satker", TEKS, 11),
                                         Column("Unit", TEKS, 40), Column("Status", TEKS, 14)],
            brows, text_colours={3: {"belum mengirim": WARNA_STATUS[DITOLAK]}},
            subtitle="Unit di katalog yang belum punya berkas diterima (tidak mengirim, atau "
                     "berkasnya ditolak)."))
    return SheetContent(SHEET_STATUS, _judul(rekap, "Status Pengumpulan Laporan Kinerja"),
                        blocks)


def _unit_sheet(rekap: Rekap) -> SheetContent:
    cols = [Column("Peringkat", TEKS, 9), Column("Kode Satker", TEKS, 11),
            Column("Unit", TEKS, 30), Column("Periode", TEKS, 9),
            Column("Capaian (%)", PERSEN, 11), Column("Capaian Target Revisi (%)", PERSEN, 13),
            Column("Kategori", TEKS, 12), Column("Pagu (Rp)", RUPIAH, 17),
            Column("Realisasi (Rp)", RUPIAH, 17), Column("Serapan (%)", PERSEN, 10),
            Column("Sisa (Rp)", RUPIAH, 17)]
    rows: list[list[Any]] = []
    for u in rekap.unit:
        rows.append([u.peringkat, u.kode_satker, u.nama,
                     u.periode, u.capaian, u.capaian_revisi, u.kategori, u.total.pagu,
                     u.total.realisasi, u.total.serapan, u.total.sisa])
    t = rekap.total
    rows.append([None, None, "Nasional (rata-rata capaian, jumlah anggaran)", None,
                 rekap.capaian_rata_rata, rekap.capaian_rata_rata_revisi,
                 kategori_untuk(rekap.capaian_rata_rata, _BAKU)[0], t.pagu, t.realisasi,
                 t.serapan, t.sisa])
    styles = ["normal"] * (len(rows) - 1) + [TOTAL]
    colours = {6: _kat_colours()}
    utama = Table("Capaian dan Anggaran per Unit", cols, rows, row_styles=styles,
                  text_colours=colours,
                  subtitle="Peringkat menurut rata-rata capaian IKU terhadap target Perjanjian "
                           "Kinerja; capaian dan serapan dihitung ulang dari isian tiap "
                           "workbook.")
    scols = [Column("Kode Satker", TEKS, 11), Column("Unit", TEKS, 30),
             Column("Kode Sasaran", TEKS, 9), Column("Sasaran", TEKS, 46),
             Column("Capaian (%)", PERSEN, 11), Column("Capaian Target Revisi (%)", PERSEN, 13),
             Column("Kategori", TEKS, 12), Column("Pagu (Rp)", RUPIAH, 17),
             Column("Realisasi (Rp)", RUPIAH, 17), Column("Serapan (%)", PERSEN, 10)]
    srows = [[u.kode_satker, u.nama, s.kode, s.nama, s.capaian, s.capaian_revisi, s.kategori,
              s.pagu, s.realisasi, s.serapan]
             for u in rekap.unit_urut_kode() for s in u.sasaran]
    sasaran = Table("Capaian per Sasaran", scols, srows, text_colours={6: _kat_colours()})
    return SheetContent(SHEET_UNIT, _judul(rekap, "Rekap Capaian per Unit"), [utama, sasaran])


def _iku_sheet(rekap: Rekap) -> SheetContent:
    stat_cols = [Column("Kode IKU", TEKS, 11), Column("Nama IKU", TEKS, 50),
                 Column("Satuan", TEKS, 9), Column("Jumlah Unit", BULAT, 8),
                 Column("Rata-rata Nasional (%)", PERSEN, 12), Column("Minimum (%)", PERSEN, 11),
                 Column("Maksimum (%)", PERSEN, 11), Column("Kategori Rata-rata", TEKS, 12)]
    stat_rows = [[i.kode, i.nama, i.satuan, i.jumlah_unit, i.rata_rata, i.minimum, i.maksimum,
                  i.kategori_rata_rata] for i in rekap.iku]
    stats = Table("Capaian per IKU (nasional)", stat_cols, stat_rows,
                  text_colours={7: _kat_colours()},
                  subtitle="IKU dicocokkan menurut kodenya; rata-rata, minimum dan maksimum "
                           "dari capaian (target PK) unit yang mengukur IKU itu.")
    cols = [Column("Kode Satker", TEKS, 11), Column("Unit", TEKS, 28)]
    colours: dict[int, dict[str, str]] = {}
    for i in rekap.iku:
        cols.append(Column(f"{i.kode} (%)", PERSEN, 10))
        cols.append(Column(f"{i.kode} Kategori", TEKS, 11))
        colours[len(cols) - 1] = _kat_colours()
    rows: list[list[Any]] = []
    for u in rekap.unit_urut_kode():
        row: list[Any] = [u.kode_satker, u.nama]
        for i in rekap.iku:
            row += [i.capaian.get(u.kode_satker), i.kategori.get(u.kode_satker)]
        rows.append(row)
    for label, attr in (("Rata-rata nasional", "rata_rata"), ("Minimum", "minimum"),
                        ("Maksimum", "maksimum")):
        row = [None, label]
        for i in rekap.iku:
            v = getattr(i, attr)
            row += [v, kategori_untuk(v, _BAKU)[0]]
        rows.append(row)
    styles = ["normal"] * (len(rows) - 3) + [TOTAL] * 3
    matrix = Table("Matriks Capaian Unit x IKU (%)", cols, rows, row_styles=styles,
                   text_colours=colours,
                   note="Sel kosong: unit tidak memiliki IKU itu, tidak mengukurnya pada "
                        "periode ini, atau capaiannya tidak terdefinisi (target kosong/0).")
    return SheetContent(SHEET_IKU, _judul(rekap, "Rekap Capaian per IKU"), [stats, matrix])


def _anggaran_sheet(rekap: Rekap) -> SheetContent:
    jenis = [j.kode for j in rekap.jenis_belanja]
    cols = [Column("Kode Satker", TEKS, 11), Column("Unit", TEKS, 28),
            Column("Pagu (Rp)", RUPIAH, 17), Column("Realisasi (Rp)", RUPIAH, 17),
            Column("Serapan (%)", PERSEN, 10), Column("Sisa (Rp)", RUPIAH, 17)]
    for k in jenis:
        label = LABEL_JENIS.get(k, k)
        cols += [Column(f"Pagu {label} (Rp)", RUPIAH, 16),
                 Column(f"Realisasi {label} (Rp)", RUPIAH, 16),
                 Column(f"Serapan {label} (%)", PERSEN, 10)]
    rows: list[list[Any]] = []
    for u in rekap.unit_urut_kode():
        by = {j.kode: j for j in u.jenis_belanja}
        row: list[Any] = [u.kode_satker, u.nama, u.total.pagu, u.total.realisasi,
                          u.total.serapan, u.total.sisa]
        for k in jenis:
            j = by.get(k)
            row += [j.pagu, j.realisasi, j.serapan] if j else [None, None, None]
        rows.append(row)
    t = rekap.total
    row = [None, "Jumlah nasional", t.pagu, t.realisasi, t.serapan, t.sisa]
    for j in rekap.jenis_belanja:
        row += [j.pagu, j.realisasi, j.serapan]
    rows.append(row)
    per_unit = Table("Realisasi Anggaran per Unit dan Jenis Belanja", cols, rows,
                     row_styles=["normal"] * (len(rows) - 1) + [TOTAL],
                     subtitle="Pagu efektif (pagu revisi bila ada; total DIPA yang dinyatakan "
                              "bila diisi). Jenis belanja: " + ", ".join(
                                  f"{k} {NAMA_JENIS.get(k, k)}" for k in jenis) + ".")
    jcols = [Column("Jenis Belanja", TEKS, 9), Column("Uraian", TEKS, 28),
             Column("Pagu (Rp)", RUPIAH, 17), Column("Realisasi (Rp)", RUPIAH, 17),
             Column("Serapan (%)", PERSEN, 10), Column("Sisa (Rp)", RUPIAH, 17)]
    jrows = [[j.kode, j.nama, j.pagu, j.realisasi, j.serapan, j.sisa]
             for j in rekap.jenis_belanja]
    per_jenis = Table("Realisasi Anggaran Nasional per Jenis Belanja", jcols, jrows,
                      note="Jumlah baris anggaran per jenis belanja; total nasional di atas "
                           "memakai pagu efektif tiap unit.")
    return SheetContent(SHEET_ANGGARAN, _judul(rekap, "Rekap Realisasi Anggaran"),
                        [per_unit, per_jenis])


def semua_temuan(rekap: Rekap) -> Iterator[tuple[StatusBerkas, Finding]]:
    for b in rekap.berkas:
        for f in b.temuan:
            yield b, f


def _lokasi(b: StatusBerkas, f: Finding) -> str:
    return "" if f.lokasi in ("", b.berkas) else f.lokasi


def _temuan_sheet(rekap: Rekap) -> SheetContent:
    cols = [Column("No", TEKS, 6), Column("Berkas", TEKS, 36), Column("Kode Satker", TEKS, 11),
            Column("Unit", TEKS, 24), Column("Tingkat", TEKS, 11), Column("Letak", TEKS, 16),
            Column("Masalah", TEKS, 70), Column("Yang harus dilakukan", TEKS, 50)]
    rows: list[list[Any]] = []
    for i, (b, f) in enumerate(semua_temuan(rekap), 1):
        rows.append([str(i), b.berkas, b.kode_satker, b.nama_unit,
                     "Error" if f.tingkat == ERROR else "Peringatan", _lokasi(b, f) or None,
                     f.pesan, f.saran or None])
    if not rows:
        rows.append(["-", None, None, None, None, None, "Tidak ada temuan.", None])
    errors = sum(f.tingkat == ERROR for _, f in semua_temuan(rekap))
    total = sum(1 for _ in semua_temuan(rekap))
    table = Table("Temuan per Berkas", cols, rows, text_colours={4: WARNA_TINGKAT},
                  subtitle=f"{errors} error, {total - errors} peringatan. Letak menunjuk lembar "
                           "dan sel di workbook unit itu.")
    return SheetContent(SHEET_TEMUAN, _judul(rekap, "Temuan Konsolidasi"), [table])


def _grafik_sheet(rekap: Rekap) -> SheetContent:
    rows = [[u.nama, u.capaian, u.total.serapan] for u in rekap.unit]
    data = Table("Data grafik: capaian dan serapan per unit (urut peringkat)",
                 [Column("Unit", TEKS, 28), Column("Capaian (%)", PERSEN, 11),
                  Column("Serapan (%)", PERSEN, 11)], rows)
    blocks: list[Table | Chart] = [data]
    if rows:
        blocks.append(Chart("column", "Capaian Kinerja per Unit (%)", 0, 0,
                            [Series("Capaian", 0, 1, "#4472C4")], y_title="%"))
        blocks.append(Chart("column", "Serapan Anggaran per Unit (%)", 0, 0,
                            [Series("Serapan", 0, 2, "#70AD47")], y_title="%"))
    return SheetContent(SHEET_GRAFIK, _judul(rekap, "Grafik Capaian dan Serapan per Unit"),
                        blocks)


def build_rekap_content(rekap: Rekap) -> list[SheetContent]:
    """The recap sheets in display order (neutral content; no computing here)."""
    return [_status_sheet(rekap), _unit_sheet(rekap), _iku_sheet(rekap),
            _anggaran_sheet(rekap), _temuan_sheet(rekap), _grafik_sheet(rekap)]


# --------------------------------------------------------------------------- JSON


def _pos_dict(p: PosRingkas) -> dict[str, Any]:
    return {"kode": p.kode, "nama": p.nama, "pagu": json_number(p.pagu),
            "realisasi": json_number(p.realisasi), "serapan": json_number(p.serapan),
            "sisa": json_number(p.sisa)}


def _finding_dict(b: StatusBerkas, f: Finding) -> dict[str, Any]:
    return {"berkas": b.berkas, "kode_satker": b.kode_satker, "tingkat": f.tingkat,
            "jenis": f.jenis, "lokasi": _lokasi(b, f), "pesan": f.pesan, "saran": f.saran}


def rekap_to_dict(rekap: Rekap) -> dict[str, Any]:
    """The ``konsolidasi --json`` document (documented in docs/konsolidasi.md)."""
    return {
        "ringkasan": {
            "berkas": rekap.jumlah_berkas,
            "diterima": len(rekap.diterima),
            "ditolak": len(rekap.ditolak),
            "ok": sum(b.status == OK for b in rekap.berkas),
            "peringatan": sum(b.status == STATUS_PERINGATAN for b in rekap.berkas),
            "tahun": rekap.tahun,
            "periode": rekap.periode,
            "versi_template_didukung": TEMPLATE_VERSION,
            "capaian_rata_rata": json_number(rekap.capaian_rata_rata),
            "capaian_rata_rata_revisi": json_number(rekap.capaian_rata_rata_revisi),
            "anggaran": _pos_dict(rekap.total),
            "detik": round(rekap.detik, 2),
        },
        "berkas": [
            {"berkas": b.berkas, "kode_satker": b.kode_satker, "nama_unit": b.nama_unit,
             "versi_template": b.versi_template, "tahun": b.tahun, "periode": b.periode,
             "status": b.status, "alasan": b.alasan, "jumlah_temuan": len(b.temuan),
             "jumlah_error": b.jumlah_error, "jumlah_peringatan": b.jumlah_peringatan}
            for b in rekap.berkas
        ],
        "unit": [
            {"peringkat": u.peringkat, "kode_satker": u.kode_satker, "nama": u.nama,
             "provinsi": u.provinsi, "tahun": u.tahun, "periode": u.periode,
             "capaian": json_number(u.capaian), "capaian_revisi": json_number(u.capaian_revisi),
             "kategori": u.kategori, "anggaran": _pos_dict(u.total),
             "sasaran": [{"kode": s.kode, "nama": s.nama, "capaian": json_number(s.capaian),
                          "capaian_revisi": json_number(s.capaian_revisi), "kategori": s.kategori,
                          "pagu": json_number(s.pagu), "realisasi": json_number(s.realisasi),
                          "serapan": json_number(s.serapan)} for s in u.sasaran],
             "jenis_belanja": [_pos_dict(j) for j in u.jenis_belanja]}
            for u in rekap.unit
        ],
        "iku": [
            {"kode": i.kode, "nama": i.nama, "satuan": i.satuan, "jumlah_unit": i.jumlah_unit,
             "rata_rata": json_number(i.rata_rata), "minimum": json_number(i.minimum),
             "maksimum": json_number(i.maksimum), "kategori_rata_rata": i.kategori_rata_rata,
             "capaian": {k: json_number(v) for k, v in i.capaian.items()},
             "kategori": i.kategori}
            for i in rekap.iku
        ],
        "anggaran_per_jenis_belanja": [_pos_dict(j) for j in rekap.jenis_belanja],
        "belum_mengirim": [{"kode_satker": k.kode_satker, "nama": k.nama}
                           for k in rekap.belum_mengirim],
        "temuan": [_finding_dict(b, f) for b, f in semua_temuan(rekap)],
        "catatan": rekap.catatan,
    }


# --------------------------------------------------------------------------- writing


def check_output(out: Path, *, overwrite: bool) -> None:
    """Refuse an output that cannot be written, before reading any input."""
    outfile.check_output(out, overwrite=overwrite, extensions=(".xlsx",),
                         saran_ekstensi="rekap ditulis sebagai .xlsx; ganti ekstensinya, "
                         f"misalnya {out.with_suffix('.xlsx').name}.")


def build_rekap_bytes(rekap: Rekap) -> bytes:
    """The recap workbook (.xlsx) rendered with the shared summary writer."""
    import xlsxwriter

    from .sheets import summary_xlsx
    from .sheets.context import Context
    from .sheets.styles import Styles

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_numbers": False,
                                   "strings_to_formulas": False, "strings_to_urls": False})
    # The writer only needs the formats and the spec's protection setting; the recap has
    # no single spec, so a neutral one with default settings stands in.
    stand_in = Spec(unit=Unit("Rekap nasional", "-"), tahun=rekap.tahun or 0,
                    periode="tahunan", sasaran=[])
    ctx = Context(spec=stand_in, hasil=None, layout=None,  # type: ignore[arg-type]
                  styles=Styles(wb), macro=False)
    for content in build_rekap_content(rekap):
        summary_xlsx.write(wb, ctx, content)
    wb.set_properties({"title": _judul(rekap, "Rekap Kinerja Nasional"),
                       "author": "workbook-gen",
                       "comments": f"{rekap.jumlah_berkas} berkas, {len(rekap.diterima)} "
                                   "diterima"})
    wb.close()
    return buf.getvalue()


def write_rekap(rekap: Rekap, out_path: str | os.PathLike[str], overwrite: bool = False) -> Path:
    """Write the recap workbook atomically (temporary file in the same folder, then
    renamed). Raises OutputError when the path cannot be used; nothing is left behind."""
    out = Path(out_path)
    check_output(out, overwrite=overwrite)
    outfile.write_atomic(build_rekap_bytes(rekap), out)
    return out


__all__ = ["DITOLAK", "OK", "REKAP_SHEETS", "STATUS_PERINGATAN", "HasilBerkas", "IkuRekap",
           "KonsolidasiError", "Rekap", "StatusBerkas", "UnitKatalog", "UnitRingkas",
           "baca_berkas", "build_rekap_content", "cari_berkas", "check_output", "konsolidasi",
           "load_katalog", "normalise_periode", "rekap_to_dict", "write_rekap"]


# --------------------------------------------------------------------------- command line


class ProgressLine:
    """A one-line progress bar on a terminal (stderr), redrawn at most 10 times a second."""

    def __init__(self, stream: Any, width: int = 30) -> None:
        self.stream = stream
        self.width = width
        self._last = 0.0
        self._shown = False

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self._last < 0.1:
            return
        self._last = now
        filled = int(self.width * done / total) if total else self.width
        bar = "#" * filled + "." * (self.width - filled)
        pct = int(100 * done / total) if total else 100
        self.stream.write(f"\rMembaca berkas [{bar}] {done}/{total} ({pct}%)")
        self.stream.flush()
        self._shown = True

    def clear(self) -> None:
        if self._shown:
            self.stream.write("\r" + " " * (self.width + 40) + "\r")
            self.stream.flush()
            self._shown = False


def _detik(s: float) -> str:
    return f"{s:.1f}".replace(".", ",")


def run_cli(inputs: Sequence[str], *, output: str | None, as_json: bool,
            katalog: str | None = None, tahun: int | None = None, periode: str | None = None,
            timpa: bool = False, proses: int | None = None, stdout: Any = None,
            stderr: Any = None) -> int:
    """``workbook-gen konsolidasi``: exit 0 recap written, 1 nothing usable or output
    refused, 2 usage error. Messages are Indonesian; no traceback for bad input."""
    import json
    import sys

    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    if not output and not as_json:
        print("Sebutkan berkas rekap dengan -o REKAP.xlsx (atau pakai --json untuk keluaran "
              "JSON saja).", file=stderr)
        return 2
    if proses is not None and proses < 1:
        print("--proses harus 1 atau lebih.", file=stderr)
        return 2
    out = Path(output) if output else None
    if out is not None:
        check_output(out, overwrite=timpa)  # refuse before reading anything
    bar = ProgressLine(stderr) if getattr(stderr, "isatty", lambda: False)() else None
    try:
        rekap = konsolidasi(inputs, tahun=tahun, periode=periode, katalog=katalog,
                            workers=proses, progress=bar, exclude=[out] if out else ())
    finally:
        if bar is not None:
            bar.clear()
    for note in rekap.catatan:
        print(f"Catatan: {note}", file=stderr)
    if out is not None:
        write_rekap(rekap, out, overwrite=timpa)
    info = stderr if as_json else stdout
    if as_json:
        print(json.dumps(rekap_to_dict(rekap), ensure_ascii=False, indent=2), file=stdout)
    else:
        ditolak = rekap.ditolak
        for b in ditolak[:10]:
            print(f"Ditolak: {b.berkas}: {' '.join(b.alasan)}", file=stdout)
        if len(ditolak) > 10:
            print(f"... dan {len(ditolak) - 10} berkas lain ditolak.", file=stdout)
    where = f"rekap ditulis ke {out}" if out is not None else "rekap tidak ditulis (hanya JSON)"
    line = (f"Selesai: {rekap.jumlah_berkas} berkas dibaca, {len(rekap.diterima)} diterima, "
            f"{len(rekap.ditolak)} ditolak dalam {_detik(rekap.detik)} detik; {where}.")
    if rekap.ditolak:
        line += (" Alasan penolakan ada di lembar Status Pengumpulan." if out is not None else
                 " Alasan penolakan ada di bagian 'berkas' JSON.")
    if not rekap.diterima:
        line += " Tidak ada berkas yang diterima."
    print(line, file=info)
    return 0 if rekap.diterima else 1
