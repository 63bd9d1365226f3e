"""Find the input files: named files, folders searched recursively, glob patterns."""

from __future__ import annotations

import glob
import os
import stat
from collections.abc import Iterable
from pathlib import Path

from ..layout import PERIODE_PILIHAN
from .records import EXTENSIONS

# --------------------------------------------------------------------------- inputs


def cari_berkas(inputs: Iterable[str | os.PathLike[str]],
                exclude: Iterable[str | os.PathLike[str]] = ()) -> tuple[list[Path], list[str]]:
    """Expand INPUT arguments: files as given, folders searched recursively, globs. Every
    entry named ``*.xlsx``/``*.xlsm`` is listed whatever it is (a folder, a FIFO, a broken
    or looping symlink, an unreadable file), so the reader reports it; Excel lock files
    ``~$...`` are skipped; symlinked folders are followed once (loops cut). Returns the
    paths (each once, in a stable order) and notes on arguments that matched nothing."""
    skip = {_resolved(Path(p)) for p in exclude}
    found: list[Path] = []
    seen: set[Path] = set()
    notes: list[str] = []
    folders: dict[str, Path] = {}  # folder -> resolved, for files named one by one

    def add(p: Path, key: Path | None = None) -> None:
        key = key or _resolved(p)
        if key in seen or key in skip:
            return
        seen.add(key)
        found.append(p)

    for raw in inputs:
        text = os.fspath(raw)
        p = Path(text)
        if _is_dir(p):
            hits = _walk(p, notes)
            if not hits:
                notes.append(f"Folder {text} tidak berisi berkas .xlsx/.xlsm.")
            for q, key in hits:
                add(q, key)
        elif os.path.lexists(p) or not glob.has_magic(text):
            add(p, _resolved_in(p, folders))  # a missing named file is reported as rejected
        else:
            files: list[tuple[Path, Path | None]] = []
            for h in sorted(Path(h) for h in glob.glob(text, recursive=True)):
                files += _walk(h, notes) if _is_dir(h) else [(h, None)]
            if not files:
                notes.append(f"Pola {text} tidak cocok dengan berkas apa pun.")
            for q, key in files:
                add(q, key)
    return found, notes


def _resolved_in(p: Path, folders: dict[str, Path]) -> Path:
    """``p`` resolved, its folder resolved once for all the files named in it (a file that
    is a symlink, or cannot be looked at, is resolved on its own)."""
    if p.name in ("", ".", ".."):
        return _resolved(p)
    try:
        if stat.S_ISLNK(os.lstat(p).st_mode):
            return _resolved(p)
    except (OSError, ValueError):
        return _resolved(p)
    parent = str(p.parent)
    real = folders.get(parent)
    if real is None:
        real = folders[parent] = _resolved(p.parent)
    return real / p.name


def _is_dir(p: Path) -> bool:
    try:
        return p.is_dir()
    except (OSError, RuntimeError):
        return False


def _walk(folder: Path, notes: list[str]) -> list[tuple[Path, Path | None]]:
    """Every workbook-named entry under ``folder``, each real folder visited once, with
    its resolved path when that is known without asking the file system again (an entry
    that is not a symlink, in a folder resolved once)."""
    out: list[tuple[Path, Path | None]] = []
    visited: set[tuple[int, int]] = set()
    stack = [folder]
    while stack:
        d = stack.pop()
        try:
            st = os.stat(d)
        except (OSError, RuntimeError):
            continue
        if (st.st_dev, st.st_ino) in visited:
            continue  # a symlink back to a folder already searched
        visited.add((st.st_dev, st.st_ino))
        try:
            with os.scandir(d) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError:
            notes.append(f"Folder {d} tidak bisa dibuka (tidak ada izin baca); isinya tidak "
                         "ikut direkap.")
            continue
        real_d = _resolved(d)
        for e in entries:
            q = Path(e.path)
            if _is_workbook_name(q):
                try:
                    plain = not e.is_symlink()
                except OSError:
                    plain = False
                out.append((q, real_d / e.name if plain else None))
            try:
                sub = e.is_dir(follow_symlinks=True)
            except OSError:
                sub = False
            if sub:
                stack.append(q)
    return sorted(out, key=lambda qk: qk[0])


def _is_workbook_name(p: Path) -> bool:
    return p.suffix.lower() in EXTENSIONS and not p.name.startswith(("~$", ".~lock"))


def _resolved(p: Path) -> Path:
    try:
        return p.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop (Python < 3.13)
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

