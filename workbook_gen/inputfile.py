"""Opening a file a person named, safely: the one way every command reads its inputs.

A name given on the command line may be anything: a FIFO (reading it waits forever), a
device such as /dev/zero (never ends), a folder, a symlink loop, a file without read
permission, a 2 GB file, text in another encoding, or a zip whose parts inflate to
gigabytes or hide XML entity tricks. Every such case becomes :class:`InputFileError`
with an Indonesian message naming the file (and the part, line or byte) and saying
what to do; nothing here ever blocks or raises an OS or codec error at a person.

Public functions (also for the consolidation's scanner):

* :func:`check_input` - stat only: a regular file within the size limit, or an error.
* :func:`read_bytes` / :func:`read_text` - read such a file (text decoded as UTF-8).
* :func:`check_zip` - a workbook's zip: part count, sizes, ratio, CRC, no DTD/entities.
* :func:`describe_os_error` - an ``OSError`` in words for people.

Limits and why these numbers: docs/berkas.md.
"""

from __future__ import annotations

import errno
import io
import os
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .findings import WorkbookGenError

MB = 1024 * 1024

# A spec is typed text: one with 1,000 IKUs is 0.56 MB and takes 5 s to load and check
# here (PyYAML and the schema, about 10 s per MB), so 2 MB bounds the wait to about 20 s.
# Callers reading larger kinds of text (a national katalog) pass their own max_bytes.
MAX_TEXT_BYTES = 2 * MB
# A unit workbook as generated is 30-100 kB; with pasted pictures a few MB.
MAX_WORKBOOK_BYTES = 64 * MB
# Inside a workbook's zip. openpyxl holds every cell of a sheet in memory: a 12 MB sheet
# part (200,000 cells) took 125 MB and 10 s to load here, so an XML part is limited to
# 16 MB (a generated 1,000-IKU workbook's largest part is about 2.5 MB). Other parts
# (pictures, the VBA project) are only held, not parsed: they count towards the total.
MAX_ZIP_PARTS = 5000
MAX_PART_BYTES = 16 * MB
MAX_TOTAL_BYTES = 128 * MB
# Sheet XML compresses 5-30x; a zip bomb 1000x and more. Small parts are not judged
# by ratio (a 1 kB run of identical styles may well compress 200x).
MAX_RATIO = 200
RATIO_FROM_BYTES = 1 * MB

_CHUNK = 1 * MB
# Markers of a document type declaration or an entity: Excel never writes them.
_XML_TRAPS = (b"<!DOCTYPE", b"<!ENTITY")
_XML_TRAPS_UTF16 = tuple(t.decode("ascii").encode(enc) for t in _XML_TRAPS
                         for enc in ("utf-16-le", "utf-16-be"))
_TRAPS = _XML_TRAPS + _XML_TRAPS_UTF16
_TRAP_TAIL = max(len(t) for t in _TRAPS) - 1


class InputFileError(WorkbookGenError):
    """An input file that cannot be read safely; the message says why and what to do.

    ``sumber`` is the file as the person named it, ``lokasi`` the place inside it
    (a zip part, "baris 3"), or "".
    """

    def __init__(self, sumber: str, pesan: str, saran: str = "", lokasi: str = "",
                 jenis: str = "berkas_tidak_terbaca") -> None:
        pesan = pesan[:1].upper() + pesan[1:]
        where = f"{sumber}: {lokasi}" if lokasi else sumber
        super().__init__(f"{where}: {pesan}" + (f" {saran}" if saran else ""))
        self.jenis = jenis  # finding type: berkas_tidak_ada, berkas_tidak_terbaca
        self.sumber = sumber
        self.pesan = pesan
        self.saran = saran
        self.lokasi = lokasi


def _mb(n: int) -> str:
    return f"{n / MB:,.0f} MB".replace(",", ".")


def describe_os_error(exc: OSError) -> tuple[str, str]:
    """(what happened, what to do) for an OSError, in Indonesian."""
    code = exc.errno
    if code == errno.ENOENT:
        return "berkas tidak ditemukan.", "Periksa nama dan folder berkasnya."
    if code in (errno.EACCES, errno.EPERM):
        return ("berkas tidak boleh dibaca (hak akses ditolak).",
                "Minta hak baca atas berkas itu, atau salin berkasnya ke folder Anda.")
    if code == errno.ELOOP:
        return ("tautan (symlink) berputar: tautan ini menunjuk ke dirinya sendiri lewat "
                "tautan lain, jadi tidak ada berkas yang dituju.",
                "Tunjuk berkas aslinya, bukan tautannya.")
    if code == errno.EISDIR:
        return "ini folder, bukan berkas.", "Tulis nama berkas di dalam folder itu."
    if code == errno.ENOTDIR:
        return ("salah satu bagian jalurnya bukan folder.",
                "Periksa jalur berkasnya.")
    if code == errno.EEXIST:
        return "sudah ada dan bukan folder.", "Pilih nama folder lain."
    if code == errno.ENOSPC:
        return "disk penuh.", "Kosongkan ruang disk atau pilih folder lain."
    if code == errno.EROFS:
        return ("disk atau folder ini hanya bisa dibaca.", "Pilih folder lain.")
    if code == errno.ENAMETOOLONG:
        return "nama berkas atau jalurnya terlalu panjang.", "Pakai nama yang lebih pendek."
    return (f"berkas tidak bisa dibuka (kesalahan sistem nomor {code}).",
            "Periksa berkasnya, atau salin ke folder lain lalu ulangi.")


