"""Realisasi: per IKU the quarterly realisasi (input), the narrative (input) and, per
row, the formulas of that IKU's rule: realisasi and target s.d. periode, capaian
against the PK, revised and quarterly targets, and the capaian category."""

from __future__ import annotations

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from .. import formulas
from ..engine import HasilIku
from ..layout import FIRST_ROW, HEADER_ROW, REALISASI_COLS, SHEET_REALISASI
from ..spec import PERIODE, Iku, Pengaturan
from ..workbook.formula_cells import iku_cells, row_formulas, target_revisi_or_pk
from .context import (
    Context,
    add_button,
    iku_number_format,
    input_cell,
    kuartal_number_format,
    mark_findings,
    validate_iku_value,
    validate_number,
    validate_text,
    write_formula,
    write_heading,
    write_value,
)
from .styles import (
    FMT_BULAT,
    FMT_DESIMAL,
    FMT_TEKS,
    Styles,
    fit_row,
    fmt_desimal,
    protect,
    setup_print,
)

NAME_INPUT = "InputRealisasi"
NAME_NARASI = "InputNarasi"
NAME_HASIL = "HasilCapaian"

HEADERS = {
    "no": ("No", 5), "kode": ("Kode IKU", 9), "nama": ("Indikator Kinerja Utama (IKU)", 42),
    "satuan": ("Satuan", 10),
    "realisasi_tw1": ("Realisasi TW I", 11), "realisasi_tw2": ("Realisasi TW II", 11),
    "realisasi_tw3": ("Realisasi TW III", 11), "realisasi_tw4": ("Realisasi TW IV", 11),
    "realisasi_sd": ("Realisasi s.d. periode", 12), "target": ("Target PK", 11),
    "target_revisi": ("Target revisi (atau PK)", 12),
    "target_sd": ("Target s.d. periode (dari target TW)", 13),
    "capaian": ("Capaian thd target PK (%)", 11),
    "capaian_revisi": ("Capaian thd target revisi (%)", 11),
    "capaian_tw": ("Capaian thd target s.d. periode (%)", 12),
    "kategori": ("Kategori capaian", 12),
    "faktor_pendorong": ("Faktor pendorong", 32), "faktor_penghambat": ("Faktor penghambat", 32),
    "upaya": ("Upaya / tindak lanjut", 32),
    "realisasi_tahunan": ("Realisasi tahunan (bila berbeda dari triwulan)", 17),
}
#: The pembilang/penyebut columns (U:AB), written only when the spec has a rasio IKU.
RASIO_HEADERS = {f"{side}_tw{q}": (f"{side.capitalize()} {tw}", 11)
                 for q, tw in enumerate(PERIODE, 1) for side in ("pembilang", "penyebut")}
NARASI = {"faktor_pendorong": "Faktor pendorong", "faktor_penghambat": "Faktor penghambat",
          "upaya": "Upaya / tindak lanjut"}
__all__ = ["row_formulas", "target_revisi_or_pk", "write"]  # formulas: workbook.formula_cells


