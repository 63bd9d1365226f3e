"""Read a katalog's tables from an Excel workbook, a folder of CSV files or a YAML file.

Every form gives the same thing: per table a list of rows, each row's values by column
key and each value's location (``Target!C7``, ``target.csv!C7``, ``katalog.yaml:
target[3].target``), so ``susun`` states the katalog's rules once and every problem
names the place to fix. Rows whose first cell starts with "contoh" (the example rows of
an empty katalog) are skipped with one warning per table.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..findings import Report, WorkbookGenError
from ..layout import col_letter
from .format import PENGATURAN, TABEL, Tabel, header_keys, norm_header

HEADER_SCAN_ROWS = 10
MAX_KATALOG_BYTES = 200 * 1024 * 1024
EXCEL = (".xlsx", ".xlsm")
YAML = (".yaml", ".yml")


class KatalogError(WorkbookGenError):
    """A katalog that cannot be used; :attr:`report` lists every problem."""

    def __init__(self, report: Report, sumber: str) -> None:
        super().__init__(f"Katalog {sumber} tidak bisa dipakai ({len(report.errors)} error).")
        self.report = report
        self.sumber = sumber


@dataclass
class Baris:
    nilai: dict[str, Any]  # column key -> value (None when empty)
    letak: dict[str, str]  # column key -> location of the value
    tempat: str  # location of the row as a whole (its first cell)


@dataclass
class Bahan:
    """A katalog's tables as read, before any rule is applied."""

    sumber: str
    tabel: dict[str, list[Baris]] = field(default_factory=dict)
    report: Report = field(default_factory=Report)


def is_katalog(path: Path) -> bool:
    """True when ``path`` is a katalog rather than a one-unit spec: an Excel workbook, a
    CSV file or folder of CSV files, or YAML that starts with ``versi_katalog``."""
    if path.is_dir():
        # a folder named like a spec (x.yaml) is a mistaken spec path, not a CSV katalog
        return path.suffix.lower() not in YAML
    if path.suffix.lower() in (*EXCEL, ".csv"):
        return True
    if path.suffix.lower() in YAML and path.is_file():
        try:
            with path.open("r", encoding="utf-8", errors="replace") as fh:
                head = fh.read(4096)
        except OSError:
            return False
        return any(line.startswith("versi_katalog") for line in head.splitlines())
    return False


