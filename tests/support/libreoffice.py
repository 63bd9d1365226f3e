"""Recalculate spreadsheets in LibreOffice (headless) for tests.

xlsxwriter stores a cached value for every formula (0 unless told otherwise)
and LibreOffice, by default, *trusts* cached values of OOXML files instead of
recalculating them.  ``recalculate`` therefore runs ``soffice`` with a private,
throw-away user profile whose ``registrymodifications.xcu`` sets

    /org.openoffice.Office.Calc/Formula/Load  OOXMLRecalcMode = 0  (always)
    /org.openoffice.Office.Calc/Formula/Load  ODFRecalcMode   = 0  (always)

(the shipped default for both is 1 = never; 2 = ask), converts every input to
xlsx in ONE ``soffice`` call and returns where each recalculated copy went.
``read_values`` then reads the cached values LibreOffice wrote.

The profile also pins the locale (default ``en-US``) so that locale-dependent
behaviour (text such as "1.470" used in arithmetic) does not depend on the
machine running the tests.

Usage::

    from tests.support.libreoffice import find_soffice, recalculate, read_values

    outputs = recalculate([book1, book2], tmp_path / "recalc")
    values = read_values(outputs[book1])      # {"Sheet1": {"C1": 0.5, ...}}
"""

from __future__ import annotations

import glob
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

__all__ = [
    "LibreOfficeError",
    "LibreOfficeNotFound",
    "find_soffice",
    "profile_xcu",
    "read_values",
    "recalculate",
]

#: Filter used for the output.  ``xlsx`` alone would also work, but naming the
#: filter explicitly avoids LibreOffice picking a different xlsx export filter.
XLSX_FILTER = "xlsx:Calc MS Excel 2007 XML"

SUPPORTED_SUFFIXES = {".xlsx", ".xlsm"}

#: Environment variable that may point at the soffice executable.
SOFFICE_ENV = "SOFFICE"

_CANDIDATES = (
    "/usr/bin/soffice",
    "/usr/lib/libreoffice/program/soffice",
    "/usr/local/bin/soffice",
    "/opt/libreoffice*/program/soffice",
    "/snap/bin/libreoffice",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
)


class LibreOfficeError(RuntimeError):
    """soffice failed, timed out, or did not produce every expected output."""


class LibreOfficeNotFound(LibreOfficeError):
    """No soffice executable could be found."""


def find_soffice() -> str | None:
    """Return the path of the ``soffice`` executable, or ``None``.

    Order: ``$SOFFICE``, ``soffice`` / ``libreoffice`` on ``PATH``, then a few
    well-known install locations.
    """
    env = os.environ.get(SOFFICE_ENV)
    if env:
        found = shutil.which(env)
        if found:
            return found
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for pattern in _CANDIDATES:
        for candidate in sorted(glob.glob(pattern)):
            if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
                return candidate
    return None


def profile_xcu(locale: str | None = "en-US") -> str:
    """Return the ``registrymodifications.xcu`` written into the profile."""
    items = [
        ("/org.openoffice.Office.Calc/Formula/Load", "OOXMLRecalcMode", "int", "0"),
        ("/org.openoffice.Office.Calc/Formula/Load", "ODFRecalcMode", "int", "0"),
        # No first-start wizard / tip-of-the-day etc.
        ("/org.openoffice.Setup/Office", "ooSetupInstCompleted", "bool", "true"),
        ("/org.openoffice.Office.Common/Misc", "FirstRun", "bool", "false"),
        ("/org.openoffice.Office.Common/Misc", "ShowTipOfTheDay", "bool", "false"),
        # Never update links to other files while loading (0 always, 1 never, 2 ask).
        ("/org.openoffice.Office.Calc/Content/Update", "Link", "int", "1"),
    ]
    if locale:
        items += [
            ("/org.openoffice.Setup/L10N", "ooSetupSystemLocale", "string", locale),
            ("/org.openoffice.Setup/L10N", "ooLocale", "string", locale),
        ]
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<oor:items xmlns:oor="http://openoffice.org/2001/registry"'
        ' xmlns:xs="http://www.w3.org/2001/XMLSchema"'
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
    ]
    for path, name, _type, value in items:
        lines.append(
            f'<item oor:path="{path}"><prop oor:name="{name}" oor:op="fuse">'
            f"<value>{escape(value)}</value></prop></item>"
        )
    lines.append("</oor:items>")
    return "\n".join(lines) + "\n"


