"""Central consolidation: statuses, recomputed recap values, safety of inputs, CLI.

A folder of unit workbooks is generated once per session from the bundled Banten spec
with other kode satker and realisasi, plus the bad files a centre receives. Expected
values are computed here from the numbers put in, not taken from the engine.
"""

from __future__ import annotations

import copy
import hashlib
import io
import json
import re
import shutil
import struct
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml

from workbook_gen import konsolidasi as kons
from workbook_gen.cli import main
from workbook_gen.generate import generate
from workbook_gen.konsolidasi import check, source
from workbook_gen.layout import SHEET_META
from workbook_gen.spec import spec_from_data

from .conftest import BANTEN, JATENG

TAHUN = 2026
PAGU_BANTEN = 9_355_124_000.0
TARGET = {"IKU-1": 80.0, "IKU-2": 63.0, "IKU-3": 100.0, "IKU-4": 1470.0}

# kode satker -> TW I realisasi of IKU-1..IKU-4 and of the eight budget lines
UNITS: dict[str, dict[str, Any]] = {
    "900001": {"nama": "BP3MI Uji Satu", "iku": [10, 95.5, 54, 2622],
               "anggaran": [1_000_000, 0, 125_369_500, 443_278_912, 0, 0, 1_807_820_206,
                            19_817_488]},
    "900002": {"nama": "BP3MI Uji Dua", "iku": [40, 63, 25, 1470],
               "anggaran": [5_000_000] * 8},
    "900003": {"nama": "BP3MI Uji Tiga", "iku": [80, 70, 100, 500],
               "anggaran": [31_550_000, 14_139_000, 866_807_000, 1_796_869_000, 23_566_000,
                            49_203_000, 3_000_000_000, 70_433_000]},
    "900004": {"nama": "BP3MI Uji Empat", "iku": [5, 3453, 10, 100],  # 3453: count in a % cell
               "anggaran": [0, 0, 0, 100_000_000, 0, 0, 900_000_000, 0]},
    "900005": {"nama": "BP3MI Uji Lima", "iku": [120, 99, 80, 2000],
               "anggaran": [10_000_000, 10_000_000, 10_000_000, 10_000_000, 10_000_000,
                            10_000_000, 10_000_000, 10_000_000]},
}
DUPLIKAT = "900002"


def _banten_data() -> dict[str, Any]:
    return yaml.safe_load(BANTEN.read_text(encoding="utf-8"))


def unit_data(kode: str, nama: str, iku: list[float], anggaran: list[float]) -> dict[str, Any]:
    data = copy.deepcopy(_banten_data())
    data["unit"]["kode_satker"] = kode
    data["unit"]["nama"] = nama
    ikus = {i["kode"]: i for s in data["sasaran"] for i in s["iku"]}
    for n, value in enumerate(iku, 1):
        ikus[f"IKU-{n}"]["realisasi_tw"] = [value, None, None, None]
    lines = [c for k in data["anggaran"]["kegiatan"] for c in k["komponen"]]
    for line, value in zip(lines, anggaran, strict=True):
        line["realisasi_tw"] = [value, None, None, None]
    return data


def _gen(data: dict[str, Any], out: Path) -> Path:
    return generate(spec_from_data(data, "uji"), out)


