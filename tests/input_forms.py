"""Every form a person can put in a number cell of the input sheets, with its meaning.

:func:`input_forms` is the one list of input forms (issue 8, point 2), reusable by any
test that writes forms into generated workbooks: each item says what to write into the
cell (value and number format, as openpyxl writes them, i.e. what Excel stores after a
person typed it), the kind of cell it goes to, and what both the per-row formulas and
the engine must make of it: the number (or label) read, or None for "not a number / not
reported", and the error finding the engine raises at that cell (None: no finding).
See docs/rules.md, "Bentuk isian di sel angka".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

#: Kinds of input cell: an IKU number (satuan Indeks), a count (Orang), a percentage
#: IKU (satuan %, a real Excel percentage cell), a kategori IKU with a banded scale,
#: and a budget amount (rupiah).
KINDS = ("angka", "hitungan", "persen", "kategori", "uang")

FORMATS = {"angka": "#,##0.00", "hitungan": "#,##0", "persen": "0.00%",
           "kategori": "#,##0.00", "uang": "#,##0"}

#: Excel gives a cell the date format when what is typed reads as a date ("5/4").
FORMAT_TANGGAL = "d/m/yyyy"

#: The banded scale kategori cells use (labels from the Jawa Tengah report).
SKALA_ZI = [{"label": "Belum WBK", "minimal": 0}, {"label": "WBK", "minimal": 75},
            {"label": "WBBM", "minimal": 85}]


@dataclass(frozen=True)
class InputForm:
    nama: str  # short name, for test ids
    kind: str  # one of KINDS
    nilai: Any  # what the cell holds (openpyxl value: number, text, bool, date, "#N/A")
    format: str  # the cell's number format
    arti: float | str | None  # what it means: number, label, or None (not a number)
    temuan: str | None  # the engine's error finding at the cell, or None


def _generic(kind: str) -> Iterator[tuple[str, Any, Any, str | None]]:
    """(name, value, meaning, finding) of the forms every kind of cell can receive."""
    yield "kosong", None, None, None
    yield "spasi", "   ", None, None
    yield "strip", "-", None, None
    yield "teks_ribuan", "6.419", None, "angka_sebagai_teks"
    yield "teks_ambigu", "1,470", None, "bukan_angka"
    yield "teks_persen", "12,5%", None, "angka_sebagai_teks"
    yield "teks_rupiah", "Rp 1.250.000.000", None, "angka_sebagai_teks"
    yield "angka_label", "76,11 (WBK)", None, "angka_sebagai_teks"
    if kind == "kategori":
        yield "label_lain", "Baik", None, "label_tidak_dikenal"
    else:
        yield "label", "Baik", None, "bukan_angka"
    yield "error_na", "#N/A", None, "nilai_error"
    yield "error_div0", "#DIV/0!", None, "nilai_error"
    # TRUE typed in Excel. Its number format is left General here: LibreOffice tells a
    # boolean from the number 1 by the cell's format only, so a TRUE stored in a cell
    # with a number format reads as 1 there (Excel, Gnumeric and the engine: no number;
    # the engine marks the cell, so the difference never passes silently).
    yield "logika", True, None, "bukan_angka"
    serial = 46117.0  # 5 April 2026, what Excel stores for "5/4" typed in an Indonesian Excel
    yield "tanggal", dt.datetime(2026, 4, 5), serial * 100 if kind == "persen" else serial, \
        "tanggal"


def _specific(kind: str) -> Iterator[tuple[str, Any, Any, str | None]]:
    if kind == "angka":
        yield "angka", 12.5, 12.5, None
        yield "angka_bulat", 6419, 6419.0, None
    elif kind == "hitungan":
        yield "bulat", 1470, 1470.0, None
        # "1.470" typed in an English-locale Excel or LibreOffice: 1,47 people
        yield "pecahan", 1.47, 1.47, "pecahan_di_hitungan"
    elif kind == "persen":
        # 54, 54% and 54,00 % typed in Excel (automatic percent entry) all store 0.54
        yield "persen", 0.54, 54.0, None
        yield "persen_desimal", 0.9775, 97.75, None
        # 54 typed in LibreOffice, which has no automatic percent entry: 5400 %
        yield "persen_libreoffice", 54, 5400.0, "persen_terlalu_besar"
    elif kind == "kategori":
        yield "label", "WBK", "WBK", None
        yield "label_huruf_kecil", " wbk ", "WBK", None
        yield "angka_rentang", 80, 80.0, None
    elif kind == "uang":
        yield "rupiah", 1_250_000_000, 1_250_000_000.0, None


def input_forms(kinds: tuple[str, ...] = KINDS) -> Iterator[InputForm]:
    """Every input form for every kind of cell in ``kinds``."""
    for kind in kinds:
        for nama, nilai, arti, temuan in (*_specific(kind), *_generic(kind)):
            fmt = FORMAT_TANGGAL if isinstance(nilai, dt.date) else \
                "General" if isinstance(nilai, bool) else FORMATS[kind]
            yield InputForm(f"{kind}-{nama}", kind, nilai, fmt, arti, temuan)
