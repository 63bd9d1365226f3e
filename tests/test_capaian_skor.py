"""A score IKU's capaian as score / target (``capaian_skor: nilai``) or as category
against category (``capaian_skor: kategori``), issue 10 point 9. Figures by hand."""

from __future__ import annotations

import pytest

from workbook_gen.spec import SpecError

from .conftest import run

NKA = {"nka": [{"label": "Sangat Kurang"}, {"label": "Kurang", "minimal": 50},
               {"label": "Cukup", "minimal": 60}, {"label": "Baik", "minimal": 80},
               {"label": "Sangat Baik", "minimal": 90}]}
NO_BANDS = {"zi": [{"label": "Belum WBK"}, {"label": "WBK"}, {"label": "WBBM"}]}


def nka(**over):
    d = {"kode": "NKA", "nama": "Nilai Kinerja Anggaran", "satuan": "Predikat",
         "jenis": "kategori", "skala": "nka", "agregasi": "akhir", "target": 88,
         "realisasi_tw": [None, None, None, "86,06"]}
    d.update(over)
    return d


def test_default_kategori_iku_compares_categories():
    # 86,06 and 88 are both "Baik" (80 <= x < 90): rank 4 / rank 4 = 100,00
    h = run([nka()], skala=NKA).iku[0]
    assert h.capaian == 100.00 and h.label_realisasi == "Baik"


def test_capaian_skor_nilai_divides_the_scores():
    # 86,06 / 88 x 100 = 97,7954... -> 97,80 (Baik: 80 <= 97,80 <= 100)
    hasil = run([nka(capaian_skor="nilai")], skala=NKA)
    h = hasil.iku[0]
    assert h.capaian == 97.80 and h.kategori == "Baik"
    assert h.label_realisasi == "Baik"  # the label is still shown
    assert hasil.capaian_rata_rata == 97.80
    assert not hasil.temuan.errors


def test_capaian_skor_nilai_with_revised_and_quarterly_targets():
    # PK 88 -> 97,80; revisi 85 -> 86,06 / 85 = 101,247... -> 101,25;
    # target s.d. TW IV (akhir: TW IV target 90) -> 86,06 / 90 = 95,622... -> 95,62
    h = run([nka(capaian_skor="nilai", target_revisi="85 (Baik)",
                 target_tw=[80, 85, 88, 90])], skala=NKA).iku[0]
    assert (h.capaian, h.capaian_revisi, h.capaian_tw) == (97.80, 101.25, 95.62)


def test_capaian_skor_nilai_minimal_polarity():
    # minimal: (2 x 88 - 86,06) / 88 x 100 = 89,94 / 88 x 100 = 102,2045... -> 102,20
    h = run([nka(capaian_skor="nilai", polaritas="minimal")], skala=NKA).iku[0]
    assert h.capaian == 102.20


def test_capaian_skor_kategori_on_an_angka_score():
    # an angka IKU (satuan Nilai) with a banded scale, compared category against category:
    # 72,5 is Cukup (rank 3), 88 is Baik (rank 4): 3 / 4 = 75,00; by numbers it is 82,39
    base = {"kode": "N", "nama": "Nilai", "satuan": "Nilai", "skala": "nka",
            "agregasi": "akhir", "target": 88, "realisasi_tw": [None, None, None, "72,5"]}
    assert run([base], skala=NKA).iku[0].capaian == 82.39  # 72,5 / 88 = 0,82386...
    h = run([{**base, "capaian_skor": "kategori"}], skala=NKA).iku[0]
    assert h.capaian == 75.00 and h.kategori == "Cukup"


def test_explicit_default_changes_nothing():
    assert run([nka(capaian_skor="kategori")], skala=NKA).iku[0].capaian == 100.00
    angka = {"kode": "N", "nama": "Nilai", "satuan": "Nilai", "agregasi": "akhir",
             "target": 88, "realisasi_tw": [None, None, None, "86,06"]}
    assert run([{**angka, "capaian_skor": "nilai"}]).iku[0].capaian == 97.80


def test_a_bare_label_has_no_score_to_divide():
    with pytest.raises(SpecError) as exc:
        run([nka(capaian_skor="nilai", target="Baik",
                 realisasi_tw=["Cukup", None, None, "86,06"])], skala=NKA)
    found = [(f.jenis, f.lokasi.split(": ")[1]) for f in exc.value.report.errors]
    assert found == [("label_tanpa_nilai", "sasaran[S1].iku[NKA].target"),
                     ("label_tanpa_nilai", "sasaran[S1].iku[NKA].realisasi_tw[0]")]
    assert "86,06 (Baik)" in exc.value.report.errors[0].saran


@pytest.mark.parametrize(("over", "why"), [
    ({"jenis": "kategori", "skala": "zi", "target": "WBK",
      "realisasi_tw": [None] * 4, "capaian_skor": "nilai"}, "tidak punya rentang angka"),
    ({"capaian_skor": "kategori"}, "skalanya tidak ada"),
])
def test_capaian_skor_needs_a_banded_scale(over, why):
    base = {"kode": "X", "nama": "X", "satuan": "Nilai", "agregasi": "akhir", "target": 88,
            "realisasi_tw": [None, None, None, 80]}
    with pytest.raises(SpecError) as exc:
        run([{**base, **over}], skala=NO_BANDS)
    (f,) = exc.value.report.errors
    assert f.jenis == "capaian_skor" and why in f.pesan
    assert f.lokasi == "uji.yaml: sasaran[S1].iku[X].capaian_skor"


def test_riwayat_labels_of_a_score_iku_have_no_capaian():
    from workbook_gen.engine import capaian_riwayat

    from .conftest import spec_with

    spec = spec_with([nka(capaian_skor="nilai", riwayat=[
        {"tahun": 2024, "target": 85, "realisasi": "Baik"},
        {"tahun": 2025, "target": 85, "realisasi": "87,55 (Baik)"}])], skala=NKA)
    # a bare label has no score: no capaian; 87,55 / 85 x 100 = 103,0
    assert capaian_riwayat(spec, spec.semua_iku()[0]) == [
        (2024, 85.0, "Baik", None), (2025, 85.0, 87.55, 103.00)]


def test_the_input_cells_of_a_score_iku_take_numbers(tmp_path):
    import openpyxl

    from workbook_gen.generate import generate
    from workbook_gen.layout import layout_for

    from .conftest import spec_with

    spec = spec_with([nka(capaian_skor="nilai"), nka(kode="NKA2")], skala=NKA)
    path = generate(spec, tmp_path / "unit.xlsx")
    rows = layout_for(spec).iku_rows
    ws = openpyxl.load_workbook(path)["Realisasi"]
    kinds = {}
    for dv in ws.data_validations.dataValidation:
        for kode, row in rows.items():
            if f"E{row}" in dv.sqref:
                kinds[kode] = dv.type
    # score / target: a decimal; category against category: the label list
    assert kinds == {"NKA": "decimal", "NKA2": "list"}
