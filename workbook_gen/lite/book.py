"""The book adapter for xlwings Lite (Python in Pyodide inside Excel).

Lite's limits, honoured here:

* reads come from the values Lite loaded when the script started: each sheet's used
  range is read once (one bulk read) and every block is sliced from that copy;
* formulas cannot be read, so nothing here reads one (``read_formulas`` refuses);
* writes are queued by Lite until the script ends; this adapter keeps every write in
  Python and issues, per sheet it writes, one clear and one value block (one bulk
  write), then the formats (colours, number formats, fonts, widths: write-only in Lite);
* it never writes an input cell: only sheets the routine replaces are written (Catatan
  Validasi every run; a summary sheet only when it is missing), any other write raises.

The summary sheets are live formulas, protected, and checked by their values
(``routine.check_summary``), not written. Catatan Validasi, which every run writes, is
the one sheet the Lite workbook leaves unprotected: Lite cannot unprotect a sheet (no
such action in its object model). A replaced sheet is cleared in place, not deleted, and
its tables land in the same cells (``tables.place``), so charts keep pointing at them.
See docs/lite.md for what only real Excel can confirm.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..book import Area, AreaByArea, ChartSpec, Fmt
from ..findings import WorkbookGenError
from ..layout import SHEET_CATATAN, col_letter

#: The sheets a run writes without replacing them: Catatan Validasi (its findings area).
#: The Lite workbook leaves them unprotected (``package``); every other sheet is written
#: only when the routine replaces it (a missing summary sheet drawn again).
WRITTEN_SHEETS = (SHEET_CATATAN,)


class LiteBookError(WorkbookGenError):
    """A write the Lite adapter refuses (it never writes an input sheet)."""


@dataclass
class _Pending:
    """What will be written to one sheet when the run ends."""

    cleared: bool = False
    new: bool = False
    after: str | None = None
    cells: dict[tuple[int, int], Any] = field(default_factory=dict)
    formats: list[tuple[Area, Fmt]] = field(default_factory=list)
    fills: list[tuple[int, int, str]] = field(default_factory=list)
    widths: list[float] = field(default_factory=list)


def _a1(r0: int, c0: int, r1: int, c1: int) -> str:
    return f"{col_letter(c0)}{r0}:{col_letter(c1)}{r1}"


class LiteBook(AreaByArea):
    """:class:`workbook_gen.book.Book` over the xlwings Lite book a script receives."""

    #: An open spreadsheet whose values Excel computed before the click (automatic
    #: calculation): every formula cell read holds a computed value, and an empty one is
    #: a value too (not "not computed since saved", as in a file). Lite cannot ask for a
    #: recalculation within the script; in manual calculation mode the stale cells are
    #: reported, with the advice to switch calculation to automatic.
    live = True
    #: Lite cannot read formulas: the routine restores none and checks by values alone.
    reads_formulas = False

    def __init__(self, book: Any) -> None:
        self.book = book
        self.name = str(book.name)
        self._sheets: dict[str, Any] = {}
        self._names: list[str] | None = None
        self._values: dict[str, tuple[int, int, list[list[Any]]]] = {}
        self._pending: dict[str, _Pending] = {}
        self._defined: dict[str, Area] = {}
        self.messages: list[str] = []
        self.flushed = False

    def calculate(self) -> None:
        """Nothing to do: Excel computed the values before the script started, and a
        calculation queued in Lite would run only after the script ends."""

    # reading ---------------------------------------------------------------
    def sheet_names(self) -> list[str]:
        if self._names is None:
            for sheet in self.book.sheets:
                self._sheets[sheet.name] = sheet
            self._names = list(self._sheets)
        return list(self._names)

    def _sheet(self, name: str) -> Any:
        if name not in self._sheets:
            self._sheets[name] = self.book.sheets[name]
        return self._sheets[name]

    def _loaded(self, sheet: str) -> tuple[int, int, list[list[Any]]]:
        if sheet not in self._values:
            used = self._sheet(sheet).used_range
            values = used.options(ndim=2).value
            self._values[sheet] = (int(used.row), int(used.column),
                                   [list(r) for r in values or []])
        return self._values[sheet]

    def read_block(self, sheet: str, r0: int, c0: int, r1: int, c1: int) -> list[list[Any]]:
        top, left, values = self._loaded(sheet)
        out = []
        for r in range(r0, r1 + 1):
            i = r - top
            row = values[i] if 0 <= i < len(values) else []
            out.append([row[c - left] if 0 <= c - left < len(row) else None
                        for c in range(c0, c1 + 1)])
        return out

    def read_formulas(self, sheet: str, r0: int, c0: int, r1: int, c1: int) -> list[list[Any]]:
        raise LiteBookError("xlwings Lite tidak bisa membaca rumus; jalur Lite tidak "
                            "memulihkan rumus (pakai Hitung Capaian versi .xlsm atau "
                            "'workbook-gen hitung').")

    # writing (kept until flush) --------------------------------------------
    def _target(self, sheet: str) -> _Pending:
        pending = self._pending.get(sheet)
        if pending is None and sheet in WRITTEN_SHEETS and sheet in self.sheet_names():
            pending = self._pending[sheet] = _Pending()  # written in place, not cleared
        if pending is None:
            raise LiteBookError(f"Lembar '{sheet}' tidak ditulis jalur Lite: yang ditulis hanya "
                                f"'{SHEET_CATATAN}' dan lembar ringkasan yang hilang; lembar "
                                "masukan tidak pernah ditulis.")
        return pending

    def write_block(self, sheet: str, r0: int, c0: int, values: list[list[Any]]) -> None:
        pending = self._target(sheet)
        for i, row in enumerate(values):
            for j, v in enumerate(row):
                pending.cells[(r0 + i, c0 + j)] = v

    def write_formulas(self, sheet: str, r0: int, c0: int,
                       formulas: list[list[Any]]) -> None:
        self.write_block(sheet, r0, c0, formulas)

    def replace_sheet(self, name: str, after: str | None) -> None:
        exists = name in self.sheet_names()
        self._pending[name] = _Pending(cleared=exists, new=not exists, after=after)
        if not exists:
            names = self.sheet_names()
            names.insert(names.index(after) + 1 if after in names else len(names), name)
            self._names = names

    def format_area(self, area: Area, fmt: Fmt) -> None:
        self._target(area.sheet).formats.append((area, fmt))

    def colour_by_text(self, area: Area, colours: dict[str, str]) -> None:
        """Fills per cell from the text about to be written (Lite has no reading back)."""
        pending = self._target(area.sheet)
        for r in range(area.r0, area.r1 + 1):
            for c in range(area.c0, area.c1 + 1):
                value = pending.cells.get((r, c))
                if isinstance(value, str) and value in colours:
                    pending.fills.append((r, c, colours[value]))

    def set_column_widths(self, sheet: str, widths: Sequence[float]) -> None:
        self._target(sheet).widths = list(widths)

    def set_row_heights(self, sheet: str, heights: dict[int, float]) -> None:
        """Row heights stay as the generator set them (not written through Lite)."""

    def add_chart(self, sheet: str, chart: ChartSpec) -> None:
        """Charts stay as the generator drew them (Lite cannot create native charts)."""

    def define_name(self, name: str, area: Area) -> None:
        self._defined[name] = area

    def page_setup(self, sheet: str, landscape: bool) -> None:
        """Kept from the generator (Lite has no page setup)."""

    def protect(self, sheet: str, password: str | None) -> None:
        """Kept from the generator (Lite has no protect action)."""

    def unprotect(self, sheet: str, password: str | None) -> None:
        """Lite has no unprotect action; see the module docstring."""

    def message(self, text: str) -> None:
        self.messages.append(text)

    def discard(self) -> None:
        """Forget every staged write (a run that failed writes only its message)."""
        self._pending.clear()
        self._defined.clear()

    # the one write ---------------------------------------------------------
    def flush(self) -> None:
        """Issue everything kept: per sheet one clear, one value block, then formats."""
        if self.flushed:
            return
        self.flushed = True
        for name, pending in self._pending.items():
            if pending.new:
                after = self._sheets.get(pending.after) if pending.after else None
                sheet = (self.book.sheets.add(name=name, after=after) if after is not None
                         else self.book.sheets.add(name=name))
                self._sheets[name] = sheet
            else:
                sheet = self._sheet(name)
                if pending.cleared:
                    sheet.clear()
            if pending.cells:
                rows = [r for r, _ in pending.cells]
                cols = [c for _, c in pending.cells]
                r0, r1, c0, c1 = min(rows), max(rows), min(cols), max(cols)
                block = [[pending.cells.get((r, c)) for c in range(c0, c1 + 1)]
                         for r in range(r0, r1 + 1)]
                sheet.range((r0, c0), (r1, c1)).value = block
            for area, fmt in pending.formats:
                _apply(sheet.range(_a1(area.r0, area.c0, area.r1, area.c1)), fmt)
            for r, c, colour in pending.fills:
                sheet.range((r, c)).color = colour
            for i, w in enumerate(pending.widths, 1):
                sheet.range((1, i)).column_width = w
        for name, area in self._defined.items():
            refers = "=" + area.ref()
            existing = [n.name for n in self.book.names]
            if name in existing:
                self.book.names[name].refers_to = refers
            else:
                self.book.names.add(name, refers)
        for text in self.messages:
            self.book.app.alert(text, title="Hitung Capaian")


def _apply(rng: Any, fmt: Fmt) -> None:
    if fmt.bold:
        rng.font.bold = True
    if fmt.italic:
        rng.font.italic = True
    if fmt.size:
        rng.font.size = fmt.size
    if fmt.font_colour:
        rng.font.color = fmt.font_colour
    if fmt.fill:
        rng.color = fmt.fill
    if fmt.number_format:
        rng.number_format = fmt.number_format
    if fmt.wrap:
        rng.wrap_text = True
