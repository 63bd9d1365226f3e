"""``workbook-gen riwayat DB``: the trend over the saved periods, from the history store.

:func:`tren` queries the store into pure data (:class:`Tren`); :func:`build_tren_content`
turns it into neutral sheets (unit x periode, IKU x periode, national figures, line
charts) rendered by the shared summary writer; :func:`tren_to_dict` is the ``--json``.
National figures per period count only the units counted in that run (``dihitung``).
"""

from __future__ import annotations

import io
import json
import os
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import outfile
from ..engine import bulatkan
from ..output import json_number
from ..spec import Spec, Unit
from ..tables import BULAT, PERSEN, TEKS, Chart, Column, Series, SheetContent, Table
from .records import BAKU
from .store import opened, periode_tersimpan

SHEET_TREN_UNIT = "Tren Unit"
SHEET_TREN_IKU = "Tren IKU"
MAX_GARIS = 12  # lines in one chart; more units than this: the national lines only
WARNA_GARIS = ("#4472C4", "#ED7D31", "#A5A5A5", "#FFC000", "#5B9BD5", "#70AD47", "#264478",
               "#9E480E", "#636363", "#997300", "#255E91", "#43682B")


@dataclass
class Tren:
    periode: list[str]  # "TW I 2026", in time order
    unit: list[tuple[str, str, list[float | None]]]  # kode satker, nama, capaian per periode
    tidak_dihitung: dict[str, list[str]]  # kode satker -> "TW I 2026 (error)", ...
    iku: list[tuple[str, str, list[float | None]]]  # kode, nama, national mean per periode
    nasional: list[dict[str, Any]]  # per periode: rata_rata, median, jumlah_unit, serapan


def _label(tahun: int, periode: str) -> str:
    return f"{periode} {tahun}"


def _mean(values: list[float]) -> float | None:
    return bulatkan(sum(values) / len(values), BAKU) if values else None


def tren(db: str | os.PathLike[str]) -> Tren:
    """The saved history as trend tables (all saved periods, in time order)."""
    with opened(db, create=False) as con:
        pairs = periode_tersimpan(con)
        idx = {p: i for i, p in enumerate(pairs)}
        n = len(pairs)
        units: dict[str, tuple[str, list[float | None]]] = {}
        skipped: dict[str, list[str]] = {}
        counted: dict[tuple[int, str], list[float]] = {p: [] for p in pairs}
        budget: dict[tuple[int, str], list[float]] = {p: [0.0, 0.0] for p in pairs}
        for tahun, periode, kode, nama, capaian, dihitung, pagu, real, status in con.execute(
                "SELECT tahun, periode, kode_satker, nama, capaian, dihitung, pagu, realisasi, "
                "status FROM unit ORDER BY kode_satker"):
            key = (int(tahun), str(periode))
            entry = units.setdefault(kode, (nama, [None] * n))
            entry[1][idx[key]] = capaian
            if not dihitung:
                skipped.setdefault(kode, []).append(f"{_label(*key)} ({status})")
            if dihitung:
                if capaian is not None:
                    counted[key].append(capaian)
                budget[key][0] += pagu or 0.0
                budget[key][1] += real or 0.0
        iku: dict[str, tuple[str, list[list[float]]]] = {}
        for tahun, periode, kode, nama, capaian in con.execute(
                "SELECT i.tahun, i.periode, i.kode_iku, i.nama_iku, i.capaian FROM iku i "
                "JOIN unit u ON u.tahun = i.tahun AND u.periode = i.periode "
                "AND u.kode_satker = i.kode_satker WHERE u.dihitung = 1 ORDER BY i.kode_iku"):
            entry2 = iku.setdefault(kode, (nama, [[] for _ in range(n)]))
            if capaian is not None:
                entry2[1][idx[(int(tahun), str(periode))]].append(capaian)
    nasional = []
    for p in pairs:
        vals = counted[p]
        pagu, real = budget[p]
        nasional.append({
            "periode": _label(*p), "jumlah_unit": len(vals), "rata_rata": _mean(vals),
            "median": bulatkan(statistics.median(vals), BAKU) if vals else None,
            "serapan": bulatkan(real / pagu * 100, BAKU) if pagu else None})
    return Tren(
        periode=[_label(*p) for p in pairs],
        unit=[(k, nama, caps) for k, (nama, caps) in units.items()],
        tidak_dihitung=skipped,
        iku=[(k, nama, [_mean(v) for v in per]) for k, (nama, per) in sorted(iku.items())],
        nasional=nasional)


