"""The capaian engine: every SAKIP rule, pure Python, no I/O.

``hitung(spec)`` turns targets and realisasi into capaian per IKU, sasaran and overall,
the budget per line, kegiatan, jenis belanja, sasaran and total, and the findings.
The workbook formulas (``workbook_gen.formulas``) and the consolidation are checked
against this module; it is the one statement of the rules (docs/rules.md).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import MAX_EMAX, MIN_EMIN, ROUND_DOWN, ROUND_HALF_UP, Context, Decimal

from .anggaran import (  # noqa: F401  (the budget rules, re-exported: engine is the one truth)
    SERIBU_KALI,
    HasilAnggaran,
    Pos,
    _compare_total,
    _pos,
    _rupiah,
    hitung_anggaran,
    pagu_efektif,
    serapan,
)
from .findings import Report
from .parsing import format_number, plain_number
from .rasio import rasio_sd
from .spec import PERIODE, SKOR_MAKSIMAL, Iku, Pengaturan, Spec, Value
from .tahunan import periksa as _check_tahunan
from .tahunan import realisasi_tahunan

# --------------------------------------------------------------------------- rounding


def bulatkan(x: float | None, pengaturan: Pengaturan) -> float | None:
    """Round for display: half-up (away from zero, like Excel ROUND) or truncation.

    Works on the shortest decimal text of the float (as Excel works on 15 digits), so
    1.005 -> 1.01 and 28.999999999999996 truncates to 29.00, not 28.99.
    """
    if x is None or not math.isfinite(x):
        return None
    if abs(x) >= 1e15:
        return float(x)  # no decimals left to round; findings flag such a value
    d = Decimal(repr(round(x, 10)))
    q = Decimal(1).scaleb(-pengaturan.desimal)
    mode = ROUND_HALF_UP if pengaturan.pembulatan == "setengah_ke_atas" else ROUND_DOWN
    # enough digits for any finite float (up to 10^308 and the decimals asked for), so
    # quantize never raises InvalidOperation whatever the magnitude (the context is
    # given to quantize, not made and switched to per call)
    return float(d.quantize(q, rounding=mode, context=_BULAT_CONTEXT))


_BULAT_CONTEXT = Context(prec=340, Emax=MAX_EMAX, Emin=MIN_EMIN)


def kategori_untuk(capaian: float | None, pengaturan: Pengaturan) -> tuple[str | None, str | None]:
    """Category name and colour for a (rounded) capaian."""
    if capaian is None:
        return None, None
    for band in pengaturan.kategori:
        if band.cocok(capaian):
            return band.nama, band.warna
    last = pengaturan.kategori[-1]
    return last.nama, last.warna


# --------------------------------------------------------------------------- rules


def diukur_sd(iku: Iku, n: int) -> list[int]:
    """Quarters (1..n) in which the IKU is measured."""
    return [q for q in iku.diukur_pada if q <= n]


def agregasi(values: list[float], cara: str) -> float | None:
    """Aggregate reported quarterly values: kumulatif (sum), akhir (last), rata_rata (mean)."""
    if not values:
        return None
    if cara == "kumulatif":
        return float(sum(values))
    if cara == "akhir":
        return values[-1]
    return sum(values) / len(values)


def nilai_numerik(iku: Iku, v: Value) -> float | None:
    """Numeric form of a value for capaian: a label's rank on the IKU's scale (a number
    by its band) when capaian compares categories (``Iku.capaian_peringkat``), else the
    number itself (a bare label then has none)."""
    if v is None:
        return None
    if isinstance(v, str):
        if not iku.capaian_peringkat:
            return None
        assert iku.skala is not None
        return float(iku.skala.peringkat(v) or 0) or None
    if iku.capaian_peringkat:
        assert iku.skala is not None
        label = iku.skala.label_untuk(v)
        return float(iku.skala.peringkat(label)) if label else None
    return float(v)


def label_nilai(iku: Iku, v: Value) -> str | None:
    """The scale label of a value, where the IKU has a scale that gives one."""
    if v is None or iku.skala is None:
        return None
    if isinstance(v, str):
        return v
    return iku.skala.label_untuk(v)


def rasio_capaian(r: float, t: float, polaritas: str, rumus_minimal: str) -> float | None:
    """Capaian in % from realisasi r and target t (t != 0). None when undefined."""
    if polaritas == "maksimal":
        return r / t * 100
    if rumus_minimal == "t_bagi_r":
        return None if r == 0 else t / r * 100
    return max(0.0, (2 * t - r) / t * 100)


def realisasi_penurunan(baseline: float, sekarang: float) -> float:
    """Reduction in %: (baseline - current) / baseline x 100 (a rise is negative)."""
    return (baseline - sekarang) / baseline * 100


# --------------------------------------------------------------------------- results


@dataclass
class HasilIku:
    kode: str
    nama: str
    satuan: str
    sasaran: str
    bobot: float
    target: Value
    target_revisi: Value
    target_sd: Value  # target s.d. periode from the TW targets (None without TW targets)
    target_tw: list[Value] | None
    realisasi_tw: list[Value]
    realisasi: Value  # s.d. periode: number, or label for kategori IKUs
    realisasi_dasar: float | None  # penurunan: the current count behind realisasi
    label_realisasi: str | None
    diukur: bool  # measured in a quarter up to the periode
    dilaporkan: bool  # at least one measured quarter has a value
    capaian_mentah: float | None
    capaian_revisi_mentah: float | None
    capaian_tw_mentah: float | None
    capaian: float | None = None
    capaian_revisi: float | None = None
    capaian_tw: float | None = None
    kategori: str | None = None
    warna: str | None = None
    kategori_revisi: str | None = None
    warna_revisi: str | None = None
    # the headline (capaian, kategori, the means) follows target_utama; both targets'
    # capaian stay: capaian_pk against the PK target, capaian_revisi against the revised
    target_utama: str = "pk"
    capaian_pk_mentah: float | None = None
    capaian_pk: float | None = None
    # the year's realisasi: the verified annual figure when one applies (TW IV / tahunan),
    # beside what the quarters aggregate to
    realisasi_tahunan: Value = None
    realisasi_triwulan: Value = None
    # rasio IKUs: X and Y per quarter, and their sums over the quarters counted s.d. periode
    pembilang_tw: list[float | None] | None = None
    penyebut_tw: list[float | None] | None = None
    pembilang: float | None = None
    penyebut: float | None = None


@dataclass
class HasilSasaran:
    kode: str
    nama: str
    iku: list[str]
    capaian_mentah: float | None
    capaian_revisi_mentah: float | None
    capaian: float | None
    capaian_revisi: float | None
    kategori: str | None
    warna: str | None
    pagu: float
    realisasi_anggaran: float
    serapan: float | None
    sisa: float
    capaian_pk_mentah: float | None = None
    capaian_pk: float | None = None
    # budget lines this sasaran shares with other sasaran (counted once in the totals)
    baris_bersama: list[str] = field(default_factory=list)


@dataclass
class HasilSeksi:
    """Capaian and budget of one penanggung jawab (seksi / bidang / tim)."""

    nama: str
    iku: list[str]
    baris: list[str]  # budget line keys
    capaian_mentah: float | None
    capaian_revisi_mentah: float | None
    capaian: float | None
    capaian_revisi: float | None
    kategori: str | None
    warna: str | None
    pagu: float
    realisasi_anggaran: float
    serapan: float | None
    sisa: float
    # against the PK target whatever the headline (capaian follows target_utama)
    capaian_pk_mentah: float | None = None
    capaian_pk: float | None = None


@dataclass
class HasilKegiatan:
    """The 'capaian anggaran dan kinerja' of a kegiatan: its budget beside the mean
    capaian of the IKUs of every sasaran its lines serve (docs/rules.md)."""

    kode: str
    nama: str
    sasaran: list[str]
    iku: list[str]
    pagu: float
    realisasi_anggaran: float
    serapan: float | None
    capaian_mentah: float | None
    capaian: float | None
    kategori: str | None
    warna: str | None


@dataclass
class Hasil:
    spec: Spec
    iku: list[HasilIku]
    sasaran: list[HasilSasaran]
    capaian_rata_rata: float | None
    capaian_rata_rata_revisi: float | None
    capaian_rata_rata_mentah: float | None
    capaian_rata_rata_revisi_mentah: float | None
    kategori: str | None
    jumlah_kategori: dict[str, int]
    anggaran: HasilAnggaran
    temuan: Report = field(default_factory=Report)
    per_penanggung_jawab: list[HasilSeksi] = field(default_factory=list)
    capaian_rata_rata_pk: float | None = None
    capaian_rata_rata_pk_mentah: float | None = None
    kegiatan: list[HasilKegiatan] = field(default_factory=list)

    def iku_by_kode(self) -> dict[str, HasilIku]:
        return {h.kode: h for h in self.iku}


# --------------------------------------------------------------------------- IKU


def _check_values(spec: Spec, iku: Iku, report: Report) -> None:
    """Findings on typed values: negatives, a count in a % cell, blanks, off-period values."""
    n = spec.periode_n
    measured = diukur_sd(iku, n)
    limit = spec.pengaturan.batas_realisasi_persen
    for q in range(1, 5):
        v = iku.realisasi_tw[q - 1]
        where = spec.where(("iku", iku.kode, "realisasi_tw", q))
        if iku.rumus == "rasio":  # typed as pembilang and penyebut (E:H are formulas),
            where = spec.where(("iku", iku.kode, "pembilang_tw", q))  # checked by _check_rasio
            v = _rasio_diisi(iku, q)
        else:
            _check_realisasi(iku, v, PERIODE[q - 1], where, limit, report)
        if v is not None and q > n:
            report.warn(
                "di_luar_periode", where,
                f"IKU {iku.kode} sudah berisi realisasi {PERIODE[q - 1]}, di luar periode "
                f"laporan ({spec.periode_label}); nilai ini tidak dihitung.",
                "Kosongkan sel itu atau ubah periode laporan.")
        elif v is not None and q not in iku.diukur_pada:
            report.warn(
                "tidak_diukur", where,
                f"IKU {iku.kode} tidak diukur pada {PERIODE[q - 1]}, tetapi selnya berisi "
                "nilai; nilai ini tidak dihitung.",
                "Kosongkan sel itu, atau tambahkan triwulan ini ke 'diukur_pada'.")
    unreadable = {f.lokasi for f in spec.temuan_masukan if f.tingkat == "error"}
    if iku.rumus == "rasio":
        _check_rasio(spec, iku, unreadable, report)
        measured = []  # blanks: reported per side by _check_rasio
    if realisasi_tahunan(spec, iku) is not None:
        measured = []  # the year is reported by its annual figure: blank quarters are fine
    for q in measured:
        where = spec.where(("iku", iku.kode, "realisasi_tw", q))
        if iku.realisasi_tw[q - 1] is None and where not in unreadable:
            report.warn(
                "realisasi_kosong", where,
                f"Realisasi {PERIODE[q - 1]} IKU {iku.kode} belum diisi (dianggap belum "
                "dilaporkan).",
                "Isi realisasinya; tulis 0 bila memang nol.")
    for fname in ("target", "target_revisi"):
        v = getattr(iku, fname)
        what = fname.replace('_', ' ').capitalize()
        if isinstance(v, float) and v < 0:
            report.error(
                "nilai_negatif", spec.where(("iku", iku.kode, fname)),
                f"{what} IKU {iku.kode} bernilai negatif.",
                "Isi target dengan angka 0 atau lebih.")
        if iku.jenis == "angka":
            _check_skor(iku, v, what, spec.where(("iku", iku.kode, fname)), report)
    for q, v in enumerate(iku.target_tw or [], 1):
        if iku.jenis == "angka":
            _check_skor(iku, v, f"Target {PERIODE[q - 1]}",
                        spec.where(("iku", iku.kode, "target_tw", q)), report)


def _check_realisasi(iku: Iku, v: Value, periode: str, where: str, limit: float,
                     report: Report) -> None:
    """A typed realisasi (a quarter's or the year's): negative, a count in a % cell, a
    score above its scale."""
    if not isinstance(v, float) or iku.jenis != "angka":
        return
    if v < 0 and iku.rumus != "penurunan_persen":  # a rise is typed negative there
        report.error(
            "nilai_negatif", where,
            f"Realisasi {periode} IKU {iku.kode} bernilai negatif ({plain_number(v)}).",
            "Isi realisasi dengan angka 0 atau lebih; penurunan dihitung otomatis.")
    if iku.persen and iku.rumus in ("langsung", "penurunan_persen", "rasio") and v > limit:
        report.error(
            "persen_terlalu_besar", where,
            f"IKU {iku.kode} bersatuan persen, tetapi realisasi {periode} "
            f"bernilai {plain_number(v)}, jauh di atas 100. Tampaknya yang diisi "
            "adalah jumlah (misalnya orang), bukan persentase.",
            "Isi persentasenya (misalnya 97,75), bukan jumlah orangnya.")
    _check_skor(iku, v, f"Realisasi {periode}", where, report)


def _rasio_diisi(iku: Iku, q: int) -> float | None:
    """A typed side of a ratio IKU's quarter ``q`` (pembilang first), or None."""
    for side in (iku.pembilang_tw, iku.penyebut_tw):
        if side and side[q - 1] is not None:
            return side[q - 1]
    return None


