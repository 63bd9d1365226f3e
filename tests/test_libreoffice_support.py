"""Tests of the LibreOffice recalculation harness (tests/support/libreoffice.py).

Tests that need LibreOffice are skipped when ``soffice`` is not installed --
except in CI (``CI=true``), where a missing LibreOffice is a failure, so the
formula checks can never silently stop running there.
"""

from __future__ import annotations

import os
import subprocess
import threading
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

xlsxwriter = pytest.importorskip("xlsxwriter")
pytest.importorskip("openpyxl")

try:  # works when the project root is on sys.path (tests/__init__.py, pythonpath=".")
    from tests.support import libreoffice as lo
except ImportError:  # pytest "prepend" import mode puts tests/ itself on sys.path
    from support import libreoffice as lo

SOFFICE = lo.find_soffice()
IN_CI = os.environ.get("CI", "").strip().lower() in {"true", "1"}
NOT_FOUND_MESSAGE = (
    "LibreOffice (soffice) is not installed: apt-get install -y libreoffice-calc-nogui "
    "(or set $SOFFICE)"
)

_skip_without_soffice = pytest.mark.skipif(SOFFICE is None and not IN_CI, reason=NOT_FOUND_MESSAGE)


def requires_soffice(test):
    """Mark *test* ``libreoffice``; skip it locally when LibreOffice is missing.

    In CI the skip is disabled and the ``soffice`` fixture fails instead.
    """
    return pytest.mark.libreoffice(_skip_without_soffice(test))


@pytest.fixture(scope="session")
def soffice() -> str:
    if SOFFICE is None:
        pytest.fail(f"CI=true but {NOT_FOUND_MESSAGE}", pytrace=False)
    return SOFFICE


def _book(path: Path, a: float, b: float, wrong: float = 999) -> Path:
    """A1=a, B1=b, C1 = A1/B1 with a deliberately wrong cached value."""
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("Realisasi")
    ws.write_number("A1", a)
    ws.write_number("B1", b)
    ws.write_formula("C1", "=A1/B1", None, wrong)
    wb.close()
    return path


# --------------------------------------------------------------------------
# Always-run checks


def test_soffice_available_in_ci():
    """In CI the LibreOffice-based checks must run, never be skipped."""
    if IN_CI:
        assert SOFFICE is not None, NOT_FOUND_MESSAGE
    else:
        assert SOFFICE is None or os.path.exists(SOFFICE)


def test_profile_forces_recalculation():
    ns = {"oor": "http://openoffice.org/2001/registry"}
    root = ET.fromstring(lo.profile_xcu())
    props = {}
    for item in root.findall("item"):
        prop = item.find("prop")
        key = (item.get(f"{{{ns['oor']}}}path"), prop.get(f"{{{ns['oor']}}}name"))
        props[key] = prop.find("value").text
    load = "/org.openoffice.Office.Calc/Formula/Load"
    assert props[(load, "OOXMLRecalcMode")] == "0"  # 0 = always recalculate
    assert props[(load, "ODFRecalcMode")] == "0"
    assert props[("/org.openoffice.Setup/L10N", "ooSetupSystemLocale")] == "en-US"


def test_output_names_never_collide(tmp_path):
    a = tmp_path / "a" / "x.xlsx"
    b = tmp_path / "b" / "x.xlsx"
    c = tmp_path / "b" / "x.xlsm"
    names = lo._output_names([a, b, c], tmp_path / "out")
    assert [n.name for n in names] == ["x.xlsx", "x__2.xlsx", "x__3.xlsx"]
    # writing next to the input must not overwrite it
    assert lo._output_names([a], a.parent) == [a.parent / "x__2.xlsx"]


def test_missing_soffice_gives_clear_error(tmp_path):
    book = _book(tmp_path / "book.xlsx", 1, 2)
    with pytest.raises(lo.LibreOfficeNotFound, match="cannot run soffice"):
        lo.recalculate([book], tmp_path / "out", soffice=str(tmp_path / "no-soffice"))


def test_rejects_bad_input(tmp_path):
    assert lo.recalculate([], tmp_path / "out") == {}
    csv = tmp_path / "data.csv"
    csv.write_text("1,2\n")
    with pytest.raises(ValueError, match="supported"):
        lo.recalculate([csv], tmp_path / "out")
    with pytest.raises(FileNotFoundError):
        lo.recalculate([tmp_path / "missing.xlsx"], tmp_path / "out")


def test_read_values_distinguishes_empty_string_from_empty_cell(tmp_path):
    path = tmp_path / "values.xlsx"
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("S")
    ws.write_formula("A1", '=IF(TRUE,"","x")', None, "")
    ws.write_formula("A2", "=1/0", None, "#DIV/0!")
    ws.write_formula("A3", "=1=1", None, True)
    ws.write_string("A4", "-")
    ws.write_number("A5", 1.5)
    wb.close()
    assert lo.read_values(path) == {
        "S": {"A1": "", "A2": "#DIV/0!", "A3": True, "A4": "-", "A5": 1.5}
    }


# --------------------------------------------------------------------------
# Checks that run LibreOffice


@requires_soffice
def test_wrong_cached_value_is_recalculated(soffice, tmp_path):
    book = _book(tmp_path / "book.xlsx", 3, 4, wrong=999)
    assert lo.read_values(book)["Realisasi"]["C1"] == 999  # the trap is armed

    out = lo.recalculate([book], tmp_path / "out")

    assert out == {book: tmp_path / "out" / "book.xlsx"}
    assert lo.read_values(out[book])["Realisasi"] == {"A1": 3, "B1": 4, "C1": 0.75}
    assert lo.read_values(book)["Realisasi"]["C1"] == 999  # input left untouched


