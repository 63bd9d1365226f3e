"""Check a unit workbook's bytes before any spreadsheet parser touches them.

* :func:`read_regular` opens only regular files (symlinks resolved with a loop check;
  folders, FIFOs and devices refused before opening) and returns the bytes and their
  sha256 (the cache key).
* :func:`check_file` looks at a file's bytes *before* any spreadsheet parser touches
  them: it exists and is not empty, it is a zip (an OLE2 file is a password-protected
  workbook or an old ``.xls``), its central directory is readable (a truncated file is
  not), the uncompressed size it declares and its compression ratio are bounded (zip
  bombs), only stored/deflated members, and the parts every workbook has are present.
  It returns the bytes, so a file is read from disk once.
  Every XML part is refused when it declares a DTD or entities (external entities,
  "billion laughs"); every part has a size bound, proven by inflating when the headers
  could lie.

Inputs are only read: never written, never opened with Excel, never executed (calamine
reads cell values; VBA in an ``.xlsm`` is ignored).
"""

from __future__ import annotations

import hashlib
import io
import os
import posixpath
import re
import stat
import struct
import zipfile
import zlib
from collections.abc import Collection
from pathlib import Path
from xml.parsers import expat

from ..findings import WorkbookGenError

try:  # the same inflate as zlib's (a fork of it), about twice as fast
    from zlib_ng import zlib_ng as _inflate
except ImportError:  # pragma: no cover - declared in pyproject; zlib does the same
    _inflate = zlib  # type: ignore[assignment]

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
#: Largest single part (a sheet's XML); a 20-IKU workbook's largest part is about 60 KB.
MAX_PART_BYTES = 64 * 1024 * 1024
#: How far into an XML part its prolog (where a DTD would be) may reach.
MAX_PROLOG_BYTES = 64 * 1024


class FileProblem(WorkbookGenError):
    """A file that cannot be read safely. ``jenis`` is a short code, the message Indonesian."""

    def __init__(self, jenis: str, pesan: str, saran: str = "", lokasi: str = "") -> None:
        super().__init__(pesan)
        self.jenis = jenis
        self.pesan = pesan
        self.saran = saran
        self.lokasi = lokasi


KIRIM_ULANG = "Minta unit mengirim ulang workbook aslinya (simpan dari Excel sebagai .xlsm/.xlsx)."


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


