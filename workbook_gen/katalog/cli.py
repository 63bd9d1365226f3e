"""The katalog's commands as the CLI calls them: messages and exit codes only."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from ..findings import Report
from .baca import KatalogError
from .buat import buat_dari_katalog
from .susun import load_katalog, periksa_unit


def _problem(exc: KatalogError, as_json: bool = False, written: bool = False) -> int:
    if as_json:
        print(json.dumps({"valid": False, "temuan": exc.report.as_list()}, ensure_ascii=False,
                         indent=2))
        return 1
    print(f"Katalog {exc.sumber} tidak bisa dipakai; tidak ada workbook yang ditulis:",
          file=sys.stderr)
    print(exc.report.format_table(), file=sys.stderr)
    return 1


def buat_katalog(path: Path, args: argparse.Namespace) -> int:
    siapkan = None
    if args.riwayat_dari:
        from .rollover import penyiap_riwayat

        siapkan = penyiap_riwayat(args.riwayat_dari)
    start = time.perf_counter()
    try:
        hasil = buat_dari_katalog(path, args.output, proses=args.proses,
                                  macro=not args.tanpa_makro, timpa=args.timpa,
                                  siapkan=siapkan)
    except KatalogError as exc:
        return _problem(exc)
    if hasil.report.findings:
        print(hasil.report.format_table())
    detik = f"{time.perf_counter() - start:.1f}".replace(".", ",")
    print(f"Selesai: {len(hasil.berkas)} workbook unit ditulis ke {args.output} dalam "
          f"{detik} detik.")
    return 0


def periksa_katalog(path: Path, as_json: bool) -> int:
    try:
        kat = load_katalog(path)
    except KatalogError as exc:
        return _problem(exc, as_json)
    _, report = periksa_unit(kat)
    if as_json:
        print(json.dumps({"valid": report.valid, "temuan": report.as_list()},
                         ensure_ascii=False, indent=2))
    else:
        print(f"Memeriksa katalog {path} ({len(kat.unit)} unit):")
        print(Report(report.findings).format_table())
        print("Katalog valid." if report.valid else "Ada error yang harus diperbaiki.")
    return 0 if report.valid else 1
