"""The Laporan Kinerja's tables as a Word document (``workbook-gen lkj``).

From a spec or a workbook's inputs, through the engine, to a new .docx: the same
numbers as the workbook by construction (a workbook's cached formula values are never
read). ``content`` picks and formats values, ``charts`` draws the year-on-year charts,
``writer`` lays the document out.
"""

from __future__ import annotations

from pathlib import Path

from ..engine import Hasil, hitung
from ..outfile import check_output, write_atomic
from ..spec import load_spec
from .content import build_lkj, periode_judul

EKSTENSI = (".docx",)


def hasil_dari_berkas(path: Path) -> Hasil:
    """Engine results for a spec (.yaml) or a workbook (.xlsm/.xlsx: its inputs)."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from ..book import OpenpyxlBook
        from ..reader import read_workbook

        with OpenpyxlBook(path) as book:
            bacaan = read_workbook(book, str(path))
        return hitung(bacaan.spec)
    return hitung(load_spec(path))


def judul_dokumen(hasil: Hasil) -> str:
    return f"Tabel Laporan Kinerja {hasil.spec.unit.nama} {periode_judul(hasil)}"


def periksa_keluaran(out: Path, overwrite: bool) -> None:
    """Refuse an output that cannot be written (extension, folder, existing file)."""
    check_output(out, overwrite=overwrite, extensions=EKSTENSI,
                 saran_ekstensi="tabel LKj ditulis sebagai dokumen Word .docx, misalnya "
                                "TABEL-LKJ.docx.")


def tulis_lkj(hasil: Hasil, out: str | Path, overwrite: bool = False) -> Path:
    """Write the LKj tables of ``hasil`` to a new .docx at ``out`` (atomically)."""
    from .writer import write_docx

    out = Path(out)
    periksa_keluaran(out, overwrite)
    data = write_docx(build_lkj(hasil), judul_dokumen(hasil))
    write_atomic(data, out)
    return out
