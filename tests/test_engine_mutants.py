"""Engine rules pinned down to the message: every finding's level, kind, place and text,
and every budget and capaian figure, on small specs worked out by hand. These are the
tests that kill engine.py's mutants (``mutmut run``, see pyproject.toml)."""

from __future__ import annotations

import copy

import pytest

from workbook_gen.engine import bulatkan, hitung, kategori_untuk
from workbook_gen.spec import Pengaturan, spec_from_data


def iku(kode, **over):
    d = {"kode": kode, "nama": f"IKU {kode}", "satuan": "Orang", "target": 100,
         "realisasi_tw": [10, 20, 30, 40]}
    d.update(over)
    return d


def line(kode, sasaran="S1", **over):
    d = {"kode": kode, "nama": f"Baris {kode}", "sasaran": sasaran, "pagu_awal": 1000,
         "realisasi_tw": [100, 200, 300, 400]}
    d.update(over)
    return d


def spec(ikus, lines=None, total=None, sasaran2=None, **over):
    data = {"versi_spec": 1, "unit": {"nama": "U", "kode_satker": "1"}, "tahun": 2026,
            "periode": "TW III", "sasaran": [{"kode": "S1", "nama": "Satu", "iku": ikus}]}
    if sasaran2:
        data["sasaran"].append({"kode": "S2", "nama": "Dua", "iku": sasaran2})
    if lines is not None:
        data["anggaran"] = {"kegiatan": lines}
        if total:
            data["anggaran"]["total"] = total
    data.update(over)
    return spec_from_data(copy.deepcopy(data), "u.yaml")


def findings(h):
    return [(f.tingkat, f.jenis, f.lokasi.split(": ", 1)[1], f.pesan, f.saran) for f in h.temuan]


# ------------------------------------------------------------------ IKU value findings


def value_ikus():
    """The IKUs of the value-finding tests (their findings and figures)."""
    return [
        iku("A", target_revisi=-5, realisasi_tw=[10, -3, 30, 40]),
        iku("B", satuan="%", agregasi="akhir", realisasi_tw=[201, 200, None, None]),
        iku("C", satuan="Nilai", target=101, target_tw=[100, 100.5, 100, 100],
            realisasi_tw=[None, None, 8606, None]),
        iku("D", diukur_pada=["TW II"], target=0, realisasi_tw=[5, 6, None, None]),
        iku("E", target=None, realisasi_tw=[1, 1, 1, 1]),
        iku("F", polaritas="minimal", rumus_minimal="t_bagi_r", realisasi_tw=[0, 0, 0, None]),
        iku("G", target=50, realisasi_tw=[None, None, None, None]),
    ]


