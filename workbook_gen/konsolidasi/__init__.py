"""Central consolidation: many unit workbooks -> one national recap.

The files show the flow:

* :mod:`.find` expands the inputs (files, folders, globs) and :mod:`.katalog` loads the
  expected units;
* :mod:`.check` looks at each file's bytes before any parser does (size, zip, bombs,
  hostile XML); :mod:`.source` is the fast calamine reader over those bytes;
* :mod:`.read` reads one file through its metadata, recomputes with the engine and returns
  a small summary (in worker processes for many files);
* :mod:`.cache` keeps each file's result by content hash (incremental runs) and is the one
  decoder of what the workers return; :mod:`.kolom` holds the results by column in the
  parent;
* :mod:`.recap` applies the headline rules (statuses, mixed years, duplicates) and
  computes the national figures (:class:`Rekap`, pure data);
* :mod:`.content` turns a Rekap into neutral sheets, :mod:`.write` into the ``--json``
  document and the recap workbook (atomically);
* :mod:`.cli` is ``workbook-gen konsolidasi``.

Cached formula values are never used: every capaian is recomputed from the raw inputs.
"""

from .check import FileProblem, check_bytes, check_file
from .cli import run_cli
from .content import build_rekap_content, semua_temuan
from .find import cari_berkas, normalise_periode
from .katalog import load_katalog
from .read import baca_berkas
from .recap import konsolidasi
from .records import (
    DITOLAK,
    OK,
    REKAP_SHEETS,
    STATUS_PERINGATAN,
    HasilBerkas,
    IkuRekap,
    KonsolidasiError,
    Rekap,
    StatusBerkas,
    UnitKatalog,
    UnitRingkas,
)
from .write import check_output, rekap_to_dict, write_rekap

__all__ = ["DITOLAK", "OK", "REKAP_SHEETS", "STATUS_PERINGATAN", "FileProblem", "HasilBerkas",
           "IkuRekap", "KonsolidasiError", "Rekap", "StatusBerkas", "UnitKatalog",
           "UnitRingkas", "baca_berkas", "build_rekap_content", "cari_berkas", "check_bytes",
           "check_file", "check_output", "konsolidasi", "load_katalog", "normalise_periode",
           "rekap_to_dict", "run_cli", "semua_temuan", "write_rekap"]
