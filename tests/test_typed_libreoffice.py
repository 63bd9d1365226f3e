"""Typed, not written: forms entered through LibreOffice's own input handler.

tests/support/lo_type.py types text into cells of a generated workbook with LibreOffice
(``.uno:EnterString``, under an Indonesian and an English locale), as a person at the
keyboard would, and saves it. The engine must read what LibreOffice stored with the rule
of docs/rules.md ("Bentuk isian di sel angka"), and LibreOffice's own recalculated
formula cells must equal the engine.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from workbook_gen.book import OpenpyxlBook
from workbook_gen.engine import hitung
from workbook_gen.generate import generate
from workbook_gen.layout import REALISASI_COLS, SHEET_REALISASI, layout_for
from workbook_gen.reader import read_workbook
from workbook_gen.spec import spec_from_data

from .conftest import base_spec
from .test_formulas_libreoffice import expected_cells, mismatches

try:
    from tests.support import libreoffice as lo
except ImportError:  # pragma: no cover - "prepend" import mode
    from support import libreoffice as lo  # type: ignore[no-redef]

SYSTEM_PYTHON = "/usr/bin/python3"
SCRIPT = Path(__file__).parent / "support" / "lo_type.py"
SOFFICE = lo.find_soffice()


def _has_uno() -> bool:
    if SOFFICE is None or not os.path.exists(SYSTEM_PYTHON):
        return False
    return subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True,
                          timeout=60).returncode == 0


pytestmark = [pytest.mark.libreoffice,
              pytest.mark.skipif(not _has_uno(), reason="LibreOffice with python3-uno "
                                 "(/usr/bin/python3) is not installed")]

SATUAN = {"P": "%", "C": "Orang", "N": "Nilai"}
#: (locale, IKU, typed text, value read, error finding)
TYPED = [
    ("id-ID", "P1", "54%", 54.0, None),
    ("id-ID", "P2", "54,00 %", 54.0, None),
    ("id-ID", "P3", "54", 5400.0, "persen_terlalu_besar"),  # no automatic percent entry
    ("id-ID", "P4", "97,75%", 97.75, None),
    ("id-ID", "C1", "1.470", 1470.0, None),
    ("id-ID", "C2", "'6.419", None, "angka_sebagai_teks"),  # apostrophe: stored as text
    ("id-ID", "N1", "12,5", 12.5, None),
    # 5 April 2026: LibreOffice keeps the cell's number format, so what it stores is the
    # plain number 46117 and nothing tells it from a typed number (docs/rules.md)
    ("id-ID", "N2", "5/4", 46117.0, None),
    ("en-US", "C3", "1.470", 1.47, "pecahan_di_hitungan"),  # the English reading
    ("en-US", "P5", "54%", 54.0, None),
]


def _data() -> dict[str, Any]:
    ikus = [{"kode": kode, "nama": f"Diketik {kode}", "satuan": SATUAN[kode[0]],
             "agregasi": "akhir", "target": 80} for _, kode, *_ in TYPED]
    data = base_spec(periode="TW I")
    data["sasaran"][0]["iku"] = ikus
    return data


def _type(source: Path, out: Path, locale: str, cells: list[list[str]]) -> None:
    job = out.with_suffix(".json")
    job.write_text(json.dumps({"input": str(source), "output": str(out), "locale": locale,
                               "soffice": SOFFICE, "cells": cells}), encoding="utf-8")
    subprocess.run([SYSTEM_PYTHON, str(SCRIPT), str(job)], check=True, timeout=240,
                   capture_output=True)


@pytest.fixture(scope="module")
def typed(tmp_path_factory) -> dict[str, Path]:
    """One workbook per locale, each with its rows typed in by LibreOffice."""
    folder = tmp_path_factory.mktemp("diketik")
    spec = spec_from_data(_data(), "diketik.yaml")
    source = generate(spec, folder / "kosong.xlsx")
    rows = layout_for(spec).iku_rows
    out: dict[str, Path] = {}
    for locale in sorted({t[0] for t in TYPED}):
        cells = [[SHEET_REALISASI, f"{REALISASI_COLS['realisasi_tw1']}{rows[kode]}", text]
                 for loc, kode, text, *_ in TYPED if loc == locale]
        out[locale] = folder / f"diketik-{locale}.xlsx"
        _type(source, out[locale], locale, cells)
    return out


@pytest.mark.parametrize(("locale", "kode", "text", "arti", "temuan"), TYPED,
                         ids=[f"{t[0]}-{t[1]}-{t[2]}" for t in TYPED])
def test_engine_reads_what_libreoffice_stored(typed, locale, kode, text, arti, temuan):
    path = typed[locale]
    with OpenpyxlBook(path) as book:
        bacaan = read_workbook(book, str(path))
    iku = next(i for i in bacaan.spec.semua_iku() if i.kode == kode)
    got = iku.realisasi_tw[0]
    assert got == pytest.approx(arti) if arti is not None else got is None, (got, arti)
    where = f"{SHEET_REALISASI}!{REALISASI_COLS['realisasi_tw1']}{bacaan.layout.iku_rows[kode]}"
    errors = {f.jenis for f in hitung(bacaan.spec).temuan.errors if f.lokasi == where}
    # a value read right may still be implausible for its IKU (1.470 people against a
    # target of 80; a date serial as a score): those plausibility errors follow from the
    # value, not from how it was typed
    errors -= {"capaian_tidak_wajar", "di_atas_skala"}
    assert errors == ({temuan} if temuan else set())


def test_libreoffice_formulas_equal_engine_after_typing(typed):
    """LibreOffice recalculated while typing; its saved formula values are the engine's."""
    for path in typed.values():
        with OpenpyxlBook(path) as book:
            bacaan = read_workbook(book, str(path))
        hasil = hitung(bacaan.spec)
        values = lo.read_values(path)
        assert mismatches(values, expected_cells(bacaan.spec, hasil, bacaan.layout)) == []


def test_script_leaves_no_soffice_behind(typed):
    own = [p for p in os.listdir("/proc") if p.isdigit()]
    for pid in own:
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        assert b"pipe,name=lotype" not in cmd, pid