def test_value_findings_name_the_right_quarter_and_text():
    # TW III report: A's TW IV is outside the period, B's 200 is at the % limit (not above),
    # C's 100,5 target TW II is above the score maximum, D is measured only in TW II.
    assert findings(hitung(spec(value_ikus()))) == [   (   'error',
        'nilai_negatif',
        'sasaran[S1].iku[A].realisasi_tw[1]',
        'Realisasi TW II IKU A bernilai negatif (-3).',
        'Isi realisasi dengan angka 0 atau lebih; penurunan dihitung otomatis.'),
    (   'peringatan',
        'di_luar_periode',
        'sasaran[S1].iku[A].realisasi_tw[3]',
        'IKU A sudah berisi realisasi TW IV, di luar periode laporan (TW III); nilai ini tidak '
        'dihitung.',
        'Kosongkan sel itu atau ubah periode laporan.'),
    (   'error',
        'nilai_negatif',
        'sasaran[S1].iku[A].target_revisi',
        'Target revisi IKU A bernilai negatif.',
        'Isi target dengan angka 0 atau lebih.'),
    (   'error',
        'persen_terlalu_besar',
        'sasaran[S1].iku[B].realisasi_tw[0]',
        'IKU B bersatuan persen, tetapi realisasi TW I bernilai 201, jauh di atas 100. '
        'Tampaknya yang diisi adalah jumlah (misalnya orang), bukan persentase.',
        'Isi persentasenya (misalnya 97,75), bukan jumlah orangnya.'),
    (   'peringatan',
        'realisasi_kosong',
        'sasaran[S1].iku[B].realisasi_tw[2]',
        'Realisasi TW III IKU B belum diisi (dianggap belum dilaporkan).',
        'Isi realisasinya; tulis 0 bila memang nol.'),
    (   'error',
        'di_atas_skala',
        'sasaran[S1].iku[C].realisasi_tw[2]',
        'Realisasi TW III IKU C bernilai 8606, di atas nilai tertinggi skala Nilai (100).',
        'Kemungkinan koma desimalnya hilang (8606 untuk 86,06); tulis nilainya dengan koma '
        'desimal.'),
    (   'peringatan',
        'realisasi_kosong',
        'sasaran[S1].iku[C].realisasi_tw[0]',
        'Realisasi TW I IKU C belum diisi (dianggap belum dilaporkan).',
        'Isi realisasinya; tulis 0 bila memang nol.'),
    (   'peringatan',
        'realisasi_kosong',
        'sasaran[S1].iku[C].realisasi_tw[1]',
        'Realisasi TW II IKU C belum diisi (dianggap belum dilaporkan).',
        'Isi realisasinya; tulis 0 bila memang nol.'),
    (   'error',
        'di_atas_skala',
        'sasaran[S1].iku[C].target',
        'Target IKU C bernilai 101, di atas nilai tertinggi skala Nilai (100).',
        'Isi nilai antara 0 dan 100.'),
    (   'error',
        'di_atas_skala',
        'sasaran[S1].iku[C].target_tw[1]',
        'Target TW II IKU C bernilai 100,5, di atas nilai tertinggi skala Nilai (100).',
        'Isi nilai antara 0 dan 100.'),
    (   'peringatan',
        'target_tw_tidak_sesuai',
        'sasaran[S1].iku[C].target_tw[3]',
        'Target per triwulan IKU C (100, 100,50, 100, 100) (triwulan terakhir) adalah 100, '
        'bukan target tahunan 101.',
        'Samakan target triwulan dengan target tahunan (angka laporan sendiri yang tidak '
        'cocok); capaian tahunan tetap memakai target tahunan, capaian s.d. triwulan memakai '
        'target triwulan.'),
    (   'peringatan',
        'tidak_diukur',
        'sasaran[S1].iku[D].realisasi_tw[0]',
        'IKU D tidak diukur pada TW I, tetapi selnya berisi nilai; nilai ini tidak dihitung.',
        "Kosongkan sel itu, atau tambahkan triwulan ini ke 'diukur_pada'."),
    (   'error',
        'target_nol',
        'sasaran[S1].iku[D].target',
        'Target IKU D bernilai 0, jadi capaian tidak bisa dihitung (dan tidak ikut rata-rata).',
        'Isi target dengan angka lebih dari 0.'),
    (   'peringatan',
        'di_luar_periode',
        'sasaran[S1].iku[E].realisasi_tw[3]',
        'IKU E sudah berisi realisasi TW IV, di luar periode laporan (TW III); nilai ini tidak '
        'dihitung.',
        'Kosongkan sel itu atau ubah periode laporan.'),
    (   'error',
        'target_kosong',
        'sasaran[S1].iku[E].target',
        'Target IKU E kosong, jadi capaian tidak bisa dihitung (dan tidak ikut rata-rata).',
        'Isi target dengan angka lebih dari 0.'),
    (   'peringatan',
        'capaian_tak_terdefinisi',
        'sasaran[S1].iku[F]',
        'IKU F: rumus T/R tidak terdefinisi untuk realisasi 0.',
        "Pakai 'rumus_minimal: 2t_kurang_r' atau periksa realisasinya."),
    (   'peringatan',
        'realisasi_kosong',
        'sasaran[S1].iku[G].realisasi_tw[0]',
        'Realisasi TW I IKU G belum diisi (dianggap belum dilaporkan).',
        'Isi realisasinya; tulis 0 bila memang nol.'),
    (   'peringatan',
        'realisasi_kosong',
        'sasaran[S1].iku[G].realisasi_tw[1]',
        'Realisasi TW II IKU G belum diisi (dianggap belum dilaporkan).',
        'Isi realisasinya; tulis 0 bila memang nol.'),
    (   'peringatan',
        'realisasi_kosong',
        'sasaran[S1].iku[G].realisasi_tw[2]',
        'Realisasi TW III IKU G belum diisi (dianggap belum dilaporkan).',
        'Isi realisasinya; tulis 0 bila memang nol.'),
    (   'peringatan',
        'kosong_dihitung_nol',
        'sasaran[S1].iku[G]',
        'IKU G belum punya realisasi s.d. TW III; dalam rata-rata capaian dihitung 0.',
        "Isi realisasinya, atau tandai triwulan yang tidak diukur di 'diukur_pada'.")]


def test_value_findings_figures():
    h = hitung(spec(value_ikus()))
    got = {i.kode: i for i in h.iku}
    # 10 - 3 + 30: the negative value stays in the sum (and is an error finding)
    assert got["A"].realisasi == 37 and got["A"].capaian == 37
    assert got["A"].capaian_revisi == -740  # 37 / -5 (target revisi flagged negative)
    assert got["B"].realisasi == 200  # akhir: TW II, the last reported quarter
    assert got["C"].realisasi == 8606 and got["C"].capaian == pytest.approx(8520.79)
    assert got["D"].realisasi == 6 and got["D"].capaian is None  # target 0
    assert got["E"].capaian is None and got["E"].realisasi == 3
    assert got["F"].realisasi == 0 and got["F"].capaian is None  # T/R with R = 0
    assert got["G"].dilaporkan is False and got["G"].capaian is None


# ------------------------------------------------------------------ plausibility


def test_plausibility_boundaries():
    # 31/10 = 310 % > 300 (error); 30/10 = 300 % (not above); P3 60 + 50 = 110 % summed
    # over 2 quarters (flag); P4 one quarter of 101 % (no flag); P5 50 + 50 = 100 % (not
    # above); P6 20 against the revised target 5 = 400 %.
    h = hitung(spec([
        iku("P1", target=10, realisasi_tw=[31, None, None, None], diukur_pada=["TW I"]),
        iku("P2", target=10, realisasi_tw=[30, None, None, None], diukur_pada=["TW I"]),
        iku("P3", satuan="%", agregasi="kumulatif", realisasi_tw=[60, 50, None, None],
            diukur_pada=["TW I", "TW II"]),
        iku("P4", satuan="%", agregasi="kumulatif", realisasi_tw=[101, None, None, None],
            diukur_pada=["TW I"]),
        iku("P5", satuan="%", agregasi="kumulatif", realisasi_tw=[50, 50, None, None],
            diukur_pada=["TW I", "TW II"]),
        iku("P6", target_revisi=5, realisasi_tw=[20, None, None, None], diukur_pada=["TW I"]),
    ], periode="TW II"))
    assert findings(h) == [   (   'error',
        'capaian_tidak_wajar',
        'sasaran[S1].iku[P1].realisasi_tw[0]',
        'Capaian IKU P1 310 %, jauh di atas batas wajar 300 % (realisasi 31, target 10 di '
        'u.yaml: sasaran[S1].iku[P1].target).',
        'Kemungkinan koma desimal hilang (misalnya 8606 untuk 86,06) atau satuannya tertukar; '
        'periksa realisasi dan target ini. Bila memang benar, naikkan '
        "'pengaturan.batas_capaian_wajar'."),
    (   'peringatan',
        'persen_dijumlah',
        'sasaran[S1].iku[P3]',
        'IKU P3 bersatuan persen dengan agregasi kumulatif: 2 triwulan dijumlah menjadi 110 %, '
        'di atas 100 %.',
        "Persentase biasanya tidak dijumlah: tulis 'agregasi: akhir' (angka s.d. triwulan "
        "terakhir) atau 'agregasi: rata_rata'."),
    (   'error',
        'capaian_tidak_wajar',
        'sasaran[S1].iku[P6].realisasi_tw[0]',
        'Capaian IKU P6 400 %, jauh di atas batas wajar 300 % (realisasi 20, target revisi 5 '
        'di u.yaml: sasaran[S1].iku[P6].target_revisi).',
        'Kemungkinan koma desimal hilang (misalnya 8606 untuk 86,06) atau satuannya tertukar; '
        'periksa realisasi dan target ini. Bila memang benar, naikkan '
        "'pengaturan.batas_capaian_wajar'.")]
    assert [(i.kode, i.realisasi, i.capaian, i.capaian_revisi) for i in h.iku] == [
        ("P1", 31, 310, 310), ("P2", 30, 300, 300), ("P3", 110, 110, 110),
        ("P4", 101, 101, 101), ("P5", 100, 100, 100), ("P6", 20, 20, 400)]


