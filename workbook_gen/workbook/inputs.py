"""One rule per input form: what a value found in an input cell of a unit workbook means.

Every reader of a workbook (``hitung``, ``periksa``, the button, the consolidation) goes
through :func:`baca_sel`, and ``workbook_gen.formulas`` states the same rule per row, so
the sheet formulas and the engine never disagree about a cell:

* a number is that number (``persen``: a percentage cell stores 54 % as 0.54, the
  number read is 54);
* blank, whitespace and a dash ("-") are "not reported";
* text of any kind in a number cell ("6.419", "12,5%", "Rp 1.250.000.000", "76,11 (WBK)",
  a label) is NOT a number: the formulas ignore it (ISNUMBER is false) and the engine
  reads it as not reported, with an error finding that says what to type instead;
* kategori cells take a label of the scale as text (the formulas MATCH it); text that
  holds a number ("76,11 (WBK)", "88") is refused there as well;
* an error value (#N/A, #DIV/0!, ...) is not a number on both sides, with an error;
* TRUE/FALSE is not a number on both sides, with an error;
* a date is the number Excel stores for it (its serial number, which the formulas
  compute with too), with an error: nobody means a date in a number cell;
* a fraction in a count (Orang, Lokasi, Kasus, Dokumen, ...) is computed as it is on
  both sides, with an error naming the likely cause (a decimal point read in another
  locale: "1.470" read by an English Excel as 1,47).

See docs/rules.md, "Bentuk isian di sel angka".
"""

from __future__ import annotations

import datetime as _dt
import math
from typing import Any

from ..bounds import MAX_ABS, MIN_ABS, out_of_bounds
from ..findings import Report
from ..parsing import ParseError, is_blank, parse_value, plain_number

__all__ = ["SATUAN_HITUNGAN", "PERSEN_PECAHAN", "PERSEN_ANGKA", "baca_sel", "dari_tanggal",
           "disimpan_persen", "hitungan", "nilai_persen", "sel_persen"]

#: Units that count whole things: a fraction in such a cell is an error.
SATUAN_HITUNGAN = frozenset({
    "orang", "lokasi", "kasus", "dokumen", "data", "bulan", "kegiatan", "laporan", "unit",
    "paket", "kali", "keluarga", "desa", "perusahaan", "berkas", "pengaduan", "aduan",
})

#: How a workbook stores percentages (recorded in its layout in ``_meta``): as real
#: Excel percentages (54 % stored as 0.54; today's workbooks) or as plain numbers (54;
#: workbooks generated before this rule).
PERSEN_PECAHAN = "pecahan"
PERSEN_ANGKA = "angka"

#: Excel's error values, as readers return them (text).
NILAI_ERROR = ("#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!",
               "#GETTING_DATA", "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#UNKNOWN!",
               "#CONNECT!", "#BUSY!", "#PYTHON!")

_EXCEL_EPOCH = _dt.datetime(1899, 12, 30)


def sel_persen(jenis: str, satuan_persen: bool, rumus: str, field: str) -> bool:
    """True when the input cell ``field`` of an IKU is a percentage cell (formatted as an
    Excel percentage, 54 % stored as 0.54): percentage angka IKUs' targets and, unless the
    IKU is a reduction whose quarters are counts or a ratio (pembilang and penyebut are
    counts), their quarterly realisasi."""
    if jenis != "angka" or not satuan_persen:
        return False
    if field == "baseline" or field.startswith(("pembilang", "penyebut")):
        return False
    if field.startswith("realisasi"):
        return rumus in ("langsung", "penurunan_persen")
    return True


def hitungan(satuan: str, rumus: str = "langsung", field: str = "target") -> bool:
    """True when the cell counts whole things (a fraction there is an error)."""
    if rumus == "penurunan":  # quarters and baseline count cases; targets are percentages
        return field.startswith("realisasi") or field == "baseline"
    if field.startswith(("pembilang", "penyebut")):  # a ratio's X and Y: counts
        return True
    return satuan.strip().casefold() in SATUAN_HITUNGAN


