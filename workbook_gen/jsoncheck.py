"""A small JSON Schema checker in the standard library only, for the constructs
``schema/meta.schema.json`` and ``schema/spec.schema.json`` use: type, const, enum,
pattern, minLength, maxLength, minimum, maximum, exclusiveMinimum, required, properties,
additionalProperties, maxProperties, items, minItems, maxItems, uniqueItems, oneOf, allOf
and local ``$ref`` ("#/$defs/...").

The routine behind the buttons reads ``_meta`` with it, so the button's import closure
needs no third-party package (the Lite path runs under Pyodide, where ``jsonschema``'s
``rpds-py`` has no build). Specs are checked with ``jsonschema`` where it is installed,
with this checker elsewhere. Errors carry the attributes the Indonesian messages read
from jsonschema's errors (``absolute_path``, ``validator``, ``validator_value``,
``instance``, ``message``, ``schema``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

#: keywords this checker understands; a schema using any other keyword is refused
KNOWN = frozenset({"$schema", "$id", "title", "description", "$defs", "type", "const",
                   "pattern", "maxLength", "minimum", "maximum", "required", "properties",
                   "additionalProperties", "maxProperties", "items", "minItems", "oneOf",
                   "$ref", "enum", "exclusiveMinimum", "maxItems", "minLength",
                   "uniqueItems", "allOf"})


@dataclass
class SchemaError:
    absolute_path: list[str | int]
    validator: str
    validator_value: Any
    instance: Any
    message: str
    schema: dict[str, Any]


def _is_type(value: Any, name: str) -> bool:
    if name == "null":
        return value is None
    if name == "boolean":
        return isinstance(value, bool)
    if isinstance(value, bool):
        return False
    if name == "integer":
        return isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    if name == "number":
        return isinstance(value, (int, float))
    if name == "string":
        return isinstance(value, str)
    if name == "array":
        return isinstance(value, list)
    if name == "object":
        return isinstance(value, dict)
    raise ValueError(f"unknown type {name!r}")


def _equal(a: Any, b: Any) -> bool:
    """JSON equality: 1 == 1.0, but true is not 1."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    return bool(a == b)


class Checker:
    """Check instances against one schema (its ``$defs`` resolved locally)."""

    def __init__(self, schema: dict[str, Any]) -> None:
        self.schema = schema
        self._assert_known(schema)

    def _assert_known(self, node: Any) -> None:
        if isinstance(node, dict):
            unknown = set(node) - KNOWN
            if unknown:
                raise ValueError(f"jsoncheck: unsupported keywords {sorted(unknown)}")
            for key, sub in node.items():
                if key in ("properties", "$defs"):
                    for s in sub.values():
                        self._assert_known(s)
                elif key in ("items", "additionalProperties") and isinstance(sub, dict):
                    self._assert_known(sub)
                elif key in ("oneOf", "allOf"):
                    for s in sub:
                        self._assert_known(s)

    def _resolve(self, ref: str) -> dict[str, Any]:
        if not ref.startswith("#/"):
            raise ValueError(f"jsoncheck: only local references, not {ref!r}")
        node: Any = self.schema
        for part in ref[2:].split("/"):
            node = node[part]
        return node

    def iter_errors(self, instance: Any) -> Iterator[SchemaError]:
        yield from self._check(instance, self.schema, [])

    def is_valid(self, instance: Any) -> bool:
        return next(self.iter_errors(instance), None) is None

    def _check(self, value: Any, schema: dict[str, Any], path: list[str | int]
               ) -> Iterator[SchemaError]:
        def error(keyword: str, message: str) -> SchemaError:
            return SchemaError(list(path), keyword, schema[keyword], value, message, schema)

        if "$ref" in schema:
            yield from self._check(value, self._resolve(schema["$ref"]), path)
        if "type" in schema:
            names = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
            if not any(_is_type(value, n) for n in names):
                yield error("type", f"{value!r} is not of type {names}")
        if "const" in schema and not _equal(value, schema["const"]):
            yield error("const", f"{schema['const']!r} was expected")
        if "enum" in schema and not any(_equal(value, e) for e in schema["enum"]):
            yield error("enum", f"{value!r} is not one of {schema['enum']!r}")
        for sub in schema.get("allOf", []):
            yield from self._check(value, sub, path)
        if "oneOf" in schema:
            matches = sum(1 for s in schema["oneOf"]
                          if next(self._check(value, s, path), None) is None)
            if matches != 1:
                yield error("oneOf", f"{value!r} is not valid under exactly one schema")
        if isinstance(value, str):
            if "pattern" in schema and not re.search(schema["pattern"], value):
                yield error("pattern", f"{value!r} does not match {schema['pattern']!r}")
            if "maxLength" in schema and len(value) > schema["maxLength"]:
                yield error("maxLength", f"{value!r} is too long")
            if "minLength" in schema and len(value) < schema["minLength"]:
                yield error("minLength", f"{value!r} should be non-empty")
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if "minimum" in schema and value < schema["minimum"]:
                yield error("minimum", f"{value} is less than the minimum")
            if "maximum" in schema and value > schema["maximum"]:
                yield error("maximum", f"{value} is greater than the maximum")
            if "exclusiveMinimum" in schema and value <= schema["exclusiveMinimum"]:
                yield error("exclusiveMinimum",
                            f"{value} is less than or equal to the minimum")
        if isinstance(value, list):
            if "minItems" in schema and len(value) < schema["minItems"]:
                yield error("minItems", f"{value!r} is too short")
            if "maxItems" in schema and len(value) > schema["maxItems"]:
                yield error("maxItems", f"{value!r} is too long")
            if schema.get("uniqueItems") and any(
                    _equal(a, b) for i, a in enumerate(value) for b in value[i + 1:]):
                yield error("uniqueItems", f"{value!r} has non-unique elements")
            if "items" in schema:
                for i, item in enumerate(value):
                    yield from self._check(item, schema["items"], [*path, i])
        if isinstance(value, dict):
            for key in schema.get("required", []):
                if key not in value:
                    yield error("required", f"'{key}' is a required property")
            if "maxProperties" in schema and len(value) > schema["maxProperties"]:
                yield error("maxProperties", f"{value!r} has too many properties")
            props = schema.get("properties", {})
            extra = schema.get("additionalProperties")
            for key, item in value.items():
                if key in props:
                    yield from self._check(item, props[key], [*path, key])
                elif isinstance(extra, dict):
                    yield from self._check(item, extra, [*path, key])
                elif extra is False:
                    yield SchemaError(list(path), "additionalProperties", False, value,
                                      f"Additional properties are not allowed ({key!r} was "
                                      "unexpected)", schema)
