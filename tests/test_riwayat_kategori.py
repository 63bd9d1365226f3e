"""Earlier years (riwayat) of kategori and score IKUs, and the capaian an earlier report
printed, checked against the rule (issue 10 point 8). Figures worked out by hand."""

from __future__ import annotations

from workbook_gen.engine import capaian_riwayat, hitung
from workbook_gen.output import hasil_to_dict
from workbook_gen.summary import build_summary
from workbook_gen.tables import Table, value_of

from .conftest import spec_with

ZI = {"zi": [{"label": "Belum WBK"}, {"label": "WBK"}, {"label": "WBBM"}]}


def zi(**over):
    d = {"kode": "ZI", "nama": "Predikat Zona Integritas", "satuan": "Predikat",
         "jenis": "kategori", "skala": "zi", "agregasi": "akhir", "target": "WBBM",
         "realisasi_tw": [None, None, None, "WBK"],
         "riwayat": [{"tahun": 2024, "target": "WBK", "realisasi": "WBBM"},
                     {"tahun": 2025, "target": "wbbm", "realisasi": "Belum WBK",
                      "capaian": "33,33"}]}
    d.update(over)
    return d


def flagged(hasil):
    return [f for f in hasil.temuan if f.jenis == "capaian_riwayat_berbeda"]


def test_kategori_riwayat_is_computed_by_the_rank_rule():
    spec = spec_with([zi()], skala=ZI)
    # 2024: WBBM (3) / WBK (2) = 150,00; 2025: Belum WBK (1) / WBBM (3) = 33,33
    assert capaian_riwayat(spec, spec.semua_iku()[0]) == [
        (2024, "WBK", "WBBM", 150.00), (2025, "WBBM", "Belum WBK", 33.33)]
    hasil = hitung(spec)
    assert flagged(hasil) == []  # 33,33 printed = 33,33 computed


def test_perbandingan_tahunan_shows_the_rule_s_capaian_and_the_printed_one():
    hasil = hitung(spec_with([zi()], skala=ZI))
    (tahunan,) = [c for c in build_summary(hasil) if c.name == "Perbandingan Tahunan"]
    table = next(b for b in tahunan.blocks if isinstance(b, Table))
    assert [c.header for c in table.columns][-1] == "Capaian di Laporan (%)"
    rows = [[value_of(v) for v in row] for row in table.rows]
    # before: a kategori IKU's earlier capaian was left blank on this sheet
    assert rows[0] == ["2024", "WBK", "WBBM", 150.00, None]
    assert rows[1] == ["2025", "WBBM", "Belum WBK", 33.33, 33.33]
    assert rows[2][:4] == ["2026", "WBBM", "WBK", 66.67]  # this year: 2 / 3


def test_minimal_polarity_riwayat_uses_the_minimal_rule():
    d = {"kode": "K", "nama": "Kasus", "satuan": "Kasus", "polaritas": "minimal",
         "target": 10, "realisasi_tw": [1, 2, 3, 2],
         "riwayat": [{"tahun": 2025, "target": 10, "realisasi": 8}]}
    hasil = hitung(spec_with([d]))
    (tahunan,) = [c for c in build_summary(hasil) if c.name == "Perbandingan Tahunan"]
    table = tahunan.blocks[0]
    # (2 x 10 - 8) / 10 x 100 = 120,00 (the sheet left it blank before)
    assert value_of(table.rows[0][3]) == 120.00
    assert [c.header for c in table.columns][-1] == "Capaian (%)"  # nothing printed


def test_a_printed_capaian_that_differs_is_flagged_with_both_numbers():
    hasil = hitung(spec_with([zi(riwayat=[{"tahun": 2024, "target": "WBK",
                                           "realisasi": "WBBM", "capaian": "100"}])],
                             skala=ZI))
    (f,) = flagged(hasil)
    assert f.tingkat == "peringatan"
    assert f.lokasi == "uji.yaml: sasaran[S1].iku[ZI].riwayat[2024].capaian"
    assert "tercetak 100 %" in f.pesan and "memberi 150 %" in f.pesan


def test_rounding_differences_are_not_flagged_but_more_is():
    def nilai(printed):
        d = {"kode": "N", "nama": "Nilai", "satuan": "Nilai", "agregasi": "akhir",
             "target": 85, "realisasi_tw": [None, None, None, 90],
             "riwayat": [{"tahun": 2023, "target": 85, "realisasi": "76,11",
                          "capaian": printed}]}
        return flagged(hitung(spec_with([d])))
    # 76,11 / 85 x 100 = 89,5411... -> 89,54; a report that truncated or rounded
    # differently (89,55) is within 0,01; 89,56 and 95,54 are not
    assert nilai("89,54") == [] and nilai("89,55") == [] and nilai("89,53") == []
    assert len(nilai("89,56")) == 1
    assert "memberi 89,54 %" in nilai("95,54")[0].pesan


def test_printed_capaian_without_a_computable_one_is_flagged():
    d = {"kode": "N", "nama": "Nilai", "satuan": "Nilai", "agregasi": "akhir", "target": 85,
         "realisasi_tw": [None, None, None, 90],
         "riwayat": [{"tahun": 2023, "target": 0, "realisasi": 80, "capaian": 94}]}
    (f,) = flagged(hitung(spec_with([d])))
    assert "tidak bisa dihitung" in f.pesan


def test_json_carries_the_riwayat():
    hasil = hitung(spec_with([zi()], skala=ZI))
    assert hasil_to_dict(hasil)["iku"][0]["riwayat"] == [
        {"tahun": 2024, "target": "WBK", "realisasi": "WBBM", "capaian": 150,
         "capaian_tercetak": None},
        {"tahun": 2025, "target": "WBBM", "realisasi": "Belum WBK", "capaian": 33.33,
         "capaian_tercetak": 33.33}]


def test_lkj_year_table_shows_the_rule_s_and_the_printed_capaian(tmp_path):
    from docx import Document

    from workbook_gen.lkj import tulis_lkj

    path = tulis_lkj(hitung(spec_with([zi()], skala=ZI)), tmp_path / "lkj.docx")
    table = next(t for t in Document(str(path)).tables
                 if t.rows[0].cells[-1].text == "Capaian di Laporan (%)")
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows[1] == ["2024", "WBK", "WBBM", "150,00 %", ""]
    assert rows[2] == ["2025", "WBBM", "Belum WBK", "33,33 %", "33,33 %"]
