"""The generated workbook: sheets, locking, validation, colours, names, metadata, VBA,
the button, and the output rules (atomic write, refusals, nothing left behind)."""

from __future__ import annotations

import copy
import os
import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from workbook_gen import TEMPLATE_VERSION, cli, outfile
from workbook_gen import generate as gen
from workbook_gen.engine import hitung
from workbook_gen.findings import OutputError
from workbook_gen.layout import (
    ANGGARAN_COLS,
    IDENTITAS_INPUTS,
    IDENTITAS_ROWS,
    INPUT_SHEETS,
    NAME_PERIODE_N,
    REALISASI_COLS,
    SHEET_ANGGARAN,
    SHEET_IDENTITAS,
    SHEET_META,
    SHEET_PETUNJUK,
    SHEET_REALISASI,
    SHEET_TARGET,
    TARGET_COLS,
    layout_for,
    parse_meta,
    spec_hash,
)
from workbook_gen.spec import Spec, load_spec, spec_from_data
from workbook_gen.vba import read_vba_modules
from workbook_gen.workbook.inputs import hitungan

from .conftest import BANTEN, JATENG, NTB, base_spec
from .test_formulas_libreoffice import edge_spec

SPECS = {"banten": BANTEN, "jateng": JATENG, "ntb": NTB}
FIXED_SHEETS = [SHEET_PETUNJUK, SHEET_IDENTITAS, SHEET_TARGET, SHEET_REALISASI, SHEET_ANGGARAN]
BUTTON_SHEETS = {SHEET_IDENTITAS, SHEET_REALISASI, SHEET_ANGGARAN}
FORBIDDEN = re.compile(r"\b(XLOOKUP|XMATCH|LET|LAMBDA|FILTER|SORT|SORTBY|UNIQUE|SEQUENCE|"
                       r"TEXTJOIN|CONCAT|IFS|SWITCH|MAXIFS|MINIFS|OFFSET|INDIRECT)\(")


def _specs() -> dict[str, Spec]:
    return {"banten": load_spec(BANTEN), "jateng": load_spec(JATENG), "ntb": load_spec(NTB),
            "tepi": edge_spec()}


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> dict[str, tuple[Spec, Path]]:
    folder = tmp_path_factory.mktemp("buat")
    out = {}
    for name, spec in _specs().items():
        out[name] = (spec, gen.generate(spec, folder / f"{name}.xlsm"))
        out[f"{name}_xlsx"] = (spec, gen.generate(spec, folder / f"{name}.xlsx"))
    return out