def write(wb: Workbook, ctx: Context) -> Worksheet:
    spec, st, lay = ctx.spec, ctx.styles, ctx.layout
    p = spec.pengaturan
    c = REALISASI_COLS
    ws = wb.add_worksheet(SHEET_REALISASI)
    add_button(ws, ctx, f"{c['realisasi_sd']}1")
    ada_rasio = any(iku.rumus == "rasio" for iku in spec.semua_iku())
    groups = [("realisasi_tw1", "realisasi_tw4", "Realisasi per triwulan (isian)"),
              ("realisasi_sd", "kategori", "Dihitung otomatis s.d. periode (rumus)"),
              ("faktor_pendorong", "upaya", "Analisis (isian)")]
    if ada_rasio:
        groups.append(("pembilang_tw1", "penyebut_tw4",
                       "IKU rasio: pembilang dan penyebut per triwulan (isian)"))
    write_heading(
        ws, ctx, "Realisasi dan Capaian Kinerja",
        "Isi sel kuning per triwulan; kosongkan bila belum ada (sel kosong tidak dihitung 0). "
        "Kolom abu-abu dihitung otomatis sampai periode di sheet Identitas."
        + (" IKU rasio: isi pembilang dan penyebut di kolom U:AB; realisasinya dihitung "
           "(jumlah pembilang / jumlah penyebut x 100)." if ada_rasio else ""),
        c, {**HEADERS, **(RASIO_HEADERS if ada_rasio else {})}, 58, groups)
    ws.write_string(f"{c['realisasi_tahunan']}{HEADER_ROW - 1}", "Setahun (isian)",
                    st.get("group_header"))

    text = st.get("text")
    hasil = ctx.hasil.iku_by_kode()
    cc = formulas.cells_for(spec, lay)
    cap_fmt = st.get("formula", fmt_desimal(p.desimal))
    no = 0
    for iku in spec.semua_iku():
        no += 1
        row = lay.iku_rows[iku.kode]
        h = hasil[iku.kode]
        for field, value in (("no", no), ("kode", iku.kode), ("nama", iku.nama),
                             ("satuan", iku.satuan)):
            write_value(ws, f"{c[field]}{row}", value, text)
        if iku.rumus == "rasio":
            _write_rasio_inputs(ws, st, iku, row)
        else:
            for q in range(1, 5):
                stored, fmt = input_cell(iku, f"realisasi_tw{q}", iku.realisasi_tw[q - 1],
                                         kuartal_number_format(iku))
                write_value(ws, f"{c[f'realisasi_tw{q}']}{row}", stored, st.get("input", fmt))
            validate_iku_value(ws, f"{c['realisasi_tw1']}{row}:{c['realisasi_tw4']}{row}",
                               f"Realisasi IKU {iku.kode}", iku, ctx, kuartal=True)
            if ada_rasio:
                for field in RASIO_HEADERS:
                    ws.write_blank(f"{c[field]}{row}", None, st.get("na"))
        _write_formulas(ws, st, iku, row, h, p, cap_fmt, cc)
        stored, fmt = input_cell(iku, "realisasi_tahunan", iku.realisasi_tahunan,
                                 kuartal_number_format(iku))
        write_value(ws, f"{c['realisasi_tahunan']}{row}", stored, st.get("input", fmt))
        validate_iku_value(ws, f"{c['realisasi_tahunan']}{row}",
                           f"Realisasi tahunan IKU {iku.kode}", iku, ctx, kuartal=True)
        for field in NARASI:
            write_value(ws, f"{c[field]}{row}", getattr(iku, field),
                        st.get("input", FMT_TEKS, text_wrap=True))
        fit_row(ws, row, [(getattr(iku, f), HEADERS[f][1]) for f in ("nama", *NARASI)])
        validate_text(ws, f"{c['faktor_pendorong']}{row}:{c['upaya']}{row}",
                      f"Analisis IKU {iku.kode}", 2000,
                      "Tulis faktor pendorong, penghambat dan upaya untuk laporan kinerja.")

    _conditional_formats(ws, ctx)
    last = lay.iku_last_row
    mark_findings(ws, ctx, SHEET_REALISASI, [
        f"{c['realisasi_tw1']}{FIRST_ROW}:{c['realisasi_tw4']}{last}",
        f"{c['faktor_pendorong']}{FIRST_ROW}:{c['upaya']}{last}",
        f"{c['realisasi_tahunan']}{FIRST_ROW}:{c['realisasi_tahunan']}{last}",
        *([f"{c['pembilang_tw1']}{FIRST_ROW}:{c['penyebut_tw4']}{last}"] if ada_rasio else [])])
    wb.define_name(NAME_INPUT, f"={SHEET_REALISASI}!${c['realisasi_tw1']}${FIRST_ROW}:"
                               f"${c['realisasi_tw4']}${last}")
    wb.define_name(NAME_NARASI, f"={SHEET_REALISASI}!${c['faktor_pendorong']}${FIRST_ROW}:"
                                f"${c['upaya']}${last}")
    wb.define_name(NAME_HASIL, f"={SHEET_REALISASI}!${c['realisasi_sd']}${FIRST_ROW}:"
                               f"${c['kategori']}${last}")
    ws.freeze_panes(HEADER_ROW, 4)
    setup_print(ws, header_row=HEADER_ROW - 1, title=f"Realisasi - {spec.unit.nama}")
    protect(ws, spec)
    return ws


