"""Hitung Capaian through the openpyxl book (the CLI path): a workbook filled as a user
would, the summary sheets' values, idempotence, untouched inputs, what survives, and every
bad input."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import openpyxl
import pytest

from workbook_gen.cli import main
from workbook_gen.layout import (
    REALISASI_COLS,
    SHEET_CAPAIAN_ANGGARAN,
    SHEET_CATATAN,
    SHEET_REALISASI,
    SHEET_RINGKASAN,
    SHEET_TARGET,
    SUMMARY_SHEETS,
    TARGET_COLS,
)

from .conftest import BANTEN, JATENG
from .workbooks import (
    cleared,
    fill,
    find_row,
    input_fingerprint,
    load_data,
    make_workbook,
    realisasi_cells,
    sheet_values,
)

CAPAIAN = 10  # 0-based column of "Capaian (%)" in Ringkasan Capaian
CAPAIAN_REVISI = 11


def cli(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def jateng_filled(tmp_path_factory) -> Path:
    """Jawa Tengah's workbook sent out empty, then typed in by hand (text included)."""
    data = load_data(JATENG)
    path = make_workbook(cleared(data), tmp_path_factory.mktemp("jateng") / "jateng.xlsm")
    fill(path, realisasi_cells(data))  # "6.419 orang", "-", "86,06%", "5.018.354.188", ...
    return path


@pytest.fixture(scope="module")
def banten_filled(tmp_path_factory) -> Path:
    data = load_data(BANTEN)
    path = make_workbook(cleared(data), tmp_path_factory.mktemp("banten") / "banten.xlsm")
    values = realisasi_cells(data)
    values[f"{SHEET_TARGET}!{TARGET_COLS['target']}9"] = "1.470"  # IKU-4 target typed as text
    fill(path, values)
    return path


