"""Safe input files, zip checks, metadata validation and bounds, in-process (fast).

The command-level evidence (subprocesses with timeouts) is in test_hostile.py; here the
building blocks are checked directly, with generated cases where they help.
"""

from __future__ import annotations

import io
import json
import math
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbook_gen import inputfile
from workbook_gen.bounds import MAX_ABS, MIN_ABS, out_of_bounds
from workbook_gen.engine import bulatkan
from workbook_gen.inputfile import InputFileError, check_zip, decode_text, read_bytes, read_text
from workbook_gen.layout import META_MAGIC, MetaError, parse_meta
from workbook_gen.spec import Pengaturan


def _zip(parts: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_decode_error_names_line_and_column():
    data = b"a: 1\nb: 2\ncc: caf" + b"\xe9\n"
    with pytest.raises(InputFileError) as info:
        decode_text(data, "x.yaml")
    assert info.value.lokasi == "baris 3, kolom 8"
    assert "0xe9" in info.value.pesan
    assert "codec" not in str(info.value)


def test_utf8_with_bom_is_read():
    assert decode_text(b"\xef\xbb\xbfnama: X\n", "x.yaml") == "nama: X\n"


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_decode_or_refuse_in_words(data):
    try:
        text = decode_text(data, "x.yaml")
    except InputFileError as exc:
        assert exc.pesan and exc.saran and "codec" not in str(exc)
    else:
        assert isinstance(text, str)


def test_read_limits_and_kinds(tmp_path):
    p = tmp_path / "a.yaml"
    p.write_bytes(b"x" * 100)
    assert read_bytes(p, max_bytes=100) == b"x" * 100
    with pytest.raises(InputFileError, match="terlalu besar"):
        read_bytes(p, max_bytes=99)
    with pytest.raises(InputFileError, match="Ini folder"):
        read_text(tmp_path)
    with pytest.raises(InputFileError) as info:
        read_text(tmp_path / "tidak-ada.yaml")
    assert info.value.jenis == "berkas_tidak_ada"


def test_xml_trap_split_across_chunks_is_found(monkeypatch):
    monkeypatch.setattr(inputfile, "_CHUNK", 1000)
    body = b"<a>" + b" " * (1000 - 3 - 4) + b"<!DOCTYPE x>" + b"</a>"
    assert body.index(b"<!DOCTYPE") < 1000 < body.index(b"<!DOCTYPE") + 9  # it straddles
    with pytest.raises(InputFileError) as info:
        check_zip(_zip({"xl/worksheets/sheet1.xml": body}), "w.xlsx")
    assert info.value.lokasi == "xl/worksheets/sheet1.xml"


def test_utf16_entity_is_found():
    body = '<?xml version="1.0" encoding="UTF-16"?><!ENTITY a "b"><a/>'.encode("utf-16-le")
    with pytest.raises(InputFileError, match="DTD/entitas"):
        check_zip(_zip({"xl/sharedStrings.xml": body}), "w.xlsx")


def test_zip_limits(monkeypatch):
    ok = _zip({"xl/a.xml": b"<a/>", "xl/b.bin": bytes(range(256)) * 10})
    check_zip(ok, "w.xlsx")  # nothing to say
    monkeypatch.setattr(inputfile, "MAX_ZIP_PARTS", 1)
    with pytest.raises(InputFileError, match="2 bagian"):
        check_zip(ok, "w.xlsx")
    monkeypatch.setattr(inputfile, "MAX_ZIP_PARTS", 10)
    monkeypatch.setattr(inputfile, "MAX_TOTAL_BYTES", 2000)
    with pytest.raises(InputFileError, match="melebihi"):
        check_zip(ok, "w.xlsx")


def test_openpyxl_refuses_dtds_itself():
    """Second line of defence behind check_zip: openpyxl parses with defusedxml, or (when
    lxml is installed, as python-docx brings it) with lxml's parser that never resolves
    entities."""
    assert openpyxl.DEFUSEDXML is True
    from defusedxml import DTDForbidden, EntitiesForbidden
    from openpyxl.xml.functions import fromstring, iterparse

    bomb = b'<!DOCTYPE a [<!ENTITY b "c">]><a>&b;</a>'
    try:
        root = fromstring(bomb)
    except (DTDForbidden, EntitiesForbidden):
        pass
    else:  # lxml with resolve_entities=False: the entity stays unexpanded
        assert openpyxl.xml.LXML is True
        assert (root.text or "") != "c"
    with pytest.raises((DTDForbidden, EntitiesForbidden)):
        list(iterparse(io.BytesIO(bomb)))


# --------------------------------------------------------------------------- metadata


def _meta_rows(layout: object, spec: object, **over: str) -> list[tuple[str, str]]:
    values = {"aplikasi": META_MAGIC, "versi_template": "1", "hash_spec": "0" * 16,
              "kode_satker": "1", "tahun": "2026", "layout": json.dumps(layout),
              "spec": json.dumps(spec)}
    values.update(over)
    return list(values.items())


GOOD_SPEC = {"unit": {}, "sasaran": [{"iku": [{"kode": "I1"}, {"kode": "I2"}]}],
             "anggaran": {"kegiatan": [{"kode": "K", "komponen": [{"kode": "01"}]}]}}
GOOD_LAYOUT = {"iku_rows": {"I1": 6, "I2": 7}, "line_rows": {"K/01": 6}}


def test_good_meta_is_read():
    meta = parse_meta(_meta_rows(GOOD_LAYOUT, GOOD_SPEC))
    assert meta.layout.iku_rows == {"I1": 6, "I2": 7}
    assert meta.tahun == 2026


@pytest.mark.parametrize(("layout", "spec", "reason"), [
    ([1, 2], GOOD_SPEC, "layout: seharusnya bagian bernama"),
    ({"iku_rows": {"I1": 6}, "line_rows": {"K/01": 6}}, GOOD_SPEC,
     "IKU 'I2' ada di spec tetapi tidak ada di layout"),
    ({"iku_rows": {"I1": 6, "I2": 1_048_577}, "line_rows": {"K/01": 6}}, GOOD_SPEC,
     "layout.iku_rows.I2: nomor baris 1048577 di luar lembar"),
    ({"iku_rows": {"I1": 7, "I2": 6}, "line_rows": {"K/01": 6}}, GOOD_SPEC,
     "IKU 'I1' tercatat di baris 7, seharusnya baris 6"),
    (GOOD_LAYOUT, {}, "spec: bagian 'sasaran' tidak ada"),
    (GOOD_LAYOUT, {"unit": {}, "sasaran": "x"}, "spec.sasaran: seharusnya daftar"),
    (GOOD_LAYOUT, [], "spec: seharusnya bagian bernama"),
])
def test_damaged_meta_gives_the_reason(layout, spec, reason):
    with pytest.raises(MetaError) as info:
        parse_meta(_meta_rows(layout, spec))
    assert reason in str(info.value)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner,
                                                                max_size=4),
    max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(layout=json_values, spec=json_values, tahun=st.text(max_size=8))