def _make_profile(root: Path, locale: str | None) -> Path:
    """Create a fresh user installation under *root*; return its directory."""
    profile = root / "profile"
    user = profile / "user"
    user.mkdir(parents=True)
    (user / "registrymodifications.xcu").write_text(profile_xcu(locale), encoding="utf-8")
    return profile


def _output_names(paths: list[Path], out_dir: Path) -> list[Path]:
    """Choose a distinct ``out_dir/<stem>.xlsx`` for every input.

    Two inputs with the same stem (``a/x.xlsx`` and ``b/x.xlsx``, or
    ``x.xlsx`` and ``x.xlsm``), or an output that would overwrite one of the
    inputs, get ``<stem>__2.xlsx``, ``<stem>__3.xlsx``, ...
    """
    inputs = {p.resolve() for p in paths}
    taken: set[Path] = set()
    names = []
    for p in paths:
        n = 1
        while True:
            name = f"{p.stem}.xlsx" if n == 1 else f"{p.stem}__{n}.xlsx"
            target = (out_dir / name).resolve()
            if target not in taken and target not in inputs:
                break
            n += 1
        taken.add(target)
        names.append(out_dir / name)
    return names


def _group_has_live_members(pgid: int) -> bool:
    """True while a non-zombie process of group *pgid* exists (Linux /proc; else assume yes)."""
    proc_dir = Path("/proc")
    if not proc_dir.is_dir():
        return True
    for entry in proc_dir.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid pgrp ...; comm may contain spaces/parens
        fields = stat[stat.rfind(")") + 2 :].split()
        if len(fields) > 2 and fields[2] == str(pgid) and fields[0] != "Z":
            return True
    return False


def _kill_group(proc: subprocess.Popen, wait: float = 5.0) -> None:
    """Kill the process group started for *proc* (soffice -> oosplash -> soffice.bin).

    Waits up to *wait* seconds for every member to disappear, so that no
    LibreOffice process outlives the call.
    """
    try:
        proc.kill()
    except ProcessLookupError:
        pass
    if os.name != "posix":  # pragma: no cover - Windows
        subprocess.run(["taskkill", "/F", "/T", "/PID", str(proc.pid)], capture_output=True)
        return
    deadline = time.monotonic() + wait
    while True:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            return  # group is empty
        except PermissionError:  # pragma: no cover - pgid reused by someone else
            return
        if not _group_has_live_members(proc.pid):
            return  # only zombies left; init reaps them
        if time.monotonic() > deadline:
            return
        time.sleep(0.05)


