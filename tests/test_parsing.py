"""Numbers and labels as people type them in Indonesian reports."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbook_gen.parsing import Parsed, ParseError, format_number, parse_value


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("1.470", Parsed(1470.0)),
        ("42.010 orang", Parsed(42010.0, satuan="orang")),
        ("12,5%", Parsed(12.5, persen=True)),
        ("178,37 %", Parsed(178.37, persen=True)),
        ("Rp 9.355.124.000,-", Parsed(9355124000.0)),
        ("Rp. 9.355.124.000,00", Parsed(9355124000.0)),
        ("866,807,000", Parsed(866807000.0)),
        ("25.61%", Parsed(25.61, persen=True)),
        ("-", Parsed(None)),
        ("", Parsed(None)),
        ("   ", Parsed(None)),
        ("Baik (88)", Parsed(88.0, label="Baik")),
        ("76,11 (WBK)", Parsed(76.11, label="WBK")),
        ("85 (WBBM)", Parsed(85.0, label="WBBM")),
        ("Sangat  Baik", Parsed(None, label="Sangat Baik")),
        ("-4,48%", Parsed(-4.48, persen=True)),
        ("0,125", Parsed(0.125)),
        ("1.234,5", Parsed(1234.5)),
        ("1,234.5", Parsed(1234.5)),
        ("6.419 orang", Parsed(6419.0, satuan="orang")),
        (3453, Parsed(3453.0)),
        (12.5, Parsed(12.5)),
        (None, Parsed(None)),
    ],
)
def test_what_people_type(text, want):
    assert parse_value(text) == want


@pytest.mark.parametrize(
    ("text", "in_message", "in_suggestion"),
    [
        ("1,470", "bisa berarti 1470", "1,47"),  # English thousands or Indonesian decimal
        ("12.34,5", "tidak dikelompokkan per tiga", "9.355.124.000"),
        ("97,12 (102,23 %)", "dua angka", "97,12"),
        ("abc12", "mencampur huruf dan angka", "42010"),
        ("12 apel!", "teks tambahan", "42010"),
        ("1,2,3.4.5", "lebih dari sekali", "1470"),
    ],
)
def test_ambiguous_or_unreadable_is_an_error_with_a_suggestion(text, in_message, in_suggestion):
    with pytest.raises(ParseError) as exc:
        parse_value(text)
    assert in_message in exc.value.message
    assert in_suggestion in exc.value.saran


def test_booleans_are_refused():
    with pytest.raises(ParseError):
        parse_value(True)


def _indonesian(value: int, cents: int | None) -> str:
    whole = f"{value:,}".replace(",", ".")
    return whole if cents is None else f"{whole},{cents:02d}"


def _english(value: int, cents: int | None) -> str:
    whole = f"{value:,}"
    return whole if cents is None else f"{whole}.{cents:02d}"


# up to 13 whole digits and 2 decimals: the 15 significant digits Excel keeps
@given(st.integers(min_value=0, max_value=10**13 - 1), st.one_of(st.none(), st.integers(0, 99)),
       st.sampled_from(["", "Rp ", "Rp. "]), st.sampled_from(["", ",-", " orang"]))
def test_indonesian_round_trip(value, cents, prefix, suffix):
    if cents is not None and suffix == ",-":
        suffix = ""
    text = prefix + _indonesian(value, cents) + suffix
    expected = value + (cents or 0) / 100
    assert parse_value(text).value == pytest.approx(expected)


@given(st.integers(min_value=1_000_000, max_value=10**13 - 1),
       st.one_of(st.none(), st.integers(0, 99)))
def test_english_round_trip_with_two_or_more_groups(value, cents):
    # at least two thousands separators, or a decimal point with grouping: unambiguous
    text = _english(value, cents)
    assert parse_value(text).value == pytest.approx(value + (cents or 0) / 100)


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False).map(lambda x: round(x, 2)))
def test_format_number_round_trips(x):
    text = format_number(x, 2, strip_zero=False)
    assert parse_value(text).value == pytest.approx(x, abs=1e-9)


@given(st.floats(min_value=0, max_value=1000, allow_nan=False).map(lambda x: round(x, 2)))
def test_percentages_round_trip(x):
    text = format_number(x, 2, strip_zero=False) + " %"
    parsed = parse_value(text)
    assert parsed.persen and parsed.value == pytest.approx(x)


def test_format_number_indonesian():
    assert format_number(9355124000) == "9.355.124.000"
    assert format_number(12.5) == "12,50"
    assert format_number(None) == "-"


def test_sixteen_significant_digits_are_refused_not_rounded():
    with pytest.raises(ParseError) as exc:
        parse_value("10.000.000.000.000,01")
    assert "16 angka bermakna" in exc.value.message
    assert parse_value("9.999.999.999.999,99").value == pytest.approx(9_999_999_999_999.99)
