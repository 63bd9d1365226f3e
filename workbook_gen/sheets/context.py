"""What every sheet writer gets: the spec, the engine's results, the layout, the
formats, and small helpers to write inputs, formulas (with the engine's value as cached
result), data validation and the Hitung Capaian button."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

from xlsxwriter.format import Format
from xlsxwriter.utility import xl_cell_to_rowcol
from xlsxwriter.worksheet import Worksheet

from ..engine import Hasil
from ..layout import HEADER_ROW, Layout
from ..spec import Iku, Skala, Spec
from ..workbook.inputs import SATUAN_HITUNGAN, disimpan_persen, hitungan, sel_persen
from .styles import FMT_BULAT, FMT_DESIMAL, Styles, unit_line

MACRO_NAME = "HitungCapaian"
BUTTON_CAPTION = "Hitung Capaian"
BUTTON_SIZE = {"width": 150, "height": 34}

# Units counted in whole numbers: shown without decimals unless a value has some.
SATUAN_BULAT = SATUAN_HITUNGAN
#: Number format of percentage input cells (real Excel percentages: 54 % is 0.54).
FMT_PERSEN = "0.00%"


@dataclass
class Context:
    spec: Spec
    hasil: Hasil
    layout: Layout
    styles: Styles
    macro: bool  # .xlsm: VBA project and Hitung Capaian buttons
    label_lists: dict[str, str] = field(default_factory=dict)  # scale name -> list range
    summary_names: list[str] = field(default_factory=list)  # summary sheets, in order
    lite: bool = False  # .xlsx for xlwings Lite: shape buttons linked to a cell (lite/)

    @property
    def pengaturan(self):
        return self.spec.pengaturan


# --------------------------------------------------------------------------- writing


def write_heading(ws: Worksheet, ctx: Context, title: str, note: str,
                  columns: dict[str, str], headers: dict[str, tuple[str, float]],
                  header_height: float, groups: list[tuple[str, str, str]]) -> None:
    """The top of a data sheet: title, unit line, note, column widths and headers, and
    group headers spanning fields (first field, last field, text) above them."""
    st = ctx.styles
    ws.write_string("A1", title, st.get("title"))
    ws.write_string("A2", unit_line(ctx.spec), st.get("subtitle"))
    ws.write_string("A3", note, st.get("subtitle"))
    for name, (header, width) in headers.items():
        row, col = _row_col(f"{columns[name]}{HEADER_ROW}")
        ws.set_column(col, col, width)
        ws.write_string(row, col, header, st.get("header"))
    ws.set_row(HEADER_ROW - 1, header_height)
    for first, last, text in groups:
        ws.merge_range(*_area(f"{columns[first]}{HEADER_ROW - 1}:{columns[last]}"
                              f"{HEADER_ROW - 1}"), text, st.get("group_header"))


def cached(value: Any) -> Any:
    """A formula's cached result: numbers and text as they are, None as ""."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    return value


@functools.lru_cache(maxsize=8192)
def _row_col(cell: str) -> tuple[int, int]:
    """'E7' -> (6, 4); the same few hundred cells in every workbook of a katalog."""
    return xl_cell_to_rowcol(cell)


@functools.lru_cache(maxsize=4096)
def _area(rng: str) -> tuple[int, int, int, int]:
    """'E6:H12' (or 'E6') -> (5, 4, 11, 7), parsed once per process."""
    first, _, last = rng.partition(":")
    return (*_row_col(first), *_row_col(last or first))


def write_formula(ws: Worksheet, cell: str, formula: str, fmt: Format, value: Any) -> None:
    ws.write_formula(*_row_col(cell), formula, fmt, cached(value))


def write_value(ws: Worksheet, cell: str, value: Any, fmt: Format) -> None:
    """An input or fixed cell: number, text, or an empty (but formatted) cell."""
    row, col = _row_col(cell)
    if value is None or value == "":
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        ws.write_number(row, col, value, fmt)
    else:
        ws.write_string(row, col, str(value), fmt)


