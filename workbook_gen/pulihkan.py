"""Rebuild a clean workbook from a damaged one (or one of an older template version),
carrying every value the user typed that can still be found.

Nothing is taken from fixed positions. The metadata (``_meta``, found by its content if
renamed) gives the spec's structure; each input sheet is found by name, or by its column
headers when renamed; each column by its header text, so inserted columns are survived;
each row by its IKU kode or kegiatan/komponen kode, so inserted, deleted or moved rows
are survived; Identitas values by their labels. Protection does not matter (values are
read, not written) and formulas typed over are simply made again. A formula typed into
an input cell gives its last computed value.

What cannot be found is listed exactly, one entry per place (a sheet, an IKU's row, a
budget line's row, an Identitas field, a value that cannot be read) with the reason; for
those places the new workbook holds the values the workbook was generated with (targets
and pagu from the spec), never a guess. The damaged file is only read.
"""

from __future__ import annotations

import copy
import io
import json
import sys
import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from . import TEMPLATE_VERSION
from .findings import ERROR, OutputError, Report, SpecError, WorkbookGenError
from .generate import EXTENSIONS, generate
from .konsolidasi.check import FileProblem, check_file
from .layout import (
    META_MAGIC,
    PERIODE_PILIHAN,
    SHEET_ANGGARAN,
    SHEET_IDENTITAS,
    SHEET_META,
    SHEET_REALISASI,
    SHEET_TARGET,
    SUMMARY_SHEETS,
    Meta,
    MetaError,
    col_letter,
    parse_meta,
)
from .sheets import anggaran as anggaran_sheet
from .sheets import identitas as identitas_sheet
from .sheets import realisasi as realisasi_sheet
from .sheets import target as target_sheet
from .spec import SATUAN_PERSEN, Key, Spec, baris_data, spec_from_data
from .workbook.inputs import nilai_persen, sel_persen

HEADER_SCAN_ROWS = 15
MIN_HEADER_MATCH = 4  # a renamed sheet needs this many, and 60 %, of its headers

TARGET_FIELDS = ("target", "target_revisi", "target_tw1", "target_tw2", "target_tw3",
                 "target_tw4", "baseline")
REALISASI_FIELDS = ("realisasi_tw1", "realisasi_tw2", "realisasi_tw3", "realisasi_tw4",
                    "faktor_pendorong", "faktor_penghambat", "upaya", "realisasi_tahunan",
                    *realisasi_sheet.RASIO_HEADERS)  # rasio IKUs only
ANGGARAN_FIELDS = ("pagu_awal", "pagu_revisi", "realisasi_tw1", "realisasi_tw2",
                   "realisasi_tw3", "realisasi_tw4")
IDENTITAS_FIELDS = ("kepala", "nip", "periode", "total_pagu_awal", "total_pagu_revisi",
                    "total_realisasi", "penutup_permasalahan", "penutup_upaya",
                    "penutup_saran")

# Header texts per field, current template first. When a template version renames a
# header, add the old text here: older workbooks are then still read by their headers.
HEADERS: dict[str, dict[str, tuple[str, ...]]] = {
    SHEET_TARGET: {k: (v[0],) for k, v in target_sheet.HEADERS.items()},
    SHEET_REALISASI: {k: (v[0],) for k, v in {**realisasi_sheet.HEADERS,
                                               **realisasi_sheet.RASIO_HEADERS}.items()},
    SHEET_ANGGARAN: {k: (v[0],) for k, v in anggaran_sheet.HEADERS.items()},
}
IDENTITAS_LABELS = {k: (v[0],) for k, v in identitas_sheet.ROWS.items()}


@dataclass
class Hilang:
    """A place whose typed values could not be carried over, and why."""

    lembar: str
    apa: str  # "IKU IKU-2", "baris anggaran 01/03", "kepala", "seluruh lembar", a cell
    alasan: str


@dataclass
class HasilPulih:
    spec: Spec
    hilang: list[Hilang] = field(default_factory=list)
    catatan: list[str] = field(default_factory=list)  # what was recognised or repaired
    dibawa: int = 0  # input values carried over (non-empty)


