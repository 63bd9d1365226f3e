"""Every generated formula stays under Excel's 8,192 characters (issue 8, point 4).

The largest scale and the longest labels the spec schema allows, the most kategori
bands, and every rule whose formula grows with them; a spec that cannot fit (a budget
whose jenis belanja rows are scattered over thousands of lines) is refused with the
reason, by ``periksa`` and by ``buat``, before anything is written.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from workbook_gen import formulas
from workbook_gen.cli import main
from workbook_gen.findings import SpecError
from workbook_gen.generate import build_workbook, expected_formulas, formula_findings
from workbook_gen.layout import layout_for
from workbook_gen.sheets.realisasi import row_formulas
from workbook_gen.spec import spec_from_data

from .conftest import base_spec

LABEL = 60  # schema: $defs.label.maxLength
LABELS = 20  # schema: skala maxItems
BANDS = 10  # schema: pengaturan.kategori maxItems


def _label(i: int) -> str:
    """A label of the longest length; letters only (a label holds no digits)."""
    head = f"Tingkat {chr(65 + i)} "
    return head + "x" * (LABEL - len(head))


def longest_data(n_labels: int = LABELS) -> dict[str, Any]:
    """The largest spec the schema allows where formulas grow: a scale of the most and
    longest labels, with bands whose bounds are long numbers; the most kategori bands,
    with the longest names; IKUs of every rule measured in every quarter."""
    skala = [{"label": _label(i), "minimal": None if i == 0 else -987654321.123456 + i}
             for i in range(n_labels)]
    kategori = [{"nama": "K" * (LABEL - 2) + f"{i:02d}", "minimal": 1000.123456789 - i * 10,
                 "warna": "#70AD47"} for i in range(BANDS - 1)]
    kategori.append({"nama": "Z" * LABEL, "minimal": None, "warna": "#C00000"})
    top = _label(n_labels - 1)
    ikus = [
        {"kode": "KAT", "nama": "Kategori terpanjang", "satuan": "Predikat",
         "jenis": "kategori", "skala": "panjang", "agregasi": "akhir", "target": top,
         "target_revisi": top, "target_tw": [top] * 4, "realisasi_tw": [top] * 4},
        {"kode": "ANG", "nama": "Angka berlabel", "satuan": "Nilai", "skala": "panjang",
         "target": 90, "target_tw": [10, 20, 30, 40], "realisasi_tw": [1, 2, 3, 4]},
        {"kode": "PCT", "nama": "Persen rata-rata", "satuan": "%", "agregasi": "rata_rata",
         "polaritas": "minimal", "rumus_minimal": "t_bagi_r", "target": 80,
         "target_tw": [80, 80, 80, 80], "realisasi_tw": [70, 75, 80, 85]},
        {"kode": "TRN", "nama": "Penurunan", "satuan": "%", "rumus": "penurunan",
         "baseline": 134, "target": 6, "target_tw": [6, 6, 6, 6],
         "realisasi_tw": [33, 22, 31, 42]},
    ]
    data = base_spec(skala={"panjang": skala},
                     pengaturan={"kategori": kategori, "pembulatan": "potong", "desimal": 4})
    data["sasaran"][0]["iku"] = ikus
    return data


def _longest(spec) -> tuple[int, str]:
    cells = expected_formulas(spec, layout_for(spec))
    return max((len(f), f"{sheet}!{rc}") for sheet, fs in cells.items() for rc, f in fs.items())


def test_largest_scale_and_longest_names_fit():
    spec = spec_from_data(longest_data(), "panjang.yaml")
    n, where = _longest(spec)
    assert n < formulas.MAX_FORMULA, (n, where)
    assert formula_findings(spec).findings == []
    build_workbook(spec, macro=False)  # generates without refusal


def test_inline_labels_would_not_fit():
    """Why the labels are looked up on _meta: written inline (as before), a 12-label
    scale of long labels makes the kategori formulas longer than Excel allows."""
    spec = spec_from_data(longest_data(12), "panjang.yaml")
    iku = next(i for i in spec.semua_iku() if i.kode == "KAT")
    p = spec.pengaturan
    inline = row_formulas(iku, 6, p, formulas.Cells(persen_pecahan=True))
    ranged = row_formulas(iku, 6, p, formulas.cells_for(spec, layout_for(spec)))
    assert max(len(f) for f in inline.values()) > formulas.MAX_FORMULA
    assert max(len(f) for f in ranged.values()) < 2500
    assert "'_meta'!$D$2:$D$13" in ranged["realisasi_sd"]


@pytest.mark.parametrize(("change", "pesan"), [
    (lambda d: d["skala"]["panjang"].append({"label": "Satu lagi", "minimal": 5.0}),
     "paling banyak 20 isian"),
    (lambda d: d["skala"]["panjang"].__setitem__(0, {"label": "y" * 61}),
     "terlalu panjang (61 karakter, paling banyak 60)"),
    (lambda d: d["pengaturan"]["kategori"].insert(0, {"nama": "Baru", "minimal": 2000,
                                                      "warna": "#000000"}),
     "paling banyak 10 isian"),
])
def test_schema_refuses_past_the_maxima_with_the_reason(change, pesan):
    data = longest_data()
    change(data)
    with pytest.raises(SpecError) as exc:
        spec_from_data(copy.deepcopy(data), "panjang.yaml")
    messages = [f"{f.pesan} {f.saran}" for f in exc.value.report.errors]
    assert any(pesan in m and "8.192" in m for m in messages), messages


def scattered_budget(n_lines: int) -> dict[str, Any]:
    """One kegiatan whose komponen alternate between jenis belanja 51 and 52."""
    komponen = [{"kode": f"{i:04d}", "nama": f"Komponen {i}", "sasaran": "S1",
                 "jenis_belanja": "51" if i % 2 else "52", "pagu_awal": 1000}
                for i in range(n_lines)]
    return base_spec(anggaran={"kegiatan": [{"kode": "K1", "nama": "Kegiatan",
                                             "komponen": komponen}]})


def test_budget_that_cannot_fit_is_refused(tmp_path, capsys):
    data = scattered_budget(3000)
    spec = spec_from_data(copy.deepcopy(data), "anggaran.yaml")
    found = formula_findings(spec)
    assert [f.jenis for f in found.errors] == ["rumus_terlalu_panjang"]
    f = found.errors[0]
    assert f.lokasi == "anggaran.yaml: anggaran"
    assert "8.192" in f.pesan and "Anggaran!" in f.pesan and "komponen" in f.saran
    with pytest.raises(SpecError):
        build_workbook(spec, macro=False)

    import yaml
    path = tmp_path / "anggaran.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "x.xlsx"
    assert main(["buat", str(path), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "8.192" in err and "Traceback" not in err
    assert not out.exists()
    assert main(["periksa", str(path)]) == 1
    assert "8.192" in capsys.readouterr().out


def test_budget_of_a_thousand_lines_still_fits():
    spec = spec_from_data(scattered_budget(1000), "anggaran.yaml")
    n, _ = _longest(spec)
    assert n < formulas.MAX_FORMULA
