"""Read a unit workbook's inputs through its metadata and build the engine's Spec.

The reader never guesses positions: the hidden metadata sheet holds the spec's structure
and the cell map (``layout``). It reads each input block in one call from any
:class:`BlockSource` (the open workbook through xlwings, a file through openpyxl, or the
consolidation's fast reader), puts the typed values into the spec and builds it with the
same converters as a YAML spec, so every finding names its sheet and cell.

Workbook problems that make reading impossible (not one of ours, an unsupported template
version, a deleted or renamed sheet, inserted or deleted rows) raise :class:`ReadError`
with every such problem in its report.
"""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, NoReturn, Protocol

from . import TEMPLATE_VERSION, metaspec
from .findings import Report, SpecError, WorkbookGenError
from .layout import (
    ANGGARAN_COLS,
    FIRST_ROW,
    IDENTITAS_ROWS,
    PERIODE_PILIHAN,
    REALISASI_COLS,
    SHEET_ANGGARAN,
    SHEET_IDENTITAS,
    SHEET_META,
    SHEET_REALISASI,
    SHEET_TARGET,
    TARGET_COLS,
    Layout,
    Meta,
    MetaError,
    col_index,
    layout_for,
    parse_meta,
)
from .spec import PENUTUP_FIELDS, PERIODE, SATUAN_PERSEN, Spec, baris_data, spec_from_data
from .workbook.inputs import baca_sel, hitungan, sel_persen

META_MAX_ROWS = 400  # metadata rows read at once (chunks of 30,000 characters each)

# What findings call an input cell (the column headers users see).
HEADERS_REALISASI = {f"realisasi_tw{q}": f"Realisasi {p}" for q, p in enumerate(PERIODE, 1)}
HEADERS_RASIO = {f"{side}_tw{q}": f"{side.capitalize()} {p}" for q, p in enumerate(PERIODE, 1)
                 for side in ("pembilang", "penyebut")}
HEADERS_TARGET = {"target": "Target PK", "target_revisi": "Target revisi",
                  **{f"target_tw{q}": f"Target {p}" for q, p in enumerate(PERIODE, 1)},
                  "baseline": "Baseline"}
HEADERS_ANGGARAN = {"pagu_awal": "Pagu awal", "pagu_revisi": "Pagu revisi",
                    "realisasi_tahunan": "Realisasi tahunan", **HEADERS_REALISASI}


class BlockSource(Protocol):
    """What the reader needs from a workbook: sheet names and rectangular blocks.

    Rows and columns are 1-based and inclusive; a block comes back as a list of rows,
    each a list of cell values (None for empty cells), padded to the block's size.
    """

    def sheet_names(self) -> list[str]: ...

    def read_block(self, sheet: str, first_row: int, first_col: int, last_row: int,
                   last_col: int) -> list[list[Any]]: ...


class ReadError(WorkbookGenError):
    """A workbook that cannot be read as one of ours; :attr:`report` says why and where."""

    def __init__(self, report: Report, sumber: str) -> None:
        first = report.errors[0].pesan if report.errors else ""
        super().__init__(f"{sumber}: {first}")
        self.report = report
        self.sumber = sumber


@dataclass
class Bacaan:
    """What was read: the spec built from the cells, its metadata and layout."""

    spec: Spec
    meta: Meta
    layout: Layout


def _norm(value: Any) -> Any:
    """Cell value -> spec value: '' is empty, booleans become text (refused later)."""
    if value is None:
        return None
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, bool):
        return "BENAR" if value else "SALAH"
    if isinstance(value, (int, float)):
        return value
    return str(value)  # dates and other types: shown back to the user as typed


def _meta_damaged(report: Report, reason: str, sumber: str) -> NoReturn:
    report.error("metadata_rusak", f"{SHEET_META}!A1",
                 f"Bukan workbook workbook-gen yang utuh: metadata rusak ({reason}).",
                 "Buat ulang workbook dengan 'workbook-gen buat' dan salin isian Anda.")
    raise ReadError(report, sumber) from None


