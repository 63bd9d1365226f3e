"""Build a source-only VBA project (``vbaProject.bin``) on any platform.

xlsxwriter can embed a VBA project (``Workbook.add_vba_project``) but cannot
create one.  This module writes that binary itself:

* the document modules ``ThisWorkbook`` and one per sheet code name,
* the xlwings "standalone" modules (``xlwings`` and its ``Dictionary`` class),
  read at build time from ``quickstart_standalone.xlsm`` inside the *installed*
  xlwings package (the same file ``xlwings quickstart --standalone`` copies),
* our own modules, kept as text in ``macros/vba/*.bas``.

The project is *source only*: every module stream holds nothing but the
MS-OVBA compressed source (``MODULEOFFSET`` = 0) and ``_VBA_PROJECT`` is the
7-byte header whose version 0xFFFF tells the VBA host that there is no
compiled cache, so Excel compiles the modules from source when it opens the
workbook.  Project references, project identity (``ID``/``CMG``/``DPB``/``GC``)
and the platform fields of the ``dir`` stream are copied from the xlwings
template, a project known to open in Excel.

Specifications followed: [MS-OVBA] (VBA file format, compression in 2.4.1,
``dir`` stream in 2.3.4.2, ``PROJECT`` stream in 2.3.1) and [MS-CFB]
(compound file, version 3 with 512-byte sectors).

Public API: :func:`build_vba_project`, :func:`read_vba_modules`,
:func:`load_bas_modules`, :func:`compress`, :func:`decompress`.
"""

from __future__ import annotations

import re
import struct
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import olefile

__all__ = [
    "XLWINGS_VERSION",
    "VbaModule",
    "build_compound_file",
    "build_vba_project",
    "compress",
    "decompress",
    "load_bas_modules",
    "read_vba_modules",
    "xlwings_template_path",
]

#: xlwings version whose template layout this module was written against.
XLWINGS_VERSION = "0.37.8"
#: Template inside the xlwings wheel (the one ``xlwings quickstart --standalone`` uses).
XLWINGS_TEMPLATE = "xlwings/quickstart_standalone.xlsm"
#: Modules of the template that are quickstart samples, not part of xlwings.
TEMPLATE_SAMPLE_MODULES = frozenset({"Module1"})
#: Where our own VBA sources live, as text.
def _bas_dir() -> Path:
    """macros/vba in a source tree; workbook_gen/vba_sumber in a wheel built by
    ``workbook-gen paket`` (which copies the sources there)."""
    source = Path(__file__).resolve().parent.parent / "macros" / "vba"
    return source if source.is_dir() else Path(__file__).resolve().parent / "vba_sumber"


DEFAULT_BAS_DIR = _bas_dir()

WORKBOOK_MODULE = "ThisWorkbook"
CODEPAGE = 1252
ENCODING = "cp1252"

_IDENTIFIER = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,30}$")
_VB_NAME = re.compile(r'^Attribute VB_Name = "([^"]*)"\r?\n', re.IGNORECASE)


# ---------------------------------------------------------------------------
# MS-OVBA 2.4.1: compression
# ---------------------------------------------------------------------------

_CHUNK = 4096
_SIGNATURE = 0x01
_CHUNK_SIGNATURE = 0b011


def _copy_token_bits(distance_into_chunk: int) -> int:
    """Bits used by the offset part of a CopyToken (MS-OVBA 2.4.1.3.19.1).

    ``max(ceil(log2(difference)), 4)`` where *difference* is how far the
    decompressed position is into the current chunk.
    """
    return max((distance_into_chunk - 1).bit_length(), 4)


