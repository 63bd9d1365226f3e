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

from .. import formulas as f
from ..engine import Hasil, HasilIku, Pos, _mean_inputs, bulatkan, capaian_riwayat, kategori_untuk
from ..findings import ERROR, Finding
from ..layout import (
    IDENTITAS_ROWS,
    SHEET_CAPAIAN_ANGGARAN,
    SHEET_CATATAN,
    SHEET_GRAFIK,
    SHEET_IDENTITAS,
    SHEET_PENGUKURAN,
    SHEET_REALISASI_ANGGARAN,
    SHEET_RINGKASAN,
    SHEET_TAHUNAN,
    Layout,
    col_letter,
    layout_for,
)
from ..parsing import format_number, plain_number
from ..spec import PERIODE, Iku, Value
from ..tables import (
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
    Formula,
    Placed,
    Series,
    SheetContent,
    Table,
    place,
    value_of,
)
from . import checksum
from .live import MAX_FORMULA, Live, fingerprint_values, local
from .seksi import seksi_sheet

SEL_TEMUAN = "SelTemuan"  # defined name over the "Letak" column of Catatan Validasi
LETAK_COLUMN = 2  # 0-based column of the Catatan Validasi table holding sheet!cell

WARNA_ERROR = "#F4B6B6"
WARNA_PERINGATAN = "#FFE699"


def _v(v: Value, p) -> Any:
    """A target/realisasi value for a table cell: labels as text, numbers rounded."""
    if v is None or isinstance(v, str):
        return v
    return bulatkan(v, p)


def _vl(iku: Iku, v: Value, p) -> Any:
    """As :func:`_v`, a number on the IKU's banded scale with its label ("88 (Baik)"),
    as ``live.Live.with_label`` shows it."""
    if isinstance(v, float) and iku.skala is not None and iku.skala.punya_rentang:
        return label_dengan_angka(iku, v, p)
    return _v(v, p)


def label_dengan_angka(iku: Iku, v: float, p) -> str:
    """ "86,06 (Baik)": the rounded number (decimal comma, no grouping) and its label."""
    shown = bulatkan(v, p)
    assert shown is not None and iku.skala is not None
    return f"{plain_number(shown)} ({iku.skala.label_untuk(v)})"


def _blank(v: Any) -> Any:
    """The cached value of a formula that shows "" for nothing."""
    return "" if v is None else v


def _periode_teks(tahunan: str) -> str:
    """The periode's label as a formula over Identitas (the periode cell, read as the
    PeriodeN formula reads it): TW I .. TW IV, ``tahunan`` for the whole year."""
    cell = f.ref(SHEET_IDENTITAS, "$B$", IDENTITAS_ROWS["periode"])
    labels = f.array([f.text(p) for p in (*PERIODE, "Tahunan")])
    names = ",".join(f.text(p) for p in (*PERIODE, tahunan))
    return f"IFERROR(CHOOSE(MATCH(TRIM({cell}),{labels},0),{names}),{f.text(tahunan)})"


def _periode_label(hasil: Hasil, tahunan: str) -> str:
    s = hasil.spec
    return tahunan if s.periode == "tahunan" else s.periode_label


def _judul(hasil: Hasil, what: str, live: bool = True) -> Formula | str:
    """A sheet title naming the unit, the periode and the year; ``live``: a formula that
    follows the periode on Identitas, so a sheet never needs redrawing for a new periode
    (the button of xlwings Lite cannot redraw a protected sheet)."""
    s = hasil.spec
    static = f"{what} {s.unit.nama} {_periode_label(hasil, 'Tahun')} {s.tahun}"
    if not live:
        return static
    return Formula(f"={f.text(f'{what} {s.unit.nama} ')}&{_periode_teks('Tahun')}"
                   f"&{f.text(f' {s.tahun}')}", static)


def _sd_header(hasil: Hasil, after: str = "") -> Formula:
    """'Realisasi s.d. TW II' (+ ``after``), following the periode on Identitas."""
    static = f"Realisasi s.d. {_periode_label(hasil, 'Tahunan')}{after}"
    return Formula(f"={f.text('Realisasi s.d. ')}&{_periode_teks('Tahunan')}"
                   + (f"&{f.text(after)}" if after else ""), static)


def _a1(pl: Placed, r: int, c: int) -> str:
    """The A1 address of data row r, column c (0-based) of a placed table."""
    return local(c + 1, pl.first_data_row + r + 1)


def _col_area(pl: Placed, c: int, r0: int, r1: int) -> str:
    a, b = pl.first_data_row + r0 + 1, pl.first_data_row + r1 + 1
    letter = col_letter(c + 1)
    return f"${letter}${a}:${letter}${b}"


def _iku_kategori(h: HasilIku) -> str | None:
    if h.capaian is not None:
        return h.kategori
    return "belum diisi" if h.diukur and not h.dilaporkan else None


def _mean_shown(value: float | None, reported: bool) -> float | None:
    return value if reported else None


def _mean_kategori(value: float | None, reported: bool, p) -> str | None:
    if not reported:
        return "belum diisi"
    return kategori_untuk(value, p)[0]