def read_regular(path: str | os.PathLike[str],
                 max_file_bytes: int = MAX_FILE_BYTES) -> tuple[bytes, str]:
    """The bytes of a regular file and their sha256. Symlinks are resolved (a loop is
    refused); folders, FIFOs and devices are refused before opening, so nothing blocks."""
    p = Path(path)
    try:
        real = p.resolve(strict=True)
    except FileNotFoundError:
        if p.is_symlink():
            raise FileProblem("tidak_ada", "Tautan simbolik ini menunjuk ke berkas yang tidak "
                              "ada.", "Salin berkas aslinya ke folder kiriman.") from None
        raise FileProblem("tidak_ada", "Berkas tidak ditemukan.",
                          "Periksa nama dan folder berkasnya.") from None
    except (RuntimeError, OSError) as exc:
        if isinstance(exc, RuntimeError) or getattr(exc, "errno", None) == 40:
            raise FileProblem("tautan_berputar", "Tautan simbolik ini berputar (menunjuk ke "
                              "dirinya sendiri lewat tautan lain), jadi tidak ada berkasnya.",
                              "Hapus tautan itu dan salin berkas aslinya.") from None
        raise FileProblem("tidak_terbaca", "Berkas tidak bisa dibuka (akses ditolak atau "
                          "rusak).", "Periksa izin baca berkas itu.") from None
    try:
        st = os.stat(real)
    except OSError:
        raise FileProblem("tidak_terbaca", "Berkas tidak bisa dibuka (akses ditolak).",
                          "Periksa izin baca berkas itu.") from None
    if not stat.S_ISREG(st.st_mode):
        kind = ("sebuah folder" if stat.S_ISDIR(st.st_mode) else
                "sebuah pipa (FIFO)" if stat.S_ISFIFO(st.st_mode) else
                "sebuah perangkat" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode)
                else "bukan berkas biasa")
        raise FileProblem("bukan_berkas", f"Ini {kind}, bukan berkas workbook, walaupun "
                          "namanya berakhiran .xlsx/.xlsm.", "Sebutkan berkas .xlsm/.xlsx.")
    if st.st_size == 0:
        raise FileProblem("kosong", "Berkas kosong (0 byte).", KIRIM_ULANG)
    if st.st_size > max_file_bytes:
        raise FileProblem(
            "terlalu_besar", f"Berkas terlalu besar ({_mib(st.st_size)}; batas "
            f"{_mib(max_file_bytes)}) untuk sebuah workbook unit.", KIRIM_ULANG)
    try:
        fd = os.open(real, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
                     | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
    except OSError:
        raise FileProblem("tidak_terbaca", "Berkas tidak bisa dibuka (tidak ada izin baca).",
                          "Periksa izin baca berkas itu.") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # replaced between stat and open
            raise FileProblem("bukan_berkas", "Ini bukan berkas biasa.",
                              "Sebutkan berkas .xlsm/.xlsx.")
        chunks = []
        left = max_file_bytes + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError:
        raise FileProblem("tidak_terbaca", "Berkas tidak bisa dibaca (kesalahan baca disk).",
                          "Salin ulang berkasnya, lalu ulangi.") from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > max_file_bytes:
        raise FileProblem("terlalu_besar", f"Berkas terlalu besar (lebih dari "
                          f"{_mib(max_file_bytes)}) untuk sebuah workbook unit.", KIRIM_ULANG)
    return data, hashlib.sha256(data).hexdigest()


def check_file(path: str | os.PathLike[str], max_unpacked_bytes: int = MAX_UNPACKED_BYTES,
               max_file_bytes: int = MAX_FILE_BYTES) -> bytes:
    """Check a file is a workbook that is safe to parse; return its bytes.

    Raises :class:`FileProblem` naming what is wrong: missing, not a regular file, empty,
    too large, not an Excel file, password-protected or old ``.xls``, truncated or corrupt,
    a zip bomb, hostile XML.
    """
    data, _ = read_regular(path, max_file_bytes)
    check_bytes(data, max_unpacked_bytes)
    return data


def check_bytes(data: bytes, max_unpacked_bytes: int = MAX_UNPACKED_BYTES,
                sheets: Collection[str] | None = None) -> None:
    """The content checks of :func:`check_file` on bytes already read.

    Every part gets the header checks (sizes, ratio, methods, encryption, the proven size
    when headers could lie). The parts a parser reads also get the CRC and DTD check
    (:func:`_check_prolog`): the package parts, and the worksheets: every one, or, with
    ``sheets``, only those of the sheets of these names (found through workbook.xml and
    its rels, both checked first; when that mapping is in any way unclear, every
    worksheet is checked). A caller passing ``sheets`` must read no other sheet."""
    _check(data, max_unpacked_bytes, sheets, None)


def check_and_repack(data: bytes, max_unpacked_bytes: int = MAX_UNPACKED_BYTES,
                     sheets: Collection[str] | None = None) -> bytes:
    """:func:`check_bytes`, then the workbook as a parser should read it: the same parts
    in the same order, each part that was checked stored as the very bytes checked (not
    compressed, so the parser does not inflate it again, and cannot read other bytes
    than those checked), every other part copied as it is."""
    verified: dict[str, bytes] = {}
    infos = _check(data, max_unpacked_bytes, sheets, verified)
    return _repack(data, infos, verified)


def _check(data: bytes, max_unpacked_bytes: int, sheets: Collection[str] | None,
           keep: dict[str, bytes] | None) -> list[zipfile.ZipInfo]:
    """The checks of :func:`check_bytes`; the bytes of each part checked go to ``keep``."""
    if not data:
        raise FileProblem("kosong", "Berkas kosong (0 byte).", KIRIM_ULANG)
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
                          "namanya berakhiran seperti itu.", KIRIM_ULANG)
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise FileProblem("rusak", "Berkas rusak atau terpotong (daftar isi zip tidak "
                          "terbaca); mungkin pengirimannya belum selesai.", KIRIM_ULANG) from None
    with zf:
        if len(infos) > MAX_MEMBERS:
            raise _bomb(f"berisi {len(infos):,} bagian".replace(",", "."))
        names = {i.filename for i in infos}
        missing = [part for part in REQUIRED_PARTS if part not in names]
        if missing:
            raise FileProblem("bukan_excel", "Berkas zip ini bukan workbook Excel (tidak ada "
                              f"{', '.join(missing)}).", KIRIM_ULANG)
        total = 0
        for info in infos:
            if info.flag_bits & 0x1:
                raise FileProblem("terenkripsi", "Isi berkas zip dienkripsi.", KIRIM_ULANG)
            if info.compress_type not in ALLOWED_METHODS:
                raise FileProblem("rusak", f"Bagian '{info.filename}' memakai kompresi yang "
                                  "tidak dipakai Excel.", KIRIM_ULANG)
            if info.header_offset + info.compress_size > len(data):
                raise FileProblem("rusak", "Berkas terpotong (bagian "
                                  f"'{info.filename}' tidak lengkap).", KIRIM_ULANG)
            total += info.file_size
            if info.file_size > MAX_PART_BYTES:
                raise _bomb(f"bagian '{info.filename}' berukuran {_mib(info.file_size)} "
                            f"(batas {_mib(MAX_PART_BYTES)} per bagian)")
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
        read_sheets = None if sheets is None else _sheet_parts(data, infos, sheets)
        for info in infos:
            if (info.compress_type == zipfile.ZIP_DEFLATED
                    and info.compress_size * DEFLATE_MAX_RATIO > MAX_PART_BYTES):
                _verify_sizes(zf, [info], MAX_PART_BYTES)
            if (_parsed_part(info.filename) if read_sheets is None else
                    _parsed_part(info.filename, sheets=False)
                    or info.filename.lower() in read_sheets):
                whole = _check_prolog(data, info)
                if keep is not None:
                    keep[info.filename] = whole
    return infos