def recalculate(
    paths: list[Path],
    out_dir: Path,
    *,
    timeout: float | None = None,
    soffice: str | None = None,
    locale: str | None = "en-US",
) -> dict[Path, Path]:
    """Recalculate *paths* in one headless LibreOffice run; save them as xlsx.

    Every input (``.xlsx`` / ``.xlsm``) is copied into a private staging
    directory (so LibreOffice never touches or leaves lock files next to the
    originals, and equal file names cannot collide), opened with a throw-away
    profile that forces a full recalculation on load, and exported with the
    "Calc MS Excel 2007 XML" filter.  Outputs are placed in *out_dir* (created
    if needed) as ``<stem>.xlsx`` -- existing files of that name are
    overwritten; duplicate stems get ``<stem>__2.xlsx`` etc.  The returned dict
    maps each input path (as given) to its output path.

    *timeout* defaults to ``60 + 5 * len(paths)`` seconds; on timeout every
    process of the run is killed and :class:`LibreOfficeError` raised.
    Raises :class:`LibreOfficeNotFound` if soffice is not installed.
    """
    paths = [Path(p) for p in paths]
    out_dir = Path(out_dir)
    if not paths:
        return {}
    if len({p.resolve() for p in paths}) != len(paths):
        raise ValueError("the same input file was given more than once")
    for p in paths:
        if p.suffix.lower() not in SUPPORTED_SUFFIXES:
            raise ValueError(f"{p}: only {sorted(SUPPORTED_SUFFIXES)} files are supported")
        if not p.is_file():
            raise FileNotFoundError(p)

    exe = soffice or find_soffice()
    if exe is None:
        raise LibreOfficeNotFound(
            "LibreOffice (soffice) not found; install it, e.g. "
            "`apt-get install -y libreoffice-calc-nogui`, or set $SOFFICE"
        )
    if timeout is None:
        timeout = 60 + 5 * len(paths)

    out_dir.mkdir(parents=True, exist_ok=True)
    targets = _output_names(paths, out_dir)

    with tempfile.TemporaryDirectory(prefix="lo-recalc-") as tmp:
        tmp_path = Path(tmp)
        profile = _make_profile(tmp_path, locale)
        stage_in = tmp_path / "in"
        stage_out = tmp_path / "out"
        stage_in.mkdir()
        stage_out.mkdir()
        staged = []
        for i, p in enumerate(paths):
            dst = stage_in / f"f{i:05d}{p.suffix.lower()}"
            shutil.copyfile(p, dst)
            staged.append(dst)

        cmd = [
            exe,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--invisible",
            "--nologo",
            "--nodefault",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            XLSX_FILTER,
            "--outdir",
            str(stage_out),
            *map(str, staged),
        ]
        env = dict(os.environ)
        env.setdefault("SAL_USE_VCLPLUGIN", "svp")
        env["HOME"] = str(tmp_path)  # nothing may leak into the real home
        env.pop("DISPLAY", None)
        env.pop("WAYLAND_DISPLAY", None)

        started = time.monotonic()
        try:
            proc = subprocess.Popen(
                cmd,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                cwd=tmp,
                env=env,
                start_new_session=True,
            )
        except OSError as exc:
            raise LibreOfficeNotFound(f"cannot run soffice {exe!r}: {exc}") from exc
        try:
            stdout, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            stdout, stderr = proc.communicate()
            raise LibreOfficeError(
                f"soffice timed out after {timeout:.1f}s converting {len(paths)} file(s)\n"
                f"stdout: {stdout.decode(errors='replace')}\n"
                f"stderr: {stderr.decode(errors='replace')}"
            ) from None
        finally:
            # Normally everything has exited already; make sure nothing lingers.
            _kill_group(proc)
        elapsed = time.monotonic() - started

        out_text = stdout.decode(errors="replace")
        err_text = stderr.decode(errors="replace")
        missing = [
            paths[i]
            for i, s in enumerate(staged)
            if not (stage_out / f"{s.stem}.xlsx").is_file()
            or (stage_out / f"{s.stem}.xlsx").stat().st_size == 0
        ]
        if proc.returncode != 0 or missing:
            raise LibreOfficeError(
                f"soffice exit code {proc.returncode} after {elapsed:.1f}s; "
                f"no output for: {[str(m) for m in missing]}\n"
                f"command: {cmd}\nstdout: {out_text}\nstderr: {err_text}"
            )

        result: dict[Path, Path] = {}
        for src, s, target in zip(paths, staged, targets, strict=True):
            shutil.move(str(stage_out / f"{s.stem}.xlsx"), target)
            result[src] = target
    return result


def read_values(path: Path) -> dict[str, dict[str, object]]:
    """Return ``{sheet: {"A1": value}}`` of the cached values in *path*.

    Uses openpyxl with ``data_only=True``.  Empty cells are left out.  A
    formula whose cached result is the empty string is reported as ``""``
    (openpyxl alone would give ``None``, indistinguishable from an empty
    cell).  Error results come back as strings such as ``"#DIV/0!"``,
    booleans as ``True``/``False``.  Note: LibreOffice writes numbers with 15
    significant digits (2/3 -> 0.666666666666667), so compare floats with a
    relative tolerance of about 1e-14, not with ``==``.
    """
    import openpyxl

    path = Path(path)
    values_wb = openpyxl.load_workbook(path, data_only=True)
    formulas_wb = openpyxl.load_workbook(path, data_only=False)
    try:
        result: dict[str, dict[str, object]] = {}
        for ws in values_wb.worksheets:
            fws = formulas_wb[ws.title]
            cells: dict[str, object] = {}
            for row in ws.iter_rows():
                for cell in row:
                    value = cell.value
                    if value is None:
                        if fws[cell.coordinate].data_type != "f":
                            continue
                        value = ""
                    cells[cell.coordinate] = value
            result[ws.title] = cells
        return result
    finally:
        values_wb.close()
        formulas_wb.close()
