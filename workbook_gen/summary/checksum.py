"""Check sums of the summary sheets, so Hitung Capaian reads one small block instead of
every summary sheet.

Catatan Validasi holds, in hidden columns, three live formulas per summary sheet over
the whole area the sheet was drawn in: the sum of its numbers, how many numbers, and the
total length of its texts. The generator writes them with the values the engine's
content gives; the routine reads them (one read) and compares them with the same figures
worked out from the content it builds: a sheet whose figures agree shows what the engine
computes; a sheet whose figures differ (a formula typed over, a title from another
periode, a sheet changed by hand) is read cell by cell and repaired
(``workbook_gen.routine``). Columns whose formulas may give an error value (``NA()`` for
chart gaps) are left out, so a check sum is never an error on a sound sheet.
"""

from __future__ import annotations

from typing import Any

from .. import formulas as f
from ..layout import col_letter
from ..tables import Formula, SheetContent
from .render import grid_of

#: Catatan Validasi: first hidden column (0-based) of the check sums; one row per
#: summary sheet from row 0: sheet name, sum, count, text length
CHECK_COLUMN = 10
CHECK_FIELDS = 4
#: how far two sums may differ (rounded figures added up in another order)
TOLERANCE = 1e-6


def _columns(content: SheetContent) -> tuple[list[list[Any]], list[list[Any]], list[int]]:
    texts, _ = grid_of(content)
    values, _ = grid_of(content, formulas=False)
    width = len(texts[0]) if texts else 0
    skip = {c for row in texts for c, t in enumerate(row)
            if isinstance(t, str) and t.startswith("=") and "NA()" in t}
    return texts, values, [c for c in range(width) if c not in skip]


def _runs(cols: list[int]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for c in cols:
        if out and out[-1][1] == c - 1:
            out[-1] = (out[-1][0], c)
        else:
            out.append((c, c))
    return out


def formulas(content: SheetContent) -> tuple[str, str, str]:
    """(sum, count, text length) formulas over the sheet's drawn area."""
    texts, _, cols = _columns(content)
    return _formulas(content, texts, cols)


def _formulas(content: SheetContent, texts: list[list[Any]], cols: list[int]
              ) -> tuple[str, str, str]:
    height = len(texts)
    areas = [f.ref(content.name, f"${col_letter(a + 1)}$", 1) + f":${col_letter(b + 1)}${height}"
             for a, b in _runs(cols)]
    joined = ",".join(areas)
    length = "+".join(f"SUMPRODUCT(ISTEXT({a})*LEN({a}))" for a in areas)
    return f"=SUM({joined})", f"=COUNT({joined})", f"={length or 0}"


def figures(content: SheetContent) -> tuple[float, int, int]:
    """What the check sums of ``content`` give when the sheet shows the content."""
    _, values, cols = _columns(content)
    return _figures(values, cols)


def _figures(values: list[list[Any]], cols: list[int]) -> tuple[float, int, int]:
    total, count, length = 0.0, 0, 0
    for row in values:
        for c in cols:
            v = row[c]
            if isinstance(v, bool) or v is None:
                continue
            if isinstance(v, (int, float)):
                total += float(v)
                count += 1
            elif isinstance(v, str):
                length += len(v)
    return total, count, length


def cells(contents: list[SheetContent]) -> dict[tuple[int, int], Any]:
    """The check-sum cells of Catatan Validasi (0-based), one row per sheet."""
    out: dict[tuple[int, int], Any] = {}
    for r, content in enumerate(contents):
        out[(r, CHECK_COLUMN)] = content.name
        texts, values, cols = _columns(content)  # (one layout of the sheet for both)
        for j, (text, value) in enumerate(zip(_formulas(content, texts, cols),
                                              _figures(values, cols), strict=True), 1):
            out[(r, CHECK_COLUMN + j)] = Formula(text, float(value))
    return out


def agrees(got: list[Any], want: tuple[float, int, int]) -> bool:
    """The three figures read agree with ``want``."""
    if len(got) < 3 or any(isinstance(g, bool) or not isinstance(g, (int, float))
                           for g in got[:3]):
        return False
    s, n, t = (float(g) for g in got[:3])
    return (abs(s - want[0]) <= TOLERANCE * max(1.0, abs(want[0])) + 0.005 * want[1]
            and round(n) == want[1] and round(t) == want[2])
