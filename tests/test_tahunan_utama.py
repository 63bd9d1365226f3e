"""The annual realisasi (issue 10 points 2 and 5) and the headline target (point 3):
engine figures worked out by hand, every finding pinned to its place and numbers."""

from __future__ import annotations

import copy

import pytest

from workbook_gen.engine import hitung
from workbook_gen.findings import SpecError
from workbook_gen.output import hasil_to_dict
from workbook_gen.spec import spec_from_data


def iku(kode, **over):
    d = {"kode": kode, "nama": f"IKU {kode}", "satuan": "Orang", "target": 100,
         "realisasi_tw": [10, 20, 30, 40]}
    d.update(over)
    return d


def spec(ikus, periode="TW IV", **over):
    data = {"versi_spec": 1, "unit": {"nama": "U", "kode_satker": "1"}, "tahun": 2024,
            "periode": periode, "sasaran": [{"kode": "S1", "nama": "Satu", "iku": ikus}]}
    data.update(over)
    return spec_from_data(copy.deepcopy(data), "u.yaml")


def found(h, jenis=None):
    return [(f.tingkat, f.jenis, f.lokasi.split(": ", 1)[1], f.pesan) for f in h.temuan
            if jenis is None or f.jenis == jenis]


# ------------------------------------------------------------------ annual realisasi


def test_report_whose_quarters_do_not_add_up_to_its_annual_figure():
    # the report's own figures: 1.985 + 0 + 89 + 641 = 2.715 people by quarter, 731 printed
    # for the year. The annual figure is used: 731 / 800 = 91,375 -> 91,38 %
    h = hitung(spec([iku("A", target=800, realisasi_tw=["1.985", 0, 89, 641],
                         realisasi_tahunan=731)], periode="tahunan"))
    a = h.iku[0]
    assert a.realisasi == 731 and a.realisasi_triwulan == 2715 and a.realisasi_tahunan == 731
    assert a.capaian == 91.38 and h.capaian_rata_rata == 91.38
    assert found(h) == [(
        "peringatan", "realisasi_tahunan_berbeda", "sasaran[S1].iku[A].realisasi_tahunan",
        "Realisasi per triwulan IKU A (1.985 + 0 + 89 + 641, "
        "sasaran[S1].iku[A].realisasi_tw[0] s.d. sasaran[S1].iku[A].realisasi_tw[3]) "
        "dijumlah menjadi 2.715, bukan realisasi tahunan 731 ("
        "sasaran[S1].iku[A].realisasi_tahunan); capaian memakai realisasi tahunan 731.")]
    # the quarters add up (a full set, kumulatif): the advice says the report slipped
    assert h.temuan.findings[0].saran == (
        "Angka triwulan laporan tidak berjumlah sama dengan angka tahunannya: periksa angka "
        "yang salah ketik. Bila angka tahunan memang angka terverifikasi, biarkan; capaian "
        "memakai realisasi tahunan.")
    j = hasil_to_dict(h)["iku"][0]
    assert (j["realisasi"], j["realisasi_tahunan"], j["realisasi_dari_triwulan"]) == (
        731, 731, 2715)


def test_annual_figure_equal_to_the_quarters_is_silent():
    # 10 + 20 + 30 + 40 = 100 typed as 100,00: no finding, capaian 100 / 100 = 100
    h = hitung(spec([iku("A", realisasi_tahunan="100,00")]))
    assert found(h) == [] and h.iku[0].capaian == 100.0
    # 100,004 is the same to 0,005; 100,006 is not
    assert found(hitung(spec([iku("A", realisasi_tahunan=100.004)]))) == []
    assert [f[1] for f in found(hitung(spec([iku("A", realisasi_tahunan=100.006)])))] == [
        "realisasi_tahunan_berbeda"]
    # a difference of exactly 0,005 is a difference (0 by quarter, 0,005 for the year)
    assert [f[1] for f in found(hitung(spec([iku("A", realisasi_tw=[0, 0, 0, 0],
                                                 realisasi_tahunan=0.005)])))] == [
        "realisasi_tahunan_berbeda"]


