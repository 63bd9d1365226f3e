"""Unit-level parts of the LKj: the capaian and budget per penanggung jawab (the reports'
per-seksi table) and the closing chapter's narrative (permasalahan, upaya, saran).
Values come from the engine (``Hasil.per_penanggung_jawab``) and the spec (``penutup``)."""

from __future__ import annotations

from ..engine import Hasil, bulatkan
from .content import (
    GRUP,
    TENGAH,
    Block,
    Cell,
    Heading,
    LkjTable,
    Paragraf,
    _head,
    _judul,
    _num,
    _realisasi,
)
from .numbers import angka, pct, rupiah

JUDUL_PENUTUP = {"permasalahan": "Permasalahan", "upaya": "Upaya yang Dilakukan",
                 "saran": "Saran"}


def per_penanggung_jawab(hasil: Hasil) -> LkjTable | None:
    """Capaian and budget per seksi / bidang / tim, its IKUs below it; None without any."""
    if not hasil.per_penanggung_jawab:
        return None
    p = hasil.spec.pengaturan
    by = hasil.iku_by_kode()
    rows: list[list[Cell]] = []
    kinds: list[str] = []
    for gi, g in enumerate(hasil.per_penanggung_jawab, 1):
        rows.append([Cell(str(gi), TENGAH), Cell(g.nama), Cell(""), Cell(""),
                     _num(pct(g.capaian, p)), Cell(g.kategori or ""), _num(rupiah(g.pagu)),
                     _num(rupiah(g.realisasi_anggaran)),
                     _num(pct(bulatkan(g.serapan, p), p))])
        kinds.append(GRUP)
        for ii, kode in enumerate(g.iku, 1):
            h = by[kode]
            rows.append([Cell(f"{gi}.{ii}", TENGAH), Cell(h.nama),
                         _num(angka(h.target, p, h.satuan)), _num(_realisasi(h, p)),
                         _num(pct(h.capaian, p)), Cell(h.kategori or ""), Cell(""), Cell(""),
                         Cell("")])
            kinds.append("normal")
    return LkjTable(_judul(hasil, "Capaian Kinerja dan Anggaran per Penanggung Jawab"),
                    [_head("No", "Penanggung Jawab / Indikator Kinerja", "Target", "Realisasi",
                           "Capaian (%)", "Kategori", "Pagu (Rp)", "Realisasi (Rp)",
                           "Serapan (%)")],
                    [0.8, 5.4, 1.7, 1.9, 1.7, 1.8, 2.6, 2.6, 1.6], rows, kinds,
                    landscape=True, key="penanggung_jawab",
                    note="Capaian seksi/bidang/tim: rata-rata capaian IKU-nya dengan aturan "
                         "rata-rata sasaran; anggaran: baris anggaran yang menyebut "
                         "penanggung jawab itu.")


def penutup(hasil: Hasil) -> list[Block]:
    """BAB Penutup: the unit's permasalahan, upaya and saran, where the spec or workbook
    gives them (nothing when none is given)."""
    given = [(f, getattr(hasil.spec.penutup, f)) for f in JUDUL_PENUTUP]
    given = [(f, text) for f, text in given if text]
    if not given:
        return []
    blocks: list[Block] = [Heading("Penutup", new_page=True)]
    for f, text in given:
        blocks.append(Paragraf(JUDUL_PENUTUP[f], bold=True))
        blocks += [Paragraf(line.strip()) for line in text.splitlines() if line.strip()]
    return blocks
