"""Shared helpers: small specs built in code, and the bundled examples."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from workbook_gen.engine import Hasil, hitung
from workbook_gen.spec import Spec, load_spec, spec_from_data

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
BANTEN = TEMPLATES / "bp3mi_banten_2026_tw1.yaml"
JATENG = TEMPLATES / "bp3mi_jawa_tengah_2024.yaml"
NTB = TEMPLATES / "bp3mi_nusa_tenggara_barat_2025.yaml"  # annual override, revisi headline


def base_spec(**over: Any) -> dict[str, Any]:
    """A minimal valid spec mapping: one sasaran, one IKU, one budget line."""
    data: dict[str, Any] = {
        "versi_spec": 1,
        "unit": {"nama": "BP3MI Uji", "kode_satker": "100001"},
        "tahun": 2026,
        "periode": "TW IV",
        "sasaran": [{"kode": "S1", "nama": "Sasaran uji", "iku": [iku()]}],
        "anggaran": {"kegiatan": [{"kode": "K1", "nama": "Kegiatan uji", "komponen": [
            {"kode": "01", "nama": "Komponen uji", "sasaran": "S1", "pagu_awal": 1000,
             "realisasi_tw": [100, 200, 300, 100]}]}]},
    }
    data.update(over)
    return data


def iku(kode: str = "I1", **over: Any) -> dict[str, Any]:
    d: dict[str, Any] = {"kode": kode, "nama": f"IKU {kode}", "satuan": "Orang", "target": 100,
                         "realisasi_tw": [10, 20, 30, 40]}
    d.update(over)
    return d


def spec_with(ikus: list[dict[str, Any]], **over: Any) -> Spec:
    data = base_spec(**over)
    data["sasaran"][0]["iku"] = ikus
    return spec_from_data(copy.deepcopy(data), "uji.yaml")


def run(ikus: list[dict[str, Any]], **over: Any) -> Hasil:
    return hitung(spec_with(ikus, **over))


@pytest.fixture(scope="session")
def banten() -> Hasil:
    return hitung(load_spec(BANTEN))


@pytest.fixture(scope="session")
def jateng() -> Hasil:
    return hitung(load_spec(JATENG))
