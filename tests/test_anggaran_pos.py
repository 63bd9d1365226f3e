"""anggaran._pos (a budget group's totals) rewritten for speed gives exactly what the
former code gave: every figure, for any mix of blank, zero, negative, fractional and
huge values, revisi or not, annual realisasi or not, any periode (hypothesis; the former
code restated here as the oracle). A case worked by hand pins the figures themselves."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbook_gen.anggaran import _pos, pagu_efektif, serapan
from workbook_gen.spec import BarisAnggaran


def _former_realisasi_baris(line: BarisAnggaran, n: int) -> float:
    if n == 4 and line.realisasi_tahunan is not None:
        return line.realisasi_tahunan
    return sum(line.realisasi_tw[q] or 0.0 for q in range(n))


def _former_pos(kode, nama, lines, n, pagu_override=None):  # type: ignore[no-untyped-def]
    known = [line.pagu_awal for line in lines]
    awal = None if None in known else sum(v for v in known if v is not None)
    has_rev = any(line.pagu_revisi is not None for line in lines)
    summed = sum(pagu_efektif(line) for line in lines)
    revisi = summed if has_rev else None
    pagu = pagu_override if pagu_override is not None else summed
    tw = [sum(line.realisasi_tw[q] or 0.0 for line in lines) for q in range(4)]
    realisasi = sum(_former_realisasi_baris(line, n) for line in lines)
    serapan_pos = serapan(realisasi, pagu)
    reported = [all(line.realisasi_tw[q] is not None for line in lines) for q in range(4)]
    return (kode, nama, awal, revisi, pagu, tw, realisasi, serapan_pos, pagu - realisasi,
            serapan_pos, reported)


def _fields(pos):  # type: ignore[no-untyped-def]
    return (pos.kode, pos.nama, pos.pagu_awal, pos.pagu_revisi, pos.pagu, pos.realisasi_tw,
            pos.realisasi, pos.serapan, pos.sisa, pos.serapan_mentah, pos.dilaporkan_tw)


def _same(a, b) -> bool:  # type: ignore[no-untyped-def]
    """Equal, with NaN equal to NaN, and the same type and sign of zero for numbers."""
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isnan(a):
        return isinstance(b, float) and math.isnan(b)
    if isinstance(a, float) and a == 0.0 and isinstance(b, float):
        return math.copysign(1, a) == math.copysign(1, b)
    return type(a) is type(b) and a == b


_AMOUNT = st.one_of(
    st.none(), st.just(0.0), st.just(-0.0),
    st.floats(min_value=-1e16, max_value=1e16, allow_nan=False),
    st.sampled_from([0.1, 0.2, 0.3, 1e15, 125_000_000.0, 3.5]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-10**6, max_value=10**6))

_LINE = st.builds(
    lambda awal, revisi, tw, tahunan: BarisAnggaran(
        kegiatan_kode="K", kegiatan_nama="Kegiatan", kode="051", nama="Baris", sasaran="S1",
        pagu_awal=awal, pagu_revisi=revisi, realisasi_tw=tw, realisasi_tahunan=tahunan),
    _AMOUNT, _AMOUNT, st.lists(_AMOUNT, min_size=4, max_size=4), _AMOUNT)


@settings(max_examples=400, deadline=None)
@given(lines=st.lists(_LINE, max_size=6), n=st.integers(1, 4),
       override=st.one_of(st.none(), _AMOUNT))
def test_pos_as_former_code(lines: list[BarisAnggaran], n: int, override: object) -> None:
    assert _same(_fields(_pos("K", "Nama", lines, n, pagu_override=override)),
                 _former_pos("K", "Nama", lines, n, pagu_override=override))


def test_pos_by_hand() -> None:
    a = BarisAnggaran("K1", "Kegiatan", "051", "Honor", "S1", pagu_awal=100_000_000.0,
                      pagu_revisi=120_000_000.0,
                      realisasi_tw=[10_000_000.0, None, 20_000_000.0, 5_000_000.0])
    b = BarisAnggaran("K1", "Kegiatan", "052", "ATK", "S1", pagu_awal=None,
                      realisasi_tw=[1_000_000.0, 2_000_000.0, None, None],
                      realisasi_tahunan=4_000_000.0)
    pos = _pos("K1", "Kegiatan", [a, b], 3)
    assert pos.pagu_awal is None  # b's pagu awal unknown: the sum is unknown
    assert pos.pagu_revisi == 120_000_000.0  # a's revisi + b's efektif 0
    assert pos.pagu == 120_000_000.0
    assert pos.realisasi_tw == [11_000_000.0, 2_000_000.0, 20_000_000.0, 5_000_000.0]
    assert pos.realisasi == 33_000_000.0  # s.d. TW III: 30 + 3 million
    assert pos.serapan == pytest.approx(27.5)  # 33 / 120 x 100
    assert pos.sisa == 87_000_000.0
    assert pos.dilaporkan_tw == [True, False, False, False]
    assert _pos("K1", "Kegiatan", [a, b], 4).realisasi == 39_000_000.0  # 35 + b's annual 4


@settings(max_examples=400, deadline=None)
@given(line=_LINE, n=st.integers(1, 4), override=st.one_of(st.none(), _AMOUNT))
def test_pos_of_one_line_as_former_code(line: BarisAnggaran, n: int, override: object) -> None:
    """One line (its own row in the budget): the fast path, number for number."""
    assert _same(_fields(_pos("K", "Nama", [line], n, pagu_override=override)),
                 _former_pos("K", "Nama", [line], n, pagu_override=override))
