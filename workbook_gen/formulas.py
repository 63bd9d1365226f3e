"""The Excel statement of every engine rule: one function per formula kind.

Each function returns the text of one cell formula, built for one row from that IKU's
settings (polaritas, rumus minimal, agregasi, diukur_pada, rumus penurunan, jenis
kategori with its scale) and from ``pengaturan`` (rounding, category bands). The
formulas need no lookups into other rows and no helper cells: everything an IKU's
rule needs is written into its own row. ``workbook_gen.engine`` is the reference;
``tests/test_formulas_libreoffice.py`` recalculates these formulas in LibreOffice and
compares every cell with the engine.

Conventions (mirroring the engine):

* "s.d. periode" uses the defined name ``PeriodeN`` (Identitas!B11: quarters covered),
  so changing the periode on Identitas recalculates the whole workbook.
* A quarter counts as reported only when its cell holds a number (angka IKUs) or a
  label of the IKU's scale / a number inside the scale's bands (kategori IKUs). Blanks,
  "-" and other text are "not reported". An input cell counts as a number only when
  :func:`isnum` says so: ISNUMBER and not ISLOGICAL, because LibreOffice stores TRUE
  as the number 1 (ISNUMBER, COUNT and SUM take it) where Excel and Gnumeric do not.
* Nothing reported, a target that is blank, text or 0: the cell shows "" (never an
  error value such as #DIV/0!). Every input form follows ``workbook.inputs``: text, an
  error value or TRUE/FALSE in a number cell is not a number (sums use
  ``IF(isnum(x),x,0)``, so even #N/A typed in a cell does not spread; budget group rows
  add up the helper columns S:X, the line's inputs as numbers, see ``layout``).
* Percentage cells of workbooks that store real percentages (``Cells.persen_pecahan``)
  hold 54 % as 0.54: every read of such a cell is ``x*100``, as the reader does.
* Kategori labels are looked up in the scale's list on the hidden _meta sheet
  (``layout.label_ranges``), so a formula's length does not grow with the labels.
* Every formula stays under Excel's 8,192 characters (:data:`MAX_FORMULA`); the spec's
  schema bounds the scales so that it can.
* Only functions Excel 2010+, LibreOffice and Gnumeric evaluate alike: IF, AND, OR,
  ISNUMBER, ISLOGICAL, ISBLANK, CHOOSE, COUNT, SUM, MAX, ROUND, TRUNC, MATCH, INDEX,
  LOOKUP, TRIM, IFERROR, with inline array constants for scale bands. No XLOOKUP, LET
  or dynamic arrays.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .layout import (
    ANGGARAN_ANGKA,
    ANGGARAN_COLS,
    IDENTITAS_ROWS,
    NAME_PERIODE_N,
    REALISASI_COLS,
    TARGET_COLS,
    Layout,
    label_ranges,
)
from .layout import SHEET_IDENTITAS as _IDENTITAS
from .layout import SHEET_TARGET as _TARGET
from .spec import PERIODE, Iku, Pengaturan, Skala, Spec
from .tahunan import BERLAKU_SEJAK
from .workbook.inputs import PERSEN_PECAHAN, sel_persen

P_N = NAME_PERIODE_N
QUARTERS = (1, 2, 3, 4)
#: Lower bound used for a scale's lowest level (its band starts at minus infinity).
LOWEST = "-1E+300"
#: Excel's limit on the length of a formula, in characters (checked with the leading "=",
#: one character stricter than Excel).
MAX_FORMULA = 8192


@dataclass(frozen=True)
class Cells:
    """How a workbook's input cells are to be read (from its layout): whether its
    percentage cells store real percentages (0.54 for 54 %), and where each scale's
    labels are listed (scale name -> absolute range; inline arrays when absent)."""

    persen_pecahan: bool = True
    label_ranges: Mapping[str, str] = field(default_factory=dict)
    tahunan: bool = False  # the Realisasi sheet has the annual realisasi column (T)


BAKU = Cells()


def cells_for(spec: Spec, layout: Layout) -> Cells:
    """The conventions of the workbook of ``spec`` laid out as ``layout``."""
    return Cells(persen_pecahan=layout.persen == PERSEN_PECAHAN,
                 label_ranges=label_ranges(spec), tahunan=layout.tahunan)


# --------------------------------------------------------------------------- literals


def num(x: float) -> str:
    """A number literal as Excel reads it (no float noise, no 'e')."""
    if float(x).is_integer():
        return str(int(x))
    return format(x, ".15g").upper()


def text(s: str) -> str:
    """A string literal: double quotes, inner quotes doubled."""
    return '"' + s.replace('"', '""') + '"'


def array(items: Sequence[str]) -> str:
    """An inline row array constant: {"a","b"} or {1,2}."""
    return "{" + ",".join(items) + "}"


def ref(sheet: str, col: str, row: int) -> str:
    """'Sheet!A1', quoting the sheet name where Excel needs it."""
    if sheet.replace("_", "").isalnum() and not sheet[0].isdigit() and not sheet[0] == "_":
        return f"{sheet}!{col}{row}"
    return "'" + sheet.replace("'", "''") + f"'!{col}{row}"


def bulatkan(x: str, p: Pengaturan) -> str:
    """Rounding as engine.bulatkan: ROUND (half away from zero) or truncation."""
    if p.pembulatan == "potong":
        return f"TRUNC(ROUND({x},10),{p.desimal})"
    return f"ROUND({x},{p.desimal})"


def isnum(x: str) -> str:
    """TRUE when input cell ``x`` holds a number as every engine reads it (not TRUE/FALSE,
    which LibreOffice would count as 1/0; not text, not an error value)."""
    return f"AND(ISNUMBER({x}),NOT(ISLOGICAL({x})))"


# --------------------------------------------------------------------------- periode


def periode_n(periode_cell: str | None = None) -> str:
    """Identitas!B11: quarters covered by the periode typed in B10 (TW I -> 1,
    ... TW IV and Tahunan -> 4; anything else -> 4, the whole year)."""
    cell = periode_cell or f"B{IDENTITAS_ROWS['periode']}"
    labels = array([text(p) for p in (*PERIODE, "Tahunan")])
    return f"=IFERROR(MIN(4,MATCH(TRIM({cell}),{labels},0)),4)"


# --------------------------------------------------------------------------- scales


def _scale_labels(skala: Skala, cells: Cells = BAKU) -> str:
    return cells.label_ranges.get(skala.nama) or array([text(lb) for lb in skala.labels])


def rank(skala: Skala, x: str, cells: Cells = BAKU) -> str:
    """Rank (1 = lowest) of a label or, where the scale has bands, of a number; an
    error value when ``x`` is neither (callers wrap it in ISNUMBER or IFERROR)."""
    match = f"MATCH(TRIM({x}),{_scale_labels(skala, cells)},0)"
    if not skala.punya_rentang:
        return match
    mins = [LOWEST] + [num(t.minimal) for t in skala.tingkat[1:]]  # type: ignore[arg-type]
    ranks = [str(i) for i in range(1, len(skala.tingkat) + 1)]
    return f"IF({isnum(x)},LOOKUP({x},{array(mins)},{array(ranks)}),{match})"


def _canonical(skala: Skala, x: str, cells: Cells = BAKU) -> str:
    """A kategori value as the engine keeps it: the number, or the scale's own label
    (INDEX over the list range; CHOOSE where the labels are inline, as Gnumeric gives
    #REF! for INDEX over an inline array with one index)."""
    labels = _scale_labels(skala, cells)
    if labels.startswith("{"):
        label = f"CHOOSE(MATCH(TRIM({x}),{labels},0),{','.join(text(b) for b in skala.labels)})"
    else:
        label = f"INDEX({labels},MATCH(TRIM({x}),{labels},0))"
    if not skala.punya_rentang:
        return label
    return f"IF({isnum(x)},{x},{label})"


def _reported(iku: Iku, x: str, cells: Cells = BAKU) -> str:
    """TRUE when cell ``x`` holds a value the engine reads (else: not reported)."""
    if iku.jenis == "kategori" and iku.skala is not None:
        return f"ISNUMBER({rank(iku.skala, x, cells)})"
    return isnum(x)


def _value(iku: Iku, x: str, cells: Cells = BAKU, scale: bool = False) -> str:
    """The value of cell ``x`` as the engine reads it (``scale``: a percentage cell
    storing 0.54 for 54 %)."""
    if iku.jenis == "kategori" and iku.skala is not None:
        return _canonical(iku.skala, x, cells)
    return f"{x}*100" if scale else x


def _scaled(iku: Iku, fname: str, cells: Cells) -> bool:
    """True when the input cell ``fname`` stores a real percentage (0.54 for 54 %)."""
    return cells.persen_pecahan and sel_persen(iku.jenis, iku.persen, iku.rumus, fname)


def nilai_isian(iku: Iku, fname: str, x: str, cc: Cells = BAKU) -> str:
    """An expression (no "="): input cell ``x`` (field ``fname`` of ``iku``, e.g.
    "realisasi_tw2" or "target") as the engine reads it: the number (a percentage cell's
    0.54 as 54), for kategori IKUs the scale's label or banded number, and "" when the cell
    holds no number (text, TRUE/FALSE, an error value, blank). For formulas elsewhere
    (summary sheets) that show a single input cell."""
    value = _value(iku, x, cc, _scaled(iku, fname, cc))
    return f'IF({_reported(iku, x, cc)},{value},"")'


# --------------------------------------------------------------------------- quarters


def _measured(iku: Iku) -> list[int]:
    return [q for q in QUARTERS if q in iku.diukur_pada]


def _count(cells: dict[int, str], quarters: list[int]) -> str:
    """Number of numeric cells among ``quarters`` that are <= PeriodeN."""
    return "+".join(f"({P_N}>={q})*{isnum(cells[q])}" for q in quarters) or "0"


def _sum(cells: dict[int, str], quarters: list[int], scale: bool = False) -> str:
    """Sum of numeric cells among ``quarters`` that are <= PeriodeN (text, TRUE/FALSE and
    error values count as nothing); ``scale``: each cell read as x*100."""
    factor = "*100" if scale else ""
    return "+".join(f"({P_N}>={q})*IF({isnum(c)},{c}{factor},0)"
                    for q, c in ((q, cells[q]) for q in quarters)) or "0"


def _last(iku: Iku, cells: dict[int, str], quarters: list[int], cc: Cells = BAKU,
          scale: bool = False) -> str:
    """The last reported value among ``quarters`` that are <= PeriodeN, else ""."""
    out = '""'
    for q in quarters:  # innermost IF is the first quarter
        x = cells[q]
        out = (f"IF(AND({P_N}>={q},{_reported(iku, x, cc)}),{_value(iku, x, cc, scale)},"
               f"{out})")
    return out


def _aggregate(iku: Iku, cells: dict[int, str], cara: str, cc: Cells = BAKU,
               scale: bool = False) -> tuple[str, str]:
    """(count, value) expressions of the aggregation ``cara`` over the measured quarters."""
    qs = _measured(iku)
    cnt = _count(cells, qs)
    if cara == "kumulatif":
        return cnt, _sum(cells, qs, scale)
    if cara == "rata_rata":
        return cnt, f"({_sum(cells, qs, scale)})/({cnt})"
    return cnt, _last(iku, cells, qs, cc, scale)


def _cells(sheet: str | None, cols: dict[str, str], prefix: str, row: int) -> dict[int, str]:
    out = {}
    for q in QUARTERS:
        col = cols[f"{prefix}{q}"]
        out[q] = ref(sheet, col, row) if sheet else f"{col}{row}"
    return out


# --------------------------------------------------------------------------- Realisasi


def realisasi_sd(iku: Iku, row: int, cc: Cells = BAKU) -> str:
    """Realisasi!I: realisasi s.d. periode by the IKU's agregasi.

    kumulatif: sum of reported measured quarters; akhir: the last one; rata_rata: their
    mean. Penurunan (with a baseline on Target!R): (baseline - aggregate) / baseline x
    100. Kategori: the last reported label (or banded number). "" when none reported.
    From TW IV, an annual realisasi typed in T replaces the aggregate (``_tahunan``).
    """
    cells = _cells(None, REALISASI_COLS, "realisasi_tw", row)
    if iku.jenis == "kategori":
        return "=" + _tahunan(iku, row, cc, _last(iku, cells, _measured(iku), cc))[1]
    if iku.rumus == "rasio":
        return "=" + _tahunan(iku, row, cc, rasio_sd(iku, row)[1:])[1]
    cnt, agg = _aggregate(iku, cells, iku.agregasi, cc, _scaled(iku, "realisasi_tw1", cc))
    cnt, agg = _tahunan(iku, row, cc, agg, cnt)
    if iku.rumus == "penurunan":
        base = ref(_TARGET, TARGET_COLS["baseline"], row)
        value = f"IF(IF({isnum(base)},{base},0)=0,{agg},({base}-({agg}))/{base}*100)"
    else:
        value = agg
    if iku.agregasi == "akhir" and iku.rumus != "penurunan":
        return "=" + agg
    return f'=IF(({cnt})=0,"",{value})'


def _tahunan(iku: Iku, row: int, cc: Cells, agg: str, cnt: str = "0") -> tuple[str, str]:
    """(count, value) with the annual realisasi (Realisasi!T) in place of the quarters'
    aggregate when the periode covers the year and T holds a value (``workbook_gen.tahunan``);
    unchanged in workbooks without the column."""
    if not cc.tahunan:
        return cnt, agg
    x = f"{REALISASI_COLS['realisasi_tahunan']}{row}"
    applies = f"AND({P_N}>={BERLAKU_SEJAK},{_reported(iku, x, cc)})"
    value = _value(iku, x, cc, _scaled(iku, "realisasi_tahunan", cc))
    return f"({cnt})+{applies}", f"IF({applies},{value},{agg})"


def target(iku: Iku, row: int, cc: Cells = BAKU) -> str:
    """Realisasi!J: the PK target of Target!L as the engine reads it: a number (a label
    or banded number for kategori IKUs); "" when blank or unreadable text."""
    t = ref(_TARGET, TARGET_COLS["target"], row)
    value = _value(iku, t, cc, _scaled(iku, "target", cc))
    return f'=IF({_reported(iku, t, cc)},{value},"")'


def target_revisi(iku: Iku, row: int, cc: Cells = BAKU) -> str:
    """Realisasi!K: the revised target where one is given, else the PK target (J)."""
    t = ref(_TARGET, TARGET_COLS["target_revisi"], row)
    j = f"{REALISASI_COLS['target']}{row}"
    value = _value(iku, t, cc, _scaled(iku, "target_revisi", cc))
    return f"=IF({_reported(iku, t, cc)},{value},{j})"


def target_sd(iku: Iku, row: int, cc: Cells = BAKU) -> str:
    """Realisasi!L: target s.d. periode from the TW targets on Target!N:Q.

    Aggregated like the realisasi (sum / last / mean of the given measured quarters);
    for kategori and penurunan IKUs the last given measured TW target. "" when none.
    """
    cells = _cells(_TARGET, TARGET_COLS, "target_tw", row)
    scale = _scaled(iku, "target_tw1", cc)
    if iku.jenis == "kategori" or iku.rumus == "penurunan":
        return "=" + _last(iku, cells, _measured(iku), cc, scale)
    cnt, agg = _aggregate(iku, cells, iku.agregasi, cc, scale)
    if iku.agregasi == "akhir":
        return "=" + agg
    return f'=IF(({cnt})=0,"",{agg})'


def _ratio(r: str, t: str, iku: Iku, p: Pengaturan) -> tuple[str, str | None]:
    """Capaian expression from numeric r and t, and an extra 'undefined' condition.
    A reduction IKU whose negative capaian counts as 0 (``penurunan_negatif: nol``) gets
    MAX(0, ...) around it, as engine._capaian."""
    expr, extra = _ratio_raw(r, t, iku, p)
    if iku.negatif_nol(p) and not expr.startswith("MAX(0,"):
        expr = f"MAX(0,{expr})"
    return expr, extra


def _ratio_raw(r: str, t: str, iku: Iku, p: Pengaturan) -> tuple[str, str | None]:
    if iku.polaritas == "maksimal":
        return f"{r}/{t}*100", None
    if (iku.rumus_minimal or p.rumus_minimal) == "t_bagi_r":
        return f"{t}/{r}*100", f"{r}=0"
    return f"MAX(0,(2*{t}-{r})/{t}*100)", None


def capaian(iku: Iku, row: int, target_col: str, p: Pengaturan, cc: Cells = BAKU) -> str:
    """Realisasi!M/N/O: capaian of realisasi (I) against the target in ``target_col``
    (J: PK, K: revised, L: s.d. periode), rounded as pengaturan says.

    maksimal: R/T x 100; minimal: MAX(0, (2T - R)/T x 100) or T/R x 100 (R = 0: "").
    Kategori IKUs use the ranks of R and T on the scale (``Iku.capaian_peringkat``:
    ``capaian_skor`` chooses ranks or the scores themselves). "" when R or T is missing
    or T is 0.
    """
    r = f"{REALISASI_COLS['realisasi_sd']}{row}"
    t = f"{target_col}{row}"
    if iku.capaian_peringkat and iku.skala is not None:
        expr, _ = _ratio(rank(iku.skala, r, cc), rank(iku.skala, t, cc), iku, p)
        return f'=IFERROR({bulatkan(expr, p)},"")'
    expr, extra = _ratio(r, t, iku, p)
    undefined = f"OR({t}=0,{extra})" if extra else f"{t}=0"
    return f'=IF(AND(ISNUMBER({r}),ISNUMBER({t})),IF({undefined},"",{bulatkan(expr, p)}),"")'


def kolom_utama(p: Pengaturan) -> str:
    """The Realisasi field of the headline capaian (``pengaturan.target_utama``): M
    against the PK target, or N against the revised one; the category (P), the means and
    the summaries' categories follow it."""
    return "capaian_revisi" if p.utama_revisi else "capaian"


def kategori(capaian_cell: str, p: Pengaturan) -> str:
    """Realisasi!P: the category band of the (rounded) capaian; "" without capaian."""
    return f'=IF(ISNUMBER({capaian_cell}),{kategori_chain(capaian_cell, p)},"")'


def kategori_chain(x: str, p: Pengaturan) -> str:
    """IF-chain over pengaturan.kategori, highest band first (engine.kategori_untuk)."""
    bands = list(p.kategori)
    out = text(bands[-1].nama)
    for band in reversed(bands):
        if band.minimal is None:
            out = text(band.nama)
            continue
        op = ">" if band.lebih_dari else ">="
        out = f"IF({x}{op}{num(band.minimal)},{text(band.nama)},{out})"
    return out


# --------------------------------------------------------------------------- Anggaran


def _a(field: str, row: int) -> str:
    return f"{ANGGARAN_COLS[field]}{row}"


def pagu_efektif(row: int) -> str:
    """Anggaran!O on a line: pagu revisi if given, else pagu awal (text counts as blank)."""
    rev, awal = _a("pagu_revisi", row), _a("pagu_awal", row)
    return f"=IF({isnum(rev)},{rev},IF({isnum(awal)},{awal},0))"


def realisasi_anggaran_sd(row: int) -> str:
    """Anggaran!P on a line: realisasi TW I..PeriodeN (blanks and text count 0); at TW IV
    the annual realisasi (Y) when one is typed (anggaran.realisasi_baris)."""
    cells = _cells(None, ANGGARAN_COLS, "realisasi_tw", row)
    annual = _a("realisasi_tahunan", row)
    return f"=IF(AND({P_N}=4,{isnum(annual)}),{annual},{_sum(cells, list(QUARTERS))})"


def angka(field: str, row: int) -> str:
    """Anggaran!S:X on a line: the input ``field`` as a number, "" when it holds none."""
    x = _a(field, row)
    return f'=IF({isnum(x)},{x},"")'


def serapan(row: int, p: Pengaturan) -> str:
    """Anggaran!Q: realisasi / pagu x 100, rounded; "" when the pagu is 0."""
    pagu, real = _a("pagu", row), _a("realisasi_sd", row)
    return f'=IF({pagu}=0,"",{bulatkan(f"{real}/{pagu}*100", p)})'


def sisa(row: int) -> str:
    """Anggaran!R: pagu - realisasi."""
    return f"={_a('pagu', row)}-{_a('realisasi_sd', row)}"


def runs(rows: Sequence[int]) -> list[tuple[int, int]]:
    """Consecutive runs of ``rows``: [6, 7, 8, 11] -> [(6, 8), (11, 11)]."""
    out: list[tuple[int, int]] = []
    for r in sorted(rows):
        if out and r == out[-1][1] + 1:
            out[-1] = (out[-1][0], r)
        else:
            out.append((r, r))
    return out


def _ranges(col: str, rows: Sequence[int]) -> list[str]:
    return [f"{col}{a}" if a == b else f"{col}{a}:{col}{b}" for a, b in runs(rows)]


def _fn(name: str, col: str, rows: Sequence[int]) -> str:
    """SUM/COUNT over the member rows (chunks of 200 ranges to stay under 255 args)."""
    parts = _ranges(col, rows)
    if not parts:
        return "0"
    chunks = [parts[i:i + 200] for i in range(0, len(parts), 200)]
    return "+".join(f"{name}({','.join(c)})" for c in chunks)


def _col(field: str) -> str:
    """The column a group row adds up for ``field``: an input's helper column."""
    return ANGGARAN_COLS[ANGGARAN_ANGKA.get(field, field)]


def jumlah(field: str, rows: Sequence[int]) -> str:
    """A group row (kegiatan, jenis belanja, total): SUM of the members' column (of the
    helper column S:X for an input field)."""
    return "=" + _fn("SUM", _col(field), rows)


def jumlah_pagu_awal(rows: Sequence[int]) -> str:
    """Group pagu awal: the sum when every member line has one, else "" (unknown, as
    engine._pos: a sum with an unknown member is not shown as the whole)."""
    col = _col("pagu_awal")
    return f'=IF(({_fn("COUNT", col, rows)})={len(rows)},{_fn("SUM", col, rows)},"")'


def jumlah_pagu_revisi(rows: Sequence[int]) -> str:
    """Group pagu revisi: when any member has one, the sum of the members' effective
    pagu (engine._pos); else ""."""
    rev = _fn("COUNT", _col("pagu_revisi"), rows)
    return f'=IF(({rev})>0,{_fn("SUM", ANGGARAN_COLS["pagu"], rows)},"")'


def pagu_total(rows: Sequence[int]) -> str:
    """Total row pagu (engine.hitung_anggaran): the declared pagu revisi total
    (Identitas) if given; else the declared pagu awal total if no line has a pagu
    revisi; else the sum of the lines' effective pagu."""
    dec_rev = ref(_IDENTITAS, "B", IDENTITAS_ROWS["total_pagu_revisi"])
    dec_awal = ref(_IDENTITAS, "B", IDENTITAS_ROWS["total_pagu_awal"])
    any_rev = _fn("COUNT", _col("pagu_revisi"), rows)
    summed = _fn("SUM", ANGGARAN_COLS["pagu"], rows)
    return (f"=IF({isnum(dec_rev)},{dec_rev},"
            f"IF(AND({isnum(dec_awal)},({any_rev})=0),{dec_awal},{summed}))")


# --------------------------------------------------------------------------- rasio


def _pair(q: int, row: int, sheet: str | None = None) -> tuple[str, str]:
    cols = (REALISASI_COLS[f"pembilang_tw{q}"], REALISASI_COLS[f"penyebut_tw{q}"])
    if sheet is None:
        return (f"{cols[0]}{row}", f"{cols[1]}{row}")
    return (ref(sheet, cols[0], row), ref(sheet, cols[1], row))


def rasio_count(iku: Iku, row: int, sheet: str | None = None) -> str:
    """Number of a ratio IKU's quarters counted s.d. PeriodeN with both sides typed (the
    engine's reported quarters, ``rasio.rasio_sd``); ``sheet``: refer from another sheet.
    A quarter 0/0 is reported although its ratio is undefined."""
    return "+".join(f"({P_N}>={q})*{_both(*_pair(q, row, sheet))}"
                    for q in _measured(iku)) or "0"


def _both(x: str, y: str) -> str:
    return f"AND({isnum(x)},{isnum(y)})"


def rasio_tw(row: int, q: int) -> str:
    """Realisasi!E:H on a ratio IKU's row (rasio.rasio_tw): pembilang / penyebut x 100 of
    quarter ``q`` from the input columns U:AB; "" when a side is missing or the penyebut
    is 0."""
    x, y = _pair(q, row)
    return f'=IF({_both(x, y)},IF({y}=0,"",{x}/{y}*100),"")'


def rasio_sd(iku: Iku, row: int) -> str:
    """Realisasi!I on a ratio IKU's row (rasio.rasio_sd): Σ pembilang / Σ penyebut x 100
    over the measured quarters up to PeriodeN where both are numbers; "" when none is or
    the penyebut adds up to 0."""
    qs = _measured(iku)
    if not qs:
        return '=""'
    cnt = rasio_count(iku, row)

    def total(side: int) -> str:
        return "+".join(f"({P_N}>={q})*IF({_both(*_pair(q, row))},{_pair(q, row)[side]},0)"
                        for q in qs)

    x, y = total(0), total(1)
    return f'=IF(({cnt})=0,"",IF(({y})=0,"",({x})/({y})*100))'
