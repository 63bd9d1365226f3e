"""The workbook formulas against the engine.

Every generated workbook is recalculated by LibreOffice headless (one batched soffice
call for the whole session) and every Realisasi formula cell (realisasi, target and
capaian s.d. periode, kategori) and every Anggaran formula cell (pagu, realisasi, serapan,
sisa of lines, subtotals and the total) is compared with ``engine.hitung`` to 0.01:
for both bundled examples, for two edge-case specs written here that cover every rule,
and for copies whose periode (Identitas!B10) and some inputs were changed after
generation (text and "-" typed in number cells, a label typed in another case, a
declared total added), compared with the engine run on the same changes.

The cached values xlsxwriter writes are checked against the engine too (no
recalculation): a reader sees the right numbers before Excel recalculates.
"""

from __future__ import annotations

import copy
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from workbook_gen.engine import Hasil, bulatkan, hitung
from workbook_gen.generate import generate
from workbook_gen.layout import (
    ANGGARAN_COLS,
    IDENTITAS_ROWS,
    REALISASI_COLS,
    SHEET_ANGGARAN,
    SHEET_IDENTITAS,
    SHEET_REALISASI,
    TARGET_COLS,
    Layout,
    layout_for,
)
from workbook_gen.spec import Spec, load_spec, spec_from_data

from .conftest import BANTEN, JATENG, NTB

try:
    from tests.support import libreoffice as lo
except ImportError:  # pragma: no cover - "prepend" import mode
    from support import libreoffice as lo  # type: ignore[no-redef]

SOFFICE = lo.find_soffice()
IN_CI = os.environ.get("CI", "").strip().lower() in {"true", "1"}
NOT_FOUND = ("LibreOffice (soffice) is not installed: apt-get install -y "
             "libreoffice-calc-nogui (or set $SOFFICE)")
TOLERANCE = 0.01 + 1e-9


# --------------------------------------------------------------------------- edge specs


def _iku(kode: str, target: Any, real: list[Any], **over: Any) -> dict[str, Any]:
    d: dict[str, Any] = {"kode": kode, "nama": f"IKU uji {kode}", "satuan": "Orang",
                         "target": target, "realisasi_tw": real}
    d.update(over)
    return d


NKA = [{"label": "Sangat Kurang"}, {"label": "Kurang", "minimal": 50},
       {"label": "Cukup", "minimal": 60}, {"label": "Baik", "minimal": 80},
       {"label": "Sangat Baik", "minimal": 90}]
ZI = [{"label": "Belum WBK"}, {"label": "WBK"}, {"label": "WBBM"}]


