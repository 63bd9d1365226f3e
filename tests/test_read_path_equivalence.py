"""The konsolidasi read path made faster must read exactly as before.

What the reader makes once per structure per process (the metadata schema verdict in
layout.parse_meta, the input cells' plan and location map in reader) changes nothing it
reports: a read right after another workbook proved its structure gives exactly what a
cold read gives, for any change a tamperer or a katalog makes to the structure or to the
per-unit fields (hypothesis), and the memo is really used for a second unit. The quick
screens and rewritten helpers (extreme numbers, path labels, rounding) give what the
former code gave (hypothesis, the former code restated here as the oracle)."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbook_gen import layout, metaspec, reader
from workbook_gen.konsolidasi.source import CalamineSource
from workbook_gen.layout import SHEET_META, MetaError, parse_meta
from workbook_gen.reader import META_MAX_ROWS

from .test_metaspec import _JSON, banten, outcome  # noqa: F401 - fixture

FORGET = (metaspec.forget, reader.forget_plans, layout._META_PROVED.clear)


def _cold() -> None:
    for f in FORGET:
        f()


def meta_rows(data: bytes) -> list[tuple[Any, Any]]:
    return [(r[0], r[1]) for r in CalamineSource(data).read_block(SHEET_META, 1, 1,
                                                                  META_MAX_ROWS, 2)]


def rows_with(rows: list[tuple[Any, Any]], doc: dict[str, Any]) -> list[tuple[Any, Any]]:
    """The metadata rows carrying ``doc`` (values as text; JSON parts as JSON)."""
    out = []
    for key, value in doc.items():
        out.append((key, json.dumps(value, ensure_ascii=False)
                    if key in ("layout", "spec") else value))
    return out


def meta_doc(rows: list[tuple[Any, Any]]) -> dict[str, Any]:
    values: dict[str, str] = {}
    for k, v in rows:
        if k is not None:
            values[str(k)] = values.get(str(k), "") + ("" if v is None else str(v))
    doc: dict[str, Any] = dict(values)
    doc["layout"], doc["spec"] = json.loads(doc["layout"]), json.loads(doc["spec"])
    return doc


def parsed(rows: list[tuple[Any, Any]]) -> tuple[Any, ...]:
    try:
        m = parse_meta(rows)
    except MetaError as exc:
        return ("ditolak", str(exc))
    except Exception as exc:  # noqa: BLE001 - compared, not hidden
        return ("gagal", type(exc).__name__)
    return ("terbaca", repr(m))


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _meta_places(doc: dict[str, Any]) -> list[tuple[Any, Any]]:
    out: list[tuple[Any, Any]] = [(doc, k) for k in ("aplikasi", "versi_template",
                                                     "hash_spec", "kode_satker",
                                                     "nama_unit", "tahun", "layout", "spec")]
    lay = doc.get("layout")
    if isinstance(lay, dict):
        out += [(lay, k) for k in ("iku_rows", "line_rows", "total_row", "versi", "x")]
        for name in ("iku_rows", "line_rows", "subtotal_rows"):
            if isinstance(lay.get(name), dict):
                out += [(lay[name], k) for k in list(lay[name])[:3]] + [(lay[name], "baru")]
    spec = doc.get("spec")
    if isinstance(spec, dict):
        out += [(spec, k) for k in ("unit", "sasaran", "anggaran", "x")]
        for s in _list(spec.get("sasaran")):
            if isinstance(s, dict):
                out += [(s, "iku"), (s, "kode")]
                for iku in _list(s.get("iku")):
                    if isinstance(iku, dict):
                        out += [(iku, "kode"), (iku, "nama")]
        a = spec.get("anggaran")
        if isinstance(a, dict):
            out.append((a, "kegiatan"))
            for k in _list(a.get("kegiatan")):
                if isinstance(k, dict):
                    out += [(k, "kode"), (k, "komponen")]
                    for c in _list(k.get("komponen")):
                        if isinstance(c, dict):
                            out += [(c, "kode"), (c, "nama")]
    return out


_META_VALUE = st.one_of(_JSON, st.sampled_from(["IKU-1", "K1", "01", 6, 7, 2_000_000, "6",
                                                "workbook-gen", "2026", "1", "abc"]))


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 10**6), st.booleans(), _META_VALUE), min_size=1,
                max_size=3))
def test_parse_meta_warm_equals_cold(banten, edits) -> None:  # noqa: F811
    """Any change to the layout, the spec's shape and codes, or the per-unit keys."""
    data, _ = banten
    rows = meta_rows(data)
    doc = meta_doc(rows)
    changed = copy.deepcopy(doc)
    for pick, delete, value in edits:
        places = _meta_places(changed)
        holder, key = places[pick % len(places)]
        if isinstance(holder, dict) and delete:
            holder.pop(key, None)
        else:
            holder[key] = value
    new_rows = rows_with(rows, changed)
    _cold()
    cold = parsed(new_rows)
    _cold()
    assert parsed(rows)[0] == "terbaca"
    warm = parsed(new_rows)
    _cold()
    assert cold == warm


