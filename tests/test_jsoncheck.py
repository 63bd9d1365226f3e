"""The stdlib schema checker (workbook_gen.jsoncheck, used by the buttons and under
Pyodide) finds exactly the errors jsonschema finds, on the bundled examples and on
mutations of them: same places, same keywords."""

from __future__ import annotations

import copy
import json
from importlib import resources
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from workbook_gen.jsoncheck import Checker

from .conftest import BANTEN, JATENG, NTB


def _schema(name: str) -> dict[str, Any]:
    text = resources.files("workbook_gen").joinpath(f"schema/{name}").read_text("utf-8")
    return json.loads(text)


SPEC = _schema("spec.schema.json")
META = _schema("meta.schema.json")
EXAMPLES = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in (BANTEN, JATENG, NTB)]


def _errors(validator: Any, data: Any) -> list[tuple[str, str]]:
    return sorted((json.dumps(list(e.absolute_path)), e.validator)
                  for e in validator.iter_errors(data))


def _paths(node: Any, path: tuple = ()) -> list[tuple]:
    out = [path]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*path, i))
    return out


REPLACEMENTS = [None, "", "x" * 70, -1, 0, 1.5, 10**6, True, [], {}, ["a", "a"], {"z": 1},
                "TW V", "#12345", 1048577]


def test_examples_are_valid_on_both():
    for data in EXAMPLES:
        assert _errors(Checker(SPEC), data) == _errors(Draft202012Validator(SPEC), data) == []


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 1), st.data())
def test_mutated_specs_give_the_same_errors(which, data):
    spec = copy.deepcopy(EXAMPLES[which])
    paths = [p for p in _paths(spec) if p]
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(paths))
        parent = spec
        try:
            for part in path[:-1]:
                parent = parent[part]
            if data.draw(st.booleans()) and isinstance(parent, dict):
                del parent[path[-1]]
            else:
                parent[path[-1]] = copy.deepcopy(data.draw(st.sampled_from(REPLACEMENTS)))
        except (KeyError, IndexError, TypeError):
            continue
    assert _errors(Checker(SPEC), spec) == _errors(Draft202012Validator(SPEC), spec)


@settings(max_examples=500, deadline=None)
@given(st.data())
def test_mutated_metadata_gives_the_same_errors(data):
    meta = {"aplikasi": "workbook-gen", "versi_template": "3", "hash_spec": "0123456789abcdef",
            "kode_satker": "900001", "nama_unit": "Unit", "tahun": "2026",
            "layout": {"versi": 2, "iku_rows": {"IKU-1": 6}, "line_rows": {"K1/01": 6},
                       "subtotal_rows": {"kegiatan:K1": 8}, "total_row": 10},
            "spec": {"unit": {}, "sasaran": [{"iku": [{"kode": "IKU-1"}]}],
                     "anggaran": {"kegiatan": [{"kode": "K1", "komponen": [{"kode": "01"}]}]}}}
    assert _errors(Checker(META), meta) == []
    paths = [p for p in _paths(meta) if p]
    path = data.draw(st.sampled_from(paths))
    parent = meta
    for part in path[:-1]:
        parent = parent[part]
    if data.draw(st.booleans()) and isinstance(parent, dict):
        del parent[path[-1]]
    else:
        parent[path[-1]] = copy.deepcopy(data.draw(st.sampled_from(REPLACEMENTS)))
    assert _errors(Checker(META), meta) == _errors(Draft202012Validator(META), meta)


def test_all_of_as_jsonschema():
    schema = {"allOf": [{"type": "object", "required": ["a"]},
                        {"properties": {"a": {"type": "integer", "minimum": 2}}}]}
    for data in ({}, {"a": 1}, {"a": 3}, {"a": "x"}, []):
        assert _errors(Checker(schema), data) == _errors(Draft202012Validator(schema), data)