def _os_error(sumber: str, exc: OSError) -> InputFileError:
    pesan, saran = describe_os_error(exc)
    jenis = "berkas_tidak_ada" if exc.errno == errno.ENOENT else "berkas_tidak_terbaca"
    return InputFileError(sumber, pesan, saran, jenis=jenis)


def _kind(mode: int) -> str | None:
    """What a non-regular file is, in words; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "folder"
    if stat.S_ISFIFO(mode):
        return "pipa (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "perangkat (device)"
    if stat.S_ISSOCK(mode):
        return "soket"
    return "bukan berkas biasa"


def _refuse_kind(sumber: str, kind: str) -> InputFileError:
    if kind == "folder":
        return InputFileError(sumber, "ini folder, bukan berkas.",
                              "Tulis nama berkas di dalam folder itu.")
    return InputFileError(sumber, f"ini {kind}, bukan berkas biasa; isinya tidak dibaca.",
                          "Simpan isinya ke berkas biasa, lalu tunjuk berkas itu.")


def _refuse_size(sumber: str, size: int, max_bytes: int) -> InputFileError:
    return InputFileError(
        sumber, f"berkas terlalu besar ({_mb(size)}; batasnya {_mb(max_bytes)}).",
        "Periksa bahwa ini berkas yang dimaksud; berkas sebesar ini bukan spec atau workbook "
        "unit yang wajar.")


@dataclass(frozen=True)
class InputFile:
    """A checked input: the name as given, the real file, and its size in bytes."""

    sumber: str
    path: Path
    size: int


def check_input(path: str | Path, *, max_bytes: int) -> InputFile:
    """Refuse, before reading anything, what is not a readable regular file of at most
    ``max_bytes``: missing files, folders, FIFOs, devices, sockets, symlink loops."""
    sumber = str(path)
    try:
        st = os.stat(path)  # follows symlinks; a loop is ELOOP
    except OSError as exc:
        raise _os_error(sumber, exc) from None
    except ValueError:  # an embedded NUL in the name
        raise InputFileError(sumber, "nama berkas berisi karakter yang tidak sah.",
                             "Periksa nama berkasnya.") from None
    kind = _kind(st.st_mode)
    if kind:
        raise _refuse_kind(sumber, kind)
    if st.st_size > max_bytes:
        raise _refuse_size(sumber, st.st_size, max_bytes)
    return InputFile(sumber, Path(os.path.realpath(path)), st.st_size)


def read_bytes(path: str | Path, *, max_bytes: int) -> bytes:
    """The whole content of a regular file of at most ``max_bytes``.

    The file is opened without blocking and checked again through its descriptor, so a
    file swapped for a FIFO between the check and the open cannot make it wait.
    """
    checked = check_input(path, max_bytes=max_bytes)
    sumber = checked.sumber
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(
        os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise _os_error(sumber, exc) from None
    try:
        st = os.fstat(fd)
        kind = _kind(st.st_mode)
        if kind:
            raise _refuse_kind(sumber, kind)
        chunks = []
        total = 0
        while True:
            chunk = os.read(fd, min(_CHUNK, max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > max_bytes:
                raise _refuse_size(sumber, total, max_bytes)
        return b"".join(chunks)
    except OSError as exc:
        raise _os_error(sumber, exc) from None
    finally:
        os.close(fd)


def decode_text(data: bytes, sumber: str) -> str:
    """UTF-8 text (a leading byte-order mark allowed); anything else is refused with the
    line and column of the first byte that is not UTF-8."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputFileError(sumber, "berkas disimpan sebagai UTF-16, bukan UTF-8.",
                             "Simpan ulang sebagai teks UTF-8 (di Notepad: Save As, "
                             "Encoding: UTF-8).")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        pos = exc.start
        line = data.count(b"\n", 0, pos) + 1
        col = pos - (data.rfind(b"\n", 0, pos) + 1) + 1
        lokasi = f"baris {line}, kolom {col}"
        raise InputFileError(
            sumber, f"Byte 0x{data[pos]:02x} bukan teks UTF-8 (berkas disimpan "
            "dengan enkode lain, misalnya Windows-1252, atau bukan berkas teks).",
            "Simpan ulang sebagai teks UTF-8 (di Notepad: Save As, Encoding: UTF-8).",
            lokasi) from None


