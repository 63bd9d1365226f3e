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

# sheet -> {(row, col): formula} for every formula the generator owns (1-based)
FormulaMap = dict[str, dict[tuple[int, int], str]]


@dataclass
class HasilRutin:
    hasil: Hasil
    bacaan: Bacaan
    dipulihkan: list[Finding] = field(default_factory=list)

    @property
    def temuan(self) -> Report:
        report = Report()
        report.extend(self.dipulihkan)
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


def restore_formulas(book: Book, expected: FormulaMap, password: str | None) -> list[Finding]:
    """Compare every generator-owned formula cell with what it should hold; rewrite the
    formula blocks that changed (one write per block) and report each typed-over cell."""
    findings: list[Finding] = []
    for sheet, cells in expected.items():
        if not cells:
            continue
        r0 = min(r for r, _ in cells)
        r1 = max(r for r, _ in cells)
        c0 = min(c for _, c in cells)
        c1 = max(c for _, c in cells)
        found = book.read_formulas(sheet, r0, c0, r1, c1)
        broken = []
        for (r, c), formula in sorted(cells.items()):
            value = found[r - r0][c - c0]
            if not _same(value, formula):
                broken.append((r, c, value))
        if not broken:
            continue
        block = [[row[i] for i in range(c1 - c0 + 1)] for row in found]
        for (r, c), formula in cells.items():
            block[r - r0][c - c0] = formula
        book.unprotect(sheet, password)
        book.write_formulas(sheet, r0, c0, block)
        book.protect(sheet, password)
        for r, c, value in broken:
            shown = "kosong" if value in (None, "") else f"'{value}'"
            findings.append(Finding(
                "peringatan", "rumus_dipulihkan", f"{sheet}!{col_letter(c)}{r}",
                f"Rumus di sel ini ditimpa ({shown}); rumus aslinya sudah dipulihkan.",
                "Jangan mengetik di sel rumus (abu-abu); isi hanya sel masukan (kuning)."))
    return findings


def hitung_capaian(book: Book, sumber: str,
                   expected: Callable[[Spec, Bacaan], FormulaMap] | None = None) -> HasilRutin:
    """Run the whole routine on ``book``; raise ReadError for workbooks it cannot read."""
    recorder = ReadRecorder(book)
    bacaan = read_workbook(recorder, sumber)  # type: ignore[arg-type]
    spec = bacaan.spec
    password = spec.pengaturan.kata_sandi
    formulas = (expected or _expected_formulas)(spec, bacaan)
    restored = restore_formulas(book, formulas, password)
    hasil = hitung(spec)
    checked = fingerprint_of_blocks(spec, bacaan.layout, recorder.blocks)
    contents = build_summary(hasil, restored, bacaan.layout, checked)
    names = book.sheet_names()
    after = SHEET_ANGGARAN if SHEET_ANGGARAN in names else names[-1]
    for content in contents:
        render(book, content, after, password)
        after = content.name
    area = sel_temuan_area(contents)
    if area is not None:
        sheet, first, last, col = area
        book.define_name(SEL_TEMUAN, Area(sheet, first, col, last, col))
    return HasilRutin(hasil=hasil, bacaan=bacaan, dipulihkan=restored)


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
