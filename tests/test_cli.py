"""The command line: exact exit codes, Indonesian output, JSON for machines."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from workbook_gen.cli import main

from .conftest import BANTEN, JATENG, ROOT


def run_cli(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_periksa_valid_spec(capsys):
    code, out, err = run_cli(capsys, "periksa", str(JATENG))
    assert code == 0
    assert out.splitlines()[0] == f"Memeriksa {JATENG}:"
    assert out.splitlines()[-1] == "Spec valid."
    # 3 + 6 blank budget quarters (TW I-III of 2 lines: the report gives the year only)
    assert "Jumlah: 0 error, 9 peringatan." in out


def test_periksa_data_error_exits_1(capsys):
    code, out, _ = run_cli(capsys, "periksa", str(BANTEN))
    assert code == 1
    assert "[ERROR]" in out and "IKU-2" in out
    assert out.splitlines()[-1] == "Ada error yang harus diperbaiki."


def test_periksa_bad_spec_reports_everything_without_traceback(tmp_path, capsys):
    bad = tmp_path / "rusak.yaml"
    bad.write_text("versi_spec: 1\nunit: {nama: X}\ntahun: 2026\nperiode: TW V\nsasaran: []\n",
                   encoding="utf-8")
    code, out, err = run_cli(capsys, "periksa", str(bad))
    assert code == 1
    assert "Traceback" not in err
    assert f"Spec {bad} tidak bisa dipakai:" in err
    assert f"{bad}: periode" in err
    assert f"{bad}: unit" in err
    assert f"{bad}: sasaran" in err
    assert "Jumlah: 3 error, 0 peringatan." in err


def test_periksa_json(tmp_path, capsys):
    bad = tmp_path / "rusak.yaml"
    bad.write_text("versi_spec: 2\n", encoding="utf-8")
    code, out, _ = run_cli(capsys, "periksa", str(bad), "--json")
    assert code == 1
    data = json.loads(out)
    assert data["valid"] is False
    assert {f["tingkat"] for f in data["temuan"]} == {"error"}
    assert all({"tingkat", "jenis", "lokasi", "pesan", "saran"} <= set(f) for f in data["temuan"])


def test_missing_file(capsys):
    code, _, err = run_cli(capsys, "periksa", "tidak-ada.yaml")
    assert code == 1
    assert "Berkas spec tidak ditemukan." in err


def test_hitung_json_shape_and_numbers(capsys):
    code, out, _ = run_cli(capsys, "hitung", str(JATENG), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["unit"]["nama"] == "BP3MI Jawa Tengah"
    assert (data["tahun"], data["periode"]) == (2024, "Tahunan")
    assert data["capaian_rata_rata"] == 88.28
    assert data["capaian_rata_rata_revisi"] == 110.06
    first = data["iku"][0]
    for key in ("kode", "nama", "satuan", "target", "target_revisi", "realisasi", "capaian",
                "capaian_revisi", "capaian_tw", "kategori"):
        assert key in first
    assert (first["target"], first["target_revisi"], first["realisasi"]) == (35354, 23500, 25207)
    assert isinstance(first["capaian"], float)
    assert data["sasaran"][0]["serapan"] == 93.24
    assert set(data["sasaran"][0]) >= {"kode", "nama", "capaian", "capaian_revisi", "pagu",
                                       "realisasi_anggaran", "serapan"}
    a = data["anggaran"]
    assert (a["pagu"], a["realisasi"], a["serapan"]) == (13488991000, 12981591744, 96.24)
    assert a["sisa"] == 507399256
    assert [p["kode"] for p in a["per_kegiatan"]] == ["01", "02"]
    assert a["per_jenis_belanja"][0]["kode"] == "-"
    assert {"tingkat", "lokasi", "pesan"} <= set(data["temuan"][0])


def test_hitung_json_not_measured_is_null(capsys):
    _, out, _ = run_cli(capsys, "hitung", str(BANTEN), "--json")
    arsip = next(i for i in json.loads(out)["iku"] if i["kode"] == "IKU-6")
    assert arsip["realisasi"] is None and arsip["capaian"] is None and arsip["diukur"] is False


def test_hitung_table(capsys):
    code, out, _ = run_cli(capsys, "hitung", str(JATENG))
    assert code == 0
    assert out.splitlines()[0] == "BP3MI Jawa Tengah (kode satker 999001) - Tahunan 2024"
    assert ("Rata-rata capaian IKU: 88,28 % (terhadap target revisi: 110,06 %) - Baik"
            in out.splitlines())


def test_demo_prints_both_units(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, _ = run_cli(capsys, "demo")
    assert code == 0
    assert "BP3MI Banten (kode satker 426482) - TW I 2026" in out
    assert "BP3MI Jawa Tengah (kode satker 999001) - Tahunan 2024" in out
    assert "serapan 25,61 %" in out and "serapan 96,24 %" in out
    assert "BP3MI Nusa Tenggara Barat (kode satker 999002) - Tahunan 2025" in out
    assert "Rata-rata capaian IKU: 91,68 %" in out and "serapan 98,31 %" in out


def test_no_command_shows_help(capsys):
    code, out, _ = run_cli(capsys, )
    assert code == 2
    assert out.startswith("penggunaan: workbook-gen")


def test_unknown_command_in_indonesian(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["hapus"])
    assert exc.value.code == 2
    assert "pilihan tidak dikenal: 'hapus'" in capsys.readouterr().err


def test_help_is_indonesian(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    # the column width follows the longest command name
    assert re.search(r"--version +tampilkan versi program lalu keluar", out)
    assert "show" not in out and "usage" not in out


def test_module_entry_point():
    proc = subprocess.run([sys.executable, "-m", "workbook_gen", "--help"], cwd=ROOT,
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0
    assert "perintah" in proc.stdout


def test_output_pipe_closed_early_is_quiet():
    """`workbook-gen hitung ... --json | head -1`: the reader stops after one line; the
    command stops quietly (exit 141 like other programs), no traceback, no "unexpected
    error" message. The pipe holds one page, so the 16 KB of JSON cannot fit in it before
    the reader closes: the command meets the closed pipe every time."""
    import fcntl
    import os

    read_end, write_end = os.pipe()
    fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, 4096)
    proc = subprocess.Popen([sys.executable, "-m", "workbook_gen", "hitung", str(BANTEN),
                             "--json"], stdout=write_end, stderr=subprocess.PIPE, cwd=ROOT)
    os.close(write_end)
    assert proc.stderr is not None
    with os.fdopen(read_end, "rb") as out:
        first = out.readline()
    err = proc.stderr.read().decode()  # after the reader closed
    code = proc.wait(timeout=60)
    assert first.strip() == b"{"
    assert "Traceback" not in err and "tak terduga" not in err and "Exception" not in err
    assert code == 141
