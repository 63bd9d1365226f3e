"""Nothing typed is misread: every misread of issue 10 gives the right number or an error
naming the spec path, never a different number silently. Figures worked out by hand."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbook_gen.cli import main
from workbook_gen.engine import hitung
from workbook_gen.findings import SpecError
from workbook_gen.parsing import format_number
from workbook_gen.spec import spec_from_data, spec_from_text

from .conftest import base_spec, iku

HEAD = """\
versi_spec: 1
unit:
  nama: BP3MI Uji
  kode_satker: {kode_satker}
tahun: 2026
periode: {periode}
sasaran:
  - kode: S1
    nama: Sasaran uji
    iku:
      - kode: IKU-1
        nama: IKU uji
        satuan: {satuan}
        target: {target}
        realisasi_tw: {realisasi}
"""


def yaml_spec(kode_satker="426482", periode="TW IV", satuan="Orang", target="100",
              realisasi="[10, 20, 30, 40]", tail="") -> str:
    return HEAD.format(kode_satker=kode_satker, periode=periode, satuan=satuan, target=target,
                       realisasi=realisasi) + tail


def errors(text: str) -> list[tuple[str, str, str]]:
    with pytest.raises(SpecError) as exc:
        spec_from_text(text, "uji.yaml")
    return [(f.jenis, f.lokasi, f.pesan) for f in exc.value.report.errors]


def found(hasil, jenis: str) -> list:
    return [f for f in hasil.temuan if f.jenis == jenis]


IKU1 = "uji.yaml: sasaran[S1].iku[IKU-1]"

# ------------------------------------------------------------------ YAML typing


def test_unquoted_indonesian_thousands_is_six_thousand():
    spec = spec_from_text(yaml_spec(target="6.000", realisasi="[1.500, 1.500, 1.500, 1.555]"),
                          "uji.yaml")
    h = hitung(spec).iku[0]
    assert h.target == 6000
    assert h.realisasi == 6055  # 1500 * 3 + 1555
    assert h.capaian == 100.92  # 6055 / 6000 = 100,9166..


def test_codes_keep_their_leading_zeros():
    text = yaml_spec(kode_satker="012345").replace("kode: S1", "kode: 01") + """\
anggaran:
  kegiatan:
    - kode: 0042
      nama: Kegiatan
      komponen:
        - kode: 01
          nama: Baris
          sasaran: 01
          pagu_awal: 1.000.000
"""
    spec = spec_from_text(text, "uji.yaml")
    assert spec.unit.kode_satker == "012345"  # not the octal 5349
    assert spec.sasaran[0].kode == "01"
    line = spec.anggaran[0]
    assert (line.kegiatan_kode, line.kode, line.sasaran) == ("0042", "01", "01")
    assert line.pagu_awal == 1_000_000


def test_yes_no_words_stay_text_where_text_is_expected():
    text = yaml_spec(satuan="Orang").replace("nama: IKU uji", "nama: yes").replace(
        "nama: BP3MI Uji", "nama: NO")
    spec = spec_from_text(text, "uji.yaml")
    assert spec.unit.nama == "NO"
    assert spec.sasaran[0].iku[0].nama == "yes"


def test_numbers_and_booleans_where_only_they_fit():
    text = yaml_spec() + """\
pengaturan:
  desimal: 1
  batas_capaian: 150,5
  kategori:
    - nama: Tinggi
      minimal: 99,5
      lebih_dari: ya
      warna: "#5B9BD5"
    - {nama: Rendah, minimal: null, warna: "#FF6B6B"}
