"""spec._build reads a budget line's seven amounts (pagu awal, pagu revisi, the four
quarters, the annual realisasi) in one loop that takes a blank or a plain number as it
is and sends anything else through convert_money: the values, the locations and the
findings (text, place, order) are what convert_money gives for each amount at its place
with the text the findings always used (hypothesis, over typed and odd values, with and
without cell locations as a workbook read gives them)."""

from __future__ import annotations

import copy
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from workbook_gen.findings import Report
from workbook_gen.spec import PERIODE, convert_money, load_spec, spec_from_data

SPEC = load_spec("templates/bp3mi_banten_2026_tw1.yaml")

_RAW = st.one_of(
    st.none(), st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**18, 10**18),
    st.sampled_from(["1.250.000", "Rp 9.355.124.000,-", "abc", "Baik", "", "12,5 %",
                     "1e20", "-5", "  ", "9355124000"]),
    st.just(1e16), st.just(-0.0))

_FIELDS = ("pagu_awal", "pagu_revisi", "realisasi_tw", "realisasi_tahunan")


def _lines(data):  # type: ignore[no-untyped-def]
    """(path, part) of each budget line in the spec data, in order."""
    out = []
    for k in data["anggaran"]["kegiatan"]:
        kp = f"anggaran.kegiatan[{k['kode']}]"
        if k.get("komponen"):
            out += [(f"{kp}.komponen[{c['kode']}]", c) for c in k["komponen"]]
        else:
            out.append((kp, k))
    return out


@settings(max_examples=60, deadline=None)
@given(values=st.lists(st.lists(_RAW, min_size=7, max_size=7), min_size=1, max_size=60),
       cells=st.booleans())
def test_line_amounts_read_as_convert_money_reads_them(values, cells) -> None:  # type: ignore[no-untyped-def]
    data = copy.deepcopy(SPEC.data)
    expected = Report()
    want: list[tuple[str, list]] = []
    lines = _lines(data)
    over: dict = {}
    places_of: dict = {}
    for (_, part), raw in zip(lines, values * (len(lines) // len(values) + 1), strict=False):
        for f in _FIELDS:
            part.pop(f, None)
        part["pagu_awal"], part["pagu_revisi"] = raw[0], raw[1]
        part["realisasi_tw"] = list(raw[2:6])
        part["realisasi_tahunan"] = raw[6]
    spec_lines = SPEC.anggaran
    for (path, part), line in zip(lines, spec_lines, strict=True):
        nama = line.nama
        got = []
        places = [(f"{path}.pagu_awal", ("anggaran", line.key, "pagu_awal"),
                   f"Pagu awal '{nama}'", part["pagu_awal"]),
                  (f"{path}.pagu_revisi", ("anggaran", line.key, "pagu_revisi"),
                   f"Pagu revisi '{nama}'", part["pagu_revisi"])]
        places += [(f"{path}.realisasi_tw[{q}]", ("anggaran", line.key, "realisasi_tw", q + 1),
                    f"Realisasi {PERIODE[q]} '{nama}'", part["realisasi_tw"][q])
                   for q in range(4)]
        places.append((f"{path}.realisasi_tahunan",
                       ("anggaran", line.key, "realisasi_tahunan"),
                       f"Realisasi tahunan '{nama}'", part["realisasi_tahunan"]))
        for spath, key, apa, raw in places:
            where = f"uji: {spath}"
            if cells:
                where = over[key] = f"Anggaran!X{len(over) + 7}"
            places_of[key] = where
            got.append(convert_money(raw, where, expected, apa))
        want.append((line.key, got))
    spec = spec_from_data(data, "uji", lokasi_sel=over, nilai_ketat=False)
    read = [(line.key, [line.pagu_awal, line.pagu_revisi, *line.realisasi_tw,
                        line.realisasi_tahunan]) for line in spec.anggaran]
    assert [k for k, _ in read] == [k for k, _ in want]
    for (_, a), (_, b) in zip(read, want, strict=True):
        assert all((isinstance(x, float) and isinstance(y, float) and math.isnan(x)
                    and math.isnan(y)) or (x == y and type(x) is type(y))
                   for x, y in zip(a, b, strict=True)), (a, b)
    money = [f for f in spec.temuan_masukan if f.jenis == "bukan_angka"]
    assert [(f.jenis, f.lokasi, f.pesan, f.saran) for f in money] == \
        [(f.jenis, f.lokasi, f.pesan, f.saran) for f in expected]
    assert len(places_of) == 7 * len(spec.anggaran) > 7
    assert {key: spec.lokasi[key] for key in places_of} == places_of