def read_meta(source: BlockSource, sumber: str) -> Meta:
    """The workbook's metadata, or ReadError when it is not one of ours."""
    report = Report()
    if SHEET_META not in source.sheet_names():
        report.error(
            "bukan_workbook_kita", sumber,
            "Workbook ini tidak berisi metadata workbook-gen (lembar tersembunyi '_meta'); "
            "ini bukan workbook yang dibuat dengan workbook-gen, atau lembar itu terhapus.",
            "Pakai workbook yang dibuat dengan 'workbook-gen buat', lalu salin isian Anda ke "
            "sana.")
        raise ReadError(report, sumber)
    rows = source.read_block(SHEET_META, 1, 1, META_MAX_ROWS, 2)
    try:
        meta = parse_meta([(r[0], r[1]) for r in rows])
    except MetaError as exc:
        _meta_damaged(report, str(exc), sumber)
    if meta.versi_template != TEMPLATE_VERSION:
        older = meta.versi_template < TEMPLATE_VERSION
        report.error(
            "versi_template", f"{SHEET_META}!B2",
            f"Workbook memakai template versi {meta.versi_template}, sedangkan versi yang "
            f"didukung adalah {TEMPLATE_VERSION}.",
            "Minta workbook versi terbaru dari kantor pusat dan salin isian Anda ke sana."
            if older else "Perbarui workbook-gen ke versi terbaru.")
        raise ReadError(report, sumber)
    return meta


def _check_structure(source: BlockSource, meta: Meta, report: Report) -> None:
    """Sheets present; every IKU and budget line still on its own row."""
    names = set(source.sheet_names())
    for sheet in (SHEET_IDENTITAS, SHEET_TARGET, SHEET_REALISASI, SHEET_ANGGARAN):
        if sheet not in names:
            report.error(
                "lembar_hilang", sheet,
                f"Lembar '{sheet}' tidak ditemukan (diganti nama atau dihapus).",
                f"Kembalikan nama lembar menjadi '{sheet}', atau pakai salinan workbook yang "
                "masih utuh.")
    if report.errors:
        return
    layout = meta.layout
    if layout.iku_rows:
        last = max(layout.iku_rows.values())
        for sheet, col in ((SHEET_TARGET, TARGET_COLS["kode"]),
                           (SHEET_REALISASI, REALISASI_COLS["kode"])):
            c = col_index(col)
            column = [r[0] for r in source.read_block(sheet, FIRST_ROW, c, last + 1, c)]
            _check_keys(column, {row: kode for kode, row in layout.iku_rows.items()}, sheet,
                        col, "IKU", report)
    if layout.line_rows:
        # down to the total row: a book that caches reads reads the sheet once
        last = max([*layout.line_rows.values(), *layout.subtotal_rows.values(),
                    layout.total_row or 0])
        b, d = col_index(ANGGARAN_COLS["kode_kegiatan"]), col_index(ANGGARAN_COLS["kode"])
        block = source.read_block(SHEET_ANGGARAN, FIRST_ROW, b, last, d)
        found = [None if r[0] is None and r[2] is None else f"{_key(r[0])}/{_key(r[2])}"
                 for r in block]
        _check_keys(found, {row: key for key, row in layout.line_rows.items()},
                    SHEET_ANGGARAN, ANGGARAN_COLS["kode"], "baris anggaran", report)


def _key(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value).strip()


def _check_keys(column: list[Any], expected: dict[int, str], sheet: str, col: str, what: str,
                report: Report) -> None:
    for row, kode in sorted(expected.items()):
        got = column[row - FIRST_ROW] if row - FIRST_ROW < len(column) else None
        if _key(got) != kode:
            report.error(
                "baris_bergeser", f"{sheet}!{col}{row}",
                f"Baris {row} lembar '{sheet}' seharusnya {what} '{kode}', tetapi berisi "
                f"'{_key(got) or '(kosong)'}': ada baris yang disisipkan, dihapus atau "
                "dipindah.",
                "Batalkan penyisipan/penghapusan baris (Ctrl+Z) atau pakai salinan workbook "
                "yang masih utuh; jangan mengubah susunan baris.")
            return  # one finding per sheet: the rest follows from the first shift


def read_workbook(source: BlockSource, sumber: str) -> Bacaan:
    """Read a workbook into a Spec (values from the cells, locations as sheet!cell)."""
    meta = read_meta(source, sumber)
    report = Report()
    _check_structure(source, meta, report)
    if report.errors:
        raise ReadError(report, sumber)
    # A structure this process already proved valid has only its values checked here
    # (metaspec); its meaning is checked by the build with the cell values, and when
    # anything fails the full check runs first, so a bad spec is reported as always.
    structure = metaspec.structure_key(meta.spec_data)
    if not metaspec.proved_valid(structure):
        check_meta_spec(meta.spec_data, sumber, report)
        metaspec.remember_valid(structure)
        return _read_values(source, sumber, meta, report)
    try:
        return _read_values(source, sumber, meta, report)
    except (ReadError, KeyError, TypeError, AttributeError, ValueError, IndexError,
            RecursionError):
        check_meta_spec(meta.spec_data, sumber, Report())
        raise


