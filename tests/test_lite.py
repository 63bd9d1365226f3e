"""The xlwings Lite workbook (``buat --lite``), its pure core and the Lite book adapter.

The written file is checked part by part against what xlwings Lite itself saves (add-in
settings in ``xl/webextensions``), its buttons against its drawings, its sheets against
the .xlsm's, and the routine that ``main.py`` carries is run against a test double of
the Lite book (tests/fake_lite.py) and compared with the CPython routine on the file.
"""

from __future__ import annotations

import copy
import html
import io
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbook_gen.book import OpenpyxlBook
from workbook_gen.generate import build_workbook
from workbook_gen.layout import (
    REALISASI_COLS,
    SHEET_ANGGARAN,
    SHEET_CATATAN,
    SHEET_IDENTITAS,
    SHEET_META,
    SHEET_PETUNJUK,
    SHEET_REALISASI,
    SHEET_RINGKASAN,
    SHEET_TARGET,
    SUMMARY_SHEETS,
    col_letter,
    layout_for,
)
from workbook_gen.lite import bundle, package
from workbook_gen.routine import hitung_capaian
from workbook_gen.spec import load_spec

from . import fake_lite
from .conftest import BANTEN, JATENG, NTB, ROOT

INPUT_SHEETS = {SHEET_PETUNJUK, SHEET_IDENTITAS, SHEET_TARGET, SHEET_REALISASI,
                SHEET_ANGGARAN, SHEET_META}
WE = "{http://schemas.microsoft.com/office/webextensions/webextension/2010/11}"


@pytest.fixture(scope="module")
def lite_files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("lite")
    out = {}
    for name, spec_path in (("banten", BANTEN), ("jateng", JATENG), ("ntb", NTB)):
        out[name] = package.generate_lite(load_spec(spec_path), folder / f"{name}.xlsx")
    return out


def _properties(z: zipfile.ZipFile) -> dict[str, str]:
    """Each add-in setting decoded: XML attribute, then JSON."""
    raw = z.read(package.WEBEXT).decode("utf-8")
    found = re.findall(r'<we:property name="([^"]*)" value="([^"]*)"/>', raw)
    assert all("/" not in html.unescape(v).replace("\\/", "") for _, v in found)
    return {name: json.loads(html.unescape(value)) for name, value in found}


def values_of(path: Path) -> dict[str, list[list[Any]]]:
    """Every sheet's values as Excel shows them (cached formula results), row 1 first."""
    wb = openpyxl.load_workbook(path, data_only=True)
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


# --------------------------------------------------------------------------- the file


@pytest.mark.parametrize("name", ["banten", "jateng"])
def test_parts_relationships_and_content_types(lite_files, name):
    z = zipfile.ZipFile(lite_files[name])
    names = set(z.namelist())
    assert {package.WEBEXT, package.TASKPANES, package.TASKPANES_RELS} <= names
    assert not [n for n in names if "vba" in n.lower()]
    ct = z.read("[Content_Types].xml").decode()
    assert f'PartName="/{package.TASKPANES}" ContentType="{package.CT_TASKPANES}"' in ct
    assert f'PartName="/{package.WEBEXT}" ContentType="{package.CT_WEBEXT}"' in ct
    assert "macroEnabled" not in ct and "vbaProject" not in ct
    rels = z.read("_rels/.rels").decode()
    assert (f'Type="{package.REL_TASKPANES}" Target="xl/webextensions/taskpanes.xml"'
            in rels)
    assert len(set(re.findall(r'Id="(rId\d+)"', rels))) == rels.count("<Relationship ")
    pane = z.read(package.TASKPANES).decode()
    assert 'visibility="1"' in pane and 'r:id="rId1"' in pane
    assert 'Id="rId1"' in z.read(package.TASKPANES_RELS).decode()
    assert 'Target="webextension1.xml"' in z.read(package.TASKPANES_RELS).decode()
    we = z.read(package.WEBEXT).decode()
    assert '<we:reference id="wa200008175" version="1.0.0.0" store="en-US" ' \
           'storeType="OMEX"/>' in we


