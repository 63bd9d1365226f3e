"""One rule per input form (issue 8, point 2): the per-row formulas and the engine agree.

Every form of :func:`tests.input_forms.input_forms` is written (openpyxl, with its number
format, as Excel stores what a person typed) into an input cell of one generated
workbook: a realisasi cell, a target cell and a budget realisasi cell of its own row.
The engine reads the workbook (reader -> engine) and must give the form's meaning and
error finding; LibreOffice (and Gnumeric, where installed) recalculate the workbook and
every formula cell must equal the engine to 0.01, or both show "not a number" (the
formula cell "" and the engine None with an error at the input cell).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from workbook_gen import formulas
from workbook_gen.book import OpenpyxlBook
from workbook_gen.engine import hitung
from workbook_gen.generate import generate
from workbook_gen.konsolidasi.source import CalamineSource
from workbook_gen.layout import (
    ANGGARAN_COLS,
    REALISASI_COLS,
    SHEET_ANGGARAN,
    SHEET_META,
    SHEET_REALISASI,
    SHEET_TARGET,
    TARGET_COLS,
    layout_for,
)
from workbook_gen.reader import read_workbook
from workbook_gen.routine import hitung_capaian
from workbook_gen.spec import load_spec, spec_from_data
from workbook_gen.workbook.inputs import dari_tanggal

from .conftest import JATENG
from .input_forms import SKALA_ZI, InputForm, input_forms
from .test_formulas_libreoffice import expected_cells, mismatches

try:
    from tests.support import libreoffice as lo
except ImportError:  # pragma: no cover - "prepend" import mode
    from support import libreoffice as lo  # type: ignore[no-redef]

SOFFICE = lo.find_soffice()
IN_CI = os.environ.get("CI", "").strip().lower() in {"true", "1"}
SSCONVERT = shutil.which("ssconvert")
SHEET_UJI = "Uji"

FORMS = list(input_forms())
IKU_FORMS = [f for f in FORMS if f.kind != "uang"]
UANG_FORMS = [f for f in FORMS if f.kind == "uang"]
#: A second quarter (realisasi) or realisasi (target forms) beside each form, as stored.
OTHER = {"angka": 10, "hitungan": 10, "persen": 0.10, "kategori": "Belum WBK"}
REAL_FOR_TARGET = {"angka": 50, "hitungan": 50, "persen": 0.50, "kategori": "WBK"}


def _iku(kode: str, kind: str) -> dict[str, Any]:
    d: dict[str, Any] = {"kode": kode, "nama": f"Bentuk isian {kode}", "target": 100,
                         "agregasi": "kumulatif"}
    if kind == "angka":
        d["satuan"] = "Indeks"  # a plain number: not a score (0-100), not a count
    elif kind == "hitungan":
        d["satuan"] = "Orang"
    elif kind == "persen":
        d.update(satuan="%", target=80, agregasi="rata_rata")
    else:
        d.update(satuan="Predikat", jenis="kategori", skala="zi", agregasi="akhir",
                 target="WBK")
    return d


def spec_data() -> dict[str, Any]:
    """One IKU row per realisasi form (R-n), one per target form (T-n), one budget line
    per budget form; the forms are typed in after generation (see :func:`filled`)."""
    ikus = [_iku(f"R-{i}", f.kind) for i, f in enumerate(IKU_FORMS)]
    ikus += [_iku(f"T-{i}", f.kind) for i, f in enumerate(IKU_FORMS)]
    komponen = [{"kode": f"{i:03d}", "nama": f"Bentuk isian {i}", "sasaran": "S1",
                 "pagu_awal": 2_000_000_000, "jenis_belanja": "52"}
                for i, _ in enumerate(UANG_FORMS)]
    return {"versi_spec": 1, "unit": {"nama": "Unit Bentuk Isian", "kode_satker": "990001"},
            "tahun": 2026, "periode": "TW II", "skala": {"zi": SKALA_ZI},
            "sasaran": [{"kode": "S1", "nama": "Sasaran uji", "iku": ikus}],
            "anggaran": {"kegiatan": [{"kode": "K1", "nama": "Kegiatan uji",
                                       "komponen": komponen}]}}


def _write(ws, cell: str, value: Any, number_format: str) -> None:
    ws[cell] = value
    ws[cell].number_format = number_format


def typed_cells() -> dict[str, tuple[InputForm, str]]:
    """'Sheet!A1' -> (form, role) of every cell a form is typed into."""
    spec = spec_from_data(spec_data(), "bentuk.yaml")
    lay = layout_for(spec)
    rc, tc, ac = REALISASI_COLS, TARGET_COLS, ANGGARAN_COLS
    out: dict[str, tuple[InputForm, str]] = {}
    for i, f in enumerate(IKU_FORMS):
        q = "realisasi_tw2" if f.kind == "kategori" else "realisasi_tw1"
        out[f"{SHEET_REALISASI}!{rc[q]}{lay.iku_rows[f'R-{i}']}"] = (f, "realisasi")
        out[f"{SHEET_TARGET}!{tc['target']}{lay.iku_rows[f'T-{i}']}"] = (f, "target")
    for i, f in enumerate(UANG_FORMS):
        out[f"{SHEET_ANGGARAN}!{ac['realisasi_tw1']}{lay.line_rows[f'K1/{i:03d}']}"] = (
            f, "anggaran")
    return out


def fill(path: Path) -> None:
    """Type every form into its cell, with the other inputs of its row."""
    spec = spec_from_data(spec_data(), "bentuk.yaml")
    lay = layout_for(spec)
    rc, ac = REALISASI_COLS, ANGGARAN_COLS
    wb = openpyxl.load_workbook(path)
    real, tgt, ang = wb[SHEET_REALISASI], wb[SHEET_TARGET], wb[SHEET_ANGGARAN]
    for i, f in enumerate(IKU_FORMS):
        fmt = "0.00%" if f.kind == "persen" else "#,##0.00"
        row = lay.iku_rows[f"R-{i}"]
        if f.kind == "kategori":
            _write(real, f"{rc['realisasi_tw1']}{row}", OTHER[f.kind], fmt)
        else:
            _write(real, f"{rc['realisasi_tw2']}{row}", OTHER[f.kind], fmt)
        _write(real, f"{rc['realisasi_tw1']}{lay.iku_rows[f'T-{i}']}",
               REAL_FOR_TARGET[f.kind], fmt)
    for i, _ in enumerate(UANG_FORMS):
        _write(ang, f"{ac['realisasi_tw2']}{lay.line_rows[f'K1/{i:03d}']}", 100, "#,##0")
    for ref, (f, _) in typed_cells().items():
        sheet, cell = ref.split("!")
        _write({SHEET_REALISASI: real, SHEET_TARGET: tgt, SHEET_ANGGARAN: ang}[sheet], cell,
               f.nilai, f.format)
    # formulas.nilai_isian (for summary formulas showing one input cell) on every form
    uji = wb.create_sheet(SHEET_UJI)
    cc = formulas.cells_for(spec, lay)
    ikus = {i.kode: i for i in spec.semua_iku()}
    for n, (ref, (f, role)) in enumerate(typed_cells().items(), 1):
        if role == "anggaran":
            continue
        sheet, cell = ref.split("!")
        row = int("".join(ch for ch in cell if ch.isdigit()))
        kode = next(k for k, r in lay.iku_rows.items() if r == row and k[0] == role[0].upper())
        fname = "target" if role == "target" else (
            "realisasi_tw2" if f.kind == "kategori" else "realisasi_tw1")
        uji[f"A{n}"] = ref
        uji[f"B{n}"] = "=" + formulas.nilai_isian(ikus[kode], fname, f"{sheet}!{cell}", cc)
    wb.save(path)
    wb.close()


@pytest.fixture(scope="module")
def filled(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("bentuk")
    path = generate(spec_from_data(spec_data(), "bentuk.yaml"), folder / "bentuk.xlsx")
    fill(path)
    return path


@pytest.fixture(scope="module")
def read_back(filled):
    """(spec read from the cells, engine result, findings by cell) via openpyxl."""
    with OpenpyxlBook(filled) as book:
        bacaan = read_workbook(book, str(filled))
    hasil = hitung(bacaan.spec)
    return bacaan, hasil


def _value_read(spec, ref: str, role: str) -> Any:
    lay = layout_for(spec)
    sheet, cell = ref.split("!")
    row = int("".join(ch for ch in cell if ch.isdigit()))
    if role == "anggaran":
        line = next(x for x in spec.anggaran if lay.line_rows[x.key] == row)
        return line.realisasi_tw[0]
    iku = next(x for x in spec.semua_iku() if lay.iku_rows[x.kode] == row)
    if role == "target":
        return iku.target
    q = 2 if iku.jenis == "kategori" else 1
    return iku.realisasi_tw[q - 1]


def _same_meaning(got: Any, want: Any) -> bool:
    if want is None or isinstance(want, str):
        return got == want
    return isinstance(got, float) and abs(got - want) < 1e-9


CASES = [pytest.param(ref, f, role, id=f"{role}-{f.nama}")
         for ref, (f, role) in typed_cells().items()]


def test_every_form_of_every_kind_is_listed():
    names = {f.nama for f in FORMS}
    for kind in ("angka", "hitungan", "persen", "kategori", "uang"):
        for form in ("kosong", "strip", "teks_ribuan", "teks_ambigu", "teks_persen",
                     "teks_rupiah", "angka_label", "error_na", "error_div0", "tanggal",
                     "logika"):
            assert f"{kind}-{form}" in names
    assert {"hitungan-pecahan", "persen-persen", "persen-persen_libreoffice",
            "kategori-label", "kategori-angka_rentang"} <= names


@pytest.mark.parametrize(("ref", "form", "role"), CASES)
def test_engine_reads_form(read_back, ref, form, role):
    """The engine's verdict on each form: the value it reads and its error at the cell."""
    bacaan, hasil = read_back
    assert _same_meaning(_value_read(bacaan.spec, ref, role), form.arti), ref
    errors = {f.jenis for f in hasil.temuan.errors if f.lokasi == ref}
    if role == "target":
        errors.discard("target_kosong")  # the engine's word on any target not read
    if form.temuan is None:
        assert errors == set(), ref
    else:
        assert form.temuan in errors, (ref, errors)


