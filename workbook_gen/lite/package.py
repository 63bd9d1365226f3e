"""Write the Lite workbook: the macro-free workbook plus the xlwings Lite add-in parts.

``build_lite_workbook(spec)`` generates the .xlsx with shape buttons where the .xlsm has
its macro buttons (``generate.build_workbook(..., lite=True)``), then adds, part by part
as xlwings Lite itself saves them:

* ``xl/webextensions/webextension1.xml``: the add-in reference (Office store asset
  WA200008175) and its settings ``main.py``, ``requirements.txt``, ``pyodideVersion``,
  ``addinVersion``, each the JSON string of the text with ``/`` written as ``\\/``;
* ``xl/webextensions/taskpanes.xml`` (visible, so Excel opens the pane and offers the
  add-in on first open) and its relationship to the extension;
* the package relationship to the task panes and two content-type overrides.

The shape buttons get names without spaces (``TombolHitungIdentitas``) and ``main.py``
binds one script to each (``@script(button="[Shape]Sheet!Cell")``). Catatan Validasi, the
one sheet every run writes, is left unprotected: Lite has no action to unprotect a sheet,
and Excel refuses writes into a protected one. Every other part of the workbook (input
sheets, the live summary sheets, formulas, their protection, layout) is copied byte for
byte.
"""

from __future__ import annotations

import io
import json
import posixpath
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree
from xml.sax.saxutils import escape

from ..findings import WorkbookGenError
from ..spec import Spec
from .book import WRITTEN_SHEETS
from .bundle import Button, main_py

ADDIN_ID = "wa200008175"  # xlwings Lite in the Office store (asset id WA200008175)
EXTENSION_ID = "{5C9A1A3E-2B7D-4E51-9F0C-8A7B1D3C4E60}"  # this workbook's add-in instance
# As found in workbooks xlwings Lite saved; the add-in uses its own Pyodide and records
# its versions when it saves the workbook.
PYODIDE_VERSION = "0.27.5"
ADDIN_VERSION = "1.0.0.0-18"
# The routine's modules travel in main.py and import the standard library alone (the
# metadata schema is checked by workbook_gen.jsoncheck): only Lite's own package.
REQUIREMENTS = "xlwings==0.33.15  # required\n"
MAX_SETTINGS = 2_000_000  # Office keeps add-in settings to about 2 MB

WEBEXT = "xl/webextensions/webextension1.xml"
TASKPANES = "xl/webextensions/taskpanes.xml"
TASKPANES_RELS = "xl/webextensions/_rels/taskpanes.xml.rels"
REL_TASKPANES = "http://schemas.microsoft.com/office/2011/relationships/webextensiontaskpanes"
REL_WEBEXT = "http://schemas.microsoft.com/office/2011/relationships/webextension"
CT_TASKPANES = "application/vnd.ms-office.webextensiontaskpanes+xml"
CT_WEBEXT = "application/vnd.ms-office.webextension+xml"

NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_DRAWING = NS_R + "/drawing"
REL_HYPERLINK = NS_R + "/hyperlink"
DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


class LiteError(WorkbookGenError):
    """The Lite workbook cannot be built (for people: what to do instead)."""


def property_value(text: str) -> str:
    """An add-in setting as Lite stores it: the JSON string of ``text`` with '/' as '\\/',
    escaped for an XML attribute."""
    encoded = json.dumps(text, ensure_ascii=False).replace("/", "\\/")
    return escape(encoded, {'"': "&quot;"})


def webextension_xml(properties: dict[str, str]) -> str:
    props = "".join(f'<we:property name="{escape(name)}" value="{property_value(value)}"/>'
                    for name, value in properties.items())
    ref = f'id="{ADDIN_ID}" version="1.0.0.0"'
    return (DECL +
            '<we:webextension xmlns:we="http://schemas.microsoft.com/office/webextensions/'
            f'webextension/2010/11" id="{EXTENSION_ID}">'
            f'<we:reference {ref} store="en-US" storeType="OMEX"/>'
            f'<we:alternateReferences><we:reference {ref} store="{ADDIN_ID.upper()}" '
            'storeType="OMEX"/></we:alternateReferences>'
            f'<we:properties>{props}</we:properties><we:bindings/>'
            f'<we:snapshot xmlns:r="{NS_R}"/></we:webextension>')


def taskpanes_xml() -> str:
    return (DECL +
            '<wetp:taskpanes xmlns:wetp="http://schemas.microsoft.com/office/webextensions/'
            'taskpanes/2010/11"><wetp:taskpane dockstate="right" visibility="1" width="350" '
            f'row="1"><wetp:webextensionref xmlns:r="{NS_R}" r:id="rId1"/></wetp:taskpane>'
            '</wetp:taskpanes>')


def taskpanes_rels() -> str:
    return (DECL + f'<Relationships xmlns="{NS_PKG_REL}"><Relationship Id="rId1" '
            f'Type="{REL_WEBEXT}" Target="webextension1.xml"/></Relationships>')


