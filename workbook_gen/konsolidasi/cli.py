"""``workbook-gen konsolidasi``: options, progress on stderr, messages, exit code."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .recap import konsolidasi
from .write import check_output, rekap_to_dict, write_rekap

# --------------------------------------------------------------------------- command line


class ProgressLine:
    """A one-line progress bar on a terminal (stderr), redrawn at most 10 times a second."""

    def __init__(self, stream: Any, width: int = 30) -> None:
        self.stream = stream
        self.width = width
        self._last = 0.0
        self._shown = False

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self._last < 0.1:
            return
        self._last = now
        filled = int(self.width * done / total) if total else self.width
        bar = "#" * filled + "." * (self.width - filled)
        pct = int(100 * done / total) if total else 100
        self.stream.write(f"\rMembaca berkas [{bar}] {done}/{total} ({pct}%)")
        self.stream.flush()
        self._shown = True

    def clear(self) -> None:
        if self._shown:
            self.stream.write("\r" + " " * (self.width + 40) + "\r")
            self.stream.flush()
            self._shown = False


def _detik(s: float) -> str:
    return f"{s:.1f}".replace(".", ",")


def run_cli(inputs: Sequence[str], *, output: str | None, as_json: bool,
            katalog: str | None = None, tahun: int | None = None, periode: str | None = None,
            timpa: bool = False, proses: int | None = None, stdout: Any = None,
            stderr: Any = None) -> int:
    """``workbook-gen konsolidasi``: exit 0 recap written, 1 nothing usable or output
    refused, 2 usage error. Messages are Indonesian; no traceback for bad input."""
    import json
    import sys

    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    if not output and not as_json:
        print("Sebutkan berkas rekap dengan -o REKAP.xlsx (atau pakai --json untuk keluaran "
              "JSON saja).", file=stderr)
        return 2
    if proses is not None and proses < 1:
        print("--proses harus 1 atau lebih.", file=stderr)
        return 2
    out = Path(output) if output else None
    if out is not None:
        check_output(out, overwrite=timpa)  # refuse before reading anything
    bar = ProgressLine(stderr) if getattr(stderr, "isatty", lambda: False)() else None
    try:
        rekap = konsolidasi(inputs, tahun=tahun, periode=periode, katalog=katalog,
                            workers=proses, progress=bar, exclude=[out] if out else ())
    finally:
        if bar is not None:
            bar.clear()
    for note in rekap.catatan:
        print(f"Catatan: {note}", file=stderr)
    if out is not None:
        write_rekap(rekap, out, overwrite=timpa)
    info = stderr if as_json else stdout
    if as_json:
        print(json.dumps(rekap_to_dict(rekap), ensure_ascii=False, indent=2), file=stdout)
    else:
        ditolak = rekap.ditolak
        for b in ditolak[:10]:
            print(f"Ditolak: {b.berkas}: {' '.join(b.alasan)}", file=stdout)
        if len(ditolak) > 10:
            print(f"... dan {len(ditolak) - 10} berkas lain ditolak.", file=stdout)
    where = f"rekap ditulis ke {out}" if out is not None else "rekap tidak ditulis (hanya JSON)"
    line = (f"Selesai: {rekap.jumlah_berkas} berkas dibaca, {len(rekap.diterima)} diterima, "
            f"{len(rekap.ditolak)} ditolak dalam {_detik(rekap.detik)} detik; {where}.")
    if rekap.ditolak:
        line += (" Alasan penolakan ada di lembar Status Pengumpulan." if out is not None else
                 " Alasan penolakan ada di bagian 'berkas' JSON.")
    if not rekap.diterima:
        line += " Tidak ada berkas yang diterima."
    print(line, file=info)
    return 0 if rekap.diterima else 1
