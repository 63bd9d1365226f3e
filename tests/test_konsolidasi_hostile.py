"""Hostile and broken files in a konsolidasi folder: each case is built in a temporary
folder and the CLI runs in a child process with a hard timeout; asserted: exit code, no
"Traceback", the status and reason naming the problem (and the cell where there is one),
and the input bytes unchanged. Plus the faults of a run: workers die with a killed parent,
stale temp files are removed, the output is never one of the inputs."""

from __future__ import annotations

import io
import json
import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbook_gen.konsolidasi.check import FileProblem, check_file
from workbook_gen.konsolidasi.read import baca_berkas

from .test_konsolidasi import UNITS, _gen, sha, unit_data

TIMEOUT = 60  # seconds per command; a hang fails the test instead of blocking the suite


def run(*args: str) -> tuple[int, str, str]:
    proc = subprocess.run([sys.executable, "-m", "workbook_gen", *args], capture_output=True,
                          text=True, timeout=TIMEOUT)
    return proc.returncode, proc.stdout, proc.stderr


@pytest.fixture(scope="module")
def baik(tmp_path_factory) -> Path:
    u = UNITS["900001"]
    return _gen(unit_data("900001", u["nama"], u["iku"], u["anggaran"]),
                tmp_path_factory.mktemp("baik") / "unit_900001.xlsm")


def _rezip(src: Path, dst: Path, edit: Callable[[str, bytes], bytes]) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, edit(info.filename, zin.read(info)))


def _with_prolog(prolog: bytes, part: str) -> Callable[[Path, Path], None]:
    def make(src: Path, dst: Path) -> None:
        def edit(name: str, data: bytes) -> bytes:
            if name != part:
                return data
            head, sep, rest = data.partition(b"?>")
            return head + sep + prolog + rest if sep else prolog + data
        _rezip(src, dst, edit)
    return make


XXE = b'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
LAUGHS = (b'<!DOCTYPE lolz [<!ENTITY lol "lol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (i, b"&lol%d;" % (i - 1) * 10 if i > 1 else
                                                     b"&lol;" * 10) for i in range(1, 10))
          + b"]>")


def _bad_crc(src: Path, dst: Path) -> None:
    data = bytearray(src.read_bytes())
    with zipfile.ZipFile(src) as zf:
        info = zf.getinfo("xl/workbook.xml")
    # the CRC-32 field of the local header and of the central directory entry
    data[info.header_offset + 14] ^= 0xFF
    idx = data.find(b"xl/workbook.xml", data.find(b"PK\x01\x02"))
    start = data.rfind(b"PK\x01\x02", 0, idx)
    assert start != -1
    data[start + 16] ^= 0xFF
    dst.write_bytes(bytes(data))


def _big_part(src: Path, dst: Path) -> None:
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * (65 * 1024 * 1024))


def _meta(changes: dict[str, str]) -> Callable[[Path, Path], None]:
    def make(src: Path, dst: Path) -> None:
        wb = openpyxl.load_workbook(src)
        ws = wb["_meta"]
        done: set[str] = set()
        for row in ws.iter_rows(min_col=1, max_col=2):
            key = row[0].value
            if key in changes:
                row[1].value = None if key in done else changes[key]
                done.add(key)
        assert done == set(changes)
        wb.save(dst)
    return make


def _layout(edit: Callable[[dict], object]) -> Callable[[Path, Path], None]:
    def make(src: Path, dst: Path) -> None:
        wb = openpyxl.load_workbook(src)
        rows = [r for r in wb["_meta"].iter_rows(min_col=1, max_col=2) if r[0].value == "layout"]
        layout = json.loads("".join(str(r[1].value or "") for r in rows))
        rows[0][1].value = json.dumps(edit(layout))
        for r in rows[1:]:
            r[1].value = None
        wb.save(dst)
    return make


def _cell(sheet: str, ref: str, value: object) -> Callable[[Path, Path], None]:
    def make(src: Path, dst: Path) -> None:
        wb = openpyxl.load_workbook(src)
        wb[sheet][ref] = value
        wb.save(dst)
    return make