# Ringkasan Capaian: visible columns, then hidden helpers of the means (live.Live)
R_TARGET, R_REVISI, R_TW1, R_SD, R_CAP, R_CAP_REV, R_KAT = 3, 4, 5, 9, 10, 11, 12
H_C, H_V, H_W, H_CR, H_VR, H_WR, H_L = 13, 14, 15, 16, 17, 18, 19


def _helpers(hasil: Hasil, h: HasilIku) -> list[Any]:
    """Cached values of the hidden helper cells: the engine's own inclusion rule."""
    out: list[Any] = []
    for raw, attr in ((h.capaian_pk_mentah, "capaian_pk_mentah"),
                      (h.capaian_revisi_mentah, "capaian_revisi_mentah")):
        pairs = _mean_inputs([h], attr, hasil.spec)
        value, weight = pairs[0] if pairs else (0.0, 0.0)
        out += [_blank(raw), value if raw is not None else 0.0, weight]
    out.append(1 if h.diukur and h.dilaporkan else 0)
    return out


def _ringkasan(hasil: Hasil, live: Live) -> tuple[SheetContent, dict[str, str]]:
    """Ringkasan Capaian, and where its means and counts are (other sheets refer to them:
    'sasaran:KODE', 'sasaran_kategori:KODE', 'rata', 'rata_kategori', 'jumlah:LABEL')."""
    s, p = hasil.spec, hasil.spec.pengaturan
    n = s.periode_n
    by = hasil.iku_by_kode()
    ikus = {iku.kode: iku for iku in s.semua_iku()}
    cols = [Column("No", TEKS, 5), Column("Sasaran / IKU", TEKS, 48), Column("Satuan", TEKS, 10),
            Column("Target", ANGKA, 11), Column("Target Revisi", ANGKA, 11)]
    cols += [Column(f"Realisasi {q}", ANGKA, 11) for q in PERIODE]
    cols += [Column(_sd_header(hasil), ANGKA, 13), *capaian_columns(p),
             Column("Kategori", TEKS, 13)]
    cols += helper_columns()
    rows: list[list[Any]] = []
    styles: list[str] = []
    groups: list[tuple[int, int, int]] = []  # sasaran row, first and last IKU row (0-based)
    reported_all = any(h.diukur and h.dilaporkan for h in hasil.iku)
    for si, sas in enumerate(hasil.sasaran, 1):
        reported = any(by[k].diukur and by[k].dilaporkan for k in sas.iku)
        srow = len(rows)
        rows.append([str(si), f"{sas.kode} {sas.nama}", None, None, None, None, None, None,
                     None, None, _mean_shown(sas.capaian_pk, reported),
                     _mean_shown(sas.capaian_revisi, reported),
                     _mean_kategori(sas.capaian, reported, p)] + [None] * 7)
        styles.append(GRUP)
        for ii, kode in enumerate(sas.iku, 1):
            h, iku = by[kode], ikus[kode]
            tw = [_vl(iku, v, p) if q < n else None for q, v in enumerate(h.realisasi_tw)]
            rows.append([f"{si}.{ii}", f"{h.kode} {h.nama}", h.satuan, _vl(iku, h.target, p),
                         _vl(iku, h.target_revisi, p), *tw,
                         _vl(iku, h.realisasi, p) if h.diukur else "tidak diukur", h.capaian_pk,
                         h.capaian_revisi, _iku_kategori(h), *_helpers(hasil, h)])
            styles.append(NORMAL)
        groups.append((srow, srow + 1, len(rows) - 1))
    total = len(rows)
    rows.append([None, "Rata-rata capaian IKU", None, None, None, None, None, None, None, None,
                 _mean_shown(hasil.capaian_rata_rata_pk, reported_all),
                 _mean_shown(hasil.capaian_rata_rata_revisi, reported_all),
                 _mean_kategori(hasil.capaian_rata_rata, reported_all, p)] + [None] * 7)
    styles.append(TOTAL)
    judul = _judul(hasil, "Ringkasan Capaian Kinerja")
    utama = Table("Capaian per sasaran dan IKU", cols, rows, row_styles=styles,
                  text_colours={R_KAT: _band_colours(hasil)},
                  subtitle="Capaian terhadap target Perjanjian Kinerja dan target revisi; "
                           "rata-rata dari nilai sebelum pembulatan." + (
                               " Target utama: target revisi (kategori dan rata-rata "
                               "utama mengikutinya)." if p.utama_revisi else ""))
    kat_rows = [[b.nama, hasil.jumlah_kategori.get(b.nama, 0)] for b in p.kategori]
    jumlah = Table("Jumlah IKU per Kategori", [Column("Kategori", TEKS, 16),
                                              Column("Jumlah IKU", BULAT, 11)],
                   kat_rows, text_colours={0: _band_colours(hasil)},
                   note=_band_note(hasil))
    content = SheetContent(SHEET_RINGKASAN, judul, [utama, jumlah],
                           hidden_columns=tuple(range(H_C, H_L + 1)))
    placed = place(content)
    pl = placed[0]
    where: dict[str, str] = {}

    def live_cell(r: int, c: int, text: str) -> None:
        rows[r][c] = Formula(text, _blank(value_of(rows[r][c])))

    for (srow, r0, r1), sas in zip(groups, hasil.sasaran, strict=True):
        for r in range(r0, r1 + 1):
            iku = ikus[sas.iku[r - r0]]
            live_cell(r, R_TARGET, live.target(iku))
            live_cell(r, R_REVISI, live.target_revisi(iku))
            for q in range(1, 5):
                live_cell(r, R_TW1 + q - 1, live.realisasi_tw(iku, q))
            live_cell(r, R_SD, live.realisasi_sd(iku))
            live_cell(r, R_CAP, live.capaian(iku, "capaian"))
            live_cell(r, R_CAP_REV, live.capaian(iku, "capaian_revisi"))
            live_cell(r, R_KAT, live.kategori(iku))
            helper_cells(live, iku, r, H_C, pl, live_cell)
        if r1 >= r0:
            _means(live, rows, pl, srow, r0, r1, live_cell)
        where[f"sasaran:{sas.kode}"] = _a1(pl, srow, _r_utama(p))
        where[f"sasaran_kategori:{sas.kode}"] = _a1(pl, srow, R_KAT)
        if r1 >= r0:  # the helper ranges of its IKUs (means over several sasaran), those
            # of the headline's capaian (formulas.kolom_utama)
            nilai, bobot = (H_VR, H_WR) if p.utama_revisi else (H_V, H_W)
            for key, c in (("nilai", nilai), ("bobot", bobot), ("dilaporkan", H_L)):
                where[f"{key}:{sas.kode}"] = _col_area(pl, c, r0, r1)
    if total > 0:
        _means(live, rows, pl, total, 0, total - 1, live_cell)
    where["rata"] = _a1(pl, total, _r_utama(p))
    where["rata_kategori"] = _a1(pl, total, R_KAT)
    kpl = placed[1]
    for i, b in enumerate(p.kategori):
        kat_rows[i][1] = Formula(live.jumlah_kategori(b.nama), kat_rows[i][1])
        where[f"jumlah:{b.nama}"] = _a1(kpl, i, 1)
    return content, where