@pytest.mark.parametrize("name", ["banten", "jateng"])
def test_each_property_decodes_to_the_source_text(lite_files, name):
    z = zipfile.ZipFile(lite_files[name])
    props = _properties(z)
    assert list(props) == ["main.py", "pyodideVersion", "addinVersion", "requirements.txt"]
    buttons, _ = package.find_buttons(z)
    assert props["main.py"] == bundle.main_py(buttons)
    assert props["requirements.txt"] == package.REQUIREMENTS
    assert props["pyodideVersion"] == "0.27.5" and props["addinVersion"] == "1.0.0.0-18"
    # '/' travels as '\/' (as Lite writes it); the text has slashes, so this is exercised
    raw = z.read(package.WEBEXT).decode()
    assert "/" in props["main.py"] and "\\/tmp\\/workbook_gen_lite" in raw
    # the packed modules are exactly the package's files
    code = props["main.py"]
    packed = "".join(re.findall(r'^    "([A-Za-z0-9+/=]+)"$', code, re.M))
    import base64

    inner = zipfile.ZipFile(io.BytesIO(base64.b64decode(packed)))
    pkg = ROOT / "workbook_gen"
    for rel in bundle.core_files():
        assert inner.read(f"workbook_gen/{rel}") == (pkg / rel).read_bytes(), rel
    # about 2 MB is Office's limit for add-in settings: stay well under (the konsolidasi
    # read path's per-structure memos in reader/layout/spec took it from ~250 KB to ~260 KB)
    assert len(raw.encode()) < 275_000


def test_property_value_escapes():
    text = 'a/b "c" <d> & e\n\\ f ä'
    value = package.property_value(text)
    assert value == '&quot;a\\/b \\&quot;c\\&quot; &lt;d&gt; &amp; e\\n\\\\ f ä&quot;'
    assert json.loads(html.unescape(value)) == text


@pytest.mark.parametrize("name", ["banten", "jateng"])
def test_every_button_names_a_sheet_a_shape_and_a_link_to_its_cell(lite_files, name):
    z = zipfile.ZipFile(lite_files[name])
    code = _properties(z)["main.py"]
    bound = re.findall(r'@script\(button="\[([^\]]+)\]([^!"]+)!([A-Z]+\d+)", '
                       r'show_taskpane=True\)\ndef (\w+)\(book: xw.Book\):', code)
    assert [(s, c) for _, s, c, _ in bound] == [
        (SHEET_IDENTITAS, "C1"), (SHEET_REALISASI, "I1"), (SHEET_ANGGARAN, "O1")]
    assert len({f for *_, f in bound}) == len(bound)
    wb = openpyxl.load_workbook(lite_files[name])
    sheet_files = _sheet_files(z)
    for shape, sheet, cell, _ in bound:
        assert sheet in wb.sheetnames
        drawing = _drawing_of(z, sheet_files[sheet])
        xml = z.read(drawing).decode()
        m = re.search(rf'<xdr:cNvPr id="\d+" name="{shape}"><a:hlinkClick [^>]*r:id="'
                      r'(rId\d+)"', xml)
        assert m, (shape, sheet)
        rels = z.read(drawing.replace("drawings/", "drawings/_rels/") + ".rels").decode()
        assert re.search(rf'Id="{m.group(1)}" Type="[^"]*/hyperlink" '
                         rf'Target="#\'{sheet}\'!{cell}"', rels)
        assert "Hitung Capaian" in xml


def _sheet_files(z: zipfile.ZipFile) -> dict[str, str]:
    wb = z.read("xl/workbook.xml").decode()
    rels = z.read("xl/_rels/workbook.xml.rels").decode()
    targets = dict(re.findall(r'Id="(rId\d+)"[^>]*Target="([^"]+)"', rels))
    return {n: "xl/" + targets[r] for n, r in
            re.findall(r'<sheet name="([^"]+)" sheetId="\d+"(?: state="\w+")? r:id="(rId\d+)"',
                       wb)}


def _drawing_of(z: zipfile.ZipFile, sheet_part: str) -> str:
    rels = z.read(sheet_part.replace("worksheets/", "worksheets/_rels/") + ".rels").decode()
    target = re.search(r'/drawing" Target="\.\./(drawings/drawing\d+\.xml)"', rels).group(1)
    return "xl/" + target


