"""Headline rules that survive bad units, the history store, the trend workbook and the
cache of incremental runs. Expected figures are computed here from the numbers put in."""

from __future__ import annotations

import json
import sqlite3
import statistics
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbook_gen import konsolidasi as kons
from workbook_gen.cli import main
from workbook_gen.konsolidasi import store
from workbook_gen.konsolidasi.riwayat import tren

from .test_konsolidasi import (
    PAGU_BANTEN,
    TARGET,
    UNITS,
    _gen,
    expected_capaian,
    half_up,
    unit_data,
)

CLEAN = ["900001", "900003", "900005"]


def _data(kode: str, *, iku: list[Any] | None = None, periode: str = "TW I",
          tahun: int = 2026, kosong: bool = False) -> dict[str, Any]:
    u = UNITS[kode]
    data = unit_data(kode, u["nama"], iku or u["iku"], u["anggaran"])
    data["periode"] = periode
    data["tahun"] = tahun
    if kosong:  # nothing typed at all
        for s in data["sasaran"]:
            for i in s["iku"]:
                i["realisasi_tw"] = [None, None, None, None]
        for k in data["anggaran"]["kegiatan"]:
            for c in k["komponen"]:
                c["realisasi_tw"] = [None, None, None, None]
    return data


@pytest.fixture(scope="module")
def empat(tmp_path_factory) -> Path:
    """The three clean units, the typo unit (3453 in a % IKU) and a blank workbook."""
    folder = tmp_path_factory.mktemp("empat")
    for kode in [*CLEAN, "900004"]:
        _gen(_data(kode), folder / f"unit_{kode}.xlsm")
    _gen(_data("900002", kosong=True), folder / "unit_900002_kosong.xlsm")
    return folder


# --------------------------------------------------------------------------- headline rules


def test_the_typo_unit_is_not_first_and_the_national_mean_is_that_of_the_clean_units(empat):
    rekap = kons.konsolidasi([empat], workers=1)
    by = {u.kode_satker: u for u in rekap.unit}
    typo = by["900004"]
    assert (typo.status, typo.dihitung, typo.peringkat) == ("error", False, None)
    assert expected_capaian("900004") > max(expected_capaian(k) for k in CLEAN)  # would be #1
    first = max(CLEAN, key=expected_capaian)
    assert by[first].peringkat == 1
    clean = [expected_capaian(k) for k in CLEAN]
    assert rekap.capaian.jumlah_unit == 3
    assert rekap.capaian_rata_rata == pytest.approx(half_up(sum(clean) / 3))
    assert rekap.capaian.median == pytest.approx(statistics.median(clean))
    iku2 = {i.kode: i for i in rekap.iku}["IKU-2"]
    assert iku2.capaian["900004"] == pytest.approx(half_up(3453 / TARGET["IKU-2"] * 100))
    assert iku2.rata_rata == pytest.approx(
        half_up(sum(half_up(UNITS[k]["iku"][1] / 63 * 100) for k in CLEAN) / 3))
    assert rekap.total.pagu == 3 * PAGU_BANTEN


def test_sertakan_error_counts_the_error_unit(empat):
    rekap = kons.konsolidasi([empat], workers=1, sertakan_error=True)
    by = {u.kode_satker: u for u in rekap.unit}
    assert (by["900004"].status, by["900004"].dihitung, by["900004"].peringkat) == \
        ("error", True, 1)
    four = [expected_capaian(k) for k in [*CLEAN, "900004"]]
    assert rekap.capaian.jumlah_unit == 4
    assert rekap.capaian_rata_rata == pytest.approx(half_up(sum(four) / 4))


def test_a_blank_workbook_is_belum_diisi_and_counted_nowhere(empat):
    rekap = kons.konsolidasi([empat], workers=1)
    (status,) = [b for b in rekap.berkas if b.kode_satker == "900002"]
    assert status.status == "belum diisi"
    assert "belum diisi" in status.alasan[0]
    blank = {u.kode_satker: u for u in rekap.unit}["900002"]
    assert (blank.dihitung, blank.peringkat, blank.capaian, blank.kategori) == (
        False, None, None, None)  # no capaian, not 0 "Kurang"
    assert all(i.jumlah_unit <= 3 for i in rekap.iku)
    assert "900002" not in {u.kode_satker for u in rekap.unit_dihitung}
    assert rekap.total.pagu == 3 * PAGU_BANTEN
    data = kons.rekap_to_dict(rekap)
    assert data["ringkasan"]["belum_diisi"] == 1 and data["ringkasan"]["error"] == 1
    assert data["ringkasan"]["unit_dihitung"] == 3


