"""Hitung Capaian: the routine behind the button, written once against the book adapter.

Steps: read the inputs through the metadata (``reader``), restore generator-owned formulas
that were typed over, compute with the engine, rebuild the summary sheets and the
Catatan Validasi, and point the ``SelTemuan`` name at the cells with findings (the input
blocks carry a conditional format that marks those cells; no input cell is ever written).
Running it twice gives the same workbook.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .book import Area, Book
from .engine import Hasil, hitung
from .findings import Finding, Report
from .layout import SHEET_ANGGARAN, SHEET_CATATAN, col_letter
from .reader import Bacaan, read_workbook
from .spec import Spec
from .summary import SEL_TEMUAN, build_summary, sel_temuan_area
from .summary.live import ReadRecorder, fingerprint_of_blocks
from .summary.render import render
from .workbook.inputs import PERSEN_PECAHAN

# sheet -> {(row, col): formula} for every formula the generator owns (1-based)
FormulaMap = dict[str, dict[tuple[int, int], str]]


@dataclass
class HasilRutin:
    hasil: Hasil
    bacaan: Bacaan
    dipulihkan: list[Finding] = field(default_factory=list)
    diperiksa: list[Finding] = field(default_factory=list)  # spreadsheet vs engine

    @property
    def temuan(self) -> Report:
        report = Report()
        report.extend(self.dipulihkan)
        report.extend(self.diperiksa)
        report.extend(self.hasil.temuan)
        return report


def _expected_formulas(spec: Spec, bacaan: Bacaan) -> FormulaMap:
    from .generate import expected_formulas

    return expected_formulas(spec, bacaan.layout)


def _same(found: object, expected: str) -> bool:
    if not isinstance(found, str):
        return False
    return found.replace(" ", "").lstrip("=").upper() == expected.replace(" ", "").lstrip(
        "=").upper()


Rect = tuple[int, int, int, int]  # r0, c0, r1, c1 (1-based, inclusive)

#: Writes per sheet when restoring exactly the typed-over cells; beyond it the routine
#: rewrites whole rectangles of formula cells (still never an input cell).
MAX_EXACT_WRITES = 4


def rectangles(cells: set[tuple[int, int]] | dict[tuple[int, int], object]) -> list[Rect]:
    """Cover ``cells`` exactly with rectangles: runs of adjacent columns per row, then
    equal runs on consecutive rows merged. Every cell of every rectangle is in ``cells``."""
    runs: dict[int, list[tuple[int, int]]] = {}
    for r in sorted({r for r, _ in cells}):
        cols = sorted(c for rr, c in cells if rr == r)
        start = prev = cols[0]
        for c in cols[1:]:
            if c != prev + 1:
                runs.setdefault(r, []).append((start, prev))
                start = c
            prev = c
        runs.setdefault(r, []).append((start, prev))
    out: list[Rect] = []
    open_: dict[tuple[int, int], list[int]] = {}  # (c0, c1) -> [r0, r1]
    for r in sorted(runs):
        current = set(runs[r])
        for key in list(open_):
            if key not in current or open_[key][1] != r - 1:
                out.append((open_[key][0], key[0], open_[key][1], key[1]))
                del open_[key]
        for key in runs[r]:
            if key in open_:
                open_[key][1] = r
            else:
                open_[key] = [r, r]
    out += [(rows[0], key[0], rows[1], key[1]) for key, rows in open_.items()]
    return sorted(out)


def restore_writes(owned: dict[tuple[int, int], str], broken: set[tuple[int, int]]
                   ) -> list[Rect]:
    """The rectangles to rewrite: exactly the typed-over cells when they fit in a few
    writes, else the rectangles of generator-owned formula cells that contain them."""
    exact = rectangles(broken)
    if len(exact) <= MAX_EXACT_WRITES:
        return exact
    return [rect for rect in rectangles(owned)
            if any(rect[0] <= r <= rect[2] and rect[1] <= c <= rect[3] for r, c in broken)]


def restore_formulas(book: Book, expected: FormulaMap, password: str | None, *,
                     perbarui: bool = False) -> list[Finding]:
    """Compare every generator-owned formula cell with what it should hold and rewrite
    only formula cells (never an input cell): the typed-over ones, or the few formula
    rectangles holding them. Each typed-over cell is reported.

    ``perbarui``: the workbook was generated before the input-form rule (its layout does
    not record ``persen``), so its formulas are older versions of today's: a cell holding
    a formula, or an empty helper cell, is brought up to date with one note per sheet
    instead of a "typed over" warning per cell; a typed value is still reported."""
    findings: list[Finding] = []
    for sheet, cells in expected.items():
        if not cells:
            continue
        r0 = min(r for r, _ in cells)
        r1 = max(r for r, _ in cells)
        c0 = min(c for _, c in cells)
        c1 = max(c for _, c in cells)
        found = book.read_formulas(sheet, r0, c0, r1, c1)
        broken = {}
        upgraded: set[tuple[int, int]] = set()
        for (r, c), formula in sorted(cells.items()):
            value = found[r - r0][c - c0]
            if _same(value, formula):
                continue
            if perbarui and (value is None or (isinstance(value, str)
                                               and value.startswith("="))):
                upgraded.add((r, c))
            else:
                broken[(r, c)] = value
        if not broken and not upgraded:
            continue
        book.unprotect(sheet, password)
        for a0, b0, a1, b1 in restore_writes(cells, set(broken) | upgraded):
            book.write_formulas(sheet, a0, b0, [[cells[(r, c)] for c in range(b0, b1 + 1)]
                                                for r in range(a0, a1 + 1)])
        book.protect(sheet, password)
        if upgraded:
            findings.append(Finding(
                "peringatan", "rumus_diperbarui", sheet,
                f"Workbook ini dibuat dengan versi workbook-gen sebelumnya: rumus {len(upgraded)} "
                f"sel di lembar '{sheet}' diperbarui ke aturan terbaru (bentuk isian di sel "
                "angka); isian tidak berubah.",
                "Simpan workbook ini; peringatan ini tidak muncul lagi."))
        for (r, c), value in broken.items():
            shown = "kosong" if value in (None, "") else f"'{value}'"
            findings.append(Finding(
                "peringatan", "rumus_dipulihkan", f"{sheet}!{col_letter(c)}{r}",
                f"Rumus di sel ini ditimpa ({shown}); rumus aslinya sudah dipulihkan.",
                "Jangan mengetik di sel rumus (abu-abu); isi hanya sel masukan (kuning)."))
    return findings


def _has_cached_values(book: Book, formulas: FormulaMap) -> bool:
    for sheet, cells in formulas.items():
        if not cells:
            continue
        rows = [r for r, _ in cells]
        cols = [c for _, c in cells]
        block = book.read_block(sheet, min(rows), min(cols), max(rows), max(cols))
        r0, c0 = min(rows), min(cols)
        if any(block[r - r0][c - c0] is not None for r, c in cells):
            return True
    return False


def verify_book(book: Book, spec: Spec, formulas: FormulaMap,
                restored: list[Finding]) -> list[Finding]:
    """Values the spreadsheet computed vs the engine (``excel.verify``): a live book has
    recalculated at the start and recalculates again after a restore; a file skips the
    cells just restored (no cached value yet)."""
    from .excel.verify import expected_values, verify

    live = book.live
    if live and restored:
        book.calculate()
    elif not live and not _has_cached_values(book, formulas):
        return []  # saved by a writer that does not compute (openpyxl): nothing to compare
    rewritten = {f.lokasi for f in restored}
    skip = [(sheet, r, c) for sheet, cells in formulas.items() for (r, c) in cells
            if f"{sheet}!{col_letter(c)}{r}" in rewritten]
    return verify(book, expected_values(spec), live=live, skip=skip)


def hitung_capaian(book: Book, sumber: str,
                   expected: Callable[[Spec, Bacaan], FormulaMap] | None = None) -> HasilRutin:
    """Run the whole routine on ``book``; raise ReadError for workbooks it cannot read."""
    if book.live:
        book.calculate()  # Excel may be in manual calculation mode: read fresh values
    recorder = ReadRecorder(book)
    bacaan = read_workbook(recorder, sumber)  # type: ignore[arg-type]
    spec = bacaan.spec
    password = spec.pengaturan.kata_sandi
    formulas = (expected or _expected_formulas)(spec, bacaan)
    restored = restore_formulas(book, formulas, password,
                                perbarui=bacaan.layout.persen != PERSEN_PECAHAN)
    hasil = hitung(spec)
    checked = verify_book(book, spec, formulas, restored)
    state = fingerprint_of_blocks(spec, bacaan.layout, recorder.blocks)
    contents = build_summary(hasil, restored + checked, bacaan.layout, state)
    names = book.sheet_names()
    after = SHEET_ANGGARAN if SHEET_ANGGARAN in names else names[-1]
    for content in contents:
        render(book, content, after, password)
        after = content.name
    area = sel_temuan_area(contents)
    if area is not None:
        sheet, first, last, col = area
        book.define_name(SEL_TEMUAN, Area(sheet, first, col, last, col))
    return HasilRutin(hasil=hasil, bacaan=bacaan, dipulihkan=restored, diperiksa=checked)


def pesan_ringkas(hasil_rutin: HasilRutin) -> str:
    """The message box text after a run (Indonesian)."""
    h = hasil_rutin.hasil
    t = hasil_rutin.temuan
    cap = "-" if h.capaian_rata_rata is None else f"{h.capaian_rata_rata:.2f}".replace(".", ",")
    lines = [f"Capaian dihitung untuk {h.spec.periode_label} {h.spec.tahun}.",
             f"Rata-rata capaian IKU: {cap} % ({h.kategori or '-'})."]
    if t.errors:
        lines.append(f"Ada {len(t.errors)} error dan {len(t.warnings)} peringatan: lihat lembar "
                     f"'{SHEET_CATATAN}'; sel yang bermasalah ditandai merah.")
    elif t.warnings:
        lines.append(f"Ada {len(t.warnings)} peringatan: lihat lembar '{SHEET_CATATAN}'.")
    else:
        lines.append("Tidak ada temuan.")
    return "\n".join(lines)
