"""Budget lines as the reports write them (issue 10 point 6) and the per-kegiatan
'capaian anggaran dan kinerja' table (point 9): a kegiatan without komponen, a pagu awal
not known, spending known only for the year, blank budget quarters, a line serving
several sasaran. Every figure is worked out by hand in the comments."""

from __future__ import annotations

import copy

import pytest

from workbook_gen.engine import hitung
from workbook_gen.findings import SpecError
from workbook_gen.output import hasil_to_dict
from workbook_gen.spec import spec_from_data


def base(kegiatan, periode="TW III", total=None):
    data = {
        "versi_spec": 1, "unit": {"nama": "U", "kode_satker": "1"}, "tahun": 2026,
        "periode": periode,
        "sasaran": [
            # A: kumulatif 30 + 20 + 10 = 60 of 100 -> capaian 60,00
            {"kode": "S1", "nama": "Satu", "iku": [
                {"kode": "A", "nama": "IKU A", "satuan": "Orang", "target": 100,
                 "realisasi_tw": [30, 20, 10, None]}]},
            # B: 20 + 20 + 15 = 55 of 50 -> capaian 110,00
            {"kode": "S2", "nama": "Dua", "iku": [
                {"kode": "B", "nama": "IKU B", "satuan": "Orang", "target": 50,
                 "realisasi_tw": [20, 20, 15, None]}]},
        ],
        "anggaran": {"kegiatan": kegiatan},
    }
    if total:
        data["anggaran"]["total"] = total
    return spec_from_data(copy.deepcopy(data), "u.yaml")


KEGIATAN = [
    # the kegiatan itself is the budget line: no stand-in komponen
    {"kode": "K1", "nama": "Dukungan", "sasaran": "S1", "pagu_awal": 1000,
     "pagu_revisi": 800, "realisasi_tw": [100, 200, 300, 100]},
    # one komponen serving two sasaran, its pagu awal not known (null), TW II blank
    {"kode": "K2", "nama": "Pelindungan", "komponen": [
        {"kode": "01", "nama": "Sosialisasi", "sasaran": ["S1", "S2"], "pagu_awal": None,
         "pagu_revisi": 2000, "realisasi_tw": [500, None, 500, 0]}]},
]


def found(h, jenis):
    return [(f.lokasi.split(": ", 1)[-1], f.pesan) for f in h.temuan if f.jenis == jenis]


def test_kegiatan_without_komponen_is_one_line():
    s = base(KEGIATAN)
    line = s.anggaran[0]
    assert (line.key, line.kode, line.nama, line.tanpa_komponen) == (
        "K1/-", "-", "Dukungan", True)
    assert s.where(("anggaran", "K1/-", "pagu_awal")) == "u.yaml: anggaran.kegiatan[K1].pagu_awal"
    a = hitung(s).anggaran
    k1 = a.baris[0]
    # pagu efektif 800 (revisi); realisasi s.d. TW III 100 + 200 + 300 = 600; 600/800 = 75 %
    assert (k1.pagu, k1.realisasi, k1.serapan, k1.sisa) == (800, 600, 75.0, 200)
    assert [p.kode for p in a.per_kegiatan] == ["K1", "K2"]


def test_pagu_awal_unknown():
    h = hitung(base(KEGIATAN, total={"pagu_awal": 9999, "pagu_revisi": 2800}))
    a = h.anggaran
    k2 = a.baris[1]
    # pagu awal null: unknown; pagu efektif = revisi 2000; 500 + 0 + 500 = 1000 -> 50 %
    assert (k2.pagu_awal, k2.pagu, k2.realisasi, k2.serapan) == (None, 2000, 1000, 50.0)
    # a sum with an unknown member is unknown; the pagu (revisi) sums 800 + 2000 = 2800
    assert (a.total.pagu_awal, a.total.pagu_revisi, a.total.pagu) == (None, 2800, 2800)
    # 1600 / 2800 = 57,142857 %
    assert a.total.realisasi == 1600 and round(a.total.serapan, 4) == 57.1429
    # the declared pagu awal (9999) has nothing to be compared with: no finding on it;
    # the declared pagu revisi equals the lines' 2800: none either
    assert [f for f in h.temuan if f.jenis in ("total_tidak_sama", "total_seribu_kali")] == []


