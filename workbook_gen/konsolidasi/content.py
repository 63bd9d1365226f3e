"""The recap sheets as neutral content (:mod:`workbook_gen.tables`); no computing here."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from ..engine import kategori_untuk
from ..findings import ERROR, Finding
from ..spec import Pengaturan
from ..tables import BULAT, PERSEN, RUPIAH, TEKS, TOTAL, Chart, Column, Series, SheetContent, Table
from .records import (
    BAKU,
    BELUM_DIISI,
    BELUM_MENGIRIM,
    DITOLAK,
    LABEL_JENIS,
    NAMA_JENIS,
    OK,
    SHEET_ANGGARAN,
    SHEET_GRAFIK,
    SHEET_IKU,
    SHEET_STATUS,
    SHEET_TEMUAN,
    SHEET_UNIT,
    STATUS_ERROR,
    STATUS_PERINGATAN,
    WARNA_STATUS,
    WARNA_TINGKAT,
    Rekap,
    StatusBerkas,
    UnitRingkas,
)

# --------------------------------------------------------------------------- content


def _kat_colours(pengaturan: Pengaturan = BAKU) -> dict[str, str]:
    return {b.nama: b.warna for b in pengaturan.kategori}


def _judul(rekap: Rekap, what: str) -> str:
    bits = [what]
    if rekap.periode:
        bits.append(rekap.periode)
    if rekap.tahun:
        bits.append(str(rekap.tahun))
    return " ".join(bits)


def _tanda(u: UnitRingkas) -> str:
    """How a shown unit is marked wherever it appears: its status, and "tidak dihitung"
    when it is left out of national figures and the ranking."""
    if u.dihitung:
        return u.status if u.status != STATUS_ERROR else "error (dihitung)"
    return f"{u.status} (tidak dihitung)"


def _warna_tanda() -> dict[str, str]:
    out = {s: WARNA_STATUS[s] for s in (OK, STATUS_PERINGATAN)}
    out["error (dihitung)"] = WARNA_STATUS[STATUS_ERROR]
    for s in (STATUS_ERROR, BELUM_DIISI):
        out[f"{s} (tidak dihitung)"] = WARNA_STATUS[s]
    return out


def _cakupan(rekap: Rekap) -> str:
    n = len(rekap.unit_dihitung)
    left = len(rekap.unit) - n
    text = f"Angka nasional dari {n} unit yang dihitung"
    if left:
        text += (f"; {left} unit ditampilkan tetapi tidak dihitung (status error atau belum "
                 "diisi")
        text += ", error tetap dihitung karena --sertakan-error)" if rekap.sertakan_error \
            else ")"
    return text + "."


def _status_sheet(rekap: Rekap) -> SheetContent:
    cols = [Column("No", TEKS, 5), Column("Berkas", TEKS, 40), Column("Kode Satker", TEKS, 11),
            Column("Unit", TEKS, 28), Column("Versi Template", TEKS, 9),
            Column("Tahun", TEKS, 7), Column("Periode", TEKS, 9), Column("Status", TEKS, 11),
            Column("Keterangan", TEKS, 60), Column("Jumlah Temuan", BULAT, 9)]
    rows = []
    for i, b in enumerate(rekap.berkas, 1):
        rows.append([str(i), b.berkas, b.kode_satker, b.nama_unit,
                     None if b.versi_template is None else str(b.versi_template),
                     None if b.tahun is None else str(b.tahun), b.periode, b.status,
                     " ".join(b.alasan) or None, len(b.temuan)])
    n = Counter(b.status for b in rekap.berkas)
    table = Table("Status Pengumpulan Berkas", cols, rows, text_colours={7: WARNA_STATUS},
                  subtitle=f"{rekap.jumlah_berkas} berkas: {n[OK]} OK, {n[STATUS_PERINGATAN]} "
                           f"peringatan, {n[STATUS_ERROR]} error, {n[BELUM_DIISI]} belum diisi, "
                           f"{n[DITOLAK]} ditolak. Berkas yang ditolak tidak ikut direkap; unit "
                           "berstatus error atau belum diisi ditampilkan tetapi tidak dihitung "
                           "dalam angka nasional dan peringkat.")
    blocks: list[Table | Chart] = [table]
    if rekap.pakai_katalog:
        brows = [[str(i), k.kode_satker, k.nama, status] for i, (k, status) in enumerate(
            [(k, DITOLAK) for k in rekap.ditolak_katalog]
            + [(k, BELUM_MENGIRIM) for k in rekap.belum_mengirim], 1)]
        if not brows:
            brows = [["-", "-", "Semua unit di katalog sudah mengirim berkas yang diterima.",
                      None]]
        blocks.append(Table(
            "Unit Katalog tanpa Berkas yang Diterima",
            [Column("No", TEKS, 5), Column("Kode Satker", TEKS, 11), Column("Unit", TEKS, 40),
             Column("Status", TEKS, 14)],
            brows, text_colours={3: WARNA_STATUS},
            subtitle="ditolak: unit mengirim berkas, tetapi semua berkasnya ditolak (alasannya "
                     "di atas); belum mengirim: tidak ada berkas dari unit itu."))
    return SheetContent(SHEET_STATUS, _judul(rekap, "Status Pengumpulan Laporan Kinerja"),
                        blocks)


def _unit_sheet(rekap: Rekap) -> SheetContent:
    cols = [Column("Peringkat", TEKS, 9), Column("Kode Satker", TEKS, 11),
            Column("Unit", TEKS, 30), Column("Status", TEKS, 16), Column("Periode", TEKS, 9),
            Column("Capaian (%)", PERSEN, 11), Column("Capaian Target Revisi (%)", PERSEN, 13),
            Column("Kategori", TEKS, 12), Column("Pagu (Rp)", RUPIAH, 17),
            Column("Realisasi (Rp)", RUPIAH, 17), Column("Serapan (%)", PERSEN, 10),
            Column("Sisa (Rp)", RUPIAH, 17)]
    rows: list[list[Any]] = []
    for u in rekap.unit:
        rows.append([str(u.peringkat) if u.peringkat else "-", u.kode_satker, u.nama, _tanda(u),
                     u.periode, u.capaian, u.capaian_revisi, u.kategori, u.total.pagu,
                     u.total.realisasi, u.total.serapan, u.total.sisa])
    t = rekap.total
    c = rekap.capaian
    rows.append([None, None, f"Nasional: rata-rata capaian dan jumlah anggaran ({c.jumlah_unit} "
                 "unit)", None, None, c.rata_rata, rekap.capaian_rata_rata_revisi,
                 kategori_untuk(c.rata_rata, BAKU)[0], t.pagu, t.realisasi, t.serapan, t.sisa])
    rows.append([None, None, f"Nasional: median capaian ({c.jumlah_unit} unit)", None, None,
                 c.median, None, kategori_untuk(c.median, BAKU)[0], None, None, None, None])
    styles = ["normal"] * (len(rows) - 2) + [TOTAL, TOTAL]
    colours = {3: _warna_tanda(), 7: _kat_colours()}
    utama = Table("Capaian dan Anggaran per Unit", cols, rows, row_styles=styles,
                  text_colours=colours,
                  subtitle="Peringkat menurut rata-rata capaian IKU terhadap target Perjanjian "
                           "Kinerja; capaian dan serapan dihitung ulang dari isian tiap "
                           "workbook. " + _cakupan(rekap),
                  note="Median di samping rata-rata: bila keduanya jauh berbeda, ada unit "
                       "dengan capaian ekstrem; periksa lembar Temuan.")
    scols = [Column("Kode Satker", TEKS, 11), Column("Unit", TEKS, 30),
             Column("Status", TEKS, 16),
             Column("Kode Sasaran", TEKS, 9), Column("Sasaran", TEKS, 46),
             Column("Capaian (%)", PERSEN, 11), Column("Capaian Target Revisi (%)", PERSEN, 13),
             Column("Kategori", TEKS, 12), Column("Pagu (Rp)", RUPIAH, 17),
             Column("Realisasi (Rp)", RUPIAH, 17), Column("Serapan (%)", PERSEN, 10)]
    srows = [[u.kode_satker, u.nama, _tanda(u), s.kode, s.nama, s.capaian, s.capaian_revisi,
              s.kategori, s.pagu, s.realisasi, s.serapan]
             for u in rekap.unit_urut_kode() for s in u.sasaran]
    sasaran = Table("Capaian per Sasaran", scols, srows,
                    text_colours={2: _warna_tanda(), 7: _kat_colours()})
    return SheetContent(SHEET_UNIT, _judul(rekap, "Rekap Capaian per Unit"), [utama, sasaran])


def _per_unit(values: Any, kodes: list[str]) -> list[Any]:
    """One IKU's value (capaian or kategori) for each unit, None where it has none."""
    column = getattr(values, "column", None)  # the parent's column storage (kolom.PerUnit)
    return column(kodes) if column is not None else [values.get(k) for k in kodes]