def test_every_table_marks_the_units_that_are_not_counted(empat, tmp_path):
    out = tmp_path / "rekap.xlsx"
    assert main(["konsolidasi", str(empat), "-o", str(out)]) == 0
    wb = openpyxl.load_workbook(out)
    for sheet in ("Rekap Unit", "Rekap IKU", "Rekap Anggaran", "Grafik"):
        cells = [c for row in wb[sheet].iter_rows(values_only=True) for c in row
                 if isinstance(c, str)]
        assert "error (tidak dihitung)" in cells, sheet
        assert "belum diisi (tidak dihitung)" in cells, sheet
        assert any("3 unit" in c for c in cells), sheet  # the figure says what it covers
    names = [r[0] for r in wb["Grafik"].iter_rows(values_only=True) if r[0]]
    assert "BP3MI Uji Empat [error (tidak dihitung)]" in names


def test_mixed_periods_without_a_majority_refuse_all_and_write_nothing(tmp_path, capsys):
    folder = tmp_path / "campur"
    folder.mkdir()
    _gen(_data("900001", periode="TW I"), folder / "a.xlsm")
    _gen(_data("900003", periode="TW II"), folder / "b.xlsm")
    out = tmp_path / "rekap.xlsx"
    assert main(["konsolidasi", str(folder), "-o", str(out)]) == 1
    captured = capsys.readouterr()
    assert "Catatan: Periode berkas bercampur tanpa mayoritas yang jelas (TW I: 1 berkas, " \
           "TW II: 1 berkas): semua berkas ditolak. Pilih periode dengan --periode." \
           in captured.err
    assert not out.exists()
    assert main(["konsolidasi", str(folder), "-o", str(out), "--periode", "TW II"]) == 0
    rekap_units = [r[1] for r in openpyxl.load_workbook(out)["Rekap Unit"]
                   .iter_rows(values_only=True) if r[1] in UNITS]
    assert rekap_units == ["900003"]


# --------------------------------------------------------------------------- history


@pytest.fixture(scope="module")
def riwayat_db(tmp_path_factory) -> tuple[Path, dict[str, dict[str, float]]]:
    """Three saved periods: TW I 2025, TW I 2026, TW II 2026 (two units each)."""
    root = tmp_path_factory.mktemp("riwayat")
    db = root / "riwayat.sqlite"
    expected: dict[str, dict[str, float]] = {}
    plan = [("TW I", 2025, [20, 63, 50, 700]), ("TW I", 2026, None), ("TW II", 2026,
                                                                        [60, 70, 90, 1500])]
    for periode, tahun, iku in plan:
        folder = root / f"{periode}-{tahun}".replace(" ", "")
        folder.mkdir()
        for kode in ("900001", "900003"):
            values = iku if iku is not None else UNITS[kode]["iku"]
            _gen(_data(kode, iku=values, periode=periode, tahun=tahun), folder / f"{kode}.xlsm")
            caps = [values[i] / TARGET[f"IKU-{i + 1}"] * 100 for i in range(4)]
            if periode == "TW II":  # IKU-5 (75/75) and IKU-7 (Baik/Baik) as in TW I
                pass
            expected.setdefault(kode, {})[f"{periode} {tahun}"] = half_up(
                (sum(caps) + 200) / 6)
        assert main(["konsolidasi", str(folder), "--json", "--simpan", str(db)]) == 0
    return db, expected


def test_history_holds_one_row_per_unit_iku_and_period(riwayat_db):
    db, expected = riwayat_db
    con = sqlite3.connect(db)
    assert con.execute("SELECT versi FROM skema ORDER BY versi").fetchall() == [(1,), (2,), (3,)]
    assert con.execute("SELECT COUNT(*) FROM unit").fetchone() == (6,)
    pairs = con.execute("SELECT DISTINCT tahun, periode FROM unit ORDER BY tahun, periode")
    assert pairs.fetchall() == [(2025, "TW I"), (2026, "TW I"), (2026, "TW II")]
    row = con.execute("SELECT target, realisasi, capaian, kategori FROM iku WHERE tahun = 2025 "
                      "AND kode_satker = '900001' AND kode_iku = 'IKU-2'").fetchone()
    assert row == (63.0, 63.0, 100.0, "Baik")
    lines = con.execute("SELECT COUNT(*), SUM(realisasi) FROM anggaran WHERE tahun = 2026 "
                        "AND periode = 'TW I' AND kode_satker = '900003'").fetchone()
    assert lines == (8, float(sum(UNITS["900003"]["anggaran"])))
    con.close()


def test_trend_tables_follow_the_saved_periods(riwayat_db):
    db, expected = riwayat_db
    t = tren(db)
    assert t.periode == ["TW I 2025", "TW I 2026", "TW II 2026"]
    got = {k: dict(zip(t.periode, caps, strict=True)) for k, _, caps in t.unit}
    assert got == {k: pytest.approx(v) for k, v in expected.items()}
    nasional = [r["rata_rata"] for r in t.nasional]
    assert nasional == pytest.approx(
        [half_up((expected["900001"][p] + expected["900003"][p]) / 2) for p in t.periode])
    iku1 = {k: vals for k, _, vals in t.iku}["IKU-1"]
    assert iku1 == pytest.approx([half_up((25 + 25) / 2),
                                  half_up((10 / 80 * 100 + 100) / 2), 75.0])


def test_riwayat_command_writes_the_trend_workbook_and_json(riwayat_db, tmp_path, capsys):
    db, _ = riwayat_db
    out = tmp_path / "tren.xlsx"
    assert main(["riwayat", str(db), "-o", str(out)]) == 0
    assert "3 periode" in capsys.readouterr().out
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Tren Unit", "Tren IKU"]
    assert len(wb["Tren Unit"]._charts) == 2 and len(wb["Tren IKU"]._charts) == 1
    assert main(["riwayat", str(db), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["periode"] == ["TW I 2025", "TW I 2026", "TW II 2026"]
    assert data["nasional"][0]["jumlah_unit"] == 2


def test_riwayat_unit_returns_a_units_iku_history_for_a_year(riwayat_db):
    db, _ = riwayat_db
    h = store.riwayat_unit(db, "900001", 2026)
    assert [(r.periode, r.realisasi, r.capaian) for r in h["IKU-1"]] == [
        ("TW I", 10.0, half_up(10 / 80 * 100)), ("TW II", 60.0, 75.0)]
    assert h["IKU-7"][0].target == "Baik"
    assert store.riwayat_unit(db, "900001", 2030) == {}


def test_saving_the_same_period_again_replaces_it(tmp_path):
    db = tmp_path / "r.sqlite"
    folder = tmp_path / "k"
    folder.mkdir()
    _gen(_data("900001"), folder / "a.xlsm")
    _gen(_data("900003"), folder / "b.xlsm")
    assert main(["konsolidasi", str(folder), "--json", "--simpan", str(db)]) == 0
    (folder / "b.xlsm").unlink()
    (folder / "a.xlsm").unlink()
    _gen(_data("900001", iku=[80, 63, 100, 1470]), folder / "a.xlsm")
    assert main(["konsolidasi", str(folder), "--json", "--simpan", str(db)]) == 0
    con = sqlite3.connect(db)
    assert con.execute("SELECT kode_satker, capaian FROM unit").fetchall() == [("900001", 100.0)]
    assert con.execute("SELECT COUNT(*) FROM konsolidasi").fetchone() == (2,)


def test_an_old_store_is_migrated_and_a_newer_one_refused(tmp_path, capsys):
    db = tmp_path / "lama.sqlite"
    con = store.connect(db, upto=1)
    con.execute("INSERT INTO unit (tahun, periode, kode_satker, status, dihitung) VALUES "
                "(2025, 'TW I', '900001', 'OK', 1)")
    con.commit()
    assert "cache_berkas" not in {r[0] for r in con.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'")}
    con.close()
    con = store.connect(db)
    assert con.execute("SELECT MAX(versi) FROM skema").fetchone() == (store.VERSI_SKEMA,)
    assert con.execute("SELECT kode_satker FROM unit").fetchall() == [("900001",)]
    con.execute("SELECT COUNT(*) FROM cache_berkas").fetchone()
    con.execute("INSERT INTO skema VALUES (99)")
    con.commit()
    con.close()
    assert main(["riwayat", str(db), "--json"]) == 1
    assert "lebih baru (skema 99" in capsys.readouterr().err
    bukan = tmp_path / "bukan.sqlite"
    bukan.write_bytes(b"bukan basis data" * 100)
    assert main(["riwayat", str(bukan), "--json"]) == 1
    err = capsys.readouterr().err
    assert "bukan basis data SQLite" in err and "Traceback" not in err


# --------------------------------------------------------------------------- cache


def test_unchanged_files_come_from_the_cache_and_a_changed_file_is_read_again(tmp_path):
    folder = tmp_path / "k"
    folder.mkdir()
    for kode in CLEAN:
        _gen(_data(kode), folder / f"{kode}.xlsm")
    cache_path = tmp_path / "cache.sqlite"
    first = kons.konsolidasi([folder], workers=1, cache=_cache(cache_path))
    assert first.dari_cache == 0
    again = kons.konsolidasi([folder], workers=1, cache=_cache(cache_path))
    assert again.dari_cache == 3
    assert kons.rekap_to_dict(again)["unit"] == kons.rekap_to_dict(first)["unit"]
    (folder / "900003.xlsm").unlink()
    _gen(_data("900003", iku=[80, 63, 100, 1470]), folder / "900003.xlsm")
    third = kons.konsolidasi([folder], workers=1, cache=_cache(cache_path))
    assert third.dari_cache == 2
    by = {u.kode_satker: u.capaian for u in third.unit}
    assert by["900003"] == 100.0 and by["900001"] == pytest.approx(expected_capaian("900001"))


def _cache(path: Path) -> Any:
    from workbook_gen.konsolidasi.cache import BerkasCache

    return BerkasCache(path)


# --------------------------------------------------------------------------- generated cases


def _fake(kode: str, capaian: float | None, status: str, tahun: int = 2026) -> Any:
    from workbook_gen.findings import ERROR, Finding
    from workbook_gen.konsolidasi.records import HasilBerkas, PosRingkas, UnitRingkas

    unit = UnitRingkas(kode, f"Unit {kode}", None, tahun, "TW I", capaian, capaian, None, None,
                       PosRingkas("TOTAL", "Jumlah", 100.0, 50.0, 50.0, 50.0), [], [], [],
                       terisi=status != "belum diisi")
    temuan = [Finding(ERROR, "persen_terlalu_besar", "Realisasi!E7", "x")] \
        if status == "error" else []
    return HasilBerkas(f"{kode}.xlsm", kode, unit.nama, 1, tahun, "TW I", [], temuan, unit)


@given(st.lists(st.tuples(st.floats(0, 10_000, allow_nan=False).map(lambda x: round(x, 2)),
                          st.sampled_from(["OK", "error", "belum diisi"])),
                min_size=1, max_size=25),
       st.booleans())
@settings(max_examples=150, deadline=None)
def test_national_figures_and_ranking_cover_exactly_the_counted_units(units, sertakan):
    from workbook_gen.konsolidasi.recap import _assemble

    results = [_fake(f"{i:06d}", cap, status) for i, (cap, status) in enumerate(units)]
    rekap = _assemble(results, None, None, None, sertakan)
    counted = [(f"{i:06d}", cap) for i, (cap, status) in enumerate(units)
               if status == "OK" or (status == "error" and sertakan)]
    assert sorted(u.kode_satker for u in rekap.unit_dihitung) == [k for k, _ in counted]
    assert rekap.capaian.jumlah_unit == len(counted)
    values = [c for _, c in counted]
    if values:
        assert rekap.capaian_rata_rata == pytest.approx(half_up(sum(values) / len(values)))
        assert rekap.capaian.median == pytest.approx(half_up(statistics.median(values)),
                                                     abs=0.006)
    else:
        assert rekap.capaian_rata_rata is None
    assert rekap.total.pagu == 100.0 * len(counted)
    # ranks: 1 for the best counted unit, none for units not counted; equal capaian, equal rank
    ranks = {u.kode_satker: u.peringkat for u in rekap.unit}
    for kode, cap in counted:
        assert ranks[kode] == 1 + sum(c > cap for _, c in counted)
    assert all(ranks[u.kode_satker] is None for u in rekap.unit if not u.dihitung)
    assert [u.dihitung for u in rekap.unit] == sorted((u.dihitung for u in rekap.unit),
                                                      reverse=True)  # counted units first