def _repack(data: bytes, infos: list[zipfile.ZipInfo], verified: dict[str, bytes]) -> bytes:
    """A zip of ``infos`` in order: the ``verified`` parts stored, the others' compressed
    bytes copied (each header written anew, without data descriptors)."""
    out: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for info in infos:
        name = info.filename.encode("utf-8")
        flags = 0x800 if not info.filename.isascii() else 0
        whole = verified.get(info.filename)
        if whole is not None:
            method, body, size = zipfile.ZIP_STORED, whole, len(whole)
        else:
            body = _raw_at(data, info)
            if body is None:
                continue  # a part no parser here reads, with a broken header: left out
            method, size = info.compress_type, info.file_size
        local = struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, flags, method, 0, 0x21,
                            info.CRC, len(body), size, len(name), 0)
        central.append(struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, flags,
                                   method, 0, 0x21, info.CRC, len(body), size, len(name),
                                   0, 0, 0, 0, 0, offset) + name)
        out += (local, name, body)
        offset += len(local) + len(name) + len(body)
    directory = b"".join(central)
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(central), len(central),
                      len(directory), offset, 0)
    return b"".join([*out, directory, end])


def _raw_at(data: bytes, info: zipfile.ZipInfo) -> bytes | None:
    """The compressed bytes of a member, found through its local header in ``data``
    (None when that header is broken)."""
    off = info.header_offset
    header = data[off:off + 30]
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        return None
    start = off + 30 + int.from_bytes(header[26:28], "little") \
        + int.from_bytes(header[28:30], "little")
    return data[start:start + info.compress_size]


def _parsed_part(name: str, sheets: bool = True) -> bool:
    """The XML parts a reader parses (the others are never opened); without ``sheets``,
    the package parts only (not the worksheets)."""
    name = name.lower()
    return ((sheets and name.startswith("xl/worksheets/sheet"))
            or name.startswith(("xl/_rels/", "_rels/"))
            or name in ("xl/workbook.xml", "xl/sharedstrings.xml", "xl/styles.xml",
                        "[content_types].xml"))


WORKBOOK_PART = "xl/workbook.xml"
WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"


def _sheet_parts(data: bytes, infos: list[zipfile.ZipInfo],
                 sheets: Collection[str]) -> set[str] | None:
    """The parts (lower-case names) holding the sheets named ``sheets``, as a spreadsheet
    parser finds them: the ``<sheet name=.. r:id=..>`` of workbook.xml and the
    relationship of that id. None (check every worksheet) when anything is unclear: a
    damaged or hostile workbook.xml or rels, a part named twice, a sheet of one of these
    names without an id, an id given twice, a target that is no part of the file. Names
    are compared ignoring case and spaces around them, every id-like attribute of a
    sheet is followed and every spelling of its target taken, so the set can only be
    larger than what the parser opens."""
    by_name: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        low = info.filename.lower()
        if low in by_name:
            return None
        by_name[low] = info
    try:
        book = _check_prolog(data, by_name[WORKBOOK_PART])
        rels = _check_prolog(data, by_name[WORKBOOK_RELS])
        wanted = {" ".join(n.split()).casefold() for n in sheets}
        ids: list[str] = []
        targets: dict[str, str] = {}
        twice = False

        def on_book(tag: str, attrs: dict[str, str]) -> None:
            if tag.rsplit(":", 1)[-1] != "sheet":
                return
            name = " ".join(str(attrs.get("name", "")).split()).casefold()
            if name in wanted or not name:
                found = [v for k, v in attrs.items() if k.rsplit(":", 1)[-1].lower() == "id"]
                ids.extend(found or [""])

        def on_rels(tag: str, attrs: dict[str, str]) -> None:
            nonlocal twice
            if tag.rsplit(":", 1)[-1] == "Relationship":
                rid = attrs.get("Id", "")
                twice = twice or rid in targets
                targets[rid] = attrs.get("Target", "")

        for text, handler in ((book, on_book), (rels, on_rels)):
            parser = expat.ParserCreate()
            parser.StartElementHandler = handler
            parser.Parse(text, True)
    except (KeyError, FileProblem, expat.ExpatError, ValueError):
        return None
    if twice:
        return None
    out: set[str] = set()
    for rid in ids:
        target = targets.get(rid)
        if not target:
            return None
        spellings = {target.lstrip("/"), f"xl/{target}", posixpath.normpath(f"xl/{target}"),
                     posixpath.normpath(target.lstrip("/"))}
        found = {s.lower() for s in spellings if s.lower() in by_name}
        if not found:
            return None
        out |= found
    return out