class PulihError(WorkbookGenError):
    def __init__(self, report: Report, sumber: str) -> None:
        super().__init__(f"{sumber}: {report.errors[0].pesan if report.errors else ''}")
        self.report = report
        self.sumber = sumber


def _norm(text: Any) -> str:
    return " ".join(str(text or "").split()).casefold()


def _key(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value).strip()


class _Sheet:
    """One sheet's values (formula text where typed as formula) and cached values."""

    def __init__(self, name: str, rows: list[list[Any]], cached: list[list[Any]]) -> None:
        self.name = name
        self.rows = rows
        self.cached = cached

    def value(self, r: int, c: int) -> tuple[Any, bool]:
        """(value, was_formula) at 0-based row/col; a formula gives its cached value."""
        row = self.rows[r] if r < len(self.rows) else []
        v = row[c] if c < len(row) else None
        if isinstance(v, str) and v.startswith("="):
            crow = self.cached[r] if r < len(self.cached) else []
            return (crow[c] if c < len(crow) else None), True
        if v is not None and not isinstance(v, (str, int, float, bool)):
            v = str(v.date() if hasattr(v, "date") and str(v).endswith("00:00:00") else v)
        return v, False


def _load(path: Path) -> dict[str, _Sheet]:
    from openpyxl import load_workbook

    try:
        data = check_file(path)  # missing, empty, not Excel, encrypted, zip bomb
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        wc = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except FileProblem as exc:
        report = Report()
        report.error(exc.jenis, str(path), exc.pesan, exc.saran)
        raise PulihError(report, str(path)) from None
    except (OSError, zipfile.BadZipFile, KeyError, ValueError, TypeError) as exc:
        report = Report()
        report.error("berkas_rusak", str(path), f"Workbook tidak bisa dibuka ({exc}).",
                     "Bila berkas terpotong, minta salinan lain; pulihkan hanya membaca "
                     "workbook .xlsx/.xlsm yang masih bisa dibuka.")
        raise PulihError(report, str(path)) from None
    try:
        out = {}
        for name in wb.sheetnames:
            rows = [list(r) for r in wb[name].iter_rows(values_only=True)]
            cached = [list(r) for r in wc[name].iter_rows(values_only=True)]
            out[name] = _Sheet(name, rows, cached)
        return out
    finally:
        wb.close()
        wc.close()


def _find_meta(sheets: dict[str, _Sheet], sumber: str, catatan: list[str]) -> Meta:
    report = Report()
    candidates = [SHEET_META] if SHEET_META in sheets else []
    candidates += [n for n, s in sheets.items() if n != SHEET_META and s.rows
                   and s.rows[0][:2] == ["aplikasi", META_MAGIC]]
    for name in candidates:
        s = sheets[name]
        try:
            meta = parse_meta([(r[0] if r else None, r[1] if len(r) > 1 else None)
                               for r in s.rows])
        except MetaError as exc:
            report.error("metadata_rusak", f"{name}!A1", f"Metadata tidak bisa dibaca: {exc}.",
                         "Minta workbook baru dari kantor pusat (workbook-gen buat) dan salin "
                         "isian Anda ke sana.")
            continue
        if name != SHEET_META:
            catatan.append(f"Metadata ditemukan di lembar '{name}' (namanya diubah).")
        return meta
    if not candidates:
        report.error("metadata_hilang", sumber,
                     "Lembar metadata tersembunyi '_meta' tidak ada: susunan IKU dan anggaran "
                     "workbook ini tidak diketahui, jadi workbook tidak bisa dibuat ulang.",
                     "Minta workbook baru dari kantor pusat (workbook-gen buat) dan salin "
                     "isian Anda ke sana.")
    raise PulihError(report, sumber)


def _header_map(s: _Sheet, headers: dict[str, tuple[str, ...]]
                ) -> tuple[int, dict[str, int]]:
    """(header row, field -> column), both 0-based, from the row with most known headers."""
    wanted = {_norm(t): f for f, texts in headers.items() for t in texts}
    best_row, best = -1, {}
    for r, row in enumerate(s.rows[:HEADER_SCAN_ROWS]):
        found: dict[str, int] = {}
        for c, v in enumerate(row):
            f = wanted.get(_norm(v))
            if f is not None and f not in found:
                found[f] = c
        if len(found) > len(best):
            best_row, best = r, found
    return best_row, best


