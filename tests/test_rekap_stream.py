"""The streaming recap writer (``summary.xlsx_stream.XlsxStreamBook``) makes the same
workbook, as a user sees it, as the cell-by-cell book (``XlsxSheetBook``): a recap of
real unit workbooks with every status, and generated sheets with every kind of cell,
compared cell by cell through openpyxl (value and type, number format, font, fill,
border, alignment), with widths, heights, conditional formats, charts, page setup and
protection. The renderer's fast helpers (grid, live cells, row heights) are compared
with straightforward per-cell statements of the same rules."""

from __future__ import annotations

import io
import math
import re
import zipfile
import zlib
from typing import Any
from unittest import mock

import openpyxl
import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbook_gen import konsolidasi as kons
from workbook_gen.book import Area, Fmt
from workbook_gen.konsolidasi.content import build_rekap_content
from workbook_gen.konsolidasi.write import build_rekap_bytes
from workbook_gen.sheets import summary_xlsx
from workbook_gen.sheets.context import Context
from workbook_gen.sheets.styles import Styles
from workbook_gen.spec import Pengaturan, Spec, Unit
from workbook_gen.summary import render, xlsx_book, xlsx_stream
from workbook_gen.summary.xlsx_stream import XlsxStreamBook
from workbook_gen.tables import (
    BULAT,
    GRUP,
    PERSEN,
    RUPIAH,
    TEKS,
    TOTAL,
    Chart,
    Column,
    Formula,
    Series,
    SheetContent,
    Table,
    place,
    value_of,
)

from .test_konsolidasi import _gen, unit_data

# --------------------------------------------------------------------------- comparing


def _colour(c: Any) -> Any:
    return None if c is None else (c.type, c.rgb if c.type == "rgb" else c.value, c.tint)


def _look(cell: Any, inline: bool) -> tuple:
    f, fill, b, a = cell.font, cell.fill, cell.border, cell.alignment
    value = cell.value
    if inline and cell.data_type == "s" and isinstance(value, str):
        # both files hold the same escaped text (_x0001_, _x005F_x0000_); openpyxl drops
        # the escaped underscore (x005F_) in shared strings only: read inline text alike
        value = value.replace("x005F_", "")
    return (value, cell.data_type, cell.number_format,
            (f.name, f.b, f.i, f.sz, _colour(f.color)),
            (fill.fill_type, _colour(fill.fgColor), _colour(fill.bgColor)),
            tuple((s.style, _colour(s.color)) for s in (b.left, b.right, b.top, b.bottom)),
            (a.horizontal, a.vertical, a.wrap_text), cell.protection.locked)


def _charts(ws: Any) -> list[tuple]:
    out = []
    for ch in ws._charts:
        series = [(s.tx.strRef.f if s.tx and s.tx.strRef else None,
                   s.val.numRef.f if s.val else None,
                   (s.cat.numRef or s.cat.strRef).f if s.cat else None) for s in ch.series]
        anchor = ch.anchor._from
        out.append((type(ch).__name__, series, (anchor.row, anchor.col)))
    return out


def _sheet(ws: Any, inline: bool) -> dict[str, Any]:
    cells = {c.coordinate: _look(c, inline) for row in ws.iter_rows() for c in row
             if c.value is not None or c.has_style}
    cf = sorted((str(rng.sqref), r.type, r.operator, tuple(r.formula),
                 _colour(r.dxf.fill.bgColor) if r.dxf and r.dxf.fill else None)
                for rng in ws.conditional_formatting for r in rng.rules)
    ps = ws.page_setup
    return {
        "cells": cells,
        "widths": {k: (d.width, d.hidden) for k, d in ws.column_dimensions.items()},
        "heights": {k: d.height for k, d in ws.row_dimensions.items() if d.height},
        "conditional": cf,
        "charts": _charts(ws),
        "page": (ps.orientation, ps.paperSize, ps.fitToWidth, ps.fitToHeight,
                 ws.sheet_properties.pageSetUpPr.fitToPage if ws.sheet_properties.pageSetUpPr
                 else None, ws.page_margins.left, ws.page_margins.top,
                 ws.oddFooter.left.text, ws.oddFooter.right.text),
        "protection": (ws.protection.sheet, ws.protection.password,
                       ws.protection.formatColumns, ws.protection.formatRows,
                       ws.protection.selectLockedCells, ws.protection.selectUnlockedCells),
        "dimension": ws.calculate_dimension(),
    }


