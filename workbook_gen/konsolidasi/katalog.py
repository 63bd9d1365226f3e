"""The catalogue of expected units: a simple CSV/YAML list, or the national katalog that
`buat KATALOG` generates the workbooks from (Excel, a folder of CSV files, or YAML that
starts with ``versi_katalog``)."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path
from typing import Any

import yaml

from .records import KonsolidasiError, UnitKatalog


def load_katalog(path: str | os.PathLike[str]) -> list[UnitKatalog]:
    """The expected units: YAML (a list of {kode_satker, nama}, or {unit: [...]}) or CSV
    with a header row holding kode_satker and nama (comma, semicolon or tab separated)."""
    p = Path(path)
    from ..katalog.baca import is_katalog

    if p.exists() and is_katalog(p) and (p.is_dir() or p.suffix.lower() != ".csv"):
        return _katalog_nasional(p)
    from ..inputfile import InputFileError, read_text

    try:
        text = read_text(p).lstrip("\ufeff")  # regular files only, bounded, decoded
    except InputFileError as exc:
        raise KonsolidasiError(f"Katalog {exc}") from None
    if p.suffix.lower() == ".csv":
        entries = _katalog_csv(text, p)
    else:
        entries = _katalog_yaml(text, p)
    seen: dict[str, str] = {}
    for where, e in entries:
        if e.kode_satker in seen:
            raise KonsolidasiError(f"Katalog {p}, {where}: kode satker {e.kode_satker} sudah "
                                   f"ditulis di {seen[e.kode_satker]}. Tulis setiap unit sekali.")
        seen[e.kode_satker] = where
    if not entries:
        raise KonsolidasiError(f"Katalog {p} tidak berisi unit. Lihat format di "
                               "docs/konsolidasi.md.")
    return [e for _, e in entries]


def _katalog_nasional(p: Path) -> list[UnitKatalog]:
    """The units of the national katalog (its Unit table), read by the katalog package."""
    from ..katalog.baca import KatalogError
    from ..katalog.susun import daftar_unit

    try:
        units = daftar_unit(p)
    except KatalogError as exc:
        first = exc.report.errors[0] if exc.report.errors else None
        where = f" ({first.lokasi}: {first.pesan})" if first else ""
        raise KonsolidasiError(f"Katalog {p} tidak bisa dipakai{where}. Periksa dengan "
                               f"'workbook-gen periksa {p}'.") from None
    if not units:
        raise KonsolidasiError(f"Katalog {p} tidak berisi unit (lembar Unit kosong).")
    return [UnitKatalog(kode, nama) for kode, nama in units]


def kode_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


def _katalog_csv(text: str, p: Path) -> list[tuple[str, UnitKatalog]]:
    first = text.splitlines()[0] if text.strip() else ""
    delim = max((";", ",", "\t"), key=first.count) if first else ","
    reader = csv.reader(io.StringIO(text), delimiter=delim)
    rows = list(reader)
    if not rows:
        return []
    header = [h.strip().casefold() for h in rows[0]]
    if "kode_satker" not in header:
        raise KonsolidasiError(f"Katalog {p}, baris 1: kolom 'kode_satker' tidak ada. Baris "
                               "pertama harus berisi judul kolom: kode_satker,nama.")
    ik = header.index("kode_satker")
    inama = header.index("nama") if "nama" in header else None
    out = []
    for n, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        kode = row[ik].strip() if ik < len(row) else ""
        if not kode:
            raise KonsolidasiError(f"Katalog {p}, baris {n}: kode_satker kosong. Isi kode "
                                   "satker unit itu atau hapus barisnya.")
        nama = row[inama].strip() if inama is not None and inama < len(row) else ""
        out.append((f"baris {n}", UnitKatalog(kode, nama)))
    return out


def _katalog_yaml(text: str, p: Path) -> list[tuple[str, UnitKatalog]]:
    from ..yaml_text import load_text

    try:
        data = load_text(text)  # every scalar as typed: kode satker 012345 stays "012345"
    except (yaml.YAMLError, RecursionError, MemoryError) as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", baris {mark.line + 1}" if mark else ""
        raise KonsolidasiError(f"Katalog {p}{where}: penulisan YAML salah. Lihat format di "
                               "docs/konsolidasi.md.") from None
    if isinstance(data, dict) and "unit" in data:
        data = data["unit"]
    if not isinstance(data, list):
        raise KonsolidasiError(f"Katalog {p}: isinya harus daftar unit, misalnya\n"
                               "  unit:\n    - {kode_satker: \"426482\", nama: BP3MI Banten}")
    out = []
    for i, item in enumerate(data, start=1):
        kode = kode_text(item.get("kode_satker")) if isinstance(item, dict) else ""
        if not kode:
            raise KonsolidasiError(f"Katalog {p}, unit ke-{i}: kode_satker tidak ada. Tulis "
                                   "setiap unit sebagai {kode_satker: \"...\", nama: ...}.")
        out.append((f"unit ke-{i}", UnitKatalog(kode, str(item.get("nama") or ""))))
    return out

