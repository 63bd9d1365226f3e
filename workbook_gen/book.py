"""The book adapter: the few things the Hitung Capaian routine does to a workbook.

Two implementations of one small protocol:

* :class:`XlwingsBook` — the workbook open in Excel (``xw.Book.caller()``). Every method
  is a bulk operation: one read or write per block, never a call per cell, because each
  call is a COM round trip in real Excel.
* :class:`OpenpyxlBook` — a file on disk (the CLI and the tests).

The routine (``workbook_gen.routine``) is written once against :class:`Book`.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from .findings import OutputError, WorkbookGenError
from .layout import SHEET_PROTECTION, col_letter

# --------------------------------------------------------------------------- protocol


@dataclass(frozen=True)
class Fmt:
    """Formatting applied to a whole block."""

    bold: bool = False
    size: float | None = None
    fill: str | None = None  # "#RRGGBB"
    font_colour: str | None = None
    number_format: str | None = None
    wrap: bool = False
    border: bool = False
    italic: bool = False
    font: str | None = None  # font name; None keeps the sheet's default
    align: str | None = None  # "left", "center", "right"
    valign: str | None = None  # "top", "center"


@dataclass(frozen=True)
class Area:
    """A rectangle on a sheet, 1-based inclusive."""

    sheet: str
    r0: int
    c0: int
    r1: int
    c1: int

    def a1(self, absolute: bool = False) -> str:
        d = "$" if absolute else ""
        return (f"{d}{col_letter(self.c0)}{d}{self.r0}:{d}{col_letter(self.c1)}{d}{self.r1}")

    def ref(self) -> str:
        return f"'{self.sheet}'!{self.a1(absolute=True)}"


@dataclass
class ChartSpec:
    kind: str  # column, bar, line, pie
    title: str
    categories: Area
    series: list[tuple[str, Area, str | None]]  # name, values, colour
    anchor_row: int  # 1-based top-left cell
    anchor_col: int
    y_title: str | None = None
    width: int = 520  # pixels
    height: int = 300
    point_colours: list[str] | None = None  # pie: one colour per category, in order


class Book(Protocol):
    """What the routine needs from a workbook. Rows/columns are 1-based.

    ``live``: an open spreadsheet that computes (Excel, LibreOffice); ``calculate()``
    recalculates it. A file (openpyxl) is not live: its formula values are the ones
    cached when it was last saved.
    """

    name: str
    live: bool

    def calculate(self) -> None: ...

    def sheet_names(self) -> list[str]: ...

    def read_block(self, sheet: str, r0: int, c0: int, r1: int, c1: int) -> list[list[Any]]: ...

    def read_formulas(self, sheet: str, r0: int, c0: int, r1: int,
                      c1: int) -> list[list[Any]]: ...

    def write_block(self, sheet: str, r0: int, c0: int, values: list[list[Any]]) -> None: ...

    def write_formulas(self, sheet: str, r0: int, c0: int,
                       formulas: list[list[Any]]) -> None: ...

    def replace_sheet(self, name: str, after: str | None) -> None: ...

    def format_area(self, area: Area, fmt: Fmt) -> None: ...

    def format_rows(self, sheet: str, rows: Sequence[int], c0: int, c1: int,
                    fmt: Fmt) -> None: ...

    def format_areas(self, sheet: str, areas: Sequence[Area], fmt: Fmt) -> None: ...

    def colour_by_text(self, area: Area, colours: dict[str, str]) -> None: ...

    def set_column_widths(self, sheet: str, widths: Sequence[float]) -> None: ...

    def set_row_heights(self, sheet: str, heights: dict[int, float]) -> None: ...

    def add_chart(self, sheet: str, chart: ChartSpec) -> None: ...

    def define_name(self, name: str, area: Area) -> None: ...

    def page_setup(self, sheet: str, landscape: bool) -> None: ...

    def protect(self, sheet: str, password: str | None) -> None: ...

    def unprotect(self, sheet: str, password: str | None) -> None: ...

    def message(self, text: str) -> None: ...


class BookError(WorkbookGenError):
    """A workbook file that cannot be opened (corrupt, not Excel, password-protected)."""


class UnsavableError(OutputError):
    """A workbook whose content openpyxl cannot write back (e.g. a 400-digit number)."""


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    h = hex_colour.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def _pad(rows: list[list[Any]], height: int, width: int) -> list[list[Any]]:
    out = [list(r) + [None] * (width - len(r)) for r in rows[:height]]
    out += [[None] * width for _ in range(height - len(out))]
    return out


# --------------------------------------------------------------------------- openpyxl

_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def check_excel_file(path: Path) -> bytes:
    """Refuse, with a message for people, what openpyxl would choke on; return the file's
    bytes (read once, safely: see inputfile) after the zip checks."""
    from .inputfile import MAX_WORKBOOK_BYTES, check_input, check_zip, read_bytes

    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        check_input(path, max_bytes=MAX_WORKBOOK_BYTES)  # a folder or FIFO said as such
        raise BookError(f"{path}: bukan berkas .xlsx atau .xlsm. Simpan workbook sebagai "
                        "Excel Workbook (.xlsx) atau Excel Macro-Enabled Workbook (.xlsm).")
    data = read_bytes(path, max_bytes=MAX_WORKBOOK_BYTES)
    head = data[:8]
    if not head:
        raise BookError(f"{path}: berkas kosong (0 byte). Kirim ulang berkas aslinya.")
    if head == _OLE_SIGNATURE:
        raise BookError(f"{path}: berkas dilindungi kata sandi (terenkripsi) atau berformat "
                        "Excel lama (.xls). Buka di Excel, hapus kata sandi berkas "
                        "(File > Info > Protect Workbook), lalu simpan sebagai .xlsm.")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise BookError(f"{path}: berkas rusak atau bukan workbook Excel (isinya tidak terbaca "
                        "sebagai .xlsx). Kirim ulang atau simpan ulang dari Excel.")
    check_zip(data, str(path))
    return data


def _title_and_legend(c: Any, title: str) -> None:
    """openpyxl chart: a 12 pt bold title, the legend below, hidden cells plotted (as the
    generator's charts)."""
    from openpyxl.chart.text import RichText, Text
    from openpyxl.chart.title import Title
    from openpyxl.drawing.text import (
        CharacterProperties,
        Paragraph,
        ParagraphProperties,
        RegularTextRun,
    )

    cp = CharacterProperties(sz=1200, b=True)
    para = Paragraph(pPr=ParagraphProperties(defRPr=cp), r=[RegularTextRun(rPr=cp, t=title)])
    c.title = Title(tx=Text(rich=RichText(p=[para])), overlay=False)
    if c.legend is not None:
        c.legend.position = "b"
    c.visible_cells_only = False


class AreaByArea:
    """``format_rows`` and ``format_areas`` for books that format every area on its own
    (a file, a buffer, a live LibreOffice): each is one ``format_area`` call per area.
    XlwingsBook, where every call crosses into Excel, groups them instead."""

    def format_area(self, area: Area, fmt: Fmt) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def format_rows(self, sheet: str, rows: Sequence[int], c0: int, c1: int, fmt: Fmt) -> None:
        self.format_areas(sheet, [Area(sheet, r, c0, r, c1) for r in rows], fmt)

    def format_areas(self, sheet: str, areas: Sequence[Area], fmt: Fmt) -> None:
        for area in areas:
            self.format_area(area, fmt)


class OpenpyxlBook(AreaByArea):
    """A workbook file, read and written with openpyxl.

    Cells are read as typed; where an input cell holds a formula, its cached value is
    read instead (from a second, values-only load made only when needed).
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.name = self.path.name
        self._data = check_excel_file(self.path)
        self._keep_vba = self.path.suffix.lower() == ".xlsm"
        self.wb = self._load(keep_vba=self._keep_vba, keep_links=True)
        self._values_wb: Any = None
        self.messages: list[str] = []

    def _load(self, **options: Any) -> Any:
        """openpyxl's reading of the checked bytes; whatever it chokes on is a BookError."""
        import openpyxl
        from openpyxl.utils.exceptions import InvalidFileException

        try:
            return openpyxl.load_workbook(io.BytesIO(self._data), **options)
        except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError,
                TypeError, AttributeError, IndexError, SyntaxError, RecursionError,
                OverflowError) as exc:
            # SyntaxError: xml.etree's ParseError (malformed XML); ValueError includes
            # defusedxml's refusals of DTDs and entities and unreadable cell values
            raise BookError(f"{self.path}: workbook rusak dan tidak bisa dibuka (bagian "
                            f"isinya tidak sah: {type(exc).__name__}). Simpan ulang dari Excel "
                            "atau kirim ulang berkasnya.") from None

    live = False

    def calculate(self) -> None:
        """A file does not compute; formula values are the cached ones."""
        return None

    # reading
    def sheet_names(self) -> list[str]:
        return list(self.wb.sheetnames)

    def _cached(self, sheet: str, row: int, col: int) -> Any:
        if self._values_wb is None:
            self._values_wb = self._load(data_only=True)
        return self._values_wb[sheet].cell(row=row, column=col).value

    def read_block(self, sheet: str, r0: int, c0: int, r1: int, c1: int) -> list[list[Any]]:
        ws = self.wb[sheet]
        out = []
        for i, row in enumerate(ws.iter_rows(min_row=r0, max_row=r1, min_col=c0, max_col=c1,
                                             values_only=True)):
            values = list(row)
            for j, v in enumerate(values):
                if isinstance(v, str) and v.startswith("="):
                    values[j] = self._cached(sheet, r0 + i, c0 + j)
            out.append(values)
        return _pad(out, r1 - r0 + 1, c1 - c0 + 1)

    def read_formulas(self, sheet: str, r0: int, c0: int, r1: int, c1: int) -> list[list[Any]]:
        ws = self.wb[sheet]
        rows = [list(r) for r in ws.iter_rows(min_row=r0, max_row=r1, min_col=c0, max_col=c1,
                                              values_only=True)]
        return _pad(rows, r1 - r0 + 1, c1 - c0 + 1)

    # writing
    def write_block(self, sheet: str, r0: int, c0: int, values: list[list[Any]]) -> None:
        ws = self.wb[sheet]
        self._unmerge(ws, r0, c0, r0 + len(values) - 1, c0 + max(map(len, values), default=1) - 1)
        for i, row in enumerate(values):
            for j, v in enumerate(row):
                ws.cell(row=r0 + i, column=c0 + j).value = v  # None empties the cell

    @staticmethod
    def _unmerge(ws: Any, r0: int, c0: int, r1: int, c1: int) -> None:
        """Undo merges that cover cells about to be written (a merge over a formula cell
        hides it; Excel keeps only the top-left value of a merge, which stays as it is).
        The cells written are reported by the caller (e.g. as restored formulas)."""
        for rng in list(ws.merged_cells.ranges):
            if rng.min_row <= r1 and rng.max_row >= r0 and rng.min_col <= c1 and (
                    rng.max_col >= c0):
                ws.unmerge_cells(str(rng))

    write_formulas = write_block

    def replace_sheet(self, name: str, after: str | None) -> None:
        """A new empty sheet in place of ``name``; it keeps the old sheet's code name, so
        the VBA project's document module still matches."""
        codename = None
        if name in self.wb.sheetnames:
            codename = self.wb[name].sheet_properties.codeName
            del self.wb[name]
        index = self.wb.sheetnames.index(after) + 1 if after in self.wb.sheetnames else None
        ws = self.wb.create_sheet(name, index)
        if codename:
            ws.sheet_properties.codeName = codename

    def _style(self, cell: Any, fmt: Fmt) -> None:
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        if fmt.bold or fmt.size or fmt.font_colour or fmt.italic or fmt.font:
            old = cell.font
            cell.font = Font(name=fmt.font or old.name, bold=fmt.bold or old.bold,
                             italic=fmt.italic or old.italic, size=fmt.size or old.size,
                             color=fmt.font_colour.lstrip("#") if fmt.font_colour else
                             old.color)
        if fmt.fill:
            colour = fmt.fill.lstrip("#")
            cell.fill = PatternFill("solid", start_color=colour, end_color=colour)
        if fmt.number_format:
            cell.number_format = fmt.number_format
        if fmt.wrap or fmt.align or fmt.valign:
            old = cell.alignment
            cell.alignment = Alignment(wrap_text=fmt.wrap or old.wrap_text,
                                       horizontal=fmt.align or old.horizontal,
                                       vertical=fmt.valign or old.vertical or "top")
        if fmt.border:
            thin = Side(style="thin", color="BFBFBF")
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)

    def format_area(self, area: Area, fmt: Fmt) -> None:
        ws = self.wb[area.sheet]
        for row in ws.iter_rows(min_row=area.r0, max_row=area.r1, min_col=area.c0,
                                max_col=area.c1):
            for cell in row:
                self._style(cell, fmt)

    def colour_by_text(self, area: Area, colours: dict[str, str]) -> None:
        from openpyxl.formatting.rule import CellIsRule
        from openpyxl.styles import PatternFill

        ws = self.wb[area.sheet]
        for text, colour in colours.items():
            fill = PatternFill("solid", start_color=colour.lstrip("#"),
                               end_color=colour.lstrip("#"))
            quoted = '"' + text.replace('"', '""') + '"'
            ws.conditional_formatting.add(area.a1(), CellIsRule(operator="equal",
                                                                formula=[quoted], fill=fill))

    def set_column_widths(self, sheet: str, widths: Sequence[float]) -> None:
        ws = self.wb[sheet]
        for i, w in enumerate(widths, 1):
            ws.column_dimensions[col_letter(i)].width = w
            ws.column_dimensions[col_letter(i)].hidden = w == 0

    def set_row_heights(self, sheet: str, heights: dict[int, float]) -> None:
        ws = self.wb[sheet]
        for row, h in heights.items():
            ws.row_dimensions[row].height = h

    def add_chart(self, sheet: str, chart: ChartSpec) -> None:
        from openpyxl.chart import BarChart, LineChart, PieChart, Reference

        ws = self.wb[sheet]
        if chart.kind == "pie":
            c: Any = PieChart()
        elif chart.kind == "line":
            c = LineChart()
        else:
            c = BarChart()
            c.type = "bar" if chart.kind == "bar" else "col"
        c.title = chart.title
        for name, values, colour in chart.series:
            src = self.wb[values.sheet]
            ref = Reference(src, min_col=values.c0, min_row=values.r0, max_col=values.c1,
                            max_row=values.r1)
            c.add_data(ref, titles_from_data=False)
            c.series[-1].tx = None
            from openpyxl.chart.series import SeriesLabel

            c.series[-1].tx = SeriesLabel(v=name)
            if chart.kind == "line":
                c.series[-1].smooth = False
                c.series[-1].marker.symbol = "circle"
                c.series[-1].marker.size = 7
            if chart.kind == "pie" and chart.point_colours:
                from openpyxl.chart.series import DataPoint

                for idx, pc in enumerate(chart.point_colours):
                    point = DataPoint(idx=idx)
                    point.graphicalProperties.solidFill = pc.lstrip("#")
                    c.series[-1].dPt.append(point)
            if colour and chart.kind != "pie":
                c.series[-1].graphicalProperties.solidFill = colour.lstrip("#")
                if chart.kind == "line":
                    c.series[-1].graphicalProperties.line.solidFill = colour.lstrip("#")
        cat = chart.categories
        c.set_categories(Reference(self.wb[cat.sheet], min_col=cat.c0, min_row=cat.r0,
                                   max_col=cat.c1, max_row=cat.r1))
        if chart.y_title and chart.kind != "pie":
            c.y_axis.title = chart.y_title
        _title_and_legend(c, chart.title)
        c.width = chart.width / 37.8  # cm
        c.height = chart.height / 37.8
        ws.add_chart(c, f"{col_letter(chart.anchor_col)}{chart.anchor_row}")

    def define_name(self, name: str, area: Area) -> None:
        from openpyxl.workbook.defined_name import DefinedName

        if name in self.wb.defined_names:
            del self.wb.defined_names[name]
        self.wb.defined_names[name] = DefinedName(name, attr_text=area.ref())

    def page_setup(self, sheet: str, landscape: bool) -> None:
        """A4, fit to one page wide (as the generator sets its sheets)."""
        ws = self.wb[sheet]
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "landscape" if landscape else "portrait"
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.page_margins.left = ws.page_margins.right = 0.4
        ws.page_margins.top = ws.page_margins.bottom = 0.6

    def protect(self, sheet: str, password: str | None) -> None:
        ws = self.wb[sheet]
        ws.protection.sheet = True
        if password:
            ws.protection.password = password

    def unprotect(self, sheet: str, password: str | None) -> None:
        # openpyxl writes cells of protected sheets directly; nothing to do.
        return None

    def message(self, text: str) -> None:
        self.messages.append(text)

    def close(self) -> None:
        """Release the files openpyxl keeps open (the VBA archive of an .xlsm)."""
        for wb in (self.wb, self._values_wb):
            archive = getattr(wb, "vba_archive", None) if wb is not None else None
            if archive is not None:
                archive.close()

    def __enter__(self) -> OpenpyxlBook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def save(self, out: str | Path, *, overwrite: bool = False) -> Path:
        """Write atomically, with the same refusals as every output (outfile)."""
        import io

        from .outfile import check_output, write_atomic

        out = Path(out)
        suffix = self.path.suffix.lower()
        check_output(out, overwrite=overwrite, extensions=(suffix,),
                     saran_ekstensi=f"berkas keluaran harus ber-ekstensi {suffix} seperti "
                     "berkas masukannya.")
        buf = io.BytesIO()
        try:
            self.wb.save(buf)
        except (OverflowError, ValueError, TypeError) as exc:
            # e.g. a 400-digit number left in an input cell: openpyxl cannot write it back
            raise UnsavableError(
                f"{out} tidak ditulis: isi workbook tidak bisa disimpan kembali "
                f"({type(exc).__name__}; biasanya angka yang terlalu panjang di sel masukan)."
            ) from None
        write_atomic(buf.getvalue(), out)
        if out.resolve() == self.path.resolve():
            self._values_wb = None
        return out


