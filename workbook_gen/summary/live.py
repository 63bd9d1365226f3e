"""The live formulas of the summary sheets: the engine's rules restated over the cells.

Every number on a summary sheet is a formula over the input cells (Target, Realisasi,
Anggaran, Identitas) and the per-row formula cells (Realisasi I:P, Anggaran O:R), so a
workbook shows the right figures after any recalculation, with macros blocked and no
Python. Positions come from ``workbook_gen.layout`` (never written here); the per-row
rules (what counts as reported, the scale ranks, the capaian ratio, rounding, category
bands) come from ``workbook_gen.formulas``, so one statement of each rule serves both.

Means need the capaian before rounding, the cap and the inclusion rule of
``engine._mean_inputs``; those are hidden helper columns on Ringkasan Capaian, one row
per IKU, and a sasaran or overall mean is ``SUMPRODUCT(value, weight) / SUM(weight)``
over them. Functions used: IF, AND, OR, ISNUMBER, SUM, COUNT, COUNTIF, SUMPRODUCT, MIN,
MAX, ABS, ROUND, TRUNC, MATCH, LOOKUP, INDEX, CHOOSE, SUBSTITUTE, IFERROR: alike in
Excel, LibreOffice and Gnumeric.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from .. import formulas as f
from ..layout import (
    ANGGARAN_ANGKA,
    ANGGARAN_COLS,
    FIRST_ROW,
    IDENTITAS_ROWS,
    NAME_PERIODE_N,
    REALISASI_COLS,
    SHEET_ANGGARAN,
    SHEET_IDENTITAS,
    SHEET_REALISASI,
    SHEET_TARGET,
    TARGET_COLS,
    Layout,
    col_letter,
)
from ..spec import Iku, Pengaturan, Spec

P_N = NAME_PERIODE_N
#: Excel's limit on the length of a formula.
MAX_FORMULA = 8192


def cell(sheet: str, col: str | int, row: int) -> str:
    letter = col_letter(col) if isinstance(col, int) else col
    return f.ref(sheet, letter, row)


def area(sheet: str, col: str | int, r0: int, r1: int) -> str:
    """'Sheet!$C$6:$C$9' (absolute; one cell when r0 == r1)."""
    letter = col_letter(col) if isinstance(col, int) else col
    if r0 == r1:
        return f.ref(sheet, f"${letter}$", r0)
    return f.ref(sheet, f"${letter}$", r0) + f":${letter}${r1}"


def block(sheet: str, c0: str, c1: str, r0: int, r1: int) -> str:
    """'Sheet!$L$6:$R$20' (absolute)."""
    return f.ref(sheet, f"${c0}$", r0) + f":${c1}${r1}"


def local(col: int, row: int) -> str:
    """A cell of the summary sheet itself (1-based column and row)."""
    return f"{col_letter(col)}{row}"


def _rounded(x: str, p: Pengaturan) -> str:
    return f.bulatkan(x, p)


def first_quarter(iku: Iku) -> int:
    """The first quarter the IKU is measured in (before it: 'tidak diukur')."""
    return min(iku.diukur_pada) if iku.diukur_pada else 5


def measured(iku: Iku) -> str:
    return f"{P_N}>={first_quarter(iku)}"


class Live:
    """Formula texts for one workbook (its spec's settings and its layout)."""

    def __init__(self, spec: Spec, layout: Layout) -> None:
        self.spec = spec
        self.layout = layout
        self.p = spec.pengaturan
        self.cc = f.cells_for(spec, layout)  # percent cells and scale labels, as per row

    # ---------------------------------------------------------------- IKU cells

    def _r(self, field: str, kode: str) -> str:
        return cell(SHEET_REALISASI, REALISASI_COLS[field], self.layout.iku_rows[kode])

    def _t(self, field: str, kode: str) -> str:
        return cell(SHEET_TARGET, TARGET_COLS[field], self.layout.iku_rows[kode])

    def input_value(self, iku: Iku, ref: str, fname: str, quarter: int | None = None) -> str:
        """Input cell ``ref`` (field ``fname``) as the engine reads it (a number, a
        percentage cell's 0.54 as 54, or a scale label), "" when blank, "-" or
        unreadable; with ``quarter``: only up to the periode."""
        cond = f._reported(iku, ref, self.cc)
        if quarter is not None:
            cond = f"AND({P_N}>={quarter},{cond})"
        scaled = f._scaled(iku, fname, self.cc)
        value = f._value(iku, ref, self.cc, scaled)
        number = f"{ref}*100" if scaled else ref
        return f'=IF({cond},{self.shown(value, ref, number, iku)},"")'

    def shown(self, value: str, ref: str, number: str | None = None,
              iku: Iku | None = None) -> str:
        """A value as the tables show it: numbers rounded like capaian, labels as they
        are (``ref`` is the cell tested for a number; ``number`` its value, when that is
        not the cell itself, e.g. a percentage cell read as x*100). With ``iku`` whose
        scale has bands, a number is shown with its label: "88 (Baik)" (text)."""
        rounded = _rounded(number or ref, self.p)
        if iku is not None and iku.skala is not None and iku.skala.punya_rentang:
            rounded = self.with_label(iku, number or ref)
        return f"IF(ISNUMBER({ref}),{rounded},{value})"

    def with_label(self, iku: Iku, x: str) -> str:
        """Text "n (label)" of number ``x`` on the IKU's banded scale: n rounded like
        capaian, with a decimal comma whatever the spreadsheet's locale (the text of a
        rounded number has no grouping, only its decimal separator differs), the label
        from the scale's bands (``spec.Skala.label_untuk``; ``label_dengan_angka`` is
        the engine's side)."""
        skala = iku.skala
        assert skala is not None
        mins = [f.LOWEST] + [f.num(t.minimal) for t in skala.tingkat[1:]]  # type: ignore[arg-type]
        ranks = [str(i) for i in range(1, len(skala.tingkat) + 1)]
        rank = f"LOOKUP({x},{f.array(mins)},{f.array(ranks)})"
        labels = f._scale_labels(skala, self.cc)
        if labels.startswith("{"):
            label = f"CHOOSE({rank},{','.join(f.text(b) for b in skala.labels)})"
        else:
            label = f"INDEX({labels},{rank})"
        return f'SUBSTITUTE({_rounded(x, self.p)}&"",".",",")&" ("&{label}&")"'

    def target(self, iku: Iku, label: bool = True) -> str:
        """The PK target as the engine reads it; ``label``: a banded number with its label
        (off where a chart needs the number)."""
        t = self._r("target", iku.kode)
        return "=" + self.shown(t, t, iku=iku if label else None)

    def target_utama(self, iku: Iku, label: bool = True) -> str:
        """The headline's target as the engine reads it: Realisasi!J (PK), or K (the
        revised target, else PK) when ``pengaturan.target_utama`` is revisi; ``label`` as
        in :meth:`target`."""
        t = self._r("target_revisi" if self.p.utama_revisi else "target", iku.kode)
        return "=" + self.shown(t, t, iku=iku if label else None)

    def target_revisi(self, iku: Iku) -> str:
        return self.input_value(iku, self._t("target_revisi", iku.kode), "target_revisi")

    def target_tw(self, iku: Iku, q: int) -> str:
        return self.input_value(iku, self._t(f"target_tw{q}", iku.kode), f"target_tw{q}")

    def realisasi_tw(self, iku: Iku, q: int) -> str:
        return self.input_value(iku, self._r(f"realisasi_tw{q}", iku.kode), f"realisasi_tw{q}",
                                quarter=q)

    def realisasi_tahunan(self, iku: Iku) -> str:
        """The annual realisasi as typed on Realisasi!T ("" in workbooks without it)."""
        if not self.layout.tahunan:
            return '=""'
        return self.input_value(iku, self._r("realisasi_tahunan", iku.kode), "realisasi_tahunan")

    def realisasi_sd(self, iku: Iku) -> str:
        r = self._r("realisasi_sd", iku.kode)
        return f'=IF({measured(iku)},{self.shown(r, r, iku=iku)},"tidak diukur")'

    def realisasi_value(self, iku: Iku) -> str:
        r = self._r("realisasi_sd", iku.kode)
        return "=" + self.shown(r, r)

    def capaian(self, iku: Iku, field: str | None = None) -> str:
        """Realisasi's capaian ``field``; by default the headline (``f.kolom_utama``)."""
        return "=" + self._r(field or f.kolom_utama(self.p), iku.kode)

    def kategori(self, iku: Iku) -> str:
        """The IKU's category (of the headline capaian); 'belum diisi' when measured and
        nothing reported yet."""
        head = self._r(f.kolom_utama(self.p), iku.kode)
        return (f'=IF(ISNUMBER({head}),{self._r("kategori", iku.kode)},'
                f'IF(AND({measured(iku)},{self.belum_dilaporkan(iku)}),"belum diisi",""))')

    def belum_dilaporkan(self, iku: Iku) -> str:
        """TRUE while nothing is reported s.d. periode (engine: not ``dilaporkan``): the
        realisasi s.d. periode is blank, and for a rasio IKU no quarter has both sides
        typed (a quarter 0/0 is reported; its ratio is undefined)."""
        r = self._r("realisasi_sd", iku.kode)
        if iku.rumus != "rasio":
            return f'{r}=""'
        row = self.layout.iku_rows[iku.kode]
        return f'AND({r}="",({f.rasio_count(iku, row, SHEET_REALISASI)})=0)'

    # ------------------------------------------------------- helpers for means

    def capaian_mentah(self, iku: Iku, target_field: str) -> str:
        """Capaian before rounding (engine.rasio_capaian) against Realisasi J or K."""
        r, t = self._r("realisasi_sd", iku.kode), self._r(target_field, iku.kode)
        if iku.capaian_peringkat and iku.skala is not None:
            expr, _ = f._ratio(f.rank(iku.skala, r, self.cc), f.rank(iku.skala, t, self.cc),
                               iku, self.p)
            return f'=IFERROR({expr},"")'
        expr, extra = f._ratio(r, t, iku, self.p)
        undefined = f"OR({t}=0,{extra})" if extra else f"{t}=0"
        return f'=IF(AND(ISNUMBER({r}),ISNUMBER({t})),IF({undefined},"",{expr}),"")'

    def mean_value(self, c: str) -> str:
        """The value entering a mean: the raw capaian in cell ``c``, capped; else 0."""
        value = c if self.p.batas_capaian is None else f"MIN({c},{f.num(self.p.batas_capaian)})"
        return f"=IF(ISNUMBER({c}),{value},0)"

    def mean_weight(self, iku: Iku, c: str, target_field: str) -> str:
        """The IKU's weight in a mean (engine._mean_inputs), else 0: not measured, or
        capaian undefined while reported, or blank with 'abaikan', or no target."""
        bobot = f.num(iku.bobot)
        if self.p.kosong_dalam_rata_rata == "abaikan":
            return f"=IF(AND({measured(iku)},ISNUMBER({c})),{bobot},0)"
        t = self._r(target_field, iku.kode)
        if iku.jenis == "kategori" and iku.capaian_peringkat:
            t_ok = f'{t}<>""'
        else:
            t_ok = f"AND(ISNUMBER({t}),{t}<>0)"
        return (f'=IF({measured(iku)},IF(ISNUMBER({c}),{bobot},'
                f'IF(AND({self.belum_dilaporkan(iku)},{t_ok}),{bobot},0)),0)')

    def dilaporkan(self, iku: Iku) -> str:
        return f'=IF(AND({measured(iku)},NOT({self.belum_dilaporkan(iku)})),1,0)'

    def mean(self, values: str, weights: str, reported: str) -> str:
        """A weighted mean over helper ranges, rounded; "" when nothing can enter it or
        nothing has been reported yet (a fresh workbook is 'belum diisi', not 0)."""
        body = _rounded(f"SUMPRODUCT({values},{weights})/SUM({weights})", self.p)
        return f'=IF(OR(SUM({weights})=0,SUM({reported})=0),"",{body})'

    def mean_over(self, parts: Sequence[tuple[str, str, str]]) -> str:
        """``mean`` over several (values, weights, reported) helper ranges: the IKUs of
        several sasaran, e.g. those a kegiatan serves (engine.hitung_kegiatan)."""
        weights = ",".join(w for _, w, _ in parts)
        reported = ",".join(rep for _, _, rep in parts)
        products = "+".join(f"SUMPRODUCT({v},{w})" for v, w, _ in parts)
        body = _rounded(f"({products})/SUM({weights})", self.p)
        return f'=IF(OR(SUM({weights})=0,SUM({reported})=0),"",{body})'

    def mean_kategori(self, mean_cell: str, reported: str) -> str:
        return (f"=IF(ISNUMBER({mean_cell}),{f.kategori_chain(mean_cell, self.p)},"
                f'IF(SUM({reported})=0,"belum diisi",""))')

    def jumlah_kategori(self, label: str) -> str:
        """IKUs whose category (Realisasi!P) is ``label``."""
        rows = self.layout.iku_rows.values()
        rng = area(SHEET_REALISASI, REALISASI_COLS["kategori"], min(rows, default=FIRST_ROW),
                   max(rows, default=FIRST_ROW))
        crit = label.replace("~", "~~").replace("*", "~*").replace("?", "~?")
        return f"=COUNTIF({rng},{f.text(crit)})"

    # ---------------------------------------------------------------- budget

    def _sum_rows(self, field: str, rows: Sequence[int]) -> str:
        col = ANGGARAN_COLS[field]
        parts = [area(SHEET_ANGGARAN, col, a, b) for a, b in f.runs(rows)]
        return "SUM(" + ",".join(parts) + ")" if parts else "0"

    def sasaran_pagu(self, rows: Sequence[int]) -> str:
        return "=" + self._sum_rows("pagu", rows)

    def sasaran_realisasi(self, rows: Sequence[int]) -> str:
        return "=" + self._sum_rows("realisasi_sd", rows)

    def serapan_of(self, realisasi: str, pagu: str) -> str:
        return f'=IF(N({pagu})=0,"",{_rounded(f"{realisasi}/{pagu}*100", self.p)})'

    def anggaran_row(self, row: int) -> dict[str, str]:
        """A row of Realisasi Anggaran taken from the Anggaran row ``row`` (a line, a
        subtotal or the total)."""
        line = row in set(self.layout.line_rows.values())

        def a(field: str) -> str:
            # a line's typed inputs through the helper columns S:X, which hold each as the
            # engine reads it (text, TRUE/FALSE and error values as nothing); subtotal and
            # total rows are formulas over those already
            if line and field in ANGGARAN_ANGKA:
                field = ANGGARAN_ANGKA[field]
            return cell(SHEET_ANGGARAN, ANGGARAN_COLS[field], row)
        # pagu awal unknown: blank; a line's blank quarter: blank (not reported), a group
        # row's quarter: the sum, where a blank line counts 0 (engine.anggaran)
        out = {"pagu_awal": f'=IF(ISNUMBER({a("pagu_awal")}),{a("pagu_awal")},"")',
               "pagu": f"=SUM({a('pagu')})"}
        for q in range(1, 5):
            x = a(f"realisasi_tw{q}")
            shown = f'IF(ISNUMBER({x}),{x},"")' if line else f"SUM({x})"
            out[f"realisasi_tw{q}"] = f'=IF({P_N}>={q},{shown},"")'
        out["realisasi_sd"] = f"=SUM({a('realisasi_sd')})"
        out["serapan"] = f"={a('serapan')}"
        out["sisa"] = f"=SUM({a('sisa')})"
        return out

    def serapan_tw(self, q: int) -> dict[str, str]:
        """Quarter q of the serapan chart data, from the Anggaran total row: cumulative
        quarters; TW IV the year's realisasi s.d. periode (annual figures included); at
        TW IV / Tahunan, TW I-III are "" when a line has only an annual realisasi
        (engine.anggaran.hitung_anggaran)."""
        t = self.layout.total_row
        assert t is not None
        k1 = cell(SHEET_ANGGARAN, ANGGARAN_COLS["realisasi_tw1"], t)
        kq = ANGGARAN_COLS[f"realisasi_tw{q}"]
        cum = f"SUM({k1}:{kq}{t})"
        if q == 4:
            cum = f"SUM({cell(SHEET_ANGGARAN, ANGGARAN_COLS['realisasi_sd'], t)})"
        pagu = cell(SHEET_ANGGARAN, ANGGARAN_COLS["pagu"], t)
        serapan = _rounded(f"{cum}/{pagu}*100", self.p)
        rq = cell(SHEET_ANGGARAN, kq, t)
        shown = f'IF(N({pagu})=0,"",{serapan})'
        if q < 4 and self.layout.line_rows:
            shown = f'IF(AND({P_N}=4,{self._annual_only()}>0),"",{shown})'
        return {"realisasi": f'=IF({P_N}>={q},SUM({rq}),"")',
                "kumulatif": f'=IF({P_N}>={q},{cum},"")',
                "serapan": f'=IF({P_N}>={q},{shown},"")'}

    def _annual_only(self) -> str:
        """Number of lines with an annual realisasi and no quarter typed (tahunan_saja):
        over the helper columns (a number, or "" where the input holds none), compared
        with "" (Gnumeric does not take ISNUMBER of a range element by element)."""
        rows = self.layout.line_rows.values()
        r0, r1 = min(rows), max(rows)

        def rng(field: str) -> str:
            return area(SHEET_ANGGARAN, ANGGARAN_COLS[ANGGARAN_ANGKA[field]], r0, r1)
        blank = "*".join(f'({rng(f"realisasi_tw{q}")}="")' for q in range(1, 5))
        return f'SUMPRODUCT(({rng("realisasi_tahunan")}<>"")*{blank})'


    # ---------------------------------------------------------------- staleness

    def input_ranges(self) -> list[str]:
        """Every number input block: targets, realisasi, budget lines, declared totals."""
        lay = self.layout
        out = []
        if lay.iku_rows:
            first, last = FIRST_ROW, lay.iku_last_row
            out.append(block(SHEET_TARGET, TARGET_COLS["target"], TARGET_COLS["baseline"],
                             first, last))
            rasio = {lay.iku_rows[i.kode] for i in self.spec.semua_iku() if i.rumus == "rasio"}
            # a rasio IKU's E:H are formulas (its inputs are U:AB): left out, row runs
            for a, b in f.runs([r for r in range(first, last + 1) if r not in rasio]):
                out.append(block(SHEET_REALISASI, REALISASI_COLS["realisasi_tw1"],
                                 REALISASI_COLS["realisasi_tw4"], a, b))
            if rasio:
                out.append(block(SHEET_REALISASI, REALISASI_COLS["pembilang_tw1"],
                                 REALISASI_COLS["penyebut_tw4"], first, last))
            if lay.tahunan:
                out.append(block(SHEET_REALISASI, REALISASI_COLS["realisasi_tahunan"],
                                 REALISASI_COLS["realisasi_tahunan"], first, last))
        if lay.line_rows:
            out.append(block(SHEET_ANGGARAN, ANGGARAN_COLS["pagu_awal"],
                             ANGGARAN_COLS["realisasi_tw4"], min(lay.line_rows.values()),
                             max(lay.line_rows.values())))
            out.append(block(SHEET_ANGGARAN, ANGGARAN_COLS["realisasi_tahunan"],
                             ANGGARAN_COLS["realisasi_tahunan"], min(lay.line_rows.values()),
                             max(lay.line_rows.values())))
        rows = [IDENTITAS_ROWS[f"total_{k}"] for k in ("pagu_awal", "pagu_revisi", "realisasi")]
        out.append(block(SHEET_IDENTITAS, "B", "B", min(rows), max(rows)))
        return out

    def fingerprint(self) -> tuple[str, str]:
        """(sum, count) formulas of the numbers in every input block."""
        ranges = ",".join(self.input_ranges())
        return f"SUM({ranges})", f"COUNT({ranges})"

    def status(self, periode_label: str, stored_n: str, stored_sum: str,
               stored_count: str) -> str:
        """Catatan Validasi's first line: whether the check still matches the inputs."""
        s, c = self.fingerprint()
        stale = (f"OR({P_N}<>{stored_n},{c}<>{stored_count},"
                 f"ABS({s}-{stored_sum})>0.000001*MAX(1,ABS({stored_sum})))")
        old = (f"Catatan ini diperiksa untuk {periode_label}; isian sudah berubah sejak itu. "
               "Jalankan Hitung Capaian (atau workbook-gen hitung) untuk memeriksa ulang. "
               "Angka di lembar ringkasan sudah mengikuti isian sekarang.")
        ok = f"Catatan ini sesuai dengan isian sekarang (diperiksa untuk {periode_label})."
        return f"=IF({stale},{f.text(old)},{f.text(ok)})"


def fingerprint_values(spec: Spec) -> tuple[int, float, int]:
    """(periode n, sum, count) of the numbers the input blocks hold as the generator
    writes them (percentage cells as the fraction Excel stores, 54 % as 0.54;
    ``Live.fingerprint`` computes the same while nothing changed)."""
    from ..workbook.inputs import disimpan_persen, sel_persen

    numbers: list[float] = []

    def add(v: object, iku: Iku | None = None, fname: str = "") -> None:
        if iku is not None and sel_persen(iku.jenis, iku.persen, iku.rumus, fname):
            v = disimpan_persen(v)
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            numbers.append(float(v))

    for iku in spec.semua_iku():
        add(iku.target, iku, "target")
        add(iku.target_revisi, iku, "target_revisi")
        for q, v in enumerate(iku.target_tw or [], 1):
            add(v, iku, f"target_tw{q}")
        if iku.rumus == "penurunan":
            add(iku.baseline, iku, "baseline")
        add(iku.realisasi_tahunan, iku, "realisasi_tahunan")
        if iku.rumus == "rasio":  # its inputs are pembilang and penyebut (E:H: formulas)
            for v in (iku.pembilang_tw or []) + (iku.penyebut_tw or []):
                add(v)
            continue
        for q, v in enumerate(iku.realisasi_tw, 1):
            add(v, iku, f"realisasi_tw{q}")
    for line in spec.anggaran:
        add(line.pagu_awal)
        add(line.pagu_revisi)
        for v in line.realisasi_tw:
            add(v)
        add(line.realisasi_tahunan)
    for fname in ("pagu_awal", "pagu_revisi", "realisasi"):
        add(getattr(spec.total, fname))
    return spec.periode_n, sum(numbers), len(numbers)


Block = tuple[tuple[str, int, int, int, int], list[list[object]]]


class ReadRecorder:
    """A book that remembers the blocks read through it (the reader's reads), so the
    routine can state what was checked without reading any cell twice."""

    def __init__(self, book: object) -> None:
        self._book = book
        self.blocks: list[Block] = []

    def __getattr__(self, name: str) -> object:
        return getattr(self._book, name)

    def read_block(self, sheet: str, r0: int, c0: int, r1: int, c1: int) -> list[list[object]]:
        values = self._book.read_block(sheet, r0, c0, r1, c1)  # type: ignore[attr-defined]
        self.blocks.append(((sheet, r0, c0, r1, c1), values))
        return values


def fingerprint_of_blocks(spec: Spec, layout: Layout, blocks: list[Block]
                          ) -> tuple[int, float, int] | None:
    """(periode n, sum, count) of the numbers in the input blocks, from the raw cells read
    (text stays text, as for SUM and COUNT); None when a block was not read whole."""
    numbers: list[float] = []
    for rng in Live(spec, layout).input_ranges():
        sheet_part, cells = rng.rsplit("!", 1)
        sheet = sheet_part.strip("'").replace("''", "'")
        first, _, last = cells.replace("$", "").partition(":")
        last = last or first
        c0, r0 = _split(first)
        c1, r1 = _split(last)
        found = None
        for (s, br0, bc0, br1, bc1), values in blocks:
            if s == sheet and br0 <= r0 and r1 <= br1 and bc0 <= c0 and c1 <= bc1:
                found = [row[c0 - bc0:c1 - bc0 + 1] for row in values[r0 - br0:r1 - br0 + 1]]
                break
        if found is None:
            return None
        for row in found:
            for v in row:
                if isinstance(v, (int, float)) and not isinstance(v, bool):
                    try:
                        x = float(v)
                    except OverflowError:  # a 400-digit literal: no spreadsheet holds it
                        continue
                    if math.isfinite(x):
                        numbers.append(x)
    return spec.periode_n, sum(numbers), len(numbers)


def _split(a1: str) -> tuple[int, int]:
    from ..layout import col_index

    letters = "".join(ch for ch in a1 if ch.isalpha())
    return col_index(letters), int(a1[len(letters):])