def _longest_match(chunk: bytes, pos: int, max_length: int) -> tuple[int, int]:
    """Return ``(offset, length)`` of the longest earlier match at *pos*.

    Matches may overlap *pos* (the copy is byte by byte, LZ77 style).  Among
    matches of equal length the nearest wins, as in MS-OVBA 2.4.1.3.19.4.
    ``(0, 0)`` means no match of at least 3 bytes.
    """
    limit = min(max_length, len(chunk) - pos)
    if pos == 0 or limit < 3:
        return 0, 0

    def nearest(length: int) -> int:
        # Occurrence of chunk[pos:pos+length] that starts before pos.
        return chunk.rfind(chunk[pos : pos + length], 0, pos + length - 1)

    if nearest(3) < 0:
        return 0, 0
    # Match lengths are monotone: exponential then binary search.
    good, bad = 3, None
    while bad is None:
        trial = min(good * 2, limit)
        if trial == good:
            break
        if nearest(trial) >= 0:
            good = trial
        else:
            bad = trial
    if bad is not None:
        while bad - good > 1:
            mid = (good + bad) // 2
            if nearest(mid) >= 0:
                good = mid
            else:
                bad = mid
    return pos - nearest(good), good


def _compress_chunk(chunk: bytes) -> bytes:
    """Compress one decompressed chunk (at most 4096 bytes) with its header."""
    body = bytearray()
    pos = 0
    while pos < len(chunk):
        flags = 0
        tokens = bytearray()
        for bit in range(8):
            if pos >= len(chunk):
                break
            bits = _copy_token_bits(pos)
            offset, length = _longest_match(chunk, pos, (0xFFFF >> bits) + 3)
            if length:
                token = ((offset - 1) << (16 - bits)) | (length - 3)
                tokens += struct.pack("<H", token)
                flags |= 1 << bit
                pos += length
            else:
                tokens.append(chunk[pos])
                pos += 1
        body.append(flags)
        body += tokens
    if len(body) <= _CHUNK:
        header = 0x8000 | (_CHUNK_SIGNATURE << 12) | (len(body) + 2 - 3)
        return struct.pack("<H", header) + bytes(body)
    # Incompressible: a raw chunk always carries 4096 bytes (padded with 0x00).
    header = (_CHUNK_SIGNATURE << 12) | (_CHUNK + 2 - 3)
    return struct.pack("<H", header) + chunk.ljust(_CHUNK, b"\x00")


def compress(data: bytes) -> bytes:
    """Compress *data* into an MS-OVBA CompressedContainer (2.4.1.3.6).

    Round trip is exact for any input whose last partial chunk compresses
    (always true for text).  The format cannot represent an incompressible
    *partial* last chunk exactly: the raw chunk is padded to 4096 bytes with
    0x00, as the specification prescribes.
    """
    data = bytes(data)
    out = bytearray([_SIGNATURE])
    for start in range(0, len(data), _CHUNK):
        out += _compress_chunk(data[start : start + _CHUNK])
    return bytes(out)


def decompress(container: bytes) -> bytes:
    """Decompress an MS-OVBA CompressedContainer (2.4.1.3.1)."""
    data = bytes(container)
    if not data or data[0] != _SIGNATURE:
        raise ValueError("not an MS-OVBA compressed container (signature byte is not 0x01)")
    out = bytearray()
    pos = 1
    while pos < len(data):
        if pos + 2 > len(data):
            raise ValueError("truncated chunk header")
        (header,) = struct.unpack_from("<H", data, pos)
        if (header >> 12) & 0b111 != _CHUNK_SIGNATURE:
            raise ValueError(f"bad chunk signature at byte {pos}")
        chunk_end = min(pos + (header & 0x0FFF) + 3, len(data))
        pos += 2
        chunk_start = len(out)
        if not header & 0x8000:
            out += data[pos : pos + _CHUNK]
            pos += _CHUNK
            continue
        while pos < chunk_end:
            flags = data[pos]
            pos += 1
            for bit in range(8):
                if pos >= chunk_end:
                    break
                if not flags & (1 << bit):
                    out.append(data[pos])
                    pos += 1
                    continue
                (token,) = struct.unpack_from("<H", data, pos)
                pos += 2
                bits = _copy_token_bits(len(out) - chunk_start)
                length = (token & (0xFFFF >> bits)) + 3
                source = len(out) - ((token >> (16 - bits)) + 1)
                if source < chunk_start:
                    raise ValueError("copy token points before the start of its chunk")
                for i in range(length):  # may overlap what it writes
                    out.append(out[source + i])
    return bytes(out)


# ---------------------------------------------------------------------------
# MS-CFB: a small compound-file writer (version 3, 512-byte sectors)
# ---------------------------------------------------------------------------

