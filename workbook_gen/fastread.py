"""Fast, safe reading of unit workbooks for the consolidation.

Two jobs:

* :func:`check_file` looks at a file's bytes *before* any spreadsheet parser touches
  them: it exists and is not empty, it is a zip (an OLE2 file is a password-protected
  workbook or an old ``.xls``), its central directory is readable (a truncated file is
  not), the uncompressed size it declares and its compression ratio are bounded (zip
  bombs), only stored/deflated members, and the parts every workbook has are present.
  It returns the bytes, so a file is read from disk once.
* :class:`CalamineSource` is a :class:`~workbook_gen.reader.BlockSource` over those
  bytes with python-calamine: each sheet the reader asks for is parsed once and blocks
  are served from memory, values normalised (empty cells ``None``, dates as ISO text).

Inputs are only read: never written, never opened with Excel, never executed (calamine
reads cell values; VBA in an ``.xlsm`` is ignored).
"""

from __future__ import annotations

import datetime as _dt
import io
import os
import zipfile
import zlib
from pathlib import Path
from typing import Any

import python_calamine as calamine

from .findings import WorkbookGenError

ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")
OLE_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
REQUIRED_PARTS = ("[Content_Types].xml", "xl/workbook.xml")

#: Total uncompressed size a workbook may unpack to (unit workbooks need a few MB).
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
#: Largest file accepted at all (before unpacking).
MAX_FILE_BYTES = 50 * 1024 * 1024
#: Highest compression ratio for a member larger than RATIO_MIN_SIZE.
MAX_RATIO = 500
RATIO_MIN_SIZE = 1024 * 1024
#: Deflate cannot expand more than about 1032:1, whatever the headers say.
DEFLATE_MAX_RATIO = 1032
ALLOWED_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
#: A unit workbook has a few dozen parts; thousands mean something else.
MAX_MEMBERS = 2000


class FileProblem(WorkbookGenError):
    """A file that cannot be read safely. ``jenis`` is a short code, the message Indonesian."""

    def __init__(self, jenis: str, pesan: str, saran: str = "") -> None:
        super().__init__(pesan)
        self.jenis = jenis
        self.pesan = pesan
        self.saran = saran


_KIRIM_ULANG = "Minta unit mengirim ulang workbook aslinya (simpan dari Excel sebagai .xlsm/.xlsx)."


def _ole_kind(data: bytes) -> str:
    """'terenkripsi' for a password-protected OOXML file, else 'xls' (old binary format)."""
    try:
        import olefile

        with olefile.OleFileIO(data) as ole:
            if ole.exists("EncryptionInfo") or ole.exists("EncryptedPackage"):
                return "terenkripsi"
    except Exception:  # noqa: BLE001 - any failure: fall back on the generic message
        return "ole"
    return "xls"


def _mib(n: float) -> str:
    return f"{n / 1024 / 1024:,.0f} MB".replace(",", ".")