# --------------------------------------------------------------------------- recalculation


def _compare(values: dict[str, dict[str, Any]], read_back) -> list[tuple]:
    bacaan, hasil = read_back
    return mismatches(values, expected_cells(bacaan.spec, hasil, bacaan.layout))


def _recalculated_checks(values: dict[str, dict[str, Any]], read_back) -> None:
    assert _compare(values, read_back) == []
    # not vacuous: the forms did reach the formulas, as numbers or as "not a number"
    bacaan, _ = read_back
    lay, rc = bacaan.layout, REALISASI_COLS
    real = values[SHEET_REALISASI]
    by_name = {f.nama: i for i, f in enumerate(IKU_FORMS)}

    def realisasi_sd(prefix: str, nama: str) -> Any:
        return real[f"{rc['realisasi_sd']}{lay.iku_rows[prefix + '-' + str(by_name[nama])]}"]

    assert realisasi_sd("R", "persen-persen") == pytest.approx(32.0)  # (54 % + 10 %) / 2
    assert realisasi_sd("R", "persen-teks_persen") == pytest.approx(10.0)  # text: not read
    assert realisasi_sd("R", "hitungan-pecahan") == pytest.approx(11.47)
    assert realisasi_sd("R", "angka-error_na") == pytest.approx(10.0)  # #N/A does not spread
    assert realisasi_sd("R", "kategori-angka_label") == "Belum WBK"
    assert realisasi_sd("R", "kategori-label_huruf_kecil") == "WBK"
    def target(nama: str) -> Any:
        return real[f"{rc['target']}{lay.iku_rows['T-' + str(by_name[nama])]}"]

    assert target("persen-persen") == pytest.approx(54.0)  # 0.54 in a percentage cell
    assert target("angka-teks_ribuan") == ""  # "6.419" as text: not a number
    # formulas.nilai_isian shows each form's meaning, "" where it is not a number
    uji = values[SHEET_UJI]
    forms = typed_cells()
    shown = 0
    for a, ref in ((k, v) for k, v in uji.items() if k.startswith("A")):
        form, _ = forms[ref]
        got = uji.get("B" + a[1:])
        if isinstance(got, dt.datetime):  # the result took the date cell's format
            got = dari_tanggal(got)
        want = form.arti
        if want is None:
            assert got == "", (ref, got)
        elif isinstance(want, str):
            assert got == want, (ref, got)
        else:
            assert got == pytest.approx(want), (ref, got)
        shown += 1
    assert shown == 2 * len(IKU_FORMS)


