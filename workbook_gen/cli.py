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
from .findings import Finding, Report, SpecError, WorkbookGenError
from .inputfile import InputFileError
from .outfile import read_only_note, refuse_input_as_output
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
DEMO_DIR = "keluaran-demo"


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
    from .generate import generate
    from .lkj import tulis_lkj

    examples = bundled_examples()
    if not examples:
        print(f"Contoh bawaan tidak ditemukan di {CONTOH_DIR}.", file=sys.stderr)
        return 1
    folder = Path(args.keluaran)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        from .inputfile import describe_os_error

        print(f"Folder keluaran {folder} tidak bisa dibuat: {describe_os_error(exc)[0]} Pilih "
              "folder lain dengan --keluaran.", file=sys.stderr)
        return 1
    written = []
    for i, path in enumerate(examples):
        if i:
            print()
        spec = load_spec(path)
        hasil = hitung(spec)
        print(format_ringkasan(hasil))
        if hasil.temuan.findings:
            print()
            print(hasil.temuan.format_table())
        # The demo folder is the demo's own: its earlier files are replaced.
        written.append(generate(spec, folder / f"{path.stem}.xlsm", overwrite=True))
        written.append(tulis_lkj(hasil, folder / f"{path.stem}-tabel-lkj.docx", overwrite=True))
    print()
    print(f"Contoh diambil dari {CONTOH_DIR}. Periksa spec Anda sendiri dengan: "
          "workbook-gen periksa SPEC.yaml")
    print(f"Workbook contoh ditulis ke {folder.resolve()} (dengan tabel LKj .docx):")
    for out in written:
        print(f"  {out.name}")
    return 0


def cmd_buat(args: argparse.Namespace) -> int:
    from .generate import generate
    from .katalog.baca import is_katalog

    path = Path(args.spec)
    if is_katalog(path):
        from .katalog.cli import buat_katalog

        return buat_katalog(path, args)
    try:
        spec = load_spec(path)
        if args.riwayat_dari:
            from .katalog.rollover import isi_riwayat_spec

            spec = isi_riwayat_spec(spec, args.riwayat_dari)
    except SpecError as exc:
        print(f"Spec {exc.sumber} tidak bisa dipakai; workbook tidak dibuat:", file=sys.stderr)
        print(exc.report.format_table(), file=sys.stderr)
        return 1
    hasil = hitung(spec)
    refuse_input_as_output(Path(args.output), [(path, "spec")])
    note = read_only_note(Path(args.output)) if args.timpa else None
    try:
        if args.lite:
            from .lite.package import generate_lite

            out = generate_lite(spec, args.output, overwrite=args.timpa)
            jenis = "tanpa makro, dengan tombol Hitung Capaian untuk xlwings Lite"
        else:
            out = generate(spec, args.output, overwrite=args.timpa)
            jenis = ("dengan tombol Hitung Capaian" if out.suffix.lower() == ".xlsm"
                     else "tanpa makro")
    except SpecError as exc:  # a formula past Excel's limit (generate.formula_findings)
        print(f"Spec {exc.sumber} tidak bisa dipakai; workbook tidak dibuat:", file=sys.stderr)
        print(exc.report.format_table(), file=sys.stderr)
        return 1
    if note:
        print(note, file=sys.stderr)
    print(f"Workbook ditulis: {out} ({jenis}; {len(spec.semua_iku())} IKU, "
          f"{len(spec.anggaran)} baris anggaran, periode {spec.periode_label} {spec.tahun}).")
    t = hasil.temuan
    if t.findings:
        print(f"Catatan: data di spec berisi {len(t.errors)} error dan {len(t.warnings)} "
              f"peringatan; lihat rinciannya dengan: workbook-gen periksa {path}")
    return 0


def _is_workbook(path: Path) -> bool:
    return path.suffix.lower() in (".xlsx", ".xlsm")


