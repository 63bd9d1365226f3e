"""The cells the generator owns a formula for on the input sheets, each with its formula
and the engine's value: one statement for the generator, Hitung Capaian and xlwings Lite.

* the generator (``sheets/identitas``, ``realisasi``, ``anggaran``) writes each cell's
  formula with its value as the cached result;
* Hitung Capaian restores a typed-over formula with exactly that text
  (``generate.expected_formulas``);
* verification (``excel.verify.expected_values``) expects that value where the spreadsheet
  computed the formula, also in xlwings Lite, which cannot read formulas and has no
  xlsxwriter: this module imports the standard library and the pure core only.

Cells are 1-based ``(row, column)``; a cell's ``field`` names its column in
``layout.REALISASI_COLS`` / ``ANGGARAN_COLS`` (``periode_n`` for the Identitas cell).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from .. import formulas
from ..engine import Hasil, HasilIku, Pos, bulatkan
from ..layout import (
    ANGGARAN_ANGKA,
    ANGGARAN_COLS,
    IDENTITAS_ROWS,
    REALISASI_COLS,
    SHEET_ANGGARAN,
    SHEET_IDENTITAS,
    SHEET_REALISASI,
    Layout,
    col_index,
    layout_for,
)
from ..spec import BarisAnggaran, Iku, Pengaturan, Spec


@dataclass(frozen=True)
class OwnedCell:
    """A generator-owned formula cell: its field, formula and the engine's value (the
    cached result the generator writes and the value verification expects; None when
    the formula shows "")."""

    field: str
    formula: str
    value: Any = None


# sheet -> {(row, col): OwnedCell}
OwnedCells = dict[str, dict[tuple[int, int], OwnedCell]]


def spec_in_cells(spec: Spec, layout: Layout) -> Spec:
    """The same spec with every value's location named by its cell in the workbook
    (Realisasi!E7) instead of its spec path: findings then point where the user of the
    workbook must fix them, as after a Hitung Capaian run."""
    lokasi = dict(spec.lokasi)
    lokasi.update(layout.lokasi_sel())
    return replace(spec, lokasi=lokasi)


# --------------------------------------------------------------------------- Realisasi


def target_revisi_or_pk(h: HasilIku) -> Any:
    return h.target_revisi if h.target_revisi is not None else h.target


def iku_values(h: HasilIku) -> dict[str, Any]:
    """The engine's values of an IKU row's formulas (M is against the PK target whatever
    the headline; P is the headline's category; E:H only on a rasio IKU's row, where
    they are the quarter ratios)."""
    return {
        **{f"realisasi_tw{q}": h.realisasi_tw[q - 1] for q in range(1, 5)},
        "realisasi_sd": h.realisasi, "target": h.target,
        "target_revisi": target_revisi_or_pk(h), "target_sd": h.target_sd,
        "capaian": h.capaian_pk, "capaian_revisi": h.capaian_revisi,
        "capaian_tw": h.capaian_tw, "kategori": h.kategori,
    }


def row_formulas(iku: Iku, row: int, p: Pengaturan,
                 cc: formulas.Cells = formulas.BAKU) -> dict[str, str]:
    """The formulas of an IKU row on Realisasi (E:H too on a rasio IKU's row: its inputs
    are the pembilang and penyebut columns)."""
    c = REALISASI_COLS
    rasio = {f"realisasi_tw{q}": formulas.rasio_tw(row, q) for q in range(1, 5)} if (
        iku.rumus == "rasio") else {}
    return {
        **rasio,
        "realisasi_sd": formulas.realisasi_sd(iku, row, cc),
        "target": formulas.target(iku, row, cc),
        "target_revisi": formulas.target_revisi(iku, row, cc),
        "target_sd": formulas.target_sd(iku, row, cc),
        "capaian": formulas.capaian(iku, row, c["target"], p, cc),
        "capaian_revisi": formulas.capaian(iku, row, c["target_revisi"], p, cc),
        "capaian_tw": formulas.capaian(iku, row, c["target_sd"], p, cc),
        "kategori": formulas.kategori(f"{c[formulas.kolom_utama(p)]}{row}", p),
    }


def iku_cells(iku: Iku, row: int, h: HasilIku | None, p: Pengaturan,
              cc: formulas.Cells = formulas.BAKU) -> dict[str, OwnedCell]:
    """field -> cell of an IKU row (values None without the engine's results)."""
    values = iku_values(h) if h is not None else {}
    return {field: OwnedCell(field, formula, values.get(field))
            for field, formula in row_formulas(iku, row, p, cc).items()}


# --------------------------------------------------------------------------- Anggaran


def group_members(spec: Spec, layout: Layout) -> dict[str, list[int]]:
    """Subtotal key ("kegiatan:01", "jenis:52", "total") -> rows of its budget lines."""
    out: dict[str, list[int]] = {}
    for line in spec.anggaran:
        row = layout.line_rows[line.key]
        out.setdefault(f"kegiatan:{line.kegiatan_kode}", []).append(row)
        out.setdefault(f"jenis:{line.jenis_belanja or '-'}", []).append(row)
        out.setdefault("total", []).append(row)
    return out


def group_rows(layout: Layout) -> dict[str, int]:
    """Subtotal key -> its row, the total ("total") last."""
    out = dict(layout.subtotal_rows)
    if layout.total_row is not None:
        out["total"] = layout.total_row
    return out


def line_formulas(row: int, p: Pengaturan) -> dict[str, str]:
    """The formulas of a budget line row."""
    return {"pagu": formulas.pagu_efektif(row),
            "realisasi_sd": formulas.realisasi_anggaran_sd(row),
            "serapan": formulas.serapan(row, p), "sisa": formulas.sisa(row),
            **{angka: formulas.angka(field, row) for field, angka in ANGGARAN_ANGKA.items()}}


def group_formulas(key: str, rows: list[int], row: int, p: Pengaturan) -> dict[str, str]:
    """The formulas of a subtotal row (kegiatan, jenis belanja) or of the total."""
    return {
        "pagu_awal": formulas.jumlah_pagu_awal(rows),
        "pagu_revisi": formulas.jumlah_pagu_revisi(rows),
        **{f"realisasi_tw{q}": formulas.jumlah(f"realisasi_tw{q}", rows) for q in range(1, 5)},
        "pagu": formulas.pagu_total(rows) if key == "total" else formulas.jumlah("pagu", rows),
        "realisasi_sd": formulas.jumlah("realisasi_sd", rows),
        "serapan": formulas.serapan(row, p),
        "sisa": formulas.sisa(row),
    }


def pos_values(pos: Pos, p: Pengaturan) -> dict[str, Any]:
    """Engine values of a budget row's formulas (serapan rounded as shown)."""
    serapan = pos.serapan
    return {
        "pagu_awal": pos.pagu_awal, "pagu_revisi": pos.pagu_revisi,
        **{f"realisasi_tw{q}": pos.realisasi_tw[q - 1] for q in range(1, 5)},
        "pagu": pos.pagu, "realisasi_sd": pos.realisasi,
        "serapan": bulatkan(serapan, p) if isinstance(serapan, float) else serapan,
        "sisa": pos.sisa,
    }


def line_inputs(line: BarisAnggaran) -> dict[str, Any]:
    """The input cells of a budget line (field -> value)."""
    return {"pagu_awal": line.pagu_awal, "pagu_revisi": line.pagu_revisi,
            **{f"realisasi_tw{q}": line.realisasi_tw[q - 1] for q in range(1, 5)},
            "realisasi_tahunan": line.realisasi_tahunan}


def line_cells(line: BarisAnggaran, row: int, pos: Pos | None, p: Pengaturan
               ) -> dict[str, OwnedCell]:
    """field -> cell of a budget line row: pagu efektif ... sisa, and the helper cells
    showing each input as read (``ANGGARAN_ANGKA``)."""
    values: dict[str, Any] = {}
    if pos is not None:
        values = pos_values(pos, p)
        values.update({ANGGARAN_ANGKA[f]: v for f, v in line_inputs(line).items()})
    return {field: OwnedCell(field, formula, values.get(field))
            for field, formula in line_formulas(row, p).items()}


def group_cells(key: str, rows: list[int], row: int, pos: Pos | None, p: Pengaturan
                ) -> dict[str, OwnedCell]:
    """field -> cell of a subtotal or total row."""
    values = pos_values(pos, p) if pos is not None else {}
    return {field: OwnedCell(field, formula, values.get(field))
            for field, formula in group_formulas(key, rows, row, p).items()}


def group_positions(hasil: Hasil) -> dict[str, Pos]:
    """Subtotal key -> the engine's sums for it."""
    a = hasil.anggaran
    out = {f"kegiatan:{pos.kode}": pos for pos in a.per_kegiatan}
    out.update({f"jenis:{pos.kode}": pos for pos in a.per_jenis_belanja})
    out["total"] = a.total
    return out


# --------------------------------------------------------------------------- all


def periode_cell(spec: Spec, with_value: bool = True) -> OwnedCell:
    """Identitas: the number of quarters the periode covers (named range PeriodeN)."""
    return OwnedCell("periode_n", formulas.periode_n(), spec.periode_n if with_value else None)


def owned_cells(spec: Spec, layout: Layout, hasil: Hasil | None = None) -> OwnedCells:
    """Every formula cell the generator writes on Identitas, Realisasi and Anggaran, with
    the engine's value when ``hasil`` is given (else values None: formulas only)."""
    p = spec.pengaturan
    out: OwnedCells = {SHEET_IDENTITAS: {}, SHEET_REALISASI: {}, SHEET_ANGGARAN: {}}
    out[SHEET_IDENTITAS][(IDENTITAS_ROWS["periode_n"], 2)] = periode_cell(
        spec, hasil is not None)
    cc = formulas.cells_for(spec, layout)
    by_kode = hasil.iku_by_kode() if hasil is not None else {}
    for iku in spec.semua_iku():
        row = layout.iku_rows[iku.kode]
        for field, cell in iku_cells(iku, row, by_kode.get(iku.kode), p, cc).items():
            out[SHEET_REALISASI][(row, col_index(REALISASI_COLS[field]))] = cell
    baris = hasil.anggaran.baris if hasil is not None else [None] * len(spec.anggaran)
    for line, pos in zip(spec.anggaran, baris, strict=True):
        row = layout.line_rows[line.key]
        for field, cell in line_cells(line, row, pos, p).items():
            out[SHEET_ANGGARAN][(row, col_index(ANGGARAN_COLS[field]))] = cell
    if spec.anggaran:
        members = group_members(spec, layout)
        sums = group_positions(hasil) if hasil is not None else {}
        for key, row in group_rows(layout).items():
            for field, cell in group_cells(key, members[key], row, sums.get(key), p).items():
                out[SHEET_ANGGARAN][(row, col_index(ANGGARAN_COLS[field]))] = cell
    return out


def expected_formulas(spec: Spec, layout: Layout | None = None
                      ) -> dict[str, dict[tuple[int, int], str]]:
    """sheet -> {(row, column): formula} of :func:`owned_cells`: what the generator
    wrote, so Hitung Capaian restores a typed-over formula with exactly that text."""
    owned = owned_cells(spec, layout or layout_for(spec))
    return {sheet: {rc: cell.formula for rc, cell in cells.items()}
            for sheet, cells in owned.items()}


def shown(value: Any) -> Any:
    """A cached value as a spreadsheet (or a reader of the file) shows it: numbers as
    float, True/False as 1/0, None and "" as an empty cell (None), text as text."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return float(int(value))
    if isinstance(value, (int, float)):
        return float(value)
    return value