def _check_rasio(spec: Spec, iku: Iku, unreadable: set[str], report: Report) -> None:
    """Findings on a ratio IKU's quarters (rasio.py): a side missing, a penyebut of 0, a
    pembilang above its penyebut (a share above 100 %: the columns swapped), negatives,
    and, as for every IKU, a counted quarter left blank."""
    counted = diukur_sd(iku, spec.periode_n)
    xs, ys = iku.pembilang_tw, iku.penyebut_tw
    for q in range(1, 5):
        x, y = xs[q - 1], ys[q - 1]
        at = {"pembilang": spec.where(("iku", iku.kode, "pembilang_tw", q)),
              "penyebut": spec.where(("iku", iku.kode, "penyebut_tw", q))}
        tw = PERIODE[q - 1]
        for side, v in (("pembilang", x), ("penyebut", y)):
            if v is not None and v < 0:
                report.error("nilai_negatif", at[side],
                             f"{side.capitalize()} {tw} IKU {iku.kode} bernilai negatif "
                             f"({plain_number(v)}).", "Isi jumlah 0 atau lebih.")
        if q not in counted:
            continue
        if x is None and y is None:
            if at["pembilang"] not in unreadable:
                report.warn(
                    "realisasi_kosong", at["pembilang"],
                    f"Realisasi {tw} IKU {iku.kode} (pembilang dan penyebut) belum diisi "
                    "(dianggap belum dilaporkan).",
                    "Isi pembilang dan penyebutnya; tulis 0 bila memang nol.")
            continue
        if x is None or y is None:
            missing = "pembilang" if x is None else "penyebut"
            if at[missing] not in unreadable:
                given = "penyebut" if x is None else "pembilang"
                report.error(
                    "rasio_tidak_lengkap", at[missing],
                    f"{tw} IKU rasio {iku.kode}: {given} diisi "
                    f"({plain_number(x if y is None else y)}) tetapi {missing} kosong; "
                    "triwulan ini tidak dihitung.",
                    f"Isi {missing}nya juga (misalnya 6/265: pembilang 6, penyebut 265).")
            continue
        if y == 0:
            if x:
                report.error(
                    "penyebut_nol", at["penyebut"],
                    f"{tw} IKU rasio {iku.kode}: penyebut 0 dengan pembilang "
                    f"{plain_number(x)}; persentase triwulan ini tidak terdefinisi, dan "
                    "pembilangnya tetap masuk jumlah s.d. triwulan.",
                    "Isi penyebut yang benar (jumlah keseluruhan triwulan ini).")
            else:
                report.warn(
                    "penyebut_nol", at["penyebut"],
                    f"{tw} IKU rasio {iku.kode}: pembilang dan penyebut 0; persentase "
                    "triwulan ini tidak terdefinisi (tidak ada kasus).",
                    "Biarkan bila memang tidak ada kasus; kosongkan bila belum dilaporkan.")
        elif x > y >= 0:
            report.error(
                "pembilang_melebihi_penyebut", at["pembilang"],
                f"{tw} IKU rasio {iku.kode}: pembilang {plain_number(x)} lebih besar dari "
                f"penyebut {plain_number(y)} ({format_number(x / y * 100)} %), padahal "
                "pembilang adalah bagian dari penyebut.",
                "Periksa apakah pembilang dan penyebut tertukar.")