def edge_spec_data() -> dict[str, Any]:
    """Every rule at TW III: each agregasi, both minimal formulas (and the floor at 0),
    penurunan (fall and rise, kumulatif and akhir), kategori with and without bands and
    with minimal polaritas, quarters not measured, blanks, target 0 / blank / revised 0,
    quarterly targets with gaps; budget lines with and without pagu revisi, pagu 0, a
    line without jenis belanja, a kegiatan code used twice, a declared pagu awal total
    that the lines' revisi overrule."""
    n = None
    angka = [
        _iku("A-KUM", 100, [10, n, 30, 99], target_tw=[20, 30, n, 25]),
        _iku("A-AKH", 80, [70, 75, n, 60], satuan="Nilai", agregasi="akhir",
             target_tw=[80, 80, n, 80]),
        _iku("A-RATA", 90, [80, n, 100, 50], satuan="%", agregasi="rata_rata",
             target_tw=[85, 90, 95, 100]),
        _iku("A-MIN", 10, [3, 4, 5, n], satuan="Kasus", polaritas="minimal"),
        _iku("A-MIN0", 5, [20, n, n, n], satuan="Kasus", polaritas="minimal"),
        _iku("A-MINTR", 10, [0, 5, n, n], polaritas="minimal", rumus_minimal="t_bagi_r",
             agregasi="akhir", target_tw=[10, 10, 10, 10]),
        _iku("A-MINTR0", 10, [0, n, n, n], polaritas="minimal", rumus_minimal="t_bagi_r",
             agregasi="akhir"),
        _iku("A-T0", 0, [10, 10, 10, n], target_revisi=50),
        _iku("A-TKOSONG", None, [1, n, n, n]),
        _iku("A-REV0", 100, [50, n, n, n], target_revisi=0),
        _iku("A-KOSONG", 40, [n, n, n, n], target_tw=[10, 10, 10, 10]),
        _iku("A-PERSEN", 63, [3453, n, n, n], satuan="%"),
        _iku("A-BULAT", 3, [1, n, n, n]),
        _iku("A-BULAT2", 200, [2.01, n, n, n], satuan="Nilai"),
        _iku("A-SKALA", "85 (Baik)", ["72,5", "91 (Sangat Baik)", n, n], satuan="Nilai",
             skala="nka", agregasi="akhir"),
    ]
    khusus = [
        _iku("A-TUR", "6 %", [33, 22, 31, 42], satuan="%", rumus="penurunan", baseline=134,
             target_tw=["6%", "6%", "6%", "6%"]),
        _iku("A-NAIK", 5, [30, 40, n, n], satuan="%", rumus="penurunan", baseline=50,
             target_tw=[n, 5, 4, n]),
        _iku("A-TURAKH", 10, [15, 12, n, 8], satuan="%", rumus="penurunan", baseline=20,
             agregasi="akhir"),
        _iku("A-KAT", "WBBM", ["Belum WBK", "wbk", n, "WBBM"], satuan="Predikat",
             jenis="kategori", skala="zi", agregasi="akhir",
             target_tw=["WBK", "WBK", "WBBM", "WBBM"]),
        _iku("A-KATN", "Baik", [86.06, n, 92, n], satuan="Predikat", jenis="kategori",
             skala="nka", agregasi="akhir", target_revisi=70),
        _iku("A-KATMIN", "WBK", ["WBBM", n, n, n], satuan="Predikat", jenis="kategori",
             skala="zi", agregasi="akhir", polaritas="minimal"),
        _iku("A-DIUKUR", 65, [50, n, 60, n], satuan="Nilai", agregasi="akhir",
             diukur_pada=["TW III"], target_tw=[60, 62, 65, 70]),
        _iku("A-DIUKUR24", 10, [1, 2, 3, 4], diukur_pada=["TW II", "TW IV"],
             target_tw=[5, 5, 5, 5]),
        _iku("A-TDKDIUKUR", 10, [1, 2, 3, n], diukur_pada=["TW IV"]),
    ]
    return {
        "versi_spec": 1,
        "unit": {"nama": "BP3MI Uji Tepi", "kode_satker": "100002", "kepala": "Kepala Uji",
                 "nip": "198001012005011001"},
        "tahun": 2026,
        "periode": "TW III",
        "skala": {"nka": copy.deepcopy(NKA), "zi": copy.deepcopy(ZI)},
        "sasaran": [{"kode": "S1", "nama": "Sasaran angka", "iku": angka},
                    {"kode": "S2", "nama": "Sasaran khusus", "iku": khusus}],
        "anggaran": {
            "total": {"pagu_awal": "Rp 2.000"},
            "kegiatan": [
                {"kode": "K1", "nama": "Kegiatan satu", "komponen": [
                    {"kode": "01", "nama": "Komponen satu", "sasaran": "S1",
                     "jenis_belanja": 52, "pagu_awal": 1000,
                     "realisasi_tw": [100, n, 200, 300]},
                    {"kode": "02", "nama": "Komponen dua", "sasaran": "S1", "akun": "521211",
                     "pagu_awal": 500, "pagu_revisi": 400,
                     "realisasi_tw": [50, "-", 100, n]},
                ]},
                {"kode": "K2", "nama": "Kegiatan dua", "komponen": [
                    {"kode": "01", "nama": "Pagu nol", "sasaran": "S2", "jenis_belanja": 53,
                     "pagu_awal": 0, "realisasi_tw": [10, n, n, n]},
                    {"kode": "02", "nama": "Tanpa jenis belanja", "sasaran": "S2",
                     "pagu_awal": 200, "pagu_revisi": 250,
                     "realisasi_tw": [n, 300, n, n]},
                ]},
                {"kode": "K1", "nama": "Kegiatan satu (lanjutan)", "komponen": [
                    {"kode": "03", "nama": "Komponen tiga", "sasaran": "S2",
                     "jenis_belanja": "51", "pagu_awal": 300,
                     "realisasi_tw": [n, n, 30, n]},
                ]},
            ],
        },
    }