def read_text(path: str | Path, *, max_bytes: int = MAX_TEXT_BYTES) -> str:
    """A text file (spec, katalog) as a string; see :func:`read_bytes`, :func:`decode_text`."""
    data = read_bytes(path, max_bytes=max_bytes)
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputFileError(str(path), "ini bukan berkas teks (berisi byte nol).",
                             "Tunjuk berkas spec YAML (teks).")
    return decode_text(data, str(path))


# --------------------------------------------------------------------------- zip


def _bad_zip(sumber: str, pesan: str, lokasi: str = "") -> InputFileError:
    return InputFileError(sumber, pesan, "Simpan ulang dari Excel atau kirim ulang berkas "
                          "aslinya.", lokasi)


def check_zip(source: str | Path | bytes | BinaryIO, sumber: str) -> None:
    """Check a workbook's zip before any XML reader sees it: at most MAX_ZIP_PARTS parts,
    each XML part at most MAX_PART_BYTES and all together MAX_TOTAL_BYTES inflated, no part
    inflating more than MAX_RATIO times (from RATIO_FROM_BYTES on), every CRC right, and
    no XML part with a document type declaration or entity (what XML bombs and external
    entities need; Excel never writes one). Every part is inflated once, in chunks."""
    if isinstance(source, bytes):
        source = io.BytesIO(source)
    try:
        zf = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise _bad_zip(sumber, "berkas rusak atau bukan workbook Excel (isinya tidak terbaca "
                       "sebagai .xlsx).") from None
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_ZIP_PARTS:
            raise _bad_zip(sumber, f"workbook berisi {len(infos)} bagian (batasnya "
                           f"{MAX_ZIP_PARTS}); ini bukan workbook unit yang wajar.")
        total = 0
        for info in infos:
            name = info.filename
            if info.flag_bits & 0x1:
                raise _bad_zip(sumber, f"bagian '{name}' terenkripsi.", name)
            if info.file_size > MAX_PART_BYTES and _is_xml(info.filename):
                raise _bad_zip(sumber, f"bagian '{name}' berukuran {_mb(info.file_size)} "
                               f"setelah dibuka (batasnya {_mb(MAX_PART_BYTES)}).", name)
            if (info.file_size >= RATIO_FROM_BYTES
                    and info.file_size > MAX_RATIO * max(info.compress_size, 1)):
                ratio = info.file_size // max(info.compress_size, 1)
                raise _bad_zip(sumber, f"bagian '{name}' mengembang {ratio} kali saat dibuka "
                               f"(batasnya {MAX_RATIO} kali): berkas ini dibuat untuk "
                               "menghabiskan memori (zip bomb).", name)
            total += info.file_size
            if total > MAX_TOTAL_BYTES:
                raise _bad_zip(sumber, f"isi workbook melebihi {_mb(MAX_TOTAL_BYTES)} setelah "
                               "dibuka; ini bukan workbook unit yang wajar.", name)
            _scan_part(zf, info, sumber)


def _is_xml(name: str) -> bool:
    """A part an XML parser reads (sheets, strings, styles, relationships, drawings)."""
    return name.lower().endswith((".xml", ".rels", ".vml"))


def _scan_part(zf: zipfile.ZipFile, info: zipfile.ZipInfo, sumber: str) -> None:
    """Inflate one part (at most its declared size; zipfile stops there and checks the
    CRC) and look for DTD/entity markers in XML parts."""
    name = info.filename
    is_xml = _is_xml(name)
    tail = b""
    read = 0
    try:
        with zf.open(info) as fh:
            while True:
                chunk = fh.read(_CHUNK)
                if not chunk:
                    break
                read += len(chunk)
                if read > info.file_size:  # cannot happen with zipfile; belt and braces
                    raise _bad_zip(sumber, f"bagian '{name}' lebih besar dari yang tercatat.",
                                   name)
                if is_xml:
                    window = tail + chunk
                    for trap in _TRAPS:
                        if trap in window:
                            raise InputFileError(
                                sumber, f"bagian '{name}' berisi deklarasi DTD/entitas XML. "
                                "Excel tidak pernah menulisnya; berkas ini dibuat atau diubah "
                                "dengan alat lain dan tidak dibaca demi keamanan.",
                                "Simpan ulang workbook dari Excel, atau minta berkas aslinya.",
                                name)
                    tail = window[-_TRAP_TAIL:]
    except zipfile.BadZipFile as exc:
        why = "CRC tidak cocok" if "CRC" in str(exc) else "data terpotong atau rusak"
        raise _bad_zip(sumber, f"bagian '{name}' rusak ({why}).", name) from None
    except (OSError, EOFError, ValueError, NotImplementedError, RuntimeError, zlib.error):
        # NotImplementedError: an unknown compression method; RuntimeError: encrypted
        raise _bad_zip(sumber, f"bagian '{name}' tidak bisa dibuka (data rusak atau "
                       "metode kompresi yang tidak dikenal).", name) from None
