"""Parse the numbers and labels people type in Indonesian reports.

Handles "1.470", "42.010 orang", "12,5%", "178,37 %", "Rp 9.355.124.000,-",
"866,807,000", "25.61%", "-", "", "Baik (88)", "76,11 (WBK)".

Rules (documented in docs/spec.md, "Angka dan label"):

* ``.`` and ``,`` together: the last one is the decimal separator, the other groups
  thousands and must group by three ("9.355.124.000,50", "866,807,000.25").
* several of the same separator: thousands grouping ("9.355.124.000", "866,807,000").
* a single ``.`` followed by exactly three digits groups thousands ("1.470" = 1470,
  the Indonesian way); any other single ``.`` is a decimal point ("25.61").
* a single ``,`` followed by exactly three digits is ambiguous ("1,470": 1470 in the
  English style, 1,47 in the Indonesian style) and is refused with a suggestion;
  any other single ``,`` is a decimal comma ("12,5").
* blanks and dashes mean "not reported" (``None``), never zero.

Ambiguous or unreadable text raises :class:`ParseError` with a suggestion; the parser
never guesses.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

__all__ = ["Parsed", "ParseError", "parse_value", "parse_number", "format_number", "plain_number",
           "is_blank"]

_DASHES = {"-", "–", "—", "--", "n/a", "N/A"}
_CURRENCY = re.compile(r"^(rp\.?|idr)\s*", re.IGNORECASE)
_TRAILING_DASH = re.compile(r"[,.]-$")
_PAREN = re.compile(r"^(?P<head>[^()]*?)\s*\((?P<inner>[^()]*)\)\s*$")
_NUMBER_START = re.compile(r"^[+-]?\s*(\d|[.,]\d)")
_NUMERIC_BODY = re.compile(r"^(?P<sign>[+-]?)\s*(?P<digits>[\d.,]+)\s*(?P<rest>.*)$")


class ParseError(ValueError):
    """Text that is not a number we can read without guessing.

    ``message`` says what is wrong, ``saran`` what to type instead (both Indonesian).
    """

    def __init__(self, message: str, saran: str) -> None:
        super().__init__(f"{message} {saran}".strip())
        self.message = message
        self.saran = saran


@dataclass(frozen=True)
class Parsed:
    """A parsed cell: a number and/or a label.

    ``value`` is None for a blank or a dash ("not reported"). ``persen`` is True when
    the text carried a ``%`` sign; the value is then the percentage itself (12,5% -> 12.5).
    ``satuan`` is a trailing unit word ("orang"), ``label`` a category label ("Baik").
    """

    value: float | None
    label: str | None = None
    persen: bool = False
    satuan: str | None = None

    @property
    def blank(self) -> bool:
        return self.value is None and self.label is None


def is_blank(raw: object) -> bool:
    """True for None, empty or whitespace text and the dashes people type for 'none'."""
    if raw is None:
        return True
    if isinstance(raw, str):
        text = raw.strip()
        return text == "" or text in _DASHES
    return False


def _digits_to_float(digits: str, original: str) -> float:
    """Turn '9.355.124.000,50' style digit runs into a float, or raise ParseError."""
    dots = digits.count(".")
    commas = digits.count(",")
    if dots and commas:
        decimal_sep = "." if digits.rfind(".") > digits.rfind(",") else ","
        group_sep = "," if decimal_sep == "." else "."
        if digits.count(decimal_sep) > 1:
            raise ParseError(
                f"'{original}' memakai '{decimal_sep}' sebagai pemisah desimal lebih dari sekali.",
                "Tulis angka tanpa pemisah ribuan, misalnya 1470 atau 12,5.",
            )
        whole, frac = digits.split(decimal_sep)
        _check_groups(whole, group_sep, original)
        if len(frac) == 3:
            bare = whole.replace(group_sep, "")
            as_decimal = plain_number(float(f"{bare}.{frac}"))
            raise ParseError(
                f"'{original}' bisa dibaca {as_decimal} ('{decimal_sep}{frac}' sebagai desimal) "
                f"atau {bare}{frac} ('{decimal_sep}{frac}' salah ketik untuk "
                f"'{group_sep}{frac}', 1.000 kali lebih besar).",
                f"Tulis {bare}{frac} atau {as_decimal} (tanpa pemisah ribuan), sesuai "
                "maksudnya.",
            )
        return float(whole.replace(group_sep, "") + "." + frac) if frac else float(
            whole.replace(group_sep, "")
        )
    sep = "." if dots else ("," if commas else "")
    if not sep:
        return float(digits)
    count = dots or commas
    if count > 1:
        _check_groups(digits, sep, original)
        return float(digits.replace(sep, ""))
    whole, frac = digits.split(sep)
    if whole == "":
        whole = "0"
    if len(frac) == 3 and whole != "0":
        if sep == ".":
            return float(whole + frac)
        raise ParseError(
            f"'{original}' bisa berarti {whole}{frac} (gaya Inggris) atau {whole},{frac} "
            "(desimal gaya Indonesia).",
            f"Tulis {whole}{frac} atau {whole}.{frac} bila maksudnya ribuan, "
            f"atau {whole},{frac.rstrip('0') or '0'} bila maksudnya desimal.",
        )
    if frac == "":
        raise ParseError(
            f"'{original}' berakhir dengan pemisah '{sep}' tanpa angka di belakangnya.",
            f"Hapus '{sep}' di akhir, misalnya {whole}.",
        )
    return float(whole + "." + frac)


def _check_groups(digits: str, sep: str, original: str) -> None:
    parts = digits.split(sep)
    if not parts[0] or len(parts[0]) > 3 or any(len(p) != 3 for p in parts[1:]):
        raise ParseError(
            f"'{original}' tidak dikelompokkan per tiga angka dengan '{sep}'.",
            "Tulis angka tanpa pemisah ribuan, misalnya 9355124000, "
            "atau kelompokkan per tiga angka: 9.355.124.000.",
        )


def parse_number(text: str) -> Parsed:
    """Parse text that must hold a number (with optional Rp, %, unit word)."""
    original = text
    s = text.strip().replace("\u00a0", " ")
    if s == "" or s in _DASHES:
        return Parsed(None)
    s = _CURRENCY.sub("", s)
    s = _TRAILING_DASH.sub("", s).strip()
    m = _NUMERIC_BODY.match(s)
    if not m or not re.search(r"\d", m.group("digits")):
        raise ParseError(
            f"'{original}' bukan angka.",
            "Isi dengan angka, misalnya 1470 atau 12,5; kosongkan atau tulis - bila belum ada.",
        )
    sign, digits, rest = m.group("sign"), m.group("digits"), m.group("rest").strip()
    if digits[0] in ".," and len(digits) > 1 and digits[1:].isdigit():
        digits = "0" + digits
    if digits[-1] in ".," and digits[:-1].replace(".", "").replace(",", "").isdigit():
        # "9.355.124.000," style leftovers after removing ",-"
        digits = digits[:-1]
    value = _digits_to_float(digits, original)
    if sign == "-":
        value = -value
    persen = False
    satuan = None
    if rest.startswith("%"):
        persen = True
        rest = rest[1:].strip()
    if rest:
        if not re.fullmatch(r"[A-Za-z][A-Za-z ./]*", rest):
            raise ParseError(
                f"'{original}' berisi teks tambahan '{rest}' yang tidak dikenali.",
                "Isi hanya angkanya, misalnya 42010 atau 12,5%.",
            )
        satuan = rest
    if not math.isfinite(value):
        raise ParseError(f"'{original}' bukan angka yang wajar.", "Isi dengan angka biasa.")
    _check_excel_digits(digits, original)
    check_excel_range(value, original)
    return Parsed(value, persen=persen, satuan=satuan)


# Excel keeps 15 significant digits; amounts of 10^15 Rupiah and more do not occur.
EXCEL_DIGITS = 15
EXCEL_LIMIT = 1e15


def _check_excel_digits(digits: str, original: str) -> None:
    # leading zeros, and trailing zeros of either part, carry no digits Excel must keep
    significant = re.sub(r"\D", "", digits).strip("0")
    if len(significant) > EXCEL_DIGITS:
        raise ParseError(
            f"'{original}' punya {len(significant)} angka bermakna; Excel hanya menyimpan "
            f"{EXCEL_DIGITS}, sisanya hilang tanpa tanda.",
            "Periksa angkanya (mungkin ada angka yang terketik dua kali), atau bulatkan "
            f"menjadi paling banyak {EXCEL_DIGITS} angka.",
        )


def check_excel_range(value: float, original: object) -> None:
    """Refuse a number Excel cannot hold exactly: |x| >= 10^15."""
    if abs(value) >= EXCEL_LIMIT:
        raise ParseError(
            f"'{original}' terlalu besar (batas Excel: kurang dari 1.000.000.000.000.000).",
            "Periksa angkanya: mungkin ada angka nol atau pemisah ribuan yang berlebih.",
        )


def parse_value(raw: object) -> Parsed:
    """Parse a cell or spec value: number, label, or both ("Baik (88)", "76,11 (WBK)").

    Numbers from Excel (int/float) pass through; booleans are refused; text is read
    with the rules of this module. A text with no digits is a label ("Baik").
    """
    if raw is None:
        return Parsed(None)
    if isinstance(raw, bool):
        raise ParseError(
            f"'{raw}' adalah nilai BENAR/SALAH, bukan angka.", "Isi dengan angka atau label."
        )
    if isinstance(raw, int) and abs(raw) >= EXCEL_LIMIT:
        check_excel_range(EXCEL_LIMIT, raw)
    if isinstance(raw, (int, float)):
        if not math.isfinite(float(raw)):
            raise ParseError(f"'{raw}' bukan angka yang wajar.", "Isi dengan angka biasa.")
        check_excel_range(float(raw), raw)
        return Parsed(float(raw))
    if not isinstance(raw, str):
        raise ParseError(
            f"Nilai '{raw}' (jenis {type(raw).__name__}) tidak bisa dibaca.",
            "Isi dengan angka atau label.",
        )
    text = raw.strip().replace("\u00a0", " ")
    if text == "" or text in _DASHES:
        return Parsed(None)
    m = _PAREN.match(text)
    if m:
        head, inner = m.group("head").strip(), m.group("inner").strip()
        head_num = bool(_NUMBER_START.match(head))
        inner_num = bool(_NUMBER_START.match(inner))
        if head_num and inner_num:
            raise ParseError(
                f"'{raw}' berisi dua angka.",
                f"Isi satu angka saja, misalnya {head}.",
            )
        if head_num:
            number = parse_number(head)
            return Parsed(number.value, label=inner or None, persen=number.persen,
                          satuan=number.satuan)
        if inner_num:
            number = parse_number(inner)
            return Parsed(number.value, label=head or None, persen=number.persen,
                          satuan=number.satuan)
        raise ParseError(
            f"'{raw}' tidak berisi angka di dalam atau di luar kurung.",
            "Isi dengan label saja (misalnya Baik) atau angka saja.",
        )
    if _NUMBER_START.match(text) or _CURRENCY.match(text):
        return parse_number(text)
    if re.search(r"\d", text):
        raise ParseError(
            f"'{raw}' mencampur huruf dan angka.",
            "Isi dengan angka saja (misalnya 42010) atau label saja (misalnya Baik).",
        )
    return Parsed(None, label=" ".join(text.split()))


def plain_number(value: float) -> str:
    """A number as a person should type it into a cell: no grouping, decimal comma."""
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value)).replace(".", ",")


def format_number(value: float | None, decimals: int = 2, strip_zero: bool = True) -> str:
    """Format a number the Indonesian way: 9.355.124.000 and 12,50 ('-' for None)."""
    if value is None:
        return "-"
    text = f"{value:,.{decimals}f}"
    whole, _, frac = text.partition(".")
    whole = whole.replace(",", ".")
    if strip_zero and frac and set(frac) == {"0"}:
        return whole
    return f"{whole},{frac}" if frac else whole
