"""Every capaian and budget rule of DOMAIN.md, on small specs worked out by hand."""

from __future__ import annotations

import pytest

from workbook_gen.engine import bulatkan, hitung
from workbook_gen.spec import Pengaturan

from .conftest import base_spec, iku, run, spec_with


def one(hasil):
    assert len(hasil.iku) == 1
    return hasil.iku[0]


def kinds(hasil):
    return [f.jenis for f in hasil.temuan]


# --------------------------------------------------------------- aggregation


@pytest.mark.parametrize(
    ("agregasi", "periode", "realisasi"),
    [
        ("kumulatif", "TW IV", 100),  # 10 + 20 + 30 + 40
        ("kumulatif", "TW II", 30),  # 10 + 20
        ("akhir", "TW IV", 40),
        ("akhir", "TW III", 30),
        ("rata_rata", "TW IV", 25),
        ("rata_rata", "TW II", 15),
    ],
)
def test_agregasi(agregasi, periode, realisasi):
    h = one(run([iku(agregasi=agregasi)], periode=periode))
    assert h.realisasi == realisasi
    assert h.capaian == realisasi  # target 100


def test_blank_quarters_are_not_reported_not_zero():
    h = one(run([iku(agregasi="rata_rata", realisasi_tw=[10, "-", 30, None])]))
    assert h.realisasi == 20  # mean of the two reported quarters, not (10+0+30+0)/4
    akhir = one(run([iku(agregasi="akhir", realisasi_tw=[10, 50, "", None])]))
    assert akhir.realisasi == 50  # last *reported* quarter


def test_tahunan_covers_four_quarters():
    h = one(run([iku()], periode="tahunan"))
    assert h.realisasi == 100


# --------------------------------------------------------------- polarity


def test_minimal_polaritas_default_formula():
    # (2T - R) / T x 100 = (2*100 - 80) / 100 * 100 = 120
    h = one(run([iku(polaritas="minimal", agregasi="akhir", realisasi_tw=[None, None, None, 80])]))
    assert h.capaian == 120.00
    # floored at 0: (200 - 250) / 100 -> 0
    h = one(run([iku(polaritas="minimal", agregasi="akhir",
                     realisasi_tw=[None, None, None, 250])]))
    assert h.capaian == 0.00


def test_minimal_polaritas_t_over_r_option():
    h = one(run([iku(polaritas="minimal", rumus_minimal="t_bagi_r", agregasi="akhir",
                     realisasi_tw=[None, None, None, 80])]))
    assert h.capaian == 125.00  # 100 / 80
    # R = 0: undefined, flagged, never a division error
    zero = run([iku(polaritas="minimal", rumus_minimal="t_bagi_r", agregasi="akhir",
                    realisasi_tw=[None, None, None, 0])])
    assert one(zero).capaian is None
    assert "capaian_tak_terdefinisi" in kinds(zero)


# --------------------------------------------------------------- penurunan


def test_penurunan_reduction_and_rise():
    down = one(run([iku(rumus="penurunan", baseline=134, satuan="%", target=6,
                        realisasi_tw=[33, 22, 31, 42])]))
    assert round(down.realisasi, 2) == 4.48
    assert down.capaian == 74.63
    up = one(run([iku(rumus="penurunan", baseline=100, satuan="%", target=5,
                      realisasi_tw=[30, 30, 30, 30])]))
    assert up.realisasi == -20.0  # a rise gives a negative realisasi
    assert up.capaian == -400.00


def test_penurunan_needs_baseline():
    from workbook_gen.findings import SpecError

    with pytest.raises(SpecError) as exc:
        spec_with([iku(rumus="penurunan")])
    assert [f.jenis for f in exc.value.report] == ["baseline_wajib"]


# --------------------------------------------------------------- kategori


SKALA = {"predikat": [{"label": "Kurang"}, {"label": "Cukup", "minimal": 60},
                      {"label": "Baik", "minimal": 80}, {"label": "Sangat Baik", "minimal": 90}]}


