"""The routine's pure modules packed for the workbook, and the ``main.py`` that unpacks them.

The project is not on PyPI, so ``main.py`` carries the modules the routine needs (found
by following the load-time imports of ``lite/run.py``): a zip (deflate) of them,
base64-encoded, unpacked into Pyodide's file system on first run and put on
``sys.path``. Only the standard library is imported by these modules (see
tests/test_lite.py, which imports them with YAML, JSON Schema, openpyxl, xlsxwriter and
calamine blocked, and checks that what is packed is exactly what is imported).
"""

from __future__ import annotations

import ast
import base64
import hashlib
import io
import zipfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path, PurePosixPath

from .. import __version__

#: Where the routine starts inside Lite; the packed files are what it imports at load time.
ENTRY = "lite/run.py"
DATA_FILES = ("schema/spec.schema.json",)  # read only for a workbook with changed metadata


def _imports(rel: str, root: Path) -> set[str]:
    """Package files a module imports at load time (module-level relative imports; an
    import inside a function is for reading or writing files and stays out)."""
    tree = ast.parse((root / rel).read_text(encoding="utf-8"))
    package = PurePosixPath(rel).parent
    found: set[str] = set()
    statements = list(tree.body)
    while statements:
        node = statements.pop(0)
        if isinstance(node, (ast.If, ast.Try)):
            statements.extend(node.body)
            continue
        if not isinstance(node, ast.ImportFrom) or not node.level:
            continue
        base = package
        for _ in range(node.level - 1):
            base = base.parent
        parts = node.module.split(".") if node.module else []
        target = base.joinpath(*parts) if parts else base
        for candidate in (f"{target}.py", f"{target}/__init__.py"):
            if (root / candidate).is_file():
                found.add(str(PurePosixPath(candidate)).removeprefix("./"))
        for alias in node.names:
            sub = target / f"{alias.name}.py"
            if (root / str(sub)).is_file():
                found.add(str(sub).removeprefix("./"))
    return found


def core_files(root: Path | None = None) -> tuple[str, ...]:
    """Every package file the routine needs in Lite (relative to workbook_gen/), sorted:
    the load-time import closure of :data:`ENTRY`, each subpackage's ``__init__.py``, and
    :data:`DATA_FILES`."""
    root = root or Path(str(resources.files("workbook_gen")))
    todo, seen = [ENTRY, "__init__.py"], set()
    while todo:
        rel = todo.pop()
        if rel in seen:
            continue
        seen.add(rel)
        todo.extend(_imports(rel, root) - seen)
        parent = PurePosixPath(rel).parent
        while str(parent) not in (".", ""):
            todo.append(f"{parent}/__init__.py")
            parent = parent.parent
    return tuple(sorted(seen)) + DATA_FILES


#: Where main.py unpacks the modules inside Pyodide (plus a digest of the packed modules,
#: so two workbooks of different versions open in one Lite session never mix modules).
TARGET_DIR = "/tmp/workbook_gen_lite"
LINE = 76  # characters per base64 line in main.py


@dataclass(frozen=True)
class Button:
    """A shape button: the shape's name, its sheet and the cell its hyperlink jumps to."""

    shape: str
    sheet: str
    cell: str


def core_zip() -> bytes:
    """The core modules as a zip, with fixed timestamps (same input, same bytes)."""
    root = resources.files("workbook_gen")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for rel in core_files():
            info = zipfile.ZipInfo(f"workbook_gen/{rel}", date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, root.joinpath(rel).read_bytes())
    return buf.getvalue()


def _script_name(button: Button) -> str:
    letters = "".join(ch for ch in button.sheet.lower() if ch.isalnum())
    return f"hitung_capaian_{letters or 'lembar'}"


def main_py(buttons: list[Button]) -> str:
    """The text of ``main.py``: the packed modules and one script per button."""
    packed_zip = core_zip()
    target = f"{TARGET_DIR}_{hashlib.sha256(packed_zip).hexdigest()[:12]}"
    encoded = base64.b64encode(packed_zip).decode("ascii")
    lines = [encoded[i:i + LINE] for i in range(0, len(encoded), LINE)]
    packed = "\n".join(f'    "{line}"' for line in lines)
    scripts = []
    for button in buttons:
        scripts.append(f'''

@script(button="[{button.shape}]{button.sheet}!{button.cell}", show_taskpane=True)
def {_script_name(button)}(book: xw.Book):
    """Hitung Capaian: periksa isian, tandai sel bermasalah, tulis Catatan Validasi."""
    _hitung(book)
''')
    return f'''"""Hitung Capaian untuk xlwings Lite.

Dibuat oleh workbook-gen {__version__}; jangan diubah di sini (buat ulang workbook dengan
'workbook-gen buat SPEC -o UNIT.xlsx --lite'). Modul perhitungan ikut di dalam berkas ini
(_INTI) dan dibuka ke folder sementara Pyodide saat pertama dijalankan. Semua berjalan di
komputer ini; tidak ada data yang dikirim ke luar.
"""

import base64
import io
import sys
import zipfile

import xlwings as xw
from xlwings import script

_INTI = (
{packed}
)


_FOLDER = "{target}"


def _siapkan():
    if _FOLDER not in sys.path:
        data = base64.b64decode("".join(_INTI))
        with zipfile.ZipFile(io.BytesIO(data)) as arsip:
            arsip.extractall(_FOLDER)
        for nama in [m for m in sys.modules if m.split(".")[0] == "workbook_gen"]:
            del sys.modules[nama]  # modul versi lain dari workbook lain di sesi yang sama
        sys.path.insert(0, _FOLDER)
    from workbook_gen.lite.run import hitung_lite

    return hitung_lite


def _hitung(book):
    return _siapkan()(book)
{"".join(scripts)}'''
