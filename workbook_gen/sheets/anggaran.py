"""Anggaran: per kegiatan / komponen line the pagu and quarterly realisasi (input) with
formulas for pagu efektif, realisasi s.d. periode, serapan and sisa; then subtotal rows
per kegiatan and per jenis belanja, and the total (which honours the declared totals on
Identitas exactly as engine.hitung_anggaran)."""

from __future__ import annotations

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from .. import formulas
from ..engine import Pos, bulatkan
from ..layout import (
    ANGGARAN_ANGKA,
    ANGGARAN_COLS,
    FIRST_ROW,
    HEADER_ROW,
    SHEET_ANGGARAN,
    Layout,
)
from ..spec import Pengaturan, Spec
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
                 "realisasi_tw3": "Realisasi TW III", "realisasi_tw4": "Realisasi TW IV"}
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


def group_members(spec: Spec, layout: Layout) -> dict[str, list[int]]:
    """Subtotal key ("kegiatan:01", "jenis:52", "total") -> rows of its budget lines."""
    out: dict[str, list[int]] = {}
    for line in spec.anggaran:
        row = layout.line_rows[line.key]
        out.setdefault(f"kegiatan:{line.kegiatan_kode}", []).append(row)
        out.setdefault(f"jenis:{line.jenis_belanja or '-'}", []).append(row)
        out.setdefault("total", []).append(row)
    return out


def group_rows(layout: Layout) -> dict[str, int]:
    """Subtotal key -> its row, the total ("total") last."""
    out = dict(layout.subtotal_rows)
    if layout.total_row is not None:
        out["total"] = layout.total_row
    return out


def line_formulas(row: int, p: Pengaturan) -> dict[str, str]:
    """The formulas of a budget line row."""
    return {"pagu": formulas.pagu_efektif(row),
            "realisasi_sd": formulas.realisasi_anggaran_sd(row),
            "serapan": formulas.serapan(row, p), "sisa": formulas.sisa(row),
            **{angka: formulas.angka(field, row) for field, angka in ANGGARAN_ANGKA.items()}}


def pos_values(pos: Pos) -> dict[str, object]:
    """Engine values of a budget row (the cached results of its formulas)."""
    return {
        "pagu_awal": pos.pagu_awal, "pagu_revisi": pos.pagu_revisi,
        **{f"realisasi_tw{q}": pos.realisasi_tw[q - 1] for q in range(1, 5)},
        "pagu": pos.pagu, "realisasi_sd": pos.realisasi, "serapan": pos.serapan,
        "sisa": pos.sisa,
    }


def group_formulas(key: str, rows: list[int], row: int, p: Pengaturan) -> dict[str, str]:
    """The formulas of a subtotal row (kegiatan, jenis belanja) or of the total."""
    return {
        "pagu_awal": formulas.jumlah_pagu_awal(rows),
        "pagu_revisi": formulas.jumlah_pagu_revisi(rows),
        **{f"realisasi_tw{q}": formulas.jumlah(f"realisasi_tw{q}", rows) for q in range(1, 5)},
        "pagu": formulas.pagu_total(rows) if key == "total" else formulas.jumlah("pagu", rows),
        "realisasi_sd": formulas.jumlah("realisasi_sd", rows),
        "serapan": formulas.serapan(row, p),
        "sisa": formulas.sisa(row),
    }


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
    helpers = [c[h] for h in ANGGARAN_ANGKA.values()]
    ws.set_column(f"{helpers[0]}:{helpers[-1]}", HEADERS[next(iter(ANGGARAN_ANGKA.values()))][1],
                  None, {"hidden": True})  # helper columns (layout.ANGGARAN_ANGKA)

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
        inputs = {"pagu_awal": line.pagu_awal, "pagu_revisi": line.pagu_revisi,
                  **{f"realisasi_tw{q}": line.realisasi_tw[q - 1] for q in range(1, 5)}}
        for field, value in inputs.items():
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
        values = pos_values(pos)
        values.update({ANGGARAN_ANGKA[f]: v for f, v in inputs.items()})  # as read
        for field, formula in line_formulas(row, p).items():
            write_formula(ws, f"{c[field]}{row}", formula,
                          pct_f if field == "serapan" else money_f, _round(field, values, ctx))

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


def _round(field: str, values: dict[str, object], ctx: Context) -> object:
    v = values[field]
    if field == "serapan" and isinstance(v, float):
        return bulatkan(v, ctx.spec.pengaturan)
    return v


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
        values = pos_values(pos)
        for field, formula in group_formulas(key, members[key], row, p).items():
            fmt = st.get(style, fmt_desimal(p.desimal) if field == "serapan" else FMT_BULAT)
            write_formula(ws, f"{c[field]}{row}", formula, fmt, _round(field, values, ctx))
