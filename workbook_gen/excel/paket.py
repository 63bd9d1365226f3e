"""The offline install kit for the Hitung Capaian button (``workbook-gen paket``).

A folder to copy to a Windows PC (USB stick, shared drive) that installs everything the
button needs without internet and without admin rights:

    FOLDER/
      wheels/          the project's wheel and every dependency's wheel, Windows 64-bit,
                       for each of Python 3.11, 3.12, 3.13 (3.10: see NO_WHEEL)
      batasan.txt      the exact versions (pip constraints) the wheels were chosen by
      pasang.bat       finds Python (``py`` launcher or ``python``), creates a virtual
                       environment under %LOCALAPPDATA%, installs from wheels/ only,
                       writes the interpreter for xlwings, runs the self-check
      BACA-DULU.txt    the same steps in words

Versions: the dependencies installed here (the ones the tests ran with) are pinned in
``batasan.txt``; Windows-only dependencies not installed here (pywin32) take pip's
newest wheel and are named explicitly (pip evaluates ``platform_system == 'Windows'``
markers for the machine it runs on, not for ``--platform``). After downloading, the
folder is checked offline: pip, without this machine's pip configuration, must resolve
the whole set from ``wheels/`` alone for every Python version.
"""

from __future__ import annotations

import importlib.metadata as md
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from ..findings import WorkbookGenError
from ..sheets.xlwings_conf import INTERPRETER_WIN, VENV_WIN

PROJECT = "workbook-gen"
PYTHON_VERSIONS = ("3.11", "3.12", "3.13")
#: Versions the kit refuses, and why (checked against PyPI when this was written).
NO_WHEEL = {"3.10": "xlwings 0.37.8 (versi modul VBA di dalam workbook) tidak punya wheel "
                    "Windows untuk Python 3.10; pakai Python 3.11, 3.12 atau 3.13."}
#: Dependencies pip cannot see from Linux: xlwings needs them on Windows only.
WINDOWS_ONLY = ("pywin32",)
PLATFORM = "win_amd64"
ROOT = Path(__file__).resolve().parent.parent.parent
PIP_TIMEOUT = 1800  # seconds for one pip call (downloads)


class PaketError(WorkbookGenError):
    """The kit cannot be built (no network, no wheel for a platform, no source tree)."""


def _name(req: str) -> str:
    return re.split(r"[\s\[<>=!~;(]", req.strip(), maxsplit=1)[0]


def pinned_versions(project: str = PROJECT) -> dict[str, str]:
    """Name -> version of every installed distribution the project needs (its
    dependencies and theirs, extras left out), as pip constraints."""
    out: dict[str, str] = {}
    todo = [r for r in (md.requires(project) or []) if "extra ==" not in r]
    while todo:
        req = todo.pop()
        name = _name(req)
        key = name.lower().replace("_", "-")
        if key in out:
            continue
        try:
            out[key] = md.version(name)
        except md.PackageNotFoundError:  # a dependency for another platform (pywin32)
            continue
        todo += [r for r in (md.requires(name) or []) if "extra ==" not in r]
    return dict(sorted(out.items()))


def _pip(args: Sequence[str], what: str, *, isolated: bool = False) -> None:
    """Run pip; ``isolated``: without the machine's pip configuration (extra indexes,
    find-links), so nothing but the arguments can supply a wheel."""
    env = None
    if isolated:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
        env["PIP_CONFIG_FILE"] = os.devnull
    try:
        proc = subprocess.run([sys.executable, "-m", "pip", *args], capture_output=True,
                              text=True, timeout=PIP_TIMEOUT, env=env)
    except subprocess.TimeoutExpired:
        raise PaketError(f"{what}: pip tidak selesai dalam {PIP_TIMEOUT} detik. Periksa "
                         "koneksi internet lalu ulangi.") from None
    if proc.returncode != 0:
        tail = "\n".join((proc.stderr or proc.stdout).strip().splitlines()[-6:])
        raise PaketError(f"{what} gagal:\n{tail}\nPeriksa koneksi internet (PyPI) atau "
                         "pilih versi Python lain dengan --python.")


#: What a wheel is built from (copied to a clean folder first, so no stale build/ or
#: egg-info of the source tree can slip into the wheel).
WHEEL_SOURCES = ("pyproject.toml", "README.md", "workbook_gen", "macros")


