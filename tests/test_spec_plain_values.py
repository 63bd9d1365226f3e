"""spec._build takes a blank or a plain finite float in range as it is (for budget
amounts and for an angka IKU's targets and realisasi), without building its finding
text, and lets convert_money / convert_iku_value read anything else: the spec built is
the one the full steps build. Oracle: the same data with every float wrapped in a float
subclass, which no shortcut takes (hypothesis over the three real templates' specs with
values from every corner, with and without cell locations)."""

from __future__ import annotations

import copy
import dataclasses
import math
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from workbook_gen.spec import load_spec, spec_from_data

TEMPLATES = ["templates/bp3mi_banten_2026_tw1.yaml", "templates/bp3mi_jawa_tengah_2024.yaml",
             "templates/bp3mi_nusa_tenggara_barat_2025.yaml"]


class _Float(float):
    """A float no shortcut recognises (type(x) is not float)."""


def _wrap(value: Any) -> Any:
    if type(value) is float:
        return _Float(value)
    if isinstance(value, dict):
        return {k: _wrap(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_wrap(v) for v in value]
    return value


def _plain(value: Any) -> Any:
    """Comparable form: dataclasses as dicts, floats by value and sign (NaN equal)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)
                if f.name != "data"}
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        return ("float", float(value), math.copysign(1, value))
    if isinstance(value, dict):
        return {repr(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


_VALUE = st.one_of(st.none(), st.floats(), st.just(-0.0), st.just(1e15), st.just(9.99e14),
                   st.sampled_from(["12,5", "abc", "Baik", "1.000.000", ""]))


def _fill(data: dict[str, Any], draw: Any) -> None:
    for s in data["sasaran"]:
        for d in s["iku"]:
            d["target"] = draw(_VALUE)
            d["target_revisi"] = draw(_VALUE)
            d["target_tw"] = [draw(_VALUE) for _ in range(4)]
            if d.get("rumus") != "rasio":
                d["realisasi_tw"] = [draw(_VALUE) for _ in range(4)]
            d["realisasi_tahunan"] = draw(_VALUE)
    for k in (data.get("anggaran") or {}).get("kegiatan") or []:
        for c in (k.get("komponen") or [k]):
            c["pagu_awal"], c["pagu_revisi"] = draw(_VALUE), draw(_VALUE)
            c["realisasi_tw"] = [draw(_VALUE) for _ in range(4)]
            c["realisasi_tahunan"] = draw(_VALUE)


@pytest.mark.parametrize("template", TEMPLATES)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow],
          phases=[Phase.explicit, Phase.generate])
@given(data=st.data(), cells=st.booleans())
def test_shortcuts_build_the_spec_the_full_steps_build(template: str, data: Any,
                                                       cells: bool) -> None:
    base = load_spec(template)
    spec_data = copy.deepcopy(base.data)
    _fill(spec_data, data.draw)
    over = {key: f"Lembar!A{i + 1}" for i, key in enumerate(base.lokasi)} if cells else None
    fast = spec_from_data(copy.deepcopy(spec_data), "uji", lokasi_sel=over, nilai_ketat=False)
    full = spec_from_data(_wrap(spec_data), "uji", lokasi_sel=over, nilai_ketat=False)
    assert _plain(fast) == _plain(full)
    assert [(f.tingkat, f.jenis, f.lokasi, f.pesan, f.saran) for f in fast.temuan_masukan] \
        == [(f.tingkat, f.jenis, f.lokasi, f.pesan, f.saran) for f in full.temuan_masukan]