@pytest.mark.parametrize("spec_path", [BANTEN, JATENG, NTB])
def test_same_formulas_protection_and_layout_as_the_xlsm(lite_files, spec_path, tmp_path):
    spec = load_spec(spec_path)
    xlsm = tmp_path / "u.xlsm"
    xlsm.write_bytes(build_workbook(spec, macro=True))
    lite = lite_files[{BANTEN: "banten", JATENG: "jateng", NTB: "ntb"}[spec_path]]
    a = openpyxl.load_workbook(xlsm, keep_vba=True)
    b = openpyxl.load_workbook(lite)
    only_xlsm = {"xlwings.conf"}  # the macro path's settings sheet, where there is one
    assert [n for n in a.sheetnames if n not in only_xlsm] == b.sheetnames
    assert set(a.defined_names) == set(b.defined_names)
    compared = 0
    for ws in (w for w in a.worksheets if w.title not in only_xlsm):
        other = b[ws.title]
        assert ws.sheet_state == other.sheet_state
        if ws.title == SHEET_CATATAN:  # every run writes it; Lite cannot unprotect
            assert ws.protection.sheet and not other.protection.sheet
        else:  # the live summary sheets too: checked by value, never written
            assert ws.title not in package.WRITTEN_SHEETS
            assert ws.protection.sheet == other.protection.sheet is True
            assert ws.protection.password == other.protection.password
        assert ws.freeze_panes == other.freeze_panes
        assert ws.merged_cells.ranges == other.merged_cells.ranges
        assert len(ws.data_validations.dataValidation) == len(
            other.data_validations.dataValidation)
        assert {k: d.width for k, d in ws.column_dimensions.items()} == {
            k: d.width for k, d in other.column_dimensions.items()}
        if ws.title == SHEET_PETUNJUK:  # says how to run the button in Lite instead
            text = " ".join(str(c.value) for row in other.iter_rows() for c in row if c.value)
            assert "xlwings Lite" in text and "Aktifkan Konten" not in text
            continue
        for row_a, row_b in zip(ws.iter_rows(), other.iter_rows(), strict=True):
            for ca, cb in zip(row_a, row_b, strict=True):
                assert (ca.value, ca.protection.locked, ca.number_format) == (
                    cb.value, cb.protection.locked, cb.number_format), ca.coordinate
                compared += isinstance(ca.value, str) and ca.value.startswith("=")
    assert compared > 100  # formulas were compared, not only labels


def test_buat_lite_cli(tmp_path, capsys):
    from workbook_gen.cli import main

    out = tmp_path / "unit.xlsx"
    assert main(["buat", str(BANTEN), "-o", str(out), "--lite"]) == 0
    assert "xlwings Lite" in capsys.readouterr().out
    assert package.WEBEXT in zipfile.ZipFile(out).namelist()
    assert main(["buat", str(BANTEN), "-o", str(tmp_path / "unit.xlsm"), "--lite"]) == 1
    err = capsys.readouterr().err
    assert ".xlsx" in err and "Traceback" not in err
    assert not (tmp_path / "unit.xlsm").exists()


# --------------------------------------------------------------------------- pure core

BLOCKER = """
import sys
BLOCKED = {"yaml", "jsonschema", "openpyxl", "xlsxwriter", "python_calamine", "fastexcel",
           "rpds", "referencing", "xlwings", "numpy", "pandas"}
class Refuse:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ImportError(f"blocked: {name}")
        return None
sys.meta_path.insert(0, Refuse())
import importlib, json
import workbook_gen.lite.run
loaded = sorted(m for m in sys.modules if m.startswith("workbook_gen"))
for name in sys.argv[1:]:  # every packed module loads with the standard library alone
    importlib.import_module(name)
print(json.dumps(loaded))
"""


def test_routine_closure_imports_with_the_standard_library_alone():
    packed = {("workbook_gen/" + f[:-3]).removesuffix("/__init__").replace("/", ".")
              for f in bundle.core_files() if f.endswith(".py")}
    done = subprocess.run([sys.executable, "-c", BLOCKER, *sorted(packed)],
                          capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    loaded = set(json.loads(done.stdout))
    assert loaded <= packed, loaded - packed  # everything the routine imports travels along
    assert "workbook_gen.generate" not in packed  # xlsxwriter: only where a file is written
    assert {"workbook_gen.engine", "workbook_gen.reader", "workbook_gen.routine",
            "workbook_gen.lite.book"} <= loaded


def test_blocker_does_block():
    """The blocker is real: importing spec loading from YAML fails under it."""
    code = BLOCKER.replace("import workbook_gen.lite.run", "import yaml; import workbook_gen"
                           ".lite.run")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, cwd=ROOT)
    assert done.returncode != 0 and "blocked: yaml" in done.stderr


# --------------------------------------------------------------------------- the adapter


def _reference_findings(path: Path) -> list[dict[str, str]]:
    """The CPython routine on the file (openpyxl book), formulas restoration off as in Lite."""
    with OpenpyxlBook(path) as book:
        result = hitung_capaian(book, book.name, expected=lambda *_: {})
    return [f.as_dict() for f in result.temuan]


def _catatan_rows(sheets: dict[str, list[list[Any]]]) -> list[list[Any]]:
    rows = sheets[SHEET_CATATAN]
    header = next(i for i, r in enumerate(rows) if r and "Letak" in [str(v) for v in r])
    return [r for r in rows[header + 1:] if any(v is not None for v in r)]