def _iku_sheet(rekap: Rekap) -> SheetContent:
    stat_cols = [Column("Kode IKU", TEKS, 11), Column("Nama IKU", TEKS, 50),
                 Column("Satuan", TEKS, 9), Column("Jumlah Unit Dihitung", BULAT, 9),
                 Column("Rata-rata Nasional (%)", PERSEN, 12),
                 Column("Median Nasional (%)", PERSEN, 12), Column("Minimum (%)", PERSEN, 11),
                 Column("Maksimum (%)", PERSEN, 11), Column("Kategori Rata-rata", TEKS, 12)]
    stat_rows = [[i.kode, i.nama, i.satuan, i.jumlah_unit, i.rata_rata, i.median, i.minimum,
                  i.maksimum, i.kategori_rata_rata] for i in rekap.iku]
    stats = Table("Capaian per IKU (nasional)", stat_cols, stat_rows,
                  text_colours={8: _kat_colours()},
                  subtitle="IKU dicocokkan menurut kodenya; rata-rata, median, minimum dan "
                           "maksimum dari capaian (target PK) unit yang dihitung dan mengukur "
                           "IKU itu. " + _cakupan(rekap))
    cols = [Column("Kode Satker", TEKS, 11), Column("Unit", TEKS, 28),
            Column("Status", TEKS, 16)]
    colours: dict[int, dict[str, str]] = {2: _warna_tanda()}
    for i in rekap.iku:
        cols.append(Column(f"{i.kode} (%)", PERSEN, 10))
        cols.append(Column(f"{i.kode} Kategori", TEKS, 12))  # "Sangat Baik" on one line
        colours[len(cols) - 1] = _kat_colours()
    units = rekap.unit_urut_kode()
    kodes = [u.kode_satker for u in units]
    by_column: list[list[Any]] = [kodes, [u.nama for u in units], [_tanda(u) for u in units]]
    for i in rekap.iku:  # a column at a time: 10,000 units x 20 IKUs are 400,000 look-ups
        by_column += [_per_unit(i.capaian, kodes), _per_unit(i.kategori, kodes)]
    rows: list[list[Any]] = list(map(list, zip(*by_column, strict=True)))
    for label, attr in (("Rata-rata nasional", "rata_rata"), ("Median nasional", "median"),
                        ("Minimum", "minimum"), ("Maksimum", "maksimum")):
        row = [None, label, None]
        for i in rekap.iku:
            v = getattr(i, attr)
            row += [v, kategori_untuk(v, BAKU)[0]]
        rows.append(row)
    styles = ["normal"] * (len(rows) - 4) + [TOTAL] * 4
    matrix = Table("Matriks Capaian Unit x IKU (%)", cols, rows, row_styles=styles,
                   text_colours=colours,
                   note="Sel kosong: unit tidak memiliki IKU itu, tidak mengukurnya pada "
                        "periode ini, atau capaiannya tidak terdefinisi (target kosong/0). "
                        "Baris nasional hanya dari unit yang dihitung.")
    return SheetContent(SHEET_IKU, _judul(rekap, "Rekap Capaian per IKU"), [stats, matrix])


