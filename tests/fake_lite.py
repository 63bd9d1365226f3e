"""A test double of the xlwings Lite book a script receives, and a driver for main.py.

Lite loads every sheet's values when a script starts; reads come from that copy (never
formulas), and writes are queued until the script ends. The double does the same and
records every call: value reads per sheet, value writes, formats, clears, names, alerts.
Plain Python only: it runs in CPython (tests) and in Pyodide under Node.js, where it is
installed as the module ``xlwings`` (``import xlwings as xw; from xlwings import script``).
"""

from __future__ import annotations

import re
import shutil
import sys
import types
from typing import Any

SCRIPTS: list[Any] = []


def script(func: Any = None, **options: Any) -> Any:
    """``@script`` and ``@script(button=..., show_taskpane=...)``: records the script."""
    def register(f: Any) -> Any:
        f.__lite_options__ = options
        SCRIPTS.append(f)
        return f
    return register(func) if callable(func) else register


def _col(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def _letters(col: int) -> str:
    out = ""
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def _cell(text: str) -> tuple[int, int]:
    m = re.fullmatch(r"\$?([A-Za-z]+)\$?(\d+)", text)
    if m is None:
        raise ValueError(f"alamat sel tidak dikenal: {text}")
    return int(m.group(2)), _col(m.group(1))


class FormulaReadError(AssertionError):
    """xlwings Lite cannot read formulas; the double refuses like the real thing would."""


class Font:
    def __init__(self, rng: Range) -> None:
        self._rng = rng

    def __setattr__(self, key: str, value: Any) -> None:
        if key.startswith("_"):
            object.__setattr__(self, key, value)
            return
        self._rng._queue("font_" + key, value)


class Range:
    def __init__(self, sheet: Sheet, r0: int, c0: int, r1: int, c1: int) -> None:
        self.sheet, self.row, self.column = sheet, r0, c0
        self.last_row, self.last_column = r1, c1
        self._ndim: int | None = None

    @property
    def address(self) -> str:
        return f"${_letters(self.column)}${self.row}:${_letters(self.last_column)}" \
               f"${self.last_row}"

    @property
    def shape(self) -> tuple[int, int]:
        return self.last_row - self.row + 1, self.last_column - self.column + 1

    def options(self, ndim: int | None = None, **_: Any) -> Range:
        self._ndim = ndim
        return self

    @property
    def value(self) -> Any:
        self.sheet.book.calls["reads"].append(self.sheet.name)
        snap = self.sheet._values
        rows = [[snap[r - 1][c - 1] if r - 1 < len(snap) and c - 1 < len(snap[r - 1])
                 else None for c in range(self.column, self.last_column + 1)]
                for r in range(self.row, self.last_row + 1)]
        if self._ndim == 2:
            return rows
        if len(rows) == 1 and len(rows[0]) == 1:
            return rows[0][0]
        return rows[0] if len(rows) == 1 else rows

    @value.setter
    def value(self, values: Any) -> None:
        self.sheet.book.calls["writes"].append((self.sheet.name, self.address))
        self._queue("value", values)

    @property
    def formula(self) -> Any:
        raise FormulaReadError("xlwings Lite tidak bisa membaca rumus")

    @property
    def font(self) -> Font:
        return Font(self)

    def __setattr__(self, key: str, value: Any) -> None:
        if key in ("color", "number_format", "wrap_text", "column_width"):
            self._queue(key, value)
        else:
            object.__setattr__(self, key, value)

    def _queue(self, what: str, value: Any) -> None:
        book = self.sheet.book
        if what != "value":
            book.calls["formats"].append((self.sheet.name, self.address, what))
        book.queue.append((self.sheet.name, (self.row, self.column, self.last_row,
                                              self.last_column), what, value))


class Sheet:
    def __init__(self, book: Book, name: str, values: list[list[Any]]) -> None:
        self.book, self.name = book, name
        self._values = [list(r) for r in values]

    def range(self, first: Any, last: Any = None) -> Range:
        if isinstance(first, str):
            parts = first.split(":")
            (r0, c0), (r1, c1) = _cell(parts[0]), _cell(parts[-1])
        else:
            (r0, c0) = first
            (r1, c1) = last if last is not None else first
        return Range(self, r0, c0, r1, c1)

    def __getitem__(self, address: str) -> Range:
        return self.range(address)

    @property
    def used_range(self) -> Range:
        cells = [(r, c) for r, row in enumerate(self._values, 1)
                 for c, v in enumerate(row, 1) if v is not None]
        if not cells:
            return Range(self, 1, 1, 1, 1)
        return Range(self, min(r for r, _ in cells), min(c for _, c in cells),
                     max(r for r, _ in cells), max(c for _, c in cells))

    def clear(self) -> None:
        self.book.calls["clears"].append(self.name)
        self.book.queue.append((self.name, None, "clear", None))

    def delete(self) -> None:
        raise AssertionError("the Lite adapter never deletes a sheet")


class Sheets:
    def __init__(self, book: Book) -> None:
        self._book = book
        self._list: list[Sheet] = []

    def __iter__(self) -> Any:
        return iter(list(self._list))

    def __len__(self) -> int:
        return len(self._list)

    def __getitem__(self, key: Any) -> Sheet:
        if isinstance(key, int):
            return self._list[key]
        for s in self._list:
            if s.name == key:
                return s
        raise KeyError(key)

    def add(self, name: str | None = None, before: Any = None, after: Any = None) -> Sheet:
        sheet = Sheet(self._book, name or f"Sheet{len(self._list) + 1}", [])
        index = self._list.index(after) + 1 if after is not None else len(self._list)
        self._list.insert(index, sheet)
        self._book.calls["adds"].append(sheet.name)
        return sheet


class Name:
    def __init__(self, book: Book, name: str, refers_to: str) -> None:
        self._book, self.name = book, name
        object.__setattr__(self, "_refers_to", refers_to)

    @property
    def refers_to(self) -> str:
        return self._refers_to

    @refers_to.setter
    def refers_to(self, value: str) -> None:
        self._book.calls["names"].append((self.name, value))
        self._refers_to = value


class Names:
    def __init__(self, book: Book) -> None:
        self._book = book
        self._items: dict[str, Name] = {}

    def __iter__(self) -> Any:
        return iter(list(self._items.values()))

    def __getitem__(self, name: str) -> Name:
        return self._items[name]

    def add(self, name: str, refers_to: str) -> Name:
        self._book.calls["names"].append((name, refers_to))
        self._items[name] = Name(self._book, name, refers_to)
        return self._items[name]


class App:
    def __init__(self, book: Book) -> None:
        self._book = book

    def alert(self, prompt: str, title: str | None = None, **_: Any) -> None:
        self._book.calls["alerts"].append(prompt)


class Book:
    """The Lite book: ``values`` maps sheet name -> rows of cell values (row 1 first)."""

    def __init__(self, name: str, values: dict[str, list[list[Any]]],
                 names: dict[str, str] | None = None) -> None:
        self.name = name
        self.calls: dict[str, list[Any]] = {k: [] for k in (
            "reads", "writes", "formats", "clears", "adds", "names", "alerts")}
        self.queue: list[tuple[str, Any, str, Any]] = []
        self.sheets = Sheets(self)
        for sheet, rows in values.items():
            self.sheets._list.append(Sheet(self, sheet, rows))
        self.names = Names(self)
        for name_, ref in (names or {}).items():
            self.names._items[name_] = Name(self, name_, ref)
        self.app = App(self)

    def apply_queue(self) -> dict[str, list[list[Any]]]:
        """What Lite does when the script ends: apply the queued value writes and clears;
        returns every sheet's values afterwards."""
        for sheet_name, box, what, value in self.queue:
            sheet = self.sheets[sheet_name]
            if what == "clear":
                sheet._values = []
            elif what == "value":
                r0, c0, _, _ = box
                rows = value if isinstance(value, list) else [[value]]
                for i, row in enumerate(rows):
                    for j, v in enumerate(row if isinstance(row, list) else [row]):
                        r, c = r0 + i, c0 + j
                        while len(sheet._values) < r:
                            sheet._values.append([])
                        line = sheet._values[r - 1]
                        while len(line) < c:
                            line.append(None)
                        line[c - 1] = v
        self.queue = []
        return {s.name: [list(r) for r in s._values] for s in self.sheets}

    def record(self) -> dict[str, Any]:
        """Calls and the sheets after the run, as plain data (JSON-able)."""
        after = self.apply_queue()
        return {"calls": self.calls, "sheets": after,
                "names": {n.name: n.refers_to for n in self.names}}


def run_main(main_text: str, book: Book, script_index: int = 0) -> dict[str, Any]:
    """Execute ``main.py`` as Lite would (this module standing in for ``xlwings``), click
    its ``script_index``-th button, and return :meth:`Book.record`."""
    saved = sys.modules.get("xlwings")
    # main.py puts its own copy of workbook_gen first on sys.path and drops the loaded one:
    # give the caller's back afterwards, so a test process keeps using its own modules
    saved_path = list(sys.path)
    saved_modules = {k: v for k, v in sys.modules.items() if k.split(".")[0] == "workbook_gen"}
    sys.modules["xlwings"] = sys.modules[__name__]
    SCRIPTS.clear()
    try:
        module = types.ModuleType("main")
        exec(compile(main_text, "main.py", "exec"), module.__dict__)  # noqa: S102
        SCRIPTS[script_index](book)
    finally:
        if saved is not None:
            sys.modules["xlwings"] = saved
        else:
            sys.modules.pop("xlwings", None)
        for added in set(sys.path) - set(saved_path):
            if added.startswith("/tmp/workbook_gen_lite"):  # main.py's unpacked copy
                shutil.rmtree(added, ignore_errors=True)
        sys.path[:] = saved_path
        for name in [k for k in sys.modules if k.split(".")[0] == "workbook_gen"]:
            del sys.modules[name]
        sys.modules.update(saved_modules)
    return book.record()
