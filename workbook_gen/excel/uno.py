"""The book adapter over LibreOffice UNO: the Hitung Capaian routine on a live
spreadsheet open in LibreOffice Calc (tests drive a headless office; the same class can
serve a LibreOffice macro).

Values are read and written as they are (``getDataArray``/``setDataArray``: text stays
text, "01" stays "01"); formulas are read and written in Excel's grammar through the
document's formula parser (OOXML), so they compare with what the generator wrote.
"""

from __future__ import annotations

import importlib.util
import sys
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..book import Area, AreaByArea, ChartSpec, Fmt, _pad, _rgb
from ..layout import col_letter

#: Where Debian's python3-uno puts uno.py (the venv's Python does not see it).
UNO_DIRS = ("/usr/lib/python3/dist-packages", "/usr/lib/libreoffice/program",
            "/opt/libreoffice/program", "/Applications/LibreOffice.app/Contents/Resources")

_BOLD, _ITALIC = 150.0, 2  # FontWeight.BOLD, FontSlant.ITALIC
_VERT = {"top": 1, "center": 2, "bottom": 3}  # com.sun.star.table.CellVertJustify2
_POINT = 35.28  # 1/100 mm per point


def import_uno() -> Any:
    """The ``uno`` module: importable already, or loaded from LibreOffice's own copy
    without putting the rest of the system's site-packages on ``sys.path``.

    Loading uno.py replaces ``builtins.__import__`` with a hook for
    ``from com.sun.star... import`` statements, which this package never uses; the
    original is put back so importing uno changes nothing else in the process."""
    import builtins

    original = builtins.__import__
    try:
        return _load_uno()
    finally:
        builtins.__import__ = original


def _load_uno() -> Any:
    try:
        import uno  # type: ignore[import-not-found]

        return uno
    except ImportError:
        pass
    for folder in UNO_DIRS:
        path = Path(folder) / "uno.py"
        if path.is_file():
            spec = importlib.util.spec_from_file_location("uno", path)
            assert spec is not None and spec.loader is not None
            module = importlib.util.module_from_spec(spec)
            sys.modules["uno"] = module
            try:
                spec.loader.exec_module(module)
            except ImportError:
                del sys.modules["uno"]
                continue
            return module
    raise ImportError("Modul 'uno' LibreOffice tidak ditemukan. Pasang paket Debian "
                      "python3-uno (scripts/setup.sh).")


def property_values(uno: Any, **kwargs: Any) -> tuple[Any, ...]:
    out = []
    for key, value in kwargs.items():
        pv = uno.createUnoStruct("com.sun.star.beans.PropertyValue")
        pv.Name, pv.Value = key, value
        out.append(pv)
    return tuple(out)


def _colour(hex_colour: str) -> int:
    r, g, b = _rgb(hex_colour)
    return (r << 16) | (g << 8) | b