def test_annual_figure_replaces_a_last_value_and_names_it():
    # agregasi akhir: the quarters give 40 (the last), the verified year 44: 44 / 50 = 88
    h = hitung(spec([iku("A", target=50, agregasi="akhir", realisasi_tahunan=44)]))
    assert h.iku[0].capaian == 88.0 and h.iku[0].realisasi_triwulan == 40
    [f] = h.temuan.findings
    assert f.pesan.startswith("Realisasi per triwulan IKU A (10, 20, 30, 40, ")
    assert "(triwulan terakhir) adalah 40, bukan realisasi tahunan 44" in f.pesan
    assert f.saran == ("Realisasi tahunan dipakai sebagai realisasi setahun; angka triwulan "
                       "tetap tercatat. Kosongkan realisasi tahunan bila angka triwulan yang "
                       "benar.")


def test_annual_figure_against_an_incomplete_sum_and_a_mean():
    # kumulatif with TW II blank: 10 + 30 + 40 = 80 against 90; not a full set, so the
    # advice is the 'verified figure' one; rata_rata: (10+20+30+40)/4 = 25 against 30
    h = hitung(spec([iku("A", realisasi_tw=[10, None, 30, 40], realisasi_tahunan=90),
                     iku("B", agregasi="rata_rata", realisasi_tahunan=30)]))
    a, b = [f for f in h.temuan if f.jenis == "realisasi_tahunan_berbeda"]
    assert "(10 + 30 + 40, " in a.pesan and "dijumlah menjadi 80, bukan realisasi tahunan 90" \
        in a.pesan
    assert a.saran.startswith("Realisasi tahunan dipakai")
    assert "dirata-rata menjadi 25, bukan realisasi tahunan 30" in b.pesan
    # capaian from the annual figures: 90 / 100 = 90, 30 / 100 = 30; mean 60
    assert [x.capaian for x in h.iku] == [90.0, 30.0] and h.capaian_rata_rata == 60.0
    # the blank TW II is not 'belum diisi' when the year has its figure
    assert not [f for f in h.temuan if f.jenis == "realisasi_kosong"]


def test_annual_figure_alone_reports_the_year():
    # nothing per quarter, 75 for the year: reported, capaian 75, no 'kosong' warnings
    h = hitung(spec([iku("A", realisasi_tw=[None] * 4, realisasi_tahunan=75)]))
    assert h.iku[0].dilaporkan and h.iku[0].capaian == 75.0 and found(h) == []
    assert h.iku[0].realisasi_triwulan is None


@pytest.mark.parametrize("periode", ["TW I", "TW II", "TW III"])
def test_annual_figure_before_tw_iv_is_not_used(periode):
    n = ["TW I", "TW II", "TW III"].index(periode) + 1
    h = hitung(spec([iku("A", realisasi_tahunan=999)], periode=periode))
    # the quarters s.d. TW n: 10, 10+20, 10+20+30
    assert h.iku[0].realisasi == [10, 30, 60][n - 1]
    assert [f for f in found(h, "di_luar_periode") if "tahunan" in f[2]] == [(
        "peringatan", "di_luar_periode", "sasaran[S1].iku[A].realisasi_tahunan",
        f"IKU A sudah berisi realisasi tahunan 999, padahal periode laporan {periode}; "
        "realisasi tahunan baru dipakai pada TW IV atau Tahunan, jadi nilai ini belum "
        "dihitung.")]
    [f] = [f for f in h.temuan if f.lokasi.endswith("realisasi_tahunan")]
    assert f.saran == "Kosongkan sel itu sampai akhir tahun, atau ubah periode laporan."
    assert not found(h, "realisasi_tahunan_berbeda")


def test_annual_figure_of_a_reduction_is_the_years_count():
    # penurunan: baseline 134 cases; quarters 33 + 22 + 31 + 42 = 128 (4,48 %); the verified
    # year count 120: (134 - 120) / 134 = 10,447... % ; against target 6: 174,13 %
    h = hitung(spec([iku("P", satuan="%", rumus="penurunan", baseline=134, target="6,00 %",
                         realisasi_tw=[33, 22, 31, 42], realisasi_tahunan=120)]))
    p = h.iku[0]
    assert p.realisasi_dasar == 120 and round(p.realisasi, 2) == 10.45
    assert p.capaian == 174.13 and p.realisasi_triwulan == 128
    assert "dijumlah menjadi 128, bukan realisasi tahunan 120" in found(
        h, "realisasi_tahunan_berbeda")[0][3]