def add_button(ws: Worksheet, ctx: Context, cell: str, x_offset: int = 0) -> None:
    """The form button that runs the HitungCapaian macro (.xlsm only), or for xlwings Lite
    a text box whose hyperlink jumps to ``cell`` (``workbook_gen.lite`` binds it)."""
    if ctx.lite:
        sheet = ws.get_name().replace("'", "''")
        ws.insert_textbox(cell, BUTTON_CAPTION, {
            "x_offset": x_offset, "y_offset": 2, **BUTTON_SIZE,
            "url": f"internal:'{sheet}'!{cell}", "tip": BUTTON_CAPTION,
            "font": {"bold": True, "color": "#FFFFFF", "size": 11},
            "fill": {"color": "#2F5597"}, "line": {"color": "#1F3864"},
            "align": {"vertical": "middle", "horizontal": "center"}})
        return
    if not ctx.macro:
        return
    ws.insert_button(cell, {"macro": MACRO_NAME, "caption": BUTTON_CAPTION,
                            "x_offset": x_offset, "y_offset": 2, **BUTTON_SIZE})


def mark_findings(ws: Worksheet, ctx: Context, sheet: str, ranges: list[str]) -> None:
    """Mark red the input cells that Catatan Validasi lists: a conditional format that
    looks the cell's own address up in the name SelTemuan (the 'Letak' column, set by
    the generator and by every Hitung Capaian run). No input cell is ever written."""
    if not ranges:
        return
    from ..summary import SEL_TEMUAN

    criteria = f'=COUNTIF({SEL_TEMUAN},"{sheet}!"&ADDRESS(ROW(),COLUMN(),4))>0'
    ws.conditional_format(ranges[0], {
        "type": "formula", "criteria": criteria, "format": ctx.styles.mark(),
        "multi_range": " ".join(ranges), "stop_if_true": True})


# --------------------------------------------------------------------------- numbers


def _all_whole(values: list[Any]) -> bool:
    return all(float(v).is_integer() for v in values if isinstance(v, (int, float)))


def iku_number_format(iku: Iku) -> str:
    """Display format of an IKU's target and realisasi values."""
    if iku.jenis == "kategori":
        return FMT_DESIMAL
    values = [iku.target, iku.target_revisi, *(iku.target_tw or []), *iku.realisasi_tw]
    if iku.satuan.strip().casefold() in SATUAN_BULAT and _all_whole(values):
        return FMT_BULAT
    return FMT_DESIMAL


def percent_cell(iku: Iku, field: str) -> bool:
    """True when the input cell ``field`` of ``iku`` is a percentage cell."""
    return sel_persen(iku.jenis, iku.persen, iku.rumus, field)


def input_cell(iku: Iku, field: str, value: Any, number_format: str) -> tuple[Any, str]:
    """(value to store, number format) of an IKU input cell: percentage cells store the
    fraction Excel stores for a typed percentage (54 -> 0.54, format 0.00%)."""
    if not percent_cell(iku, field):
        return value, number_format
    return disimpan_persen(value), FMT_PERSEN


def kuartal_number_format(iku: Iku) -> str:
    """Display format of the quarterly realisasi inputs (counts for penurunan IKUs)."""
    if iku.rumus == "penurunan":
        return FMT_BULAT if _all_whole(list(iku.realisasi_tw)) else FMT_DESIMAL
    return iku_number_format(iku)


# --------------------------------------------------------------------------- validation

_PESAN_KOSONG = "Kosongkan bila belum ada (jangan diisi 0)."


