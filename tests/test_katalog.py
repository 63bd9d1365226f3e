"""The katalog: one national indicator set and every unit's targets and pagu -> one
workbook per unit, equal to the workbook of the matching one-unit spec."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from workbook_gen.cli import main
from workbook_gen.engine import hitung
from workbook_gen.katalog.baca import KatalogError, read_tables
from workbook_gen.katalog.buat import buat_dari_katalog, nama_berkas
from workbook_gen.katalog.kosong import katalog_bytes, rows_from_specs
from workbook_gen.katalog.susun import load_katalog, periksa_unit
from workbook_gen.konsolidasi.source import CalamineSource
from workbook_gen.reader import read_workbook
from workbook_gen.spec import spec_from_data

from .conftest import BANTEN
from .workbooks import cleared, fill, load_data, realisasi_cells


def three_units() -> list[dict[str, Any]]:
    """Banten's indicator set for three units with their own targets and pagu."""
    a = cleared(load_data(BANTEN))
    for s in a["sasaran"]:
        for d in s["iku"]:
            d.pop("riwayat", None)
            d.pop("faktor_penghambat", None)
    a["anggaran"].pop("total")
    b, c = copy.deepcopy(a), copy.deepcopy(a)
    b["unit"] = {"kode_satker": "426491", "nama": "BP3MI Jawa Barat", "provinsi": "Jawa Barat",
                 "kepala": "SITI AMINAH", "nip": "197305121998032001"}
    iku_b = {d["kode"]: d for s in b["sasaran"] for d in s["iku"]}
    iku_b["IKU-1"].update(target=100, target_tw=[25, 25, 25, 25])
    iku_b["IKU-3"]["target_revisi"] = 90
    line = b["anggaran"]["kegiatan"][1]["komponen"][0]
    line.update(pagu_awal="6.000.000.000", pagu_revisi=5_500_000_000)
    c["unit"] = {"kode_satker": "426500", "nama": "P4MI Tangerang/Serang"}
    iku_c = {d["kode"]: d for s in c["sasaran"] for d in s["iku"]}
    iku_c["IKU-4"].update(target=300, target_tw=None)
    iku_c["IKU-4"].pop("target_tw")
    c["anggaran"]["kegiatan"] = c["anggaran"]["kegiatan"][:1]
    return [a, b, c]


def write_katalog(tmp_path: Path, units: list[dict[str, Any]], edit=None) -> Path:
    rows, pengaturan = rows_from_specs(units)
    if edit is not None:
        edit(rows, pengaturan)
    path = tmp_path / "katalog.xlsx"
    path.write_bytes(katalog_bytes(rows, pengaturan=pengaturan))
    return path


def read_back(path: Path):
    source = CalamineSource(path.read_bytes())
    return read_workbook(source, str(path)).spec


def test_three_units_equal_their_one_unit_specs(tmp_path):
    units = three_units()
    katalog = write_katalog(tmp_path, units)
    hasil = buat_dari_katalog(katalog, tmp_path / "out", proses=2, progress=False)
    assert [p.name for p in hasil.berkas] == ["426482_BP3MI_Banten.xlsm",
                                             "426491_BP3MI_Jawa_Barat.xlsm",
                                             "426500_P4MI_Tangerang_Serang.xlsm"]
    assert hasil.report.errors == []
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [p.name for p in hasil.berkas]
    for data, path in zip(units, hasil.berkas, strict=True):
        # the workbook, filled with the template's realisasi, computes what the one-unit
        # spec with the same realisasi computes
        filled = copy.deepcopy(data)
        template = load_data(BANTEN)
        for s, s_t in zip(filled["sasaran"], template["sasaran"], strict=True):
            for d, dt in zip(s["iku"], s_t["iku"], strict=True):
                d["realisasi_tw"] = dt["realisasi_tw"]
        kept = {c["nama"] for k in filled["anggaran"]["kegiatan"] for c in k["komponen"]}
        for k, kt in zip(filled["anggaran"]["kegiatan"], template["anggaran"]["kegiatan"],
                         strict=False):
            for c, ct in zip(k["komponen"], kt["komponen"], strict=True):
                c["realisasi_tw"] = ct["realisasi_tw"]
        assert kept
        fill(path, realisasi_cells(filled))
        got = hitung(read_back(path))
        want = hitung(spec_from_data(filled, "x"))
        assert got.spec.unit.nama == data["unit"]["nama"]
        assert [(h.kode, h.target, h.target_revisi, h.target_tw, h.realisasi, h.capaian,
                 h.capaian_revisi, h.kategori) for h in got.iku] == [
            (h.kode, h.target, h.target_revisi, h.target_tw, h.realisasi, h.capaian,
             h.capaian_revisi, h.kategori) for h in want.iku]
        assert [(s.kode, s.capaian, s.pagu, s.realisasi_anggaran) for s in got.sasaran] == [
            (s.kode, s.capaian, s.pagu, s.realisasi_anggaran) for s in want.sasaran]
        assert got.capaian_rata_rata == want.capaian_rata_rata
        assert got.anggaran.total == want.anggaran.total
        assert got.anggaran.baris == want.anggaran.baris
    # hand-checked figures
    b = read_back(hasil.berkas[1])
    ikus = {i.kode: i for i in b.semua_iku()}
    assert (ikus["IKU-1"].target, ikus["IKU-3"].target_revisi) == (100.0, 90.0)
    assert b.unit.nip == "197305121998032001"
    assert {ln.key: (ln.pagu_awal, ln.pagu_revisi) for ln in b.anggaran}["02/01"] == (
        6_000_000_000.0, 5_500_000_000.0)
    a = read_back(hasil.berkas[0])
    assert {i.kode: i.target for i in a.semua_iku()}["IKU-4"] == 1470.0
    assert sum(ln.pagu_awal for ln in a.anggaran) == 9_355_124_000.0
    c = read_back(hasil.berkas[2])
    assert len(c.anggaran) == 6
    assert {i.kode: i.target for i in c.semua_iku()}["IKU-4"] == 300.0
    # cached formula values are the engine's: IKU-1 of unit B, 10 of 100 (TW I target 25)
    ws = openpyxl.load_workbook(hasil.berkas[1], data_only=True)["Realisasi"]
    assert ws["B6"].value == "IKU-1"


