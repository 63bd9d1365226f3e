"""The live summary formulas without a spreadsheet engine: every number is a formula
with the engine's value cached, a fresh workbook says "belum diisi", formulas stay under
Excel's 8,192 characters with the longest scale, and Catatan Validasi's status line."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from workbook_gen.engine import hitung
from workbook_gen.layout import SHEET_CATATAN, SHEET_RINGKASAN, layout_for
from workbook_gen.spec import load_spec, spec_from_data
from workbook_gen.summary import build_summary
from workbook_gen.summary.build import STORED_ROW
from workbook_gen.summary.live import MAX_FORMULA, fingerprint_values
from workbook_gen.tables import Formula, Table

from .conftest import BANTEN, JATENG
from .workbooks import cleared, load_data


def _cells(contents) -> list[Any]:
    out = []
    for c in contents:
        for b in c.blocks:
            if isinstance(b, Table):
                out += [v for row in b.rows for v in row]
        out += list(c.cells.values())
    return out


def _numbers_are_formulas(contents) -> list[Any]:
    return [v for v in _cells(contents) if isinstance(v, (int, float))
            and not isinstance(v, bool)]


def test_every_number_is_a_formula_with_the_engine_value():
    spec = load_spec(JATENG)
    hasil = hitung(spec)
    contents = build_summary(hasil)
    by_name = {c.name: c for c in contents}
    ring = by_name[SHEET_RINGKASAN].blocks[0]
    total = ring.rows[-1]
    assert isinstance(total[10], Formula) and total[10].value == 88.28  # Jawa Tengah: 88,28 %
    assert total[10].text.startswith('=IF(OR(SUM($P$') and "SUMPRODUCT($O$" in total[10].text
    assert total[12].value == "Baik"
    # numbers outside formulas: only earlier years (Perbandingan Tahunan) and stored checks
    static = _numbers_are_formulas([c for c in contents
                                    if c.name not in ("Perbandingan Tahunan", SHEET_CATATAN)])
    assert static == []


def test_fresh_workbook_says_belum_diisi():
    spec = spec_from_data(cleared(load_data(BANTEN)), "banten.yaml")
    ring = build_summary(hitung(spec))[0].blocks[0]
    sasaran = [r for r in ring.rows if isinstance(r[0], str) and "." not in r[0]]
    assert {r[12].value for r in sasaran} == {"belum diisi"}
    assert {r[10].value for r in sasaran} == {""}  # no 0 %, no red "Kurang"
    assert ring.rows[-1][12].value == "belum diisi"
    assert ring.colour_of(len(ring.rows) - 1, 12) is None


@pytest.mark.parametrize("n_labels, bands", [(20, False), (10, True)])
def test_formulas_stay_under_excels_limit_with_the_longest_scale(n_labels, bands):
    """The schema's maxima: 20 labels of 60 characters, or 10 with value ranges."""
    data = load_data(JATENG)
    label = "Predikat kinerja yang sangat panjang namanya untuk uji batas"
    skala = [{"label": f"{label[:56]} {chr(65 + i) * 3}",
              **({"minimal": i * 8} if bands and i else {})} for i in range(n_labels)]
    assert all(len(s["label"]) == 60 for s in skala)
    data["skala"]["panjang"] = skala
    iku = copy.deepcopy(data["sasaran"][0]["iku"][0])
    iku.update(kode="IKU-X", jenis="kategori", skala="panjang", satuan="Predikat",
               target=skala[-1]["label"], target_revisi=skala[5]["label"],
               realisasi_tw=[skala[3]["label"], 50 if bands else skala[7]["label"], None,
                             None], agregasi="akhir")
    for key in ("rumus", "target_tw", "riwayat"):
        iku.pop(key, None)
    iku.pop("baseline", None)
    data["sasaran"][0]["iku"].append(iku)
    data.setdefault("pengaturan", {})["batas_capaian"] = 120
    spec = spec_from_data(data, "panjang.yaml")
    texts = [v.text for v in _cells(build_summary(hitung(spec))) if isinstance(v, Formula)]
    longest = max(len(t) for t in texts)
    print(f"\nrumus ringkasan terpanjang: {longest} karakter")
    assert longest < MAX_FORMULA, longest
    # the scale really is in the formulas: its label list on the _meta sheet (the same
    # list the per-row formulas use), which keeps them short whatever the labels
    from workbook_gen.formulas import label_ranges

    listed = label_ranges(spec)["panjang"]
    assert any(listed in t for t in texts)


def test_catatan_stores_what_was_checked():
    spec = load_spec(BANTEN)
    contents = build_summary(hitung(spec), layout=layout_for(spec))
    catatan = next(c for c in contents if c.name == SHEET_CATATAN)
    n, total, count = fingerprint_values(spec)
    row = STORED_ROW  # the table's subtitle row: rewritten with the findings
    assert (catatan.cells[(row, 6)], catatan.cells[(row, 7)], catatan.cells[(row, 8)]) == (
        1, total, count)
    assert n == 1 and count > 20
    status = catatan.cells[(1, 0)]
    assert "diperiksa untuk TW I; isian sudah berubah" in status.text
    assert status.value.startswith("Catatan ini sesuai")