# --------------------------------------------------------------------------- xlwings


def _joined(parts: Sequence[str], limit: int = 255) -> list[str]:
    """Addresses joined with commas into multi-area addresses of at most ``limit``
    characters (what Excel's Range() accepts)."""
    out: list[str] = []
    chunk: list[str] = []
    for part in parts:
        if chunk and len(",".join(chunk + [part])) > limit:
            out.append(",".join(chunk))
            chunk = []
        chunk.append(part)
    if chunk:
        out.append(",".join(chunk))
    return out


_EXCEL_WOULD_PARSE = frozenset(("TRUE", "FALSE", "BENAR", "SALAH"))


def literal(value: Any) -> Any:
    """A value as Excel must store it when written through ``Range.Value``: text that
    Excel would turn into a number, date, formula or boolean ("01", "2026", "1.10",
    "=x", "TRUE") gets the apostrophe prefix, so the cell keeps the text as given."""
    if not isinstance(value, str) or value == "":
        return value
    if (value[0] in "=+-@'#" or any(ch.isdigit() for ch in value)
            or value.strip().upper() in _EXCEL_WOULD_PARSE):
        return "'" + value
    return value


def _raw_grid(raw: Any) -> list[list[Any]]:
    """``Range.raw_value`` as rows (a single cell comes back as a scalar, one row of a
    multi-cell range as a flat sequence on some platforms)."""
    if not isinstance(raw, (list, tuple)):
        return [[raw]]
    if raw and not isinstance(raw[0], (list, tuple)):
        return [list(raw)]
    return [list(r) for r in raw]


