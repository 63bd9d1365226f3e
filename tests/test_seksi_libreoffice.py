"""LibreOffice recalculation of the issue-10 point 7-9 features equals the engine:
``capaian_skor`` (per-row capaian and the live means) and the Capaian per Penanggung
Jawab sheet. One workbook whose summary formulas carry a poisoned cached value (nothing
passes unless LibreOffice recalculated), and one copy with inputs typed over after
generation (the engine run on the same changes)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from workbook_gen.engine import hitung
from workbook_gen.generate import build_workbook, spec_in_cells
from workbook_gen.layout import (
    REALISASI_COLS,
    SHEET_CATATAN,
    SHEET_REALISASI,
    SHEET_SEKSI,
    layout_for,
)
from workbook_gen.sheets import summary_xlsx
from workbook_gen.spec import spec_from_data
from workbook_gen.summary import build_summary

from .test_formulas_libreoffice import expected_cells
from .test_formulas_libreoffice import mismatches as row_mismatches
from .test_penanggung_jawab import data as roll_up_data
from .test_summary_live_libreoffice import POISON, live_cells, same

try:
    from tests.support import libreoffice as lo
except ImportError:  # pragma: no cover - "prepend" import mode
    from support import libreoffice as lo  # type: ignore[no-redef]

pytestmark = pytest.mark.libreoffice

NKA = [{"label": "Sangat Kurang"}, {"label": "Kurang", "minimal": 50},
       {"label": "Cukup", "minimal": 60}, {"label": "Baik", "minimal": 80},
       {"label": "Sangat Baik", "minimal": 90}]


def spec_data() -> dict[str, Any]:
    d = roll_up_data()
    d["skala"] = {"nka": NKA}
    kat = {"satuan": "Predikat", "jenis": "kategori", "skala": "nka", "agregasi": "akhir"}
    d["sasaran"].append({"kode": "S3", "nama": "Anggaran berkinerja", "iku": [
        # 86,06 / 88 = 97,80
        {"kode": "NKA-N", "nama": "NKA sebagai nilai", **kat, "capaian_skor": "nilai",
         "target": 88, "target_revisi": "85 (Baik)", "target_tw": [80, 85, 88, 90],
         "realisasi_tw": ["84,5", "86,06", None, None], "penanggung_jawab": "Subbag TU"},
        # Baik / Baik = 100
        {"kode": "NKA-K", "nama": "NKA sebagai kategori", **kat, "target": 88,
         "realisasi_tw": ["84,5", "86,06", None, None], "penanggung_jawab": "Subbag TU"},
        # minimal polarity by numbers: (2 x 70 - 72,5) / 70 = 96,43
        {"kode": "NKA-MIN", "nama": "Nilai minimal", **kat, "capaian_skor": "nilai",
         "polaritas": "minimal", "target": 70, "realisasi_tw": ["72,5", None, None, None]},
        # an angka score compared by category: Cukup (3) / Baik (4) = 75
        {"kode": "NILAI-K", "nama": "Nilai sebagai kategori", "satuan": "Nilai",
         "skala": "nka", "agregasi": "akhir", "capaian_skor": "kategori", "target": 88,
         "target_revisi": 95, "realisasi_tw": [None, "72,5", None, None],
         "penanggung_jawab": "Seksi Penempatan"},
    ]})
    return d


def _workbook(spec, path: Path, monkeypatch) -> dict[tuple[str, str], Any]:
    original = summary_xlsx.formula_cells
    monkeypatch.setattr(summary_xlsx, "formula_cells",
                        lambda content: {cell: POISON for cell in original(content)})
    layout = layout_for(spec)
    contents = build_summary(hitung(spec_in_cells(spec, layout)), layout=layout)
    path.write_bytes(build_workbook(spec, macro=False))
    monkeypatch.undo()
    expected = live_cells(contents)
    expected.update(expected_cells(spec, hitung(spec), layout))
    return expected


def _typed_over(source: Path, out: Path, spec) -> tuple[Path, Any]:
    """NKA-N's TW II realisasi 86,06 -> 91,2 and Seksi Penempatan's line's TW II
    realisasi 400 -> 1000, typed into the cells; the spec with the same changes."""
    lay = layout_for(spec)
    wb = openpyxl.load_workbook(source)
    wb[SHEET_REALISASI][f"{REALISASI_COLS['realisasi_tw2']}{lay.iku_rows['NKA-N']}"] = 91.2
    wb["Anggaran"][f"L{lay.line_rows['K1/02']}"] = 1000
    wb.save(out)
    wb.close()
    data = copy.deepcopy(spec.data)
    data["sasaran"][2]["iku"][0]["realisasi_tw"][1] = 91.2
    data["anggaran"]["kegiatan"][0]["komponen"][1]["realisasi_tw"][1] = 1000
    return out, spec_from_data(data, spec.sumber)


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory):
    if lo.find_soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    folder = tmp_path_factory.mktemp("seksi")
    spec = spec_from_data(spec_data(), "seksi.yaml")
    mp = pytest.MonkeyPatch()
    try:
        expected = _workbook(spec, folder / "seksi.xlsx", mp)
    finally:
        mp.undo()
    typed, changed = _typed_over(folder / "seksi.xlsx", folder / "seksi_diketik.xlsx", spec)
    layout = layout_for(changed)
    expected_typed = live_cells(build_summary(hitung(spec_in_cells(changed, layout)),
                                              layout=layout))
    expected_typed.update(expected_cells(changed, hitung(changed), layout))
    # the status line says the inputs changed after the check (the typing did that)
    stale = expected_typed.pop((SHEET_CATATAN, "A2"))
    assert stale.startswith("Catatan ini sesuai")
    outputs = lo.recalculate([folder / "seksi.xlsx", typed], folder / "hitung")
    return [(spec, expected, lo.read_values(outputs[folder / "seksi.xlsx"])),
            (changed, expected_typed, lo.read_values(outputs[typed]))]


def test_the_figures_are_the_hand_worked_ones():
    hasil = hitung(spec_from_data(spec_data(), "seksi.yaml"))
    by = hasil.iku_by_kode()
    # periode TW II, akhir: realisasi 86,06; PK 88: 97,7954 -> 97,80; revisi 85 and
    # target s.d. TW II (TW II's target, 85): 86,06 / 85 = 101,247 -> 101,25
    assert (by["NKA-N"].capaian, by["NKA-N"].capaian_revisi, by["NKA-N"].capaian_tw) == (
        97.80, 101.25, 101.25)
    assert by["NKA-K"].capaian == 100.00
    assert by["NKA-MIN"].capaian == 96.43
    # 72,5 Cukup (3); 88 Baik (4): 75,00; revised 95 Sangat Baik (5): 3 / 5 = 60,00
    assert by["NILAI-K"].capaian == 75.00 and by["NILAI-K"].capaian_revisi == 60.00
    tu = {g.nama: g for g in hasil.per_penanggung_jawab}["Subbag TU"]
    assert tu.capaian == 98.90  # (97,80 + 100) / 2 = 98,90 (raw 97,7954... + 100) / 2


def test_every_cell_equals_the_engine(recalculated):
    bad = []
    for spec, expected, values in recalculated:
        for (sheet, a1), want in expected.items():
            got = values.get(sheet, {}).get(a1)
            if not same(got, want):
                bad.append(f"{spec.sumber} {sheet}!{a1}: LibreOffice {got!r}, engine {want!r}")
        assert not row_mismatches(values, {k: v for k, v in expected.items()
                                           if k[0] == SHEET_REALISASI})
    assert not bad, "\n".join(bad[:25])
    assert not any(v == POISON for _, _, values in recalculated
                   for sheet in values.values() for v in sheet.values())


def test_the_seksi_sheet_was_compared_and_followed_the_typing(recalculated):
    (_, expected, values), (_, expected_typed, typed) = recalculated
    cells = [k for k in expected if k[0] == SHEET_SEKSI]
    assert len(cells) > 60
    assert "isian sudah berubah" in typed[SHEET_CATATAN]["A2"]
    changed = [k for k in cells if expected[k] != expected_typed.get(k)]
    assert changed  # the typed changes moved figures on the sheet
    assert all(same(typed[SHEET_SEKSI].get(k[1]), expected_typed[k]) for k in changed)
