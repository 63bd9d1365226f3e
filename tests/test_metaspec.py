"""The metadata spec is checked once per structure (workbook_gen.metaspec): a workbook read
after another with the same structure must give exactly what a cold read gives (the
same spec and findings, or the same refusal with the same message), whatever a tamperer
put in the fields that differ from unit to unit.

Both sides are the real reader: once with nothing remembered, once right after the
untouched workbook proved its structure."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbook_gen import metaspec
from workbook_gen.generate import generate
from workbook_gen.konsolidasi.source import CalamineSource
from workbook_gen.layout import SHEET_META
from workbook_gen.reader import META_MAX_ROWS, ReadError, read_workbook
from workbook_gen.spec import load_spec

ROOT = Path(__file__).resolve().parent.parent


class MetaOverride:
    """A workbook's cells with its ``_meta`` spec replaced (as a tamperer would, with the
    fingerprint left alone: the reader checks the spec whatever the fingerprint says)."""

    def __init__(self, inner: CalamineSource, spec_data: Any) -> None:
        self.inner = inner
        rows = inner.read_block(SHEET_META, 1, 1, META_MAX_ROWS, 2)
        self.rows = [r for r in rows if r[0] not in (None, "spec")]
        self.rows.append(["spec", json.dumps(spec_data, ensure_ascii=False)])
        self.rows += [[None, None]] * (META_MAX_ROWS - len(self.rows))

    def sheet_names(self) -> list[str]:
        return self.inner.sheet_names()

    def read_block(self, sheet: str, r0: int, c0: int, r1: int, c1: int) -> list[list[Any]]:
        if sheet == SHEET_META:
            return [list(r) for r in self.rows[r0 - 1:r1]]
        return self.inner.read_block(sheet, r0, c0, r1, c1)


@pytest.fixture(scope="module")
def banten(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, dict[str, Any]]:
    out = generate(load_spec(ROOT / "templates" / "bp3mi_banten_2026_tw1.yaml"),
                   tmp_path_factory.mktemp("metaspec") / "banten.xlsm")
    data = out.read_bytes()
    rows = CalamineSource(data).read_block(SHEET_META, 1, 1, META_MAX_ROWS, 2)
    spec_text = "".join(str(v) for k, v in rows if k == "spec")
    return data, json.loads(spec_text)


def outcome(data: bytes, spec_data: Any) -> tuple[Any, ...]:
    """What a read gives, in comparable form."""
    source = MetaOverride(CalamineSource(data), spec_data)
    try:
        bacaan = read_workbook(source, "unit.xlsm")
    except ReadError as exc:
        return ("ditolak", [(f.tingkat, f.jenis, f.lokasi, f.pesan, f.saran)
                            for f in exc.report.findings])
    except Exception as exc:  # noqa: BLE001 - compared, not hidden
        return ("gagal", type(exc).__name__)
    s = bacaan.spec
    return ("terbaca", json.dumps(s.data, sort_keys=True, default=str), repr(s.unit),
            repr(s.sasaran), repr(s.anggaran), repr(s.total),
            [(f.tingkat, f.jenis, f.lokasi, f.pesan) for f in s.temuan_masukan])


def cold_and_warm(data: bytes, original: dict[str, Any], changed: Any) -> tuple[Any, Any]:
    metaspec.forget()
    cold = outcome(data, changed)
    metaspec.forget()
    assert outcome(data, original)[0] == "terbaca"  # proves the untouched structure
    warm = outcome(data, changed)
    metaspec.forget()
    return cold, warm


def test_second_unit_skips_the_full_check(banten, monkeypatch) -> None:
    """Same structure, another unit and other values: one full check, not two."""
    data, original = banten
    other = copy.deepcopy(original)
    other["unit"].update(nama="BP3MI Jawa Tengah", kode_satker="426491", nip=None)
    other["sasaran"][0]["iku"][0]["target"] = 95
    other["anggaran"]["kegiatan"][0]["komponen"][0]["pagu_awal"] = 123_000_000
    import workbook_gen.reader as reader

    calls: list[str] = []
    real = reader.spec_from_data

    def counting(*args: Any, **kw: Any) -> Any:
        calls.append("penuh" if kw.get("periksa_struktur", True) else "nilai")
        return real(*args, **kw)

    monkeypatch.setattr(reader, "spec_from_data", counting)
    metaspec.forget()
    first = outcome(data, original)
    second = outcome(data, other)
    assert first[0] == second[0] == "terbaca"
    assert calls == ["penuh", "nilai", "nilai"]
    assert "BP3MI Jawa Tengah" in second[2]
    # a different structure (another IKU name) is checked in full again
    third = copy.deepcopy(original)
    third["sasaran"][0]["iku"][0]["nama"] = "Nama lain"
    assert outcome(data, third)[0] == "terbaca"
    assert calls[-2:] == ["penuh", "nilai"]
    metaspec.forget()


@pytest.mark.parametrize("edit, expected", [
    # schema problems in the fields checked one by one
    (lambda d: d["unit"].pop("nama"), "unit"),
    (lambda d: d["unit"].update(kode_satker=[1]), "unit.kode_satker"),
    (lambda d: d.update(periode="TW V"), "periode"),
    (lambda d: d["sasaran"][0]["iku"][0].update(target_tw=[1, 2, 3]), "target_tw"),
    (lambda d: d["sasaran"][0]["iku"][0].update(riwayat=[{"target": 3}]), "riwayat"),
    (lambda d: d["anggaran"]["kegiatan"][0]["komponen"][0].update(pagu_awal=[1]),
     "pagu_awal"),
    (lambda d: d["anggaran"]["kegiatan"][0]["komponen"][0].update(tambahan=1), "tambahan"),
    # meaning problems in the budget, which the structure's fingerprint leaves out
    (lambda d: d["anggaran"]["kegiatan"][0]["komponen"][0].update(sasaran="SS9"), "SS9"),
    (lambda d: d["anggaran"]["kegiatan"][0]["komponen"][0].update(akun="521211",
                                                                  jenis_belanja="53"),
     "jenis belanja"),
])
def test_bad_metadata_reported_as_before(banten, edit, expected) -> None:
    data, original = banten
    changed = copy.deepcopy(original)
    edit(changed)
    cold, warm = cold_and_warm(data, original, changed)
    assert cold == warm
    assert cold[0] == "ditolak"
    assert cold[1][0][1] == "metadata_rusak"
    assert expected in cold[1][0][3]


# values a tamperer may type, JSON-shaped
_LEAF = st.one_of(st.none(), st.booleans(), st.integers(-10**18, 10**18),
                  st.floats(allow_nan=False, allow_infinity=False),
                  st.sampled_from(["", " ", "12,5", "1.470", "TW II", "tw ii", "52", " 52",
                                   "abc", "Baik", "SS1", "-", "1e400"]))
_JSON = st.recursive(_LEAF, lambda inner: st.one_of(
    st.lists(inner, max_size=5),
    st.dictionaries(st.sampled_from(["tahun", "target", "realisasi", "nama", "kode",
                                     "x", "pagu_awal", "sasaran", "komponen"]),
                    inner, max_size=4)), max_leaves=8)


def _places(spec: dict[str, Any]) -> list[tuple[Any, ...]]:
    """(container, key) pairs in the fields metaspec takes out of the structure."""
    out: list[tuple[Any, ...]] = [(spec, "periode"), (spec, "unit")]
    if isinstance(spec.get("unit"), dict):
        out += [(spec["unit"], k) for k in ("nama", "kode_satker", "nip", "kepala", "nrp")]
    for s in spec["sasaran"]:
        for iku in s["iku"]:
            out += [(iku, k) for k in metaspec.IKU_FIELDS]
            for name in ("target_tw", "realisasi_tw", "riwayat"):
                if isinstance(iku.get(name), list):
                    out += [(iku[name], i) for i in range(len(iku[name]))]
    a = spec["anggaran"]
    out.append((a, "total"))
    for k in a["kegiatan"]:
        out += [(k, "nama"), (k, "x")]
        for c in k["komponen"]:
            out += [(c, n) for n in ("nama", "sasaran", "akun", "jenis_belanja", "pagu_awal",
                                     "pagu_revisi", "realisasi_tw", "lain")]
    return out


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 10**6), st.booleans(), _JSON), min_size=1,
                max_size=3))
def test_warm_read_equals_cold_read(banten, edits) -> None:
    """Any change to the fields checked one by one: the remembered structure changes
    nothing a reader reports."""
    data, original = banten
    changed = copy.deepcopy(original)
    for pick, delete, value in edits:
        places = _places(changed)
        holder, key = places[pick % len(places)]
        if isinstance(holder, dict) and delete:
            holder.pop(key, None)
        else:
            holder[key] = value
    cold, warm = cold_and_warm(data, original, changed)
    assert cold == warm


_ANY = st.recursive(
    st.one_of(_LEAF, st.sampled_from([51, 52.0, "51", "53", "tahunan", "TW  II", "Tahunan",
                                      "Jawa", "x" * 70, 2024, 2024.0, "2024"])),
    lambda inner: st.one_of(
        st.lists(inner, max_size=5),
        st.dictionaries(st.sampled_from(["tahun", "target", "realisasi", "nama", "kode",
                                         "kode_satker", "komponen", "sasaran", "akun",
                                         "jenis_belanja", "pagu_awal", "pagu_revisi",
                                         "realisasi_tw", "pagu", "nip"]),
                        inner, max_size=7)), max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(metaspec._parts() or {})), _ANY)
def test_quick_check_is_never_wrong(field, value) -> None:
    """Where the quick check is sure, jsonschema agrees and the typing changes nothing."""
    from jsonschema import Draft202012Validator

    from workbook_gen.spec import _typed, inline_refs, schema

    part, _, quick = metaspec._parts()[field]
    if quick(value):
        full = schema()
        assert Draft202012Validator(inline_refs(part, full["$defs"])).is_valid(value)
        problems: dict = {}
        assert _typed(copy.deepcopy(value), part, [], problems) == value
        assert not problems


def test_quick_check_is_sure_of_a_generated_spec(banten) -> None:
    """The fields of a workbook the generator wrote never need the slow check."""
    _, original = banten
    key = metaspec.structure_key(original)
    assert key is not None
    parts = metaspec._parts()
    assert [(h, n) for h, n, v in key[1] if not parts[(h, n)][2](v)] == []


class CellOverride(MetaOverride):
    """Also one cell typed over (sheet, row, column, value)."""

    def __init__(self, inner: CalamineSource, spec_data: Any,
                 cell: tuple[str, int, int, Any]) -> None:
        super().__init__(inner, spec_data)
        self.cell = cell

    def read_block(self, sheet: str, r0: int, c0: int, r1: int, c1: int) -> list[list[Any]]:
        rows = super().read_block(sheet, r0, c0, r1, c1)
        s, r, c, v = self.cell
        if sheet == s and r0 <= r <= r1 and c0 <= c <= c1:
            rows[r - r0][c - c0] = v
        return rows


@pytest.mark.parametrize("budget_meaning_broken", [False, True])
def test_a_refused_read_after_a_skipped_check_reports_as_a_cold_one(banten,
                                                                   budget_meaning_broken):
    """An unknown periode in Identitas: the read is refused; when the metadata's budget
    also points to a sasaran that does not exist, the metadata is what is reported (the
    full check comes first), warm as cold."""
    from workbook_gen.layout import IDENTITAS_ROWS, SHEET_IDENTITAS

    data, original = banten
    changed = copy.deepcopy(original)
    changed["unit"]["nama"] = "BP3MI Lain"
    if budget_meaning_broken:
        changed["anggaran"]["kegiatan"][0]["komponen"][0]["sasaran"] = "SS9"
    cell = (SHEET_IDENTITAS, IDENTITAS_ROWS["periode"], 2, "TW 9")

    def read() -> tuple[Any, ...]:
        try:
            read_workbook(CellOverride(CalamineSource(data), changed, cell), "unit.xlsm")
        except ReadError as exc:
            return tuple((f.jenis, f.lokasi, f.pesan) for f in exc.report.findings)
        return ()

    metaspec.forget()
    cold = read()
    outcome(data, original)  # proves the structure
    warm = read()
    metaspec.forget()
    assert cold == warm
    assert cold[0][0] == ("metadata_rusak" if budget_meaning_broken else "periode")
