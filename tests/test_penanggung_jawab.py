"""Roll-up per penanggung jawab (seksi / bidang / tim), issue 10 point 7: capaian by the
sasaran mean rule and budget per section. Figures worked out by hand."""

from __future__ import annotations

import copy

from workbook_gen.engine import TANPA_PENANGGUNG_JAWAB, hitung
from workbook_gen.output import hasil_to_dict
from workbook_gen.spec import spec_from_data

from .conftest import base_spec, iku


def data(**over):
    d = base_spec(periode="TW II", **over)
    d["sasaran"] = [
        {"kode": "S1", "nama": "Sasaran 1", "iku": [
            # capaian (TW II, kumulatif): 30/40 = 75; 50/50 = 100 (bobot 3)
            iku("A", target=40, realisasi_tw=[10, 20, None, None],
                penanggung_jawab="Seksi Pelindungan"),
            iku("B", target=50, realisasi_tw=[20, 30, None, None], bobot=3,
                penanggung_jawab="  seksi   pelindungan "),
        ]},
        {"kode": "S2", "nama": "Sasaran 2", "iku": [
            # 60/80 = 75 against PK; revised target 60: 100
            iku("C", target=80, target_revisi=60, realisasi_tw=[25, 35, None, None],
                penanggung_jawab="Seksi Penempatan"),
            # not reported: 0 in the mean (kosong_dalam_rata_rata: nol)
            iku("D", target=10, realisasi_tw=[None, None, None, None],
                penanggung_jawab="Seksi Penempatan"),
            # no penanggung jawab: 12/10 = 120
            iku("E", target=10, realisasi_tw=[5, 7, None, None]),
        ]},
    ]
    d["anggaran"] = {"kegiatan": [{"kode": "K1", "nama": "Kegiatan", "komponen": [
        {"kode": "01", "nama": "Layanan", "sasaran": "S1", "pagu_awal": 1000,
         "realisasi_tw": [100, 150, 999, None], "penanggung_jawab": "Seksi Pelindungan"},
        {"kode": "02", "nama": "Penempatan", "sasaran": "S2", "pagu_awal": 2000,
         "pagu_revisi": 1600, "realisasi_tw": [400, 400, None, None],
         "penanggung_jawab": "Seksi Penempatan"},
        {"kode": "03", "nama": "Umum", "sasaran": "S2", "pagu_awal": 500,
         "realisasi_tw": [50, None, None, None]},
        {"kode": "04", "nama": "Tata usaha", "sasaran": "S2", "pagu_awal": 300,
         "realisasi_tw": [30, 30, None, None], "penanggung_jawab": "Subbag TU"},
    ]}]}
    return d


def groups(d):
    return {g.nama: g for g in hitung(spec_from_data(copy.deepcopy(d), "uji.yaml"))
            .per_penanggung_jawab}


def test_capaian_and_budget_per_penanggung_jawab():
    g = groups(data())
    assert list(g) == ["Seksi Pelindungan", "Seksi Penempatan", "Subbag TU",
                       TANPA_PENANGGUNG_JAWAB]
    pel = g["Seksi Pelindungan"]  # spelled two ways: one section, first spelling shown
    assert pel.iku == ["A", "B"] and pel.baris == ["K1/01"]
    assert pel.capaian == 93.75  # (75 x 1 + 100 x 3) / 4 = 375 / 4
    # budget s.d. TW II: 100 + 150 (TW III's 999 is outside the periode) of 1000
    assert (pel.pagu, pel.realisasi_anggaran, pel.serapan, pel.sisa) == (1000, 250, 25, 750)
    pen = g["Seksi Penempatan"]
    assert pen.capaian == 37.50  # (75 + 0) / 2: D not reported counts 0
    assert pen.capaian_revisi == 50.00  # (100 + 0) / 2
    assert pen.kategori == "Kurang"  # below 50
    assert (pen.pagu, pen.realisasi_anggaran, pen.serapan) == (1600, 800, 50)  # revisi pagu
    tu = g["Subbag TU"]
    assert tu.iku == [] and tu.capaian is None and tu.kategori is None
    assert (tu.pagu, tu.realisasi_anggaran, tu.serapan) == (300, 60, 20)
    rest = g[TANPA_PENANGGUNG_JAWAB]
    assert rest.iku == ["E"] and rest.baris == ["K1/03"]
    assert rest.capaian == 120.00 and rest.kategori == "Sangat Baik"
    assert (rest.pagu, rest.realisasi_anggaran, rest.serapan) == (500, 50, 10)


