"""The history store: every konsolidasi run saved into one SQLite file (``--simpan DB``).

One row per unit x tahun x periode (``unit``), per unit x IKU x tahun x periode (``iku``)
and per unit x budget line x tahun x periode (``anggaran``); a log of runs
(``konsolidasi``) and the file cache of incremental runs (``cache_berkas`` and
``cache_stat``, see :mod:`.cache`). Saving a tahun x periode again replaces what was saved
for it. The schema version is kept in ``skema``; :data:`MIGRASI` upgrades older files in
place. The schema and the queries are documented in docs/konsolidasi.md.
"""

from __future__ import annotations

import datetime as _dt
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..layout import PERIODE_PILIHAN
from .records import KonsolidasiError, Rekap

#: Each step takes the schema from version i to i + 1.
MIGRASI: list[str] = [
    # 1: the history
    """
    CREATE TABLE unit (
        tahun INTEGER NOT NULL, periode TEXT NOT NULL, kode_satker TEXT NOT NULL,
        nama TEXT, provinsi TEXT, status TEXT NOT NULL, dihitung INTEGER NOT NULL,
        peringkat INTEGER, capaian REAL, capaian_revisi REAL, kategori TEXT,
        pagu REAL, realisasi REAL, serapan REAL, berkas TEXT,
        PRIMARY KEY (tahun, periode, kode_satker));
    CREATE TABLE iku (
        tahun INTEGER NOT NULL, periode TEXT NOT NULL, kode_satker TEXT NOT NULL,
        kode_iku TEXT NOT NULL, nama_iku TEXT, satuan TEXT,
        target REAL, target_label TEXT, realisasi REAL, realisasi_label TEXT,
        capaian REAL, capaian_revisi REAL, kategori TEXT,
        PRIMARY KEY (tahun, periode, kode_satker, kode_iku));
    CREATE TABLE anggaran (
        tahun INTEGER NOT NULL, periode TEXT NOT NULL, kode_satker TEXT NOT NULL,
        kode_baris TEXT NOT NULL, uraian TEXT, pagu REAL, realisasi REAL, serapan REAL,
        sisa REAL,
        PRIMARY KEY (tahun, periode, kode_satker, kode_baris));
    CREATE TABLE konsolidasi (
        id INTEGER PRIMARY KEY, waktu TEXT NOT NULL, tahun INTEGER NOT NULL,
        periode TEXT NOT NULL, berkas INTEGER, unit INTEGER, unit_dihitung INTEGER,
        capaian_rata_rata REAL, capaian_median REAL);
    CREATE INDEX iku_unit ON iku (kode_satker, tahun);
    """,
    # 2: the cache of incremental runs
    """
    CREATE TABLE cache_berkas (
        sidik TEXT NOT NULL, versi TEXT NOT NULL, hasil BLOB NOT NULL,
        PRIMARY KEY (sidik, versi));
    """,
    # 3: each file's stat with the sha256 of its bytes (an unchanged file is not hashed)
    """
    CREATE TABLE cache_stat (
        berkas TEXT PRIMARY KEY, tanda TEXT NOT NULL, sidik TEXT NOT NULL);
    """,
]
VERSI_SKEMA = len(MIGRASI)


def urutan_periode(periode: str) -> int:
    """TW I..TW IV, then Tahunan (for sorting)."""
    return PERIODE_PILIHAN.index(periode) if periode in PERIODE_PILIHAN else 99


def _rusak(path: Path, why: str) -> KonsolidasiError:
    return KonsolidasiError(f"Basis data riwayat {path} tidak bisa dipakai: {why}. Sebutkan "
                            "berkas .sqlite yang dibuat oleh workbook-gen, atau nama berkas "
                            "baru.")


def connect(path: str | os.PathLike[str], *, create: bool = True,
            upto: int = VERSI_SKEMA) -> sqlite3.Connection:
    """Open (and create or upgrade) the store. ``upto`` is for tests of the migration."""
    p = Path(path)
    if p.exists() and not p.is_file():
        raise _rusak(p, "ini bukan berkas biasa")
    if not p.exists():
        if not create:
            raise KonsolidasiError(f"Basis data riwayat {p} tidak ditemukan. Simpan rekap dulu "
                                   "dengan 'workbook-gen konsolidasi ... --simpan "
                                   f"{p.name}'.")
        if not p.parent.is_dir():
            raise KonsolidasiError(f"Folder {p.parent} tidak ada. Buat foldernya dulu atau "
                                   "pilih folder lain.")
    try:
        con = sqlite3.connect(p, timeout=30)
        con.execute("PRAGMA foreign_keys = ON")
        con.execute("CREATE TABLE IF NOT EXISTS skema (versi INTEGER NOT NULL)")
        row = con.execute("SELECT MAX(versi) FROM skema").fetchone()
    except sqlite3.DatabaseError:
        raise _rusak(p, "berkasnya bukan basis data SQLite atau rusak") from None
    versi = row[0] or 0
    if versi > VERSI_SKEMA:
        con.close()
        raise _rusak(p, f"dibuat oleh workbook-gen yang lebih baru (skema {versi}, yang "
                        f"dikenal sampai {VERSI_SKEMA}); perbarui workbook-gen")
    try:
        for n in range(versi, upto):
            with con:
                con.executescript("BEGIN;" + MIGRASI[n] + f"INSERT INTO skema VALUES ({n + 1});"
                                  "COMMIT;")
    except sqlite3.DatabaseError as exc:
        con.close()
        raise _rusak(p, f"pembaruan skema gagal ({exc})") from None
    return con


