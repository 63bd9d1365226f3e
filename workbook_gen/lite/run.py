"""What ``main.py`` calls inside xlwings Lite: the Hitung Capaian routine on a Lite book.

The routine (``workbook_gen.routine``) runs unchanged against :class:`LiteBook`: it checks
every input, compares the values Excel computed with the engine (the input sheets' formula
cells and the live summary sheets, by value) and writes Catatan Validasi. Formulas are not
restored (Lite cannot read formulas: a wrong value is reported at its cell instead).
Everything the run writes is issued once at the end (:meth:`LiteBook.flush`). Errors
reach the person as a message in the workbook; the traceback goes only to the task
pane's output.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from typing import Any

from ..findings import Report, WorkbookGenError
from ..reader import ReadError
from ..routine import HasilRutin, hitung_capaian, pesan_ringkas
from .book import LiteBook


@dataclass
class HasilLite:
    """The run's outcome, for the message and for tests (CPython vs Pyodide)."""

    temuan: list[dict[str, str]] = field(default_factory=list)
    pesan: str = ""
    berhasil: bool = False
    rutin: HasilRutin | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"temuan": self.temuan, "pesan": self.pesan, "berhasil": self.berhasil}


def hitung_lite(xw_book: Any) -> HasilLite:
    """Run Hitung Capaian on the book an xlwings Lite script receives."""
    book = LiteBook(xw_book)
    out = HasilLite()
    try:
        rutin = hitung_capaian(book, book.name)
    except ReadError as exc:
        out.temuan = exc.report.as_list()
        out.pesan = ("Workbook ini tidak bisa dihitung:\n" + exc.report.format_table())
    except WorkbookGenError as exc:
        out.pesan = f"Hitung Capaian tidak bisa dijalankan: {exc}"
    except Exception:  # noqa: BLE001 - a person sees a message, the log the traceback
        print(traceback.format_exc())
        out.pesan = ("Hitung Capaian berhenti karena kesalahan program. Rinciannya ada di "
                     "panel xlwings Lite (bagian Output); kirimkan ke admin bersama "
                     "workbook ini. Isian Anda tidak diubah.")
    else:
        out.rutin = rutin
        out.temuan = Report(list(rutin.temuan)).as_list()
        out.pesan = pesan_ringkas(rutin)
        out.berhasil = True
    if not out.berhasil:
        book.discard()
    book.message(out.pesan)
    print(out.pesan)
    book.flush()
    return out