def edge_spec_potong_data() -> dict[str, Any]:
    """Truncation to 1 decimal, T/R as the default minimal formula, custom bands with a
    'lebih dari' boundary, blanks left out of means; no declared totals."""
    n = None
    ikus = [
        _iku("B-1", 3, [1, 1, n, n]),
        _iku("B-2", 10, [4, 4, n, n], polaritas="minimal"),
        _iku("B-3", 10, [4, 7, n, n], polaritas="minimal", rumus_minimal="2t_kurang_r",
             agregasi="akhir"),
        _iku("B-4", 90, [90, 90.3, n, n], satuan="%", agregasi="rata_rata"),
        _iku("B-5", 100, [90, n, n, n], satuan="%"),
        _iku("B-6", 5, [31, n, n, n], satuan="%", rumus="penurunan", baseline=30),
        _iku("B-7", "Cukup", [10, n, n, n], satuan="Predikat", jenis="kategori",
             skala="nka", agregasi="akhir"),
    ]
    return {
        "versi_spec": 1,
        "unit": {"nama": "BP3MI Uji Potong", "kode_satker": "100003"},
        "tahun": 2025,
        "periode": "TW II",
        "pengaturan": {
            "pembulatan": "potong", "desimal": 1, "rumus_minimal": "t_bagi_r",
            "kosong_dalam_rata_rata": "abaikan",
            "kategori": [
                {"nama": "Istimewa", "minimal": 120, "warna": "#2F75B5"},
                {"nama": "Memadai", "minimal": 90, "lebih_dari": True, "warna": "#A9D08E"},
                {"nama": "Rendah", "minimal": None, "warna": "#F4B084"},
            ],
        },
        "skala": {"nka": copy.deepcopy(NKA)},
        "sasaran": [{"kode": "S1", "nama": "Sasaran potong", "iku": ikus}],
        "anggaran": {"kegiatan": [
            {"kode": "01", "nama": "Kegiatan", "komponen": [
                {"kode": "01", "nama": "Satu", "sasaran": "S1", "akun": "525111",
                 "pagu_awal": 3000, "pagu_revisi": 2900, "realisasi_tw": [1000, 1, n, n]},
                {"kode": "02", "nama": "Dua", "sasaran": "S1", "akun": "531111",
                 "pagu_awal": 700, "realisasi_tw": [n, 233, n, n]},
            ]},
        ]},
    }


def edge_spec() -> Spec:
    return spec_from_data(edge_spec_data(), "tepi.yaml")


# --------------------------------------------------------------------------- expectations


def expected_cells(spec: Spec, hasil: Hasil, layout: Layout) -> dict[tuple[str, str], Any]:
    """(sheet, cell) -> the engine's value of every formula cell."""
    out: dict[tuple[str, str], Any] = {}
    rc, ac = REALISASI_COLS, ANGGARAN_COLS
    out[(SHEET_IDENTITAS, f"B{IDENTITAS_ROWS['periode_n']}")] = float(spec.periode_n)
    for h in hasil.iku:
        row = layout.iku_rows[h.kode]
        values = {
            "realisasi_sd": h.realisasi, "target": h.target,
            "target_revisi": h.target_revisi if h.target_revisi is not None else h.target,
            "target_sd": h.target_sd, "capaian": h.capaian_pk,  # M: against PK, always
            "capaian_revisi": h.capaian_revisi, "capaian_tw": h.capaian_tw,
            "kategori": h.kategori,
        }
        for field, value in values.items():
            out[(SHEET_REALISASI, f"{rc[field]}{row}")] = value
    a = hasil.anggaran
    p = spec.pengaturan

    def pos_cells(row: int, pos, group: bool) -> None:
        fields = {"pagu": pos.pagu, "realisasi_sd": pos.realisasi,
                  "serapan": bulatkan(pos.serapan, p), "sisa": pos.sisa}
        if group:
            fields.update({"pagu_awal": pos.pagu_awal, "pagu_revisi": pos.pagu_revisi,
                           **{f"realisasi_tw{q}": pos.realisasi_tw[q - 1]
                              for q in range(1, 5)}})
        for field, value in fields.items():
            out[(SHEET_ANGGARAN, f"{ac[field]}{row}")] = value

    for line, pos in zip(spec.anggaran, a.baris, strict=True):
        pos_cells(layout.line_rows[line.key], pos, group=False)
    kegiatan = {pos.kode: pos for pos in a.per_kegiatan}
    jenis = {pos.kode: pos for pos in a.per_jenis_belanja}
    for key, row in layout.subtotal_rows.items():
        kind, kode = key.split(":", 1)
        pos_cells(row, kegiatan[kode] if kind == "kegiatan" else jenis[kode], group=True)
    if layout.total_row is not None:
        pos_cells(layout.total_row, a.total, group=True)
    return out