def _patched(path: Path, cells: dict[str, Any], out: Path) -> tuple[Path, dict]:
    """A copy of the (plain) workbook with values typed in, and its values for the double."""
    wb = openpyxl.load_workbook(path)
    for ref, value in cells.items():
        sheet, cell = ref.split("!")
        wb[sheet][cell] = value
    wb.save(out)
    values = values_of(path)
    for ref, value in cells.items():
        sheet, cell = ref.split("!")
        r, c = fake_lite._cell(cell)
        values[sheet][r - 1][c - 1] = value
    return out, values


@pytest.mark.parametrize("spec_path", [BANTEN, JATENG, NTB])
def test_adapter_one_read_one_write_no_input_cell(spec_path, tmp_path):
    spec = load_spec(spec_path)
    plain = tmp_path / "plain.xlsx"
    plain.write_bytes(build_workbook(spec, macro=False))
    layout = layout_for(spec)
    # the first IKU whose realisasi comes from its quarters (E:H typed, no annual figure)
    first = min(layout.iku_rows[i.kode] for i in spec.semua_iku()
                if i.realisasi_tahunan is None and i.rumus != "rasio")
    typed = {f"{SHEET_REALISASI}!{REALISASI_COLS['realisasi_tw1']}{first}": "dua belas"}
    ref_file, values = _patched(plain, typed, tmp_path / "typed.xlsx")
    lite = package.build_lite_workbook(spec)
    main = _properties(zipfile.ZipFile(io.BytesIO(lite)))["main.py"]
    book = fake_lite.Book("typed.xlsx", copy.deepcopy(values))
    record = fake_lite.run_main(main, book)
    calls = record["calls"]
    # one bulk read per sheet read, never a formula: the input sheets, the live summary
    # sheets (checked by value) and Catatan Validasi
    assert len(calls["reads"]) == len(set(calls["reads"]))
    assert set(calls["reads"]) == {SHEET_META, SHEET_IDENTITAS, SHEET_TARGET,
                                   SHEET_REALISASI, SHEET_ANGGARAN,
                                   *(s for s in SUMMARY_SHEETS if s in values)}
    # one write: the findings into Catatan Validasi (the one sheet left unprotected);
    # no summary sheet written, cleared, formatted or added; inputs as they were
    assert [s for s, _ in calls["writes"]] == [SHEET_CATATAN] == list(package.WRITTEN_SHEETS)
    assert calls["formats"] == [] and calls["clears"] == [] and calls["adds"] == []
    for sheet in (INPUT_SHEETS | set(SUMMARY_SHEETS) - {SHEET_CATATAN}) & set(values):
        assert record["sheets"][sheet] == values[sheet]
    # the typed mistake is in Catatan Validasi; the cached values left from before the
    # typing no longer match the engine, and are reported at their cells
    rows = _catatan_rows(record["sheets"])
    cell = next(iter(typed))
    assert any(cell in row for row in rows)
    berbeda = [row for row in rows if any(isinstance(v, str) and "berbeda dari perhitungan"
                                          in v for v in row)]
    row_no = cell.split("!")[1].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    assert any(f"{SHEET_REALISASI}!{REALISASI_COLS['realisasi_sd']}{row_no}" in r
               for r in berbeda)
    assert record["names"]["SelTemuan"].startswith(f"='{SHEET_CATATAN}'!")
    assert len(calls["alerts"]) == 1 and "error" in calls["alerts"][0]


def test_a_deleted_summary_sheet_is_drawn_again_and_nothing_else(tmp_path):
    """A summary sheet deleted by hand: Lite adds it again (one add, one value write with
    its live formulas), writes Catatan Validasi, and leaves every other sheet alone."""
    from workbook_gen.layout import SHEET_CAPAIAN_ANGGARAN, SHEET_REALISASI_ANGGARAN

    spec = load_spec(BANTEN)
    plain = tmp_path / "plain.xlsx"
    plain.write_bytes(build_workbook(spec, macro=False))
    values = values_of(plain)
    del values[SHEET_REALISASI_ANGGARAN]
    main = bundle.main_py([bundle.Button("B", SHEET_IDENTITAS, "C1")])
    record = fake_lite.run_main(main, fake_lite.Book("u.xlsx", copy.deepcopy(values)))
    calls = record["calls"]
    assert calls["adds"] == [SHEET_REALISASI_ANGGARAN]
    assert sorted(s for s, _ in calls["writes"]) == sorted([SHEET_REALISASI_ANGGARAN,
                                                            SHEET_CATATAN])
    assert {s for s, *_ in calls["formats"]} == {SHEET_REALISASI_ANGGARAN}
    assert calls["clears"] == []
    for sheet, rows in values.items():
        if sheet != SHEET_CATATAN:
            assert record["sheets"][sheet] == rows
    drawn = record["sheets"][SHEET_REALISASI_ANGGARAN]
    live = [v for row in drawn for v in row if isinstance(v, str) and v.startswith("=")]
    assert len(live) > 50  # the sheet comes back as live formulas, not as numbers
    order = list(record["sheets"])  # back in its place, after Capaian Anggaran
    assert order.index(SHEET_REALISASI_ANGGARAN) == order.index(SHEET_CAPAIAN_ANGGARAN) + 1
    assert drawn[0][0].startswith('="Realisasi Anggaran per Kegiatan ')  # a live title


