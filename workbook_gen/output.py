"""Render engine results: the JSON every command prints, and a readable text table.

Writers never compute: values come rounded from the engine (``bulatkan``).
"""

from __future__ import annotations

from typing import Any

from .engine import Hasil, HasilIku, HasilKegiatan, Pos, bulatkan, capaian_riwayat
from .parsing import format_number
from .spec import Pengaturan, Spec, Value


def json_number(x: float | None) -> float | int | None:
    """JSON number: integers without '.0', None stays null."""
    if x is None:
        return None
    return int(x) if float(x).is_integer() else x


def _val(v: Value, p: Pengaturan) -> Any:
    if v is None or isinstance(v, str):
        return v
    return json_number(bulatkan(v, p))


def _pos(pos: Pos, p: Pengaturan) -> dict[str, Any]:
    return {
        "kode": pos.kode,
        "nama": pos.nama,
        "pagu_awal": json_number(pos.pagu_awal),
        "pagu_revisi": json_number(pos.pagu_revisi),
        "pagu": json_number(pos.pagu),
        "realisasi_tw": [json_number(x) for x in pos.realisasi_tw],
        "realisasi": json_number(pos.realisasi),
        "serapan": json_number(bulatkan(pos.serapan, p)),
        "sisa": json_number(pos.sisa),
    }


def _riwayat(spec: Spec, kode: str) -> list[dict[str, Any]]:
    """Earlier years of IKU ``kode``: target, realisasi, capaian by this year's rule and
    the capaian the earlier report printed (null when not given)."""
    iku = next(i for i in spec.semua_iku() if i.kode == kode)
    printed = {r.tahun: r.capaian for r in iku.riwayat}
    p = spec.pengaturan
    return [{"tahun": tahun, "target": _val(target, p), "realisasi": _val(realisasi, p),
             "capaian": json_number(cap), "capaian_tercetak": json_number(printed[tahun])}
            for tahun, target, realisasi, cap in capaian_riwayat(spec, iku)]


def _iku(h: HasilIku, p: Pengaturan) -> dict[str, Any]:
    return {
        "kode": h.kode,
        "nama": h.nama,
        "satuan": h.satuan,
        "sasaran": h.sasaran,
        "target": _val(h.target, p),
        "target_revisi": _val(h.target_revisi, p),
        "target_tw": [_val(v, p) for v in h.target_tw] if h.target_tw else None,
        "target_sd_periode": _val(h.target_sd, p),
        "realisasi_tw": [_val(v, p) for v in h.realisasi_tw],
        "realisasi_tahunan": _val(h.realisasi_tahunan, p),
        "realisasi_dari_triwulan": _val(h.realisasi_triwulan, p),
        "realisasi": _val(h.realisasi, p),
        "realisasi_dasar": json_number(h.realisasi_dasar),
        "label_realisasi": h.label_realisasi,
        "diukur": h.diukur,
        "target_utama": h.target_utama,
        "capaian": json_number(h.capaian),
        "capaian_pk": json_number(h.capaian_pk),
        "capaian_revisi": json_number(h.capaian_revisi),
        "capaian_tw": json_number(h.capaian_tw),
        "kategori": h.kategori,
        "kategori_revisi": h.kategori_revisi,
        "rasio": None if h.pembilang_tw is None else {
            "pembilang_tw": [json_number(x) for x in h.pembilang_tw],
            "penyebut_tw": [json_number(x) for x in h.penyebut_tw or []],
            "pembilang": json_number(h.pembilang), "penyebut": json_number(h.penyebut)},
    }


def _kegiatan(k: HasilKegiatan, p: Pengaturan) -> dict[str, Any]:
    return {"kode": k.kode, "nama": k.nama, "sasaran": k.sasaran, "iku": k.iku,
            "pagu": json_number(k.pagu), "realisasi_anggaran": json_number(k.realisasi_anggaran),
            "serapan": json_number(bulatkan(k.serapan, p)), "capaian": json_number(k.capaian),
            "kategori": k.kategori}