_SECTOR = 512
_MINI_SECTOR = 64
_MINI_CUTOFF = 4096
_DIR_ENTRY = 128
_FREESECT = 0xFFFFFFFF
_ENDOFCHAIN = 0xFFFFFFFE
_FATSECT = 0xFFFFFFFD
_NOSTREAM = 0xFFFFFFFF
_HEADER_DIFAT = 109
_STORAGE, _STREAM, _ROOT = 1, 2, 5
_RED, _BLACK = 0, 1


@dataclass
class _DirEntry:
    """One directory entry of the compound file."""

    name: str
    kind: int
    data: bytes = b""
    children: list[int] | None = None
    left: int = _NOSTREAM
    right: int = _NOSTREAM
    child: int = _NOSTREAM
    color: int = _BLACK
    start: int = _ENDOFCHAIN
    size: int = 0


def _cfb_sort_key(name: str) -> tuple[int, str]:
    """Sibling order of MS-CFB 2.6.4: shorter names first, then case-insensitive."""
    return len(name), name.upper()


def _build_tree(entries: list[_DirEntry], ids: list[int]) -> int:
    """Link sibling *ids* into a valid red-black tree; return the root id.

    The tree is built by halving the sorted list, so every nil leaf lies on
    one of the two deepest levels; colouring the nodes of an incomplete last
    level red keeps the same number of black nodes on every path.
    """
    ids = sorted(ids, key=lambda i: _cfb_sort_key(entries[i].name))
    levels = len(ids).bit_length()  # = ceil(log2(n + 1)) levels
    complete = ((len(ids) + 1) & len(ids)) == 0  # n + 1 is a power of two

    def link(lo: int, hi: int, depth: int) -> int:
        if lo >= hi:
            return _NOSTREAM
        mid = (lo + hi) // 2
        node = entries[ids[mid]]
        node.left = link(lo, mid, depth + 1)
        node.right = link(mid + 1, hi, depth + 1)
        node.color = _RED if not complete and depth == levels - 1 else _BLACK
        return ids[mid]

    return link(0, len(ids), 0)


def _directory(streams: Mapping[str, bytes]) -> list[_DirEntry]:
    """Create root, storage and stream entries for ``{"A/B": data}`` paths."""
    entries = [_DirEntry("Root Entry", _ROOT, children=[])]
    storages: dict[str, int] = {"": 0}
    for path, data in streams.items():
        parts = path.split("/")
        for name in parts:
            if not 0 < len(name) <= 31 or any(c in name for c in "/\\:!"):
                raise ValueError(f"invalid compound-file name {name!r} in {path!r}")
        parent = ""
        for name in parts[:-1]:
            key = f"{parent}/{name}" if parent else name
            if key not in storages:
                entries.append(_DirEntry(name, _STORAGE, children=[]))
                storages[key] = len(entries) - 1
                entries[storages[parent]].children.append(storages[key])
            parent = key
        entries.append(_DirEntry(parts[-1], _STREAM, data=bytes(data), size=len(data)))
        entries[storages[parent]].children.append(len(entries) - 1)
    for entry in entries:
        if entry.children:
            names = [entries[i].name.upper() for i in entry.children]
            if len(set(names)) != len(names):
                raise ValueError(f"duplicate names below {entry.name!r}")
            entry.child = _build_tree(entries, entry.children)
    return entries


def _pack_entry(entry: _DirEntry | None) -> bytes:
    """Serialise one 128-byte directory entry (``None`` = unused slot)."""
    if entry is None:
        return struct.pack(
            "<64sHBBIII16sIQQIQ", b"", 0, 0, 0, *(3 * [_NOSTREAM]), b"", 0, 0, 0, 0, 0
        )
    name = entry.name.encode("utf-16-le")
    start = entry.start if entry.kind != _STORAGE else 0
    return struct.pack(
        "<64sHBBIII16sIQQIQ",
        name,
        len(name) + 2,
        entry.kind,
        entry.color,
        entry.left,
        entry.right,
        entry.child,
        b"",
        0,
        0,
        0,
        start,
        entry.size,
    )


def _chain(fat: list[int], first: int, count: int) -> None:
    """Write a chain of *count* consecutive sectors starting at *first*."""
    for i in range(first, first + count - 1):
        fat[i] = i + 1
    fat[first + count - 1] = _ENDOFCHAIN