def _check_skor(iku: Iku, v: Value, what: str, where: str, report: Report) -> None:
    """A score (satuan Nilai, NKA, IKPA) above its scale's maximum: a missing decimal comma."""
    if not iku.skor or not isinstance(v, float) or v <= SKOR_MAKSIMAL:
        return
    saran = f"Isi nilai antara 0 dan {plain_number(SKOR_MAKSIMAL)}."
    if v.is_integer() and 1000 <= v < 10000:
        saran = (f"Kemungkinan koma desimalnya hilang ({plain_number(v)} untuk "
                 f"{plain_number(v / 100)}); tulis nilainya dengan koma desimal.")
    report.error(
        "di_atas_skala", where,
        f"{what} IKU {iku.kode} bernilai {plain_number(v)}, di atas nilai tertinggi skala "
        f"{iku.satuan} ({plain_number(SKOR_MAKSIMAL)}).", saran)


def _target_sd(iku: Iku, n: int) -> Value:
    """Target s.d. TW n from the TW targets, aggregated like the realisasi."""
    if not iku.target_tw:
        return None
    qs = [q for q in diukur_sd(iku, n) if iku.target_tw[q - 1] is not None]
    if not qs:
        return None
    if iku.jenis == "kategori" or iku.rumus == "penurunan":
        return iku.target_tw[qs[-1] - 1]
    values = [float(iku.target_tw[q - 1]) for q in qs]  # type: ignore[arg-type]
    return agregasi(values, iku.agregasi)


