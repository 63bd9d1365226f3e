"""The metadata's JSON parsed once per konsolidasi read: check_meta_rows hands its parse
of the layout and spec texts to parse_meta, which takes it at most once and only for the
very same text. The read gives exactly what it gives with two parses."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from workbook_gen import layout
from workbook_gen.konsolidasi import read as kread
from workbook_gen.konsolidasi.meta import check_meta_rows
from workbook_gen.konsolidasi.source import CalamineSource
from workbook_gen.layout import SHEET_META, parse_meta
from workbook_gen.reader import META_MAX_ROWS

from .test_metaspec import banten  # noqa: F401 - fixture


def _rows(data: bytes) -> list[list[Any]]:
    return CalamineSource(data).read_block(SHEET_META, 1, 1, META_MAX_ROWS, 2)


def _pairs(rows: list[list[Any]]) -> list[tuple[Any, Any]]:
    return [(r[0], r[1]) for r in rows]


def test_parse_meta_takes_the_checked_parse_once(banten: tuple[bytes, Any]) -> None:  # noqa: F811
    data, spec_data = banten
    rows = _rows(data)
    layout._HANDED.clear()
    check_meta_rows(rows)
    handed = layout._HANDED["spec"][1]
    meta = parse_meta(_pairs(rows))
    assert meta.spec_data is handed  # taken, not parsed again
    assert meta.spec_data == spec_data
    assert layout._HANDED == {}
    again = parse_meta(_pairs(rows))  # nothing handed over: parsed afresh
    assert again.spec_data is not handed and again.spec_data == spec_data
    assert again.layout == meta.layout


def test_another_text_is_parsed_itself(banten: tuple[bytes, Any]) -> None:  # noqa: F811
    data, spec_data = banten
    rows = _rows(data)
    layout._HANDED.clear()
    check_meta_rows(rows)
    changed = json.loads(json.dumps(spec_data))
    changed["unit"]["nama"] = "Unit Lain"
    edited = [(k, json.dumps(changed, ensure_ascii=False) if k == "spec" else v)
              for k, v in _pairs(rows)]
    meta = parse_meta(edited)
    assert meta.spec_data["unit"]["nama"] == "Unit Lain"
    assert meta.spec_data == changed
    assert "spec" not in layout._HANDED  # the stale one is dropped, never taken later


def test_a_refused_check_hands_nothing_over(banten: tuple[bytes, Any]) -> None:  # noqa: F811
    data, _ = banten
    rows = [list(r) for r in _rows(data)]
    for r in rows:
        if r[0] == "layout":
            doc = json.loads(r[1])
            doc["iku_rows"] = {}
            r[1] = json.dumps(doc)
    layout._HANDED.clear()
    with pytest.raises(kread.FileProblem):
        check_meta_rows(rows)
    assert layout._HANDED == {}


def test_read_same_with_and_without_hand_over(banten: tuple[bytes, Any],  # noqa: F811
                                              tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    data, _ = banten
    path = tmp_path / "banten.xlsm"
    path.write_bytes(data)
    with_hand_over = kread.baca_berkas(str(path))
    monkeypatch.setattr("workbook_gen.konsolidasi.meta.hand_over_json",
                        lambda *a: None)
    layout._HANDED.clear()
    without = kread.baca_berkas(str(path))
    assert with_hand_over.unit is not None
    assert with_hand_over == without