def same(got: Any, expected: Any) -> bool:
    if expected is None:
        return got in (None, "")
    if isinstance(expected, str):
        return isinstance(got, str) and got.strip().casefold() == expected.casefold()
    if isinstance(got, bool) or not isinstance(got, (int, float)):
        return False
    return abs(got - expected) <= TOLERANCE


def mismatches(values: dict[str, dict[str, Any]], expected: dict[tuple[str, str], Any]
               ) -> list[tuple[str, str, Any, Any]]:
    out = []
    for (sheet, cell), want in expected.items():
        got = values.get(sheet, {}).get(cell)
        if not same(got, want):
            out.append((sheet, cell, got, want))
    return out


# --------------------------------------------------------------------------- cases


@dataclass
class Case:
    name: str
    spec: Spec  # what the engine computes for this workbook
    path: Path  # the workbook (generated, or a patched copy)
    expected: dict[tuple[str, str], Any]


def _iku_path(data: dict[str, Any], kode: str) -> dict[str, Any]:
    for s in data["sasaran"]:
        for d in s["iku"]:
            if str(d["kode"]) == kode:
                return d
    raise KeyError(kode)


def _line_path(data: dict[str, Any], kegiatan: str, kode: str) -> dict[str, Any]:
    for k in data["anggaran"]["kegiatan"]:
        for c in k["komponen"]:
            if str(k["kode"]) == kegiatan and str(c["kode"]) == kode:
                return c
    raise KeyError((kegiatan, kode))


def _patched(source: Path, out: Path, cells: dict[tuple[str, str], Any]) -> Path:
    """A copy of ``source`` with ``cells`` typed over (as a user would, after
    generation). openpyxl keeps formulas and names; LibreOffice recalculates."""
    wb = openpyxl.load_workbook(source)
    for (sheet, cell), value in cells.items():
        wb[sheet][cell] = value
    wb.save(out)
    wb.close()
    return out


def _case(name: str, spec: Spec, path: Path) -> Case:
    return Case(name, spec, path, expected_cells(spec, hitung(spec), layout_for(spec)))