def test_adapter_on_a_workbook_it_cannot_read_writes_only_the_message(tmp_path):
    spec = load_spec(BANTEN)
    plain = tmp_path / "plain.xlsx"
    plain.write_bytes(build_workbook(spec, macro=False))
    values = values_of(plain)
    del values[SHEET_TARGET]  # a deleted sheet
    main = bundle.main_py([bundle.Button("B", SHEET_IDENTITAS, "C1")])
    record = fake_lite.run_main(main, fake_lite.Book("x.xlsx", values))
    calls = record["calls"]
    assert calls["writes"] == [] and calls["formats"] == [] and calls["clears"] == []
    assert len(calls["alerts"]) == 1 and "Lembar 'Target' tidak ditemukan" in calls["alerts"][0]


def test_adapter_refuses_formula_reads_and_input_writes():
    from workbook_gen.lite.book import LiteBook, LiteBookError

    book = LiteBook(fake_lite.Book("x.xlsx", {SHEET_REALISASI: [[1, 2], [3, 4]]}))
    assert book.read_block(SHEET_REALISASI, 2, 1, 3, 3) == [[3, 4, None], [None, None, None]]
    with pytest.raises(LiteBookError):
        book.read_formulas(SHEET_REALISASI, 1, 1, 1, 1)
    with pytest.raises(LiteBookError):
        book.write_block(SHEET_REALISASI, 1, 1, [[0]])


# --------------------------------------------------------------------------- Pyodide

PYODIDE = ROOT / ".pyodide" / "node_modules" / "pyodide"
RUNNER = ROOT / "tests" / "support" / "pyodide_run.mjs"
NO_PYODIDE = "Pyodide is not installed: bash scripts/install_pyodide.sh (needs node and npm)"


IN_CI = os.environ.get("CI", "").strip().lower() in {"true", "1"}


