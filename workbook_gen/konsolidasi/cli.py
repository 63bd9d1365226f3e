"""``workbook-gen konsolidasi``: options, progress on stderr, messages, exit code, and the
safety of the run itself (output never one of the inputs, temp files cleaned, Ctrl+C and
SIGTERM stop the workers)."""

from __future__ import annotations

import json
import signal
import sys
import time
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from ..findings import OutputError
from ..gcpause import paused_gc
from ..layout import SHEET_META
from .recap import konsolidasi
from .write import check_output, rekap_to_dict, write_rekap

STALE_TEMP_SECONDS = 60  # a temp file of the rekap older than this belongs to a dead run


def _detik(s: float) -> str:
    return f"{s:.1f}".replace(".", ",")


def _resolved(p: Path) -> Path:
    try:
        return p.resolve()
    except (OSError, RuntimeError):
        return p.absolute()


def _is_unit_workbook(p: Path) -> bool:
    """An existing file that is a workbook-gen unit workbook (has the _meta sheet)."""
    try:
        if not p.is_file():
            return False
        with zipfile.ZipFile(p) as zf:
            info = zf.getinfo("xl/workbook.xml")
            if info.file_size > 4 * 1024 * 1024:
                return False
            return f'name="{SHEET_META}"'.encode() in zf.read(info)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError, RuntimeError):
        return False


def refuse_output_among_inputs(out: Path, inputs: Sequence[str], katalog: str | None,
                               others: Sequence[str | None] = ()) -> None:
    """Whatever the flags: the rekap must not be an input named on the command line, the
    katalog, the history/cache file, or a unit workbook (from a folder being read)."""
    target = _resolved(out)
    for raw in inputs:
        if _resolved(Path(raw)) == target:
            raise OutputError(f"{out} adalah salah satu MASUKAN; rekap tidak boleh menimpa "
                              "workbook yang direkap. Pilih nama lain, misalnya "
                              "rekap-nasional.xlsx.")
    if katalog and _resolved(Path(katalog)) == target:
        raise OutputError(f"{out} adalah katalog; rekap tidak boleh menimpanya. Pilih nama "
                          "lain.")
    for other in others:
        if other and _resolved(Path(other)) == target:
            raise OutputError(f"{out} juga dipakai sebagai basis data riwayat/cache. Pilih "
                              "nama lain untuk rekap.")
    if _is_unit_workbook(out):
        raise OutputError(f"{out} adalah workbook unit (berisi lembar {SHEET_META}); rekap "
                          "tidak akan menimpanya, juga dengan --timpa. Pilih nama lain.")


def remove_stale_temp(out: Path) -> None:
    """Temp files a killed run left next to the rekap (see outfile.write_atomic)."""
    now = time.time()
    for tmp in out.parent.glob(f".{out.stem}.*{out.suffix}.tmp"):
        with suppress(OSError):
            if tmp.is_file() and now - tmp.stat().st_mtime > STALE_TEMP_SECONDS:
                tmp.unlink()


@contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM stops the run like Ctrl+C: workers stopped, temp files removed."""
    def handler(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    try:
        old = signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old)


class _Progress:
    """tqdm on stderr when it is a terminal (and not with --json)."""

    def __init__(self, stream: Any, enabled: bool) -> None:
        self.stream = stream
        self.enabled = enabled
        self.bar: Any = None

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        if self.bar is None:
            from tqdm import tqdm

            self.bar = tqdm(total=total, file=self.stream, desc="Membaca berkas",
                            unit=" berkas", leave=False, mininterval=0.1, ascii=True)
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def run_cli(inputs: Sequence[str], *, output: str | None, as_json: bool,
            katalog: str | None = None, tahun: int | None = None, periode: str | None = None,
            timpa: bool = False, proses: int | None = None, sertakan_error: bool = False,
            simpan: str | None = None, cache: str | None = None, stdout: Any = None,
            stderr: Any = None) -> int:
    """``workbook-gen konsolidasi``: exit 0 recap written, 1 nothing accepted or output
    refused, 2 usage error. Messages are Indonesian; no traceback for bad input."""
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
    if out is not None:  # refuse before reading anything
        refuse_output_among_inputs(out, inputs, katalog, (simpan, cache))
        check_output(out, overwrite=timpa)
        remove_stale_temp(out)
    cache_path = simpan or cache or (str(out.with_suffix(".cache.sqlite")) if out else None)
    berkas_cache = None
    if cache_path:
        from .cache import BerkasCache

        berkas_cache = BerkasCache(cache_path)
    bar = _Progress(stderr, getattr(stderr, "isatty", lambda: False)() and not as_json)
    try:
        with _sigterm_as_interrupt(), paused_gc():  # see gcpause: 10,000 units held
            rekap = konsolidasi(inputs, tahun=tahun, periode=periode, katalog=katalog,
                                workers=proses, progress=bar, exclude=[out] if out else (),
                                sertakan_error=sertakan_error, cache=berkas_cache,
                                simpan_baris=bool(simpan))
            for note in rekap.catatan:
                print(f"Catatan: {note}", file=stderr)
            written = out is not None and bool(rekap.diterima)
            if written:
                assert out is not None
                write_rekap(rekap, out, overwrite=timpa)
            saved: list[tuple[int, str]] = []
            if simpan and rekap.diterima:
                from .store import simpan as simpan_riwayat

                saved = simpan_riwayat(rekap, simpan)
    finally:
        bar.close()
        if berkas_cache is not None:
            berkas_cache.close()
    info = stderr if as_json else stdout
    if as_json:
        print(json.dumps(rekap_to_dict(rekap), ensure_ascii=False, indent=2), file=stdout)
    else:
        ditolak = rekap.ditolak
        for b in ditolak[:10]:
            print(f"Ditolak: {b.berkas}: {' '.join(b.alasan)}", file=stdout)
        if len(ditolak) > 10:
            print(f"... dan {len(ditolak) - 10} berkas lain ditolak.", file=stdout)
    if written:
        where = f"rekap ditulis ke {out}"
    elif out is not None:
        where = "rekap tidak ditulis karena tidak ada berkas yang diterima"
    else:
        where = "rekap tidak ditulis (hanya JSON)"
    line = (f"Selesai: {rekap.jumlah_berkas} berkas dibaca, {len(rekap.diterima)} diterima, "
            f"{len(rekap.ditolak)} ditolak dalam {_detik(rekap.detik)} detik; {where}.")
    if rekap.dari_cache:
        line += f" {rekap.dari_cache} berkas tidak berubah sejak run sebelumnya (dari cache)."
    if rekap.ditolak:
        line += (" Alasan penolakan ada di lembar Status Pengumpulan." if written else
                 " Alasan penolakan ada di bagian 'berkas' JSON." if as_json else "")
    if rekap.diterima and not rekap.unit_dihitung:
        line += " Tidak ada unit yang dihitung dalam angka nasional (semua error atau belum diisi)."
    print(line, file=info)
    if saved:
        print(f"Riwayat disimpan ke {simpan}: " + ", ".join(f"{p} {t}" for t, p in saved)
              + " (periode yang sama sebelumnya diganti).", file=info)
    return 0 if rekap.diterima else 1
