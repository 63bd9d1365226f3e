"""Rules of the button path, checked on generated cases (hypothesis):

* restoring formulas writes rectangles that hold only formula cells, cover every
  typed-over cell, and stay few;
* text written to Excel keeps its value (``book.literal`` against Excel's way of reading
  what is typed, as the counting fake imitates it);
* the verification tolerance is 0.01 and text compares as Excel shows it.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from workbook_gen.book import COM_ERRORS, _value, literal
from workbook_gen.excel.verify import same
from workbook_gen.routine import MAX_EXACT_WRITES, rectangles, restore_writes

from .fake_xlwings import excel_parse

cells = st.sets(st.tuples(st.integers(1, 30), st.integers(1, 12)), min_size=1, max_size=80)


def _inside(rect, cell) -> bool:
    r0, c0, r1, c1 = rect
    return r0 <= cell[0] <= r1 and c0 <= cell[1] <= c1


@given(cells)
def test_rectangles_cover_exactly(owned):
    rects = rectangles(owned)
    covered = [(r, c) for r0, c0, r1, c1 in rects for r in range(r0, r1 + 1)
               for c in range(c0, c1 + 1)]
    assert sorted(covered) == sorted(owned)  # each cell once, nothing else


@given(cells, st.data())
def test_restore_writes_only_formula_cells_and_every_broken_one(owned, data):
    broken = data.draw(st.sets(st.sampled_from(sorted(owned)), min_size=1))
    writes = restore_writes(dict.fromkeys(owned, "=1"), broken)
    written = {(r, c) for r0, c0, r1, c1 in writes for r in range(r0, r1 + 1)
               for c in range(c0, c1 + 1)}
    assert written <= owned  # never an input cell (anything not a formula cell)
    assert broken <= written
    assert len(writes) <= max(MAX_EXACT_WRITES, len(rectangles(owned)))
    if len(rectangles(broken)) <= MAX_EXACT_WRITES:
        assert written == broken  # only the cells that need it


def test_restore_writes_example():
    """Realisasi I:P on rows 6-8; M7 and P7 typed over: two single cells, not I7:P7."""
    owned = {(r, c) for r in (6, 7, 8) for c in range(9, 17)}
    assert restore_writes(dict.fromkeys(owned, "=1"), {(7, 13), (7, 16)}) == [
        (7, 13, 7, 13), (7, 16, 7, 16)]
    many = {(6, 9), (6, 11), (7, 13), (8, 10), (8, 16)}
    assert restore_writes(dict.fromkeys(owned, "=1"), many) == [(6, 9, 8, 16)]


@given(st.text(max_size=20))
def test_text_written_to_excel_keeps_its_value(text):
    stored = excel_parse(literal(text))
    assert stored == (None if text == "" else text)


def test_examples_of_what_excel_would_change():
    for text, changed in (("01", 1.0), ("2026", 2026.0), ("1.10", 1.1), ("54%", 0.54)):
        assert excel_parse(text) == changed  # why the apostrophe is needed
        assert excel_parse(literal(text)) == text


@given(st.floats(-1e9, 1e9, allow_nan=False), st.floats(-0.0099, 0.0099))
def test_tolerance(x, d):
    assert same(x + d, x)
    assert not same(x + 0.011, x) and not same(x - 0.011, x)


def test_same_for_text_and_empty():
    assert same("  baik ", "Baik") and not same("Baik", "Cukup")
    assert same(None, None) and same("", None) and not same(0.0, None)
    assert not same("88", 88.0) and not same(True, 1.0)


def test_com_errors_read_as_text():
    assert _value(-2146826281) == "#DIV/0!" and set(COM_ERRORS.values()) >= {"#N/A", "#REF!"}
    assert _value(12.0) == 12.0 and _value("") is None and _value("01") == "01"


def _with_cached(path, out, sheet_xml: str, ref: str, value: str):
    """A copy of ``path`` whose formula cell ``ref`` has another cached value (as if the
    spreadsheet that saved it had computed ``value``)."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == sheet_xml:
                text, n = re.subn(rf'(<c r="{ref}"[^>]*>.*?<v>)[^<]*(</v>)',
                                  rf"\g<1>{value}\g<2>", data.decode("utf-8"), count=1)
                assert n == 1
                data = text.encode("utf-8")
            dst.writestr(item, data)
    return out


def test_file_path_reports_a_cached_value_that_differs(tmp_path, capsys):
    import json

    from workbook_gen.cli import main

    from .workbooks import fill, make_workbook, synthetic_data

    path = make_workbook(synthetic_data(10, 10), tmp_path / "unit.xlsm")
    assert main(["periksa", str(path), "--json"]) == 0  # the generator's caches agree
    capsys.readouterr()
    bad = _with_cached(path, tmp_path / "salah.xlsm", "xl/worksheets/sheet4.xml", "M6", "99")
    assert main(["periksa", str(bad), "--json"]) == 1
    found = json.loads(capsys.readouterr().out)["temuan"]
    assert [(f["tingkat"], f["lokasi"]) for f in found if f["jenis"] == "hasil_rumus_berbeda"
            ] == [("error", "Realisasi!M6")]
    fill(bad, {"Realisasi!S6": "catatan"})  # saved by openpyxl: no cached values left
    assert main(["periksa", str(bad), "--json"]) == 0
    found = json.loads(capsys.readouterr().out)["temuan"]
    assert [f for f in found if f["jenis"] == "hasil_rumus_berbeda"] == []
