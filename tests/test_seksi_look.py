"""The Capaian per Penanggung Jawab sheet (and the labelled targets) look the same
whether the generator or ``workbook-gen hitung`` drew them (one renderer)."""

from __future__ import annotations

import copy

import yaml

from workbook_gen.cli import main
from workbook_gen.layout import SHEET_SEKSI

from . import test_summary_look as summary_look
from .test_penutup import PENUTUP
from .test_seksi_libreoffice import spec_data


def test_seksi_sheet_looks_the_same_after_hitung(tmp_path):
    data = spec_data()
    data["penutup"] = copy.deepcopy(PENUTUP)
    spec = tmp_path / "seksi.yaml"
    spec.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    gen, hit = tmp_path / "buat.xlsm", tmp_path / "hitung.xlsm"
    assert main(["buat", str(spec), "-o", str(gen)]) == 0
    assert main(["hitung", str(gen), "-o", str(hit)]) in (0, 1)
    assert SHEET_SEKSI in summary_look.look(gen)
    summary_look.test_same_fonts_fills_wraps_widths_heights((gen, hit))


def test_gnumeric_agrees_on_the_seksi_sheet_and_labelled_numbers(tmp_path):
    """A second engine: Gnumeric recalculates every summary cell of a workbook with
    sections, capaian_skor both ways and labelled numbers, as the engine computes."""
    import pytest

    from . import test_summary_gnumeric as gnumeric

    if gnumeric.SSCONVERT is None:
        pytest.skip("Gnumeric (ssconvert) is not installed")
    spec = tmp_path / "seksi.yaml"
    spec.write_text(yaml.safe_dump(spec_data(), allow_unicode=True), encoding="utf-8")
    gnumeric.test_gnumeric_agrees_with_the_engine_on_every_summary_cell(spec, tmp_path)