def hasil_to_dict(hasil: Hasil) -> dict[str, Any]:
    """The JSON document of ``hitung --json`` (documented in docs/cli.md)."""
    spec = hasil.spec
    p = spec.pengaturan
    a = hasil.anggaran
    return {
        "unit": {
            "nama": spec.unit.nama,
            "kode_satker": spec.unit.kode_satker,
            "provinsi": spec.unit.provinsi,
            "kepala": spec.unit.kepala,
            "nip": spec.unit.nip,
            "nrp": spec.unit.nrp,
        },
        "tahun": spec.tahun,
        "periode": spec.periode_label,
        "penutup": {"permasalahan": spec.penutup.permasalahan, "upaya": spec.penutup.upaya,
                    "saran": spec.penutup.saran},
        "iku": [{**_iku(h, p), "riwayat": _riwayat(spec, h.kode)} for h in hasil.iku],
        "sasaran": [
            {
                "kode": s.kode,
                "nama": s.nama,
                "iku": s.iku,
                "capaian": json_number(s.capaian),
                "capaian_pk": json_number(s.capaian_pk),
                "capaian_revisi": json_number(s.capaian_revisi),
                "kategori": s.kategori,
                "pagu": json_number(s.pagu),
                "realisasi_anggaran": json_number(s.realisasi_anggaran),
                "serapan": json_number(bulatkan(s.serapan, p)),
                "sisa": json_number(s.sisa),
                "baris_bersama": s.baris_bersama,
            }
            for s in hasil.sasaran
        ],
        "per_penanggung_jawab": [
            {
                "nama": g.nama,
                "iku": g.iku,
                "baris_anggaran": g.baris,
                "capaian": json_number(g.capaian),
                "capaian_pk": json_number(g.capaian_pk),
                "capaian_revisi": json_number(g.capaian_revisi),
                "kategori": g.kategori,
                "pagu": json_number(g.pagu),
                "realisasi_anggaran": json_number(g.realisasi_anggaran),
                "serapan": json_number(bulatkan(g.serapan, p)),
                "sisa": json_number(g.sisa),
            }
            for g in hasil.per_penanggung_jawab
        ],
        "target_utama": p.target_utama,
        "capaian_rata_rata": json_number(hasil.capaian_rata_rata),
        "capaian_rata_rata_pk": json_number(hasil.capaian_rata_rata_pk),
        "capaian_rata_rata_revisi": json_number(hasil.capaian_rata_rata_revisi),
        "kategori": hasil.kategori,
        "jumlah_kategori": hasil.jumlah_kategori,
        "anggaran": {
            "pagu": json_number(a.total.pagu),
            "pagu_jumlah_baris": json_number(a.pagu_jumlah_baris),
            "realisasi": json_number(a.total.realisasi),
            "serapan": json_number(bulatkan(a.total.serapan, p)),
            "sisa": json_number(a.total.sisa),
            "realisasi_tw": [json_number(x) for x in a.total.realisasi_tw],
            "serapan_tw": [json_number(bulatkan(x, p)) for x in a.serapan_tw],
            "per_kegiatan": [_pos(x, p) for x in a.per_kegiatan],
            "per_jenis_belanja": [_pos(x, p) for x in a.per_jenis_belanja],
            "per_baris": [_pos(x, p) for x in a.baris],
        },
        "kegiatan": [_kegiatan(k, p) for k in hasil.kegiatan],
        "temuan": hasil.temuan.as_list(),
    }


# --------------------------------------------------------------------------- text


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _show(v: Value, decimals: int = 2, fixed: bool = False) -> str:
    if v is None:
        return "-"
    if isinstance(v, str):
        return v
    return format_number(v, decimals, strip_zero=not fixed)


def format_ringkasan(hasil: Hasil) -> str:
    """A readable capaian table for one unit (what ``demo`` and ``hitung`` print)."""
    spec = hasil.spec
    head = (f"{spec.unit.nama} (kode satker {spec.unit.kode_satker}) - "
            f"{spec.periode_label} {spec.tahun}")
    cols = f"{'Sasaran / IKU':<46} {'Target':>10} {'Realisasi':>11} {'Capaian':>9} " \
           f"{'Revisi':>9}  Kategori"
    lines = [head, "=" * len(head), cols, "-" * len(cols)]
    by_kode = hasil.iku_by_kode()
    for s in hasil.sasaran:
        lines.append(f"{_cut(s.kode + ' ' + s.nama, 46):<46} {'':>10} {'':>11} "
                     f"{_show(s.capaian_pk, fixed=True):>9} "
                     f"{_show(s.capaian_revisi, fixed=True):>9}  "
                     f"{s.kategori or ''}")
        for kode in s.iku:
            h = by_kode[kode]
            real = h.realisasi if h.diukur else "tdk diukur"
            if h.label_realisasi and not isinstance(h.realisasi, str):
                real = f"{_show(h.realisasi)} ({h.label_realisasi})"
            lines.append(
                f"  {_cut(h.kode + ' ' + h.nama, 44):<44} {_cut(_show(h.target), 10):>10} "
                f"{_cut(_show(real), 11):>11} {_show(h.capaian_pk, fixed=True):>9} "
                f"{_show(h.capaian_revisi, fixed=True):>9}  {h.kategori or ''}")
    lines.append("-" * len(cols))
    lines.append(f"Rata-rata capaian IKU: {_show(hasil.capaian_rata_rata, fixed=True)} % "
                 f"(terhadap target revisi: {_show(hasil.capaian_rata_rata_revisi, fixed=True)}"
                 " %) - "
                 f"{hasil.kategori or '-'}")
    if spec.pengaturan.target_utama == "revisi":
        lines.append(f"Target utama: target revisi (rata-rata terhadap target PK: "
                     f"{_show(hasil.capaian_rata_rata_pk, fixed=True)} %); kolom Capaian = "
                     "terhadap target PK.")
    a = hasil.anggaran.total
    if hasil.spec.anggaran:
        lines.append(
            f"Anggaran: pagu Rp {format_number(a.pagu, 0)}, realisasi Rp "
            f"{format_number(a.realisasi, 0)}, serapan "
            f"{_show(bulatkan(a.serapan, spec.pengaturan), fixed=True)} %, "
            f"sisa Rp {format_number(a.sisa, 0)}")
    for g in hasil.per_penanggung_jawab:
        serapan = _show(bulatkan(g.serapan, spec.pengaturan), fixed=True)
        lines.append(f"Penanggung jawab {g.nama}: capaian {_show(g.capaian, fixed=True)} % "
                     f"({len(g.iku)} IKU, {g.kategori or '-'}), pagu Rp "
                     f"{format_number(g.pagu, 0)}, serapan {serapan} %")
    t = hasil.temuan
    lines.append(f"Temuan: {len(t.errors)} error, {len(t.warnings)} peringatan.")
    return "\n".join(lines)