def capaian_columns(p) -> list[Column]:
    """The capaian against the PK target and against the revised target, the headline's
    marked (``pengaturan.target_utama``): Ringkasan Capaian and per penanggung jawab."""
    return [Column("Capaian (%)" if not p.utama_revisi else "Capaian Target PK (%)", PERSEN,
                   11),
            Column("Capaian Target Revisi (%)" + (" - utama" if p.utama_revisi else ""),
                   PERSEN, 13)]


def helper_columns() -> list[Column]:
    """The hidden columns :func:`helper_cells` fills, in its order."""
    return [Column(h, ANGKA, 8, hidden=True) for h in (
        "Bantu: capaian mentah", "Bantu: nilai rata-rata", "Bantu: bobot",
        "Bantu: capaian revisi mentah", "Bantu: nilai rata-rata revisi", "Bantu: bobot revisi",
        "Bantu: dilaporkan")]


def helper_cells(live: Live, iku: Iku, r: int, h0: int, pl: Placed, live_cell) -> None:
    """The hidden helper cells of an IKU row, columns h0..h0+6 (Ringkasan Capaian and
    Capaian per Penanggung Jawab): raw capaian, value and weight in the means against the
    PK target, the same against the revised target, and whether it is reported."""
    c, v, w, cr, vr, wr, lapor = range(h0, h0 + 7)
    live_cell(r, c, live.capaian_mentah(iku, "target"))
    live_cell(r, v, live.mean_value(_a1(pl, r, c)))
    live_cell(r, w, live.mean_weight(iku, _a1(pl, r, c), "target"))
    live_cell(r, cr, live.capaian_mentah(iku, "target_revisi"))
    live_cell(r, vr, live.mean_value(_a1(pl, r, cr)))
    live_cell(r, wr, live.mean_weight(iku, _a1(pl, r, cr), "target_revisi"))
    live_cell(r, lapor, live.dilaporkan(iku))


def _means(live: Live, rows: list[list[Any]], pl: Placed, at: int, r0: int, r1: int,
           live_cell) -> None:
    reported = _col_area(pl, H_L, r0, r1)
    for c, v, w in ((R_CAP, H_V, H_W), (R_CAP_REV, H_VR, H_WR)):
        live_cell(at, c, live.mean(_col_area(pl, v, r0, r1), _col_area(pl, w, r0, r1),
                                   reported))
    live_cell(at, R_KAT, live.mean_kategori(_a1(pl, at, _r_utama(live.p)), reported))


def _target_utama(h: HasilIku, p) -> Value:
    """The target the headline capaian is against (``formulas.kolom_utama``)."""
    if p.utama_revisi and h.target_revisi is not None:
        return h.target_revisi
    return h.target


def _r_utama(p) -> int:
    """The Ringkasan column of the headline capaian (``formulas.kolom_utama``)."""
    return R_CAP_REV if p.utama_revisi else R_CAP


def _band_colours(hasil: Hasil) -> dict[str, str]:
    return {b.nama: b.warna for b in hasil.spec.pengaturan.kategori}


def _band_note(hasil: Hasil) -> str:
    parts = []
    for b in hasil.spec.pengaturan.kategori:
        if b.minimal is None:
            parts.append(f"{b.nama}: di bawahnya")
        else:
            parts.append(f"{b.nama}: {'>' if b.lebih_dari else '>='} {format_number(b.minimal)}")
    return ("Kategori capaian: " + "; ".join(parts) + ". \"belum diisi\": belum ada realisasi "
            "yang dilaporkan.")


