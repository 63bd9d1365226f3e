"""Ratio IKUs (rumus: rasio) and reductions reported as percentages with a negative
result (rumus: penurunan_persen, penurunan_negatif): issue 10 points 1 and 4.

Every figure is worked out by hand in the test (the arithmetic is in the comments). The
same specs are generated into workbooks, read back through the reader (the cells reach
the engine exactly as the spec's values do) and recalculated by LibreOffice: the per-row
formulas (the quarter ratios on E:H, I:P) and every live summary cell equal the engine.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from workbook_gen import formulas
from workbook_gen.book import OpenpyxlBook
from workbook_gen.engine import hitung
from workbook_gen.findings import SpecError
from workbook_gen.formulas import capaian as capaian_formula
from workbook_gen.generate import build_workbook, spec_in_cells
from workbook_gen.layout import (
    IDENTITAS_ROWS,
    REALISASI_COLS,
    SHEET_IDENTITAS,
    SHEET_REALISASI,
    layout_for,
)
from workbook_gen.parsing import ParseError
from workbook_gen.rasio import Pasangan, baca_pasangan, rasio_sd, rasio_tw
from workbook_gen.reader import read_workbook
from workbook_gen.spec import spec_from_data, spec_from_text
from workbook_gen.summary import build_summary

try:
    from tests.support import libreoffice as lo
except ImportError:  # pragma: no cover - "prepend" import mode
    from support import libreoffice as lo  # type: ignore[no-redef]

TOLERANCE = 0.01 + 1e-9


def _spec_data(**pengaturan: Any) -> dict[str, Any]:
    """The issue's figures: a ratio IKU 6/265, 4/75, 8/138, 5/185 (target 5 %), and a
    reduction reported per quarter as 22,72 %, 21,58 %, -135,15 % (target 98,14 %)."""
    data: dict[str, Any] = {
        "versi_spec": 1,
        "unit": {"nama": "BP3MI Uji Rasio", "kode_satker": "100010"},
        "tahun": 2025,
        "periode": "tahunan",
        "sasaran": [{"kode": "SS1", "nama": "Pelindungan PMI", "iku": [
            {"kode": "R1", "nama": "Persentase PMI bermasalah dari PMI yang ditempatkan",
             "satuan": "%", "rumus": "rasio", "target": 5,
             "realisasi_tw": ["6/265", "4/75", "8/138", "5/185"]},
            {"kode": "N1", "nama": "Persentase penurunan kasus PMI non-prosedural",
             "satuan": "%", "rumus": "penurunan_persen", "target": "98,14",
             "realisasi_tw": ["22,72%", "21,58%", "-135,15%", None]},
        ]}],
    }
    if pengaturan:
        data["pengaturan"] = pengaturan
    return data


def _spec(data: dict[str, Any]):
    return spec_from_data(copy.deepcopy(data), "uji.yaml")


# --------------------------------------------------------------------------- pairs


@pytest.mark.parametrize("typed, pair", [
    ("6/265", Pasangan(6, 265)),
    (" 6 / 265 ", Pasangan(6, 265)),
    ("1.470/2.000", Pasangan(1470, 2000)),  # Indonesian thousands on each side
    ("6/", Pasangan(6, None)),
    ("6/-", Pasangan(6, None)),
    ("/265", Pasangan(None, 265)),
    ("0/0", Pasangan(0, 0)),
    ("-", None),
    (None, None),
])
def test_pair_is_read_exactly(typed, pair):
    assert baca_pasangan(typed) == pair


@pytest.mark.parametrize("typed", ["6/265/3", "6", 6.0, "6%/265", "enam/265", "6/265 orang"])
def test_what_is_not_a_pair_is_an_error(typed):
    with pytest.raises(ParseError):
        baca_pasangan(typed)


def test_ratio_arithmetic():
    assert rasio_tw(6, 265) == pytest.approx(2.2641509)  # 6 / 265 x 100
    assert rasio_tw(6, 0) is None and rasio_tw(None, 265) is None and rasio_tw(6, None) is None
    # only quarters with both numbers: TW II's pair is incomplete, so (6 + 8) / (265 + 138)
    quarters, value = rasio_sd([6, 4, 8, None], [265, None, 138, None], [1, 2, 3, 4])
    assert quarters == [1, 3] and value == pytest.approx(14 / 403 * 100)
    assert rasio_sd([0], [0], [1]) == ([1], None)  # Σ penyebut 0: undefined
    assert rasio_sd([None] * 4, [None] * 4, [1, 2, 3, 4]) == ([], None)


# --------------------------------------------------------------------------- engine: rasio


def test_rasio_worked_example():
    hasil = hitung(_spec(_spec_data()))
    r1 = hasil.iku_by_kode()["R1"]
    # quarter ratios: 6/265 = 2,264; 4/75 = 5,333; 8/138 = 5,797; 5/185 = 2,703
    assert [round(v, 2) for v in r1.realisasi_tw] == [2.26, 5.33, 5.80, 2.70]
    # the year is Σ/Σ: (6+4+8+5) / (265+75+138+185) = 23/663 = 3,4691 % (not the sum
    # 16,10 nor the mean 4,02 of the quarter ratios)
    assert r1.realisasi == pytest.approx(3.4690799)
    # capaian 3,4691 / 5 x 100 = 69,38 -> Cukup (50 <= 69,38 < 80)
    assert r1.capaian == 69.38 and r1.kategori == "Cukup"
    assert r1.dilaporkan and not [f for f in hasil.temuan if "R1" in f.pesan]


def test_rasio_up_to_tw_ii():
    data = _spec_data()
    data["periode"] = "TW II"
    r1 = hitung(_spec(data)).iku_by_kode()["R1"]
    # s.d. TW II: (6 + 4) / (265 + 75) = 10/340 = 2,94 %; capaian 2,9412 / 5 = 58,82
    assert r1.realisasi == pytest.approx(2.9411765)
    assert r1.capaian == 58.82


def test_rasio_minimal_polarity_and_tw_target():
    data = _spec_data()
    iku = data["sasaran"][0]["iku"][0]
    iku.update(polaritas="minimal", target_tw=["5%", "5%", "4%", "4%"])
    r1 = hitung(_spec(data)).iku_by_kode()["R1"]
    # (2 x 5 - 3,4691) / 5 x 100 = 130,62; s.d. TW IV target is the last TW target, 4:
    # (2 x 4 - 3,4691) / 4 x 100 = 113,27
    assert r1.capaian == 130.62
    assert r1.target_sd == 4 and r1.capaian_tw == 113.27


def test_rasio_lists_give_the_same_as_pairs():
    data = _spec_data()
    iku = data["sasaran"][0]["iku"][0]
    del iku["realisasi_tw"]
    iku["pembilang_tw"] = [6, 4, 8, 5]
    iku["penyebut_tw"] = [265, 75, 138, 185]
    a = hitung(_spec(_spec_data())).iku_by_kode()["R1"]
    b = hitung(_spec(data)).iku_by_kode()["R1"]
    assert (a.realisasi, a.capaian, a.realisasi_tw) == (b.realisasi, b.capaian, b.realisasi_tw)


def test_rasio_yaml_pairs_unquoted_are_text():
    text = """
