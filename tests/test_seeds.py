"""The two shared reports reproduced: figures worked out by hand from their tables."""

from __future__ import annotations

from dataclasses import replace

from workbook_gen.engine import hitung
from workbook_gen.spec import load_spec

from .conftest import JATENG


def by(hasil, kode):
    return hasil.iku_by_kode()[kode]


# ------------------------------------------------------------------ Banten TW I 2026


def test_banten_iku_capaian(banten):
    # 10 / 80 = 12,50; against the TW I target 20: 50,00
    assert by(banten, "IKU-1").capaian == 12.50
    assert by(banten, "IKU-1").capaian_tw == 50.00
    # pemberdayaan 2622 / 1470 ("1.470", "2.622" typed the Indonesian way)
    assert by(banten, "IKU-4").realisasi == 2622
    assert by(banten, "IKU-4").capaian == 178.37
    assert by(banten, "IKU-3").capaian == 54.00
    assert by(banten, "IKU-5").capaian == 100.00
    # NKA "Baik" against "Baik" on the NKA scale
    assert by(banten, "IKU-7").realisasi == "Baik"
    assert by(banten, "IKU-7").capaian == 100.00


def test_banten_kearsipan_not_measured_in_tw1(banten):
    arsip = by(banten, "IKU-6")
    assert arsip.diukur is False
    assert arsip.capaian is None
    # excluded from the mean, not counted as 0: mean of the six measured IKUs
    measured = [h.capaian_mentah for h in banten.iku if h.kode != "IKU-6"]
    assert len(measured) == 6
    assert banten.capaian_rata_rata == round(sum(measured) / 6, 2)
    assert not [f for f in banten.temuan if "IKU-6" in f.pesan]


def test_banten_opp_count_in_percentage_cell(banten):
    found = [f for f in banten.temuan if f.jenis == "persen_terlalu_besar"]
    assert len(found) == 1
    assert found[0].tingkat == "error"
    assert "IKU-2" in found[0].pesan and "3453" in found[0].pesan
    assert found[0].lokasi.endswith("sasaran[SS2].iku[IKU-2].realisasi_tw[0]")


def test_banten_budget(banten):
    a = banten.anggaran
    assert a.total.pagu == 9_355_124_000
    assert a.total.realisasi == 2_396_286_106
    assert round(a.total.serapan, 2) == 25.61
    assert a.total.sisa == 6_958_837_894
    kepulangan = next(p for p in a.baris if p.nama.startswith("Layanan Kepulangan"))
    assert (kepulangan.realisasi, kepulangan.pagu) == (443_278_912, 1_796_869_000)
    assert round(kepulangan.serapan, 2) == 24.67  # the report printed 4.67 %
    kegiatan = {p.kode: p for p in a.per_kegiatan}
    assert kegiatan["01"].pagu == 2_782_134_000
    assert kegiatan["02"].pagu == 6_572_990_000
    assert [p.kode for p in a.per_jenis_belanja] == ["52"]
    assert a.per_jenis_belanja[0].realisasi == 2_396_286_106
    # declared total equals the lines: no total finding
    assert not [f for f in banten.temuan if f.jenis == "total_tidak_sama"]


# ------------------------------------------------------------------ Jawa Tengah 2024


def test_jateng_against_pk_targets(jateng):
    got = [h.capaian for h in jateng.iku]
    assert got == [71.30, 74.63, 41.33, 179.38, 50.00, 97.80, 102.23, 89.54]
    s1, s2 = jateng.sasaran
    assert (s1.capaian, s2.capaian) == (83.33, 96.52)
    assert jateng.capaian_rata_rata == 88.28


def test_jateng_penurunan(jateng):
    iku2 = by(jateng, "IKU-2")
    assert iku2.realisasi_dasar == 128  # 33 + 22 + 31 + 42 cases
    assert round(iku2.realisasi, 2) == 4.48  # (134 - 128) / 134
    assert iku2.capaian == 74.63


def test_jateng_truncation_gives_the_reports_figures():
    spec = load_spec(JATENG)
    spec = replace(spec, pengaturan=replace(spec.pengaturan, pembulatan="potong"))
    hasil = hitung(spec)
    assert by(hasil, "IKU-1").capaian == 71.29
    assert by(hasil, "IKU-6").capaian == 97.79
    assert hasil.capaian_rata_rata == 88.27


def test_jateng_against_revised_targets(jateng):
    assert by(jateng, "IKU-1").capaian_revisi == 107.26  # 25.207 / 23.500
    assert by(jateng, "IKU-4").capaian_revisi == 267.69  # 174 / 65
    assert by(jateng, "IKU-5").capaian_revisi == 100.00  # 160 / 160
    # IKUs without a revised target keep their PK capaian
    assert by(jateng, "IKU-3").capaian_revisi == by(jateng, "IKU-3").capaian
    assert jateng.sasaran[0].capaian_revisi == 118.18
    assert jateng.capaian_rata_rata_revisi == 110.06


def test_jateng_yearly_realisasi_from_quarters(jateng):
    assert by(jateng, "IKU-1").realisasi == 25_207
    assert by(jateng, "IKU-3").realisasi == 62
    assert by(jateng, "IKU-4").realisasi == 174
    assert by(jateng, "IKU-5").realisasi == 160
    # akhir: the last reported quarter ("86,06%", "97,12", "76,11 (WBK)")
    assert by(jateng, "IKU-6").realisasi == 86.06
    assert by(jateng, "IKU-7").realisasi == 97.12
    assert by(jateng, "IKU-8").realisasi == 76.11


def test_jateng_budget(jateng):
    s1, s2 = jateng.sasaran
    assert round(s1.serapan, 2) == 93.24
    assert round(s2.serapan, 2) == 97.84
    total = jateng.anggaran.total
    assert total.realisasi == 12_981_591_744
    assert total.pagu == 13_488_991_000  # the declared DIPA after AA
    assert round(total.serapan, 2) == 96.24
    found = [f for f in jateng.temuan if f.jenis == "total_tidak_sama"
             and f.lokasi.endswith("anggaran.total.pagu_revisi")]
    assert len(found) == 1
    assert "13.521.841.000" in found[0].pesan and "13.488.991.000" in found[0].pesan