def test_parse_meta_checks_a_structure_once(banten, monkeypatch) -> None:  # noqa: F811
    """A second unit of the same structure skips the full schema check; its per-unit keys
    are still checked (a bad fingerprint is refused, with the full check's reason)."""
    data, _ = banten
    rows = meta_rows(data)
    doc = meta_doc(rows)
    calls: list[int] = []
    checker = layout._meta_validator()
    real = checker.iter_errors

    def counting(instance: Any) -> Any:
        calls.append(1)
        return real(instance)

    monkeypatch.setattr(checker, "iter_errors", counting)
    _cold()
    first = parsed(rows)
    other = copy.deepcopy(doc)
    other.update(kode_satker="426491", nama_unit="BP3MI Jawa Tengah")
    second = parsed(rows_with(rows, other))
    assert first[0] == second[0] == "terbaca" and "426491" in second[1]
    assert len(calls) == 1
    bad = copy.deepcopy(doc)
    bad["hash_spec"] = "bukan-hash"
    assert parsed(rows_with(rows, bad)) == (
        "ditolak", "hash_spec: nilai 'bukan-hash' tidak sah")
    assert len(calls) == 2
    _cold()


# ------------------------------------------------------------------- the cells' plan

_STRUCTURE = st.sampled_from([
    ("iku", "jenis", "kategori"), ("iku", "jenis", "angka"), ("iku", "rumus", "rasio"),
    ("iku", "rumus", "penurunan"), ("iku", "rumus", "langsung"), ("iku", "satuan", "%"),
    ("iku", "satuan", "Orang"), ("iku", "satuan", " persen "), ("iku", "satuan", "Nilai"),
    ("iku", "nama", "Nama lain"), ("iku", "rumus", None), ("iku", "jenis", 3),
    ("baris", "nama", "Komponen lain"), ("baris", "nama", 12), ("batas", None, 150.0),
    ("batas", None, "90"), ("iku", "target", "12,5"), ("iku", "realisasi_tw", [1, None]),
])


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 10**6), _STRUCTURE), min_size=1, max_size=3))
def test_read_warm_equals_cold(banten, edits) -> None:  # noqa: F811
    """Changes to what the plan is made from (an IKU's jenis, rumus, satuan, a line's
    name, the percentage limit) or to values: a read after the untouched workbook gives
    what a cold read gives."""
    data, original = banten
    changed = copy.deepcopy(original)
    ikus = [i for s in changed["sasaran"] for i in s["iku"]]
    lines = [c for k in changed["anggaran"]["kegiatan"] for c in k["komponen"]]
    for pick, (where, key, value) in edits:
        if where == "iku":
            ikus[pick % len(ikus)][key] = value
        elif where == "baris":
            lines[pick % len(lines)][key] = value
        else:
            changed.setdefault("pengaturan", {})["batas_realisasi_persen"] = value
    _cold()
    cold = outcome(data, changed)
    _cold()
    assert outcome(data, original)[0] == "terbaca"
    warm = outcome(data, changed)
    _cold()
    assert cold == warm


