"""Tests for workbook_gen.vba: MS-OVBA compression, the CFB writer and the VBA project.

The project is read back with independent tools: olefile (compound file),
oletools' ``decompress_stream`` (compression) and ``olevba.VBA_Parser``
(modules of a .bin and of an .xlsm written by xlsxwriter).  What only real
Excel can prove (no repair prompt, modules compile, the button runs) is out
of reach here.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import signal
import struct
import subprocess
import tempfile
import zipfile
from pathlib import Path

import olefile
import pytest
import xlsxwriter
from hypothesis import given, settings
from hypothesis import strategies as st
from oletools.olevba import decompress_stream

from workbook_gen import vba

RUNPYTHON_CALL = 'RunPython "import workbook_gen.excel.tombol as m; m.main()"'
XLWINGS_MODULES = {"xlwings", "Dictionary"}


def ole_decompress(data: bytes) -> bytes:
    """oletools' own MS-OVBA decompressor."""
    return bytes(decompress_stream(bytearray(data)))


def dir_records(ole: olefile.OleFileIO) -> list[tuple[int, bytes]]:
    return vba._parse_records(ole_decompress(ole.openstream("VBA/dir").read()))


def project_lines(ole: olefile.OleFileIO) -> list[str]:
    return ole.openstream("PROJECT").read().decode("cp1252").splitlines()


def document_modules(ole: olefile.OleFileIO) -> list[str]:
    return [
        line.split("=", 1)[1].split("/")[0]
        for line in project_lines(ole)
        if line.startswith("Document=")
    ]


@pytest.fixture(scope="module")
def project() -> bytes:
    return vba.build_vba_project(["Sheet1", "Sheet2", "Sheet3"])


def make_xlsm(path: Path, codenames: list[str]) -> Path:
    """An .xlsm as the generator writes it: code names, VBA project, button."""
    workbook = xlsxwriter.Workbook(str(path))
    workbook.set_vba_name("ThisWorkbook")
    for i, codename in enumerate(codenames):
        sheet = workbook.add_worksheet(f"Lembar {i + 1}")
        sheet.set_vba_name(codename)
        if i == 0:
            sheet.insert_button(
                "B2", {"macro": "HitungCapaian", "caption": "Hitung Capaian", "width": 120}
            )
    workbook.add_vba_project(io.BytesIO(vba.build_vba_project(codenames)), is_stream=True)
    workbook.close()
    return path


# ---------------------------------------------------------------------------
# Compression
# ---------------------------------------------------------------------------


def test_compress_matches_ms_ovba_examples() -> None:
    # [MS-OVBA] 3.2.1 (no compression) and 3.2.2 (normal compression).
    assert vba.compress(b"abcdefghijklmnopqrstuv.") == bytes.fromhex(
        "01 19 B0 00 61 62 63 64 65 66 67 68 00 69 6A 6B 6C 6D 6E 6F 70 00 71 72 73 74 75 76 2E"
    )
    assert vba.compress(b"#aaabcdefaaaaghijaaaaaklaaamnopqaaaaaaaaaaaarstuvwxyzaaa") == (
        bytes.fromhex(
            "01 2F B0 00 23 61 61 61 62 63 64 65 82 66 00 70 61 67 68 69 6A 01 38 08 61 6B 6C"
            " 00 20 6D 6E 6F 70 06 71 02 70 04 00 72 73 74 75 76 10 77 78 79 7A 00 2C"
        )
    )


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"a",
        b"abc",
        b"a" * 5000,  # long overlapping copies, crosses a chunk boundary
        bytes(range(256)) * 40,  # period 256, 10240 bytes
        b"Sub X()\r\n    y = 1\r\nEnd Sub\r\n" * 700,
        os.urandom(8192),  # incompressible full chunks -> raw chunks
        os.urandom(4096) + b"tail" * 10,
    ]
    + [b"0123456789abcdef"[: n % 16 + 1] * (n // (n % 16 + 1) + 1) for n in (4095, 4096, 4097)],
    ids=lambda d: f"{len(d)}B",
)
def test_round_trip_examples(data: bytes) -> None:
    packed = vba.compress(data)
    assert vba.decompress(packed) == data
    assert ole_decompress(packed) == data


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="cp1252"), max_size=12000))
def test_round_trip_text(text: str) -> None:
    data = text.encode("cp1252")
    packed = vba.compress(data)
    assert vba.decompress(packed) == data
    assert ole_decompress(packed) == data


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([b"a", b"ab", b"xyz", b"\x00", b"\xff\xfe", b"  "]), max_size=5000))
def test_round_trip_repetitive(parts: list[bytes]) -> None:
    data = b"".join(parts)
    assert vba.decompress(vba.compress(data)) == data
    assert ole_decompress(vba.compress(data)) == data


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=10000))
def test_round_trip_any_bytes(data: bytes) -> None:
    """Exact, except that an incompressible *partial* last chunk is stored raw
    and so padded to 4096 bytes with zeros, as [MS-OVBA] 2.4.1.3.10 prescribes."""
    packed = vba.compress(data)
    ours, theirs = vba.decompress(packed), ole_decompress(packed)
    assert ours == theirs
    assert ours[: len(data)] == data
    assert set(ours[len(data) :]) <= {0} and len(ours) - len(data) < 4096
    if ours != data:  # only possible when the last chunk is raw
        assert not chunk_headers(packed)[-1] & 0x8000