def check_file(path: str | os.PathLike[str], max_unpacked_bytes: int = MAX_UNPACKED_BYTES,
               max_file_bytes: int = MAX_FILE_BYTES) -> bytes:
    """Check a file is a workbook that is safe to parse; return its bytes.

    Raises :class:`FileProblem` naming what is wrong: missing, empty, too large, not an
    Excel file, password-protected or old ``.xls``, truncated or corrupt, a zip bomb.
    """
    p = Path(path)
    try:
        st = p.stat()
    except FileNotFoundError:
        raise FileProblem("tidak_ada", "Berkas tidak ditemukan.",
                          "Periksa nama dan folder berkasnya.") from None
    except OSError as exc:
        raise FileProblem("tidak_terbaca", f"Berkas tidak bisa dibuka ({exc.strerror}).",
                          "Periksa izin baca berkas itu.") from None
    if not p.is_file():
        raise FileProblem("bukan_berkas", "Ini bukan berkas biasa.", "Sebutkan berkas .xlsm/.xlsx.")
    if st.st_size == 0:
        raise FileProblem("kosong", "Berkas kosong (0 byte).", _KIRIM_ULANG)
    if st.st_size > max_file_bytes:
        raise FileProblem(
            "terlalu_besar", f"Berkas terlalu besar ({_mib(st.st_size)}; batas "
            f"{_mib(max_file_bytes)}) untuk sebuah workbook unit.", _KIRIM_ULANG)
    try:
        with open(p, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        raise FileProblem("tidak_terbaca", f"Berkas tidak bisa dibaca ({exc.strerror}).",
                          "Periksa izin baca berkas itu.") from None
    check_bytes(data, max_unpacked_bytes)
    return data


def check_bytes(data: bytes, max_unpacked_bytes: int = MAX_UNPACKED_BYTES) -> None:
    """The content checks of :func:`check_file` on bytes already read."""
    if not data:
        raise FileProblem("kosong", "Berkas kosong (0 byte).", _KIRIM_ULANG)
    if data.startswith(OLE_SIGNATURE):
        kind = _ole_kind(data)
        if kind == "terenkripsi":
            raise FileProblem(
                "terenkripsi", "Workbook dilindungi kata sandi (terenkripsi), jadi isinya "
                "tidak bisa dibaca.",
                "Buka di Excel, hapus kata sandi pembukaan berkas (File > Info > Lindungi "
                "Workbook > Enkripsi dengan Kata Sandi), simpan, lalu kirim ulang.")
        raise FileProblem(
            "format_lama", "Berkas berformat Excel lama (.xls) atau dilindungi kata sandi; "
            "hanya workbook .xlsm/.xlsx dari workbook-gen yang bisa direkap.",
            "Pakai workbook asli dari 'workbook-gen buat'; bila dilindungi kata sandi, hapus "
            "kata sandinya lalu kirim ulang.")
    if not data.startswith(ZIP_SIGNATURES):
        raise FileProblem("bukan_excel", "Ini bukan berkas Excel (.xlsm/.xlsx), walaupun "
                          "namanya berakhiran seperti itu.", _KIRIM_ULANG)
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise FileProblem("rusak", "Berkas rusak atau terpotong (daftar isi zip tidak "
                          "terbaca); mungkin pengirimannya belum selesai.", _KIRIM_ULANG) from None
    with zf:
        if len(infos) > MAX_MEMBERS:
            raise _bomb(f"berisi {len(infos):,} bagian".replace(",", "."))
        names = {i.filename for i in infos}
        missing = [part for part in REQUIRED_PARTS if part not in names]
        if missing:
            raise FileProblem("bukan_excel", "Berkas zip ini bukan workbook Excel (tidak ada "
                              f"{', '.join(missing)}).", _KIRIM_ULANG)
        total = 0
        for info in infos:
            if info.flag_bits & 0x1:
                raise FileProblem("terenkripsi", "Isi berkas zip dienkripsi.", _KIRIM_ULANG)
            if info.compress_type not in ALLOWED_METHODS:
                raise FileProblem("rusak", f"Bagian '{info.filename}' memakai kompresi yang "
                                  "tidak dipakai Excel.", _KIRIM_ULANG)
            if info.header_offset + info.compress_size > len(data):
                raise FileProblem("rusak", "Berkas terpotong (bagian "
                                  f"'{info.filename}' tidak lengkap).", _KIRIM_ULANG)
            total += info.file_size
            if (info.file_size > RATIO_MIN_SIZE
                    and info.file_size > MAX_RATIO * max(info.compress_size, 1)):
                raise _bomb(f"bagian '{info.filename}' mengembang "
                            f"{info.file_size // max(info.compress_size, 1):,}x".replace(",", "."))
        if total > max_unpacked_bytes:
            raise _bomb(f"isinya mengembang menjadi {_mib(total)} (batas "
                        f"{_mib(max_unpacked_bytes)})")
        # Headers can lie. Deflate expands at most ~1032x, so only a file that could
        # exceed the bound in the worst case has its members actually inflated (counted,
        # not kept) to prove their real size.
        if len(data) * DEFLATE_MAX_RATIO > max_unpacked_bytes:
            _verify_sizes(zf, infos, max_unpacked_bytes)


def _bomb(detail: str) -> FileProblem:
    return FileProblem("bom_zip", f"Berkas ditolak demi keamanan: {detail}; ini bukan "
                       "workbook unit yang wajar (bom zip).", _KIRIM_ULANG)


def _verify_sizes(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], limit: int) -> None:
    budget = limit
    for info in infos:
        if info.compress_type == zipfile.ZIP_STORED:
            budget -= info.compress_size
        else:
            raw = _raw_member(zf, info)
            d = zlib.decompressobj(-zlib.MAX_WBITS)
            chunk_in = 64 * 1024
            for i in range(0, len(raw), chunk_in):
                buf = raw[i:i + chunk_in]
                while buf:
                    out = d.decompress(buf, 1024 * 1024)
                    budget -= len(out)
                    if budget < 0:
                        raise _bomb(f"isinya mengembang lebih dari {_mib(limit)}")
                    buf = d.unconsumed_tail
        if budget < 0:
            raise _bomb(f"isinya mengembang lebih dari {_mib(limit)}")