def test_pagu_awal_null_message_has_no_python_words():
    with pytest.raises(SpecError) as exc:
        base([{"kode": "K1", "nama": None, "sasaran": "S1", "pagu_awal": 5}])
    messages = " ".join(f.pesan for f in exc.value.report)
    assert "None" not in messages
    assert "seharusnya teks, bukan kosong" in messages


def test_line_without_any_pagu_is_a_warning():
    h = hitung(base([{"kode": "K1", "nama": "Dukungan", "sasaran": "S1",
                      "realisasi_tw": [0, 0, 0, 0]}]))
    assert found(h, "pagu_kosong") == [(
        "anggaran.kegiatan[K1].pagu_awal",
        "Baris anggaran 'Dukungan' belum punya pagu (pagu awal dan pagu revisi kosong); "
        "pagunya dihitung 0 dan serapannya tidak ada.")]


def test_blank_budget_quarter_is_a_finding_naming_its_cell():
    h = hitung(base(KEGIATAN))
    # K2/01 TW II is blank within TW III: counted 0 and said so; TW IV is outside the periode
    assert found(h, "anggaran_belum_dilaporkan") == [(
        "anggaran.kegiatan[K2].komponen[01].realisasi_tw[1]",
        "Realisasi anggaran TW II 'Sosialisasi' kosong (belum dilaporkan); dalam jumlah dan "
        "serapan dihitung Rp 0.")]
    a = h.anggaran
    assert a.baris[1].dilaporkan_tw == [True, False, True, True]
    assert a.total.dilaporkan_tw == [True, False, True, True]
    # TW I (before the blank) is not flagged: a TW I report of the same line has none
    assert found(hitung(base(KEGIATAN, periode="TW I")), "anggaran_belum_dilaporkan") == []


def test_line_serving_several_sasaran_counts_once_in_the_total():
    h = hitung(base(KEGIATAN))
    s1, s2 = h.sasaran
    # S1: K1 (800, 600) + K2/01 (2000, 1000) = 2800, 1600 -> 57,14 %
    assert (s1.pagu, s1.realisasi_anggaran, round(s1.serapan, 2)) == (2800, 1600, 57.14)
    # S2: K2/01 alone: 2000, 1000 -> 50 %
    assert (s2.pagu, s2.realisasi_anggaran, s2.serapan) == (2000, 1000, 50.0)
    assert (s1.baris_bersama, s2.baris_bersama) == (["K2/01"], ["K2/01"])
    # the total counts K2/01 once: 800 + 2000 = 2800, not 2800 + 2000
    assert h.anggaran.total.pagu == 2800
    assert s1.pagu + s2.pagu == 4800


def test_per_kegiatan_capaian_anggaran_dan_kinerja():
    h = hitung(base(KEGIATAN))
    k1, k2 = h.kegiatan
    # K1 serves S1 -> IKU A: capaian 60,00 (Cukup, 50 <= 60 < 80); serapan 600/800 = 75
    assert (k1.kode, k1.sasaran, k1.iku) == ("K1", ["S1"], ["A"])
    assert (k1.capaian, k1.kategori, k1.serapan) == (60.0, "Cukup", 75.0)
    # K2 serves S1 and S2 -> IKUs A, B: (60 + 110) / 2 = 85,00 (Baik); 1000/2000 = 50
    assert (k2.sasaran, k2.iku) == (["S1", "S2"], ["A", "B"])
    assert (k2.capaian, k2.kategori, k2.pagu, k2.realisasi_anggaran, k2.serapan) == (
        85.0, "Baik", 2000, 1000, 50.0)
    # before rounding, and the band's colour (default bands: Cukup yellow, Baik green)
    assert (k1.capaian_mentah, k2.capaian_mentah) == (60.0, 85.0)
    assert (k1.warna, k2.warna) == ("#FFD966", "#70AD47")
    js = hasil_to_dict(h)["kegiatan"]
    assert [(k["kode"], k["capaian"], k["serapan"], k["iku"]) for k in js] == [
        ("K1", 60.0, 75.0, ["A"]), ("K2", 85.0, 50.0, ["A", "B"])]


