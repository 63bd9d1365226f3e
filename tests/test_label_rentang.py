"""A number typed with a label in brackets is checked against the scale's bands, at
every place such a value is read (issue 10 point 8: "76 (WBBM)" with WBBM >= 85)."""

from __future__ import annotations

import pytest

from workbook_gen.spec import SpecError

from .conftest import run

ZI = {"zi": [{"label": "Belum WBK"}, {"label": "WBK", "minimal": 70},
             {"label": "WBBM", "minimal": 85}]}


def _label_findings(hasil):
    return [f for f in hasil.temuan if f.jenis == "label_tidak_sesuai"]


def nilai_zi(**over):
    d = {"kode": "ZI", "nama": "Nilai Zona Integritas", "satuan": "Nilai", "skala": "zi",
         "agregasi": "akhir", "target": "85 (WBBM)",
         "realisasi_tw": [None, None, None, "76,11 (WBK)"]}
    d.update(over)
    return d


def test_labels_that_agree_with_the_bands_pass():
    hasil = run([nilai_zi()], skala=ZI)
    assert _label_findings(hasil) == []
    h = hasil.iku[0]
    assert h.realisasi == 76.11 and h.target == 85
    assert h.capaian == 89.54  # 76,11 / 85 x 100 = 89,541...


@pytest.mark.parametrize(("field", "value", "path", "band", "rentang"), [
    # an angka IKU with a banded scale: passed silently before
    ("realisasi_tw", [None, None, None, "76 (WBBM)"], "realisasi_tw[3]", "WBK",
     "85 ke atas"),
    ("target", "80 (WBBM)", "target", "WBK", "85 ke atas"),
    ("target_revisi", "90 (WBK)", "target_revisi", "WBBM", "70 sampai di bawah 85"),
    ("target_tw", ["60 (WBK)", None, None, None], "target_tw[0]", "Belum WBK",
     "70 sampai di bawah 85"),
    ("riwayat", [{"tahun": 2025, "target": 85, "realisasi": "69,99 (WBK)"}],
     "riwayat[2025].realisasi", "Belum WBK", "70 sampai di bawah 85"),
    ("riwayat", [{"tahun": 2025, "target": "84 (WBBM)", "realisasi": 90}],
     "riwayat[2025].target", "WBK", "85 ke atas"),
])
def test_a_label_outside_its_band_is_flagged_wherever_it_is_typed(field, value, path, band,
                                                                  rentang):
    hasil = run([nilai_zi(**{field: value})], skala=ZI)
    (f,) = _label_findings(hasil)
    assert f.tingkat == "peringatan"
    assert f.lokasi == f"uji.yaml: sasaran[S1].iku[ZI].{path}"
    assert f"termasuk '{band}'" in f.pesan and rentang in f.pesan


def test_the_number_counts_not_the_label():
    # "76 (WBBM)": 76 is used (capaian 76 / 85 x 100 = 89,41), the label only warned about
    h = run([nilai_zi(realisasi_tw=[None, None, None, "76 (WBBM)"])], skala=ZI).iku[0]
    assert h.realisasi == 76 and h.capaian == 89.41


def test_kategori_iku_uses_the_same_check():
    hasil = run([nilai_zi(jenis="kategori", target="WBBM",
                          realisasi_tw=[None, None, None, "76 (WBBM)"])], skala=ZI)
    (f,) = _label_findings(hasil)
    assert "termasuk 'WBK'" in f.pesan and "85 ke atas" in f.pesan
    # the number's band decides: WBK (rank 2) against WBBM (rank 3) = 66,67
    assert hasil.iku[0].capaian == 66.67


def test_lowest_band_is_named_by_its_upper_bound():
    hasil = run([nilai_zi(realisasi_tw=[None, None, None, "90 (Belum WBK)"])], skala=ZI)
    (f,) = _label_findings(hasil)
    assert "di bawah 70" in f.pesan and "termasuk 'WBBM'" in f.pesan


def test_a_label_not_on_the_scale_stays_an_error():
    with pytest.raises(SpecError) as exc:
        run([nilai_zi(target="85 (WBBBM)")], skala=ZI)
    assert [f.jenis for f in exc.value.report.errors] == ["label_tidak_dikenal"]
