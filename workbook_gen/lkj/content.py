"""The LKj tables as neutral content: titles, header rows, cells as text, shading.

``build_lkj(hasil)`` picks values from the engine's results and formats them the
Indonesian way; it computes nothing (every number, mean, category and absorption comes
from :mod:`workbook_gen.engine`). The .docx writer (:mod:`workbook_gen.lkj.writer`) and
the chart renderer only draw what is here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..engine import Hasil, HasilIku, Pos, bulatkan, capaian_riwayat, kategori_untuk
from ..findings import ERROR
from ..parsing import format_number
from ..spec import PERIODE, Pengaturan, Value
from .numbers import angka, pct, rupiah, rupiah_rp

# Row kinds (the writer styles them)
NORMAL = "normal"
GRUP = "grup"  # a sasaran / kegiatan row: bold, light fill
TOTAL = "total"  # a mean / sum row: bold

KIRI, KANAN, TENGAH = "kiri", "kanan", "tengah"

WARNA_KEPALA = "#D9E2F3"  # header rows
WARNA_GRUP = "#F2F2F2"
WARNA_ERROR = "#F4B6B6"
WARNA_PERINGATAN = "#FFE699"

TRIWULAN = ("Triwulan I", "Triwulan II", "Triwulan III", "Triwulan IV")


@dataclass
class Cell:
    text: str
    align: str = KIRI
    fill: str | None = None  # hex colour, e.g. "#70AD47"
    span: int = 1  # columns this cell covers (the covered cells are not listed)


@dataclass
class LkjTable:
    """A numbered table: "Tabel n. <title>"."""

    title: str
    header: list[list[Cell]]  # one or two header rows (spans allowed)
    widths: list[float]  # relative column widths; the writer fits them to the page
    rows: list[list[Cell]]
    kinds: list[str] = field(default_factory=list)
    landscape: bool = False
    note: str | None = None
    key: str = ""  # a stable name for tests and docs (e.g. "ringkasan")
    numbered: bool = True
    size: float | None = None  # font size in points; None: by the number of columns

    def kind(self, i: int) -> str:
        return self.kinds[i] if i < len(self.kinds) else NORMAL


@dataclass
class LkjChart:
    """A numbered chart: "Grafik n. <title>", grouped columns per category."""

    title: str
    categories: list[str]
    series: list[tuple[str, list[float | None], str]]  # (name, values, colour)
    value_labels: list[list[str]]  # per series, the text shown above each column
    y_title: str = ""
    key: str = ""


@dataclass
class Heading:
    text: str
    new_page: bool = False
    note: str | None = None


@dataclass
class Paragraf:
    """A paragraph of running text (the closing chapter's narrative)."""

    text: str
    bold: bool = False


Block = LkjTable | LkjChart | Heading | Paragraf


def _realisasi(h: HasilIku, p: Pengaturan) -> str:
    if not h.diukur:
        return "-"
    if h.label_realisasi and not isinstance(h.realisasi, str) and h.realisasi is not None:
        return f"{angka(h.realisasi, p, h.satuan)} ({h.label_realisasi})"
    return angka(h.realisasi, p, h.satuan)


def _target(hasil: Hasil, h: HasilIku, v: Value, p: Pengaturan) -> str:
    """A target as the report prints it; a number on the IKU's banded scale with its label
    ("88 (Baik)"), as the summary sheets show it."""
    text = angka(v, p, h.satuan)
    skala = next(i.skala for i in hasil.spec.semua_iku() if i.kode == h.kode)
    if isinstance(v, float) and skala is not None and skala.punya_rentang:
        return f"{text} ({skala.label_untuk(v)})"
    return text


def _num(text: str, fill: str | None = None) -> Cell:
    return Cell(text, KANAN, fill)


def _head(*names: str) -> list[Cell]:
    return [Cell(n, TENGAH) for n in names]


def periode_judul(hasil: Hasil) -> str:
    """'Tahun 2024', or 's.d. Triwulan I Tahun 2026' for a quarterly report."""
    s = hasil.spec
    if s.periode == "tahunan":
        return f"Tahun {s.tahun}"
    return f"s.d. {TRIWULAN[s.periode_n - 1]} Tahun {s.tahun}"


def _judul(hasil: Hasil, what: str) -> str:
    return f"{what} {hasil.spec.unit.nama} {periode_judul(hasil)}"


def iku_dengan_error(hasil: Hasil) -> set[str]:
    """IKUs with an open error on one of their own cells (the report must not hide it)."""
    errors = {f.lokasi for f in hasil.temuan.errors}
    out = set()
    for key, where in hasil.spec.lokasi.items():
        if len(key) >= 2 and key[0] == "iku" and where in errors:
            out.add(str(key[1]))
    return out


def _kategori_cell(nama: str | None, warna: str | None) -> Cell:
    return Cell(nama or "-", TENGAH, warna if nama else None)


# --------------------------------------------------------------------------- tables


def _perjanjian(hasil: Hasil) -> LkjTable:
    s, p = hasil.spec, hasil.spec.pengaturan
    by = hasil.iku_by_kode()
    rows: list[list[Cell]] = []
    kinds: list[str] = []
    for si, sas in enumerate(hasil.sasaran, 1):
        for i, kode in enumerate(sas.iku):
            h = by[kode]
            rows.append([Cell(str(si) if i == 0 else "", TENGAH),
                         Cell(sas.nama if i == 0 else ""), Cell(h.nama), Cell(h.satuan),
                         _num(_target(hasil, h, h.target, p))])
            kinds.append(NORMAL)
    a = hasil.anggaran
    if s.anggaran:
        rows.append([Cell("", TENGAH), Cell("Kegiatan", span=3), _num("Anggaran (Rp)")])
        kinds.append(GRUP)
        for ki, keg in enumerate(a.per_kegiatan, 1):
            rows.append([Cell(str(ki), TENGAH), Cell(keg.nama, span=3),
                         _num(rupiah_rp(keg.pagu_awal))])
            kinds.append(NORMAL)
        rows.append([Cell(""), Cell("Jumlah pagu anggaran", span=3),
                     _num(rupiah_rp(a.total.pagu_awal))])
        kinds.append(TOTAL)
    return LkjTable(f"Perjanjian Kinerja {s.unit.nama} Tahun {s.tahun}",
                    [_head("No", "Sasaran Strategis", "Indikator Kinerja", "Satuan", "Target")],
                    [0.9, 5, 5.6, 1.8, 3.6], rows, kinds, key="perjanjian",
                    note="Anggaran: pagu awal per kegiatan sesuai DIPA awal.")


def _pengukuran(hasil: Hasil) -> LkjTable:
    s, p = hasil.spec, hasil.spec.pengaturan
    n = s.periode_n
    by = hasil.iku_by_kode()
    top = _head("No", "Sasaran Strategis", "Indikator Kinerja", "Satuan")
    top += [Cell(t, TENGAH, span=2) for t in TRIWULAN]
    sub = _head("", "", "", "") + _head(*(["Target", "Realisasi"] * 4))
    rows: list[list[Cell]] = []
    penurunan = False
    no = 0
    for sas in hasil.sasaran:
        for i, kode in enumerate(sas.iku):
            h = by[kode]
            no += 1
            row = [Cell(str(no), TENGAH), Cell(sas.nama if i == 0 else ""), Cell(h.nama),
                   Cell(h.satuan)]
            dasar = h.realisasi_dasar is not None
            penurunan = penurunan or dasar
            for q in range(4):
                t = h.target_tw[q] if h.target_tw else None
                r = angka(h.realisasi_tw[q] if q < n else None, p, "" if dasar else h.satuan)
                if dasar and r != "-":
                    r += "*"
                row += [_num(_target(hasil, h, t, p)), _num(r)]
            rows.append(row)
    note = "-: belum dilaporkan, di luar periode laporan, atau tidak diukur pada triwulan itu."
    if penurunan:
        note += (" *IKU penurunan: realisasi triwulan adalah jumlah dasarnya (misalnya kasus); "
                 "persentase penurunannya ada di tabel ringkasan.")
    return LkjTable(_judul(hasil, "Pengukuran Kinerja per Triwulan"), [top, sub],
                    [0.8, 3.6, 4.2, 1.5] + [1.45] * 8, rows, landscape=True,
                    key="pengukuran", note=note)


def _ringkasan(hasil: Hasil) -> LkjTable:
    p = hasil.spec.pengaturan
    by = hasil.iku_by_kode()
    salah = iku_dengan_error(hasil)
    rows: list[list[Cell]] = []
    kinds: list[str] = []
    for si, sas in enumerate(hasil.sasaran, 1):
        rows.append([Cell(str(si), TENGAH), Cell(sas.nama, span=4), _num(pct(sas.capaian, p)),
                     _kategori_cell(sas.kategori, sas.warna)])
        kinds.append(GRUP)
        for ii, kode in enumerate(sas.iku, 1):
            h = by[kode]
            target = h.target_revisi if p.utama_revisi and h.target_revisi is not None \
                else h.target  # the headline's target
            rows.append([Cell(f"{si}.{ii}", TENGAH), Cell(h.nama), Cell(h.satuan),
                         _num(_target(hasil, h, target, p)),
                         _num(_realisasi(h, p), WARNA_ERROR if kode in salah else None),
                         _num(pct(h.capaian, p)), _kategori_cell(h.kategori, h.warna)])
            kinds.append(NORMAL)
    rows.append([Cell(""), Cell("Rata-rata capaian IKU", span=4),
                 _num(pct(hasil.capaian_rata_rata, p)),
                 _kategori_cell(*kategori_untuk(hasil.capaian_rata_rata, p))])
    kinds.append(TOTAL)
    s = hasil.spec
    what = "Capaian Kinerja" if s.periode == "tahunan" else "Ringkasan Capaian Kinerja"
    errors = len(hasil.temuan.errors)
    note = ("Capaian terhadap target " + ("revisi (target utama unit ini; IKU tanpa target "
                                          "revisi memakai target PK)" if p.utama_revisi else
                                          "Perjanjian Kinerja") +
            "; rata-rata sasaran dan rata-rata IKU "
            "dihitung dari nilai sebelum pembulatan. -: belum dilaporkan atau tidak diukur.")
    if errors:
        note += (f" Masih ada {errors} error pada data; realisasi berlatar merah muda berasal "
                 "dari isian yang bermasalah (lihat lampiran temuan).")
    return LkjTable(_judul(hasil, what),
                    [_head("No", "Sasaran / Indikator Kinerja", "Satuan", "Target", "Realisasi",
                           "Capaian (%)", "Kategori")],
                    [1, 5.8, 1.8, 2, 2.2, 2.7, 2.8], rows, kinds, key="ringkasan", note=note)


def _jumlah_kategori(hasil: Hasil) -> LkjTable:
    p = hasil.spec.pengaturan
    rows = [[_kategori_cell(b.nama, b.warna), Cell(_band(b), TENGAH),
             _num(format_number(hasil.jumlah_kategori.get(b.nama, 0)))]
            for b in p.kategori]
    rows.append([Cell("Jumlah IKU yang diukur"), Cell(""),
                 _num(format_number(sum(hasil.jumlah_kategori.values())))])
    return LkjTable(_judul(hasil, "Jumlah IKU per Kategori Capaian"),
                    [_head("Kategori", "Rentang capaian", "Jumlah IKU")], [4, 4, 3], rows,
                    [NORMAL] * len(p.kategori) + [TOTAL], key="kategori")


def _band(b) -> str:
    if b.minimal is None:
        return "di bawah kategori lain"
    return f"{'>' if b.lebih_dari else '>='} {format_number(b.minimal)} %"


def _per_iku(hasil: Hasil) -> LkjTable:
    s, p = hasil.spec, hasil.spec.pengaturan
    quarterly = s.periode != "tahunan" and any(h.target_tw for h in hasil.iku)
    names = ["No", "Indikator Kinerja", "Satuan", "Realisasi", "Target PK", "Capaian PK (%)",
             "Target Revisi", "Capaian Target Revisi (%)", "Kategori (revisi)"]
    widths = [1, 5.6, 1.8, 2, 1.9, 2.2, 1.9, 2.3, 2.5]
    if quarterly:
        names += [f"Target s.d. {s.periode_label}", f"Capaian s.d. {s.periode_label} (%)"]
        widths += [1.9, 2.1]
    rows: list[list[Cell]] = []
    kinds: list[str] = []
    by = hasil.iku_by_kode()
    no = 0
    for sas in hasil.sasaran:
        for kode in sas.iku:
            h = by[kode]
            no += 1
            row = [Cell(str(no), TENGAH), Cell(h.nama), Cell(h.satuan), _num(_realisasi(h, p)),
                   _num(_target(hasil, h, h.target, p)), _num(pct(h.capaian_pk, p)),
                   _num(_target(hasil, h, h.target_revisi, p)), _num(pct(h.capaian_revisi, p)),
                   _kategori_cell(h.kategori_revisi, h.warna_revisi)]
            if quarterly:
                row += [_num(_target(hasil, h, h.target_sd, p)), _num(pct(h.capaian_tw, p))]
            rows.append(row)
            kinds.append(NORMAL)
    for sas in hasil.sasaran:
        row = [Cell(""), Cell(f"Rata-rata sasaran: {sas.nama}", span=4),
               _num(pct(sas.capaian_pk, p)), Cell(""), _num(pct(sas.capaian_revisi, p)),
               _kategori_cell(*kategori_untuk(sas.capaian_revisi, p))]
        if quarterly:
            row += [Cell(""), Cell("")]
        rows.append(row)
        kinds.append(GRUP)
    rata_rev = hasil.capaian_rata_rata_revisi
    row = [Cell(""), Cell("Rata-rata capaian IKU", span=4),
           _num(pct(hasil.capaian_rata_rata_pk, p)),
           Cell(""), _num(pct(rata_rev, p)), _kategori_cell(*kategori_untuk(rata_rev, p))]
    if quarterly:
        row += [Cell(""), Cell("")]
    rows.append(row)
    kinds.append(TOTAL)
    return LkjTable(_judul(hasil, "Capaian IKU terhadap Target PK dan Target Revisi"),
                    [_head(*names)], widths, rows, kinds, landscape=True, key="per_iku",
                    note="Target revisi -: tidak ada revisi; capaian terhadap target PK "
                         "berlaku.")


def _anggaran_kinerja(hasil: Hasil, revisi: bool = False) -> LkjTable:
    """Budget beside performance per sasaran; ``revisi``: against the revised targets
    (an IKU without one keeps its PK target, as the engine's capaian_revisi does)."""
    p = hasil.spec.pengaturan
    by = hasil.iku_by_kode()
    top = [Cell("No", TENGAH), Cell("Sasaran Strategis", TENGAH),
           Cell("Indikator Kinerja", TENGAH), Cell("Anggaran", TENGAH, span=3),
           Cell("Kinerja", TENGAH, span=4)]
    sub = _head("", "", "", "Pagu (Rp)", "Realisasi (Rp)", "Serapan (%)", "Target",
                "Realisasi", "Capaian (%)", "Rata-rata Capaian Sasaran (%)")
    rows: list[list[Cell]] = []
    kinds: list[str] = []
    for si, sas in enumerate(hasil.sasaran, 1):
        for i, kode in enumerate(sas.iku):
            h = by[kode]
            first = i == 0
            target = h.target_revisi if revisi and h.target_revisi is not None else h.target
            cap, cap_sas = (h.capaian_revisi, sas.capaian_revisi) if revisi else \
                (h.capaian_pk, sas.capaian_pk)
            rows.append([
                Cell(str(si) if first else "", TENGAH), Cell(sas.nama if first else ""),
                Cell(h.nama),
                _num(rupiah(sas.pagu) if first else ""),
                _num(rupiah(sas.realisasi_anggaran) if first else ""),
                _num(pct(bulatkan(sas.serapan, p), p) if first else ""),
                _num(_target(hasil, h, target, p)), _num(_realisasi(h, p)),
                _num(pct(cap, p)),
                _num(pct(cap_sas, p) if first else ""),
            ])
            kinds.append(NORMAL)
    t = hasil.anggaran.total
    rows.append([Cell(""), Cell("Jumlah / rata-rata capaian IKU", span=2),
                 _num(rupiah(t.pagu)), _num(rupiah(t.realisasi)),
                 _num(pct(bulatkan(t.serapan, p), p)), Cell(""), Cell(""),
                 _num(pct(hasil.capaian_rata_rata_revisi if revisi else
                          hasil.capaian_rata_rata_pk, p)), Cell("")])
    kinds.append(TOTAL)
    title = _judul(hasil, "Capaian Anggaran dan Kinerja")
    if revisi:
        title += " Berdasarkan Target Revisi"
    return LkjTable(title, [top, sub],
                    [0.8, 3.6, 4.4, 2.6, 2.6, 1.7, 1.6, 1.8, 1.8, 2], rows, kinds,
                    landscape=True, key="anggaran_kinerja_revisi" if revisi else
                    "anggaran_kinerja",
                    note="Pagu per sasaran: pagu efektif (revisi bila ada) baris anggaran "
                         "sasaran itu. Bandingkan serapan dengan rata-rata capaian sasaran "
                         "untuk melihat efisiensi.")


def _anggaran_kegiatan(hasil: Hasil) -> LkjTable:
    """Capaian anggaran dan kinerja per kegiatan (engine.hitung_kegiatan)."""
    p = hasil.spec.pengaturan
    names = {s.kode: s.nama for s in hasil.sasaran}
    rows = [[Cell(str(i), TENGAH), Cell(k.nama),
             Cell("; ".join(names[c] for c in k.sasaran)), _num(rupiah(k.pagu)),
             _num(rupiah(k.realisasi_anggaran)), _num(pct(bulatkan(k.serapan, p), p)),
             _num(pct(k.capaian, p)), _kategori_cell(k.kategori, k.warna)]
            for i, k in enumerate(hasil.kegiatan, 1)]
    return LkjTable(_judul(hasil, "Capaian Anggaran dan Kinerja per Kegiatan"),
                    [_head("No", "Kegiatan", "Sasaran", "Pagu (Rp)", "Realisasi (Rp)",
                           "Serapan (%)", "Rata-rata Capaian IKU (%)", "Kategori")],
                    [0.8, 4.6, 4.6, 2.6, 2.6, 1.7, 2, 2], rows, [NORMAL] * len(rows),
                    landscape=True, key="anggaran_kegiatan",
                    note="Rata-rata capaian semua IKU sasaran yang dilayani baris-baris "
                         "anggaran kegiatan itu.")


def _pos_row(kode: str, nama: str, pos: Pos, n: int, p: Pengaturan) -> list[Cell]:
    tw = [_num(rupiah(pos.realisasi_tw[q]) if q < n else "-") for q in range(n)]
    return [Cell(kode), Cell(nama), _num(rupiah(pos.pagu)), *tw, _num(rupiah(pos.realisasi)),
            _num(pct(bulatkan(pos.serapan, p), p)), _num(rupiah(pos.sisa))]


def _anggaran_head(hasil: Hasil, what: str) -> tuple[list[Cell], list[float]]:
    s = hasil.spec
    n = s.periode_n
    names = ["Kode", what, "Pagu (Rp)"]
    names += [f"Realisasi {q} (Rp)" for q in PERIODE[:n]]
    names += [f"Realisasi s.d. {s.periode_label} (Rp)", "Serapan (%)", "Sisa (Rp)"]
    widths = [1.3, 4.4 + 2.7 * (4 - n)] + [2.7] * (n + 2) + [1.9, 2.7]
    return _head(*names), widths


def _realisasi_kegiatan(hasil: Hasil) -> LkjTable:
    s, p = hasil.spec, hasil.spec.pengaturan
    a = hasil.anggaran
    n = s.periode_n
    head, widths = _anggaran_head(hasil, "Kegiatan / Komponen")
    baris = {pos.kode: pos for pos in a.baris}
    rows: list[list[Cell]] = []
    kinds: list[str] = []
    for keg in a.per_kegiatan:
        rows.append(_pos_row(keg.kode, keg.nama, keg, n, p))
        kinds.append(GRUP)
        for line in s.anggaran:
            if line.kegiatan_kode == keg.kode and not line.tanpa_komponen:  # else: once
                rows.append(_pos_row(line.kode, line.nama, baris[line.key], n, p))
                kinds.append(NORMAL)
    rows.append(_pos_row("", "Jumlah", a.total, n, p))
    kinds.append(TOTAL)
    note = "Pagu: pagu efektif (revisi bila ada, selain itu pagu awal)."
    if a.total.pagu != a.pagu_jumlah_baris:
        note += (f" Pagu jumlah memakai total yang dinyatakan (DIPA), {rupiah_rp(a.total.pagu)};"
                 f" jumlah baris adalah {rupiah_rp(a.pagu_jumlah_baris)}.")
    return LkjTable(_judul(hasil, "Realisasi Anggaran per Kegiatan"), [head], widths, rows,
                    kinds, landscape=True, key="realisasi_kegiatan", note=note)


def _realisasi_jenis(hasil: Hasil) -> LkjTable:
    p = hasil.spec.pengaturan
    a = hasil.anggaran
    n = hasil.spec.periode_n
    head, widths = _anggaran_head(hasil, "Jenis Belanja")
    rows = [_pos_row(pos.kode, pos.nama, pos, n, p) for pos in a.per_jenis_belanja]
    rows.append(_pos_row("", "Jumlah", a.total, n, p))
    return LkjTable(_judul(hasil, "Realisasi Anggaran per Jenis Belanja"), [head], widths,
                    rows, [NORMAL] * (len(rows) - 1) + [TOTAL], landscape=True,
                    key="realisasi_jenis")


def _tahunan(hasil: Hasil) -> list[Block]:
    s, p = hasil.spec, hasil.spec.pengaturan
    by = hasil.iku_by_kode()
    blocks: list[Block] = []
    quarterly = s.periode != "tahunan"
    for iku in s.semua_iku():
        if not iku.riwayat:
            continue
        h = by[iku.kode]
        lalu = capaian_riwayat(s, iku)
        years = [(str(t), tg, r, c) for t, tg, r, c in lalu]
        years.append((str(s.tahun), h.target, h.realisasi if h.diukur else None, h.capaian))
        first, last = years[0][0], years[-1][0]
        span = f"{s.periode_label} Tahun {first} s.d. {last}" if quarterly else \
            f"Tahun {first} s.d. {last}"
        span = span.replace("TW ", "Triwulan ")
        real_head = f"Realisasi s.d. {s.periode_label}" if quarterly else "Realisasi"
        rows = [[Cell(y, TENGAH), _num(angka(tg, p, h.satuan)), _num(angka(r, p, h.satuan)),
                 _num(pct(c, p))]
                for y, tg, r, c in years]
        head = _head("Tahun", "Target", real_head, "Capaian (%)")
        widths = [2, 3, 3, 3]
        printed = {str(r.tahun): r.capaian for r in iku.riwayat}
        if any(c is not None for c in printed.values()):  # the earlier reports' own figure
            for row, (y, *_) in zip(rows, years, strict=True):
                row.append(_num(pct(printed.get(y), p) if printed.get(y) is not None else ""))
            head, widths = head + _head("Capaian di Laporan (%)"), widths + [3]
        blocks.append(LkjTable(f"Target dan Capaian {h.nama} {span}",
                               [head],
                               widths, rows, key=f"tahunan:{h.kode}",
                               note=f"Satuan: {h.satuan}. Capaian tahun lalu dihitung dengan "
                                    "rumus yang sama dengan tahun ini."))
        numeric = [(y, _plain(tg), _plain(r)) for y, tg, r, _ in years]
        if any(r is not None for _, _, r in numeric):
            cats = [y for y, _, _ in numeric]
            series = []
            labels = []
            if any(t is not None for _, t, _ in numeric):
                series.append(("Target", [t for _, t, _ in numeric], "#A5A5A5"))
                labels.append([_label(t, p, h.satuan) for _, t, _ in numeric])
            series.append((real_head, [r for _, _, r in numeric], "#4472C4"))
            labels.append([_label(r, p, h.satuan) for _, _, r in numeric])
            blocks.append(LkjChart(f"Target dan Realisasi {h.nama} {span}", cats, series,
                                   labels, y_title=h.satuan, key=f"grafik:{h.kode}"))
    return blocks


def _label(v: float | None, p: Pengaturan, satuan: str) -> str:
    return "" if v is None else angka(v, p, satuan)


def _plain(v: Value) -> float | None:
    return v if isinstance(v, float) else None


def _temuan(hasil: Hasil) -> list[Block]:
    rows = []
    kinds = []
    for i, f in enumerate(hasil.temuan, 1):
        level = "Error" if f.tingkat == ERROR else "Peringatan"
        rows.append([Cell(str(i), TENGAH),
                     Cell(level, TENGAH, WARNA_ERROR if f.tingkat == ERROR else WARNA_PERINGATAN),
                     Cell(f.lokasi), Cell(f.pesan), Cell(f.saran)])
        kinds.append(NORMAL)
    if not rows:
        rows = [[Cell("-", TENGAH), Cell("-", TENGAH), Cell("-"),
                 Cell("Tidak ada temuan: semua isian terbaca dan wajar."), Cell("-")]]
    t = hasil.temuan
    heading = Heading(
        "Lampiran. Temuan yang Masih Terbuka", new_page=True,
        note=f"{len(t.errors)} error, {len(t.warnings)} peringatan pada data "
             f"{hasil.spec.unit.nama} {periode_judul(hasil)}. Lampiran ini untuk penyusun "
             "laporan: perbaiki isian workbook, jalankan lagi, lalu hapus lampiran ini "
             "sebelum laporan diterbitkan.")
    table = LkjTable("Temuan yang masih terbuka",
                     [_head("No", "Tingkat", "Letak", "Masalah", "Yang harus dilakukan")],
                     [0.9, 2, 4, 5.6, 4.6], rows, kinds, key="temuan", numbered=False,
                     size=8)
    return [heading, table]


def build_lkj(hasil: Hasil) -> list[Block]:
    """Every LKj table (and chart) in report order, the open findings last."""
    blocks: list[Block] = [_perjanjian(hasil), _pengukuran(hasil), _ringkasan(hasil),
                           _jumlah_kategori(hasil), _per_iku(hasil)]
    if hasil.spec.anggaran:
        blocks.append(_anggaran_kinerja(hasil))
        if any(h.target_revisi is not None for h in hasil.iku):
            blocks.append(_anggaran_kinerja(hasil, revisi=True))
        blocks += [_realisasi_kegiatan(hasil), _realisasi_jenis(hasil)]
    from .unit import penutup, per_penanggung_jawab

    seksi = per_penanggung_jawab(hasil)
    if seksi is not None:
        blocks.append(seksi)
    blocks += _tahunan(hasil)
    if hasil.kegiatan:  # after the earlier tables: their numbers stay as they were
        blocks.append(_anggaran_kegiatan(hasil))
    blocks += penutup(hasil)
    blocks += _temuan(hasil)
    return blocks