def test_any_meta_reads_or_says_why(layout, spec, tahun):
    try:
        parse_meta(_meta_rows(layout, spec, tahun=tahun))
    except MetaError as exc:
        assert str(exc)


# --------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(("x", "bad"), [
    (0.0, False), (80.0, False), (9.99e14, False), (-9.99e14, False), (1e-9, False),
    (1e15, True), (1e30, True), (1e308, True), (-1e15, True), (1e-10, True), (5e-324, True),
    (math.inf, True), (math.nan, True), (10**400, True), (-(10**15), True), (10**15 - 1, False),
])
def test_bounds(x, bad):
    assert (out_of_bounds(x) is not None) is bad
    assert MIN_ABS < MAX_ABS


@settings(max_examples=500, deadline=None)
@given(st.floats(allow_nan=True, allow_infinity=True), st.integers(0, 6),
       st.sampled_from(["setengah_ke_atas", "potong"]))
def test_bulatkan_never_raises(x, desimal, pembulatan):
    from dataclasses import replace

    p = replace(Pengaturan(), desimal=desimal, pembulatan=pembulatan)
    got = bulatkan(x, p)
    if math.isfinite(x):
        assert got is not None and abs(got - x) <= 10 ** -desimal + abs(x) * 1e-12
    else:
        assert got is None


def test_no_file_is_left_open(tmp_path):
    p = tmp_path / "a.yaml"
    p.write_text("a: 1\n", encoding="utf-8")
    for _ in range(2000):  # would exhaust the default 1024 descriptors if one leaked
        read_text(p)
    assert Path(p).read_text(encoding="utf-8") == "a: 1\n"


def test_unreadable_file_in_words(tmp_path, monkeypatch):
    """Root may read anything, so the refusal of the OS is simulated at os.open."""
    p = tmp_path / "a.yaml"
    p.write_text("a: 1\n", encoding="utf-8")

    def denied(*_args, **_kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(inputfile.os, "open", denied)
    with pytest.raises(InputFileError) as info:
        read_text(p)
    assert info.value.pesan == "Berkas tidak boleh dibaca (hak akses ditolak)."
    assert "Errno" not in str(info.value)


def test_periksa_json_for_a_file_that_cannot_be_read(tmp_path, capsys):
    from workbook_gen.cli import main

    folder = tmp_path / "kiriman.xlsm"
    folder.mkdir()
    assert main(["periksa", str(folder), "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["valid"] is False
    assert data["temuan"] == [{"tingkat": "error", "jenis": "berkas_tidak_terbaca",
                               "lokasi": str(folder), "pesan": "Ini folder, bukan berkas.",
                               "saran": "Tulis nama berkas di dalam folder itu."}]