def _pengukuran(hasil: Hasil, live: Live) -> SheetContent:
    s, p = hasil.spec, hasil.spec.pengaturan
    n = s.periode_n
    by = hasil.iku_by_kode()
    ikus = {iku.kode: iku for iku in s.semua_iku()}
    cols = [Column("No", TEKS, 5), Column("Sasaran", TEKS, 34), Column("IKU", TEKS, 40),
            Column("Satuan", TEKS, 10)]
    for q in PERIODE:
        cols += [Column(f"Target {q}", ANGKA, 10), Column(f"Realisasi {q}", ANGKA, 10)]
    cols += [Column("Realisasi Tahunan (isian)", ANGKA, 11), Column("Target PK", ANGKA, 10),
             Column("Target Revisi", ANGKA, 10)]
    rows = []
    no = 0
    for sas in hasil.sasaran:
        for i, kode in enumerate(sas.iku):
            h, iku = by[kode], ikus[kode]
            no += 1
            row: list[Any] = [str(no), sas.nama if i == 0 else None, f"{h.kode} {h.nama}",
                              h.satuan]
            for q in range(4):
                t = h.target_tw[q] if h.target_tw else None
                r = h.realisasi_tw[q] if q < n else None
                row += [Formula(live.target_tw(iku, q + 1), _blank(_vl(iku, t, p))),
                        Formula(live.realisasi_tw(iku, q + 1), _blank(_vl(iku, r, p)))]
            row += [Formula(live.realisasi_tahunan(iku),
                            _blank(_vl(iku, h.realisasi_tahunan, p))),
                    Formula(live.target(iku), _blank(_vl(iku, h.target, p))),
                    Formula(live.target_revisi(iku), _blank(_vl(iku, h.target_revisi, p)))]
            rows.append(row)
    utama = "target revisi" if p.utama_revisi else "target PK"
    table = Table("Target dan realisasi per triwulan", cols, rows,
                  note="Sel kosong: belum dilaporkan atau tidak diukur pada triwulan itu. "
                       "Realisasi tahunan (bila diisi) menggantikan angka dari triwulan mulai "
                       f"TW IV. Target utama capaian unit ini: {utama}.")
    return SheetContent(SHEET_PENGUKURAN,
                        _judul(hasil, "Pengukuran Capaian Kinerja per Triwulan"), [table])


def _capaian_anggaran(hasil: Hasil, live: Live, where: dict[str, str]) -> SheetContent:
    s, p = hasil.spec, hasil.spec.pengaturan
    by = hasil.iku_by_kode()
    ikus = {iku.kode: iku for iku in s.semua_iku()}
    lay = live.layout
    cols = [Column("No", TEKS, 5), Column("Sasaran", TEKS, 34), Column("IKU", TEKS, 40),
            Column("Pagu (Rp)", RUPIAH, 16), Column("Realisasi (Rp)", RUPIAH, 16),
            Column("Serapan (%)", PERSEN, 10),
            Column("Target revisi" if p.utama_revisi else "Target", ANGKA, 11),
            Column("Realisasi", ANGKA, 11), Column("Capaian (%)", PERSEN, 10),
            Column("Kategori", TEKS, 12), Column("Rata-rata Capaian Sasaran (%)", PERSEN, 14)]
    rows: list[list[Any]] = []
    styles: list[str] = []
    first_rows: list[tuple[int, Any]] = []
    ring = f.ref(SHEET_RINGKASAN, "", 0)[:-1]  # "'Ringkasan Capaian'!"
    reported_of = {sas.kode: any(by[k].diukur and by[k].dilaporkan for k in sas.iku)
                   for sas in hasil.sasaran}
    for si, sas in enumerate(hasil.sasaran, 1):
        for i, kode in enumerate(sas.iku):
            h, iku = by[kode], ikus[kode]
            first = i == 0
            if first:
                first_rows.append((len(rows), sas))
            shared = " *" if sas.baris_bersama else ""  # a line serving other sasaran too
            rows.append([str(si) if first else None, sas.nama + shared if first else None,
                         f"{h.kode} {h.nama}",
                         sas.pagu if first else None,
                         sas.realisasi_anggaran if first else None,
                         bulatkan(sas.serapan, p) if first else None,
                         Formula(live.target_utama(iku),
                                 _blank(_vl(iku, _target_utama(h, p), p))),
                         Formula(live.realisasi_sd(iku),
                                 _blank(_vl(iku, h.realisasi, p)) if h.diukur else
                                 "tidak diukur"),
                         Formula(live.capaian(iku), _blank(h.capaian)),
                         Formula(live.kategori(iku), _blank(_iku_kategori(h))),
                         Formula("=" + ring + where[f"sasaran:{sas.kode}"],
                                 _blank(_mean_shown(sas.capaian, reported_of[sas.kode])))
                         if first else None])
            styles.append(NORMAL)
    t = hasil.anggaran.total
    reported_all = any(h.diukur and h.dilaporkan for h in hasil.iku)
    rows.append([None, "Jumlah / rata-rata", None, t.pagu, t.realisasi,
                 bulatkan(t.serapan, p), None, None,
                 Formula("=" + ring + where["rata"],
                         _blank(_mean_shown(hasil.capaian_rata_rata, reported_all))),
                 Formula("=" + ring + where["rata_kategori"],
                         _blank(_mean_kategori(hasil.capaian_rata_rata, reported_all, p))),
                 None])
    styles.append(TOTAL)
    table = Table("Anggaran dan capaian per sasaran", cols, rows, row_styles=styles,
                  text_colours={9: _band_colours(hasil)},
                  note="Bandingkan serapan anggaran dengan rata-rata capaian sasaran untuk "
                       "melihat efisiensi." + (
                           " *Sasaran ini berbagi baris anggaran dengan sasaran lain: baris itu "
                           "dihitung penuh di setiap sasarannya, dan sekali di jumlah."
                           if any(sas.baris_bersama for sas in hasil.sasaran) else ""))
    content = SheetContent(SHEET_CAPAIAN_ANGGARAN, _judul(hasil, "Capaian Anggaran dan Kinerja"),
                           [table])
    pl = place(content)[0]
    for r, sas in first_rows:
        members = [lay.line_rows[line.key] for line in s.anggaran if line.melayani(sas.kode)]
        row = rows[r]
        row[3] = Formula(live.sasaran_pagu(members), row[3])
        row[4] = Formula(live.sasaran_realisasi(members), row[4])
        row[5] = Formula(live.serapan_of(_a1(pl, r, 4), _a1(pl, r, 3)), _blank(row[5]))
    if lay.total_row is not None:
        total_cells = live.anggaran_row(lay.total_row)
        row = rows[-1]
        row[3] = Formula(total_cells["pagu"], row[3])
        row[4] = Formula(total_cells["realisasi_sd"], row[4])
        row[5] = Formula(total_cells["serapan"], _blank(row[5]))
    if hasil.kegiatan:
        content.blocks.append(_per_kegiatan(hasil, live, where))
        _per_kegiatan_live(content, hasil, live, where, ring)
    return content