# ------------------------------------------------------------------ budget


def test_budget_findings_and_every_total():
    h = hitung(spec([iku("A")], lines=[
        {"kode": "K1", "nama": "Keg 1", "komponen": [
            line("01", akun="521211", pagu_awal=1000, pagu_revisi=800,
                 realisasi_tw=[100, 200, 600, 50]),
            line("02", pagu_awal="-", realisasi_tw=[10, None, 20, 5]),
        ]},
        {"kode": "K2", "nama": "Keg 2", "komponen": [
            line("01", jenis_belanja="53", pagu_awal=-10, pagu_revisi=-20,
                 realisasi_tw=[-1, 0, 0, -2]),
            line("02", akun="511111", pagu_awal=2000, realisasi_tw=[500, 500, None, 1]),
        ]}], total={"pagu_awal": 3000, "pagu_revisi": 2790, "realisasi": 1930}))
    assert findings(h) == [   (   'peringatan',
        'pagu_kosong',
        'anggaran.kegiatan[K1].komponen[02].pagu_awal',
        "Baris anggaran 'Baris 02' belum punya pagu (pagu awal dan pagu revisi kosong); "
        'pagunya dihitung 0 dan serapannya tidak ada.',
        'Isi pagu awal atau pagu revisi baris ini.'),
    (   'peringatan',
        'di_luar_periode',
        'sasaran[S1].iku[A].realisasi_tw[3]',
        'IKU A sudah berisi realisasi TW IV, di luar periode laporan (TW III); nilai ini tidak '
        'dihitung.',
        'Kosongkan sel itu atau ubah periode laporan.'),
    (   'peringatan',
        'melebihi_pagu',
        'anggaran.kegiatan[K1].komponen[01]',
        "Realisasi 'Baris 01' (Rp 900) melebihi pagunya (Rp 800).",
        'Periksa realisasi dan pagu revisi baris ini.'),
    (   'peringatan',
        'anggaran_belum_dilaporkan',
        'anggaran.kegiatan[K1].komponen[02].realisasi_tw[1]',
        "Realisasi anggaran TW II 'Baris 02' kosong (belum dilaporkan); dalam jumlah dan "
        'serapan dihitung Rp 0.',
        'Isi realisasinya (tulis 0 bila memang tidak ada belanja), atau isi realisasi tahunan '
        'bila hanya angka setahun yang diketahui.'),
    (   'peringatan',
        'melebihi_pagu',
        'anggaran.kegiatan[K1].komponen[02]',
        "Realisasi 'Baris 02' (Rp 30) melebihi pagunya (Rp 0).",
        'Periksa realisasi dan pagu revisi baris ini.'),
    (   'error',
        'nilai_negatif',
        'anggaran.kegiatan[K2].komponen[01].pagu_awal',
        "Pagu awal 'Baris 01' negatif.",
        'Isi pagu dengan angka 0 atau lebih.'),
    (   'error',
        'nilai_negatif',
        'anggaran.kegiatan[K2].komponen[01].pagu_revisi',
        "Pagu revisi 'Baris 01' negatif.",
        'Isi pagu dengan angka 0 atau lebih.'),
    (   'error',
        'nilai_negatif',
        'anggaran.kegiatan[K2].komponen[01].realisasi_tw[0]',
        "Realisasi anggaran TW I 'Baris 01' negatif.",
        'Isi realisasi dengan angka 0 atau lebih; koreksi dicatat pada triwulan berikutnya '
        'sebagai pengurang yang wajar.'),
    (   'error',
        'nilai_negatif',
        'anggaran.kegiatan[K2].komponen[01].realisasi_tw[3]',
        "Realisasi anggaran TW IV 'Baris 01' negatif.",
        'Isi realisasi dengan angka 0 atau lebih; koreksi dicatat pada triwulan berikutnya '
        'sebagai pengurang yang wajar.'),
    (   'peringatan',
        'melebihi_pagu',
        'anggaran.kegiatan[K2].komponen[01]',
        "Realisasi 'Baris 01' (Rp -1) melebihi pagunya (Rp -20).",
        'Periksa realisasi dan pagu revisi baris ini.'),
    (   'peringatan',
        'anggaran_belum_dilaporkan',
        'anggaran.kegiatan[K2].komponen[02].realisasi_tw[2]',
        "Realisasi anggaran TW III 'Baris 02' kosong (belum dilaporkan); dalam jumlah dan "
        'serapan dihitung Rp 0.',
        'Isi realisasinya (tulis 0 bila memang tidak ada belanja), atau isi realisasi tahunan '
        'bila hanya angka setahun yang diketahui.'),
    # no pagu awal comparison: K1/02's pagu awal is unknown ("-"), so is the lines' sum
    (   'peringatan',
        'total_tidak_sama',
        'anggaran.total.pagu_revisi',
        'Jumlah pagu revisi semua baris adalah Rp 2.780, bukan Rp 2.790 seperti total yang '
        'dinyatakan (selisih Rp -10).',
        'Periksa baris anggaran yang belum dicatat atau total yang dinyatakan; total yang '
        'dinyatakan tetap dipakai sebagai pagu keseluruhan.'),
    (   'peringatan',
        'total_tidak_sama',
        'anggaran.total.realisasi',
        'Jumlah realisasi semua baris adalah Rp 1.929, bukan Rp 1.930 seperti total yang '
        'dinyatakan (selisih Rp -1).',
        'Periksa baris anggaran yang belum dicatat atau total yang dinyatakan; total yang '
        'dinyatakan tetap dipakai sebagai pagu keseluruhan.')]
    a = h.anggaran
    rows = [(p.kode, p.nama, p.pagu_awal, p.pagu_revisi, p.pagu, p.realisasi_tw, p.realisasi,
             None if p.serapan is None else round(p.serapan, 4), p.sisa)
            for p in a.baris + a.per_kegiatan + a.per_jenis_belanja + [a.total]]
    assert rows == [
        # lines: 100 + 200 + 600 = 900 of the revised 800; a line without pagu has no serapan
        ("K1/01", "Baris 01", 1000, 800, 800, [100, 200, 600, 50], 900, 112.5, -100),
        # pagu awal "-": unknown (None), and so is every sum it is part of
        ("K1/02", "Baris 02", None, None, 0, [10, 0, 20, 5], 30, None, -30),
        ("K2/01", "Baris 01", -10, -20, -20, [-1, 0, 0, -2], -1, 5.0, -19),
        ("K2/02", "Baris 02", 2000, None, 2000, [500, 500, 0, 1], 1000, 50.0, 1000),
        # kegiatan: K1 revisi 800 + 0 (awal of the line without revisi); 930 / 800
        ("K1", "Keg 1", None, 800, 800, [110, 200, 620, 55], 930, 116.25, -130),
        # K2: 999 / 1980 = 50,4545
        ("K2", "Keg 2", 1990, 1980, 1980, [499, 500, 0, -1], 999, 50.4545, 981),
        ("-", "Jenis belanja belum diisi", None, None, 0, [10, 0, 20, 5], 30, None, -30),
        ("51", "Belanja Pegawai", 2000, None, 2000, [500, 500, 0, 1], 1000, 50.0, 1000),
        ("52", "Belanja Barang", 1000, 800, 800, [100, 200, 600, 50], 900, 112.5, -100),
        ("53", "Belanja Modal", -10, -20, -20, [-1, 0, 0, -2], -1, 5.0, -19),
        # total: the declared pagu revisi 2790 is the pagu; 1929 / 2790 = 69,1398
        ("TOTAL", "Jumlah", None, 2780, 2790, [609, 700, 620, 54], 1929, 69.1398, 861),
    ]
    assert a.pagu_jumlah_baris == 2780
    assert [round(x, 4) for x in a.serapan_tw] == [21.828, 46.9176, 69.1398]  # 609, 1309, 1929
    [s] = h.sasaran
    assert (s.pagu, s.realisasi_anggaran, round(s.serapan, 4), s.sisa) == (2780, 1929, 69.3885,
                                                                           851)
    assert (s.capaian, s.kategori, s.warna) == (60, "Cukup", "#FFD966")


