"""The paths konsolidasi takes only at scale (many files): hashing in threads for the
incremental run, in input order, an unreadable file named as such."""

from __future__ import annotations

import hashlib

from workbook_gen.konsolidasi.recap import _sidik_all


def test_hashes_of_many_files_in_order_in_threads(tmp_path) -> None:
    names = []
    for i in range(150):
        p = tmp_path / f"unit_{i:03d}.xlsm"
        p.write_bytes(f"isi berkas {i}".encode() * (i + 1))
        names.append(str(p))
    names[7] = str(tmp_path / "tidak_ada.xlsm")
    (tmp_path / "kosong.xlsm").write_bytes(b"")
    names[99] = str(tmp_path / "kosong.xlsm")
    got = list(_sidik_all(names))
    expected = [hashlib.sha256(f"isi berkas {i}".encode() * (i + 1)).hexdigest()
                for i in range(150)]
    expected[7] = expected[99] = None
    assert got == expected
    assert list(_sidik_all(names[:5])) == expected[:5]  # few files: no threads