# Anggaran dan capaian per kegiatan: columns (0-based) of its numbers
K_PAGU, K_REAL, K_SERAPAN, K_CAP, K_KAT = 3, 4, 5, 6, 7


def _per_kegiatan(hasil: Hasil, live: Live, where: dict[str, str]) -> Table:
    """The reports' 'capaian anggaran dan kinerja' per kegiatan: its pagu, realisasi and
    serapan beside the mean capaian of the IKUs of every sasaran it serves
    (engine.hitung_kegiatan)."""
    p = hasil.spec.pengaturan
    by = hasil.iku_by_kode()
    names = {s.kode: s.nama for s in hasil.sasaran}
    cols = [Column("No", TEKS, 5), Column("Kegiatan", TEKS, 34),
            Column("Sasaran yang dilayani", TEKS, 40), Column("Pagu (Rp)", RUPIAH, 16),
            Column("Realisasi (Rp)", RUPIAH, 16), Column("Serapan (%)", PERSEN, 10),
            Column("Rata-rata Capaian IKU (%)", PERSEN, 11), Column("Kategori", TEKS, 11)]
    rows: list[list[Any]] = []
    for i, k in enumerate(hasil.kegiatan, 1):
        reported = any(by[c].diukur and by[c].dilaporkan for c in k.iku)
        rows.append([str(i), f"{k.kode} {k.nama}",
                     "; ".join(f"{c} {names[c]}" for c in k.sasaran), k.pagu,
                     k.realisasi_anggaran, bulatkan(k.serapan, p),
                     _mean_shown(k.capaian, reported),
                     _mean_kategori(k.capaian, reported, p)])
    return Table("Anggaran dan capaian per kegiatan", cols, rows,
                 row_styles=[NORMAL] * len(rows), text_colours={K_KAT: _band_colours(hasil)},
                 note="Rata-rata capaian IKU dari semua sasaran yang dilayani baris-baris "
                      "anggaran kegiatan itu (aturan rata-rata yang sama dengan rata-rata "
                      "sasaran).")


def _per_kegiatan_live(content: SheetContent, hasil: Hasil, live: Live,
                       where: dict[str, str], ring: str) -> None:
    pl = place(content)[len(content.blocks) - 1]
    rows = content.blocks[-1].rows
    for r, k in enumerate(hasil.kegiatan):
        row = rows[r]
        subtotal = live.layout.subtotal_rows.get(f"kegiatan:{k.kode}")
        if subtotal is not None:
            cells = live.anggaran_row(subtotal)
            row[K_PAGU] = Formula(cells["pagu"], row[K_PAGU])
            row[K_REAL] = Formula(cells["realisasi_sd"], row[K_REAL])
            row[K_SERAPAN] = Formula(cells["serapan"], _blank(row[K_SERAPAN]))
        parts = [(ring + where[f"nilai:{s}"], ring + where[f"bobot:{s}"],
                  ring + where[f"dilaporkan:{s}"]) for s in k.sasaran if f"nilai:{s}" in where]
        if not parts:
            continue
        mean = live.mean_over(parts)
        if {p for p in where if p.startswith("nilai:")} == {f"nilai:{s}" for s in k.sasaran}:
            mean = "=" + ring + where["rata"]  # every sasaran: the overall mean itself
        kategori = live.mean_kategori(_a1(pl, r, K_CAP), ",".join(x[2] for x in parts))
        if max(len(mean), len(kategori)) > MAX_FORMULA:
            continue  # Excel's limit: the engine's values stay (refreshed by the button)
        row[K_CAP] = Formula(mean, _blank(row[K_CAP]))
        row[K_KAT] = Formula(kategori, _blank(row[K_KAT]))