def _write_rasio_inputs(ws: Worksheet, st: Styles, iku: Iku, row: int) -> None:
    """A rasio IKU's pembilang and penyebut per quarter (U:AB), whole counts >= 0."""
    c = REALISASI_COLS
    for side, values in (("pembilang", iku.pembilang_tw), ("penyebut", iku.penyebut_tw)):
        values = values or [None] * 4
        for q in range(1, 5):
            v = values[q - 1]
            fmt = FMT_BULAT if v is None or float(v).is_integer() else FMT_DESIMAL
            write_value(ws, f"{c[f'{side}_tw{q}']}{row}", v, st.get("input", fmt))
    for q, tw in enumerate(PERIODE, 1):
        validate_number(ws, f"{c[f'pembilang_tw{q}']}{row}:{c[f'penyebut_tw{q}']}{row}",
                        f"Rasio {tw} IKU {iku.kode}", bulat=True,
                        catatan="Pembilang: jumlah yang dihitung (X); penyebut: jumlah "
                        "keseluruhan (Y), misalnya 6 dan 265 untuk 6/265. ")


def _write_formulas(ws: Worksheet, st: Styles, iku: Iku, row: int, h: HasilIku,
                    p: Pengaturan, cap_fmt, cc: formulas.Cells) -> None:
    c = REALISASI_COLS
    value_fmt = st.get("formula", iku_number_format(iku))
    real_fmt = st.get("formula", FMT_DESIMAL) if iku.rumus in (
        "penurunan", "rasio") else value_fmt
    fmts = {**{f"realisasi_tw{q}": real_fmt for q in range(1, 5)},
            "realisasi_sd": real_fmt, "target": value_fmt, "target_revisi": value_fmt,
            "target_sd": value_fmt, "capaian": cap_fmt, "capaian_revisi": cap_fmt,
            "capaian_tw": cap_fmt, "kategori": st.get("formula")}
    for field, cell in iku_cells(iku, row, h, p, cc).items():
        write_formula(ws, f"{c[field]}{row}", cell.formula, fmts[field], cell.value)


def _conditional_formats(ws: Worksheet, ctx: Context) -> None:
    """Colour capaian (M:O) by the spec's category bands, and the category (P, the
    headline's, see ``formulas.kolom_utama``) by its own name."""
    c = REALISASI_COLS
    first, last = FIRST_ROW, ctx.layout.iku_last_row
    bands = ctx.spec.pengaturan.kategori
    targets = [(f"{c['capaian']}{first}:{c['capaian_tw']}{last}", f"{c['capaian']}{first}"),
               (f"{c['kategori']}{first}:{c['kategori']}{last}", f"{c['kategori']}{first}")]
    for rng, x in targets:
        for band in bands:
            if rng.startswith(c["kategori"]):
                cond = f"{x}={formulas.text(band.nama)}"
            elif band.minimal is None:
                cond = f"ISNUMBER({x})"
            else:
                op = ">" if band.lebih_dari else ">="
                cond = f"AND(ISNUMBER({x}),{x}{op}{formulas.num(band.minimal)})"
            ws.conditional_format(rng, {"type": "formula", "criteria": f"={cond}",
                                        "format": ctx.styles.fill(band.warna),
                                        "stop_if_true": True})
            if band.minimal is None:
                break