@pytest.mark.parametrize(("declared", "jenis"), [
    (1_000_000, "total_seribu_kali"),  # lines 1.000.000.000: exactly 1.000 x
    (1_111_111, "total_seribu_kali"),  # 900,000008 x
    (1_112_000, "total_tidak_sama"),  # 899,3 x
    (909_091, "total_seribu_kali"),  # 1.099,99 x
    (908_000, "total_tidak_sama"),  # 1.101,3 x
    (1_000_000_000_000, "total_seribu_kali"),  # declared 1.000 x the lines
])
def test_thousand_fold_band(declared, jenis):
    lines = [{"kode": "K1", "nama": "K", "komponen": [
        line("01", pagu_awal=1_000_000_000, realisasi_tw=[1, 1, 1, 1])]}]
    h = hitung(spec([iku("A")], lines=lines, total={"pagu_awal": declared}))
    got = [(f.tingkat, f.jenis, f.lokasi) for f in h.temuan if f.jenis.startswith("total")]
    level = "error" if jenis == "total_seribu_kali" else "peringatan"
    assert got == [(level, jenis, "u.yaml: anggaran.total.pagu_awal")]


def test_serapan_above_100_names_the_declared_total_or_the_budget():
    lines = [{"kode": "K1", "nama": "K", "komponen": [
        line("01", pagu_awal=1000, pagu_revisi=900, realisasi_tw=[500, 500, 1, 0])]}]
    h = hitung(spec([iku("A")], lines=lines, total={"pagu_revisi": 900}))
    got = [f for f in h.temuan if f.jenis == "serapan_di_atas_100"]
    assert [(f.tingkat, f.lokasi, f.pesan, f.saran) for f in got] == [(
        "error", "u.yaml: anggaran.total.pagu_revisi",
        "Serapan anggaran keseluruhan 111,22 %: realisasi Rp 1.001 melebihi pagu Rp 900.",
        "Realisasi tidak bisa melebihi pagu; periksa pagu (atau total pagu yang dinyatakan) "
        "dan realisasi yang salah ketik.")]  # 1001 / 900
    h = hitung(spec([iku("A")], lines=lines, total={"pagu_awal": 1000}))
    # with revised lines the declared pagu awal is not the pagu: 1001 / 900 again
    assert [f.lokasi for f in h.temuan if f.jenis == "serapan_di_atas_100"] == ["u.yaml"]
    h = hitung(spec([iku("A")], lines=[{"kode": "K1", "nama": "K", "komponen": [
        line("01", pagu_awal=1000, realisasi_tw=[600, 400, 0, 0])]}], total={"pagu_awal": 999}))
    assert [f.lokasi for f in h.temuan if f.jenis == "serapan_di_atas_100"] == [
        "u.yaml: anggaran.total.pagu_awal"]  # 1000 / 999 = 100,1 %
    h = hitung(spec([iku("A")], lines=[{"kode": "K1", "nama": "K", "komponen": [
        line("01", pagu_awal=1000, realisasi_tw=[600, 400, 0, 0])]}]))
    assert not [f for f in h.temuan if f.jenis == "serapan_di_atas_100"]  # exactly 100 %