def half_up(x: float) -> float:
    from decimal import ROUND_HALF_UP, Decimal

    return float(Decimal(repr(round(x, 10))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def expected_capaian(kode: str) -> float:
    """Mean over the IKUs measured in TW I: IKU-1..4 (R/T), IKU-5 (75/75), IKU-7 (Baik/Baik);
    IKU-6 is measured only in TW III."""
    r = UNITS[kode]["iku"]
    values = [r[i] / TARGET[f"IKU-{i + 1}"] * 100 for i in range(4)] + [100.0, 100.0]
    return half_up(sum(values) / len(values))


def expected_serapan(kode: str) -> float:
    return half_up(sum(UNITS[kode]["anggaran"]) / PAGU_BANTEN * 100)


def _zip_bomb(path: Path) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            chunk = b"\0" * (1 << 20)
            for _ in range(260):
                fh.write(chunk)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="session")
def kiriman(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("kiriman")
    (folder / "sub").mkdir()
    for kode, u in UNITS.items():
        where = folder / "sub" if kode == "900005" else folder
        _gen(unit_data(kode, u["nama"], u["iku"], u["anggaran"]), where / f"unit_{kode}.xlsm")
    # the same unit sent twice (a revised copy with other numbers)
    u = UNITS[DUPLIKAT]
    _gen(unit_data(DUPLIKAT, u["nama"], [1, 1, 1, 1], u["anggaran"]),
         folder / f"unit_{DUPLIKAT}_revisi.xlsx")
    # another year (Jawa Tengah 2024), a unit not in the catalogue
    generate(spec_from_data(yaml.safe_load(JATENG.read_text(encoding="utf-8")), "uji"),
             folder / "jateng_2024.xlsm")
    good = (folder / "unit_900001.xlsm").read_bytes()
    (folder / "terpotong.xlsm").write_bytes(good[: len(good) // 2])
    (folder / "laporan.xlsx").write_bytes(b"%PDF-1.4\n% bukan workbook\n" * 20)
    (folder / "kosong.xlsm").write_bytes(b"")
    (folder / "terkunci.xlsx").write_bytes(check.OLE_SIGNATURE + b"\0" * 2000)
    _zip_bomb(folder / "bom.xlsx")
    # an older template: metadata version rewritten on a copy
    wb = openpyxl.load_workbook(folder / "unit_900003.xlsm")
    ws = wb[SHEET_META]
    assert ws["A2"].value == "versi_template"
    ws["B2"] = "0"
    wb.save(folder / "unit_900003_lama.xlsx")
    # a workbook that is not ours
    other = openpyxl.Workbook()
    other.active["A1"] = "Laporan kinerja buatan sendiri"
    other.save(folder / "buatan_sendiri.xlsx")
    # ignored by the folder search
    (folder / "catatan.txt").write_text("bukan workbook", encoding="utf-8")
    (folder / "~$unit_900001.xlsm").write_bytes(b"lock")
    return folder


@pytest.fixture(scope="session")
def katalog(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("katalog") / "katalog.csv"
    rows = ["kode_satker;nama"] + [f"{k};{u['nama']}" for k, u in UNITS.items()]
    rows.append("900099;BP3MI Belum Kirim")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def rekap(kiriman, katalog) -> kons.Rekap:
    return kons.konsolidasi([kiriman], tahun=TAHUN, katalog=katalog)


def _by_name(rekap: kons.Rekap) -> dict[str, kons.StatusBerkas]:
    return {Path(b.berkas).name: b for b in rekap.berkas}


# --------------------------------------------------------------------------- statuses


def test_every_file_gets_the_expected_status(rekap):
    got = {name: (b.status, [f.jenis for f in b.temuan if f.tingkat == "error"][:1])
           for name, b in _by_name(rekap).items()}
    assert got == {
        "unit_900001.xlsm": ("OK", []),
        "unit_900002.xlsm": ("ditolak", ["unit_ganda"]),
        "unit_900002_revisi.xlsx": ("ditolak", ["unit_ganda"]),
        "unit_900003.xlsm": ("OK", []),
        "unit_900003_lama.xlsx": ("ditolak", ["versi_template"]),
        "unit_900004.xlsm": ("error", ["persen_terlalu_besar"]),
        "unit_900005.xlsm": ("OK", []),
        "jateng_2024.xlsm": ("ditolak", ["tahun"]),
        "terpotong.xlsm": ("ditolak", ["rusak"]),
        "laporan.xlsx": ("ditolak", ["bukan_excel"]),
        "kosong.xlsm": ("ditolak", ["kosong"]),
        "terkunci.xlsx": ("ditolak", ["format_lama"]),
        "bom.xlsx": ("ditolak", ["bom_zip"]),
        "buatan_sendiri.xlsx": ("ditolak", ["bukan_workbook_kita"]),
    }
    assert len(rekap.berkas) == 14  # catatan.txt and the ~$ lock file are not read


def test_duplicates_name_each_other(rekap):
    by = _by_name(rekap)
    a, b = by["unit_900002.xlsm"], by["unit_900002_revisi.xlsx"]
    assert "unit_900002_revisi.xlsx" in a.alasan[0] and "900002" in a.alasan[0]
    assert "unit_900002.xlsm" in b.alasan[0]
    assert "900002" not in {u.kode_satker for u in rekap.unit}


def test_rejection_reasons_are_indonesian_and_name_the_problem(rekap):
    by = _by_name(rekap)
    assert "versi 0" in by["unit_900003_lama.xlsx"].alasan[0]
    assert "tahun 2024" in by["jateng_2024.xlsm"].alasan[0]
    assert "terpotong" in by["terpotong.xlsm"].alasan[0]
    assert "bukan berkas Excel" in by["laporan.xlsx"].alasan[0]
    assert "bom zip" in by["bom.xlsx"].alasan[0]
    assert ".xls" in by["terkunci.xlsx"].alasan[0]
    older = by["unit_900003_lama.xlsx"]
    assert (older.kode_satker, older.versi_template) == ("900003", 0)


def test_katalog_tells_rejected_units_from_units_that_sent_nothing(rekap):
    assert [(k.kode_satker, k.nama) for k in rekap.belum_mengirim] == [
        ("900099", "BP3MI Belum Kirim")]
    assert [(k.kode_satker, k.nama) for k in rekap.ditolak_katalog] == [
        ("900002", "BP3MI Uji Dua")]


def test_units_outside_the_katalog_warned_and_the_minority_year_refused(kiriman, tmp_path):
    path = tmp_path / "katalog.yaml"
    path.write_text("unit:\n  - {kode_satker: '900001', nama: BP3MI Uji Satu}\n",
                    encoding="utf-8")
    rekap = kons.konsolidasi([kiriman / "unit_900001.xlsm", kiriman / "sub",
                              kiriman / "jateng_2024.xlsm", kiriman / "unit_900003.xlsm"],
                             katalog=path, workers=1)
    by = _by_name(rekap)
    assert by["unit_900001.xlsm"].status == "OK"
    assert by["unit_900005.xlsm"].status == "peringatan"
    assert "tidak ada di katalog" in by["unit_900005.xlsm"].alasan[0]
    jateng = by["jateng_2024.xlsm"]
    assert jateng.status == "ditolak"
    assert any("2024 berbeda dari tahun sebagian besar berkas (2026)" in a
               for a in jateng.alasan)
    assert rekap.catatan == ["Tahun berkas bercampur (2026: 3 berkas, 2024: 1 berkas): 1 "
                             "berkas dengan tahun selain 2026 ditolak. Pakai --tahun untuk "
                             "memilih tahun lain."]
    assert rekap.belum_mengirim == []


def test_periode_option_compares_the_identitas_periode(kiriman):
    rekap = kons.konsolidasi([kiriman / "unit_900001.xlsm"], periode="tw2")
    (b,) = rekap.berkas
    assert b.status == "ditolak"
    assert b.alasan == ["Periode workbook TW I (Identitas!B10), bukan TW II yang direkap."]
    assert kons.konsolidasi([kiriman / "unit_900001.xlsm"], periode="TW I").berkas[0].status \
        == "OK"


# --------------------------------------------------------------------------- values


def test_unit_capaian_and_serapan_are_recomputed_from_the_inputs(rekap):
    got = {u.kode_satker: (u.capaian, u.total.serapan, u.total.pagu, u.total.realisasi)
           for u in rekap.unit}
    accepted = ["900001", "900003", "900004", "900005"]
    assert sorted(got) == accepted
    for kode in accepted:
        assert got[kode] == (
            pytest.approx(expected_capaian(kode), abs=1e-9),
            pytest.approx(expected_serapan(kode), abs=1e-9),
            PAGU_BANTEN, float(sum(UNITS[kode]["anggaran"])))


CLEAN = ["900001", "900003", "900005"]  # accepted without an error finding


def test_units_are_ranked_by_capaian_and_the_error_unit_is_shown_last_unranked(rekap):
    ranked = sorted(CLEAN, key=expected_capaian, reverse=True)
    assert [u.kode_satker for u in rekap.unit] == ranked + ["900004"]
    assert [u.peringkat for u in rekap.unit] == [1, 2, 3, None]
    assert [(u.status, u.dihitung) for u in rekap.unit][-1] == ("error", False)


def test_iku_matrix_and_national_figures(rekap):
    by = {i.kode: i for i in rekap.iku}
    assert list(by) == [f"IKU-{n}" for n in range(1, 8) if n != 6]  # IKU-6 not measured
    shown = ["900001", "900003", "900004", "900005"]
    for n in range(1, 5):
        kode = f"IKU-{n}"
        values = {k: half_up(UNITS[k]["iku"][n - 1] / TARGET[kode] * 100) for k in shown}
        i = by[kode]
        assert i.capaian == pytest.approx(values)  # every shown unit in the matrix
        clean = sorted(values[k] for k in CLEAN)  # national figures: clean units only
        assert i.jumlah_unit == 3
        assert i.rata_rata == pytest.approx(half_up(sum(clean) / 3))
        assert i.median == pytest.approx(clean[1])
        assert (i.minimum, i.maksimum) == (pytest.approx(clean[0]), pytest.approx(clean[2]))
    assert by["IKU-7"].capaian == {k: 100.0 for k in shown}
    assert rekap.capaian.jumlah_unit == 3
    assert rekap.capaian_rata_rata == pytest.approx(
        half_up(sum(expected_capaian(k) for k in CLEAN) / 3))


def test_budget_by_jenis_belanja(rekap):
    (j52,) = rekap.jenis_belanja
    real = sum(sum(UNITS[k]["anggaran"]) for k in CLEAN)
    assert (j52.kode, j52.pagu, j52.realisasi) == ("52", 3 * PAGU_BANTEN, real)
    assert j52.serapan == pytest.approx(half_up(real / (3 * PAGU_BANTEN) * 100))
    assert (rekap.total.pagu, rekap.total.realisasi) == (3 * PAGU_BANTEN, real)


def test_findings_carry_file_unit_and_cell(rekap):
    rows = [(Path(b.berkas).name, b.kode_satker, f.lokasi, f.jenis)
            for b, f in kons.semua_temuan(rekap)]
    assert ("unit_900004.xlsm", "900004", "Realisasi!E7", "persen_terlalu_besar") in rows
    assert ("bom.xlsx", None, "", "bom_zip") in rows


def test_sequential_and_parallel_reading_agree(kiriman, katalog, rekap):
    one = kons.konsolidasi([kiriman], tahun=TAHUN, katalog=katalog, workers=1)
    a, b = kons.rekap_to_dict(one), kons.rekap_to_dict(rekap)
    a["ringkasan"].pop("detik")
    b["ringkasan"].pop("detik")
    assert a == b


# --------------------------------------------------------------------------- file checks


def _zip_with(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _lie_about_size(data: bytes, name: str, size: int) -> bytes:
    """Rewrite the declared uncompressed size of a member (local and central headers)."""
    out = bytearray(data)
    raw = name.encode()
    for sig, off_name, off_size in ((b"PK\x03\x04", 30, 22), (b"PK\x01\x02", 46, 24)):
        pos = out.find(sig)
        while pos != -1:
            if out[pos + off_name: pos + off_name + len(raw)] == raw:
                out[pos + off_size: pos + off_size + 4] = struct.pack("<I", size)
            pos = out.find(sig, pos + 4)
    return bytes(out)


def test_check_bytes_catches_a_zip_bomb_with_lying_headers():
    members = {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>",
               "xl/worksheets/sheet1.xml": b"\0" * (2 << 20)}
    data = _lie_about_size(_zip_with(members), "xl/worksheets/sheet1.xml", 100)
    assert zipfile.ZipFile(io.BytesIO(data)).getinfo("xl/worksheets/sheet1.xml").file_size == 100
    with pytest.raises(check.FileProblem) as exc:
        check.check_bytes(data, max_unpacked_bytes=1 << 20)
    assert exc.value.jenis == "bom_zip"
    check.check_bytes(_zip_with({**members, "xl/worksheets/sheet1.xml": b"<x/>"}),
                         max_unpacked_bytes=1 << 20)


@pytest.mark.parametrize(("data", "jenis"), [
    (b"", "kosong"),
    (b"PK\x03\x04" + b"\0" * 100, "rusak"),
    (_zip_with({"word/document.xml": b"<w/>", "[Content_Types].xml": b"<T/>"}), "bukan_excel"),
    (b"hello", "bukan_excel"),
    (_zip_with({"[Content_Types].xml": b"<T/>", "xl/workbook.xml": b"<w/>",
                **{f"xl/x{i}.xml": b"" for i in range(2001)}}), "bom_zip"),
])
def test_check_bytes_problems(data, jenis):
    with pytest.raises(check.FileProblem) as exc:
        check.check_bytes(data)
    assert exc.value.jenis == jenis


def test_fast_reader_blocks_are_padded_and_normalised(kiriman):
    src = source.CalamineSource(check.check_file(kiriman / "unit_900001.xlsm"))
    assert SHEET_META in src.sheet_names()
    block = src.read_block("Identitas", 5, 2, 5, 4)
    assert block == [["900001", None, None]]
    assert src.read_block("Realisasi", 2000, 1, 2001, 2) == [[None, None], [None, None]]
    src.close()


# --------------------------------------------------------------------------- CLI


@pytest.fixture
def hashes(kiriman):
    return {p: sha(p) for p in kiriman.rglob("*") if p.is_file()}


def test_cli_writes_the_recap_and_leaves_inputs_untouched(kiriman, katalog, hashes, tmp_path,
                                                          capsys):
    out = tmp_path / "rekap.xlsx"
    code = main(["konsolidasi", str(kiriman), "-o", str(out), "--tahun", "2026",
                 "--katalog", str(katalog)])
    captured = capsys.readouterr()
    assert code == 0
    assert re.search(r"^Selesai: 14 berkas dibaca, 4 diterima, 10 ditolak dalam \d+,\d detik; "
                     rf"rekap ditulis ke {re.escape(str(out))}\.", captured.out, re.M)
    assert "Ditolak: " in captured.out
    assert captured.err == ""  # no progress bar when stderr is not a terminal
    assert {p: sha(p) for p in hashes} == hashes
    # no temp file left; the cache of incremental runs beside the rekap
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rekap.cache.sqlite", "rekap.xlsx"]

    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == list(kons.REKAP_SHEETS)
    values = [[c for c in row] for row in wb["Status Pengumpulan"].iter_rows(values_only=True)]
    header = values.index(["No", "Berkas", "Kode Satker", "Unit", "Versi Template", "Tahun",
                           "Periode", "Status", "Keterangan", "Jumlah Temuan"])
    statuses = {Path(r[1]).name: r[7] for r in values[header + 1: header + 15]}
    assert statuses["unit_900001.xlsm"] == "OK"
    assert statuses["bom.xlsx"] == "ditolak"
    assert any(r[:3] == ("2", "900099", "BP3MI Belum Kirim")
               for r in wb["Status Pengumpulan"].iter_rows(values_only=True))
    unit_rows = {r[1]: r for r in wb["Rekap Unit"].iter_rows(values_only=True)
                 if r[1] in UNITS}
    assert unit_rows["900003"][5] == pytest.approx(expected_capaian("900003"))
    assert unit_rows["900003"][10] == pytest.approx(expected_serapan("900003"))
    assert unit_rows["900004"][:4] == ("-", "900004", "BP3MI Uji Empat",
                                       "error (tidak dihitung)")
    assert len(wb["Grafik"]._charts) == 2


def test_cli_json_only(kiriman, capsys):
    code = main(["konsolidasi", str(kiriman / "unit_900001.xlsm"), str(kiriman / "sub"),
                 "--json"])
    captured = capsys.readouterr()
    assert code == 0
    data = json.loads(captured.out)
    assert sorted(data) == ["anggaran_per_jenis_belanja", "belum_mengirim", "berkas", "catatan",
                            "ditolak_katalog", "iku", "ringkasan", "temuan", "unit"]
    assert data["ringkasan"]["berkas"] == 2 and data["ringkasan"]["diterima"] == 2
    assert sorted(data["berkas"][0]) == [
        "alasan", "berkas", "jumlah_error", "jumlah_peringatan", "jumlah_temuan",
        "kode_satker", "nama_unit", "periode", "status", "tahun", "versi_template"]
    unit = {u["kode_satker"]: u for u in data["unit"]}
    assert unit["900001"]["capaian"] == pytest.approx(expected_capaian("900001"))
    assert unit["900005"]["anggaran"]["serapan"] == pytest.approx(expected_serapan("900005"))
    iku1 = data["iku"][0]
    assert iku1["kode"] == "IKU-1" and set(iku1["capaian"]) == {"900001", "900005"}
    assert "rekap tidak ditulis" in captured.err


def test_cli_refuses_an_existing_recap_unless_timpa(kiriman, tmp_path, capsys):
    out = tmp_path / "rekap.xlsx"
    out.write_bytes(b"lama")
    assert main(["konsolidasi", str(kiriman / "unit_900001.xlsm"), "-o", str(out)]) == 1
    assert "sudah ada" in capsys.readouterr().err
    assert out.read_bytes() == b"lama"
    assert main(["konsolidasi", str(kiriman / "unit_900001.xlsm"), "-o", str(out),
                 "--timpa"]) == 0
    assert zipfile.is_zipfile(out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rekap.cache.sqlite", "rekap.xlsx"]


def test_recap_inside_the_input_folder_is_not_read_back(kiriman, tmp_path):
    folder = tmp_path / "masuk"
    folder.mkdir()
    shutil.copy(kiriman / "unit_900001.xlsm", folder)
    out = folder / "rekap.xlsx"
    assert main(["konsolidasi", str(folder), "-o", str(out)]) == 0
    assert main(["konsolidasi", str(folder), "-o", str(out), "--timpa"]) == 0
    rekap = kons.konsolidasi([folder], exclude=[out])
    assert [Path(b.berkas).name for b in rekap.berkas] == ["unit_900001.xlsm"]


@pytest.mark.parametrize(("argv", "pesan"), [
    (["-o", "{tmp}/tidak/ada/rekap.xlsx"], "tidak ada"),
    (["-o", "{tmp}/rekap.xls"], ".xlsx"),
])
def test_cli_output_problems_exit_1(kiriman, tmp_path, capsys, argv, pesan):
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    assert main(["konsolidasi", str(kiriman / "unit_900001.xlsm"), *argv]) == 1
    err = capsys.readouterr().err
    assert pesan in err and "Traceback" not in err


def test_cli_nothing_found_or_accepted_exit_1(kiriman, tmp_path, capsys):
    empty = tmp_path / "kosong"
    empty.mkdir()
    assert main(["konsolidasi", str(empty), "--json"]) == 1
    assert "Tidak ada berkas .xlsx/.xlsm" in capsys.readouterr().err
    assert main(["konsolidasi", str(tmp_path / "*.xlsm"), "--json"]) == 1
    assert "tidak cocok" in capsys.readouterr().err
    out = tmp_path / "rekap.xlsx"
    code = main(["konsolidasi", str(kiriman / "laporan.xlsx"), str(kiriman / "unit_900001.xlsm"),
                 "-o", str(out), "--periode", "TW II"])
    text = capsys.readouterr().out
    assert code == 1 and not out.exists()  # nothing accepted: no rekap, and no "sudah ada" next
    assert "0 diterima, 2 ditolak" in text
    assert "rekap tidak ditulis karena tidak ada berkas yang diterima" in text
    code = main(["konsolidasi", str(tmp_path / "tidak_ada.xlsm"), "-o", str(out)])
    assert code == 1 and not out.exists()


def test_cli_usage_errors_exit_2(kiriman, capsys):
    assert main(["konsolidasi", str(kiriman)]) == 2
    assert "-o REKAP.xlsx" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["konsolidasi", str(kiriman), "--json", "--periode", "TW V"])
    assert exc.value.code == 2
    assert "periode 'TW V' tidak dikenal" in capsys.readouterr().err


def test_bad_katalog_is_reported_with_its_line(kiriman, tmp_path, capsys):
    path = tmp_path / "katalog.csv"
    path.write_text("kode_satker,nama\n900001,Satu\n,Tanpa kode\n", encoding="utf-8")
    assert main(["konsolidasi", str(kiriman / "unit_900001.xlsm"), "--json", "--katalog",
                 str(path)]) == 1
    err = capsys.readouterr().err
    assert f"Katalog {path}, baris 3: kode_satker kosong" in err


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_line_on_a_terminal(kiriman, tmp_path):
    out, err = io.StringIO(), _Tty()
    code = kons.run_cli([str(kiriman / "unit_900001.xlsm"), str(kiriman / "sub")],
                        output=str(tmp_path / "r.xlsx"), as_json=False, stdout=out, stderr=err)
    assert code == 0
    assert "\rMembaca berkas:" in err.getvalue() and "/2 [" in err.getvalue()
    assert err.getvalue().endswith("\r")  # the bar is cleared at the end
    assert out.getvalue().startswith("Selesai: 2 berkas dibaca, 2 diterima, 0 ditolak")


def test_yaml_katalog_keeps_codes_as_typed(tmp_path):
    """An unquoted kode satker with a leading zero stays as typed (YAML would read 012345
    as the octal 5349, the key the consolidation matches units by)."""
    from workbook_gen.konsolidasi.katalog import load_katalog

    k = tmp_path / "katalog.yaml"
    k.write_text("unit:\n  - {kode_satker: 012345, nama: Unit Nol}\n"
                 "  - {kode_satker: 426482, nama: BP3MI Banten}\n", encoding="utf-8")
    assert [(u.kode_satker, u.nama) for u in load_katalog(k)] == [
        ("012345", "Unit Nol"), ("426482", "BP3MI Banten")]
