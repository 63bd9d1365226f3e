"""Ratio indicators ("persentase X dari Y"): a numerator and a denominator per quarter.

An IKU with ``rumus: rasio`` is measured per quarter as pembilang (X) and penyebut (Y),
as the reports print it ("6/265"). The quarter's realisasi is X / Y x 100; the year (and
every "s.d. TW n") is the sum of the numerators over the sum of the denominators of the
quarters reported so far, x 100 (6/265, 4/75, 8/138, 5/185 -> 23/663 = 3,47 %): neither
the sum nor the mean of the quarter percentages. A quarter counts as reported when both
numbers are there. See docs/rules.md, "IKU rasio".

This module reads a typed pair and does the arithmetic; the spec builder and the engine
call it, and ``workbook_gen.formulas`` states the same rule per row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .parsing import ParseError, parse_value

__all__ = ["Pasangan", "baca_pasangan", "rasio_tw", "rasio_sd"]


@dataclass(frozen=True)
class Pasangan:
    """One quarter of a ratio IKU as typed: either side may be missing (None)."""

    pembilang: float | None
    penyebut: float | None


def _side(text: str, raw: str, which: str) -> float | None:
    try:
        parsed = parse_value(text)
    except ParseError as exc:
        raise ParseError(f"{which} dalam '{raw}': {exc.message}", exc.saran) from None
    if parsed.blank:
        return None
    if parsed.value is None or parsed.label is not None or parsed.persen or parsed.satuan:
        raise ParseError(
            f"{which} dalam '{raw}' bukan angka polos ('{text.strip()}').",
            "Tulis dua jumlah dipisah garis miring, misalnya \"6/265\" (pembilang/penyebut), "
            "tanpa tanda % atau satuan.")
    return parsed.value


def baca_pasangan(raw: object) -> Pasangan | None:
    """A quarter of a ratio IKU as typed in a spec: "6/265" (pembilang/penyebut, each
    side read by the Indonesian number rules, so "1.470/2.000" is 1470 and 2000), "6/-"
    or "/265" for one side only; blank or "-" is None (not reported). Never a division
    and never a date: the two numbers are kept as typed. Anything else (a bare number,
    two slashes, a percentage) raises :class:`ParseError` with what to type instead."""
    if raw is None:
        return None
    if not isinstance(raw, str):
        raise ParseError(
            f"'{raw}' hanya satu angka, padahal IKU rasio diisi pembilang dan penyebut.",
            "Tulis \"6/265\" (pembilang/penyebut) seperti di laporan, atau pakai "
            "'pembilang_tw' dan 'penyebut_tw'.")
    text = raw.strip()
    try:
        if parse_value(text).blank:
            return None
    except ParseError:
        pass
    parts = text.split("/")
    if len(parts) != 2:
        raise ParseError(
            f"'{raw}' bukan pasangan pembilang/penyebut"
            + (" (lebih dari satu garis miring)." if len(parts) > 2 else "."),
            "Tulis \"6/265\" (pembilang/penyebut) seperti di laporan, atau pakai "
            "'pembilang_tw' dan 'penyebut_tw'.")
    return Pasangan(_side(parts[0], raw, "Pembilang"), _side(parts[1], raw, "Penyebut"))


def rasio_tw(pembilang: float | None, penyebut: float | None) -> float | None:
    """A quarter's ratio in %: pembilang / penyebut x 100; None when either is missing
    or the penyebut is 0."""
    if pembilang is None or penyebut is None or penyebut == 0:
        return None
    return pembilang / penyebut * 100


def rasio_sd(pembilang: Sequence[float | None], penyebut: Sequence[float | None],
             quarters: Sequence[int]) -> tuple[list[int], float | None]:
    """(reported quarters, ratio in %) over ``quarters`` (1-based): Σ pembilang / Σ
    penyebut x 100 over the quarters where both numbers are given; None when none is, or
    when the penyebut adds up to 0."""
    reported = [q for q in quarters
                if pembilang[q - 1] is not None and penyebut[q - 1] is not None]
    if not reported:
        return reported, None
    x = sum(float(pembilang[q - 1]) for q in reported)  # type: ignore[arg-type]
    y = sum(float(penyebut[q - 1]) for q in reported)  # type: ignore[arg-type]
    return reported, (x / y * 100 if y else None)