def check_meta_spec(spec_data: Any, sumber: str, report: Report) -> None:
    """Check the spec the metadata carries like a spec typed by hand, or raise ReadError.

    The metadata holds the spec validated when the workbook was generated, but anyone
    can edit it and recompute its fingerprint (a plain hash): that spec is checked again
    (about 10 ms for a 10-IKU spec) before the cell values are put in (cells may be empty
    where the spec needs a value)."""
    try:
        spec_from_data(copy.deepcopy(spec_data), sumber, nilai_ketat=False)
    except SpecError as exc:
        first = exc.report.errors[0] if exc.report.errors else None
        _meta_damaged(report, "spec di metadata tidak sah" + (
            f": {first.lokasi} {first.pesan}" if first else ""), sumber)
    except (KeyError, TypeError, AttributeError, ValueError, IndexError, RecursionError) as exc:
        _meta_damaged(report, f"spec di metadata tidak sah ({type(exc).__name__})", sumber)


def _copy_for_values(spec_data: Any) -> Any:
    """A copy of the metadata's spec that :func:`_read_values` may write the cell values
    into: new containers down to each IKU, kegiatan and komponen (the ones it writes), the
    rest shared (nothing below them is written, and the spec build makes new containers).
    Any other shape: a full copy."""
    try:
        if not isinstance(spec_data, dict):
            raise TypeError
        data = dict(spec_data)
        if isinstance(data.get("unit"), dict):
            data["unit"] = dict(data["unit"])
        data["sasaran"] = [{**s, "iku": [dict(d) if isinstance(d, dict) else _no_dict()
                                         for d in s["iku"]]}
                           for s in data["sasaran"]]
        anggaran = data.get("anggaran")
        if isinstance(anggaran, dict):
            anggaran = data["anggaran"] = dict(anggaran)
            if anggaran.get("kegiatan") is not None:
                anggaran["kegiatan"] = [
                    {**k, **({"komponen": [dict(c) if isinstance(c, dict) else _no_dict()
                                           for c in k["komponen"]]}
                             if k.get("komponen") is not None else {})}
                    for k in anggaran["kegiatan"]]
        return data
    except (TypeError, KeyError, AttributeError):
        return _copy_json(spec_data)


def _no_dict() -> NoReturn:
    raise TypeError


def _copy_json(value: Any) -> Any:
    """A copy of parsed JSON (dicts, lists, scalars): deepcopy's result, 3x faster."""
    if isinstance(value, dict):
        return {k: _copy_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy_json(v) for v in value]
    return value


# --------------------------------------------------------------------------- cell plan
#
# Where each input cell of a workbook is, what findings call it and which input-form rule
# reads it depend only on the workbook's structure (layout rows, each IKU's kode, jenis,
# rumus and satuan, each budget line's key and name, the percentage limit). A national
# recap reads thousands of workbooks of one structure, so the plan is made once per
# structure per process (keyed by exactly those inputs) and the cells are then read
# through it; a structure never seen takes the same builder.

#: One input cell: (data field, index in the field's list or None, column offset in the
#: block read, 'Sheet!A1', what findings call it, the input-form rule's keywords).
Cell = tuple[str, "int | None", int, str, str, dict[str, Any]]
#: Per IKU (in spec order): its cells (6 on Target, the baseline for a penurunan IKU,
#: then those on Realisasi), whether it is a rasio IKU, whether it is a penurunan IKU.
IkuPlan = tuple[list[Cell], bool, bool]


@dataclass(frozen=True)
class CellPlan:
    iku: list[IkuPlan]
    realisasi_last: str  # last column of the Realisasi block read
    lines: list[list[Cell]]


_PLANS: dict[Any, CellPlan] = {}
PLANS_KEPT = 64


