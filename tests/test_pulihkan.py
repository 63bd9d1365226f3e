"""pulihkan: a clean workbook from a damaged one, every typed input carried over cell by
cell, and the exact list of what could not be."""

from __future__ import annotations

import copy
import json
import tempfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from workbook_gen.cli import main
from workbook_gen.layout import (
    ANGGARAN_COLS,
    IDENTITAS_ROWS,
    REALISASI_COLS,
    SHEET_ANGGARAN,
    SHEET_IDENTITAS,
    SHEET_REALISASI,
    SHEET_TARGET,
    TARGET_COLS,
    layout_for,
)
from workbook_gen.pulihkan import Hilang, PulihError, pulihkan
from workbook_gen.spec import spec_from_data

from .conftest import JATENG
from .workbooks import cleared, load_data, make_workbook


def typed_inputs(data: dict[str, Any]) -> dict[str, Any]:
    """Values a user types into the Jawa Tengah workbook: realisasi, narasi, changed
    targets and pagu, identitas (cell -> value)."""
    spec = spec_from_data(copy.deepcopy(data), "x")
    lay = layout_for(spec)
    out: dict[str, Any] = {}
    for n, iku in enumerate(spec.semua_iku()):
        row = lay.iku_rows[iku.kode]
        for q in range(1, 5):
            out[f"{SHEET_REALISASI}!{REALISASI_COLS[f'realisasi_tw{q}']}{row}"] = 10 * n + q
        out[f"{SHEET_REALISASI}!{REALISASI_COLS['upaya']}{row}"] = f"Upaya IKU {iku.kode}"
        if iku.jenis == "angka":  # the annual figure (column T) is carried too
            out[f"{SHEET_REALISASI}!{REALISASI_COLS['realisasi_tahunan']}{row}"] = 100 + n
        if iku.jenis == "angka" and iku.rumus == "langsung":
            out[f"{SHEET_TARGET}!{TARGET_COLS['target_revisi']}{row}"] = 50 + n
    for n, line in enumerate(spec.anggaran):
        row = lay.line_rows[line.key]
        out[f"{SHEET_ANGGARAN}!{ANGGARAN_COLS['pagu_revisi']}{row}"] = 1_000_000 * (n + 1)
        out[f"{SHEET_ANGGARAN}!{ANGGARAN_COLS['realisasi_tw1']}{row}"] = 250_000 * (n + 1)
        out[f"{SHEET_ANGGARAN}!{ANGGARAN_COLS['realisasi_tw2']}{row}"] = 125_000.5 * (n + 1)
    ident = f"{SHEET_IDENTITAS}!B"
    out[f"{ident}{IDENTITAS_ROWS['kepala']}"] = "DRA. SRI ANDAYANI"
    out[f"{ident}{IDENTITAS_ROWS['nip']}"] = "196805101994032002"
    out[f"{ident}{IDENTITAS_ROWS['periode']}"] = "TW II"
    out[f"{ident}{IDENTITAS_ROWS['total_realisasi']}"] = 7_777_777
    return out


@pytest.fixture(scope="module")
def filled(tmp_path_factory) -> tuple[Path, dict[str, Any], dict[str, Any]]:
    tmp = tmp_path_factory.mktemp("pulihkan")
    data = cleared(load_data(JATENG))
    path = make_workbook(data, tmp / "asli.xlsx")
    typed = typed_inputs(data)
    wb = openpyxl.load_workbook(path)
    for ref, v in typed.items():
        sheet, cell = ref.split("!")
        wb[sheet][cell] = v
    wb.save(path)
    return path, data, typed


def damaged(src: Path, tmp: Path, how) -> Path:
    wb = openpyxl.load_workbook(src)
    how(wb)
    out = tmp / "rusak.xlsx"
    wb.save(out)
    return out


def check_carried(new: Path, typed: dict[str, Any], skip: set[str] = frozenset()) -> int:
    """Every typed cell, at its place in the clean layout, holds the typed value."""
    wb = openpyxl.load_workbook(new)
    n = 0
    for ref, v in typed.items():
        if ref in skip:
            continue
        sheet, cell = ref.split("!")
        got = wb[sheet][cell].value
        assert got == v, (ref, got, v)
        n += 1
    return n


def rebuild(src: Path, tmp: Path) -> tuple[Path, list[Hilang]]:
    hasil = pulihkan(src)
    from workbook_gen.generate import generate

    out = tmp / "baru.xlsx"
    generate(hasil.spec, out, overwrite=True)
    return out, hasil.hilang


def test_undamaged_workbook_carries_everything(filled, tmp_path):
    path, _, typed = filled
    out, hilang = rebuild(path, tmp_path)
    assert hilang == []
    assert check_carried(out, typed) == len(typed)