def build_cases(folder: Path) -> list[Case]:
    cases: list[Case] = []
    base: dict[str, tuple[Spec, Path]] = {}
    sources = {"banten": load_spec(BANTEN), "jateng": load_spec(JATENG), "ntb": load_spec(NTB),
               "tepi": edge_spec(),
               "tepi_potong": spec_from_data(edge_spec_potong_data(), "tepi_potong.yaml")}
    for name, spec in sources.items():
        path = generate(spec, folder / f"{name}.xlsm")
        base[name] = (spec, path)
        cases.append(_case(name, spec, path))

    # periode changed on Identitas after generation: the whole workbook follows
    periode_cell = f"B{IDENTITAS_ROWS['periode']}"
    for name, label, periode in (("jateng", "TW II", "TW II"), ("banten", "Tahunan", "tahunan"),
                                 ("tepi_potong", "TW IV", "TW IV"),
                                 ("ntb", "TW III", "TW III")):  # annual figures not used yet
        spec, path = base[name]
        data = copy.deepcopy(spec.data)
        data["periode"] = periode
        new = spec_from_data(data, spec.sumber)
        copy_path = _patched(path, folder / f"{name}_periode.xlsx",
                             {(SHEET_IDENTITAS, periode_cell): label})
        cases.append(_case(f"{name}_periode", new, copy_path))

    # typed over: periode, "-" and text in number cells, a label in another case with
    # extra spaces, a declared pagu revisi total
    spec, path = base["tepi"]
    lay = layout_for(spec)
    rc, tc, ac = REALISASI_COLS, TARGET_COLS, ANGGARAN_COLS
    data = copy.deepcopy(spec.data)
    data["periode"] = "TW II"
    _iku_path(data, "A-KUM")["realisasi_tw"][0] = None
    _iku_path(data, "A-AKH")["realisasi_tw"][1] = None
    _iku_path(data, "A-RATA")["target_tw"][0] = None
    _iku_path(data, "A-KAT")["realisasi_tw"][0:2] = ["  belum   wbk ", None]
    _iku_path(data, "A-MIN")["realisasi_tw"][1] = 9
    _iku_path(data, "A-TURAKH")["baseline"] = None  # cleared: realisasi is the count
    _iku_path(data, "A-BULAT")["target"] = None  # text typed over a target
    _line_path(data, "K1", "01")["realisasi_tw"][0] = None
    _line_path(data, "K2", "02")["pagu_revisi"] = None
    data["anggaran"]["total"]["pagu_revisi"] = 1800
    new = spec_from_data(data, spec.sumber, nilai_ketat=False)  # baseline missing: a finding
    edits = {
        (SHEET_IDENTITAS, periode_cell): "TW II",
        (SHEET_REALISASI, f"{rc['realisasi_tw1']}{lay.iku_rows['A-KUM']}"): "-",
        (SHEET_REALISASI, f"{rc['realisasi_tw2']}{lay.iku_rows['A-AKH']}"): "belum ada",
        ("Target", f"{tc['target_tw1']}{lay.iku_rows['A-RATA']}"): "x",
        (SHEET_REALISASI, f"{rc['realisasi_tw1']}{lay.iku_rows['A-KAT']}"): "  belum   wbk ",
        (SHEET_REALISASI, f"{rc['realisasi_tw2']}{lay.iku_rows['A-KAT']}"): "-",
        (SHEET_REALISASI, f"{rc['realisasi_tw2']}{lay.iku_rows['A-MIN']}"): 9,
        ("Target", f"{tc['baseline']}{lay.iku_rows['A-TURAKH']}"): None,
        ("Target", f"{tc['target']}{lay.iku_rows['A-BULAT']}"): "tiga",
        (SHEET_ANGGARAN, f"{ac['realisasi_tw1']}{lay.line_rows['K1/01']}"): "-",
        (SHEET_ANGGARAN, f"{ac['pagu_revisi']}{lay.line_rows['K2/02']}"): None,
        (SHEET_IDENTITAS, f"B{IDENTITAS_ROWS['total_pagu_revisi']}"): 1800,
    }
    copy_path = _patched(path, folder / "tepi_diketik.xlsx", edits)
    cases.append(_case("tepi_diketik", new, copy_path))

    # annual figures typed over: IKU-1's cleared with "-", IKU-2 given one (a reduction
    # of the quarters' 8 to 7), IKU-7's label typed in another case
    spec, path = base["ntb"]
    lay = layout_for(spec)
    t = REALISASI_COLS["realisasi_tahunan"]
    data = copy.deepcopy(spec.data)
    _iku_path(data, "IKU-1")["realisasi_tahunan"] = None
    _iku_path(data, "IKU-2")["realisasi_tahunan"] = 7
    _iku_path(data, "IKU-7")["realisasi_tahunan"] = " wbk "
    new = spec_from_data(data, spec.sumber)
    edits = {(SHEET_REALISASI, f"{t}{lay.iku_rows['IKU-1']}"): "-",
             (SHEET_REALISASI, f"{t}{lay.iku_rows['IKU-2']}"): 7,
             (SHEET_REALISASI, f"{t}{lay.iku_rows['IKU-7']}"): " wbk "}
    cases.append(_case("ntb_diketik", new, _patched(path, folder / "ntb_diketik.xlsx", edits)))
    return cases