def _workbook(data: bytes, inline: bool = False) -> dict[str, Any]:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return {ws.title: _sheet(ws, inline) for ws in wb.worksheets}


def _around_cells(data: bytes) -> dict[str, str]:
    """Each sheet's XML outside <sheetData> (dimension, views, columns, protection,
    conditional formats, page setup, drawing), and the charts and drawings."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        parts = {n: z.read(n).decode("utf-8") for n in z.namelist()
                 if n.startswith(("xl/worksheets/sheet", "xl/charts/", "xl/drawings/"))}
    return {n: re.sub(r"<sheetData>.*</sheetData>|<sheetData/>", "", x, flags=re.S)
            for n, x in parts.items()}


def assert_same_workbook(new: bytes, old: bytes) -> None:
    assert _around_cells(new) == _around_cells(old)
    a, b = _workbook(new), _workbook(old, inline=True)
    assert list(a) == list(b)
    for name in a:
        for key in a[name]:
            if key == "cells":
                assert a[name]["cells"].keys() == b[name]["cells"].keys(), name
                for coord, look in a[name]["cells"].items():
                    assert look == b[name]["cells"][coord], (name, coord)
            else:
                assert a[name][key] == b[name][key], (name, key)


# --------------------------------------------------------------------------- a real recap

#: kode satker -> (IKU-1..4 realisasi in TW I, budget realisasi); None: nothing typed
_UNITS = {f"91{i:04d}": ([10 + i, 50 + i % 40, 20 + 3 * i % 80, 300 + 40 * i],
                         [1_000_000 * (i % 7)] * 8) for i in range(24)}
_UNITS["910003"] = ([5, 3453, 10, 100], [0] * 8)  # a count typed in a % IKU: error
_UNITS["910007"] = ([7, 60, 55, 9999], [9_000_000_000] * 8)  # budget overspent: findings
_UNITS["910011"] = None
_UNITS["910012"] = None


@pytest.fixture(scope="module")
def rekap_nyata(tmp_path_factory) -> kons.Rekap:
    folder = tmp_path_factory.mktemp("rekap_stream")
    for n, (kode, filled) in enumerate(_UNITS.items()):
        iku, anggaran = filled or ([None] * 4, [None] * 8)
        data = unit_data(kode, f"BP3MI Uji & Rekap <{n}> " + "panjang " * (n % 5),
                         iku, anggaran)
        if filled is None:  # nothing typed anywhere: belum diisi
            for s in data["sasaran"]:
                for i in s["iku"]:
                    i["realisasi_tw"] = [None] * 4
        _gen(data, folder / f"unit_{kode}.xlsm")
    good = (folder / "unit_910000.xlsm").read_bytes()
    (folder / "terpotong.xlsm").write_bytes(good[: len(good) // 2])
    (folder / "unit_910001_salinan.xlsm").write_bytes(
        (folder / "unit_910001.xlsm").read_bytes())  # the same unit twice: both ditolak
    katalog = folder / "katalog.csv"  # 910020 is not in it: peringatan
    katalog.write_text("kode_satker;nama\n" + "".join(f"{k};Unit {k}\n" for k in _UNITS
                                                        if k != "910020")
                       + "919999;Unit Belum Kirim\n", encoding="utf-8")
    return kons.konsolidasi([folder], tahun=2026, katalog=katalog, workers=1)


def test_the_recap_covers_every_status(rekap_nyata):
    statuses = {b.status for b in rekap_nyata.berkas}
    assert statuses == {kons.OK, kons.STATUS_PERINGATAN, "error", "belum diisi", kons.DITOLAK}
    assert [k.kode_satker for k in rekap_nyata.belum_mengirim] == ["919999"]
    assert [k.kode_satker for k in rekap_nyata.ditolak_katalog] == ["910001"]
    assert sum(len(b.temuan) for b in rekap_nyata.berkas) > 10


def test_streamed_recap_is_the_cell_by_cell_recap(rekap_nyata):
    new = build_rekap_bytes(rekap_nyata)
    old = build_rekap_bytes(rekap_nyata, summary_xlsx.write)
    assert_same_workbook(new, old)
    with mock.patch.object(xlsx_stream, "_CHUNK", 5), mock.patch.object(xlsx_stream, "_MEMO", 9):
        small = build_rekap_bytes(rekap_nyata)
    assert_same_workbook(small, old)  # chunks and an emptied memo change nothing
    wb = openpyxl.load_workbook(io.BytesIO(new))
    assert wb.sheetnames == list(kons.REKAP_SHEETS)
    # a few cells by hand: the error unit is marked and unranked; the katalog table
    unit = wb[kons.records.SHEET_UNIT]
    rows = {r[1]: r for r in unit.iter_rows(min_row=5, values_only=True) if r[1]}
    assert rows["910003"][0] == "-" and rows["910003"][3] == "error (tidak dihitung)"
    assert rows["910011"][3] == "belum diisi (tidak dihitung)"
    status = wb[kons.records.SHEET_STATUS]
    texts = [c for row in status.iter_rows(values_only=True) for c in row if c]
    assert "Unit Belum Kirim" in texts and "belum mengirim" in texts


def test_streamed_recap_reads_back_with_calamine(rekap_nyata):
    from python_calamine import CalamineWorkbook

    data = build_rekap_bytes(rekap_nyata)
    wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
    assert wb.sheet_names == list(kons.REKAP_SHEETS)
    iku = wb.get_sheet_by_name(kons.records.SHEET_IKU).to_python()
    ref = openpyxl.load_workbook(io.BytesIO(data))[kons.records.SHEET_IKU]
    for r, row in enumerate(iku, 1):
        for c, v in enumerate(row, 1):
            want = ref.cell(r, c).value
            assert (v == "" and want is None) or v == want, (r, c)


# --------------------------------------------------------------------------- generated sheets

_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
_cell = st.one_of(
    st.none(), _text, st.sampled_from(["Baik", "ok", " spasi ", "=A1", "a\nb", "<&>", "_x0041_"]),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.integers(-10**20, 10**20), st.booleans(),
    st.builds(Formula, st.sampled_from(["=1+1", "=SUM(A1:A2)", '="x"']),
              st.one_of(st.none(), st.floats(0, 100), st.just("teks"))))


@st.composite
def _tables(draw) -> Table:
    ncol = draw(st.integers(1, 6))
    cols = [Column(draw(st.one_of(_text.filter(bool), st.just("Judul kolom yang panjang "
                                                              "sekali"))),
                   draw(st.sampled_from([TEKS, PERSEN, RUPIAH, BULAT])),
                   draw(st.sampled_from([5, 9, 12, 30]))) for _ in range(ncol)]
    nrow = draw(st.integers(0, 30))
    rows = [[draw(_cell) for _ in range(draw(st.integers(ncol - 1 if ncol > 1 else 1, ncol)))]
            for _ in range(nrow)]
    styles = [draw(st.sampled_from(["normal", GRUP, TOTAL])) for _ in range(nrow)]
    colours = {draw(st.integers(0, ncol - 1)): {"Baik": "#C6EFCE", "ok": "#FFE699"}} \
        if draw(st.booleans()) else {}
    return Table(draw(_text.filter(bool)), cols, rows,
                 subtitle=draw(st.one_of(st.none(), _text.filter(bool))), row_styles=styles,
                 text_colours=colours, note=draw(st.one_of(st.none(), _text.filter(bool))),
                 capacity=draw(st.sampled_from([0, 0, nrow + 25])))


@st.composite
def contents(draw) -> SheetContent:
    tables = draw(st.lists(_tables(), min_size=1, max_size=3))
    blocks: list[Table | Chart] = list(tables)
    t = next((i for i, b in enumerate(tables) if len(b.rows) and len(b.columns) > 1), None)
    if t is not None:
        blocks.append(Chart("column", "Grafik", t, 0, [Series("S", t, 1, "#4472C4")]))
    cells = draw(st.dictionaries(st.tuples(st.integers(1, 3), st.integers(0, 8)), _cell,
                                 max_size=4))
    hidden = tuple(draw(st.sets(st.integers(6, 8), max_size=2)))
    return SheetContent(draw(st.sampled_from(["Lembar A", "Ringkasan"])),
                        draw(st.one_of(_text.filter(bool), st.builds(Formula, st.just("=1"),
                                                                     st.just(1)))),
                        blocks, landscape=draw(st.booleans()), cells=cells,
                        hidden_columns=hidden)


def _render_one(content: SheetContent, write: Any, password: str | None = None) -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"constant_memory": True, "strings_to_numbers": False,
                                   "strings_to_formulas": False, "strings_to_urls": False})
    spec = Spec(unit=Unit("Uji", "-"), tahun=2026, periode="tahunan", sasaran=[],
                pengaturan=Pengaturan(kata_sandi=password))
    ctx = Context(spec=spec, hasil=None, layout=None,  # type: ignore[arg-type]
                  styles=Styles(wb), macro=False)
    write(wb, ctx, content)
    wb.close()
    return buf.getvalue()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(contents(), st.sampled_from([(3, 4), (2048, 200_000)]))
def test_streamed_sheet_is_the_cell_by_cell_sheet(content, sizes):
    """Also with chunks of 3 rows and a memo of 4 numbers, so a table spans chunks and
    the memo is emptied on the way."""
    with mock.patch.object(xlsx_stream, "_CHUNK", sizes[0]), \
            mock.patch.object(xlsx_stream, "_MEMO", sizes[1]):
        new = _render_one(content, summary_xlsx.write_stream)
    assert_same_workbook(new, _render_one(content, summary_xlsx.write))


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_nan_and_infinity_fail_as_xlsxwriter_fails(bad):
    table = Table("T", [Column("A", PERSEN)], [[1.0], [bad], [2.0]])
    content = SheetContent("Lembar", "Judul", [table])
    for write in (summary_xlsx.write_stream, summary_xlsx.write):
        with pytest.raises(TypeError, match="NAN/INF"):
            _render_one(content, write)


def test_cells_xlsxwriter_writes_itself():
    """Formulas, text past Excel's limit and odd types go through xlsxwriter's own
    writers, in rows of otherwise fast cells."""
    long = "kata " * 7000  # 35,000 characters: cut at 32,767 like xlsxwriter does
    table = Table("T", [Column("A"), Column("B", PERSEN), Column("C")],
                  [["x", 1.5, long], [Formula("=B5*2", 3.0), 2.0, True],
                   ["y", 10**22, None]])
    content = SheetContent("Lembar", "Judul", [table], cells={(1, 4): Formula("=1", 1)})
    new = _render_one(content, summary_xlsx.write_stream, password="rahasia")
    assert_same_workbook(new, _render_one(content, summary_xlsx.write, password="rahasia"))
    ws = openpyxl.load_workbook(io.BytesIO(new))["Lembar"]
    assert len(ws["C5"].value) == 32767
    assert ws["A6"].value == "=B5*2" and ws["C6"].value == "True"
    assert ws["B7"].value == 1e22 and ws["E2"].value == "=1"


def test_stream_book_needs_a_constant_memory_workbook():
    with pytest.raises(ValueError):
        XlsxStreamBook(xlsxwriter.Workbook(io.BytesIO()))


# --------------------------------------------------------------------------- the helpers


def _grid_per_cell(content: SheetContent, formulas: bool) -> list[list[Any]]:
    placed = place(content)
    tables = [b for b in content.blocks if isinstance(b, Table)]
    width = max([len(t.columns) for t in tables] + [c + 1 for _, c in content.cells] + [1])
    height = max([p.last_data_row + 2 for p in placed.values()]
                 + [r + 1 for r, _ in content.cells] + [1])
    grid: list[list[Any]] = [[None] * width for _ in range(height)]
    grid[0][0] = content.title
    for i, block in enumerate(content.blocks):
        if isinstance(block, Table):
            pl = placed[i]
            grid[pl.title_row][0] = block.title
            if block.subtitle:
                grid[pl.title_row + 1][0] = block.subtitle
            for c, col in enumerate(block.columns):
                grid[pl.header_row][c] = col.header
            for r, row in enumerate(block.rows):
                for c, v in enumerate(row):
                    grid[pl.first_data_row + r][c] = v
            if block.note:
                grid[pl.last_data_row + 1][0] = block.note
    for (r, c), v in content.cells.items():
        grid[r][c] = v
    return [[(v.text if formulas else v.value) if isinstance(v, Formula) else v for v in row]
            for row in grid]


def _heights_per_cell(content: SheetContent) -> dict[int, float]:
    widths = render.column_widths(content)
    out = {}
    for i, block in enumerate(content.blocks):
        if isinstance(block, Table):
            pl = place(content)[i]
            rows = [(pl.header_row, [c.header for c in block.columns])]
            rows += [(pl.first_data_row + r, row) for r, row in enumerate(block.rows)]
            for r, values in rows:
                n = max([render._lines(value_of(v), widths[j]) for j, v in enumerate(values)
                         if j < len(widths) and widths[j] > 0] + [1])
                if n > 1:
                    out[r + 1] = render.LINE_HEIGHT * n
    return out


@settings(max_examples=150, deadline=None)
@given(contents())
def test_fast_helpers_state_the_per_cell_rules(content):
    texts, values = _grid_per_cell(content, True), _grid_per_cell(content, False)
    assert render.grid_of(content)[0] == texts
    assert render.grid_of(content, formulas=False)[0] == values
    live = {(r + 1, c + 1): values[r][c] for r, row in enumerate(texts)
            for c, t in enumerate(row)
            if isinstance(t, str) and t != values[r][c] and t.startswith("=")}
    assert render.formula_cells(content) == live
    assert render.row_heights(content) == _heights_per_cell(content)


def test_fast_helpers_on_the_recap_and_the_summaries(rekap_nyata, banten, jateng):
    from workbook_gen.summary import build

    sheets = [*build_rekap_content(rekap_nyata), *build.build_summary(banten),
              *build.build_summary(jateng)]
    assert len(sheets) >= 8
    for content in sheets:
        assert render.grid_of(content)[0] == _grid_per_cell(content, True)
        assert render.row_heights(content) == _heights_per_cell(content)
    assert any(render.formula_cells(c) for c in sheets)
    assert any(render.row_heights(c) for c in sheets)


def test_row_heights_by_hand():
    table = Table("T", [Column("Nama", TEKS, 9), Column("Nilai", PERSEN, 9)],
                  [["pendek", 1.0], ["satu dua tiga empat lima", 2.0], ["a\nb\nc", None],
                   ["x" * 20, math.pi]])
    content = SheetContent("S", "Judul", [table])
    # per line int(9 * 1.05) - 1 = 8 characters; rows 5.. hold the data
    assert render.row_heights(content) == {6: 60.0, 7: 45.0, 8: 45.0}


@pytest.mark.libreoffice
def test_libreoffice_reads_the_streamed_recap(rekap_nyata, tmp_path):
    """LibreOffice opens the streamed recap and saves every sheet with the same cells."""
    try:
        from tests.support import libreoffice as lo
    except ImportError:  # pragma: no cover - "prepend" import mode
        from support import libreoffice as lo  # type: ignore[no-redef]

    path = tmp_path / "rekap.xlsx"
    path.write_bytes(build_rekap_bytes(rekap_nyata))
    try:
        saved = lo.recalculate([path], tmp_path / "lo")[path]
    except lo.LibreOfficeNotFound:
        pytest.skip("LibreOffice tidak terpasang")
    ours = openpyxl.load_workbook(path)
    theirs = openpyxl.load_workbook(saved)
    assert theirs.sheetnames == list(kons.REKAP_SHEETS)
    cells = 0
    for ws in ours.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.value is None:
                    continue
                got = theirs[ws.title][c.coordinate].value
                if isinstance(c.value, float):
                    assert got == pytest.approx(c.value, rel=1e-14), (ws.title, c.coordinate)
                else:
                    assert got == c.value, (ws.title, c.coordinate)
                cells += 1
    assert cells > 1000


def test_a_failed_recap_leaves_no_file_and_keeps_the_old_one(rekap_nyata, tmp_path):
    from workbook_gen.konsolidasi import write

    out = tmp_path / "rekap.xlsx"
    out.write_bytes(b"rekap lama")
    stream = summary_xlsx.write_stream

    def broken(wb, ctx, content):
        if content.name == kons.records.SHEET_IKU:
            raise RuntimeError("putus di tengah")
        return stream(wb, ctx, content)

    with mock.patch.object(summary_xlsx, "write_stream", broken), \
            pytest.raises(RuntimeError, match="putus"):
        write.write_rekap(rekap_nyata, out, overwrite=True)
    assert out.read_bytes() == b"rekap lama"
    assert [p.name for p in tmp_path.iterdir()] == ["rekap.xlsx"]
    write.write_rekap(rekap_nyata, out, overwrite=True)
    assert openpyxl.load_workbook(out).sheetnames == list(kons.REKAP_SHEETS)


def test_stream_book_takes_blocks_anywhere():
    """Blocks written at other places than A1 land where the cell-by-cell book puts
    them (the renderer writes one block at A1; the protocol allows more)."""
    out = []
    for book_class in (XlsxStreamBook, xlsx_book.XlsxSheetBook):
        buf = io.BytesIO()
        wb = xlsxwriter.Workbook(buf, {"constant_memory": True})
        book = book_class(wb)
        book.replace_sheet("S", None)
        book.write_block("S", 1, 1, [["a", 1.5], [None, "b"]])
        book.write_block("S", 3, 2, [[2.0, None, "c"]])
        book.write_block("S", 2, 1, [["d"]])
        book.format_area(Area("S", 2, 2, 6, 3), Fmt(bold=True, number_format="0.00"))
        book.flush()
        wb.close()
        out.append(buf.getvalue())
    assert_same_workbook(*out)
    ws = openpyxl.load_workbook(io.BytesIO(out[0]))["S"]
    assert [[c.value for c in row] for row in ws.iter_rows(max_row=3)] == [
        ["a", 1.5, None, None], ["d", "b", None, None], [None, 2, None, "c"]]
    assert ws["C6"].font.b and ws["C6"].number_format == "0.00"


def test_the_quick_zip_is_only_the_recaps(rekap_nyata):
    """The recap is deflated at a quick level (zlib-ng level 2, a fifth of the time of
    zlib level 6); the generator's workbooks keep xlsxwriter's own zip."""
    import xlsxwriter.workbook as xw
    from zlib_ng import zlib_ng

    from workbook_gen.konsolidasi.write import QUICK_LEVEL

    data = build_rekap_bytes(rekap_nyata)
    # xlsxwriter's zip and zipfile's deflate are put back
    assert xw.ZipFile is zipfile.ZipFile
    assert zipfile.zlib is zlib  # type: ignore[attr-defined]
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        info = z.getinfo("xl/worksheets/sheet2.xml")
        xml = z.read(info)
    assert info.compress_type == zipfile.ZIP_DEFLATED

    def deflated(level: int, module: Any = zlib) -> int:
        c = module.compressobj(level, zlib.DEFLATED, -15)
        return len(c.compress(xml) + c.flush())

    # zlib-ng's quick level (the same deflate format, read back above by zipfile; zipfile
    # feeds it in pieces, so a few bytes may differ from one call over the whole part)
    assert QUICK_LEVEL == 2
    assert abs(info.compress_size - deflated(2, zlib_ng)) <= 64
    assert info.compress_size < deflated(6) * 1.5
