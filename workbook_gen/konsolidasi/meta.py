"""Validate a workbook's ``_meta`` rows at the konsolidasi boundary, before the reader uses
them: metadata is input from a stranger. A workbook whose metadata does not validate is
"metadata rusak / bukan workbook kita" with the reason, never a crash or a huge read.

(The hitung/periksa path validates ``_meta`` in layout.py/reader.py; the two can become
one schema.)
"""

from __future__ import annotations

import json
from typing import Any

from ..layout import META_MAGIC, SHEET_META, hand_over_json
from .check import FileProblem

MAX_ROW = 1_048_576  # Excel's last row
MAX_META_CHARS = 4_000_000  # all metadata values together (a 200-IKU spec is ~100 KB)

_SARAN = ("Workbook ini bukan workbook asli dari 'workbook-gen buat' atau metadatanya "
          "diubah; minta unit menyalin isiannya ke workbook asli lalu mengirim ulang.")


def _rusak(alasan: str) -> FileProblem:
    return FileProblem("metadata_rusak", f"Metadata rusak / bukan workbook kita: {alasan}.",
                       _SARAN, lokasi=f"{SHEET_META}!A1")


def _rows_map(data: Any, what: str) -> dict[str, int]:
    if not isinstance(data, dict):
        raise _rusak(f"layout.{what} harus berupa pemetaan kode -> baris")
    out: dict[str, int] = {}
    for k, v in data.items():
        if isinstance(v, bool) or not isinstance(v, int) or not 1 <= v <= MAX_ROW:
            raise _rusak(f"layout.{what}['{str(k)[:40]}'] = {str(v)[:40]!s} bukan nomor baris "
                         f"1-{MAX_ROW:,}".replace(",", "."))
        out[str(k)] = v
    return out


def check_meta_rows(rows: list[list[Any]]) -> None:
    """Raise FileProblem("metadata_rusak") unless the A:B rows hold usable metadata: the
    magic, a template version, a kode satker, a tahun, a layout mapping IKUs and budget
    lines to rows within the sheet, and a non-empty spec whose every IKU has a row."""
    values: dict[str, str] = {}
    size = 0
    for row in rows:
        key, value = (row + [None, None])[:2]
        if key is None:
            continue
        text = "" if value is None else str(value)
        size += len(text)
        if size > MAX_META_CHARS:
            raise _rusak("isinya terlalu besar")
        values[str(key)] = values.get(str(key), "") + text
    if values.get("aplikasi") != META_MAGIC:
        return  # not ours at all: the reader says so ("bukan_workbook_kita")
    for key in ("versi_template", "kode_satker", "tahun", "layout", "spec"):
        if not values.get(key):
            raise _rusak(f"kunci '{key}' tidak ada atau kosong")
    try:
        layout = json.loads(values["layout"])
        spec = json.loads(values["spec"])
    except (ValueError, RecursionError):
        raise _rusak("layout atau spec bukan JSON yang sah") from None
    if not isinstance(layout, dict):
        raise _rusak("layout harus berupa objek, bukan " + type(layout).__name__)
    iku_rows = _rows_map(layout.get("iku_rows"), "iku_rows")
    _rows_map(layout.get("line_rows", {}), "line_rows")
    _rows_map(layout.get("subtotal_rows", {}), "subtotal_rows")
    total = layout.get("total_row")
    if total is not None and (isinstance(total, bool) or not isinstance(total, int)
                              or not 1 <= total <= MAX_ROW):
        raise _rusak("layout.total_row bukan nomor baris")
    if not isinstance(spec, dict) or not spec:
        raise _rusak("spec kosong atau bukan objek")
    sasaran = spec.get("sasaran")
    if not isinstance(sasaran, list) or not sasaran:
        raise _rusak("spec tidak berisi daftar sasaran")
    for i, s in enumerate(sasaran):
        ikus = s.get("iku") if isinstance(s, dict) else None
        if not isinstance(ikus, list):
            raise _rusak(f"spec sasaran[{i}] tidak berisi daftar iku")
        for j, iku in enumerate(ikus):
            kode = iku.get("kode") if isinstance(iku, dict) else None
            if not isinstance(kode, str) or not kode:
                raise _rusak(f"spec sasaran[{i}].iku[{j}] tidak punya kode")
            if kode not in iku_rows:
                raise _rusak(f"IKU {kode[:40]} tidak ada di layout")
    # nothing here changed them: the reader's parse_meta takes them for the same texts
    hand_over_json("layout", values["layout"], layout)
    hand_over_json("spec", values["spec"], spec)