def _sectors(size: int, sector: int) -> int:
    return -(-size // sector)


def build_compound_file(streams: Mapping[str, bytes]) -> bytes:
    """Return a CFB v3 file holding *streams* (keys are ``/``-separated paths).

    Streams shorter than 4096 bytes go to the mini stream (64-byte sectors),
    longer ones to regular 512-byte sectors.  Layout: big streams, mini
    stream, mini FAT, directory, FAT.  Supports files up to ~7 MB (109 FAT
    sectors listed in the header, no DIFAT sectors), ample for VBA projects.
    """
    entries = _directory(streams)
    small = [e for e in entries if e.kind == _STREAM and 0 < e.size < _MINI_CUTOFF]
    big = [e for e in entries if e.kind == _STREAM and e.size >= _MINI_CUTOFF]

    # Mini stream: small streams in 64-byte mini sectors.
    mini_fat: list[int] = []
    mini_stream = bytearray()
    for entry in small:
        count = _sectors(entry.size, _MINI_SECTOR)
        entry.start = len(mini_fat)
        mini_fat += [0] * count
        _chain(mini_fat, entry.start, count)
        mini_stream += entry.data.ljust(count * _MINI_SECTOR, b"\x00")

    # Regular sectors, in file order.
    blobs: list[bytes] = []
    fat_chains: list[tuple[int, int]] = []
    next_sector = 0

    def place(data: bytes) -> int:
        nonlocal next_sector
        count = _sectors(len(data), _SECTOR)
        first = next_sector
        blobs.append(data.ljust(count * _SECTOR, b"\x00"))
        fat_chains.append((first, count))
        next_sector += count
        return first

    for entry in big:
        entry.start = place(entry.data)
    root = entries[0]
    if mini_stream:
        root.start, root.size = place(bytes(mini_stream)), len(mini_stream)
    mini_fat_bytes = struct.pack(f"<{len(mini_fat)}I", *mini_fat)
    mini_fat_start = place(mini_fat_bytes) if mini_fat else _ENDOFCHAIN
    mini_fat_count = _sectors(len(mini_fat_bytes), _SECTOR)
    directory = b"".join(_pack_entry(e) for e in entries)
    per_sector = _SECTOR // _DIR_ENTRY
    unused = -len(entries) % per_sector
    directory_start = place(directory + _pack_entry(None) * unused)

    # FAT sectors must also describe themselves.
    fat_count = 1
    while fat_count * (_SECTOR // 4) < next_sector + fat_count:
        fat_count += 1
    if fat_count > _HEADER_DIFAT:
        raise ValueError("compound file too large for this writer (needs DIFAT sectors)")
    fat = [_FREESECT] * (fat_count * (_SECTOR // 4))
    for first, count in fat_chains:
        _chain(fat, first, count)
    fat_start = next_sector
    for i in range(fat_start, fat_start + fat_count):
        fat[i] = _FATSECT

    difat = list(range(fat_start, fat_start + fat_count))
    difat += [_FREESECT] * (_HEADER_DIFAT - len(difat))
    header_fields = [
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",  # signature
        b"",  # header CLSID (zero)
        0x003E,  # minor version
        0x0003,  # major version 3: 512-byte sectors
        0xFFFE,  # byte order: little endian
        9,  # sector shift: 2**9 = 512
        6,  # mini sector shift: 2**6 = 64
        b"",  # reserved
        0,  # number of directory sectors (always 0 in version 3)
        fat_count,  # number of FAT sectors
        directory_start,  # first directory sector
        0,  # transaction signature
        _MINI_CUTOFF,  # mini stream cutoff size
        mini_fat_start,  # first mini FAT sector
        mini_fat_count,  # number of mini FAT sectors
        _ENDOFCHAIN,  # first DIFAT sector: none
        0,  # number of DIFAT sectors
        *difat,  # the first 109 FAT sector locations
    ]  # fmt: skip
    header = struct.pack("<8s16sHHHHH6sIIIIIIIII109I", *header_fields)
    fat_bytes = struct.pack(f"<{len(fat)}I", *fat)
    return header + b"".join(blobs) + fat_bytes


# ---------------------------------------------------------------------------
# MS-OVBA 2.3.4.2: the dir stream, as (id, payload) records
# ---------------------------------------------------------------------------

_PROJECTVERSION = 0x0009
_PROJECTMODULES = 0x000F
_REFERENCE_IDS = frozenset({0x0016, 0x0033, 0x002F, 0x0030, 0x000D, 0x000E})
_MODULE_PROCEDURAL, _MODULE_OTHER = 0x0021, 0x0022


def _parse_records(data: bytes) -> list[tuple[int, bytes]]:
    """Split a decompressed ``dir`` stream into ``(id, payload)`` records.

    Every record is ``id (u16), size (u32), payload``, except PROJECTVERSION
    whose size field is a constant 4 followed by 6 bytes of payload.
    """
    records = []
    pos = 0
    while pos < len(data):
        rid, size = struct.unpack_from("<HI", data, pos)
        pos += 6
        if rid == _PROJECTVERSION:
            size = 6
        records.append((rid, data[pos : pos + size]))
        pos += size
    return records


def _pack_records(records: Iterable[tuple[int, bytes]]) -> bytes:
    """Inverse of :func:`_parse_records`."""
    out = bytearray()
    for rid, payload in records:
        size = 4 if rid == _PROJECTVERSION else len(payload)
        out += struct.pack("<HI", rid, size) + payload
    return bytes(out)


def _text_records(rid: int, unicode_rid: int | None, text: str) -> list[tuple[int, bytes]]:
    """A string record in the project code page, plus its UTF-16 twin if any."""
    records = [(rid, text.encode(ENCODING))]
    if unicode_rid is not None:
        records.append((unicode_rid, text.encode("utf-16-le")))
    return records


# ---------------------------------------------------------------------------
# The xlwings template
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class VbaModule:
    """A VBA module: name, kind (``document``/``procedural``/``class``), source."""

    name: str
    kind: str
    source: str
    docstring: str = ""
    read_only: bool = False
    private: bool = False


@dataclass(frozen=True)
class _Template:
    """What we reuse from the xlwings template project."""

    information: dict[int, bytes]  # PROJECTINFORMATION records by id
    references: bytes  # PROJECTREFERENCES, raw records
    modules: tuple[VbaModule, ...]
    project_lines: dict[str, str]  # ID, Name, HelpContextID, CMG, DPB, GC, ...
    host_extenders: tuple[str, ...]


def xlwings_template_path() -> Path:
    """Locate ``quickstart_standalone.xlsm`` in the installed xlwings distribution.

    Raises ``RuntimeError`` when xlwings is missing or not the pinned version
    (the template layout is only known for that version).
    """
    try:
        dist = metadata.distribution("xlwings")
    except metadata.PackageNotFoundError as exc:
        raise RuntimeError(f"xlwings=={XLWINGS_VERSION} is not installed") from exc
    if dist.version != XLWINGS_VERSION:
        raise RuntimeError(
            f"xlwings {dist.version} is installed but the VBA builder is pinned to "
            f"{XLWINGS_VERSION}; install xlwings=={XLWINGS_VERSION} or re-check the template"
        )
    path = Path(str(dist.locate_file(XLWINGS_TEMPLATE)))
    if not path.is_file():
        raise RuntimeError(f"xlwings template not found at {path}")
    return path


def _project_stream_sections(text: str) -> dict[str, list[str]]:
    """Split the ``PROJECT`` stream into ``{section: lines}`` ("" = top)."""
    sections: dict[str, list[str]] = {"": []}
    current = ""
    for line in text.splitlines():
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1]
            sections[current] = []
        elif line:
            sections[current].append(line)
    return sections


def _module_kinds(project_lines: list[str]) -> dict[str, str]:
    """Module kinds as declared by the ``PROJECT`` stream (``Document=`` ...)."""
    kinds = {"Document": "document", "Module": "procedural", "Class": "class"}
    out = {}
    for line in project_lines:
        key, _, value = line.partition("=")
        if key in kinds:
            out[value.split("/")[0]] = kinds[key]
    return out


def _template_modules(
    records: list[tuple[int, bytes]], kinds: Mapping[str, str], ole: olefile.OleFileIO
) -> Iterator[VbaModule]:
    """Read every module described by the MODULE records of the ``dir`` stream."""
    fields: dict[int, bytes] = {}
    for rid, payload in records:
        if rid == 0x0019:  # MODULENAME starts a module
            fields = {}
        fields[rid] = payload
        if rid != 0x002B:  # MODULE terminator
            continue
        name = (
            fields[0x0047].decode("utf-16-le")
            if 0x0047 in fields
            else fields[0x0019].decode(ENCODING)
        )
        stream = fields[0x0032].decode("utf-16-le")
        (offset,) = struct.unpack("<I", fields[0x0031])
        raw = ole.openstream(f"VBA/{stream}").read()
        source = decompress(raw[offset:]).decode(ENCODING)
        kind = "procedural" if _MODULE_PROCEDURAL in fields else kinds.get(name, "class")
        yield VbaModule(
            name=name,
            kind=kind,
            source=_normalise_newlines(source),
            docstring=fields.get(0x001C, b"").decode(ENCODING),
            read_only=0x0025 in fields,
            private=0x0028 in fields,
        )


@lru_cache(maxsize=1)
def _load_template() -> _Template:
    """Parse the VBA project of the xlwings standalone template."""
    with zipfile.ZipFile(xlwings_template_path()) as package:
        vba_bin = package.read("xl/vbaProject.bin")
    with olefile.OleFileIO(vba_bin) as ole:
        records = _parse_records(decompress(ole.openstream("VBA/dir").read()))
        sections = _project_stream_sections(ole.openstream("PROJECT").read().decode(ENCODING))
        first_ref = next(i for i, (rid, _) in enumerate(records) if rid in _REFERENCE_IDS)
        modules_at = next(i for i, (rid, _) in enumerate(records) if rid == _PROJECTMODULES)
        information = dict(records[:first_ref])
        if struct.unpack("<H", information[0x0003])[0] != CODEPAGE:
            raise RuntimeError("xlwings template VBA project is not in code page 1252")
        modules = tuple(_template_modules(records[modules_at:], _module_kinds(sections[""]), ole))
    project_lines = dict(line.split("=", 1) for line in sections[""])
    return _Template(
        information=information,
        references=_pack_records(records[first_ref:modules_at]),
        modules=modules,
        project_lines=project_lines,
        host_extenders=tuple(sections.get("Host Extender Info", ())),
    )


def _xlwings_modules(template: _Template) -> list[VbaModule]:
    """The xlwings modules of the template (everything but documents and samples)."""
    modules = [
        m
        for m in template.modules
        if m.kind != "document" and m.name not in TEMPLATE_SAMPLE_MODULES
    ]
    if not any(m.name == "xlwings" for m in modules):
        raise RuntimeError("the xlwings template has no 'xlwings' module")
    return modules


def _document_module(template: _Template, name: str, like: str) -> VbaModule:
    """A document module called *name*, attributes copied from template module *like*."""
    base = next((m for m in template.modules if m.name == like), None)
    if base is None:
        raise RuntimeError(f"the xlwings template has no document module {like!r}")
    return replace(base, name=name, source=_with_vb_name(base.source, name))


# ---------------------------------------------------------------------------
# Module sources
# ---------------------------------------------------------------------------


def _normalise_newlines(text: str) -> str:
    """CRLF line endings (what the VBA editor stores), ending with a newline."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text and not text.endswith("\n"):
        text += "\n"
    return text.replace("\n", "\r\n")


def _with_vb_name(source: str, name: str) -> str:
    """Make the first line ``Attribute VB_Name = "<name>"`` (add or replace it)."""
    source = _normalise_newlines(source)
    line = f'Attribute VB_Name = "{name}"\r\n'
    if _VB_NAME.match(source):
        return _VB_NAME.sub(lambda _: line, source, count=1)
    return line + source


def _check_identifier(name: str) -> None:
    if not _IDENTIFIER.match(name):
        raise ValueError(
            f"{name!r} is not a valid VBA module name "
            "(letter first, then letters, digits or _; at most 31 characters)"
        )


def load_bas_modules(directory: Path | str = DEFAULT_BAS_DIR) -> dict[str, str]:
    """Read ``*.bas`` files of *directory* as ``{module name: source}``.

    The module name is the ``Attribute VB_Name`` of the file, else its stem.
    """
    if not Path(directory).is_dir():
        raise FileNotFoundError(
            f"Kode VBA tombol Hitung Capaian tidak ditemukan di {directory}. Jalankan dari "
            "folder proyek (macros/vba/) atau pasang wheel yang dibuat 'workbook-gen paket'.")
    modules = {}
    for path in sorted(Path(directory).glob("*.bas")):
        source = path.read_text(encoding="utf-8")
        match = _VB_NAME.match(_normalise_newlines(source))
        modules[match.group(1) if match else path.stem] = source
    return modules


def _user_module(name: str, source: str) -> VbaModule:
    """A procedural module from text; its VB_Name attribute must agree with *name*."""
    _check_identifier(name)
    source = _normalise_newlines(source)
    match = _VB_NAME.match(source)
    if match and match.group(1) != name:
        raise ValueError(f"module {name!r} declares Attribute VB_Name = {match.group(1)!r}")
    try:
        source.encode(ENCODING)
    except UnicodeEncodeError as exc:
        raise ValueError(f"module {name!r} has characters outside code page 1252") from exc
    return VbaModule(name=name, kind="procedural", source=_with_vb_name(source, name))


# ---------------------------------------------------------------------------
# Project streams
# ---------------------------------------------------------------------------


def _dir_stream(template: _Template, modules: list[VbaModule]) -> bytes:
    """The decompressed ``dir`` stream (MS-OVBA 2.3.4.2)."""
    info = template.information
    records: list[tuple[int, bytes]] = [
        (0x0001, info[0x0001]),  # PROJECTSYSKIND
        *([(0x004A, info[0x004A])] if 0x004A in info else []),  # PROJECTCOMPATVERSION
        (0x0002, info[0x0002]),  # PROJECTLCID
        (0x0014, info[0x0014]),  # PROJECTLCIDINVOKE
        (0x0003, struct.pack("<H", CODEPAGE)),  # PROJECTCODEPAGE
        (0x0004, info[0x0004]),  # PROJECTNAME
        *_text_records(0x0005, 0x0040, ""),  # PROJECTDOCSTRING
        *_text_records(0x0006, 0x003D, ""),  # PROJECTHELPFILEPATH
        (0x0007, struct.pack("<I", 0)),  # PROJECTHELPCONTEXT
        (0x0008, struct.pack("<I", 0)),  # PROJECTLIBFLAGS
        (_PROJECTVERSION, info[_PROJECTVERSION]),
        *_text_records(0x000C, 0x003C, ""),  # PROJECTCONSTANTS
    ]
    out = _pack_records(records) + template.references
    module_records: list[tuple[int, bytes]] = [
        (_PROJECTMODULES, struct.pack("<H", len(modules))),
        (0x0013, struct.pack("<H", 0xFFFF)),  # PROJECTCOOKIE
    ]
    for module in modules:
        module_records += [
            *_text_records(0x0019, 0x0047, module.name),  # MODULENAME (+ unicode)
            *_text_records(0x001A, 0x0032, module.name),  # MODULESTREAMNAME
            *_text_records(0x001C, 0x0048, module.docstring),  # MODULEDOCSTRING
            (0x0031, struct.pack("<I", 0)),  # MODULEOFFSET: source only
            (0x001E, struct.pack("<I", 0)),  # MODULEHELPCONTEXT
            (0x002C, struct.pack("<H", 0xFFFF)),  # MODULECOOKIE
            (_MODULE_PROCEDURAL if module.kind == "procedural" else _MODULE_OTHER, b""),
            *([(0x0025, b"")] if module.read_only else []),
            *([(0x0028, b"")] if module.private else []),
            (0x002B, b""),  # module terminator
        ]
    module_records.append((0x0010, b""))  # dir terminator
    return out + _pack_records(module_records)


def _project_stream(template: _Template, modules: list[VbaModule]) -> bytes:
    """The ``PROJECT`` stream: an INI-like text (MS-OVBA 2.3.1)."""
    keys = {"document": "Document", "procedural": "Module", "class": "Class"}
    lines = [f"ID={template.project_lines['ID']}"]
    for module in modules:
        suffix = "/&H00000000" if module.kind == "document" else ""
        lines.append(f"{keys[module.kind]}={module.name}{suffix}")
    for key in ("Name", "HelpContextID", "VersionCompatible32", "CMG", "DPB", "GC"):
        if key in template.project_lines:
            lines.append(f"{key}={template.project_lines[key]}")
    lines += ["", "[Host Extender Info]", *template.host_extenders, "", "[Workspace]"]
    lines += [f"{m.name}=0, 0, 0, 0, C" for m in modules]
    return ("\r\n".join(lines) + "\r\n").encode(ENCODING)


def _project_wm_stream(modules: list[VbaModule]) -> bytes:
    """The ``PROJECTwm`` stream: module names in code page and UTF-16."""
    out = bytearray()
    for module in modules:
        out += module.name.encode(ENCODING) + b"\x00"
        out += module.name.encode("utf-16-le") + b"\x00\x00"
    return bytes(out + b"\x00\x00")


#: ``_VBA_PROJECT`` without a performance cache: Reserved1 0x61CC,
#: Version 0xFFFF (= ignore any cache, compile from source), Reserved2 0x00,
#: Reserved3 (undefined, 0x0001 as written by the xlwings template).
VBA_PROJECT_STREAM = b"\xcc\x61\xff\xff\x00\x01\x00"


def build_vba_project(
    sheet_codenames: list[str], extra_modules: dict[str, str] | None = None
) -> bytes:
    """Return a source-only ``vbaProject.bin`` for xlsxwriter's ``add_vba_project``.

    *sheet_codenames* are the code names of the worksheets, in order (give
    the same names to ``worksheet.set_vba_name``; xlsxwriter's default is
    ``Sheet1``..``SheetN``); the workbook module is ``ThisWorkbook``.
    *extra_modules* maps module names to VBA source; ``None`` means every
    ``macros/vba/*.bas`` file.  The xlwings standalone modules are always
    included, read from the installed xlwings package.
    """
    template = _load_template()
    if extra_modules is None:
        extra_modules = load_bas_modules()
    for name in sheet_codenames:
        _check_identifier(name)
    modules = [_document_module(template, WORKBOOK_MODULE, "ThisWorkbook")]
    modules += [_document_module(template, n, "Sheet1") for n in sheet_codenames]
    modules += _xlwings_modules(template)
    modules += [_user_module(n, s) for n, s in extra_modules.items()]
    names = [m.name.upper() for m in modules]
    duplicates = sorted({m.name for m in modules if names.count(m.name.upper()) > 1})
    if duplicates:
        raise ValueError(f"duplicate VBA module names: {', '.join(duplicates)}")

    streams = {
        "PROJECT": _project_stream(template, modules),
        "PROJECTwm": _project_wm_stream(modules),
        "VBA/_VBA_PROJECT": VBA_PROJECT_STREAM,
        "VBA/dir": compress(_dir_stream(template, modules)),
    }
    for module in modules:
        streams[f"VBA/{module.name}"] = compress(module.source.encode(ENCODING))
    return build_compound_file(streams)


# ---------------------------------------------------------------------------
# Reading back (tests, diagnostics)
# ---------------------------------------------------------------------------


def read_vba_modules(xlsm_or_bin_path: Path | str | bytes) -> dict[str, str]:
    """Module sources of an .xlsm or vbaProject.bin, via oletools' ``olevba``.

    Accepts a path or the file's bytes.  Returns ``{module name: source}``
    with ``\\n`` line endings, as olevba reports them.
    """
    from oletools.olevba import VBA_Parser  # test/diagnostic dependency only

    if isinstance(xlsm_or_bin_path, bytes):
        parser = VBA_Parser("vbaProject.bin", data=xlsm_or_bin_path)
    else:
        parser = VBA_Parser(str(xlsm_or_bin_path))
    try:
        if not parser.detect_vba_macros():
            return {}
        return {
            vba_filename.rsplit(".", 1)[0]: code.replace("\r\n", "\n")
            for _, _, vba_filename, code in parser.extract_macros()
        }
    finally:
        parser.close()
