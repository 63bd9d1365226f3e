"""Which metadata specs this process has already proved to pass the spec schema, so a
national recap checks the structure of a katalog's specs once per worker, not per file.

Every read checks the spec a workbook's ``_meta`` carries (schema and meaning, see
``reader.read_workbook``): anyone can edit it and recompute its fingerprint. Over 10,000
workbooks from one katalog the schema check was most of the reading time, yet the specs
differ only in the unit, the periode, each IKU's values (targets, realisasi, narrative,
riwayat) and the budget (lines and totals, which a katalog sets per unit); sasaran, IKUs
and their rules, skala and pengaturan are the katalog's.

:func:`structure_key` splits a spec into that shared structure (those fields set to null)
and the fields taken out. A spec passes the schema when a spec with the same structure
passed it in this process and each field taken out passes, on its own, the schema part
the whole check applies to it (typed the same way first): the schema objects holding
those fields only list properties, no keyword ties one property to another (checked in
:func:`_parts`, which turns this shortcut off otherwise).

The spec's *meaning* (duplicate codes, unknown sasaran or skala, category bands) depends
on its structure and budget lines, not on values, and the reader's build with the cell
values checks it again; when that build or anything after it fails for a spec whose full
check was skipped, the reader runs the full check first, so a bad spec is reported
exactly as it always was.
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from .jsoncheck import Checker
from .spec import _typed as typed_like_spec
from .spec import schema as spec_schema

#: The fields taken out of the structure, by the object holding them.
TOP_FIELDS = ("unit", "periode", "penutup")
IKU_FIELDS = ("target", "target_revisi", "target_tw", "baseline", "realisasi_tw",
              "realisasi_tahunan", "pembilang_tw", "penyebut_tw",
              "faktor_pendorong", "faktor_penghambat", "upaya", "riwayat")
ANGGARAN_FIELDS = ("total", "kegiatan")

#: Schema keywords of an object under which each property is checked on its own.
_PER_PART_KEYWORDS = frozenset({"$schema", "$id", "title", "description", "$defs", "type",
                                "required", "additionalProperties", "properties"})

#: Structures proved valid (sha256 of their JSON), most recently used last.
_PROVED: OrderedDict[bytes, None] = OrderedDict()
KEPT = 4096  # 32-byte keys: every distinct structure of a large national run fits

Fields = list[tuple[str, str, Any]]  # (holder, field, value)
Key = tuple[bytes, Fields]


def structure_key(spec_data: Any) -> Key | None:
    """The structure's fingerprint and the fields taken out of it, or None when the spec
    is not shaped for this (the full check then says what is wrong)."""
    if _parts() is None or not isinstance(spec_data, dict):
        return None
    fields: Fields = []

    def take(holder: str, d: Any, names: tuple[str, ...]) -> dict[str, Any] | None:
        if not isinstance(d, dict):
            return None
        out = dict(d)
        for name in names:
            if name in out:
                fields.append((holder, name, out[name]))
                out[name] = None
        return out

    top = take("top", spec_data, TOP_FIELDS)
    sasaran = spec_data.get("sasaran")
    if top is None or not isinstance(sasaran, list):
        return None
    new_sasaran = []
    for s in sasaran:
        if not isinstance(s, dict) or not isinstance(s.get("iku"), list):
            return None
        ikus = [take("iku", d, IKU_FIELDS) for d in s["iku"]]
        if any(d is None for d in ikus):
            return None
        new_sasaran.append({**s, "iku": ikus})
    top["sasaran"] = new_sasaran
    if spec_data.get("anggaran") is not None:
        top["anggaran"] = take("anggaran", spec_data["anggaran"], ANGGARAN_FIELDS)
        if top["anggaran"] is None:
            return None
    try:
        text = json.dumps(top, sort_keys=True, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        return None
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest(), fields


def proved_valid(key: Key | None) -> bool:
    """The spec split by :func:`structure_key` passes the spec schema (see the module
    doc); False means "not proved", not "invalid"."""
    if key is None or key[0] not in _PROVED:
        return False
    parts = _parts()
    if parts is None:
        return False
    for holder, name, value in key[1]:
        found = parts.get((holder, name))
        if found is None:
            return False
        part, checker, surely = found
        if surely(value):
            continue
        problems: dict[tuple, tuple[str, str, str]] = {}
        try:
            typed = typed_like_spec(value, part, [], problems)
        except (TypeError, ValueError, RecursionError):
            return False
        if problems or not checker.is_valid(typed):
            return False
    _PROVED.move_to_end(key[0])
    return True


def remember_valid(key: Key | None) -> None:
    """The spec split by :func:`structure_key` passed the full check."""
    if key is None:
        return
    _PROVED[key[0]] = None
    _PROVED.move_to_end(key[0])
    while len(_PROVED) > KEPT:
        _PROVED.popitem(last=False)


def forget() -> None:
    """Drop every proved structure (tests)."""
    _PROVED.clear()


@lru_cache(maxsize=1)
def _parts() -> dict[tuple[str, str], tuple[dict[str, Any], Checker, Quick]] | None:
    """Schema part and checker of each field taken out, or None when the schema does not
    allow checking them one by one (a holder with a keyword tying its properties)."""
    full = spec_schema()
    defs = full.get("$defs", {})

    def resolve(node: Any) -> dict[str, Any]:
        while isinstance(node, dict) and "$ref" in node:
            if set(node) != {"$ref"} or not str(node["$ref"]).startswith("#/$defs/"):
                raise KeyError(node["$ref"])
            node = defs[node["$ref"].rsplit("/", 1)[1]]
        if not isinstance(node, dict):
            raise KeyError("bukan objek")
        return node

    def holder(node: Any) -> dict[str, Any]:
        node = resolve(node)
        if not set(node) <= _PER_PART_KEYWORDS:
            raise KeyError("kata kunci yang mengikat")
        return node

    try:
        top = holder(full)
        sasaran = holder(resolve(top["properties"]["sasaran"])["items"])
        iku = holder(resolve(sasaran["properties"]["iku"])["items"])
        anggaran = holder(top["properties"]["anggaran"])
        out: dict[tuple[str, str], tuple[dict[str, Any], Checker, Quick]] = {}
        for name, node, names in (("top", top, TOP_FIELDS), ("iku", iku, IKU_FIELDS),
                                  ("anggaran", anggaran, ANGGARAN_FIELDS)):
            for f in names:
                part = node["properties"][f]
                out[(name, f)] = (part, Checker({**part, "$defs": defs}),
                                  quick_check(part, resolve))
    except (KeyError, TypeError, IndexError, ValueError):
        return None
    return out


# --------------------------------------------------------------------------- quick checks

Quick = Callable[[Any], bool]

_TYPES: dict[str, Callable[[Any], bool]] = {
    "null": lambda v: v is None,
    "boolean": lambda v: isinstance(v, bool),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: (isinstance(v, int) and not isinstance(v, bool))
    or (isinstance(v, float) and v.is_integer()),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
}
#: The exact type each JSON type's test passes for every value of it ("integer" is left
#: out: a float passes it only when whole).
_SURE_TYPES: dict[str, type] = {"null": type(None), "boolean": bool, "string": str,
                                "number": float, "array": list, "object": dict}
_QUICK_KEYWORDS = frozenset({"description", "title", "type", "enum", "minLength", "maxLength",
                             "items", "minItems", "maxItems", "uniqueItems", "required",
                             "properties", "additionalProperties"})


def _never(value: Any) -> bool:
    return False


def quick_check(part: Any, resolve: Callable[[Any], dict[str, Any]]) -> Quick:
    """A fast test of a schema part that says True only for a value that surely passes
    the part *and* that the spec's typing leaves as it is (a text where a text is
    allowed, a number where a number is); False means "not sure": the value then takes
    the typing and the schema checker. Keywords beyond the simple ones make it never
    sure, so the answer is never wrong, only slower."""
    try:
        node = resolve(part)
    except KeyError:
        return _never
    if not set(node) <= _QUICK_KEYWORDS:
        return _never
    types = node.get("type", [])
    types = [types] if isinstance(types, str) else list(types)
    if any(t not in _TYPES for t in types):
        return _never
    tests = [_TYPES[t] for t in types]
    # exact Python types that pass one of the type tests whatever their value
    sure_types = frozenset(_SURE_TYPES[t] for t in types if t in _SURE_TYPES)
    text_ok = "string" in types and "enum" not in node  # the typing keeps such a text
    enum = node.get("enum")
    min_len, max_len = node.get("minLength"), node.get("maxLength")
    items = quick_check(node["items"], resolve) if "items" in node else None
    min_items, max_items = node.get("minItems"), node.get("maxItems")
    unique = node.get("uniqueItems") is True
    props = {k: quick_check(v, resolve) for k, v in node.get("properties", {}).items()}
    required = list(node.get("required", []))
    extra = node.get("additionalProperties", True)
    if extra is not False and extra is not True:
        return _never

    if set(node) <= {"description", "title", "type", "minLength", "maxLength"} and types:
        return _scalar_check(set(types), min_len, max_len)

    def check(value: Any) -> bool:
        if types and type(value) not in sure_types and not any(t(value) for t in tests):
            return False
        if isinstance(value, str):
            if enum is not None:
                same = [o for o in enum if isinstance(o, str)
                        and o.casefold() == " ".join(value.split()).casefold()]
                if not same or same[0] != value:
                    return False
            elif not text_ok:
                return False
            if min_len is not None and len(value) < min_len:
                return False
            if max_len is not None and len(value) > max_len:
                return False
            return True
        if enum is not None and not any(type(o) is type(value) and o == value for o in enum):
            return False
        if isinstance(value, list):
            if min_items is not None and len(value) < min_items:
                return False
            if max_items is not None and len(value) > max_items:
                return False
            if unique and not all(isinstance(v, str) for v in value):
                return False  # only texts are compared here; anything else: not sure
            if unique and len(set(value)) != len(value):
                return False
            return items is None or all(map(items, value))
        if isinstance(value, dict):
            if any(k not in value for k in required):
                return False
            for k, v in value.items():
                test = props.get(k)
                if test is None:
                    if extra is False:
                        return False
                elif not test(v):
                    return False
        return True

    return check


def _scalar_check(types: set[str], min_len: int | None, max_len: int | None) -> Quick:
    """:func:`quick_check` of a part that only names types (the common case: a value
    field), by the value's exact type; anything else is "not sure"."""
    number, integer = "number" in types, "integer" in types
    text, null, boolean = "string" in types, "null" in types, "boolean" in types

    def check(value: Any) -> bool:
        t = type(value)
        if t is float:
            return number or (integer and value.is_integer())
        if t is int:
            return number or integer
        if value is None:
            return null
        if t is str:
            return text and (min_len is None or len(value) >= min_len) and (
                max_len is None or len(value) <= max_len)
        if t is bool:
            return boolean
        return False

    return check
