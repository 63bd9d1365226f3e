"""Write a katalog workbook: the empty one planners fill (``katalog-kosong``: instructions,
headers with notes, drop-down lists, example rows) and filled ones from rows (tests,
the bench, a katalog made from existing specs)."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import xlsxwriter

from ..outfile import check_output, write_atomic
from ..spec import KODE_TANPA_KOMPONEN, baris_data
from .format import PENGATURAN, PENGATURAN_KUNCI, TABEL, VERSI_KATALOG

TEXT_KEYS = {"kode_satker", "nip", "kode", "kode_sasaran", "kode_iku", "kode_kegiatan", "akun",
             "jenis_belanja", "skala"}
HEADER_ROW = 3  # 1-based: title in row 1, what the sheet is in row 2
MAX_ROWS = 100_000  # rows given data validation below the header

CONTOH: dict[str, list[dict[str, Any]]] = {
    "skala": [
        {"skala": "contoh_nka", "label": "Kurang"},
        {"skala": "contoh_nka", "label": "Baik", "minimal": 80},
    ],
    "sasaran": [{"kode": "CONTOH-SS1", "nama": "Meningkatnya pelindungan pekerja migran"}],
    "iku": [{"kode_sasaran": "CONTOH-SS1", "kode": "CONTOH-IKU1",
             "nama": "Jumlah PMI yang difasilitasi", "satuan": "Orang",
             "polaritas": "maksimal", "agregasi": "kumulatif", "jenis": "angka",
             "rumus": "langsung"}],
    "unit": [{"kode_satker": "CONTOH-426482", "nama": "BP3MI Contoh", "provinsi": "Banten",
              "kepala": "Nama Kepala", "nip": "197001011990031001"}],
    "target": [{"kode_satker": "CONTOH-426482", "kode_iku": "CONTOH-IKU1", "target": 80,
                "target_tw1": 20, "target_tw2": 20, "target_tw3": 20, "target_tw4": 20}],
    "anggaran": [{"kode_satker": "CONTOH-426482", "kode_kegiatan": "01",
                  "kegiatan": "Penempatan dan Pelindungan PMI", "kode": "01",
                  "nama": "Layanan Kepulangan PMI", "kode_sasaran": "CONTOH-SS1",
                  "akun": "521211", "jenis_belanja": "52", "pagu_awal": 1796869000}],
}

PETUNJUK = [
    "Katalog ini menggambarkan indikator kinerja nasional sekali, ditambah satu baris per "
    "unit dengan target dan pagunya. Dari katalog ini 'workbook-gen buat KATALOG.xlsx -o "
    "FOLDER' membuat satu workbook per unit.",
    "Urutan pengisian: Pengaturan (tahun dan periode wajib), Skala (bila ada IKU kategori), "
    "Sasaran, IKU, Unit, Target, Anggaran.",
    "Baris yang kolom pertamanya diawali 'CONTOH' adalah contoh dan tidak dipakai. Timpa "
    "atau hapus baris itu.",
    "Judul kolom (baris 3) jangan diubah; kolom bertanda * wajib diisi. Kolom dengan daftar "
    "pilihan hanya menerima nilai dari daftarnya.",
    "Kode satker dan NIP ketik sebagai teks (sel sudah berformat teks) agar nol di depan "
    "tidak hilang.",
    "Angka boleh ditulis seperti di laporan: 1.470, 12,5%, Rp 9.355.124.000. Satu koma "
    "diikuti tepat tiga angka (1,470) ditolak karena bisa berarti 1470 atau 1,47.",
    "Setiap IKU berlaku untuk semua unit. Unit tanpa baris target untuk sebuah IKU mendapat "
    "target kosong (capaian IKU itu tidak dihitung) dan peringatan.",
    "Periksa katalog tanpa menulis apa pun: workbook-gen periksa KATALOG.xlsx. Semua masalah "
    "dilaporkan sekaligus dengan lembar dan selnya.",
]


def katalog_bytes(rows: Mapping[str, Sequence[Mapping[str, Any]]] | None = None, *,
                  pengaturan: Mapping[str, Any] | None = None) -> bytes:
    """A katalog workbook. Without ``rows``: the empty katalog with example rows."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_numbers": False,
                                   "strings_to_formulas": False, "strings_to_urls": False})
    title = wb.add_format({"bold": True, "font_size": 14})
    note = wb.add_format({"italic": True, "font_color": "#595959"})
    head = wb.add_format({"bold": True, "bg_color": "#1F4E78", "font_color": "#FFFFFF",
                          "border": 1, "text_wrap": True, "valign": "vcenter"})
    text = wb.add_format({"num_format": "@"})
    example = wb.add_format({"italic": True, "font_color": "#7F7F7F", "bg_color": "#EDEDED",
                             "num_format": "@"})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})

    ws = wb.add_worksheet("Petunjuk")
    ws.set_column(0, 0, 4)
    ws.set_column(1, 1, 100)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.write(0, 0, "Katalog Indikator dan Target Unit (workbook-gen)", title)
    ws.write(1, 0, f"Versi katalog {VERSI_KATALOG}", note)
    r = 3
    for i, line in enumerate(PETUNJUK, 1):
        ws.write(r, 0, i, wb.add_format({"valign": "top"}))
        ws.write(r, 1, line, wrap)
        ws.set_row(r, 15 * (len(line) // 95 + 1))  # no application fits wrapped rows alone
        r += 1
    r += 1
    ws.write(r, 1, "Lembar dan isinya:", wb.add_format({"bold": True}))
    for tabel in TABEL:
        r += 1
        ws.write(r, 1, f"{tabel.nama}: {tabel.keterangan}", wrap)
        ws.set_row(r, 15 * (len(tabel.nama + tabel.keterangan) // 100 + 1))
    ws.activate()

    empty = rows is None
    data = CONTOH if empty else rows
    for tabel in TABEL:
        sheet = wb.add_worksheet(tabel.nama)
        sheet.write(0, 0, tabel.nama, title)
        sheet.write(1, 0, tabel.keterangan, note)
        h = HEADER_ROW - 1
        sheet.set_row(h, 30)
        for c, k in enumerate(tabel.kolom):
            fmt = text if k.key in TEXT_KEYS or tabel is PENGATURAN and c == 0 else None
            sheet.set_column(c, c, k.lebar, fmt)
            sheet.write(h, c, k.label + (" *" if k.wajib else ""), head)
            if k.catatan:
                sheet.write_comment(h, c, k.catatan, {"x_scale": 2})
            if k.pilihan:
                sheet.data_validation(h + 1, c, h + MAX_ROWS, c, {
                    "validate": "list", "source": list(k.pilihan),
                    "error_title": k.label,
                    "error_message": f"Pilih salah satu: {', '.join(k.pilihan)}."})
        sheet.freeze_panes(HEADER_ROW, 0)
        sheet.set_landscape()
        sheet.fit_to_pages(1, 0)
        sheet.repeat_rows(h)
        if tabel is PENGATURAN:
            values = dict(pengaturan or {})
            for i, (key, (wajib, ket, pilihan)) in enumerate(PENGATURAN_KUNCI.items()):
                row = h + 1 + i
                sheet.write_string(row, 0, key)
                value = values.get(key)
                if isinstance(value, (int, float)):
                    sheet.write_number(row, 1, value)
                elif value is not None:
                    sheet.write_string(row, 1, str(value))
                sheet.write_string(row, 2, ("Wajib. " if wajib else "") + ket)
                if pilihan:
                    sheet.data_validation(row, 1, row, 1, {
                        "validate": "list", "source": list(pilihan),
                        "error_message": f"Pilih salah satu: {', '.join(pilihan)}."})
            continue
        fmt = example if empty else None
        for i, item in enumerate(data.get(tabel.kunci, [])):
            for c, k in enumerate(tabel.kolom):
                value = item.get(k.key)
                if isinstance(value, bool) or value is None:
                    if fmt is not None:
                        sheet.write_blank(h + 1 + i, c, None, fmt)
                    continue
                if isinstance(value, (int, float)):
                    sheet.write_number(h + 1 + i, c, value, fmt)
                else:
                    sheet.write_string(h + 1 + i, c, str(value), fmt)
    wb.close()
    return buf.getvalue()


def tulis_katalog_kosong(out: str | Path, *, timpa: bool = False) -> Path:
    path = Path(out)
    check_output(path, overwrite=timpa, extensions=(".xlsx",),
                 saran_ekstensi="katalog ditulis sebagai .xlsx, misalnya -o katalog.xlsx.")
    write_atomic(katalog_bytes(), path)
    return path


def rows_from_specs(specs: Sequence[Mapping[str, Any]]
                    ) -> tuple[dict[str, list[dict[str, Any]]], dict[str, Any]]:
    """Katalog rows and pengaturan from one-unit spec mappings (as YAML gives them) that
    share one indicator set: the first spec's sasaran, IKU, skala and pengaturan, every
    spec's unit, targets and budget lines."""
    first = specs[0]
    rows: dict[str, list[dict[str, Any]]] = {t.kunci: [] for t in TABEL}
    pengaturan = {k: v for k, v in (first.get("pengaturan") or {}).items() if k != "kategori"}
    pengaturan.update({"tahun": first["tahun"], "periode": "Tahunan" if first["periode"] ==
                       "tahunan" else first["periode"]})
    for nama, levels in (first.get("skala") or {}).items():
        for lv in levels:
            rows["skala"].append({"skala": nama, **lv})
    iku_keys = ("nama", "satuan", "penanggung_jawab", "polaritas", "rumus_minimal", "agregasi",
                "jenis", "skala", "rumus", "bobot", "capaian_skor")
    for s in first["sasaran"]:
        rows["sasaran"].append({"kode": s["kode"], "nama": s["nama"]})
        for d in s["iku"]:
            row = {"kode_sasaran": s["kode"], "kode": d["kode"],
                   **{k: d[k] for k in iku_keys if k in d}}
            if d.get("diukur_pada"):
                row["diukur_pada"] = ", ".join(d["diukur_pada"])
            rows["iku"].append(row)
    for spec in specs:
        u = spec["unit"]
        ks = str(u["kode_satker"])
        rows["unit"].append({"kode_satker": ks, **{k: u[k] for k in ("nama", "provinsi",
                                                                      "kepala", "nip")
                                                    if u.get(k) is not None}})
        for s in spec["sasaran"]:
            for d in s["iku"]:
                row = {"kode_satker": ks, "kode_iku": d["kode"], "target": d.get("target"),
                       "target_revisi": d.get("target_revisi"), "baseline": d.get("baseline")}
                for q, v in enumerate(d.get("target_tw") or []):
                    row[f"target_tw{q + 1}"] = v
                rows["target"].append(row)
        for _, k, c in baris_data(spec):  # a kegiatan without komponen: code "-"
            rows["anggaran"].append({
                "kode_satker": ks, "kode_kegiatan": k["kode"], "kegiatan": k["nama"],
                "kode": KODE_TANPA_KOMPONEN if c is k else c["kode"], "nama": c["nama"],
                "kode_sasaran": c["sasaran"],
                "akun": c.get("akun"), "jenis_belanja": c.get("jenis_belanja"),
                "pagu_awal": c.get("pagu_awal"), "pagu_revisi": c.get("pagu_revisi"),
                "penanggung_jawab": c.get("penanggung_jawab")})
    return rows, pengaturan
