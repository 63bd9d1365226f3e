"""Numbers in the document the Indonesian way: 1.470; 4,48; 12,50 %; Rp 9.355.124.000;
'-' for not reported. Values arrive rounded by the engine (or are rounded here with the
engine's own ``bulatkan``); nothing else is computed."""

from __future__ import annotations

from ..engine import bulatkan
from ..parsing import format_number
from ..spec import SATUAN_PERSEN, Pengaturan, Value


def angka(v: Value, p: Pengaturan, satuan: str = "") -> str:
    """A target/realisasi: 1.470; 4,48 (6,00 for an IKU in %); a label as is; '-' when
    not reported."""
    if v is None:
        return "-"
    if isinstance(v, str):
        return v
    tetap = satuan.strip().casefold() in SATUAN_PERSEN
    return format_number(bulatkan(v, p), p.desimal, strip_zero=not tetap)


def persen(x: float | None, desimal: int = 2) -> str:
    """A percentage the engine rounded to ``desimal`` places: 12,50 %; '-' when undefined."""
    return "-" if x is None else f"{format_number(x, desimal, strip_zero=False)} %"


def pct(x: float | None, p: Pengaturan) -> str:
    """A percentage with the spec's number of decimals."""
    return persen(x, p.desimal)


def rupiah(x: float | None) -> str:
    return "-" if x is None else format_number(x, 0)


def rupiah_rp(x: float | None) -> str:
    return "-" if x is None else f"Rp {format_number(x, 0)}"