#: Error values as COM returns them (integers) -> the text Excel shows.
COM_ERRORS = {-2146826281: "#DIV/0!", -2146826246: "#N/A", -2146826259: "#NAME?",
              -2146826288: "#NULL!", -2146826252: "#NUM!", -2146826265: "#REF!",
              -2146826273: "#VALUE!"}


def _value(v: Any) -> Any:
    """A raw COM value as the reader expects it: empty cell and empty string are both
    'nothing typed'; an error value is its text (numbers come as floats, so an integer
    is always an error code)."""
    if v == "":
        return None
    if type(v) is int:
        return COM_ERRORS.get(v, "#VALUE!")
    return v


# Formatting properties applied per group of areas: (property, value) -> areas.
_FmtKey = tuple[str, Any]


@dataclass
class XlwingsBook:
    """The workbook open in Excel, through xlwings, with as few calls into Excel as the
    job allows:

    * reads are raw (``Range.raw_value``: no conversion of codes, years, dates) and
      cached per sheet: the first read of a sheet takes the whole width the reader
      needs, later reads inside it cost nothing; a write or a recalculation drops the
      cache of what it may have changed;
    * writes are raw too, text Excel would re-parse is written with the apostrophe
      prefix; formulas are written only to the cells given (the routine never passes
      an input cell);
    * formats are collected and applied per sheet grouped by property, with the areas
      joined into multi-area addresses, just before the sheet is protected again.
    """

    book: Any  # xlwings.Book
    name: str = field(init=False)
    live: bool = field(init=False, default=True)
    _sheets: dict[str, Any] = field(init=False, default_factory=dict)
    _names: list[str] | None = field(init=False, default=None)
    _values: dict[str, tuple[int, int, list[list[Any]]]] = field(init=False,
                                                                 default_factory=dict)
    _formats: dict[str, dict[_FmtKey, list[str]]] = field(init=False, default_factory=dict)
    #: sheet -> (last row, last column, range object) of the cached reads
    _ranges: dict[str, tuple[int, int, Any]] = field(init=False, default_factory=dict)
    read_width: int = 26  # columns read at once (A:Z holds every input and formula block)

    def __post_init__(self) -> None:
        self.name = self.book.name

    def sheet_names(self) -> list[str]:
        if self._names is None:
            names = getattr(self.book, "sheet_names", None)
            self._names = list(names) if names is not None else [s.name for s in
                                                                 self.book.sheets]
        return list(self._names)

    def _sheet(self, name: str) -> Any:
        if name not in self._sheets:
            self._sheets[name] = self.book.sheets[name]
        return self._sheets[name]

    def _range(self, sheet: str, r0: int, c0: int, r1: int, c1: int) -> Any:
        return self._sheet(sheet).range((r0, c0), (r1, c1))

    def calculate(self) -> None:
        """Recalculate (Excel may be in manual mode); cached reads are stale after it."""
        self.book.app.calculate()
        self._values.clear()

    def read_block(self, sheet: str, r0: int, c0: int, r1: int, c1: int) -> list[list[Any]]:
        cached = self._values.get(sheet)
        if cached is None or r1 > cached[0] or c1 > cached[1]:
            last_row = max(r1, cached[0] if cached else 0)
            last_col = max(c1, self.read_width, cached[1] if cached else 0)
            known = self._ranges.get(sheet)
            if known is not None and known[0] == last_row and known[1] == last_col:
                rng = known[2]  # the same range object after a recalculation or a write
            else:
                rng = self._range(sheet, 1, 1, last_row, last_col)
                self._ranges[sheet] = (last_row, last_col, rng)
            grid = _raw_grid(rng.raw_value)
            cached = (last_row, last_col, _pad(grid, last_row, last_col))
            self._values[sheet] = cached
        grid = cached[2]
        return [[_value(v) for v in row[c0 - 1:c1]] for row in grid[r0 - 1:r1]]

    def read_formulas(self, sheet: str, r0: int, c0: int, r1: int, c1: int) -> list[list[Any]]:
        """Formulas over the same range object as the sheet's cached values when that
        covers the request (one call, no second range)."""
        known = self._ranges.get(sheet)
        if known is not None and r1 <= known[0] and c1 <= known[1]:
            raw = _pad(_raw_grid(known[2].formula), known[0], known[1])
            return [[_value(v) for v in row[c0 - 1:c1]] for row in raw[r0 - 1:r1]]
        raw = _raw_grid(self._range(sheet, r0, c0, r1, c1).formula)
        rows = [[_value(v) for v in r] for r in raw]
        return _pad(rows, r1 - r0 + 1, c1 - c0 + 1)

    def write_block(self, sheet: str, r0: int, c0: int, values: list[list[Any]]) -> None:
        if not values:
            return
        width = max(len(r) for r in values)
        data = [["" if v is None else literal(v) for v in row]  # "" empties a cell
                for row in _pad(values, len(values), width)]
        self._range(sheet, r0, c0, r0 + len(data) - 1, c0 + width - 1).raw_value = data
        self._values.pop(sheet, None)

    def write_formulas(self, sheet: str, r0: int, c0: int, formulas: list[list[Any]]) -> None:
        """Write exactly this rectangle; every cell of it must be a formula."""
        width = max(len(r) for r in formulas)
        if any(len(r) != width or not (isinstance(f, str) and f.startswith("="))
               for r in formulas for f in r):
            raise ValueError("write_formulas: only whole rectangles of formulas")
        rng = self._range(sheet, r0, c0, r0 + len(formulas) - 1, c0 + width - 1)
        rng.formula = formulas if len(formulas) > 1 or width > 1 else formulas[0][0]
        self._values.pop(sheet, None)

    def replace_sheet(self, name: str, after: str | None) -> None:
        names = self.sheet_names()
        if name in names:
            self._sheet(name).delete()
            names.remove(name)
            del self._sheets[name]
        self._formats.pop(name, None)
        self._values.pop(name, None)
        self._ranges.pop(name, None)
        if after is not None and after in names:
            new = self.book.sheets.add(name, after=self._sheet(after))
            names.insert(names.index(after) + 1, name)
        else:
            new = self.book.sheets.add(name)
            names.append(name)
        self._sheets[name] = new
        self._names = names

    # formatting: collected, applied per sheet before it is protected (flush)
    def _queue(self, sheet: str, addresses: Sequence[str], fmt: Fmt) -> None:
        groups = self._formats.setdefault(sheet, {})
        for prop in ("bold", "italic", "size", "font_colour", "fill", "number_format",
                     "wrap", "border", "font", "align", "valign"):
            value = getattr(fmt, prop)
            if value:
                groups.setdefault((prop, value), []).extend(addresses)

    def format_area(self, area: Area, fmt: Fmt) -> None:
        self._queue(area.sheet, [area.a1()], fmt)

    def format_rows(self, sheet: str, rows: Sequence[int], c0: int, c1: int, fmt: Fmt) -> None:
        self._queue(sheet, [Area(sheet, r, c0, r, c1).a1() for r in rows], fmt)

    def format_areas(self, sheet: str, areas: Sequence[Area], fmt: Fmt) -> None:
        self._queue(sheet, [a.a1() for a in areas], fmt)

    def flush(self, sheet: str) -> None:
        """Apply the formats queued for ``sheet``: one range and one property per group
        of up to 255 address characters."""
        groups = self._formats.pop(sheet, {})
        if not groups:
            return
        ws = self._sheet(sheet)
        for (prop, value), addresses in groups.items():
            for address in _joined(addresses):
                _set_format(ws.range(address), prop, value)

    def colour_by_text(self, area: Area, colours: dict[str, str]) -> None:
        """Conditional formats (one per text): colours follow the text, no per-cell calls."""
        rng = self._range(area.sheet, area.r0, area.c0, area.r1, area.c1)
        try:
            conditions = rng.api.FormatConditions
            for text, colour in colours.items():
                quoted = '="' + text.replace('"', '""') + '"'
                cond = conditions.Add(1, 3, quoted)  # xlCellValue, xlEqual
                cond.Interior.Color = _bgr(colour)
        except Exception:  # noqa: BLE001 - non-Windows Excel: no colours, values are intact
            return

    def set_column_widths(self, sheet: str, widths: Sequence[float]) -> None:
        """One call per distinct width (columns joined into one address)."""
        ws = self._sheet(sheet)
        by_width: dict[float, list[str]] = {}
        for i, w in enumerate(widths, 1):
            by_width.setdefault(w, []).append(f"{col_letter(i)}1")
        for w, cells in by_width.items():
            for address in _joined(cells):
                ws.range(address).column_width = w

    def set_row_heights(self, sheet: str, heights: dict[int, float]) -> None:
        """One call per distinct height (rows joined into one address)."""
        ws = self._sheet(sheet)
        by_height: dict[float, list[str]] = {}
        for row, h in heights.items():
            by_height.setdefault(h, []).append(f"A{row}")
        for h, cells in by_height.items():
            for address in _joined(cells):
                ws.range(address).row_height = h

    def add_chart(self, sheet: str, chart: ChartSpec) -> None:
        """A chart whose every series is given explicitly (name, values, categories,
        colour): nothing is left to Excel's guess of the data layout."""
        ws = self._sheet(sheet)
        anchor = ws.range((chart.anchor_row, chart.anchor_col))
        c = ws.charts.add(left=anchor.left, top=anchor.top, width=chart.width,
                          height=chart.height)
        kinds = {"column": "column_clustered", "bar": "bar_clustered", "line": "line_markers",
                 "pie": "pie"}
        c.chart_type = kinds.get(chart.kind, "column_clustered")
        try:  # Windows COM
            api = c.api[1]
            for name, values, colour in chart.series:
                s = api.SeriesCollection().NewSeries()
                s.Name = name
                s.Values = "=" + values.ref()
                s.XValues = "=" + chart.categories.ref()
                if colour and chart.kind != "pie":
                    s.Format.Fill.ForeColor.RGB = _bgr(colour)
            api.HasTitle = True
            api.ChartTitle.Text = chart.title
            if chart.y_title and chart.kind != "pie":
                axis = api.Axes(2)  # xlValue
                axis.HasTitle = True
                axis.AxisTitle.Text = chart.y_title
            api.PlotVisibleOnly = False  # helper columns feeding a chart are hidden
            if chart.kind == "pie" and chart.point_colours:
                points = api.SeriesCollection(1)
                for idx, pc in enumerate(chart.point_colours, 1):
                    points.Points(idx).Format.Fill.ForeColor.RGB = _bgr(pc)
        except Exception:  # noqa: BLE001 - macOS: the chart stays empty, the table holds the values
            pass

    def define_name(self, name: str, area: Area) -> None:
        """Names.Add replaces a workbook-level name of the same name: one call."""
        self.book.names.add(name, "=" + area.ref())

    def page_setup(self, sheet: str, landscape: bool) -> None:
        try:  # Windows COM: A4 (9), landscape (2), one page wide
            setup = self._sheet(sheet).api.PageSetup
            setup.PaperSize = 9
            setup.Orientation = 2 if landscape else 1
            setup.Zoom = False
            setup.FitToPagesWide = 1
            setup.FitToPagesTall = False
        except Exception:  # noqa: BLE001 - other platforms keep Excel's defaults
            pass

    def protect(self, sheet: str, password: str | None) -> None:
        """Protect exactly as the generator does (``layout.SHEET_PROTECTION``): locked cells
        selectable, columns and rows resizable, nothing else."""
        self.flush(sheet)
        try:
            self._sheet(sheet).api.Protect(Password=password or "", **protect_args())
        except Exception:  # noqa: BLE001
            pass

    def unprotect(self, sheet: str, password: str | None) -> None:
        try:
            self._sheet(sheet).api.Unprotect(Password=password or "")
        except Exception:  # noqa: BLE001
            pass

    def message(self, text: str) -> None:
        for sheet in list(self._formats):
            self.flush(sheet)
        self.book.app.alert(text, title="Hitung Capaian")