# ------------------------------------------------------------------ rounding, categories


@pytest.mark.parametrize(("x", "mode", "desimal", "want"), [
    (1.005, "setengah_ke_atas", 2, 1.01), (1.005, "potong", 2, 1.0),
    (28.999999999999996, "potong", 2, 29.0), (-1.005, "setengah_ke_atas", 2, -1.01),
    (2.5, "setengah_ke_atas", 0, 3.0), (12.3456, "potong", 3, 12.345),
    (1e15, "setengah_ke_atas", 2, 1e15), (999999999999999.9, "setengah_ke_atas", 0, 1e15),
    (float("inf"), "potong", 2, None), (float("nan"), "potong", 2, None), (None, "potong", 2, None),
])
def test_bulatkan(x, mode, desimal, want):
    assert bulatkan(x, Pengaturan(pembulatan=mode, desimal=desimal)) == want


@pytest.mark.parametrize(("capaian", "nama"), [
    (100.01, "Sangat Baik"), (100.0, "Baik"), (80.0, "Baik"), (79.99, "Cukup"),
    (50.0, "Cukup"), (49.99, "Kurang"), (-5.0, "Kurang"), (None, None),
])
def test_kategori_boundaries(capaian, nama):
    assert kategori_untuk(capaian, Pengaturan())[0] == nama


def test_kategori_without_a_catch_all_band_falls_to_the_last():
    from workbook_gen.spec import Band
    p = Pengaturan(kategori=(Band("Tinggi", 90.0, "#111111"), Band("Rendah", 50.0, "#222222")))
    assert kategori_untuk(10.0, p) == ("Rendah", "#222222")
    assert kategori_untuk(95.0, p) == ("Tinggi", "#111111")


# ------------------------------------------------------------------ targets per quarter


@pytest.mark.parametrize(("agregasi", "periode", "target_sd", "capaian_tw"), [
    ("kumulatif", "TW II", 50, 60.0),  # 20 + 30; realisasi 10 + 20
    ("akhir", "TW II", 30, 66.67),  # the target of the last measured quarter: TW II
    ("rata_rata", "TW II", 25, 60.0),  # (20 + 30) / 2; realisasi (10 + 20) / 2
    ("akhir", "TW IV", 40, 100.0),
])
def test_target_sd(agregasi, periode, target_sd, capaian_tw):
    h = hitung(spec([iku("A", agregasi=agregasi, target_tw=[20, 30, None, 40])],
                    periode=periode)).iku[0]
    assert h.target_sd == target_sd
    assert h.capaian_tw == capaian_tw


def test_target_sd_uses_measured_quarters_only():
    # measured in TW I and TW III; TW II's target 99 is not part of s.d. TW III
    h = hitung(spec([iku("A", diukur_pada=["TW I", "TW III"], target_tw=[10, 99, 20, 30],
                         realisasi_tw=[5, None, 10, None])])).iku[0]
    assert h.target_sd == 30 and h.realisasi == 15 and h.capaian_tw == 50
    none_yet = hitung(spec([iku("A", target_tw=[None, None, None, 5])])).iku[0]
    assert none_yet.target_sd is None and none_yet.capaian_tw is None


# ------------------------------------------------------------------ means


def test_means_with_weights_cap_and_blanks():
    ikus = [iku("A", bobot=3, realisasi_tw=[50, 50, 50, 0]),  # 150 %
            iku("B", realisasi_tw=[10, 10, 10, 0]),  # 30 %
            iku("C", realisasi_tw=[None, None, None, None])]  # not reported: 0
    h = hitung(spec(ikus, pengaturan={"batas_capaian": 120}))
    # (120 x 3 + 30 + 0) / 5 = 78
    assert h.capaian_rata_rata == 78.0 and h.kategori == "Cukup"
    assert [i.capaian for i in h.iku] == [150.0, 30.0, None]
    assert h.jumlah_kategori == {"Sangat Baik": 1, "Baik": 0, "Cukup": 0, "Kurang": 1}
    h = hitung(spec(ikus, pengaturan={"kosong_dalam_rata_rata": "abaikan"}))
    assert h.capaian_rata_rata == 120.0  # (150 x 3 + 30) / 4
    assert h.capaian_rata_rata_revisi == 120.0
    assert not [f for f in h.temuan if f.jenis == "kosong_dihitung_nol"]


