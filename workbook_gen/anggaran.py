"""The budget rules (anggaran): pagu efektif, realisasi s.d. periode, serapan and sisa per
line, kegiatan, jenis belanja, sasaran and total, the declared totals and their findings.

Pure Python, no I/O; part of the engine (``workbook_gen.engine`` re-exports every name),
stated once here and restated by the Anggaran sheet's formulas (docs/rules.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .findings import Report
from .parsing import format_number
from .spec import PERIODE, BarisAnggaran, Spec


@dataclass
class Pos:
    """A budget total for a group: line, kegiatan, jenis belanja, sasaran or all."""

    kode: str
    nama: str
    pagu_awal: float | None  # None: the pagu awal of a member line is not known
    pagu_revisi: float | None
    pagu: float  # effective: revisi where given, else awal
    realisasi_tw: list[float]
    realisasi: float  # s.d. periode
    serapan: float | None
    sisa: float
    serapan_mentah: float | None = None
    # per quarter: whether every member line has a realisasi typed (blank counts 0)
    dilaporkan_tw: list[bool] = field(default_factory=lambda: [True] * 4)


@dataclass
class HasilAnggaran:
    baris: list[Pos]
    per_kegiatan: list[Pos]
    per_jenis_belanja: list[Pos]
    total: Pos
    pagu_jumlah_baris: float
    serapan_tw: list[float | None]  # cumulative serapan after each quarter up to periode



# --------------------------------------------------------------------------- budget


def _pos(kode: str, nama: str, lines: list[BarisAnggaran], n: int, pagu_override: float | None
         = None) -> Pos:
    if len(lines) == 1:  # a line's own figures (most calls): sum([x]) is 0 + x
        return _pos_line(kode, nama, lines[0], n, pagu_override)
    # each figure is sum() over the members' values in line order, as a list made once
    # (not a generator per figure): the same additions in the same order
    known = [line.pagu_awal for line in lines]
    # a sum with an unknown member is unknown, never a partial sum shown as the whole
    awal = None if None in known else sum(known)
    has_rev = any(line.pagu_revisi is not None for line in lines)
    summed = sum([pagu_efektif(line) for line in lines])
    revisi = summed if has_rev else None
    pagu = pagu_override if pagu_override is not None else summed
    columns = list(zip(*[line.realisasi_tw for line in lines], strict=True)) or [()] * 4
    tw = [sum([v or 0.0 for v in column]) for column in columns]
    realisasi = sum([realisasi_baris(line, n) for line in lines])
    serapan_pos = serapan(realisasi, pagu)
    reported = [None not in column for column in columns]
    return Pos(kode, nama, awal, revisi, pagu, tw, realisasi, serapan_pos, pagu - realisasi,
               serapan_pos, reported)


def _pos_line(kode: str, nama: str, line: BarisAnggaran, n: int, pagu_override: float | None
              ) -> Pos:
    """:func:`_pos` of one line: each sum of one value written as ``0 + value`` (what
    sum() adds), so the figures are the very same numbers."""
    awal, rev = line.pagu_awal, line.pagu_revisi
    summed = 0 + pagu_efektif(line)
    pagu = pagu_override if pagu_override is not None else summed
    quarters = line.realisasi_tw
    realisasi = 0 + realisasi_baris(line, n)
    serapan_pos = serapan(realisasi, pagu)
    return Pos(kode, nama, None if awal is None else 0 + awal,
               summed if rev is not None else None, pagu, [0 + (v or 0.0) for v in quarters],
               realisasi, serapan_pos, pagu - realisasi, serapan_pos,
               [v is not None for v in quarters])


def realisasi_baris(line: BarisAnggaran, n: int) -> float:
    """A line's realisasi s.d. TW ``n``: the sum of its quarters (a blank counts 0, and is
    a finding), or at TW IV / tahunan its annual realisasi when one is typed."""
    if n == 4 and line.realisasi_tahunan is not None:
        return line.realisasi_tahunan
    return sum([v or 0.0 for v in line.realisasi_tw[:n]])


def tahunan_saja(line: BarisAnggaran) -> bool:
    """Spending known only for the year: an annual realisasi and no quarter typed."""
    return line.realisasi_tahunan is not None and all(v is None for v in line.realisasi_tw)


def serapan(realisasi: float, pagu: float) -> float | None:
    """Absorption in %: realisasi / pagu x 100; None for a pagu of 0."""
    return realisasi / pagu * 100 if pagu else None


def pagu_efektif(line: BarisAnggaran) -> float:
    return line.pagu_revisi if line.pagu_revisi is not None else (line.pagu_awal or 0.0)


SERIBU_KALI = (900.0, 1100.0)  # a ratio in this band is three zeros lost or added


def _rupiah(x: float) -> str:
    return f"Rp {x:,.0f}".replace(",", ".")


def hitung_anggaran(spec: Spec, report: Report) -> HasilAnggaran:
    n = spec.periode_n
    lines = spec.anggaran
    for line in lines:
        for fname in ("pagu_awal", "pagu_revisi", "realisasi_tahunan"):
            v = getattr(line, fname)
            if v is not None and v < 0:
                report.error("nilai_negatif", spec.where(("anggaran", line.key, fname)),
                             f"{fname.replace('_', ' ').capitalize()} '{line.nama}' negatif.",
                             "Isi realisasi dengan angka 0 atau lebih." if fname ==
                             "realisasi_tahunan" else "Isi pagu dengan angka 0 atau lebih.")
        for q in range(1, 5):
            v = line.realisasi_tw[q - 1]
            if v is not None and v < 0:
                report.error("nilai_negatif",
                             spec.where(("anggaran", line.key, "realisasi_tw", q)),
                             f"Realisasi anggaran {PERIODE[q - 1]} '{line.nama}' negatif.",
                             "Isi realisasi dengan angka 0 atau lebih; koreksi dicatat "
                             "pada triwulan berikutnya sebagai pengurang yang wajar.")
        _check_quarters(spec, report, line)
        real = realisasi_baris(line, n)
        if real > pagu_efektif(line):
            report.warn("melebihi_pagu", spec.where(("anggaran", line.key)),
                        f"Realisasi '{line.nama}' ({_rupiah(real)}) melebihi pagunya "
                        f"({_rupiah(pagu_efektif(line))}).",
                        "Periksa realisasi dan pagu revisi baris ini.")
    baris = [_pos(line.key, line.nama, [line], n) for line in lines]
    for pos, line in zip(baris, lines, strict=True):
        pos.pagu_revisi = line.pagu_revisi

    # the groups in one pass each: kegiatan in order of first line, jenis belanja sorted;
    # each group's lines in line order
    by_kegiatan: dict[str, list[BarisAnggaran]] = {}
    by_jenis: dict[str, list[BarisAnggaran]] = {}
    for line in lines:
        by_kegiatan.setdefault(line.kegiatan_kode, []).append(line)
        by_jenis.setdefault(line.jenis_belanja or "-", []).append(line)
    per_kegiatan = [_pos(kode, group[0].kegiatan_nama, group, n)
                    for kode, group in by_kegiatan.items()]
    names = {"51": "Belanja Pegawai", "52": "Belanja Barang", "53": "Belanja Modal"}
    per_jenis = [_pos(jb, names.get(jb, "Jenis belanja belum diisi"), by_jenis[jb], n)
                 for jb in sorted(by_jenis)]

    declared = spec.total
    override = None
    has_rev = any(line.pagu_revisi is not None for line in lines)
    if declared.pagu_revisi is not None:
        override = declared.pagu_revisi
    elif declared.pagu_awal is not None and not has_rev:
        override = declared.pagu_awal
    total = _pos("TOTAL", "Jumlah", lines, n, pagu_override=override)
    # what the lines add up to (the declared total, when given, is the pagu used)
    pagu_baris = sum(pagu_efektif(line) for line in lines)
    if total.pagu_awal is not None:  # an unknown line pagu awal: nothing to compare with
        _compare_total(spec, report, "pagu_awal", declared.pagu_awal, total.pagu_awal,
                       "pagu awal")
    if declared.pagu_revisi is not None:
        _compare_total(spec, report, "pagu_revisi", declared.pagu_revisi, pagu_baris,
                       "pagu revisi")
    _compare_total(spec, report, "realisasi", declared.realisasi, total.realisasi,
                   "realisasi")
    if total.serapan is not None and total.serapan > 100:
        fname = ("pagu_revisi" if declared.pagu_revisi is not None else "pagu_awal") if (
            override is not None) else None
        report.error(
            "serapan_di_atas_100",
            spec.where(("total", fname)),  # the spec file itself without a declared total
            f"Serapan anggaran keseluruhan {format_number(total.serapan)} %: realisasi "
            f"{_rupiah(total.realisasi)} melebihi pagu {_rupiah(total.pagu)}.",
            "Realisasi tidak bisa melebihi pagu; periksa pagu (atau total pagu yang "
            "dinyatakan) dan realisasi yang salah ketik.")
    serapan_tw: list[float | None] = []
    running = 0.0
    # lines known only for the year leave TW I-III unknown; TW IV is the year's serapan
    partial = any(tahunan_saja(line) for line in lines)
    for q in range(n):
        running += total.realisasi_tw[q]
        if q == 3:
            serapan_tw.append(total.serapan)
        else:
            serapan_tw.append(None if partial and n == 4 else serapan(running, total.pagu))
    return HasilAnggaran(baris, per_kegiatan, per_jenis, total, pagu_baris, serapan_tw)


def _check_quarters(spec: Spec, report: Report, line: BarisAnggaran) -> None:
    """A blank budget quarter within the periode is 'not reported' (counted 0 in sums and
    serapan, docs/rules.md); an annual realisasi that differs from the quarters' sum."""
    n = spec.periode_n
    typed: set[str] | None = None  # unreadable cells: already an error (made when needed)
    if not (n == 4 and tahunan_saja(line)):
        for q in range(1, n + 1):
            if line.realisasi_tw[q - 1] is not None:
                continue
            where = spec.where(("anggaran", line.key, "realisasi_tw", q))
            if typed is None:
                typed = {f.lokasi for f in spec.temuan_masukan}
            if where not in typed:
                report.warn(
                    "anggaran_belum_dilaporkan", where,
                    f"Realisasi anggaran {PERIODE[q - 1]} '{line.nama}' kosong (belum "
                    "dilaporkan); dalam jumlah dan serapan dihitung Rp 0.",
                    "Isi realisasinya (tulis 0 bila memang tidak ada belanja), atau isi "
                    "realisasi tahunan bila hanya angka setahun yang diketahui.")
    annual = line.realisasi_tahunan
    if n == 4 and annual is not None and not tahunan_saja(line):
        quarters = sum(v or 0.0 for v in line.realisasi_tw)
        if abs(quarters - annual) >= 0.5:
            report.warn(
                "realisasi_tahunan_berbeda",
                spec.where(("anggaran", line.key, "realisasi_tahunan")),
                f"Realisasi tahunan '{line.nama}' ({_rupiah(annual)}) berbeda dari jumlah "
                f"realisasi TW I-IV ({_rupiah(quarters)}, selisih "
                f"{_rupiah(annual - quarters)}); yang dipakai realisasi tahunan.",
                "Periksa mana yang benar; kosongkan realisasi tahunan bila jumlah "
                "triwulannya yang benar.")