def _anggaran_sheet(rekap: Rekap) -> SheetContent:
    jenis = [j.kode for j in rekap.jenis_belanja]
    cols = [Column("Kode Satker", TEKS, 11), Column("Unit", TEKS, 28),
            Column("Status", TEKS, 16),
            Column("Pagu (Rp)", RUPIAH, 17), Column("Realisasi (Rp)", RUPIAH, 17),
            Column("Serapan (%)", PERSEN, 10), Column("Sisa (Rp)", RUPIAH, 17)]
    for k in jenis:
        label = LABEL_JENIS.get(k, k)
        cols += [Column(f"Pagu {label} (Rp)", RUPIAH, 16),
                 Column(f"Realisasi {label} (Rp)", RUPIAH, 16),
                 Column(f"Serapan {label} (%)", PERSEN, 10)]
    rows: list[list[Any]] = []
    for u in rekap.unit_urut_kode():
        by = {j.kode: j for j in u.jenis_belanja}
        row: list[Any] = [u.kode_satker, u.nama, _tanda(u), u.total.pagu, u.total.realisasi,
                          u.total.serapan, u.total.sisa]
        for k in jenis:
            j = by.get(k)
            row += [j.pagu, j.realisasi, j.serapan] if j else [None, None, None]
        rows.append(row)
    t = rekap.total
    row = [None, f"Jumlah nasional ({len(rekap.unit_dihitung)} unit)", None, t.pagu,
           t.realisasi, t.serapan, t.sisa]
    for j in rekap.jenis_belanja:
        row += [j.pagu, j.realisasi, j.serapan]
    rows.append(row)
    per_unit = Table("Realisasi Anggaran per Unit dan Jenis Belanja", cols, rows,
                     row_styles=["normal"] * (len(rows) - 1) + [TOTAL],
                     text_colours={2: _warna_tanda()},
                     subtitle="Pagu efektif (pagu revisi bila ada; total DIPA yang dinyatakan "
                              "bila diisi). Jenis belanja: " + ", ".join(
                                  f"{k} {NAMA_JENIS.get(k, k)}" for k in jenis) + ". "
                              + _cakupan(rekap))
    jcols = [Column("Jenis Belanja", TEKS, 9), Column("Uraian", TEKS, 28),
             Column("Pagu (Rp)", RUPIAH, 17), Column("Realisasi (Rp)", RUPIAH, 17),
             Column("Serapan (%)", PERSEN, 10), Column("Sisa (Rp)", RUPIAH, 17)]
    jrows = [[j.kode, j.nama, j.pagu, j.realisasi, j.serapan, j.sisa]
             for j in rekap.jenis_belanja]
    per_jenis = Table("Realisasi Anggaran Nasional per Jenis Belanja", jcols, jrows,
                      note=f"Jumlah baris anggaran per jenis belanja dari "
                           f"{len(rekap.unit_dihitung)} unit yang dihitung; total nasional di "
                           "atas memakai pagu efektif tiap unit.")
    return SheetContent(SHEET_ANGGARAN, _judul(rekap, "Rekap Realisasi Anggaran"),
                        [per_unit, per_jenis])


