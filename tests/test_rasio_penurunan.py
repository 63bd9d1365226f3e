"""Ratio IKUs (rumus: rasio) and reductions reported as percentages with a negative
result (rumus: penurunan_persen, penurunan_negatif): issue 10 points 1 and 4.

The workbook side (the spec and engine side, with every figure worked out by hand, is
tests/test_rasio_engine.py): the same specs are generated into workbooks, read back
through the reader (the cells reach the engine exactly as the spec's values do) and
recalculated by LibreOffice and Gnumeric: the per-row formulas (the quarter ratios on
E:H, I:P) and every live summary cell equal the engine.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest

from workbook_gen import formulas
from workbook_gen.book import OpenpyxlBook
from workbook_gen.engine import hitung
from workbook_gen.generate import build_workbook, spec_in_cells
from workbook_gen.layout import (
    IDENTITAS_ROWS,
    REALISASI_COLS,
    SHEET_IDENTITAS,
    SHEET_REALISASI,
    layout_for,
)
from workbook_gen.reader import read_workbook
from workbook_gen.spec import spec_from_data
from workbook_gen.summary import build_summary

from .test_rasio_engine import _spec, _spec_data

try:
    from tests.support import libreoffice as lo
except ImportError:  # pragma: no cover - "prepend" import mode
    from support import libreoffice as lo  # type: ignore[no-redef]

TOLERANCE = 0.01 + 1e-9


# --------------------------------------------------------------------------- workbook


def _write(spec, path: Path) -> Path:
    path.write_bytes(build_workbook(spec, macro=False))
    return path


def _read(path: Path):
    with OpenpyxlBook(path) as book:
        return read_workbook(book, str(path))


def test_workbook_round_trip_reaches_the_engine_as_the_spec(tmp_path):
    spec = _spec(_spec_data())
    path = _write(spec, tmp_path / "uji.xlsx")
    bacaan = _read(path)
    got = {i.kode: i for i in bacaan.spec.semua_iku()}
    want = {i.kode: i for i in spec.semua_iku()}
    assert got["R1"].pembilang_tw == [6, 4, 8, 5] == want["R1"].pembilang_tw
    assert got["R1"].penyebut_tw == [265, 75, 138, 185]
    # the reduction percentages are real Excel percentages (22,72 % stored as 0,2272)
    assert [None if v is None else round(v, 9) for v in got["N1"].realisasi_tw] == [
        22.72, 21.58, -135.15, None]
    a, b = hitung(spec).iku_by_kode(), hitung(bacaan.spec).iku_by_kode()
    for kode in ("R1", "N1"):
        assert (a[kode].realisasi, a[kode].capaian) == (b[kode].realisasi, b[kode].capaian)
    # the pembilang/penyebut columns U:AB hold the typed numbers; E:H the ratio formulas
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET_REALISASI]
    row = layout_for(spec).iku_rows["R1"]
    assert [ws[f"{REALISASI_COLS[f'{s}_tw{q}']}{row}"].value for q in range(1, 5)
            for s in ("pembilang", "penyebut")] == [6, 265, 4, 75, 8, 138, 5, 185]
    assert str(ws[f"E{row}"].value) == formulas.rasio_tw(row, 1)
    assert ws["U5"].value == "Pembilang TW I" and ws["AB5"].value == "Penyebut TW IV"


def test_workbook_findings_name_the_cells(tmp_path):
    data = _spec_data()
    data["sasaran"][0]["iku"][0]["realisasi_tw"] = ["6/265", "5/", "9/4", None]
    spec = spec_from_data(data, "uji.yaml", nilai_ketat=False)
    path = _write(spec, tmp_path / "uji.xlsx")
    hasil = hitung(_read(path).spec)
    by = {f.jenis: f.lokasi for f in hasil.temuan}
    row = layout_for(spec).iku_rows["R1"]
    # TW II penyebut is X, TW III pembilang is Y (pairs U:V, W:X, Y:Z, AA:AB; T is the
    # annual realisasi)
    assert by["rasio_tidak_lengkap"] == f"{SHEET_REALISASI}!X{row}"
    assert by["pembilang_melebihi_penyebut"] == f"{SHEET_REALISASI}!Y{row}"


def test_workbook_without_rasio_has_no_rasio_columns(tmp_path):
    data = _spec_data()
    data["sasaran"][0]["iku"].pop(0)
    path = _write(_spec(data), tmp_path / "uji.xlsx")
    ws = openpyxl.load_workbook(path)[SHEET_REALISASI]
    assert ws["U5"].value is None


# --------------------------------------------------------------------------- LibreOffice


def _live_cells(spec) -> dict[tuple[str, str], Any]:
    from tests.test_summary_live_libreoffice import live_cells

    layout = layout_for(spec)
    return live_cells(build_summary(hitung(spec_in_cells(spec, layout)), layout=layout))


def _row_cells(spec) -> dict[tuple[str, str], Any]:
    """The engine's value of every per-row formula of the Realisasi sheet, with the
    quarter ratios of the rasio rows."""
    out: dict[tuple[str, str], Any] = {}
    layout = layout_for(spec)
    for h in hitung(spec).iku:
        row = layout.iku_rows[h.kode]
        values = {"realisasi_sd": h.realisasi, "target": h.target,
                  "target_revisi": h.target_revisi if h.target_revisi is not None else h.target,
                  "target_sd": h.target_sd, "capaian": h.capaian,
                  "capaian_revisi": h.capaian_revisi, "capaian_tw": h.capaian_tw,
                  "kategori": h.kategori}
        if h.kode.startswith("R"):
            values.update({f"realisasi_tw{q}": h.realisasi_tw[q - 1] for q in range(1, 5)})
        for field, value in values.items():
            out[(SHEET_REALISASI, f"{REALISASI_COLS[field]}{row}")] = value
    return out


def _same(got: Any, want: Any) -> bool:
    if want in (None, ""):
        return got in (None, "")
    if isinstance(want, (int, float)):
        return isinstance(got, (int, float)) and abs(got - want) <= TOLERANCE
    return isinstance(got, str) and got.strip().casefold() == str(want).casefold()


@pytest.mark.libreoffice
def test_libreoffice_recalculation_equals_engine(tmp_path):
    """Per-row formulas and every live summary cell, recalculated by LibreOffice, equal
    the engine: the issue's figures with each penurunan_negatif option, the ratio
    findings' quarters (3/0, 5/, 9/4), and a copy whose periode (TW II) and a pembilang
    (TW I: 6 -> 16) were typed after generation."""
    if lo.find_soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    cases: list[tuple[str, Any, Path]] = []
    tepi = _spec_data(kosong_dalam_rata_rata="abaikan")
    tepi["sasaran"][0]["iku"].append(
        {"kode": "R2", "nama": "Rasio tepi", "satuan": "%", "rumus": "rasio", "target": 50,
         "polaritas": "minimal", "realisasi_tw": ["3/0", "5/", "9/4", "0/0"]})
    tepi["sasaran"][0]["iku"].append(
        {"kode": "N2", "nama": "Penurunan IKU nol", "satuan": "%", "rumus": "penurunan_persen",
         "target": 20, "penurunan_negatif": "nol", "realisasi_tw": ["-5%", None, None, None]})
    for name, data in (("apa_adanya", _spec_data()), ("nol", _spec_data(penurunan_negatif="nol")),
                       ("tepi", tepi)):
        spec = spec_from_data(data, f"{name}.yaml", nilai_ketat=False)
        cases.append((name, spec, _write(spec, tmp_path / f"{name}.xlsx")))
    # typed after generation: periode TW II, TW I pembilang 16 (16/265 + 4/75 = 20/340)
    spec = cases[0][1]
    row = layout_for(spec).iku_rows["R1"]
    wb = openpyxl.load_workbook(cases[0][2])
    wb[SHEET_IDENTITAS][f"B{IDENTITAS_ROWS['periode']}"] = "TW II"
    wb[SHEET_REALISASI][f"{REALISASI_COLS['pembilang_tw1']}{row}"] = 16
    wb.save(tmp_path / "diketik.xlsx")
    changed = _read(tmp_path / "diketik.xlsx").spec
    assert changed.periode == "TW II"
    r1 = hitung(changed).iku_by_kode()["R1"]
    assert r1.realisasi == pytest.approx(20 / 340 * 100)  # 5,88 %
    cases.append(("diketik", changed, tmp_path / "diketik.xlsx"))

    # the same typed copy checked by `hitung` (the routine; the rasio columns read in
    # the same block as the other inputs and in Catatan's check sums)
    from workbook_gen.cli import main

    checked = tmp_path / "diketik_hitung.xlsx"
    assert main(["hitung", str(tmp_path / "diketik.xlsx"), "-o", str(checked)]) in (0, 1)

    outputs = lo.recalculate([c[2] for c in cases] + [checked], tmp_path / "hitung")
    status = {name: lo.read_values(outputs[p])["Catatan Validasi"]["A2"]
              for name, p in [(c[0], c[2]) for c in cases] + [("hitung", checked)]}
    for name in ("apa_adanya", "nol", "tepi", "hitung"):
        assert status[name].startswith("Catatan ini sesuai dengan isian sekarang"), name
    assert status["diketik"].startswith("Catatan ini diperiksa untuk Tahunan; isian sudah")
    bad, compared = [], 0
    for name, spec, path in cases:
        values = lo.read_values(outputs[path])
        expected = {**_row_cells(spec), **_live_cells(spec)}
        for (sheet, a1), want in expected.items():
            if sheet.startswith("Catatan") or (name == "diketik" and sheet == "Grafik"):
                # findings text and check sums: covered by the summary tests; Grafik's
                # rows follow the periode it was generated for (one row per quarter)
                continue
            compared += 1
            got = values.get(sheet, {}).get(a1)
            if not _same(got, want):
                bad.append(f"{name} {sheet}!{a1}: LibreOffice {got!r}, engine {want!r}")
    assert not bad, "\n".join(bad[:30])
    assert compared > 200


def test_reduction_cells_accept_a_rise(tmp_path):
    """The quarter cells of a penurunan_persen IKU are percentage cells whose validation
    takes a negative (a rise), up to batas_realisasi_persen (200 % -> 2,0) at the top."""
    spec = _spec(_spec_data())
    path = _write(spec, tmp_path / "uji.xlsx")
    ws = openpyxl.load_workbook(path)[SHEET_REALISASI]
    row = layout_for(spec).iku_rows["N1"]
    rules = [dv for dv in ws.data_validations.dataValidation
             if f"E{row}" in str(dv.sqref)]
    assert len(rules) == 1
    assert rules[0].operator == "lessThanOrEqual" and float(rules[0].formula1) == 2
    assert ws[f"G{row}"].value == pytest.approx(-1.3515)  # -135,15 % as Excel stores it
    assert ws[f"G{row}"].number_format.endswith("%")
    assert ws[f"G{layout_for(spec).iku_rows['R1']}"].value.startswith("=IF(")


def test_quarters_after_the_periode_point_at_the_pembilang(tmp_path):
    data = _spec_data()
    data["periode"] = "TW I"
    spec = _spec(data)
    hasil = hitung(_read(_write(spec, tmp_path / "uji.xlsx")).spec)
    row = layout_for(spec).iku_rows["R1"]
    where = sorted(f.lokasi for f in hasil.temuan
                   if f.jenis == "di_luar_periode" and "R1" in f.pesan)
    # TW II, III, IV pembilang: W, Y, AA (never the formula cells F:H); sorted as text
    assert where == [f"{SHEET_REALISASI}!{c}{row}" for c in ("AA", "W", "Y")]
    # s.d. TW I: 6/265 = 2,26 %; capaian 2,2642 / 5 = 45,28
    assert hasil.iku_by_kode()["R1"].capaian == 45.28


def test_pulihkan_carries_pembilang_and_penyebut(tmp_path):
    """A damaged rasio workbook (a column and a row inserted on Realisasi, the sheet
    renamed): pulihkan carries every typed pembilang/penyebut to its place, and the
    quarter-ratio formulas on E:H are made again, not carried as typed values."""
    from workbook_gen.generate import generate
    from workbook_gen.pulihkan import pulihkan

    spec = _spec(_spec_data())
    path = generate(spec, tmp_path / "asli.xlsx")
    row = layout_for(spec).iku_rows["R1"]
    typed = {f"{REALISASI_COLS[f'pembilang_tw{q}']}{row}": 10 + q for q in range(1, 5)}
    typed.update({f"{REALISASI_COLS[f'penyebut_tw{q}']}{row}": 100 * q for q in range(1, 5)})
    wb = openpyxl.load_workbook(path)
    for a1, v in typed.items():
        wb[SHEET_REALISASI][a1] = v
    wb[SHEET_REALISASI].insert_cols(3, 1)
    wb[SHEET_REALISASI].insert_rows(6, 1)
    wb[SHEET_REALISASI].title = "Realisasi 2025"
    wb.save(tmp_path / "rusak.xlsx")
    hasil = pulihkan(tmp_path / "rusak.xlsx")
    assert hasil.hilang == []
    out = generate(hasil.spec, tmp_path / "baru.xlsx")
    ws = openpyxl.load_workbook(out)[SHEET_REALISASI]
    assert {a1: ws[a1].value for a1 in typed} == typed
    assert ws[f"E{row}"].value == formulas.rasio_tw(row, 1)
    # (11 + 12 + 13 + 14) / (100 + 200 + 300 + 400) = 50/1000 = 5 %: capaian 100
    assert hitung(hasil.spec).iku_by_kode()["R1"].capaian == 100


def test_konsolidasi_reads_the_rasio_columns(tmp_path):
    """The central office's fast reader (calamine) reaches the same figures: 3,47 % and
    capaian 69,38 for the ratio; -137,71 (as is) for the reduction."""
    from workbook_gen.konsolidasi.read import baca_berkas

    spec = _spec(_spec_data())
    path = _write(spec, tmp_path / "uji.xlsx")
    hasil = baca_berkas(str(path))
    assert hasil.masalah == []
    by = {i.kode: i for i in hasil.unit.iku}
    assert by["R1"].realisasi == pytest.approx(23 / 663 * 100) and by["R1"].capaian == 69.38
    assert by["N1"].capaian == -137.71


def test_pair_typed_into_one_cell_is_never_a_date_or_a_division(tmp_path):
    """In the workbook each side has its own cell: "6/265" typed as text in a pembilang
    cell is not a number (error at that cell), and a date Excel made of "6/5" is an
    error too; neither quarter is counted, nothing is divided."""
    import datetime as dt

    spec = _spec(_spec_data())
    path = _write(spec, tmp_path / "uji.xlsx")
    row = layout_for(spec).iku_rows["R1"]
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET_REALISASI]
    ws[f"U{row}"] = "6/265"
    ws[f"W{row}"] = dt.datetime(2025, 5, 6)
    wb.save(tmp_path / "diketik.xlsx")
    hasil = hitung(_read(tmp_path / "diketik.xlsx").spec)
    errors = {(f.lokasi, f.jenis) for f in hasil.temuan if f.tingkat == "error"}
    assert (f"{SHEET_REALISASI}!U{row}", "bukan_angka") in errors
    assert (f"{SHEET_REALISASI}!W{row}", "rasio_tidak_lengkap") not in errors
    assert (f"{SHEET_REALISASI}!U{row}", "rasio_tidak_lengkap") not in errors  # said once
    # the date: its serial number (6 May 2025 is 45783), as the formulas compute it,
    # with the `tanggal` error, and far above its penyebut 75
    assert (f"{SHEET_REALISASI}!W{row}", "tanggal") in errors
    assert (f"{SHEET_REALISASI}!W{row}", "pembilang_melebihi_penyebut") in errors
    r1 = hasil.iku_by_kode()["R1"]
    assert r1.pembilang_tw[:2] == [None, 45783]
    assert r1.realisasi_tw[0] is None  # TW I not counted: no pembilang, nothing divided


@pytest.mark.skipif(__import__("shutil").which("ssconvert") is None,
                    reason="Gnumeric (ssconvert) is not installed")
def test_gnumeric_agrees(tmp_path):
    """A second engine: Gnumeric recalculates the rasio and floored-reduction formulas
    (after a pembilang typed: TW I 6 -> 16, so the cached values are stale) as the
    engine computes them: (16+4+8+5) / 663 = 4,98 %."""
    import subprocess

    spec = _spec(_spec_data(penurunan_negatif="nol"))
    row = layout_for(spec).iku_rows["R1"]
    wb = openpyxl.load_workbook(_write(spec, tmp_path / "uji.xlsx"))
    wb[SHEET_REALISASI][f"{REALISASI_COLS['pembilang_tw1']}{row}"] = 16
    wb.save(tmp_path / "diketik.xlsx")
    changed = _read(tmp_path / "diketik.xlsx").spec
    assert hitung(changed).iku_by_kode()["R1"].realisasi == pytest.approx(33 / 663 * 100)
    out = tmp_path / "gnumeric.xlsx"
    subprocess.run(["ssconvert", "--recalc", str(tmp_path / "diketik.xlsx"), str(out)],
                   check=True, capture_output=True, timeout=300)
    values = lo.read_values(out)
    expected = {**_row_cells(changed), **_live_cells(changed)}
    bad = [f"{s}!{a1}: Gnumeric {values.get(s, {}).get(a1)!r}, engine {want!r}"
           for (s, a1), want in expected.items()
           if not s.startswith("Catatan") and not _same(values.get(s, {}).get(a1), want)]
    assert not bad, "\n".join(bad[:30])


@pytest.mark.libreoffice
@pytest.mark.parametrize("pairs", [["0/0", None, None, None], ["5/0", None, None, None]])
def test_a_quarter_without_penyebut_is_reported_not_blank(pairs, tmp_path):
    """A rasio IKU whose only quarter is 0/0 (no cases) or 5/0 is reported with an
    undefined ratio: the engine leaves it out of the means (as an IKU whose capaian is
    undefined), and the live summaries must not count it as 'belum diisi' (0). Found by
    the differential test in CI: the other IKU's 5/10 = 50,00 is the whole mean."""
    from workbook_gen.summary import build_summary

    from .support import libreoffice as lo
    from .test_summary_live_libreoffice import live_cells, same, summary_values

    if lo.find_soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    data = {"versi_spec": 1, "unit": {"nama": "U", "kode_satker": "1"}, "tahun": 2026,
            "periode": "TW I", "sasaran": [{"kode": "S1", "nama": "Sasaran", "iku": [
                {"kode": "R", "nama": "Rasio", "satuan": "%", "rumus": "rasio", "target": 5,
                 "realisasi_tw": pairs},
                {"kode": "A", "nama": "Angka", "satuan": "Orang", "target": 10,
                 "realisasi_tw": [5, 5, 5, 5]}]}]}
    spec = spec_from_data(data, "uji.yaml", nilai_ketat=False)
    hasil = hitung(spec)
    assert hasil.iku_by_kode()["R"].dilaporkan and hasil.iku_by_kode()["R"].capaian is None
    assert hasil.capaian_rata_rata == 50.0  # 5 / 10 x 100, IKU R left out
    layout = layout_for(spec)
    expected = live_cells(build_summary(hitung(spec_in_cells(spec, layout)), layout=layout))
    path = tmp_path / "uji.xlsx"
    path.write_bytes(build_workbook(spec, macro=False))
    out = lo.recalculate([path], tmp_path / "lo")[path]
    values = summary_values(out, expected)
    bad = [(k, values.get(k[0], {}).get(k[1]), v) for k, v in expected.items()
           if not same(values.get(k[0], {}).get(k[1]), v)]
    assert bad == []