class UnoBook(AreaByArea):  # borders need one range each (TableBorder2)
    """A SpreadsheetDocument through UNO, implementing ``workbook_gen.book.Book``."""

    live = True

    def __init__(self, doc: Any, ctx: Any, name: str | None = None) -> None:
        """``doc``: the SpreadsheetDocument; ``ctx``: the office's component context
        (the bridge's remote context, or XSCRIPTCONTEXT's in a macro)."""
        self.uno = import_uno()
        self.doc = doc
        self.ctx = ctx
        url = doc.getURL()
        self.name = name or (url.rsplit("/", 1)[-1] if url else "workbook")
        self.messages: list[str] = []
        self._parser: Any = None
        self.writes: list[tuple[str, int, int, int, int]] = []  # sheet, r0, c0, r1, c1

    # reading
    def sheet_names(self) -> list[str]:
        return list(self.doc.Sheets.ElementNames)

    def _sheet(self, name: str) -> Any:
        return self.doc.Sheets.getByName(name)

    def _range(self, sheet: str, r0: int, c0: int, r1: int, c1: int) -> Any:
        return self._sheet(sheet).getCellRangeByPosition(c0 - 1, r0 - 1, c1 - 1, r1 - 1)

    def calculate(self) -> None:
        self.doc.calculateAll()

    def read_block(self, sheet: str, r0: int, c0: int, r1: int, c1: int) -> list[list[Any]]:
        data = self._range(sheet, r0, c0, r1, c1).getDataArray()
        rows = [[None if v == "" else v for v in row] for row in data]
        return _pad(rows, r1 - r0 + 1, c1 - c0 + 1)

    def _formula_parser(self) -> Any:
        if self._parser is None:
            const = self.uno.getConstantByName
            parser = self.doc.createInstance("com.sun.star.sheet.FormulaParser")
            parser.OpCodeMap = self.doc.createInstance(
                "com.sun.star.sheet.FormulaOpCodeMapper").getAvailableMappings(
                    const("com.sun.star.sheet.FormulaLanguage.OOXML"),
                    const("com.sun.star.sheet.FormulaMapGroup.ALL_EXCEPT_SPECIAL"))
            parser.FormulaConvention = const("com.sun.star.sheet.AddressConvention.XL_OOX")
            self._parser = parser
        return self._parser

    def _address(self, sheet: str, row: int, col: int) -> Any:
        a = self.uno.createUnoStruct("com.sun.star.table.CellAddress")
        a.Sheet = self.sheet_names().index(sheet)
        a.Column, a.Row = col - 1, row - 1
        return a

    def read_formulas(self, sheet: str, r0: int, c0: int, r1: int, c1: int) -> list[list[Any]]:
        rng = self._range(sheet, r0, c0, r1, c1)
        raw = rng.getFormulaArray()  # constants as text; formulas in LibreOffice's grammar
        parser = self._formula_parser()
        out: list[list[Any]] = []
        for i, row in enumerate(raw):
            cells: list[Any] = []
            for j, text in enumerate(row):
                if isinstance(text, str) and text.startswith("="):
                    cell = rng.getCellByPosition(j, i)
                    text = "=" + parser.printFormula(cell.getTokens(),
                                                     self._address(sheet, r0 + i, c0 + j))
                cells.append(None if text == "" else text)
            out.append(cells)
        return _pad(out, r1 - r0 + 1, c1 - c0 + 1)

    # writing
    def write_block(self, sheet: str, r0: int, c0: int, values: list[list[Any]]) -> None:
        if not values:
            return
        width = max(len(r) for r in values)
        data = tuple(tuple(_uno_value(v) for v in row)
                     for row in _pad(values, len(values), width))
        self._range(sheet, r0, c0, r0 + len(data) - 1, c0 + width - 1).setDataArray(data)
        self.writes.append((sheet, r0, c0, r0 + len(data) - 1, c0 + width - 1))

    def write_formulas(self, sheet: str, r0: int, c0: int, formulas: list[list[Any]]) -> None:
        parser = self._formula_parser()
        width = max(len(r) for r in formulas)
        rng = self._range(sheet, r0, c0, r0 + len(formulas) - 1, c0 + width - 1)
        for i, row in enumerate(formulas):
            for j, formula in enumerate(row):
                if not (isinstance(formula, str) and formula.startswith("=")):
                    raise ValueError("write_formulas: only whole rectangles of formulas")
                tokens = parser.parseFormula(formula[1:], self._address(sheet, r0 + i, c0 + j))
                rng.getCellByPosition(j, i).setTokens(tokens)
        self.writes.append((sheet, r0, c0, r0 + len(formulas) - 1, c0 + width - 1))

    def replace_sheet(self, name: str, after: str | None) -> None:
        sheets = self.doc.Sheets
        codename = None
        if sheets.hasByName(name):
            codename = sheets.getByName(name).CodeName
            sheets.removeByName(name)
        names = list(sheets.ElementNames)
        index = names.index(after) + 1 if after in names else len(names)
        sheets.insertNewByName(name, index)
        if codename:
            sheets.getByName(name).CodeName = codename

    def _ranges(self, sheet: str, areas: Sequence[Area]) -> Any:
        ranges = self.doc.createInstance("com.sun.star.sheet.SheetCellRanges")
        for a in areas:
            ranges.addRangeAddress(self._range(sheet, a.r0, a.c0, a.r1, a.c1).RangeAddress,
                                   False)
        return ranges

    def _number_format(self, code: str) -> int:
        formats = self.doc.NumberFormats
        locale = self.uno.createUnoStruct("com.sun.star.lang.Locale")  # neutral (en-US)
        key = formats.queryKey(code, locale, False)
        return key if key != -1 else formats.addNew(code, locale)

    def _apply(self, target: Any, fmt: Fmt) -> None:
        if fmt.bold:
            target.CharWeight = _BOLD
        if fmt.italic:
            target.CharPosture = self.uno.Enum("com.sun.star.awt.FontSlant", "ITALIC")
        if fmt.size:
            target.CharHeight = float(fmt.size)
        if fmt.font_colour:
            target.CharColor = _colour(fmt.font_colour)
        if fmt.fill:
            target.CellBackColor = _colour(fmt.fill)
        if fmt.number_format:
            target.NumberFormat = self._number_format(fmt.number_format)
        if fmt.wrap:
            target.IsTextWrapped = True
        if fmt.font:
            target.CharFontName = fmt.font
        if fmt.align:
            target.HoriJustify = self.uno.Enum("com.sun.star.table.CellHoriJustify",
                                               fmt.align.upper())
        if fmt.valign:
            target.VertJustify = _VERT[fmt.valign]
        if fmt.border:
            line = self.uno.createUnoStruct("com.sun.star.table.BorderLine2")
            line.OuterLineWidth = 9
            line.Color = 0x808080
            border = target.TableBorder2
            for side in ("TopLine", "BottomLine", "LeftLine", "RightLine",
                         "HorizontalLine", "VerticalLine"):
                setattr(border, side, line)
                setattr(border, f"Is{side}Valid", True)
            target.TableBorder2 = border

    def format_area(self, area: Area, fmt: Fmt) -> None:
        self._apply(self._range(area.sheet, area.r0, area.c0, area.r1, area.c1), fmt)

    def colour_by_text(self, area: Area, colours: dict[str, str]) -> None:
        """Fills on the cells holding each text (the sheet is rebuilt on every run, so
        the colours follow the text; new cell styles cannot be edited in a loaded xlsx
        on LibreOffice 7.4, which conditional formats would need)."""
        data = self.read_block(area.sheet, area.r0, area.c0, area.r1, area.c1)
        for text, colour in colours.items():
            cells = [Area(area.sheet, area.r0 + i, area.c0 + j, area.r0 + i, area.c0 + j)
                     for i, row in enumerate(data) for j, v in enumerate(row) if v == text]
            if cells:
                self._ranges(area.sheet, cells).CellBackColor = _colour(colour)

    def set_column_widths(self, sheet: str, widths: Sequence[float]) -> None:
        columns = self._sheet(sheet).Columns
        for i, w in enumerate(widths):
            columns.getByIndex(i).Width = int(w * 200 + 100)  # 1/100 mm per character

    def set_row_heights(self, sheet: str, heights: dict[int, float]) -> None:
        rows = self._sheet(sheet).Rows
        for row, h in heights.items():
            rows.getByIndex(row - 1).Height = int(h * _POINT)

    def add_chart(self, sheet: str, chart: ChartSpec) -> None:
        """Explicit series through the chart2 API: categories, and per series its name,
        values and colour; nothing guessed from the layout."""
        ws = self._sheet(sheet)
        anchor = ws.getCellByPosition(chart.anchor_col - 1, chart.anchor_row - 1)
        rect = self.uno.createUnoStruct("com.sun.star.awt.Rectangle")
        rect.X, rect.Y = anchor.Position.X, anchor.Position.Y
        rect.Width, rect.Height = chart.width * 26, chart.height * 26
        charts = ws.Charts
        name = f"wg_chart_{uuid.uuid4().hex[:12]}"  # object names are per document
        first = chart.series[0][1] if chart.series else chart.categories
        seed = self._range(first.sheet, first.r0, first.c0, first.r1, first.c1).RangeAddress
        charts.addNewByName(name, rect, (seed,), False, False)  # a diagram to fill in
        cdoc = charts.getByName(name).EmbeddedObject
        system = cdoc.getFirstDiagram().getCoordinateSystems()[0]
        kinds = {"column": "Column", "bar": "Column", "line": "Line", "pie": "Pie"}
        ctype = self._new(f"com.sun.star.chart2.{kinds.get(chart.kind, 'Column')}ChartType")
        provider = cdoc.getDataProvider()

        def sequence(rep: str, role: str) -> Any:
            seq = provider.createDataSequenceByRangeRepresentation(rep)
            seq.Role = role
            return seq

        series_list = []
        for _label, values, colour in chart.series:
            series = self._new("com.sun.star.chart2.DataSeries")
            data = self._new("com.sun.star.chart2.data.LabeledDataSequence")
            data.setValues(sequence(_range_rep(values), "values-y"))
            series.setData((data,))
            # series names: a literal label sequence is refused by some LibreOffice
            # builds (and a UNO exception cannot be caught cleanly); tables name them
            if colour and chart.kind != "pie":
                series.Color = _colour(colour)
            series_list.append(series)
        if chart.kind == "pie" and chart.point_colours and series_list:
            for idx, colour in enumerate(chart.point_colours):
                series_list[0].getDataPointByIndex(idx).Color = _colour(colour)
        ctype.setDataSeries(tuple(series_list))
        system.setChartTypes((ctype,))
        if chart.kind == "bar":
            system.SwapXAndYAxis = True
        cats = self._new("com.sun.star.chart2.data.LabeledDataSequence")
        cats.setValues(sequence(_range_rep(chart.categories), "categories"))
        axis = system.getAxisByDimension(0, 0)
        scale = axis.getScaleData()
        scale.Categories = cats
        axis.setScaleData(scale)
        cdoc.HasMainTitle = True
        cdoc.Title.String = chart.title
        cdoc.Title.CharHeight = 12.0  # as the generator's charts: 12 pt bold title,
        cdoc.Title.CharWeight = _BOLD  # the legend below the plot
        cdoc.HasLegend = True
        cdoc.Legend.Alignment = self.uno.Enum("com.sun.star.chart.ChartLegendPosition",
                                              "BOTTOM")
        if chart.y_title and chart.kind != "pie":
            diagram = cdoc.Diagram
            diagram.HasYAxisTitle = True
            diagram.YAxisTitle.String = chart.y_title

    def _new(self, service: str) -> Any:
        return self.ctx.ServiceManager.createInstanceWithContext(service, self.ctx)

    def define_name(self, name: str, area: Area) -> None:
        names = self.doc.NamedRanges
        if names.hasByName(name):
            names.removeByName(name)
        origin = self.uno.createUnoStruct("com.sun.star.table.CellAddress")
        names.addNewByName(name, _range_rep(area, absolute=True), origin, 0)

    def page_setup(self, sheet: str, landscape: bool) -> None:
        styles = self.doc.StyleFamilies.getByName("PageStyles")
        style = styles.getByName(self._sheet(sheet).PageStyle)
        if style.IsLandscape != landscape:
            w, h = style.Width, style.Height
            style.IsLandscape = landscape
            style.Width, style.Height = h, w
        style.ScaleToPagesX = 1
        style.ScaleToPagesY = 0
        style.LeftMargin = style.RightMargin = 1016  # 0.4 inch, as OpenpyxlBook
        style.TopMargin = style.BottomMargin = 1524  # 0.6 inch

    def protect(self, sheet: str, password: str | None) -> None:
        self._sheet(sheet).protect(password or "")

    def unprotect(self, sheet: str, password: str | None) -> None:
        self._sheet(sheet).unprotect(password or "")

    def message(self, text: str) -> None:
        self.messages.append(text)


def _uno_value(v: Any) -> float | str:
    """setDataArray takes numbers (float) and text; "" leaves the cell empty. Text is
    stored as text, never parsed ("01" stays "01")."""
    if v is None:
        return ""
    if isinstance(v, (bool, int, float)):
        return float(v)
    return str(v)


def _range_rep(area: Area, absolute: bool = False) -> str:
    """LibreOffice's own notation: $'Sheet'.$A$1:$A$5."""
    d = "$" if absolute else ""
    sheet = "$'" + area.sheet.replace("'", "''") + "'"
    return (f"{sheet}.{d}{col_letter(area.c0)}{d}{area.r0}:{d}{col_letter(area.c1)}"
            f"{d}{area.r1}")