def test_annual_label_of_a_kategori_iku():
    skala = {"zi": [{"label": "Belum WBK"}, {"label": "WBK"}, {"label": "WBBM"}]}
    h = hitung(spec([iku("Z", satuan="Predikat", jenis="kategori", skala="zi",
                         agregasi="akhir", target="WBBM",
                         realisasi_tw=["WBK", "WBK", "WBK", "WBK"],
                         realisasi_tahunan="wbbm")], skala=skala))
    # the year: WBBM (rank 3) against WBBM: 100; the quarters said WBK
    assert h.iku[0].realisasi == "WBBM" and h.iku[0].capaian == 100.0
    assert "(triwulan terakhir) adalah WBK, bukan realisasi tahunan WBBM" in found(
        h, "realisasi_tahunan_berbeda")[0][3]
    same = hitung(spec([iku("Z", satuan="Predikat", jenis="kategori", skala="zi",
                            agregasi="akhir", target="WBBM", realisasi_tahunan="WBK",
                            realisasi_tw=["WBK", "WBK", "WBK", "WBK"])], skala=skala))
    assert found(same) == []


def test_banded_kategori_compares_by_band():
    skala = {"zi": [{"label": "WBK"}, {"label": "WBBM", "minimal": 85}]}
    base = {"satuan": "Nilai", "jenis": "kategori", "skala": "zi", "agregasi": "akhir",
            "target": "WBBM", "realisasi_tw": [None, None, None, "90"]}
    # 90 and the label WBBM are the same band: silent; 80 (WBK) against 90: a finding
    assert found(hitung(spec([iku("Z", realisasi_tahunan="WBBM", **base)], skala=skala))) == []
    h = hitung(spec([iku("Z", realisasi_tahunan="80", **base)], skala=skala))
    assert [f[1] for f in found(h)] == ["realisasi_tahunan_berbeda"]
    # a number other than the quarters' but in the same band: the same label, silent
    assert found(hitung(spec([iku("Z", realisasi_tahunan="92", **base)], skala=skala))) == []
    # an angka IKU with that scale (labels in brackets only checked) compares numbers
    angka = {**base, "jenis": "angka", "target": 85}
    assert [f[1] for f in found(hitung(spec([iku("Z", realisasi_tahunan="92", **angka)],
                                            skala=skala)))] == ["realisasi_tahunan_berbeda"]
    # the quarters' label against a number in its band: silent; in another band: named
    labelled = {**base, "realisasi_tw": [None, None, None, "WBBM"]}
    assert found(hitung(spec([iku("Z", realisasi_tahunan="90", **labelled)],
                             skala=skala))) == []
    [(_, _, where, pesan)] = found(hitung(spec([iku("Z", realisasi_tahunan="80", **labelled)],
                                               skala=skala)))
    # one quarter reported: its cell alone, no range
    assert pesan == ("Realisasi per triwulan IKU Z (WBBM, sasaran[S1].iku[Z].realisasi_tw[3]) "
                     "(triwulan terakhir) adalah WBBM, bukan realisasi tahunan 80 "
                     "(sasaran[S1].iku[Z].realisasi_tahunan); capaian memakai realisasi "
                     "tahunan 80.")


def test_annual_figure_is_checked_like_a_quarter():
    h = hitung(spec([iku("A", realisasi_tahunan=-5),
                     iku("B", satuan="%", agregasi="akhir", realisasi_tahunan=250),
                     iku("C", satuan="Nilai", target=88, agregasi="akhir",
                         realisasi_tw=[80, 80, 80, 80], realisasi_tahunan=8606)]))
    assert [(f[0], f[1], f[2]) for f in found(h) if f[0] == "error"] == [
        ("error", "nilai_negatif", "sasaran[S1].iku[A].realisasi_tahunan"),
        ("error", "persen_terlalu_besar", "sasaran[S1].iku[B].realisasi_tahunan"),
        ("error", "di_atas_skala", "sasaran[S1].iku[C].realisasi_tahunan")]
    assert "Realisasi tahunan IKU A bernilai negatif (-5)." in [f[3] for f in found(h)]