def test_annual_realisasi():
    kegiatan = [
        # spending known only for the year: 900 of 1000 -> 90 % at the year
        {"kode": "K1", "nama": "Tahunan", "sasaran": "S1", "pagu_awal": 1000,
         "realisasi_tahunan": 900},
        # quarters 100 x 4 = 400, annual 450: the annual figure is used, and flagged
        {"kode": "K2", "nama": "Keduanya", "sasaran": "S2", "pagu_awal": 1000,
         "realisasi_tw": [100, 100, 100, 100], "realisasi_tahunan": 450},
    ]
    h = hitung(base(kegiatan, periode="tahunan"))
    a = h.anggaran
    assert [p.realisasi for p in a.baris] == [900, 450]
    assert [p.serapan for p in a.baris] == [90.0, 45.0]
    # year: (900 + 450) / 2000 = 67,5 %; TW I-III unknown while K1 has no quarters
    assert a.total.realisasi == 1350 and a.total.serapan == 67.5
    assert a.serapan_tw == [None, None, None, 67.5]
    assert found(h, "anggaran_belum_dilaporkan") == []  # K1: annual only, not blank
    assert found(h, "realisasi_tahunan_berbeda") == [(
        "anggaran.kegiatan[K2].realisasi_tahunan",
        "Realisasi tahunan 'Keduanya' (Rp 450) berbeda dari jumlah realisasi TW I-IV "
        "(Rp 400, selisih Rp 50); yang dipakai realisasi tahunan.")]
    # before TW IV the annual figure is not used: K2 is 100 x 3 = 300; K1's quarters are
    # blank (counted 0, three findings)
    h3 = hitung(base(kegiatan, periode="TW III"))
    assert [p.realisasi for p in h3.anggaran.baris] == [0, 300]
    assert len(found(h3, "anggaran_belum_dilaporkan")) == 3
    assert found(h3, "realisasi_tahunan_berbeda") == []
    # equal figures (within Rp 0,5) are no finding
    same = copy.deepcopy(kegiatan)
    same[1]["realisasi_tahunan"] = 400.4
    assert found(hitung(base(same, periode="TW IV")), "realisasi_tahunan_berbeda") == []


@pytest.mark.parametrize("kegiatan, path, words", [
    ([{"kode": "K1", "nama": "Tanpa", "pagu_awal": 5}], "anggaran.kegiatan[K1].sasaran",
     "tanpa komponen harus menyebut sasaran"),
    ([{"kode": "K1", "nama": "Ganda", "pagu_awal": 5, "komponen": [
        {"kode": "01", "nama": "X", "sasaran": "S1", "pagu_awal": 5}]}],
     "anggaran.kegiatan[K1].pagu_awal", "ditulis pada komponennya"),
    ([{"kode": "K1", "nama": "Strip", "komponen": [
        {"kode": "-", "nama": "X", "sasaran": "S1", "pagu_awal": 5}]}],
     "anggaran.kegiatan[K1].komponen[-].kode", "kegiatan tanpa komponen"),
    ([{"kode": "K1", "nama": "Salah", "sasaran": ["S1", "S9"], "pagu_awal": 5}],
     "anggaran.kegiatan[K1].sasaran", "sasaran 'S9' yang tidak ada"),
])
def test_budget_structure_errors_name_the_spec_path(kegiatan, path, words):
    with pytest.raises(SpecError) as exc:
        base(kegiatan)
    assert [(f.lokasi, words in f.pesan) for f in exc.value.report] == [
        (f"u.yaml: {path}", True)]