def test_rules_of_the_sasaran_mean_apply():
    d = data(pengaturan={"kosong_dalam_rata_rata": "abaikan", "batas_capaian": 110})
    g = groups(d)
    assert g["Seksi Penempatan"].capaian == 75.00  # D left out: 75 / 1
    assert g[TANPA_PENANGGUNG_JAWAB].capaian == 110.00  # 120 capped at 110 in the mean


def test_no_penanggung_jawab_anywhere_gives_no_roll_up():
    d = base_spec()
    hasil = hitung(spec_from_data(d, "uji.yaml"))
    assert hasil.per_penanggung_jawab == []
    assert hasil_to_dict(hasil)["per_penanggung_jawab"] == []


def test_json_per_penanggung_jawab():
    hasil = hitung(spec_from_data(data(), "uji.yaml"))
    first = hasil_to_dict(hasil)["per_penanggung_jawab"][0]
    assert first == {"nama": "Seksi Pelindungan", "iku": ["A", "B"],
                     "baris_anggaran": ["K1/01"], "capaian": 93.75, "capaian_pk": 93.75,
                     "capaian_revisi": 93.75,
                     "kategori": "Baik", "pagu": 1000, "realisasi_anggaran": 250,
                     "serapan": 25, "sisa": 750}


def test_workbook_round_trip_reaches_the_engine_as_the_spec(tmp_path):
    """A workbook generated from the spec, read back (the reader builds the spec from the
    metadata and the input cells), gives the same roll-up and capaian_skor results."""
    from workbook_gen.generate import generate
    from workbook_gen.konsolidasi.source import CalamineSource
    from workbook_gen.reader import read_workbook

    from .test_seksi_libreoffice import spec_data

    spec = spec_from_data(spec_data(), "seksi.yaml")
    path = generate(spec, tmp_path / "seksi.xlsx")
    read = read_workbook(CalamineSource(path.read_bytes()), str(path)).spec
    a, b = hitung(spec), hitung(read)
    assert hasil_to_dict(a)["per_penanggung_jawab"] == hasil_to_dict(b)["per_penanggung_jawab"]
    assert [(h.kode, h.capaian, h.capaian_revisi, h.capaian_tw) for h in a.iku] == [
        (h.kode, h.capaian, h.capaian_revisi, h.capaian_tw) for h in b.iku]
    assert {h.kode: h.capaian for h in b.iku}["NKA-N"] == 97.80
    assert [line.penanggung_jawab for line in read.anggaran] == [
        "Seksi Pelindungan", "Seksi Penempatan", None, "Subbag TU"]


def test_no_group_without_members_and_blank_names_count_as_none():
    d = data()
    d["sasaran"][1]["iku"][2]["penanggung_jawab"] = "Seksi Penempatan"  # E
    d["anggaran"]["kegiatan"][0]["komponen"][2]["penanggung_jawab"] = "Subbag TU"  # K1/03
    g = groups(d)
    assert list(g) == ["Seksi Pelindungan", "Seksi Penempatan", "Subbag TU"]
    assert g["Seksi Penempatan"].capaian == 65.00  # (75 + 0 + 120) / 3
    assert g["Subbag TU"].baris == ["K1/03", "K1/04"] and g["Subbag TU"].pagu == 800
    d["sasaran"][0]["iku"][0]["penanggung_jawab"] = "   "  # A: blank is no name
    g = groups(d)
    assert g[TANPA_PENANGGUNG_JAWAB].iku == ["A"] and g[TANPA_PENANGGUNG_JAWAB].baris == []
    # B alone; its spelling is now the first one seen (spaces tidied)
    assert g["seksi pelindungan"].capaian == 100.00


def test_text_table_lists_each_penanggung_jawab():
    from workbook_gen.output import format_ringkasan

    text = format_ringkasan(hitung(spec_from_data(data(), "uji.yaml")))
    assert ("Penanggung jawab Seksi Pelindungan: capaian 93,75 % (2 IKU, Baik), pagu Rp 1.000, "
            "serapan 25,00 %") in text.splitlines()
    assert ("Penanggung jawab Subbag TU: capaian - % (0 IKU, -), pagu Rp 300, serapan 20,00 %"
            ) in text.splitlines()