def test_implausible_annual_capaian_names_the_annual_cell():
    # quarters fine (10 + 20 + 30 + 40 = 100), the year typed as 8606: 8.606 %
    h = hitung(spec([iku("A", realisasi_tahunan=8606)]))
    [f] = [f for f in h.temuan if f.jenis == "capaian_tidak_wajar"]
    assert f.lokasi == "u.yaml: sasaran[S1].iku[A].realisasi_tahunan"


def test_unreadable_annual_figure_is_an_error_at_its_path():
    with pytest.raises(SpecError) as exc:
        spec([iku("A", realisasi_tahunan="banyak")])
    assert [(f.jenis, f.lokasi) for f in exc.value.report.errors] == [
        ("bukan_angka", "u.yaml: sasaran[S1].iku[A].realisasi_tahunan")]


# ------------------------------------------------------------------ headline target


def test_revised_target_as_headline():
    # 8 lokasi reached; PK target 6, revised 8. Headline revisi: 8 / 8 = 100,00 (Baik);
    # PK stays visible: 8 / 6 = 133,33 (Sangat Baik)
    h = hitung(spec([iku("L", satuan="Lokasi", target=6, target_revisi=8,
                         realisasi_tw=[2, 2, 2, 2])], pengaturan={"target_utama": "revisi"}))
    lok = h.iku[0]
    assert (lok.capaian, lok.capaian_pk, lok.capaian_revisi) == (100.0, 133.33, 100.0)
    assert (lok.kategori, lok.kategori_revisi, lok.target_utama) == ("Baik", "Baik", "revisi")
    assert (h.capaian_rata_rata, h.capaian_rata_rata_pk, h.capaian_rata_rata_revisi) == (
        100.0, 133.33, 100.0)
    assert h.kategori == "Baik" and h.jumlah_kategori["Baik"] == 1
    assert (h.sasaran[0].capaian, h.sasaran[0].capaian_pk) == (100.0, 133.33)
    j = hasil_to_dict(h)
    assert j["target_utama"] == "revisi"
    assert (j["iku"][0]["capaian"], j["iku"][0]["capaian_pk"], j["iku"][0]["capaian_revisi"]
            ) == (100, 133.33, 100)
    assert (j["capaian_rata_rata"], j["capaian_rata_rata_pk"]) == (100, 133.33)


def test_pk_headline_is_the_default():
    h = hitung(spec([iku("L", satuan="Lokasi", target=6, target_revisi=8,
                         realisasi_tw=[2, 2, 2, 2])]))
    lok = h.iku[0]
    assert (lok.capaian, lok.capaian_pk, lok.capaian_revisi) == (133.33, 133.33, 100.0)
    assert lok.kategori == "Sangat Baik" and lok.target_utama == "pk"
    assert h.capaian_rata_rata == 133.33 and h.kategori == "Sangat Baik"


def test_headline_revisi_with_an_iku_without_revision():
    # headline revisi; A has no revised target (keeps PK: 40 / 50 = 80), B 8 / 8 = 100
    # (PK 8 / 6 = 133,33), C 8 / 10 = 80 (PK 8 / 4 = 200)
    h = hitung(spec([iku("A", target=50, realisasi_tw=[10, 10, 10, 10]),
                     iku("B", target=6, target_revisi=8, realisasi_tw=[2, 2, 2, 2]),
                     iku("C", target=4, target_revisi=10, realisasi_tw=[2, 2, 2, 2])],
                    pengaturan={"target_utama": "revisi"}))
    assert [x.capaian for x in h.iku] == [80.0, 100.0, 80.0]
    assert [x.capaian_pk for x in h.iku] == [80.0, 133.33, 200.0]
    # means: headline (80 + 100 + 80) / 3 = 86,67 (Baik); PK (80 + 133,333 + 200) / 3 =
    # 137,78; the revised mean is the headline's
    assert (h.capaian_rata_rata, h.capaian_rata_rata_pk, h.capaian_rata_rata_revisi) == (
        86.67, 137.78, 86.67)
    assert h.kategori == "Baik"
    assert h.jumlah_kategori == {"Sangat Baik": 0, "Baik": 3, "Cukup": 0, "Kurang": 0}


