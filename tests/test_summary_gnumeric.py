"""A third spreadsheet program: the bundled examples recalculated by Gnumeric
(``ssconvert --recalc``) show on every summary sheet what the engine computes, kategori
cells included (the scale's labels come back through CHOOSE or INDEX over a list range,
never INDEX over an inline array, which Gnumeric evaluates to #REF!)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from workbook_gen.engine import hitung
from workbook_gen.generate import build_workbook, spec_in_cells
from workbook_gen.layout import SHEET_CATATAN, col_letter, layout_for
from workbook_gen.spec import load_spec
from workbook_gen.summary import build_summary, checksum

from .conftest import BANTEN, JATENG, NTB
from .test_summary_live_libreoffice import live_cells, same, summary_values

SSCONVERT = shutil.which("ssconvert")


@pytest.mark.skipif(SSCONVERT is None, reason="Gnumeric (ssconvert) is not installed")
@pytest.mark.parametrize("spec_path", [BANTEN, JATENG, NTB], ids=["banten", "jateng", "ntb"])
def test_gnumeric_agrees_with_the_engine_on_every_summary_cell(spec_path, tmp_path):
    spec = load_spec(spec_path)
    layout = layout_for(spec)
    contents = build_summary(hitung(spec_in_cells(spec, layout)), layout=layout)
    expected = live_cells(contents)
    source = tmp_path / "contoh.xlsx"
    source.write_bytes(build_workbook(spec, macro=False))
    out = tmp_path / "gnumeric.xlsx"
    subprocess.run([SSCONVERT, "--recalc", str(source), str(out)], check=True,
                   capture_output=True, timeout=300)
    values = summary_values(out, expected)
    sums = col_letter(checksum.CHECK_COLUMN + 2)
    # the text-length check sum (SUMPRODUCT over LEN) is #VALUE! in Gnumeric, which does
    # not evaluate LEN over a range inside SUMPRODUCT; it serves only the button (Excel,
    # LibreOffice: tested), and a wrong check sum only makes the button read the sheet
    lengths = col_letter(checksum.CHECK_COLUMN + 4)
    bad, skipped = [], 0
    for (sheet, a1), want in expected.items():
        got = values.get(sheet, {}).get(a1)
        if sheet == SHEET_CATATAN and a1.rstrip("0123456789") == lengths:
            skipped += 1
            continue
        if sheet == SHEET_CATATAN and a1.rstrip("0123456789") == sums and isinstance(
                got, float) and abs(got - want) <= checksum.TOLERANCE * max(1.0, abs(want)):
            continue
        if not same(got, want):
            bad.append(f"{sheet}!{a1}: Gnumeric {got!r}, engine {want!r}")
    compared = len(expected) - skipped
    print(f"\n{spec_path.name}: {compared - len(bad)}/{compared} sel sama")
    assert not bad, f"{len(bad)} beda:\n" + "\n".join(bad[:25])
    assert len(expected) > 300
