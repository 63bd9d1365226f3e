"""Roll-over: each IKU's riwayat from last year's returned workbooks.

``riwayat_dari(SUMBER)`` is the one entry point (the seam): today SUMBER is a folder of
returned unit workbooks, read like the consolidation reads them (raw inputs recomputed
with the engine, cached formula values never trusted). When the national history store
exists, a database path given here is answered from it instead; nothing else changes.

A year's entry is ``{tahun, target, realisasi}`` as the spec's ``riwayat`` holds it:
the PK target and the realisasi s.d. the workbook's periode (the year when the workbook
is Tahunan or TW IV). Capaian is not stored: the engine recomputes it from these two.
The riwayat the old workbook already carried (earlier years) is carried forward too.
"""

from __future__ import annotations

import copy
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..engine import hitung
from ..findings import Report, SpecError, WorkbookGenError
from ..konsolidasi.check import FileProblem, check_file
from ..konsolidasi.source import CalamineSource
from ..reader import ReadError, read_workbook
from ..spec import Spec, spec_from_data
from .susun import Katalog

DB_SUFFIXES = (".db", ".sqlite", ".sqlite3")

Entry = dict[str, Any]  # {"tahun": 2025, "target": 80.0, "realisasi": 91.0}


@dataclass
class RiwayatLalu:
    """(kode satker, IKU kode) -> tahun -> entry, with where each year came from."""

    nilai: dict[tuple[str, str], dict[int, Entry]] = field(default_factory=dict)
    asal: dict[tuple[str, int], str] = field(default_factory=dict)  # (satker, tahun) -> file
    report: Report = field(default_factory=Report)

    def untuk(self, kode_satker: str, kode_iku: str, sebelum: int) -> list[Entry]:
        years = self.nilai.get((kode_satker, kode_iku), {})
        return [years[t] for t in sorted(years) if t < sebelum]

    def satker(self) -> set[str]:
        return {k for k, _ in self.asal}


def riwayat_dari(sumber: str | Path) -> RiwayatLalu:
    """Last years' figures per unit and IKU from ``sumber``: a folder of returned
    workbooks (subfolders included), or, once wired, the history store's database."""
    p = Path(sumber)
    if p.is_file() and p.suffix.lower() in DB_SUFFIXES:
        return _dari_db(p)
    if not p.is_dir():
        raise WorkbookGenError(f"--riwayat-dari {p}: folder tidak ditemukan. Sebutkan folder "
                               "berisi workbook tahun lalu yang sudah dikirim unit.")
    return _dari_folder(p)


def _dari_db(path: Path) -> RiwayatLalu:
    """The national history store (``konsolidasi --simpan DB``): for each unit and year
    the last saved periode of that year (TW IV or Tahunan when saved) gives the entry."""
    from ..konsolidasi.store import opened, riwayat_unit

    out = RiwayatLalu()
    try:
        with opened(path, create=False) as con:
            pairs = con.execute("SELECT DISTINCT kode_satker, tahun FROM iku").fetchall()
    except WorkbookGenError:
        raise
    except Exception as exc:  # noqa: BLE001 - any unreadable store is one message
        raise WorkbookGenError(f"--riwayat-dari {path}: basis data riwayat tidak bisa dibaca "
                               f"({type(exc).__name__}). Sebutkan basis data dari "
                               "'konsolidasi --simpan', atau folder workbook tahun lalu.") from None
    for ks, tahun in sorted((str(k), int(t)) for k, t in pairs):
        out.asal[ks, tahun] = str(path)
        for kode, periods in riwayat_unit(path, ks, tahun).items():
            last = periods[-1]
            if last.periode not in ("TW IV", "Tahunan"):
                out.report.warn("riwayat_belum_setahun", f"{path}: {ks} {tahun}",
                                f"Riwayat unit {ks} tahun {tahun} baru sampai {last.periode}; "
                                f"realisasi riwayat {tahun} adalah s.d. {last.periode}.",
                                "Simpan rekap akhir tahun (TW IV atau Tahunan) bila ada.")
            out.nilai.setdefault((ks, kode), {})[tahun] = {
                "tahun": tahun, "target": last.target, "realisasi": last.realisasi}
    return out