@pytest.mark.parametrize("other", [
    {"unit": {"nama": "BP3MI Jawa Tengah", "kode_satker": "426491"}},
    {"periode": "TW III"},
])
def test_second_unit_reads_through_the_plan(banten, monkeypatch, other) -> None:  # noqa: F811
    data, original = banten
    built: list[int] = []
    real = reader._build_plan

    def counting(*a: Any, **k: Any) -> Any:
        built.append(1)
        return real(*a, **k)

    monkeypatch.setattr(reader, "_build_plan", counting)
    _cold()
    first = outcome(data, original)
    changed = copy.deepcopy(original)
    for k, v in other.items():
        changed[k] = {**changed[k], **v} if isinstance(v, dict) else v
    second = outcome(data, changed)
    assert first[0] == second[0] == "terbaca"
    assert len(built) == 1
    # another satuan is another plan
    third = copy.deepcopy(original)
    third["sasaran"][0]["iku"][0]["satuan"] = "Dokumen"
    assert outcome(data, third)[0] == "terbaca"
    assert len(built) == 2
    _cold()


# ------------------------------------------------------------------- extreme numbers

_NUMBER = st.one_of(st.none(), st.floats(), st.sampled_from([1e15, -1e15, 9.99e14, 1e300]),
                    st.integers(-10**16, 10**16))


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 9), _NUMBER), max_size=4))
def test_the_extreme_number_screen_agrees_with_the_findings(banten, edits) -> None:  # noqa: F811
    """konsolidasi.read._angka_ekstrem (one walk over the typed numbers, texts made only
    for an extreme one) finds exactly what the field-by-field check finds, whatever values
    the spec holds."""
    from workbook_gen.konsolidasi import read

    data, original = banten
    _cold()
    bacaan = reader.read_workbook(CalamineSource(data), "unit.xlsm")
    spec = bacaan.spec
    ikus, lines = spec.semua_iku(), spec.anggaran
    for pick, field, value in edits:
        if field < 7:
            iku = ikus[pick % len(ikus)]
            name = ("target", "target_revisi", "baseline", "realisasi_tahunan", "target_tw",
                    "realisasi_tw", "realisasi_tw")[field]
            if name in ("target_tw", "realisasi_tw"):
                values = list(getattr(iku, name) or [None] * 4)
                values[pick % 4] = value
                setattr(iku, name, values)
            else:
                setattr(iku, name, value)
        else:
            line = lines[pick % len(lines)]
            if field == 9:
                line.realisasi_tw[pick % 4] = value
            else:
                setattr(line, ("pagu_awal", "pagu_revisi")[field - 7], value)
    found = _extreme_field_by_field(spec, bacaan.layout)
    assert read._angka_ekstrem(spec, bacaan.layout) == found


def _extreme_field_by_field(spec: Any, layout: Any) -> list[Any]:
    """The extreme-number findings as written before the single walk: every field checked
    in turn, its texts made for each."""
    import math

    from workbook_gen.findings import ERROR, Finding
    from workbook_gen.layout import ANGGARAN_COLS, REALISASI_COLS, TARGET_COLS

    out: list[Any] = []

    def check(value: Any, sheet: str, col: str, row: int | None, what: str) -> None:
        if isinstance(value, float) and (not math.isfinite(value) or abs(value) >= 1e15):
            where = f"{sheet}!{col}{row}" if row else sheet
            out.append(Finding(ERROR, "angka_ekstrem", where,
                               f"{what} terlalu besar untuk dihitung ({value:.3g}); angka "
                               "harus kurang dari 1.000.000.000.000.000 (15 digit).",
                               "Ketik angka yang benar di sel itu, lalu kirim ulang."))

    for iku in spec.semua_iku():
        row = layout.iku_rows.get(iku.kode)
        check(iku.target, "Target", TARGET_COLS["target"], row, f"Target IKU {iku.kode}")
        check(iku.target_revisi, "Target", TARGET_COLS["target_revisi"], row,
              f"Target revisi IKU {iku.kode}")
        check(iku.baseline, "Target", TARGET_COLS["baseline"], row, f"Baseline IKU {iku.kode}")
        for n, v in enumerate(iku.target_tw or [], 1):
            check(v, "Target", TARGET_COLS[f"target_tw{n}"], row, f"Target TW {n} {iku.kode}")
        for n, v in enumerate(iku.realisasi_tw, 1):
            check(v, "Realisasi", REALISASI_COLS[f"realisasi_tw{n}"], row,
                  f"Realisasi TW {n} IKU {iku.kode}")
        check(iku.realisasi_tahunan, "Realisasi", REALISASI_COLS["realisasi_tahunan"], row,
              f"Realisasi tahunan IKU {iku.kode}")
    for line in spec.anggaran:
        row = layout.line_rows.get(line.key)
        check(line.pagu_awal, "Anggaran", ANGGARAN_COLS["pagu_awal"], row,
              f"Pagu awal {line.key}")
        check(line.pagu_revisi, "Anggaran", ANGGARAN_COLS["pagu_revisi"], row,
              f"Pagu revisi {line.key}")
        for n, v in enumerate(line.realisasi_tw, 1):
            check(v, "Anggaran", ANGGARAN_COLS[f"realisasi_tw{n}"], row,
                  f"Realisasi anggaran TW {n} {line.key}")
    return out