def build_wheel(dest: Path, source: Path = ROOT) -> Path:
    """The project's own wheel, built from a clean copy of the source tree."""
    if not (source / "pyproject.toml").is_file():
        raise PaketError("Sumber proyek (pyproject.toml) tidak ditemukan; jalankan perintah "
                         "ini dari folder proyek, atau berikan wheel proyek dengan --wheel.")
    with tempfile.TemporaryDirectory(prefix="wg-wheel-") as tmp:
        clean = Path(tmp) / "sumber"
        clean.mkdir()
        for name in WHEEL_SOURCES:
            src = source / name
            if src.is_dir():
                shutil.copytree(src, clean / name, ignore=shutil.ignore_patterns(
                    "__pycache__", "*.pyc", "*.egg-info"))
            elif src.is_file():
                shutil.copy2(src, clean / name)
        # the VBA sources ride inside our package (pyproject: vba_sumber/*.bas), so a
        # wheel install can still generate workbooks with the button
        shutil.copytree(source / "macros" / "vba", clean / "workbook_gen" / "vba_sumber")
        out = Path(tmp) / "wheel"
        _pip(["wheel", "--no-deps", "--quiet", "-w", str(out), str(clean)],
             "Membangun wheel proyek")
        built = sorted(out.glob("workbook_gen-*.whl"))
        if not built:
            raise PaketError("Wheel proyek tidak terbentuk.")
        return Path(shutil.copy2(built[-1], dest))


def download(wheel: Path, wheels: Path, constraints: Path, versions: Sequence[str]) -> None:
    for version in versions:
        _pip(["download", "--quiet", "--only-binary=:all:", "--platform", PLATFORM,
              "--implementation", "cp", "--python-version", version, "-c", str(constraints),
              "--dest", str(wheels), str(wheel), *WINDOWS_ONLY],
             f"Mengunduh wheel untuk Python {version} ({PLATFORM})")


def check_complete(wheels: Path, versions: Sequence[str], scratch: Path) -> None:
    """pip resolves the whole set from ``wheels/`` alone (no index) for every version."""
    for version in versions:
        target = scratch / version
        _pip(["download", "--quiet", "--no-index", "--find-links", str(wheels),
              "--only-binary=:all:", "--platform", PLATFORM, "--implementation", "cp",
              "--python-version", version, "--dest", str(target), PROJECT, *WINDOWS_ONLY],
             f"Memeriksa kelengkapan wheel untuk Python {version} tanpa internet",
             isolated=True)
        shutil.rmtree(target, ignore_errors=True)


# --------------------------------------------------------------------------- pasang.bat

def pasang_bat(versions: Sequence[str] = PYTHON_VERSIONS) -> str:
    """The Windows installer script (CRLF line endings are applied when written)."""
    newest_first = " ".join(sorted(versions, key=lambda v: tuple(map(int, v.split("."))),
                                   reverse=True))
    lo, hi = min(versions, key=_vt), max(versions, key=_vt)
    lo_t, hi_t = ",".join(lo.split(".")), ",".join(hi.split("."))
    return rf"""@echo off
rem Pasang tombol Hitung Capaian (workbook-gen) tanpa internet dan tanpa hak admin.
rem Langkah: 1 cari Python, 2 buat lingkungan Python di %LOCALAPPDATA%, 3 pasang dari
rem folder wheels\ saja, 4 catat interpreter untuk xlwings, 5 periksa apakah tombol siap.
setlocal EnableExtensions
set "PAKET=%~dp0"
set "VENV={VENV_WIN}"
set "PYVENV={INTERPRETER_WIN}"
set "PY="

echo [1/5] Mencari Python {lo} sampai {hi} ...
where py >nul 2>nul
if errorlevel 1 goto cari_python
for %%V in ({newest_first}) do (
    py -%%V-64 -c "import sys" >nul 2>nul
    if not errorlevel 1 (
        set "PY=py -%%V-64"
        goto python_ada
    )
)
:cari_python
set "PYCEK=import sys; v = sys.version_info[:2]; ok = ({lo_t}) <= v <= ({hi_t})"
python -c "%PYCEK%; sys.exit(0 if ok and sys.maxsize > 2**32 else 1)" >nul 2>nul
if not errorlevel 1 (
    set "PY=python"
    goto python_ada
)
echo GAGAL: Python {lo} sampai {hi} (64-bit) tidak ditemukan.
echo Pasang Python dari python.org (pilih "Install for me only", tidak perlu admin),
echo lalu jalankan pasang.bat ini lagi.
goto gagal

:python_ada
echo       dipakai: %PY%

echo [2/5] Membuat lingkungan Python di %VENV% ...
if exist "%PYVENV%" goto venv_ada
%PY% -m venv "%VENV%"
if errorlevel 1 goto gagal_venv
:venv_ada

echo [3/5] Memasang paket dari folder wheels, tanpa internet ...
"%PYVENV%" -m pip install --no-index --find-links "%PAKET%wheels" ^
    -c "%PAKET%batasan.txt" --upgrade --quiet {PROJECT}
if errorlevel 1 goto gagal_pip

echo [4/5] Mencatat interpreter untuk xlwings ...
if not exist "%USERPROFILE%\.xlwings" mkdir "%USERPROFILE%\.xlwings"
if exist "%USERPROFILE%\.xlwings\xlwings.conf" goto conf_ada
> "%USERPROFILE%\.xlwings\xlwings.conf" echo "INTERPRETER_WIN","%PYVENV%"
>> "%USERPROFILE%\.xlwings\xlwings.conf" echo "ADD_WORKBOOK_TO_PYTHONPATH","False"
echo       ditulis: %USERPROFILE%\.xlwings\xlwings.conf
goto periksa
:conf_ada
echo       %USERPROFILE%\.xlwings\xlwings.conf sudah ada dan tidak diubah.
echo       Workbook .xlsm membawa lembar xlwings.conf yang menunjuk ke %PYVENV%.

:periksa
echo [5/5] Memeriksa apakah tombol siap ...
"%PYVENV%" -m workbook_gen.excel.cek
if errorlevel 1 goto gagal
endlocal
exit /b 0

:gagal_venv
echo GAGAL: lingkungan Python tidak bisa dibuat di %VENV%.
goto gagal

:gagal_pip
echo GAGAL: paket tidak bisa dipasang dari %PAKET%wheels.
echo Pastikan folder paket disalin utuh dan versi Python termasuk {lo} sampai {hi}.
goto gagal

:gagal
echo.
echo Pemasangan BELUM berhasil. Kirim layar ini ke admin perencanaan.
endlocal
exit /b 1
"""