def semua_temuan(rekap: Rekap) -> Iterator[tuple[StatusBerkas, Finding]]:
    for b in rekap.berkas:
        for f in b.temuan:
            yield b, f


def _lokasi(b: StatusBerkas, f: Finding) -> str:
    return "" if f.lokasi in ("", b.berkas) else f.lokasi


def _temuan_sheet(rekap: Rekap) -> SheetContent:
    cols = [Column("No", TEKS, 6), Column("Berkas", TEKS, 36), Column("Kode Satker", TEKS, 11),
            Column("Unit", TEKS, 24), Column("Tingkat", TEKS, 11), Column("Letak", TEKS, 16),
            Column("Masalah", TEKS, 70), Column("Yang harus dilakukan", TEKS, 50)]
    rows: list[list[Any]] = []
    for i, (b, f) in enumerate(semua_temuan(rekap), 1):
        rows.append([str(i), b.berkas, b.kode_satker, b.nama_unit,
                     "Error" if f.tingkat == ERROR else "Peringatan", _lokasi(b, f) or None,
                     f.pesan, f.saran or None])
    if not rows:
        rows.append(["-", None, None, None, None, None, "Tidak ada temuan.", None])
    errors = sum(f.tingkat == ERROR for _, f in semua_temuan(rekap))
    total = sum(1 for _ in semua_temuan(rekap))
    table = Table("Temuan per Berkas", cols, rows, text_colours={4: WARNA_TINGKAT},
                  subtitle=f"{errors} error, {total - errors} peringatan. Letak menunjuk lembar "
                           "dan sel di workbook unit itu.")
    return SheetContent(SHEET_TEMUAN, _judul(rekap, "Temuan Konsolidasi"), [table])


def _grafik_sheet(rekap: Rekap) -> SheetContent:
    rows = [[u.nama if u.dihitung and u.status != STATUS_ERROR else f"{u.nama} [{_tanda(u)}]",
             u.capaian, u.total.serapan, _tanda(u),
             u.capaian if u.dihitung else None, u.total.serapan if u.dihitung else None]
            for u in rekap.unit]
    data = Table("Data grafik: capaian dan serapan per unit (urut peringkat; unit yang tidak "
                 "dihitung di akhir, bertanda)",
                 [Column("Unit", TEKS, 34), Column("Capaian (%)", PERSEN, 11),
                  Column("Serapan (%)", PERSEN, 11), Column("Status", TEKS, 16),
                  Column("Capaian di Grafik (%)", PERSEN, 11),
                  Column("Serapan di Grafik (%)", PERSEN, 11)], rows,
                 text_colours={3: _warna_tanda()},
                 subtitle=_cakupan(rekap) + " Di grafik, unit yang tidak dihitung tampil "
                                            "dengan tandanya tanpa batang, agar angka "
                                            "ekstremnya tidak menenggelamkan unit lain.")
    blocks: list[Table | Chart] = [data]
    if rows:
        blocks.append(Chart("column", "Capaian Kinerja per Unit (%)", 0, 0,
                            [Series("Capaian", 0, 4, "#4472C4")], y_title="%"))
        blocks.append(Chart("column", "Serapan Anggaran per Unit (%)", 0, 0,
                            [Series("Serapan", 0, 5, "#70AD47")], y_title="%"))
    return SheetContent(SHEET_GRAFIK, _judul(rekap, "Grafik Capaian dan Serapan per Unit"),
                        blocks)


def iter_rekap_content(rekap: Rekap) -> Iterator[SheetContent]:
    """The recap sheets in display order, one at a time (a writer renders each and lets it
    go, so 10,000 units never have all their rows in memory at once)."""
    for sheet in (_status_sheet, _unit_sheet, _iku_sheet, _anggaran_sheet, _temuan_sheet,
                  _grafik_sheet):
        yield sheet(rekap)


def build_rekap_content(rekap: Rekap) -> list[SheetContent]:
    """The recap sheets in display order (neutral content; no computing here)."""
    return list(iter_rekap_content(rekap))