@contextmanager
def opened(path: str | os.PathLike[str], create: bool = True) -> Iterator[sqlite3.Connection]:
    con = connect(path, create=create)
    try:
        yield con
    finally:
        con.close()


def _num_label(v: Any) -> tuple[float | None, str | None]:
    if isinstance(v, bool) or v is None:
        return None, None
    if isinstance(v, (int, float)):
        return float(v), None
    return None, str(v)


def simpan(rekap: Rekap, path: str | os.PathLike[str]) -> list[tuple[int, str]]:
    """Save the shown units of ``rekap`` (replacing what was saved for each tahun x periode
    they belong to). Returns the (tahun, periode) pairs saved."""
    units = [u for u in rekap.unit]
    pairs = sorted({(u.tahun, u.periode) for u in units},
                   key=lambda tp: (tp[0], urutan_periode(tp[1])))
    if not pairs:
        return []
    waktu = _dt.datetime.now().isoformat(timespec="seconds")
    with opened(path) as con, con:
        for tahun, periode in pairs:
            for table in ("unit", "iku", "anggaran"):
                con.execute(f"DELETE FROM {table} WHERE tahun = ? AND periode = ?",  # noqa: S608
                            (tahun, periode))
            group = [u for u in units if (u.tahun, u.periode) == (tahun, periode)]
            counted = [u for u in group if u.dihitung]
            con.execute("INSERT INTO konsolidasi (waktu, tahun, periode, berkas, unit, "
                        "unit_dihitung, capaian_rata_rata, capaian_median) VALUES "
                        "(?, ?, ?, ?, ?, ?, ?, ?)",
                        (waktu, tahun, periode, rekap.jumlah_berkas, len(group), len(counted),
                         rekap.capaian.rata_rata, rekap.capaian.median))
        berkas = {b.unit.kode_satker: b.berkas for b in rekap.berkas if b.unit is not None}
        con.executemany(
            "INSERT INTO unit VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(u.tahun, u.periode, u.kode_satker, u.nama, u.provinsi, u.status, int(u.dihitung),
              u.peringkat, u.capaian, u.capaian_revisi, u.kategori, u.total.pagu,
              u.total.realisasi, u.total.serapan, berkas.get(u.kode_satker)) for u in units])
        con.executemany(
            "INSERT INTO iku VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(u.tahun, u.periode, u.kode_satker, h.kode, h.nama, h.satuan,
              *_num_label(h.target), *_num_label(h.realisasi), h.capaian, h.capaian_revisi,
              h.kategori) for u in units for h in u.iku])
        con.executemany(
            "INSERT OR REPLACE INTO anggaran VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(u.tahun, u.periode, u.kode_satker, b.kode, b.nama, b.pagu, b.realisasi,
              b.serapan, b.sisa) for u in units for b in u.baris])
    return pairs


# --------------------------------------------------------------------------- queries


@dataclass(frozen=True)
class RiwayatIku:
    """One IKU of one unit in one saved period."""

    tahun: int
    periode: str
    kode_iku: str
    nama_iku: str
    satuan: str
    target: float | str | None
    realisasi: float | str | None
    capaian: float | None
    kategori: str | None


def riwayat_unit(path: str | os.PathLike[str], kode_satker: str,
                 tahun: int) -> dict[str, list[RiwayatIku]]:
    """A unit's saved history for one year: IKU kode -> its periods in order (TW I..TW IV,
    Tahunan). Empty when nothing was saved for that unit and year. For generating next
    year's workbook (``buat ... --riwayat-dari``)."""
    with opened(path, create=False) as con:
        rows = con.execute(
            "SELECT tahun, periode, kode_iku, nama_iku, satuan, target, target_label, "
            "realisasi, realisasi_label, capaian, kategori FROM iku "
            "WHERE kode_satker = ? AND tahun = ?", (str(kode_satker), int(tahun))).fetchall()
    out: dict[str, list[RiwayatIku]] = {}
    for r in sorted(rows, key=lambda r: (r[2], urutan_periode(r[1]))):
        out.setdefault(r[2], []).append(RiwayatIku(
            r[0], r[1], r[2], r[3], r[4], r[5] if r[6] is None else r[6],
            r[7] if r[8] is None else r[8], r[9], r[10]))
    return out


def periode_tersimpan(con: sqlite3.Connection) -> list[tuple[int, str]]:
    rows = con.execute("SELECT DISTINCT tahun, periode FROM unit").fetchall()
    return sorted(((int(t), str(p)) for t, p in rows), key=lambda tp: (tp[0],
                                                                       urutan_periode(tp[1])))