def _identitas_map(s: _Sheet) -> dict[str, int]:
    wanted = {_norm(t): f for f, texts in IDENTITAS_LABELS.items() for t in texts}
    out: dict[str, int] = {}
    for r, row in enumerate(s.rows):
        f = wanted.get(_norm(row[0] if row else None))
        if f is not None and f not in out:
            out[f] = r
    return out


def _assign_sheets(sheets: dict[str, _Sheet], catatan: list[str]) -> dict[str, _Sheet | None]:
    out: dict[str, _Sheet | None] = {}
    used = {n for n in (SHEET_META, SHEET_IDENTITAS, SHEET_TARGET, SHEET_REALISASI,
                        SHEET_ANGGARAN, *SUMMARY_SHEETS) if n in sheets}
    for name in (SHEET_TARGET, SHEET_REALISASI, SHEET_ANGGARAN, SHEET_IDENTITAS):
        if name in sheets:
            out[name] = sheets[name]
            continue
        best, score = None, 0
        need = max(MIN_HEADER_MATCH, int(0.6 * len(IDENTITAS_LABELS if name == SHEET_IDENTITAS
                                                   else HEADERS[name])))
        for other, s in sheets.items():
            if other in used:
                continue
            if name == SHEET_IDENTITAS:
                n = len(_identitas_map(s))
            else:
                n = len(_header_map(s, HEADERS[name])[1])
            if n > score:
                best, score = other, n
        if best is not None and score >= need:
            used.add(best)
            out[name] = sheets[best]
            catatan.append(f"Lembar '{best}' dikenali sebagai '{name}' (namanya diubah).")
        else:
            out[name] = None
    return out


SHEET_GONE = "lembar tidak ditemukan (dihapus, atau diganti nama dan judul kolomnya tidak " \
    "dikenali)"
COLUMN_GONE = "judul kolom tidak ditemukan (dihapus atau diubah)"


def _rows_by_key(s: _Sheet, header_row: int, cols: list[int]) -> dict[str, list[int]]:
    """Rows below the header by their code(s) ('IKU-1', or '01/03' for kegiatan/komponen)."""
    out: dict[str, list[int]] = {}
    for r in range(header_row + 1, len(s.rows)):
        row = s.rows[r]
        parts = [_key(row[c]) if c < len(row) else "" for c in cols]
        if all(parts):
            out.setdefault("/".join(parts), []).append(r)
    return out


