"""Generate a unit workbook (.xlsm with the Hitung Capaian button, or a macro-free .xlsx).

``generate(spec, out_path)`` computes the engine's results once, assembles one module
per sheet (``workbook_gen.sheets``), and writes the file atomically: into a temporary
file in the target folder, then renamed over the target, so a failure never leaves a
partial workbook behind.
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Callable
from pathlib import Path

import xlsxwriter

from . import TEMPLATE_VERSION, __version__, formulas
from .engine import Hasil, hitung
from .findings import Report, SpecError
from .layout import (
    SHEET_META,
    SHEET_REALISASI,
    Layout,
    col_letter,
    layout_for,
    spec_hash,
)
from .outfile import check_output, write_atomic
from .parsing import format_number
from .sheets import (
    anggaran,
    identitas,
    meta,
    petunjuk,
    realisasi,
    summary_xlsx,
    target,
    xlwings_conf,
)
from .sheets.context import Context
from .sheets.limits import check_text_limits
from .sheets.styles import Styles
from .sheets.writer import FastWorkbook, PlainFormulaWorksheet
from .spec import Spec
from .summary import SEL_TEMUAN, build_summary, sel_temuan_area
from .tables import SheetContent
from .vba import build_vba_project, load_bas_modules
from .workbook.formula_cells import expected_formulas, spec_in_cells

EXTENSIONS = (".xlsm", ".xlsx")
WORKBOOK_CODENAME = "ThisWorkbook"


def codename(sheet_name: str, taken: set[str]) -> str:
    """VBA code name of a sheet: 'sh' + its letters and digits ('Ringkasan Capaian' ->
    'shRingkasanCapaian', '_meta' -> 'shMeta'), unique and at most 31 characters."""
    words = re.findall(r"[A-Za-z0-9]+", sheet_name)
    base = ("sh" + "".join(w[:1].upper() + w[1:] for w in words))[:28] or "shSheet"
    name, n = base, 1
    while name.casefold() in taken:
        n += 1
        name = f"{base}{n}"
    taken.add(name.casefold())
    return name


def summary_contents(hasil: Hasil, layout: Layout | None = None) -> list[SheetContent]:
    """The summary sheets (``workbook_gen.summary``), as Hitung Capaian builds them."""
    return list(build_summary(hasil, layout=layout))


def vba_project(codenames: list[str]) -> bytes:
    """vbaProject.bin for these sheet code names and the current macros/vba/*.bas
    sources; built once per combination (compression is most of a generation's time)."""
    modules = load_bas_modules()
    return _vba_project_cached(tuple(codenames), tuple(sorted(modules.items())))


@functools.lru_cache(maxsize=16)
def _vba_project_cached(codenames: tuple[str, ...], modules: tuple[tuple[str, str], ...]
                        ) -> bytes:
    return build_vba_project(list(codenames), dict(modules))


def _define_sel_temuan(wb: xlsxwriter.Workbook, contents: list[SheetContent]) -> None:
    """Point the name the input blocks' red marks use at the 'Letak' column of Catatan
    Validasi, exactly as the routine does after each run (summary.sel_temuan_area)."""
    area = sel_temuan_area(contents)
    if area is not None:
        sheet, first, last, col = area
        letter = col_letter(col)
        wb.define_name(SEL_TEMUAN, f"='{sheet.replace(chr(39), chr(39) * 2)}'!"
                                   f"${letter}${first}:${letter}${last}")


def build_workbook(spec: Spec, *, macro: bool = True, lite: bool = False) -> bytes:
    """The workbook's bytes (.xlsm content when ``macro``, else .xlsx).

    The engine runs once: its values are the cached results of the formula cells, and
    the summary sheets start from its results, with findings located at the workbook's
    cells. ``lite`` (with ``macro`` False) puts shape buttons where the macro buttons sit,
    for ``workbook_gen.lite`` to bind.
    """
    layout = layout_for(spec)
    too_long = formula_findings(spec, layout)
    if too_long.errors:
        raise SpecError(too_long, spec.sumber)
    hasil = hitung(spec_in_cells(spec, layout))
    contents = summary_contents(hasil, layout)
    buf = io.BytesIO()
    wb = FastWorkbook(buf, {"in_memory": True, "strings_to_numbers": False,
                            "strings_to_formulas": False, "strings_to_urls": False})
    wb.worksheet_class = PlainFormulaWorksheet
    ctx = Context(spec=spec, hasil=hasil, layout=layout, styles=Styles(wb), macro=macro,
                  lite=lite, label_lists=meta.label_list_ranges(spec),
                  summary_names=[c.name for c in contents])
    writers: list[Callable[[], object]] = [
        lambda: petunjuk.write(wb, ctx),
        lambda: identitas.write(wb, ctx),
        lambda: target.write(wb, ctx),
        lambda: realisasi.write(wb, ctx),
        lambda: anggaran.write(wb, ctx),
    ]
    writers += [lambda c=content: summary_xlsx.write(wb, ctx, c) for content in contents]
    writers.append(lambda: meta.write(wb, ctx))
    writers.append(lambda: xlwings_conf.write(wb, ctx))  # .xlsm only
    sheets = [ws for ws in (w() for w in writers) if ws is not None]
    _define_sel_temuan(wb, contents)

    wb.set_properties({
        "title": f"Kinerja {spec.unit.nama} {spec.tahun}",
        "subject": "Laporan kinerja SAKIP: target, realisasi, capaian dan anggaran",
        "author": "workbook-gen",
        "company": spec.unit.nama,
        "comments": f"Dibuat dengan workbook-gen {__version__}",
    })
    for name, value in (("versi_template", TEMPLATE_VERSION), ("hash_spec", spec_hash(spec)),
                        ("kode_satker", spec.unit.kode_satker),
                        ("nama_unit", spec.unit.nama), ("tahun", spec.tahun)):
        wb.set_custom_property(name, value)

    if macro:
        taken: set[str] = {WORKBOOK_CODENAME.casefold()}
        names = [codename(ws.get_name(), taken) for ws in sheets]  # type: ignore[attr-defined]
        for ws, name in zip(sheets, names, strict=True):
            ws.set_vba_name(name)  # type: ignore[attr-defined]
        wb.set_vba_name(WORKBOOK_CODENAME)
        wb.add_vba_project(io.BytesIO(vba_project(names)), is_stream=True)
    wb.close()
    return buf.getvalue()




def formula_findings(spec: Spec, layout: Layout | None = None) -> Report:
    """An error for every formula the workbook of ``spec`` would hold past Excel's limit
    of 8,192 characters (Excel would "repair" the file and drop it), located at the spec
    part to change. The schema bounds scales and categories so that IKU formulas fit;
    what is left is a budget whose jenis belanja rows are scattered over very many
    kegiatan."""
    layout = layout or layout_for(spec)
    report = Report()
    iku_at = {layout.iku_rows[iku.kode]: iku for iku in spec.semua_iku()}
    seen: set[str] = set()
    for sheet, cells in expected_formulas(spec, layout).items():  # workbook.formula_cells
        for (row, col), formula in sorted(cells.items()):
            n = len(formula)
            if n <= formulas.MAX_FORMULA:
                continue
            cell = f"{sheet}!{col_letter(col)}{row}"
            pesan = (f"Rumus {cell} akan {format_number(n, 0)} karakter, padahal Excel "
                     f"membatasi rumus {format_number(formulas.MAX_FORMULA, 0)} karakter (Excel "
                     "akan 'memperbaiki' berkas dan membuang rumusnya).")
            if sheet == SHEET_REALISASI and row in iku_at:
                iku = iku_at[row]
                where = spec.where(("iku", iku.kode))
                saran = (f"Persingkat label skala '{iku.skala.nama}' atau kurangi jumlah "
                         "labelnya." if iku.skala is not None else
                         "Persingkat nama kategori capaian di 'pengaturan.kategori'.")
            else:
                where = f"{spec.sumber}: anggaran"
                saran = ("Terlalu banyak baris anggaran satu jenis belanja yang terpisah-pisah: "
                         "kurangi jumlah komponen (gabungkan yang kecil) atau pecah workbook "
                         "per kegiatan.")
            if where not in seen:
                seen.add(where)
                report.error("rumus_terlalu_panjang", where, pesan, saran)
    return report


# --------------------------------------------------------------------------- output


def generate(spec: Spec, out_path: str | Path, *, overwrite: bool = False) -> Path:
    """Write the workbook of ``spec`` to ``out_path`` (.xlsm with macro, .xlsx without).

    Raises :class:`~workbook_gen.findings.OutputError` (nothing written) when the path
    cannot be used, :class:`~workbook_gen.findings.SpecError` when a formula would exceed
    Excel's limit (:func:`formula_findings`). Returns the path written.
    """
    out = Path(out_path)
    check_output(out, overwrite=overwrite, extensions=EXTENSIONS,
                 saran_ekstensi=f"ekstensi '{out.suffix or '(tidak ada)'}' tidak didukung. "
                 "Pakai .xlsm (dengan tombol Hitung Capaian) atau .xlsx (tanpa makro).")
    check_text_limits(spec)
    data = build_workbook(spec, macro=out.suffix.lower() == ".xlsm")
    write_atomic(data, out)
    return out


__all__ = ["EXTENSIONS", "SHEET_META", "PlainFormulaWorksheet", "build_workbook", "check_output",
           "codename", "expected_formulas", "formula_findings", "generate", "spec_in_cells",
           "summary_contents",
           "write_atomic"]