def test_blank_iku_counts_zero_against_its_headline_target():
    # B measured, nothing reported, PK target 0 (no capaian can exist) but revised 5: with
    # headline revisi it enters the mean as 0: (100 + 0) / 2 = 50; against PK it is left
    # out (target 0 is flagged): 100
    h = hitung(spec([iku("A"), iku("B", target=0, target_revisi=5, realisasi_tw=[None] * 4)],
                    pengaturan={"target_utama": "revisi"}))
    assert (h.capaian_rata_rata, h.capaian_rata_rata_pk) == (50.0, 100.0)


def test_unknown_headline_choice_is_refused_with_the_choices():
    with pytest.raises(SpecError) as exc:
        spec([iku("A")], pengaturan={"target_utama": "revisi2"})
    [f] = exc.value.report.errors
    assert f.lokasi == "u.yaml: pengaturan.target_utama" and "pk, revisi" in f.saran


# ------------------------------------------------------------------ the bundled example


def test_ntb_example_figures_by_hand():
    from workbook_gen.spec import load_spec

    from .conftest import NTB

    h = hitung(load_spec(NTB))
    cap = {x.kode: (x.capaian, x.capaian_pk, x.kategori) for x in h.iku}
    assert cap == {
        "IKU-1": (97.47, 97.47, "Baik"),  # annual 731 / 750 = 97,4667 (no revision)
        "IKU-2": (100.0, 133.33, "Baik"),  # 2+2+2+2 = 8 lokasi: revisi 8/8, PK 8/6
        "IKU-3": (94.67, 118.33, "Baik"),  # annual 142: revisi 142/150, PK 142/120
        "IKU-4": (97.98, 97.98, "Baik"),  # 180+205+190+201 = 776 / 792 = 97,9798
        "IKU-5": (102.41, 102.41, "Sangat Baik"),  # last 90,12 / 88 = 102,4091
        "IKU-6": (101.95, 101.95, "Sangat Baik"),  # last 96,85 / 95 = 101,9474
        "IKU-7": (100.0, 100.0, "Baik"),  # annual WBK (rank 2) / WBK (rank 2)
        # rasio, minimal: (6+4+8+5)/(265+75+138+185) = 23/663 = 3,4691 %;
        # (2 x 5 - 3,4691) / 5 x 100 = 130,6184 (no revision)
        "IKU-8": (130.62, 130.62, "Sangat Baik"),
        # reduction in percent, last reported -135,15 (a rise): -135,15 / 98,14 x 100 =
        # -137,71, counted 0 (penurunan_negatif: nol)
        "IKU-9": (0.0, 0.0, "Kurang"),
    }
    ss1, ss2 = h.sasaran
    # SS1 headline (97,4667 + 100 + 94,6667 + 97,9798 + 130,6184 + 0) / 6
    #   = 520,7316 / 6 = 86,7886
    # SS1 PK (97,4667 + 133,3333 + 118,3333 + 97,9798 + 130,6184 + 0) / 6
    #   = 577,7315 / 6 = 96,2886
    assert (ss1.capaian, ss1.capaian_pk, ss1.kategori) == (86.79, 96.29, "Baik")
    # SS2 (102,4091 + 101,9474 + 100) / 3 = 304,3565 / 3 = 101,4522 (both targets)
    assert (ss2.capaian, ss2.capaian_pk, ss2.kategori) == (101.45, 101.45, "Sangat Baik")
    # all nine: (520,7316 + 304,3565) / 9 = 91,6765; PK (577,7315 + 304,3565) / 9 = 98,0098
    assert (h.capaian_rata_rata, h.capaian_rata_rata_pk, h.kategori) == (91.68, 98.01, "Baik")
    assert h.jumlah_kategori == {"Sangat Baik": 3, "Baik": 5, "Cukup": 0, "Kurang": 1}
    # (4.982.113.450 + 4.701.559.870) / 9.850.000.000 = 98,3114 %
    assert round(h.anggaran.total.serapan, 2) == 98.31
    assert [(f.jenis, f.lokasi.rsplit(".", 2)[-2:]) for f in h.temuan] == [
        ("realisasi_tahunan_berbeda", ["iku[IKU-1]", "realisasi_tahunan"]),
        ("realisasi_tahunan_berbeda", ["iku[IKU-3]", "realisasi_tahunan"]),
        ("target_tw_tidak_sesuai", ["iku[IKU-4]", "target_tw[3]"]),
        ("realisasi_kosong", ["iku[IKU-9]", "realisasi_tw[0]"]),
        ("realisasi_kosong", ["iku[IKU-5]", "realisasi_tw[0]"]),
        ("realisasi_tahunan_berbeda", ["iku[IKU-7]", "realisasi_tahunan"])]
    assert h.temuan.valid
    assert {i.penanggung_jawab for i in load_spec(NTB).semua_iku()} == {
        "Seksi Penempatan", "Seksi Pelindungan dan Pemberdayaan", "Subbagian Tata Usaha"}