def _workbook_problem(exc: WorkbookGenError, as_json: bool) -> int:
    """A workbook that cannot be read: every reason, no traceback, exit 1."""
    report = getattr(exc, "report", None)
    if report is None and isinstance(exc, InputFileError):
        report = Report()
        report.error(exc.jenis, f"{exc.sumber}: {exc.lokasi}" if exc.lokasi else exc.sumber,
                     exc.pesan, exc.saran)
    if report is None:
        report = Report()
        report.error("berkas", str(getattr(exc, "sumber", "")), str(exc), "")
    if as_json:
        _print_json({"valid": False, "temuan": report.as_list()})
    else:
        sumber = getattr(exc, "sumber", None)
        print(f"Workbook {sumber} tidak bisa dipakai:" if sumber else str(exc), file=sys.stderr)
        if sumber:
            print(report.format_table(), file=sys.stderr)
    return 1


def _run_workbook(path: Path, out: Path | None = None, overwrite: bool = False):
    """Run the Hitung Capaian routine on a workbook file (openpyxl); write it to ``out``
    when given. Returns the routine's result and the path written (or None); a workbook
    that cannot be written adds an error finding, so the other findings are still shown."""
    from .book import OpenpyxlBook, UnsavableError
    from .routine import hitung_capaian

    with OpenpyxlBook(path) as book:
        result = hitung_capaian(book, str(path))
        written = None
        if out is not None:
            try:
                written = book.save(out, overwrite=overwrite)
            except UnsavableError as exc:
                result.dipulihkan.append(Finding(
                    "error", "tidak_ditulis", str(out), str(exc),
                    "Perbaiki sel yang dilaporkan, lalu ulangi."))
    return result, written


def cmd_periksa(args: argparse.Namespace) -> int:
    from .katalog.baca import looks_like_katalog

    path = Path(args.berkas)
    if looks_like_katalog(path):
        from .katalog.cli import periksa_katalog

        return periksa_katalog(path, args.json)
    report = Report()
    try:
        if _is_workbook(path):
            hasil_rutin, _ = _run_workbook(path)  # nothing is written
            report.extend(hasil_rutin.temuan)
        else:
            from .generate import formula_findings
            from .sheets.limits import text_limit_findings

            spec = load_spec(path)
            report.extend(text_limit_findings(spec))
            report.extend(formula_findings(spec))
            report.extend(hitung(spec).temuan)
    except SpecError as exc:
        return _spec_problem(exc, args.json)
    except WorkbookGenError as exc:
        return _workbook_problem(exc, args.json)
    if args.json:
        _print_json({"valid": report.valid, "temuan": report.as_list()})
    else:
        print(f"Memeriksa {path}:")
        print(report.format_table())
        if _is_workbook(path):
            print("Workbook tanpa error." if report.valid else "Ada error yang harus diperbaiki.")
        else:
            print("Spec valid." if report.valid else "Ada error yang harus diperbaiki.")
    return 0 if report.valid else 1


def cmd_hitung(args: argparse.Namespace) -> int:
    path = Path(args.berkas)
    written = None
    try:
        if _is_workbook(path):
            target = Path(args.output) if args.output else (path if args.timpa else None)
            if args.output:
                refuse_input_as_output(target, [(path, "workbook masukan")])
            note = read_only_note(target) if target is not None and args.timpa else None
            hasil_rutin, written = _run_workbook(path, target, args.timpa)
            if note and written:
                print(note, file=sys.stderr)
            hasil = hasil_rutin.hasil
            findings = hasil_rutin.temuan
        else:
            if args.output:
                print("Pilihan -o hanya untuk workbook; untuk membuat workbook dari spec pakai: "
                      "workbook-gen buat SPEC -o BERKAS", file=sys.stderr)
                return 2
            hasil = hitung(load_spec(path))
            findings = hasil.temuan
    except SpecError as exc:
        return _spec_problem(exc, args.json)
    except WorkbookGenError as exc:
        return _workbook_problem(exc, args.json)
    if args.json:
        data = hasil_to_dict(hasil)
        data["temuan"] = findings.as_list()
        _print_json(data)
    else:
        print(format_ringkasan(hasil))
        if findings.findings:
            print()
            print(findings.format_table())
        if _is_workbook(path):
            print()
            not_written = any(f.jenis == "tidak_ditulis" for f in findings.errors)
            print(f"Lembar ringkasan ditulis ke {written}." if written else
                  "Workbook tidak ditulis (lihat error di atas)." if not_written else
                  "Tidak ada berkas yang ditulis; pakai -o BERKAS, atau --timpa untuk menulis "
                  "ke workbook ini.")
    return 0 if findings.valid else 1  # like periksa: 1 = the data has an error finding