# --------------------------------------------------------------------------- older workbooks


def older_workbook(folder: Path) -> Path:
    """A workbook as generated before this rule: percentages stored as plain numbers (54)
    and no ``persen`` in the layout recorded in _meta (made here from today's Jawa Tengah
    workbook: the metadata key removed, percentage cells turned back into plain numbers;
    its formulas then differ from what the generator writes today, as older ones do)."""
    spec = load_spec(JATENG)
    path = generate(spec, folder / "lama.xlsx")
    wb = openpyxl.load_workbook(path)
    meta = wb[SHEET_META]
    rows = [r for r in range(1, meta.max_row + 1) if meta[f"A{r}"].value == "layout"]
    layout = json.loads("".join(meta[f"B{r}"].value for r in rows))
    del layout["persen"]
    text = json.dumps(layout, ensure_ascii=False, sort_keys=True)
    assert len(rows) == 1 and len(text) < 30000
    meta[f"B{rows[0]}"] = text
    for ws in (wb[SHEET_TARGET], wb[SHEET_REALISASI]):
        for row in ws.iter_rows():
            for cell in row:
                if cell.number_format == "0.00%" and isinstance(cell.value, (int, float)):
                    cell.value = cell.value * 100
                    cell.number_format = "#,##0.00"
    wb.save(path)
    wb.close()
    return path


