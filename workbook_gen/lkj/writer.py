"""Draw the LKj blocks into a new Word document (python-docx): A4, tables numbered by
Word fields (so they renumber inside the author's report), repeated header rows, wide
tables on landscape pages, category colours as cell shading. Draws only; no numbers
are computed here.
"""

from __future__ import annotations

import io
import re

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import _Cell

from .charts import render_png
from .content import (
    GRUP,
    KANAN,
    TENGAH,
    TOTAL,
    WARNA_GRUP,
    WARNA_KEPALA,
    Block,
    Cell,
    Heading,
    LkjChart,
    LkjTable,
    Paragraf,
)

A4 = (Cm(21.0), Cm(29.7))
MARGIN = Cm(2.0)
FONT = "Arial"
KEEP_TOGETHER_ROWS = 20
ALIGN = {KANAN: WD_ALIGN_PARAGRAPH.RIGHT, TENGAH: WD_ALIGN_PARAGRAPH.CENTER}


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _safe(text: str) -> str:
    """Text Word can hold: control characters (possible in names typed into a workbook)
    are dropped."""
    return _NOT_XML.sub("", text)


def _set_page(section, landscape: bool) -> None:
    w, h = A4
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (h, w) if landscape else (w, h)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, MARGIN)


def _usable_width(section) -> int:
    return section.page_width - section.left_margin - section.right_margin


def _shade(cell, colour: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), colour.lstrip("#").upper())
    tc_pr.append(shd)


def _row_flags(row, header: bool) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    cant = OxmlElement("w:cantSplit")
    tr_pr.append(cant)
    if header:
        el = OxmlElement("w:tblHeader")
        tr_pr.append(el)


def _field(paragraph, instr: str, shown: str) -> None:
    """A Word field (e.g. SEQ Tabel) with its current result shown."""
    def fld(kind: str):
        r = paragraph.add_run()
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        r._r.append(el)
        return r

    fld("begin")
    r = paragraph.add_run()
    it = OxmlElement("w:instrText")
    it.set(qn("xml:space"), "preserve")
    it.text = f" {instr} "
    r._r.append(it)
    fld("separate")
    paragraph.add_run(shown)
    fld("end")


def _caption(doc, label: str, number: int, title: str) -> None:
    p = doc.add_paragraph(style="Caption")
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.keep_with_next = True
    p.paragraph_format.space_before = Pt(10)
    p.add_run(f"{label} ")
    _field(p, f"SEQ {label} \\* ARABIC", str(number))
    p.add_run(_safe(f". {title}"))
    for run in p.runs:
        run.bold = True
        run.italic = False
        run.font.size = Pt(10)
        run.font.color.rgb = RGBColor(0, 0, 0)


def _write_cell(cell, c: Cell, size: float, bold: bool) -> None:
    p = cell.paragraphs[0]
    p.paragraph_format.space_after = Pt(0)
    p.paragraph_format.space_before = Pt(0)
    if c.align in ALIGN:
        p.alignment = ALIGN[c.align]
    run = p.add_run(_safe(c.text))
    run.font.size = Pt(size)
    run.bold = bold
    if c.fill:
        _shade(cell, c.fill)


def _table(doc, t: LkjTable, width: int) -> None:
    ncols = len(t.widths)
    size = t.size or (8 if ncols > 7 else 9)
    table = doc.add_table(rows=0, cols=ncols)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    total = sum(t.widths)
    widths = [int(width * w / total) for w in t.widths]
    for col, w in zip(table.columns, widths, strict=True):
        col.width = w
    for hi, head in enumerate(t.header):
        _add_row(table, head, widths, size, bold=True, fill=WARNA_KEPALA, header=True)
        if hi == 1:  # merge the two header rows where the lower one is blank
            _merge_blank_header(table, len(table.rows) - 2)
    for i, row in enumerate(t.rows):
        kind = t.kind(i)
        _add_row(table, row, widths, size, bold=kind in (GRUP, TOTAL),
                 fill=WARNA_GRUP if kind == GRUP else None, header=False)
    # A short table stays on one page; a long one at least keeps its last row with the
    # note under it.
    keep = table.rows if len(t.rows) <= KEEP_TOGETHER_ROWS else \
        (table.rows[-1:] if t.note else [])
    for row in keep[:-1] if not t.note else keep:
        for tc in row._tr.tc_lst:
            for para in _Cell(tc, table).paragraphs:
                para.paragraph_format.keep_with_next = True
    if t.note:
        p = doc.add_paragraph()
        p.paragraph_format.space_before = Pt(2)
        run = p.add_run(_safe(t.note))
        run.font.size = Pt(8)
        run.italic = True


def _add_row(table, cells: list[Cell], widths: list[int], size: float, bold: bool,
             fill: str | None, header: bool) -> None:
    # Works on the row's <w:tc> elements directly: python-docx's row.cells walks the
    # whole table on every call, which made long tables quadratic.
    row = table.add_row()
    _row_flags(row, header)
    tr = row._tr
    tcs = list(tr.tc_lst)
    col = 0
    for c in cells:
        tc = tcs[col]
        if c.span > 1:
            tc.grid_span = c.span
            for extra in tcs[col + 1: col + c.span]:
                tr.remove(extra)
        tc.width = sum(widths[col: col + c.span])
        target = _Cell(tc, table)
        _write_cell(target, c, size, bold)
        if fill and not c.fill:
            _shade(target, fill)
        col += c.span


def _merge_blank_header(table, first: int) -> None:
    top, low = table.rows[first], table.rows[first + 1]
    for i, cell in enumerate(low.cells):
        if not cell.text and top.cells[i].text:
            merged = top.cells[i].merge(cell)
            # merge() appends the blank paragraph: drop it
            paras = merged.paragraphs
            if len(paras) > 1 and not paras[-1].text:
                paras[-1]._p.getparent().remove(paras[-1]._p)


def _chart(doc, chart: LkjChart, number: int, width: int) -> None:
    png = render_png(chart)
    _caption(doc, "Grafik", number, chart.title)  # above the image, as the reports do
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run().add_picture(io.BytesIO(png), width=min(width, Cm(16)))


def write_docx(blocks: list[Block], title: str) -> bytes:
    """The document as bytes (the caller writes it atomically)."""
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(10)
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    doc.core_properties.title = title
    doc.core_properties.author = "workbook-gen"
    section = doc.sections[0]
    _set_page(section, landscape=False)
    head = doc.add_paragraph()
    run = head.add_run(_safe(title))
    run.bold = True
    run.font.size = Pt(12)
    landscape = False
    n_table = n_chart = 0
    for block in blocks:
        want = isinstance(block, LkjTable) and block.landscape
        if isinstance(block, Heading):
            want = False
        if want != landscape or (isinstance(block, Heading) and block.new_page):
            section = doc.add_section(WD_SECTION.NEW_PAGE)
            _set_page(section, want)
            landscape = want
        width = _usable_width(section)
        if isinstance(block, Heading):
            p = doc.add_paragraph()
            r = p.add_run(_safe(block.text))
            r.bold = True
            r.font.size = Pt(12)
            if block.note:
                q = doc.add_paragraph()
                q.add_run(_safe(block.note)).italic = True
        elif isinstance(block, Paragraf):
            doc.add_paragraph().add_run(_safe(block.text)).bold = block.bold
        elif isinstance(block, LkjTable):
            if block.numbered:
                n_table += 1
                _caption(doc, "Tabel", n_table, block.title)
            _table(doc, block, width)
        else:
            n_chart += 1
            _chart(doc, block, n_chart, width)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