"""
    spec = spec_from_text(text, "uji.yaml")
    p = spec.pengaturan
    assert (p.desimal, p.batas_capaian) == (1, 150.5)
    assert p.kategori[0].minimal == 99.5 and p.kategori[0].lebih_dari is True
    assert p.kategori[1].minimal is None
    flow = text.replace("- nama: Tinggi\n      minimal: 99,5\n      lebih_dari: ya\n"
                        "      warna: \"#5B9BD5\"",
                        "- {nama: Tinggi, minimal: 99,5, lebih_dari: ya, warna: \"#5B9BD5\"}")
    assert flow != text
    got = errors(flow)
    assert [(j, loc) for j, loc, _ in got] == [
        ("desimal_terpisah", "uji.yaml: pengaturan.kategori[0]")]
    quoted = flow.replace("minimal: 99,5", 'minimal: "99,5"')  # as docs/spec.md shows
    assert spec_from_text(quoted, "uji.yaml").pengaturan.kategori[0].minimal == 99.5


def test_quoted_null_is_text_and_unquoted_null_is_empty():
    spec = spec_from_text(yaml_spec(realisasi="[10, null, ~, Null]"), "uji.yaml")
    assert spec.sasaran[0].iku[0].realisasi_tw == [10.0, None, None, None]
    got = errors(yaml_spec(realisasi='[10, "null", 1, 1]'))
    assert [(j, loc) for j, loc, _ in got] == [
        ("bukan_angka", f"{IKU1}.realisasi_tw[1]")]


def test_split_decimals_in_a_flow_list_is_an_error_saying_to_quote():
    got = errors(yaml_spec(satuan='"%"', target="80", realisasi="[66,25%, 18,75%]"))
    assert len(got) == 1
    jenis, lokasi, pesan = got[0]
    assert jenis == "desimal_terpisah"
    assert lokasi == f"{IKU1}.realisasi_tw"
    assert "'66,25%'" in pesan and "baris 15" in pesan
    # quoted, or one per line, they are read as decimals
    quoted = spec_from_text(yaml_spec(satuan='"%"', target="80",
                                      realisasi='["66,25%", "18,75%", null, null]'), "u.yaml")
    assert quoted.sasaran[0].iku[0].realisasi_tw[:2] == [66.25, 18.75]
    spaced = spec_from_text(yaml_spec(realisasi="[66, 25, 18, 75]"), "u.yaml")
    assert spaced.sasaran[0].iku[0].realisasi_tw == [66, 25, 18, 75]


def test_three_decimals_after_a_comma_is_ambiguous():
    text = yaml_spec() + """\
anggaran:
  total:
    pagu_awal: Rp. 3.161.617,000
  kegiatan:
    - kode: K1
      nama: Kegiatan
      komponen:
        - {kode: "01", nama: Baris, sasaran: S1, pagu_awal: 3161617000}
"""
    [(jenis, lokasi, pesan)] = errors(text)
    assert (jenis, lokasi) == ("bukan_angka", "uji.yaml: anggaran.total.pagu_awal")
    assert "3161617 (',000' sebagai desimal)" in pesan
    assert "3161617000" in pesan


@pytest.mark.parametrize("typed", ["1234567890123456", "1.000.000.000.000.000",
                                   "1" + "0" * 400, "1,0000000000000001"])
def test_numbers_excel_cannot_hold_name_the_spec_path(typed):
    [(jenis, lokasi, _)] = errors(yaml_spec(target=typed))
    assert (jenis, lokasi) == ("bukan_angka", f"{IKU1}.target")


def test_fifteen_digits_are_kept():
    spec = spec_from_text(yaml_spec(target="999.999.999.999.999"), "uji.yaml")
    assert spec.sasaran[0].iku[0].target == 999_999_999_999_999


def test_exponent_text_is_refused_not_guessed():
    [(jenis, lokasi, _)] = errors(yaml_spec(target="1e-300"))
    assert (jenis, lokasi) == ("bukan_angka", f"{IKU1}.target")


@pytest.mark.parametrize("value", [1e308, 10**400, float("inf")])
def test_huge_numbers_from_data_are_findings(value):
    data = base_spec(sasaran=[{"kode": "S1", "nama": "S", "iku": [iku("A", target=value)]}])
    with pytest.raises(SpecError) as exc:
        spec_from_data(data, "uji.yaml")
    [f] = exc.value.report.errors
    assert f.lokasi == "uji.yaml: sasaran[S1].iku[A].target"


def test_tiny_target_is_an_implausible_capaian_not_a_traceback():
    data = base_spec(sasaran=[{"kode": "S1", "nama": "S", "iku": [
        iku("A", target=1e-300), iku("B")]}])
    hasil = hitung(spec_from_data(data, "uji.yaml"))
    a = hasil.iku[0]
    assert a.capaian == pytest.approx(1e304)  # 100 / 1e-300 x 100, shown as it is
    [f] = found(hasil, "capaian_tidak_wajar")
    assert f.lokasi == "uji.yaml: sasaran[S1].iku[A].realisasi_tw[3]"
    assert "lebih dari 10^15" in f.pesan


# ------------------------------------------------------------------ limits


def test_alias_bomb_is_refused_quickly():
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    start = time.perf_counter()
    [(jenis, lokasi, pesan)] = errors("\n".join(lines))
    assert time.perf_counter() - start < 5
    assert jenis == "yaml_ditolak" and "alias" in pesan
    assert lokasi.startswith("uji.yaml: baris ")


@pytest.mark.parametrize("text", ["a: " + "[" * 2000 + "]" * 2000,
                                  "a:\n" + "".join(" " * i + "- \n" for i in range(0, 4000, 2)),
                                  "a: " + "{b: " * 2000 + "1" + "}" * 2000])
def test_deep_nesting_is_refused(text):
    [(jenis, _, pesan)] = errors(text)
    assert jenis == "yaml_ditolak" and "50 tingkat" in pesan


def test_self_referencing_alias_is_refused():
    [(jenis, lokasi, _)] = errors("a: &a [1, *a]")
    assert (jenis, lokasi) == ("yaml_ditolak", "uji.yaml: baris 1, kolom 4")


# ------------------------------------------------------------------ plausibility


def test_declared_total_thousand_times_too_small_is_an_error():
    # "Rp. 7.469.884,-" (the report's typo) against lines of Rp 7.469.884.000
    text = yaml_spec() + """\