def test_ntb_workbook_typed_by_hand_reaches_the_engine_as_the_spec(tmp_path, capsys):
    """The example's workbook sent out empty, its realisasi and annual figures typed into
    the Realisasi sheet (T for the year): ``hitung FILE`` gives the spec's figures, and the
    finding names the cells (the annual one in T, the quarters E:H)."""
    import json

    from workbook_gen.cli import main

    from .conftest import NTB
    from .workbooks import cleared, fill, load_data, make_workbook, realisasi_cells

    data = load_data(NTB)
    path = make_workbook(cleared(data), tmp_path / "ntb.xlsx")
    cells = realisasi_cells(data)
    assert cells["Realisasi!T6"] == 731 and cells["Realisasi!T14"] == "WBK"
    fill(path, cells)
    assert main(["hitung", str(path), "--json"]) == 0
    from_book = json.loads(capsys.readouterr()[0])
    assert main(["hitung", str(NTB), "--json"]) == 0
    from_spec = json.loads(capsys.readouterr()[0])
    for key in ("target_utama", "capaian_rata_rata", "capaian_rata_rata_pk",
                "capaian_rata_rata_revisi", "sasaran", "anggaran", "iku"):
        assert from_book[key] == from_spec[key], key
    [iku1] = [f for f in from_book["temuan"] if f["jenis"] == "realisasi_tahunan_berbeda"
              and f["lokasi"] == "Realisasi!T6"]
    assert "(1.985 + 0 + 89 + 641, Realisasi!E6 s.d. Realisasi!H6) dijumlah menjadi 2.715, " \
           "bukan realisasi tahunan 731 (Realisasi!T6)" in iku1["pesan"]


def test_ntb_in_konsolidasi_counts_its_headline(tmp_path, capsys):
    """The centre recomputes the example from its workbook's inputs: the unit's capaian is
    the headline (revised target) mean 91,68, its revised mean beside it, IKU-2 at 100."""
    import json

    from workbook_gen.cli import main
    from workbook_gen.generate import generate
    from workbook_gen.spec import load_spec

    from .conftest import NTB

    generate(load_spec(NTB), tmp_path / "ntb.xlsx")
    assert main(["konsolidasi", str(tmp_path / "ntb.xlsx"), "--json"]) == 0
    data = json.loads(capsys.readouterr()[0])
    [unit] = data["unit"]
    assert (unit["capaian"], unit["capaian_revisi"]) == (91.68, 91.68)
    assert unit["anggaran"]["serapan"] == 98.31
    by_kode = {i["kode"]: i for i in data["iku"]}
    assert by_kode["IKU-2"]["capaian"] == {"999002": 100.0}  # 8 / 8, not 8 / 6
    assert by_kode["IKU-1"]["capaian"] == {"999002": 97.47}  # the annual 731 / 750


