"""The input-cell rule (workbook_gen.workbook.inputs.baca_sel) on its own: hand-worked
values and messages, and the property that text in a number cell is never a number."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from workbook_gen.findings import Report
from workbook_gen.parsing import is_blank
from workbook_gen.workbook.inputs import (
    PERSEN_ANGKA,
    PERSEN_PECAHAN,
    baca_sel,
    dari_tanggal,
    hitungan,
    sel_persen,
)


def read(raw, **rule):
    report = Report()
    value = baca_sel(raw, "Realisasi!E6", report, "Realisasi TW I IKU-1", **rule)
    return value, [(f.jenis, f.pesan, f.saran) for f in report.errors]


def test_percentage_cells_store_fractions_in_new_workbooks_only():
    assert read(0.54, persen=True) == (54.0, [])
    assert read(0.54, persen=True, konvensi=PERSEN_ANGKA) == (0.54, [])
    assert read(54, persen=True, konvensi=PERSEN_ANGKA) == (54.0, [])
    value, errors = read(54, persen=True, batas_persen=200)  # LibreOffice: typed 54
    assert value == 5400.0
    assert errors[0][0] == "persen_terlalu_besar" and "63%" in errors[0][2]


def test_which_cells_are_percentages_and_counts():
    assert sel_persen("angka", True, "langsung", "realisasi_tw1")
    assert sel_persen("angka", True, "penurunan", "target")
    assert not sel_persen("angka", True, "penurunan", "realisasi_tw1")  # counts of cases
    assert not sel_persen("kategori", True, "langsung", "target")
    assert not sel_persen("angka", True, "langsung", "baseline")
    assert hitungan("Orang") and hitungan(" lokasi ") and not hitungan("Nilai")
    assert hitungan("%", "penurunan", "realisasi_tw2") and not hitungan("Kasus", "penurunan")


def test_count_of_people_read_by_an_english_excel():
    """Banten's 2.622 Orang typed as 2.622 into an English-locale Excel is 2,622."""
    value, errors = read(2.622, hitung_utuh=True)
    assert value == 2.622
    (jenis, pesan, saran), = errors
    assert jenis == "pecahan_di_hitungan"
    assert "'2.622' (ribuan: 2622)" in pesan and "misalnya 2622" in saran


def test_ambiguous_text_lists_both_readings():
    value, errors = read("1,470")
    assert value is None
    (jenis, pesan, saran), = errors
    assert jenis == "bukan_angka" and "1470" in pesan and "1,470" in pesan
    assert "1,47" in saran


def test_text_number_says_what_to_type():
    assert read("6.419")[1][0][2].startswith("Ketik ulang sebagai angka: 6419 ")
    assert read("12,5%", persen=True)[1][0][2].startswith("Ketik ulang sebagai angka: 12,5% ")
    assert "76,11 atau label WBK saja" in read("76,11 (WBK)", jenis="kategori")[1][0][2]


def test_dates_are_their_serial_number():
    assert dari_tanggal(dt.date(2026, 4, 5)) == 46117.0  # as Excel's DATE(2026,4,5)
    assert dari_tanggal(dt.datetime(1900, 3, 1, 12)) == 61.5
    value, errors = read(dt.datetime(2026, 4, 5))
    assert value == 46117.0 and errors[0][0] == "tanggal" and "5/4/2026" in errors[0][1]


def test_labels_pass_to_the_scale_check_in_kategori_cells_only():
    assert read("WBK", jenis="kategori") == ("WBK", [])
    assert read("WBK")[0] is None and read("WBK")[1][0][0] == "bukan_angka"


@given(st.text(max_size=40))
def test_text_in_a_number_cell_is_never_a_number(text):
    """Whatever text is in a number cell, both sides see no number: the reader gives
    None, and an error unless the text is blank or a dash ("not reported")."""
    value, errors = read(text)
    assert value is None
    assert (errors == []) == is_blank(text)


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12)
       .filter(lambda x: x == 0 or abs(x) >= 1e-9))
def test_a_number_is_itself_or_its_percentage(x):
    assert read(x)[0] == x
    assert read(x, persen=True, konvensi=PERSEN_PECAHAN)[0] == x * 100  # formulas: x*100


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e-9, max_value=1e-9)
       .filter(lambda x: x != 0 and abs(x) < 1e-9))
def test_a_number_too_small_to_show_is_refused_at_its_cell(x):
    value, errors = read(x)
    assert value is None and errors[0][0] == "angka_di_luar_batas"