def test_rows_inserted_and_sheets_renamed_and_protection_removed(filled, tmp_path):
    path, _, typed = filled

    def how(wb):
        wb[SHEET_TARGET].insert_rows(7, 2)  # between IKU rows
        wb[SHEET_REALISASI].insert_rows(6, 1)
        wb[SHEET_REALISASI].insert_cols(3, 1)  # a column too
        wb[SHEET_ANGGARAN].insert_rows(8, 3)
        wb[SHEET_IDENTITAS].insert_rows(6, 1)
        wb[SHEET_REALISASI].title = "Realisasi 2024"
        wb[SHEET_ANGGARAN].title = "Angg"
        for ws in wb.worksheets:
            ws.protection.sheet = False

    out, hilang = rebuild(damaged(path, tmp_path, how), tmp_path)
    assert hilang == []
    assert check_carried(out, typed) == len(typed)
    ws = openpyxl.load_workbook(out)[SHEET_TARGET]
    assert ws.protection.sheet  # protected again


def test_formulas_typed_over_are_made_again(filled, tmp_path):
    path, data, typed = filled
    spec = spec_from_data(copy.deepcopy(data), "x")
    row = layout_for(spec).iku_rows[spec.semua_iku()[0].kode]
    cap = f"{REALISASI_COLS['capaian']}{row}"

    def how(wb):
        wb[SHEET_REALISASI][cap] = 999  # typed over the capaian formula
        # a formula typed into an input cell: its cached value is not stored by openpyxl,
        # so it counts as empty (and is listed among the formula inputs)

    out, hilang = rebuild(damaged(path, tmp_path, how), tmp_path)
    assert hilang == []
    check_carried(out, typed)
    cell = openpyxl.load_workbook(out)[SHEET_REALISASI][cap].value
    assert isinstance(cell, str) and cell.startswith("=")