def _huge_literal(src: Path, dst: Path) -> None:
    """An integer literal of 401 digits in Anggaran!K7 (what no spreadsheet writes)."""
    mid = dst.with_name("tmp_" + dst.name)
    _cell("Anggaran", "K7", 123456789.125)(src, mid)
    _rezip(mid, dst, lambda name, data: data.replace(b"<v>123456789.125</v>",
                                                     b"<v>1" + b"0" * 400 + b"</v>"))
    mid.unlink()


def _drop_iku(layout: dict) -> dict:
    layout["iku_rows"].pop("IKU-2")
    return layout


def _far_row(layout: dict) -> dict:
    layout["iku_rows"]["IKU-2"] = 2_000_000
    return layout


# name, how to build it from a good workbook, expected jenis, text in the reason, lokasi
CASES = [
    ("xxe.xlsx", _with_prolog(XXE, "xl/workbook.xml"), "xml_berbahaya", "DTD", ""),
    ("tawa.xlsx", _with_prolog(LAUGHS, "xl/worksheets/sheet2.xml"), "xml_berbahaya", "DTD",
     ""),
    ("crc.xlsx", _bad_crc, "rusak", "rusak", ""),
    ("bagian_besar.xlsx", _big_part, "bom_zip", "per bagian", ""),
    ("layout_daftar.xlsx", _layout(lambda layout: [1, 2, 3]), "metadata_rusak",
     "layout harus berupa objek", "_meta!A1"),
    ("iku_hilang.xlsx", _layout(_drop_iku), "metadata_rusak", "IKU IKU-2 tidak ada di layout",
     "_meta!A1"),
    ("baris_jauh.xlsx", _layout(_far_row), "metadata_rusak", "bukan nomor baris", "_meta!A1"),
    ("spec_kosong.xlsx", _meta({"spec": "{}"}), "metadata_rusak", "spec kosong", "_meta!A1"),
    ("spec_salah.xlsx", _meta({"spec": "[1, 2]"}), "metadata_rusak", "spec kosong atau bukan",
     "_meta!A1"),
    # a number no workbook can hold is refused at its cell by the input-form rule (like the
    # 400-digit literal below): an "error" unit, shown but not counted, the cell named
    ("angka_1e308.xlsx", _cell("Realisasi", "E7", 1e308), "angka_di_luar_batas",
     "error pada isian", "Realisasi!E7"),
    # the reader already turns a non-finite cell into a finding on its cell: shown as an
    # "error" unit (not counted), with the cell named
    ("angka_10_400.xlsx", _huge_literal, "bukan_angka", "error pada isian", "Anggaran!K7"),
]
SHOWN = {"angka_10_400.xlsx", "angka_1e308.xlsx"}


@pytest.mark.parametrize(("name", "make", "jenis", "teks", "lokasi"), CASES,
                         ids=[c[0] for c in CASES])
def test_a_hostile_workbook_is_refused_with_a_reason(baik, tmp_path, name, make, jenis, teks,
                                                     lokasi):
    folder = tmp_path / "kiriman"
    folder.mkdir()
    bad = folder / name
    make(baik, bad)
    before = sha(bad)
    code, out, err = run("konsolidasi", str(folder), "--json", "--proses", "1")
    assert code == (0 if name in SHOWN else 1)
    assert "Traceback" not in out + err and "Error:" not in err
    (b,) = json.loads(out)["berkas"]
    assert b["status"] == ("error" if name in SHOWN else "ditolak")
    assert teks in " ".join(b["alasan"])
    (f,) = [t for t in json.loads(out)["temuan"] if t["tingkat"] == "error"][:1]
    assert (f["jenis"], f["lokasi"]) == (jenis, lokasi)
    assert sha(bad) == before