@pytest.fixture(scope="session")
def generated(tmp_path_factory) -> list[Case]:
    return build_cases(tmp_path_factory.mktemp("rumus"))


@pytest.fixture(scope="session")
def recalculated(generated, tmp_path_factory) -> dict[str, dict[str, dict[str, Any]]]:
    """Every case recalculated by LibreOffice in ONE soffice call."""
    if SOFFICE is None:
        pytest.fail(f"CI=true but {NOT_FOUND}", pytrace=False)
    outputs = lo.recalculate([c.path for c in generated], tmp_path_factory.mktemp("recalc"))
    return {c.name: lo.read_values(outputs[c.path]) for c in generated}


CASE_NAMES = ["banten", "jateng", "ntb", "tepi", "tepi_potong", "jateng_periode",
              "banten_periode", "tepi_potong_periode", "ntb_periode", "tepi_diketik",
              "ntb_diketik"]


# --------------------------------------------------------------------------- tests


def test_edge_specs_cover_every_rule():
    spec = edge_spec()
    ikus = spec.semua_iku()
    assert {i.agregasi for i in ikus} == {"kumulatif", "akhir", "rata_rata"}
    assert {(i.polaritas, i.rumus_minimal) for i in ikus} >= {
        ("maksimal", None), ("minimal", None), ("minimal", "t_bagi_r")}
    assert any(i.rumus == "penurunan" and i.agregasi == "akhir" for i in ikus)
    assert {i.skala.punya_rentang for i in ikus if i.jenis == "kategori"} == {True, False}
    assert any(i.diukur_pada != (1, 2, 3, 4) for i in ikus)
    hasil = hitung(spec)
    by = hasil.iku_by_kode()
    assert by["A-T0"].capaian is None and by["A-T0"].capaian_revisi == 60
    assert by["A-TKOSONG"].capaian is None
    assert by["A-REV0"].capaian == 50 and by["A-REV0"].capaian_revisi is None
    assert by["A-MIN0"].capaian == 0
    assert by["A-MINTR0"].capaian is None
    assert by["A-NAIK"].realisasi == -40
    assert by["A-KAT"].realisasi == "WBK"
    assert by["A-TDKDIUKUR"].diukur is False
    # every budget branch: lines with and without revisi, pagu 0, no jenis belanja
    a = hasil.anggaran
    assert any(p.serapan is None for p in a.baris)
    assert {p.kode for p in a.per_jenis_belanja} == {"51", "52", "53", "-"}
    assert a.total.pagu == a.pagu_jumlah_baris  # declared awal overruled by the revisi


def test_cases_are_the_ones_listed(generated):
    assert [c.name for c in generated] == CASE_NAMES


@pytest.mark.parametrize("name", ["banten", "jateng", "ntb", "tepi", "tepi_potong"])
def test_cached_values_equal_engine(generated, name):
    """What xlsxwriter stored as each formula's result is the engine's value."""
    case = next(c for c in generated if c.name == name)
    values = lo.read_values(case.path)
    assert mismatches(values, case.expected) == []


@pytest.mark.libreoffice
@pytest.mark.skipif(SOFFICE is None and not IN_CI, reason=NOT_FOUND)
@pytest.mark.parametrize("name", CASE_NAMES)
def test_libreoffice_recalculation_equals_engine(recalculated, generated, name):
    case = next(c for c in generated if c.name == name)
    values = recalculated[name]
    assert mismatches(values, case.expected) == []
    # the comparison covered every IKU and budget row
    iku_cells = sum(1 for sheet, _ in case.expected if sheet == SHEET_REALISASI)
    assert iku_cells == 8 * len(case.spec.semua_iku())


@pytest.mark.libreoffice
@pytest.mark.skipif(SOFFICE is None and not IN_CI, reason=NOT_FOUND)
def test_no_error_values_anywhere(recalculated):
    """No #DIV/0!, #VALUE!, #N/A ... in any recalculated cell of any case (except the
    hidden chart column of Grafik, whose #N/A after the periode ends the serapan line)."""
    errors = [(name, sheet, cell, v)
              for name, book in recalculated.items()
              for sheet, cells in book.items()
              for cell, v in cells.items()
              if isinstance(v, str) and v.startswith("#") and v.endswith(("!", "?", "A"))
              and not (sheet == "Grafik" and cell[0] == "E" and v == "#N/A")]
    assert errors == []