@requires_soffice
def test_batch_of_three_files_in_one_soffice_call(soffice, tmp_path, monkeypatch):
    books = [_book(tmp_path / f"b{i}.xlsx", i + 1, 8) for i in range(3)]
    calls = []
    real_popen = subprocess.Popen

    def counting_popen(cmd, *args, **kwargs):
        calls.append(cmd)
        return real_popen(cmd, *args, **kwargs)

    monkeypatch.setattr(lo.subprocess, "Popen", counting_popen)
    out = lo.recalculate(books, tmp_path / "out")

    assert len(calls) == 1
    assert sorted(out) == sorted(books)
    assert [lo.read_values(out[b])["Realisasi"]["C1"] for b in books] == [0.125, 0.25, 0.375]
    assert not list(tmp_path.glob(".~lock*"))  # nothing left next to the inputs


@requires_soffice
def test_same_file_names_from_different_folders(soffice, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a = _book(tmp_path / "a" / "same.xlsx", 1, 4)
    b = _book(tmp_path / "b" / "same.xlsx", 3, 4)
    out = lo.recalculate([a, b], tmp_path / "out")
    assert out[a] != out[b]
    assert lo.read_values(out[a])["Realisasi"]["C1"] == 0.25
    assert lo.read_values(out[b])["Realisasi"]["C1"] == 0.75


@requires_soffice
def test_two_runs_at_once(soffice, tmp_path):
    books = {k: [_book(tmp_path / f"{k}{i}.xlsx", i + 1, 2) for i in range(3)] for k in "xy"}
    results, errors = {}, []

    def run(k):
        try:
            results[k] = lo.recalculate(books[k], tmp_path / f"out_{k}")
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(k,)) for k in books]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    for k in books:
        got = [lo.read_values(results[k][b])["Realisasi"]["C1"] for b in books[k]]
        assert got == [0.5, 1, 1.5]


@requires_soffice
def test_unreadable_file_is_reported(soffice, tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"this is not a zip file")
    good = _book(tmp_path / "good.xlsx", 1, 2)
    with pytest.raises(lo.LibreOfficeError, match="bad.xlsx"):
        lo.recalculate([good, bad], tmp_path / "out")


@requires_soffice
def test_timeout_is_enforced(soffice, tmp_path):
    book = _book(tmp_path / "book.xlsx", 1, 2)
    with pytest.raises(lo.LibreOfficeError, match="timed out"):
        lo.recalculate([book], tmp_path / "out", timeout=0.2)


# Spreadsheet semantics the generator and the Python engine rely on.  If a
# LibreOffice upgrade changes any of these, the formula tests need a look.
SEMANTICS = [
    # (formula, LibreOffice result == Excel result)
    ("=ROUND(2.5,0)", 3),  # half away from zero, unlike Python's round()
    ("=ROUND(-2.5,0)", -3),
    ("=ROUND(2.675,2)", 2.68),  # decimal-looking rounding; Python round() gives 2.67
    ("=ROUND(1.005,2)", 1.01),
    ("=ROUNDDOWN(-2.789,2)", -2.78),
    ("=TRUNC(-8.9)", -8),
    ('=IFERROR(Realisasi!B3/Realisasi!B4,"")', ""),  # B4 = 0
    ("=Realisasi!B3/Realisasi!B4", "#DIV/0!"),
    ("=Realisasi!B5+1", "#VALUE!"),  # B5 = "-" (text)
    ("=SUM(Realisasi!B3:B5)", 85),  # SUM skips text
    ("=N(Realisasi!B5)", 0),
    ("=Realisasi!B6*1", 1.47),  # B6 = text "1.470", en-US profile locale
    ("=Realisasi!B7*2", 0),  # B7 empty
    ("=ISBLANK(Realisasi!B7)", True),
    ('=INDEX(Realisasi!B3:B5,MATCH("d",Realisasi!A3:A5,0))', "-"),
    ('=LOOKUP(80,{0,50,75,100},{"E","C","B","A"})', "B"),
    ("=SUMPRODUCT((Realisasi!B3:B4>0)*Realisasi!B3:B4)", 85),
    ('=CHOOSE(2,"a","b")', "b"),
    ("=TargetA*2", 170),  # workbook.define_name
]


@requires_soffice
def test_spreadsheet_semantics(soffice, tmp_path):
    path = tmp_path / "semantics.xlsx"
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("F")
    data = wb.add_worksheet("Realisasi")
    data.write_column("A3", ["b", "c", "d", "e"])
    data.write_number("B3", 85)
    data.write_number("B4", 0)
    data.write_string("B5", "-")
    data.write_string("B6", "1.470")
    wb.define_name("TargetA", "=Realisasi!$B$3")
    for row, (formula, _) in enumerate(SEMANTICS):
        ws.write_formula(row, 0, formula, None, 999)
    wb.close()

    values = lo.read_values(lo.recalculate([path], tmp_path / "out")[path])["F"]

    mismatches = [
        (formula, values.get(f"A{row + 1}", "<missing>"), expected)
        for row, (formula, expected) in enumerate(SEMANTICS)
        if not _same(values.get(f"A{row + 1}"), expected)
    ]
    assert not mismatches, mismatches


def _same(got: object, expected: object) -> bool:
    """Equal, with bools kept apart from numbers and a tolerance for floats
    (LibreOffice writes 15 significant digits)."""
    if isinstance(got, bool) or isinstance(expected, bool):
        return got is expected
    if isinstance(got, (int, float)) and isinstance(expected, (int, float)):
        return abs(got - expected) <= 1e-12 * max(1.0, abs(expected))
    return got == expected