def _dari_folder(folder: Path) -> RiwayatLalu:
    out = RiwayatLalu()
    files = sorted(p for p in folder.rglob("*") if p.suffix.lower() in (".xlsx", ".xlsm")
                   and not p.name.startswith(("~$", ".~lock", ".")) and p.is_file())
    for path in files:
        try:
            source = CalamineSource(check_file(path))
            try:
                bacaan = read_workbook(source, str(path))
            finally:
                source.close()
            hasil = hitung(bacaan.spec)
        except FileProblem as exc:
            out.report.warn("riwayat_tidak_terbaca", str(path),
                            f"Workbook tahun lalu dilewati: {exc.pesan}", exc.saran)
            continue
        except (ReadError, SpecError) as exc:
            first = exc.report.errors[0].pesan if exc.report.errors else str(exc)
            out.report.warn("riwayat_tidak_terbaca", str(path),
                            f"Workbook tahun lalu dilewati: {first}",
                            "Perbaiki workbook itu (workbook-gen pulihkan) bila angkanya "
                            "dibutuhkan sebagai riwayat.")
            continue
        spec = bacaan.spec
        ks, tahun = spec.unit.kode_satker, int(spec.tahun)
        if (ks, tahun) in out.asal:
            out.report.error(
                "riwayat_ganda", str(path),
                f"Unit {ks} tahun {tahun} punya dua workbook: {out.asal[ks, tahun]} dan "
                f"{path}; tidak ditebak mana yang benar.",
                "Sisakan satu workbook per unit per tahun di folder itu.")
            continue
        out.asal[ks, tahun] = str(path)
        if spec.periode_n < 4:
            out.report.warn("riwayat_belum_setahun", str(path),
                            f"Workbook unit {ks} tahun {tahun} baru sampai {spec.periode}; "
                            f"realisasi riwayat {tahun} adalah s.d. {spec.periode}.",
                            "Pakai workbook akhir tahun (Tahunan atau TW IV) bila ada.")
        by_kode = hasil.iku_by_kode()
        for iku in spec.semua_iku():
            h = by_kode[iku.kode]
            years = out.nilai.setdefault((ks, iku.kode), {})
            for r in iku.riwayat:  # carried forward from that year's workbook
                years.setdefault(int(r.tahun), {"tahun": int(r.tahun), "target": r.target,
                                                "realisasi": r.realisasi})
            years[tahun] = {"tahun": tahun, "target": h.target, "realisasi": h.realisasi}
    return out


def terapkan(riwayat: RiwayatLalu, data: dict[str, Any]) -> int:
    """Put the years before ``data['tahun']`` into each IKU's riwayat of a spec mapping
    (a year already written in the spec is replaced by the returned workbook's figures).
    Returns how many IKUs received history."""
    ks = str(data["unit"]["kode_satker"])
    tahun = int(data["tahun"])
    n = 0
    for s in data["sasaran"]:
        for d in s["iku"]:
            found = riwayat.untuk(ks, str(d["kode"]), tahun)
            if not found:
                continue
            merged = {int(r["tahun"]): r for r in d.get("riwayat") or []}
            merged.update({e["tahun"]: dict(e) for e in found})
            d["riwayat"] = [_entry(merged[t]) for t in sorted(merged)]
            n += 1
    return n


def _entry(e: Entry) -> Entry:
    return {k: v for k, v in e.items() if k == "tahun" or v is not None}


def penyiap_riwayat(sumber: str | Path) -> Callable[[Katalog], Report]:
    """For ``buat KATALOG --riwayat-dari``: fills every unit's riwayat; the findings say
    which files were skipped and which units had no workbook last year."""
    def siapkan(kat: Katalog) -> Report:
        riwayat = riwayat_dari(sumber)
        report = Report(list(riwayat.report))
        tanpa = [u.kode_satker for u in kat.unit if terapkan(riwayat, u.data) == 0]
        if tanpa:
            more = f" dan {len(tanpa) - 10} lainnya" if len(tanpa) > 10 else ""
            report.warn("riwayat_tidak_ada", str(sumber),
                        f"{len(tanpa)} unit tanpa workbook tahun lalu di folder ini: "
                        f"{', '.join(tanpa[:10])}{more}; riwayatnya kosong.",
                        "Tambahkan workbook mereka ke folder bila ada.")
        return report
    return siapkan


def isi_riwayat_spec(spec: Spec, sumber: str | Path) -> Spec:
    """A one-unit spec with riwayat from ``sumber`` (``buat SPEC --riwayat-dari``)."""
    riwayat = riwayat_dari(sumber)
    if riwayat.report.errors:
        raise SpecError(riwayat.report, str(sumber))
    for f in riwayat.report:
        print(f"Catatan riwayat: {f.lokasi}: {f.pesan}", file=sys.stderr)
    data = copy.deepcopy(spec.data)
    if terapkan(riwayat, data) == 0:
        print(f"Catatan riwayat: tidak ada workbook unit {spec.unit.kode_satker} tahun lalu di "
              f"{sumber}; riwayat tidak diubah.", file=sys.stderr)
        return spec
    return spec_from_data(data, spec.sumber)