def test_kategori_rank_over_rank():
    h = one(run([iku(jenis="kategori", skala="predikat", agregasi="akhir", target="Sangat Baik",
                     realisasi_tw=["Baik", None, None, None])], skala=SKALA, periode="TW I"))
    assert h.realisasi == "Baik"
    assert h.capaian == 75.00  # rank 3 / rank 4


def test_kategori_number_mapped_by_bands():
    h = one(run([iku(jenis="kategori", skala="predikat", agregasi="akhir", target="Baik",
                     realisasi_tw=["86,06", None, None, None])], skala=SKALA, periode="TW I"))
    assert h.label_realisasi == "Baik"
    assert h.capaian == 100.00


def test_label_not_on_scale_is_reported_at_its_place():
    from workbook_gen.findings import SpecError

    with pytest.raises(SpecError) as exc:
        spec_with([iku(jenis="kategori", skala="predikat", agregasi="akhir", target="Baik",
                       realisasi_tw=["Istimewa", None, None, None])], skala=SKALA)
    (f,) = exc.value.report.findings
    assert f.jenis == "label_tidak_dikenal"
    assert f.lokasi == "uji.yaml: sasaran[S1].iku[I1].realisasi_tw[0]"
    assert "Kurang, Cukup, Baik, Sangat Baik" in f.saran


# --------------------------------------------------------------- not measured, blanks


def test_not_measured_excluded_from_means():
    hasil = run([iku("A", realisasi_tw=[50, None, None, None]),
                 iku("B", diukur_pada=["TW III"], realisasi_tw=[None] * 4)], periode="TW I")
    a, b = hasil.iku
    assert b.diukur is False and b.capaian is None
    assert hasil.capaian_rata_rata == 50.00  # B is not 0, it is left out


def test_blank_counts_as_zero_in_means_with_a_warning():
    hasil = run([iku("A", realisasi_tw=[50, None, None, None]),
                 iku("B", realisasi_tw=[None] * 4)], periode="TW I")
    assert hasil.iku[1].capaian is None  # never 0 in the IKU's own row
    assert hasil.capaian_rata_rata == 25.00  # (50 + 0) / 2
    assert "kosong_dihitung_nol" in kinds(hasil)


def test_blank_ignored_when_set():
    hasil = run([iku("A", realisasi_tw=[50, None, None, None]),
                 iku("B", realisasi_tw=[None] * 4)], periode="TW I",
                pengaturan={"kosong_dalam_rata_rata": "abaikan"})
    assert hasil.capaian_rata_rata == 50.00


# --------------------------------------------------------------- target 0 / missing


def test_target_zero_and_missing_flagged_never_divided():
    hasil = run([iku("A", target=0), iku("B", target=None), iku("C")])
    a, b, c = hasil.iku
    assert a.capaian is None and b.capaian is None
    assert c.capaian == 100.00
    assert hasil.capaian_rata_rata == 100.00  # A and B are left out of the mean
    found = {f.jenis: f for f in hasil.temuan if f.tingkat == "error"}
    assert found["target_nol"].lokasi == "uji.yaml: sasaran[S1].iku[A].target"
    assert found["target_kosong"].lokasi == "uji.yaml: sasaran[S1].iku[B].target"


# --------------------------------------------------------------- cap, weights, rounding


def test_cap_applies_to_means_only():
    hasil = run([iku("A", target=50), iku("B")], pengaturan={"batas_capaian": 120})
    assert hasil.iku[0].capaian == 200.00  # raw capaian kept
    assert hasil.capaian_rata_rata == 110.00  # (120 + 100) / 2


def test_weights():
    hasil = run([iku("A", target=50, bobot=3), iku("B", bobot=1)])
    assert hasil.capaian_rata_rata == 175.00  # (200*3 + 100*1) / 4


