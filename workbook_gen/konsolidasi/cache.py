"""The cache of incremental runs: each file's result keyed by the sha256 of its bytes, so
an unchanged file is not read again and a changed file is. Kept in the history store's
``cache_berkas`` table (``--simpan DB``), or in a file of the same format beside the
rekap or at ``--cache``.

* **Content is the key.** A result is stored under the sha256 of the file's bytes; a
  renamed or copied file with the same bytes is a cache hit under its new name.
* **Stat first.** ``cache_stat`` remembers, per absolute path, the file's stat (size,
  mtime_ns, ctime_ns, inode, device) with the sha256 its bytes had; a file whose stat is
  unchanged is not hashed again. Any change of stat (a rewrite with the same size and a
  mtime set back still changes ctime) means hash again, and the hash decides. A stat
  whose ctime is within :data:`RACY_NS` of the moment it was taken is not remembered
  (timestamps are coarse: a second write in the same tick would look unchanged).
* **One encoding, one decoder.** A worker returns its result already encoded
  (:func:`encode`: positional JSON arrays, zlib; never pickle); the parent decodes fresh
  and cached results through the same :func:`decode`. A damaged entry is read again.
  Entries are tied to the workbook-gen version and the records' layout, so an upgrade
  recomputes everything.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import stat
import sys
import zlib
from dataclasses import fields
from typing import Any

from .. import TEMPLATE_VERSION, __version__
from ..findings import Finding
from .records import HasilBerkas, IkuRingkas, PosRingkas, SasaranRingkas, UnitRingkas
from .store import connect

FORMAT = 2


def _layout() -> str:
    """The records' field names: a new field changes the positional encoding's meaning."""
    names = "|".join(",".join(f.name for f in fields(c)) for c in (
        HasilBerkas, UnitRingkas, IkuRingkas, SasaranRingkas, PosRingkas, Finding))
    return hashlib.sha256(names.encode()).hexdigest()[:8]


VERSI = f"{__version__}/{TEMPLATE_VERSION}/{FORMAT}/{_layout()}"
#: A stat whose ctime is this close to the moment it was taken is not remembered.
RACY_NS = 3_000_000_000

_intern = sys.intern


# --------------------------------------------------------------------------- encoding


def _finding_row(f: Finding, berkas: str) -> list[Any]:
    # the file's own name is not stored: a hit under another name takes the new one
    return [f.tingkat, f.jenis, None if f.lokasi == berkas else f.lokasi, f.pesan, f.saran]


def _pos_row(p: PosRingkas) -> list[Any]:
    return [p.kode, p.nama, p.pagu, p.realisasi, p.serapan, p.sisa]


def encode(r: HasilBerkas) -> bytes:
    """One file's result as compressed positional JSON (the unit's budget lines as a JSON
    text of their own, decoded only when the history store needs them)."""
    u = r.unit
    unit: list[Any] | None = None
    if u is not None:
        unit = [u.kode_satker, u.nama, u.provinsi, u.tahun, u.periode, u.capaian,
                u.capaian_revisi, u.kategori, u.warna, u.terisi, _pos_row(u.total),
                [[s.kode, s.nama, s.capaian, s.capaian_revisi, s.kategori, s.pagu, s.realisasi,
                  s.serapan] for s in u.sasaran],
                [[h.kode, h.nama, h.satuan, h.capaian, h.capaian_revisi, h.kategori, h.warna,
                  h.target, h.realisasi] for h in u.iku],
                [_pos_row(j) for j in u.jenis_belanja],
                json.dumps([_pos_row(b) for b in u.baris], ensure_ascii=False,
                           separators=(",", ":"))]
    doc = [FORMAT, r.kode_satker, r.nama_unit, r.versi_template, r.tahun, r.periode,
           [_finding_row(f, r.berkas) for f in r.masalah],
           [_finding_row(f, r.berkas) for f in r.temuan], unit]
    return zlib.compress(json.dumps(doc, ensure_ascii=False, separators=(",", ":"),
                                    default=_json_default).encode("utf-8"), 1)


def _json_default(v: Any) -> Any:
    """A value of another type (a Decimal, a NumPy number) as the float or text it is."""
    try:
        return float(v)
    except (TypeError, ValueError):
        return str(v)


def _text(v: Any) -> Any:
    return _intern(v) if type(v) is str else v


def _findings(rows: list[list[Any]], berkas: str) -> list[Finding]:
    return [Finding(_intern(t), _intern(j), berkas if lok is None else lok, p, _intern(s))
            for t, j, lok, p, s in rows]


def _pos(row: list[Any]) -> PosRingkas:
    kode, nama, pagu, real, serapan, sisa = row
    return PosRingkas(_intern(kode), _intern(nama), pagu, real, serapan, sisa)


def decode(blob: bytes, berkas: str, keep_baris: bool = True) -> HasilBerkas:
    """A result encoded by :func:`encode`, as the file ``berkas``. Repeated texts (IKU and
    sasaran names, categories, colours) are shared; without ``keep_baris`` the budget lines
    and IKU target/realisasi (only the history store needs them) are left out. Raises
    ValueError/TypeError/KeyError/IndexError/zlib.error for a damaged entry."""
    doc = json.loads(zlib.decompress(blob))
    if type(doc) is not list or len(doc) != 9 or doc[0] != FORMAT:
        raise ValueError("bukan entri cache format ini")
    _, kode, nama, versi, tahun, periode, masalah, temuan, u = doc
    unit = None
    if u is not None:
        if kode == u[0]:
            kode = u[0]  # one text, not two equal ones
        (ukode, unama, provinsi, utahun, uperiode, capaian, revisi, kategori, warna, terisi,
         total, sasaran, iku, jenis, baris) = u
        unit = UnitRingkas(
            ukode, unama, _text(provinsi), utahun, _intern(uperiode), capaian, revisi,
            _text(kategori), _text(warna), _pos(total),
            [SasaranRingkas(_intern(k), _intern(n), c, cr, _text(kt), pg, rl, sp)
             for k, n, c, cr, kt, pg, rl, sp in sasaran],
            [IkuRingkas(_intern(k), _intern(n), _intern(st), c, cr, _text(kt), _text(w), t, r)
             for k, n, st, c, cr, kt, w, t, r in iku] if keep_baris else
            [IkuRingkas(_intern(k), _intern(n), _intern(st), c, cr, _text(kt), _text(w))
             for k, n, st, c, cr, kt, w, _t, _r in iku],
            [_pos(j) for j in jenis], bool(terisi),
            [_pos(b) for b in json.loads(baris)] if keep_baris else [])
    return HasilBerkas(berkas, kode, nama, versi, tahun, _text(periode),
                       _findings(masalah, berkas), _findings(temuan, berkas), unit)


DAMAGED = (ValueError, TypeError, KeyError, IndexError, zlib.error, RecursionError)


# --------------------------------------------------------------------------- stat


def tanda_stat(path: str) -> tuple[str, str] | None:
    """(absolute path, stat text) of a regular file; None when it cannot be stat-ed or is
    not a regular file (the reader then reports it)."""
    key = os.path.abspath(path)
    try:
        st = os.stat(key)
    except (OSError, ValueError):
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    return key, (f"{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}:"
                 f"{st.st_dev}")


def racy(tanda: str, now_ns: int) -> bool:
    """The file changed so recently that a second change could keep the same stat."""
    ctime = int(tanda.split(":")[2])
    return ctime > now_ns - RACY_NS


# --------------------------------------------------------------------------- store


class BerkasCache:
    """Results by content hash, and stats by path, in an SQLite file (the history store or
    a cache file)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = path
        self._con = connect(path)
        self._pending = 0
        try:  # entries of another version are never read again
            if self._con.execute("SELECT 1 FROM cache_berkas WHERE versi != ? LIMIT 1",
                                 (VERSI,)).fetchone():
                with self._con:
                    self._con.execute("DELETE FROM cache_berkas WHERE versi != ?", (VERSI,))
        except sqlite3.DatabaseError:
            pass

    def empty(self) -> bool:
        """Nothing stored for this version (a first run need not hash files twice)."""
        return self._con.execute("SELECT 1 FROM cache_berkas WHERE versi = ? LIMIT 1",
                                 (VERSI,)).fetchone() is None

    def stats(self) -> dict[str, tuple[str, str]]:
        """Absolute path -> (stat text, sha256) as remembered."""
        try:
            return {p: (t, s) for p, t, s in self._con.execute(
                "SELECT berkas, tanda, sidik FROM cache_stat")}
        except sqlite3.DatabaseError:
            return {}

    def blob(self, sidik: str) -> bytes | None:
        row = self._con.execute("SELECT hasil FROM cache_berkas WHERE sidik = ? AND versi = ?",
                                (sidik, VERSI)).fetchone()
        return None if row is None or not isinstance(row[0], bytes) else row[0]

    def get(self, sidik: str, berkas: str, keep_baris: bool = True) -> HasilBerkas | None:
        """The result stored for ``sidik``, as the file ``berkas``; None when there is none
        or it is damaged (the file is then read again)."""
        blob = self.blob(sidik)
        if blob is None:
            return None
        try:
            r = decode(blob, berkas, keep_baris)
        except DAMAGED:
            return None
        r.sidik = sidik
        return r

    def put(self, sidik: str, blob: bytes) -> None:
        """Store a result encoded with :func:`encode` under its file's sha256."""
        self._write("INSERT OR REPLACE INTO cache_berkas VALUES (?, ?, ?)",
                    (sidik, VERSI, blob))

    def put_stat(self, path: str, tanda: str, sidik: str) -> None:
        """Remember that the file at ``path`` (absolute) with this stat had these bytes."""
        self._write("INSERT OR REPLACE INTO cache_stat VALUES (?, ?, ?)", (path, tanda, sidik))

    def _write(self, sql: str, args: tuple[Any, ...]) -> None:
        try:
            self._con.execute(sql, args)
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
