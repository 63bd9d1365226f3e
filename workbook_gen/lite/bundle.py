"""The routine's pure modules packed for the workbook, and the ``main.py`` that unpacks them.

The project is not on PyPI, so ``main.py`` carries the modules the routine may need (found
by following the imports of ``lite/run.py``, see :func:`core_files`): a zip (deflate),
base64-encoded, unpacked into Pyodide's file system on first run and put on
``sys.path``. Only the standard library is imported by these modules (see
tests/test_lite.py, which imports them with YAML, JSON Schema, openpyxl, xlsxwriter and
calamine blocked: every packed module imports there, and the routine imports nothing
that is not packed).
"""

from __future__ import annotations

import ast
import base64
import hashlib
import io
import sys
import zipfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path, PurePosixPath

from .. import __version__

#: Where the routine starts inside Lite; the packed files are what it imports at load time.
ENTRY = "lite/run.py"
DATA_GLOBS = ("schema/*.json",)  # the JSON schemas the reader may check metadata against


def _load_time_nodes(tree: ast.Module) -> list[ast.stmt]:
    """Statements run when the module is imported (top level, inside if/try)."""
    out: list[ast.stmt] = []
    todo = list(tree.body)
    while todo:
        node = todo.pop(0)
        if isinstance(node, (ast.If, ast.Try)):
            todo.extend(node.body)
        else:
            out.append(node)
    return out


def _third_party(tree: ast.Module) -> set[str]:
    """Packages outside the standard library imported at load time."""
    names: set[str] = set()
    for node in _load_time_nodes(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            names.add(node.module.split(".")[0])
    return {n for n in names if n not in sys.stdlib_module_names and n != "__future__"}


def _relative_imports(rel: str, tree: ast.Module, root: Path) -> set[str]:
    """Package files a module imports, at load time or inside a function."""
    package = PurePosixPath(rel).parent
    found: set[str] = set()
    for node in ast.walk(tree):
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
    """Every package file the routine may need in Lite (relative to workbook_gen/), sorted.

    From :data:`ENTRY`, every module reachable through relative imports (at load time or
    inside a function) whose own load-time imports are the standard library and this
    package only; a module that needs another package when loaded (``generate`` needs
    xlsxwriter) stays out, with what only it reaches. Each subpackage's ``__init__.py``
    and the data files of :data:`DATA_GLOBS` are added."""
    root = root or Path(str(resources.files("workbook_gen")))
    todo, seen = [ENTRY, "__init__.py"], set()
    while todo:
        rel = todo.pop()
        if rel in seen:
            continue
        tree = ast.parse((root / rel).read_text(encoding="utf-8"))
        if _third_party(tree):
            continue
        seen.add(rel)
        todo.extend(_relative_imports(rel, tree, root) - seen)
        parent = PurePosixPath(rel).parent
        while str(parent) not in (".", ""):
            todo.append(f"{parent}/__init__.py")
            parent = parent.parent
    data = sorted(str(p.relative_to(root)) for g in DATA_GLOBS for p in root.glob(g))
    return tuple(sorted(seen)) + tuple(data)


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
