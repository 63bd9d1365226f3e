"""What verification expects equals what the generator writes, for every formula cell.

``excel.verify.expected_values(spec)`` is computed with the standard library alone (it is
what xlwings Lite checks the spreadsheet against); ``formula_values(xlsx)`` reads the
cached values xlsxwriter wrote into a generated workbook. The two must be the same map:
the same sheets, the same cells, the same values (exactly, not within a tolerance), for
both bundled examples and for generated specs and fillings.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from workbook_gen.excel.verify import expected_values, formula_values
from workbook_gen.generate import build_workbook, expected_formulas
from workbook_gen.layout import (
    ANGGARAN_COLS,
    REALISASI_COLS,
    SHEET_ANGGARAN,
    SHEET_IDENTITAS,
    SHEET_REALISASI,
    col_index,
    layout_for,
)
from workbook_gen.spec import load_spec, spec_from_data

from .conftest import BANTEN, JATENG
from .test_summary_live_libreoffice import filling


def _assert_same(spec) -> dict:
    pure = expected_values(spec)
    written = formula_values(build_workbook(spec, macro=False))
    assert list(pure) == list(written)  # same sheets, in workbook order
    for sheet, cells in written.items():
        assert set(pure[sheet]) == set(cells), sheet
        for rc, value in cells.items():
            got = pure[sheet][rc]
            assert type(got) is type(value) and got == value, (sheet, rc, got, value)
    return pure


@pytest.mark.parametrize("spec_path", [BANTEN, JATENG])
def test_examples_every_formula_cell_same_value(spec_path):
    pure = _assert_same(load_spec(spec_path))
    assert sum(len(c) for c in pure.values()) > 500
    # every formula Hitung Capaian restores has an expected value, and no other cell does
    spec = load_spec(spec_path)
    for sheet, cells in expected_formulas(spec).items():
        assert set(cells) == set(pure.get(sheet, {})), sheet


def test_banten_figures_worked_out_by_hand():
    """Banten TW I (templates/bp3mi_banten_2026_tw1.yaml): periode n 1. IKU-1: target 80,
    quarterly targets 20 each, TW I realisasi 10: realisasi s.d. TW I 10, capaian 10/80 =
    12,5 %, against the TW I target 10/20 = 50 %, "Kurang". The budget total: pagu
    9.355.124.000, TW I 2.396.286.106, serapan 25,61 %, sisa 6.958.837.894."""
    spec = load_spec(BANTEN)
    pure = expected_values(spec)
    layout = layout_for(spec)
    assert pure[SHEET_IDENTITAS] == {(11, 2): 1.0}
    row = layout.iku_rows["IKU-1"]
    real = {field: pure[SHEET_REALISASI].get((row, col_index(col)))
            for field, col in REALISASI_COLS.items()}
    assert real["realisasi_sd"] == 10 and real["target"] == 80 and real["target_sd"] == 20
    assert real["capaian"] == 12.5 and real["capaian_tw"] == 50 and real["kategori"] == "Kurang"
    total = {field: pure[SHEET_ANGGARAN].get((layout.total_row, col_index(col)))
             for field, col in ANGGARAN_COLS.items()}
    assert total["pagu"] == 9_355_124_000 and total["realisasi_tw1"] == 2_396_286_106
    assert total["serapan"] == 25.61 and total["sisa"] == 6_958_837_894


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(filling())
def test_generated_specs_every_formula_cell_same_value(data):
    _assert_same(spec_from_data(data, "uji.yaml"))