@pytest.fixture(scope="module")
def upgraded(tmp_path_factory):
    """The older workbook after one Hitung Capaian run (openpyxl): (path, routine result)."""
    folder = tmp_path_factory.mktemp("lama")
    path = older_workbook(folder)
    with OpenpyxlBook(path) as book:
        result = hitung_capaian(book, str(path))
        out = book.save(folder / "lama-hasil.xlsx")
    return out, result


def test_older_workbook_reads_plain_percentages(upgraded):
    """Older workbooks keep their plain 54: read as 54 %, the same capaian as the spec."""
    _, result = upgraded
    from_spec = hitung(load_spec(JATENG))
    got = {h.kode: h.capaian for h in result.hasil.iku}
    assert got == {h.kode: h.capaian for h in from_spec.iku}
    assert got["IKU-6"] == 97.8  # satuan %, realisasi 97,80 kept as the plain number


def test_older_workbook_formulas_brought_up_to_date_quietly(upgraded):
    _, result = upgraded
    kinds = [f.jenis for f in result.temuan]
    assert "rumus_dipulihkan" not in kinds
    notes = [f for f in result.temuan if f.jenis == "rumus_diperbarui"]
    # the percentage IKUs' formulas (x*100 today) are rewritten for plain numbers
    assert {f.lokasi for f in notes} == {SHEET_REALISASI}
    assert all("isian tidak berubah" in f.pesan for f in notes)


@pytest.fixture(scope="module")
def recalculated(filled, upgraded, tmp_path_factory) -> dict[Path, dict[str, Any]]:
    """The forms workbook and the upgraded older one, in ONE soffice call."""
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    paths = [filled, upgraded[0]]
    outputs = lo.recalculate(paths, tmp_path_factory.mktemp("recalc"))
    return {p: lo.read_values(outputs[p]) for p in paths}


