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


# ---------------------------------------------------------------- groups and blank quarters

_TEMPLATE = "templates/bp3mi_banten_2026_tw1.yaml"
_SPEC = None


def _former_check_quarters(spec, report, line) -> None:  # type: ignore[no-untyped-def]
    """The blank-quarter warning as the former code made it (the annual part unchanged)."""
    from workbook_gen.anggaran import tahunan_saja
    from workbook_gen.spec import PERIODE

    n = spec.periode_n
    typed = {f.lokasi for f in spec.temuan_masukan}
    if not (n == 4 and tahunan_saja(line)):
        for q in range(1, n + 1):
            where = spec.where(("anggaran", line.key, "realisasi_tw", q))
            if line.realisasi_tw[q - 1] is None and where not in typed:
                report.warn(
                    "anggaran_belum_dilaporkan", where,
                    f"Realisasi anggaran {PERIODE[q - 1]} '{line.nama}' kosong (belum "
                    "dilaporkan); dalam jumlah dan serapan dihitung Rp 0.",
                    "Isi realisasinya (tulis 0 bila memang tidak ada belanja), atau isi "
                    "realisasi tahunan bila hanya angka setahun yang diketahui.")


@settings(max_examples=40, deadline=None)
@given(data=st.data(), periode=st.sampled_from(["TW I", "TW II", "TW III", "TW IV", "tahunan"]))
def test_groups_and_blank_quarters_as_former_code(data, periode) -> None:  # type: ignore[no-untyped-def]
    import copy

    from workbook_gen.anggaran import _check_quarters, hitung_anggaran
    from workbook_gen.findings import Finding, Report
    from workbook_gen.spec import load_spec

    global _SPEC
    if _SPEC is None:
        _SPEC = load_spec(_TEMPLATE)
    spec = copy.deepcopy(_SPEC)
    spec.periode = periode
    for line in spec.anggaran:
        line.kegiatan_kode = data.draw(st.sampled_from(["K1", "K2", "K3"]))
        line.jenis_belanja = data.draw(st.sampled_from(["51", "52", "53", None]))
        line.realisasi_tw = [data.draw(st.one_of(st.none(), st.just(1_000_000.0)))
                             for _ in range(4)]
        line.realisasi_tahunan = data.draw(st.one_of(st.none(), st.just(5_000_000.0)))
    if data.draw(st.booleans()) and spec.anggaran:  # an unreadable cell already reported
        where = spec.where(("anggaran", spec.anggaran[0].key, "realisasi_tw", 1))
        spec.temuan_masukan = [Finding("error", "bukan_angka", where, "x", "y")]
    hasil = hitung_anggaran(spec, Report())
    n = spec.periode_n
    kegiatan = list(dict.fromkeys(line.kegiatan_kode for line in spec.anggaran))
    want = [_former_pos(k, [x for x in spec.anggaran if x.kegiatan_kode == k][0].kegiatan_nama,
                        [x for x in spec.anggaran if x.kegiatan_kode == k], n)
            for k in kegiatan]
    assert _same([_fields(p) for p in hasil.per_kegiatan], want)
    jenis = sorted({line.jenis_belanja or "-" for line in spec.anggaran})
    assert [p.kode for p in hasil.per_jenis_belanja] == jenis
    assert _same([_fields(p)[2:] for p in hasil.per_jenis_belanja],
                 [_former_pos(j, "", [x for x in spec.anggaran
                                      if (x.jenis_belanja or "-") == j], n)[2:]
                  for j in jenis])
    for line in spec.anggaran:
        new, old = Report(), Report()
        _check_quarters(spec, new, line)
        _former_check_quarters(spec, old, line)
        assert [f for f in new if f.jenis == "anggaran_belum_dilaporkan"] == list(old)