def _compare_total(spec: Spec, report: Report, fname: str, declared: float | None,
                   summed: float, what: str) -> None:
    if declared is None or not spec.anggaran or abs(declared - summed) < 0.5:
        return
    if declared > 0 and summed > 0 and any(
            SERIBU_KALI[0] <= ratio <= SERIBU_KALI[1]
            for ratio in (summed / declared, declared / summed)):
        report.error(
            "total_seribu_kali", spec.where(("total", fname)),
            f"Total {what} yang dinyatakan ({_rupiah(declared)}) berbeda sekitar 1.000 kali "
            f"dari jumlah baris-barisnya ({_rupiah(summed)}).",
            "Kemungkinan tiga angka nol atau pemisah ribuan hilang (misalnya 'Rp 7.469.884,-' "
            "untuk Rp 7.469.884.000); perbaiki total atau baris yang salah ketik.")
        return
    report.warn(
        "total_tidak_sama", spec.where(("total", fname)),
        f"Jumlah {what} semua baris adalah {_rupiah(summed)}, bukan {_rupiah(declared)} "
        f"seperti total yang dinyatakan (selisih {_rupiah(summed - declared)}).",
        "Periksa baris anggaran yang belum dicatat atau total yang dinyatakan; total yang "
        "dinyatakan tetap dipakai sebagai pagu keseluruhan.")

