"""Ratio IKUs (rumus: rasio) and reductions reported as percentages with a negative
result (rumus: penurunan_persen, penurunan_negatif), issue 10 points 1 and 4: the spec
and the engine. Every figure is worked out by hand in the test (the arithmetic is in
the comments), and every branch of the new rules is pinned (this file is in mutmut's
test selection). The workbook side is tests/test_rasio_penurunan.py.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from workbook_gen.engine import hitung
from workbook_gen.findings import SpecError
from workbook_gen.formulas import capaian as capaian_formula
from workbook_gen.parsing import ParseError
from workbook_gen.rasio import Pasangan, baca_pasangan, rasio_sd, rasio_tw
from workbook_gen.spec import spec_from_data, spec_from_text


def _spec_data(**pengaturan: Any) -> dict[str, Any]:
    """The issue's figures: a ratio IKU 6/265, 4/75, 8/138, 5/185 (target 5 %), and a
    reduction reported per quarter as 22,72 %, 21,58 %, -135,15 % (target 98,14 %)."""
    data: dict[str, Any] = {
        "versi_spec": 1,
        "unit": {"nama": "BP3MI Uji Rasio", "kode_satker": "100010"},
        "tahun": 2025,
        "periode": "tahunan",
        "sasaran": [{"kode": "SS1", "nama": "Pelindungan PMI", "iku": [
            {"kode": "R1", "nama": "Persentase PMI bermasalah dari PMI yang ditempatkan",
             "satuan": "%", "rumus": "rasio", "target": 5,
             "realisasi_tw": ["6/265", "4/75", "8/138", "5/185"]},
            {"kode": "N1", "nama": "Persentase penurunan kasus PMI non-prosedural",
             "satuan": "%", "rumus": "penurunan_persen", "target": "98,14",
             "realisasi_tw": ["22,72%", "21,58%", "-135,15%", None]},
        ]}],
    }
    if pengaturan:
        data["pengaturan"] = pengaturan
    return data


def _spec(data: dict[str, Any]):
    return spec_from_data(copy.deepcopy(data), "uji.yaml")

# --------------------------------------------------------------------------- pairs


@pytest.mark.parametrize("typed, pair", [
    ("6/265", Pasangan(6, 265)),
    (" 6 / 265 ", Pasangan(6, 265)),
    ("1.470/2.000", Pasangan(1470, 2000)),  # Indonesian thousands on each side
    ("6/", Pasangan(6, None)),
    ("6/-", Pasangan(6, None)),
    ("/265", Pasangan(None, 265)),
    ("0/0", Pasangan(0, 0)),
    ("-", None),
    (None, None),
])
def test_pair_is_read_exactly(typed, pair):
    assert baca_pasangan(typed) == pair


@pytest.mark.parametrize("typed", ["6/265/3", "6", 6.0, "6%/265", "enam/265", "6/265 orang"])
def test_what_is_not_a_pair_is_an_error(typed):
    with pytest.raises(ParseError):
        baca_pasangan(typed)


def test_ratio_arithmetic():
    assert rasio_tw(6, 265) == pytest.approx(2.2641509)  # 6 / 265 x 100
    assert rasio_tw(6, 0) is None and rasio_tw(None, 265) is None and rasio_tw(6, None) is None
    # only quarters with both numbers: TW II's pair is incomplete, so (6 + 8) / (265 + 138)
    quarters, value = rasio_sd([6, 4, 8, None], [265, None, 138, None], [1, 2, 3, 4])
    assert quarters == [1, 3] and value == pytest.approx(14 / 403 * 100)
    assert rasio_sd([0], [0], [1]) == ([1], None)  # Σ penyebut 0: undefined
    assert rasio_sd([None] * 4, [None] * 4, [1, 2, 3, 4]) == ([], None)


# --------------------------------------------------------------------------- engine: rasio


def test_rasio_worked_example():
    hasil = hitung(_spec(_spec_data()))
    r1 = hasil.iku_by_kode()["R1"]
    # quarter ratios: 6/265 = 2,264; 4/75 = 5,333; 8/138 = 5,797; 5/185 = 2,703
    assert [round(v, 2) for v in r1.realisasi_tw] == [2.26, 5.33, 5.80, 2.70]
    # the year is Σ/Σ: (6+4+8+5) / (265+75+138+185) = 23/663 = 3,4691 % (not the sum
    # 16,10 nor the mean 4,02 of the quarter ratios)
    assert r1.realisasi == pytest.approx(3.4690799)
    # capaian 3,4691 / 5 x 100 = 69,38 -> Cukup (50 <= 69,38 < 80)
    assert r1.capaian == 69.38 and r1.kategori == "Cukup"
    assert r1.dilaporkan and not [f for f in hasil.temuan if "R1" in f.pesan]


def test_rasio_up_to_tw_ii():
    data = _spec_data()
    data["periode"] = "TW II"
    r1 = hitung(_spec(data)).iku_by_kode()["R1"]
    # s.d. TW II: (6 + 4) / (265 + 75) = 10/340 = 2,94 %; capaian 2,9412 / 5 = 58,82
    assert r1.realisasi == pytest.approx(2.9411765)
    assert r1.capaian == 58.82


def test_rasio_minimal_polarity_and_tw_target():
    data = _spec_data()
    iku = data["sasaran"][0]["iku"][0]
    iku.update(polaritas="minimal", target_tw=["5%", "5%", "4%", "4%"])
    r1 = hitung(_spec(data)).iku_by_kode()["R1"]
    # (2 x 5 - 3,4691) / 5 x 100 = 130,62; s.d. TW IV target is the last TW target, 4:
    # (2 x 4 - 3,4691) / 4 x 100 = 113,27
    assert r1.capaian == 130.62
    assert r1.target_sd == 4 and r1.capaian_tw == 113.27


def test_rasio_lists_give_the_same_as_pairs():
    data = _spec_data()
    iku = data["sasaran"][0]["iku"][0]
    del iku["realisasi_tw"]
    iku["pembilang_tw"] = [6, 4, 8, 5]
    iku["penyebut_tw"] = [265, 75, 138, 185]
    a = hitung(_spec(_spec_data())).iku_by_kode()["R1"]
    b = hitung(_spec(data)).iku_by_kode()["R1"]
    assert (a.realisasi, a.capaian, a.realisasi_tw) == (b.realisasi, b.capaian, b.realisasi_tw)


def test_rasio_yaml_pairs_unquoted_are_text():
    text = """
