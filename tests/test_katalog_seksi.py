"""The katalog carries the issue-10 point 7-9 fields: an IKU's capaian_skor and a budget
line's penanggung_jawab reach each unit's workbook as in a one-unit spec."""

from __future__ import annotations

from workbook_gen.engine import hitung
from workbook_gen.katalog.buat import buat_dari_katalog

from .test_katalog import read_back, three_units, write_katalog


def test_capaian_skor_and_line_penanggung_jawab_through_the_katalog(tmp_path):
    units = three_units()
    for unit in units:
        for s in unit["sasaran"]:
            for d in s["iku"]:
                if d["kode"] == "IKU-7":
                    d["capaian_skor"] = "kategori"
        for k in unit["anggaran"]["kegiatan"]:
            k["komponen"][0]["penanggung_jawab"] = "Seksi Pelindungan"
    hasil = buat_dari_katalog(write_katalog(tmp_path, units), tmp_path / "out", proses=1,
                              progress=False)
    assert hasil.report.errors == []
    spec = read_back(hasil.berkas[0])
    (nka,) = [i for i in spec.semua_iku() if i.kode == "IKU-7"]
    assert nka.capaian_skor == "kategori"
    assert [b.penanggung_jawab for b in spec.anggaran][:1] == ["Seksi Pelindungan"]
    groups = {g.nama: g for g in hitung(spec).per_penanggung_jawab}
    # the first komponen of each kegiatan was given the section
    firsts = [f"{k['kode']}/{k['komponen'][0]['kode']}"
              for k in units[0]["anggaran"]["kegiatan"]]
    assert groups["Seksi Pelindungan"].baris == firsts