def test_revised_mean_follows_revised_targets():
    ikus = [iku("A", target_revisi=50), iku("B", realisasi_tw=[None, None, None, None],
                                              target_revisi=0)]
    h = hitung(spec(ikus))
    # PK: (60 + 0) / 2 = 30; revisi: A 60 / 50 = 120, B's revised target 0 leaves it out
    assert (h.capaian_rata_rata, h.capaian_rata_rata_revisi) == (30.0, 120.0)
    assert h.sasaran[0].capaian_revisi == 120.0 and h.sasaran[0].capaian == 30.0
    assert h.capaian_rata_rata_mentah == 30.0 and h.capaian_rata_rata_revisi_mentah == 120.0


def test_sasaran_means_and_budget_by_sasaran():
    h = hitung(spec([iku("A")], sasaran2=[iku("B", realisasi_tw=[50, 50, 50, 50])],
                    lines=[{"kode": "K1", "nama": "K", "komponen": [
                        line("01", pagu_awal=1000, realisasi_tw=[100, 100, 100, 100]),
                        line("02", sasaran="S2", pagu_awal=400, realisasi_tw=[100, 0, 0, 0])]}]))
    s1, s2 = h.sasaran
    assert (s1.kode, s1.iku, s1.capaian, s1.pagu, s1.realisasi_anggaran, s1.serapan,
            s1.sisa) == ("S1", ["A"], 60.0, 1000, 300, 30.0, 700)
    assert (s2.kode, s2.iku, s2.capaian, s2.kategori, s2.pagu, s2.serapan) == (
        "S2", ["B"], 150.0, "Sangat Baik", 400, 25.0)
    assert h.capaian_rata_rata == 105.0  # (60 + 150) / 2


def test_thousand_fold_band_upper_edge():
    lines = [{"kode": "K1", "nama": "K", "komponen": [
        line("01", pagu_awal=1_000_000_000, realisasi_tw=[1, 1, 1, 1])]}]
    h = hitung(spec([iku("A")], lines=lines, total={"pagu_awal": 908_677}))  # 1.100,5 x
    assert [f.jenis for f in h.temuan if f.jenis.startswith("total")] == ["total_tidak_sama"]


@pytest.mark.parametrize(("quarters", "flagged"), [([50, 50.5], True), ([50, 50], False),
                                                   ([100.5, None], False)])
def test_percentage_sum_edge(quarters, flagged):
    h = hitung(spec([iku("A", satuan="%", agregasi="kumulatif",
                         realisasi_tw=[*quarters, None, None])], periode="TW II"))
    assert bool([f for f in h.temuan if f.jenis == "persen_dijumlah"]) is flagged


@pytest.mark.parametrize(("realisasi", "capaian", "flagged"), [
    (30.05, 300.5, True), (30, 300, False), (-40, -400, False)])
def test_plausible_limit_edge(realisasi, capaian, flagged):
    h = hitung(spec([iku("A", target=10, diukur_pada=["TW I"],
                         realisasi_tw=[realisasi, None, None, None])], periode="TW I"))
    assert h.iku[0].capaian == capaian
    assert bool([f for f in h.temuan if f.jenis == "capaian_tidak_wajar"]) is flagged


def test_plausible_limit_off_and_label_targets():
    h = hitung(spec([iku("A", target=1, realisasi_tw=[50, None, None, None])],
                    pengaturan={"batas_capaian_wajar": None}))
    assert h.iku[0].capaian == 5000 and not h.temuan.errors
    # a kategori IKU: rank 5 against rank 1 is 500 %; the message shows the labels
    skala = {"mutu": [{"label": "E"}, {"label": "D"}, {"label": "C"}, {"label": "B"},
                      {"label": "A"}]}
    h = hitung(spec([iku("K", jenis="kategori", skala="mutu", agregasi="akhir", target="E",
                         realisasi_tw=["A", None, None, None])], skala=skala))
    [f] = [f for f in h.temuan if f.jenis == "capaian_tidak_wajar"]
    assert "(realisasi A, target E di u.yaml: sasaran[S1].iku[K].target)" in f.pesan
    assert "Capaian IKU K 500 %" in f.pesan


@pytest.mark.parametrize(("value", "hint"), [
    (1000, "(1000 untuk 10)"), (9999, "(9999 untuk 99,99)"), (10000, "antara 0 dan 100"),
    (999, "antara 0 dan 100"), (1234.5, "antara 0 dan 100")])
def test_score_hint_only_for_a_lost_two_decimal_comma(value, hint):
    h = hitung(spec([iku("N", satuan="NKA", agregasi="akhir", target=80,
                         realisasi_tw=[value, None, None, None])], periode="TW I"))
    [f] = [f for f in h.temuan if f.jenis == "di_atas_skala"]
    assert hint in f.saran


# ------------------------------------------------------------------ TW targets vs the year


@pytest.mark.parametrize(("over", "pesan"), [
    # the reports' own errors (issue 10 point 5): 32,5 against 10; 894 against 792
    ({"target": 10, "target_tw": [10, 7.5, 7.5, 7.5]},
     "Target per triwulan IKU A (10, 7,50, 7,50, 7,50) dijumlah menjadi 32,50, bukan target "
     "tahunan 10."),
    ({"target": 792, "target_tw": [200, 250, 222, 222]},
     "Target per triwulan IKU A (200, 250, 222, 222) dijumlah menjadi 894, bukan target "
     "tahunan 792."),
    # TW IV 100 against an annual 75 on a percentage (agregasi akhir)
    ({"satuan": "%", "target": 75, "target_tw": [25, 50, 75, 100]},
     "Target per triwulan IKU A (25, 50, 75, 100) (triwulan terakhir) adalah 100, bukan "
     "target tahunan 75."),
    ({"agregasi": "rata_rata", "target": 80, "target_tw": [80, 90, 100, 90]},
     "Target per triwulan IKU A (80, 90, 100, 90) dirata-rata menjadi 90, bukan target "
     "tahunan 80."),
    ({"target": 10, "diukur_pada": ["TW II", "TW IV"], "target_tw": [None, 4, 99, 6.01]},
     "Target per triwulan IKU A (4, 6,01) dijumlah menjadi 10,01, bukan target tahunan 10."),
])
def test_tw_targets_not_adding_up(over, pesan):
    h = hitung(spec([iku("A", **over)], periode="TW IV"))
    got = [f for f in h.temuan if f.jenis == "target_tw_tidak_sesuai"]
    assert [(f.tingkat, f.pesan) for f in got] == [("peringatan", pesan)]
    last = (over.get("diukur_pada") or ["TW IV"])[-1]
    q = ["TW I", "TW II", "TW III", "TW IV"].index(last)
    assert got[0].lokasi == f"u.yaml: sasaran[S1].iku[A].target_tw[{q}]"