def validate_number(ws: Worksheet, rng: str, apa: str, *, maksimum: float | None = None,
                    catatan: str = "", persen: bool = False, bulat: bool = False,
                    negatif: bool = False) -> None:
    """Decimal >= 0 (and <= maksimum for percentages), with Indonesian messages.

    Excel and LibreOffice then refuse text typed into the cell. ``persen``: a percentage
    cell (stores 0.54 for 54 %, so the bounds are divided by 100); ``bulat``: a count,
    whose message warns about thousands separators."""
    if persen and negatif:
        _validate_reduction(ws, rng, apa, maksimum, catatan)
        return
    if persen:
        _validate_percent(ws, rng, apa, maksimum, catatan)
        return
    if bulat:
        _validate_count(ws, rng, apa, catatan)
        return
    opts: dict[str, Any] = {
        "validate": "decimal",
        "ignore_blank": True,
        "input_title": _cut(apa, 32),
        "error_title": "Isian tidak sah",
    }
    if maksimum is None:
        opts.update(criteria=">=", value=0)
        opts["input_message"] = _cut(f"Isi angka 0 atau lebih. {catatan}{_PESAN_KOSONG}", 255)
        opts["error_message"] = _cut(
            f"{apa}: hanya angka 0 atau lebih (misalnya 1470 atau 12,5). {_PESAN_KOSONG}", 255)
    else:
        m = f"{maksimum:g}".replace(".", ",")
        opts.update(criteria="between", minimum=0, maximum=maksimum)
        opts["input_message"] = _cut(
            f"Isi persentase 0 sampai {m} (misalnya 97,75), bukan jumlah orang. {catatan}"
            f"{_PESAN_KOSONG}", 255)
        opts["error_message"] = _cut(
            f"{apa}: isi persentase 0 sampai {m}. Tampaknya yang diisi jumlah, bukan "
            f"persentase. {_PESAN_KOSONG}", 255)
    ws.data_validation(*_area(rng), opts)


def _validate_count(ws: Worksheet, rng: str, apa: str, catatan: str) -> None:
    """A count (Orang, Lokasi, Kasus ...): a whole number, so an English-locale Excel
    refuses "1.470" (which it reads as 1,47) at typing time."""
    ws.data_validation(*_area(rng), {
        "validate": "integer", "criteria": ">=", "value": 0, "ignore_blank": True,
        "input_title": _cut(apa, 32), "error_title": "Isian tidak sah",
        "input_message": _cut(f"Isi bilangan bulat 0 atau lebih, tanpa titik ribuan "
                              f"(misalnya 1470). {catatan}{_PESAN_KOSONG}", 255),
        "error_message": _cut(
            f"{apa}: hanya bilangan bulat 0 atau lebih, misalnya 1470. Di Excel/LibreOffice "
            f"berbahasa Inggris, 1.470 terbaca 1,47: ketik 1470 tanpa titik. {_PESAN_KOSONG}",
            255),
    })


def _validate_percent(ws: Worksheet, rng: str, apa: str, maksimum: float | None,
                      catatan: str) -> None:
    m = f"{maksimum:g}".replace(".", ",") if maksimum is not None else None
    opts: dict[str, Any] = {
        "validate": "decimal", "ignore_blank": True, "input_title": _cut(apa, 32),
        "error_title": "Isian tidak sah",
    }
    if maksimum is None:
        opts.update(criteria=">=", value=0)
        batas = "0 % atau lebih"
    else:
        opts.update(criteria="between", minimum=0, maximum=maksimum / 100)
        batas = f"0 % sampai {m} %"
    opts["input_message"] = _cut(
        f"Sel persen: ketik 54 atau 54% untuk 54 % (misalnya 97,75). {catatan}"
        f"{_PESAN_KOSONG}", 255)
    opts["error_message"] = _cut(
        f"{apa}: isi persentase {batas}, misalnya ketik 54% untuk 54 %. "
        f"Angka di atas batas biasanya jumlah, bukan persentase. {_PESAN_KOSONG}", 255)
    ws.data_validation(*_area(rng), opts)


