"""How large or small a number in a workbook cell may be before it is a typo.

Excel holds 15 significant digits; above 10^15 whole numbers (Rupiah, counts of people)
can no longer be stored exactly, so nothing above it is a real budget or count, and
the formulas and the engine would disagree on it. Below 10^-9 a non-zero value shows
as 0 with any number format the workbook uses, while dividing by it gives a capaian
of astronomical size (a "tiny target"). Both are refused at the cell, never computed.
"""

from __future__ import annotations

import math

MAX_ABS = 1e15
MIN_ABS = 1e-9
_TOO_BIG = "terlalu besar (batasnya di bawah 1.000.000.000.000.000, 15 digit)"


def out_of_bounds(x: float) -> str | None:
    """Why ``x`` cannot be a value typed into a workbook (Indonesian), or None."""
    if isinstance(x, bool):
        return None
    if isinstance(x, int):  # exact, however long (a 400-digit literal in a sheet's XML)
        return _TOO_BIG if abs(x) >= 10**15 else None
    if not math.isfinite(x):
        return "bukan angka terhingga"
    if abs(x) >= MAX_ABS:
        return _TOO_BIG
    if x != 0 and abs(x) < MIN_ABS:
        return "terlalu kecil (tampil sebagai 0, tetapi pembagian dengannya tak wajar)"
    return None