def cmd_lkj(args: argparse.Namespace) -> int:
    from .lkj import hasil_dari_berkas, periksa_keluaran, tulis_lkj

    path = Path(args.berkas)
    periksa_keluaran(Path(args.output), args.timpa)  # refuse before any work
    try:
        hasil = hasil_dari_berkas(path)
        out = tulis_lkj(hasil, args.output, overwrite=args.timpa)
    except SpecError as exc:
        return _spec_problem(exc, False)
    except WorkbookGenError as exc:
        if getattr(exc, "sumber", None):
            return _workbook_problem(exc, False)
        raise
    t = hasil.temuan
    print(f"Tabel LKj ditulis: {out} ({hasil.spec.unit.nama}, {hasil.spec.periode_label} "
          f"{hasil.spec.tahun}).")
    if t.findings:
        print(f"Catatan: data berisi {len(t.errors)} error dan {len(t.warnings)} peringatan; "
              "semuanya tercantum di lampiran dokumen. Perbaiki dulu sebelum laporan terbit.")
    return 0


def cmd_katalog_kosong(args: argparse.Namespace) -> int:
    from .katalog.kosong import tulis_katalog_kosong

    out = tulis_katalog_kosong(args.output, timpa=args.timpa)
    print(f"Katalog kosong ditulis: {out}. Isi lembarnya, lalu: workbook-gen buat {out} "
          "-o FOLDER")
    return 0


def cmd_pulihkan(args: argparse.Namespace) -> int:
    from .pulihkan import run_cli

    return run_cli(Path(args.berkas), Path(args.output), timpa=args.timpa, as_json=args.json)


def cmd_konsolidasi(args: argparse.Namespace) -> int:
    from .konsolidasi.cli import run_cli

    return run_cli(args.masukan, output=args.output, as_json=args.json, katalog=args.katalog,
                   tahun=args.tahun, periode=args.periode, timpa=args.timpa, proses=args.proses,
                   sertakan_error=args.sertakan_error, simpan=args.simpan, cache=args.cache)


def cmd_riwayat(args: argparse.Namespace) -> int:
    from .konsolidasi.riwayat import run_cli

    return run_cli(args.db, output=args.output, as_json=args.json, timpa=args.timpa)


# --------------------------------------------------------------------------- parser