def _check_targets(spec: Spec, iku: Iku, report: Report) -> None:
    """Target missing or 0: capaian undefined, flagged (and left out of the means)."""
    for fname in ("target", "target_revisi"):
        t = getattr(iku, fname)
        if fname == "target_revisi" and t is None:
            continue
        tn = nilai_numerik(iku, t)
        if tn is None or tn == 0:
            what = fname.replace("_", " ").capitalize()
            report.error(
                "target_kosong" if t is None else "target_nol",
                spec.where(("iku", iku.kode, fname)),
                f"{what} IKU {iku.kode} {'kosong' if t is None else 'bernilai 0'}, jadi "
                "capaian tidak bisa dihitung (dan tidak ikut rata-rata).",
                "Isi target dengan angka lebih dari 0.")


_CARA_TW = {"kumulatif": "dijumlah menjadi", "akhir": "(triwulan terakhir) adalah",
            "rata_rata": "dirata-rata menjadi"}


def _check_target_tw(spec: Spec, iku: Iku, report: Report) -> None:
    """Quarterly targets that do not add up to the annual target, per the IKU's agregasi
    (a report's own inconsistency: 32,5 against 10, a TW IV target of 100 against 75).
    Only a full set (every measured quarter has a target) is compared."""
    tw = iku.target_tw
    if not tw or iku.target is None or any(tw[q - 1] is None for q in iku.diukur_pada):
        return
    year = _target_sd(iku, len(PERIODE))
    a, b = nilai_numerik(iku, year), nilai_numerik(iku, iku.target)
    if a is None or b is None or abs(a - b) < 0.005:
        return
    cara = "akhir" if iku.rumus == "penurunan" else iku.agregasi  # kategori: always akhir
    shown = ", ".join(_angka(tw[q - 1]) for q in iku.diukur_pada)
    report.warn(
        "target_tw_tidak_sesuai", spec.where(("iku", iku.kode, "target_tw", iku.diukur_pada[-1])),
        f"Target per triwulan IKU {iku.kode} ({shown}) {_CARA_TW[cara]} {_angka(year)}, "
        f"bukan target tahunan {_angka(iku.target)}.",
        "Samakan target triwulan dengan target tahunan (angka laporan sendiri yang tidak "
        "cocok); capaian tahunan tetap memakai target tahunan, capaian s.d. triwulan "
        "memakai target triwulan.")