#: xlsxwriter's protection options -> Excel's Worksheet.Protect arguments. Selecting
#: locked and unlocked cells is Excel's default (EnableSelection = xlNoRestrictions).
_PROTECT_ARGS = {"format_columns": "AllowFormattingColumns",
                 "format_rows": "AllowFormattingRows",
                 "select_locked_cells": None, "select_unlocked_cells": None}


def protect_args() -> dict[str, bool]:
    """Worksheet.Protect arguments equal to the generator's ``SHEET_PROTECTION``."""
    args = {"DrawingObjects": True, "Contents": True, "Scenarios": True}
    for option, value in SHEET_PROTECTION.items():
        name = _PROTECT_ARGS[option]  # KeyError: a new option needs its Excel name here
        if name is not None:
            args[name] = bool(value)
    return args


def _bgr(hex_colour: str) -> int:
    """Excel's colour number (BGR) of '#RRGGBB'."""
    r, g, b = _rgb(hex_colour)
    return r + g * 256 + b * 65536


def _set_format(rng: Any, prop: str, value: Any) -> None:
    if prop == "bold":
        rng.font.bold = True
    elif prop == "italic":
        rng.font.italic = True
    elif prop == "size":
        rng.font.size = value
    elif prop == "font_colour":
        rng.font.color = _rgb(value)
    elif prop == "fill":
        rng.color = _rgb(value)
    elif prop == "number_format":
        rng.number_format = value
    elif prop == "wrap":
        rng.wrap_text = True
    elif prop == "font":
        rng.font.name = value
    elif prop in ("align", "valign"):
        try:  # Windows COM: xlLeft -4131, xlCenter -4108, xlRight -4152, xlTop -4160
            codes = {"left": -4131, "center": -4108, "right": -4152, "top": -4160}
            if prop == "align":
                rng.api.HorizontalAlignment = codes[value]
            else:
                rng.api.VerticalAlignment = codes[value]
        except Exception:  # noqa: BLE001 - platform without this COM member
            pass
    elif prop == "border":
        try:  # Windows COM; elsewhere borders are left out
            rng.api.Borders.LineStyle = 1
        except Exception:  # noqa: BLE001 - platform without this COM member
            pass
