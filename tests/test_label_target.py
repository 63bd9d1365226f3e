"""Target labels in the summaries (issue 10 point 8): a target typed "Baik (88)" on a
banded scale was shown as a bare 88; it is shown "88 (Baik)" wherever a target is shown
(Ringkasan, Pengukuran, Capaian Anggaran, per penanggung jawab, the LKj tables), while
the Perbandingan Tahunan chart keeps its numbers and the JSON its number."""

from __future__ import annotations

from workbook_gen.engine import hitung
from workbook_gen.layout import (
    SHEET_CAPAIAN_ANGGARAN,
    SHEET_PENGUKURAN,
    SHEET_RINGKASAN,
    SHEET_SEKSI,
    SHEET_TAHUNAN,
)
from workbook_gen.output import hasil_to_dict
from workbook_gen.summary import build_summary
from workbook_gen.tables import Formula, value_of

from .conftest import run

NKA = {"nka": [{"label": "Sangat Kurang"}, {"label": "Kurang", "minimal": 50},
               {"label": "Cukup", "minimal": 60}, {"label": "Baik", "minimal": 80},
               {"label": "Sangat Baik", "minimal": 90}]}


def nka(**over):
    d = {"kode": "NKA", "nama": "Nilai Kinerja Anggaran", "satuan": "Predikat",
         "jenis": "kategori", "skala": "nka", "agregasi": "akhir", "target": "Baik (88)",
         "target_revisi": "82,5", "target_tw": [None, "Cukup (79,9949)", None, 88],
         "realisasi_tw": [None, "86,06", None, None], "penanggung_jawab": "Subbag TU",
         "riwayat": [{"tahun": 2025, "target": 85, "realisasi": "91,3"}]}
    d.update(over)
    return d


def row_of(content, start):
    for block in content.blocks:
        for row in getattr(block, "rows", []):
            if any(isinstance(v, str) and v.startswith(start) for v in map(value_of, row)):
                return [value_of(v) for v in row]
    raise AssertionError(start)


def sheets(hasil):
    return {c.name: c for c in build_summary(hasil)}


def test_targets_and_realisasi_are_shown_with_their_labels():
    hasil = run([nka()], skala=NKA, periode="TW II")
    s = sheets(hasil)
    ring = row_of(s[SHEET_RINGKASAN], "NKA ")
    # target 88 (Baik); revisi 82,5 (Baik: 80 <= 82,5 < 90); TW II 86,06 (Baik)
    assert ring[3:5] == ["88 (Baik)", "82,5 (Baik)"]
    assert ring[6] == "86,06 (Baik)" and ring[9] == "86,06 (Baik)"
    peng = row_of(s[SHEET_PENGUKURAN], "NKA ")
    # TW II target 79,9949 rounds to 79,99 and its band is Cukup (below 80)
    assert peng[4:8] == ["", "", "79,99 (Cukup)", "86,06 (Baik)"]
    assert row_of(s[SHEET_CAPAIAN_ANGGARAN], "NKA ")[6:8] == ["88 (Baik)", "86,06 (Baik)"]
    assert row_of(s[SHEET_SEKSI], "NKA ")[2:4] == ["88 (Baik)", "86,06 (Baik)"]


def test_the_numbers_stay_numbers_where_they_are_computed_with():
    hasil = run([nka()], skala=NKA, periode="TW II")
    tahunan = sheets(hasil)[SHEET_TAHUNAN].blocks[0]
    assert [value_of(v) for v in tahunan.rows[-1][:3]] == ["2026", 88.0, 86.06]  # chart data
    assert hasil.iku[0].capaian == 100.00  # Baik / Baik
    assert hasil_to_dict(hasil)["iku"][0]["target"] == 88


def test_live_formula_states_the_label_rule():
    hasil = run([nka()], skala=NKA, periode="TW II")
    cell = row_of(sheets(hasil)[SHEET_RINGKASAN], "NKA ")
    raw = next(v for v in build_summary(hasil)[0].blocks[0].rows[1] if isinstance(v, Formula))
    assert 'SUBSTITUTE(ROUND(' in raw.text and '" ("&' in raw.text
    assert cell[3] == raw.value


def test_without_bands_nothing_changes():
    zi = {"zi": [{"label": "Belum WBK"}, {"label": "WBK"}, {"label": "WBBM"}]}
    d = {"kode": "ZI", "nama": "Nilai ZI", "satuan": "Nilai", "skala": "zi",
         "agregasi": "akhir", "target": "85 (WBBM)", "realisasi_tw": [None, "76,11", None, None]}
    ring = row_of(sheets(run([d], skala=zi, periode="TW II"))[SHEET_RINGKASAN], "ZI ")
    assert ring[3] == 85 and ring[9] == 76.11


def test_lkj_tables_show_the_label(tmp_path):
    from docx import Document

    from workbook_gen.lkj import tulis_lkj

    path = tulis_lkj(hitung(run([nka()], skala=NKA, periode="TW II").spec),
                     tmp_path / "lkj.docx")
    texts = {c.text for t in Document(str(path)).tables for r in t.rows for c in r.cells}
    assert {"88 (Baik)", "82,50 (Baik)", "79,99 (Cukup)", "86,06 (Baik)"} <= texts
