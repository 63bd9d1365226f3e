"""Self-check at the end of pasang.bat: will the Hitung Capaian button work on this PC?

``python -m workbook_gen.excel.cek`` prints each check in Indonesian and a verdict; exit
code 0 when the button can work, 1 otherwise. What it cannot see (macro settings, Mark of
the Web on a given file, a Defender rule blocking Office's child processes) is named as
the next thing to try when the button does nothing.
"""

from __future__ import annotations

import importlib
import importlib.metadata as md
import os
import sys
from collections.abc import Callable
from pathlib import Path

XLWINGS_VERSION = "0.37.8"  # the version of the VBA module inside every workbook
SKIP = "dilewati"  # a check that only means something on Windows


def _expected_interpreter() -> Path | None:
    from ..sheets.xlwings_conf import INTERPRETER_WIN

    local = os.environ.get("LOCALAPPDATA")
    if not local:
        return None
    return Path(INTERPRETER_WIN.replace("%LOCALAPPDATA%", local))


def checks() -> list[tuple[str, Callable[[], str | None]]]:
    """(what is checked, check) pairs; a check returns None when fine, else the problem."""

    def python_version() -> str | None:
        if not (3, 11) <= sys.version_info[:2] <= (3, 13):
            return f"Python {sys.version.split()[0]}; yang didukung 3.11 sampai 3.13"
        if sys.maxsize <= 2**32:
            return "Python 32-bit; pasang Python 64-bit"
        return None

    def package() -> str | None:
        try:
            importlib.import_module("workbook_gen.excel.tombol")
            importlib.import_module("workbook_gen.routine")
        except Exception as exc:  # noqa: BLE001 - any import problem is the finding
            return f"modul tombol tidak bisa dimuat ({exc})"
        return None

    def xlwings_version() -> str | None:
        try:
            version = md.version("xlwings")
        except md.PackageNotFoundError:
            return "xlwings belum terpasang"
        if version != XLWINGS_VERSION:
            return (f"xlwings {version} terpasang, workbook membutuhkan {XLWINGS_VERSION}")
        return None

    def com() -> str | None:
        if os.name != "nt":
            return SKIP
        try:
            importlib.import_module("win32com.client")
        except Exception as exc:  # noqa: BLE001
            return f"pywin32 tidak bisa dimuat ({exc})"
        return None

    def interpreter() -> str | None:
        if os.name != "nt":
            return SKIP
        want = _expected_interpreter()
        here = Path(sys.executable)
        if want is None or here.resolve() != want.resolve():
            return (f"Python ini ({here}) bukan yang dicari workbook ({want}); jalankan "
                    "pasang.bat")
        return None

    return [("Versi Python", python_version), ("Paket workbook-gen", package),
            ("Versi xlwings", xlwings_version), ("pywin32 (COM ke Excel)", com),
            ("Lokasi interpreter", interpreter)]


def main() -> int:
    failed = 0
    for what, check in checks():
        problem = check()
        if problem is None:
            print(f"  OK     {what}")
        elif problem == SKIP:
            print(f"  -      {what}: dilewati (bukan Windows)")
        else:
            failed += 1
            print(f"  GAGAL  {what}: {problem}")
    if failed:
        print("Tombol Hitung Capaian BELUM akan berjalan di komputer ini. Perbaiki yang "
              "GAGAL di atas lalu jalankan pasang.bat lagi.")
        return 1
    print("Tombol Hitung Capaian SIAP: Python dan paketnya lengkap. Bila tombol tetap "
          "tidak berjalan, periksa pengaturan makro, blokir berkas (Unblock) dan aturan "
          "Defender di docs/excel.md.")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
