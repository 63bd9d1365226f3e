"""The katalog's tables: which sheets (or CSV files, or YAML lists) it has, their columns,
what each column means and which values a column accepts.

One statement used by both sides: ``kosong`` writes the empty katalog from it (headers,
notes, drop-down lists) and ``baca`` finds the columns by it when reading a filled one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

VERSI_KATALOG = 1


@dataclass(frozen=True)
class Kolom:
    key: str  # name in code, CSV headers and YAML (kode_satker)
    label: str  # header the planner sees (Kode Satker)
    lebar: int  # column width in the empty katalog
    wajib: bool = False
    catatan: str = ""
    pilihan: tuple[str, ...] = ()  # drop-down values, if the column has a fixed list


@dataclass(frozen=True)
class Tabel:
    nama: str  # sheet name (CSV: nama.lower() + ".csv"; YAML: nama.lower())
    wajib: bool
    keterangan: str
    kolom: tuple[Kolom, ...]

    @property
    def kunci(self) -> str:
        return self.nama.lower()

    def by_key(self) -> dict[str, Kolom]:
        return {k.key: k for k in self.kolom}


TW = ("TW I", "TW II", "TW III", "TW IV")
PERIODE_KATALOG = (*TW, "Tahunan")

PENGATURAN = Tabel("Pengaturan", True, "Tahun, periode dan aturan hitung yang sama untuk "
                   "semua unit. Satu baris per pengaturan.", (
    Kolom("pengaturan", "Pengaturan", 26, True),
    Kolom("nilai", "Nilai", 18),
    Kolom("keterangan", "Keterangan", 70),
))
# key -> (wajib, explanation shown in the Keterangan column, drop-down choices)
PENGATURAN_KUNCI: dict[str, tuple[bool, str, tuple[str, ...]]] = {
    "tahun": (True, "Tahun anggaran, misalnya 2026.", ()),
    "periode": (True, "TW I, TW II, TW III, TW IV atau Tahunan.", PERIODE_KATALOG),
    "pembulatan": (False, "setengah_ke_atas (bawaan) atau potong.",
                   ("setengah_ke_atas", "potong")),
    "desimal": (False, "Jumlah desimal capaian (bawaan 2).", ()),
    "batas_capaian": (False, "Misalnya 120: capaian di atas batas dihitung 120 dalam "
                      "rata-rata. Kosong = tanpa batas.", ()),
    "kosong_dalam_rata_rata": (False, "nol (bawaan) atau abaikan.", ("nol", "abaikan")),
    "rumus_minimal": (False, "2t_kurang_r (bawaan) atau t_bagi_r.",
                      ("2t_kurang_r", "t_bagi_r")),
    "batas_realisasi_persen": (False, "Realisasi IKU persen di atas angka ini dilaporkan "
                               "sebagai error (bawaan 200).", ()),
    "kata_sandi": (False, "Kata sandi proteksi lembar (opsional).", ()),
    "target_utama": (False, "pk (bawaan) atau revisi: target acuan capaian utama, kategori "
                     "dan rata-rata.", ("pk", "revisi")),
}

SKALA = Tabel("Skala", False, "Skala label berurutan untuk IKU kategori: satu baris per "
              "label, dari terendah ke tertinggi.", (
    Kolom("skala", "Nama Skala", 14, True, "Nama yang dipakai kolom Skala di lembar IKU."),
    Kolom("label", "Label", 18, True),
    Kolom("minimal", "Minimal", 10, catatan="Batas bawah nilai label ini (opsional; kosong "
          "untuk label terendah)."),
))

SASARAN = Tabel("Sasaran", True, "Sasaran strategis nasional: satu baris per sasaran.", (
    Kolom("kode", "Kode Sasaran", 12, True),
    Kolom("nama", "Nama Sasaran", 70, True),
))

IKU = Tabel("IKU", True, "Indikator kinerja utama nasional: satu baris per IKU, dengan "
            "aturan hitungnya. Berlaku untuk semua unit.", (
    Kolom("kode_sasaran", "Kode Sasaran", 14, True, "Kode dari lembar Sasaran."),
    Kolom("kode", "Kode IKU", 14, True, "Unik di seluruh katalog."),
    Kolom("nama", "Nama IKU", 60, True),
    Kolom("satuan", "Satuan", 10, True, "Orang, %, Nilai, Lokasi, Predikat, ..."),
    Kolom("penanggung_jawab", "Penanggung Jawab", 18),
    Kolom("polaritas", "Polaritas", 11, pilihan=("maksimal", "minimal")),
    Kolom("rumus_minimal", "Rumus Minimal", 12, pilihan=("2t_kurang_r", "t_bagi_r")),
    Kolom("agregasi", "Agregasi", 11, pilihan=("kumulatif", "akhir", "rata_rata")),
    Kolom("jenis", "Jenis", 10, pilihan=("angka", "kategori")),
    Kolom("skala", "Skala", 10, catatan="Nama skala dari lembar Skala (wajib untuk IKU "
          "kategori)."),
    Kolom("rumus", "Rumus", 11, pilihan=("langsung", "penurunan", "penurunan_persen", "rasio")),
    Kolom("diukur_pada", "Diukur pada", 14, catatan="Kosong = semua TW; atau misalnya "
          "'TW III' atau 'TW II, TW IV'."),
    Kolom("bobot", "Bobot", 8, catatan="Bawaan 1."),
    Kolom("capaian_skor", "Capaian Skor", 11, pilihan=("nilai", "kategori"),
          catatan="IKU berskala berentang: nilai / target, atau kategori lawan kategori."),
))

UNIT = Tabel("Unit", True, "Unit kerja yang mendapat workbook: satu baris per unit.", (
    Kolom("kode_satker", "Kode Satker", 16, True, "Unik; ketik sebagai teks agar nol di "
          "depan tidak hilang."),
    Kolom("nama", "Nama Unit", 30, True),
    Kolom("provinsi", "Provinsi", 18),
    Kolom("kepala", "Kepala", 26),
    Kolom("nip", "NIP", 20, catatan="Ketik sebagai teks (18 angka)."),
))

TARGET = Tabel("Target", True, "Target tiap unit: satu baris per unit per IKU. IKU yang "
               "tidak punya baris untuk sebuah unit mendapat target kosong.", (
    Kolom("kode_satker", "Kode Satker", 16, True),
    Kolom("kode_iku", "Kode IKU", 14, True),
    Kolom("target", "Target PK", 11),
    Kolom("target_revisi", "Target Revisi", 11),
    Kolom("target_tw1", "Target TW I", 10),
    Kolom("target_tw2", "Target TW II", 10),
    Kolom("target_tw3", "Target TW III", 10),
    Kolom("target_tw4", "Target TW IV", 10),
    Kolom("baseline", "Baseline", 10, catatan="Hanya IKU penurunan: jumlah tahun lalu."),
))

ANGGARAN = Tabel("Anggaran", False, "Pagu tiap unit: satu baris per komponen kegiatan.", (
    Kolom("kode_satker", "Kode Satker", 16, True),
    Kolom("kode_kegiatan", "Kode Kegiatan", 10, True),
    Kolom("kegiatan", "Nama Kegiatan", 36, True),
    Kolom("kode", "Kode Komponen", 10, True),
    Kolom("nama", "Nama Komponen", 36, True),
    Kolom("kode_sasaran", "Kode Sasaran", 14, True),
    Kolom("akun", "Akun", 9),
    Kolom("jenis_belanja", "Jenis Belanja", 9, pilihan=("51", "52", "53")),
    Kolom("pagu_awal", "Pagu Awal", 16, True),
    Kolom("pagu_revisi", "Pagu Revisi", 16),
    Kolom("penanggung_jawab", "Penanggung Jawab", 18, catatan="Seksi/bidang/tim pemakai "
          "baris ini (opsional)."),
))

TABEL = (PENGATURAN, SKALA, SASARAN, IKU, UNIT, TARGET, ANGGARAN)


def norm_header(text: object) -> str:
    """'Kode Satker *' -> 'kode_satker': header text compared without case, marks or
    spacing."""
    t = re.sub(r"\(.*?\)|\*", "", str(text or "")).strip().casefold()
    return re.sub(r"[\s\-./]+", "_", t).strip("_")


def header_keys(tabel: Tabel) -> dict[str, str]:
    """Every accepted header spelling (normalised) -> column key."""
    out: dict[str, str] = {}
    for k in tabel.kolom:
        out[norm_header(k.key)] = k.key
        out[norm_header(k.label)] = k.key
    return out
