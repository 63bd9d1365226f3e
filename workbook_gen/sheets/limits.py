"""Excel's limits on text, checked on the spec before a workbook is written.

xlsxwriter does not refuse text past Excel's limits: it cuts a cell's text at 32,767
characters, drops a footer or document property past 255 with an English warning, and
carries on. A cut text is a typed text lost, so these are spec errors naming the spec
path, found before anything is written.
"""

from __future__ import annotations

from typing import Any

from ..findings import Report, SpecError
from ..spec import Spec

MAX_CELL_TEXT = 32767  # characters in one cell
# The unit's name goes into every sheet's title and printed footer ("Anggaran - NAMA",
# with "Halaman 1 dari 3" beside it) and into the document properties: 255 characters
# in all for a footer, so 200 for the name leaves room for the rest.
MAX_UNIT_NAME = 200
MAX_PROPERTY = 255  # a document property (kode satker)


def _strings(value: Any, path: str):
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, f"{path}.{k}" if path else str(k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _strings(v, f"{path}[{i}]")


def _ribuan(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def check_text_limits(spec: Spec) -> None:
    """Raise SpecError with :func:`text_limit_findings` when there are any."""
    report = text_limit_findings(spec)
    if report.errors:
        raise SpecError(report, spec.sumber)


def text_limit_findings(spec: Spec) -> Report:
    """Every text of ``spec`` longer than Excel can hold where the generator puts it."""
    report = Report()
    limits = {"unit.nama": MAX_UNIT_NAME, "unit.kode_satker": MAX_PROPERTY}
    for path, text in _strings(spec.data, ""):
        limit = limits.get(path, MAX_CELL_TEXT)
        if len(text) > limit:
            why = ("sel Excel" if limit == MAX_CELL_TEXT else
                   "judul, kaki halaman cetak dan properti dokumen")
            n, m = _ribuan(len(text)), _ribuan(limit)
            report.error(
                "teks_terlalu_panjang", f"{spec.sumber}: {path}",
                f"Teks ini {n} karakter; {why} hanya memuat {m} karakter, jadi sisanya "
                "akan hilang.", f"Persingkat menjadi paling banyak {m} karakter.")
    return report