_POS_FIELDS = ("pagu_awal", "pagu", "realisasi_tw1", "realisasi_tw2", "realisasi_tw3",
               "realisasi_tw4", "realisasi_sd", "serapan", "sisa")


def _pos_row(label_kode: str | None, nama: str, pos: Pos, n: int, p, live: Live,
             row: int | None, line: bool = False) -> list[Any]:
    # a line's blank quarter is shown blank (not reported); a group's is its sum
    values = [pos.pagu_awal, pos.pagu,
              *[pos.realisasi_tw[q] if q < n and (pos.dilaporkan_tw[q] or not line) else None
                for q in range(4)],
              pos.realisasi, bulatkan(pos.serapan, p), pos.sisa]
    if row is not None:
        cells = live.anggaran_row(row)
        values = [Formula(cells[fname], _blank(v))
                  for fname, v in zip(_POS_FIELDS, values, strict=True)]
    return [label_kode, nama, *values]


def _realisasi_anggaran(hasil: Hasil, live: Live) -> SheetContent:
    s, p = hasil.spec, hasil.spec.pengaturan
    n = s.periode_n
    a = hasil.anggaran
    lay = live.layout
    cols = [Column("Kode", TEKS, 10), Column("Kegiatan / Komponen", TEKS, 46),
            Column("Pagu Awal (Rp)", RUPIAH, 16), Column("Pagu (Rp)", RUPIAH, 16)]
    cols += [Column(f"Realisasi {q} (Rp)", RUPIAH, 15) for q in PERIODE]
    cols += [Column(_sd_header(hasil, " (Rp)"), RUPIAH, 16),
             Column("Serapan (%)", PERSEN, 10), Column("Sisa (Rp)", RUPIAH, 16)]
    rows: list[list[Any]] = []
    styles: list[str] = []
    baris = {pos.kode: pos for pos in a.baris}
    for keg in a.per_kegiatan:
        rows.append(_pos_row(keg.kode, keg.nama, keg, n, p, live,
                             lay.subtotal_rows.get(f"kegiatan:{keg.kode}")))
        styles.append(GRUP)
        for line in s.anggaran:
            if line.kegiatan_kode == keg.kode and not line.tanpa_komponen:  # else: shown once
                rows.append(_pos_row(line.kode, line.nama, baris[line.key], n, p, live,
                                     lay.line_rows.get(line.key), line=True))
                styles.append(NORMAL)
    rows.append(_pos_row(None, "Jumlah", a.total, n, p, live, lay.total_row))
    styles.append(TOTAL)
    notes = ["Kosong: realisasi triwulan belum dilaporkan (dalam jumlah dihitung 0), atau "
             "pagu awal tidak diketahui (jumlahnya pun tidak diketahui)."]
    if a.total.pagu != a.pagu_jumlah_baris:
        notes.append("Pagu jumlah memakai total pagu yang dinyatakan (DIPA); jumlah baris "
                     f"adalah Rp {a.pagu_jumlah_baris:,.0f}.".replace(",", "."))
    per_kegiatan = Table("Per kegiatan dan komponen", cols, rows,
                         row_styles=styles, note=" ".join(notes))
    jrows = [_pos_row(pos.kode, pos.nama, pos, n, p, live,
                      lay.subtotal_rows.get(f"jenis:{pos.kode}"))
             for pos in a.per_jenis_belanja]
    jrows.append(_pos_row(None, "Jumlah", a.total, n, p, live, lay.total_row))
    per_jenis = Table("Realisasi Anggaran per Jenis Belanja", cols, jrows,
                      row_styles=[NORMAL] * (len(jrows) - 1) + [TOTAL])
    return SheetContent(SHEET_REALISASI_ANGGARAN,
                        _judul(hasil, "Realisasi Anggaran per Kegiatan"),
                        [per_kegiatan, per_jenis])


def _serapan_tw_rows(hasil: Hasil, live: Live) -> list[list[Any]]:
    p = hasil.spec.pengaturan
    a = hasil.anggaran
    n = hasil.spec.periode_n
    rows, running = [], 0.0
    for q in range(4):
        if q < n:
            running += a.total.realisasi_tw[q]
            # TW IV: the year's realisasi (annual figures included), as its serapan
            values = [a.total.realisasi_tw[q], a.total.realisasi if q == 3 else running,
                      bulatkan(a.serapan_tw[q], p)]
        else:
            values = [None, None, None]
        if live.layout.total_row is not None:
            cells = live.serapan_tw(q + 1)
            values = [Formula(cells[k], _blank(v))
                      for k, v in zip(("realisasi", "kumulatif", "serapan"), values,
                                      strict=True)]
        elif q >= n:
            continue
        rows.append([PERIODE[q], *values])
    return rows