@pytest.fixture(scope="module")
def jateng_out(jateng_filled, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("jateng-out") / "hasil.xlsm"
    assert main(["hitung", str(jateng_filled), "-o", str(out)]) == 0
    return out


class _Shown:
    """A summary sheet as the routine filled it: each live formula's engine value (the
    cells hold formulas; their values come from the next recalculation)."""

    def __init__(self, content):
        from workbook_gen.summary_book import grid_of

        grid, _ = grid_of(content, formulas=False)
        self.rows = [tuple(row) for row in grid]
        self.title = content.name

    def iter_rows(self, values_only=True):
        return iter(self.rows)


def shown(path: Path) -> dict[str, _Shown]:
    from workbook_gen.book import OpenpyxlBook
    from workbook_gen.routine import hitung_capaian
    from workbook_gen.summary import build_summary

    with OpenpyxlBook(path) as book:
        run = hitung_capaian(book, str(path))
    return {c.name: _Shown(c) for c in build_summary(run.hasil, run.dipulihkan,
                                                      run.bacaan.layout)}


def test_summary_after_hitung_is_live(jateng_out):
    ws = openpyxl.load_workbook(jateng_out)[SHEET_RINGKASAN]
    row = next(r for r in ws.iter_rows() if str(r[1].value).startswith("IKU-1 "))
    assert str(row[CAPAIAN].value).startswith("=")
    assert row[CAPAIAN].value == "='Realisasi'!M6".replace("'Realisasi'", "Realisasi")


def test_jateng_summary_values(jateng_out):
    wb = shown(jateng_out)
    ws = wb[SHEET_RINGKASAN]
    expected = {"IKU-1": (71.30, 107.26), "IKU-2": (74.63, 74.63), "IKU-3": (41.33, 41.33),
                "IKU-4": (179.38, 267.69), "IKU-5": (50.00, 100.00), "IKU-6": (97.80, 97.80),
                "IKU-7": (102.23, 102.23), "IKU-8": (89.54, 89.54)}
    for kode, (pk, revisi) in expected.items():
        row = find_row(ws, kode + " ")
        assert (row[CAPAIAN], row[CAPAIAN_REVISI]) == (pk, revisi), kode
    assert find_row(ws, "SS1 ")[CAPAIAN:CAPAIAN_REVISI + 1] == (83.33, 118.18)
    assert find_row(ws, "SS2 ")[CAPAIAN] == 96.52
    total = find_row(ws, "Rata-rata capaian IKU")
    assert (total[CAPAIAN], total[CAPAIAN_REVISI]) == (88.28, 110.06)
    assert find_row(ws, "IKU-1 ")[9] == 25207  # realisasi s.d. periode from "6.419 orang"...
    ca = wb[SHEET_CAPAIAN_ANGGARAN]
    serapan = [r[5] for r in ca.iter_rows(values_only=True) if isinstance(r[5], float)]
    # per sasaran SS1, SS2 and the total; then per kegiatan 01 (serves SS1: 5.018.354.188 /
    # 5.382.419.000 = 93,24) and 02 (serves SS2: 7.963.237.556 / 8.139.422.000 = 97,84)
    assert serapan == [93.24, 97.84, 96.24, 93.24, 97.84]


def test_banten_summary_values(banten_filled, tmp_path):
    out = tmp_path / "hasil.xlsm"
    # exit 1: the report's own 3453-in-a-% error is an error finding (like periksa)
    assert main(["hitung", str(banten_filled), "-o", str(out)]) == 1
    ws = shown(out)[SHEET_RINGKASAN]
    got = {k: find_row(ws, k + " ")[CAPAIAN] for k in
           ("IKU-1", "IKU-2", "IKU-3", "IKU-4", "IKU-5", "IKU-6", "IKU-7")}
    # IKU-4's target "1.470" typed as text: not a number for the formulas nor the engine
    assert got == {"IKU-1": 12.50, "IKU-2": 5480.95, "IKU-3": 54.00, "IKU-4": "",
                   "IKU-5": 100.00, "IKU-6": "", "IKU-7": 100.00}
    assert find_row(ws, "IKU-6 ")[9] == "tidak diukur"
    notes = openpyxl.load_workbook(out)[SHEET_CATATAN]
    text = [r for r in notes.iter_rows(values_only=True) if r[1] in ("Error", "Peringatan")]
    assert ("Error", f"{SHEET_REALISASI}!{REALISASI_COLS['realisasi_tw1']}7") in [
        (r[1], r[2]) for r in text]  # 3453 in the % cell of IKU-2 (row 7)
    assert ("Error", f"{SHEET_TARGET}!{TARGET_COLS['target']}9") in [
        (r[1], r[2]) for r in text]  # "1.470" stored as text: type 1470
    assert (f"{SHEET_TARGET}!L9") in [r[2] for r in text]  # "1.470" stored as text


def test_json_is_the_same_as_for_a_spec(jateng_filled, capsys):
    code, out, _ = cli(capsys, "hitung", jateng_filled, "--json")
    assert code == 0
    from_book = json.loads(out)
    _, out, _ = cli(capsys, "hitung", JATENG, "--json")
    from_spec = json.loads(out)
    for key in ("capaian_rata_rata", "capaian_rata_rata_revisi", "sasaran", "anggaran"):
        assert from_book[key] == from_spec[key], key
    assert [i["capaian"] for i in from_book["iku"]] == [i["capaian"] for i in from_spec["iku"]]


def test_nothing_written_without_output(jateng_filled, capsys):
    before = jateng_filled.read_bytes()
    code, out, _ = cli(capsys, "hitung", jateng_filled)
    assert code == 0
    assert "Tidak ada berkas yang ditulis" in out
    assert jateng_filled.read_bytes() == before


def test_idempotent_and_inputs_untouched(jateng_filled, jateng_out, tmp_path):
    assert input_fingerprint(jateng_out) == input_fingerprint(jateng_filled)
    again = tmp_path / "lagi.xlsm"
    assert main(["hitung", str(jateng_out), "-o", str(again)]) == 0
    first, second = sheet_values(jateng_out), sheet_values(again)
    assert list(first) == list(second)  # same sheets, same order, nothing duplicated
    assert first == second
    names = openpyxl.load_workbook(again).sheetnames
    assert all(names.count(s) <= 1 for s in SUMMARY_SHEETS)


def test_in_place_needs_timpa(jateng_out, tmp_path, capsys):
    target = tmp_path / "sendiri.xlsm"
    target.write_bytes(jateng_out.read_bytes())
    code, _, err = cli(capsys, "hitung", target, "-o", target)
    assert code == 1 and "--timpa" in err
    assert cli(capsys, "hitung", target, "--timpa")[0] == 0


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def test_what_the_generator_owns_survives(jateng_filled, jateng_out):
    before, after = _parts(jateng_filled), _parts(jateng_out)
    assert after["xl/vbaProject.bin"] == before["xl/vbaProject.bin"]
    vml = [v for n, v in after.items() if n.endswith(".vml")]
    assert sum(b"<x:FmlaMacro>[0]!HitungCapaian</x:FmlaMacro>" in v for v in vml) == \
        sum(b"<x:FmlaMacro>[0]!HitungCapaian</x:FmlaMacro>" in v for v in
            [v for n, v in before.items() if n.endswith(".vml")]) >= 1
    wb_before = openpyxl.load_workbook(jateng_filled, keep_vba=True)
    wb_after = openpyxl.load_workbook(jateng_out, keep_vba=True)
    for name in wb_before.sheetnames:
        a, b = wb_before[name], wb_after[name]
        assert b.sheet_properties.codeName == a.sheet_properties.codeName, name
        assert b.protection.sheet, name
        if name in SUMMARY_SHEETS:
            continue
        assert len(b.data_validations.dataValidation) == len(a.data_validations.dataValidation)
        assert [str(r.sqref) for r in b.conditional_formatting] == \
            [str(r.sqref) for r in a.conditional_formatting], name
        assert b.legacy_drawing == a.legacy_drawing, name
    assert wb_after.custom_doc_props["hash_spec"].value == \
        wb_before.custom_doc_props["hash_spec"].value


def test_typed_over_formula_is_restored_and_reported(jateng_filled, tmp_path):
    broken = tmp_path / "rumus.xlsm"
    broken.write_bytes(jateng_filled.read_bytes())
    cell = f"{SHEET_REALISASI}!{REALISASI_COLS['capaian']}6"
    original = openpyxl.load_workbook(broken)[SHEET_REALISASI][cell.split("!")[1]].value
    assert isinstance(original, str) and original.startswith("=")
    fill(broken, {cell: 100})
    out = tmp_path / "pulih.xlsm"
    assert main(["hitung", str(broken), "-o", str(out)]) == 0
    wb = openpyxl.load_workbook(out)
    assert wb[SHEET_REALISASI][cell.split("!")[1]].value == original
    notes = [r for r in wb[SHEET_CATATAN].iter_rows(values_only=True) if r[2] == cell]
    assert notes and "ditimpa" in notes[0][3]


# --------------------------------------------------------------------------- bad input


def _copy(src: Path, dst: Path) -> Path:
    dst.write_bytes(src.read_bytes())
    return dst


def _edit(path: Path, fn) -> None:
    wb = openpyxl.load_workbook(path, keep_vba=True)
    fn(wb)
    wb.save(path)


@pytest.mark.parametrize(
    ("case", "in_err"),
    [
        ("bukan_kita", "bukan workbook yang dibuat dengan workbook-gen"),
        ("versi_lama", "template versi 0"),
        ("lembar_diganti", "Lembar 'Realisasi' tidak ditemukan"),
        ("baris_dihapus", "ada baris yang disisipkan, dihapus atau dipindah"),
        ("baris_disisipkan", "ada baris yang disisipkan, dihapus atau dipindah"),
        ("rusak", "rusak"),
        ("kata_sandi", "dilindungi kata sandi"),
        ("kosong", "berkas kosong"),
        ("bukan_excel", "bukan workbook Excel"),
    ],
)
def test_unusable_workbooks(case, in_err, jateng_filled, tmp_path, capsys):
    path = tmp_path / "masukan.xlsm"
    if case == "bukan_kita":
        wb = openpyxl.Workbook()
        wb.active["A1"] = "realisasi"
        wb.save(path)
    elif case == "rusak":
        data = jateng_filled.read_bytes()
        path.write_bytes(data[: len(data) // 2])
    elif case == "kata_sandi":
        path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    elif case == "kosong":
        path.write_bytes(b"")
    elif case == "bukan_excel":
        path.write_text("Nama,Target\nA,1\n", encoding="utf-8")
    else:
        _copy(jateng_filled, path)
        edits = {
            "versi_lama": lambda wb: wb["_meta"].__setitem__("B2", "0"),
            "lembar_diganti": lambda wb: setattr(wb[SHEET_REALISASI], "title", "Realisasi 2"),
            "baris_dihapus": lambda wb: wb[SHEET_TARGET].delete_rows(7),
            "baris_disisipkan": lambda wb: wb[SHEET_REALISASI].insert_rows(8),
        }
        _edit(path, edits[case])
    out = tmp_path / "keluaran.xlsm"
    code, _, err = cli(capsys, "hitung", path, "-o", out)
    assert code == 1
    assert in_err in err
    assert "Traceback" not in err
    assert not out.exists()
    code, _, err = cli(capsys, "periksa", path)
    assert code == 1 and in_err in err


def test_bad_values_are_findings_at_their_cells(jateng_filled, tmp_path, capsys):
    path = _copy(jateng_filled, tmp_path / "isian.xlsm")
    e7 = f"{SHEET_REALISASI}!{REALISASI_COLS['realisasi_tw1']}7"
    fill(path, {e7: "sepuluh", f"{SHEET_REALISASI}!{REALISASI_COLS['realisasi_tw4']}13":
                "90 (Istimewa)"})
    code, out, _ = cli(capsys, "periksa", path, "--json")
    assert code == 1
    found = {(f["lokasi"], f["jenis"]) for f in json.loads(out)["temuan"]}
    assert (e7, "bukan_angka") in found
    # "number (label)" typed as text: not a number for the formulas, so an error here too
    assert (f"{SHEET_REALISASI}!H13", "angka_sebagai_teks") in found


def test_periksa_clean_workbook(jateng_out, capsys):
    code, out, _ = cli(capsys, "periksa", jateng_out)
    assert code == 0
    assert out.splitlines()[-1] == "Workbook tanpa error."


def _sel_temuan(path: Path) -> list[str]:
    wb = openpyxl.load_workbook(path)
    ref = wb.defined_names["SelTemuan"].attr_text
    sheet, cells = ref.split("!")
    ws = wb[sheet.strip("'")]
    return [c.value for row in ws[cells.replace("$", "")] for c in row]


def test_cells_with_findings_are_marked_until_fixed(jateng_filled, tmp_path):
    path = _copy(jateng_filled, tmp_path / "tanda.xlsm")
    bad = f"{SHEET_REALISASI}!{REALISASI_COLS['realisasi_tw2']}8"
    fill(path, {bad: "banyak"})
    out = tmp_path / "tanda-hasil.xlsm"
    assert main(["hitung", str(path), "-o", str(out)]) == 1  # an error finding: exit 1
    assert bad in _sel_temuan(out)
    # the input block carries the rule that colours cells listed under SelTemuan
    rules = openpyxl.load_workbook(out)[SHEET_REALISASI].conditional_formatting
    assert any("SelTemuan" in (r.formula or [""])[0] for cf in rules for r in cf.rules)
    fill(out, {bad: 61})  # fixed by the user
    again = tmp_path / "tanda-lagi.xlsm"
    assert main(["hitung", str(out), "-o", str(again)]) == 0
    assert bad not in _sel_temuan(again)


def test_kategori_label_not_on_the_list(banten_filled, tmp_path, capsys):
    path = _copy(banten_filled, tmp_path / "nka.xlsm")
    cell = f"{SHEET_REALISASI}!{REALISASI_COLS['realisasi_tw1']}12"  # IKU-7, NKA
    fill(path, {cell: "Istimewa"})
    code, out, _ = cli(capsys, "periksa", path, "--json")
    assert code == 1
    (f,) = [f for f in json.loads(out)["temuan"] if f["lokasi"] == cell]
    assert f["jenis"] == "label_tidak_dikenal"
    assert "Sangat Kurang, Kurang, Cukup, Baik, Sangat Baik" in f["saran"]


def test_edited_metadata_is_checked_again(jateng_filled, tmp_path, capsys):
    """Metadata whose fingerprint no longer matches is validated like any spec."""
    path = _copy(jateng_filled, tmp_path / "meta.xlsm")

    def edit(wb):
        ws = wb["_meta"]
        for row in ws.iter_rows(min_col=1, max_col=2):
            if row[0].value == "spec" and '"polaritas"' not in str(row[1].value):
                row[1].value = str(row[1].value).replace('"agregasi": "kumulatif"',
                                                         '"agregasi": "jumlah"', 1)
    _edit(path, edit)
    code, _, err = cli(capsys, "periksa", path)
    assert code == 1
    assert "nilai 'jumlah' tidak dikenal." in err
    assert "Traceback" not in err


def test_a_formula_written_back_without_needless_quotes_is_not_typed_over():
    """Excel and LibreOffice write '_meta'!D2 back as _meta!D2: the same formula, nothing
    to restore (the kategori formulas of scale IKUs refer to '_meta')."""
    from workbook_gen.routine import _same

    ours = "=MATCH(TRIM(H12),'_meta'!$D$2:$D$6,0)"
    assert _same("=match(trim(H12), _meta!$D$2:$D$6, 0)", ours)
    assert not _same("=MATCH(TRIM(H12),_meta!$D$2:$D$7,0)", ours)
    assert not _same(12.5, ours)
    spaced = "='Ringkasan Capaian'!$K$6"  # quotes that are needed stay significant
    assert _same("='Ringkasan Capaian'!$K$6", spaced)
    assert not _same("='Ringkasan Capaian'!$K$7", spaced)


def test_a_title_of_an_earlier_version_is_redrawn_quietly(jateng_filled, tmp_path):
    """Workbooks of earlier versions carry sheet titles as text, not as the formula over
    the periode: the button draws such a sheet anew (title live again) without calling
    the title a typed-over formula."""
    old = _copy(jateng_filled, tmp_path / "lama.xlsm")
    text = "Ringkasan Capaian Kinerja BP3MI Jawa Tengah TW I 2024"
    _edit(old, lambda wb: wb[SHEET_RINGKASAN].cell(1, 1, text))
    out = tmp_path / "hasil.xlsm"
    assert main(["hitung", str(old), "-o", str(out)]) == 0
    wb = openpyxl.load_workbook(out)
    title = wb[SHEET_RINGKASAN]["A1"].value
    assert title.startswith('="Ringkasan Capaian Kinerja BP3MI Jawa Tengah "&')
    letak = [r[2] for r in wb[SHEET_CATATAN].iter_rows(values_only=True)]
    assert f"{SHEET_RINGKASAN}!A1" not in letak