def _pyodide_record(main: str, values: dict, tmp_path: Path, script_index: int) -> dict:
    """main.py run under Pyodide in Node.js against the double serving ``values``."""
    if not (PYODIDE / "pyodide.asm.wasm").exists():
        if IN_CI:
            pytest.fail(f"CI=true but {NO_PYODIDE}", pytrace=False)
        pytest.skip(NO_PYODIDE)
    job = {"fake_lite": (ROOT / "tests" / "fake_lite.py").read_text(encoding="utf-8"),
           "main": main, "name": "unit.xlsx", "values": values, "script_index": script_index}
    (tmp_path / "job.json").write_text(json.dumps(job), encoding="utf-8")
    done = subprocess.run(["node", str(RUNNER), str(PYODIDE), str(tmp_path / "job.json")],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    record = json.loads(done.stdout.strip().splitlines()[-1])
    assert record.pop("platform") == "emscripten"
    assert record.pop("python").startswith("3.")
    return record


def _soffice() -> None:
    from .test_formulas_libreoffice import IN_CI as LO_IN_CI
    from .test_formulas_libreoffice import NOT_FOUND, SOFFICE

    if SOFFICE is None:
        if LO_IN_CI:
            pytest.fail(f"CI=true but {NOT_FOUND}", pytrace=False)
        pytest.skip(NOT_FOUND)


def _with_cached(path: Path, cells: dict[str, float], out: Path) -> Path:
    """A copy of an xlsx whose formula cells ``cells`` show another computed value: a
    spreadsheet that computed wrong (the formula stays)."""
    with zipfile.ZipFile(path) as z:
        parts = package.sheet_parts(z)
        items = [(info, z.read(info)) for info in z.infolist()]
    changed: dict[str, str] = {}
    for ref, value in cells.items():
        sheet, cell = ref.split("!")
        xml = changed.get(parts[sheet]) or dict((i.filename, d) for i, d in items)[
            parts[sheet]].decode("utf-8")
        pattern = re.compile(rf'(<c r="{cell}"[^>]*>)(<f[^>]*>[^<]*</f>|<f[^>]*/>)'
                             r'<v>[^<]*</v>')
        xml, n = pattern.subn(lambda m, v=value: m.group(1).replace(' t="str"', "")
                              + m.group(2) + f"<v>{v!r}</v>", xml)
        assert n == 1, ref
        changed[parts[sheet]] = xml
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in items:
            z.writestr(info, changed[info.filename].encode("utf-8")
                       if info.filename in changed else data)
    return out


def _desktop_findings(path: Path) -> list[dict[str, str]]:
    """The desktop routine on the file (openpyxl book: formulas read and restored where
    typed over, computed values compared with the engine). LibreOffice writes formulas
    back in its own spelling ('_meta'!D2 as _meta!D2), which the routine must not take
    for typed-over cells: there is nothing to restore in these files."""
    with OpenpyxlBook(path) as book:
        result = hitung_capaian(book, book.name)
    found = [f.as_dict() for f in result.temuan]
    assert not [f for f in found if f["jenis"] == "rumus_dipulihkan"]
    return found


def _json(values: dict) -> dict:
    return json.loads(json.dumps(values, default=str))


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory) -> dict[str, dict[str, Any]]:
    """Per example, recalculated by LibreOffice in one call: the workbook filled as the
    spec is, with one mistake typed (text in a number cell); and the same with the
    periode on Identitas moved on one quarter. Plus a copy of the first whose Excel shows
    two wrong computed values: a Realisasi capaian and a live Ringkasan Capaian cell."""
    from workbook_gen.excel.verify import expected_values
    from workbook_gen.layout import IDENTITAS_ROWS

    from .test_formulas_libreoffice import lo

    _soffice()
    folder = tmp_path_factory.mktemp("lite-lo")
    out: dict[str, dict[str, Any]] = {}
    inputs: list[Path] = []
    for name, spec_path in (("banten", BANTEN), ("jateng", JATENG)):
        spec = load_spec(spec_path)
        layout = layout_for(spec)
        plain = folder / f"{name}.xlsx"
        plain.write_bytes(build_workbook(spec, macro=False))
        first = min(layout.iku_rows.values())
        typed = f"{SHEET_REALISASI}!{REALISASI_COLS['realisasi_tw2']}{first}"
        wb = openpyxl.load_workbook(plain)
        wb[SHEET_REALISASI][typed.split("!")[1]] = "12,5%"
        wb.save(folder / f"{name}-typed.xlsx")
        periode = {"TW I": "TW II", "TW II": "TW III", "TW III": "TW IV"}.get(
            spec.periode_label, "TW III")
        wb[SHEET_IDENTITAS][f"B{IDENTITAS_ROWS['periode']}"] = periode
        wb.save(folder / f"{name}-periode.xlsx")
        inputs += [folder / f"{name}-typed.xlsx", folder / f"{name}-periode.xlsx"]
        expected = expected_values(spec)
        capaian = f"{SHEET_REALISASI}!{REALISASI_COLS['capaian']}{first}"
        live = next((r, c) for (r, c), v in expected[SHEET_RINGKASAN].items()
                    if isinstance(v, float) and v > 1)
        wrong = {capaian: 77.77,
                 f"{SHEET_RINGKASAN}!{col_letter(live[1])}{live[0]}": 4321.5}
        out[name] = {"spec": spec, "typed": typed, "wrong": wrong, "periode": periode,
                     "main": _properties(zipfile.ZipFile(io.BytesIO(
                         package.build_lite_workbook(spec))))["main.py"]}
    done = lo.recalculate(inputs, folder / "recalc")
    for name in out:
        out[name]["typed_file"] = done[folder / f"{name}-typed.xlsx"]
        out[name]["periode_file"] = done[folder / f"{name}-periode.xlsx"]
        out[name]["wrong_file"] = _with_cached(done[folder / f"{name}-typed.xlsx"],
                                               out[name]["wrong"], folder / f"{name}-wrong.xlsx")
    return out


def _berbeda(rows: list[list[Any]]) -> set[str]:
    return {str(row[2]) for row in rows if any(
        isinstance(v, str) and "berbeda dari perhitungan" in v for v in row)}


@pytest.mark.libreoffice
@pytest.mark.parametrize("name", ["banten", "jateng"])
def test_lite_verifies_libreoffice_values_as_the_desktop_routine(recalculated, name):
    """On values LibreOffice computed (a mistake typed, recalculated), main.py finds what
    the desktop routine finds: the typed mistake, and no computed value that differs from
    the engine, on the input sheets and on the live summary sheets alike."""
    case = recalculated[name]
    values = _json(values_of(case["typed_file"]))
    record = fake_lite.run_main(case["main"], fake_lite.Book("unit.xlsx", values), 1)
    rows = _catatan_rows(record["sheets"])
    desktop = _desktop_findings(case["typed_file"])
    assert not [f for f in desktop if f["jenis"] == "hasil_rumus_berbeda"]
    assert _berbeda(rows) == set()
    assert len(rows) == len(desktop)
    for row, f in zip(rows, desktop, strict=True):
        assert f["lokasi"] in row and f["pesan"] in row
    assert any(case["typed"] in row for row in rows)


