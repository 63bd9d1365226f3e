"""Bad specs: every problem in one report, with its place and what to write instead."""

from __future__ import annotations

import pytest

from workbook_gen.findings import SpecError
from workbook_gen.spec import spec_from_text

BAD = """\
versi_spec: 1
unit:
  nama: BP3MI Uji
tahun: 2026
periode: TW I
sasaran:
  - kode: S1
    nama: Sasaran satu
    iku:
      - kode: I1
        nama: IKU satu
        satuan: Orang
        polaritas: naik
        target: banyak
      - kode: I1
        nama: IKU kembar
        satuan: Orang
        target: 10
      - kode: I3
        satuan: Orang
        target: 5
anggaran:
  kegiatan:
    - kode: K1
      nama: Kegiatan
      komponen:
        - kode: "01"
          nama: Baris
          sasaran: S9
          pagu_awal: 1000
"""


def problems(text: str) -> list[tuple[str, str]]:
    with pytest.raises(SpecError) as exc:
        spec_from_text(text, "bad.yaml")
    return [(f.lokasi, f.pesan) for f in exc.value.report]


def test_every_problem_in_one_report():
    got = problems(BAD)
    assert got == [
        ("bad.yaml: sasaran[S1].iku[0].polaritas", "nilai 'naik' tidak dikenal."),
        ("bad.yaml: sasaran[S1].iku[I3]", "kolom 'nama' wajib diisi."),
        ("bad.yaml: unit", "kolom 'kode_satker' wajib diisi."),
        ("bad.yaml: sasaran[S1].iku[1].kode",
         "Kode IKU 'I1' sudah dipakai di sasaran[S1].iku[0]."),
        ("bad.yaml: anggaran.kegiatan[K1].komponen[01].sasaran",
         "Baris anggaran 'Baris' menunjuk sasaran 'S9' yang tidak ada."),
        ("bad.yaml: sasaran[S1].iku[0].target", "Target IKU I1: 'banyak' bukan angka."),
    ]


def test_a_place_with_a_structure_problem_is_not_reported_twice():
    text = BAD.replace("target: banyak", "target: [1, 2]")
    got = problems(text)
    assert [p for p, _ in got].count("bad.yaml: sasaran[S1].iku[0].target") == 1


def test_meaning_problems_when_the_structure_is_right():
    text = (BAD.replace("polaritas: naik", "polaritas: maksimal")
            .replace("  nama: BP3MI Uji", "  nama: BP3MI Uji\n  kode_satker: '1'")
            .replace("      - kode: I3\n", "      - kode: I3\n        nama: IKU tiga\n"))
    got = problems(text)
    # codes and references first, then values that cannot be read
    assert got == [
        ("bad.yaml: sasaran[S1].iku[1].kode",
         "Kode IKU 'I1' sudah dipakai di sasaran[S1].iku[0]."),
        ("bad.yaml: anggaran.kegiatan[K1].komponen[01].sasaran",
         "Baris anggaran 'Baris' menunjuk sasaran 'S9' yang tidak ada."),
        ("bad.yaml: sasaran[S1].iku[0].target",
         "Target IKU I1: 'banyak' bukan angka."),
    ]


def test_suggestions_say_what_to_write():
    with pytest.raises(SpecError) as exc:
        spec_from_text(BAD, "bad.yaml")
    by_place = {f.lokasi: f.saran for f in exc.value.report}
    assert by_place["bad.yaml: sasaran[S1].iku[0].polaritas"] == \
        "Pilih salah satu: maksimal, minimal."


def test_yaml_syntax_error_names_the_line():
    got = problems("versi_spec: 1\nunit: [\n")
    assert len(got) == 1
    assert got[0][0].startswith("bad.yaml: baris ")


def test_duplicate_key_is_refused():
    got = problems("versi_spec: 1\ntahun: 2026\ntahun: 2027\n")
    assert "kunci 'tahun' ditulis dua kali" in got[0][1]


def test_not_a_mapping():
    assert problems("- a\n- b\n")[0][1].startswith("Berkas ini bukan spec")


def test_unknown_field_suggests_the_known_ones():
    with pytest.raises(SpecError) as exc:
        spec_from_text(BAD.replace("tahun: 2026", "tahun: 2026\ntahunn: 2026"), "bad.yaml")
    f = next(f for f in exc.value.report if f.lokasi == "bad.yaml: (akar)")
    assert f.pesan == "kolom tidak dikenal: tahunn."
    assert "tahun" in f.saran