def _rels(z: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """Relationship id -> (type, target resolved to a part name) of ``part``."""
    folder, name = posixpath.split(part)
    path = posixpath.join(folder, "_rels", name + ".rels")
    if path not in z.namelist():
        return {}
    out = {}
    for rel in ElementTree.fromstring(z.read(path)):
        target = rel.get("Target", "")
        if rel.get("TargetMode") != "External" and not target.startswith("#"):
            target = posixpath.normpath(posixpath.join(folder, target)).lstrip("/")
        out[rel.get("Id", "")] = (rel.get("Type", ""), target)
    return out


def _shape_name(sheet: str) -> str:
    return "TombolHitung" + "".join(ch for ch in sheet if ch.isalnum())


def sheet_parts(z: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its part (xl/worksheets/sheetN.xml), in workbook order."""
    workbook = ElementTree.fromstring(z.read("xl/workbook.xml"))
    book_rels = _rels(z, "xl/workbook.xml")
    return {sheet.get("name", ""): book_rels[sheet.get(f"{{{NS_R}}}id", "")][1]
            for sheet in workbook.iter(f"{{{NS_MAIN}}}sheet")}


def unprotected(z: zipfile.ZipFile, sheets: tuple[str, ...] = WRITTEN_SHEETS
                ) -> dict[str, bytes]:
    """The parts of ``sheets`` without their sheet protection."""
    out = {}
    for name, part in sheet_parts(z).items():
        if name in sheets:
            xml = z.read(part).decode("utf-8")
            out[part] = re.sub(r"<sheetProtection [^>]*/>", "", xml).encode("utf-8")
    return out


def find_buttons(z: zipfile.ZipFile) -> tuple[list[Button], dict[str, bytes]]:
    """The shape buttons (shapes whose hyperlink jumps to a cell), renamed; and the drawing
    parts rewritten with those names."""
    buttons: list[Button] = []
    changed: dict[str, bytes] = {}
    for name, part in sheet_parts(z).items():
        for rel_type, drawing in _rels(z, part).values():
            if rel_type != REL_DRAWING:
                continue
            links = {rid: target for rid, (t, target) in _rels(z, drawing).items()
                     if t == REL_HYPERLINK and target.startswith("#")}
            xml = z.read(drawing).decode("utf-8")

            def rename(m: re.Match[str], links: dict[str, str] = links,
                       sheet_name: str = name) -> str:
                target = links.get(m.group(3))
                if target is None:
                    return m.group(0)
                cell = target.rsplit("!", 1)[1].replace("$", "")
                shape = _shape_name(sheet_name)
                if len([b for b in buttons if b.sheet == sheet_name]):
                    shape += str(len([b for b in buttons if b.sheet == sheet_name]) + 1)
                buttons.append(Button(shape, sheet_name, cell))
                return f'{m.group(1)}"{shape}"{m.group(2)}'

            new = re.sub(r'(<xdr:cNvPr id="\d+" name=)"[^"]*"(><a:hlinkClick [^>]*r:id="'
                         r'(rId\d+)")', rename, xml)
            if new != xml:
                changed[drawing] = new.encode("utf-8")
    return buttons, changed


def _add_relationship(rels_xml: bytes) -> bytes:
    text = rels_xml.decode("utf-8")
    ids = {int(n) for n in re.findall(r'Id="rId(\d+)"', text)}
    rid = f"rId{max(ids, default=0) + 1}"
    rel = f'<Relationship Id="{rid}" Type="{REL_TASKPANES}" Target="{TASKPANES}"/>'
    return text.replace("</Relationships>", rel + "</Relationships>").encode("utf-8")


def _add_content_types(ct_xml: bytes) -> bytes:
    text = ct_xml.decode("utf-8")
    extra = (f'<Override PartName="/{TASKPANES}" ContentType="{CT_TASKPANES}"/>'
             f'<Override PartName="/{WEBEXT}" ContentType="{CT_WEBEXT}"/>')
    return text.replace("</Types>", extra + "</Types>").encode("utf-8")


def lite_parts(xlsx: bytes) -> bytes:
    """Add the Lite parts to a macro-free workbook with shape buttons (its bytes)."""
    src = zipfile.ZipFile(io.BytesIO(xlsx))
    if any(n.lower().endswith("vbaproject.bin") for n in src.namelist()):
        raise LiteError("Workbook Lite harus tanpa makro: pakai keluaran .xlsx.")
    buttons, changed = find_buttons(src)
    changed.update(unprotected(src))
    if not buttons:
        raise LiteError("Workbook tidak berisi tombol Hitung Capaian untuk xlwings Lite.")
    main = main_py(buttons)
    properties = {"main.py": main, "pyodideVersion": PYODIDE_VERSION,
                  "addinVersion": ADDIN_VERSION, "requirements.txt": REQUIREMENTS}
    webext = webextension_xml(properties)
    if len(webext.encode("utf-8")) > MAX_SETTINGS:
        raise LiteError(f"Kode untuk xlwings Lite terlalu besar ({len(webext)} karakter; "
                        "Office menyimpan paling banyak sekitar 2 MB pengaturan add-in).")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "[Content_Types].xml":
                data = _add_content_types(data)
            elif info.filename == "_rels/.rels":
                data = _add_relationship(data)
            elif info.filename in changed:
                data = changed[info.filename]
            dst.writestr(info, data)
        for name, text in ((WEBEXT, webext), (TASKPANES, taskpanes_xml()),
                           (TASKPANES_RELS, taskpanes_rels())):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, text.encode("utf-8"))
    return out.getvalue()


def build_lite_workbook(spec: Spec) -> bytes:
    """The Lite workbook's bytes (.xlsx)."""
    from ..generate import build_workbook

    return lite_parts(build_workbook(spec, macro=False, lite=True))


def generate_lite(spec: Spec, out_path: str | Path, *, overwrite: bool = False) -> Path:
    """Write the Lite workbook of ``spec`` to ``out_path`` (.xlsx), atomically."""
    from ..outfile import check_output, write_atomic
    from ..sheets.limits import check_text_limits

    check_text_limits(spec)  # Excel's text limits, as generate() checks them
    out = Path(out_path)
    check_output(out, overwrite=overwrite, extensions=(".xlsx",),
                 saran_ekstensi="workbook untuk xlwings Lite harus ber-ekstensi .xlsx "
                 "(tanpa makro), misalnya UNIT.xlsx.")
    write_atomic(build_lite_workbook(spec), out)
    return out