def test_lkj_per_kegiatan_table_and_kegiatan_shown_once():
    from workbook_gen.lkj.content import build_lkj

    h = hitung(base(KEGIATAN))
    tables = {getattr(b, "key", None): b for b in build_lkj(h)}
    rows = [[c.text for c in row] for row in tables["anggaran_kegiatan"].rows]
    # K1: 800 pagu, 600 realisasi, 75 %, capaian 60 (Cukup); K2: 85 (Baik), 50 %
    assert rows == [
        ["1", "Dukungan", "Satu", "800", "600", "75,00 %", "60,00 %", "Cukup"],
        ["2", "Pelindungan", "Satu; Dua", "2.000", "1.000", "50,00 %", "85,00 %", "Baik"]]
    # Realisasi per kegiatan: K1 has no komponen row, K2 its one komponen
    codes = [row[0].text for row in tables["realisasi_kegiatan"].rows]
    assert codes == ["K1", "K2", "01", ""]


def test_annual_realisasi_boundaries_and_its_checks():
    kegiatan = [
        # annual 1200 above the pagu 1000: melebihi_pagu on the year's figure
        {"kode": "K1", "nama": "Lebih", "sasaran": "S1", "pagu_awal": 1000,
         "realisasi_tahunan": 1200},
        # quarters 400, annual 400,5: a difference of exactly Rp 0,5 is a finding
        {"kode": "K2", "nama": "Setengah", "sasaran": "S2", "pagu_awal": 1000,
         "realisasi_tw": [100, 100, 100, 100], "realisasi_tahunan": "400,5"},
        # a negative annual realisasi is an error at its path
        {"kode": "K3", "nama": "Minus", "sasaran": "S2", "pagu_awal": 1000,
         "realisasi_tahunan": -5},
    ]
    h = hitung(base(kegiatan, periode="TW IV"))
    assert found(h, "melebihi_pagu") == [(
        "anggaran.kegiatan[K1]", "Realisasi 'Lebih' (Rp 1.200) melebihi pagunya (Rp 1.000).")]
    assert [w for w, _ in found(h, "realisasi_tahunan_berbeda")] == [
        "anggaran.kegiatan[K2].realisasi_tahunan"]
    assert [(f.lokasi.split(": ")[1], f.saran) for f in h.temuan
            if f.jenis == "nilai_negatif"] == [
        ("anggaran.kegiatan[K3].realisasi_tahunan", "Isi realisasi dengan angka 0 atau lebih.")]
    # TW III: annual figures wait for the year; serapan per quarter from the quarters:
    # K2 100, 200, 300 of the pagu 3000 -> 3,33 %, 6,67 %, 10 %
    h3 = hitung(base(kegiatan, periode="TW III"))
    assert [round(x, 2) for x in h3.anggaran.serapan_tw] == [3.33, 6.67, 10.0]
    assert found(h3, "melebihi_pagu") == []


def test_unreadable_budget_cell_is_not_also_reported_blank():
    data = {
        "versi_spec": 1, "unit": {"nama": "U", "kode_satker": "1"}, "tahun": 2026,
        "periode": "TW II",
        "sasaran": [{"kode": "S1", "nama": "Satu", "iku": [
            {"kode": "A", "nama": "A", "satuan": "Orang", "target": 1}]}],
        "anggaran": {"kegiatan": [{"kode": "K1", "nama": "Satu", "sasaran": "S1",
                                   "pagu_awal": 10, "realisasi_tw": ["lima", None, 1, 1]}]},
    }
    h = hitung(spec_from_data(data, "u.yaml", nilai_ketat=False))
    # TW I holds text: its error only; TW II is blank: the blank finding
    assert [(f.jenis, f.lokasi.split(": ")[1]) for f in h.temuan
            if f.lokasi.split(": ")[1].startswith("anggaran.kegiatan[K1].realisasi_tw")] == [
        ("bukan_angka", "anggaran.kegiatan[K1].realisasi_tw[0]"),
        ("anggaran_belum_dilaporkan", "anggaran.kegiatan[K1].realisasi_tw[1]")]


