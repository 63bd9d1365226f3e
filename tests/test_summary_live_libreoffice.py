"""Differential test: the live summary formulas against the engine.

Hypothesis generates fillings of generated workbooks: every agregasi, polaritas (both
minimal formulas), penurunan (case counts, and percentages with either penurunan_negatif),
rasio (pairs "x/y", one side only, y = 0), kategori with and without bands, weights, the cap,
truncation and 1 or 2 decimals, blanks ignored or counted as 0, revised and TW targets,
quarters not measured, blank and "-" cells, budget lines with and without pagu revisi,
declared totals, earlier years, scores on a banded scale compared by number or by
category (``capaian_skor``), IKUs and budget lines with a penanggung jawab. Each filling
becomes one workbook whose summary formulas carry a poisoned cached value (so nothing
passes unless LibreOffice really recalculated); the workbooks are recalculated in
batches (one soffice run per 80 files, two runs at once), and every live cell of every
summary sheet is compared with the engine's value (to 0.01; texts exactly).

``WBG_FILLINGS`` sets the number of fillings (default 200, about 4 minutes on the shared
2-core machine; 500 took 11.5 minutes there under load 10); ``WBG_LO_BATCH`` files per
soffice run (80) and ``WBG_LO_PROSES`` runs at once (2). The input forms of a cell
come from :func:`value_forms`, the one place to add more (text numbers, "54%", ...).
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from workbook_gen.engine import hitung
from workbook_gen.generate import build_workbook, spec_in_cells
from workbook_gen.layout import layout_for
from workbook_gen.sheets import summary_xlsx
from workbook_gen.spec import spec_from_data
from workbook_gen.summary import build_summary

try:
    from tests.support import libreoffice as lo
except ImportError:  # pragma: no cover - "prepend" import mode
    from support import libreoffice as lo  # type: ignore[no-redef]

pytestmark = pytest.mark.libreoffice

FILLINGS = int(os.environ.get("WBG_FILLINGS", "200"))
POISON = -987654.321
TOLERANCE = 0.01 + 1e-9
PERIODE = ["TW I", "TW II", "TW III", "TW IV"]

NKA = [{"label": "Sangat Kurang"}, {"label": "Kurang", "minimal": 50},
       {"label": "Cukup", "minimal": 60}, {"label": "Baik", "minimal": 80},
       {"label": "Sangat Baik", "minimal": 90}]
ZI = [{"label": "Belum WBK"}, {"label": "WBK"}, {"label": "WBBM"}]
SCALES = {"nka": NKA, "zi": ZI}


# --------------------------------------------------------------------------- forms


def value_forms(kind: str) -> st.SearchStrategy[Any]:
    """Every form a person may put in a number cell of this kind ('angka', 'persen',
    'rupiah', 'nka', 'zi'), as the cell's value. Add new forms here: a form both sides
    must read alike (or both refuse) joins the differential test everywhere at once."""
    blank = st.sampled_from([None, "-"])
    if kind in SCALES:
        labels = [t["label"] for t in SCALES[kind]]
        forms = [st.sampled_from(labels), st.sampled_from([x.upper() for x in labels])]
        if kind == "nka":
            forms.append(st.integers(0, 10000).map(lambda x: x / 100))
        return st.one_of(blank, *forms)
    if kind == "rupiah":
        return st.one_of(blank, st.integers(0, 5_000_000_000), st.just(0))
    if kind == "skor":
        return st.one_of(blank, st.integers(0, 10000).map(lambda x: x / 100))
    top = 120 if kind == "persen" else 5000
    return st.one_of(blank, st.integers(0, top), st.integers(0, top * 100).map(lambda x: x / 100))


def pair_forms() -> st.SearchStrategy[Any]:
    """A rasio IKU's quarter as a spec gives it: "x/y" (y may be 0, x above y), one side
    only ("x/", "/y"), blank or "-"."""
    return st.one_of(
        st.sampled_from([None, "-"]),
        st.tuples(st.integers(0, 300), st.integers(0, 900)).map(lambda t: f"{t[0]}/{t[1]}"),
        st.integers(0, 50).map(lambda x: f"{x}/"), st.integers(1, 50).map(lambda y: f"/{y}"))


def _positive(kind: str) -> st.SearchStrategy[Any]:
    if kind in SCALES:
        return value_forms(kind)
    return st.one_of(st.integers(1, 500), st.integers(1, 50000).map(lambda x: x / 100),
                     st.sampled_from([None, 0]))


# --------------------------------------------------------------------------- fillings


@st.composite
def iku(draw, kode: str) -> dict[str, Any]:
    kind = draw(st.sampled_from(["angka", "angka", "persen", "penurunan", "nka", "zi",
                                 "skor", "rasio", "penurunan_persen"]))
    d: dict[str, Any] = {"kode": kode, "nama": f"Indikator {kode}", "satuan": "Orang"}
    cell = "angka"
    if kind == "skor":  # a score on a banded scale: capaian by number or by category
        nilai = draw(st.booleans())
        d.update(satuan="Nilai", skala="nka", capaian_skor="nilai" if nilai else "kategori")
        if nilai:
            d["jenis"] = "kategori"  # typed as scores (numbers) only: score / target
        cell = "skor"
    if kind in ("rasio", "penurunan_persen"):
        d.update(satuan="%", rumus=kind)
        cell = "persen"
        if kind == "penurunan_persen" and draw(st.integers(0, 3)) == 0:
            d["penurunan_negatif"] = draw(st.sampled_from(["nol", "apa_adanya"]))
    elif kind == "persen":
        d["satuan"], cell = "%", "persen"
    elif kind == "penurunan":
        d.update(satuan="%", rumus="penurunan",
                 baseline=draw(st.integers(1, 300)))
        cell = "angka"
    elif kind in SCALES:
        d.update(satuan="Predikat", jenis="kategori", skala=kind)
        cell = kind
    if kind == "rasio":
        pass  # the year is Σ pembilang / Σ penyebut: no agregasi
    elif kind not in SCALES and d.get("jenis") != "kategori":
        d["agregasi"] = draw(st.sampled_from(["kumulatif", "akhir", "rata_rata"]))
    else:
        d["agregasi"] = "akhir"
    if draw(st.integers(0, 2)) == 0:
        d["penanggung_jawab"] = draw(st.sampled_from(["Seksi A", "seksi a", "Subbag TU"]))
    d["polaritas"] = draw(st.sampled_from(["maksimal", "maksimal", "minimal"]))
    if d["polaritas"] == "minimal" and draw(st.booleans()):
        d["rumus_minimal"] = draw(st.sampled_from(["2t_kurang_r", "t_bagi_r"]))
    d["target"] = draw(_positive(cell))
    if draw(st.booleans()):
        d["target_revisi"] = draw(_positive(cell))
    if draw(st.booleans()):
        d["target_tw"] = draw(st.lists(value_forms(cell), min_size=4, max_size=4))
    if draw(st.integers(0, 3)) == 0:
        d["diukur_pada"] = draw(st.lists(st.sampled_from(PERIODE), min_size=1, max_size=3,
                                         unique=True))
    if draw(st.booleans()):
        d["bobot"] = draw(st.sampled_from([0.5, 2, 3]))
    forms = {"rasio": pair_forms(), "penurunan_persen": st.one_of(
        value_forms(cell), st.integers(-20000, 0).map(lambda x: x / 100))}
    d["realisasi_tw"] = draw(st.lists(forms.get(kind, value_forms(cell)), min_size=4,
                                      max_size=4))
    if draw(st.integers(0, 3)) == 0:  # a verified annual figure (used from TW IV)
        d["realisasi_tahunan"] = draw(value_forms(cell))
    if kind in ("angka", "persen") and draw(st.integers(0, 4)) == 0:
        d["riwayat"] = [{"tahun": 2024, "target": draw(st.integers(1, 100)),
                         "realisasi": draw(st.integers(0, 120))}]
    return d


@st.composite
def filling(draw) -> dict[str, Any]:
    pengaturan: dict[str, Any] = {
        "pembulatan": draw(st.sampled_from(["setengah_ke_atas", "potong"])),
        "desimal": draw(st.sampled_from([2, 2, 1])),
        "kosong_dalam_rata_rata": draw(st.sampled_from(["nol", "abaikan"])),
        "rumus_minimal": draw(st.sampled_from(["2t_kurang_r", "t_bagi_r"])),
    }
    if draw(st.booleans()):
        pengaturan["batas_capaian"] = draw(st.sampled_from([100, 120, 150]))
    if draw(st.integers(0, 2)) == 0:
        pengaturan["target_utama"] = draw(st.sampled_from(["revisi", "pk"]))
    if draw(st.integers(0, 2)) == 0:
        pengaturan["penurunan_negatif"] = "nol"
    if draw(st.integers(0, 3)) == 0:
        pengaturan["kategori"] = [
            {"nama": "Istimewa", "minimal": 120, "warna": "#2F75B5"},
            {"nama": "Memadai", "minimal": 90, "lebih_dari": True, "warna": "#A9D08E"},
            {"nama": "Rendah", "minimal": None, "warna": "#F4B084"}]
    n_sasaran = draw(st.integers(1, 3))
    sasaran, k = [], 0
    for s in range(n_sasaran):
        ikus = []
        for _ in range(draw(st.integers(1, 3))):
            k += 1
            ikus.append(draw(iku(f"IKU-{k}")))
        sasaran.append({"kode": f"S{s + 1}", "nama": f"Sasaran {s + 1}", "iku": ikus})
    kegiatan = []
    for g in range(draw(st.integers(1, 2))):
        komponen = []
        for c in range(draw(st.integers(1, 3))):
            line: dict[str, Any] = {
                "kode": f"0{c + 1}", "nama": f"Komponen {g + 1}.{c + 1}",
                "sasaran": f"S{draw(st.integers(1, n_sasaran))}",
                "pagu_awal": draw(st.integers(0, 3_000_000_000)),
                "realisasi_tw": draw(st.lists(value_forms("rupiah"), min_size=4,
                                              max_size=4))}
            if draw(st.booleans()):
                line["pagu_revisi"] = draw(st.integers(0, 3_000_000_000))
                if draw(st.integers(0, 3)) == 0:
                    line["pagu_awal"] = None  # unknown pagu awal (issue 10 point 6)
            if n_sasaran > 1 and draw(st.integers(0, 3)) == 0:
                line["sasaran"] = ["S1", f"S{n_sasaran}"]  # one line, several sasaran
            if draw(st.integers(0, 3)) == 0:
                line["realisasi_tahunan"] = draw(st.integers(0, 3_000_000_000))
            if draw(st.integers(0, 2)) == 0:
                line["penanggung_jawab"] = draw(st.sampled_from(["Seksi A", "Seksi B"]))
            jenis = draw(st.sampled_from(["51", "52", "53", "akun", None]))
            if jenis == "akun":
                line["akun"] = "521211"
            elif jenis:
                line["jenis_belanja"] = jenis
            komponen.append(line)
        keg: dict[str, Any] = {"kode": f"K{g + 1}", "nama": f"Kegiatan {g + 1}",
                               "komponen": komponen}
        if len(komponen) == 1 and draw(st.booleans()):  # the kegiatan is the line itself
            keg.update({k: v for k, v in komponen[0].items() if k not in ("kode", "nama")})
            del keg["komponen"]
        kegiatan.append(keg)
    anggaran: dict[str, Any] = {"kegiatan": kegiatan}
    if draw(st.integers(0, 3)) == 0:
        anggaran["total"] = {k: draw(st.integers(1, 9_000_000_000))
                             for k in draw(st.lists(st.sampled_from(["pagu_awal",
                                                                      "pagu_revisi"]),
                                                    min_size=1, max_size=2, unique=True))}
    return {
        "versi_spec": 1,
        "unit": {"nama": "BP3MI Uji", "kode_satker": "100009"},
        "tahun": 2026,
        "periode": draw(st.sampled_from(PERIODE)),
        "pengaturan": pengaturan,
        "skala": {"nka": NKA, "zi": ZI},
        "sasaran": sasaran,
        "anggaran": anggaran,
    }


def collect(n: int) -> list[dict[str, Any]]:
    """n fillings drawn by hypothesis (fixed seed: the same set on every run)."""
    out: list[dict[str, Any]] = []

    @seed(20261130)
    @settings(max_examples=n, database=None, deadline=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(filling())
    def draw_all(data: dict[str, Any]) -> None:
        # every periode equally often, whatever the draw favours (annual figures count
        # from TW IV only: test_fillings_cover_the_rules wants them at TW IV and TW I)
        data["periode"] = PERIODE[len(out) % len(PERIODE)]
        out.append(data)

    draw_all()
    return out


# --------------------------------------------------------------------------- expected


def live_cells(contents) -> dict[tuple[str, str], Any]:
    """(sheet, A1) -> engine value of every live cell of the summary sheets (table cells,
    cells outside the tables, and the titles and headers that follow the periode)."""
    from xlsxwriter.utility import xl_rowcol_to_cell

    from workbook_gen.summary.render import formula_cells

    return {(content.name, xl_rowcol_to_cell(r - 1, c - 1)): v
            for content in contents for (r, c), v in formula_cells(content).items()}


def summary_values(path: Path, expected: dict[tuple[str, str], Any]
                   ) -> dict[str, dict[str, Any]]:
    """The recalculated values of the summary sheets (one read-only pass; a formula whose
    result is "" reads as None, which ``same`` accepts for "")."""
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        out: dict[str, dict[str, Any]] = {}
        for sheet in sorted({s for s, _ in expected}):
            cells: dict[str, Any] = {}
            for row in wb[sheet].iter_rows():
                for c in row:
                    if getattr(c, "value", None) is not None:
                        cells[c.coordinate] = c.value
            out[sheet] = cells
        return out
    finally:
        wb.close()


def recalculate_parallel(paths: list[Path], out: Path) -> dict[Path, Path]:
    """The batch in chunks of ``WBG_LO_BATCH`` files (default 80; one soffice run each,
    a long run was seen to stop half-way on a loaded machine), ``WBG_LO_PROSES`` runs at
    once (default 2: one per core); each run has its own throw-away profile."""
    from concurrent.futures import ThreadPoolExecutor

    k = max(1, int(os.environ.get("WBG_LO_PROSES", "2")))
    size = max(1, int(os.environ.get("WBG_LO_BATCH", "80")))
    chunks = [paths[i:i + size] for i in range(0, len(paths), size)]
    merged: dict[Path, Path] = {}
    with ThreadPoolExecutor(k) as pool:
        for result in pool.map(lambda ix: lo.recalculate(ix[1], out / f"bagian{ix[0]}",
                                                         timeout=120 + 4 * len(ix[1])),
                               enumerate(chunks)):
            merged.update(result)
    return merged


def same(got: Any, expected: Any) -> bool:
    if expected in (None, ""):
        return got in (None, "")
    if isinstance(expected, (int, float)) and not isinstance(expected, bool):
        return isinstance(got, (int, float)) and abs(got - expected) <= TOLERANCE
    return got == expected


@pytest.fixture(scope="module")
def compared(tmp_path_factory, monkeypatch_module):
    if lo.find_soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    started = time.perf_counter()
    fillings = collect(FILLINGS)
    folder = tmp_path_factory.mktemp("isian")
    original = summary_xlsx.formula_cells

    def poisoned(content):
        return {cell: POISON for cell in original(content)}

    monkeypatch_module.setattr(summary_xlsx, "formula_cells", poisoned)
    cases = []
    for i, data in enumerate(fillings):
        spec = spec_from_data(data, f"isian{i}.yaml")
        layout = layout_for(spec)
        contents = build_summary(hitung(spec_in_cells(spec, layout)), layout=layout)
        path = folder / f"isian{i:04d}.xlsx"
        path.write_bytes(build_workbook(spec, macro=False))
        cases.append((path, live_cells(contents), data))
    generated = time.perf_counter()
    outputs = recalculate_parallel([c[0] for c in cases], tmp_path_factory.mktemp("hitung"))
    recalculated = time.perf_counter()
    results = []
    for path, expected, data in cases:
        results.append((path, expected, summary_values(outputs[path], expected), data))
    done = time.perf_counter()
    print(f"\n{len(cases)} isian, {sum(len(c[1]) for c in cases)} sel dibandingkan; "
          f"buat {generated - started:.1f} s, LibreOffice {recalculated - generated:.1f} s, "
          f"baca {done - recalculated:.1f} s")
    return results


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


def test_enough_fillings_and_cells(compared):
    assert len(compared) >= min(FILLINGS, 500) * 0.95
    assert sum(len(c[1]) for c in compared) > 40 * len(compared)


def test_every_summary_number_equals_the_engine(compared):
    """Every number within 0.01; the check sums of Catatan Validasi (sums of thousands
    of rounded figures) within their own relative tolerance (summary.checksum)."""
    from workbook_gen.layout import SHEET_CATATAN, col_letter
    from workbook_gen.summary import checksum

    sums = f"{col_letter(checksum.CHECK_COLUMN + 2)}"
    bad = []
    for path, expected, values, _data in compared:
        for (sheet, a1), want in expected.items():
            got = values.get(sheet, {}).get(a1)
            if (sheet == SHEET_CATATAN and a1.rstrip("0123456789") == sums
                    and isinstance(got, float)):
                if abs(got - want) <= checksum.TOLERANCE * max(1.0, abs(want)):
                    continue
            if not same(got, want):
                bad.append(f"{path.name} {sheet}!{a1}: LibreOffice {got!r}, engine {want!r}")
    assert not bad, f"{len(bad)} beda, misalnya:\n" + "\n".join(bad[:25])


def test_recalculation_really_happened(compared):
    assert not any(v == POISON for _, _, values, _ in compared
                   for sheet in values.values() for v in sheet.values())


def test_fillings_cover_the_rules(compared):
    if len(compared) < 100:
        pytest.skip("WBG_FILLINGS < 100: too few fillings to cover every rule")
    seen: set[str] = set()
    for *_, data in compared:
        p = data["pengaturan"]
        seen |= {p["pembulatan"], p["kosong_dalam_rata_rata"], f"desimal{p['desimal']}"}
        if "batas_capaian" in p:
            seen.add("batas")
        if "total" in data["anggaran"]:
            seen.add("total")
        seen |= {"utama_revisi"} if p.get("target_utama") == "revisi" else set()
        if p.get("penurunan_negatif") == "nol":
            seen.add("negatif_nol")
        for k in data["anggaran"]["kegiatan"]:
            for line in k.get("komponen") or [k]:
                seen |= {"tanpa_komponen"} if "komponen" not in k else set()
                seen |= {"pagu_awal_null"} if line["pagu_awal"] is None else set()
                seen |= {"sasaran_daftar"} if isinstance(line["sasaran"], list) else set()
                seen |= {"tahunan"} if "realisasi_tahunan" in line else set()
        for s in data["sasaran"]:
            for i in s["iku"]:
                seen |= {i.get("agregasi", ""), i["polaritas"], i.get("rumus", "langsung"),
                         i.get("skala", "tanpa_skala"), i.get("rumus_minimal", "-")}
                seen |= {"revisi"} if "target_revisi" in i else set()
                seen |= {"tw"} if "target_tw" in i else set()
                seen |= {"diukur_pada"} if "diukur_pada" in i else set()
                seen |= {"bobot"} if "bobot" in i else set()
                seen |= {"strip"} if "-" in i["realisasi_tw"] else set()
                seen |= {"riwayat"} if "riwayat" in i else set()
                seen |= {f"skor_{i['capaian_skor']}"} if "capaian_skor" in i else set()
                seen |= {"penanggung_jawab"} if "penanggung_jawab" in i else set()
                seen |= {f"tahunan_{data['periode']}"} if i.get("realisasi_tahunan") not in (
                    None, "-") else set()
    wanted = {"potong", "setengah_ke_atas", "nol", "abaikan", "desimal1", "desimal2", "batas",
              "total", "kumulatif", "akhir", "rata_rata", "maksimal", "minimal", "penurunan",
              "nka", "zi", "t_bagi_r", "2t_kurang_r", "revisi", "tw", "diukur_pada", "bobot",
              "strip", "riwayat", "skor_nilai", "skor_kategori", "penanggung_jawab",
              "utama_revisi", "tahunan_TW IV", "tahunan_TW I", "rasio", "penurunan_persen",
              "negatif_nol", "tanpa_komponen", "pagu_awal_null", "sasaran_daftar", "tahunan"}
    assert wanted <= seen, wanted - seen


def test_catatan_says_when_inputs_changed_after_the_check(tmp_path):
    """Banten checked for TW I; then TW II realisasi typed (Realisasi!F6) in one copy and
    the periode changed in another: Catatan Validasi says so by formula, and the
    summary follows the new input."""
    import openpyxl

    from workbook_gen.generate import generate
    from workbook_gen.layout import REALISASI_COLS, SHEET_CATATAN, SHEET_RINGKASAN
    from workbook_gen.spec import load_spec

    from .conftest import BANTEN

    if lo.find_soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    base = generate(load_spec(BANTEN), tmp_path / "banten.xlsx")
    paths = {}
    tw2 = ("Realisasi", f"{REALISASI_COLS['realisasi_tw2']}6")
    periode = ("Identitas", "B10")
    for name, cells in {"sama": {}, "tw2": {tw2: 30}, "periode": {periode: "TW II"},
                        "keduanya": {periode: "TW II", tw2: 30}}.items():
        wb = openpyxl.load_workbook(base)
        for (sheet, a1), v in cells.items():
            wb[sheet][a1] = v
        paths[name] = tmp_path / f"{name}.xlsx"
        wb.save(paths[name])
    # Jawa Tengah typed by hand (numbers stored as text included), then checked by hitung
    from workbook_gen.cli import main

    from .conftest import JATENG
    from .workbooks import cleared, fill, load_data, make_workbook, realisasi_cells

    data = load_data(JATENG)
    filled = make_workbook(cleared(data), tmp_path / "jateng.xlsm")
    fill(filled, realisasi_cells(data))
    paths["jateng_hitung"] = tmp_path / "jateng_hitung.xlsm"
    assert main(["hitung", str(filled), "-o", str(paths["jateng_hitung"])]) in (0, 1)
    out = lo.recalculate(list(paths.values()), tmp_path / "hitung")
    status = {k: summary_values(out[p], {(SHEET_CATATAN, "A2"): 0})[SHEET_CATATAN]["A2"]
              for k, p in paths.items()}
    assert status["sama"].startswith("Catatan ini sesuai dengan isian sekarang")
    assert status["jateng_hitung"].startswith("Catatan ini sesuai dengan isian sekarang")
    for k in ("tw2", "periode", "keduanya"):
        assert status[k].startswith("Catatan ini diperiksa untuk TW I; isian sudah berubah")
    def ringkasan(k):
        return summary_values(out[paths[k]], {(SHEET_RINGKASAN, "A1"): 0})[SHEET_RINGKASAN]

    assert ringkasan("tw2").get("G7") in (None, "")  # still TW I: TW II not shown yet
    assert ringkasan("periode").get("G7") in (None, "")  # TW II, nothing typed
    both = ringkasan("keduanya")
    assert both["G7"] == 30 and both["F7"] == 10  # IKU-1: 10 in TW I, 30 in TW II
    assert (both["J7"], both["K7"]) == (40, 50)  # kumulatif 40 of target 80: 50 %
