"""The unit-level narrative of the LKj's closing chapter (permasalahan, upaya, saran):
spec, the Identitas input cells, the reader, pulihkan, the JSON and the LKj document."""

from __future__ import annotations

import copy

import openpyxl

from workbook_gen.engine import hitung
from workbook_gen.generate import generate
from workbook_gen.layout import IDENTITAS_ROWS, SHEET_IDENTITAS
from workbook_gen.output import hasil_to_dict
from workbook_gen.pulihkan import pulihkan
from workbook_gen.reader import read_workbook
from workbook_gen.spec import spec_from_data

from .conftest import base_spec

PENUTUP = {
    "permasalahan": "Pendataan CPMI belum terhubung dengan sistem daerah.",
    "upaya": "Koordinasi dengan Disnaker kabupaten/kota;\nbimbingan teknis operator.",
    "saran": "Perlu integrasi data SISKOP2MI dengan dinas daerah.",
}


def spec(**penutup):
    return spec_from_data(base_spec(penutup=copy.deepcopy(penutup or PENUTUP)), "uji.yaml")


def read_workbook_file(path):
    from workbook_gen.konsolidasi.source import CalamineSource

    return read_workbook(CalamineSource(path.read_bytes()), str(path))


def cell(name: str) -> str:
    return f"B{IDENTITAS_ROWS['penutup_' + name]}"


def test_spec_and_json():
    s = spec()
    assert s.penutup.upaya == PENUTUP["upaya"]
    assert hasil_to_dict(hitung(s))["penutup"] == PENUTUP
    bare = spec_from_data(base_spec(), "uji.yaml")
    assert hasil_to_dict(hitung(bare))["penutup"] == {"permasalahan": None, "upaya": None,
                                                     "saran": None}


def test_the_workbook_carries_it_as_input_cells(tmp_path):
    path = generate(spec(), tmp_path / "unit.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET_IDENTITAS]
    for name, text in PENUTUP.items():
        assert ws[cell(name)].value == text
        assert ws[cell(name)].protection.locked is False  # staff type here
        assert ws[cell(name)].alignment.wrap_text
    wb.close()
    assert read_workbook_file(path).spec.penutup.saran == PENUTUP["saran"]


def test_typed_narrative_reaches_the_engine_and_a_cleared_cell_is_cleared(tmp_path):
    path = generate(spec(), tmp_path / "unit.xlsx")
    wb = openpyxl.load_workbook(path)
    wb[SHEET_IDENTITAS][cell("permasalahan")] = "Anggaran diblokir pada TW II."
    wb[SHEET_IDENTITAS][cell("saran")] = None
    wb.save(path)
    wb.close()
    read = read_workbook_file(path).spec
    assert read.penutup.permasalahan == "Anggaran diblokir pada TW II."
    assert read.penutup.upaya == PENUTUP["upaya"]
    assert read.penutup.saran is None


def test_typed_into_a_workbook_made_without_narrative(tmp_path):
    path = generate(spec_from_data(base_spec(), "uji.yaml"), tmp_path / "unit.xlsx")
    assert read_workbook_file(path).spec.penutup.upaya is None
    wb = openpyxl.load_workbook(path)
    wb[SHEET_IDENTITAS][cell("upaya")] = "Jemput bola ke desa."
    wb.save(path)
    wb.close()
    assert read_workbook_file(path).spec.penutup.upaya == "Jemput bola ke desa."


def test_pulihkan_carries_it_even_when_rows_moved(tmp_path):
    path = generate(spec(), tmp_path / "unit.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET_IDENTITAS]
    ws.protection.sheet = False
    ws.insert_rows(3, 2)  # every label moves down two rows
    ws[f"B{IDENTITAS_ROWS['penutup_upaya'] + 2}"] = "Diketik setelah baris disisipkan."
    wb.save(path)
    wb.close()
    hasil = pulihkan(path)
    assert hasil.spec.penutup.upaya == "Diketik setelah baris disisipkan."
    assert hasil.spec.penutup.permasalahan == PENUTUP["permasalahan"]


def test_lkj_has_the_closing_chapter_and_the_per_seksi_table(tmp_path):
    from docx import Document

    from workbook_gen.lkj import tulis_lkj

    from .test_penanggung_jawab import data as roll_up

    d = roll_up()
    d["penutup"] = copy.deepcopy(PENUTUP)
    path = tulis_lkj(hitung(spec_from_data(d, "uji.yaml")), tmp_path / "lkj.docx")
    doc = Document(str(path))
    texts = [p.text for p in doc.paragraphs]
    at = texts.index("Penutup")
    assert texts[at + 1:at + 7] == [
        "Permasalahan", PENUTUP["permasalahan"], "Upaya yang Dilakukan",
        "Koordinasi dengan Disnaker kabupaten/kota;", "bimbingan teknis operator.", "Saran"]
    caption = next(t for t in texts if "per Penanggung Jawab" in t)
    assert caption.startswith("Tabel ")
    table = next(t for t in doc.tables if t.rows[0].cells[1].text.startswith("Penanggung"))
    rows = [[c.text for c in r.cells] for r in table.rows]
    # Seksi Pelindungan: (75 + 3 x 100) / 4 = 93,75; pagu 1.000, realisasi 250, serapan 25
    assert rows[1][1:] == ["Seksi Pelindungan", "", "", "93,75 %", "Baik", "1.000", "250",
                           "25,00 %"]
    assert rows[2][1:6] == ["IKU A", "40", "30", "75,00 %", "Cukup"]


def test_lkj_without_narrative_has_no_closing_chapter(tmp_path):
    from docx import Document

    from workbook_gen.lkj import tulis_lkj

    path = tulis_lkj(hitung(spec_from_data(base_spec(), "uji.yaml")), tmp_path / "lkj.docx")
    assert "Penutup" not in [p.text for p in Document(str(path)).paragraphs]


def test_hitung_keeps_the_typed_narrative_and_puts_it_in_the_json(tmp_path, capsys):
    import json

    from workbook_gen.cli import main

    from .workbooks import fill

    path = generate(spec_from_data(base_spec(), "uji.yaml"), tmp_path / "unit.xlsm")
    fill(path, {f"{SHEET_IDENTITAS}!{cell('saran')}": "Tambah petugas di bandara.\nDua shift."})
    out = tmp_path / "hasil.xlsm"
    assert main(["hitung", str(path), "-o", str(out)]) == 0
    wb = openpyxl.load_workbook(out)
    assert wb[SHEET_IDENTITAS][cell("saran")].value == "Tambah petugas di bandara.\nDua shift."
    wb.close()
    capsys.readouterr()
    assert main(["hitung", str(out), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["penutup"] == {"permasalahan": None, "upaya": None,
                              "saran": "Tambah petugas di bandara.\nDua shift."}


def test_a_workbook_without_the_narrative_rows_reads_and_restores_without_loss(tmp_path):
    """Workbooks made before the narrative rows existed have nothing below row 16."""
    path = generate(spec_from_data(base_spec(), "uji.yaml"), tmp_path / "lama.xlsx")
    wb = openpyxl.load_workbook(path)
    wb[SHEET_IDENTITAS].delete_rows(IDENTITAS_ROWS["penutup_permasalahan"], 3)
    wb.save(path)
    wb.close()
    assert read_workbook_file(path).spec.penutup.upaya is None
    hasil = pulihkan(path)
    assert hasil.hilang == [] and hasil.spec.penutup.saran is None