def _cell(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, str):
        v = value.strip()
        return v or None
    if isinstance(value, bool):
        return "BENAR" if value else "SALAH"
    if isinstance(value, _dt.datetime):
        return value.date().isoformat() if value.time() == _dt.time() else value.isoformat(" ")
    if isinstance(value, (_dt.date, _dt.time)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    return value


def _skip_examples(rows: list[Baris], tabel: Tabel, bahan: Bahan, where: str) -> list[Baris]:
    first = tabel.kolom[0].key
    kept = [b for b in rows if not str(b.nilai.get(first) or "").casefold().startswith("contoh")]
    if len(kept) != len(rows) and tabel is not PENGATURAN:
        bahan.report.warn("baris_contoh", where,
                          f"{len(rows) - len(kept)} baris contoh di '{tabel.nama}' dilewati.",
                          "Hapus baris contoh bila sudah tidak diperlukan.")
    return kept


def _from_grid(grid: list[list[Any]], tabel: Tabel, bahan: Bahan, place: str,
               addr: Any) -> None:
    """Rows of one sheet or CSV file: find the header row, then read the rows below it.
    ``addr(row, col)`` (1-based) names a cell for findings."""
    keys = header_keys(tabel)
    best, best_row, best_map = -1, 0, {}
    for r, row in enumerate(grid[:HEADER_SCAN_ROWS]):
        mapping = {}
        for c, v in enumerate(row):
            k = keys.get(norm_header(v))
            if k is not None and k not in mapping.values():
                mapping[c] = k
        if len(mapping) > best:
            best, best_row, best_map = len(mapping), r, mapping
    missing = [k.label for k in tabel.kolom if k.wajib and k.key not in best_map.values()]
    if missing:
        bahan.report.error(
            "kolom_hilang", place,
            f"Kolom wajib tidak ditemukan di '{tabel.nama}': {', '.join(missing)}.",
            "Tulis judul kolom di satu baris di atas data, seperti di katalog kosong "
            "(workbook-gen katalog-kosong), misalnya: "
            + ", ".join(k.label for k in tabel.kolom if k.wajib) + ".")
        return
    rows = []
    for r in range(best_row + 1, len(grid)):
        row = grid[r]
        nilai, letak = {}, {}
        for c, k in best_map.items():
            nilai[k] = _cell(row[c]) if c < len(row) else None
            letak[k] = addr(r + 1, c + 1)
        if all(v is None for v in nilai.values()):
            continue
        rows.append(Baris(nilai, letak, addr(r + 1, min(best_map) + 1)))
    bahan.tabel[tabel.kunci] = _skip_examples(rows, tabel, bahan, place)


def _read_excel(path: Path, bahan: Bahan) -> None:
    import zipfile

    from openpyxl import load_workbook

    from ..konsolidasi.check import FileProblem, check_file

    try:
        data = check_file(path, max_file_bytes=MAX_KATALOG_BYTES)  # zip bombs, non-Excel
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except FileProblem as exc:
        bahan.report.error(exc.jenis, str(path), f"Katalog tidak bisa dibaca: {exc.pesan}",
                           "Simpan katalog sebagai .xlsx dari Excel atau LibreOffice.")
        return
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        bahan.report.error("berkas_rusak", str(path),
                           f"Katalog tidak bisa dibuka sebagai workbook Excel ({exc}).",
                           "Simpan katalog sebagai .xlsx dari Excel atau LibreOffice.")
        return
    try:
        names = {norm_header(n): n for n in wb.sheetnames}
        for tabel in TABEL:
            name = names.get(norm_header(tabel.nama))
            if name is None:
                if tabel.wajib:
                    bahan.report.error(
                        "lembar_hilang", str(path), f"Lembar '{tabel.nama}' tidak ada.",
                        f"Tambahkan lembar '{tabel.nama}' (lihat katalog kosong).")
                continue
            grid = [list(r) for r in wb[name].iter_rows(values_only=True)]
            sheet = name if name.replace(" ", "").isalnum() else f"'{name}'"
            _from_grid(grid, tabel, bahan, sheet,
                       lambda r, c, s=sheet: f"{s}!{col_letter(c)}{r}")
    finally:
        wb.close()


def _read_csv_folder(folder: Path, bahan: Bahan) -> None:
    files = {p.name.casefold(): p for p in folder.iterdir() if p.is_file()}
    for tabel in TABEL:
        path = files.get(f"{tabel.kunci}.csv")
        if path is None:
            if tabel.wajib:
                bahan.report.error("berkas_hilang", str(folder / f"{tabel.kunci}.csv"),
                                   f"Berkas '{tabel.kunci}.csv' tidak ada di folder katalog.",
                                   f"Tambahkan {tabel.kunci}.csv dengan baris judul kolom.")
            continue
        _read_csv(path, tabel, bahan)


def _read_csv(path: Path, tabel: Tabel, bahan: Bahan) -> None:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        bahan.report.error("berkas_tidak_terbaca", str(path), "Berkas CSV bukan teks UTF-8.",
                           "Simpan sebagai 'CSV UTF-8' dari Excel.")
        return
    except OSError as exc:
        bahan.report.error("berkas_tidak_terbaca", str(path),
                           f"Berkas tidak bisa dibaca ({exc.strerror or exc}).", "")
        return
    first = text.split("\n", 1)[0]
    delim = max((";", ",", "\t"), key=first.count)
    grid = [row for row in csv.reader(io.StringIO(text), delimiter=delim)]
    _from_grid(grid, tabel, bahan, path.name,
               lambda r, c, n=path.name: f"{n}!{col_letter(c)}{r}")


def _yaml_scalar(v: Any) -> Any:
    if isinstance(v, str):
        s = v.strip()
        return None if s in ("", "null", "~", "Null", "NULL") else s
    return v


def _first_split(node: Any, *kinds: type) -> Any:
    """The first flow list/mapping whose decimal looks split at its comma, or None."""
    if isinstance(node, kinds):
        return node
    children = node.values() if isinstance(node, dict) else node if isinstance(
        node, list) else ()
    for child in children:
        found = _first_split(child, *kinds)
        if found is not None:
            return found
    return None


def _read_yaml(path: Path, bahan: Bahan) -> None:
    from ..inputfile import InputFileError, read_text
    from ..texttypes import SplitDict, SplitList
    from ..yaml_text import YamlLimitError, load_text

    name = path.name
    try:  # every scalar as typed, with the spec loader's alias and depth limits
        data = load_text(read_text(path))
    except YamlLimitError as exc:
        mark = exc.problem_mark
        where = f"{name}: baris {mark.line + 1}" if mark else name
        bahan.report.error("yaml_ditolak", where, exc.problem, exc.saran)
        return
    except (yaml.YAMLError, RecursionError, MemoryError) as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{name}: baris {mark.line + 1}" if mark else name
        bahan.report.error("yaml_rusak", where, "Penulisan YAML salah.",
                           "Periksa indentasi (spasi, bukan tab), titik dua dan tanda kutip.")
        return
    except InputFileError as exc:
        bahan.report.error(exc.jenis, name, exc.pesan, exc.saran)
        return
    split = _first_split(data, SplitList, SplitDict)
    if split is not None:
        mark = getattr(split, "mark", None)
        where = f"{name}: baris {mark.line + 1}" if mark else name
        bahan.report.error("desimal_terpisah", where, split.pesan, split.saran)
        return
    if not isinstance(data, dict):
        bahan.report.error("bukan_katalog", name, "Isi katalog YAML harus pasangan kunci: "
                           "nilai (versi_katalog, pengaturan, sasaran, iku, unit, target, ...).",
                           "Lihat contoh di docs/katalog.md.")
        return
    known = {t.kunci for t in TABEL} | {"versi_katalog"}
    for key in data:
        if key not in known:
            bahan.report.error("kunci_tidak_dikenal", f"{name}: {key}",
                               f"Bagian '{key}' tidak dikenal.",
                               f"Pakai: {', '.join(sorted(known))}.")
    for tabel in TABEL:
        part = data.get(tabel.kunci)
        if part is None:
            if tabel.wajib:
                bahan.report.error("bagian_hilang", name, f"Bagian '{tabel.kunci}' tidak ada.",
                                   f"Tambahkan '{tabel.kunci}:' (lihat docs/katalog.md).")
            continue
        items: list[tuple[str, Any]] = []
        if tabel is PENGATURAN and isinstance(part, dict):
            items = [(f"pengaturan.{k}", {"pengaturan": k, "nilai": v}) for k, v in part.items()]
        elif tabel.kunci == "skala" and isinstance(part, dict):
            for sk, levels in part.items():
                for i, lv in enumerate(levels if isinstance(levels, list) else []):
                    items.append((f"skala.{sk}[{i}]",
                                  {"skala": sk, **(lv if isinstance(lv, dict) else {})}))
        elif isinstance(part, list):
            items = [(f"{tabel.kunci}[{i}]", it) for i, it in enumerate(part)]
        else:
            bahan.report.error("bagian_salah", f"{name}: {tabel.kunci}",
                               f"Bagian '{tabel.kunci}' harus berupa daftar baris.",
                               "Tulis satu baris per butir, diawali '- '.")
            continue
        cols = tabel.by_key()
        rows = []
        for where, item in items:
            if not isinstance(item, dict):
                bahan.report.error("baris_salah", f"{name}: {where}",
                                   "Baris harus berupa pasangan kolom: nilai.",
                                   "Tulis misalnya {kode_satker: \"426482\", nama: ...}.")
                continue
            nilai, letak = {}, {}
            for k, v in item.items():
                if k not in cols:
                    bahan.report.error("kolom_tidak_dikenal", f"{name}: {where}.{k}",
                                       f"Kolom '{k}' tidak dikenal di '{tabel.kunci}'.",
                                       f"Pakai: {', '.join(cols)}.")
                    continue
                if k == "nilai" and isinstance(v, (list, dict)):
                    nilai[k] = v  # pengaturan.kategori: passed to the spec as written
                else:
                    nilai[k] = _yaml_scalar(v) if not isinstance(v, (list, dict)) else str(v)
                letak[k] = f"{name}: {where}.{k}"
            for k in cols:
                nilai.setdefault(k, None)
                letak.setdefault(k, f"{name}: {where}.{k}")
            rows.append(Baris(nilai, letak, f"{name}: {where}"))
        bahan.tabel[tabel.kunci] = _skip_examples(rows, tabel, bahan, f"{name}: {tabel.kunci}")


def read_tables(path: str | Path) -> Bahan:
    """The katalog's tables (problems in ``Bahan.report``; nothing raised)."""
    p = Path(path)
    bahan = Bahan(sumber=str(p))
    if not p.exists():
        bahan.report.error("berkas_tidak_ada", str(p), "Katalog tidak ditemukan.",
                           "Periksa nama dan folder berkasnya.")
    elif p.is_dir():
        _read_csv_folder(p, bahan)
    elif not p.is_file():
        bahan.report.error("bukan_berkas", str(p), "Katalog bukan berkas biasa.",
                           "Tulis nama berkas katalog (.xlsx, .yaml, .csv) atau folder CSV.")
    elif p.stat().st_size > MAX_KATALOG_BYTES:
        bahan.report.error("terlalu_besar", str(p), "Katalog lebih dari 200 MB.",
                           "Periksa apakah berkasnya benar.")
    elif p.suffix.lower() in EXCEL:
        _read_excel(p, bahan)
    elif p.suffix.lower() in YAML:
        _read_yaml(p, bahan)
    elif p.suffix.lower() == ".csv":
        _read_csv_folder(p.parent, bahan)
    else:
        bahan.report.error("format_tidak_dikenal", str(p),
                           f"Ekstensi '{p.suffix}' bukan katalog.",
                           "Pakai katalog .xlsx (workbook-gen katalog-kosong), .yaml, atau "
                           "folder berisi unit.csv, iku.csv, ...")
    return bahan


def looks_like_katalog(path: Path) -> bool:
    """For commands that take both workbooks and katalogs (``periksa``): a folder, a CSV,
    a YAML katalog, or an Excel file with the katalog's sheets and no unit metadata."""
    if path.suffix.lower() not in EXCEL:
        return is_katalog(path) and (path.is_dir() or path.suffix.lower() != ".csv"
                                     or path.exists())
    try:
        import io

        from openpyxl import load_workbook

        from ..inputfile import MAX_WORKBOOK_BYTES, check_zip, read_bytes

        data = read_bytes(path, max_bytes=MAX_WORKBOOK_BYTES)  # regular files only
        check_zip(data, str(path))
        wb = load_workbook(io.BytesIO(data), read_only=True)
        names = {norm_header(n) for n in wb.sheetnames}
        wb.close()
    except Exception:  # noqa: BLE001 - the workbook path reports unreadable files
        return False
    return "meta" not in names and {"iku", "unit", "target"} <= names
