"""The annual realisasi of an IKU: a verified year figure beside the quarters.

Some reports print a realisasi for the year that is not what their quarters add up to:
people counted by another office at year end, a figure verified after TW IV, or simply
the report's own slip (1.985 + 0 + 89 + 641 = 2.715 printed as 731). The spec's
``realisasi_tahunan`` (the Realisasi sheet's "Realisasi tahunan" cell) holds that figure.

The rule, stated once here and restated by the per-row formula ``formulas.realisasi_sd``
(docs/rules.md#realisasi-tahunan):

* It applies when the periode covers the whole year (TW IV or Tahunan): it then replaces
  the aggregate of the quarters (kumulatif / akhir / rata-rata; for a reduction IKU the
  year's count of cases, from which the reduction is computed; for a kategori IKU the
  year's label or banded number). Realisasi, capaian and the means use it.
* Before TW IV it is not used (the year is not over) and is a warning.
* When the quarters also give a figure and it differs, a warning names both numbers and
  their cells, so the difference stays visible; the quarters stay as typed.

Pure: no I/O; the engine calls these functions.
"""

from __future__ import annotations

from .findings import Report
from .parsing import format_number
from .spec import Iku, Spec, Value

#: the periode from which the annual figure counts (quarters covered)
BERLAKU_SEJAK = 4

_CARA = {"kumulatif": "dijumlah menjadi", "akhir": "(triwulan terakhir) adalah",
         "rata_rata": "dirata-rata menjadi"}


def realisasi_tahunan(spec: Spec, iku: Iku) -> Value:
    """The annual figure when it applies to this periode, else None."""
    if iku.realisasi_tahunan is None or spec.periode_n < BERLAKU_SEJAK:
        return None
    return iku.realisasi_tahunan


def _tempat(spec: Spec, key: tuple) -> str:
    """Where a value is, for a message: the cell, or the spec path without the file name
    (the finding's location already names the file)."""
    return spec.where(key).removeprefix(f"{spec.sumber}: ")


def _angka(v: Value) -> str:
    return v if isinstance(v, str) else format_number(v)


def sama(iku: Iku, a: Value, b: Value) -> bool:
    """Whether the quarters' figure and the annual one agree: numbers to 0,005; for a
    kategori IKU the labels (a number by its band), which is what its capaian uses."""
    if iku.jenis == "kategori" and iku.skala is not None:
        la = a if isinstance(a, str) else iku.skala.label_untuk(a)  # type: ignore[arg-type]
        lb = b if isinstance(b, str) else iku.skala.label_untuk(b)  # type: ignore[arg-type]
        return la is not None and la == lb
    return abs(float(a) - float(b)) < 0.005  # type: ignore[arg-type]


def periksa(spec: Spec, iku: Iku, quarters: list[tuple[int, Value]], dari_triwulan: Value,
            report: Report) -> None:
    """Findings on the annual figure: typed before TW IV (not used), or different from
    what the reported quarters give (both numbers and their cells named)."""
    v = iku.realisasi_tahunan
    if v is None:
        return
    where = spec.where(("iku", iku.kode, "realisasi_tahunan"))
    if spec.periode_n < BERLAKU_SEJAK:
        report.warn(
            "di_luar_periode", where,
            f"IKU {iku.kode} sudah berisi realisasi tahunan {_angka(v)}, padahal periode "
            f"laporan {spec.periode_label}; realisasi tahunan baru dipakai pada TW IV atau "
            "Tahunan, jadi nilai ini belum dihitung.",
            "Kosongkan sel itu sampai akhir tahun, atau ubah periode laporan.")
        return
    if dari_triwulan is None or sama(iku, dari_triwulan, v):
        return
    if iku.rumus == "rasio":  # quarters typed as pembilang / penyebut (workbook U:AB)
        qs = [q for q, _ in quarters]
        x = sum(iku.pembilang_tw[q - 1] or 0.0 for q in qs)
        y = sum(iku.penyebut_tw[q - 1] or 0.0 for q in qs)
        first = _tempat(spec, ("iku", iku.kode, "pembilang_tw", qs[0]))
        last = _tempat(spec, ("iku", iku.kode, "penyebut_tw", qs[-1]))
        report.warn(
            "realisasi_tahunan_berbeda", where,
            f"Realisasi per triwulan IKU rasio {iku.kode} (jumlah pembilang / jumlah "
            f"penyebut = {_angka(x)}/{_angka(y)}, {first} s.d. {last}) memberi "
            f"{_angka(dari_triwulan)}, bukan realisasi tahunan {_angka(v)} "
            f"({_tempat(spec, ('iku', iku.kode, 'realisasi_tahunan'))}); capaian memakai "
            f"realisasi tahunan {_angka(v)}.",
            "Realisasi tahunan dipakai sebagai realisasi setahun; pembilang dan penyebut "
            "triwulan tetap tercatat. Kosongkan realisasi tahunan bila angka triwulan yang "
            "benar.")
        return
    cara = iku.agregasi  # a kategori IKU's is always akhir
    shown = " + " if cara == "kumulatif" else ", "
    typed = shown.join(_angka(x) for _, x in quarters)
    first = _tempat(spec, ("iku", iku.kode, "realisasi_tw", quarters[0][0]))
    last = _tempat(spec, ("iku", iku.kode, "realisasi_tw", quarters[-1][0]))
    cells = first if first == last else f"{first} s.d. {last}"
    lengkap = [q for q, _ in quarters] == list(iku.diukur_pada)
    if cara == "kumulatif" and lengkap:
        saran = ("Angka triwulan laporan tidak berjumlah sama dengan angka tahunannya: "
                 "periksa angka yang salah ketik. Bila angka tahunan memang angka "
                 "terverifikasi, biarkan; capaian memakai realisasi tahunan.")
    else:
        saran = ("Realisasi tahunan dipakai sebagai realisasi setahun; angka triwulan tetap "
                 "tercatat. Kosongkan realisasi tahunan bila angka triwulan yang benar.")
    report.warn(
        "realisasi_tahunan_berbeda", where,
        f"Realisasi per triwulan IKU {iku.kode} ({typed}, {cells}) {_CARA[cara]} "
        f"{_angka(dari_triwulan)}, bukan realisasi tahunan {_angka(v)} "
        f"({_tempat(spec, ('iku', iku.kode, 'realisasi_tahunan'))}); capaian "
        f"memakai realisasi tahunan {_angka(v)}.", saran)