def _grafik(hasil: Hasil, live: Live, where: dict[str, str]) -> SheetContent:
    p = hasil.spec.pengaturan
    ikus = {iku.kode: iku for iku in hasil.spec.semua_iku()}
    ring = f.ref(SHEET_RINGKASAN, "", 0)[:-1]
    iku_rows = []
    for h in hasil.iku:
        cap = live.capaian(ikus[h.kode])
        iku_rows.append([h.kode,
                         Formula(f'=IF(ISNUMBER({cap[1:]}),100,"")',
                                 100.0 if h.capaian is not None else ""),
                         Formula(cap, _blank(h.capaian))])
    iku_table = Table("Data grafik: target dan realisasi per IKU (persen dari target)",
                      [Column("IKU", TEKS, 12), Column("Target (%)", PERSEN, 11),
                       Column("Realisasi (% dari target)", PERSEN, 14)], iku_rows)
    serapan = Table("Data grafik: serapan anggaran per triwulan",
                    [Column("Triwulan", TEKS, 10), Column("Realisasi (Rp)", RUPIAH, 16),
                     Column("Realisasi kumulatif (Rp)", RUPIAH, 18),
                     Column("Serapan kumulatif (%)", PERSEN, 12),
                     Column("Bantu: grafik", PERSEN, 8, hidden=True)],
                    _serapan_tw_rows(hasil, live),
                    note="Serapan TW I-III kosong pada TW IV/Tahunan bila ada baris anggaran "
                         "yang hanya berisi realisasi tahunan (triwulannya tidak diketahui)."
                    if any(line.realisasi_tahunan is not None for line in hasil.spec.anggaran)
                    else None)
    kat = Table("Data grafik: jumlah IKU per kategori",
                [Column("Kategori", TEKS, 14), Column("Jumlah IKU", BULAT, 10)],
                [[b.nama, Formula("=" + ring + where[f"jumlah:{b.nama}"],
                                  hasil.jumlah_kategori.get(b.nama, 0))]
                 for b in p.kategori],
                text_colours={0: _band_colours(hasil)})
    blocks: list[Table | Chart] = [iku_table, serapan, kat]
    blocks.append(Chart("column", "Target dan Realisasi per IKU (% dari target)", 0, 0,
                        [Series("Target", 0, 1, "#A5A5A5"), Series("Realisasi", 0, 2, "#4472C4")],
                        y_title="%"))
    blocks.append(Chart("line", "Serapan Anggaran Kumulatif per Triwulan (%)", 1, 0,
                        [Series("Serapan kumulatif", 1, 4, "#ED7D31")], y_title="%"))
    blocks.append(Chart("pie", "Jumlah IKU per Kategori", 2, 0, [Series("Jumlah IKU", 2, 1)]))
    content = SheetContent(SHEET_GRAFIK, _judul(hasil, "Grafik Capaian"), blocks,
                           hidden_columns=(4,))
    pl = place(content)[1]
    for r, row in enumerate(serapan.rows):  # the line stops at the periode: #N/A is no point
        shown = _a1(pl, r, 3)
        value = value_of(row[3])
        row.append(Formula(f"=IF(ISNUMBER({shown}),{shown},NA())",
                           value if isinstance(value, float) else "#N/A"))
    return content


def _tahunan(hasil: Hasil, live: Live) -> SheetContent | None:
    p = hasil.spec.pengaturan
    with_history = [(iku, hasil.iku_by_kode()[iku.kode]) for iku in hasil.spec.semua_iku()
                    if iku.riwayat]
    if not with_history:
        return None
    blocks: list[Table | Chart] = []
    for iku, h in with_history:
        rows: list[list[Any]] = []
        printed = {r.tahun: r.capaian for r in iku.riwayat}
        tercetak = any(c is not None for c in printed.values())
        for tahun, target, realisasi, cap in capaian_riwayat(hasil.spec, iku):
            rows.append([str(tahun), _v(target, p), _v(realisasi, p), cap]
                        + ([_v(printed[tahun], p)] if tercetak else []))
        rows.append([str(hasil.spec.tahun),
                     Formula(live.target_utama(iku, label=False),
                             _blank(_v(_target_utama(h, p), p))),
                     Formula(live.realisasi_value(iku), _blank(_v(h.realisasi, p))),
                     Formula(live.capaian(iku), _blank(h.capaian))] + ([None] if tercetak else []))
        cols = [Column("Tahun", TEKS, 8), Column("Target", ANGKA, 12),
                Column("Realisasi", ANGKA, 12), Column("Capaian (%)", PERSEN, 11)]
        if tercetak:
            cols.append(Column("Capaian di Laporan (%)", PERSEN, 12))
        index = len(blocks)
        blocks.append(Table(f"{h.kode} {h.nama}", cols, rows, subtitle=f"Satuan: {h.satuan}",
                            note="Capaian di laporan berbeda lebih dari 0,01: lihat Catatan "
                                 "Validasi." if tercetak else None))
        blocks.append(Chart("column", f"Target dan Realisasi {h.kode} per Tahun", index, 0,
                            [Series("Target", index, 1, "#A5A5A5"),
                             Series("Realisasi", index, 2, "#4472C4")]))
    return SheetContent(SHEET_TAHUNAN, _judul(hasil, "Perbandingan Capaian Antartahun"), blocks)