def _iku_rule(d: dict[str, Any], name: str, batas: float) -> dict[str, Any]:
    jenis = str(d.get("jenis", "angka"))
    rumus = str(d.get("rumus", "langsung"))
    satuan = str(d.get("satuan", ""))
    persen = satuan.strip().casefold() in SATUAN_PERSEN
    cell_persen = sel_persen(jenis, persen, rumus, name)
    return {"jenis": jenis, "persen": cell_persen,
            "hitung_utuh": jenis == "angka" and hitungan(satuan, rumus, name),
            "batas_persen": batas if cell_persen and name.startswith("target") else None}


def _build_plan(layout: Layout, ikus: list[dict[str, Any]],
                lines: list[tuple[str, Any, dict[str, Any]]], batas: float) -> CellPlan:
    """The cell plan (see above); raises as reading would (KeyError for an IKU or a
    line without a row)."""
    t0 = col_index(TARGET_COLS["target"])
    r0 = col_index(REALISASI_COLS["realisasi_tw1"])
    a0 = col_index(ANGGARAN_COLS["pagu_awal"])
    ada_rasio = any(d.get("rumus") == "rasio" for d in ikus)
    iku_plans: list[IkuPlan] = []
    for d in (ikus if layout.iku_rows else []):
        kode = str(d["kode"])
        row = layout.iku_rows[kode]
        cells: list[Cell] = []

        def tcol(name: str, field: str, index: int | None, row: int = row,
                 d: dict[str, Any] = d, cells: list[Cell] = cells) -> None:
            cells.append((field, index, col_index(TARGET_COLS[name]) - t0,
                          f"{SHEET_TARGET}!{TARGET_COLS[name]}{row}",
                          f"{HEADERS_TARGET[name]} IKU {d['kode']}", _iku_rule(d, name, batas)))

        def rcol(name: str, field: str, index: int | None, row: int = row,
                 d: dict[str, Any] = d, cells: list[Cell] = cells) -> None:
            apa = HEADERS_REALISASI.get(name) or HEADERS_RASIO.get(name) or "Realisasi tahunan"
            cells.append((field, index, col_index(REALISASI_COLS[name]) - r0,
                          f"{SHEET_REALISASI}!{REALISASI_COLS[name]}{row}",
                          f"{apa} IKU {d['kode']}", _iku_rule(d, name, batas)))

        tcol("target", "target", None)
        tcol("target_revisi", "target_revisi", None)
        for q in range(1, 5):
            tcol(f"target_tw{q}", "target_tw", q - 1)
        penurunan = d.get("rumus") == "penurunan"
        if penurunan:
            tcol("baseline", "baseline", None)
        rasio = d.get("rumus") == "rasio"
        if rasio:  # E:H are the quarter ratios (formulas)
            for side in ("pembilang_tw", "penyebut_tw"):
                for q in range(1, 5):
                    rcol(f"{side}{q}", side, q - 1)
        else:
            for q in range(1, 5):
                rcol(f"realisasi_tw{q}", "realisasi_tw", q - 1)
        if layout.tahunan:
            rcol("realisasi_tahunan", "realisasi_tahunan", None)
        iku_plans.append((cells, rasio, penurunan))
    line_plans: list[list[Cell]] = []
    for key, _, c in (lines if layout.line_rows else []):
        row = layout.line_rows[key]
        nama = str(c.get("nama", ""))
        cells = []
        for name, field, index in (("pagu_awal", "pagu_awal", None),
                                   ("pagu_revisi", "pagu_revisi", None),
                                   *((f"realisasi_tw{q}", "realisasi_tw", q - 1)
                                     for q in range(1, 5)),
                                   ("realisasi_tahunan", "realisasi_tahunan", None)):
            cells.append((field, index, col_index(ANGGARAN_COLS[name]) - a0,
                          f"{SHEET_ANGGARAN}!{ANGGARAN_COLS[name]}{row}",
                          f"{HEADERS_ANGGARAN[name]} '{nama}'", {}))
        line_plans.append(cells)
    last = ("penyebut_tw4" if ada_rasio else
            "realisasi_tahunan" if layout.tahunan else "upaya")
    return CellPlan(iku_plans, last, line_plans)


def _plan_key(layout: Layout, ikus: list[dict[str, Any]],
              lines: list[tuple[str, Any, dict[str, Any]]], batas: float) -> Any:
    """Everything :func:`_build_plan` reads, as a hashable key (None: not keyable, build
    afresh)."""
    try:
        key = (tuple(layout.iku_rows.items()), tuple(layout.line_rows.items()),
               layout.tahunan, batas,
               tuple((str(d["kode"]), str(d.get("jenis", "angka")),
                      str(d.get("rumus", "langsung")), str(d.get("satuan", "")),
                      d.get("rumus") == "rasio", d.get("rumus") == "penurunan") for d in ikus),
               tuple((key, str(c.get("nama", ""))) for key, _, c in lines))
        hash(key)
    except (KeyError, TypeError, AttributeError, ValueError, RecursionError):
        return None
    return key


