"""What the YAML text loader (``yaml_text``) hands to the spec builder, as plain Python
types: defined apart from the loader so that ``spec`` can recognise them without importing
PyYAML (the routine's import closure stays standard-library only, see ``workbook_gen.lite``).
"""

from __future__ import annotations

from typing import Any

__all__ = ["Polos", "SplitDict", "SplitList"]


class Polos(str):
    """The text of an unquoted (plain) YAML scalar."""

    __slots__ = ()


class SplitList(list):
    """A flow list in which a decimal number looks split at its comma; ``pesan``/``saran``
    say so (Indonesian), ``mark`` where. The spec loader reports it at its spec path."""

    pesan: str = ""
    saran: str = ""
    mark: Any = None


class SplitDict(dict):
    """A flow mapping (``{minimal: 99,5}``) in which a decimal number looks split at its
    comma; reported like :class:`SplitList`."""

    pesan: str = ""
    saran: str = ""
    mark: Any = None