def test_means_over_unrounded_values():
    # 1/3 -> 33.333..., 2/3 -> 66.666...: mean 50 exactly, not (33.33+66.67)/2 = 50.00 by luck
    hasil = run([iku("A", target=300), iku("B", target=150)])
    assert [h.capaian for h in hasil.iku] == [33.33, 66.67]
    assert hasil.sasaran[0].capaian_mentah == pytest.approx(50.0)


@pytest.mark.parametrize(
    ("x", "mode", "want"),
    [(1.005, "setengah_ke_atas", 1.01), (2.675, "setengah_ke_atas", 2.68),
     (-2.675, "setengah_ke_atas", -2.68), (71.2994, "potong", 71.29),
     (0.57 * 100, "potong", 57.0), (29.0 - 1e-14, "potong", 29.0)],
)
def test_rounding_like_excel(x, mode, want):
    assert bulatkan(x, Pengaturan(pembulatan=mode)) == want


def test_category_bands_on_rounded_capaian():
    # 100.004 rounds to 100.00, which is "Baik" (Sangat Baik is strictly above 100)
    h = one(run([iku(target=100000, realisasi_tw=[100004, None, None, None])]))
    assert (h.capaian, h.kategori) == (100.00, "Baik")
    hasil = run([iku("A", target=100, realisasi_tw=[101, 0, 0, 0]),
                 iku("B", realisasi_tw=[80, 0, 0, 0]), iku("C", realisasi_tw=[79.99, 0, 0, 0]),
                 iku("D", realisasi_tw=[49, 0, 0, 0])])
    assert [h.kategori for h in hasil.iku] == ["Sangat Baik", "Baik", "Cukup", "Kurang"]
    assert hasil.jumlah_kategori == {"Sangat Baik": 1, "Baik": 1, "Cukup": 1, "Kurang": 1}


def test_capaian_tw_against_quarterly_targets():
    h = one(run([iku(target_tw=[20, 30, 25, 25])], periode="TW II"))
    assert h.target_sd == 50
    assert h.capaian_tw == 60.00  # (10 + 20) / 50


# --------------------------------------------------------------- findings on values


def test_count_in_percentage_cell():
    hasil = run([iku(satuan="%", target=63, realisasi_tw=[3453, None, None, None])],
                periode="TW I")
    (f,) = [f for f in hasil.temuan if f.jenis == "persen_terlalu_besar"]
    assert f.tingkat == "error"
    assert f.lokasi == "uji.yaml: sasaran[S1].iku[I1].realisasi_tw[0]"
    ok = run([iku(satuan="%", target=63, realisasi_tw=[97.75, None, None, None])],
             periode="TW I")
    assert "persen_terlalu_besar" not in kinds(ok)


def test_negative_values():
    data = base_spec()
    data["anggaran"]["kegiatan"][0]["komponen"][0]["realisasi_tw"] = [-5, 0, 0, 0]
    from workbook_gen.spec import spec_from_data

    spec = spec_from_data(data, "uji.yaml")
    spec.sasaran[0].iku[0].realisasi_tw[1] = -3.0
    found = [(f.jenis, f.lokasi) for f in hitung(spec).temuan if f.tingkat == "error"]
    assert ("nilai_negatif",
            "uji.yaml: anggaran.kegiatan[K1].komponen[01].realisasi_tw[0]") in found
    assert ("nilai_negatif", "uji.yaml: sasaran[S1].iku[I1].realisasi_tw[1]") in found


# --------------------------------------------------------------- budget


def budget(komponen, **over):
    data = base_spec(**over)
    data["anggaran"] = {"kegiatan": [{"kode": "K1", "nama": "Kegiatan", "komponen": komponen}]}
    from workbook_gen.spec import spec_from_data

    return hitung(spec_from_data(data, "uji.yaml"))