def test_annual_against_quarters_with_a_blank_quarter_and_the_finding_advice():
    # quarters 100 + blank + 100 + 100 = 300 (the blank counts nothing) = annual 300: no
    # finding; annual 350: a finding with its advice
    kegiatan = [{"kode": "K1", "nama": "Satu", "sasaran": "S1", "pagu_awal": 1000,
                 "realisasi_tw": [100, None, 100, 100], "realisasi_tahunan": 300}]
    assert found(hitung(base(kegiatan, periode="TW IV")), "realisasi_tahunan_berbeda") == []
    kegiatan[0]["realisasi_tahunan"] = 350
    h = hitung(base(kegiatan, periode="TW IV"))
    assert [f.saran for f in h.temuan if f.jenis == "realisasi_tahunan_berbeda"] == [
        "Periksa mana yang benar; kosongkan realisasi tahunan bila jumlah triwulannya yang "
        "benar."]


def test_declared_pagu_awal_compared_when_every_line_has_one():
    # K1 1000 + K2 500 = 1500, declared 1600: a warning naming both
    kegiatan = [{"kode": "K1", "nama": "Satu", "sasaran": "S1", "pagu_awal": 1000,
                 "realisasi_tw": [0, 0, 0, 0]},
                {"kode": "K2", "nama": "Dua", "sasaran": "S2", "pagu_awal": 500,
                 "realisasi_tw": [0, 0, 0, 0]}]
    h = hitung(base(kegiatan, total={"pagu_awal": 1600}))
    assert [m for _, m in found(h, "total_tidak_sama")] == [
        "Jumlah pagu awal semua baris adalah Rp 1.500, bukan Rp 1.600 seperti total yang "
        "dinyatakan (selisih Rp -100)."]
    assert h.anggaran.total.pagu_awal == 1500


def test_a_group_without_any_revision_has_no_pagu_revisi():
    """A kegiatan of two komponen, neither revised: its pagu revisi is unknown (None), not
    the sum of the pagu awal 300 + 200; its pagu is 500 all the same. One revised
    komponen (250) makes the group's revisi 250 + 200 = 450 (the other counts its awal)."""
    komponen = [
        {"kode": "01", "nama": "Satu", "sasaran": "S1", "pagu_awal": 300,
         "realisasi_tw": [10, 20, 30, 0]},
        {"kode": "02", "nama": "Dua", "sasaran": "S2", "pagu_awal": 200,
         "realisasi_tw": [5, 5, 5, 0]}]
    a = hitung(base([{"kode": "K1", "nama": "Satu", "komponen": komponen}])).anggaran
    (k,) = a.per_kegiatan
    assert (k.pagu_awal, k.pagu_revisi, k.pagu) == (500, None, 500)
    assert a.total.pagu_revisi is None
    # the quarters: 10 + 5, 20 + 5, 30 + 5, 0 + 0; reported in every quarter
    assert (k.realisasi_tw, k.realisasi) == ([15, 25, 35, 0], 75)
    revised = copy.deepcopy(komponen)
    revised[0]["pagu_revisi"] = 250
    a = hitung(base([{"kode": "K1", "nama": "Satu", "komponen": revised}])).anggaran
    (k,) = a.per_kegiatan
    assert (k.pagu_awal, k.pagu_revisi, k.pagu) == (500, 450, 450)


def test_no_budget_lines_is_four_empty_quarters():
    """A spec with no budget line: the total is four quarters of 0 (each "reported": no
    line is missing one) and no serapan at any quarter (pagu 0)."""
    a = hitung(base([])).anggaran
    assert (a.total.pagu, a.total.realisasi_tw, a.total.dilaporkan_tw) == (
        0, [0, 0, 0, 0], [True] * 4)
    assert a.baris == a.per_kegiatan == a.per_jenis_belanja == []
    assert a.serapan_tw == [None, None, None]
