"""Where everything lives in a unit workbook: sheets, rows, columns, metadata.

The layout is a pure function of the spec's structure. The generator writes cells at
these places and stores the resulting cell map in the hidden metadata sheet; readers
(the Hitung Capaian routine, ``hitung FILE``, the consolidation) take the map from the
metadata, never from guessing positions. Inputs sit in rectangular blocks so a reader
needs one call per block (one COM round trip each in real Excel).

Sheet names and headers are what users see: Indonesian.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from . import TEMPLATE_VERSION
from .spec import Key, Spec, baris_data
from .workbook.inputs import PERSEN_ANGKA, PERSEN_PECAHAN

SHEET_PETUNJUK = "Petunjuk"
SHEET_IDENTITAS = "Identitas"
SHEET_TARGET = "Target"
SHEET_REALISASI = "Realisasi"
SHEET_ANGGARAN = "Anggaran"
SHEET_META = "_meta"
INPUT_SHEETS = (SHEET_IDENTITAS, SHEET_TARGET, SHEET_REALISASI, SHEET_ANGGARAN)

# Summary sheets rebuilt by Hitung Capaian (issue "Hitung Capaian"); order as shown.
SHEET_RINGKASAN = "Ringkasan Capaian"
SHEET_PENGUKURAN = "Pengukuran Kinerja"
SHEET_CAPAIAN_ANGGARAN = "Capaian Anggaran"
SHEET_REALISASI_ANGGARAN = "Realisasi Anggaran"
SHEET_TAHUNAN = "Perbandingan Tahunan"
SHEET_GRAFIK = "Grafik"
SHEET_CATATAN = "Catatan Validasi"
SHEET_SEKSI = "Capaian per Penanggung Jawab"  # only when a spec names a penanggung jawab
SUMMARY_SHEETS = (SHEET_RINGKASAN, SHEET_PENGUKURAN, SHEET_CAPAIAN_ANGGARAN,
                  SHEET_REALISASI_ANGGARAN, SHEET_SEKSI, SHEET_TAHUNAN, SHEET_GRAFIK,
                  SHEET_CATATAN)

# How every generated sheet is protected (xlsxwriter option names); Hitung Capaian
# protects a sheet again with exactly these settings after writing to it.
SHEET_PROTECTION = {"format_columns": True, "format_rows": True,
                    "select_locked_cells": True, "select_unlocked_cells": True}

HEADER_ROW = 5  # 1-based row of the column headers on Target, Realisasi, Anggaran
FIRST_ROW = 6  # first data row

# Column letters per field. "*" in the comment: an input cell (unlocked).
TARGET_COLS = {
    "no": "A", "kode_sasaran": "B", "sasaran": "C", "kode": "D", "nama": "E", "satuan": "F",
    "jenis": "G", "polaritas": "H", "agregasi": "I", "diukur_pada": "J",
    "penanggung_jawab": "K",
    "target": "L",  # *
    "target_revisi": "M",  # *
    "target_tw1": "N", "target_tw2": "O", "target_tw3": "P", "target_tw4": "Q",  # *
    "baseline": "R",  # * (penurunan IKUs only)
}
REALISASI_COLS = {
    "no": "A", "kode": "B", "nama": "C", "satuan": "D",
    "realisasi_tw1": "E", "realisasi_tw2": "F", "realisasi_tw3": "G", "realisasi_tw4": "H",  # *
    "realisasi_sd": "I",  # formula: realisasi s.d. periode
    "target": "J",  # formula: =Target!L
    "target_revisi": "K",  # formula: revised target, else PK target
    "target_sd": "L",  # formula: target s.d. TW n from the TW targets
    "capaian": "M", "capaian_revisi": "N", "capaian_tw": "O",  # formulas
    "kategori": "P",  # formula: category of capaian
    "faktor_pendorong": "Q", "faktor_penghambat": "R", "upaya": "S",  # *
    # * the verified annual figure (spec realisasi_tahunan); appended at the right, so
    # present only in workbooks whose layout says so (Layout.tahunan)
    "realisasi_tahunan": "T",
    # * rasio IKUs only (rumus: rasio): pembilang and penyebut per quarter, in pairs; on
    # those rows E:H are formulas (the quarter ratios), see formulas.rasio_tw
    "pembilang_tw1": "U", "penyebut_tw1": "V", "pembilang_tw2": "W", "penyebut_tw2": "X",
    "pembilang_tw3": "Y", "penyebut_tw3": "Z", "pembilang_tw4": "AA", "penyebut_tw4": "AB",
}
ANGGARAN_COLS = {
    "no": "A", "kode_kegiatan": "B", "kegiatan": "C", "kode": "D", "nama": "E",
    "sasaran": "F", "akun": "G", "jenis_belanja": "H",
    "pagu_awal": "I", "pagu_revisi": "J",  # *
    "realisasi_tw1": "K", "realisasi_tw2": "L", "realisasi_tw3": "M", "realisasi_tw4": "N",  # *
    "pagu": "O", "realisasi_sd": "P", "serapan": "Q", "sisa": "R",  # formulas
    # hidden helper formulas (lines only): each input I:N as a number, "" when the cell
    # holds no number (text, TRUE/FALSE, an error value); group rows add these up, so a
    # #N/A or a TRUE typed in one line is read alike by Excel, LibreOffice and Gnumeric.
    "angka_pagu_awal": "S", "angka_pagu_revisi": "T",
    "angka_realisasi_tw1": "U", "angka_realisasi_tw2": "V", "angka_realisasi_tw3": "W",
    "angka_realisasi_tw4": "X",
    # * spending known only for the year: used at TW IV / Tahunan instead of the quarters
    "realisasi_tahunan": "Y",
    "angka_realisasi_tahunan": "Z",  # hidden helper of Y, as S:X are of I:N
}
#: Input field of the Anggaran sheet -> its hidden helper column field.
ANGGARAN_ANGKA = {f: f"angka_{f}" for f in ("pagu_awal", "pagu_revisi", "realisasi_tw1",
                                            "realisasi_tw2", "realisasi_tw3",
                                            "realisasi_tw4", "realisasi_tahunan")}
# Identitas: labels in column A, values in column B, one row per field.
IDENTITAS_ROWS = {
    "nama": 4, "kode_satker": 5, "provinsi": 6, "kepala": 7, "nip": 8, "tahun": 9,
    "periode": 10,  # * list: TW I .. TW IV, Tahunan
    "periode_n": 11,  # formula: quarters covered (1..4), named range PeriodeN
    "total_pagu_awal": 12, "total_pagu_revisi": 13, "total_realisasi": 14,  # *
    "versi_template": 15, "hash_spec": 16,
    "penutup_permasalahan": 17, "penutup_upaya": 18, "penutup_saran": 19,  # * text
}
IDENTITAS_INPUTS = ("kepala", "nip", "periode", "total_pagu_awal", "total_pagu_revisi",
                    "total_realisasi", "penutup_permasalahan", "penutup_upaya",
                    "penutup_saran")
PERIODE_PILIHAN = ("TW I", "TW II", "TW III", "TW IV", "Tahunan")
NAME_PERIODE_N = "PeriodeN"

# Blocks read in one call each: (sheet, first column, last column).
TARGET_INPUT_BLOCK = ("target", "baseline")
REALISASI_INPUT_BLOCK = ("realisasi_tw1", "realisasi_tw4")
NARASI_INPUT_BLOCK = ("faktor_pendorong", "upaya")
RASIO_INPUT_BLOCK = ("pembilang_tw1", "penyebut_tw4")
REALISASI_FORMULA_BLOCK = ("realisasi_sd", "kategori")
ANGGARAN_INPUT_BLOCK = ("pagu_awal", "realisasi_tw4")
ANGGARAN_FORMULA_BLOCK = ("pagu", "sisa")


@dataclass
class Layout:
    """Rows of every IKU and budget line; the rest follows from the constants above."""

    iku_rows: dict[str, int]  # IKU kode -> row on Target and on Realisasi (same row)
    line_rows: dict[str, int]  # budget line key "kegiatan/komponen" -> row on Anggaran
    subtotal_rows: dict[str, int] = field(default_factory=dict)  # "kegiatan:K1", "jenis:52"
    total_row: int | None = None
    versi: int = TEMPLATE_VERSION
    # How percentage input cells store a percentage (workbook.inputs): "pecahan" (real
    # Excel percentages, 54 % stored as 0.54) or "angka" (54; workbooks made before).
    persen: str = PERSEN_ANGKA
    # Whether the Realisasi sheet has the annual realisasi input column (T); workbooks
    # made before it do not, and are read and recalculated without it.
    tahunan: bool = False

    @property
    def iku_last_row(self) -> int:
        return FIRST_ROW + len(self.iku_rows) - 1

    @property
    def line_last_row(self) -> int:
        return FIRST_ROW + max(len(self.line_rows), 1) - 1

    def cell(self, key: Key) -> str:
        """'Sheet!A1' of the input cell a spec key refers to (see spec.Key)."""
        kind = key[0]
        if kind == "iku":
            row = self.iku_rows[key[1]]
            fname = key[2] if len(key) > 2 else "kode"
            if fname in ("realisasi_tw", "target_tw", "pembilang_tw", "penyebut_tw"):
                fname = f"{fname}{key[3]}"
            if fname == "realisasi_tahunan" and not self.tahunan:
                raise KeyError(key)
            if fname in REALISASI_COLS and (fname.startswith(
                    ("realisasi", "pembilang", "penyebut")) or fname in (
                    "faktor_pendorong", "faktor_penghambat", "upaya")):
                return f"{SHEET_REALISASI}!{REALISASI_COLS[fname]}{row}"
            return f"{SHEET_TARGET}!{TARGET_COLS[fname]}{row}"
        if kind == "anggaran":
            row = self.line_rows[key[1]]
            fname = key[2] if len(key) > 2 else "nama"
            if fname == "realisasi_tw":
                fname = f"realisasi_tw{key[3]}"
            return f"{SHEET_ANGGARAN}!{ANGGARAN_COLS[fname]}{row}"
        if kind == "total":
            return f"{SHEET_IDENTITAS}!B{IDENTITAS_ROWS['total_' + key[1]]}"
        raise KeyError(key)

    def lokasi_sel(self) -> dict[Key, str]:
        """Every input key of this layout mapped to its cell (findings name cells)."""
        out: dict[Key, str] = {}
        for k in self.iku_rows:
            out[("iku", k)] = self.cell(("iku", k, "kode"))
            for fname in ("target", "target_revisi", "baseline"):
                out[("iku", k, fname)] = self.cell(("iku", k, fname))
            for q in range(1, 5):
                out[("iku", k, "target_tw", q)] = self.cell(("iku", k, "target_tw", q))
                for fname in ("realisasi_tw", "pembilang_tw", "penyebut_tw"):
                    out[("iku", k, fname, q)] = self.cell(("iku", k, fname, q))
            if self.tahunan:
                out[("iku", k, "realisasi_tahunan")] = self.cell(("iku", k, "realisasi_tahunan"))
        for key in self.line_rows:
            out[("anggaran", key)] = self.cell(("anggaran", key, "nama"))
            for fname in ("pagu_awal", "pagu_revisi", "realisasi_tahunan"):
                out[("anggaran", key, fname)] = self.cell(("anggaran", key, fname))
            for q in range(1, 5):
                out[("anggaran", key, "realisasi_tw", q)] = self.cell(
                    ("anggaran", key, "realisasi_tw", q))
        for fname in ("pagu_awal", "pagu_revisi", "realisasi"):
            out[("total", fname)] = self.cell(("total", fname))
        return out

    def to_json(self) -> dict[str, Any]:
        out = {"versi": self.versi, "iku_rows": self.iku_rows, "line_rows": self.line_rows,
               "subtotal_rows": self.subtotal_rows, "total_row": self.total_row,
               "persen": self.persen}
        if self.tahunan:
            out["tahunan"] = True
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Layout:
        return cls(iku_rows={str(k): int(v) for k, v in data["iku_rows"].items()},
                   line_rows={str(k): int(v) for k, v in data["line_rows"].items()},
                   subtotal_rows={str(k): int(v) for k, v in data.get("subtotal_rows",
                                                                         {}).items()},
                   total_row=data.get("total_row"), versi=int(data.get("versi", 0)),
                   persen=PERSEN_PECAHAN if data.get("persen") == PERSEN_PECAHAN
                   else PERSEN_ANGKA, tahunan=data.get("tahunan") is True)


def layout_for(spec: Spec) -> Layout:
    """Rows for ``spec``: IKUs in spec order; budget lines, then a blank row, then
    subtotals per kegiatan, per jenis belanja, and the total."""
    iku_rows = {iku.kode: FIRST_ROW + i for i, iku in enumerate(spec.semua_iku())}
    line_rows = {line.key: FIRST_ROW + i for i, line in enumerate(spec.anggaran)}
    row = FIRST_ROW + len(spec.anggaran) + 1
    subtotal_rows: dict[str, int] = {}
    for kode in dict.fromkeys(line.kegiatan_kode for line in spec.anggaran):
        row += 1
        subtotal_rows[f"kegiatan:{kode}"] = row
    row += 1
    for jb in sorted({line.jenis_belanja or "-" for line in spec.anggaran}):
        row += 1
        subtotal_rows[f"jenis:{jb}"] = row
    total_row = row + 2 if spec.anggaran else None
    return Layout(iku_rows, line_rows, subtotal_rows, total_row, persen=PERSEN_PECAHAN,
                  tahunan=True)


LABEL_LIST_FIRST_COL = 4  # _meta!D: one column per scale, its labels from row 2


def label_ranges(spec: Spec) -> dict[str, str]:
    """Scale name -> absolute range of its labels on the hidden _meta sheet (every scale
    gets one; the kategori formulas and the dropdowns refer to it)."""
    out = {}
    for i, (nama, skala) in enumerate(spec.skala.items()):
        col = col_letter(LABEL_LIST_FIRST_COL + i)
        out[nama] = f"'{SHEET_META}'!${col}$2:${col}${1 + len(skala.tingkat)}"
    return out


def col_index(letter: str) -> int:
    """'A' -> 1, 'R' -> 18, 'AA' -> 27."""
    n = 0
    for ch in letter:
        n = n * 26 + (ord(ch.upper()) - 64)
    return n


def col_letter(index: int) -> str:
    out = ""
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


# --------------------------------------------------------------------------- metadata

META_MAGIC = "workbook-gen"
META_CHUNK = 30000  # characters per cell (Excel's limit is 32767)


def data_hash(data: dict[str, Any]) -> str:
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def spec_hash(spec: Spec) -> str:
    """Fingerprint of the validated spec a workbook was generated from."""
    return data_hash(spec.data)


def meta_rows(spec: Spec, layout: Layout) -> list[tuple[str, str]]:
    """Key/value rows of the hidden metadata sheet (column A key, column B value).

    Long JSON values are split over rows with the same key; readers join them in order.
    """
    rows: list[tuple[str, str]] = [
        ("aplikasi", META_MAGIC),
        ("versi_template", str(TEMPLATE_VERSION)),
        ("hash_spec", spec_hash(spec)),
        ("kode_satker", spec.unit.kode_satker),
        ("nama_unit", spec.unit.nama),
        ("tahun", str(spec.tahun)),
    ]
    for key, value in (("layout", layout.to_json()), ("spec", spec.data)):
        text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
        for i in range(0, len(text), META_CHUNK):
            rows.append((key, text[i:i + META_CHUNK]))
    return rows


@dataclass
class Meta:
    versi_template: int
    hash_spec: str
    kode_satker: str
    nama_unit: str
    tahun: int
    layout: Layout
    spec_data: dict[str, Any]


class MetaError(ValueError):
    """Metadata missing or unreadable (the caller names the file)."""


def _meta_validator() -> Any:
    global _META_VALIDATOR
    if _META_VALIDATOR is None:
        from importlib import resources

        from .jsoncheck import Checker  # stdlib only: the buttons' import closure

        text = resources.files("workbook_gen").joinpath("schema/meta.schema.json").read_text(
            "utf-8")
        _META_VALIDATOR = Checker(json.loads(text))
    return _META_VALIDATOR


_META_VALIDATOR: Any = None
_META_TYPES = {"string": "teks", "integer": "bilangan bulat", "array": "daftar",
               "object": "bagian bernama", "null": "kosong"}


def _meta_reason(err: Any) -> str:
    """One schema error in words: where in the metadata, and what is wrong."""
    where = ""
    for part in err.absolute_path:
        where += f"[{part}]" if isinstance(part, int) else (f".{part}" if where else str(part))
    where = where or "metadata"
    v = err.validator
    if v == "required":
        missing = err.message.split("'")[1] if "'" in err.message else "?"
        return f"{where}: bagian '{missing}' tidak ada"
    if v == "type":
        wanted = err.validator_value if isinstance(err.validator_value, list) else [
            err.validator_value]
        names = " atau ".join(_META_TYPES.get(w, w) for w in wanted)
        return f"{where}: seharusnya {names}, bukan {type(err.instance).__name__}"
    if v in ("minimum", "maximum"):
        return (f"{where}: nomor baris {err.instance} di luar lembar (baris data "
                f"{FIRST_ROW}..1.048.576)")
    if v == "minItems":
        return f"{where}: daftar kosong"
    if v in ("maxProperties", "maxLength"):
        return f"{where}: terlalu panjang"
    if v in ("pattern", "const", "oneOf"):
        shown = str(err.instance)
        return f"{where}: nilai '{shown[:40]}' tidak sah"
    return f"{where}: tidak sah ({v})"


def _expected_rows(spec_data: dict[str, Any]) -> tuple[list[str], list[str]]:
    """IKU kodes and budget line keys in the order the generator gives them rows."""
    ikus = [str(i["kode"]) for s in spec_data["sasaran"] for i in s.get("iku") or []]
    lines = [key for key, _, _ in baris_data(spec_data)]
    return ikus, lines


def _check_rows(what: str, got: dict[str, int], keys: list[str]) -> None:
    """Rows of the layout exactly where the generator puts them (one per key, in order)."""
    expected = {k: FIRST_ROW + i for i, k in enumerate(keys)}
    if got == expected:
        return
    missing = [k for k in keys if k not in got]
    extra = [k for k in got if k not in expected]
    if missing:
        raise MetaError(f"{what} '{missing[0]}' ada di spec tetapi tidak ada "
                        "di layout")
    if extra:
        raise MetaError(f"{what} '{extra[0]}' ada di layout tetapi tidak ada "
                        "di spec")
    wrong = next(k for k in keys if got[k] != expected[k])
    raise MetaError(f"{what} '{wrong}' tercatat di baris {got[wrong]}, "
                    f"seharusnya baris {expected[wrong]}")


# The metadata schema is checked once per structure per process: what it reads of the
# layout and the spec (the layout whole; of the spec only its shape and its codes) is the
# same for every workbook of one katalog, and the few per-unit keys (kode satker, name,
# fingerprint, ...) are checked against their own part of the schema per file. A
# metadata whose structure was not proved, or whose per-unit keys do not pass, takes the
# full check (so its reasons are reported exactly as always).

_META_PROVED: dict[str, None] = {}
_META_KEPT = 256
_META_SHARED = ("layout", "spec")
#: Schema keywords under which each top-level property is checked on its own.
_PER_PROPERTY = frozenset({"$schema", "$id", "title", "description", "$defs", "type",
                           "required", "properties"})


def _given(holder: dict[str, Any], key: str) -> list[Any]:
    """[value] when ``key`` is there, [] when not (no value can stand for "absent")."""
    return [holder[key]] if key in holder else []


def _codes(items: Any, inner: str | None) -> Any:
    """Of a list of objects: each one's kode, and its ``inner`` list's; raises TypeError
    for any other shape (no memo then)."""
    if not isinstance(items, list):
        raise TypeError
    out = []
    for item in items:
        if not isinstance(item, dict):
            raise TypeError
        entry = [_given(item, "kode")]
        if inner is not None:
            entry.append([_codes(item[inner], None)] if inner in item else [])
        out.append(entry)
    return out


def _meta_structure(doc: dict[str, Any]) -> str | None:
    """Everything the metadata schema reads of ``layout`` and ``spec``, as text; None
    for a shape this does not cover (the full check then runs)."""
    spec = doc.get("spec")
    if _meta_unit_checker() is None or not isinstance(spec, dict) \
            or not isinstance(spec.get("unit"), dict) or not isinstance(spec.get("sasaran"),
                                                                        list):
        return None
    try:
        ikus = []
        for item in spec["sasaran"]:
            if not isinstance(item, dict) or "iku" not in item:
                return None
            ikus.append(_codes(item["iku"], None))
        anggaran = _given(spec, "anggaran")
        if anggaran and isinstance(anggaran[0], dict):
            kegiatan = _given(anggaran[0], "kegiatan")
            if kegiatan and kegiatan[0] is not None:
                kegiatan = [_codes(kegiatan[0], "komponen")]
            anggaran = [{"kegiatan": kegiatan}]
        elif anggaran and anggaran[0] is not None:
            return None
        return json.dumps([_given(doc, "layout"), ikus, anggaran], sort_keys=True,
                          ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        return None


def _meta_unit_checker() -> Any:
    """The metadata schema without ``layout`` and ``spec`` (the per-unit keys), or None
    when its top level ties properties together (then no memo)."""
    global _META_UNIT
    if _META_UNIT is None:
        from .jsoncheck import Checker

        full = _meta_validator().schema
        if not set(full) <= _PER_PROPERTY:
            _META_UNIT = False
        else:
            part = {k: v for k, v in full.items() if k not in ("properties", "required")}
            part["properties"] = {k: v for k, v in full.get("properties", {}).items()
                                  if k not in _META_SHARED}
            part["required"] = [k for k in full.get("required", []) if k not in _META_SHARED]
            _META_UNIT = Checker(part)
    return _META_UNIT or None


_META_UNIT: Any = None


def _meta_unit_valid(doc: dict[str, Any]) -> bool:
    checker = _meta_unit_checker()
    return checker is not None and checker.is_valid(doc)


#: JSON parts of metadata a check has just parsed without changing the result
#: (konsolidasi.meta.check_meta_rows), by key: (text, value). parse_meta takes each at
#: most once, and only for the very same text, instead of parsing that text again.
_HANDED: dict[str, tuple[str, Any]] = {}


def hand_over_json(key: str, text: str, value: Any) -> None:
    """``value`` is ``json.loads(text)``, parsed for metadata part ``key`` and not
    changed since: the next :func:`parse_meta` of the same text may take it."""
    _HANDED[key] = (text, value)


def _loads(key: str, text: Any) -> Any:
    handed = _HANDED.pop(key, None)
    if handed is not None and type(text) is str and handed[0] == text:
        return handed[1]
    return json.loads(text)


def parse_meta(rows: list[tuple[Any, Any]]) -> Meta:
    """Rebuild :class:`Meta` from the metadata sheet's A:B rows (as read from any reader).

    The metadata is input from a stranger: it is checked against
    ``schema/meta.schema.json`` and the layout against the spec it carries before any of
    it is used; every problem is a :class:`MetaError` with the reason."""
    values: dict[str, str] = {}
    for key, value in rows:
        if key is None:
            continue
        key = str(key)
        values[key] = values.get(key, "") + ("" if value is None else str(value))
    if values.get("aplikasi") != META_MAGIC:
        raise MetaError("metadata workbook-gen tidak ditemukan")
    doc: dict[str, Any] = dict(values)
    for key in ("layout", "spec"):
        if key in doc:
            try:
                doc[key] = _loads(key, doc[key])
            except (ValueError, RecursionError):
                raise MetaError(f"bagian '{key}' bukan JSON yang utuh") from None
    key = _meta_structure(doc)
    if not (key is not None and key in _META_PROVED and _meta_unit_valid(doc)):
        errors = sorted(_meta_validator().iter_errors(doc),
                        key=lambda e: list(e.absolute_path))
        if errors:
            raise MetaError("; ".join(_meta_reason(e) for e in errors[:3]))
        if key is not None:
            _META_PROVED[key] = None
            if len(_META_PROVED) > _META_KEPT:
                _META_PROVED.pop(next(iter(_META_PROVED)))
    layout_data, spec_data = doc["layout"], doc["spec"]
    ikus, lines = _expected_rows(spec_data)
    _check_rows("IKU", layout_data["iku_rows"], ikus)
    _check_rows("baris anggaran", layout_data["line_rows"], lines)
    return Meta(
        versi_template=int(float(values["versi_template"])),
        hash_spec=values["hash_spec"],
        kode_satker=values["kode_satker"],
        nama_unit=values.get("nama_unit", ""),
        tahun=int(float(values["tahun"])),
        layout=Layout.from_json(layout_data),
        spec_data=spec_data,
    )