versi_spec: 1
unit: {nama: Uji, kode_satker: "100010"}
tahun: 2025
periode: tahunan
sasaran:
  - kode: SS1
    nama: S
    iku:
      - kode: R1
        nama: Persentase X dari Y
        satuan: "%"
        rumus: rasio
        target: 5
        realisasi_tw: [6/265, 4/75, 8/138, 5/185]
"""
    spec = spec_from_text(text, "uji.yaml")
    iku = spec.semua_iku()[0]
    assert iku.pembilang_tw == [6, 4, 8, 5] and iku.penyebut_tw == [265, 75, 138, 185]


def test_rasio_findings_name_the_quarter():
    data = _spec_data()
    data["sasaran"][0]["iku"][0]["realisasi_tw"] = ["3/0", "5/", "9/4", None]
    hasil = hitung(_spec(data))
    by = {(f.jenis, f.lokasi): f for f in hasil.temuan}
    at = "uji.yaml: sasaran[SS1].iku[R1].realisasi_tw"
    # TW I: penyebut 0 with a pembilang: error, the pembilang still in Σ
    assert by[("penyebut_nol", f"{at}[0]")].tingkat == "error"
    # TW II: penyebut missing: error, the quarter not counted
    assert by[("rasio_tidak_lengkap", f"{at}[1]")].tingkat == "error"
    assert "penyebut kosong" in by[("rasio_tidak_lengkap", f"{at}[1]")].pesan
    # TW III: 9 of 4 is 225 %: the columns swapped
    f = by[("pembilang_melebihi_penyebut", f"{at}[2]")]
    assert f.tingkat == "error" and "225" in f.pesan
    # TW IV blank: not reported (a warning, as for every IKU)
    assert by[("realisasi_kosong", f"{at}[3]")].tingkat == "peringatan"
    r1 = hasil.iku_by_kode()["R1"]
    # counted: TW I and TW III -> (3 + 9) / (0 + 4) = 12/4 = 300 %
    assert r1.realisasi_tw[:3] == [None, None, 225.0]
    assert r1.realisasi == 300.0


def test_rasio_zero_over_zero_is_a_warning():
    data = _spec_data()
    data["sasaran"][0]["iku"][0]["realisasi_tw"] = ["0/0", "4/75", None, None]
    hasil = hitung(_spec(data))
    f = [f for f in hasil.temuan if f.jenis == "penyebut_nol"]
    assert [x.tingkat for x in f] == ["peringatan"]
    # (0 + 4) / (0 + 75) = 5,33 %
    assert hasil.iku_by_kode()["R1"].realisasi == pytest.approx(4 / 75 * 100)


@pytest.mark.parametrize("change, jenis, path", [
    ({"satuan": "Orang"}, "satuan_rumus", "satuan"),
    ({"agregasi": "kumulatif"}, "agregasi_rasio", "agregasi"),
    ({"realisasi_tw": ["6", None, None, None]}, "bukan_rasio", "realisasi_tw[0]"),
    ({"pembilang_tw": [1, None, None, None]}, "rasio_ganda", "pembilang_tw[0]"),
    ({"penurunan_negatif": "nol"}, "penurunan_negatif", "penurunan_negatif"),
])
def test_rasio_spec_errors_name_the_path(change, jenis, path):
    data = _spec_data()
    data["sasaran"][0]["iku"][0].update(change)
    with pytest.raises(SpecError) as err:
        _spec(data)
    found = [(f.jenis, f.lokasi) for f in err.value.report.errors]
    assert (jenis, f"uji.yaml: sasaran[SS1].iku[R1].{path}") in found


def test_pair_in_an_ordinary_iku_is_not_divided():
    data = _spec_data()
    iku = data["sasaran"][0]["iku"][0]
    del iku["rumus"]
    with pytest.raises(SpecError) as err:
        _spec(data)
    assert {f.jenis for f in err.value.report.errors} == {"bukan_angka"}


# --------------------------------------------------------------------------- engine: penurunan


def test_penurunan_persen_as_is_by_default():
    hasil = hitung(_spec(_spec_data()))
    n1 = hasil.iku_by_kode()["N1"]
    # the quarters ARE the reductions; the year is the last one reported (agregasi
    # akhir, as every %): -135,15. Capaian -135,15 / 98,14 x 100 = -137,71 (as is)
    assert n1.realisasi == -135.15 and n1.capaian == -137.71 and n1.kategori == "Kurang"
    # a reduction that turned into a rise is no input error
    assert not [f for f in hasil.temuan if f.jenis == "nilai_negatif"]
    # mean of R1 and N1: (69,3816 + (-137,7114)) / 2 = -34,16
    assert hasil.capaian_rata_rata == -34.16


def test_penurunan_negatif_nol_floors_capaian():
    hasil = hitung(_spec(_spec_data(penurunan_negatif="nol")))
    n1 = hasil.iku_by_kode()["N1"]
    # realisasi stays -135,15 (what was measured); capaian max(0, -137,71) = 0
    assert n1.realisasi == -135.15 and n1.capaian == 0 and n1.capaian_mentah == 0
    assert n1.kategori == "Kurang"
    # the mean follows: (69,3816 + 0) / 2 = 34,69
    assert hasil.capaian_rata_rata == 34.69
    # a ratio IKU is no reduction: its capaian is untouched
    assert hasil.iku_by_kode()["R1"].capaian == 69.38


def test_penurunan_negatif_per_iku_overrides_pengaturan():
    data = _spec_data(penurunan_negatif="nol")
    data["sasaran"][0]["iku"][1]["penurunan_negatif"] = "apa_adanya"
    assert hitung(_spec(data)).iku_by_kode()["N1"].capaian == -137.71
    data = _spec_data()
    data["sasaran"][0]["iku"][1]["penurunan_negatif"] = "nol"
    assert hitung(_spec(data)).iku_by_kode()["N1"].capaian == 0


def test_penurunan_negatif_nol_applies_to_case_counts_too():
    """rumus: penurunan (case counts, baseline 50): 30 + 40 = 70 cases, a rise:
    (50 - 70) / 50 x 100 = -40 %; target 5: -40 / 5 x 100 = -800 as is, 0 floored."""
    def data(option: str) -> dict[str, Any]:
        d = _spec_data(penurunan_negatif=option, batas_capaian_wajar=None)
        d["periode"] = "TW II"
        d["sasaran"][0]["iku"] = [{"kode": "P1", "nama": "Penurunan kasus", "satuan": "%",
                                   "rumus": "penurunan", "baseline": 50, "target": 5,
                                   "realisasi_tw": [30, 40, None, None]}]
        return d
    assert hitung(_spec(data("apa_adanya"))).iku_by_kode()["P1"].capaian == -800
    assert hitung(_spec(data("nol"))).iku_by_kode()["P1"].capaian == 0


def test_penurunan_persen_positive_result_unchanged_by_option():
    data = _spec_data(penurunan_negatif="nol")
    data["sasaran"][0]["iku"][1]["realisasi_tw"] = ["22,72%", "21,58%", None, None]
    n1 = hitung(_spec(data)).iku_by_kode()["N1"]
    # 21,58 / 98,14 x 100 = 21,99 (the floor only touches a negative capaian)
    assert n1.capaian == 21.99


def test_floor_in_the_formula_follows_the_option():
    spec = _spec(_spec_data(penurunan_negatif="nol"))
    n1 = spec.semua_iku()[1]
    assert "MAX(0,I7/J7*100)" in capaian_formula(n1, 7, "J", spec.pengaturan)
    spec = _spec(_spec_data())
    n1 = spec.semua_iku()[1]
    assert "MAX(0" not in capaian_formula(n1, 7, "J", spec.pengaturan)


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
    # the pembilang/penyebut columns T:AA hold the typed numbers; E:H the ratio formulas
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET_REALISASI]
    row = layout_for(spec).iku_rows["R1"]
    assert [ws[f"{REALISASI_COLS[f'{s}_tw{q}']}{row}"].value for q in range(1, 5)
            for s in ("pembilang", "penyebut")] == [6, 265, 4, 75, 8, 138, 5, 185]
    assert str(ws[f"E{row}"].value) == formulas.rasio_tw(row, 1)
    assert ws["T5"].value == "Pembilang TW I" and ws["AA5"].value == "Penyebut TW IV"


def test_workbook_findings_name_the_cells(tmp_path):
    data = _spec_data()
    data["sasaran"][0]["iku"][0]["realisasi_tw"] = ["6/265", "5/", "9/4", None]
    spec = spec_from_data(data, "uji.yaml", nilai_ketat=False)
    path = _write(spec, tmp_path / "uji.xlsx")
    hasil = hitung(_read(path).spec)
    by = {f.jenis: f.lokasi for f in hasil.temuan}
    row = layout_for(spec).iku_rows["R1"]
    # TW II penyebut is W, TW III pembilang is X (pairs T:U, V:W, X:Y, Z:AA)
    assert by["rasio_tidak_lengkap"] == f"{SHEET_REALISASI}!W{row}"
    assert by["pembilang_melebihi_penyebut"] == f"{SHEET_REALISASI}!X{row}"


def test_workbook_without_rasio_has_no_rasio_columns(tmp_path):
    data = _spec_data()
    data["sasaran"][0]["iku"].pop(0)
    path = _write(_spec(data), tmp_path / "uji.xlsx")
    ws = openpyxl.load_workbook(path)[SHEET_REALISASI]
    assert ws["T5"].value is None


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


def test_json_carries_the_pairs():
    from workbook_gen.output import hasil_to_dict

    d = hasil_to_dict(hitung(_spec(_spec_data())))
    r1, n1 = (next(i for i in d["iku"] if i["kode"] == k) for k in ("R1", "N1"))
    # Σ over the four quarters: 6+4+8+5 = 23 of 265+75+138+185 = 663
    assert r1["rasio"] == {"pembilang_tw": [6, 4, 8, 5], "penyebut_tw": [265, 75, 138, 185],
                           "pembilang": 23, "penyebut": 663}
    assert r1["realisasi"] == 3.47 and r1["realisasi_tw"] == [2.26, 5.33, 5.8, 2.7]
    assert n1["rasio"] is None and n1["capaian"] == -137.71


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
    # TW II, III, IV pembilang: V, X, Z (never the formula cells F:H)
    assert where == [f"{SHEET_REALISASI}!{c}{row}" for c in ("V", "X", "Z")]
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


# --------------------------------------------------------------------------- every branch


def _r1(realisasi: list[Any], periode: str = "tahunan", **over: Any):
    data = _spec_data()
    data["periode"] = periode
    data["sasaran"][0]["iku"][0].update(realisasi_tw=realisasi, **over)
    hasil = hitung(spec_from_data(data, "uji.yaml", nilai_ketat=False))
    return hasil.iku_by_kode()["R1"], [f for f in hasil.temuan if "R1" in f.pesan]


def test_rasio_equal_sides_is_100_percent_without_finding():
    h, found = _r1(["5/5", None, None, None], "TW I", target=100)
    assert h.realisasi == 100 and found == []  # 5/5 x 100 = 100 %: a whole, not a swap


def test_rasio_missing_pembilang_is_named():
    h, found = _r1(["/265", "4/75", None, None], "TW II")
    assert [(f.jenis, f.lokasi) for f in found] == [
        ("rasio_tidak_lengkap", "uji.yaml: sasaran[SS1].iku[R1].realisasi_tw[0]")]
    assert "pembilang kosong" in found[0].pesan and "(265)" in found[0].pesan
    # TW I not counted: 4/75 = 5,33 %; Σ over counted quarters only
    assert h.realisasi == pytest.approx(4 / 75 * 100) and (h.pembilang, h.penyebut) == (4, 75)


def test_rasio_quarters_after_the_periode_are_not_checked_for_pairs():
    h, found = _r1(["6/265", "5/", "9/4", "/7"], "TW I")
    # TW II, III and IV hold something (a side is enough) after the periode: not counted,
    # flagged at their pembilang; no pair finding for them
    assert [(f.jenis, f.lokasi[-15:]) for f in found] == [
        ("di_luar_periode", f"realisasi_tw[{q}]") for q in (1, 2, 3)]
    assert h.realisasi == pytest.approx(6 / 265 * 100)


def test_rasio_negative_sides_are_errors():
    data = _spec_data()
    iku = data["sasaran"][0]["iku"][0]
    del iku["realisasi_tw"]
    iku.update(pembilang_tw=[-6, 4, None, None], penyebut_tw=[265, -75, None, None])
    data["periode"] = "TW II"
    hasil = hitung(spec_from_data(data, "uji.yaml"))
    neg = sorted(f.lokasi for f in hasil.temuan if f.jenis == "nilai_negatif")
    assert neg == ["uji.yaml: sasaran[SS1].iku[R1].pembilang_tw[0]",
                   "uji.yaml: sasaran[SS1].iku[R1].penyebut_tw[1]"]


def test_rasio_nothing_reported():
    h, found = _r1([None, "-", None, None], "TW II")
    assert not h.dilaporkan and h.realisasi is None and h.capaian is None
    assert (h.pembilang, h.penyebut) == (None, None)
    assert [f.jenis for f in found] == ["realisasi_kosong", "realisasi_kosong",
                                        "kosong_dihitung_nol"]  # 0 in the mean


def test_rasio_takes_akhir_for_tw_targets():
    spec = _spec(_spec_data())
    assert spec.semua_iku()[0].agregasi == "akhir"


def test_penurunan_persen_checks():
    data = _spec_data()
    n1 = data["sasaran"][0]["iku"][1]
    n1["realisasi_tw"] = ["250%", None, None, None]
    data["periode"] = "TW I"
    hasil = hitung(_spec(data))
    # 250 % above batas_realisasi_persen 200: a count typed in a % cell
    assert [f.jenis for f in hasil.temuan if f.tingkat == "error"] == ["persen_terlalu_besar"]
    # kumulatif over quarters: 60 + 50 = 110 % > 100: flagged as a summed percentage
    n1.update(realisasi_tw=["60%", "50%", None, None], agregasi="kumulatif")
    data["periode"] = "TW II"
    hasil = hitung(_spec(data))
    assert "persen_dijumlah" in {f.jenis for f in hasil.temuan}
    # satuan must be a percentage
    n1["satuan"] = "Kasus"
    with pytest.raises(SpecError) as err:
        _spec(data)
    assert ("satuan_rumus", "uji.yaml: sasaran[SS1].iku[N1].satuan") in [
        (f.jenis, f.lokasi) for f in err.value.report.errors]


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
    ws[f"T{row}"] = "6/265"
    ws[f"V{row}"] = dt.datetime(2025, 5, 6)
    wb.save(tmp_path / "diketik.xlsx")
    hasil = hitung(_read(tmp_path / "diketik.xlsx").spec)
    errors = {(f.lokasi, f.jenis) for f in hasil.temuan if f.tingkat == "error"}
    assert (f"{SHEET_REALISASI}!T{row}", "bukan_angka") in errors
    assert (f"{SHEET_REALISASI}!V{row}", "rasio_tidak_lengkap") not in errors
    assert (f"{SHEET_REALISASI}!T{row}", "rasio_tidak_lengkap") not in errors  # said once
    # the date: its serial number (6 May 2025 is 45783), as the formulas compute it,
    # with the `tanggal` error, and far above its penyebut 75
    assert (f"{SHEET_REALISASI}!V{row}", "tanggal") in errors
    assert (f"{SHEET_REALISASI}!V{row}", "pembilang_melebihi_penyebut") in errors
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