@pytest.mark.libreoffice
@pytest.mark.skipif(SOFFICE is None and not IN_CI, reason="LibreOffice (soffice) is not "
                    "installed: apt-get install -y libreoffice-calc-nogui")
def test_libreoffice_formulas_follow_the_same_rule(recalculated, filled, read_back):
    _recalculated_checks(recalculated[filled], read_back)


@pytest.mark.libreoffice
@pytest.mark.skipif(SOFFICE is None and not IN_CI, reason="LibreOffice (soffice) is not "
                    "installed: apt-get install -y libreoffice-calc-nogui")
def test_libreoffice_upgraded_older_workbook_equals_engine(recalculated, upgraded):
    path, result = upgraded
    bacaan = result.bacaan
    expected = expected_cells(bacaan.spec, result.hasil, bacaan.layout)
    assert mismatches(recalculated[path], expected) == []
    lay, rc = bacaan.layout, REALISASI_COLS
    assert recalculated[path][SHEET_REALISASI][f"{rc['capaian']}{lay.iku_rows['IKU-6']}"] == \
        pytest.approx(97.8)


@pytest.mark.skipif(SSCONVERT is None, reason="Gnumeric (ssconvert) is not installed")
def test_gnumeric_formulas_follow_the_same_rule(filled, read_back, tmp_path):
    out = tmp_path / "gnumeric.xlsx"
    subprocess.run([SSCONVERT, "--recalc", str(filled), str(out)], check=True,
                   capture_output=True, timeout=300)
    _recalculated_checks(lo.read_values(out), read_back)


def test_fast_reader_reads_forms_like_openpyxl(filled, read_back):
    """The consolidation's reader (calamine) goes through the same rule and reads the same
    values, except one thing its source hands over differently: error values come as
    empty cells (so: the same "not a number", but without the nilai_error finding)."""
    bacaan, hasil = read_back
    fast = read_workbook(CalamineSource(filled.read_bytes()), str(filled))
    differs = {ref for ref, (f, _) in typed_cells().items()
               if f.nama.endswith(("error_na", "error_div0"))}
    for ref, (form, role) in typed_cells().items():
        if form.nama.endswith("tanggal"):
            continue
        assert _value_read(fast.spec, ref, role) == _value_read(bacaan.spec, ref, role), ref

    def errors(h) -> set[tuple[str, str]]:
        return {(f.lokasi, f.jenis) for f in h.temuan.errors if f.lokasi not in differs}

    assert errors(hitung(fast.spec)) == errors(hasil)
    assert len(errors(hasil)) > 50  # the comparison is not vacuous


@pytest.mark.libreoffice
@pytest.mark.skipif(SOFFICE is None and not IN_CI, reason="LibreOffice (soffice) is not "
                    "installed: apt-get install -y libreoffice-calc-nogui")
def test_summary_sheets_follow_the_same_rule(recalculated, filled, read_back):
    """Every form, typed into target, realisasi and budget cells, reaches the live summary
    sheets as the engine reads it: after LibreOffice recalculated the forms workbook every
    number on Ringkasan, Pengukuran, Capaian/Realisasi Anggaran and Grafik equals the
    engine's (a bad form is 'not a number' on both sides, down to the means). Catatan
    Validasi is text and check sums, compared elsewhere."""
    from workbook_gen.layout import SHEET_CATATAN
    from workbook_gen.summary import build_summary

    from .test_summary_live_libreoffice import live_cells, same

    bacaan, hasil = read_back
    expected = {k: v for k, v in live_cells(build_summary(hasil, layout=bacaan.layout)).items()
                if k[0] != SHEET_CATATAN}
    values = recalculated[filled]
    bad = [(s, a, values.get(s, {}).get(a), v) for (s, a), v in sorted(expected.items())
           if not same(values.get(s, {}).get(a), v)]
    assert len(expected) > 300
    assert bad == []
