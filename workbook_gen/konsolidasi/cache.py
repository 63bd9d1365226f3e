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
import math
import os
import sqlite3
import stat
import struct
import sys
import zlib
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import fields
from typing import Any

from .. import TEMPLATE_VERSION, __version__
from ..findings import Finding
from .kolom import IkuKolom, IkuStruktur, Kolom, sama
from .records import (
    HasilBerkas,
    IkuRingkas,
    PosRingkas,
    SasaranRingkas,
    UnitRingkas,
)
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


def _dumps(v: Any) -> str:
    return json.dumps(v, ensure_ascii=False, separators=(",", ":"), default=_json_default)


def _json_default(v: Any) -> Any:
    """A value of another type (a Decimal, a NumPy number) as the float or text it is."""
    try:
        return float(v)
    except (TypeError, ValueError):
        return str(v)


def _doubles(columns: list[list[Any]]) -> bytes | None:
    """The numbers of these columns as little-endian doubles (None as NaN), or None when
    one of them is not a float or is a NaN of its own (then they stay in the JSON)."""
    flat = [v for col in columns for v in col]
    if not set(map(type, flat)) <= {float, type(None)} or any(
            v != v for v in flat if v is not None):
        return None
    a = array("d", [math.nan if v is None else v for v in flat])
    if sys.byteorder == "big":
        a.byteswap()
    return a.tobytes()


def encode(r: HasilBerkas) -> bytes:
    """One file's result as positional JSON in four zlib parts: the figures; the texts
    that units of one katalog share (sasaran, IKU and jenis belanja names), decoded once
    per structure; the budget lines and IKU target/realisasi, decoded only when the history
    store needs them; the unit's numbers as doubles (when all are floats), so decoding
    parses no number text. A 16-byte header gives the parts' lengths."""
    u = r.unit
    unit: list[Any] | None = None
    struktur = rinci = angka = b""
    if u is not None:
        iku = list(u.iku)
        struktur = _dumps([[u.total.kode, u.total.nama],
                           [[s.kode, s.nama] for s in u.sasaran],
                           [[h.kode, h.nama, h.satuan] for h in iku],
                           [[j.kode, j.nama] for j in u.jenis_belanja]]).encode("utf-8")
        rinci = _dumps([[h.target for h in iku], [h.realisasi for h in iku],
                        [[b.kode, b.nama, b.pagu, b.realisasi, b.serapan, b.sisa]
                         for b in u.baris]]).encode("utf-8")
        columns = [[u.total.pagu, u.total.realisasi, u.total.serapan, u.total.sisa],
                   [x for s in u.sasaran for x in (s.capaian, s.capaian_revisi, s.pagu,
                                                    s.realisasi, s.serapan)],
                   [h.capaian for h in iku], [h.capaian_revisi for h in iku],
                   [x for j in u.jenis_belanja for x in (j.pagu, j.realisasi, j.serapan,
                                                         j.sisa)]]
        angka = _doubles(columns) or b""
        if angka:
            columns = [[]] * 5  # type: ignore[list-item]
        texts = [[s.kategori for s in u.sasaran], [h.kategori for h in iku],
                 [h.warna for h in iku]]
        labels = list(dict.fromkeys(v for col in texts for v in col if v is not None))
        where = {v: i for i, v in enumerate(labels)}
        unit = [u.kode_satker, u.nama, u.provinsi, u.tahun, u.periode, u.capaian,
                u.capaian_revisi, u.kategori, u.warna, u.terisi, *columns, labels,
                *([-1 if v is None else where[v] for v in col] for col in texts)]
    doc = [FORMAT, r.kode_satker, r.nama_unit, r.versi_template, r.tahun, r.periode,
           [_finding_row(f, r.berkas) for f in r.masalah],
           [_finding_row(f, r.berkas) for f in r.temuan], unit]
    parts = [zlib.compress(part, 1) if part else b"" for part in (
        _dumps(doc).encode("utf-8"), struktur, rinci, angka)]
    return _HEADER.pack(*map(len, parts)) + b"".join(parts)


_HEADER = struct.Struct("<IIII")


def _text(v: Any) -> Any:
    return _intern(v) if type(v) is str else v


def _findings(rows: list[list[Any]], berkas: str) -> list[Finding]:
    return [Finding(_intern(t), _intern(j), berkas if lok is None else lok, p, _intern(s))
            for t, j, lok, p, s in rows]


#: a unit's budget line names, shared by units that have the same lines
_NAMA_BARIS: dict[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]] = {}
#: compressed structure -> its parsed, shared texts (units of one katalog share one entry)
_STRUKTUR: dict[bytes, tuple[Any, ...]] = {}


def _struktur(packed: bytes) -> tuple[Any, ...]:
    got = _STRUKTUR.get(packed)
    if got is None:
        (tkode, tnama), sasaran, iku, jenis = json.loads(zlib.decompress(packed))
        got = (_intern(tkode), _intern(tnama),
               tuple((_intern(k), _intern(n)) for k, n in sasaran),
               IkuStruktur((_intern(k), _intern(n), _intern(st)) for k, n, st in iku),
               tuple((_intern(k), _intern(n)) for k, n in jenis))
        if len(_STRUKTUR) >= 4096:
            _STRUKTUR.clear()
        _STRUKTUR[packed] = got
    return got