def test_layout_of_a_workbook_made_before_the_annual_column():
    """An older workbook's layout has no 'tahunan': read without column T, its JSON
    unchanged; new layouts say so and map the annual cell."""
    from workbook_gen.layout import Layout, layout_for
    from workbook_gen.spec import load_spec

    from .conftest import NTB

    new = layout_for(load_spec(NTB))
    assert new.tahunan and new.to_json()["tahunan"] is True
    assert new.lokasi_sel()[("iku", "IKU-1", "realisasi_tahunan")] == "Realisasi!T6"
    old_json = {k: v for k, v in new.to_json().items() if k != "tahunan"}
    old = Layout.from_json(old_json)
    assert not old.tahunan and old.to_json() == old_json
    assert ("iku", "IKU-1", "realisasi_tahunan") not in old.lokasi_sel()
    with pytest.raises(KeyError):
        old.cell(("iku", "IKU-1", "realisasi_tahunan"))
    # its per-row formula is the one it was made with: no reference to column T
    from workbook_gen import formulas

    spec = load_spec(NTB)
    iku1 = spec.semua_iku()[0]
    assert "T6" not in formulas.realisasi_sd(iku1, 6, formulas.cells_for(spec, old))
    assert "AND(PeriodeN>=4,AND(ISNUMBER(T6),NOT(ISLOGICAL(T6))))" in formulas.realisasi_sd(
        iku1, 6, formulas.cells_for(spec, new))


def test_annual_percentage_is_not_a_sum_of_quarters():
    # % IKU left kumulatif: 30 + 30 + 30 + 30 = 120 % would be 'persen_dijumlah'; the
    # year's own 150 % is one figure, not a sum: no such warning, capaian 150 / 100 = 150
    h = hitung(spec([iku("P", satuan="%", agregasi="kumulatif", realisasi_tw=[30] * 4,
                         realisasi_tahunan=150)]))
    assert h.iku[0].capaian == 150.0
    assert [f[1] for f in found(h)] == ["realisasi_tahunan_berbeda"]
    # without the annual figure the sum is flagged
    assert "persen_dijumlah" in [f[1] for f in found(hitung(spec([
        iku("P", satuan="%", agregasi="kumulatif", realisasi_tw=[30] * 4)])))]


@pytest.mark.parametrize(("typed", "utama"), [("revisi", "revisi"), ("PK", "pk")])
def test_katalog_sets_the_headline_for_every_unit(tmp_path, typed, utama):
    from workbook_gen.katalog.susun import load_katalog, periksa_unit

    y = tmp_path / "k.yaml"
    y.write_text("versi_katalog: 1\n"
                 f"pengaturan:\n  tahun: 2026\n  periode: Tahunan\n  target_utama: {typed}\n"
                 "sasaran: [{kode: S1, nama: Satu}]\n"
                 "iku: [{kode_sasaran: S1, kode: I1, nama: Satu, satuan: Lokasi}]\n"
                 "unit: [{kode_satker: '001', nama: Unit A}]\n"
                 "target: [{kode_satker: '001', kode_iku: I1, target: 6, target_revisi: 8}]\n",
                 encoding="utf-8")
    specs, report = periksa_unit(load_katalog(y))
    assert report.findings == []
    assert specs[0].pengaturan.target_utama == utama


@pytest.mark.libreoffice
def test_ntb_saved_by_libreoffice_agrees_with_the_engine_everywhere(tmp_path, capsys):
    """The example typed in by hand (annual figures in T), recalculated and saved by
    LibreOffice: ``periksa`` compares every formula cell it computed (per row and on the
    summary sheets) with the engine: no cell differs."""
    import json

    from workbook_gen.cli import main

    from .conftest import NTB
    from .support.libreoffice import find_soffice, recalculate
    from .workbooks import cleared, fill, load_data, make_workbook, realisasi_cells

    if find_soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    data = load_data(NTB)
    path = make_workbook(cleared(data), tmp_path / "ntb.xlsx")
    fill(path, realisasi_cells(data))
    saved = recalculate([path], tmp_path / "lo")[path]
    assert main(["periksa", str(saved), "--json"]) == 0
    temuan = json.loads(capsys.readouterr()[0])["temuan"]
    assert [f for f in temuan if f["jenis"] == "hasil_rumus_berbeda"] == []
    assert sorted(f["lokasi"] for f in temuan if f["jenis"] == "realisasi_tahunan_berbeda") == [
        "Realisasi!T14", "Realisasi!T6", "Realisasi!T8"]
