"""Anggaran: per kegiatan / komponen line the pagu and quarterly realisasi (input) with
formulas for pagu efektif, realisasi s.d. periode, serapan and sisa; then subtotal rows
per kegiatan and per jenis belanja, and the total (which honours the declared totals on
Identitas exactly as engine.hitung_anggaran)."""

from __future__ import annotations

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from ..engine import Pos
from ..layout import (
    ANGGARAN_ANGKA,
    ANGGARAN_COLS,
    FIRST_ROW,
    HEADER_ROW,
    SHEET_ANGGARAN,
)
from ..workbook.formula_cells import group_cells, group_members, line_cells, line_inputs
from .context import (
    Context,
    add_button,
    mark_findings,
    validate_number,
    write_formula,
    write_heading,
    write_value,
)
from .styles import FMT_BULAT, fit_row, fmt_desimal, protect, setup_print

NAME_INPUT = "InputAnggaran"
NAME_HASIL = "HasilAnggaran"

HEADERS_ISIAN = {"pagu_awal": "Pagu Awal", "pagu_revisi": "Pagu Revisi",
                 "realisasi_tw1": "Realisasi TW I", "realisasi_tw2": "Realisasi TW II",
                 "realisasi_tw3": "Realisasi TW III", "realisasi_tw4": "Realisasi TW IV",
                 "realisasi_tahunan": "Realisasi Tahunan"}
HEADERS = {
    "no": ("No", 5), "kode_kegiatan": ("Kode Kegiatan", 9), "kegiatan": ("Kegiatan", 28),
    "kode": ("Kode Komponen / RO", 10), "nama": ("Komponen", 36), "sasaran": ("Sasaran", 9),
    "akun": ("Akun", 9), "jenis_belanja": ("Jenis Belanja", 8),
    "pagu_awal": ("Pagu Awal (Rp)", 16), "pagu_revisi": ("Pagu Revisi (Rp)", 16),
    "realisasi_tw1": ("Realisasi TW I (Rp)", 16), "realisasi_tw2": ("Realisasi TW II (Rp)", 16),
    "realisasi_tw3": ("Realisasi TW III (Rp)", 16),
    "realisasi_tw4": ("Realisasi TW IV (Rp)", 16),
    "pagu": ("Pagu Efektif (Rp)", 16), "realisasi_sd": ("Realisasi s.d. periode (Rp)", 16),
    "serapan": ("Serapan (%)", 10), "sisa": ("Sisa (Rp)", 16),
    **{angka: (f"Angka terbaca: {HEADERS_ISIAN[field]}", 14)
       for field, angka in ANGGARAN_ANGKA.items()},
    "realisasi_tahunan": ("Realisasi Tahunan (Rp), bila hanya angka setahun", 18),
}
JENIS_NAMA = {"51": "Belanja Pegawai", "52": "Belanja Barang", "53": "Belanja Modal"}
MONEY = ("pagu_awal", "pagu_revisi", "realisasi_tw1", "realisasi_tw2", "realisasi_tw3",
         "realisasi_tw4", "pagu", "realisasi_sd", "sisa", "realisasi_tahunan")


