"""Target: per sasaran and IKU the PK target, the optional revised and quarterly targets
and (penurunan IKUs) the baseline, with the IKU's settings shown beside them."""

from __future__ import annotations

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from ..layout import FIRST_ROW, HEADER_ROW, SHEET_TARGET, TARGET_COLS
from ..spec import PERIODE, Iku
from .context import (
    Context,
    iku_number_format,
    input_cell,
    mark_findings,
    validate_iku_value,
    validate_number,
    write_heading,
    write_value,
)
from .styles import FMT_BULAT, FMT_DESIMAL, fit_row, protect, setup_print

NAME_INPUT = "InputTarget"

HEADERS = {
    "no": ("No", 5), "kode_sasaran": ("Kode Sasaran", 9), "sasaran": ("Sasaran", 30),
    "kode": ("Kode IKU", 9), "nama": ("Indikator Kinerja Utama (IKU)", 42),
    "satuan": ("Satuan", 10), "jenis": ("Jenis", 14), "polaritas": ("Polaritas", 14),
    "agregasi": ("Agregasi", 11), "diukur_pada": ("Diukur pada", 12),
    "penanggung_jawab": ("Penanggung Jawab", 18),
    "target": ("Target PK", 12), "target_revisi": ("Target Revisi", 12),
    "target_tw1": ("Target TW I", 11), "target_tw2": ("Target TW II", 11),
    "target_tw3": ("Target TW III", 11), "target_tw4": ("Target TW IV", 11),
    "baseline": ("Baseline (tahun lalu)", 12),
}

AGREGASI = {"kumulatif": "Kumulatif", "akhir": "Nilai akhir", "rata_rata": "Rata-rata"}


def jenis_text(iku: Iku) -> str:
    if iku.jenis == "kategori":
        return f"Kategori ({iku.skala.nama})" if iku.skala else "Kategori"
    if iku.rumus == "penurunan":
        return "Angka (penurunan)"
    if iku.rumus == "penurunan_persen":
        return "Angka (penurunan %)"
    if iku.rumus == "rasio":
        return "Angka (rasio X/Y)"
    return "Angka"


def polaritas_text(iku: Iku, rumus_default: str) -> str:
    if iku.polaritas == "maksimal":
        return "Maksimal"
    rumus = iku.rumus_minimal or rumus_default
    return "Minimal (T/R)" if rumus == "t_bagi_r" else "Minimal (2T-R)/T"


def diukur_text(iku: Iku) -> str:
    if tuple(iku.diukur_pada) == (1, 2, 3, 4):
        return "Semua TW"
    return ", ".join(PERIODE[q - 1] for q in iku.diukur_pada)


def write(wb: Workbook, ctx: Context) -> Worksheet:
    spec, st, lay = ctx.spec, ctx.styles, ctx.layout
    ws = wb.add_worksheet(SHEET_TARGET)
    c = TARGET_COLS
    write_heading(
        ws, ctx, "Target Kinerja (Perjanjian Kinerja)",
        "Sel kuning adalah isian. Target TW boleh dikosongkan bila tidak ada target per "
        "triwulan; baseline hanya untuk IKU penurunan.",
        c, HEADERS, 45,
        [("target", "target_revisi", "Target tahunan"),
         ("target_tw1", "target_tw4", "Target per triwulan")])

    text = st.get("text")
    rumus_default = spec.pengaturan.rumus_minimal
    no = 0
    for s in spec.sasaran:
        for iku in s.iku:
            no += 1
            row = lay.iku_rows[iku.kode]
            fixed = {
                "no": no, "kode_sasaran": s.kode, "sasaran": s.nama, "kode": iku.kode,
                "nama": iku.nama, "satuan": iku.satuan, "jenis": jenis_text(iku),
                "polaritas": polaritas_text(iku, rumus_default),
                "agregasi": "Σ X / Σ Y" if iku.rumus == "rasio" else AGREGASI.get(
                    iku.agregasi, iku.agregasi),
                "diukur_pada": diukur_text(iku), "penanggung_jawab": iku.penanggung_jawab,
            }
            for field, value in fixed.items():
                write_value(ws, f"{c[field]}{row}", value, text)
            fit_row(ws, row, [(fixed[f], HEADERS[f][1]) for f in ("sasaran", "nama")])
            tw = iku.target_tw or [None] * 4
            inputs = {"target": iku.target, "target_revisi": iku.target_revisi,
                      **{f"target_tw{q}": tw[q - 1] for q in range(1, 5)}}
            for field, value in inputs.items():
                stored, fmt = input_cell(iku, field, value, iku_number_format(iku))
                write_value(ws, f"{c[field]}{row}", stored, st.get("input", fmt))
            validate_iku_value(ws, f"{c['target']}{row}:{c['target_tw4']}{row}",
                               f"Target IKU {iku.kode}", iku, ctx)
            base = f"{c['baseline']}{row}"
            if iku.rumus == "penurunan":
                fmt = FMT_BULAT if (iku.baseline or 0).is_integer() else FMT_DESIMAL
                write_value(ws, base, iku.baseline, st.get("input", fmt))
                validate_number(ws, base, f"Baseline IKU {iku.kode}",
                                catatan="Jumlah kasus tahun sebelumnya, lebih dari 0. ",
                                bulat=True)
            else:
                ws.write_blank(base, None, st.get("na"))

    last = lay.iku_last_row
    mark_findings(ws, ctx, SHEET_TARGET, [f"{c['target']}{FIRST_ROW}:{c['baseline']}{last}"])
    wb.define_name(NAME_INPUT, f"={SHEET_TARGET}!${c['target']}${FIRST_ROW}:"
                               f"${c['baseline']}${last}")
    ws.freeze_panes(HEADER_ROW, 5)
    setup_print(ws, header_row=HEADER_ROW - 1, title=f"Target - {spec.unit.nama}")
    protect(ws, spec)
    return ws
