"""Hitung Capaian: the routine behind the button, written once against the book adapter.

Steps: read the inputs through the metadata (``reader``), restore generator-owned formulas
that were typed over, compute with the engine, check what the spreadsheet computed
(per-row cells one by one, the live summary sheets by their check sums), draw a summary
sheet again only when it is missing or not as generated, and write the findings into
Catatan Validasi; the ``SelTemuan`` name points at their cells (the input blocks carry a
conditional format that marks those cells; no input cell is ever written).
Running it twice gives the same workbook.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .book import Area, Book
from .engine import Hasil, hitung
from .findings import Finding, Report
from .layout import SHEET_ANGGARAN, SHEET_CATATAN, col_letter
from .reader import Bacaan, read_workbook
from .spec import Spec
from .summary import SEL_TEMUAN, build_summary, checksum, sel_temuan_area
from .summary.build import CAPACITY_COLUMN, CATATAN_RUANG, STORED_ROW, catatan_sheet
from .summary.live import ReadRecorder, fingerprint_of_blocks
from .summary.render import grid_of, render
from .tables import SheetContent, Table, place
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
    from .workbook.formula_cells import expected_formulas

    return expected_formulas(spec, bacaan.layout)


#: A sheet name in quotes that needs none ('_meta'!A1): Excel and LibreOffice write it
#: back without them, and it is the same formula.
_NEEDLESS_QUOTES = re.compile(r"'([A-Za-z_][A-Za-z0-9_]*)'!")


def _formula_key(text: str) -> str:
    return _NEEDLESS_QUOTES.sub(r"\1!", text.replace(" ", "").lstrip("=")).upper()


def _same(found: object, expected: str) -> bool:
    """The formula read is the one expected (spaces, case and needless quotes aside)."""
    if not isinstance(found, str):
        return False
    return _formula_key(found) == _formula_key(expected)


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
    """Values the spreadsheet computed in the per-row formula cells vs the engine
    (``excel.verify``): a live book has recalculated at the start and recalculates again
    after a restore; a file skips the cells just restored (no cached value yet). The
    summary sheets are checked by :func:`check_summary`."""
    from .excel.verify import expected_values, verify

    live = book.live
    if live and restored:
        book.calculate()
    elif not live and not _has_cached_values(book, formulas):
        return []  # saved by a writer that does not compute (openpyxl): nothing to compare
    rewritten = {f.lokasi for f in restored}
    skip = [(sheet, r, c) for sheet, cells in formulas.items() for (r, c) in cells
            if f"{sheet}!{col_letter(c)}{r}" in rewritten]
    expected = {sheet: cells for sheet, cells in expected_values(spec).items()
                if sheet in formulas}
    return verify(book, expected, live=live, skip=skip)


@dataclass
class SummaryCheck:
    """What :func:`check_summary` found: sheets to draw again, findings."""

    rebuild: set[str] = field(default_factory=set)
    dipulihkan: list[Finding] = field(default_factory=list)
    berbeda: list[Finding] = field(default_factory=list)
    capacity: int = CATATAN_RUANG  # data rows formatted on Catatan Validasi
    #: (sheet!cell, text shown, text expected): the first text that differs on each
    #: summary sheet checked by value (:func:`_check_values`)
    teks_lama: list[tuple[str, Any, Any]] = field(default_factory=list)


def _label_cells(content: SheetContent) -> set[tuple[int, int]]:
    """The sheet title and the table headers (1-based): labels, some of them live
    formulas over the periode; in workbooks of earlier versions plain text."""
    placed = place(content)
    out = {(1, 1)}
    for i, block in enumerate(content.blocks):
        if isinstance(block, Table):
            out.update((placed[i].header_row + 1, c + 1) for c in range(len(block.columns)))
    return out


def _check_sheet(book: Book, content: SheetContent, password: str | None,
                 out: SummaryCheck, perbarui: bool = False) -> None:
    """Read one summary sheet cell by cell: texts that differ from the content (a sheet
    changed by hand), a title or header that is text where it is now a formula over the
    periode (a workbook of an earlier version) or most formulas gone: draw it again; a few
    formulas typed over: restore them; a formula computing another value: an error."""
    from .excel import verify

    name = content.name
    texts, _ = grid_of(content)
    values, _ = grid_of(content, formulas=False)
    height, width = len(texts), len(texts[0])
    got = book.read_block(name, 1, 1, height, width)
    owned: dict[tuple[int, int], str] = {}
    for r, row in enumerate(texts):
        for c, t in enumerate(row):
            if isinstance(t, str) and t.startswith("="):
                owned[(r + 1, c + 1)] = t
            elif t is not None and not verify.same(got[r][c], t):
                out.rebuild.add(name)
                return
    found = book.read_formulas(name, 1, 1, height, width)
    broken = {cell: found[cell[0] - 1][cell[1] - 1] for cell, t in owned.items()
              if not _same(found[cell[0] - 1][cell[1] - 1], t)}
    labels = _label_cells(content)
    older = any(cell in labels and isinstance(v, str) and not v.startswith("=")
                for cell, v in broken.items())  # a title of an earlier version (text)
    if len(broken) * 2 > len(owned) or (perbarui and broken) or older:
        out.rebuild.add(name)  # (an older workbook's formulas: drawn anew, quietly)
        return
    if broken:
        book.unprotect(name, password)
        for a0, b0, a1, b1 in restore_writes(owned, set(broken)):
            book.write_formulas(name, a0, b0, [[owned[(r, c)] for c in range(b0, b1 + 1)]
                                               for r in range(a0, a1 + 1)])
        book.protect(name, password)
        for (r, c), value in sorted(broken.items()):
            shown = "kosong" if value in (None, "") else f"'{value}'"
            out.dipulihkan.append(Finding(
                "peringatan", "rumus_dipulihkan", f"{name}!{col_letter(c)}{r}",
                f"Rumus di sel ini ditimpa ({shown}); rumus aslinya sudah dipulihkan.",
                "Jangan mengetik di lembar ringkasan: angkanya dihitung dari isian."))
    for (r, c) in sorted(owned):
        v, want = got[r - 1][c - 1], values[r - 1][c - 1]
        if (r, c) in broken or (v is None and not book.live) or verify.same(v, want):
            continue
        if isinstance(want, str) and want.startswith("#"):
            continue  # an error value the formula gives on purpose (chart gaps)
        out.berbeda.append(verify.different(f"{name}!{col_letter(c)}{r}", v, want))


def _check_values(book: Book, content: SheetContent, out: SummaryCheck) -> None:
    """A summary sheet of a book whose formulas cannot be read (xlwings Lite), by its
    values alone (one read): a live cell showing another value than the engine's is an
    error at that cell, as in :func:`_check_sheet`; the first text that differs (a sheet
    changed by hand: titles and headers that name the periode are live formulas) is noted
    for one warning (:func:`_old_texts`). Nothing is written: the sheet stays as the
    generator drew it (protected)."""
    from .excel import verify

    name = content.name
    texts, _ = grid_of(content)
    values, _ = grid_of(content, formulas=False)
    got = book.read_block(name, 1, 1, len(texts), len(texts[0]))
    stale: tuple[int, int, Any, Any] | None = None
    labels = _label_cells(content)
    for r, row in enumerate(texts):
        for c, t in enumerate(row):
            v, want = got[r][c], values[r][c]
            live = isinstance(t, str) and t.startswith("=") and t != want
            if live and (r + 1, c + 1) not in labels:  # a number or a kategori
                if not (verify.same(v, want) or (isinstance(want, str)
                                                 and want.startswith("#"))):
                    out.berbeda.append(verify.different(
                        f"{name}!{col_letter(c + 1)}{r + 1}", v, want))
                continue
            text = want if live else t  # a title or header: a text, live or not
            if text is not None and stale is None and not verify.same(v, text):
                stale = (r + 1, c + 1, v, text)
    if stale is not None:
        r, c, v, t = stale
        out.teks_lama.append((f"{name}!{col_letter(c)}{r}", v, t))


def _old_texts(teks_lama: list[tuple[str, Any, Any]]) -> Finding:
    """One warning for the summary sheets whose texts differ (checked by value)."""
    lokasi, v, t = teks_lama[0]
    shown = "kosong" if v in (None, "") else f"'{v}'"
    others = [where.split("!")[0] for where, _, _ in teks_lama[1:]]
    also = f" Teks lembar {', '.join(others)} juga berubah." if others else ""
    return Finding(
        "peringatan", "teks_ringkasan_berbeda", lokasi,
        f"Sel ini berisi {shown}, seharusnya '{t}' (lembar ringkasan diubah dengan tangan, "
        "atau workbook dibuat versi sebelumnya)."
        f"{also} Angka di lembar ringkasan tetap dihitung rumus dari isian.",
        "Kembalikan teksnya (Ctrl+Z) atau minta admin memulihkan workbook "
        "('workbook-gen pulihkan'). xlwings Lite tidak menulis ulang lembar ringkasan "
        "(lembar itu diproteksi); tombol di workbook .xlsm menggambarnya ulang.")


def check_summary(book: Book, contents: list[SheetContent], password: str | None,
                  perbarui: bool = False) -> SummaryCheck:
    """Which summary sheets show what the engine computes, without reading them: the
    check sums on Catatan Validasi (``summary.checksum``, one read) against the content;
    a sheet whose sums differ is read cell by cell (:func:`_check_sheet`). A file (not an
    open spreadsheet) is read cell by cell always: its reads cost nothing. A book whose
    formulas cannot be read (``reads_formulas`` False: xlwings Lite, which loads every
    value at the click anyway) is checked by values, sheet by sheet (:func:`_check_values`)."""
    out = SummaryCheck()
    names = set(book.sheet_names())
    others = contents[:-1]
    catatan = contents[-1]
    sums: list[list[Any]] = [[] for _ in others]
    if SHEET_CATATAN not in names:
        out.rebuild.add(SHEET_CATATAN)
    else:
        height = max(len(others), STORED_ROW + 2)
        head = book.read_block(SHEET_CATATAN, 1, 1, height,
                               checksum.CHECK_COLUMN + checksum.CHECK_FIELDS)
        texts, _ = grid_of(catatan)
        pl = place(catatan)[0]
        for r in (0, pl.title_row, pl.header_row):  # title, table title, headers
            if any(t is not None and head[r][c] != t for c, t in enumerate(texts[r][:5])):
                out.rebuild.add(SHEET_CATATAN)
        capacity = head[STORED_ROW][CAPACITY_COLUMN]
        if isinstance(capacity, (int, float)) and not isinstance(capacity, bool):
            out.capacity = max(int(capacity), CATATAN_RUANG)
        else:
            out.rebuild.add(SHEET_CATATAN)
        sums = [row[checksum.CHECK_COLUMN:] for row in head[:len(others)]]
    for content, row in zip(others, sums, strict=True):
        if content.name not in names:
            out.rebuild.add(content.name)
        elif not getattr(book, "reads_formulas", True):
            _check_values(book, content, out)
        elif (not book.live or not row or row[0] != content.name
              or not checksum.agrees(row[1:], checksum.figures(content))):
            _check_sheet(book, content, password, out, perbarui)
    if out.teks_lama:
        out.berbeda.append(_old_texts(out.teks_lama))
    return out


def write_catatan(book: Book, content: SheetContent, password: str | None) -> None:
    """The findings as values into the formatted area of Catatan Validasi (one write):
    from the table's subtitle row (with what was checked) to the last formatted row."""
    grid, placed = grid_of(content)
    pl = placed[0]
    table = content.blocks[0]
    assert isinstance(table, Table)
    width = CAPACITY_COLUMN + 1
    rows = [(row + [None] * width)[:width] for row in grid[STORED_ROW:pl.last_data_row + 1]]
    rows += [[None] * width for _ in range(table.capacity - len(table.rows))]
    book.unprotect(SHEET_CATATAN, password)
    book.write_block(SHEET_CATATAN, STORED_ROW + 1, 1, rows)
    book.protect(SHEET_CATATAN, password)