def _capaian(iku: Iku, spec: Spec, r: float | None, t: Value,
             report: Report | None) -> float | None:
    if r is None:
        return None
    tn = nilai_numerik(iku, t)
    if tn is None or tn == 0:
        return None
    rumus_minimal = iku.rumus_minimal or spec.pengaturan.rumus_minimal
    c = rasio_capaian(r, tn, iku.polaritas, rumus_minimal)
    if c is not None and c < 0 and iku.negatif_nol(spec.pengaturan):
        c = 0.0  # pengaturan/IKU penurunan_negatif: nol (docs/rules.md)
    if c is None and report is not None:
        report.warn(
            "capaian_tak_terdefinisi", spec.where(("iku", iku.kode)),
            f"IKU {iku.kode}: rumus T/R tidak terdefinisi untuk realisasi 0.",
            "Pakai 'rumus_minimal: 2t_kurang_r' atau periksa realisasinya.")
    return c


def _check_plausible(spec: Spec, iku: Iku, where: str, realisasi: Value, quarters: int,
                     cap: float | None, cap_rev: float | None, report: Report) -> None:
    """Findings on results no report can mean: a capaian far above the plausible limit
    (a missing decimal comma, a count in a % cell), a percentage summed over quarters.
    ``where``: the cell the realisasi comes from (the last reported quarter, or the
    annual figure)."""
    limit = spec.pengaturan.batas_capaian_wajar
    against = [(cap, "target")]
    if iku.target_revisi is not None:
        against.append((cap_rev, "target_revisi"))
    against = [(c, f) for c, f in against if c is not None]
    worst, fname = max(against, key=lambda cf: cf[0]) if against else (None, None)
    if limit is not None and worst is not None and not worst <= limit:
        shown = format_number(worst) if worst < 1e15 else "lebih dari 10^15"
        report.error(
            "capaian_tidak_wajar", where,
            f"Capaian IKU {iku.kode} {shown} %, jauh di atas batas wajar "
            f"{format_number(limit)} % (realisasi {_angka(realisasi)}, "
            f"{fname.replace('_', ' ')} {_angka(getattr(iku, fname))} di "
            f"{spec.where(('iku', iku.kode, fname))}).",
            "Kemungkinan koma desimal hilang (misalnya 8606 untuk 86,06) atau satuannya "
            "tertukar; periksa realisasi dan target ini. Bila memang benar, naikkan "
            "'pengaturan.batas_capaian_wajar'.")
    if (iku.persen and iku.rumus in ("langsung", "penurunan_persen")
            and iku.agregasi == "kumulatif"
            and quarters > 1 and isinstance(realisasi, float) and realisasi > 100):
        report.warn(
            "persen_dijumlah", spec.where(("iku", iku.kode)),
            f"IKU {iku.kode} bersatuan persen dengan agregasi kumulatif: {quarters} triwulan "
            f"dijumlah menjadi {format_number(realisasi)} %, di atas 100 %.",
            "Persentase biasanya tidak dijumlah: tulis 'agregasi: akhir' (angka s.d. "
            "triwulan terakhir) atau 'agregasi: rata_rata'.")


def _angka(v: Value) -> str:
    return v if isinstance(v, str) else format_number(v)