@pytest.mark.parametrize("over", [
    {"target": 10, "target_tw": [2.5, 2.5, 2.5, 2.5]},
    {"target": 10, "target_tw": [2.5, 2.5, 2.5, 2.504]},  # within 0,005
    {"target": 10, "target_tw": [2.5, None, 2.5, 2.5]},  # a partial set is not compared
    {"target": 10, "diukur_pada": ["TW III"], "target_tw": [1, 1, 10, 1]},
    {"target": None, "target_tw": [1, 1, 1, 1]},
    {"satuan": "%", "rumus": "penurunan", "baseline": 100, "target": 6,
     "target_tw": [6, 6, 6, 6]},  # penurunan: the last quarter's target, not the sum
])
def test_tw_targets_that_agree(over):
    h = hitung(spec([iku("A", **over)], periode="TW IV"))
    assert not [f for f in h.temuan if f.jenis == "target_tw_tidak_sesuai"]


def test_tw_labels_against_the_year_label():
    skala = {"mutu": [{"label": "C"}, {"label": "B"}, {"label": "A"}]}
    h = hitung(spec([iku("K", jenis="kategori", skala="mutu", agregasi="akhir", target="B",
                         target_tw=["C", "C", "B", "A"], realisasi_tw=["B", "B", "B", "B"])],
                    skala=skala, periode="TW IV"))
    [f] = [f for f in h.temuan if f.jenis == "target_tw_tidak_sesuai"]
    assert f.pesan == ("Target per triwulan IKU K (C, C, B, A) (triwulan terakhir) adalah A, "
                       "bukan target tahunan B.")


# ------------------------------------------------------------------ edges found by mutmut


def test_kategori_last_band_is_the_lowest_of_three():
    from workbook_gen.spec import Band
    p = Pengaturan(kategori=(Band("A", 90.0, "#111111"), Band("B", 70.0, "#222222"),
                             Band("C", 50.0, "#333333")))
    assert kategori_untuk(10.0, p) == ("C", "#333333")


def test_unreadable_cell_is_not_also_reported_blank():
    data = {"versi_spec": 1, "unit": {"nama": "U", "kode_satker": "1"}, "tahun": 2026,
            "periode": "TW II", "sasaran": [{"kode": "S1", "nama": "S", "iku": [
                iku("A", realisasi_tw=["banyak", "5 kasus", None, None])]}]}
    h = hitung(spec_from_data(data, "u.yaml", nilai_ketat=False))
    assert [(f.tingkat, f.jenis, f.lokasi.split(": ")[1]) for f in h.temuan] == [
        ("error", "bukan_angka", "sasaran[S1].iku[A].realisasi_tw[0]"),
        ("peringatan", "satuan_berbeda", "sasaran[S1].iku[A].realisasi_tw[1]")]
    assert h.iku[0].realisasi == 5


def test_revised_target_zero_message():
    h = hitung(spec([iku("A", target_revisi=0)]))
    assert [(f.jenis, f.lokasi, f.pesan) for f in h.temuan if f.tingkat == "error"] == [(
        "target_nol", "u.yaml: sasaran[S1].iku[A].target_revisi",
        "Target revisi IKU A bernilai 0, jadi capaian tidak bisa dihitung (dan tidak ikut "
        "rata-rata).")]


@pytest.mark.parametrize(("revisi", "named"), [(10, "target 10 di"), (20, "target 10 di"),
                                               (5, "target revisi 5 di")])
def test_implausible_capaian_names_the_worse_target(revisi, named):
    # realisasi 31: against 10 = 310 %, against 20 = 155 %, against 5 = 620 %
    h = hitung(spec([iku("A", target=10, target_revisi=revisi, diukur_pada=["TW I"],
                         realisasi_tw=[31, None, None, None])]))
    [f] = [f for f in h.temuan if f.jenis == "capaian_tidak_wajar"]
    assert named in f.pesan


def test_astronomic_capaian_is_not_printed_in_full():
    h = hitung(spec([iku("A", target=1e-300)]))
    [f] = [f for f in h.temuan if f.jenis == "capaian_tidak_wajar"]
    assert f.pesan.startswith("Capaian IKU A lebih dari 10^15 %, jauh di atas batas wajar 300 %")


def test_every_field_of_a_penurunan_iku():
    import dataclasses
    h = hitung(spec([iku("R", satuan="%", rumus="penurunan", baseline=200, target=10,
                         target_revisi=8, target_tw=[10, 10, 10, 10],
                         realisasi_tw=[60, 50, 40, None])])).iku[0]
    assert dataclasses.asdict(h) == {
        "kode": "R", "nama": "IKU R", "satuan": "%", "sasaran": "S1", "bobot": 1.0,
        "target": 10.0, "target_revisi": 8.0, "target_sd": 10.0,
        "target_tw": [10.0, 10.0, 10.0, 10.0], "realisasi_tw": [60.0, 50.0, 40.0, None],
        # 150 cases against 200 last year: (200 - 150) / 200 = 25 % reduction
        "realisasi": 25.0, "realisasi_dasar": 150.0, "label_realisasi": None,
        "diukur": True, "dilaporkan": True, "capaian_mentah": 250.0,
        "capaian_revisi_mentah": 312.5, "capaian_tw_mentah": 250.0, "capaian": 250.0,
        "capaian_revisi": 312.5, "capaian_tw": 250.0, "kategori": "Sangat Baik",
        "warna": "#5B9BD5", "kategori_revisi": "Sangat Baik", "warna_revisi": "#5B9BD5",
        # headline PK (the default): capaian_pk is the capaian; no annual figure typed, so
        # the quarters' 150 cases are the year's
        "target_utama": "pk", "capaian_pk_mentah": 250.0, "capaian_pk": 250.0,
        "realisasi_tahunan": None, "realisasi_triwulan": 150.0,
        "pembilang_tw": None, "penyebut_tw": None, "pembilang": None, "penyebut": None}