def tren_to_dict(t: Tren) -> dict[str, Any]:
    return {
        "periode": t.periode,
        "nasional": [{k: json_number(v) if isinstance(v, float) else v for k, v in row.items()}
                     for row in t.nasional],
        "unit": [{"kode_satker": k, "nama": nama,
                  "capaian": {p: json_number(v) for p, v in zip(t.periode, caps, strict=True)},
                  "tidak_dihitung": t.tidak_dihitung.get(k, [])}
                 for k, nama, caps in t.unit],
        "iku": [{"kode": k, "nama": nama,
                 "rata_rata": {p: json_number(v) for p, v in zip(t.periode, vals, strict=True)}}
                for k, nama, vals in t.iku],
    }


def _series_table(title: str, names: list[str], values: list[list[float | None]],
                  periode: list[str]) -> Table:
    """Periods as rows, one column per line: what a line chart reads."""
    cols = [Column("Periode", TEKS, 12)] + [Column(n[:40], PERSEN, 11) for n in names]
    rows = [[p] + [v[i] for v in values] for i, p in enumerate(periode)]
    return Table(title, cols, rows)


def _line_chart(title: str, table: int, names: list[str]) -> Chart:
    return Chart("line", title, table, 0,
                 [Series(n[:40], table, i + 1, WARNA_GARIS[i % len(WARNA_GARIS)])
                  for i, n in enumerate(names)], y_title="%")


def build_tren_content(t: Tren) -> list[SheetContent]:
    cols = ([Column("Kode Satker", TEKS, 11), Column("Unit", TEKS, 30)]
            + [Column(f"{p} (%)", PERSEN, 11) for p in t.periode]
            + [Column("Tidak dihitung pada", TEKS, 30)])
    unit_rows = [[k, nama, *caps, ", ".join(t.tidak_dihitung.get(k, [])) or None]
                 for k, nama, caps in t.unit]
    unit_table = Table("Capaian per Unit dan Periode (%)", cols, unit_rows,
                       subtitle="Capaian rata-rata IKU terhadap target PK, seperti pada Rekap "
                                "Unit tiap periode yang disimpan.")
    nas_cols = [Column("Periode", TEKS, 12), Column("Rata-rata Nasional (%)", PERSEN, 12),
                Column("Median Nasional (%)", PERSEN, 12),
                Column("Jumlah Unit Dihitung", BULAT, 10),
                Column("Serapan Nasional (%)", PERSEN, 12)]
    nas_rows = [[r["periode"], r["rata_rata"], r["median"], r["jumlah_unit"], r["serapan"]]
                for r in t.nasional]
    nas = Table("Angka Nasional per Periode", nas_cols, nas_rows,
                subtitle="Hanya unit yang dihitung pada run itu (bukan error, bukan belum "
                         "diisi).")
    blocks_u: list[Table | Chart] = [nas, unit_table]
    blocks_u.append(Chart("line", "Capaian Nasional per Periode (%)", 0, 0,
                          [Series("Rata-rata", 0, 1, "#4472C4"),
                           Series("Median", 0, 2, "#ED7D31")], y_title="%"))
    if 0 < len(t.unit) <= MAX_GARIS:
        names = [nama for _, nama, _ in t.unit]
        skip = {k: {x.rsplit(" (", 1)[0] for x in v} for k, v in t.tidak_dihitung.items()}
        values = [[None if p in skip.get(k, ()) else c for p, c in zip(t.periode, caps,
                                                                        strict=True)]
                  for k, _, caps in t.unit]
        blocks_u.append(_series_table("Data grafik: capaian unit per periode (periode yang "
                                      "tidak dihitung dikosongkan)", names, values, t.periode))
        blocks_u.append(_line_chart("Capaian per Unit (%)", len(blocks_u) - 1, names))
    icols = ([Column("Kode IKU", TEKS, 11), Column("Nama IKU", TEKS, 44)]
             + [Column(f"{p} (%)", PERSEN, 11) for p in t.periode])
    iku_table = Table("Rata-rata Nasional per IKU dan Periode (%)", icols,
                      [[k, nama, *vals] for k, nama, vals in t.iku],
                      subtitle="Rata-rata capaian unit yang dihitung dan mengukur IKU itu.")
    blocks_i: list[Table | Chart] = [iku_table]
    shown = t.iku[:MAX_GARIS]
    if shown:
        blocks_i.append(_series_table("Data grafik: rata-rata nasional per IKU", [k for k, _, _
                                                                                  in shown],
                                      [vals for _, _, vals in shown], t.periode))
        blocks_i.append(_line_chart("Rata-rata Nasional per IKU (%)", 1, [k for k, _, _
                                                                          in shown]))
    judul = f"Tren Kinerja {t.periode[0]} s.d. {t.periode[-1]}" if t.periode else "Tren Kinerja"
    return [SheetContent(SHEET_TREN_UNIT, judul + ": Unit", blocks_u),
            SheetContent(SHEET_TREN_IKU, judul + ": IKU", blocks_i)]


