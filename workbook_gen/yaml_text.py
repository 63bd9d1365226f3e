"""Read a spec's YAML with every scalar kept as the text that was typed, within limits.

PyYAML types unquoted scalars before any reader of ours sees them: ``6.000`` becomes
the float 6, ``012345`` the octal 5349, ``01`` the integer 1, ``yes`` the boolean True.
:class:`TextLoader` turns off all implicit typing: every scalar is a ``str``, and an
unquoted one is a :class:`Polos` so the spec loader knows that ``null`` or an empty
value was not quoted. The spec loader then reads each text with the Indonesian number
parser (``workbook_gen.parsing``) where the spec expects a number.

The loader refuses, with an Indonesian :class:`YamlLimitError`:

* nesting deeper than :data:`MAX_DEPTH` (a hand-written spec needs about 8 levels);
* aliases that expand to more than :data:`MAX_NODES` nodes (an "alias bomb"), or an
  alias inside its own anchor;
and marks (as a :class:`SplitList`, reported by the spec loader at its spec path) a flow
list whose items look like a decimal number split at its comma (``[66,25%, 18,75%]`` is
four items for YAML: 66, 25%, 18, 75%).
"""

from __future__ import annotations

from typing import Any

import yaml

from .texttypes import Polos, SplitDict, SplitList

MAX_DEPTH = 50
MAX_NODES = 100_000


class YamlLimitError(yaml.YAMLError):
    """A YAML text the spec loader refuses; ``problem`` is Indonesian, ``saran`` too."""

    def __init__(self, problem: str, saran: str, mark: Any = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.saran = saran
        self.problem_mark = mark


class TextLoader(yaml.SafeLoader):
    """SafeLoader without implicit typing, with depth/alias limits and duplicate-key check."""

    yaml_implicit_resolvers: dict = {}  # noqa: RUF012 (class-level table PyYAML reads)

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise YamlLimitError(
                    f"bagian spec bersarang lebih dari {MAX_DEPTH} tingkat",
                    "Spec yang wajar hanya beberapa tingkat; periksa tanda kurung [ ] dan { } "
                    "atau indentasinya.",
                    self.peek_event().start_mark,
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def get_single_data(self) -> Any:
        node = self.get_single_node()
        if node is None:
            return None
        _check_expansion(node)
        return self.construct_document(node)


def _check_expansion(root: yaml.Node) -> None:
    """Refuse aliases that expand too far or point into their own anchor."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()

    def size(node: yaml.Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in open_nodes:
            raise YamlLimitError(
                "sebuah alias (*nama) menunjuk ke bagian yang memuat dirinya sendiri",
                "Hapus alias itu dan tulis isinya langsung.", node.start_mark)
        open_nodes.add(key)
        total = 1
        if isinstance(node, yaml.SequenceNode):
            for child in node.value:
                total += size(child)
        elif isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                total += size(k) + size(v)
        open_nodes.discard(key)
        if total > MAX_NODES:
            raise YamlLimitError(
                f"spec ini berisi lebih dari {MAX_NODES:,} isian setelah alias (*nama) "
                "dijabarkan".replace(",", "."),
                "Tulis isinya langsung tanpa anchor (&nama) dan alias (*nama).",
                node.start_mark)
        sizes[key] = total
        return total

    size(root)


def _construct_text(loader: TextLoader, node: yaml.ScalarNode) -> str:
    value = loader.construct_scalar(node)
    return Polos(value) if node.style is None else str(value)


def _ends_digit(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.style is None and node.value[-1:].isdigit()


def _starts_digit(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.style is None and node.value[:1].isdigit()


def _split_at(pairs: list[tuple[yaml.Node, yaml.Node]]) -> tuple[yaml.Node, yaml.Node] | None:
    for left, right in pairs:
        if (_ends_digit(left) and _starts_digit(right)
                and right.start_mark.index == left.end_mark.index + 1):
            return left, right
    return None


def _mark_split(target: Any, left: yaml.Node, right: yaml.Node, where: str) -> Any:
    joined = f"{left.value},{right.value}"
    target.pesan = (
        f"'{joined}' di dalam {where} (baris {left.start_mark.line + 1}) dibaca YAML sebagai "
        f"dua isian, '{left.value}' dan '{right.value}', karena koma memisahkan isian.")
    target.saran = (f"Beri tanda kutip pada angka berkoma, misalnya \"{joined}\", atau beri "
                    "spasi sesudah koma bila memang dua isian.")
    target.mark = left.start_mark
    return target


def _construct_list(loader: TextLoader, node: yaml.SequenceNode) -> list[Any]:
    items = loader.construct_sequence(node)
    if node.flow_style:
        split = _split_at(list(zip(node.value, node.value[1:], strict=False)))
        if split:
            return _mark_split(SplitList(items), *split, "daftar [ ]")
    return items


def _construct_mapping(loader: TextLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"kunci '{key}' ditulis dua kali", key_node.start_mark)
        seen.add(key)
    mapping = loader.construct_mapping(node)
    if node.flow_style:
        # {minimal: 99,5, warna: x}: the value 99 ends right before the key 5
        split = _split_at([(a[1], b[0]) for a, b in zip(node.value, node.value[1:],
                                                           strict=False)])
        if split:
            return _mark_split(SplitDict(mapping), *split, "bagian { }")
    return mapping


TextLoader.add_constructor("tag:yaml.org,2002:str", _construct_text)
TextLoader.add_constructor("tag:yaml.org,2002:seq", _construct_list)
TextLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)


def load_text(text: str) -> Any:
    """The YAML document as dicts, lists and texts (:class:`Polos` when unquoted)."""
    return yaml.load(text, Loader=TextLoader)  # noqa: S506 (SafeLoader subclass)