def test_deleted_sheet_and_deleted_rows_are_listed_exactly(filled, tmp_path):
    path, data, typed = filled
    spec = spec_from_data(copy.deepcopy(data), "x")
    lay = layout_for(spec)
    ikus = spec.semua_iku()
    gone_iku = ikus[2].kode
    line = spec.anggaran[1].key

    def how(wb):
        del wb[SHEET_TARGET]
        wb[SHEET_REALISASI].delete_rows(lay.iku_rows[gone_iku], 1)
        wb[SHEET_ANGGARAN].delete_rows(lay.line_rows[line], 1)
        ws = wb[SHEET_IDENTITAS]
        ws[f"A{IDENTITAS_ROWS['kepala']}"] = "Kepala"  # label changed: row not recognised

    out, hilang = rebuild(damaged(path, tmp_path, how), tmp_path)
    assert hilang == [
        Hilang(SHEET_TARGET, "seluruh lembar", "lembar tidak ditemukan (dihapus, atau diganti "
               "nama dan judul kolomnya tidak dikenali)"),
        Hilang(SHEET_REALISASI, f"IKU {gone_iku}", "baris IKU ini tidak ditemukan (dihapus, "
               "atau kode IKU-nya diubah)"),
        Hilang(SHEET_ANGGARAN, f"baris anggaran {line}", "baris ini tidak ditemukan (dihapus, "
               "atau kodenya diubah)"),
        Hilang(SHEET_IDENTITAS, "Kepala unit kerja", "baris dengan label ini tidak ditemukan"),
    ]
    row_gone = lay.iku_rows[gone_iku]
    line_row = lay.line_rows[line]
    lost = {r for r in typed if r.startswith(SHEET_TARGET + "!")
            or r.startswith(SHEET_REALISASI + "!") and r[len(SHEET_REALISASI) + 2:].lstrip(
                "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == str(row_gone)
            or r.startswith(SHEET_ANGGARAN + "!") and r[len(SHEET_ANGGARAN) + 2:].lstrip(
                "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == str(line_row)
            or r == f"{SHEET_IDENTITAS}!B{IDENTITAS_ROWS['kepala']}"}
    assert check_carried(out, typed, lost) == len(typed) - len(lost)
    # where values were lost the new workbook holds the generated ones, not guesses
    wb = openpyxl.load_workbook(out)
    assert wb[SHEET_REALISASI][f"{REALISASI_COLS['upaya']}{row_gone}"].value is None
    assert wb[SHEET_ANGGARAN][f"{ANGGARAN_COLS['pagu_revisi']}{line_row}"].value == (
        spec.anggaran[1].pagu_revisi)


def test_unreadable_typed_value_is_listed(filled, tmp_path):
    path, data, typed = filled
    spec = spec_from_data(copy.deepcopy(data), "x")
    row = layout_for(spec).iku_rows[spec.semua_iku()[0].kode]
    ref = f"{SHEET_REALISASI}!{REALISASI_COLS['realisasi_tw1']}{row}"

    def how(wb):
        wb[SHEET_REALISASI][ref.split("!")[1]] = "1,470"  # 1470 or 1,47?

    out, hilang = rebuild(damaged(path, tmp_path, how), tmp_path)
    assert [(h.lembar, h.apa) for h in hilang] == [(SHEET_REALISASI, ref)]
    assert check_carried(out, typed, {ref}) == len(typed) - 1


def test_older_template_version_is_migrated(filled, tmp_path):
    path, _, typed = filled

    def how(wb):
        ws = wb["_meta"]
        for row in ws.iter_rows():
            if row[0].value == "versi_template":
                row[1].value = "0"
        wb["_meta"].title = "metadata"  # and renamed

    hasil = pulihkan(damaged(path, tmp_path, how))
    assert hasil.hilang == []
    assert hasil.catatan[:2] == ["Metadata ditemukan di lembar 'metadata' (namanya diubah).",
                                 "Template versi 0 dipindahkan ke versi 1."]


def test_without_metadata_nothing_is_written(filled, tmp_path, capsys):
    path, _, _ = filled

    def how(wb):
        del wb["_meta"]

    src = damaged(path, tmp_path, how)
    with pytest.raises(PulihError):
        pulihkan(src)
    assert main(["pulihkan", str(src), "-o", str(tmp_path / "baru.xlsm")]) == 1
    assert "'_meta' tidak ada" in capsys.readouterr().err
    assert not (tmp_path / "baru.xlsm").exists()


def test_cli_lists_what_was_lost(filled, tmp_path, capsys):
    path, _, _ = filled

    def how(wb):
        del wb[SHEET_ANGGARAN]

    src = damaged(path, tmp_path, how)
    assert main(["pulihkan", str(src), "-o", str(tmp_path / "baru.xlsm"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["tidak_dipulihkan"] == [{"lembar": "Anggaran", "apa": "seluruh lembar",
                                        "alasan": "lembar tidak ditemukan (dihapus, atau "
                                        "diganti nama dan judul kolomnya tidak dikenali)"}]
    assert main(["pulihkan", str(src), "-o", str(src), "--timpa"]) == 1


SHEETS_MOVED = (SHEET_TARGET, SHEET_REALISASI, SHEET_ANGGARAN)


@settings(max_examples=8, deadline=None, phases=(Phase.explicit, Phase.reuse, Phase.generate),
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(damage=st.fixed_dictionaries({
    name: st.tuples(st.integers(1, 30), st.integers(0, 3), st.integers(1, 25),
                    st.integers(0, 2), st.booleans())
    for name in SHEETS_MOVED
}), ident_rows=st.tuples(st.integers(1, 16), st.integers(0, 2)))
def test_random_damage_loses_nothing(filled, tmp_path, damage, ident_rows):
    """Rows and columns inserted anywhere (above the headers too), sheets renamed,
    protection removed, in any combination: every typed value is carried."""
    path, _, typed = filled

    def how(wb):
        for name, (row, n_rows, col, n_cols, rename) in damage.items():
            ws = wb[name]
            if n_rows:  # openpyxl's insert of 0 rows or columns scrambles the sheet
                ws.insert_rows(row, n_rows)
            if n_cols:
                ws.insert_cols(col, n_cols)
            ws.protection.sheet = False
            if rename:
                ws.title = f"{name} (salinan)"
        if ident_rows[1]:
            wb[SHEET_IDENTITAS].insert_rows(*ident_rows)

    with tempfile.TemporaryDirectory() as tmp:
        out, hilang = rebuild(damaged(path, Path(tmp), how), Path(tmp))
        assert hilang == []
        assert check_carried(out, typed) == len(typed)


def test_not_a_workbook_is_refused_without_traceback(tmp_path, capsys):
    bad = tmp_path / "bukan.xlsm"
    bad.write_bytes(b"ini bukan workbook")
    assert main(["pulihkan", str(bad), "-o", str(tmp_path / "baru.xlsm")]) == 1
    err = capsys.readouterr().err
    assert "tidak bisa dipulihkan" in err and "Traceback" not in err
    assert not (tmp_path / "baru.xlsm").exists()


def test_a_row_copied_with_its_code_is_not_guessed(filled, tmp_path):
    path, data, typed = filled
    spec = spec_from_data(copy.deepcopy(data), "x")
    lay = layout_for(spec)
    kode = spec.semua_iku()[0].kode
    row = lay.iku_rows[kode]
    below = max(lay.iku_rows.values()) + 3

    def how(wb):
        ws = wb[SHEET_REALISASI]
        for col in ("B", "E"):
            ws[f"{col}{below}"] = ws[f"{col}{row}"].value
        ws[f"E{below}"] = 12345  # a second, different realisasi under the same code

    out, hilang = rebuild(damaged(path, tmp_path, how), tmp_path)
    assert hilang == [Hilang(SHEET_REALISASI, f"IKU {kode}", f"kode ini ada di 2 baris "
                             f"({row}, {below}); tidak ditebak mana yang benar")]
    lost = {r for r in typed if r.startswith(f"{SHEET_REALISASI}!")
            and r[len(SHEET_REALISASI) + 2:].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ") == str(row)}
    assert check_carried(out, typed, lost) == len(typed) - len(lost)