#: Catatan Validasi: hidden columns (0-based) holding what was checked, on the table's
#: subtitle row (``STORED_ROW``): the routine rewrites them with the rows of findings
STORED_COLUMNS = (6, 7, 8)
STORED_ROW = 3
#: Catatan Validasi: hidden column (0-based, on ``STORED_ROW``) with the number of data
#: rows formatted (``Table.capacity``)
CAPACITY_COLUMN = 9
#: Catatan Validasi: data rows formatted by the generator; Hitung Capaian writes its
#: findings there as values (more findings: the sheet is drawn again)
CATATAN_RUANG = 300


def _catatan(hasil: Hasil, extra: Iterable[Finding], live: Live,
             checked: tuple[int, float, int] | None, capacity: int) -> SheetContent:
    findings = list(extra) + list(hasil.temuan)
    cols = [Column("No", TEKS, 5), Column("Tingkat", TEKS, 11), Column("Letak", TEKS, 22),
            Column("Masalah", TEKS, 70), Column("Yang harus dilakukan", TEKS, 60)]
    rows: list[list[Any]] = []
    for i, fd in enumerate(findings, 1):
        rows.append([str(i), "Error" if fd.tingkat == ERROR else "Peringatan", fd.lokasi,
                     fd.pesan, fd.saran])
    if not rows:
        rows.append(["-", "-", "-", "Tidak ada temuan: semua isian terbaca dan wajar.", "-"])
    errors = sum(fd.tingkat == ERROR for fd in findings)
    table = Table("Temuan", cols, rows,
                  text_colours={1: {"Error": WARNA_ERROR, "Peringatan": WARNA_PERINGATAN}},
                  capacity=max(capacity, len(rows)),
                  subtitle=f"{errors} error, {len(findings) - errors} peringatan. Sel masukan "
                           "yang bermasalah ditandai merah; tanda hilang setelah diperbaiki dan "
                           "Hitung Capaian dijalankan lagi.")
    n, total, count = checked or fingerprint_values(hasil.spec)
    c_n, c_sum, c_count = STORED_COLUMNS
    stored = [local(c + 1, STORED_ROW + 1) for c in STORED_COLUMNS]
    label = hasil.spec.periode_label
    status = live.status(label, *stored)
    cells = {(STORED_ROW, c_n): n, (STORED_ROW, c_sum): total, (STORED_ROW, c_count): count,
             (1, 0): Formula(status, "Catatan ini sesuai dengan isian sekarang (diperiksa "
                                     f"untuk {label}).")}
    cells[(STORED_ROW, CAPACITY_COLUMN)] = table.capacity
    return SheetContent(SHEET_CATATAN, _judul(hasil, "Catatan Validasi", live=False), [table],
                        cells=cells, hidden_columns=(*STORED_COLUMNS, CAPACITY_COLUMN))


def catatan_sheet(hasil: Hasil, extra: Iterable[Finding], layout: Layout | None,
                  checked: tuple[int, float, int] | None, others: list[SheetContent],
                  capacity: int = CATATAN_RUANG) -> SheetContent:
    """Catatan Validasi: the findings, the status line, what was checked and the check
    sums of the other summary sheets (``checksum``); ``capacity``: data rows formatted."""
    live = Live(hasil.spec, layout or layout_for(hasil.spec))
    catatan = _catatan(hasil, extra, live, checked, capacity)
    catatan.cells.update(checksum.cells(others))
    catatan.hidden_columns += tuple(range(checksum.CHECK_COLUMN,
                                          checksum.CHECK_COLUMN + checksum.CHECK_FIELDS))
    return catatan


def sel_temuan_area(contents: Iterable[SheetContent]) -> tuple[str, int, int, int] | None:
    """Where the name SelTemuan points (the input blocks' red marks look cells up there):
    the Catatan Validasi 'Letak' column as (sheet, first row, last row, column), 1-based."""
    for content in contents:
        if content.name == SHEET_CATATAN:
            pl = place(content)[0]
            table = content.blocks[0]
            assert isinstance(table, Table)
            last = pl.first_data_row + max(table.capacity, len(table.rows))
            return (content.name, pl.first_data_row + 1, last, LETAK_COLUMN + 1)
    return None


def build_summary(hasil: Hasil, extra: Iterable[Finding] = (),
                  layout: Layout | None = None,
                  checked: tuple[int, float, int] | None = None) -> list[SheetContent]:
    """All summary sheets in display order. ``extra``: findings of the routine itself
    (for example formulas that were typed over and restored), listed first. Every number
    is a :class:`~workbook_gen.tables.Formula` over the cells of ``layout`` (default: the
    spec's own layout) with the engine's value as its cached value. ``checked``: the
    (periode n, sum, count) of the input cells as read (``live.fingerprint_of_blocks``);
    default: of the spec's values, as the generator writes them."""
    live = Live(hasil.spec, layout or layout_for(hasil.spec))
    ringkasan, where = _ringkasan(hasil, live)
    sheets = [ringkasan, _pengukuran(hasil, live), _capaian_anggaran(hasil, live, where),
              _realisasi_anggaran(hasil, live)]
    seksi = seksi_sheet(hasil, live, _judul(hasil, "Capaian per Penanggung Jawab"))
    if seksi is not None:
        sheets.append(seksi)
    tahunan = _tahunan(hasil, live)
    if tahunan is not None:
        sheets.append(tahunan)
    sheets.append(_grafik(hasil, live, where))
    return [*sheets, catatan_sheet(hasil, extra, live.layout, checked, sheets)]