class _Pemulih:
    """Carries typed values from the found sheets into a copy of the metadata's spec."""

    def __init__(self, meta: Meta, found: dict[str, _Sheet | None]) -> None:
        self.found = found
        self.data = copy.deepcopy(meta.spec_data)
        self.hilang: list[Hilang] = []
        self.where: dict[Key, str] = {}
        self.dibawa = 0
        self.formula_inputs: list[str] = []
        self.persen = meta.layout.persen
        self.tahunan = meta.layout.tahunan  # older workbooks have no annual column

    def take(self, s: _Sheet, r: int, c: int) -> tuple[Any, str]:
        """(value, 'Sheet!A1') of a typed cell; a formula gives its last computed value."""
        v, was_formula = s.value(r, c)
        cell = f"{s.name}!{col_letter(c + 1)}{r + 1}"
        if isinstance(v, str) and not v.strip():
            v = None
        if was_formula:
            self.formula_inputs.append(cell)
        if v is not None:
            self.dibawa += 1
        return v, cell

    def _persen(self, d: dict[str, Any], f: str, v: Any) -> Any:
        """A percentage cell's stored fraction as the spec's number (54 % -> 54)."""
        satuan = str(d.get("satuan", "")).strip().casefold() in SATUAN_PERSEN
        if isinstance(v, (int, float)) and not isinstance(v, bool) and sel_persen(
                str(d.get("jenis", "angka")), satuan, str(d.get("rumus", "langsung")), f):
            return nilai_persen(v, self.persen)
        return v

    def lose(self, lembar: str, apa: str, alasan: str) -> None:
        self.hilang.append(Hilang(lembar, apa, alasan))

    def row_of(self, name: str, key: str, rows: dict[str, list[int]], apa: str,
               gone: str) -> int | None:
        hits = rows.get(key, [])
        if not hits:
            self.lose(name, apa, gone)
            return None
        if len(hits) > 1:
            self.lose(name, apa, f"kode ini ada di {len(hits)} baris "
                      f"({', '.join(str(h + 1) for h in hits)}); tidak ditebak mana yang benar")
            return None
        return hits[0]

    def iku_sheet(self, name: str, fields: tuple[str, ...]) -> None:
        s = self.found[name]
        if s is None:
            self.lose(name, "seluruh lembar", SHEET_GONE)
            return
        hrow, cols = _header_map(s, HEADERS[name])
        if "kode" not in cols:
            self.lose(name, "seluruh lembar", "kolom 'Kode IKU' tidak ditemukan")
            return
        ikus = [d for sas in self.data["sasaran"] for d in sas["iku"]]
        penurunan = any(d.get("rumus") == "penurunan" for d in ikus)
        rasio = any(d.get("rumus") == "rasio" for d in ikus)
        for f in fields:
            if f not in cols and (f != "baseline" or penurunan) and (
                    f != "realisasi_tahunan" or self.tahunan) and (
                    rasio or not f.startswith(("pembilang", "penyebut"))):
                self.lose(name, f"kolom {HEADERS[name][f][0]}", COLUMN_GONE)
        rows = _rows_by_key(s, hrow, [cols["kode"]])
        for d in ikus:
            kode = str(d["kode"])
            r = self.row_of(name, kode, rows, f"IKU {kode}", "baris IKU ini tidak ditemukan "
                            "(dihapus, atau kode IKU-nya diubah)")
            if r is None:
                continue
            # a rasio IKU's inputs are pembilang and penyebut; its E:H are formulas
            skip = "realisasi_tw" if d.get("rumus") == "rasio" else ("pembilang", "penyebut")
            got = {f: self.take(s, r, cols[f]) for f in fields
                   if f in cols and not f.startswith(skip)}
            got = {f: (self._persen(d, f, v), cell) for f, (v, cell) in got.items()}
            if name == SHEET_TARGET:
                self._target(d, kode, got)
            else:
                self._realisasi(d, kode, got)

    def _target(self, d: dict[str, Any], kode: str, got: dict[str, tuple[Any, str]]) -> None:
        for f in ("target", "target_revisi"):
            if f in got:
                d[f], self.where[("iku", kode, f)] = got[f]
        if all(f"target_tw{q}" in got for q in range(1, 5)):
            tw = [got[f"target_tw{q}"][0] for q in range(1, 5)]
            if any(v is not None for v in tw):
                d["target_tw"] = tw
            else:
                d.pop("target_tw", None)
            for q in range(1, 5):
                self.where[("iku", kode, "target_tw", q)] = got[f"target_tw{q}"][1]
        if d.get("rumus") == "penurunan" and "baseline" in got:
            d["baseline"], self.where[("iku", kode, "baseline")] = got["baseline"]

    def _realisasi(self, d: dict[str, Any], kode: str, got: dict[str, tuple[Any, str]]
                   ) -> None:
        if all(f"realisasi_tw{q}" in got for q in range(1, 5)):
            d["realisasi_tw"] = [got[f"realisasi_tw{q}"][0] for q in range(1, 5)]
            for q in range(1, 5):
                self.where[("iku", kode, "realisasi_tw", q)] = got[f"realisasi_tw{q}"][1]
        for side in ("pembilang_tw", "penyebut_tw"):
            if all(f"{side}{q}" in got for q in range(1, 5)):
                d.pop("realisasi_tw", None)
                d[side] = [got[f"{side}{q}"][0] for q in range(1, 5)]
                for q in range(1, 5):
                    self.where[("iku", kode, side, q)] = got[f"{side}{q}"][1]
        for f in ("faktor_pendorong", "faktor_penghambat", "upaya"):
            if f in got:
                d[f] = None if got[f][0] is None else str(got[f][0])
        if "realisasi_tahunan" in got:
            d["realisasi_tahunan"], self.where[("iku", kode, "realisasi_tahunan")] = got[
                "realisasi_tahunan"]

    def anggaran(self) -> None:
        lines = baris_data(self.data)
        s = self.found[SHEET_ANGGARAN]
        if not lines:
            return
        if s is None:
            self.lose(SHEET_ANGGARAN, "seluruh lembar", SHEET_GONE)
            return
        hrow, cols = _header_map(s, HEADERS[SHEET_ANGGARAN])
        if "kode" not in cols or "kode_kegiatan" not in cols:
            self.lose(SHEET_ANGGARAN, "seluruh lembar",
                      "kolom 'Kode Kegiatan' atau 'Kode Komponen' tidak ditemukan")
            return
        for f in ANGGARAN_FIELDS:
            if f not in cols:
                self.lose(SHEET_ANGGARAN, f"kolom {HEADERS[SHEET_ANGGARAN][f][0]}", COLUMN_GONE)
        rows = _rows_by_key(s, hrow, [cols["kode_kegiatan"], cols["kode"]])
        for key, _, c in lines:
            r = self.row_of(SHEET_ANGGARAN, key, rows, f"baris anggaran {key}",
                            "baris ini tidak ditemukan (dihapus, atau kodenya diubah)")
            if r is None:
                continue
            got = {f: self.take(s, r, cols[f]) for f in ANGGARAN_FIELDS if f in cols}
            for f in ("pagu_awal", "pagu_revisi"):
                if f in got:
                    c[f], self.where[("anggaran", key, f)] = got[f]
            if all(f"realisasi_tw{q}" in got for q in range(1, 5)):
                c["realisasi_tw"] = [got[f"realisasi_tw{q}"][0] for q in range(1, 5)]
                for q in range(1, 5):
                    self.where[("anggaran", key, "realisasi_tw", q)] = got[f"realisasi_tw{q}"][1]
            if "realisasi_tahunan" in cols:  # optional: older templates have no such column
                v, at = self.take(s, r, cols["realisasi_tahunan"])
                if v is not None or "realisasi_tahunan" in c:
                    c["realisasi_tahunan"], self.where[("anggaran", key,
                                                        "realisasi_tahunan")] = v, at

    def identitas(self) -> None:
        s = self.found[SHEET_IDENTITAS]
        if s is None:
            self.lose(SHEET_IDENTITAS, "seluruh lembar", "lembar tidak ditemukan (dihapus, atau "
                      "diganti nama dan labelnya tidak dikenali)")
            return
        labels = _identitas_map(s)
        totals: dict[str, Any] = {}
        for f in IDENTITAS_FIELDS:
            if f not in labels:
                if f.startswith("penutup_") and not self.data.get("penutup"):
                    continue  # an older template without the rows, and nothing to lose
                self.lose(SHEET_IDENTITAS, IDENTITAS_LABELS[f][0],
                          "baris dengan label ini tidak ditemukan")
                continue
            v, cell = self.take(s, labels[f], 1)
            if f.startswith("penutup_"):
                penutup = self.data.setdefault("penutup", {})
                penutup[f.removeprefix("penutup_")] = None if v is None else str(v)
            elif f in ("kepala", "nip"):
                self.data["unit"][f] = None if v is None else _key(v)
            elif f == "periode":
                canon = {p.casefold(): p for p in PERIODE_PILIHAN}.get(_norm(v))
                if canon is None:
                    self.lose(SHEET_IDENTITAS, cell, f"periode '{v}' tidak dikenal; periode saat "
                              "workbook dibuat dipakai")
                else:
                    self.data["periode"] = "tahunan" if canon == "Tahunan" else canon
            else:
                name = f.removeprefix("total_")
                totals[name] = v
                self.where[("total", name)] = cell
        anggaran = self.data.get("anggaran") or {}
        if any(v is not None for v in totals.values()) or "total" in anggaran:
            self.data.setdefault("anggaran", {})["total"] = {**(anggaran.get("total") or {}),
                                                            **totals}


