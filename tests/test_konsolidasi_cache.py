"""The cache of incremental runs: a file whose stat is unchanged is neither hashed nor read
again; any change of stat means hash again and the content decides; a renamed file comes
from the cache under its new name; a damaged entry is read again; the positional encoding
gives back exactly what the reader returned."""

from __future__ import annotations

import os
import shutil
import sqlite3
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbook_gen import konsolidasi as kons
from workbook_gen.findings import ERROR, PERINGATAN, Finding
from workbook_gen.konsolidasi import cache as cache_mod
from workbook_gen.konsolidasi import read as read_mod
from workbook_gen.konsolidasi import recap as recap_mod
from workbook_gen.konsolidasi.cache import BerkasCache, decode, encode
from workbook_gen.konsolidasi.kolom import IkuKolom
from workbook_gen.konsolidasi.records import (
    HasilBerkas,
    IkuRingkas,
    PosRingkas,
    SasaranRingkas,
    UnitRingkas,
)

from .test_konsolidasi import expected_capaian
from .test_konsolidasi_riwayat import CLEAN, _data, _gen


@pytest.fixture(scope="module")
def asli(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("asli")
    for kode in CLEAN:
        _gen(_data(kode), folder / f"{kode}.xlsm")
    (folder / "lain").mkdir()
    _gen(_data("900001", iku=[80, 63, 100, 1470]), folder / "lain" / "900001.xlsm")
    return folder


@pytest.fixture
def kiriman(asli, tmp_path) -> Path:
    folder = tmp_path / "kiriman"
    folder.mkdir()
    for kode in CLEAN:
        shutil.copyfile(asli / f"{kode}.xlsm", folder / f"{kode}.xlsm")
    return folder


class Hitung:
    """Counts the files hashed by the parent and the files read by the reader."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.hashed: list[str] = []
        self.read: list[str] = []
        real_hash, real_read = recap_mod.read_regular, read_mod.baca_berkas

        def hash_(path: Any, *a: Any) -> Any:
            self.hashed.append(Path(path).name)
            return real_hash(path, *a)

        def read_(path: str, *a: Any) -> Any:
            self.read.append(Path(path).name)
            return real_read(path, *a)

        monkeypatch.setattr(recap_mod, "read_regular", hash_)
        monkeypatch.setattr(read_mod, "baca_berkas", read_)
        # the files of a test were written just now; remember their stat all the same
        monkeypatch.setattr(cache_mod, "RACY_NS", 0)

    def reset(self) -> None:
        self.hashed.clear()
        self.read.clear()


def _run(folder: Path, db: Path) -> kons.Rekap:
    c = BerkasCache(db)
    try:
        return kons.konsolidasi([folder], workers=1, cache=c)
    finally:
        c.close()


def test_an_unchanged_file_is_neither_hashed_nor_read_again(kiriman, tmp_path, monkeypatch):
    n = Hitung(monkeypatch)
    db = tmp_path / "cache.sqlite"
    first = _run(kiriman, db)
    assert (first.dari_cache, sorted(n.read), n.hashed) == (0, [f"{k}.xlsm" for k in CLEAN], [])
    n.reset()
    again = _run(kiriman, db)
    assert (again.dari_cache, n.read, n.hashed) == (3, [], [])
    assert kons.rekap_to_dict(again)["unit"] == kons.rekap_to_dict(first)["unit"]
    assert kons.rekap_to_dict(again)["iku"] == kons.rekap_to_dict(first)["iku"]
    assert [b.sidik for b in again.berkas] == [b.sidik for b in first.berkas]


def _same_size(a: Path, b: Path) -> None:
    """Pad the smaller of two workbooks with a zip comment until both have one size."""
    for p, other in ((a, b), (b, a)):
        gap = other.stat().st_size - p.stat().st_size
        if gap > 0:
            with zipfile.ZipFile(p, "a") as zf:
                zf.comment = b"x" * gap
    assert a.stat().st_size == b.stat().st_size


def test_new_bytes_with_the_same_size_and_mtime_are_read_again(asli, kiriman, tmp_path,
                                                               monkeypatch):
    n = Hitung(monkeypatch)
    db = tmp_path / "cache.sqlite"
    target = kiriman / "900001.xlsm"
    baru = tmp_path / "baru.xlsm"
    shutil.copyfile(asli / "lain" / "900001.xlsm", baru)
    _same_size(target, baru)
    first = _run(kiriman, db)
    assert {u.kode_satker: u.capaian for u in first.unit}["900001"] == pytest.approx(
        expected_capaian("900001"))
    old = target.stat()
    # same size, same mtime (set back as `touch -d` would), only ctime tells
    target.write_bytes(baru.read_bytes())
    os.utime(target, ns=(old.st_atime_ns, old.st_mtime_ns))
    new = target.stat()
    assert (new.st_size, new.st_mtime_ns, new.st_ino) == (old.st_size, old.st_mtime_ns,
                                                         old.st_ino)
    assert new.st_ctime_ns != old.st_ctime_ns
    n.reset()
    again = _run(kiriman, db)
    assert (n.hashed, n.read, again.dari_cache) == (["900001.xlsm"], ["900001.xlsm"], 2)
    # 80 of 80, 63 of 63, 100 of 100, 1470 of 1470: every IKU at 100 %
    assert {u.kode_satker: u.capaian for u in again.unit}["900001"] == 100.0


def test_a_renamed_file_comes_from_the_cache_under_its_new_name(kiriman, tmp_path,
                                                                monkeypatch):
    n = Hitung(monkeypatch)
    db = tmp_path / "cache.sqlite"
    first = _run(kiriman, db)
    (kiriman / "900003.xlsm").rename(kiriman / "sub_900003_baru.xlsm")
    n.reset()
    again = _run(kiriman, db)
    assert (n.hashed, n.read, again.dari_cache) == (["sub_900003_baru.xlsm"], [], 3)
    names = {b.kode_satker: Path(b.berkas).name for b in again.berkas}
    assert names["900003"] == "sub_900003_baru.xlsm"
    before = {u.kode_satker: u.capaian for u in first.unit}
    assert {u.kode_satker: u.capaian for u in again.unit} == before
    # the next run knows the new name's stat: nothing hashed
    n.reset()
    assert _run(kiriman, db).dari_cache == 3 and n.hashed == [] and n.read == []


@pytest.mark.parametrize("rusak", [b"bukan zlib", zlib.compress(b"[2,1,2]"),
                                   zlib.compress(b"{\"a\": 1}"), zlib.compress(b"[" * 5000)])
def test_a_damaged_entry_is_read_again(kiriman, tmp_path, monkeypatch, rusak):
    n = Hitung(monkeypatch)
    db = tmp_path / "cache.sqlite"
    first = _run(kiriman, db)
    sidik = {b.kode_satker: b.sidik for b in first.berkas}["900005"]
    con = sqlite3.connect(db)
    con.execute("UPDATE cache_berkas SET hasil = ? WHERE sidik = ?", (rusak, sidik))
    con.commit()
    con.close()
    n.reset()
    again = _run(kiriman, db)
    assert (n.hashed, n.read, again.dari_cache) == ([], ["900005.xlsm"], 2)
    assert kons.rekap_to_dict(again)["unit"] == kons.rekap_to_dict(first)["unit"]
    n.reset()  # the entry was written again
    assert _run(kiriman, db).dari_cache == 3 and n.read == []


def test_an_entry_of_another_version_is_dropped_and_recomputed(kiriman, tmp_path,
                                                                monkeypatch):
    n = Hitung(monkeypatch)
    db = tmp_path / "cache.sqlite"
    _run(kiriman, db)
    con = sqlite3.connect(db)
    con.execute("UPDATE cache_berkas SET versi = '0.0.1/1/1'")
    con.commit()
    con.close()
    n.reset()
    again = _run(kiriman, db)
    assert (again.dari_cache, len(n.read)) == (0, 3)
    con = sqlite3.connect(db)
    assert con.execute("SELECT DISTINCT versi FROM cache_berkas").fetchall() == [
        (cache_mod.VERSI,)]


# --------------------------------------------------------------------------- the encoding


def test_real_results_round_trip(asli, tmp_path):
    rusak = tmp_path / "rusak.xlsm"
    rusak.write_bytes(b"PK\x03\x04 bukan zip")
    kosong = tmp_path / "kosong.xlsm"
    _gen(_data("900002", kosong=True), kosong)
    for path in [*(asli / f"{k}.xlsm" for k in CLEAN), rusak, kosong]:
        r = read_mod.baca_berkas(str(path))
        back = decode(encode(r), str(path))
        back.sidik = r.sidik
        assert back == r
        moved = decode(encode(r), "lain/tempat.xlsm")
        assert [f.lokasi for f in moved.masalah + moved.temuan] == [
            "lain/tempat.xlsm" if f.lokasi == str(path) else f.lokasi
            for f in r.masalah + r.temuan]
        slim = decode(encode(r), str(path), keep_baris=False)
        if r.unit is not None:
            assert slim.unit is not None and slim.unit.baris == []
            assert [(h.kode, h.capaian, h.target) for h in slim.unit.iku] == [
                (h.kode, h.capaian, None) for h in r.unit.iku]


teks = st.text(max_size=12)
angka = st.one_of(st.none(), st.floats(allow_nan=False, width=64),
                  st.integers(-10**15, 10**15))
nilai = st.one_of(angka, teks)


def _pos() -> Any:
    return st.builds(PosRingkas, teks, teks, angka, angka, angka, angka)


@st.composite
def hasil(draw: Any) -> HasilBerkas:
    berkas = draw(st.sampled_from(["a.xlsm", "kiriman/b ü.xlsm"]))
    finding = st.builds(Finding, st.sampled_from([ERROR, PERINGATAN]), teks,
                        st.one_of(teks, st.just(berkas)), teks, teks)
    unit = None
    if draw(st.booleans()):
        unit = UnitRingkas(
            draw(teks), draw(teks), draw(st.none() | teks), draw(st.integers(0, 3000)),
            draw(teks), draw(angka), draw(angka), draw(st.none() | teks), draw(st.none() | teks),
            draw(_pos()),
            draw(st.lists(st.builds(SasaranRingkas, teks, teks, angka, angka, st.none() | teks,
                                    angka, angka, angka), max_size=3)),
            draw(st.lists(st.builds(IkuRingkas, teks, teks, teks, angka, angka,
                                    st.none() | teks, st.none() | teks, nilai, nilai),
                          max_size=4)),
            draw(st.lists(_pos(), max_size=3)), draw(st.booleans()),
            draw(st.lists(_pos(), max_size=3)))
    return HasilBerkas(berkas, draw(st.none() | teks), draw(st.none() | teks),
                       draw(st.none() | st.integers(0, 9)), draw(st.none() | st.integers(0, 3000)),
                       draw(st.none() | teks), draw(st.lists(finding, max_size=2)),
                       draw(st.lists(finding, max_size=2)), unit)


@settings(max_examples=200, deadline=None)
@given(hasil())
def test_any_result_round_trips(r):
    back = decode(encode(r), r.berkas)
    assert back == r
    if r.unit is not None:
        assert isinstance(back.unit.iku, IkuKolom)
        assert list(back.unit.iku) == list(r.unit.iku) and len(back.unit.iku) == len(r.unit.iku)
        assert back.unit.iku[::-1] == list(r.unit.iku)[::-1]
        for a, b in zip(back.unit.iku, r.unit.iku, strict=True):
            assert type(a.capaian) is type(b.capaian)


# --------------------------------------------------------------------------- columns


cap = st.one_of(st.none(), st.floats(0, 500, allow_nan=False).map(lambda x: round(x, 2)))
kat = st.sampled_from([None, "Kurang", "Cukup", "Baik", "Sangat Baik"])


@st.composite
def unit_hasil(draw: Any, kode: str) -> HasilBerkas:
    ikus = draw(st.lists(st.sampled_from(["IKU-1", "IKU-2", "IKU-3", "IKU-4"]), max_size=4,
                         unique=True))
    pos = st.builds(PosRingkas, st.sampled_from(["51", "52", "-"]), st.just("Belanja"),
                    st.floats(0, 1e9), st.floats(0, 1e9), cap, st.floats(-1e9, 1e9))
    unit = UnitRingkas(
        kode, f"Unit {kode}", None, 2026, "TW I", draw(cap), draw(cap), draw(kat), None,
        PosRingkas("TOTAL", "Jumlah", draw(st.floats(0, 1e9)), draw(st.floats(0, 1e9)),
                   draw(cap), 0.0),
        [SasaranRingkas(f"SS{i}", f"Sasaran {i}", draw(cap), draw(cap), draw(kat),
                        draw(st.floats(0, 1e9)), 1.0, draw(cap)) for i in range(2)],
        [IkuRingkas(k, draw(st.sampled_from([f"Nama {k}", f"Nama lain {k}"])), "%", draw(cap),
                    draw(cap), draw(kat), None, 10.0, draw(st.none() | st.just("Baik")))
         for k in ikus],
        draw(st.lists(pos, max_size=3)), draw(st.booleans()))
    temuan = [Finding(ERROR, "x", "Realisasi!E7", "salah")] if draw(st.booleans()) else []
    return HasilBerkas(f"{kode}.xlsm", kode, unit.nama, 1, 2026, "TW I", [], temuan, unit)


def _json(rekap: kons.Rekap) -> str:
    import json

    d = kons.rekap_to_dict(rekap)
    del d["ringkasan"]["detik"]
    return json.dumps(d, sort_keys=True)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["900001", "900002", "900003", "900004", "900005"]),
                min_size=1, max_size=5, unique=True).flatmap(
    lambda kodes: st.tuples(*(unit_hasil(k) for k in kodes))), st.booleans())
def test_a_recap_of_units_by_column_equals_the_recap_of_records(results, sertakan_error):
    """Two sides: the recap of the reader's records (lists) and of the same results after
    the cache encoding (columns, views): every figure, mark and JSON field the same."""
    import copy

    lists = recap_mod._assemble(copy.deepcopy(list(results)), None, None, None,
                                sertakan_error)
    columns = recap_mod._assemble([decode(encode(r), r.berkas) for r in results], None, None,
                                  None, sertakan_error)
    assert _json(columns) == _json(lists)
    assert [dict(i.capaian) for i in columns.iku] == [dict(i.capaian) for i in lists.iku]
    assert [(i.nama, i.satuan, i.statistik) for i in columns.iku] == [
        (i.nama, i.satuan, i.statistik) for i in lists.iku]
    for a, b in zip(columns.unit, lists.unit, strict=True):
        assert list(a.iku) == list(b.iku) and list(a.sasaran) == list(b.sasaran)
    # every table row of every recap sheet (the unit x IKU matrix read column by column
    # from the column storage, cell by cell from the records)
    assert _rows(columns) == _rows(lists)


def _rows(rekap: kons.Rekap) -> list[Any]:
    from workbook_gen.tables import Table

    return [(sheet.name, block.rows) for sheet in kons.build_rekap_content(rekap)
            for block in sheet.blocks if isinstance(block, Table)]


def test_a_result_the_encoding_cannot_hold_is_refused_in_words(asli, monkeypatch):
    real = cache_mod.encode
    calls = []

    def once(r: HasilBerkas) -> bytes:
        calls.append(r.berkas)
        if len(calls) == 1:
            raise ValueError("tidak bisa")
        return real(r)

    monkeypatch.setattr(cache_mod, "encode", once)
    path = str(asli / "900001.xlsm")
    sidik, blob = read_mod.baca_dan_kode(path)
    r = decode(blob, path)
    assert sidik is None and r.unit is None
    assert [(f.jenis, f.pesan) for f in r.masalah] == [
        ("tidak_terbaca", "Berkas tidak bisa dibaca (kesalahan tak terduga: ValueError).")]