def test_every_entry_named_like_a_workbook_is_listed(baik, tmp_path):
    folder = tmp_path / "kiriman"
    folder.mkdir()
    (folder / "unit.xlsm").write_bytes(baik.read_bytes())
    (folder / "folder.xlsx").mkdir()
    os.mkfifo(folder / "pipa.xlsx")
    os.symlink(folder / "putar2.xlsx", folder / "putar.xlsx")
    os.symlink(folder / "putar.xlsx", folder / "putar2.xlsx")
    os.symlink(folder / "tidak_ada.xlsx", folder / "patah.xlsm")
    os.symlink(folder, folder / "balik")  # a symlinked folder pointing back: searched once
    code, out, err = run("konsolidasi", str(folder), "--json", "--proses", "1")
    assert code == 0, err
    assert "Traceback" not in out + err
    got = {Path(b["berkas"]).name: (b["status"], " ".join(b["alasan"]))
           for b in json.loads(out)["berkas"]}
    assert set(got) == {"unit.xlsm", "folder.xlsx", "pipa.xlsx", "putar.xlsx", "putar2.xlsx",
                        "patah.xlsm"}
    assert got["unit.xlsm"][0] == "OK"
    assert got["folder.xlsx"] == ("ditolak", "Ini sebuah folder, bukan berkas workbook, "
                                  "walaupun namanya berakhiran .xlsx/.xlsm.")
    assert "pipa (FIFO)" in got["pipa.xlsx"][1]
    assert "berputar" in got["putar.xlsx"][1] and "berputar" in got["putar2.xlsx"][1]
    assert "tidak ada" in got["patah.xlsm"][1]


def test_an_unreadable_file_is_listed(baik, tmp_path, monkeypatch):
    bad = tmp_path / "rahasia.xlsx"
    bad.write_bytes(baik.read_bytes())
    real_open = os.open

    def refuse(path, *args, **kwargs):  # what chmod 000 does to anyone but root
        if str(path) == str(bad.resolve()):
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    r = baca_berkas(str(bad))
    assert [(f.jenis, f.pesan) for f in r.masalah] == [
        ("tidak_terbaca", "Berkas tidak bisa dibuka (tidak ada izin baca).")]


def test_output_naming_a_unit_workbook_is_refused_even_with_timpa(baik, tmp_path):
    folder = tmp_path / "kiriman"
    folder.mkdir()
    unit = folder / "unit_900001.xlsx"
    _cell("Realisasi", "Q7", "catatan")(baik, unit)  # a unit's .xlsx workbook
    before = sha(unit)
    for argv in (["konsolidasi", str(folder), "-o", str(unit), "--timpa"],
                 ["konsolidasi", str(unit), "-o", str(unit), "--timpa"]):
        code, out, err = run(*argv)
        assert code == 1 and "Traceback" not in out + err
        assert "tidak akan menimpanya" in err or "salah satu MASUKAN" in err
        assert sha(unit) == before


def test_stale_temp_files_of_a_killed_run_are_removed(baik, tmp_path):
    out = tmp_path / "rekap.xlsx"
    stale = tmp_path / ".rekap.abc123.xlsx.tmp"
    fresh = tmp_path / ".rekap.def456.xlsx.tmp"
    stale.write_bytes(b"sisa")
    fresh.write_bytes(b"run lain yang sedang menulis")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    code, _, err = run("konsolidasi", str(baik), "-o", str(out))
    assert code == 0, err
    assert not stale.exists() and fresh.exists()