def _wb(path: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(path)


def expected_inputs(spec: Spec) -> dict[str, set[str]]:
    """Every input cell of the workbook, per sheet, from the layout contract."""
    lay = layout_for(spec)
    tc, rc, ac = TARGET_COLS, REALISASI_COLS, ANGGARAN_COLS
    out: dict[str, set[str]] = {s: set() for s in INPUT_SHEETS}
    out[SHEET_IDENTITAS] = {f"B{IDENTITAS_ROWS[f]}" for f in IDENTITAS_INPUTS}
    for iku in spec.semua_iku():
        row = lay.iku_rows[iku.kode]
        fields = ["target", "target_revisi", "target_tw1", "target_tw2", "target_tw3",
                  "target_tw4"] + (["baseline"] if iku.rumus == "penurunan" else [])
        out[SHEET_TARGET] |= {f"{tc[f]}{row}" for f in fields}
        # a rasio IKU's E:H are formulas: its inputs are the pembilang/penyebut columns
        quarters = [f"{side}_tw{q}" for q in range(1, 5) for side in (
            "pembilang", "penyebut")] if iku.rumus == "rasio" else [
            f"realisasi_tw{q}" for q in range(1, 5)]
        out[SHEET_REALISASI] |= {f"{rc[f]}{row}" for f in (
            *quarters, "faktor_pendorong", "faktor_penghambat", "upaya", "realisasi_tahunan")}
    for line in spec.anggaran:
        row = lay.line_rows[line.key]
        out[SHEET_ANGGARAN] |= {f"{ac[f]}{row}" for f in (
            "pagu_awal", "pagu_revisi", "realisasi_tw1", "realisasi_tw2", "realisasi_tw3",
            "realisasi_tw4", "realisasi_tahunan")}
    return out


def _validated_cells(ws: Worksheet) -> dict[str, Any]:
    out = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            for row in ws.iter_rows(min_row=rng.min_row, max_row=rng.max_row,
                                    min_col=rng.min_col, max_col=rng.max_col):
                for cell in row:
                    out[cell.coordinate] = dv
    return out


# --------------------------------------------------------------------------- structure


@pytest.mark.parametrize("name", ["banten", "jateng", "ntb", "tepi"])
def test_sheets_in_order_and_meta_very_hidden(books, name):
    spec, path = books[name]
    wb = _wb(path)
    summary = [c.name for c in gen.summary_contents(hitung(spec))]
    conf = ["xlwings.conf"] if path.suffix == ".xlsm" else []  # tests/test_xlwings_book.py
    assert wb.sheetnames == FIXED_SHEETS + summary + [SHEET_META] + conf
    states = {ws.title: ws.sheet_state for ws in wb.worksheets}
    assert states.pop(SHEET_META) == "veryHidden"
    assert [states.pop(name) for name in conf] == ["hidden"] * len(conf)
    assert set(states.values()) == {"visible"}
    assert wb.active.title == SHEET_PETUNJUK


def test_summary_sheets_present_when_summary_module_exists():
    hasil = hitung(load_spec(JATENG))
    contents = gen.summary_contents(hasil)
    assert contents, "workbook_gen.summary.build_summary gave no sheets"


@pytest.mark.parametrize("name", ["banten", "jateng", "ntb", "tepi"])
def test_inputs_unlocked_everything_else_locked_and_sheets_protected(books, name):
    spec, path = books[name]
    wb = _wb(path)
    inputs = expected_inputs(spec)
    for ws in wb.worksheets:
        assert ws.protection.sheet, f"{ws.title} is not protected"
        assert not ws.protection.password  # no password unless the spec sets one
        unlocked = {c.coordinate for row in ws.iter_rows() for c in row
                    if not c.protection.locked}
        assert unlocked == inputs.get(ws.title, set()), ws.title


def test_password_from_spec(tmp_path):
    data = base_spec(pengaturan={"kata_sandi": "rahasia"})
    path = gen.generate(spec_from_data(data, "uji.yaml"), tmp_path / "sandi.xlsx")
    wb = _wb(path)
    assert all(ws.protection.password for ws in wb.worksheets)


@pytest.mark.parametrize("name", ["banten", "jateng", "ntb", "tepi"])
def test_every_input_cell_has_validation_with_indonesian_messages(books, name):
    spec, path = books[name]
    wb = _wb(path)
    lay = layout_for(spec)
    for sheet, cells in expected_inputs(spec).items():
        validated = _validated_cells(wb[sheet])
        missing = cells - set(validated)
        assert not missing, (sheet, sorted(missing))
        for cell in cells:
            dv = validated[cell]
            assert dv.showErrorMessage and dv.error and dv.errorTitle, (sheet, cell)
            assert dv.prompt and dv.showInputMessage, (sheet, cell)
    # kategori IKUs get their scale's labels, counts whole numbers >= 0 (an English Excel
    # refuses 1.470, its 1,47), other numbers decimal >= 0
    validated = _validated_cells(wb[SHEET_REALISASI])
    for iku in spec.semua_iku():
        if iku.rumus == "rasio":  # E:H formulas; pembilang and penyebut are whole counts
            dv = validated[f"{REALISASI_COLS['pembilang_tw1']}{lay.iku_rows[iku.kode]}"]
            assert dv.type == "whole" and dv.formula1 == "0"
            continue
        dv = validated[f"{REALISASI_COLS['realisasi_tw1']}{lay.iku_rows[iku.kode]}"]
        if iku.rumus == "penurunan_persen":  # a rise is typed negative
            assert dv.type == "decimal"
            continue
        if iku.jenis == "kategori":
            assert dv.type == "list"
            for label in iku.skala.labels:
                assert label in dv.formula1
        elif hitungan(iku.satuan, iku.rumus, "realisasi_tw1"):
            assert dv.type == "whole" and dv.formula1 == "0" and "1.470" in dv.error
        else:
            assert dv.type == "decimal" and dv.formula1 == "0"
            assert dv.operator in ("greaterThanOrEqual", None)  # None: between 0 and max
    periode = _validated_cells(wb[SHEET_IDENTITAS])[f"B{IDENTITAS_ROWS['periode']}"]
    assert periode.type == "list" and "Tahunan" in periode.formula1


def test_percent_realisasi_capped_at_batas(books):
    spec, path = books["banten"]
    ws = _wb(path)[SHEET_REALISASI]
    row = layout_for(spec).iku_rows["IKU-2"]  # satuan %, the count typed in the seed
    dv = _validated_cells(ws)[f"E{row}"]
    assert dv.operator in (None, "between")  # "between" is the OOXML default
    # a real percentage cell: 200 % is stored as 2
    assert float(dv.formula1) == 0 and float(dv.formula2) == 2
    assert "persentase" in dv.error and "200 %" in dv.error
    assert ws[f"E{row}"].number_format == "0.00%"


@pytest.mark.parametrize("name", ["banten", "tepi"])
def test_conditional_formats_colour_capaian_by_bands(books, name):
    spec, path = books[name]
    ws = _wb(path)[SHEET_REALISASI]
    last = layout_for(spec).iku_last_row
    rules = {str(cf.sqref): cf.rules for cf in ws.conditional_formatting}
    bands = spec.pengaturan.kategori
    for rng in (f"M6:O{last}", f"P6:P{last}"):
        assert rng in rules
        assert len(rules[rng]) == len(bands)
        colours = [r.dxf.fill.bgColor.rgb[-6:] for r in rules[rng]]
        assert colours == [b.warna.lstrip("#").upper() for b in bands]
    assert "M6>100" in rules[f"M6:O{last}"][0].formula[0]


@pytest.mark.parametrize("name", ["banten", "tepi"])
def test_named_ranges(books, name):
    spec, path = books[name]
    wb = _wb(path)
    names = {n: wb.defined_names[n].attr_text for n in wb.defined_names}
    lay = layout_for(spec)
    assert names[NAME_PERIODE_N] == "Identitas!$B$11"
    assert names["Periode"] == "Identitas!$B$10"
    assert names["InputTarget"] == f"Target!$L$6:$R${lay.iku_last_row}"
    assert names["InputRealisasi"] == f"Realisasi!$E$6:$H${lay.iku_last_row}"
    assert names["InputNarasi"] == f"Realisasi!$Q$6:$S${lay.iku_last_row}"
    assert names["InputAnggaran"] == f"Anggaran!$I$6:$N${lay.line_last_row}"
    assert names["InputTotalAnggaran"] == "Identitas!$B$12:$B$14"


def test_print_setup_freeze_panes_and_widths(books):
    spec, path = books["jateng"]
    wb = _wb(path)
    for sheet in (SHEET_TARGET, SHEET_REALISASI, SHEET_ANGGARAN):
        ws = wb[sheet]
        assert ws.page_setup.paperSize == 9  # A4
        assert ws.page_setup.orientation == "landscape"
        assert ws.print_title_rows == "$1:$5"
        assert ws.freeze_panes is not None and ws.freeze_panes.endswith("6")
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.column_dimensions["C"].width > 9


def test_number_formats_group_thousands(books):
    spec, path = books["jateng"]
    ws = _wb(path)[SHEET_ANGGARAN]
    lay = layout_for(spec)
    assert ws["I6"].number_format == "#,##0"
    assert ws[f"Q{lay.total_row}"].number_format == "#,##0.00"
    ws = _wb(path)[SHEET_REALISASI]
    assert ws["M6"].number_format == "#,##0.00"


def test_formulas_use_only_portable_functions(books):
    for name in ("banten", "jateng", "tepi"):
        _, path = books[name]
        wb = _wb(path)
        count = 0
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if cell.data_type == "f":
                        count += 1
                        assert not FORBIDDEN.search(cell.value), (ws.title, cell.coordinate)
                        assert "_xlfn" not in cell.value, (ws.title, cell.coordinate)
        assert count > 50


def test_formulas_reference_periode_n(books):
    spec, path = books["tepi"]
    ws = _wb(path)[SHEET_REALISASI]
    for row in layout_for(spec).iku_rows.values():
        formula = ws[f"I{row}"].value
        assert NAME_PERIODE_N in formula, formula


def test_input_values_written_from_spec(books):
    spec, path = books["jateng"]
    wb = _wb(path)
    lay = layout_for(spec)
    row = lay.iku_rows["IKU-1"]
    assert wb[SHEET_TARGET][f"L{row}"].value == 35354
    assert wb[SHEET_TARGET][f"M{row}"].value == 23500
    assert wb[SHEET_REALISASI][f"E{row}"].value == 6419
    row6 = lay.iku_rows["IKU-6"]
    assert wb[SHEET_REALISASI][f"E{row6}"].value is None  # "-" in the seed: not reported
    assert wb[SHEET_IDENTITAS]["B10"].value == "Tahunan"
    assert wb[SHEET_IDENTITAS]["B13"].value == 13488991000
    assert wb[SHEET_IDENTITAS]["B8"].value == "196710111991031001"  # text, not a number


def test_spec_without_budget(tmp_path):
    data = base_spec()
    del data["anggaran"]
    spec = spec_from_data(copy.deepcopy(data), "tanpa.yaml")
    path = gen.generate(spec, tmp_path / "tanpa.xlsm")
    wb = _wb(path)
    assert wb[SHEET_ANGGARAN]["A6"].value == "Spec ini tidak memuat anggaran."
    assert "InputAnggaran" not in wb.defined_names


# --------------------------------------------------------------------------- metadata


@pytest.mark.parametrize("name", ["banten", "jateng", "ntb", "tepi"])
def test_metadata_round_trip(books, name):
    spec, path = books[name]
    ws = _wb(path)[SHEET_META]
    rows = [(r[0], r[1]) for r in ws.iter_rows(min_col=1, max_col=2, values_only=True)]
    meta = parse_meta(rows)
    assert meta.versi_template == TEMPLATE_VERSION
    assert meta.hash_spec == spec_hash(spec)
    assert meta.kode_satker == spec.unit.kode_satker
    assert meta.nama_unit == spec.unit.nama
    assert meta.tahun == spec.tahun
    assert meta.layout.to_json() == layout_for(spec).to_json()
    assert spec_from_data(meta.spec_data, "meta").data == spec.data


def test_custom_document_properties(books):
    spec, path = books["banten"]
    props = {p.name: p.value for p in _wb(path).custom_doc_props.props}
    assert props == {"versi_template": TEMPLATE_VERSION, "hash_spec": spec_hash(spec),
                     "kode_satker": "426482", "nama_unit": "BP3MI Banten", "tahun": 2026}


def test_identitas_shows_version_and_hash(books):
    spec, path = books["banten"]
    ws = _wb(path)[SHEET_IDENTITAS]
    assert ws[f"B{IDENTITAS_ROWS['versi_template']}"].value == TEMPLATE_VERSION
    assert ws[f"B{IDENTITAS_ROWS['hash_spec']}"].value == spec_hash(spec)
    assert ws[f"B{IDENTITAS_ROWS['periode_n']}"].value.startswith("=")


# --------------------------------------------------------------------------- VBA, button


def _sheet_parts(path: Path) -> dict[str, str]:
    """Sheet name -> its part name in the package (xl/worksheets/sheetN.xml)."""
    with zipfile.ZipFile(path) as z:
        wb_xml = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
    targets = dict(re.findall(r'Id="(rId\d+)"[^>]*Target="([^"]+)"', rels))
    targets.update({k: v for v, k in re.findall(r'Target="([^"]+)"[^>]*Id="(rId\d+)"', rels)})
    out = {}
    for name, rid in re.findall(r'<sheet name="([^"]+)" sheetId="\d+"(?: state="\w+")? '
                                r'r:id="(rId\d+)"', wb_xml):
        out[name.replace("&amp;", "&")] = "xl/" + targets[rid]
    return out


def _buttons(path: Path) -> dict[str, list[tuple[str, str]]]:
    """Sheet name -> [(macro, caption)] of its form buttons (from the VML drawings)."""
    out: dict[str, list[tuple[str, str]]] = {}
    with zipfile.ZipFile(path) as z:
        for sheet, part in _sheet_parts(path).items():
            rels_name = part.replace("worksheets/", "worksheets/_rels/") + ".rels"
            if rels_name not in z.namelist():
                continue
            rels = z.read(rels_name).decode()
            for target in re.findall(r'Target="([^"]+\.vml)"', rels):
                vml = z.read("xl/" + target.replace("../", "")).decode()
                for shape in re.findall(r"<v:shape .*?</v:shape>", vml, re.S):
                    macro = re.search(r"<x:FmlaMacro>(.*?)</x:FmlaMacro>", shape)
                    caption = re.sub(r"<[^>]+>", "", re.search(
                        r"<v:textbox.*?</v:textbox>", shape, re.S).group(0)).strip()
                    out.setdefault(sheet, []).append((macro.group(1) if macro else "",
                                                      caption))
    return out


def test_vba_module_calls_runpython(books):
    _, path = books["banten"]
    modules = read_vba_modules(path)
    source = modules["modHitungCapaian"]
    assert re.search(r"^Sub HitungCapaian\(\)", source, re.M)
    assert "RunPython" in source
    assert {"xlwings", "ThisWorkbook"} <= set(modules)


def test_olevba_sees_the_macro(books):
    from oletools.olevba import VBA_Parser

    _, path = books["jateng"]
    parser = VBA_Parser(str(path))
    try:
        assert parser.detect_vba_macros()
        code = {name: src for _, _, name, src in parser.extract_macros()}
    finally:
        parser.close()
    hitung_src = next(src for name, src in code.items() if name.startswith("modHitungCapaian"))
    assert "Sub HitungCapaian" in hitung_src and "RunPython" in hitung_src


@pytest.mark.parametrize("name", ["banten", "tepi"])
def test_sheet_codenames_match_document_modules(books, name):
    _, path = books[name]
    modules = set(read_vba_modules(path))
    with zipfile.ZipFile(path) as z:
        wb_xml = z.read("xl/workbook.xml").decode()
        assert 'codeName="ThisWorkbook"' in wb_xml
        codenames = {}
        for sheet, part in _sheet_parts(path).items():
            m = re.search(r'<sheetPr[^>]*codeName="([^"]+)"', z.read(part).decode())
            assert m, sheet
            codenames[sheet] = m.group(1)
    assert set(codenames.values()) <= modules
    assert len(set(codenames.values())) == len(codenames)
    assert codenames[SHEET_REALISASI] == "shRealisasi"
    assert codenames[SHEET_META] == "shMeta"


def test_button_on_identitas_realisasi_anggaran_linked_to_macro(books):
    _, path = books["jateng"]
    buttons = _buttons(path)
    assert set(buttons) == BUTTON_SHEETS
    for sheet in BUTTON_SHEETS:
        assert buttons[sheet] == [("[0]!HitungCapaian", "Hitung Capaian")]


def test_xlsx_has_no_macro_and_no_button_and_says_so(books):
    _, path = books["banten_xlsx"]
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        assert not any("vbaProject" in n for n in names)
        assert "macroEnabled" not in z.read("[Content_Types].xml").decode()
    assert _buttons(path) == {}
    petunjuk = " ".join(str(c.value) for row in _wb(path)[SHEET_PETUNJUK].iter_rows()
                        for c in row if c.value)
    assert "hanya ada di versi .xlsm" in petunjuk


def test_xlsm_content_type_is_macro_enabled(books):
    _, path = books["banten"]
    with zipfile.ZipFile(path) as z:
        assert "xl/vbaProject.bin" in z.namelist()
        assert "application/vnd.ms-excel.sheet.macroEnabled.main+xml" in z.read(
            "[Content_Types].xml").decode()


def test_codename_rules():
    taken: set[str] = set()
    assert gen.codename("Ringkasan Capaian", taken) == "shRingkasanCapaian"
    assert gen.codename("_meta", taken) == "shMeta"
    assert gen.codename("Ringkasan-Capaian", taken) == "shRingkasanCapaian2"
    long = gen.codename("Sangat " * 10, taken)
    assert len(long) <= 31 and long.isidentifier()


# --------------------------------------------------------------------------- output rules


def _spec() -> Spec:
    return spec_from_data(base_spec(), "uji.yaml")


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_existing_file_is_refused_unless_overwrite(tmp_path):
    out = tmp_path / "unit.xlsm"
    out.write_bytes(b"punya pengguna")
    with pytest.raises(OutputError, match="sudah ada.*--timpa"):
        gen.generate(_spec(), out)
    assert out.read_bytes() == b"punya pengguna"
    gen.generate(_spec(), out, overwrite=True)
    assert zipfile.is_zipfile(out)
    assert _leftovers(tmp_path) == ["unit.xlsm"]


def test_missing_folder_is_refused(tmp_path):
    out = tmp_path / "tidak-ada" / "unit.xlsm"
    with pytest.raises(OutputError, match="folder .* tidak ada"):
        gen.generate(_spec(), out)
    assert not out.parent.exists()


@pytest.mark.parametrize("name", ["unit.xls", "unit.ods", "unit"])
def test_wrong_extension_is_refused(tmp_path, name):
    with pytest.raises(OutputError, match="ekstensi"):
        gen.generate(_spec(), tmp_path / name)
    assert _leftovers(tmp_path) == []


def test_file_open_in_excel_is_refused(tmp_path):
    out = tmp_path / "unit.xlsx"
    gen.generate(_spec(), out)
    (tmp_path / "~$unit.xlsx").write_bytes(b"")
    with pytest.raises(OutputError, match="sedang dibuka"):
        gen.generate(_spec(), out, overwrite=True)


def test_failure_while_writing_leaves_nothing(tmp_path, monkeypatch):
    def boom(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(outfile.os, "replace", boom)
    with pytest.raises(OutputError, match="sedang dibuka di aplikasi lain"):
        gen.generate(_spec(), tmp_path / "unit.xlsm")
    assert _leftovers(tmp_path) == []


def test_failure_while_building_leaves_nothing(tmp_path, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("gagal")

    monkeypatch.setattr(gen, "vba_project", boom)
    with pytest.raises(RuntimeError):
        gen.generate(_spec(), tmp_path / "unit.xlsm")
    assert _leftovers(tmp_path) == []


def test_new_file_gets_normal_permissions(tmp_path):
    out = gen.generate(_spec(), tmp_path / "unit.xlsx")
    mask = os.umask(0)
    os.umask(mask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~mask


# --------------------------------------------------------------------------- CLI


def test_cli_buat_writes_the_file(tmp_path, capsys):
    out = tmp_path / "banten.xlsm"
    assert cli.main(["buat", str(BANTEN), "-o", str(out)]) == 0
    assert zipfile.is_zipfile(out)
    printed = capsys.readouterr().out
    assert f"Workbook ditulis: {out}" in printed
    assert "1 error" in printed  # the seed's count typed in a % cell, reported not hidden
    assert cli.main(["buat", str(BANTEN), "-o", str(out)]) == 1
    assert "--timpa" in capsys.readouterr().err
    assert cli.main(["buat", str(BANTEN), "-o", str(out), "--timpa"]) == 0


def test_cli_buat_invalid_spec_writes_nothing(tmp_path, capsys):
    bad = tmp_path / "rusak.yaml"
    bad.write_text("versi_spec: 1\ntahun: 1900\n", encoding="utf-8")
    out = tmp_path / "rusak.xlsm"
    assert cli.main(["buat", str(bad), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "workbook tidak dibuat" in err and "kolom 'unit' wajib diisi" in err
    assert "Traceback" not in err
    assert _leftovers(tmp_path) == ["rusak.yaml"]


def test_cli_buat_missing_folder(tmp_path, capsys):
    out = tmp_path / "tidak" / "ada.xlsx"
    assert cli.main(["buat", str(JATENG), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "tidak ada" in err and "Traceback" not in err


def test_cli_demo_writes_both_examples(tmp_path, capsys):
    folder = tmp_path / "demo"
    assert cli.main(["demo", "--keluaran", str(folder)]) == 0
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["bp3mi_banten_2026_tw1-tabel-lkj.docx", "bp3mi_banten_2026_tw1.xlsm",
                     "bp3mi_jawa_tengah_2024-tabel-lkj.docx", "bp3mi_jawa_tengah_2024.xlsm",
                     "bp3mi_nusa_tenggara_barat_2025-tabel-lkj.docx",
                     "bp3mi_nusa_tenggara_barat_2025.xlsm"]
    assert f"Workbook contoh ditulis ke {folder.resolve()}" in capsys.readouterr().out
    assert cli.main(["demo", "--keluaran", str(folder)]) == 0  # its own files: replaced


def test_cli_demo_default_folder(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["demo"]) == 0
    assert (tmp_path / "keluaran-demo" / "bp3mi_banten_2026_tw1.xlsm").is_file()


@pytest.mark.parametrize("name", ["banten", "jateng", "ntb", "tepi"])
def test_expected_formulas_are_exactly_the_formulas_written(books, name):
    """generate.expected_formulas (what Hitung Capaian restores) lists every formula
    cell of the input sheets, with the formula written there."""
    spec, path = books[name]
    wb = _wb(path)
    expected = gen.expected_formulas(spec)
    for sheet in INPUT_SHEETS:
        written = {(c.row, c.column): c.value for row in wb[sheet].iter_rows() for c in row
                   if c.data_type == "f"}
        assert written == expected.get(sheet, {}), sheet


def test_vba_project_is_built_once_per_codename_set(monkeypatch):
    calls = []
    real = gen.build_vba_project

    def counting(names, modules):
        calls.append(names)
        return real(names, modules)

    gen._vba_project_cached.cache_clear()
    monkeypatch.setattr(gen, "build_vba_project", counting)
    first = gen.vba_project(["shA", "shB"])
    assert gen.vba_project(["shA", "shB"]) == first
    gen.vba_project(["shA", "shC"])
    assert calls == [["shA", "shB"], ["shA", "shC"]]
    gen._vba_project_cached.cache_clear()


def test_findings_point_at_cells_and_mark_inputs_red(books):
    """Catatan Validasi starts from the engine's findings located at the workbook's
    cells; the name SelTemuan points at its 'Letak' column, and every input block has
    the conditional format that marks the cells listed there."""
    spec, path = books["banten"]
    wb = _wb(path)
    lay = layout_for(spec)
    catatan = wb["Catatan Validasi"]
    letak = [c.value for c in catatan["C"] if c.value]
    assert f"Realisasi!E{lay.iku_rows['IKU-2']}" in letak  # the count typed in a % cell
    ref = wb.defined_names["SelTemuan"].attr_text
    assert ref.startswith("'Catatan Validasi'!$C$")
    first, last = (int(x) for x in re.findall(r"\$(\d+)", ref))
    # the formatted area Hitung Capaian writes into: the findings, then empty rows
    area = [catatan[f"C{r}"].value for r in range(first, last + 1)]
    assert area[:len(letak) - 1] == letak[1:]
    assert set(area[len(letak) - 1:]) == {None} and len(area) >= 300
    for sheet in INPUT_SHEETS:
        marked = [cf for cf in wb[sheet].conditional_formatting
                  if any("SelTemuan" in f for r in cf.rules for f in r.formula)]
        assert marked, sheet
        covered = set()
        for cf in marked:
            for rng in cf.sqref.ranges:
                covered |= {c.coordinate for row in wb[sheet].iter_rows(
                    min_row=rng.min_row, max_row=rng.max_row, min_col=rng.min_col,
                    max_col=rng.max_col) for c in row}
        assert expected_inputs(spec)[sheet] <= covered, sheet
        assert f'"{sheet}!"&ADDRESS(ROW(),COLUMN(),4)' in marked[0].rules[0].formula[0]


def test_generation_raises_no_xlsxwriter_warnings():
    """xlsxwriter only warns (and skips) on a bad validation, name or format: none here."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for spec in _specs().values():
            gen.build_workbook(spec)
            gen.build_workbook(spec, macro=False)


def test_label_with_comma_uses_list_on_meta_sheet(tmp_path):
    data = base_spec()
    data["skala"] = {"mutu": [{"label": "Kurang"}, {"label": "Baik, dengan catatan"},
                              {"label": "Sangat Baik"}]}
    data["sasaran"][0]["iku"] = [{"kode": "K1", "nama": "Mutu", "satuan": "Predikat",
                                  "jenis": "kategori", "skala": "mutu", "agregasi": "akhir",
                                  "target": "Sangat Baik",
                                  "realisasi_tw": ["Baik, dengan catatan", None, None, None]}]
    spec = spec_from_data(data, "koma.yaml")
    wb = _wb(gen.generate(spec, tmp_path / "koma.xlsx"))
    dv = _validated_cells(wb[SHEET_REALISASI])["E6"]
    assert dv.type == "list" and dv.formula1 == "'_meta'!$D$2:$D$4"
    meta = wb[SHEET_META]
    assert [meta[f"D{r}"].value for r in range(1, 5)] == [
        "skala:mutu", "Kurang", "Baik, dengan catatan", "Sangat Baik"]


def test_formulas_stored_as_xlsxwriter_would_prepare_them(monkeypatch):
    """The generator skips xlsxwriter's expansion of dynamic-array function names
    (generate.PlainFormulaWorksheet); for every formula of both bundled examples and a
    synthetic spec with every rule kind the result is exactly xlsxwriter's own."""
    import xlsxwriter.worksheet

    from workbook_gen.generate import PlainFormulaWorksheet, build_workbook
    from workbook_gen.spec import load_spec, spec_from_data

    from .conftest import BANTEN, JATENG
    from .workbooks import synthetic_data

    seen: list[str] = []
    fast = PlainFormulaWorksheet._prepare_formula

    def recording(self, formula, expand_future_functions=False):
        seen.append(formula)
        return fast(self, formula, expand_future_functions)

    monkeypatch.setattr(PlainFormulaWorksheet, "_prepare_formula", recording)
    for spec in (load_spec(BANTEN), load_spec(JATENG),
                 spec_from_data(synthetic_data(12, 9, n_sasaran=3), "x")):
        build_workbook(spec)
    assert len(seen) > 1000
    reference = xlsxwriter.worksheet.Worksheet()
    for formula in seen:
        assert fast(reference, formula) == xlsxwriter.worksheet.Worksheet._prepare_formula(
            reference, formula), formula
