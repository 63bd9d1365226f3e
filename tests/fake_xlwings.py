"""A counting fake of the xlwings objects the XlwingsBook uses.

It holds a workbook's cells in memory (loaded from a generated file with openpyxl) and
counts every operation that would be a COM round trip in real Excel: getting a sheet or a
range, reading or writing a value or formula, setting a format property, touching ``.api``,
adding a sheet, chart or name, showing an alert. Reads and writes behave like xlwings
(2-D lists, a list written at a top-left cell expands).

It also behaves like Excel where that matters for faithfulness: numbers are stored as
floats; text written through ``value``/``raw_value``/``formula`` is parsed as if typed
("0012" -> 12.0, "1.470" -> 1.47 in an English-locale Excel) unless it starts with the
apostrophe prefix; and every write is recorded per cell range (``FakeBook.writes``) so a
test can prove that no write touches an input (unlocked) cell.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils import column_index_from_string, get_column_letter

_NUMBER = re.compile(r"\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*")


def excel_parse(value: Any) -> Any:
    """What Excel stores when a value is written into a General cell as if typed."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return float(value)
    if not isinstance(value, str):
        return value
    if value.startswith("'"):
        return value[1:]
    if value == "":
        return None
    if _NUMBER.fullmatch(value):
        return float(value)
    if value.endswith("%") and _NUMBER.fullmatch(value[:-1]):
        return float(value[:-1]) / 100
    return value


