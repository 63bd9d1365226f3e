"""The summary sheets (the tables of the Laporan Kinerja) as neutral content.

``build_summary(hasil)`` turns engine results into :class:`~workbook_gen.tables.SheetContent`
for: Ringkasan Capaian, Pengukuran Kinerja, Capaian Anggaran, Realisasi Anggaran,
Perbandingan Tahunan (when the spec has earlier years), Grafik and Catatan Validasi.
Both the generator (xlsxwriter) and the Hitung Capaian routine (book adapter) render
exactly this content, so a workbook looks the same whichever wrote it. No computing
here beyond picking values: every number comes from the engine.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .engine import Hasil, HasilIku, Pos, bulatkan
from .findings import ERROR, Finding
from .layout import (
    SHEET_CAPAIAN_ANGGARAN,
    SHEET_CATATAN,
    SHEET_GRAFIK,
    SHEET_PENGUKURAN,
    SHEET_REALISASI_ANGGARAN,
    SHEET_RINGKASAN,
    SHEET_TAHUNAN,
)
from .parsing import format_number
from .spec import PERIODE, Value
from .tables import (
    ANGKA,
    BULAT,
    GRUP,
    NORMAL,
    PERSEN,
    RUPIAH,
    TEKS,
    TOTAL,
    Chart,
    Column,
    Series,
    SheetContent,
    Table,
    place,
)

SEL_TEMUAN = "SelTemuan"  # defined name over the "Letak" column of Catatan Validasi
LETAK_COLUMN = 2  # 0-based column of the Catatan Validasi table holding sheet!cell

WARNA_ERROR = "#F4B6B6"
WARNA_PERINGATAN = "#FFE699"


def _v(v: Value, p) -> Any:
    """A target/realisasi value for a table cell: labels as text, numbers rounded."""
    if v is None or isinstance(v, str):
        return v
    return bulatkan(v, p)


def _real(h: HasilIku, p) -> Any:
    if h.label_realisasi and not isinstance(h.realisasi, str) and h.realisasi is not None:
        return f"{format_number(bulatkan(h.realisasi, p))} ({h.label_realisasi})"
    return _v(h.realisasi, p)


def _judul(hasil: Hasil, what: str) -> str:
    s = hasil.spec
    return f"{what} {s.unit.nama} {s.periode_label} {s.tahun}".replace("Tahunan ", "Tahun ")


def _ringkasan(hasil: Hasil) -> SheetContent:
    s, p = hasil.spec, hasil.spec.pengaturan
    n = s.periode_n
    by = hasil.iku_by_kode()
    cols = [Column("No", TEKS, 5), Column("Sasaran / IKU", TEKS, 48), Column("Satuan", TEKS, 10),
            Column("Target", ANGKA, 11), Column("Target Revisi", ANGKA, 11)]
    cols += [Column(f"Realisasi {q}", ANGKA, 11) for q in PERIODE]
    cols += [Column(f"Realisasi s.d. {s.periode_label}", ANGKA, 13),
             Column("Capaian (%)", PERSEN, 11), Column("Capaian Target Revisi (%)", PERSEN, 13),
             Column("Kategori", TEKS, 13)]
    kat_col = len(cols) - 1
    rows: list[list[Any]] = []
    styles: list[str] = []
    for si, sas in enumerate(hasil.sasaran, 1):
        rows.append([str(si), f"{sas.kode} {sas.nama}", None, None, None, None, None, None,
                     None, None, sas.capaian, sas.capaian_revisi, sas.kategori])
        styles.append(GRUP)
        for ii, kode in enumerate(sas.iku, 1):
            h = by[kode]
            tw = [_v(v, p) if q < n else None for q, v in enumerate(h.realisasi_tw)]
            rows.append([f"{si}.{ii}", f"{h.kode} {h.nama}", h.satuan, _v(h.target, p),
                         _v(h.target_revisi, p), *tw,
                         _real(h, p) if h.diukur else "tidak diukur", h.capaian,
                         h.capaian_revisi, h.kategori])
            styles.append(NORMAL)
    rows.append([None, "Rata-rata capaian IKU", None, None, None, None, None, None, None, None,
                 hasil.capaian_rata_rata, hasil.capaian_rata_rata_revisi, hasil.kategori])
    styles.append(TOTAL)
    utama = Table(_judul(hasil, "Ringkasan Capaian Kinerja"), cols, rows, row_styles=styles,
                  text_colours={kat_col: _band_colours(hasil)},
                  subtitle="Capaian terhadap target Perjanjian Kinerja dan target revisi; "
                           "rata-rata dari nilai sebelum pembulatan.")
    kat_rows = [[b.nama, hasil.jumlah_kategori.get(b.nama, 0)] for b in p.kategori]
    jumlah = Table("Jumlah IKU per Kategori", [Column("Kategori", TEKS, 16),
                                              Column("Jumlah IKU", BULAT, 11)],
                   kat_rows, text_colours={0: _band_colours(hasil)},
                   note=_band_note(hasil))
    return SheetContent(SHEET_RINGKASAN, _judul(hasil, "Ringkasan Capaian Kinerja"),
                        [utama, jumlah])


def _band_colours(hasil: Hasil) -> dict[str, str]:
    return {b.nama: b.warna for b in hasil.spec.pengaturan.kategori}


def _band_note(hasil: Hasil) -> str:
    parts = []
    for b in hasil.spec.pengaturan.kategori:
        if b.minimal is None:
            parts.append(f"{b.nama}: di bawahnya")
        else:
            parts.append(f"{b.nama}: {'>' if b.lebih_dari else '>='} {format_number(b.minimal)}")
    return "Kategori capaian: " + "; ".join(parts) + "."


def _pengukuran(hasil: Hasil) -> SheetContent:
    s, p = hasil.spec, hasil.spec.pengaturan
    n = s.periode_n
    by = hasil.iku_by_kode()
    cols = [Column("No", TEKS, 5), Column("Sasaran", TEKS, 34), Column("IKU", TEKS, 40),
            Column("Satuan", TEKS, 10)]
    for q in PERIODE:
        cols += [Column(f"Target {q}", ANGKA, 10), Column(f"Realisasi {q}", ANGKA, 10)]
    rows = []
    no = 0
    for sas in hasil.sasaran:
        for i, kode in enumerate(sas.iku):
            h = by[kode]
            no += 1
            row: list[Any] = [str(no), sas.nama if i == 0 else None, f"{h.kode} {h.nama}",
                              h.satuan]
            for q in range(4):
                t = h.target_tw[q] if h.target_tw else None
                r = h.realisasi_tw[q] if q < n else None
                row += [_v(t, p), _v(r, p)]
            rows.append(row)
    table = Table(_judul(hasil, "Pengukuran Capaian Kinerja per Triwulan"), cols, rows,
                  note="Sel kosong: belum dilaporkan atau tidak diukur pada triwulan itu.")
    return SheetContent(SHEET_PENGUKURAN, table.title, [table])


def _capaian_anggaran(hasil: Hasil) -> SheetContent:
    p = hasil.spec.pengaturan
    by = hasil.iku_by_kode()
    cols = [Column("No", TEKS, 5), Column("Sasaran", TEKS, 34), Column("IKU", TEKS, 40),
            Column("Pagu (Rp)", RUPIAH, 16), Column("Realisasi (Rp)", RUPIAH, 16),
            Column("Serapan (%)", PERSEN, 10), Column("Target", ANGKA, 11),
            Column("Realisasi", ANGKA, 11), Column("Capaian (%)", PERSEN, 10),
            Column("Kategori", TEKS, 12), Column("Rata-rata Capaian Sasaran (%)", PERSEN, 14)]
    rows: list[list[Any]] = []
    styles: list[str] = []
    for si, sas in enumerate(hasil.sasaran, 1):
        for i, kode in enumerate(sas.iku):
            h = by[kode]
            first = i == 0
            rows.append([str(si) if first else None, sas.nama if first else None,
                         f"{h.kode} {h.nama}",
                         sas.pagu if first else None,
                         sas.realisasi_anggaran if first else None,
                         bulatkan(sas.serapan, p) if first else None,
                         _v(h.target, p), _real(h, p) if h.diukur else "tidak diukur",
                         h.capaian, h.kategori, sas.capaian if first else None])
            styles.append(NORMAL)
    t = hasil.anggaran.total
    rows.append([None, "Jumlah / rata-rata", None, t.pagu, t.realisasi,
                 bulatkan(t.serapan, p), None, None, hasil.capaian_rata_rata, hasil.kategori,
                 None])
    styles.append(TOTAL)
    table = Table(_judul(hasil, "Capaian Anggaran dan Kinerja"), cols, rows, row_styles=styles,
                  text_colours={9: _band_colours(hasil)},
                  note="Bandingkan serapan anggaran dengan rata-rata capaian sasaran untuk "
                       "melihat efisiensi.")
    return SheetContent(SHEET_CAPAIAN_ANGGARAN, table.title, [table])


def _pos_row(label_kode: str, nama: str, pos: Pos, n: int, p) -> list[Any]:
    return [label_kode, nama, pos.pagu_awal, pos.pagu,
            *[pos.realisasi_tw[q] if q < n else None for q in range(4)],
            pos.realisasi, bulatkan(pos.serapan, p), pos.sisa]


def _realisasi_anggaran(hasil: Hasil) -> SheetContent:
    s, p = hasil.spec, hasil.spec.pengaturan
    n = s.periode_n
    a = hasil.anggaran
    cols = [Column("Kode", TEKS, 10), Column("Kegiatan / Komponen", TEKS, 46),
            Column("Pagu Awal (Rp)", RUPIAH, 16), Column("Pagu (Rp)", RUPIAH, 16)]
    cols += [Column(f"Realisasi {q} (Rp)", RUPIAH, 15) for q in PERIODE]
    cols += [Column(f"Realisasi s.d. {s.periode_label} (Rp)", RUPIAH, 16),
             Column("Serapan (%)", PERSEN, 10), Column("Sisa (Rp)", RUPIAH, 16)]
    rows: list[list[Any]] = []
    styles: list[str] = []
    baris = {pos.kode: pos for pos in a.baris}
    for keg in a.per_kegiatan:
        rows.append(_pos_row(keg.kode, keg.nama, keg, n, p))
        styles.append(GRUP)
        for line in s.anggaran:
            if line.kegiatan_kode == keg.kode:
                rows.append(_pos_row(line.kode, line.nama, baris[line.key], n, p))
                styles.append(NORMAL)
    rows.append(_pos_row("", "Jumlah", a.total, n, p))
    styles.append(TOTAL)
    per_kegiatan = Table(_judul(hasil, "Realisasi Anggaran per Kegiatan"), cols, rows,
                         row_styles=styles,
                         note=None if a.total.pagu == a.pagu_jumlah_baris else
                         "Pagu jumlah memakai total pagu yang dinyatakan (DIPA); jumlah baris "
                         f"adalah Rp {a.pagu_jumlah_baris:,.0f}.".replace(",", "."))
    jrows = [_pos_row(pos.kode, pos.nama, pos, n, p) for pos in a.per_jenis_belanja]
    jrows.append(_pos_row("", "Jumlah", a.total, n, p))
    per_jenis = Table("Realisasi Anggaran per Jenis Belanja", cols, jrows,
                      row_styles=[NORMAL] * (len(jrows) - 1) + [TOTAL])
    return SheetContent(SHEET_REALISASI_ANGGARAN, per_kegiatan.title, [per_kegiatan, per_jenis])


def _serapan_tw_rows(hasil: Hasil) -> list[list[Any]]:
    p = hasil.spec.pengaturan
    a = hasil.anggaran
    rows, running = [], 0.0
    for q in range(hasil.spec.periode_n):
        running += a.total.realisasi_tw[q]
        rows.append([PERIODE[q], a.total.realisasi_tw[q], running,
                     bulatkan(a.serapan_tw[q], p)])
    return rows


def _grafik(hasil: Hasil) -> SheetContent:
    p = hasil.spec.pengaturan
    measured = [h for h in hasil.iku if h.diukur]
    iku_rows = [[h.kode, 100.0 if h.capaian is not None else None, h.capaian]
                for h in measured]
    iku_table = Table("Data grafik: target dan realisasi per IKU (persen dari target)",
                      [Column("IKU", TEKS, 12), Column("Target (%)", PERSEN, 11),
                       Column("Realisasi (% dari target)", PERSEN, 14)], iku_rows)
    serapan = Table("Data grafik: serapan anggaran per triwulan",
                    [Column("Triwulan", TEKS, 10), Column("Realisasi (Rp)", RUPIAH, 16),
                     Column("Realisasi kumulatif (Rp)", RUPIAH, 18),
                     Column("Serapan kumulatif (%)", PERSEN, 12)], _serapan_tw_rows(hasil))
    kat = Table("Data grafik: jumlah IKU per kategori",
                [Column("Kategori", TEKS, 14), Column("Jumlah IKU", BULAT, 10)],
                [[b.nama, hasil.jumlah_kategori.get(b.nama, 0)] for b in p.kategori],
                text_colours={0: _band_colours(hasil)})
    blocks: list[Table | Chart] = [iku_table, serapan, kat]
    blocks.append(Chart("column", "Target dan Realisasi per IKU (% dari target)", 0, 0,
                        [Series("Target", 0, 1, "#A5A5A5"), Series("Realisasi", 0, 2, "#4472C4")],
                        y_title="%"))
    blocks.append(Chart("line", "Serapan Anggaran Kumulatif per Triwulan (%)", 1, 0,
                        [Series("Serapan kumulatif", 1, 3, "#ED7D31")], y_title="%"))
    blocks.append(Chart("pie", "Jumlah IKU per Kategori", 2, 0, [Series("Jumlah IKU", 2, 1)]))
    return SheetContent(SHEET_GRAFIK, _judul(hasil, "Grafik Capaian"), blocks)


def _tahunan(hasil: Hasil) -> SheetContent | None:
    p = hasil.spec.pengaturan
    with_history = [(iku, hasil.iku_by_kode()[iku.kode]) for iku in hasil.spec.semua_iku()
                    if iku.riwayat]
    if not with_history:
        return None
    blocks: list[Table | Chart] = []
    for iku, h in with_history:
        rows = []
        for r in sorted(iku.riwayat, key=lambda r: r.tahun):
            cap = None
            if isinstance(r.target, float) and isinstance(r.realisasi, float) and r.target:
                cap = bulatkan(r.realisasi / r.target * 100, p) if iku.polaritas == "maksimal" \
                    else None
            rows.append([str(r.tahun), _v(r.target, p), _v(r.realisasi, p), cap])
        rows.append([str(hasil.spec.tahun), _v(h.target, p), _v(h.realisasi, p), h.capaian])
        index = len(blocks)
        blocks.append(Table(f"{h.kode} {h.nama}", [Column("Tahun", TEKS, 8),
                                                     Column("Target", ANGKA, 12),
                                                     Column("Realisasi", ANGKA, 12),
                                                     Column("Capaian (%)", PERSEN, 11)],
                            rows, subtitle=f"Satuan: {h.satuan}"))
        blocks.append(Chart("column", f"Target dan Realisasi {h.kode} per Tahun", index, 0,
                            [Series("Target", index, 1, "#A5A5A5"),
                             Series("Realisasi", index, 2, "#4472C4")]))
    return SheetContent(SHEET_TAHUNAN, _judul(hasil, "Perbandingan Capaian Antartahun"), blocks)


def _catatan(hasil: Hasil, extra: Iterable[Finding]) -> SheetContent:
    findings = list(extra) + list(hasil.temuan)
    cols = [Column("No", TEKS, 5), Column("Tingkat", TEKS, 11), Column("Letak", TEKS, 22),
            Column("Masalah", TEKS, 70), Column("Yang harus dilakukan", TEKS, 60)]
    rows: list[list[Any]] = []
    for i, f in enumerate(findings, 1):
        rows.append([str(i), "Error" if f.tingkat == ERROR else "Peringatan", f.lokasi, f.pesan,
                     f.saran])
    if not rows:
        rows.append(["-", "-", "-", "Tidak ada temuan: semua isian terbaca dan wajar.", "-"])
    errors = sum(f.tingkat == ERROR for f in findings)
    table = Table("Catatan Validasi", cols, rows,
                  text_colours={1: {"Error": WARNA_ERROR, "Peringatan": WARNA_PERINGATAN}},
                  subtitle=f"{errors} error, {len(findings) - errors} peringatan. Sel masukan "
                           "yang bermasalah ditandai merah; tanda hilang setelah diperbaiki dan "
                           "Hitung Capaian dijalankan lagi.")
    return SheetContent(SHEET_CATATAN, _judul(hasil, "Catatan Validasi"), [table])


def sel_temuan_area(contents: Iterable[SheetContent]) -> tuple[str, int, int, int] | None:
    """Where the name SelTemuan points (the input blocks' red marks look cells up there):
    the Catatan Validasi 'Letak' column as (sheet, first row, last row, column), 1-based."""
    for content in contents:
        if content.name == SHEET_CATATAN:
            pl = place(content)[0]
            return (content.name, pl.first_data_row + 1, pl.last_data_row + 1,
                    LETAK_COLUMN + 1)
    return None


def build_summary(hasil: Hasil, extra: Iterable[Finding] = ()) -> list[SheetContent]:
    """All summary sheets in display order. ``extra``: findings of the routine itself
    (for example formulas that were typed over and restored), listed first."""
    sheets = [_ringkasan(hasil), _pengukuran(hasil), _capaian_anggaran(hasil),
              _realisasi_anggaran(hasil)]
    tahunan = _tahunan(hasil)
    if tahunan is not None:
        sheets.append(tahunan)
    sheets += [_grafik(hasil), _catatan(hasil, extra)]
    return sheets