@pytest.mark.libreoffice
@pytest.mark.parametrize("name", ["banten", "jateng"])
def test_main_py_under_pyodide_reports_a_wrong_computed_value_as_the_desktop_does(
        recalculated, name, tmp_path):
    """main.py as the workbook carries it, under Pyodide in Node.js, against the double
    serving LibreOffice's values with two wrong computed values: it writes exactly what
    the same main.py writes under CPython, its findings are the desktop routine's, and
    each wrong value is an error at its cell (engine's value and Excel's named)."""
    case = recalculated[name]
    values = _json(values_of(case["wrong_file"]))
    in_pyodide = _pyodide_record(case["main"], values, tmp_path, 1)
    in_cpython = _json(fake_lite.run_main(case["main"],
                                          fake_lite.Book("unit.xlsx", copy.deepcopy(values)), 1))
    assert in_pyodide == in_cpython
    rows = _catatan_rows(in_pyodide["sheets"])
    desktop = _desktop_findings(case["wrong_file"])
    assert {f["lokasi"] for f in desktop if f["jenis"] == "hasil_rumus_berbeda"} == set(
        case["wrong"])
    assert _berbeda(rows) == set(case["wrong"])
    assert len(rows) == len(desktop)
    for row, f in zip(rows, desktop, strict=True):
        assert f["lokasi"] in row and f["pesan"] in row
    for ref, value in case["wrong"].items():
        row = next(r for r in rows if ref in r)
        shown = f"({str(value).replace('.', ',')})"  # as the message shows Excel's value
        assert "Error" in row and any(isinstance(v, str) and shown in v for v in row), row
    # nothing but Catatan Validasi written; the input sheets and summaries as they were
    assert [s for s, _ in in_pyodide["calls"]["writes"]] == [SHEET_CATATAN]
    for sheet in (INPUT_SHEETS | set(SUMMARY_SHEETS) - {SHEET_CATATAN}) & set(values):
        assert in_pyodide["sheets"][sheet] == values[sheet]


@pytest.mark.libreoffice
@pytest.mark.parametrize("name", ["banten", "jateng"])
def test_lite_after_a_periode_change_finds_every_figure_and_title_for_the_new_periode(
        recalculated, name):
    """The periode moved on one quarter on Identitas, LibreOffice recalculated: every
    number and every title and header that names the periode (live formulas too) equals
    the engine for the new periode, so Lite, which cannot redraw the protected summary
    sheets, has nothing to report or redraw there; it writes Catatan Validasi anew for
    the new periode (its title is plain text) and the run's message names the periode."""
    case = recalculated[name]
    values = _json(values_of(case["periode_file"]))
    new = f"{case['periode']} {case['spec'].tahun}"
    for sheet in SUMMARY_SHEETS:
        if sheet in values and sheet != SHEET_CATATAN:  # computed by LibreOffice
            assert values[sheet][0][0].endswith(new), values[sheet][0][0]
    record = fake_lite.run_main(case["main"], fake_lite.Book("unit.xlsx", values), 1)
    rows = _catatan_rows(record["sheets"])
    assert _berbeda(rows) == set()
    assert not [row for row in rows if any(isinstance(v, str) and "seharusnya" in v
                                           for v in row)]
    assert record["sheets"][SHEET_CATATAN][0][0].endswith(new)
    assert {s for s, _ in record["calls"]["writes"]} == {SHEET_CATATAN}
    assert "Capaian dihitung untuk " + case["periode"] in record["calls"]["alerts"][0]


def test_lite_names_a_summary_text_changed_by_hand_once(tmp_path):
    """A header typed over on a summary sheet (protection removed by hand): one warning
    at that cell, the sheet is not written, and no number is reported."""
    spec = load_spec(BANTEN)
    plain = tmp_path / "plain.xlsx"
    plain.write_bytes(build_workbook(spec, macro=False))
    values = values_of(plain)
    grid = values[SHEET_RINGKASAN]
    r, c = next((r, c) for r, row in enumerate(grid) for c, v in enumerate(row)
                if v == "Satuan")
    grid[r][c] = "Unit"
    main = bundle.main_py([bundle.Button("B", SHEET_IDENTITAS, "C1")])
    record = fake_lite.run_main(main, fake_lite.Book("u.xlsx", copy.deepcopy(values)))
    rows = _catatan_rows(record["sheets"])
    stale = [row for row in rows if any(isinstance(v, str) and "seharusnya" in v
                                        for v in row)]
    assert len(stale) == 1 and stale[0][1] == "Peringatan"
    assert stale[0][2] == f"{SHEET_RINGKASAN}!{col_letter(c + 1)}{r + 1}"
    assert "'Unit', seharusnya 'Satuan'" in stale[0][3]
    assert _berbeda(rows) == set()
    assert [s for s, _ in record["calls"]["writes"]] == [SHEET_CATATAN]