def write(wb: Workbook, ctx: Context) -> Worksheet:
    spec, st, lay = ctx.spec, ctx.styles, ctx.layout
    p = spec.pengaturan
    c = ANGGARAN_COLS
    ws = wb.add_worksheet(SHEET_ANGGARAN)
    add_button(ws, ctx, f"{c['pagu']}1")
    write_heading(
        ws, ctx, "Realisasi Anggaran",
        "Isi pagu dan realisasi per triwulan (sel kuning, dalam rupiah). Pagu efektif = pagu "
        "revisi bila diisi, selain itu pagu awal.",
        c, HEADERS, 45,
        [("pagu_awal", "realisasi_tw4", "Isian"),
         ("pagu", "sisa", "Dihitung otomatis s.d. periode (rumus)")])
    width = HEADERS[next(iter(ANGGARAN_ANGKA.values()))][1]
    for h in ANGGARAN_ANGKA.values():  # helper columns (layout.ANGGARAN_ANGKA), hidden
        ws.set_column(f"{c[h]}:{c[h]}", width, None, {"hidden": True})

    text = st.get("text")
    money_in = st.get("input", FMT_BULAT)
    money_f = st.get("formula", FMT_BULAT)
    pct_f = st.get("formula", fmt_desimal(p.desimal))
    a = ctx.hasil.anggaran
    for i, (line, pos) in enumerate(zip(spec.anggaran, a.baris, strict=True)):
        row = lay.line_rows[line.key]
        fixed = {"no": i + 1, "kode_kegiatan": line.kegiatan_kode,
                 "kegiatan": line.kegiatan_nama, "kode": line.kode,
                 "nama": None if line.tanpa_komponen else line.nama,  # the kegiatan, once
                 "sasaran": ", ".join(line.sasaran_semua) or line.sasaran, "akun": line.akun,
                 "jenis_belanja": line.jenis_belanja}
        for field, value in fixed.items():
            write_value(ws, f"{c[field]}{row}", value, text)
        fit_row(ws, row, [(fixed[f], HEADERS[f][1]) for f in ("kegiatan", "nama")])
        for field, value in line_inputs(line).items():
            write_value(ws, f"{c[field]}{row}", value, money_in)
        validate_number(ws, f"{c['pagu_awal']}{row}:{c['pagu_revisi']}{row}",
                        f"Pagu '{line.kode}'", catatan="Dalam rupiah, tanpa titik pun boleh. ")
        validate_number(ws, f"{c['realisasi_tw1']}{row}:{c['realisasi_tw4']}{row}",
                        f"Realisasi anggaran '{line.kode}'", catatan="Dalam rupiah. ")
        write_value(ws, f"{c['realisasi_tahunan']}{row}", line.realisasi_tahunan, money_in)
        validate_number(ws, f"{c['realisasi_tahunan']}{row}",
                        f"Realisasi tahunan '{line.kode}'",
                        catatan="Dalam rupiah; dipakai pada TW IV / Tahunan menggantikan "
                                "jumlah triwulan. ")
        for field, cell in line_cells(line, row, pos, p).items():
            write_formula(ws, f"{c[field]}{row}", cell.formula,
                          pct_f if field == "serapan" else money_f, cell.value)

    if spec.anggaran:
        _write_groups(ws, ctx)
        last = lay.line_last_row
        mark_findings(ws, ctx, SHEET_ANGGARAN,
                      [f"{c['pagu_awal']}{FIRST_ROW}:{c['realisasi_tw4']}{last}",
                       f"{c['realisasi_tahunan']}{FIRST_ROW}:{c['realisasi_tahunan']}{last}"])
        wb.define_name(NAME_INPUT, f"={SHEET_ANGGARAN}!${c['pagu_awal']}${FIRST_ROW}:"
                                   f"${c['realisasi_tw4']}${last}")
        wb.define_name(NAME_HASIL, f"={SHEET_ANGGARAN}!${c['pagu']}${FIRST_ROW}:"
                                   f"${c['sisa']}${last}")
    else:
        ws.write_string(f"A{FIRST_ROW}", "Spec ini tidak memuat anggaran.", st.get("note"))
    ws.freeze_panes(HEADER_ROW, 5)
    setup_print(ws, header_row=HEADER_ROW - 1, title=f"Anggaran - {spec.unit.nama}")
    protect(ws, spec)
    return ws


def _write_groups(ws: Worksheet, ctx: Context) -> None:
    spec, st, lay = ctx.spec, ctx.styles, ctx.layout
    c = ANGGARAN_COLS
    p = spec.pengaturan
    a = ctx.hasil.anggaran
    members = group_members(spec, lay)
    by_kegiatan = {pos.kode: pos for pos in a.per_kegiatan}
    by_jenis = {pos.kode: pos for pos in a.per_jenis_belanja}
    label = st.get("label")
    first_keg = min(r for k, r in lay.subtotal_rows.items() if k.startswith("kegiatan:"))
    first_jenis = min(r for k, r in lay.subtotal_rows.items() if k.startswith("jenis:"))
    ws.write_string(f"{c['kegiatan']}{first_keg - 1}", "Jumlah per kegiatan", label)
    ws.write_string(f"{c['kegiatan']}{first_jenis - 1}", "Jumlah per jenis belanja", label)

    groups: list[tuple[str, int, Pos, dict[str, str]]] = []
    for key, row in lay.subtotal_rows.items():
        kind, kode = key.split(":", 1)
        if kind == "kegiatan":
            pos = by_kegiatan[kode]
            names = {"kode_kegiatan": kode, "kegiatan": f"Jumlah {pos.nama}"}
        else:
            pos = by_jenis[kode]
            names = {"jenis_belanja": "" if kode == "-" else kode,
                     "kegiatan": f"Jumlah {pos.nama}" + ("" if kode == "-" else f" ({kode})")}
        groups.append((key, row, pos, names))
    assert lay.total_row is not None
    groups.append(("total", lay.total_row, a.total, {"kegiatan": "JUMLAH SELURUHNYA"}))

    for key, row, pos, names in groups:
        style = "total" if key == "total" else "group"
        for field in ("no", "kode_kegiatan", "kegiatan", "kode", "nama", "sasaran", "akun",
                      "jenis_belanja"):
            write_value(ws, f"{c[field]}{row}", names.get(field), st.get(style))
        for field, cell in group_cells(key, members[key], row, pos, p).items():
            fmt = st.get(style, fmt_desimal(p.desimal) if field == "serapan" else FMT_BULAT)
            write_formula(ws, f"{c[field]}{row}", cell.formula, fmt, cell.value)
