"""Find the input files: named files, folders searched recursively, glob patterns."""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable
from pathlib import Path

from ..layout import PERIODE_PILIHAN
from .records import EXTENSIONS

# --------------------------------------------------------------------------- inputs


def cari_berkas(inputs: Iterable[str | os.PathLike[str]],
                exclude: Iterable[str | os.PathLike[str]] = ()) -> tuple[list[Path], list[str]]:
    """Expand INPUT arguments: files as given, folders searched recursively for .xlsx/.xlsm
    (Excel lock files ``~$...`` skipped), globs. Returns the files (each once, in a stable
    order) and notes on arguments that matched nothing."""
    skip = {_resolved(Path(p)) for p in exclude}
    found: list[Path] = []
    seen: set[Path] = set()
    notes: list[str] = []

    def add(p: Path) -> None:
        key = _resolved(p)
        if key in seen or key in skip:
            return
        seen.add(key)
        found.append(p)

    for raw in inputs:
        text = os.fspath(raw)
        p = Path(text)
        if p.is_dir():
            hits = sorted(q for q in p.rglob("*") if _is_workbook_name(q) and q.is_file())
            if not hits:
                notes.append(f"Folder {text} tidak berisi berkas .xlsx/.xlsm.")
            for q in hits:
                add(q)
        elif p.exists() or not glob.has_magic(text):
            add(p)  # a missing named file is reported as rejected
        else:
            hits = sorted(Path(h) for h in glob.glob(text, recursive=True))
            files: list[Path] = []
            for h in hits:
                if h.is_dir():
                    files += sorted(q for q in h.rglob("*") if _is_workbook_name(q)
                                    and q.is_file())
                elif h.is_file():
                    files.append(h)
            if not files:
                notes.append(f"Pola {text} tidak cocok dengan berkas apa pun.")
            for q in files:
                add(q)
    return found, notes


def _is_workbook_name(p: Path) -> bool:
    return p.suffix.lower() in EXTENSIONS and not p.name.startswith(("~$", ".~lock"))


def _resolved(p: Path) -> Path:
    try:
        return p.resolve()
    except OSError:
        return p.absolute()



def normalise_periode(text: str) -> str | None:
    """'TW I' / 'tw1' / 'TW  IV' / 'tahunan' -> 'TW I' .. 'TW IV' / 'Tahunan'; None if unknown."""
    key = "".join(text.split()).upper()
    roman = {"1": "I", "2": "II", "3": "III", "4": "IV"}
    if key.startswith("TW") and key[2:] in roman:
        key = "TW" + roman[key[2:]]
    for p in PERIODE_PILIHAN:
        if "".join(p.split()).upper() == key:
            return p
    return None