def test_unreported_iku_has_no_realisasi():
    h = hitung(spec([iku("A", realisasi_tw=[None] * 4)])).iku[0]
    assert h.realisasi is None and h.realisasi_dasar is None and h.label_realisasi is None


def test_means_skip_in_any_order():
    ikus = [iku("N", diukur_pada=["TW IV"]),  # not measured by TW III: left out
            iku("Z", target=0, realisasi_tw=[None] * 4),  # no capaian can exist: left out
            iku("R", target_revisi=0, realisasi_tw=[None] * 4),  # PK 0, revisi left out
            iku("A")]  # 60 %
    h = hitung(spec(ikus))
    assert h.capaian_rata_rata == 30.0  # (0 + 60) / 2
    assert h.capaian_rata_rata_revisi == 60.0  # R's revised target 0: only A
    [s] = h.sasaran
    assert (s.capaian_mentah, s.capaian_revisi_mentah) == (30.0, 60.0)


def test_rata_rata_of_zero_weight_is_undefined():
    from workbook_gen.engine import rata_rata
    assert rata_rata([(5.0, 0.0)]) is None and rata_rata([]) is None
    assert rata_rata([(5.0, 1.0), (11.0, 2.0)]) == 9.0


def test_category_counts_add_up():
    h = hitung(spec([iku("A"), iku("B"), iku("C", realisasi_tw=[50, 50, 50, 0])]))
    assert h.jumlah_kategori == {"Sangat Baik": 1, "Baik": 0, "Cukup": 2, "Kurang": 0}


def test_budget_boundaries():
    lines = [{"kode": "K1", "nama": "K", "komponen": [
        line("01", pagu_awal=0, realisasi_tw=[0, 0, 0, 0]),
        line("02", pagu_awal=600, realisasi_tw=[100, 200, 300, 50])]}]  # exactly the pagu
    h = hitung(spec([iku("A")], lines=lines))
    assert not [f for f in h.temuan if f.jenis in ("nilai_negatif", "melebihi_pagu")]
    assert [p.serapan_mentah for p in h.anggaran.baris] == [None, 100.0]
    assert h.anggaran.total.serapan_mentah == 100.0


@pytest.mark.parametrize(("declared", "lines_pagu", "jenis"), [
    (0, 1000, "total_tidak_sama"),  # no ratio with 0
    (1, 1000, "total_seribu_kali"),
    (1000, 1, "total_seribu_kali"),
    (1_000_000, 900_000_000, "total_seribu_kali"),  # exactly 900 x
    (1_000_000, 1_100_000_000, "total_seribu_kali"),  # exactly 1.100 x
    (1000.5, 1000, "total_tidak_sama"),  # half a rupiah apart is a difference
    (1000.4, 1000, None),
])
def test_declared_total_edges(declared, lines_pagu, jenis):
    lines = [{"kode": "K1", "nama": "K", "komponen": [
        line("01", pagu_awal=lines_pagu, realisasi_tw=[0, 0, 0, 0])]}]
    h = hitung(spec([iku("A")], lines=lines, total={"pagu_awal": declared}))
    got = [f for f in h.temuan if f.jenis.startswith("total")]
    assert [f.jenis for f in got] == ([jenis] if jenis else [])
    if jenis == "total_seribu_kali":
        assert got[0].saran == (
            "Kemungkinan tiga angka nol atau pemisah ribuan hilang (misalnya 'Rp 7.469.884,-' "
            "untuk Rp 7.469.884.000); perbaiki total atau baris yang salah ketik.")


def test_penurunan_tw_target_is_the_last_quarter_s():
    h = hitung(spec([iku("R", satuan="%", rumus="penurunan", baseline=100, target=6,
                         target_tw=[6, 6, 6, 7])], periode="TW IV"))
    [f] = [f for f in h.temuan if f.jenis == "target_tw_tidak_sesuai"]
    assert f.pesan == ("Target per triwulan IKU R (6, 6, 6, 7) (triwulan terakhir) adalah 7, "
                       "bukan target tahunan 6.")


def test_revised_mean_counts_a_blank_against_its_revised_target():
    # Z: PK target 0 (left out of the PK mean), revised target 50, nothing reported: 0 in
    # the revised mean. PK: A only = 60; revisi: (0 + 60) / 2 = 30
    h = hitung(spec([iku("Z", target=0, target_revisi=50, realisasi_tw=[None] * 4), iku("A")]))
    assert (h.capaian_rata_rata, h.capaian_rata_rata_revisi) == (60.0, 30.0)


def test_declared_total_against_lines_without_pagu():
    lines = [{"kode": "K1", "nama": "K", "komponen": [
        line("01", pagu_awal=0, realisasi_tw=[0, 0, 0, 0])]}]
    h = hitung(spec([iku("A")], lines=lines, total={"pagu_awal": 1000}))
    assert [f.jenis for f in h.temuan if f.jenis.startswith("total")] == ["total_tidak_sama"]
