"""Identitas: the unit, the year, the periode (an input: one workbook serves the whole
year) and the declared budget totals. Labels in column A, values in column B."""

from __future__ import annotations

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from .. import TEMPLATE_VERSION
from ..layout import (
    IDENTITAS_ROWS,
    NAME_PERIODE_N,
    PERIODE_PILIHAN,
    SHEET_IDENTITAS,
    spec_hash,
)
from ..spec import PENUTUP_FIELDS
from ..workbook.formula_cells import periode_cell
from .context import (
    Context,
    add_button,
    mark_findings,
    validate_list,
    validate_number,
    validate_text,
    write_formula,
    write_value,
)
from .styles import FMT_BULAT, FMT_TEKS, protect, setup_print, unit_line

NAME_PERIODE = "Periode"
NAME_PIMPINAN = "InputPimpinan"
NAME_TOTAL = "InputTotalAnggaran"

# field -> (label, note shown in column C)
ROWS = {
    "nama": ("Nama unit kerja", ""),
    "kode_satker": ("Kode satker", ""),
    "provinsi": ("Provinsi", ""),
    "kepala": ("Kepala unit kerja", "Isian: nama kepala yang menandatangani laporan."),
    "nip": ("NIP/NRP kepala", "Isian: NIP 18 digit (boleh dengan spasi), atau NRP 8 digit."),
    "tahun": ("Tahun", ""),
    "periode": ("Periode laporan", "Isian: pilih TW I, TW II, TW III, TW IV atau Tahunan. "
                "Semua rumus 's.d. periode' mengikuti pilihan ini."),
    "periode_n": ("Jumlah triwulan s.d. periode", "Rumus: dihitung dari periode laporan."),
    "total_pagu_awal": ("Total pagu awal (DIPA)", "Isian: total yang tertulis di DIPA awal. "
                        "Kosongkan bila tidak ada."),
    "total_pagu_revisi": ("Total pagu revisi", "Isian: total DIPA setelah revisi / "
                          "Automatic Adjustment. Bila diisi, total ini dipakai sebagai pagu "
                          "keseluruhan."),
    "total_realisasi": ("Total realisasi anggaran (dinyatakan)", "Isian: total realisasi "
                        "menurut laporan keuangan, untuk dibandingkan dengan jumlah baris."),
    "versi_template": ("Versi template", ""),
    "hash_spec": ("Kode spec", "Sidik jari spec asal workbook ini (jangan diubah)."),
    "penutup_permasalahan": ("Penutup: permasalahan", "Isian: permasalahan utama unit dalam "
                             "mencapai kinerja tahun ini (bab Penutup LKj)."),
    "penutup_upaya": ("Penutup: upaya", "Isian: upaya yang sudah dan akan dilakukan untuk "
                      "mengatasinya."),
    "penutup_saran": ("Penutup: saran", "Isian: saran / rekomendasi untuk periode berikutnya."),
}
#: Most characters a narrative cell takes (the spec schema says the same)
PENUTUP_MAKS = 4000


def write(wb: Workbook, ctx: Context) -> Worksheet:
    spec, st = ctx.spec, ctx.styles
    ws = wb.add_worksheet(SHEET_IDENTITAS)
    ws.set_column("A:A", 36)
    ws.set_column("B:B", 34)
    ws.set_column("C:C", 70)
    ws.write_string("A1", "Identitas Unit Kerja", st.get("title"))
    ws.write_string("A2", unit_line(spec), st.get("subtitle"))
    ws.set_row(1, 30)
    add_button(ws, ctx, "C1", x_offset=300)

    label, text, inp, inp_text = (st.get("label"), st.get("text"), st.get("input"),
                                  st.get("input", FMT_TEKS))
    values = {
        "nama": spec.unit.nama, "kode_satker": spec.unit.kode_satker,
        "provinsi": spec.unit.provinsi, "kepala": spec.unit.kepala,
        "nip": spec.unit.nip or spec.unit.nrp,
        "tahun": spec.tahun, "periode": spec.periode_label,
        "total_pagu_awal": spec.total.pagu_awal, "total_pagu_revisi": spec.total.pagu_revisi,
        "total_realisasi": spec.total.realisasi, "versi_template": TEMPLATE_VERSION,
        "hash_spec": spec_hash(spec),
        **{f"penutup_{f}": getattr(spec.penutup, f) for f in PENUTUP_FIELDS},
    }
    for name, row in IDENTITAS_ROWS.items():
        title, note = ROWS[name]
        ws.write_string(f"A{row}", title, label)
        if note:
            ws.write_string(f"C{row}", note, st.get("note"))
        cell = f"B{row}"
        if name == "periode_n":
            owned = periode_cell(spec)
            write_formula(ws, cell, owned.formula, st.get("formula", "0"), owned.value)
        elif name in ("kepala", "nip"):
            write_value(ws, cell, values[name], inp_text)
        elif name.startswith("penutup_"):
            write_value(ws, cell, values[name], st.get("input", FMT_TEKS, text_wrap=True))
            ws.set_row(row - 1, 96)
        elif name == "periode":
            write_value(ws, cell, values[name], inp)
        elif name.startswith("total_"):
            write_value(ws, cell, values[name], st.get("input", FMT_BULAT))
        elif name == "tahun":
            write_value(ws, cell, values[name], st.get("text", "0"))
        else:
            write_value(ws, cell, values[name], text)

    r = IDENTITAS_ROWS
    validate_text(ws, f"B{r['kepala']}", "Kepala unit kerja", 120,
                  "Nama kepala unit kerja beserta gelar.")
    validate_text(ws, f"B{r['nip']}", "NIP/NRP kepala", 25,
                  "NIP 18 digit (boleh dengan spasi) atau NRP 8 digit.")
    validate_list(ws, f"B{r['periode']}", "Periode laporan", list(PERIODE_PILIHAN),
                  "Pilih periode laporan. Realisasi dan capaian s.d. periode dihitung ulang "
                  "otomatis.")
    for name in ("total_pagu_awal", "total_pagu_revisi", "total_realisasi"):
        validate_number(ws, f"B{r[name]}", ROWS[name][0])
    validate_text(ws, f"B{r['penutup_permasalahan']}:B{r['penutup_saran']}", "Narasi penutup",
                  PENUTUP_MAKS, "Tulis narasinya; Alt+Enter untuk baris baru di dalam sel.")

    mark_findings(ws, ctx, SHEET_IDENTITAS, [
        f"B{r['kepala']}:B{r['nip']}", f"B{r['periode']}",
        f"B{r['total_pagu_awal']}:B{r['total_realisasi']}",
        f"B{r['penutup_permasalahan']}:B{r['penutup_saran']}"])
    wb.define_name(NAME_PERIODE_N, f"={SHEET_IDENTITAS}!$B${r['periode_n']}")
    wb.define_name(NAME_PERIODE, f"={SHEET_IDENTITAS}!$B${r['periode']}")
    wb.define_name(NAME_PIMPINAN, f"={SHEET_IDENTITAS}!$B${r['kepala']}:$B${r['nip']}")
    wb.define_name(NAME_TOTAL, f"={SHEET_IDENTITAS}!$B${r['total_pagu_awal']}:"
                               f"$B${r['total_realisasi']}")

    ws.freeze_panes(3, 0)
    setup_print(ws, header_row=None, landscape=True, title=f"Identitas - {spec.unit.nama}")
    protect(ws, spec)
    return ws