def build_tren_bytes(t: Tren) -> bytes:
    import xlsxwriter

    from ..sheets import summary_xlsx
    from ..sheets.context import Context
    from ..sheets.styles import Styles

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_numbers": False,
                                   "strings_to_formulas": False, "strings_to_urls": False})
    stand_in = Spec(unit=Unit("Tren nasional", "-"), tahun=0, periode="tahunan", sasaran=[])
    ctx = Context(spec=stand_in, hasil=None, layout=None,  # type: ignore[arg-type]
                  styles=Styles(wb), macro=False)
    for content in build_tren_content(t):
        summary_xlsx.write(wb, ctx, content)
    wb.set_properties({"title": "Tren Kinerja", "author": "workbook-gen"})
    wb.close()
    return buf.getvalue()


def run_cli(db: str, *, output: str | None, as_json: bool, timpa: bool = False,
            stdout: Any = None, stderr: Any = None) -> int:
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    if not output and not as_json:
        print("Sebutkan berkas tren dengan -o TREN.xlsx (atau pakai --json).", file=stderr)
        return 2
    out = Path(output) if output else None
    if out is not None:
        outfile.check_output(out, overwrite=timpa, extensions=(".xlsx",),
                             saran_ekstensi="tren ditulis sebagai .xlsx; ganti ekstensinya, "
                             f"misalnya {out.with_suffix('.xlsx').name}.")
        if out.resolve() == Path(db).resolve():
            print(f"Kesalahan: {out} adalah basis data riwayat itu sendiri. Pilih nama lain.",
                  file=stderr)
            return 1
    t = tren(db)
    if not t.periode:
        print(f"Kesalahan: basis data {db} belum berisi rekap. Simpan dulu dengan "
              "'workbook-gen konsolidasi ... --simpan DB'.", file=stderr)
        return 1
    if out is not None:
        outfile.write_atomic(build_tren_bytes(t), out)
    if as_json:
        print(json.dumps(tren_to_dict(t), ensure_ascii=False, indent=2), file=stdout)
    info = stderr if as_json else stdout
    where = f"; tren ditulis ke {out}" if out is not None else ""
    print(f"Selesai: {len(t.periode)} periode ({', '.join(t.periode)}), {len(t.unit)} unit, "
          f"{len(t.iku)} IKU{where}.", file=info)
    return 0