def _vt(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split("."))


BACA_DULU = """Paket pemasangan tombol Hitung Capaian (workbook-gen)
=====================================================

Untuk komputer Windows 64-bit dengan Python {lo} sampai {hi}. Tidak perlu internet dan
tidak perlu hak admin.

1. Pasang Python dari python.org bila belum ada: pilih "Install for me only" (tanpa
   admin). Centang "Add python.exe to PATH" boleh, tidak wajib: pasang.bat juga mencari
   lewat peluncur "py".
2. Salin folder ini utuh ke komputer (misalnya ke Dokumen), lalu klik dua kali
   pasang.bat.
3. pasang.bat membuat lingkungan Python milik Anda sendiri di
   {venv}
   dan memasang paket dari folder wheels\\ saja (tanpa internet).
4. Lokasi interpreter itu sudah tercatat di lembar tersembunyi "xlwings.conf" setiap
   workbook .xlsm; untuk workbook lama pasang.bat juga menulis
   %USERPROFILE%\\.xlwings\\xlwings.conf (bila belum ada).
5. Baris terakhir pasang.bat mengatakan apakah tombol siap dipakai.

Lalu buka workbook, buka blokirnya bila perlu (klik kanan berkas > Properties >
Unblock), Aktifkan Konten, dan klik Hitung Capaian. Rincian: docs/excel.md.

Versi paket yang dipakai ada di batasan.txt.
"""


def buat_paket(folder: Path, *, versions: Sequence[str] = PYTHON_VERSIONS,
               wheel: Path | None = None,
               progress: Callable[[str], None] = lambda _m: None) -> Path:
    """Build the kit in ``folder`` (created; must be empty or not exist)."""
    folder = Path(folder)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise PaketError(f"{folder}: folder sudah ada dan tidak kosong. Pilih folder baru.")
    if not versions:
        raise PaketError("Sebutkan paling sedikit satu versi Python, misalnya --python 3.12.")
    for v in versions:
        if v in NO_WHEEL:
            raise PaketError(NO_WHEEL[v])
        if v not in PYTHON_VERSIONS:
            raise PaketError(f"Versi Python '{v}' tidak didukung; pilih dari "
                             f"{', '.join(PYTHON_VERSIONS)}.")
    folder.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    try:
        _fill(work, versions, wheel, progress)
        if folder.exists():
            folder.rmdir()  # empty, checked above
        work.rename(folder)  # all or nothing: no half-built kit under the final name
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return folder


def _fill(folder: Path, versions: Sequence[str], wheel: Path | None,
          progress: Callable[[str], None]) -> None:
    wheels = folder / "wheels"
    wheels.mkdir(parents=True, exist_ok=True)
    constraints = folder / "batasan.txt"
    pins = pinned_versions()
    constraints.write_text("".join(f"{k}=={v}\n" for k, v in pins.items()), encoding="utf-8")
    if wheel is None:
        progress("Membangun wheel proyek ...")
        own = build_wheel(wheels)
    else:
        if not Path(wheel).is_file() or not Path(wheel).name.startswith("workbook_gen-"):
            raise PaketError(f"{wheel}: bukan wheel workbook-gen (workbook_gen-*.whl).")
        own = Path(shutil.copy2(wheel, wheels))
    progress(f"Mengunduh wheel Windows untuk Python {', '.join(versions)} ...")
    download(own, wheels, constraints, versions)
    progress("Memeriksa kelengkapan (tanpa internet) ...")
    check_complete(wheels, versions, folder / ".periksa")
    shutil.rmtree(folder / ".periksa", ignore_errors=True)
    (folder / "pasang.bat").write_bytes(pasang_bat(versions).replace("\n", "\r\n").encode(
        "ascii"))
    lo, hi = min(versions, key=_vt), max(versions, key=_vt)
    (folder / "BACA-DULU.txt").write_bytes(BACA_DULU.format(lo=lo, hi=hi, venv=VENV_WIN)
                                           .replace("\n", "\r\n").encode("utf-8"))
