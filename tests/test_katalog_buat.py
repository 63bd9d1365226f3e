"""Writing a katalog's workbooks fast: worker processes give the same workbooks as one
process, and the staged files reach the disk by one sync before any is moved into place
(not one fsync each)."""

from __future__ import annotations

import copy
import io
import os
import re
import zipfile

import pytest

from workbook_gen.generate import build_workbook
from workbook_gen.katalog import buat
from workbook_gen.katalog.buat import buat_dari_katalog
from workbook_gen.katalog.susun import load_katalog

from .test_katalog import three_units, write_katalog

pytestmark = pytest.mark.skipif(not hasattr(os, "sync"), reason="os.sync: POSIX only")


def _six_units() -> list[dict]:
    units = three_units()
    for i, unit in enumerate(copy.deepcopy(units)):
        unit["unit"] = dict(unit["unit"], kode_satker=f"5000{i}", nama=f"LTSA Uji {i + 1}")
        units.append(unit)
    return units


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    parts["docProps/core.xml"] = re.sub(rb"<dcterms:(created|modified)[^<]*<", b"<",
                                        parts["docProps/core.xml"])
    return parts


def test_workers_write_every_unit_as_one_process_would_and_sync_once(tmp_path, monkeypatch):
    path = write_katalog(tmp_path, _six_units())
    out = tmp_path / "out"
    seen: list[list[str]] = []
    real_sync = os.sync

    def sync() -> None:  # runs in the main process, before anything is in place
        staged = list(out.iterdir())
        assert len(staged) == 1 and staged[0].name.startswith(".katalog-")
        seen.append(sorted(p.name for p in staged[0].iterdir()))
        real_sync()

    monkeypatch.setattr(buat.os, "sync", sync)
    hasil = buat_dari_katalog(path, out, proses=2, progress=False)
    names = [p.name for p in hasil.berkas]
    assert len(names) == 6 and seen == [sorted(names)]
    assert sorted(p.name for p in out.iterdir()) == sorted(names)
    for unit, written in zip(load_katalog(path).unit, hasil.berkas, strict=True):
        assert written.name.startswith(unit.kode_satker + "_")
        assert _parts(written.read_bytes()) == _parts(build_workbook(unit.spec()))


def test_staged_workbooks_are_not_synced_one_by_one(tmp_path, monkeypatch):
    path = write_katalog(tmp_path, three_units())
    calls = {"fsync": 0, "sync": 0}
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        calls["fsync"] += 1
        real_fsync(fd)

    monkeypatch.setattr(buat.os, "fsync", fsync)
    monkeypatch.setattr(buat.os, "sync", lambda: calls.__setitem__("sync", calls["sync"] + 1))
    hasil = buat_dari_katalog(path, tmp_path / "out", proses=1, progress=False)
    assert len(hasil.berkas) == 3
    assert calls == {"fsync": 0, "sync": 1}
