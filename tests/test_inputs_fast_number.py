"""workbook.inputs.baca_sel takes a plain float within bounds, in a cell that is not a
percentage (and, in a cell counting whole things, a whole number), straight away: that
shortcut gives exactly what the full steps give. The oracle is the same function fed a
float subclass, which the shortcut does not take (hypothesis over every float, the
rule's keywords and both percentage conventions)."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from workbook_gen.findings import Report
from workbook_gen.workbook.inputs import PERSEN_ANGKA, PERSEN_PECAHAN, baca_sel


class _Float(float):
    """A float the shortcut does not recognise (type(x) is not float)."""


def _read(raw: float, **rule: object) -> tuple[object, list[tuple[str, ...]]]:
    report = Report()
    value = baca_sel(raw, "Target!D7", report, "Target IKU 1.1", **rule)  # type: ignore[arg-type]
    return value, [(f.tingkat, f.jenis, f.lokasi, f.pesan, f.saran) for f in report]


def _same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        if math.isnan(a):
            return math.isnan(b)
        return a == b and math.copysign(1, a) == math.copysign(1, b) and type(b) is float
    return a == b and type(a) is type(b)


_FLOATS = st.one_of(st.floats(), st.sampled_from([0.0, -0.0, 1e-9, 9.99e-10, -1e-9, 1e15,
                                                  -1e15, 999999999999999.9, 12.0, 12.5]))


@settings(max_examples=600, deadline=None)
@given(x=_FLOATS, persen=st.booleans(), utuh=st.booleans(),
       jenis=st.sampled_from(["angka", "kategori"]),
       konvensi=st.sampled_from([PERSEN_PECAHAN, PERSEN_ANGKA]),
       batas=st.one_of(st.none(), st.just(200.0)))
def test_shortcut_as_the_full_steps(x: float, persen: bool, utuh: bool, jenis: str,
                                    konvensi: str, batas: float | None) -> None:
    rule = {"persen": persen, "hitung_utuh": utuh, "jenis": jenis, "konvensi": konvensi,
            "batas_persen": batas}
    fast_value, fast_findings = _read(x, **rule)
    full_value, full_findings = _read(_Float(x), **rule)
    assert _same(fast_value, full_value)
    assert fast_findings == full_findings


def test_shortcut_values_by_hand() -> None:
    assert _read(1250000.0) == (1250000.0, [])
    assert _read(-0.0)[0] == 0.0 and math.copysign(1, _read(-0.0)[0]) == -1  # type: ignore[arg-type]
    assert _read(1e15)[0] is None  # 16 digits: refused with a finding
    assert _read(5e-10)[0] is None  # shows as 0: refused
    assert _read(12.5, hitung_utuh=True)[1][0][1] != ""  # a fraction of a whole count