def cell_plan(layout: Layout, ikus: list[dict[str, Any]],
              lines: list[tuple[str, Any, dict[str, Any]]], batas: float) -> CellPlan:
    """The cell plan of this structure, made once per process (see above)."""
    key = _plan_key(layout, ikus, lines, batas)
    plan = _PLANS.get(key) if key is not None else None
    if plan is None:
        plan = _build_plan(layout, ikus, lines, batas)
        if key is not None:
            if len(_PLANS) >= PLANS_KEPT:
                _PLANS.pop(next(iter(_PLANS)))
            _PLANS[key] = plan
    return plan


_LOKASI: dict[Any, Any] = {}


def _lokasi_sel(layout: Layout) -> Any:
    """layout.lokasi_sel(), made once per layout per process (read-only)."""
    key = (tuple(layout.iku_rows.items()), tuple(layout.line_rows.items()), layout.tahunan)
    found = _LOKASI.get(key)
    if found is None:
        found = MappingProxyType(layout.lokasi_sel())
        if len(_LOKASI) >= PLANS_KEPT:
            _LOKASI.pop(next(iter(_LOKASI)))
        _LOKASI[key] = found
    return found


def forget_plans() -> None:
    """Drop every memoised plan (tests: a cold read)."""
    _PLANS.clear()
    _LOKASI.clear()