anggaran:
  total:
    pagu_awal: "Rp. 7.469.884,-"
  kegiatan:
    - kode: K1
      nama: Kegiatan
      komponen:
        - {kode: "01", nama: Baris, sasaran: S1, pagu_awal: 7.469.884.000,
           realisasi_tw: [1.000.000.000, 2.000.000.000, 2.000.000.000, 1.627.817.000]}
"""
    hasil = hitung(spec_from_text(text, "uji.yaml"))
    [f] = found(hasil, "total_seribu_kali")
    assert f.tingkat == "error" and f.lokasi == "uji.yaml: anggaran.total.pagu_awal"
    assert "(Rp 7.469.884)" in f.pesan and "Rp 7.469.884.000" in f.pesan
    [s] = found(hasil, "serapan_di_atas_100")
    # 6.627.817.000 / 7.469.884 x 100 = 88.727,17 %
    assert "88.727,17" in s.pesan and s.lokasi == "uji.yaml: anggaran.total.pagu_awal"
    assert not found(hasil, "total_tidak_sama")


def test_score_without_its_decimal_comma_is_an_error():
    # NKA 86,06 typed as 8606 against a target of 88
    text = yaml_spec(satuan="NKA", target="88", realisasi="[null, null, null, 8606]")
    hasil = hitung(spec_from_text(text, "uji.yaml"))
    [f] = found(hasil, "di_atas_skala")
    assert f.tingkat == "error" and f.lokasi == f"{IKU1}.realisasi_tw[3]"
    assert "(8606 untuk 86,06)" in f.saran
    assert not found(hasil, "capaian_tidak_wajar")  # one finding for one slip


def test_capaian_far_above_plausible_is_an_error_with_its_setting():
    text = yaml_spec(target="88", realisasi="[null, null, null, 8606]")  # Orang
    hasil = hitung(spec_from_text(text, "uji.yaml"))
    [f] = found(hasil, "capaian_tidak_wajar")
    assert f.tingkat == "error" and f.lokasi == f"{IKU1}.realisasi_tw[3]"
    assert "9.779,55 %" in f.pesan  # 8606 / 88
    assert "koma desimal" in f.saran
    assert hasil.iku[0].capaian == 9779.55  # the number itself is not changed
    relaxed = hitung(spec_from_text(text + "pengaturan:\n  batas_capaian_wajar: 10000\n",
                                    "uji.yaml"))
    assert not found(relaxed, "capaian_tidak_wajar")
    at_limit = hitung(spec_from_text(yaml_spec(target="10", realisasi="[30, null, null, null]"),
                                     "uji.yaml"))
    assert at_limit.iku[0].capaian == 300.0 and not found(at_limit, "capaian_tidak_wajar")


def test_percentage_iku_defaults_to_the_last_quarter():
    text = yaml_spec(satuan='"%"', target="100", realisasi="[100, 100, 100, 100]")
    h = hitung(spec_from_text(text, "uji.yaml"))
    assert h.iku[0].realisasi == 100 and h.iku[0].capaian == 100
    assert spec_from_text(text, "u").sasaran[0].iku[0].agregasi == "akhir"


def test_percentage_summed_over_quarters_is_flagged():
    text = yaml_spec(satuan='"%"', target="100", realisasi="[100, 100, 100, 100]").replace(
        "        target:", "        agregasi: kumulatif\n        target:")
    hasil = hitung(spec_from_text(text, "uji.yaml"))
    assert hasil.iku[0].realisasi == 400
    [w] = found(hasil, "persen_dijumlah")
    assert w.lokasi == IKU1 and "400 %" in w.pesan
    [e] = found(hasil, "capaian_tidak_wajar")  # 400 % > 300 %
    assert e.tingkat == "error"


def test_percent_sign_in_a_count_iku_is_an_error():
    got = errors(yaml_spec(realisasi='["36%", 10, 10, 10]'))
    assert [(j, loc) for j, loc, _ in got] == [
        ("satuan_tidak_sesuai", f"{IKU1}.realisasi_tw[0]")]
    got = errors(yaml_spec(satuan='"%"', realisasi='["36 orang", 10, 10, 10]'))
    assert [(j, loc) for j, loc, _ in got] == [
        ("satuan_tidak_sesuai", f"{IKU1}.realisasi_tw[0]")]


# ------------------------------------------------------------------ frictions


@pytest.mark.parametrize("typed,periode", [("Tahunan", "tahunan"), ("TAHUNAN", "tahunan"),
                                           ("tw ii", "TW II"), ("Triwulan 3", "TW III"),
                                           ("TW-IV", "TW IV")])
def test_periode_as_the_workbook_writes_it(typed, periode):
    assert spec_from_text(yaml_spec(periode=typed), "uji.yaml").periode == periode


def test_nrp_instead_of_nip():
    text = yaml_spec().replace("  kode_satker:", "  nrp: 68050123\n  kode_satker:")
    spec = spec_from_text(text, "uji.yaml")
    assert spec.unit.nrp == "68050123" and spec.unit.nip is None
    assert not spec.temuan_masukan
    # the workbook has one NIP/NRP cell: 8 digits there is an NRP (a NIP always has 18)
    text = yaml_spec().replace("  kode_satker:", "  nip: 68050123\n  kode_satker:")
    spec = spec_from_text(text, "uji.yaml")
    assert (spec.unit.nip, spec.unit.nrp, spec.temuan_masukan) == (None, "68050123", [])
    text = yaml_spec().replace("  kode_satker:", "  nip: 1980010120050110\n  kode_satker:")
    [w] = spec_from_text(text, "uji.yaml").temuan_masukan
    assert w.lokasi == "uji.yaml: unit.nip" and "nrp:" in w.saran and "18 angka" in w.pesan


def test_nip_of_eighteen_digits_is_kept_exactly():
    text = yaml_spec().replace("  kode_satker:", "  nip: 198001012005011001\n  kode_satker:")
    spec = spec_from_text(text, "uji.yaml")
    assert spec.unit.nip == "198001012005011001" and not spec.temuan_masukan


# ------------------------------------------------------------------ exit code


def test_hitung_exits_1_on_error_findings(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml_spec(target="88", realisasi="[null, null, null, 8606]"), "utf-8")
    good = tmp_path / "good.yaml"
    good.write_text(yaml_spec(), "utf-8")
    assert main(["hitung", str(bad)]) == 1
    assert "capaian_tidak_wajar" in main_json(capsys, bad)
    assert main(["hitung", str(good)]) == 0


def main_json(capsys, path) -> str:
    capsys.readouterr()
    main(["hitung", str(path), "--json"])
    return capsys.readouterr().out


# ------------------------------------------------------------------ property


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=10**15 - 1), st.integers(min_value=0, max_value=99))
def test_indonesian_numbers_typed_unquoted_read_exactly(whole, cents):
    value = whole + cents / 100
    typed = format_number(value, 2) if whole < 10**13 else format_number(whole, 0)
    expected = value if whole < 10**13 else whole
    spec = spec_from_text(yaml_spec(target=typed, realisasi=f'["{typed}", 1, 2, 3]'), "u.yaml")
    i = spec.sasaran[0].iku[0]
    assert i.target == pytest.approx(expected, rel=1e-15)
    assert i.realisasi_tw[0] == i.target


def test_nrp_survives_the_workbook(tmp_path, capsys):
    import json

    from workbook_gen.generate import generate

    text = yaml_spec().replace("  kode_satker:", "  nrp: 68050123\n  kode_satker:")
    book = generate(spec_from_text(text, "uji.yaml"), tmp_path / "nrp.xlsx")
    capsys.readouterr()
    assert main(["hitung", str(book), "--json"]) == 0
    unit = json.loads(capsys.readouterr().out)["unit"]
    assert (unit["nip"], unit["nrp"]) == (None, "68050123")


EXTREME = st.one_of(
    st.none(), st.floats(allow_nan=False), st.sampled_from([1e308, -1e308, 1e-300, 5e-324,
                                                            0.0, 1e15, 10**400, "1e-300"]),
    st.integers(min_value=-(10**30), max_value=10**30))


@settings(max_examples=50, deadline=None)
@given(st.lists(EXTREME, min_size=8, max_size=8), st.sampled_from(["Orang", "%", "Nilai"]),
       st.sampled_from(["maksimal", "minimal"]))
def test_extreme_numbers_never_raise_in_the_engine(values, satuan, polaritas):
    target, revisi, pagu, *real = values
    data = base_spec(sasaran=[{"kode": "S1", "nama": "S", "iku": [
        iku("A", satuan=satuan, polaritas=polaritas, target=target, target_revisi=revisi,
            realisasi_tw=real[:4])]}])
    data["anggaran"]["kegiatan"][0]["komponen"][0].update(pagu_awal="-" if pagu is None else pagu,
                                                          realisasi_tw=real[1:])
    spec = spec_from_data(data, "uji.yaml", nilai_ketat=False)  # findings, not exceptions
    hasil = hitung(spec)
    for f in hasil.temuan:
        assert f.lokasi.startswith("uji.yaml")