@pytest.mark.libreoffice
@pytest.mark.skipif(SOFFICE is None and not IN_CI, reason=NOT_FOUND)
def test_typed_changes_took_effect(recalculated):
    """The patched copy really differs from the original (the comparison is not vacuous)."""
    before, after = recalculated["tepi"], recalculated["tepi_diketik"]
    lay = layout_for(edge_spec())
    real = f"{REALISASI_COLS['realisasi_sd']}{lay.iku_rows['A-KAT']}"
    assert before[SHEET_REALISASI][real] == "WBK"
    assert after[SHEET_REALISASI][real] == "Belum WBK"
    assert after[SHEET_IDENTITAS][f"B{IDENTITAS_ROWS['periode_n']}"] == 2
    assert after[SHEET_ANGGARAN][f"{ANGGARAN_COLS['pagu']}{lay.total_row}"] == 1800
    turun = f"{REALISASI_COLS['realisasi_sd']}{lay.iku_rows['A-TURAKH']}"
    assert before[SHEET_REALISASI][turun] == 40  # (20 - 12) / 20 x 100
    assert after[SHEET_REALISASI][turun] == 12  # baseline cleared: the count itself
    target = f"{REALISASI_COLS['target']}{lay.iku_rows['A-BULAT']}"
    assert after[SHEET_REALISASI][target] == ""  # text typed over a target is not read


@pytest.mark.libreoffice
@pytest.mark.skipif(SOFFICE is None and not IN_CI, reason=NOT_FOUND)
def test_annual_realisasi_and_headline_in_libreoffice(recalculated):
    """The annual figure (T) replaces the quarters from TW IV only, and the category
    follows the revised target (the NTB example's target_utama), figures by hand."""
    lay = layout_for(load_spec(NTB))
    rc = REALISASI_COLS

    def cell(case: str, field: str, kode: str) -> Any:
        return recalculated[case][SHEET_REALISASI][f"{rc[field]}{lay.iku_rows[kode]}"]

    assert cell("ntb", "realisasi_sd", "IKU-1") == 731  # the annual figure, not 2.715
    assert cell("ntb_periode", "realisasi_sd", "IKU-1") == 2074  # TW III: 1.985 + 0 + 89
    assert cell("ntb_diketik", "realisasi_sd", "IKU-1") == 2715  # "-" in T: the quarters
    assert cell("ntb", "realisasi_sd", "IKU-2") == 8  # 2 + 2 + 2 + 2
    assert cell("ntb_diketik", "realisasi_sd", "IKU-2") == 7  # 7 typed for the year
    assert cell("ntb_diketik", "capaian_revisi", "IKU-2") == 87.5  # 7 / 8
    assert cell("ntb", "realisasi_sd", "IKU-7") == "WBK"  # quarters said Belum WBK
    assert cell("ntb_periode", "realisasi_sd", "IKU-7") == "Belum WBK"
    # IKU-2: 8 / 6 = 133,33 against PK (Sangat Baik) but 8 / 8 = 100 against the revised
    # target, the headline: Baik
    assert (cell("ntb", "capaian", "IKU-2"), cell("ntb", "capaian_revisi", "IKU-2"),
            cell("ntb", "kategori", "IKU-2")) == (133.33, 100, "Baik")


@pytest.mark.libreoffice
@pytest.mark.skipif(SOFFICE is None and not IN_CI, reason=NOT_FOUND)
def test_very_hidden_metadata_survives_libreoffice(recalculated, generated):
    """LibreOffice opens the very hidden _meta sheet and keeps it readable."""
    from workbook_gen.layout import SHEET_META, parse_meta

    for case in generated[:4]:
        cells = recalculated[case.name][SHEET_META]
        rows = []
        r = 1
        while f"A{r}" in cells:
            rows.append((cells[f"A{r}"], cells.get(f"B{r}")))
            r += 1
        meta = parse_meta(rows)
        assert meta.layout.to_json() == layout_for(case.spec).to_json()
        assert meta.kode_satker == case.spec.unit.kode_satker