#: What a DTD or an entity declaration starts with (ASCII letters in any case, as
#: bytes.upper() compares them).
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)

_ROOT_START = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_:"


def _check_prolog(data: bytes, info: zipfile.ZipInfo) -> bytes:
    """Refuse a part the reader parses when its CRC does not match (the parser does not
    check it) or when it declares a DTD or entities before its root element (external
    entities, entity expansion bombs). Returns the part's bytes."""
    raw = _raw_at(data, info)
    if raw is None:
        raise FileProblem("rusak", f"Bagian '{info.filename}' rusak.", KIRIM_ULANG)
    try:
        whole = raw if info.compress_type == zipfile.ZIP_STORED else \
            _inflate.decompressobj(-zlib.MAX_WBITS).decompress(raw, MAX_PART_BYTES + 1)
    except (zlib.error, _inflate.error):
        raise FileProblem("rusak", f"Bagian '{info.filename}' rusak (tidak bisa dibongkar).",
                          KIRIM_ULANG) from None
    if len(whole) > MAX_PART_BYTES:
        raise _bomb(f"bagian '{info.filename}' lebih dari {_mib(MAX_PART_BYTES)}")
    if _inflate.crc32(whole) != info.CRC or len(whole) != info.file_size:
        raise FileProblem("rusak", f"Bagian '{info.filename}' rusak (isinya tidak cocok dengan "
                          "checksum CRC); berkasnya berubah saat dikirim atau disimpan.",
                          KIRIM_ULANG)
    if _declares_dtd(whole):
        raise FileProblem("xml_berbahaya", f"Bagian '{info.filename}' memuat deklarasi DTD "
                          "atau entitas XML; Excel tidak pernah menulisnya, jadi berkas ini "
                          "ditolak demi keamanan.", KIRIM_ULANG)
    if len(whole) >= MAX_PROLOG_BYTES and not _root_found(whole[:MAX_PROLOG_BYTES]):
        raise FileProblem("xml_berbahaya", f"Bagian '{info.filename}' tidak wajar (awal XML "
                          "lebih dari 64 KB sebelum elemen pertama).", KIRIM_ULANG)
    return whole


def _declares_dtd(whole: bytes) -> bool:
    """"<!DOCTYPE" or "<!ENTITY", in any case, within the first 64 KB; looked for only
    when they hold a "!" at all (rare in XML, so quick to find, unlike "<")."""
    return (whole.find(b"!", 0, MAX_PROLOG_BYTES) != -1
            and _DTD.search(whole, 0, MAX_PROLOG_BYTES) is not None)


def _root_found(head: bytes) -> bool:
    i = head.find(b"<")
    while i != -1 and i + 1 < len(head):
        nxt = head[i + 1:i + 2]
        if nxt in (b"?", b"!"):
            i = head.find(b"<", i + 1)
            continue
        return nxt[0] in _ROOT_START
    return False


def _bomb(detail: str) -> FileProblem:
    return FileProblem("bom_zip", f"Berkas ditolak demi keamanan: {detail}; ini bukan "
                       "workbook unit yang wajar (bom zip).", KIRIM_ULANG)


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
        raise FileProblem("rusak", f"Bagian '{info.filename}' rusak.", KIRIM_ULANG)
    name_len = int.from_bytes(header[26:28], "little")
    extra_len = int.from_bytes(header[28:30], "little")
    fp.seek(info.header_offset + 30 + name_len + extra_len)
    return fp.read(info.compress_size)