def hitung_iku(spec: Spec, iku: Iku, report: Report) -> HasilIku:
    n = spec.periode_n
    errors_before = len(report.errors)
    _check_values(spec, iku, report)
    measured = diukur_sd(iku, n)
    reported = [(q, iku.realisasi_tw[q - 1]) for q in measured
                if iku.realisasi_tw[q - 1] is not None]
    realisasi: Value = None
    dasar: float | None = None
    r_num: float | None = None
    dari_tw: Value = None  # what the quarters give (before an annual figure replaces it)
    if iku.rumus == "rasio":
        quarters, dari_tw = rasio_sd(iku.pembilang_tw, iku.penyebut_tw, measured)
        reported = [(q, iku.realisasi_tw[q - 1]) for q in quarters]
    elif reported:
        if iku.jenis == "kategori":
            dari_tw = reported[-1][1]
        else:
            dari_tw = agregasi([float(v) for _, v in reported], iku.agregasi)  # type: ignore[arg-type]
    _check_realisasi(iku, iku.realisasi_tahunan, "tahunan",
                     spec.where(("iku", iku.kode, "realisasi_tahunan")),
                     spec.pengaturan.batas_realisasi_persen, report)
    _check_tahunan(spec, iku, reported, dari_tw, report)
    tahunan = realisasi_tahunan(spec, iku)
    agg = tahunan if tahunan is not None else dari_tw
    if agg is not None:
        if iku.jenis == "kategori":
            realisasi = agg
            r_num = nilai_numerik(iku, realisasi)
        else:
            if iku.rumus == "penurunan" and iku.baseline:
                dasar = agg
                realisasi = realisasi_penurunan(iku.baseline, agg)  # type: ignore[arg-type]
            else:
                realisasi = agg
            r_num = nilai_numerik(iku, realisasi)
    target_sd = _target_sd(iku, n)
    _check_targets(spec, iku, report)
    _check_target_tw(spec, iku, report)
    cap = _capaian(iku, spec, r_num, iku.target, report)
    if iku.target_revisi is None:
        cap_rev = cap
    else:
        cap_rev = _capaian(iku, spec, r_num, iku.target_revisi, None)
    cap_tw = _capaian(iku, spec, r_num, target_sd, None)
    if len(report.errors) == errors_before and agg is not None:
        # the cell the year's realisasi comes from: the annual figure, or the last quarter
        key = ("realisasi_tahunan",) if tahunan is not None else (
            "pembilang_tw" if iku.rumus == "rasio" else "realisasi_tw",  # E:H are formulas
            reported[-1][0])
        _check_plausible(spec, iku, spec.where(("iku", iku.kode, *key)), realisasi,
                         1 if tahunan is not None else len(reported), cap, cap_rev, report)
    revisi = spec.pengaturan.utama_revisi
    head = cap_rev if revisi else cap
    p = spec.pengaturan
    h = HasilIku(
        kode=iku.kode, nama=iku.nama, satuan=iku.satuan, sasaran=iku.sasaran, bobot=iku.bobot,
        target=iku.target, target_revisi=iku.target_revisi, target_sd=target_sd,
        target_tw=iku.target_tw, realisasi_tw=list(iku.realisasi_tw), realisasi=realisasi,
        realisasi_dasar=dasar, label_realisasi=label_nilai(iku, realisasi),
        diukur=bool(measured), dilaporkan=bool(reported) or tahunan is not None,
        capaian_mentah=head, capaian_revisi_mentah=cap_rev, capaian_tw_mentah=cap_tw,
        capaian=bulatkan(head, p), capaian_revisi=bulatkan(cap_rev, p),
        capaian_tw=bulatkan(cap_tw, p), target_utama="revisi" if revisi else "pk",
        capaian_pk_mentah=cap, capaian_pk=bulatkan(cap, p),
        realisasi_tahunan=iku.realisasi_tahunan, realisasi_triwulan=dari_tw,
    )
    h.kategori, h.warna = kategori_untuk(h.capaian, p)
    h.kategori_revisi, h.warna_revisi = kategori_untuk(h.capaian_revisi, p)
    if iku.rumus == "rasio":
        h.pembilang_tw, h.penyebut_tw = list(iku.pembilang_tw), list(iku.penyebut_tw)
        counted = [q for q, _ in reported]  # both sides are numbers there
        h.pembilang = sum(h.pembilang_tw[q - 1] for q in counted) if counted else None  # type: ignore[misc]
        h.penyebut = sum(h.penyebut_tw[q - 1] for q in counted) if counted else None  # type: ignore[misc]
    return h


# --------------------------------------------------------------------------- means


def _mean_inputs(hasil: Iterable[HasilIku], attr: str, spec: Spec) -> list[tuple[float, float]]:
    """(value, weight) pairs entering a mean: measured IKUs with a defined target.

    Not measured this period: left out. Measured but not reported: 0, or left out when
    pengaturan.kosong_dalam_rata_rata is 'abaikan'. Target missing/0: left out (flagged).
    The optional cap applies here; the IKU's own capaian stays raw.
    """
    p = spec.pengaturan
    pairs = []
    for h in hasil:
        if not h.diukur:
            continue
        value = getattr(h, attr)
        if value is None:
            if h.dilaporkan or p.kosong_dalam_rata_rata == "abaikan":
                continue  # reported but undefined (target 0), or blanks ignored
            target = h.target
            revisi = attr == "capaian_revisi_mentah" or (
                attr == "capaian_mentah" and h.target_utama == "revisi")
            if revisi and h.target_revisi is not None:
                target = h.target_revisi
            if target is None or target == 0:
                continue  # no capaian can exist: flagged, left out
            value = 0.0
        if p.batas_capaian is not None:
            value = min(value, p.batas_capaian)
        pairs.append((value, h.bobot))
    return pairs


def rata_rata(pairs: list[tuple[float, float]]) -> float | None:
    total_w = sum(w for _, w in pairs)
    if not pairs or total_w == 0:
        return None
    return sum(v * w for v, w in pairs) / total_w


# --------------------------------------------------------------------------- all