def test_target_row_missing_is_a_warning_and_an_empty_target(tmp_path):
    units = three_units()

    def drop(rows, _):
        rows["target"] = [r for r in rows["target"]
                          if not (r["kode_satker"] == "426500" and r["kode_iku"] == "IKU-5")]

    kat = load_katalog(write_katalog(tmp_path, units, drop))
    specs, report = periksa_unit(kat)
    assert [(f.tingkat, f.jenis, f.lokasi) for f in report] == [
        ("peringatan", "target_kosong", "Unit!A6")]
    assert {i.kode: i.target for i in specs[2].semua_iku()}["IKU-5"] is None


def test_every_problem_reported_at_once_with_sheet_and_cell(tmp_path):
    units = three_units()

    def damage(rows, pengaturan):
        rows["unit"][1]["kode_satker"] = "426482"  # Unit!A5: second unit, same code
        rows["iku"][1]["polaritas"] = "maks"  # IKU!F5
        rows["target"][0]["target"] = "1,470"  # Target!C4: 1470 or 1,47?
        rows["target"].append({"kode_satker": "426482", "kode_iku": "IKU-99", "target": 5})
        rows["anggaran"][0]["kode_sasaran"] = "SS9"  # Anggaran!F4
        pengaturan["periode"] = "TW 5"  # Pengaturan!B5

    path = write_katalog(tmp_path, units, damage)
    n_target = len(read_tables(path).tabel["target"])
    with pytest.raises(KatalogError) as info:
        buat_dari_katalog(path, tmp_path / "out", proses=1, progress=False)
    got = {(f.lokasi, f.jenis) for f in info.value.report.errors}
    assert got == {
        ("Pengaturan!B5", "periode"),
        ("Unit!A5", "kode_ganda"),
        ("Target!A11", "unit_tidak_dikenal"),  # the targets of the unit typed twice
        ("Anggaran!A12", "unit_tidak_dikenal"),
        (f"Target!B{n_target + 3}", "iku_tidak_dikenal"),
        ("IKU!F5", "struktur"),
        ("Target!C4", "bukan_angka"),
        ("Anggaran!F4", "sasaran_tidak_dikenal"),
    }
    # nothing written: the folder is not even created
    assert not (tmp_path / "out").exists()


