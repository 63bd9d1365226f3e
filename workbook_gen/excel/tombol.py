"""Behind the **Hitung Capaian** button: the workbook's VBA runs
``RunPython "import workbook_gen.excel.tombol as m; m.main()"``. Thin: one call into
``workbook_gen.routine`` (installed inside our own package, so no top-level module name
can clash with another PyPI project; ``macros/hitung_capaian.py`` is the script to run
it by hand).

Problems with the workbook are shown to the user in a message box and in the
'Catatan Validasi' sheet; an unexpected error's traceback goes to a log file next to the
workbook (``<workbook>.hitung-capaian.log``), and the message box says where.
"""

from __future__ import annotations

import datetime as _dt
import traceback
from pathlib import Path
from typing import Any


def log_path(xw_book: Any) -> Path:
    """The log file next to the workbook (the user's folder when the path is unknown)."""
    try:
        full = Path(xw_book.fullname)
        if full.parent.exists():
            return full.with_name(full.name + ".hitung-capaian.log")
    except Exception:  # noqa: BLE001 - unsaved workbook or no file system path
        pass
    return Path.home() / "hitung-capaian.log"


def run(xw_book: Any) -> str:
    """Run the routine on an xlwings book and show the outcome; returns the message."""
    from workbook_gen.book import XlwingsBook
    from workbook_gen.reader import ReadError
    from workbook_gen.routine import hitung_capaian, pesan_ringkas

    book = XlwingsBook(xw_book)
    try:
        message = pesan_ringkas(hitung_capaian(book, book.name))
    except ReadError as exc:
        lines = ["Hitung Capaian tidak bisa dijalankan pada workbook ini:"]
        for f in exc.report.errors[:5]:
            lines.append(f"- {f.lokasi}: {f.pesan} {f.saran}")
        message = "\n".join(lines)
    except Exception:  # noqa: BLE001 - anything else: traceback to the log, not to the user
        path = log_path(xw_book)
        try:
            with path.open("a", encoding="utf-8") as fh:
                fh.write(f"--- {_dt.datetime.now().isoformat(timespec='seconds')}\n")
                fh.write(traceback.format_exc())
            where = f"Rincian teknis ditulis ke {path}."
        except OSError:
            where = "Rincian teknis tidak bisa ditulis ke berkas log."
        message = ("Terjadi kesalahan tak terduga saat menghitung capaian; isian Anda tidak "
                   f"diubah. {where} Kirim berkas log itu ke pengelola aplikasi.")
    book.message(message)
    return message


def main() -> None:
    import xlwings as xw

    run(xw.Book.caller())