def chunk_headers(packed: bytes) -> list[int]:
    """Headers of the chunks of a CompressedContainer."""
    headers, pos = [], 1
    while pos < len(packed):
        header = struct.unpack_from("<H", packed, pos)[0]
        headers.append(header)
        pos += (header & 0x0FFF) + 3
    return headers


def test_decompress_rejects_garbage() -> None:
    with pytest.raises(ValueError):
        vba.decompress(b"\x02abc")
    with pytest.raises(ValueError):
        vba.decompress(b"\x01\x00\x00")  # chunk signature is not 0b011


# ---------------------------------------------------------------------------
# Compound file
# ---------------------------------------------------------------------------


def test_compound_file_read_by_olefile_strictly() -> None:
    streams = {
        f"S{i}/data{n}": bytes([i + n % 251]) * n
        for i in range(3)
        for n in (1, 63, 64, 65, 4095, 4096, 4097, 70000)
    }
    streams["top"] = b"x"
    blob = vba.build_compound_file(streams)
    assert blob[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    assert len(blob) % 512 == 0
    with olefile.OleFileIO(blob, raise_defects=olefile.DEFECT_INCORRECT) as ole:
        assert ole.parsing_issues == []
        found = {"/".join(p) for p in ole.listdir()}
        assert found == set(streams)
        for path, data in streams.items():
            assert ole.openstream(path).read() == data


def _directory_entries(blob: bytes) -> list[tuple[str, int, int, int, int, int]]:
    """(name, type, color, left, right, child) of every used directory entry."""
    first_dir = struct.unpack_from("<I", blob, 48)[0]
    fat_sectors = struct.unpack_from("<109I", blob, 76)
    fat = b"".join(blob[512 * (s + 1) : 512 * (s + 2)] for s in fat_sectors if s < 0xFFFFFFFA)
    entries, sector = [], first_dir
    while sector < 0xFFFFFFFA:
        raw = blob[512 * (sector + 1) : 512 * (sector + 2)]
        for i in range(4):
            e = raw[128 * i : 128 * (i + 1)]
            size = struct.unpack_from("<H", e, 64)[0]
            name = e[: max(size - 2, 0)].decode("utf-16-le")
            kind, color = e[66], e[67]
            left, right, child = struct.unpack_from("<III", e, 68)
            entries.append((name, kind, color, left, right, child))
        sector = struct.unpack_from("<I", fat, 4 * sector)[0]
    return entries


def _check_red_black(entries, root: int) -> list[str]:
    """Validate one sibling tree; return its names in order."""
    nil = 0xFFFFFFFF

    def walk(node: int, parent_red: bool) -> tuple[int, list[str]]:
        if node == nil:
            return 1, []
        name, _, color, left, right, _ = entries[node]
        red = color == 0
        assert not (red and parent_red), "red node with red parent"
        hl, nl = walk(left, red)
        hr, nr = walk(right, red)
        assert hl == hr, "unequal black heights"
        return hl + (0 if red else 1), [*nl, name, *nr]

    assert root == nil or entries[root][2] == 1, "tree root must be black"
    _, names = walk(root, False)
    keys = [(len(n), n.upper()) for n in names]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    return names


@pytest.mark.parametrize("count", [*range(1, 20), 31, 32, 33, 64])
def test_directory_is_a_valid_red_black_tree(count: int) -> None:
    names = [f"n{i:03d}{'x' * (i % 5)}" for i in range(count)]
    blob = vba.build_compound_file({f"D/{n}": b"1" for n in names})
    entries = _directory_entries(blob)
    storage = next(i for i, e in enumerate(entries) if e[0] == "D")
    assert sorted(_check_red_black(entries, entries[storage][5])) == sorted(names)


def test_compound_file_rejects_bad_names() -> None:
    with pytest.raises(ValueError):
        vba.build_compound_file({"x" * 32: b""})
    with pytest.raises(ValueError):
        vba.build_compound_file({"A/b": b"1", "A/B": b"2"})


# ---------------------------------------------------------------------------
# The xlwings template
# ---------------------------------------------------------------------------


def test_template_comes_from_installed_pinned_xlwings() -> None:
    path = vba.xlwings_template_path()
    assert path.name == "quickstart_standalone.xlsm" and path.parent.name == "xlwings"
    import importlib.metadata

    assert importlib.metadata.version("xlwings") == vba.XLWINGS_VERSION


def test_xlwings_module_equals_the_wheels_xlwings_bas(project: bytes) -> None:
    """The standalone module is the installed xlwings' own VBA, unmodified."""
    wheel_bas = (vba.xlwings_template_path().parent / "xlwings.bas").read_bytes()
    with olefile.OleFileIO(project) as ole:
        ours = ole_decompress(ole.openstream("VBA/xlwings").read())
    normalise = lambda b: b.replace(b"\r\n", b"\n").rstrip(b"\n")  # noqa: E731
    assert normalise(ours) == normalise(wheel_bas)
    assert b"Public Function RunPython(" in ours


# ---------------------------------------------------------------------------
# vbaProject.bin
# ---------------------------------------------------------------------------


def test_project_streams(project: bytes) -> None:
    with olefile.OleFileIO(project, raise_defects=olefile.DEFECT_INCORRECT) as ole:
        streams = {"/".join(p) for p in ole.listdir()}
        modules = ["ThisWorkbook", "Sheet1", "Sheet2", "Sheet3", "xlwings", "Dictionary",
                   "modHitungCapaian"]  # fmt: skip
        assert streams == {"PROJECT", "PROJECTwm", "VBA/_VBA_PROJECT", "VBA/dir"} | {
            f"VBA/{m}" for m in modules
        }
        # No performance cache: version 0xFFFF, 7 bytes.
        vba_project = ole.openstream("VBA/_VBA_PROJECT").read()
        assert len(vba_project) == 7 and vba_project[:5] == b"\xcc\x61\xff\xff\x00"

        lines = project_lines(ole)
        assert lines[0].startswith('ID="{') and 'Name="VBAProject"' in lines
        assert document_modules(ole) == ["ThisWorkbook", "Sheet1", "Sheet2", "Sheet3"]
        assert {"Module=xlwings", "Class=Dictionary", "Module=modHitungCapaian"} <= set(lines)
        for key in ("HelpContextID=", "VersionCompatible32=", "CMG=", "DPB=", "GC="):
            assert any(line.startswith(key) for line in lines)

        wm = ole.openstream("PROJECTwm").read()
        for m in modules:
            assert m.encode() + b"\x00" + m.encode("utf-16-le") + b"\x00\x00" in wm

        records = dir_records(ole)
        ids = [rid for rid, _ in records]
        info = dict(records)
        assert info[0x0003] == struct.pack("<H", 1252)  # code page
        assert info[0x0004] == b"VBAProject"
        assert info[0x000F] == struct.pack("<H", len(modules))
        assert ids[0] == 0x0001 and ids[-1] == 0x0010
        assert b"Office" in [p for rid, p in records if rid == 0x0016]
        names = [p.decode() for rid, p in records if rid == 0x0019]
        assert names == modules
        offsets = [struct.unpack("<I", p)[0] for rid, p in records if rid == 0x0031]
        assert offsets == [0] * len(modules)  # source only

        # Each module stream is exactly the compressed source, nothing else.
        for m in modules:
            source = ole_decompress(ole.openstream(f"VBA/{m}").read()).decode("cp1252")
            assert source.startswith(f'Attribute VB_Name = "{m}"\r\n')
            assert "\n" not in source.replace("\r\n", "")


def test_read_back_with_olevba(project: bytes) -> None:
    modules = vba.read_vba_modules(project)
    assert set(modules) == {"ThisWorkbook", "Sheet1", "Sheet2", "Sheet3"} | XLWINGS_MODULES | {
        "modHitungCapaian"
    }
    assert re.search(r"^Sub HitungCapaian\(\)$", modules["modHitungCapaian"], re.M)
    assert RUNPYTHON_CALL in modules["modHitungCapaian"]
    assert "Function RunPython(" in modules["xlwings"]
    assert 'VB_Base = "0{00020820-0000-0000-C000-000000000046}"' in modules["Sheet2"]
    assert 'VB_Base = "0{00020819-0000-0000-C000-000000000046}"' in modules["ThisWorkbook"]


def test_bas_file_is_the_default_module() -> None:
    bas = vba.load_bas_modules()
    assert list(bas) == ["modHitungCapaian"]
    assert RUNPYTHON_CALL in bas["modHitungCapaian"]


def test_custom_codenames_and_modules() -> None:
    extra = {"Bantu": 'Sub Halo()\n    MsgBox "halo"\nEnd Sub\n'}
    blob = vba.build_vba_project(["Kinerja", "Anggaran"], extra_modules=extra)
    modules = vba.read_vba_modules(blob)
    assert set(modules) == {"ThisWorkbook", "Kinerja", "Anggaran", "Bantu"} | XLWINGS_MODULES
    assert modules["Bantu"].startswith('Attribute VB_Name = "Bantu"\n')
    with olefile.OleFileIO(blob) as ole:
        assert document_modules(ole) == ["ThisWorkbook", "Kinerja", "Anggaran"]


def test_build_is_deterministic() -> None:
    assert vba.build_vba_project(["Sheet1"]) == vba.build_vba_project(["Sheet1"])


@pytest.mark.parametrize(
    "codenames, extra",
    [
        (["Lembar 1"], {}),  # space
        (["1Sheet"], {}),  # digit first
        (["S" * 32], {}),  # too long
        (["Sheet1", "sheet1"], {}),  # duplicate, VBA names are case-insensitive
        (["xlwings"], {}),  # clashes with the xlwings module
        (["Sheet1"], {"A": 'Attribute VB_Name = "B"\nSub X()\nEnd Sub\n'}),  # name mismatch
        (["Sheet1"], {"A": "' \u20ac ok, \u0101 is not cp1252\n"}),
    ],
)
def test_invalid_input_is_rejected(codenames: list[str], extra: dict[str, str]) -> None:
    with pytest.raises(ValueError):
        vba.build_vba_project(codenames, extra_modules=extra)


# ---------------------------------------------------------------------------
# .xlsm written by xlsxwriter
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def xlsm(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_xlsm(tmp_path_factory.mktemp("xlsm") / "uji.xlsm", ["Sheet1", "Sheet2"])


def test_xlsm_package(xlsm: Path) -> None:
    with zipfile.ZipFile(xlsm) as package:
        names = set(package.namelist())
        assert "xl/vbaProject.bin" in names
        assert package.read("xl/vbaProject.bin") == vba.build_vba_project(["Sheet1", "Sheet2"])
        types = package.read("[Content_Types].xml").decode()
        assert "application/vnd.ms-office.vbaProject" in types
        assert "application/vnd.ms-excel.sheet.macroEnabled.main+xml" in types

        # Code names in the workbook == document modules of the project.
        workbook = package.read("xl/workbook.xml").decode()
        codenames = re.findall(r'<workbookPr[^>]*codeName="([^"]+)"', workbook)
        for i in (1, 2):
            sheet = package.read(f"xl/worksheets/sheet{i}.xml").decode()
            codenames += re.findall(r'<sheetPr[^>]*codeName="([^"]+)"', sheet)
        with olefile.OleFileIO(package.read("xl/vbaProject.bin")) as ole:
            assert codenames == document_modules(ole) == ["ThisWorkbook", "Sheet1", "Sheet2"]

        # The form button runs HitungCapaian.
        vml = [n for n in names if n.startswith("xl/drawings/vmlDrawing")]
        assert len(vml) == 1
        drawing = package.read(vml[0]).decode()
        assert 'ObjectType="Button"' in drawing
        assert "<x:FmlaMacro>[0]!HitungCapaian</x:FmlaMacro>" in drawing
        assert "Hitung Capaian" in drawing


def test_xlsm_read_with_olevba(xlsm: Path) -> None:
    modules = vba.read_vba_modules(xlsm)
    expected = {"ThisWorkbook", "Sheet1", "Sheet2", "modHitungCapaian"} | XLWINGS_MODULES
    assert set(modules) == expected
    assert RUNPYTHON_CALL in modules["modHitungCapaian"]


# ---------------------------------------------------------------------------
# LibreOffice (extra evidence: an independent VBA importer)
# ---------------------------------------------------------------------------


@pytest.mark.libreoffice
def test_libreoffice_imports_modules_and_button(xlsm: Path, tmp_path: Path) -> None:
    try:  # project root on sys.path
        from tests.support.libreoffice import find_soffice, profile_xcu
    except ImportError:  # pytest "prepend" import mode puts tests/ itself on sys.path
        from support.libreoffice import find_soffice, profile_xcu

    soffice = find_soffice()
    if soffice is None:
        if os.environ.get("CI", "").strip().lower() in {"true", "1"}:
            pytest.fail("LibreOffice (soffice) is required in CI")
        pytest.skip("LibreOffice (soffice) not installed")
    with tempfile.TemporaryDirectory(prefix="lo-vba-") as tmp:
        user = Path(tmp) / "profile" / "user"
        user.mkdir(parents=True)
        (user / "registrymodifications.xcu").write_text(profile_xcu(), encoding="utf-8")
        env = {**os.environ, "HOME": tmp, "SAL_USE_VCLPLUGIN": "svp"}
        cmd = [
            soffice, f"-env:UserInstallation={(Path(tmp) / 'profile').as_uri()}",
            "--headless", "--norestore", "--nolockcheck",
            "--convert-to", "ods", "--outdir", str(tmp_path), str(xlsm),
        ]  # fmt: skip
        proc = subprocess.Popen(
            cmd, env=env, cwd=tmp, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            start_new_session=True,
        )  # fmt: skip
        try:
            _, stderr = proc.communicate(timeout=180)
        finally:  # soffice forks soffice.bin: end the whole (own) process group
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
    ods = tmp_path / "uji.ods"
    assert ods.is_file(), stderr.decode(errors="replace")
    with zipfile.ZipFile(ods) as package:
        basic = {
            Path(n).stem: package.read(n).decode()
            for n in package.namelist()
            if n.startswith("Basic/VBAProject/") and not n.endswith("script-lb.xml")
        }
        content = package.read("content.xml").decode()
    assert set(basic) == {"ThisWorkbook", "Sheet1", "Sheet2", "modHitungCapaian"} | XLWINGS_MODULES
    assert 'script:moduleType="document"' in basic["Sheet1"]
    assert (
        "RunPython &quot;import workbook_gen.excel.tombol as m; m.main()&quot;"
        in basic["modHitungCapaian"]
    )
    assert "vnd.sun.star.script:VBAProject.modHitungCapaian.HitungCapaian" in content
