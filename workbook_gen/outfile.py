"""Writing output workbooks: refuse unusable paths before any work, then write
atomically (a temporary file in the target folder, renamed over the target), so no
partial file is ever left. Used by the generator, Hitung Capaian and the consolidation.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import BinaryIO

from .findings import OutputError
from .inputfile import describe_os_error


def _open_elsewhere(out: Path) -> str | None:
    """The lock file Excel or LibreOffice keeps next to an open workbook, if present."""
    for lock in (out.with_name("~$" + out.name), out.with_name(f".~lock.{out.name}#")):
        if lock.exists():
            return lock.name
    return None


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return False


def refuse_input_as_output(out: Path, inputs: Sequence[tuple[Path, str]]) -> None:
    """Refuse, whatever the flags, an output that is one of the inputs (the same file,
    also through a link): writing it would destroy what was read. ``inputs`` pairs each
    input with its name for people ("spec", "workbook masukan")."""
    for path, apa in inputs:
        if _same_file(out, path):
            raise OutputError(
                f"{out} adalah {apa} itu sendiri ({path}); keluaran tidak boleh menimpa "
                "masukannya, juga dengan --timpa. Pilih nama berkas keluaran lain.")


def is_read_only(out: Path) -> bool:
    """An existing file whose permissions forbid writing it."""
    try:
        mode = out.stat().st_mode
    except (OSError, ValueError):
        return False
    # no write bit at all (Windows' read-only attribute), or not writable for this user
    return stat.S_ISREG(mode) and (not mode & 0o222 or not os.access(out, os.W_OK))


def read_only_note(out: Path) -> str | None:
    """What the person is told when ``--timpa`` replaces a read-only file (the new file
    keeps the read-only permission: nothing is changed silently)."""
    if not is_read_only(out):
        return None
    return (f"Catatan: {out} bersifat hanya-baca (read-only); berkas itu diganti karena "
            "--timpa, dan berkas barunya tetap hanya-baca.")


def check_output(out: Path, *, overwrite: bool, extensions: tuple[str, ...],
                 saran_ekstensi: str) -> None:
    """Refuse what cannot be written, before any work: an extension not in
    ``extensions`` (``saran_ekstensi`` says what to use), a missing folder, a folder
    given as the file, an existing file (unless ``overwrite``; a read-only one is named
    as such), a file open in Excel or LibreOffice."""
    if out.suffix.lower() not in extensions:
        raise OutputError(f"{out}: {saran_ekstensi}")
    folder = out.parent
    if not folder.is_dir():
        raise OutputError(
            f"{out}: folder '{folder}' tidak ada. Buat foldernya dulu atau pilih folder lain.")
    if out.is_dir():
        raise OutputError(f"{out} adalah folder, bukan berkas. Tulis nama berkas, misalnya "
                          f"{out / 'kinerja.xlsm'}.")
    if out.exists() and not overwrite:
        ro = " dan bersifat hanya-baca (read-only)" if is_read_only(out) else ""
        raise OutputError(
            f"{out} sudah ada{ro}; tidak ditimpa. Pakai --timpa untuk menggantinya, atau "
            "pilih nama lain.")
    if out.exists():
        lock = _open_elsewhere(out)
        if lock:
            raise OutputError(
                f"{out} tampaknya sedang dibuka di Excel atau LibreOffice (ada berkas kunci "
                f"{lock}). Tutup berkasnya dulu, lalu ulangi.")


def _file_mode(out: Path) -> int:
    """The existing file's permissions, else what a new file gets under the umask
    (mkstemp creates 0600)."""
    try:
        return out.stat().st_mode & 0o777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def write_atomic(data: bytes, out: Path, *, sync: bool = True) -> None:
    """Write ``data`` to a temporary file in the target folder, then rename it over
    ``out``; on any failure the temporary file is removed and OutputError raised.
    ``sync=False`` skips the flush to disk, for files the caller syncs all at once
    before they are moved into place (``katalog.buat``: a thousand fsyncs cost seconds)."""
    write_atomic_with(lambda fh: fh.write(data), out, sync=sync)


def write_atomic_with(write: Callable[[BinaryIO], object], out: Path, *,
                      sync: bool = True) -> None:
    """As :func:`write_atomic`, with ``write`` writing the content into the open
    temporary file (a large output never held in memory as a whole)."""
    tmp_name = None
    try:
        fd, tmp_name = tempfile.mkstemp(dir=out.parent, prefix=f".{out.stem}.",
                                        suffix=out.suffix + ".tmp")
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            if sync:
                os.fsync(fh.fileno())
        os.chmod(tmp_name, _file_mode(out))
        os.replace(tmp_name, out)
        tmp_name = None
    except PermissionError:
        if is_read_only(out):
            raise OutputError(
                f"{out} bersifat hanya-baca (read-only) dan tidak bisa diganti. Hapus tanda "
                "hanya-baca di Properties berkasnya bila memang boleh ditimpa, atau pilih "
                "nama lain.") from None
        raise OutputError(
            f"{out} tidak bisa ditulis: berkas sedang dibuka di aplikasi lain (misalnya "
            "Excel) atau folder tidak boleh ditulisi (hak akses ditolak). Tutup berkasnya atau "
            "pilih folder lain.") from None
    except OSError as exc:
        raise OutputError(f"{out} tidak bisa ditulis: {describe_os_error(exc)[0]} Periksa ruang "
                          "disk dan hak akses folder.") from None
    finally:
        if tmp_name is not None:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass
