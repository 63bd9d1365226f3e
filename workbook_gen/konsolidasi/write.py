"""The recap as JSON (``--json``) and as an .xlsx workbook written atomically."""

from __future__ import annotations

import io
import os
import threading
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

from .. import TEMPLATE_VERSION, outfile
from ..findings import Finding
from ..gcpause import paused_gc
from ..output import json_number
from ..spec import Spec, Unit
from .content import _judul, _lokasi, iter_rekap_content, semua_temuan
from .records import (
    BELUM_DIISI,
    OK,
    STATUS_ERROR,
    STATUS_PERINGATAN,
    PosRingkas,
    Rekap,
    StatusBerkas,
)

# --------------------------------------------------------------------------- JSON


def _pos_dict(p: PosRingkas) -> dict[str, Any]:
    return {"kode": p.kode, "nama": p.nama, "pagu": json_number(p.pagu),
            "realisasi": json_number(p.realisasi), "serapan": json_number(p.serapan),
            "sisa": json_number(p.sisa)}


def _finding_dict(b: StatusBerkas, f: Finding) -> dict[str, Any]:
    return {"berkas": b.berkas, "kode_satker": b.kode_satker, "tingkat": f.tingkat,
            "jenis": f.jenis, "lokasi": _lokasi(b, f), "pesan": f.pesan, "saran": f.saran}


def rekap_to_dict(rekap: Rekap) -> dict[str, Any]:
    """The ``konsolidasi --json`` document (documented in docs/konsolidasi.md)."""
    return {
        "ringkasan": {
            "berkas": rekap.jumlah_berkas,
            "diterima": len(rekap.diterima),
            "ditolak": len(rekap.ditolak),
            "ok": sum(b.status == OK for b in rekap.berkas),
            "peringatan": sum(b.status == STATUS_PERINGATAN for b in rekap.berkas),
            "error": sum(b.status == STATUS_ERROR for b in rekap.berkas),
            "belum_diisi": sum(b.status == BELUM_DIISI for b in rekap.berkas),
            "unit_dihitung": len(rekap.unit_dihitung),
            "sertakan_error": rekap.sertakan_error,
            "dari_cache": rekap.dari_cache,
            "tahun": rekap.tahun,
            "periode": rekap.periode,
            "versi_template_didukung": TEMPLATE_VERSION,
            "capaian_rata_rata": json_number(rekap.capaian_rata_rata),
            "capaian_median": json_number(rekap.capaian.median),
            "capaian_rata_rata_revisi": json_number(rekap.capaian_rata_rata_revisi),
            "anggaran": _pos_dict(rekap.total),
            "detik": round(rekap.detik, 2),
        },
        "berkas": [
            {"berkas": b.berkas, "kode_satker": b.kode_satker, "nama_unit": b.nama_unit,
             "versi_template": b.versi_template, "tahun": b.tahun, "periode": b.periode,
             "status": b.status, "alasan": b.alasan, "jumlah_temuan": len(b.temuan),
             "jumlah_error": b.jumlah_error, "jumlah_peringatan": b.jumlah_peringatan}
            for b in rekap.berkas
        ],
        "unit": [
            {"peringkat": u.peringkat, "kode_satker": u.kode_satker, "nama": u.nama,
             "status": u.status, "dihitung": u.dihitung,
             "provinsi": u.provinsi, "tahun": u.tahun, "periode": u.periode,
             "capaian": json_number(u.capaian), "capaian_revisi": json_number(u.capaian_revisi),
             "kategori": u.kategori, "anggaran": _pos_dict(u.total),
             "sasaran": [{"kode": s.kode, "nama": s.nama, "capaian": json_number(s.capaian),
                          "capaian_revisi": json_number(s.capaian_revisi), "kategori": s.kategori,
                          "pagu": json_number(s.pagu), "realisasi": json_number(s.realisasi),
                          "serapan": json_number(s.serapan)} for s in u.sasaran],
             "jenis_belanja": [_pos_dict(j) for j in u.jenis_belanja]}
            for u in rekap.unit
        ],
        "iku": [
            {"kode": i.kode, "nama": i.nama, "satuan": i.satuan, "jumlah_unit": i.jumlah_unit,
             "rata_rata": json_number(i.rata_rata), "median": json_number(i.median),
             "minimum": json_number(i.minimum),
             "maksimum": json_number(i.maksimum), "kategori_rata_rata": i.kategori_rata_rata,
             "capaian": {k: json_number(v) for k, v in i.capaian.items()},
             "kategori": dict(i.kategori.items())}
            for i in rekap.iku
        ],
        "anggaran_per_jenis_belanja": [_pos_dict(j) for j in rekap.jenis_belanja],
        "belum_mengirim": [{"kode_satker": k.kode_satker, "nama": k.nama}
                           for k in rekap.belum_mengirim],
        "ditolak_katalog": [{"kode_satker": k.kode_satker, "nama": k.nama}
                            for k in rekap.ditolak_katalog],
        "temuan": [_finding_dict(b, f) for b, f in semua_temuan(rekap)],
        "catatan": rekap.catatan,
    }


# --------------------------------------------------------------------------- writing

#: draws one recap sheet into the workbook: (workbook, context, content) -> worksheet
SheetWriter = Callable[[Any, Any, Any], Any]