def hitung_capaian(book: Book, sumber: str,
                   expected: Callable[[Spec, Bacaan], FormulaMap] | None = None) -> HasilRutin:
    """Run the whole routine on ``book``; raise ReadError for workbooks it cannot read.

    The summary sheets are live formulas written by the generator: a run does not draw
    them again. It checks the inputs, restores typed-over formulas, compares what the
    spreadsheet computed with the engine (the per-row cells one by one, the summary
    sheets by their check sums), draws a summary sheet again only when it is missing or
    not as generated, and writes Catatan Validasi as values into its formatted area.
    A book that cannot read formulas (``reads_formulas`` False: xlwings Lite) restores
    none and checks the summary sheets by value (:func:`check_summary`)."""
    if book.live:
        book.calculate()  # Excel may be in manual calculation mode: read fresh values
    recorder = ReadRecorder(book)
    bacaan = read_workbook(recorder, sumber)  # type: ignore[arg-type]
    spec = bacaan.spec
    password = spec.pengaturan.kata_sandi
    formulas = (expected or _expected_formulas)(spec, bacaan)
    perbarui = bacaan.layout.persen != PERSEN_PECAHAN
    reads_formulas = getattr(book, "reads_formulas", True)
    restored = (restore_formulas(book, formulas, password, perbarui=perbarui)
                if reads_formulas else [])  # xlwings Lite: values only (see check_summary)
    hasil = hitung(spec)
    checked = verify_book(book, spec, formulas, restored)
    state = fingerprint_of_blocks(spec, bacaan.layout, recorder.blocks)
    contents = build_summary(hasil, (), bacaan.layout, state)
    if formulas:
        summary = check_summary(book, contents, password, perbarui)
    else:  # no formulas to check against (a test switching the checks off): drawn again
        summary = SummaryCheck(rebuild={c.name for c in contents})
    findings = restored + summary.dipulihkan + checked + summary.berbeda
    catatan = catatan_sheet(hasil, findings, bacaan.layout, state, contents[:-1],
                            summary.capacity)
    table = catatan.blocks[0]
    if isinstance(table, Table) and table.capacity > summary.capacity:
        summary.rebuild.add(SHEET_CATATAN)  # more findings than rows formatted
    contents[-1] = catatan
    names = book.sheet_names()
    after = SHEET_ANGGARAN if SHEET_ANGGARAN in names else names[-1]
    for content in contents:
        if content.name in summary.rebuild:
            render(book, content, after, password)
        after = content.name
    if SHEET_CATATAN not in summary.rebuild:
        write_catatan(book, catatan, password)
    area = sel_temuan_area(contents)
    if area is not None:  # again each run: a name deleted by hand comes back
        sheet, first, last, col = area
        book.define_name(SEL_TEMUAN, Area(sheet, first, col, last, col))
    return HasilRutin(hasil=hasil, bacaan=bacaan, dipulihkan=restored + summary.dipulihkan,
                      diperiksa=checked + summary.berbeda)


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