def test_lite_names_a_title_showing_something_else_as_text_not_as_a_wrong_number(tmp_path):
    """A title (a live formula over the periode) showing another text, as a Lite workbook
    of an earlier version does after a periode change: one warning at that cell, never a
    'hasil_rumus_berbeda' error (it is a label, not a figure)."""
    spec = load_spec(JATENG)
    plain = tmp_path / "plain.xlsx"
    plain.write_bytes(build_workbook(spec, macro=False))
    values = values_of(plain)
    values[SHEET_RINGKASAN][0][0] = "Ringkasan Capaian Kinerja BP3MI Jawa Tengah TW I 2024"
    main = bundle.main_py([bundle.Button("B", SHEET_IDENTITAS, "C1")])
    record = fake_lite.run_main(main, fake_lite.Book("u.xlsx", copy.deepcopy(values)))
    rows = _catatan_rows(record["sheets"])
    assert _berbeda(rows) == set()
    stale = [row for row in rows if any(isinstance(v, str) and "seharusnya" in v
                                        for v in row)]
    assert len(stale) == 1 and stale[0][2] == f"{SHEET_RINGKASAN}!A1"
    assert "seharusnya 'Ringkasan Capaian Kinerja BP3MI Jawa Tengah Tahun 2024'" in stale[0][3]


# --------------------------------------------------------------------------- LibreOffice


@pytest.mark.libreoffice
def test_libreoffice_opens_the_lite_workbook_and_recalculates_to_the_engine(lite_files,
                                                                         tmp_path):
    from workbook_gen.engine import hitung

    from .test_formulas_libreoffice import IN_CI, NOT_FOUND, SOFFICE, expected_cells, lo
    from .test_formulas_libreoffice import mismatches as differences

    if SOFFICE is None:
        if IN_CI:
            pytest.fail(f"CI=true but {NOT_FOUND}", pytrace=False)
        pytest.skip(NOT_FOUND)
    paths = [lite_files["banten"], lite_files["jateng"], lite_files["ntb"]]
    outputs = lo.recalculate(paths, tmp_path / "recalc")
    for path, spec_path in zip(paths, (BANTEN, JATENG, NTB), strict=True):
        spec = load_spec(spec_path)
        expected = expected_cells(spec, hitung(spec), layout_for(spec))
        assert len(expected) > 50
        assert differences(lo.read_values(outputs[path]), expected) == []


# --------------------------------------------------------------------------- hypothesis

@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_survives_the_property_encoding(text):
    value = package.property_value(text)
    assert '"' not in value and "<" not in value and "\n" not in value
    assert "/" not in value.replace("\\/", "")
    xml = f'<p v="{value}"/>'
    assert json.loads(ElementTree.fromstring(xml).get("v")) == text


def test_second_run_after_the_fix_clears_the_findings(tmp_path):
    """Run, fix the typed mistake, run again on what the first run left: Catatan Validasi
    no longer lists it (the sheet is cleared, not appended to) and inputs stay as typed."""
    spec = load_spec(JATENG)
    plain = tmp_path / "plain.xlsx"
    plain.write_bytes(build_workbook(spec, macro=False))
    first = min(layout_for(spec).iku_rows.values())
    ref = f"{SHEET_REALISASI}!{REALISASI_COLS['realisasi_tw3']}{first}"
    _, values = _patched(plain, {ref: "tiga"}, tmp_path / "typed.xlsx")
    main = bundle.main_py([bundle.Button("B", SHEET_REALISASI, "I1")])
    once = fake_lite.run_main(main, fake_lite.Book("u.xlsx", copy.deepcopy(values)))
    assert any(ref in row for row in _catatan_rows(once["sheets"]))
    again_values = copy.deepcopy(once["sheets"])
    r, c = fake_lite._cell(ref.split("!")[1])
    again_values[SHEET_REALISASI][r - 1][c - 1] = values_of(plain)[SHEET_REALISASI][r - 1][c - 1]
    twice = fake_lite.run_main(main, fake_lite.Book("u.xlsx", again_values,
                                                    names=once["names"]))
    assert not any(ref in row for row in _catatan_rows(twice["sheets"]))
    assert len(_catatan_rows(twice["sheets"])) == len(_reference_findings(plain))
    assert twice["calls"]["adds"] == [] and twice["calls"]["names"][0][0] == "SelTemuan"