def pulihkan(path: str | Path) -> HasilPulih:
    """Read a damaged (or older) workbook and build the Spec of its clean replacement."""
    path = Path(path)
    sumber = str(path)
    catatan: list[str] = []
    sheets = _load(path)
    meta = _find_meta(sheets, sumber, catatan)
    if meta.versi_template > TEMPLATE_VERSION:
        report = Report()
        report.error("versi_template", sumber, f"Workbook memakai template versi "
                     f"{meta.versi_template}, lebih baru dari versi {TEMPLATE_VERSION} yang "
                     "dikenal program ini.", "Perbarui workbook-gen ke versi terbaru.")
        raise PulihError(report, sumber)
    if meta.versi_template < TEMPLATE_VERSION:
        catatan.append(f"Template versi {meta.versi_template} dipindahkan ke versi "
                       f"{TEMPLATE_VERSION}.")
    p = _Pemulih(meta, _assign_sheets(sheets, catatan))
    p.iku_sheet(SHEET_TARGET, TARGET_FIELDS)
    p.iku_sheet(SHEET_REALISASI, REALISASI_FIELDS)
    p.anggaran()
    p.identitas()
    if p.formula_inputs:
        catatan.append(f"{len(p.formula_inputs)} sel isian berisi rumus; nilai hasil rumusnya "
                       f"dibawa: {', '.join(p.formula_inputs[:8])}"
                       + (" ..." if len(p.formula_inputs) > 8 else "") + ".")
    try:
        spec = spec_from_data(p.data, sumber, lokasi_sel=p.where, nilai_ketat=False)
    except SpecError as exc:
        raise PulihError(exc.report, sumber) from None
    for f in spec.temuan_masukan:
        if f.tingkat == ERROR and f.jenis in ("bukan_angka", "label_tidak_dikenal",
                                              "angka_ambigu"):
            sheet = f.lokasi.split("!")[0] if "!" in f.lokasi else ""
            p.lose(sheet, f.lokasi, f"isian tidak bisa dibaca: {f.pesan}")
    return HasilPulih(spec=spec, hilang=p.hilang, catatan=catatan, dibawa=p.dibawa)