def hitung(spec: Spec) -> Hasil:
    """Compute everything for one spec. Never raises on data problems: they are findings."""
    report = Report()
    report.extend(spec.temuan_masukan)
    p = spec.pengaturan
    hasil_iku = [hitung_iku(spec, iku, report) for iku in spec.semua_iku()]
    anggaran = hitung_anggaran(spec, report)
    by_sasaran = {s.kode: [h for h in hasil_iku if h.sasaran == s.kode] for s in spec.sasaran}
    hasil_sasaran = []
    for s in spec.sasaran:
        group = by_sasaran[s.kode]
        raw = rata_rata(_mean_inputs(group, "capaian_mentah", spec))
        raw_rev = rata_rata(_mean_inputs(group, "capaian_revisi_mentah", spec))
        raw_pk = rata_rata(_mean_inputs(group, "capaian_pk_mentah", spec))
        cap = bulatkan(raw, p)
        kat, warna = kategori_untuk(cap, p)
        lines = [line for line in spec.anggaran if line.melayani(s.kode)]
        pos = _pos(s.kode, s.nama, lines, spec.periode_n)
        hasil_sasaran.append(HasilSasaran(
            kode=s.kode, nama=s.nama, iku=[h.kode for h in group], capaian_mentah=raw,
            capaian_revisi_mentah=raw_rev, capaian=cap, capaian_revisi=bulatkan(raw_rev, p),
            kategori=kat, warna=warna, pagu=pos.pagu, realisasi_anggaran=pos.realisasi,
            serapan=pos.serapan, sisa=pos.sisa, capaian_pk_mentah=raw_pk,
            capaian_pk=bulatkan(raw_pk, p),
            baris_bersama=[line.key for line in lines if line.sasaran_semua],
        ))
        for h in group:
            if h.diukur and not h.dilaporkan and p.kosong_dalam_rata_rata == "nol" and h.target:
                report.warn(
                    "kosong_dihitung_nol", spec.where(("iku", h.kode)),
                    f"IKU {h.kode} belum punya realisasi s.d. {spec.periode_label}; dalam "
                    "rata-rata capaian dihitung 0.",
                    "Isi realisasinya, atau tandai triwulan yang tidak diukur di "
                    "'diukur_pada'.")
    for iku in spec.semua_iku():
        _check_riwayat(spec, iku, report)
    overall = rata_rata(_mean_inputs(hasil_iku, "capaian_mentah", spec))
    overall_rev = rata_rata(_mean_inputs(hasil_iku, "capaian_revisi_mentah", spec))
    overall_pk = rata_rata(_mean_inputs(hasil_iku, "capaian_pk_mentah", spec))
    counts = {b.nama: 0 for b in p.kategori}
    for h in hasil_iku:
        if h.kategori:
            counts[h.kategori] += 1
    cap_all = bulatkan(overall, p)
    return Hasil(
        spec=spec, iku=hasil_iku, sasaran=hasil_sasaran, capaian_rata_rata=cap_all,
        capaian_rata_rata_revisi=bulatkan(overall_rev, p), capaian_rata_rata_mentah=overall,
        capaian_rata_rata_revisi_mentah=overall_rev, kategori=kategori_untuk(cap_all, p)[0],
        jumlah_kategori=counts, anggaran=anggaran, temuan=report,
        per_penanggung_jawab=per_penanggung_jawab(spec, hasil_iku),
        capaian_rata_rata_pk=bulatkan(overall_pk, p), capaian_rata_rata_pk_mentah=overall_pk,
        kegiatan=hitung_kegiatan(spec, hasil_iku, anggaran),
    )


def sasaran_kegiatan(spec: Spec, kegiatan_kode: str) -> list[str]:
    """The sasaran a kegiatan serves: those its budget lines name, in spec order."""
    served = {k for line in spec.anggaran if line.kegiatan_kode == kegiatan_kode
              for k in (line.sasaran_semua or (line.sasaran,))}
    return [s.kode for s in spec.sasaran if s.kode in served]


def hitung_kegiatan(spec: Spec, hasil_iku: list[HasilIku], anggaran: HasilAnggaran
                    ) -> list[HasilKegiatan]:
    """Per kegiatan: pagu, realisasi and serapan (its subtotal) beside the mean capaian of
    the IKUs of its sasaran, by the rule of every mean (weights, cap, blanks, IKUs not
    measured)."""
    p = spec.pengaturan
    out = []
    for pos in anggaran.per_kegiatan:
        sasaran = sasaran_kegiatan(spec, pos.kode)
        group = [h for h in hasil_iku if h.sasaran in sasaran]
        raw = rata_rata(_mean_inputs(group, "capaian_mentah", spec))
        cap = bulatkan(raw, p)
        kat, warna = kategori_untuk(cap, p)
        out.append(HasilKegiatan(
            kode=pos.kode, nama=pos.nama, sasaran=sasaran, iku=[h.kode for h in group],
            pagu=pos.pagu, realisasi_anggaran=pos.realisasi, serapan=pos.serapan,
            capaian_mentah=raw, capaian=cap, kategori=kat, warna=warna))
    return out


# --------------------------------------------------------------------------- roll-up

