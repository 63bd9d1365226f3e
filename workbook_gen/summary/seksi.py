"""Capaian per Penanggung Jawab: the reports' per-seksi table as a live summary sheet.

One group row per penanggung jawab (seksi / bidang / tim) with the weighted mean capaian
of its IKUs (the sasaran rule) and the pagu, realisasi and serapan of its budget lines,
followed by its IKU rows. The group's mean is a SUMPRODUCT over the hidden helper cells
of its own IKU rows (``live.Live``'s value/weight rule, as on Ringkasan Capaian), so the
sheet needs no lookup into other sheets' rows. Values come from the engine
(``engine.per_penanggung_jawab``); the sheet exists only when a spec names a
penanggung jawab.
"""

from __future__ import annotations

from typing import Any

from ..engine import Hasil, bulatkan
from ..layout import SHEET_SEKSI
from ..spec import Iku
from ..tables import (
    ANGKA,
    GRUP,
    NORMAL,
    PERSEN,
    RUPIAH,
    TEKS,
    Column,
    Formula,
    SheetContent,
    Table,
    place,
)
from .live import Live

# visible columns, then the hidden helpers of the means
S_TARGET, S_REAL, S_CAP, S_CAP_REV, S_KAT, S_PAGU, S_REAL_A, S_SERAPAN = range(2, 10)
H_C, H_V, H_W, H_CR, H_VR, H_WR, H_L = range(10, 17)


def seksi_sheet(hasil: Hasil, live: Live, judul: str) -> SheetContent | None:
    """The sheet, or None when no IKU and no budget line names a penanggung jawab."""
    from .build import (
        _a1,
        _band_colours,
        _blank,
        _col_area,
        _helpers,
        _iku_kategori,
        _mean_kategori,
        _mean_shown,
        _vl,
        capaian_columns,
        helper_columns,
    )

    if not hasil.per_penanggung_jawab:
        return None
    p = hasil.spec.pengaturan
    by = hasil.iku_by_kode()
    ikus = {iku.kode: iku for iku in hasil.spec.semua_iku()}
    cols = [Column("No", TEKS, 5), Column("Penanggung Jawab / IKU", TEKS, 48),
            Column("Target", ANGKA, 11), Column("Realisasi", ANGKA, 11), *capaian_columns(p),
            Column("Kategori", TEKS, 13), Column("Pagu (Rp)", RUPIAH, 16),
            Column("Realisasi Anggaran (Rp)", RUPIAH, 16), Column("Serapan (%)", PERSEN, 10)]
    cols += helper_columns()
    rows: list[list[Any]] = []
    styles: list[str] = []
    groups: list[tuple[int, int, int]] = []
    for gi, g in enumerate(hasil.per_penanggung_jawab, 1):
        reported = any(by[k].diukur and by[k].dilaporkan for k in g.iku)
        at = len(rows)
        mean = _mean_shown(g.capaian_pk, reported) if g.iku else None
        rows.append([str(gi), g.nama, None, None, mean,
                     _mean_shown(g.capaian_revisi, reported) if g.iku else None,
                     _mean_kategori(g.capaian, reported, p) if g.iku else None,
                     g.pagu, g.realisasi_anggaran, bulatkan(g.serapan, p)] + [None] * 7)
        styles.append(GRUP)
        for ii, kode in enumerate(g.iku, 1):
            h, iku = by[kode], ikus[kode]
            rows.append([f"{gi}.{ii}", f"{h.kode} {h.nama}", _vl(iku, h.target, p),
                         _vl(iku, h.realisasi, p) if h.diukur else "tidak diukur", h.capaian_pk,
                         h.capaian_revisi, _iku_kategori(h), None, None, None,
                         *_helpers(hasil, h)])
            styles.append(NORMAL)
        groups.append((at, at + 1, len(rows) - 1))
    table = Table("Capaian dan anggaran per penanggung jawab", cols, rows, row_styles=styles,
                  text_colours={S_KAT: _band_colours(hasil)},
                  subtitle="Rata-rata capaian IKU setiap seksi/bidang/tim (aturan rata-rata "
                           "sasaran) di samping pagu dan realisasi baris anggarannya.")
    content = SheetContent(SHEET_SEKSI, judul, [table],
                           hidden_columns=tuple(range(H_C, H_L + 1)))
    pl = place(content)[0]
    lines = live.layout.line_rows

    def live_cell(r: int, c: int, text: str) -> None:
        rows[r][c] = Formula(text, _blank(rows[r][c]))

    for (at, r0, r1), g in zip(groups, hasil.per_penanggung_jawab, strict=True):
        for r in range(r0, r1 + 1):
            _iku_row(live, ikus[g.iku[r - r0]], r, pl, live_cell, _a1)
        if r1 >= r0:
            reported = _col_area(pl, H_L, r0, r1)
            for c, v, w in ((S_CAP, H_V, H_W), (S_CAP_REV, H_VR, H_WR)):
                live_cell(at, c, live.mean(_col_area(pl, v, r0, r1), _col_area(pl, w, r0, r1),
                                           reported))
            utama = S_CAP_REV if p.utama_revisi else S_CAP  # formulas.kolom_utama
            live_cell(at, S_KAT, live.mean_kategori(_a1(pl, at, utama), reported))
        members = [lines[k] for k in g.baris if k in lines]
        live_cell(at, S_PAGU, live.sasaran_pagu(members))
        live_cell(at, S_REAL_A, live.sasaran_realisasi(members))
        live_cell(at, S_SERAPAN, live.serapan_of(_a1(pl, at, S_REAL_A), _a1(pl, at, S_PAGU)))
    return content


def _iku_row(live: Live, iku: Iku, r: int, pl, live_cell, a1) -> None:
    live_cell(r, S_TARGET, live.target(iku))
    live_cell(r, S_REAL, live.realisasi_sd(iku))
    live_cell(r, S_CAP, live.capaian(iku, "capaian"))
    live_cell(r, S_CAP_REV, live.capaian(iku, "capaian_revisi"))
    live_cell(r, S_KAT, live.kategori(iku))
    from .build import helper_cells

    helper_cells(live, iku, r, H_C, pl, live_cell)