versi_spec: 1
unit: {nama: Uji, kode_satker: "100010"}
tahun: 2025
periode: tahunan
sasaran:
  - kode: SS1
    nama: S
    iku:
      - kode: R1
        nama: Persentase X dari Y
        satuan: "%"
        rumus: rasio
        target: 5
        realisasi_tw: [6/265, 4/75, 8/138, 5/185]
"""
    spec = spec_from_text(text, "uji.yaml")
    iku = spec.semua_iku()[0]
    assert iku.pembilang_tw == [6, 4, 8, 5] and iku.penyebut_tw == [265, 75, 138, 185]


def test_rasio_findings_name_the_quarter():
    data = _spec_data()
    data["sasaran"][0]["iku"][0]["realisasi_tw"] = ["3/0", "5/", "9/4", None]
    hasil = hitung(_spec(data))
    by = {(f.jenis, f.lokasi): f for f in hasil.temuan}
    at = "uji.yaml: sasaran[SS1].iku[R1].realisasi_tw"
    # TW I: penyebut 0 with a pembilang: error, the pembilang still in Σ
    assert by[("penyebut_nol", f"{at}[0]")].tingkat == "error"
    # TW II: penyebut missing: error, the quarter not counted
    assert by[("rasio_tidak_lengkap", f"{at}[1]")].tingkat == "error"
    assert "penyebut kosong" in by[("rasio_tidak_lengkap", f"{at}[1]")].pesan
    # TW III: 9 of 4 is 225 %: the columns swapped
    f = by[("pembilang_melebihi_penyebut", f"{at}[2]")]
    assert f.tingkat == "error" and "225" in f.pesan
    # TW IV blank: not reported (a warning, as for every IKU)
    assert by[("realisasi_kosong", f"{at}[3]")].tingkat == "peringatan"
    r1 = hasil.iku_by_kode()["R1"]
    # counted: TW I and TW III -> (3 + 9) / (0 + 4) = 12/4 = 300 %
    assert r1.realisasi_tw[:3] == [None, None, 225.0]
    assert r1.realisasi == 300.0


def test_rasio_zero_over_zero_is_a_warning():
    data = _spec_data()
    data["sasaran"][0]["iku"][0]["realisasi_tw"] = ["0/0", "4/75", None, None]
    hasil = hitung(_spec(data))
    f = [f for f in hasil.temuan if f.jenis == "penyebut_nol"]
    assert [x.tingkat for x in f] == ["peringatan"]
    # (0 + 4) / (0 + 75) = 5,33 %
    assert hasil.iku_by_kode()["R1"].realisasi == pytest.approx(4 / 75 * 100)


@pytest.mark.parametrize("change, jenis, path", [
    ({"satuan": "Orang"}, "satuan_rumus", "satuan"),
    ({"agregasi": "kumulatif"}, "agregasi_rasio", "agregasi"),
    ({"realisasi_tw": ["6", None, None, None]}, "bukan_rasio", "realisasi_tw[0]"),
    ({"pembilang_tw": [1, None, None, None]}, "rasio_ganda", "pembilang_tw[0]"),
    ({"penurunan_negatif": "nol"}, "penurunan_negatif", "penurunan_negatif"),
])
def test_rasio_spec_errors_name_the_path(change, jenis, path):
    data = _spec_data()
    data["sasaran"][0]["iku"][0].update(change)
    with pytest.raises(SpecError) as err:
        _spec(data)
    found = [(f.jenis, f.lokasi) for f in err.value.report.errors]
    assert (jenis, f"uji.yaml: sasaran[SS1].iku[R1].{path}") in found


def test_pair_in_an_ordinary_iku_is_not_divided():
    data = _spec_data()
    iku = data["sasaran"][0]["iku"][0]
    del iku["rumus"]
    with pytest.raises(SpecError) as err:
        _spec(data)
    assert {f.jenis for f in err.value.report.errors} == {"bukan_angka"}


# --------------------------------------------------------------------------- engine: penurunan


def test_penurunan_persen_as_is_by_default():
    hasil = hitung(_spec(_spec_data()))
    n1 = hasil.iku_by_kode()["N1"]
    # the quarters ARE the reductions; the year is the last one reported (agregasi
    # akhir, as every %): -135,15. Capaian -135,15 / 98,14 x 100 = -137,71 (as is)
    assert n1.realisasi == -135.15 and n1.capaian == -137.71 and n1.kategori == "Kurang"
    # a reduction that turned into a rise is no input error
    assert not [f for f in hasil.temuan if f.jenis == "nilai_negatif"]
    # mean of R1 and N1: (69,3816 + (-137,7114)) / 2 = -34,16
    assert hasil.capaian_rata_rata == -34.16


def test_penurunan_negatif_nol_floors_capaian():
    hasil = hitung(_spec(_spec_data(penurunan_negatif="nol")))
    n1 = hasil.iku_by_kode()["N1"]
    # realisasi stays -135,15 (what was measured); capaian max(0, -137,71) = 0
    assert n1.realisasi == -135.15 and n1.capaian == 0 and n1.capaian_mentah == 0
    assert n1.kategori == "Kurang"
    # the mean follows: (69,3816 + 0) / 2 = 34,69
    assert hasil.capaian_rata_rata == 34.69
    # a ratio IKU is no reduction: its capaian is untouched
    assert hasil.iku_by_kode()["R1"].capaian == 69.38


def test_penurunan_negatif_per_iku_overrides_pengaturan():
    data = _spec_data(penurunan_negatif="nol")
    data["sasaran"][0]["iku"][1]["penurunan_negatif"] = "apa_adanya"
    assert hitung(_spec(data)).iku_by_kode()["N1"].capaian == -137.71
    data = _spec_data()
    data["sasaran"][0]["iku"][1]["penurunan_negatif"] = "nol"
    assert hitung(_spec(data)).iku_by_kode()["N1"].capaian == 0


def test_penurunan_negatif_nol_applies_to_case_counts_too():
    """rumus: penurunan (case counts, baseline 50): 30 + 40 = 70 cases, a rise:
    (50 - 70) / 50 x 100 = -40 %; target 5: -40 / 5 x 100 = -800 as is, 0 floored."""
    def data(option: str) -> dict[str, Any]:
        d = _spec_data(penurunan_negatif=option, batas_capaian_wajar=None)
        d["periode"] = "TW II"
        d["sasaran"][0]["iku"] = [{"kode": "P1", "nama": "Penurunan kasus", "satuan": "%",
                                   "rumus": "penurunan", "baseline": 50, "target": 5,
                                   "realisasi_tw": [30, 40, None, None]}]
        return d
    assert hitung(_spec(data("apa_adanya"))).iku_by_kode()["P1"].capaian == -800
    assert hitung(_spec(data("nol"))).iku_by_kode()["P1"].capaian == 0


def test_penurunan_persen_positive_result_unchanged_by_option():
    data = _spec_data(penurunan_negatif="nol")
    data["sasaran"][0]["iku"][1]["realisasi_tw"] = ["22,72%", "21,58%", None, None]
    n1 = hitung(_spec(data)).iku_by_kode()["N1"]
    # 21,58 / 98,14 x 100 = 21,99 (the floor only touches a negative capaian)
    assert n1.capaian == 21.99


def test_floor_in_the_formula_follows_the_option():
    spec = _spec(_spec_data(penurunan_negatif="nol"))
    n1 = spec.semua_iku()[1]
    assert "MAX(0,I7/J7*100)" in capaian_formula(n1, 7, "J", spec.pengaturan)
    spec = _spec(_spec_data())
    n1 = spec.semua_iku()[1]
    assert "MAX(0" not in capaian_formula(n1, 7, "J", spec.pengaturan)


def test_json_carries_the_pairs():
    from workbook_gen.output import hasil_to_dict

    d = hasil_to_dict(hitung(_spec(_spec_data())))
    r1, n1 = (next(i for i in d["iku"] if i["kode"] == k) for k in ("R1", "N1"))
    # Σ over the four quarters: 6+4+8+5 = 23 of 265+75+138+185 = 663
    assert r1["rasio"] == {"pembilang_tw": [6, 4, 8, 5], "penyebut_tw": [265, 75, 138, 185],
                           "pembilang": 23, "penyebut": 663}
    assert r1["realisasi"] == 3.47 and r1["realisasi_tw"] == [2.26, 5.33, 5.8, 2.7]
    assert n1["rasio"] is None and n1["capaian"] == -137.71


# --------------------------------------------------------------------------- every branch


def _r1(realisasi: list[Any], periode: str = "tahunan", **over: Any):
    data = _spec_data()
    data["periode"] = periode
    data["sasaran"][0]["iku"][0].update(realisasi_tw=realisasi, **over)
    hasil = hitung(spec_from_data(data, "uji.yaml", nilai_ketat=False))
    return hasil.iku_by_kode()["R1"], [f for f in hasil.temuan if "R1" in f.pesan]


def test_rasio_equal_sides_is_100_percent_without_finding():
    h, found = _r1(["5/5", None, None, None], "TW I", target=100)
    assert h.realisasi == 100 and found == []  # 5/5 x 100 = 100 %: a whole, not a swap


def test_rasio_missing_pembilang_is_named():
    h, found = _r1(["/265", "4/75", None, None], "TW II")
    assert [(f.jenis, f.lokasi) for f in found] == [
        ("rasio_tidak_lengkap", "uji.yaml: sasaran[SS1].iku[R1].realisasi_tw[0]")]
    assert "pembilang kosong" in found[0].pesan and "(265)" in found[0].pesan
    # TW I not counted: 4/75 = 5,33 %; Σ over counted quarters only
    assert h.realisasi == pytest.approx(4 / 75 * 100) and (h.pembilang, h.penyebut) == (4, 75)


def test_rasio_quarters_after_the_periode_are_not_checked_for_pairs():
    h, found = _r1(["6/265", "5/", "9/4", "/7"], "TW I")
    # TW II, III and IV hold something (a side is enough) after the periode: not counted,
    # flagged at their pembilang; no pair finding for them
    assert [(f.jenis, f.lokasi[-15:]) for f in found] == [
        ("di_luar_periode", f"realisasi_tw[{q}]") for q in (1, 2, 3)]
    assert h.realisasi == pytest.approx(6 / 265 * 100)


def test_rasio_negative_sides_are_errors():
    data = _spec_data()
    iku = data["sasaran"][0]["iku"][0]
    del iku["realisasi_tw"]
    iku.update(pembilang_tw=[-6, 4, None, None], penyebut_tw=[265, -75, None, None])
    data["periode"] = "TW II"
    hasil = hitung(spec_from_data(data, "uji.yaml"))
    neg = sorted(f.lokasi for f in hasil.temuan if f.jenis == "nilai_negatif")
    assert neg == ["uji.yaml: sasaran[SS1].iku[R1].pembilang_tw[0]",
                   "uji.yaml: sasaran[SS1].iku[R1].penyebut_tw[1]"]


def test_rasio_nothing_reported():
    h, found = _r1([None, "-", None, None], "TW II")
    assert not h.dilaporkan and h.realisasi is None and h.capaian is None
    assert (h.pembilang, h.penyebut) == (None, None)
    assert [f.jenis for f in found] == ["realisasi_kosong", "realisasi_kosong",
                                        "kosong_dihitung_nol"]  # 0 in the mean


def test_rasio_takes_akhir_for_tw_targets():
    spec = _spec(_spec_data())
    assert spec.semua_iku()[0].agregasi == "akhir"


def test_penurunan_persen_checks():
    data = _spec_data()
    n1 = data["sasaran"][0]["iku"][1]
    n1["realisasi_tw"] = ["250%", None, None, None]
    data["periode"] = "TW I"
    hasil = hitung(_spec(data))
    # 250 % above batas_realisasi_persen 200: a count typed in a % cell
    assert [f.jenis for f in hasil.temuan if f.tingkat == "error"] == ["persen_terlalu_besar"]
    # kumulatif over quarters: 60 + 50 = 110 % > 100: flagged as a summed percentage
    n1.update(realisasi_tw=["60%", "50%", None, None], agregasi="kumulatif")
    data["periode"] = "TW II"
    hasil = hitung(_spec(data))
    assert "persen_dijumlah" in {f.jenis for f in hasil.temuan}
    # satuan must be a percentage
    n1["satuan"] = "Kasus"
    with pytest.raises(SpecError) as err:
        _spec(data)
    assert ("satuan_rumus", "uji.yaml: sasaran[SS1].iku[N1].satuan") in [
        (f.jenis, f.lokasi) for f in err.value.report.errors]


def _findings(pairs: list[Any] | None = None, **lists: Any) -> list[tuple[str, ...]]:
    data = _spec_data()
    data["periode"] = "TW IV"
    iku = data["sasaran"][0]["iku"][0]
    if pairs is None:
        del iku["realisasi_tw"]
        iku.update(lists)
    else:
        iku["realisasi_tw"] = pairs
    data["sasaran"][0]["iku"].pop()
    hasil = hitung(spec_from_data(data, "uji.yaml"))
    return [(f.tingkat, f.jenis, f.lokasi.removeprefix("uji.yaml: sasaran[SS1].iku[R1]."),
             f.pesan, f.saran) for f in hasil.temuan]


def test_every_rasio_finding_word_for_word():
    """Each finding of the rule, its place (the side to fix), message and advice."""
    assert _findings(pembilang_tw=[None, 5, 0, -2], penyebut_tw=[None, None, 0, -3]) == [
        ("peringatan", "realisasi_kosong", "realisasi_tw[0]",
         "Realisasi TW I IKU R1 (pembilang dan penyebut) belum diisi (dianggap belum "
         "dilaporkan).", "Isi pembilang dan penyebutnya; tulis 0 bila memang nol."),
        ("error", "rasio_tidak_lengkap", "realisasi_tw[1]",
         "TW II IKU rasio R1: pembilang diisi (5) tetapi penyebut kosong; triwulan ini tidak "
         "dihitung.", "Isi penyebutnya juga (misalnya 6/265: pembilang 6, penyebut 265)."),
        ("peringatan", "penyebut_nol", "penyebut_tw[2]",
         "TW III IKU rasio R1: pembilang dan penyebut 0; persentase triwulan ini tidak "
         "terdefinisi (tidak ada kasus).",
         "Biarkan bila memang tidak ada kasus; kosongkan bila belum dilaporkan."),
        # both sides negative in one quarter: both named; -2 > -3 is no "share above 100 %"
        ("error", "nilai_negatif", "pembilang_tw[3]",
         "Pembilang TW IV IKU R1 bernilai negatif (-2).", "Isi jumlah 0 atau lebih."),
        ("error", "nilai_negatif", "penyebut_tw[3]",
         "Penyebut TW IV IKU R1 bernilai negatif (-3).", "Isi jumlah 0 atau lebih."),
    ]
    assert _findings(["/265", "3/0", "9/4", "2/0,5"]) == [
        ("error", "rasio_tidak_lengkap", "realisasi_tw[0]",
         "TW I IKU rasio R1: penyebut diisi (265) tetapi pembilang kosong; triwulan ini tidak "
         "dihitung.", "Isi pembilangnya juga (misalnya 6/265: pembilang 6, penyebut 265)."),
        ("error", "penyebut_nol", "realisasi_tw[1]",
         "TW II IKU rasio R1: penyebut 0 dengan pembilang 3; persentase triwulan ini tidak "
         "terdefinisi, dan pembilangnya tetap masuk jumlah s.d. triwulan.",
         "Isi penyebut yang benar (jumlah keseluruhan triwulan ini)."),
        # 9/4 = 225 %; 2/0,5 = 400 % (a penyebut below 1 is still a whole to compare with)
        ("error", "pembilang_melebihi_penyebut", "realisasi_tw[2]",
         "TW III IKU rasio R1: pembilang 9 lebih besar dari penyebut 4 (225 %), padahal "
         "pembilang adalah bagian dari penyebut.", "Periksa apakah pembilang dan penyebut "
         "tertukar."),
        ("error", "pembilang_melebihi_penyebut", "realisasi_tw[3]",
         "TW IV IKU rasio R1: pembilang 2 lebih besar dari penyebut 0,5 (400 %), padahal "
         "pembilang adalah bagian dari penyebut.", "Periksa apakah pembilang dan penyebut "
         "tertukar."),
    ]


def test_zero_sides_are_not_negative():
    # 0/0 and 0/75: no nilai_negatif, no share above 100 %
    assert [f[1] for f in _findings(["0/0", "0/75", "0,5/75", "1/1"])] == ["penyebut_nol"]


def test_one_side_after_the_periode_is_flagged_at_its_quarter():
    h, found = _r1(["6/265", None, "5/", None], "TW I")
    assert [(f.jenis, f.lokasi[-15:]) for f in found] == [("di_luar_periode",
                                                            "realisasi_tw[2]")]


def test_small_positive_capaian_is_not_floored():
    data = _spec_data(penurunan_negatif="nol")
    data["sasaran"][0]["iku"][1]["realisasi_tw"] = ["0,49%", None, None, None]
    data["periode"] = "TW I"
    # 0,49 / 98,14 x 100 = 0,4993 -> 0,50 (only a negative capaian becomes 0)
    assert hitung(_spec(data)).iku_by_kode()["N1"].capaian == 0.5


def test_quarters_not_measured_do_not_stop_the_checks():
    h, found = _r1([None, None, "5/", None], "TW IV", diukur_pada=["TW III"])
    # TW I and II are not measured (skipped), TW III is checked: penyebut missing
    assert [(f.jenis, f.lokasi[-15:]) for f in found] == [
        ("rasio_tidak_lengkap", "realisasi_tw[2]"),
        ("kosong_dihitung_nol", "an[SS1].iku[R1]")]  # nothing counted: 0 in the mean
    assert not h.dilaporkan


def test_sums_with_a_zero_pembilang_and_the_implausible_capaian_at_the_pembilang():
    data = _spec_data()
    iku = data["sasaran"][0]["iku"][0]
    del iku["realisasi_tw"]
    iku.update(target="0,1", pembilang_tw=[0, 50, None, None],
               penyebut_tw=[75, 100, None, None])
    data["periode"] = "TW II"
    hasil = hitung(_spec(data))
    r1 = hasil.iku_by_kode()["R1"]
    # Σ: (0 + 50) / (75 + 100) = 50/175 = 28,57 %; against 0,1 %: 28.571 %, implausible
    assert (r1.pembilang, r1.penyebut) == (50, 175)
    assert r1.realisasi == pytest.approx(50 / 175 * 100)
    f = next(f for f in hasil.temuan if f.jenis == "capaian_tidak_wajar")
    # named at the last counted quarter's pembilang (what was typed), not the ratio
    assert f.lokasi == "uji.yaml: sasaran[SS1].iku[R1].pembilang_tw[1]"


def test_rasio_annual_figure_replaces_the_sums_and_names_them():
    """An annual figure on a rasio IKU (issue 10 point 2): from TW IV it replaces
    Σ pembilang / Σ penyebut; the finding names both (23/663 = 3,47, not 4)."""
    data = _spec_data()
    data["sasaran"][0]["iku"][0]["realisasi_tahunan"] = 4
    h = hitung(spec_from_data(data, "uji.yaml"))
    r1 = h.iku_by_kode()["R1"]
    assert (r1.realisasi, r1.capaian) == (4.0, 80.0)  # 4 / 5 x 100
    assert r1.realisasi_triwulan == pytest.approx(23 / 663 * 100)
    found = [f for f in h.temuan if f.jenis == "realisasi_tahunan_berbeda"]
    assert [(f.tingkat, f.lokasi) for f in found] == [
        ("peringatan", "uji.yaml: sasaran[SS1].iku[R1].realisasi_tahunan")]
    assert found[0].pesan == (
        "Realisasi per triwulan IKU rasio R1 (jumlah pembilang / jumlah penyebut = 23/663, "
        "sasaran[SS1].iku[R1].realisasi_tw[0] s.d. sasaran[SS1].iku[R1].realisasi_tw[3]) "
        "memberi 3,47, bukan realisasi tahunan 4 (sasaran[SS1].iku[R1].realisasi_tahunan); "
        "capaian memakai realisasi tahunan 4.")
    assert found[0].saran.startswith("Realisasi tahunan dipakai sebagai realisasi setahun; "
                                      "pembilang dan penyebut")
    # the same figure as the quarters give: no finding
    data["sasaran"][0]["iku"][0]["realisasi_tahunan"] = "3,4690799396681751"
    h = hitung(spec_from_data(data, "uji.yaml", nilai_ketat=False))
    assert not [f for f in h.temuan if f.jenis == "realisasi_tahunan_berbeda"]