def nilai_persen(stored: float, konvensi: str = PERSEN_PECAHAN) -> float:
    """The percentage a percentage cell means: 0.54 -> 54 (in workbooks that store real
    percentages); unchanged in older workbooks. The formulas compute ``x*100`` alike."""
    return stored * 100 if konvensi == PERSEN_PECAHAN else stored


def disimpan_persen(value: Any) -> Any:
    """What a percentage cell stores for the percentage ``value`` (54 -> 0.54, as Excel
    stores a typed 54%): the inverse of :func:`nilai_persen`; labels and blanks as they
    are."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value / 100
    return value


def dari_tanggal(value: _dt.date | _dt.datetime | _dt.time) -> float:
    """The number Excel stores for a date or time (1900 date system)."""
    if isinstance(value, _dt.datetime):
        delta = value - _EXCEL_EPOCH
        return delta.days + delta.seconds / 86400 + delta.microseconds / 86400e6
    if isinstance(value, _dt.date):
        return float((value - _EXCEL_EPOCH.date()).days)
    return (value.hour * 3600 + value.minute * 60 + value.second) / 86400


def _tanggal_text(value: _dt.date | _dt.datetime | _dt.time) -> str:
    """A date as Indonesian staff read it (5/4/2026), with the time when there is one."""
    if isinstance(value, _dt.time):
        return value.strftime("%H:%M")
    day = f"{value.day}/{value.month}/{value.year}"
    if isinstance(value, _dt.datetime) and value.time() != _dt.time():
        return f"{day} {value.strftime('%H:%M')}"
    return day


def _ketik(value: float, persen: bool) -> str:
    """How a person types ``value`` into the cell (Indonesian Excel)."""
    return plain_number(value) + ("%" if persen else "")


def _shown(typed: int | float) -> str:
    if isinstance(typed, int) and abs(typed) >= 10**15:  # too long for a float
        digits = str(abs(typed))
        return f"{'-' if typed < 0 else ''}{digits[:6]}... ({len(digits)} digit)"
    return f"{typed:.6g}"


def baca_sel(raw: Any, where: str, report: Report, apa: str, *, jenis: str = "angka",
             persen: bool = False, konvensi: str = PERSEN_PECAHAN,
             hitung_utuh: bool = False, batas_persen: float | None = None) -> Any:
    """What the value ``raw`` read from an input cell means, as the formulas read it.

    ``jenis``: "angka" (an IKU number or a budget amount) or "kategori" (a label of the
    IKU's scale, or a number for a scale with bands). ``persen``: the cell is a
    percentage cell; ``batas_persen``: a percentage above it is an error (a target typed
    as 63 in LibreOffice, which has no automatic percent entry, is 6300 %; realisasi are
    checked by the engine). ``hitung_utuh``: the cell counts whole things. Returns a number, a
    label (kategori; checked against the scale later), or None (not a number / not
    reported). Problems go to ``report`` as errors located at ``where``.
    """
    if raw is None:
        return None
    if (type(raw) is float and not persen and (raw == 0.0 or MIN_ABS <= abs(raw) < MAX_ABS)
            and (not hitung_utuh or raw.is_integer())):
        return raw  # a plain number within bounds (most cells): what the steps below give
    if is_blank(raw):
        return None
    if isinstance(raw, bool):
        report.error(
            "bukan_angka", where,
            f"{apa}: sel berisi nilai logika {'BENAR' if raw else 'SALAH'}, bukan angka; "
            "rumus dan Hitung Capaian tidak menghitungnya.",
            "Ketik angkanya, atau kosongkan bila belum ada.")
        return None
    if isinstance(raw, (_dt.date, _dt.datetime, _dt.time)):
        serial = dari_tanggal(raw)
        value = nilai_persen(serial, konvensi) if persen else serial
        report.error(
            "tanggal", where,
            f"{apa}: sel berisi tanggal/waktu ({_tanggal_text(raw)}); Excel menyimpannya "
            f"sebagai angka {plain_number(round(serial, 6))}, dan angka itulah yang dihitung "
            "rumus dan Hitung Capaian. Biasanya Excel mengubah ketikan seperti 1/2 atau 5-4 "
            "menjadi tanggal.",
            "Hapus isinya, atur format sel menjadi angka, lalu ketik angkanya lagi.")
        return value
    if isinstance(raw, (int, float)):
        reason = out_of_bounds(raw)
        if reason is not None and (isinstance(raw, int) or math.isfinite(raw)):
            report.error(
                "angka_di_luar_batas", where, f"{apa}: angka '{_shown(raw)}' {reason}; "
                "tidak dihitung.",
                "Periksa angkanya: ketik nilai yang sebenarnya (tanpa digit berlebih), atau "
                "kosongkan bila belum ada.")
            return None
        value = float(raw)
        if not math.isfinite(value):
            report.error("bukan_angka", where, f"{apa}: '{raw}' bukan angka yang wajar.",
                         "Ketik angka biasa.")
            return None
        if persen:
            value = nilai_persen(value, konvensi)
            if batas_persen is not None and value > batas_persen:
                report.error(
                    "persen_terlalu_besar", where,
                    f"{apa}: {plain_number(value)} %, jauh di atas {plain_number(batas_persen)} "
                    "%. Di LibreOffice, angka 63 yang diketik di sel persen menjadi 6300 %.",
                    "Ketik persentasenya dengan tanda persen, misalnya 63%.")
        if hitung_utuh and not value.is_integer():
            _pecahan(value, where, report, apa)
        return value
    text = str(raw).strip()
    if text.upper() in NILAI_ERROR or (text.startswith("#") and text.endswith(("!", "?", "A"))
                                       and " " not in text and len(text) <= 16):
        report.error(
            "nilai_error", where,
            f"{apa}: sel berisi nilai error {text}, bukan angka; rumus dan Hitung Capaian "
            "menganggapnya belum diisi.",
            "Ketik angkanya sebagai nilai (bukan rumus), atau kosongkan bila belum ada.")
        return None
    try:
        parsed = parse_value(text)
    except ParseError as exc:
        report.error(
            "bukan_angka", where,
            f"{apa}: teks '{text}' bukan angka: {exc.message} Rumus dan Hitung Capaian "
            "menganggapnya belum diisi.", exc.saran)
        return None
    if parsed.value is None and parsed.label is not None and jenis == "kategori":
        return text  # a label: the scale check (spec builder) says whether it is known
    if parsed.value is not None:
        typed = _ketik(parsed.value, persen and konvensi == PERSEN_PECAHAN)
        label = f" atau label {parsed.label} saja" if parsed.label and jenis == "kategori" \
            else ""
        report.error(
            "angka_sebagai_teks", where,
            f"{apa}: '{text}' tersimpan sebagai teks, bukan angka; rumus di lembar dan "
            "Hitung Capaian tidak menghitungnya (dianggap belum diisi).",
            f"Ketik ulang sebagai angka: {typed}{label} (tanpa titik ribuan, tanpa Rp atau "
            "satuan; bila sel berformat Teks, ubah dulu formatnya menjadi angka).")
        return None
    report.error(
        "bukan_angka", where,
        f"{apa}: '{text}' bukan angka; rumus dan Hitung Capaian menganggapnya belum diisi.",
        "Ketik angkanya, misalnya 1470 atau 12,5; kosongkan bila belum ada.")
    return None


def _pecahan(value: float, where: str, report: Report, apa: str) -> None:
    likely, contoh = "", "1470"
    thousands = abs(value) * 1000
    whole = math.floor(abs(value))
    if 1 <= whole < 1000 and abs(thousands - round(thousands)) < 1e-6:
        ribuan = round(thousands)
        typed = f"{whole}.{ribuan % 1000:03d}"
        contoh = str(ribuan)
        likely = (f" Kemungkinan '{typed}' (ribuan: {ribuan}) dibaca sebagai desimal oleh "
                  "Excel/LibreOffice berbahasa Inggris, yang memakai titik sebagai koma "
                  "desimal.")
    report.error(
        "pecahan_di_hitungan", where,
        f"{apa}: {plain_number(value)} bukan bilangan bulat, padahal satuannya menghitung "
        f"(orang, lokasi, kasus, dokumen ...).{likely}",
        f"Ketik jumlahnya sebagai bilangan bulat tanpa titik ribuan, misalnya {contoh}.")