def cmd_paket_instal(args: argparse.Namespace) -> int:
    from .excel.paket import buat_paket

    versions = [v.strip() for v in args.python.split(",") if v.strip()]
    folder = buat_paket(Path(args.output), versions=versions,
                        wheel=Path(args.wheel) if args.wheel else None,
                        progress=lambda m: print(m, file=sys.stderr))
    print(f"Paket pemasangan ditulis ke {folder}: salin foldernya ke komputer Windows "
          "lalu jalankan pasang.bat.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="workbook-gen",
        description="Workbook SAKIP standar: target, realisasi, anggaran dan capaian kinerja.",
        epilog="Jalankan 'workbook-gen PERINTAH -h' untuk bantuan tiap perintah.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}",
                        help="tampilkan versi program lalu keluar")
    sub = parser.add_subparsers(dest="perintah", metavar="PERINTAH", title="perintah")

    p = sub.add_parser("demo", help="jalankan contoh bawaan: tabel capaian dan workbooknya",
                       description="Menghitung capaian contoh bawaan (BP3MI Banten TW I 2026 "
                                   "dan BP3MI Jawa Tengah 2024), menampilkan tabelnya, dan "
                                   "menulis workbook .xlsm dan tabel LKj .docx keduanya ke "
                                   "folder keluaran "
                                   "(berkas demo sebelumnya di folder itu ditimpa).")
    p.add_argument("--keluaran", metavar="FOLDER", default=DEMO_DIR,
                   help=f"folder workbook contoh (bawaan: {DEMO_DIR})")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("buat", help="buat workbook (.xlsm atau .xlsx) dari spec (YAML)",
                       description="Membuat workbook unit dari spec: .xlsm dengan tombol "
                                   "Hitung Capaian, atau .xlsx tanpa makro. Spec yang tidak "
                                   "valid tidak menghasilkan berkas.")
    p.add_argument("spec", metavar="SPEC", help="spec YAML, atau katalog (.xlsx, .yaml "
                   "dengan versi_katalog, folder CSV)")
    p.add_argument("-o", "--output", metavar="BERKAS", required=True,
                   help="berkas keluaran, .xlsm atau .xlsx (katalog: folder keluaran)")
    p.add_argument("--timpa", action="store_true", help="timpa berkas keluaran yang sudah ada")
    p.add_argument("--proses", type=int, metavar="N",
                   help="katalog: jumlah proses paralel (bawaan: jumlah inti prosesor)")
    p.add_argument("--tanpa-makro", action="store_true",
                   help="katalog: tulis .xlsx tanpa makro (bawaan .xlsm)")
    p.add_argument("--riwayat-dari", metavar="FOLDER",
                   help="isi riwayat IKU dari workbook tahun lalu di folder ini")
    p.add_argument("--lite", action="store_true",
                   help="workbook .xlsx dengan tombol Hitung Capaian untuk xlwings Lite "
                        "(Microsoft 365/Excel web; tanpa Python dan tanpa makro)")
    p.set_defaults(func=cmd_buat)

    p = sub.add_parser("katalog-kosong", help="tulis katalog kosong (.xlsx) untuk diisi",
                       description="Menulis katalog .xlsx kosong dengan petunjuk, daftar "
                                   "pilihan dan baris contoh, untuk diisi perencana lalu "
                                   "dipakai 'workbook-gen buat KATALOG -o FOLDER'.")
    p.add_argument("-o", "--output", metavar="KATALOG", required=True,
                   help="berkas katalog .xlsx")
    p.add_argument("--timpa", action="store_true", help="timpa berkas yang sudah ada")
    p.set_defaults(func=cmd_katalog_kosong)

    p = sub.add_parser("pulihkan", help="buat ulang workbook yang rusak atau bertemplate lama",
                       description="Membuat workbook bersih dari workbook yang rusak (baris "
                                   "disisipkan, lembar diganti nama atau dihapus, proteksi "
                                   "dibuka, rumus ditimpa) atau bertemplate lama, membawa "
                                   "semua isian yang masih bisa ditemukan, dan mendaftar apa "
                                   "yang tidak bisa dipulihkan. Berkas masukan tidak diubah.")
    p.add_argument("berkas", metavar="RUSAK", help="workbook .xlsm/.xlsx yang rusak")
    p.add_argument("-o", "--output", metavar="BARU", required=True,
                   help="workbook baru (.xlsm atau .xlsx)")
    p.add_argument("--timpa", action="store_true", help="timpa berkas keluaran yang sudah ada")
    p.add_argument("--json", action="store_true", help="daftar yang tidak dipulihkan sebagai "
                   "JSON")
    p.set_defaults(func=cmd_pulihkan)

    p = sub.add_parser("periksa", help="periksa spec (YAML) atau workbook dan laporkan "
                                       "semua temuan",
                       description="Memeriksa spec atau workbook (.xlsm/.xlsx) dan datanya, "
                                   "tanpa menulis apa pun. Kode keluar 0 bila tidak ada "
                                   "error, 1 bila ada.")
    p.add_argument("berkas", metavar="BERKAS", help="spec YAML, workbook .xlsm/.xlsx, atau katalog")
    p.add_argument("--json", action="store_true", help="keluaran JSON untuk mesin")
    p.set_defaults(func=cmd_periksa)

    p = sub.add_parser("hitung", help="hitung capaian dari spec (YAML) atau workbook",
                       description="Menghitung capaian IKU, sasaran, rata-rata dan anggaran. "
                                   "Untuk workbook: rutin yang sama dengan tombol Hitung "
                                   "Capaian; lembar ringkasan ditulis ke -o BERKAS (atau ke "
                                   "workbook itu sendiri dengan --timpa). Isian tidak diubah.")
    p.add_argument("berkas", metavar="BERKAS", help="spec YAML, atau workbook .xlsm/.xlsx")
    p.add_argument("-o", "--output", metavar="BERKAS",
                   help="workbook keluaran (ekstensi sama dengan masukan)")
    p.add_argument("--timpa", action="store_true",
                   help="boleh menimpa berkas keluaran, atau menulis ke workbook masukan")
    p.add_argument("--json", action="store_true", help="keluaran JSON untuk mesin")
    p.set_defaults(func=cmd_hitung)

    p = sub.add_parser("lkj", help="tulis tabel Laporan Kinerja (LKj) ke dokumen Word .docx",
                       description="Menulis tabel-tabel LKj (Perjanjian Kinerja, pengukuran "
                                   "per triwulan, ringkasan capaian, capaian per IKU, "
                                   "anggaran, perbandingan antartahun dengan grafik, dan "
                                   "lampiran temuan) dari spec atau isian workbook ke dokumen "
                                   "Word baru. Angka dihitung ulang dari isian, sama dengan "
                                   "workbook; berkas masukan tidak diubah.")
    p.add_argument("berkas", metavar="BERKAS", help="workbook .xlsm/.xlsx, atau spec YAML")
    p.add_argument("-o", "--output", metavar="TABEL-LKJ.docx", required=True,
                   help="dokumen Word keluaran (.docx)")
    p.add_argument("--timpa", action="store_true", help="timpa dokumen keluaran yang sudah ada")
    p.set_defaults(func=cmd_lkj)

    p = sub.add_parser("konsolidasi", help="rekap nasional dari banyak workbook unit",
                       description="Membaca workbook unit (berkas, folder yang ditelusuri "
                                   "sampai ke subfolder, atau pola seperti 'kiriman/*.xlsm'), "
                                   "menghitung ulang capaian dan anggaran, memeriksa setiap "
                                   "berkas, lalu menulis workbook rekap. Berkas masukan tidak "
                                   "diubah dan makronya tidak dijalankan. Kode keluar 0 bila "
                                   "rekap ditulis (walau ada berkas yang ditolak), 1 bila tidak "
                                   "ada berkas yang diterima atau rekap tidak bisa ditulis.")
    p.add_argument("masukan", metavar="MASUKAN", nargs="+",
                   help="berkas .xlsm/.xlsx, folder, atau pola (glob)")
    p.add_argument("-o", "--output", metavar="REKAP",
                   help="workbook rekap .xlsx (wajib, kecuali dengan --json)")
    p.add_argument("--json", action="store_true",
                   help="tulis isi rekap sebagai JSON ke keluaran standar")
    p.add_argument("--katalog", metavar="BERKAS",
                   help="daftar unit yang diharapkan (YAML atau CSV: kode_satker, nama)")
    p.add_argument("--tahun", type=int, metavar="TAHUN",
                   help="tolak workbook dengan tahun lain")
    p.add_argument("--periode", type=_periode_arg, metavar="PERIODE",
                   help="tolak workbook yang periodenya lain: TW I, TW II, TW III, TW IV "
                        "atau Tahunan")
    p.add_argument("--timpa", action="store_true", help="timpa berkas rekap yang sudah ada")
    p.add_argument("--proses", type=int, metavar="N",
                   help="jumlah proses pembaca paralel (bawaan: jumlah inti prosesor)")
    p.add_argument("--sertakan-error", action="store_true",
                   help="hitung juga unit berstatus error dalam angka nasional dan peringkat")
    p.add_argument("--simpan", metavar="DB",
                   help="simpan rekap ke basis data riwayat SQLite (dibuat bila belum ada)")
    p.add_argument("--cache", metavar="BERKAS",
                   help="berkas cache hasil baca (bawaan: di DB --simpan, atau di samping "
                        "rekap)")
    p.set_defaults(func=cmd_konsolidasi)

    p = sub.add_parser("paket", help="buat folder pemasangan tombol Hitung Capaian "
                       "untuk Windows tanpa internet",
                       description="Mengunduh wheel proyek dan semua dependensinya untuk "
                                   "Windows 64-bit (Python 3.11-3.13) ke FOLDER, beserta "
                                   "pasang.bat yang memasangnya tanpa internet dan tanpa hak "
                                   "admin. Butuh internet saat membuat paket.")
    p.add_argument("-o", "--output", metavar="FOLDER", required=True,
                   help="folder baru untuk paket (harus belum ada atau kosong)")
    p.add_argument("--python", metavar="VERSI", default="3.11,3.12,3.13",
                   help="versi Python yang didukung paket, dipisah koma "
                        "(bawaan: 3.11,3.12,3.13)")
    p.add_argument("--wheel", metavar="BERKAS",
                   help="wheel workbook-gen yang sudah dibangun (bawaan: dibangun dari "
                        "folder proyek)")
    p.set_defaults(func=cmd_paket_instal)

    p = sub.add_parser("riwayat", help="workbook tren dari basis data riwayat konsolidasi",
                       description="Menulis workbook tren (capaian unit x periode dan IKU x "
                                   "periode, dengan grafik garis) dari basis data yang diisi "
                                   "dengan 'konsolidasi --simpan DB'.")
    p.add_argument("db", metavar="DB", help="basis data riwayat (SQLite)")
    p.add_argument("-o", "--output", metavar="TREN",
                   help="workbook tren .xlsx (wajib, kecuali dengan --json)")
    p.add_argument("--json", action="store_true", help="tulis tren sebagai JSON")
    p.add_argument("--timpa", action="store_true", help="timpa berkas tren yang sudah ada")
    p.set_defaults(func=cmd_riwayat)
    return parser


