"""Roll-over: a new year's workbooks take each IKU's riwayat from last year's returned
workbooks (matched by kode satker and IKU kode)."""

from __future__ import annotations

import copy
import shutil

import pytest
import yaml

from workbook_gen.cli import main
from workbook_gen.katalog.baca import KatalogError
from workbook_gen.katalog.buat import buat_dari_katalog
from workbook_gen.katalog.rollover import penyiap_riwayat, riwayat_dari

from .test_katalog import read_back, three_units, write_katalog
from .workbooks import fill, make_workbook, realisasi_cells


def last_year(tmp_path):
    """Last year's (2025, Tahunan) workbooks of the three units, returned filled in."""
    units = three_units()
    for d in units:
        d["tahun"], d["periode"] = 2025, "tahunan"
    units[0]["sasaran"][0]["iku"][0]["riwayat"] = [{"tahun": 2024, "realisasi": 119}]
    kat = write_katalog(tmp_path, units)
    hasil = buat_dari_katalog(kat, tmp_path / "2025", progress=False, proses=1)
    # unit A's 2025 workbook was made from a spec that carried its 2024 figure
    make_workbook(units[0], hasil.berkas[0])
    for d, path in zip(units, hasil.berkas, strict=True):
        filled = copy.deepcopy(d)
        for s in filled["sasaran"]:
            for iku in s["iku"]:
                if iku.get("jenis") == "kategori":
                    iku["realisasi_tw"] = [None, None, None, "Sangat Baik"]
                else:
                    iku["realisasi_tw"] = [10, 20, 30, 40]
        fill(path, realisasi_cells(filled))
    return units, hasil.berkas


def test_riwayat_from_last_years_workbooks(tmp_path):
    units, _ = last_year(tmp_path)
    riwayat = riwayat_dari(tmp_path / "2025")
    assert riwayat.report.findings == []
    assert riwayat.untuk("426482", "IKU-1", 2026) == [
        {"tahun": 2024, "target": None, "realisasi": 119.0},
        {"tahun": 2025, "target": 80.0, "realisasi": 100.0}]  # kumulatif: 10+20+30+40
    # IKU-5 is 'akhir' (last reported quarter), IKU-7 a kategori label
    assert riwayat.untuk("426491", "IKU-5", 2026) == [
        {"tahun": 2025, "target": 75.0, "realisasi": 40.0}]
    assert riwayat.untuk("426500", "IKU-7", 2026) == [
        {"tahun": 2025, "target": "Baik", "realisasi": "Sangat Baik"}]
    assert riwayat.untuk("426491", "IKU-1", 2025) == []  # only years before the new one

    new = three_units()  # 2026
    (tmp_path / "k26").mkdir()
    kat = write_katalog(tmp_path / "k26", new)
    hasil = buat_dari_katalog(kat, tmp_path / "2026", progress=False, proses=2,
                              siapkan=penyiap_riwayat(tmp_path / "2025"))
    assert hasil.report.findings == []
    b = {i.kode: i for i in read_back(hasil.berkas[1]).semua_iku()}
    assert [(r.tahun, r.target, r.realisasi) for r in b["IKU-1"].riwayat] == [
        (2025, 100.0, 100.0)]
    a = {i.kode: i for i in read_back(hasil.berkas[0]).semua_iku()}
    assert [(r.tahun, r.target, r.realisasi) for r in a["IKU-1"].riwayat] == [
        (2024, None, 119.0), (2025, 80.0, 100.0)]


def test_two_workbooks_for_one_unit_and_year_is_an_error(tmp_path):
    _, files = last_year(tmp_path)
    shutil.copy(files[0], tmp_path / "2025" / "salinan.xlsm")
    new_kat = tmp_path / "baru"
    new_kat.mkdir()
    kat = write_katalog(new_kat, three_units())
    with pytest.raises(KatalogError) as info:
        buat_dari_katalog(kat, tmp_path / "2026", progress=False, proses=1,
                          siapkan=penyiap_riwayat(tmp_path / "2025"))
    assert [f.jenis for f in info.value.report.errors] == ["riwayat_ganda"]
    assert not (tmp_path / "2026").exists()


def test_cli_buat_spec_riwayat_dari(tmp_path, capsys):
    units, _ = last_year(tmp_path)
    spec = copy.deepcopy(units[1])
    spec["tahun"], spec["periode"] = 2026, "TW I"
    path = tmp_path / "unit.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "unit.xlsx"
    assert main(["buat", str(path), "-o", str(out), "--riwayat-dari",
                 str(tmp_path / "2025")]) == 0
    iku = {i.kode: i for i in read_back(out).semua_iku()}
    assert [(r.tahun, r.target, r.realisasi) for r in iku["IKU-3"].riwayat] == [
        (2025, 100.0, 100.0)]
    assert main(["buat", str(path), "-o", str(tmp_path / "x.xlsx"), "--riwayat-dari",
                 str(tmp_path / "tidak-ada")]) == 1
    assert "folder tidak ditemukan" in capsys.readouterr().err


def test_riwayat_from_the_history_store_equals_the_folder(tmp_path):
    """`konsolidasi --simpan DB` then `--riwayat-dari DB`: the same last-year figures as
    reading the returned workbooks themselves (the store holds what the engine computed
    from their raw inputs)."""
    last_year(tmp_path)
    db = tmp_path / "riwayat.db"
    assert main(["konsolidasi", str(tmp_path / "2025"), "-o", str(tmp_path / "rekap.xlsx"),
                 "--simpan", str(db), "--proses", "1"]) == 0
    from_db = riwayat_dari(db)
    from_folder = riwayat_dari(tmp_path / "2025")
    assert from_db.report.findings == []
    for ks, kode in [("426482", "IKU-1"), ("426491", "IKU-5"), ("426500", "IKU-7")]:
        assert from_db.untuk(ks, kode, 2026)[-1] == from_folder.untuk(ks, kode, 2026)[-1]
    assert from_db.untuk("426482", "IKU-1", 2026)[-1] == {
        "tahun": 2025, "target": 80.0, "realisasi": 100.0}
    assert from_db.untuk("426500", "IKU-7", 2026)[-1] == {
        "tahun": 2025, "target": "Baik", "realisasi": "Sangat Baik"}
    assert from_db.untuk("426491", "IKU-1", 2025) == []


def test_riwayat_from_a_damaged_store_is_one_message(tmp_path):
    bad = tmp_path / "rusak.db"
    bad.write_bytes(b"bukan basis data" * 100)
    from workbook_gen.findings import WorkbookGenError

    with pytest.raises(WorkbookGenError) as info:
        riwayat_dari(bad)
    assert "rusak.db" in str(info.value) and "Traceback" not in str(info.value)
