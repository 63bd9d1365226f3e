"""The ``workbook-gen`` command line (all user-facing text in Indonesian).

Exit codes: 0 success; 1 the input has errors (spec or workbook findings of level error,
or a file that cannot be used); 2 the command was typed wrongly.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from . import __version__
from .engine import hitung
from .findings import Report, SpecError, WorkbookGenError
from .output import format_ringkasan, hasil_to_dict
from .spec import load_spec

# argparse's own words, in Indonesian (argparse looks them up through its module-level _).
_ARGPARSE_ID = {
    "usage: ": "penggunaan: ",
    "positional arguments": "argumen",
    "options": "pilihan",
    "show this help message and exit": "tampilkan bantuan ini lalu keluar",
    "show program's version number and exit": "tampilkan versi program lalu keluar",
    "the following arguments are required: %s": "argumen berikut wajib diisi: %s",
    "unrecognized arguments: %s": "argumen tidak dikenal: %s",
    "invalid choice: %(value)r (choose from %(choices)s)":
        "pilihan tidak dikenal: %(value)r (pilih dari %(choices)s)",
    "%(prog)s: error: %(message)s\n": "%(prog)s: kesalahan: %(message)s\n",
    "expected one argument": "butuh satu nilai",
    "argument %(argument_name)s: %(message)s": "argumen %(argument_name)s: %(message)s",
    "invalid %(type)s value: %(value)r": "nilai %(type)s tidak valid: %(value)r",
    "ambiguous option: %(option)s could match %(matches)s":
        "pilihan ambigu: %(option)s bisa berarti %(matches)s",
}
argparse._ = lambda text: _ARGPARSE_ID.get(text, text)  # type: ignore[attr-defined]

CONTOH_DIR = Path(__file__).resolve().parent.parent / "templates"


def bundled_examples() -> list[Path]:
    """The example specs shipped in templates/ (the demo's input)."""
    return sorted(CONTOH_DIR.glob("bp3mi_*.yaml"))


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def _spec_problem(exc: SpecError, as_json: bool) -> int:
    if as_json:
        _print_json({"valid": False, "temuan": exc.report.as_list()})
    else:
        print(f"Spec {exc.sumber} tidak bisa dipakai:", file=sys.stderr)
        print(exc.report.format_table(), file=sys.stderr)
    return 1


# --------------------------------------------------------------------------- commands


def cmd_demo(args: argparse.Namespace) -> int:
    examples = bundled_examples()
    if not examples:
        print(f"Contoh bawaan tidak ditemukan di {CONTOH_DIR}.", file=sys.stderr)
        return 1
    for i, path in enumerate(examples):
        if i:
            print()
        hasil = hitung(load_spec(path))
        print(format_ringkasan(hasil))
        if hasil.temuan.findings:
            print()
            print(hasil.temuan.format_table())
    print()
    print(f"Contoh diambil dari {CONTOH_DIR}. Periksa spec Anda sendiri dengan: "
          "workbook-gen periksa SPEC.yaml")
    return 0


def cmd_periksa(args: argparse.Namespace) -> int:
    path = Path(args.berkas)
    try:
        spec = load_spec(path)
    except SpecError as exc:
        return _spec_problem(exc, args.json)
    report = Report()
    report.extend(hitung(spec).temuan)
    if args.json:
        _print_json({"valid": report.valid, "temuan": report.as_list()})
    else:
        print(f"Memeriksa {path}:")
        print(report.format_table())
        print("Spec valid." if report.valid else "Ada error yang harus diperbaiki.")
    return 0 if report.valid else 1


def cmd_hitung(args: argparse.Namespace) -> int:
    path = Path(args.berkas)
    try:
        spec = load_spec(path)
    except SpecError as exc:
        return _spec_problem(exc, args.json)
    hasil = hitung(spec)
    if args.json:
        _print_json(hasil_to_dict(hasil))
    else:
        print(format_ringkasan(hasil))
        if hasil.temuan.findings:
            print()
            print(hasil.temuan.format_table())
    return 0


# --------------------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="workbook-gen",
        description="Workbook SAKIP standar: target, realisasi, anggaran dan capaian kinerja.",
        epilog="Jalankan 'workbook-gen PERINTAH -h' untuk bantuan tiap perintah.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="perintah", metavar="PERINTAH", title="perintah")

    p = sub.add_parser("demo", help="jalankan contoh bawaan dan tampilkan tabel capaiannya",
                       description="Menghitung capaian contoh bawaan (BP3MI Banten TW I 2026 "
                                   "dan BP3MI Jawa Tengah 2024) dan menampilkan tabelnya.")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("periksa", help="periksa spec (YAML) dan laporkan semua masalah",
                       description="Memeriksa spec dan datanya. Kode keluar 0 bila tidak ada "
                                   "error, 1 bila ada.")
    p.add_argument("berkas", metavar="BERKAS", help="spec YAML")
    p.add_argument("--json", action="store_true", help="keluaran JSON untuk mesin")
    p.set_defaults(func=cmd_periksa)

    p = sub.add_parser("hitung", help="hitung capaian dari spec (YAML)",
                       description="Menghitung capaian IKU, sasaran, rata-rata dan anggaran.")
    p.add_argument("berkas", metavar="BERKAS", help="spec YAML")
    p.add_argument("--json", action="store_true", help="keluaran JSON untuk mesin")
    p.set_defaults(func=cmd_hitung)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace], int] | None = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return 2
    try:
        return func(args)
    except WorkbookGenError as exc:
        print(f"Kesalahan: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Dibatalkan.", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