def _periode_arg(text: str) -> str:
    from .konsolidasi.find import normalise_periode

    canon = normalise_periode(text)
    if canon is None:
        raise argparse.ArgumentTypeError(
            f"periode '{text}' tidak dikenal; pilih TW I, TW II, TW III, TW IV atau Tahunan")
    return canon


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
        report = getattr(exc, "report", None)
        if isinstance(report, Report):
            print(report.format_table(), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Dibatalkan.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return _pipe_closed()
    except Exception as exc:  # last resort (MemoryError, RecursionError too): no traceback
        return _unexpected(exc)


def _pipe_closed() -> int:
    """The reader of our output stopped early (``workbook-gen hitung ... | head``): not an
    error of ours; stop quietly, as other command-line programs do (exit 141 = SIGPIPE).
    Standard output is pointed at the null device so that the interpreter's final flush
    does not complain either."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
    return 141


def _unexpected(exc: BaseException) -> int:
    """A fault of ours: a short Indonesian message; the details go to a log file."""
    import tempfile
    import traceback

    log = None
    try:
        with tempfile.NamedTemporaryFile("w", prefix="workbook-gen-galat-", suffix=".log",
                                         delete=False, encoding="utf-8") as fh:
            traceback.print_exception(exc, file=fh)
            log = fh.name
    except OSError:
        pass
    print("Kesalahan tak terduga di workbook-gen; berkas Anda tidak diubah. Laporkan ke "
          "pengelola aplikasi" + (f" dengan melampirkan {log}." if log else "."),
          file=sys.stderr)
    return 1


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