def _raw_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """The compressed bytes of a member (after its local header)."""
    fp = zf.fp
    assert fp is not None
    fp.seek(info.header_offset)
    header = fp.read(30)
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise FileProblem("rusak", f"Bagian '{info.filename}' rusak.", _KIRIM_ULANG)
    name_len = int.from_bytes(header[26:28], "little")
    extra_len = int.from_bytes(header[28:30], "little")
    fp.seek(info.header_offset + 30 + name_len + extra_len)
    return fp.read(info.compress_size)


# --------------------------------------------------------------------------- source


_PLAIN = (str, float, bool)


def _value(v: Any) -> Any:
    """Calamine cell -> reader cell: '' is None, whole dates as ISO text."""
    if v == "" or v is None:
        return None
    if isinstance(v, _PLAIN):
        return v
    if isinstance(v, int):
        return float(v)
    if isinstance(v, _dt.datetime):
        return v.date().isoformat() if v.time() == _dt.time() else v.isoformat(sep=" ")
    if isinstance(v, (_dt.date, _dt.time)):
        return v.isoformat()
    return str(v)


class CalamineSource:
    """A :class:`~workbook_gen.reader.BlockSource` over a workbook's bytes (read-only).

    Each sheet is parsed once, on first use, and kept in memory for later blocks.
    """

    def __init__(self, data: bytes) -> None:
        try:
            self._wb = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        except calamine.PasswordError:
            raise FileProblem("terenkripsi", "Workbook dilindungi kata sandi.",
                              _KIRIM_ULANG) from None
        except Exception as exc:  # noqa: BLE001 - calamine raises several types
            raise FileProblem("rusak", f"Workbook rusak dan tidak bisa dibaca ({_short(exc)}).",
                              _KIRIM_ULANG) from None
        self._names = list(self._wb.sheet_names)
        self._sheets: dict[str, list[list[Any]]] = {}

    def sheet_names(self) -> list[str]:
        return list(self._names)

    def _rows(self, name: str) -> list[list[Any]]:
        rows = self._sheets.get(name)
        if rows is None:
            try:
                rows = self._wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
            except Exception as exc:  # noqa: BLE001
                raise FileProblem("rusak", f"Lembar '{name}' rusak dan tidak bisa dibaca "
                                  f"({_short(exc)}).", _KIRIM_ULANG) from None
            self._sheets[name] = rows
        return rows

    def read_block(self, sheet: str, first_row: int, first_col: int, last_row: int,
                   last_col: int) -> list[list[Any]]:
        rows = self._rows(sheet)
        width = last_col - first_col + 1
        c0 = first_col - 1
        out = []
        for r in range(first_row - 1, last_row):
            if r >= len(rows):
                out.append([None] * width)
                continue
            cells = rows[r][c0:last_col]
            # numbers (float) and text are by far the most common: convert the rest only
            cells = [None if v == "" else (v if type(v) is float or type(v) is str else
                                           _value(v)) for v in cells]
            if len(cells) < width:
                cells += [None] * (width - len(cells))
            out.append(cells)
        return out

    def close(self) -> None:
        self._sheets.clear()
        try:
            self._wb.close()
        except Exception:  # noqa: BLE001 - already closed
            pass


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:160]
