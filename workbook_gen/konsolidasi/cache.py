"""The cache of incremental runs: each file's result keyed by the sha256 of its bytes, so
an unchanged file is not read again and a changed file is. Kept in the history store's
``cache_berkas`` table (``--simpan DB``), or in a file of the same format beside the
rekap or at ``--cache``. Entries are compressed JSON (never pickle) and tied to the
workbook-gen version, so an upgrade recomputes everything."""

from __future__ import annotations

import json
import os
import sqlite3
import zlib
from dataclasses import asdict, replace
from typing import Any

from .. import TEMPLATE_VERSION, __version__
from ..findings import Finding
from .records import HasilBerkas, IkuRingkas, PosRingkas, SasaranRingkas, UnitRingkas
from .store import connect

FORMAT = 1
VERSI = f"{__version__}/{TEMPLATE_VERSION}/{FORMAT}"


def encode(r: HasilBerkas) -> bytes:
    return zlib.compress(json.dumps(asdict(r), ensure_ascii=False,
                                    separators=(",", ":")).encode("utf-8"), 1)


def decode(blob: bytes) -> HasilBerkas:
    d: dict[str, Any] = json.loads(zlib.decompress(blob).decode("utf-8"))
    u = d.get("unit")
    unit = None
    if u is not None:
        unit = UnitRingkas(**{
            **u, "total": PosRingkas(**u["total"]),
            "sasaran": [SasaranRingkas(**x) for x in u["sasaran"]],
            "iku": [IkuRingkas(**x) for x in u["iku"]],
            "jenis_belanja": [PosRingkas(**x) for x in u["jenis_belanja"]],
            "baris": [PosRingkas(**x) for x in u["baris"]]})
    return HasilBerkas(**{**d, "masalah": [Finding(**f) for f in d["masalah"]],
                          "temuan": [Finding(**f) for f in d["temuan"]], "unit": unit})


class BerkasCache:
    """Results by content hash, in an SQLite file (the history store or a cache file)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = path
        self._con = connect(path)
        self._pending = 0

    def empty(self) -> bool:
        """Nothing stored for this version (a first run need not hash files twice)."""
        return self._con.execute("SELECT 1 FROM cache_berkas WHERE versi = ? LIMIT 1",
                                 (VERSI,)).fetchone() is None

    def get(self, sidik: str, berkas: str) -> HasilBerkas | None:
        row = self._con.execute("SELECT hasil FROM cache_berkas WHERE sidik = ? AND versi = ?",
                                (sidik, VERSI)).fetchone()
        if row is None:
            return None
        try:
            r = decode(row[0])
        except (ValueError, TypeError, KeyError, zlib.error):
            return None  # a damaged entry is read again
        old = r.berkas
        r.berkas = berkas
        r.masalah = [replace(f, lokasi=berkas) if f.lokasi == old else f for f in r.masalah]
        r.temuan = [replace(f, lokasi=berkas) if f.lokasi == old else f for f in r.temuan]
        return r

    def put(self, sidik: str, blob: bytes) -> None:
        """Store a result encoded with :func:`encode` under its file's sha256."""
        try:
            self._con.execute("INSERT OR REPLACE INTO cache_berkas VALUES (?, ?, ?)",
                              (sidik, VERSI, blob))
        except sqlite3.DatabaseError:
            return  # a cache that cannot be written only costs time
        self._pending += 1
        if self._pending >= 500:
            self.commit()

    def commit(self) -> None:
        try:
            self._con.commit()
        except sqlite3.DatabaseError:
            pass
        self._pending = 0

    def close(self) -> None:
        self.commit()
        self._con.close()