def line(kode, awal, real, revisi=None, jb=None, akun=None, sasaran="S1"):
    d = {"kode": kode, "nama": f"Komponen {kode}", "sasaran": sasaran, "pagu_awal": awal,
         "realisasi_tw": real}
    if revisi is not None:
        d["pagu_revisi"] = revisi
    if jb:
        d["jenis_belanja"] = jb
    if akun:
        d["akun"] = akun
    return d


def test_budget_effective_pagu_serapan_sisa_per_quarter():
    h = budget([line("01", 1000, [100, 200, 300, 400], revisi=800),
                line("02", 500, [50, 50, None, None])], periode="TW II")
    a = h.anggaran
    first, second = a.baris
    assert (first.pagu, first.realisasi, first.serapan, first.sisa) == (800, 300, 37.5, 500)
    assert (second.pagu, second.realisasi, second.serapan) == (500, 100, 20.0)
    assert a.total.pagu == 1300 and a.total.realisasi == 400
    assert a.serapan_tw == pytest.approx([150 / 1300 * 100, 400 / 1300 * 100])


def test_budget_per_jenis_belanja_from_akun():
    h = budget([line("01", 100, [10, 0, 0, 0], akun="521211"),
                line("02", 100, [20, 0, 0, 0], jb=51),
                line("03", 100, [30, 0, 0, 0], akun="532111")])
    assert [(p.kode, p.realisasi) for p in h.anggaran.per_jenis_belanja] == [
        ("51", 20), ("52", 10), ("53", 30)]


def test_realisasi_above_pagu_is_a_warning():
    h = budget([line("01", 100, [80, 40, 0, 0])])
    (f,) = [f for f in h.temuan if f.jenis == "melebihi_pagu"]
    assert f.tingkat == "peringatan"
    assert "Rp 120" in f.pesan and "Rp 100" in f.pesan


def test_declared_total_differs():
    h = budget([line("01", 100, [10, 0, 0, 0])], anggaran=None)
    assert not [f for f in h.temuan if f.jenis == "total_tidak_sama"]
    data_total = {"pagu_awal": 150, "realisasi": 700}  # realisasi agrees with the lines
    from workbook_gen.spec import spec_from_data

    data = base_spec()
    data["anggaran"]["total"] = data_total
    hasil = hitung(spec_from_data(data, "uji.yaml"))
    (f,) = [f for f in hasil.temuan if f.jenis == "total_tidak_sama"]
    assert f.lokasi == "uji.yaml: anggaran.total.pagu_awal"
    assert hasil.anggaran.total.pagu == 150  # the declared DIPA figure is the total pagu
    assert hasil.anggaran.pagu_jumlah_baris == 1000


def test_sasaran_budget_beside_capaian():
    hasil = run([iku()])
    s = hasil.sasaran[0]
    assert (s.pagu, s.realisasi_anggaran, s.serapan, s.capaian) == (1000, 700, 70.0, 100.0)


def test_unreported_iku_with_revised_target_zero_left_out_of_revised_mean():
    hasil = run([iku("A", realisasi_tw=[50, None, None, None]),
                 iku("B", target_revisi=0, realisasi_tw=[None] * 4)], periode="TW I")
    assert hasil.capaian_rata_rata == 25.00  # B counts 0 against its PK target
    assert hasil.capaian_rata_rata_revisi == 50.00  # no capaian exists against 0: left out


def test_value_warnings_of_a_spec_are_kept():
    skala = {"predikat": [{"label": "Kurang"}, {"label": "Baik", "minimal": 80}]}
    hasil = run([iku(jenis="kategori", skala="predikat", agregasi="akhir", target="Baik",
                     realisasi_tw=["70 (Baik)", None, None, None])], skala=skala,
                periode="TW I")
    (f,) = [f for f in hasil.temuan if f.jenis == "label_tidak_sesuai"]
    assert f.lokasi == "uji.yaml: sasaran[S1].iku[I1].realisasi_tw[0]"