def _read_values(source: BlockSource, sumber: str, meta: Meta, report: Report) -> Bacaan:
    """The cell values put into the metadata's spec, built with the spec's converters."""
    layout = meta.layout
    data = _copy_for_values(meta.spec_data)
    cell_findings = Report()
    batas = float((data.get("pengaturan") or {}).get("batas_realisasi_persen", 200.0))
    konvensi = layout.persen

    def cell(value: Any, where: str, apa: str, **rule: Any) -> Any:
        return baca_sel(value, where, cell_findings, apa, konvensi=konvensi, **rule)

    def fill(row: list[Any], cells: list[Cell]) -> dict[str, Any]:
        """The values of ``cells`` in ``row``, by data field (a list for the quarters)."""
        out: dict[str, Any] = {}
        for field, index, i, where, apa, rule in cells:
            raw = row[i]
            value = None if raw is None else baca_sel(raw, where, cell_findings, apa,
                                                      konvensi=konvensi, **rule)
            if index is None:
                out[field] = value
            else:
                out.setdefault(field, []).append(value)
        return out

    ikus = [iku for s in data["sasaran"] for iku in s["iku"]]
    lines = baris_data(data)
    plan = cell_plan(layout, ikus, lines, batas)
    if layout.iku_rows:
        first, last = FIRST_ROW, max(layout.iku_rows.values())
        t0, t1 = col_index(TARGET_COLS["target"]), col_index(TARGET_COLS["baseline"])
        targets = source.read_block(SHEET_TARGET, first, t0, last, t1)
        # the annual column T where the layout has it, the rasio columns U:AB only where
        # the spec has a rasio IKU (one block still)
        r0 = col_index(REALISASI_COLS["realisasi_tw1"])
        r1 = col_index(REALISASI_COLS[plan.realisasi_last])
        realisasi = source.read_block(SHEET_REALISASI, first, r0, last, r1)
        narasi = [(name, col_index(REALISASI_COLS[name]) - r0)
                  for name in ("faktor_pendorong", "faktor_penghambat", "upaya")]
        for d, (cells, rasio, penurunan) in zip(ikus, plan.iku, strict=True):
            row = layout.iku_rows[str(d["kode"])]
            t = targets[row - first]
            r = realisasi[row - first]
            got = fill(t, cells[:6])
            d["target"] = got["target"]
            d["target_revisi"] = got["target_revisi"]
            tw = got["target_tw"]
            if any(v is not None for v in tw):
                d["target_tw"] = tw
            else:
                d.pop("target_tw", None)
            n_target = 6
            if penurunan:
                d["baseline"] = fill(t, cells[6:7])["baseline"]
                n_target = 7
            got = fill(r, cells[n_target:])
            if rasio:  # E:H are the quarter ratios (formulas)
                d.pop("realisasi_tw", None)
                d["pembilang_tw"] = got["pembilang_tw"]
                d["penyebut_tw"] = got["penyebut_tw"]
            else:
                d["realisasi_tw"] = got["realisasi_tw"]
            if layout.tahunan:
                d["realisasi_tahunan"] = got["realisasi_tahunan"]
            for name, i in narasi:
                value = _norm(r[i])
                d[name] = None if value is None else str(value)
    if layout.line_rows:
        first, last = FIRST_ROW, max(layout.line_rows.values())
        # one block from the inputs I:N to the annual realisasi Y (the formulas between)
        a0, a1 = (col_index(ANGGARAN_COLS["pagu_awal"]),
                  col_index(ANGGARAN_COLS["realisasi_tahunan"]))
        block = source.read_block(SHEET_ANGGARAN, first, a0, last, a1)
        for (key, _, c), cells in zip(lines, plan.lines, strict=True):
            got = fill(block[layout.line_rows[key] - first], cells)
            c["pagu_awal"] = got["pagu_awal"]
            c["pagu_revisi"] = got["pagu_revisi"]
            c["realisasi_tw"] = got["realisasi_tw"]
            annual = got["realisasi_tahunan"]  # blank in older workbooks (no column Y)
            if annual is not None or "realisasi_tahunan" in c:
                c["realisasi_tahunan"] = annual
    top = min(IDENTITAS_ROWS.values())
    bottom = max(IDENTITAS_ROWS.values())
    ident = [r[0] for r in source.read_block(SHEET_IDENTITAS, top, 2, bottom, 2)]

    def ident_value(name: str) -> Any:
        return ident[IDENTITAS_ROWS[name] - top]

    periode = _norm(ident_value("periode"))
    periode_text = str(periode).strip() if periode is not None else ""
    canon = {p.casefold(): p for p in PERIODE_PILIHAN}.get(periode_text.casefold())
    if canon is None:
        report.error(
            "periode", f"{SHEET_IDENTITAS}!B{IDENTITAS_ROWS['periode']}",
            f"Periode '{periode_text or '(kosong)'}' tidak dikenal.",
            f"Pilih salah satu: {', '.join(PERIODE_PILIHAN)}.")
    else:
        data["periode"] = "tahunan" if canon == "Tahunan" else canon
    for name in ("kepala", "nip"):
        value = _norm(ident_value(name))
        data["unit"][name] = None if value is None else _key(value)
    penutup = {f: _norm(ident_value(f"penutup_{f}")) for f in PENUTUP_FIELDS}
    penutup = {f: None if v is None else str(v) for f, v in penutup.items()}
    if any(v is not None for v in penutup.values()):
        data["penutup"] = penutup
    else:
        data.pop("penutup", None)  # cleared in the workbook: cleared
    totals = {f: cell(ident_value(f"total_{f}"),
                      f"{SHEET_IDENTITAS}!B{IDENTITAS_ROWS['total_' + f]}",
                      f"Total {f.replace('_', ' ')}")
              for f in ("pagu_awal", "pagu_revisi", "realisasi")}
    if any(v is not None for v in totals.values()) or "total" in (data.get("anggaran") or {}):
        data.setdefault("anggaran", {})["total"] = totals
    if report.errors:
        raise ReadError(report, sumber)
    try:
        spec = spec_from_data(data, sumber, lokasi_sel=_lokasi_sel(layout), nilai_ketat=False,
                              periksa_struktur=False)
    except SpecError as exc:
        # structure from the metadata is ours; a failure here means edited metadata
        raise ReadError(exc.report, sumber) from None
    except (KeyError, TypeError, AttributeError, ValueError, IndexError,
            RecursionError) as exc:
        # cell values are numbers, text or empty by construction: edited metadata
        _meta_damaged(report, f"spec di metadata tidak sah ({type(exc).__name__})", sumber)
    expected = dataclasses.replace(layout_for(spec), persen=layout.persen,  # older: plain %
                                   tahunan=layout.tahunan)  # older: no annual column
    if expected.to_json() != layout.to_json():
        _meta_damaged(report, "layout di metadata tidak sesuai dengan spec-nya", sumber)
    spec.temuan_masukan = list(cell_findings) + spec.temuan_masukan
    return Bacaan(spec=spec, meta=meta, layout=layout)