def _children(pid: int) -> list[int]:
    out = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                fields = (d / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                out.append(int(d.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_workers_die_when_the_parent_is_killed(baik, tmp_path):
    folder = tmp_path / "banyak"
    folder.mkdir()
    for i in range(400):
        os.link(baik, folder / f"u{i:03d}.xlsm")
    proc = subprocess.Popen([sys.executable, "-m", "workbook_gen", "konsolidasi", str(folder),
                             "--json", "--proses", "2"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 30
        workers: list[int] = []
        while time.time() < deadline and len(workers) < 2:
            workers = _children(proc.pid)
            time.sleep(0.05)
        assert len(workers) >= 2, "no worker processes seen"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        deadline = time.time() + 10
        while time.time() < deadline and any(_alive(w) for w in workers):
            time.sleep(0.1)
        assert not any(_alive(w) for w in workers)
    finally:
        if proc.poll() is None:
            proc.kill()


# --------------------------------------------------------------------------- the parts read


def _sheet_part(book: Path, sheet: str) -> str:
    """The part of a sheet, found here with a regex (the code under test uses expat)."""
    with zipfile.ZipFile(book) as zf:
        wb = zf.read("xl/workbook.xml").decode()
        rels = zf.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(r'<sheet name="' + re.escape(sheet) + r'"[^>]*r:id="([^"]+)"', wb).group(1)
    target = re.search(r'Id="' + rid + r'"[^>]*Target="([^"]+)"', rels).group(1)
    return "xl/" + target


def _crc_of(part: str) -> Callable[[Path, Path], None]:
    def make(src: Path, dst: Path) -> None:
        data = bytearray(src.read_bytes())
        with zipfile.ZipFile(src) as zf:
            info = zf.getinfo(part)
        data[info.header_offset + 14] ^= 0xFF  # CRC-32 in the local header
        start = data.rfind(b"PK\x01\x02", 0, data.find(part.encode(), data.find(b"PK\x01\x02")))
        data[start + 16] ^= 0xFF  # and in the central directory
        dst.write_bytes(bytes(data))
    return make


@pytest.mark.parametrize("sheet", ["_meta", "Identitas", "Target", "Realisasi", "Anggaran"])
@pytest.mark.parametrize("damage", ["crc", "dtd"])
def test_a_damaged_part_of_a_sheet_the_reader_reads_is_refused(baik, tmp_path, sheet, damage):
    part = _sheet_part(baik, sheet)
    bad = tmp_path / "rusak.xlsm"
    (_crc_of(part) if damage == "crc" else _with_prolog(XXE, part))(baik, bad)
    r = baca_berkas(str(bad))
    assert r.unit is None
    (f,) = r.masalah
    if damage == "crc":
        assert (f.jenis, f.pesan) == ("rusak", f"Bagian '{part}' rusak (isinya tidak cocok "
                                      "dengan checksum CRC); berkasnya berubah saat dikirim "
                                      "atau disimpan.")
    else:
        assert (f.jenis, f.pesan) == ("xml_berbahaya", f"Bagian '{part}' memuat deklarasi DTD "
                                      "atau entitas XML; Excel tidak pernah menulisnya, jadi "
                                      "berkas ini ditolak demi keamanan.")
    # check_file (every worksheet) says the same
    with pytest.raises(FileProblem) as exc:
        check_file(bad)
    assert (exc.value.jenis, exc.value.pesan) == (f.jenis, f.pesan)


def test_a_damaged_sheet_the_reader_never_opens_is_read_by_konsolidasi(baik, tmp_path):
    """Petunjuk and the summary sheets are never parsed by konsolidasi: their CRC is not
    its concern (check_file, which other readers use, still checks every worksheet)."""
    part = _sheet_part(baik, "Ringkasan Capaian")
    bad = tmp_path / "ringkasan_rusak.xlsm"
    _crc_of(part)(baik, bad)
    good = baca_berkas(str(baik))
    r = baca_berkas(str(bad))
    assert r.masalah == [] and r.unit == good.unit and r.temuan == good.temuan
    with pytest.raises(FileProblem) as exc:
        check_file(bad)
    assert exc.value.jenis == "rusak" and part in exc.value.pesan


def _edit_member(src: Path, dst: Path, name: str, edit: Callable[[bytes], bytes]) -> None:
    _rezip(src, dst, lambda n, d: edit(d) if n == name else d)


@pytest.mark.parametrize("how", ["rid_twice", "sheet_without_id", "target_missing",
                                 "workbook_not_xml"])
def test_an_unclear_sheet_map_checks_every_worksheet(baik, tmp_path, how):
    """When workbook.xml and its rels do not say plainly which part holds which sheet,
    every worksheet gets the CRC check, as before."""
    from workbook_gen.konsolidasi import check as chk

    edits = {
        "rid_twice": ("xl/_rels/workbook.xml.rels",
                      lambda d: d.replace(b"<Relationship ", b'<Relationship Id="rId1" '
                                          b'Target="x.xml"/><Relationship ', 1)),
        "sheet_without_id": ("xl/workbook.xml",
                             lambda d: d.replace(b'<sheet name="Target" sheetId="3" r:id="rId3"',
                                                 b'<sheet name="Target" sheetId="3"', 1)),
        "target_missing": ("xl/_rels/workbook.xml.rels",
                           lambda d: d.replace(b'Target="worksheets/sheet3.xml"',
                                               b'Target="worksheets/tidak_ada.xml"', 1)),
        "workbook_not_xml": ("xl/workbook.xml", lambda d: d.replace(b"</sheets>", b"<sheets>")),
    }
    name, edit = edits[how]
    with zipfile.ZipFile(baik) as zf:
        assert edit(zf.read(name)) != zf.read(name)
        assert chk._sheet_parts(baik.read_bytes(), zf.infolist(), ("Target", "_meta")) == {
            _sheet_part(baik, "Target").lower(), _sheet_part(baik, "_meta").lower()}
    probe = tmp_path / "probe.xlsm"
    _edit_member(baik, probe, name, edit)
    with zipfile.ZipFile(probe) as zf:
        assert chk._sheet_parts(probe.read_bytes(), zf.infolist(), ("Target", "_meta")) is None
    # with a summary sheet damaged too, that part is named, as before
    summary = _sheet_part(baik, "Ringkasan Capaian")
    bad = tmp_path / "rusak.xlsm"
    _crc_of(summary)(probe, bad)
    (f,) = baca_berkas(str(bad)).masalah
    assert f.jenis == "rusak" and f"'{summary}' rusak (isinya tidak cocok" in f.pesan


def test_the_repacked_workbook_holds_the_same_parts(baik):
    """What calamine reads: the same parts in order with the same bytes; the checked ones
    (package parts and the sheets read) stored as checked, the others as they came."""
    from workbook_gen.konsolidasi.check import check_and_repack
    from workbook_gen.konsolidasi.read import READ_SHEETS

    data = baik.read_bytes()
    repacked = check_and_repack(data, sheets=READ_SHEETS)
    read = {_sheet_part(baik, s) for s in READ_SHEETS}
    with zipfile.ZipFile(baik) as old, zipfile.ZipFile(io.BytesIO(repacked)) as new:
        assert new.namelist() == old.namelist()
        assert new.testzip() is None
        stored = set()
        for info in new.infolist():
            assert new.read(info) == old.read(info.filename)
            if info.compress_type == zipfile.ZIP_STORED:
                stored.add(info.filename)
            else:
                assert info.compress_type == old.getinfo(info.filename).compress_type
    assert read <= stored
    assert {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/sharedStrings.xml",
            "xl/styles.xml", "[Content_Types].xml"} <= stored
    summary = _sheet_part(baik, "Ringkasan Capaian")
    assert summary not in stored


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 10**6), st.integers(1, 255)), min_size=1, max_size=4),
       st.integers(0, 10**6))
def test_the_fast_inflate_reads_damaged_streams_as_zlib_does(baik, flips, cut):
    """check.py inflates with zlib-ng: on any damaged deflate stream (bytes flipped, cut
    short) it gives what zlib gives, or fails where zlib fails."""
    import zlib

    from workbook_gen.konsolidasi.check import _inflate

    with zipfile.ZipFile(baik) as zf:
        info = zf.getinfo("xl/sharedStrings.xml")
    data = baik.read_bytes()
    off = info.header_offset
    start = off + 30 + int.from_bytes(data[off + 26:off + 28], "little") \
        + int.from_bytes(data[off + 28:off + 30], "little")
    raw = bytearray(data[start:start + info.compress_size])
    for pos, xor in flips:
        raw[pos % len(raw)] ^= xor
    raw = bytes(raw[:len(raw) - cut % 40])

    def inflate(mod):
        try:
            return mod.decompressobj(-zlib.MAX_WBITS).decompress(raw, 64 * 1024 * 1024 + 1)
        except mod.error:
            return "error"

    assert inflate(_inflate) == inflate(zlib)


_PIECES = st.sampled_from([b"<!DOCTYPE", b"<!doctype", b"<!DocType x", b"<!ENTITY", b"<!entity",
                           b"<!ENTIT", b"< !DOCTYPE", b"<!-- c -->", b"!", b"<", b"<a>", b"x" * 50,
                           "<!ÉNTITY".encode(), b"\xff\xfe", b"<?xml?>"])


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=12), st.integers(0, 70_000))
def test_the_dtd_search_finds_what_the_upper_cased_search_found(pieces, pad):
    """check._declares_dtd against the former rule: the first 64 KB upper-cased, then
    searched for "<!DOCTYPE" and "<!ENTITY" (also across the 64 KB edge)."""
    from workbook_gen.konsolidasi.check import MAX_PROLOG_BYTES, _declares_dtd

    whole = b"".join(pieces[:len(pieces) // 2]) + b" " * pad + b"".join(pieces[len(pieces) // 2:])
    upper = whole[:MAX_PROLOG_BYTES].upper()
    assert _declares_dtd(whole) == (b"<!DOCTYPE" in upper or b"<!ENTITY" in upper)