def test_yaml_and_csv_katalog_give_the_same_units(tmp_path):
    units = three_units()
    rows, pengaturan = rows_from_specs(units)
    doc = {"versi_katalog": 1, "pengaturan": pengaturan,
           **{k: v for k, v in rows.items() if k != "pengaturan"}}
    y = tmp_path / "katalog.yaml"
    y.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    csvdir = tmp_path / "csv"
    csvdir.mkdir()
    from workbook_gen.katalog.format import TABEL

    for tabel in TABEL:
        items = ([{"pengaturan": k, "nilai": v} for k, v in pengaturan.items()]
                 if tabel.kunci == "pengaturan" else rows.get(tabel.kunci, []))
        lines = [";".join(k.key for k in tabel.kolom)]
        for it in items:
            lines.append(";".join("" if it.get(k.key) is None else str(it[k.key])
                                  for k in tabel.kolom))
        (csvdir / f"{tabel.kunci}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    xlsx = write_katalog(tmp_path, units)
    datas = []
    for src in (xlsx, y, csvdir):
        specs, report = periksa_unit(load_katalog(src))
        assert report.errors == [], (src, report.format_table())
        datas.append([(s.unit, [(i.kode, i.target, i.target_tw, i.target_revisi)
                                for i in s.semua_iku()],
                       [(ln.key, ln.pagu_awal, ln.pagu_revisi) for ln in s.anggaran])
                      for s in specs])
    assert datas[0] == datas[1] == datas[2]


def test_yaml_katalog_errors_name_the_yaml_path(tmp_path):
    y = tmp_path / "k.yaml"
    y.write_text("versi_katalog: 1\npengaturan: {tahun: 2026, periode: TW I}\n"
                 "sasaran: [{kode: S1, nama: Satu}]\n"
                 "iku: [{kode_sasaran: S1, kode: I1, nama: Satu, satuan: Orang, "
                 "agregasi: tiap}]\n"
                 "unit: [{kode_satker: '001', nama: Unit A}]\n"
                 "target: [{kode_satker: '001', kode_iku: I1, target: '12,5%'}]\n",
                 encoding="utf-8")
    _, report = periksa_unit(load_katalog(y))
    # '12,5%' in an Orang IKU: a unit sign that contradicts the satuan (issue 10)
    assert [(f.lokasi, f.jenis) for f in report.errors] == [
        ("k.yaml: iku[0].agregasi", "struktur"),
        ("k.yaml: target[0].target", "satuan_tidak_sesuai")]


def test_safe_file_names():
    assert nama_berkas("426482", "BP3MI Banten") == "426482_BP3MI_Banten.xlsm"
    assert nama_berkas("00/12", "Kantor: Ç..\\ <x>", ".xlsx") == "00_12_Kantor_C_x.xlsx"
    assert len(nama_berkas("1", "x" * 200)) == 60 + len(".xlsm")
    assert nama_berkas("CON", "") == "CON_unit.xlsm"  # a name Windows refuses


def test_cli_katalog_kosong_then_periksa_and_buat(tmp_path, capsys):
    kosong = tmp_path / "kosong.xlsx"
    assert main(["katalog-kosong", "-o", str(kosong)]) == 0
    # the empty katalog has only example rows: periksa says what is missing
    assert main(["periksa", str(kosong)]) == 1
    out = capsys.readouterr()
    assert "Pengaturan!B4" in out.out and "'tahun' wajib diisi" in out.out
    path = write_katalog(tmp_path, three_units())
    assert main(["periksa", str(path)]) == 0
    assert main(["buat", str(path), "-o", str(tmp_path / "hasil"), "--proses", "1"]) == 0
    assert "Selesai: 3 workbook unit ditulis" in capsys.readouterr().out
    # a second run refuses to overwrite without --timpa
    assert main(["buat", str(path), "-o", str(tmp_path / "hasil")]) == 1
    assert "--timpa" in capsys.readouterr().err


def test_daftar_unit_for_the_consolidation(tmp_path):
    from workbook_gen.katalog.susun import daftar_unit

    path = write_katalog(tmp_path, three_units())
    assert daftar_unit(path) == [("426482", "BP3MI Banten"), ("426491", "BP3MI Jawa Barat"),
                                 ("426500", "P4MI Tangerang/Serang")]


def test_workbook_from_katalog_equals_workbook_from_its_spec_cell_by_cell(tmp_path):
    """Two independent roads to one unit's workbook (its YAML spec through load_spec's
    path, and the katalog row through the katalog reader) give the same cells."""
    from workbook_gen.layout import IDENTITAS_ROWS

    from .workbooks import make_workbook, sheet_values

    units = three_units()
    hasil = buat_dari_katalog(write_katalog(tmp_path, units), tmp_path / "out", proses=1,
                              progress=False, macro=False)
    for data, path in zip(units, hasil.berkas, strict=True):
        single = sheet_values(make_workbook(data, tmp_path / "satu.xlsx"))
        got = sheet_values(path)
        assert list(got) == list(single)
        for name in got:
            if name == "_meta":
                continue  # the same spec, written once as YAML typed it, once as cells did
            rows, want = got[name], single[name]
            if name == "Identitas":  # the spec's fingerprint differs for the same reason
                k = IDENTITAS_ROWS["hash_spec"] - 1
                rows, want = rows[:k] + rows[k + 1:], want[:k] + want[k + 1:]
            assert rows == want, name


def test_broken_katalog_file_is_refused_without_traceback(tmp_path, capsys):
    bad = tmp_path / "katalog.xlsx"
    bad.write_bytes(b"PK\x03\x04 terpotong")
    assert main(["buat", str(bad), "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "Katalog tidak bisa dibaca" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_nip_typed_as_a_number_is_an_error(tmp_path):
    units = three_units()

    def as_number(rows, _):
        rows["unit"][1]["nip"] = 197305121998032001  # Excel keeps 197305121998032000

    _, report = periksa_unit(load_katalog(write_katalog(tmp_path, units, as_number)))
    assert [(f.lokasi, f.jenis) for f in report.errors] == [("Unit!E5", "nip_angka")]


def test_yaml_katalog_with_own_categories(tmp_path):
    y = tmp_path / "k.yaml"
    y.write_text("versi_katalog: 1\n"
                 "pengaturan:\n  tahun: 2026\n  periode: Tahunan\n  kategori:\n"
                 "    - {nama: Memuaskan, minimal: 90, warna: '#5B9BD5', lebih_dari: true}\n"
                 "    - {nama: Belum, minimal: null, warna: '#FF6B6B'}\n"
                 "sasaran: [{kode: S1, nama: Satu}]\n"
                 "iku: [{kode_sasaran: S1, kode: I1, nama: Satu, satuan: Orang}]\n"
                 "unit: [{kode_satker: '001', nama: Unit A}]\n"
                 "target: [{kode_satker: '001', kode_iku: I1, target: 10}]\n",
                 encoding="utf-8")
    specs, report = periksa_unit(load_katalog(y))
    assert report.findings == []
    assert [(b.nama, b.minimal, b.lebih_dari) for b in specs[0].pengaturan.kategori] == [
        ("Memuaskan", 90, True), ("Belum", None, False)]
    assert (specs[0].periode, specs[0].unit.kode_satker) == ("tahunan", "001")


def test_a_unit_error_writes_no_workbook_at_all(tmp_path):
    units = three_units()

    def one_bad_value(rows, _):
        rows["target"][-1]["target"] = "tujuh"  # last unit, last IKU

    path = write_katalog(tmp_path, units, one_bad_value)
    n_target = len(read_tables(path).tabel["target"])
    with pytest.raises(KatalogError) as info:
        buat_dari_katalog(path, tmp_path / "out", proses=2, progress=False)
    assert [(f.lokasi, f.jenis) for f in info.value.report.errors] == [
        (f"Target!C{n_target + 3}", "label_tidak_dikenal")]
    assert not (tmp_path / "out").exists()


@given(kode=st.text(max_size=30), nama=st.text(max_size=120))
def test_file_names_are_always_safe(kode, nama):
    name = nama_berkas(kode, nama)
    stem = name.removesuffix(".xlsm")
    assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]*", stem), name
    assert len(stem) <= 60
    assert stem.casefold() not in {"con", "prn", "aux", "nul", "com1", "lpt1"}


def test_konsolidasi_takes_the_national_katalog_as_its_list_of_units(tmp_path, capsys):
    """The katalog the workbooks were generated from is also konsolidasi's --katalog: a
    unit whose workbook is missing is 'belum mengirim', the others are counted."""
    import json

    from workbook_gen.cli import main as cli_main

    units = three_units()
    kat = write_katalog(tmp_path, units)
    hasil = buat_dari_katalog(kat, tmp_path / "keluar", progress=False, proses=1)
    hasil.berkas[2].unlink()  # the third unit has not sent its workbook
    code = cli_main(["konsolidasi", str(tmp_path / "keluar"), "--katalog", str(kat),
                     "--json", "--proses", "1"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert data["belum_mengirim"] == [{"kode_satker": "426500",
                                       "nama": "P4MI Tangerang/Serang"}]
    assert sorted(u["kode_satker"] for u in data["unit"]) == ["426482", "426491"]


def test_katalog_row_with_komponen_code_strip_is_a_kegiatan_without_komponen(tmp_path):
    """A katalog budget row whose komponen code is '-' becomes the kegiatan's own line,
    and a spec with such a kegiatan goes through the katalog and back unchanged."""
    units = three_units()
    k = units[0]["anggaran"]["kegiatan"][0]
    line = k.pop("komponen")[0]
    k.update({f: v for f, v in line.items() if f not in ("kode", "nama")})
    path = write_katalog(tmp_path, units)
    hasil = buat_dari_katalog(path, tmp_path / "keluaran", proses=1, progress=False)
    assert hasil.report.errors == []
    spec = read_back(hasil.berkas[0])
    first = spec.anggaran[0]
    assert (first.key, first.tanpa_komponen, first.nama) == (
        f"{k['kode']}/-", True, k["nama"])

