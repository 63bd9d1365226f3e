"""The offline install kit (``workbook-gen paket``) and its pasang.bat.

There is no cmd.exe here: pasang.bat is checked statically (every jump has its label,
blocks are balanced, no unquoted path inside a parenthesised block, each documented step
is there, the paths are the ones the workbook's xlwings.conf sheet names). Building a
real kit needs PyPI: that test runs only with WORKBOOK_GEN_UJI_JARINGAN=1.
"""

from __future__ import annotations

import os
import re
import zipfile

import pytest

from workbook_gen.cli import main
from workbook_gen.excel import cek, paket
from workbook_gen.sheets.xlwings_conf import INTERPRETER_WIN, SETTINGS, VENV_WIN

BAT = paket.pasang_bat()
LINES = BAT.splitlines()


def _set(name: str) -> str:
    m = re.search(rf'^set "{name}=(.*)"$', BAT, re.M)
    assert m, name
    return m.group(1)


def test_every_jump_has_its_label_and_blocks_are_balanced():
    labels = {line[1:].strip().lower() for line in LINES if line.startswith(":")}
    jumps = {m.group(1).lower() for m in re.finditer(r"\bgoto\s+:?(\w+)", BAT, re.I)}
    assert jumps and jumps <= labels, jumps - labels
    depth = 0
    for line in LINES:
        code = re.sub(r'"[^"]*"', '""', line)  # parentheses inside quotes do not count
        if code.lstrip().lower().startswith(("rem ", "echo ")) and depth == 0:
            continue
        depth += code.count("(") - code.count(")")
        assert depth >= 0, line
    assert depth == 0


def test_no_text_inside_a_block_can_close_it_early():
    """Inside ( ... ) an unquoted ')' or a path variable (a user name such as
    'Budi (Keuangan)') would end the block: such lines must stay outside blocks."""
    depth = 0
    for line in LINES:
        code = re.sub(r'"[^"]*"', '""', line)
        if depth > 0:
            stripped = code.strip()
            assert not re.search(r"%(PAKET|VENV|PYVENV|USERPROFILE|LOCALAPPDATA)%", stripped), line
            if stripped.lower().startswith("echo"):
                assert "(" not in stripped and ")" not in stripped, line
        depth += code.count("(") - code.count(")")


def test_steps_of_pasang_bat():
    assert LINES[0] == "@echo off" and "setlocal EnableExtensions" in LINES
    assert BAT.isascii()
    # 1. python: the py launcher, newest first, 64-bit only; then python on PATH
    assert "for %%V in (3.13 3.12 3.11) do (" in BAT
    assert 'py -%%V-64 -c "import sys"' in BAT
    assert "sys.maxsize > 2**32" in BAT and "ok = (3,11) <= v <= (3,13)" in BAT
    # 2. a virtual environment in the user's own profile: no admin rights
    assert _set("VENV") == VENV_WIN == r"%LOCALAPPDATA%\workbook-gen\python"
    assert _set("PYVENV") == INTERPRETER_WIN == dict(SETTINGS)["INTERPRETER_WIN"]
    assert '%PY% -m venv "%VENV%"' in BAT
    # 3. offline, from the kit's folder only, with the pinned versions
    install = BAT[BAT.index('"%PYVENV%" -m pip install'):].split("\n", 2)
    command = install[0].rstrip("^ ") + " " + install[1].strip()
    assert '--no-index --find-links "%PAKET%wheels"' in command
    assert '-c "%PAKET%batasan.txt"' in command and command.endswith("workbook-gen")
    assert "--user" not in BAT and "runas" not in BAT.lower()
    # 4. the interpreter where xlwings looks when the workbook has no conf sheet
    assert '> "%USERPROFILE%\\.xlwings\\xlwings.conf" echo "INTERPRETER_WIN","%PYVENV%"' in BAT
    # 5. the self-check decides the exit code
    assert '"%PYVENV%" -m workbook_gen.excel.cek' in BAT
    steps = [line for line in LINES if re.match(r"echo \[\d/5\]", line)]
    assert [s[6] for s in steps] == ["1", "2", "3", "4", "5"]


def test_pinned_versions_cover_the_dependencies():
    pins = paket.pinned_versions()
    assert pins["xlwings"] == "0.37.8" == cek.XLWINGS_VERSION
    for name in ("openpyxl", "xlsxwriter", "pyyaml", "jsonschema", "olefile",
                 "python-calamine", "et-xmlfile", "rpds-py", "referencing"):
        assert name in pins, name
    assert "pytest" not in pins  # extras are not part of the kit


def test_refusals_before_any_download(tmp_path, capsys):
    busy = tmp_path / "isi"
    busy.mkdir()
    (busy / "a.txt").write_text("x")
    assert main(["paket", "-o", str(busy)]) == 1
    assert "folder sudah ada dan tidak kosong" in capsys.readouterr().err
    assert main(["paket", "-o", str(tmp_path / "baru"), "--python", "3.10"]) == 1
    err = capsys.readouterr().err
    assert "xlwings 0.37.8" in err and "Python 3.10" in err
    assert not (tmp_path / "baru").exists()
    assert main(["paket", "-o", str(tmp_path / "baru"), "--python", "2.7"]) == 1
    assert "Versi Python '2.7' tidak didukung" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == [busy]


def test_self_check_on_this_machine(capsys):
    assert cek.main() == 0
    out = capsys.readouterr().out
    assert "OK     Versi xlwings" in out and "Tombol Hitung Capaian SIAP" in out


@pytest.mark.skipif(os.environ.get("WORKBOOK_GEN_UJI_JARINGAN") != "1",
                    reason="butuh internet (PyPI): WORKBOOK_GEN_UJI_JARINGAN=1")
def test_kit_is_complete_for_every_python(tmp_path):
    folder = paket.buat_paket(tmp_path / "paket")
    names = sorted(p.name for p in (folder / "wheels").iterdir())
    for version in paket.PYTHON_VERSIONS:
        tag = "cp" + version.replace(".", "")
        for binary in ("xlwings-0.37.8", "pywin32-", "pyyaml-", "rpds_py-", "python_calamine-"):
            assert any(n.startswith(binary) and f"-{tag}-{tag}-win_amd64.whl" in n
                       for n in names), (binary, tag)
    own = next(n for n in names if n.startswith("workbook_gen-"))
    with zipfile.ZipFile(folder / "wheels" / own) as z:
        assert "workbook_gen/excel/tombol.py" in z.namelist()
        assert "workbook_gen/vba_sumber/modHitungCapaian.bas" in z.namelist()
        assert not any(n.startswith("macros/") for n in z.namelist())
    assert (folder / "pasang.bat").read_bytes().count(b"\r\n") == len(LINES)
    assert sorted(p.name for p in folder.iterdir()) == ["BACA-DULU.txt", "batasan.txt",
                                                        "pasang.bat", "wheels"]