#: The group of IKUs and budget lines whose spec names no penanggung jawab.
TANPA_PENANGGUNG_JAWAB = "(Tanpa penanggung jawab)"


def kunci_penanggung_jawab(nama: str | None) -> str:
    """The group a penanggung jawab belongs to: case and spacing ignored ("Seksi  P2" and
    "seksi p2" are one section); blank: the group without one."""
    return " ".join((nama or "").split()).casefold()


def per_penanggung_jawab(spec: Spec, hasil_iku: list[HasilIku]) -> list[HasilSeksi]:
    """Capaian (the weighted mean of the sasaran rule, ``_mean_inputs``) and budget (pagu,
    realisasi, serapan of its lines) per penanggung jawab, in order of first appearance
    (IKUs, then budget lines); IKUs and lines without one under
    :data:`TANPA_PENANGGUNG_JAWAB`, last. Empty when no IKU and no line names one."""
    ikus = spec.semua_iku()
    names: dict[str, str] = {}
    for who in [i.penanggung_jawab for i in ikus] + [b.penanggung_jawab for b in spec.anggaran]:
        if kunci_penanggung_jawab(who):
            names.setdefault(kunci_penanggung_jawab(who), " ".join(who.split()))  # type: ignore[union-attr]
    if not names:
        return []
    names[""] = TANPA_PENANGGUNG_JAWAB
    p = spec.pengaturan
    out = []
    for key, nama in names.items():
        group = [h for h, i in zip(hasil_iku, ikus, strict=True)
                 if kunci_penanggung_jawab(i.penanggung_jawab) == key]
        lines = [b for b in spec.anggaran if kunci_penanggung_jawab(b.penanggung_jawab) == key]
        if not group and not lines:
            continue
        raw = rata_rata(_mean_inputs(group, "capaian_mentah", spec))
        raw_rev = rata_rata(_mean_inputs(group, "capaian_revisi_mentah", spec))
        raw_pk = rata_rata(_mean_inputs(group, "capaian_pk_mentah", spec))
        cap = bulatkan(raw, p)
        kat, warna = kategori_untuk(cap, p)
        pos = _pos(nama, nama, lines, spec.periode_n)
        out.append(HasilSeksi(
            nama=nama, iku=[h.kode for h in group], baris=[b.key for b in lines],
            capaian_mentah=raw, capaian_revisi_mentah=raw_rev, capaian=cap,
            capaian_revisi=bulatkan(raw_rev, p), kategori=kat, warna=warna, pagu=pos.pagu,
            realisasi_anggaran=pos.realisasi, serapan=pos.serapan, sisa=pos.sisa,
            capaian_pk_mentah=raw_pk, capaian_pk=bulatkan(raw_pk, p)))
    return out


# --------------------------------------------------------------------------- history


def capaian_riwayat(spec: Spec, iku: Iku) -> list[tuple[int, Value, Value, float | None]]:
    """Earlier years of an IKU, oldest first: (tahun, target, realisasi, capaian rounded),
    capaian by the same rule as this year's (None where target or realisasi is missing)."""
    out = []
    for r in sorted(iku.riwayat, key=lambda r: r.tahun):
        cap = _capaian(iku, spec, nilai_numerik(iku, r.realisasi), r.target, None)
        out.append((r.tahun, r.target, r.realisasi, bulatkan(cap, spec.pengaturan)))
    return out


RIWAYAT_TOLERANSI = 0.01  # a printed capaian within this of the rule's is the same figure


def _check_riwayat(spec: Spec, iku: Iku, report: Report) -> None:
    """An earlier year's capaian as its report printed it, against the one the rule gives
    from that year's target and realisasi: a difference above 0.01 (more than rounding
    or truncation) is the earlier report's own error, or a target/realisasi typed wrong."""
    printed = {r.tahun: r.capaian for r in iku.riwayat if r.capaian is not None}
    for tahun, target, realisasi, cap in capaian_riwayat(spec, iku):
        if tahun not in printed:
            continue
        shown = printed[tahun]
        where = spec.where(("iku", iku.kode, "riwayat_capaian", tahun))
        if cap is None:
            report.warn(
                "capaian_riwayat_berbeda", where,
                f"Capaian {tahun} IKU {iku.kode} tercetak {format_number(shown)} %, tetapi "
                f"tidak bisa dihitung dari target {_angka(target) if target is not None else '-'}"
                f" dan realisasi {_angka(realisasi) if realisasi is not None else '-'}.",
                "Lengkapi target dan realisasi tahun itu (target lebih dari 0).")
        elif abs(cap - shown) > RIWAYAT_TOLERANSI + 1e-9:
            report.warn(
                "capaian_riwayat_berbeda", where,
                f"Capaian {tahun} IKU {iku.kode} tercetak {format_number(shown)} %, tetapi "
                f"dari target {_angka(target)} dan realisasi {_angka(realisasi)} aturan yang "
                f"sama memberi {format_number(cap)} %.",
                "Periksa target dan realisasi tahun itu; bila angkanya benar, capaian di "
                "laporan lama yang keliru (yang dipakai adalah hasil hitung).")