def decode(blob: bytes, berkas: str, keep_baris: bool = True) -> HasilBerkas:
    """A result encoded by :func:`encode`, as the file ``berkas``. Repeated texts (IKU and
    sasaran names, categories, colours) are shared and a unit's IKUs are stored by column
    (:class:`IkuKolom`); without ``keep_baris`` the budget lines and IKU target/realisasi
    (only the history store needs them) are left out. Raises one of :data:`DAMAGED` for a
    damaged entry."""
    n_doc, n_struktur, n_rinci, n_angka = _HEADER.unpack_from(blob)
    start = _HEADER.size
    if start + n_doc + n_struktur + n_rinci + n_angka != len(blob):
        raise ValueError("panjang entri cache tidak cocok")
    raw = zlib.decompress(blob[start:start + n_doc])
    cek_nan = b"NaN" in raw  # else no number can be NaN: columns need not look
    doc = json.loads(raw.decode("utf-8"))
    if type(doc) is not list or len(doc) != 9 or doc[0] != FORMAT:
        raise ValueError("bukan entri cache format ini")
    _, kode, nama, versi, tahun, periode, masalah, temuan, u = doc
    unit = None
    if u is not None:
        (ukode, unama, provinsi, utahun, uperiode, capaian, revisi, kategori, warna, terisi,
         total, sasaran, iku_c, iku_cr, jenis, labels, sasaran_kt, iku_kt, iku_w) = u
        # categories and colours: indexes into the unit's few labels (-1: none)
        lab = [_text(v) for v in labels] + [None]
        if min((*sasaran_kt, *iku_kt, *iku_w), default=0) < -1:
            raise ValueError("indeks label tidak sah")
        start += n_doc
        tkode, tnama, s_names, i_names, j_names = _struktur(blob[start:start + n_struktur])
        rinci_at = start + n_struktur
        if n_angka:  # the numbers as doubles: columns cut from one array, no text parsed
            a = array("d")
            a.frombytes(zlib.decompress(blob[rinci_at + n_rinci:]))
            if sys.byteorder == "big":
                a.byteswap()
            ns, ni, nj = len(s_names), len(i_names), len(j_names)
            if len(a) != 4 + 5 * ns + 2 * ni + 4 * nj:
                raise ValueError("panjang angka tidak cocok")
            total = [None if v != v else v for v in a[:4]]
            at = 4 + 5 * ns
            sasaran, iku_c, iku_cr = a[4:at], a[at:at + ni], a[at + ni:at + 2 * ni]
            jenis = a[at + 2 * ni:]
            cek_nan = False
        if kode == ukode:
            kode = ukode  # one text, not two equal ones
        if len(sasaran) != 5 * len(s_names) or len(sasaran_kt) != len(s_names) \
                or len(jenis) != 4 * len(j_names) \
                or not len(iku_c) == len(iku_cr) == len(iku_kt) == len(iku_w) == len(i_names):
            raise ValueError("panjang kolom tidak cocok")
        target = realisasi = None
        baris: Sequence[PosRingkas] = []
        if keep_baris:  # budget lines by column too, their names shared like the structure
            t, rl, rows = json.loads(zlib.decompress(blob[rinci_at:rinci_at + n_rinci]))
            target, realisasi = tuple(map(_text, t)), tuple(map(_text, rl))
            if len(target) != len(i_names) or len(realisasi) != len(i_names) \
                    or any(len(row) != 6 for row in rows):
                raise ValueError("panjang baris anggaran tidak cocok")
            names = tuple((_intern(k), _intern(n)) for k, n, *_ in rows)
            names = _NAMA_BARIS.setdefault(names, names)
            if len(_NAMA_BARIS) >= 4096:
                _NAMA_BARIS.clear()
            baris = Kolom(False, names, [v for row in rows for v in row[2:6]])
        unit = UnitRingkas(
            ukode, unama, _text(provinsi), utahun, _intern(uperiode), capaian,
            capaian if sama(revisi, capaian) else revisi, _text(kategori), _text(warna),
            PosRingkas(tkode, tnama, *total),
            Kolom(True, s_names, sasaran,
                  tuple([lab[i] for i in sasaran_kt]), cek_nan),
            IkuKolom(i_names, iku_c, iku_cr,
                     tuple([lab[i] for i in iku_kt]), tuple([lab[i] for i in iku_w]), target,
                     realisasi, cek_nan),
            Kolom(False, j_names, jenis, cek_nan=cek_nan),
            bool(terisi), baris)
    return HasilBerkas(berkas, kode, nama, versi, tahun, _text(periode),
                       _findings(masalah, berkas), _findings(temuan, berkas), unit)


DAMAGED = (ValueError, TypeError, KeyError, IndexError, zlib.error, RecursionError,
           struct.error)


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

    def _by_sidik(self, columns: str, sidik: Sequence[str]) -> Iterator[tuple[Any, ...]]:
        """Rows (``columns``) of this version's entries for these hashes, a few queries of
        at most 500 hashes each (not one per file)."""
        wanted = list(dict.fromkeys(sidik))
        for i in range(0, len(wanted), 500):
            chunk = wanted[i:i + 500]
            yield from self._con.execute(
                f"SELECT {columns} FROM cache_berkas WHERE versi = ? AND sidik IN "  # noqa: S608
                f"({','.join('?' * len(chunk))})", (VERSI, *chunk))

    def stored(self, sidik: Sequence[str]) -> set[str]:
        """Which of these hashes have an entry (the keys only: no entry is read)."""
        return {s for (s,) in self._by_sidik("sidik", sidik)}

    def blobs(self, sidik: Sequence[str]) -> dict[str, bytes]:
        """The entries stored for these hashes."""
        return {s: b for s, b in self._by_sidik("sidik, hasil", sidik) if isinstance(b, bytes)}

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