def test_an_extreme_budget_figure_is_named_at_its_cell(banten) -> None:  # noqa: F811
    from workbook_gen.konsolidasi import read

    data, _ = banten
    bacaan = reader.read_workbook(CalamineSource(data), "unit.xlsm")
    assert read._angka_ekstrem(bacaan.spec, bacaan.layout) == []
    line = bacaan.spec.anggaran[1]
    line.pagu_revisi = 2e15
    (f,) = read._angka_ekstrem(bacaan.spec, bacaan.layout)
    row = bacaan.layout.line_rows[line.key]
    assert (f.jenis, f.lokasi) == ("angka_ekstrem", f"Anggaran!J{row}")
    assert f.pesan.startswith(f"Pagu revisi {line.key} terlalu besar untuk dihitung (2e+15)")


# ------------------------------------------------------------------- path labels


def _item_label_before(items: Any, index: int, key: str = "kode") -> str:
    """spec.item_label as it was written before item_labels (one scan per item)."""
    try:
        own = items[index].get(key)
    except (AttributeError, IndexError, KeyError, TypeError):
        return str(index)
    if own is None or isinstance(own, (dict, list, bool)) or str(own).strip() == "":
        return str(index)
    same = [i for i in items if isinstance(i, dict) and str(i.get(key)) == str(own)]
    return str(own) if len(same) == 1 else str(index)


_CODE = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.sampled_from(
    ["S1", "S2", " ", "", "None", "1", "IKU-1"]), st.lists(st.integers(), max_size=1),
    st.just({"a": 1}))
_ITEM = st.one_of(st.dictionaries(st.sampled_from(["kode", "tahun", "x"]), _CODE, max_size=2),
                  _CODE)


@settings(max_examples=500, deadline=None)
@given(st.lists(_ITEM, max_size=6), st.integers(-8, 8), st.sampled_from(["kode", "tahun"]))
def test_item_labels_name_items_as_before(items, index, key) -> None:
    from workbook_gen.spec import item_label, item_labels

    assert item_label(items, index, key) == _item_label_before(items, index, key)
    assert item_labels(items, key) == [_item_label_before(items, i, key)
                                       for i in range(len(items))]


# ------------------------------------------------------------------- rounding


def _bulatkan_before(x: Any, pengaturan: Any) -> Any:
    """engine.bulatkan as it was written before (a context made and switched to per call)."""
    import math
    from decimal import (
        MAX_EMAX,
        MIN_EMIN,
        ROUND_DOWN,
        ROUND_HALF_UP,
        Context,
        Decimal,
        localcontext,
    )

    if x is None or not math.isfinite(x):
        return None
    if abs(x) >= 1e15:
        return float(x)
    d = Decimal(repr(round(x, 10)))
    q = Decimal(1).scaleb(-pengaturan.desimal)
    mode = ROUND_HALF_UP if pengaturan.pembulatan == "setengah_ke_atas" else ROUND_DOWN
    with localcontext(Context(prec=340, Emax=MAX_EMAX, Emin=MIN_EMIN)):
        return float(d.quantize(q, rounding=mode))


@settings(max_examples=1000, deadline=None)
@given(st.one_of(st.floats(), st.sampled_from([1.005, 2.675, 28.999999999999996, -0.0, 0.0,
                                                0.125, -0.125, 1e14 + 0.005, 5e-324])),
       st.sampled_from(["setengah_ke_atas", "potong"]), st.integers(0, 4))
def test_bulatkan_rounds_as_before(x, mode, desimal) -> None:
    from workbook_gen.engine import bulatkan
    from workbook_gen.spec import Pengaturan

    p = Pengaturan(pembulatan=mode, desimal=desimal)
    assert repr(bulatkan(x, p)) == repr(_bulatkan_before(x, p))
