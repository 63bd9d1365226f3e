"""Helpers for tests that need generated unit workbooks filled as a user would."""

from __future__ import annotations

import copy
import hashlib
from pathlib import Path
from typing import Any

import openpyxl
import yaml

from workbook_gen.generate import generate
from workbook_gen.layout import (
    ANGGARAN_COLS,
    IDENTITAS_INPUTS,
    IDENTITAS_ROWS,
    REALISASI_COLS,
    SHEET_ANGGARAN,
    SHEET_IDENTITAS,
    SHEET_REALISASI,
    SHEET_TARGET,
    TARGET_COLS,
    layout_for,
)
from workbook_gen.parsing import ParseError, parse_value
from workbook_gen.sheets.context import percent_cell
from workbook_gen.spec import baris_data, spec_from_data


def load_data(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def cleared(data: dict[str, Any]) -> dict[str, Any]:
    """The spec with every realisasi emptied: the workbook as the centre sends it out."""
    data = copy.deepcopy(data)
    for s in data["sasaran"]:
        for iku in s["iku"]:
            iku["realisasi_tw"] = [None] * 4
            iku.pop("realisasi_tahunan", None)
    for _, _, c in baris_data(data):
        c["realisasi_tw"] = [None] * 4
        c.pop("realisasi_tahunan", None)
    return data


def make_workbook(data: dict[str, Any], out: Path) -> Path:
    spec = spec_from_data(copy.deepcopy(data), str(out))
    generate(spec, out, overwrite=True)
    return out


def fill(path: Path, values: dict[str, Any]) -> None:
    """Type values into cells ('Realisasi!E6': 10) and save, as a user would in Excel."""
    wb = openpyxl.load_workbook(path, keep_vba=path.suffix == ".xlsm")
    for ref, value in values.items():
        sheet, cell = ref.split("!")
        wb[sheet][cell] = value
    wb.save(path)


def typed(value: Any, persen: bool = False) -> Any:
    """What an Indonesian Excel stores when a person types the report's text ``value``
    into a number cell: "6.419 orang" -> 6419, "86,06%" -> 86.06 (0.8606 in a percentage
    cell, where a typed 54 is 0.54 too); "76,11 (WBK)" -> 76.11 (the number alone, as
    the workbook asks); labels, dashes and unreadable text stay text."""
    if not isinstance(value, str) and not isinstance(value, (int, float)):
        return value
    try:
        parsed = parse_value(value)
    except ParseError:
        return value
    if parsed.value is None:
        return value
    return parsed.value / 100 if persen else parsed.value


def realisasi_cells(data: dict[str, Any]) -> dict[str, Any]:
    """The cells and values that type every realisasi of ``data`` into its workbook, as
    Excel stores what a person types (see :func:`typed`)."""
    spec = spec_from_data(copy.deepcopy(data), "x")
    layout = layout_for(spec)
    ikus = {iku.kode: iku for iku in spec.semua_iku()}
    out: dict[str, Any] = {}
    for s in data["sasaran"]:
        for iku in s["iku"]:
            row = layout.iku_rows[str(iku["kode"])]
            built = ikus[str(iku["kode"])]
            persen = percent_cell(built, "realisasi_tw1")
            if built.rumus == "rasio":  # typed as pembilang and penyebut (E:H are formulas)
                for side in ("pembilang", "penyebut"):
                    for q, v in enumerate(getattr(built, f"{side}_tw"), 1):
                        if v is not None:
                            out[f"{SHEET_REALISASI}!{REALISASI_COLS[f'{side}_tw{q}']}{row}"] = v
            else:
                for q, v in enumerate(iku.get("realisasi_tw") or [None] * 4, 1):
                    if v is not None:
                        out[f"{SHEET_REALISASI}!{REALISASI_COLS[f'realisasi_tw{q}']}{row}"] = \
                            typed(v, persen)
            if iku.get("realisasi_tahunan") is not None:
                out[f"{SHEET_REALISASI}!{REALISASI_COLS['realisasi_tahunan']}{row}"] = typed(
                    iku["realisasi_tahunan"], persen)
    for key, _, c in baris_data(data):
        row = layout.line_rows[key]
        for q, v in enumerate(c.get("realisasi_tw") or [None] * 4, 1):
            if v is not None:
                out[f"{SHEET_ANGGARAN}!{ANGGARAN_COLS[f'realisasi_tw{q}']}{row}"] = typed(v)
        if c.get("realisasi_tahunan") is not None:
            out[f"{SHEET_ANGGARAN}!{ANGGARAN_COLS['realisasi_tahunan']}{row}"] = typed(
                c["realisasi_tahunan"])
    return out


def input_fingerprint(path: Path) -> str:
    """sha256 of every input cell's value (Identitas, Target, Realisasi, Anggaran)."""
    wb = openpyxl.load_workbook(path)
    h = hashlib.sha256()
    ident = wb[SHEET_IDENTITAS]
    for name in IDENTITAS_INPUTS:
        h.update(repr(ident[f"B{IDENTITAS_ROWS[name]}"].value).encode())
    blocks = (
        (SHEET_TARGET, TARGET_COLS["target"], TARGET_COLS["baseline"]),
        (SHEET_REALISASI, REALISASI_COLS["realisasi_tw1"], REALISASI_COLS["realisasi_tw4"]),
        (SHEET_REALISASI, REALISASI_COLS["faktor_pendorong"], REALISASI_COLS["upaya"]),
        (SHEET_ANGGARAN, ANGGARAN_COLS["pagu_awal"], ANGGARAN_COLS["realisasi_tw4"]),
    )
    for sheet, c0, c1 in blocks:
        ws = wb[sheet]
        for row in ws[f"{c0}1:{c1}{ws.max_row}"]:
            for cell in row:
                h.update(repr((cell.coordinate, cell.value)).encode())
    return h.hexdigest()


def sheet_values(path: Path) -> dict[str, list[tuple]]:
    wb = openpyxl.load_workbook(path)
    return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in wb}