def check_output(out: Path, *, overwrite: bool) -> None:
    """Refuse an output that cannot be written, before reading any input."""
    outfile.check_output(out, overwrite=overwrite, extensions=(".xlsx",),
                         saran_ekstensi="rekap ditulis sebagai .xlsx; ganti ekstensinya, "
                         f"misalnya {out.with_suffix('.xlsx').name}.")


_ZIP_LOCK = threading.Lock()


def _zlib_ng() -> Any:
    """zipfile's view of zlib with zlib-ng's compressor (None without zlib-ng)."""
    try:
        from zlib_ng import zlib_ng
    except ImportError:  # pragma: no cover - declared in pyproject
        return None
    import types
    import zlib

    shim = types.ModuleType("zlib")
    shim.__dict__.update(zlib.__dict__)
    shim.compressobj = zlib_ng.compressobj  # type: ignore[attr-defined]
    return shim


_ZLIB_NG = _zlib_ng()
#: zlib-ng's level 2 makes a smaller file than zlib's level 1 in two thirds of its time
#: (largest sheet at 10,000 units: 28 MB of XML to 4.0 MB in 0.06 s, against 4.4 MB in
#: 0.10 s, and 3.3 MB in 0.38 s at xlsxwriter's default zlib level 6)
QUICK_LEVEL = 1 if _ZLIB_NG is None else 2


class _QuickZip(zipfile.ZipFile):
    """A zip deflated at a quick level (QUICK_LEVEL) instead of xlsxwriter's level 6."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("compresslevel", QUICK_LEVEL)
        super().__init__(*args, **kwargs)


@contextmanager
def _quick_zip() -> Iterator[None]:
    """xlsxwriter opens its zip in ``Workbook._store_workbook`` with no level to choose:
    give it the quick one while this workbook is stored, and put the original back."""
    import xlsxwriter.workbook as xw

    with _ZIP_LOCK:
        original = getattr(xw, "ZipFile", None)
        if original is not zipfile.ZipFile:  # another xlsxwriter: its own zip, level 6
            yield
            return
        xw.ZipFile = _QuickZip  # type: ignore[misc]
        deflate = zipfile.zlib  # type: ignore[attr-defined]
        if _ZLIB_NG is not None:
            # the same deflate format from zlib-ng (QUICK_LEVEL); any
            # zip written meanwhile is still a standard zip
            zipfile.zlib = _ZLIB_NG  # type: ignore[attr-defined]
        try:
            yield
        finally:
            xw.ZipFile = original  # type: ignore[misc]
            zipfile.zlib = deflate  # type: ignore[attr-defined]


def build_rekap_bytes(rekap: Rekap, write_sheet: SheetWriter | None = None) -> bytes:
    """The recap workbook (.xlsx) as bytes; see :func:`build_rekap`."""
    buf = io.BytesIO()
    build_rekap(rekap, buf, write_sheet)
    return buf.getvalue()


def build_rekap(rekap: Rekap, target: BinaryIO, write_sheet: SheetWriter | None = None
                ) -> None:
    """Write the recap workbook (.xlsx), rendered with the shared summary renderer, into
    ``target`` (an open binary file).

    Each sheet is rendered and streamed to xlsxwriter's row file before the next one is
    built (``summary.xlsx_stream``), so 10,000 units never have all their cells in memory.
    ``write_sheet`` replaces the sheet writer (a test compares it with
    ``sheets.summary_xlsx.write``, the cell-by-cell book)."""
    import xlsxwriter

    from ..sheets import summary_xlsx
    from ..sheets.context import Context
    from ..sheets.styles import Styles

    # constant_memory: rows go to temporary files as each sheet is flushed
    wb = xlsxwriter.Workbook(target, {"constant_memory": True, "strings_to_numbers": False,
                                      "strings_to_formulas": False,
                                      "strings_to_urls": False})
    # The writer only needs the formats and the spec's protection setting; the recap has
    # no single spec, so a neutral one with default settings stands in.
    stand_in = Spec(unit=Unit("Rekap nasional", "-"), tahun=rekap.tahun or 0,
                    periode="tahunan", sasaran=[])
    ctx = Context(spec=stand_in, hasil=None, layout=None,  # type: ignore[arg-type]
                  styles=Styles(wb), macro=False)
    write = write_sheet or summary_xlsx.write_stream
    # The sheets make a million short-lived lists next to the Rekap's million objects:
    # the cyclic collector would walk them all again and again (a second at 10,000
    # units) to find no cycle, so it waits until the file is written.
    with paused_gc():
        for content in iter_rekap_content(rekap):
            write(wb, ctx, content)
        wb.set_properties({"title": _judul(rekap, "Rekap Kinerja Nasional"),
                           "author": "workbook-gen",
                           "comments": f"{rekap.jumlah_berkas} berkas, "
                                       f"{len(rekap.diterima)} diterima"})
        with _quick_zip():
            wb.close()


def write_rekap(rekap: Rekap, out_path: str | os.PathLike[str], overwrite: bool = False) -> Path:
    """Write the recap workbook atomically (temporary file in the same folder, then
    renamed). Raises OutputError when the path cannot be used; nothing is left behind."""
    out = Path(out_path)
    check_output(out, overwrite=overwrite)
    outfile.write_atomic_with(lambda fh: build_rekap(rekap, fh), out)
    return out
