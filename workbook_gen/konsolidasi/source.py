"""The fast reader: a :class:`~workbook_gen.reader.BlockSource` over a checked workbook's
bytes with python-calamine (read-only; VBA is never run)."""

from __future__ import annotations

import datetime as _dt
import io
from collections.abc import Collection
from typing import Any

import python_calamine as calamine

from .check import KIRIM_ULANG, FileProblem

_PLAIN = (str, float, bool)


def _value(v: Any) -> Any:
    """Calamine cell -> reader cell: '' is None; dates stay dates, so the input-form rule
    (workbook.inputs.baca_sel) reads them exactly as it does from openpyxl."""
    if v == "" or v is None:
        return None
    if isinstance(v, _PLAIN):
        return v
    if isinstance(v, int):
        return float(v)
    if isinstance(v, (_dt.datetime, _dt.date, _dt.time)):
        return v
    return str(v)


class CalamineSource:
    """A :class:`~workbook_gen.reader.BlockSource` over a workbook's bytes (read-only).

    Each sheet is parsed once, on first use, and kept in memory for later blocks. With
    ``sheets``, only the sheets of these names can be read (the ones whose parts
    check.check_bytes checked); asking for another is a programming error.
    """

    def __init__(self, data: bytes, sheets: Collection[str] | None = None) -> None:
        try:
            self._wb = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        except calamine.PasswordError:
            raise FileProblem("terenkripsi", "Workbook dilindungi kata sandi.",
                              KIRIM_ULANG) from None
        except Exception as exc:  # noqa: BLE001 - calamine raises several types
            raise FileProblem("rusak", f"Workbook rusak dan tidak bisa dibaca ({_short(exc)}).",
                              KIRIM_ULANG) from None
        self._names = list(self._wb.sheet_names)
        self._sheets: dict[str, list[list[Any]]] = {}
        self._allowed = None if sheets is None else frozenset(sheets)

    def sheet_names(self) -> list[str]:
        return list(self._names)

    def _rows(self, name: str) -> list[list[Any]]:
        rows = self._sheets.get(name)
        if rows is None:
            if self._allowed is not None and name not in self._allowed:
                raise RuntimeError(f"sheet {name!r} was not checked before reading")
            try:
                rows = self._wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
            except Exception as exc:  # noqa: BLE001
                raise FileProblem("rusak", f"Lembar '{name}' rusak dan tidak bisa dibaca "
                                  f"({_short(exc)}).", KIRIM_ULANG) from None
            self._sheets[name] = rows
        return rows

    def read_block(self, sheet: str, first_row: int, first_col: int, last_row: int,
                   last_col: int) -> list[list[Any]]:
        rows = self._rows(sheet)
        width = last_col - first_col + 1
        c0 = first_col - 1
        out = []
        for r in range(first_row - 1, min(last_row, len(rows))):
            cells = rows[r][c0:last_col]
            # numbers (float) and text are by far the most common: convert the rest only
            cells = [None if v == "" else (v if type(v) is float or type(v) is str else
                                           _value(v)) for v in cells]
            if len(cells) < width:
                cells += [None] * (width - len(cells))
            out.append(cells)
        # rows below the sheet's last: blank (each its own list)
        out += [[None] * width for _ in range(last_row - max(first_row - 1, len(rows)))]
        return out

    def close(self) -> None:
        self._sheets.clear()
        try:
            self._wb.close()
        except Exception:  # noqa: BLE001 - already closed
            pass


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:160]