def run_cli(path: Path, out: Path, *, timpa: bool = False, as_json: bool = False) -> int:
    try:
        if out.exists() and path.exists() and out.resolve() == path.resolve():
            raise OutputError(f"{out} adalah workbook yang dipulihkan; tulis ke berkas lain "
                              "agar aslinya tetap utuh.")
        if out.suffix.lower() not in EXTENSIONS:
            raise OutputError(f"{out}: pakai .xlsm (dengan tombol) atau .xlsx (tanpa makro).")
        hasil = pulihkan(path)
        generate(hasil.spec, out, overwrite=timpa)
    except PulihError as exc:
        if as_json:
            print(json.dumps({"ditulis": None, "temuan": exc.report.as_list()},
                             ensure_ascii=False, indent=2))
        else:
            print(f"Workbook {exc.sumber} tidak bisa dipulihkan:", file=sys.stderr)
            print(exc.report.format_table(), file=sys.stderr)
        return 1
    if as_json:
        print(json.dumps({"ditulis": str(out), "dibawa": hasil.dibawa,
                          "catatan": hasil.catatan,
                          "tidak_dipulihkan": [asdict(h) for h in hasil.hilang]},
                         ensure_ascii=False, indent=2))
        return 0
    print(f"Workbook baru ditulis: {out} ({hasil.dibawa} isian dibawa dari {path.name}).")
    for c in hasil.catatan:
        print(f"  Catatan: {c}")
    if hasil.hilang:
        print(f"Tidak bisa dipulihkan ({len(hasil.hilang)}); di tempat ini workbook baru "
              "berisi nilai saat workbook dibuat, periksa dan isi ulang:")
        for h in hasil.hilang:
            print(f"  - {h.lembar}: {h.apa}: {h.alasan}")
    else:
        print("Semua isian berhasil dipulihkan.")
    return 0