def find_row(ws, prefix: str) -> tuple:
    """The first row of a sheet whose column B text starts with ``prefix``."""
    for row in ws.iter_rows(values_only=True):
        if isinstance(row[1], str) and row[1].startswith(prefix):
            return row
    raise AssertionError(f"no row starting with {prefix!r} on {ws.title}")


def synthetic_data(n_iku: int, n_lines: int, *, n_sasaran: int = 5, n_kegiatan: int = 3,
                   kode_satker: str = "900001", periode: str = "TW II") -> dict[str, Any]:
    """A valid spec mapping of any size, with realisasi for TW I and II; a mix of rules."""
    sasaran = []
    for s in range(n_sasaran):
        sasaran.append({"kode": f"S{s + 1}", "nama": f"Sasaran {s + 1}", "iku": []})
    for i in range(n_iku):
        kind = i % 4
        iku: dict[str, Any] = {"kode": f"IKU-{i + 1:03d}", "nama": f"Indikator {i + 1}",
                               "satuan": "Orang", "target": 100 + i,
                               "target_tw": [25, 25, 25, 25 + i],
                               "realisasi_tw": [20 + i % 7, 30 + i % 5, None, None]}
        if kind == 1:
            iku.update(satuan="%", agregasi="akhir", target=90, target_tw=None,
                       realisasi_tw=[80, 85.5, None, None])
            iku.pop("target_tw")
        elif kind == 2:
            iku.update(polaritas="minimal", agregasi="rata_rata", target=10)
        elif kind == 3:
            iku.update(target_revisi=80 + i)
        sasaran[i % n_sasaran]["iku"].append(iku)
    kegiatan = [{"kode": f"K{k + 1}", "nama": f"Kegiatan {k + 1}", "komponen": []}
                for k in range(n_kegiatan)]
    for j in range(n_lines):
        kegiatan[j % n_kegiatan]["komponen"].append({
            "kode": f"{j + 1:03d}", "nama": f"Komponen {j + 1}",
            "sasaran": f"S{j % n_sasaran + 1}", "jenis_belanja": 52,
            "pagu_awal": 1_000_000 * (j + 1), "realisasi_tw": [100_000 * (j + 1), 50_000, None,
                                                             None]})
    return {"versi_spec": 1, "unit": {"nama": f"Unit {kode_satker}", "kode_satker": kode_satker},
            "tahun": 2026, "periode": periode, "sasaran": sasaran,
            "anggaran": {"kegiatan": kegiatan}}
