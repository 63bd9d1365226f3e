"""The budget features of issue 10 (kegiatan without komponen, pagu awal unknown, annual
realisasi, blank budget quarters, a line serving several sasaran) and the per-kegiatan
table, recalculated by LibreOffice: every Anggaran formula and every live summary cell
equals the engine; a workbook filled through its cells reads back as the spec's values.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from workbook_gen.book import OpenpyxlBook
from workbook_gen.engine import hitung
from workbook_gen.generate import build_workbook, spec_in_cells
from workbook_gen.layout import (
    ANGGARAN_COLS,
    SHEET_ANGGARAN,
    SHEET_CAPAIAN_ANGGARAN,
    SHEET_REALISASI_ANGGARAN,
    layout_for,
)
from workbook_gen.output import hasil_to_dict
from workbook_gen.reader import read_workbook
from workbook_gen.spec import spec_from_data
from workbook_gen.summary import build_summary

from .test_formulas_libreoffice import IN_CI, NOT_FOUND, SOFFICE, expected_cells, mismatches
from .test_summary_live_libreoffice import live_cells, same, summary_values

try:
    from tests.support import libreoffice as lo
except ImportError:  # pragma: no cover - "prepend" import mode
    from support import libreoffice as lo  # type: ignore[no-redef]


def data(periode: str) -> dict[str, Any]:
    return {
        "versi_spec": 1, "unit": {"nama": "BP3MI Anggaran", "kode_satker": "100010"},
        "tahun": 2026, "periode": periode,
        "sasaran": [
            {"kode": "S1", "nama": "Satu", "iku": [
                {"kode": "A", "nama": "IKU A", "satuan": "Orang", "target": 100,
                 "realisasi_tw": [30, 20, 10, 40]},
                {"kode": "A2", "nama": "IKU A2", "satuan": "Dokumen", "target": 4,
                 "realisasi_tw": [1, 1, None, 1], "bobot": 2}]},
            {"kode": "S2", "nama": "Dua", "iku": [
                {"kode": "B", "nama": "IKU B", "satuan": "Orang", "target": 50,
                 "realisasi_tw": [20, 20, 15, 5]}]},
            {"kode": "S3", "nama": "Tiga", "iku": [
                {"kode": "C", "nama": "IKU C", "satuan": "Kasus", "target": 10,
                 "realisasi_tw": [None, None, None, None]}]},
        ],
        "anggaran": {"total": {"pagu_awal": 5000}, "kegiatan": [
            {"kode": "K1", "nama": "Dukungan", "sasaran": "S1", "akun": "521211",
             "pagu_awal": 1000, "pagu_revisi": 800, "realisasi_tw": [100, 200, 300, 100]},
            {"kode": "K2", "nama": "Pelindungan", "komponen": [
                {"kode": "01", "nama": "Sosialisasi", "sasaran": ["S1", "S2"],
                 "pagu_awal": None, "pagu_revisi": 2000, "realisasi_tw": [500, None, 500, 0]},
                {"kode": "02", "nama": "Setahun", "sasaran": "S2", "jenis_belanja": "53",
                 "pagu_awal": 1500, "realisasi_tahunan": 1200},
                {"kode": "03", "nama": "Keduanya", "sasaran": ["S2", "S3"],
                 "pagu_awal": 700, "realisasi_tw": [100, 100, 100, 100],
                 "realisasi_tahunan": 450}]},
            {"kode": "K3", "nama": "Tanpa IKU terisi", "sasaran": "S3", "pagu_awal": 300,
             "realisasi_tw": [0, 0, 0, 0]},
        ]},
    }


PERIODES = ["TW II", "TW III", "TW IV", "tahunan"]


@pytest.fixture(scope="module")
def cases(tmp_path_factory):
    folder = tmp_path_factory.mktemp("anggaran")
    out = []
    for i, periode in enumerate(PERIODES):
        spec = spec_from_data(copy.deepcopy(data(periode)), f"anggaran{i}.yaml")
        layout = layout_for(spec)
        hasil = hitung(spec_in_cells(spec, layout))
        expected = expected_cells(spec, hasil, layout)
        summary = live_cells(build_summary(hasil, layout=layout))
        path = folder / f"anggaran{i}.xlsx"
        path.write_bytes(build_workbook(spec, macro=False))
        out.append((periode, spec, hasil, path, expected, summary))
    return out


def test_engine_figures_by_hand(cases):
    by = {c[0]: c[2] for c in cases}
    # TW III: K1 600 of 800; K2/01 500+0+500 = 1000 of 2000; K2/02 0 (no quarters; the
    # annual figure waits for TW IV); K2/03 300 of 700; K3 0 of 300
    h = by["TW III"]
    assert [p.realisasi for p in h.anggaran.baris] == [600, 1000, 0, 300, 0]
    # total pagu: the declared pagu awal (5000) is not used, lines have revisi: 800 + 2000
    # + 1500 + 700 + 300 = 5300; 1900 / 5300 = 35,85 %
    assert h.anggaran.total.pagu == 5300 and round(h.anggaran.total.serapan, 2) == 35.85
    assert h.anggaran.total.pagu_awal is None  # K2/01's pagu awal is unknown
    # TW IV: K2/02 annual 1200, K2/03 annual 450 (quarters 400: a finding)
    h4 = by["TW IV"]
    assert [p.realisasi for p in h4.anggaran.baris] == [700, 1000, 1200, 450, 0]
    # 3350 / 5300 = 63,21 %; TW I-III unknown (K2/02 has only the year)
    assert round(h4.anggaran.total.serapan, 2) == 63.21
    assert h4.anggaran.serapan_tw[:3] == [None, None, None]
    # per kegiatan at TW IV: K2 serves S1, S2, S3 -> IKUs A, A2, B, C
    k = {x.kode: x for x in h4.kegiatan}
    # A 100/100 = 100; A2 3/4 = 75 (weight 2); B 60/50 = 120; C blank -> 0 (kosong = nol)
    # K1 (S1): (100 + 2 x 75) / 3 = 83,33; K2: (100 + 150 + 120 + 0) / 5 = 74,00
    assert (k["K1"].capaian, k["K2"].capaian, k["K3"].capaian) == (83.33, 74.0, 0.0)
    js = hasil_to_dict(h4)["kegiatan"]
    assert [(x["kode"], x["serapan"]) for x in js] == [
        ("K1", 87.5), ("K2", 63.1), ("K3", 0.0)]  # 700/800; (1000+1200+450)/4200; 0/300


def test_realisasi_anggaran_shows_the_kegiatan_once(cases):
    from workbook_gen.summary.build import _realisasi_anggaran
    from workbook_gen.summary.live import Live

    _, spec, hasil, *_ = cases[1]
    content = _realisasi_anggaran(hasil, Live(spec, layout_for(spec)))
    codes = [row[0] for row in content.blocks[0].rows]
    # K1 and K3 have no komponen: their kegiatan row only; K2 has three komponen rows
    assert codes == ["K1", "K2", "01", "02", "03", "K3", None]
    assert content.name == SHEET_REALISASI_ANGGARAN


@pytest.mark.libreoffice
@pytest.mark.skipif(SOFFICE is None and not IN_CI, reason=NOT_FOUND)
def test_libreoffice_equals_engine(cases, tmp_path):
    outputs = lo.recalculate([c[3] for c in cases], tmp_path)
    checked = 0
    for periode, _spec, _hasil, path, expected, summary in cases:
        values = lo.read_values(outputs[path])
        assert mismatches(values, expected) == [], periode
        got = summary_values(outputs[path], summary)
        wrong = [(s, c, got.get(s, {}).get(c), want) for (s, c), want in summary.items()
                 if not same(got.get(s, {}).get(c), want)]
        assert wrong == [], periode
        checked += len(expected) + len(summary)
        # the per-kegiatan table is there and live (means over several sasaran)
        assert any(s == SHEET_CAPAIAN_ANGGARAN for s, _ in summary)
    assert checked > 600


def test_cells_read_back_as_the_spec(cases):
    """Generated workbook -> reader -> engine: the same figures as the spec gives."""
    for periode, _spec, hasil, path, *_ in cases:
        with OpenpyxlBook(path) as book:
            read = read_workbook(book, str(path)).spec
        again = hitung(read)
        assert [(p.kode, p.pagu_awal, p.pagu, p.realisasi) for p in again.anggaran.baris] == [
            (p.kode, p.pagu_awal, p.pagu, p.realisasi) for p in hasil.anggaran.baris], periode
        assert [line.realisasi_tahunan for line in read.anggaran] == [
            None, None, 1200, 450, None]
        assert [line.sasaran_semua for line in read.anggaran] == [
            (), ("S1", "S2"), (), ("S2", "S3"), ()]
        assert [(k.kode, k.capaian, k.serapan) for k in again.kegiatan] == [
            (k.kode, k.capaian, k.serapan) for k in hasil.kegiatan]
        # the blank quarter finding names the Anggaran cell (K2/01 TW II = L7)
        if periode != "TW I":
            places = [f.lokasi for f in again.temuan if f.jenis == "anggaran_belum_dilaporkan"]
            assert f"{SHEET_ANGGARAN}!{ANGGARAN_COLS['realisasi_tw2']}7" in places


def test_annual_cell_typed_by_staff_reaches_the_engine(tmp_path):
    """Typing an annual realisasi into Anggaran!Y of a generated workbook."""
    import openpyxl

    spec = spec_from_data(copy.deepcopy(data("TW IV")), "u.yaml")
    path = tmp_path / "u.xlsx"
    path.write_bytes(build_workbook(spec, macro=False))
    row = layout_for(spec).line_rows["K1/-"]
    wb = openpyxl.load_workbook(path)
    wb[SHEET_ANGGARAN][f"{ANGGARAN_COLS['realisasi_tahunan']}{row}"] = 790
    wb.save(path)
    with OpenpyxlBook(Path(path)) as book:
        h = hitung(read_workbook(book, str(path)).spec)
    # K1: the annual 790 replaces the quarters' 700: 790 / 800 = 98,75 %
    assert h.anggaran.baris[0].realisasi == 790 and h.anggaran.baris[0].serapan == 98.75
    assert [f.lokasi for f in h.temuan if f.jenis == "realisasi_tahunan_berbeda"][0] == (
        f"{SHEET_ANGGARAN}!{ANGGARAN_COLS['realisasi_tahunan']}{row}")


def test_per_kegiatan_formulas_stay_under_excels_limit():
    """60 sasaran, one kegiatan serving all but one (a mean over 59 ranges would pass
    8,192 characters: the engine's value is written instead), one serving all (the
    overall mean's cell), one serving one sasaran (its ranges)."""
    from workbook_gen.layout import SHEET_CAPAIAN_ANGGARAN as SHEET
    from workbook_gen.summary.live import MAX_FORMULA
    from workbook_gen.tables import Formula

    d = data("TW II")
    d["sasaran"] = [{"kode": f"S{i}", "nama": f"Sasaran {i}", "iku": [
        {"kode": f"I{i}", "nama": f"IKU {i}", "satuan": "Orang", "target": 10,
         "realisasi_tw": [i % 7, 1, None, None]}]} for i in range(60)]
    d["anggaran"] = {"kegiatan": [
        {"kode": "A", "nama": "Hampir semua", "sasaran": [f"S{i}" for i in range(59)],
         "pagu_awal": 10, "realisasi_tw": [1, 1, 0, 0]},
        {"kode": "B", "nama": "Semua", "sasaran": [f"S{i}" for i in range(60)],
         "pagu_awal": 10, "realisasi_tw": [1, 1, 0, 0]},
        {"kode": "C", "nama": "Satu", "sasaran": "S3", "pagu_awal": 10,
         "realisasi_tw": [1, 1, 0, 0]}]}
    spec = spec_from_data(d, "banyak.yaml")
    hasil = hitung(spec)
    content = next(c for c in build_summary(hasil, layout=layout_for(spec)) if c.name == SHEET)
    rows = content.blocks[-1].rows
    cap = [row[6] for row in rows]
    assert not isinstance(cap[0], Formula)  # too long: the engine's value
    # A: IKU i has realisasi (i mod 7) + 1 of 10; mean over i < 59
    assert cap[0] == round(sum((i % 7 + 1) * 10 for i in range(59)) / 59, 2)
    assert isinstance(cap[1], Formula) and cap[1].text.startswith("='Ringkasan Capaian'!")
    assert isinstance(cap[2], Formula) and "SUMPRODUCT" in cap[2].text
    assert all(len(v.text) <= MAX_FORMULA for row in rows for v in row
               if isinstance(v, Formula))


def test_pulihkan_carries_the_budget_features(tmp_path):
    """A damaged workbook (two columns inserted before the inputs of Anggaran) gives
    back the komponen-less kegiatan, the unknown pagu awal and the annual realisasi."""
    import openpyxl

    from workbook_gen.pulihkan import pulihkan

    spec = spec_from_data(copy.deepcopy(data("TW IV")), "u.yaml")
    path = tmp_path / "u.xlsx"
    path.write_bytes(build_workbook(spec, macro=False))
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET_ANGGARAN]
    ws.insert_cols(2, 2)
    ws["AA8"] = 1300  # K2/02's annual realisasi, typed after the damage (Y moved to AA)
    ws["AA6"] = 650  # K1's, which had none
    wb.save(path)
    got = pulihkan(path).spec
    assert [(line.key, line.pagu_awal, line.realisasi_tahunan) for line in got.anggaran] == [
        ("K1/-", 1000, 650), ("K2/01", None, None), ("K2/02", 1500, 1300),
        ("K2/03", 700, 450), ("K3/-", 300, None)]
    assert [p.realisasi for p in hitung(got).anggaran.baris] == [650, 1000, 1300, 450, 0]