def stored(value: Any) -> Any:
    """A loaded cell value as Excel holds it (every number a float)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


class Calls:
    def __init__(self) -> None:
        self.counter: Counter[str] = Counter()
        self.api_calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []

    def hit(self, what: str) -> None:
        self.counter[what] += 1

    @property
    def total(self) -> int:
        return sum(self.counter.values())


class _Absorb:
    """Stand-in for COM objects reached through .api: every call/attribute counts;
    method calls are recorded with their arguments in ``Calls.api_calls``."""

    def __init__(self, calls: Calls, label: str) -> None:
        object.__setattr__(self, "_calls", calls)
        object.__setattr__(self, "_label", label)

    def __getattr__(self, name: str) -> Any:
        self._calls.hit(f"api.{name}")
        return _Absorb(self._calls, name)

    def __setattr__(self, name: str, value: Any) -> None:
        self._calls.hit(f"api.set.{name}")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self._calls.api_calls.append((self._label, args, kwargs))
        return _Absorb(self._calls, self._label)

    def __getitem__(self, key: Any) -> Any:
        return _Absorb(self._calls, self._label)


def _cell(ref: str) -> tuple[int, int]:
    m = re.fullmatch(r"\$?([A-Z]+)\$?(\d+)", ref)
    assert m, ref
    return int(m.group(2)), column_index_from_string(m.group(1))


class FakeFont:
    def __init__(self, calls: Calls) -> None:
        object.__setattr__(self, "_calls", calls)

    def __setattr__(self, name: str, value: Any) -> None:
        self._calls.hit(f"font.{name}")


class FakeRange:
    def __init__(self, sheet: FakeSheet, areas: list[tuple[int, int, int, int]]) -> None:
        self.sheet = sheet
        self.areas = areas
        self.calls = sheet.calls
        self._ndim2 = False

    @property
    def _box(self) -> tuple[int, int, int, int]:
        assert len(self.areas) == 1, "multi-area ranges are only formatted"
        return self.areas[0]

    def options(self, ndim: int | None = None, **_: Any) -> FakeRange:
        self._ndim2 = ndim == 2
        return self

    def _grid(self, formulas: bool) -> Any:
        r0, c0, r1, c1 = self._box
        rows = []
        for r in range(r0, r1 + 1):
            row = []
            for c in range(c0, c1 + 1):
                value, formula = self.sheet.cells.get((r, c), (None, None))
                if formulas:
                    row.append(formula if formula else ("" if value is None else str(value)))
                else:
                    row.append(value)
            rows.append(row)
        if formulas:
            return tuple(tuple(r) for r in rows) if (r1 > r0 or c1 > c0) else rows[0][0]
        if self._ndim2:
            return rows
        if r0 == r1 and c0 == c1:
            return rows[0][0]
        return rows

    def _put(self, data: Any, formulas: bool) -> None:
        r0, c0, _, _ = self._box
        if not isinstance(data, (list, tuple)):
            data = [[data]]
        elif data and not isinstance(data[0], (list, tuple)):
            data = [data]
        width = max((len(r) for r in data), default=0)
        self.sheet.book.writes.append((self.sheet._name, r0, c0, r0 + len(data) - 1,
                                       c0 + width - 1))
        for i, row in enumerate(data):
            for j, v in enumerate(row):
                if formulas and isinstance(v, str) and v.startswith("="):
                    self.sheet.cells[(r0 + i, c0 + j)] = (None, v)
                else:
                    self.sheet.cells[(r0 + i, c0 + j)] = (excel_parse(v), None)

    @property
    def value(self) -> Any:
        self.calls.hit("range.value.get")
        return self._grid(formulas=False)

    @value.setter
    def value(self, data: Any) -> None:
        self.calls.hit("range.value.set")
        self._put(data, formulas=False)

    @property
    def raw_value(self) -> Any:
        self.calls.hit("range.raw_value.get")
        r0, c0, r1, c1 = self._box
        rows = tuple(tuple(self.sheet.cells.get((r, c), (None, None))[0]
                           for c in range(c0, c1 + 1)) for r in range(r0, r1 + 1))
        return rows if (r1 > r0 or c1 > c0) else rows[0][0]

    @raw_value.setter
    def raw_value(self, data: Any) -> None:
        self.calls.hit("range.raw_value.set")
        self._put(data, formulas=False)

    @property
    def formula(self) -> Any:
        self.calls.hit("range.formula.get")
        return self._grid(formulas=True)

    @formula.setter
    def formula(self, data: Any) -> None:
        self.calls.hit("range.formula.set")
        self._put(data, formulas=True)

    @property
    def font(self) -> FakeFont:
        return FakeFont(self.calls)

    def __setattr__(self, name: str, value: Any) -> None:
        if name in ("color", "number_format", "wrap_text", "column_width"):
            self.calls.hit(f"range.{name}")
            return
        object.__setattr__(self, name, value)

    @property
    def left(self) -> float:
        self.calls.hit("range.left")
        return 0.0

    @property
    def top(self) -> float:
        self.calls.hit("range.top")
        return 0.0

    @property
    def api(self) -> _Absorb:
        self.calls.hit("range.api")
        return _Absorb(self.calls, "range")


class FakeChart:
    def __init__(self, calls: Calls) -> None:
        object.__setattr__(self, "calls", calls)
        object.__setattr__(self, "source", None)

    def __setattr__(self, name: str, value: Any) -> None:
        self.calls.hit(f"chart.{name}")

    def set_source_data(self, rng: FakeRange) -> None:
        self.calls.hit("chart.set_source_data")
        object.__setattr__(self, "source", rng)

    @property
    def api(self) -> _Absorb:
        self.calls.hit("chart.api")
        return _Absorb(self.calls, "chart")


class FakeCharts:
    def __init__(self, sheet: FakeSheet) -> None:
        self.sheet = sheet

    def add(self, left: float = 0, top: float = 0, width: float = 355,
            height: float = 211) -> FakeChart:
        self.sheet.calls.hit("charts.add")
        chart = FakeChart(self.sheet.calls)
        self.sheet.chart_list.append(chart)
        return chart


class FakeSheet:
    def __init__(self, book: FakeBook, name: str) -> None:
        self.book = book
        self.calls = book.calls
        self._name = name
        self.cells: dict[tuple[int, int], tuple[Any, str | None]] = {}
        self.inputs: set[tuple[int, int]] = set()  # unlocked cells as generated
        self.chart_list: list[FakeChart] = []
        self.protected = True

    @property
    def name(self) -> str:
        self.calls.hit("sheet.name")
        return self._name

    def range(self, a: Any, b: Any = None) -> FakeRange:
        self.calls.hit("sheet.range")
        if isinstance(a, str):
            areas = []
            for part in a.split(","):
                first, _, last = part.partition(":")
                r0, c0 = _cell(first)
                r1, c1 = _cell(last) if last else (r0, c0)
                areas.append((r0, c0, r1, c1))
            return FakeRange(self, areas)
        r0, c0 = a
        r1, c1 = b if b is not None else a
        return FakeRange(self, [(r0, c0, r1, c1)])

    @property
    def charts(self) -> FakeCharts:
        return FakeCharts(self)

    def delete(self) -> None:
        self.calls.hit("sheet.delete")
        self.book.sheets._remove(self._name)

    @property
    def api(self) -> _Absorb:
        self.calls.hit("sheet.api")
        return _Absorb(self.calls, "sheet")


class FakeSheets:
    def __init__(self, book: FakeBook) -> None:
        self.book = book
        self._list: list[FakeSheet] = []

    def __getitem__(self, key: Any) -> FakeSheet:
        self.book.calls.hit("sheets.get")
        for s in self._list:
            if s._name == key:
                return s
        raise KeyError(key)

    def __iter__(self):
        self.book.calls.hit("sheets.iter")
        return iter(list(self._list))

    def __len__(self) -> int:
        return len(self._list)

    def add(self, name: str, before: Any = None, after: Any = None) -> FakeSheet:
        self.book.calls.hit("sheets.add")
        sheet = FakeSheet(self.book, name)
        index = self._list.index(after) + 1 if after is not None else len(self._list)
        self._list.insert(index, sheet)
        return sheet

    def _remove(self, name: str) -> None:
        self._list = [s for s in self._list if s._name != name]

    def names(self) -> list[str]:
        return [s._name for s in self._list]


class FakeName:
    def __init__(self, names: FakeNames, name: str, refers_to: str) -> None:
        self._names = names
        self.name = name
        self.refers_to = refers_to

    def delete(self) -> None:
        self._names.book.calls.hit("name.delete")
        self._names._items.pop(self.name, None)


class FakeNames:
    def __init__(self, book: FakeBook) -> None:
        self.book = book
        self._items: dict[str, FakeName] = {}

    def __iter__(self):
        self.book.calls.hit("names.iter")
        return iter(list(self._items.values()))

    def __getitem__(self, name: str) -> FakeName:
        self.book.calls.hit("names.get")
        return self._items[name]

    def add(self, name: str, refers_to: str) -> FakeName:
        self.book.calls.hit("names.add")
        self._items[name] = FakeName(self, name, refers_to)
        return self._items[name]


class FakeApp:
    def __init__(self, calls: Calls) -> None:
        self.calls = calls
        self.alerts: list[str] = []

    def calculate(self) -> None:
        self.calls.hit("app.calculate")

    def alert(self, prompt: str, title: str | None = None, **_: Any) -> None:
        self.calls.hit("app.alert")
        self.alerts.append(prompt)


class FakeBook:
    """A generated workbook loaded into memory, behaving like ``xlwings.Book``."""

    def __init__(self, path: Path) -> None:
        self.calls = Calls()
        self.name = path.name
        self.fullname = str(path)
        self.sheets = FakeSheets(self)
        self.names = FakeNames(self)
        self.app = FakeApp(self.calls)
        self.writes: list[tuple[str, int, int, int, int]] = []  # sheet, r0, c0, r1, c1
        formulas = openpyxl.load_workbook(path)
        values = openpyxl.load_workbook(path, data_only=True)
        for ws in formulas:
            sheet = FakeSheet(self, ws.title)
            cached = values[ws.title]
            for row in ws.iter_rows():
                for cell in row:
                    if ws.protection.sheet and cell.protection.locked is False:
                        sheet.inputs.add((cell.row, cell.column))
                    if cell.value is None:
                        continue
                    if isinstance(cell.value, str) and cell.value.startswith("="):
                        sheet.cells[(cell.row, cell.column)] = (
                            stored(cached.cell(cell.row, cell.column).value), cell.value)
                    else:
                        sheet.cells[(cell.row, cell.column)] = (stored(cell.value), None)
            self.sheets._list.append(sheet)
        self.calls.counter.clear()

    @property
    def sheet_names(self) -> list[str]:
        self.calls.hit("book.sheet_names")
        return self.sheets.names()

    def input_writes(self) -> list[tuple[str, str]]:
        """(sheet, cell) of every write that touched an input (unlocked) cell."""
        out = []
        for name, r0, c0, r1, c1 in self.writes:
            sheet = next(s for s in self.sheets._list if s._name == name)
            out += [(name, f"{get_column_letter(c)}{r}") for r, c in sorted(sheet.inputs)
                    if r0 <= r <= r1 and c0 <= c <= c1]
        return out

    def cell(self, sheet: str, ref: str) -> tuple[Any, str | None]:
        for s in self.sheets._list:
            if s._name == sheet:
                return s.cells.get(_cell(ref), (None, None))
        raise KeyError(sheet)