def _validate_reduction(ws: Worksheet, rng: str, apa: str, maksimum: float | None,
                        catatan: str) -> None:
    """A reduction percentage (rumus: penurunan_persen): a rise is typed negative, so only
    the upper bound is checked."""
    m = f"{maksimum:g}".replace(".", ",") if maksimum is not None else "100"
    ws.data_validation(rng, {
        "validate": "decimal", "criteria": "<=", "value": (maksimum or 100) / 100,
        "ignore_blank": True, "input_title": _cut(apa, 32), "error_title": "Isian tidak sah",
        "input_message": _cut(
            f"Persentase penurunan: ketik 22,72% untuk 22,72 %; kenaikan ditulis negatif, "
            f"misalnya -135,15%. {catatan}{_PESAN_KOSONG}", 255),
        "error_message": _cut(
            f"{apa}: isi persentase penurunan sampai {m} % (kenaikan negatif, misalnya "
            f"-135,15%). {_PESAN_KOSONG}", 255),
    })


def validate_label(ws: Worksheet, rng: str, apa: str, skala: Skala, ctx: Context) -> None:
    """A dropdown of the scale's labels. Scales with numeric bands also accept a number
    (after a warning): the number is shown with its label."""
    labels = skala.labels
    source: Any = labels
    if any("," in label for label in labels) or len(",".join(labels)) > 250:
        source = ctx.label_lists[skala.nama]
    pilihan = ", ".join(labels)
    opts: dict[str, Any] = {
        "validate": "list",
        "source": source,
        "ignore_blank": True,
        "input_title": _cut(apa, 32),
        "error_title": "Label tidak dikenal",
    }
    if skala.punya_rentang:
        opts["error_type"] = "warning"
        opts["input_message"] = _cut(f"Pilih label: {pilihan}. Angka juga diterima dan "
                                     f"dibaca menurut rentang skala. {_PESAN_KOSONG}", 255)
        opts["error_message"] = _cut(f"Bukan label skala '{skala.nama}' ({pilihan}). Angka "
                                     "diterima (pilih Ya); teks lain tidak dihitung.", 255)
    else:
        opts["input_message"] = _cut(f"Pilih label: {pilihan}. {_PESAN_KOSONG}", 255)
        opts["error_message"] = _cut(f"Isi salah satu label skala '{skala.nama}': {pilihan}.",
                                     255)
    ws.data_validation(*_area(rng), opts)


def validate_text(ws: Worksheet, rng: str, apa: str, maks: int, pesan: str) -> None:
    ws.data_validation(*_area(rng), {
        "validate": "length", "criteria": "<=", "value": maks, "ignore_blank": True,
        "input_title": _cut(apa, 32), "input_message": _cut(pesan, 255),
        "error_title": "Teks terlalu panjang",
        "error_message": _cut(f"{apa}: paling banyak {maks} karakter.", 255),
    })


def validate_list(ws: Worksheet, rng: str, apa: str, pilihan: list[str], pesan: str) -> None:
    ws.data_validation(*_area(rng), {
        "validate": "list", "source": pilihan, "ignore_blank": False,
        "input_title": _cut(apa, 32), "input_message": _cut(pesan, 255),
        "error_title": "Pilihan tidak dikenal",
        "error_message": _cut(f"{apa}: pilih salah satu: {', '.join(pilihan)}.", 255),
    })


def validate_iku_value(ws: Worksheet, rng: str, apa: str, iku: Iku, ctx: Context,
                       *, kuartal: bool = False) -> None:
    """The validation of one IKU value cell (target or realisasi); a kategori IKU whose
    capaian divides scores (``capaian_skor: nilai``) takes numbers, not the label list."""
    if iku.jenis == "kategori" and iku.skala is not None and iku.capaian_peringkat:
        validate_label(ws, rng, apa, iku.skala, ctx)
        return
    maksimum = None
    if kuartal and iku.persen and iku.rumus in ("langsung", "penurunan_persen"):
        maksimum = ctx.pengaturan.batas_realisasi_persen
    catatan = "Isi jumlah kasus triwulan ini. " if kuartal and iku.rumus == "penurunan" else ""
    field = "realisasi_tw1" if kuartal else "target"
    validate_number(ws, rng, apa, maksimum=maksimum, catatan=catatan,
                    persen=percent_cell(iku, field),
                    bulat=hitungan(iku.satuan, iku.rumus, field),
                    negatif=kuartal and iku.rumus == "penurunan_persen")


def _cut(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"
