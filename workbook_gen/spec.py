"""The spec: one unit's year of SAKIP reporting, loaded from YAML and validated.

Loading collects every problem (structure through the JSON schema in
``schema/spec.schema.json``, then meaning: duplicate codes, unknown references,
numbers that cannot be read) and raises :class:`~workbook_gen.findings.SpecError`
carrying the whole report. A loaded :class:`Spec` is what the engine computes on;
the workbook reader builds the same objects from a workbook's cells.

Every input value's origin is kept in :attr:`Spec.lokasi` (spec path or sheet!cell),
so findings can point at the place the user must fix.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from .findings import Finding, Report, SpecError
from .inputfile import InputFileError, read_text
from .parsing import EXCEL_LIMIT, ParseError, parse_number, parse_value, plain_number
from .texttypes import Polos, SplitDict, SplitList

PERIODE = ("TW I", "TW II", "TW III", "TW IV")
SATUAN_PERSEN = {"%", "persen", "persentase", "prosentase"}
# scores on a 0-100 scale: a typed value above 100 is a missing decimal comma (8606 for 86,06)
SATUAN_SKOR = {"nilai", "nka", "ikpa", "skor"}
SKOR_MAKSIMAL = 100.0
RUMUS_PENURUNAN = ("penurunan", "penurunan_persen")

Value = float | str | None  # number, category label, or not reported
Key = tuple  # ("iku", kode, field[, quarter]) / ("anggaran", key, field[, quarter]) / ("total", f)


# --------------------------------------------------------------------------- model


@dataclass(frozen=True)
class Band:
    """A capaian category: applies when capaian >= minimal (or > minimal if lebih_dari)."""

    nama: str
    minimal: float | None
    warna: str
    lebih_dari: bool = False

    def cocok(self, capaian: float) -> bool:
        if self.minimal is None:
            return True
        return capaian > self.minimal if self.lebih_dari else capaian >= self.minimal


DEFAULT_BANDS = (
    Band("Sangat Baik", 100.0, "#5B9BD5", lebih_dari=True),
    Band("Baik", 80.0, "#70AD47"),
    Band("Cukup", 50.0, "#FFD966"),
    Band("Kurang", None, "#FF6B6B"),
)


@dataclass(frozen=True)
class Pengaturan:
    pembulatan: str = "setengah_ke_atas"  # or "potong"
    desimal: int = 2
    batas_capaian: float | None = None
    kosong_dalam_rata_rata: str = "nol"  # or "abaikan"
    rumus_minimal: str = "2t_kurang_r"  # or "t_bagi_r"
    penurunan_negatif: str = "apa_adanya"  # or "nol": a reduction IKU's capaian floored at 0
    batas_realisasi_persen: float = 200.0
    batas_capaian_wajar: float | None = 300.0  # capaian above this is an error (typing slip)
    kata_sandi: str | None = None
    kategori: tuple[Band, ...] = DEFAULT_BANDS
    target_utama: str = "pk"  # or "revisi": the target capaian, means and categories follow

    @property
    def utama_revisi(self) -> bool:
        """True when the headline target is the revised one (an IKU without a revised
        target keeps its PK target either way, as capaian_revisi does)."""
        return self.target_utama == "revisi"


@dataclass(frozen=True)
class Tingkat:
    label: str
    minimal: float | None = None


@dataclass(frozen=True)
class Skala:
    """An ordered scale, lowest first. Labels may carry numeric lower bounds."""

    nama: str
    tingkat: tuple[Tingkat, ...]

    @property
    def labels(self) -> list[str]:
        return [t.label for t in self.tingkat]

    @property
    def punya_rentang(self) -> bool:
        return all(t.minimal is not None for t in self.tingkat[1:])

    def cari(self, label: str) -> str | None:
        """The scale's own spelling of ``label`` (case and spaces ignored), or None."""
        wanted = " ".join(label.split()).casefold()
        for t in self.tingkat:
            if t.label.casefold() == wanted:
                return t.label
        return None

    def peringkat(self, label: str) -> int | None:
        canon = self.cari(label)
        return None if canon is None else self.labels.index(canon) + 1

    def label_untuk(self, nilai: float) -> str | None:
        """The label whose band holds ``nilai`` (highest band first), if bands exist."""
        if not self.punya_rentang:
            return None
        for t in reversed(self.tingkat):
            if t.minimal is None or nilai >= t.minimal:
                return t.label
        return self.tingkat[0].label


@dataclass(frozen=True)
class Riwayat:
    tahun: int
    target: Value = None
    realisasi: Value = None
    capaian: float | None = None  # as the earlier report printed it (checked, not used)


@dataclass
class Iku:
    kode: str
    nama: str
    satuan: str
    sasaran: str
    target: Value
    penanggung_jawab: str | None = None
    polaritas: str = "maksimal"
    rumus_minimal: str | None = None  # None: pengaturan.rumus_minimal
    agregasi: str = "kumulatif"
    jenis: str = "angka"
    skala: Skala | None = None
    rumus: str = "langsung"
    baseline: float | None = None
    target_revisi: Value = None
    target_tw: list[Value] | None = None
    diukur_pada: tuple[int, ...] = (1, 2, 3, 4)
    realisasi_tw: list[Value] = field(default_factory=lambda: [None] * 4)
    realisasi_tahunan: Value = None  # a verified year figure replacing the quarters' aggregate
    bobot: float = 1.0
    riwayat: list[Riwayat] = field(default_factory=list)
    faktor_pendorong: str | None = None
    faktor_penghambat: str | None = None
    upaya: str | None = None
    capaian_skor: str | None = None  # "nilai" | "kategori"; None: by jenis (see below)
    penurunan_negatif: str | None = None  # None: pengaturan.penurunan_negatif
    # rasio IKUs: X and Y per quarter (all None for other IKUs)
    pembilang_tw: list[float | None] = field(default_factory=lambda: [None] * 4)
    penyebut_tw: list[float | None] = field(default_factory=lambda: [None] * 4)

    @property
    def capaian_peringkat(self) -> bool:
        """True when capaian compares ranks on the scale (category against category),
        False when it divides the numbers (score / target x 100). ``capaian_skor`` says
        which; without it a kategori IKU compares ranks and an angka IKU numbers."""
        cara = self.capaian_skor or ("kategori" if self.jenis == "kategori" else "nilai")
        return cara == "kategori" and self.skala is not None

    @property
    def penurunan(self) -> bool:
        """A reduction IKU: case counts against a baseline, or reduction percentages."""
        return self.rumus in RUMUS_PENURUNAN

    def negatif_nol(self, pengaturan: Pengaturan) -> bool:
        """True when a negative capaian of this reduction IKU counts as 0."""
        return self.penurunan and (
            self.penurunan_negatif or pengaturan.penurunan_negatif) == "nol"

    @property
    def persen(self) -> bool:
        return self.satuan.strip().casefold() in SATUAN_PERSEN

    @property
    def skor(self) -> bool:
        """A score on a 0-100 scale (satuan Nilai, NKA, IKPA, Skor)."""
        return self.satuan.strip().casefold() in SATUAN_SKOR


@dataclass
class Sasaran:
    kode: str
    nama: str
    iku: list[Iku]


#: The komponen code of a budget line that is the kegiatan itself (no komponen).
KODE_TANPA_KOMPONEN = "-"


@dataclass
class BarisAnggaran:
    """One kegiatan / komponen budget line (or a kegiatan without komponen, whose line is
    the kegiatan itself: ``kode`` is :data:`KODE_TANPA_KOMPONEN`)."""

    kegiatan_kode: str
    kegiatan_nama: str
    kode: str
    nama: str
    sasaran: str
    pagu_awal: float | None
    akun: str | None = None
    jenis_belanja: str | None = None  # "51" / "52" / "53"
    pagu_revisi: float | None = None
    realisasi_tw: list[float | None] = field(default_factory=lambda: [None] * 4)
    penanggung_jawab: str | None = None  # seksi / bidang / tim, for the roll-up
    # every sasaran the line serves when more than one (``sasaran`` is the first)
    sasaran_semua: tuple[str, ...] = ()
    realisasi_tahunan: float | None = None  # spending known for the year (TW IV / tahunan)

    @property
    def key(self) -> str:
        return f"{self.kegiatan_kode}/{self.kode}"

    @property
    def tanpa_komponen(self) -> bool:
        return self.kode == KODE_TANPA_KOMPONEN

    def melayani(self, sasaran: str) -> bool:
        """Whether the line serves sasaran ``sasaran`` (one of several, or its only one)."""
        return sasaran in (self.sasaran_semua or (self.sasaran,))


def baris_data(data: dict[str, Any]) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """Budget lines of a spec mapping in sheet order: (line key, kegiatan, line part).

    The line part is a komponen, or the kegiatan itself when it has no komponen (key
    ``"KODE/-"``); readers write a line's cell values into that part."""
    out = []
    for k in (data.get("anggaran") or {}).get("kegiatan") or []:
        if k.get("komponen"):
            out += [(f"{k['kode']}/{c['kode']}", k, c) for c in k["komponen"]]
        else:
            out.append((f"{k['kode']}/{KODE_TANPA_KOMPONEN}", k, k))
    return out


@dataclass
class TotalDeklarasi:
    pagu_awal: float | None = None
    pagu_revisi: float | None = None
    realisasi: float | None = None


@dataclass
class Unit:
    nama: str
    kode_satker: str
    provinsi: str | None = None
    kepala: str | None = None
    nip: str | None = None
    nrp: str | None = None  # police heads carry an NRP instead of a NIP


@dataclass
class Penutup:
    """The unit-level narrative of the LKj's closing chapter (BAB Penutup)."""

    permasalahan: str | None = None
    upaya: str | None = None
    saran: str | None = None


PENUTUP_FIELDS = ("permasalahan", "upaya", "saran")


@dataclass
class Spec:
    unit: Unit
    tahun: int
    periode: str  # "TW I".."TW IV" or "tahunan"
    sasaran: list[Sasaran]
    anggaran: list[BarisAnggaran] = field(default_factory=list)
    total: TotalDeklarasi = field(default_factory=TotalDeklarasi)
    pengaturan: Pengaturan = field(default_factory=Pengaturan)
    skala: dict[str, Skala] = field(default_factory=dict)
    sumber: str = "<spec>"
    lokasi: dict[Key, str] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)  # the validated mapping, for hashing
    penutup: Penutup = field(default_factory=Penutup)
    temuan_masukan: list[Finding] = field(default_factory=list)  # value problems (lenient)

    @property
    def periode_n(self) -> int:
        """Number of quarters covered: TW I -> 1 ... TW IV and tahunan -> 4."""
        return 4 if self.periode == "tahunan" else PERIODE.index(self.periode) + 1

    @property
    def periode_label(self) -> str:
        return "Tahunan" if self.periode == "tahunan" else self.periode

    def semua_iku(self) -> list[Iku]:
        return [iku for s in self.sasaran for iku in s.iku]

    def where(self, key: Key) -> str:
        """Where a value came from, for findings ('file: path' or 'Sheet!A1')."""
        found = self.lokasi.get(key)
        if found is None and len(key) > 2:
            found = self.lokasi.get(key[:2])
        return found or self.sumber

    def with_values(self, **changes: Any) -> Spec:
        return replace(self, **changes)


# --------------------------------------------------------------------------- values


def label_list(skala: Skala) -> str:
    return ", ".join(skala.labels)


def as_is(raw: object, angka: bool = True) -> bool:
    """A value the converters below give back as it is: blank (None), or, where a number
    is read (``angka``), a finite float within Excel's limit (nan fails the test) — what
    parse_value would make of it. The builders test it first, so a finding's texts are
    made only for a value that must be read."""
    return raw is None or (angka and type(raw) is float and abs(raw) < EXCEL_LIMIT)


def convert_iku_value(
    iku: Iku, raw: object, lokasi: str, report: Report, apa: str
) -> Value:
    """Turn what a person typed for ``iku`` (spec value or cell) into engine input.

    Angka IKUs give a number (a label in brackets is checked against the IKU's scale);
    kategori IKUs give a label on the scale, or a number the scale's bands map to a
    label. Problems are added to ``report`` (pointing at ``lokasi``) and give None.
    """
    if as_is(raw, iku.jenis != "kategori"):
        return raw  # type: ignore[return-value]
    try:
        parsed = parse_value(raw)
    except ParseError as exc:
        report.error("bukan_angka", lokasi, f"{apa} IKU {iku.kode}: {exc.message}", exc.saran)
        return None
    if parsed.blank:
        return None
    skala = iku.skala
    if iku.jenis == "kategori":
        assert skala is not None
        if parsed.label is not None:
            canon = skala.cari(parsed.label)
            if canon is None:
                report.error(
                    "label_tidak_dikenal", lokasi,
                    f"{apa} IKU {iku.kode}: label '{parsed.label}' tidak ada di skala "
                    f"'{skala.nama}'.",
                    f"Pilih salah satu: {label_list(skala)}.",
                )
                return None
            if parsed.value is not None and skala.punya_rentang:
                cek_label_rentang(iku, skala, parsed.value, canon, lokasi, report, apa)
                return parsed.value
            return canon
        if not skala.punya_rentang:
            report.error(
                "label_tidak_dikenal", lokasi,
                f"{apa} IKU {iku.kode}: skala '{skala.nama}' tidak punya rentang nilai, "
                f"jadi angka {plain_number(parsed.value)} tidak bisa diubah menjadi label.",
                f"Isi dengan label: {label_list(skala)}.",
            )
            return None
        return parsed.value
    # angka
    if parsed.value is None:
        report.error(
            "bukan_angka", lokasi,
            f"{apa} IKU {iku.kode}: '{raw}' bukan angka.",
            "Isi dengan angka, misalnya 1470 atau 12,5; kosongkan atau tulis - bila belum ada.",
        )
        return None
    if parsed.label is not None and skala is not None:
        canon = skala.cari(parsed.label)
        if canon is None:
            report.error(
                "label_tidak_dikenal", lokasi,
                f"{apa} IKU {iku.kode}: label '{parsed.label}' tidak ada di skala "
                f"'{skala.nama}'.",
                f"Pilih salah satu: {label_list(skala)}, atau tulis angkanya saja.",
            )
        elif skala.punya_rentang:
            cek_label_rentang(iku, skala, parsed.value, canon, lokasi, report, apa)
    if parsed.persen and not (iku.persen or iku.skor):
        report.error(
            "satuan_tidak_sesuai", lokasi,
            f"{apa} IKU {iku.kode}: '{raw}' memakai tanda %, padahal satuan IKU ini "
            f"'{iku.satuan}'.",
            f"Isi jumlahnya dalam {iku.satuan} tanpa tanda %, atau ubah satuan IKU menjadi "
            "'%' bila yang diukur memang persentase.",
        )
        return None
    if parsed.satuan is not None and iku.persen and (
            parsed.satuan.casefold() not in SATUAN_PERSEN):
        report.error(
            "satuan_tidak_sesuai", lokasi,
            f"{apa} IKU {iku.kode}: '{raw}' memakai satuan '{parsed.satuan}', padahal IKU ini "
            "bersatuan persen.",
            "Isi persentasenya (misalnya 97,75), bukan jumlahnya.",
        )
        return None
    if parsed.satuan is not None and not _same_unit(parsed.satuan, iku.satuan):
        report.warn(
            "satuan_berbeda", lokasi,
            f"{apa} IKU {iku.kode}: '{raw}' memakai satuan '{parsed.satuan}', padahal satuan "
            f"IKU ini '{iku.satuan}'; angkanya dipakai apa adanya.",
            f"Periksa bahwa angka itu dihitung dalam {iku.satuan}, lalu tulis angkanya saja.",
        )
    return parsed.value


def cek_label_rentang(iku: Iku, skala: Skala, value: float, label: str, lokasi: str,
                      report: Report, apa: str) -> bool:
    """The one check of a number typed with a label in brackets ("76 (WBBM)") against the
    scale's bands, for every place such a value is read (targets, realisasi, TW targets,
    riwayat; angka and kategori IKUs): a label the number's band does not give is the
    warning ``label_tidak_sesuai`` (the number is what counts). True when they agree."""
    by_band = skala.label_untuk(value)
    if by_band is None or by_band == label:
        return True
    band = next(t for t in skala.tingkat if t.label == label)
    higher = skala.tingkat[skala.labels.index(label) + 1:]
    if band.minimal is None:
        rentang = f"di bawah {plain_number(higher[0].minimal)}"  # type: ignore[arg-type]
    elif higher:
        rentang = (f"{plain_number(band.minimal)} sampai di bawah "
                   f"{plain_number(higher[0].minimal)}")  # type: ignore[arg-type]
    else:
        rentang = f"{plain_number(band.minimal)} ke atas"
    report.warn(
        "label_tidak_sesuai", lokasi,
        f"{apa} IKU {iku.kode}: nilai {plain_number(value)} termasuk '{by_band}' pada skala "
        f"'{skala.nama}', bukan '{label}' (rentang '{label}': {rentang}).",
        f"Periksa nilai atau labelnya; yang dipakai adalah nilainya ({plain_number(value)}). "
        f"Tulis '{plain_number(value)} ({by_band})' atau angka yang benar.",
    )
    return False


def _same_unit(typed: str, satuan: str) -> bool:
    a, b = typed.casefold().split(), satuan.casefold().split()
    return bool(a and b) and (a[0].startswith(b[0]) or b[0].startswith(a[0]))


def convert_money(raw: object, lokasi: str, report: Report, apa: str) -> float | None:
    """A budget amount: a number (Rp, grouping, ',-' allowed); labels are refused."""
    if as_is(raw):
        return raw  # type: ignore[return-value]
    try:
        parsed = parse_value(raw)
    except ParseError as exc:
        report.error("bukan_angka", lokasi, f"{apa}: {exc.message}", exc.saran)
        return None
    if parsed.value is None and parsed.label is not None:
        report.error(
            "bukan_angka", lokasi, f"{apa}: '{raw}' bukan angka.",
            "Isi dengan nilai rupiah, misalnya 9.355.124.000 atau 9355124000.",
        )
        return None
    return parsed.value


# --------------------------------------------------------------------------- loading


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    text = resources.files("workbook_gen").joinpath("schema/spec.schema.json").read_text("utf-8")
    return json.loads(text)


def inline_refs(node: Any, defs: dict[str, Any], depth: int = 0) -> Any:
    """``node`` with every ``{"$ref": "#/$defs/x"}`` replaced by the definition itself
    (siblings of a ``$ref`` merged into it, or beside it in an ``allOf`` when they share a
    keyword, as 2020-12 applies both).
    Validating against the inlined schema gives the same verdicts and error paths while
    skipping the reference look-ups, which were half the validation time of a spec (a
    national recap validates the metadata spec of every unit's workbook)."""
    if depth > 64:
        raise RecursionError("skema rekursif")
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            target = inline_refs(defs[ref.rsplit("/", 1)[1]], defs, depth + 1)
            rest = inline_refs({k: v for k, v in node.items() if k != "$ref"}, defs, depth + 1)
            if not set(rest) & set(target):
                return {**target, **rest}  # disjoint keywords: one schema, same meaning
            return {"allOf": [target, rest]}
        return {k: inline_refs(v, defs, depth + 1) for k, v in node.items() if k != "$defs"}
    if isinstance(node, list):
        return [inline_refs(v, defs, depth + 1) for v in node]
    return node


@lru_cache(maxsize=1)
def _validator() -> Any:
    try:
        from jsonschema import Draft202012Validator  # only where a structure is checked
    except ImportError:  # Pyodide (xlwings Lite): rpds-py has no build there
        from .jsoncheck import Checker

        return Checker(schema())
    full = schema()
    return Draft202012Validator(inline_refs(full, full.get("$defs", {})))


def item_label(items: Any, index: int, key: str = "kode") -> str:
    """How a spec path names list item ``index``: its code when the code is unique among
    its siblings (``sasaran[S1].iku[IKU-2]``, as people think of an IKU), else the
    0-based position."""
    if not isinstance(items, (list, tuple)):
        return str(index)  # (no item of such a container has siblings to compare)
    try:
        items[index]
    except (IndexError, TypeError):
        return str(index)
    return _unique_codes(items, key)[index] or str(index)


def item_labels(items: list[Any] | tuple[Any, ...], key: str = "kode") -> list[str]:
    """:func:`item_label` of every item of ``items`` (one pass over the siblings)."""
    return [code or str(i) for i, code in enumerate(_unique_codes(items, key))]


def _unique_codes(items: list[Any] | tuple[Any, ...], key: str) -> list[str | None]:
    """Each item's code where it names the item (a text, unique among the siblings);
    None where the position must."""
    counts: dict[str, int] = {}
    for i in items:
        if isinstance(i, dict):
            c = str(i.get(key))
            counts[c] = counts.get(c, 0) + 1
    out: list[str | None] = []
    for item in items:
        own = item.get(key) if isinstance(item, dict) else None
        if own is None or isinstance(own, (dict, list, bool)) or str(own).strip() == "":
            out.append(None)
        else:
            out.append(str(own) if counts.get(str(own), 0) == 1 else None)
    return out


_LABEL_KEYS = {"riwayat": "tahun"}


def _path_text(path: Any, data: Any = None) -> str:
    out = ""
    node = data
    name = ""
    for part in path:
        if isinstance(part, int):
            label = item_label(node, part, _LABEL_KEYS.get(name, "kode")) if isinstance(
                node, list) else str(part)
            out += f"[{label}]"
        else:
            out += f".{part}" if out else str(part)
            name = str(part)
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            node = None
    return out or "(akar)"


_JSON_TYPES = {
    "string": "teks", "integer": "bilangan bulat", "number": "angka", "array": "daftar",
    "object": "bagian (pasangan kunci: nilai)", "null": "kosong", "boolean": "ya/tidak",
}


def _schema_message(err: Any) -> tuple[str, str]:
    """Indonesian message and suggestion for one jsonschema error."""
    v = err.validator
    if v == "required":
        missing = err.message.split("'")[1] if "'" in err.message else err.message
        return f"kolom '{missing}' wajib diisi.", f"Tambahkan '{missing}: ...'."
    if v == "additionalProperties":
        extra = sorted(set(err.instance) - set(err.schema.get("properties", {})))
        allowed = ", ".join(sorted(err.schema.get("properties", {})))
        return (
            f"kolom tidak dikenal: {', '.join(extra)}.",
            f"Periksa ejaannya; kolom yang dikenal: {allowed}.",
        )
    if v == "enum":
        options = ", ".join(str(o) for o in err.validator_value if o is not None)
        return f"nilai '{err.instance}' tidak dikenal.", f"Pilih salah satu: {options}."
    if v == "const":
        return f"nilai '{err.instance}' tidak didukung.", f"Tulis {err.validator_value}."
    if v == "type":
        wanted = err.validator_value if isinstance(err.validator_value, list) else [
            err.validator_value]
        names = " atau ".join(_JSON_TYPES.get(w, w) for w in wanted if w != "null")
        shown = "kosong" if err.instance is None else f"'{err.instance}'"
        return f"seharusnya {names}, bukan {shown}.", f"Isi dengan {names}."
    if v in ("minItems", "maxItems"):
        n = err.validator_value
        if err.schema.get("minItems") == err.schema.get("maxItems"):
            return f"harus berisi tepat {n} nilai.", "Tulis satu nilai per triwulan (TW I-IV)."
        return (f"harus berisi {'paling sedikit' if v == 'minItems' else 'paling banyak'} "
                f"{n} isian.", "Lengkapi daftarnya." if v == "minItems" else
                err.schema.get("description", "Kurangi isiannya."))
    if v in ("minimum", "maximum", "exclusiveMinimum"):
        return f"nilai {err.instance} di luar batas ({v} {err.validator_value}).", (
            "Periksa angkanya.")
    if v == "minLength":
        return "tidak boleh kosong.", "Isi dengan teks."
    if v == "maxLength":
        return (f"terlalu panjang ({len(str(err.instance))} karakter, paling banyak "
                f"{err.validator_value}).", err.schema.get("description", "Persingkat teksnya."))
    if v == "pattern":
        return f"'{err.instance}' tidak sesuai format.", "Tulis warna seperti #70AD47."
    if v == "uniqueItems":
        return "ada isian yang ditulis dua kali.", "Hapus isian ganda."
    return err.message, "Periksa bagian ini di docs/spec.md."


def load_spec(path: str | Path) -> Spec:
    """Read, validate and build a spec from a YAML file; raise SpecError with every problem."""
    path = Path(path)
    sumber = str(path)
    report = Report()
    try:
        text = read_text(path)
    except InputFileError as exc:
        report.error(exc.jenis, f"{sumber}: {exc.lokasi}" if exc.lokasi else sumber,
                     "Berkas spec tidak ditemukan." if exc.jenis == "berkas_tidak_ada"
                     else exc.pesan, exc.saran)
        raise SpecError(report, sumber) from None
    return spec_from_text(text, sumber)


def spec_from_text(text: str, sumber: str = "<spec>") -> Spec:
    """Build a spec from YAML text; every scalar is read as typed (see ``yaml_text``)."""
    import yaml  # only where a spec file is read

    from .yaml_text import YamlLimitError, load_text

    report = Report()
    try:
        data = load_text(text)
    except YamlLimitError as exc:
        mark = exc.problem_mark
        where = f"{sumber}: baris {mark.line + 1}, kolom {mark.column + 1}" if mark else sumber
        report.error("yaml_ditolak", where, f"{exc.problem[:1].upper()}{exc.problem[1:]}.",
                     exc.saran)
        raise SpecError(report, sumber) from None
    except (yaml.YAMLError, RecursionError, MemoryError) as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = f"{sumber}: baris {mark.line + 1}, kolom {mark.column + 1}" if mark else sumber
        problem = getattr(exc, "problem", None) or "berkas tidak bisa dibaca sebagai YAML"
        report.error("yaml_rusak", where, f"Penulisan YAML salah: {problem}.",
                     "Periksa indentasi (spasi, bukan tab), titik dua dan tanda kutip.")
        raise SpecError(report, sumber) from None
    return spec_from_data(data, sumber, report)


# --------------------------------------------------------------------------- typing text

_NULL_WORDS = {"", "~", "null"}
_BOOL_WORDS = {"true": True, "ya": True, "yes": True, "benar": True,
               "false": False, "tidak": False, "no": False, "salah": False}
_PERIODE_ALIAS = {
    "tahunan": "tahunan", "tw iv": "TW IV", "tw 4": "TW IV", "triwulan iv": "TW IV",
    "triwulan 4": "TW IV", "tw iii": "TW III", "tw 3": "TW III", "triwulan iii": "TW III",
    "triwulan 3": "TW III", "tw ii": "TW II", "tw 2": "TW II", "triwulan ii": "TW II",
    "triwulan 2": "TW II", "tw i": "TW I", "tw 1": "TW I", "triwulan i": "TW I",
    "triwulan 1": "TW I",
}


def periode_kanon(text: Any) -> Any:
    """The spec's spelling of a periode typed another way ('Tahunan', 'tw ii', 'Triwulan 3',
    'TW-I'); anything else is returned unchanged (the schema then names the choices)."""
    if not isinstance(text, str):
        return text
    key = " ".join(text.replace("-", " ").replace(".", " ").split()).casefold()
    if key.startswith("tw") and not key.startswith("tw "):
        key = "tw " + key[2:]
    return _PERIODE_ALIAS.get(key, text)


def _resolve(part: dict[str, Any]) -> dict[str, Any]:
    while isinstance(part, dict) and "$ref" in part:
        part = schema()["$defs"][part["$ref"].rsplit("/", 1)[-1]]
    return part if isinstance(part, dict) else {}


_UNTYPED = (int, float, bool)  # exact types: a text subclass (Polos) is still read


def _typed(value: Any, part: dict[str, Any], path: list[Any],
           problems: dict[tuple, tuple[str, str, str]]) -> Any:
    """Turn texts from the YAML into what the schema expects at their place.

    Unquoted null/~/empty -> None; where only a number is allowed (desimal, bobot, minimal,
    tahun ...) the text is read with the Indonesian parser; where a text or a number is
    allowed (target, realisasi, pagu, codes) the text is kept for ``convert_*`` to read;
    an enum choice is matched ignoring case and spacing. A quoted text is never None or a
    boolean; where only a number fits it is read like an unquoted one ("82,5").
    Unreadable numbers go to ``problems`` (by path) and stay as typed.
    """
    if value is None or type(value) in _UNTYPED:  # nothing to read (most cells' values)
        return value
    if type(value) is str:  # a plain text (not Polos): its reading depends on the part only
        key = (id(part), value)
        found = _TEXTS.get(key)
        if found is None or found[0] is not part:
            where = tuple(path)
            had = where in problems
            result = _typed_text(value, _resolve(part), path, problems)
            found = (part, result, problems[where] if where in problems and not had else None)
            if had:
                return result
            if len(_TEXTS) >= _TEXTS_KEPT:
                _TEXTS.clear()
            _TEXTS[key] = found
        elif found[2] is not None:
            problems[tuple(path)] = found[2]
        return found[1]
    part = _resolve(part)
    if isinstance(value, (SplitList, SplitDict)):
        problems[tuple(path)] = ("desimal_terpisah", value.pesan, value.saran)
    if isinstance(value, dict):
        props = part.get("properties", {})
        extra = part.get("additionalProperties")
        other = extra if isinstance(extra, dict) else {}
        # (a value with nothing to read is kept without a call: most cells' values; a
        # plain text already read without a problem at its part is taken from the memo
        # here, as the call would take it)
        out = {}
        for k, v in value.items():
            t = type(v)
            if v is None or t in _UNTYPED:
                pass
            elif t is str:
                sub = props.get(k, other)
                found = _TEXTS.get((id(sub), v))
                if found is not None and found[0] is sub and found[2] is None:
                    v = found[1]
                else:
                    v = _typed(v, sub, [*path, k], problems)
            elif t is list and all(x is None or type(x) in _UNTYPED for x in v):
                v = v[:]  # nothing to read in it (a row of cell values): the call's copy
            else:
                v = _typed(v, props.get(k, other), [*path, k], problems)
            out[str(k) if isinstance(k, str) else k] = v
        return out
    if isinstance(value, list):
        items = part.get("items", {})
        return [v if v is None or type(v) in _UNTYPED else
                _typed(v, items, [*path, i], problems) for i, v in enumerate(value)]
    if not isinstance(value, str):
        return value
    return _typed_text(value, part, path, problems)


#: Plain texts already read, by (id of the schema part, text): (part, reading, problem).
#: The part is kept, so its id cannot be reused while the entry lives.
_TEXTS: dict[tuple[int, str], tuple[Any, Any, Any]] = {}
_TEXTS_KEPT = 20000


def _typed_text(value: str, part: dict[str, Any], path: list[Any],
                problems: dict[tuple, tuple[str, str, str]]) -> Any:
    """:func:`_typed` of a text at the (resolved) schema ``part``."""
    plain = isinstance(value, Polos)
    text = str(value)
    if plain and text.strip() in _NULL_WORDS | {"Null", "NULL"}:
        return None
    if "enum" in part:
        wanted = " ".join(text.split()).casefold()
        for option in part["enum"]:
            if isinstance(option, str) and option.casefold() == wanted:
                return option
        alias = periode_kanon(text)
        return alias if alias in part["enum"] else text
    types = part.get("type", [])
    types = [types] if isinstance(types, str) else list(types)
    if "const" in part and isinstance(part["const"], int):
        types = ["integer"]
    if not types or "string" in types:
        return text
    if "boolean" in types:
        return _BOOL_WORDS.get(text.strip().casefold(), text) if plain else text
    if "integer" in types or "number" in types:
        try:
            parsed = parse_number(text)
        except ParseError as exc:
            problems[tuple(path)] = ("bukan_angka", exc.message, exc.saran)
            return text
        if parsed.value is None or parsed.satuan is not None:
            return text
        if "number" in types:
            return parsed.value
        if parsed.value.is_integer() and not parsed.persen:
            return int(parsed.value)
    return text


def spec_from_data(
    data: Any,
    sumber: str = "<spec>",
    report: Report | None = None,
    *,
    lokasi_sel: dict[Key, str] | None = None,
    nilai_ketat: bool = True,
    periksa_struktur: bool = True,
) -> Spec:
    """Validate a mapping (from YAML or a workbook's cells) and build the Spec.

    ``lokasi_sel`` names where values came from (``Realisasi!E7``) instead of spec paths.
    With ``nilai_ketat`` False, values that cannot be read (text in a number cell, a label
    not on the scale) do not make the spec invalid: they become None and their findings
    are kept in :attr:`Spec.temuan_masukan` for the engine to report, as a workbook needs.
    ``periksa_struktur`` False skips the JSON schema: only for data whose structure is known
    to be valid (a workbook's metadata whose fingerprint matches, see ``reader``).
    """
    report = report or Report()
    if not isinstance(data, dict):
        report.error("bukan_spec", sumber, "Berkas ini bukan spec (isinya bukan pasangan "
                     "kunci: nilai).", "Lihat contoh di templates/ dan docs/spec.md.")
        raise SpecError(report, sumber)
    problems: dict[tuple, tuple[str, str, str]] = {}
    data = _typed(data, schema(), [], problems)
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.absolute_path))
                    ) if periksa_struktur else []
    for path, (jenis, pesan, saran) in problems.items():
        report.error(jenis, f"{sumber}: {_path_text(path, data)}", pesan, saran)
    for err in errors:
        if tuple(err.absolute_path) in problems:
            continue
        pesan, saran = _schema_message(err)
        report.error("struktur", f"{sumber}: {_path_text(err.absolute_path, data)}", pesan,
                     saran)
    if report.errors:
        _meaning_despite_structure(data, sumber, report, lokasi_sel or {})
        raise SpecError(report, sumber)
    values = Report()
    spec = _build(data, sumber, report, values, lokasi_sel or {})
    if nilai_ketat:
        report.extend(values.errors)
        spec.temuan_masukan = values.warnings
    else:
        spec.temuan_masukan = list(values)
    if report.errors:
        raise SpecError(report, sumber)
    return spec


def _meaning_despite_structure(data: dict[str, Any], sumber: str, report: Report,
                               over: dict[Key, str]) -> None:
    """With structure problems, still report what can be checked (duplicate codes, unknown
    references, unreadable numbers), so one run lists every problem. Places that already
    have a structure problem are not reported twice; a part too broken to read is skipped."""
    meaning, values = Report(), Report()
    try:
        _build(data, sumber, meaning, values, over)
    except (KeyError, TypeError, AttributeError, ValueError, IndexError):
        pass  # the structure findings already say what is wrong there
    structural = {f.lokasi for f in report}
    for finding in list(meaning.errors) + list(values.errors):
        if not any(finding.lokasi == place or finding.lokasi.startswith(place + ".")
                   or finding.lokasi.startswith(place + "[") for place in structural):
            report.findings.append(finding)


def _s(value: Any) -> str | None:
    return None if value is None else str(value)


def default_agregasi(satuan: str, rumus: str | None = None) -> str:
    """The agregasi an IKU gets when its spec says none.

    Counts (orang, dokumen, kasus) add up over the quarters: ``kumulatif``. A percentage
    or a score does not: a report's "s.d. TW n" percentage already describes the year so
    far, so the year's figure is the last reported one (``akhir``). A mean of quarterly
    percentages (``rata_rata``) would weigh a quarter with 5 cases like one with 500; an
    IKU that really is a mean of quarters says so with ``agregasi: rata_rata``. A reduction
    (``rumus: penurunan``) counts cases per quarter, so it stays ``kumulatif``.
    """
    kind = satuan.strip().casefold()
    if rumus == "penurunan":
        return "kumulatif"
    if rumus == "rasio":
        return "akhir"  # the year is Σ/Σ (rasio.rasio_sd); TW targets: the last one
    return "akhir" if kind in SATUAN_PERSEN or kind in SATUAN_SKOR else "kumulatif"


def _check_nip(unit: Unit, at: Callable[[str], str], values: Report) -> None:
    """A NIP has 18 digits, an NRP (police) 8; a number that fits neither is a warning."""
    for fname, digits, other in (("nip", 18, "nrp"), ("nrp", 8, "nip")):
        raw = getattr(unit, fname)
        if raw is None:
            continue
        bare = raw.replace(" ", "")
        if bare.isdigit() and len(bare) == digits:
            continue
        hint = (f"Periksa angkanya; bila kepala unit memakai {other.upper()}, tulis "
                f"'{other}: ...' sebagai ganti '{fname}'.")
        values.warn("nip", at(f"unit.{fname}"),
                    f"{fname.upper()} '{raw}' bukan {digits} angka.", hint)


def _build(data: dict[str, Any], sumber: str, report: Report, values: Report,
           over: dict[Key, str]) -> Spec:
    def at(path: str) -> str:
        return f"{sumber}: {path}"

    def loc(key: Key, path: str) -> str:
        where = over.get(key) or at(path)
        lokasi[key] = where
        return where

    lokasi: dict[Key, str] = {}
    p = data.get("pengaturan", {}) or {}
    bands = DEFAULT_BANDS
    if "kategori" in p:
        bands = tuple(
            Band(b["nama"], b["minimal"], b["warna"], b.get("lebih_dari", False))
            for b in p["kategori"]
        )
        if bands[-1].minimal is not None:
            report.error("kategori", at("pengaturan.kategori"),
                         "Kategori terakhir harus menampung semua nilai di bawahnya.",
                         "Tulis 'minimal: null' pada kategori terakhir (misalnya Kurang).")
        mins = [b.minimal for b in bands if b.minimal is not None]
        if mins != sorted(mins, reverse=True):
            report.error("kategori", at("pengaturan.kategori"),
                         "Kategori harus diurutkan dari yang tertinggi ke terendah.",
                         "Urutkan: Sangat Baik, Baik, Cukup, Kurang.")
    pengaturan = Pengaturan(
        pembulatan=p.get("pembulatan", "setengah_ke_atas"),
        desimal=p.get("desimal", 2),
        batas_capaian=p.get("batas_capaian"),
        kosong_dalam_rata_rata=p.get("kosong_dalam_rata_rata", "nol"),
        rumus_minimal=p.get("rumus_minimal", "2t_kurang_r"),
        penurunan_negatif=p.get("penurunan_negatif", "apa_adanya"),
        batas_realisasi_persen=float(p.get("batas_realisasi_persen", 200.0)),
        batas_capaian_wajar=p.get("batas_capaian_wajar", 300.0),
        kata_sandi=p.get("kata_sandi"),
        kategori=bands,
        target_utama=p.get("target_utama") or "pk",
    )

    skala: dict[str, Skala] = {}
    for nama, levels in (data.get("skala") or {}).items():
        tingkat = tuple(Tingkat(lv["label"], lv.get("minimal")) for lv in levels)
        sk = Skala(str(nama), tingkat)
        labels = [t.label.casefold() for t in tingkat]
        if len(set(labels)) != len(labels):
            report.error("skala", at(f"skala.{nama}"), "Ada label yang ditulis dua kali.",
                         "Setiap label hanya sekali, urut dari terendah ke tertinggi.")
        mins = [t.minimal for t in tingkat if t.minimal is not None]
        if mins != sorted(mins) or len(set(mins)) != len(mins):
            report.error("skala", at(f"skala.{nama}"),
                         "Nilai 'minimal' harus naik dari label terendah ke tertinggi.",
                         "Urutkan label dari terendah ke tertinggi dengan batas yang naik.")
        skala[str(nama)] = sk

    unit_d = data["unit"]
    unit = Unit(
        nama=unit_d.get("nama", ""), kode_satker=str(unit_d.get("kode_satker", "")),
        provinsi=unit_d.get("provinsi"), kepala=unit_d.get("kepala"), nip=_s(unit_d.get("nip")),
        nrp=_s(unit_d.get("nrp")),
    )
    bare_nip = (unit.nip or "").replace(" ", "")
    if bare_nip.isdigit() and len(bare_nip) == 8:
        # 8 digits is an NRP (a NIP always has 18): the workbook's one NIP/NRP cell
        unit.nip, unit.nrp = None, unit.nip
    _check_nip(unit, at, values)

    sasaran_list: list[Sasaran] = []
    seen_sasaran: set[str] = set()
    seen_iku: dict[str, str] = {}
    sasaran_labels = item_labels(data["sasaran"])
    for si, s in enumerate(data["sasaran"]):
        sp = f"sasaran[{sasaran_labels[si]}]"
        skode = str(s["kode"])
        if skode in seen_sasaran:
            report.error("kode_ganda", at(f"{sp}.kode"), f"Kode sasaran '{skode}' dipakai dua "
                         "kali.", "Beri setiap sasaran kode yang berbeda.")
        seen_sasaran.add(skode)
        ikus: list[Iku] = []
        iku_labels = item_labels(s["iku"])
        for ii, d in enumerate(s["iku"]):
            ip = f"{sp}.iku[{iku_labels[ii]}]"
            iku = _build_iku(d, skode, ip, at, loc, skala, lokasi, report, values, over)
            if iku.kode in seen_iku:
                report.error("kode_ganda", at(f"{ip}.kode"),
                             f"Kode IKU '{iku.kode}' sudah dipakai di {seen_iku[iku.kode]}.",
                             "Beri setiap IKU kode yang berbeda.")
            seen_iku.setdefault(iku.kode, ip)
            ikus.append(iku)
        sasaran_list.append(Sasaran(skode, s.get("nama", ""), ikus))

    anggaran_d = data.get("anggaran") or {}
    lines: list[BarisAnggaran] = []
    seen_lines: set[str] = set()
    kegiatan_d = anggaran_d.get("kegiatan") or []
    kegiatan_labels = item_labels(kegiatan_d)
    for ki, k in enumerate(kegiatan_d):
        kp = f"anggaran.kegiatan[{kegiatan_labels[ki]}]"
        parts = _line_parts(k, kp, at, report)
        for cp, c, tanpa in parts:
            kode = KODE_TANPA_KOMPONEN if tanpa else str(c["kode"])
            sasaran = c.get("sasaran")
            semua = tuple(str(x) for x in (sasaran if isinstance(sasaran, list) else
                                           [sasaran]) if x is not None)
            line = BarisAnggaran(
                kegiatan_kode=str(k["kode"]), kegiatan_nama=k["nama"], kode=kode,
                nama=k["nama"] if tanpa else c.get("nama", ""),
                sasaran=semua[0] if semua else "", pagu_awal=None,
                akun=_s(c.get("akun")), jenis_belanja=_s(c.get("jenis_belanja")),
                penanggung_jawab=_s(c.get("penanggung_jawab")),
                sasaran_semua=semua if len(semua) > 1 else (),
            )
            if line.key in seen_lines:
                report.error("kode_ganda", at(f"{cp}.kode"),
                             f"Komponen '{line.kode}' ditulis dua kali di kegiatan "
                             f"'{line.kegiatan_kode}'.", "Beri setiap komponen kode berbeda.")
            seen_lines.add(line.key)
            for skode in semua:
                if skode not in seen_sasaran:
                    report.error("sasaran_tidak_dikenal", at(f"{cp}.sasaran"),
                                 f"Baris anggaran '{line.nama}' menunjuk sasaran '{skode}' "
                                 "yang tidak ada.",
                                 "Pakai salah satu kode sasaran: "
                                 f"{', '.join(sorted(seen_sasaran))}.")
            if line.akun and line.jenis_belanja is None:
                prefix = line.akun.strip()[:2]
                if prefix in ("51", "52", "53"):
                    line.jenis_belanja = prefix
            elif line.akun and line.jenis_belanja and not line.akun.startswith(
                    line.jenis_belanja):
                report.error("jenis_belanja", at(f"{cp}.jenis_belanja"),
                             f"Akun {line.akun} bukan jenis belanja {line.jenis_belanja}.",
                             f"Pakai jenis_belanja: {line.akun[:2]} atau periksa akunnya.")
            lk = line.key
            lokasi[("anggaran", lk)] = over.get(("anggaran", lk)) or at(cp)
            # a line's seven amounts: where each came from (the cell, else the spec path)
            # and its value; a blank or a plain number in range is taken as it is (what
            # convert_money gives), anything else goes through convert_money with its text
            real = c.get("realisasi_tw") or [None] * 4
            for fname, q in _LINE_AMOUNTS:
                raw = c.get(fname) if q is None else real[q]
                key = ("anggaran", lk, fname) if q is None else ("anggaran", lk, fname, q + 1)
                where = lokasi[key] = over.get(key) or at(
                    f"{cp}.{fname}" if q is None else f"{cp}.{fname}[{q}]")
                if not as_is(raw):
                    raw = convert_money(raw, where, values, _line_apa(fname, q, line.nama))
                if q is None:
                    setattr(line, fname, raw)
                else:
                    line.realisasi_tw[q] = raw
            if line.pagu_awal is None and line.pagu_revisi is None:
                values.warn("pagu_kosong", lokasi[("anggaran", line.key, "pagu_awal")],
                            f"Baris anggaran '{line.nama}' belum punya pagu (pagu awal dan "
                            "pagu revisi kosong); pagunya dihitung 0 dan serapannya tidak "
                            "ada.", "Isi pagu awal atau pagu revisi baris ini.")
            lines.append(line)
    total_d = anggaran_d.get("total") or {}
    total = TotalDeklarasi()
    for fname in ("pagu_awal", "pagu_revisi", "realisasi"):
        where = loc(("total", fname), f"anggaran.total.{fname}")
        setattr(total, fname, convert_money(total_d.get(fname), where, values,
                                            f"Total {fname.replace('_', ' ')}"))

    penutup_d = data.get("penutup") or {}
    return Spec(
        unit=unit, tahun=data["tahun"], periode=data["periode"], sasaran=sasaran_list,
        anggaran=lines, total=total, pengaturan=pengaturan, skala=skala, sumber=sumber,
        lokasi=lokasi, data=data,
        penutup=Penutup(**{f: _teks(penutup_d.get(f)) for f in PENUTUP_FIELDS}),
    )


_LINE_AMOUNTS = (("pagu_awal", None), ("pagu_revisi", None), ("realisasi_tw", 0),
                 ("realisasi_tw", 1), ("realisasi_tw", 2), ("realisasi_tw", 3),
                 ("realisasi_tahunan", None))


def _line_apa(fname: str, q: int | None, nama: str) -> str:
    """What findings call a budget line's amount ``fname`` (quarter index ``q``)."""
    if q is not None:
        return f"Realisasi {PERIODE[q]} '{nama}'"
    if fname == "realisasi_tahunan":
        return f"Realisasi tahunan '{nama}'"
    return f"{fname.replace('_', ' ').capitalize()} '{nama}'"


def _teks(value: Any) -> str | None:
    """A narrative text as typed; blank is None."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None
_LINE_FIELDS = ("sasaran", "akun", "jenis_belanja", "pagu_awal", "pagu_revisi", "realisasi_tw",
                "realisasi_tahunan", "penanggung_jawab")


def _line_parts(k: dict[str, Any], kp: str, at: Callable[[str], str], report: Report
                ) -> list[tuple[str, dict[str, Any], bool]]:
    """The budget lines of kegiatan ``k`` (spec path ``kp``): (path, part, no komponen).

    A kegiatan has komponen, or is itself the line (then it needs a sasaran); the line
    fields on a kegiatan that has komponen would be ambiguous and are refused."""
    komponen = k.get("komponen")
    if not komponen:
        if k.get("sasaran") is None:
            report.error("struktur", at(f"{kp}.sasaran"),
                         f"Kegiatan '{k['kode']}' tanpa komponen harus menyebut sasaran yang "
                         "dilayaninya.",
                         "Tambahkan 'sasaran: KODE' dan pagu pada kegiatan itu, atau tulis "
                         "daftar 'komponen'.")
        return [(kp, k, True)]
    extra = [f for f in _LINE_FIELDS if f in k]
    if extra:
        report.error("struktur", at(f"{kp}.{extra[0]}"),
                     f"Kegiatan '{k['kode']}' punya komponen, jadi {', '.join(extra)} ditulis "
                     "pada komponennya, bukan pada kegiatan.",
                     "Pindahkan isian itu ke komponen yang bersangkutan, atau hapus daftar "
                     "'komponen' bila kegiatan ini sendiri baris anggarannya.")
    out = []
    komponen_labels = item_labels(komponen)
    for ci, c in enumerate(komponen):
        cp = f"{kp}.komponen[{komponen_labels[ci]}]"
        if str(c["kode"]).strip() == KODE_TANPA_KOMPONEN:
            report.error("struktur", at(f"{cp}.kode"),
                         f"Kode komponen '{KODE_TANPA_KOMPONEN}' dipakai untuk kegiatan tanpa "
                         "komponen.", "Beri komponen ini kode lain, misalnya 051.")
        out.append((cp, c, False))
    return out


def _build_iku(
    d: dict[str, Any], skode: str, ip: str, at: Callable[[str], str],
    loc: Callable[[Key, str], str], skala: dict[str, Skala], lokasi: dict[Key, str],
    report: Report, values: Report, over: dict[Key, str],
) -> Iku:
    kode = str(d["kode"])
    iku = Iku(
        kode=kode, nama=d.get("nama", ""), satuan=d.get("satuan", ""), sasaran=skode,
        target=None,
        penanggung_jawab=d.get("penanggung_jawab"),
        polaritas=d.get("polaritas", "maksimal"), rumus_minimal=d.get("rumus_minimal"),
        agregasi=d.get("agregasi") or default_agregasi(d.get("satuan", ""), d.get("rumus")),
        jenis=d.get("jenis", "angka"),
        rumus=d.get("rumus", "langsung"), bobot=float(d.get("bobot", 1.0)),
        faktor_pendorong=d.get("faktor_pendorong"), faktor_penghambat=d.get("faktor_penghambat"),
        upaya=d.get("upaya"), capaian_skor=d.get("capaian_skor"),
        penurunan_negatif=d.get("penurunan_negatif"),
    )
    lokasi[("iku", kode)] = loc(("iku", kode), ip)
    if "skala" in d:
        if d["skala"] not in skala:
            known = ", ".join(sorted(skala)) or "(belum ada skala)"
            report.error("skala_tidak_dikenal", at(f"{ip}.skala"),
                         f"IKU {kode} memakai skala '{d['skala']}' yang tidak ada.",
                         f"Tambahkan skala itu di bagian 'skala', atau pakai: {known}.")
        else:
            iku.skala = skala[d["skala"]]
    if iku.jenis == "kategori":
        if "skala" not in d:
            report.error("skala_wajib", at(ip), f"IKU {kode} berjenis kategori tanpa skala.",
                         "Tambahkan 'skala: NAMA' yang ada di bagian 'skala'.")
        if iku.agregasi != "akhir":
            report.error("agregasi_kategori", at(f"{ip}.agregasi"),
                         f"IKU kategori {kode} hanya bisa memakai agregasi 'akhir'.",
                         "Tulis 'agregasi: akhir' (label tidak bisa dijumlah atau dirata-rata).")
        if iku.rumus != "langsung":
            report.error("rumus_kategori", at(f"{ip}.rumus"),
                         f"IKU kategori {kode} tidak bisa memakai rumus {iku.rumus}.",
                         "Hapus 'rumus' atau ubah jenis menjadi angka.")
    if iku.rumus == "penurunan":
        where = loc(("iku", kode, "baseline"), f"{ip}.baseline")
        base = convert_money(d.get("baseline"), where, values, f"Baseline IKU {kode}")
        if base is None:
            values.error("baseline_wajib", where,
                         f"IKU penurunan {kode} butuh baseline (jumlah kasus tahun lalu).",
                         "Tambahkan 'baseline: 134' (angka tahun sebelumnya).")
        elif base <= 0:
            values.error("baseline_wajib", where, f"Baseline IKU {kode} harus lebih dari 0.",
                         "Isi jumlah kasus tahun sebelumnya.")
        iku.baseline = base
    _check_capaian_skor(iku, d, ip, at, report)
    _check_rumus(d, iku, ip, at, report)
    if iku.jenis == "kategori" and iku.skala is None:
        return iku  # values cannot be read without the scale; already reported
    measured = d.get("diukur_pada")
    if measured:
        iku.diukur_pada = tuple(sorted(PERIODE.index(q) + 1 for q in measured))
    # each value's place: the cell, else the spec path; a blank or a finite float in
    # range on an angka IKU is taken as it is (convert_iku_value's own first steps), so
    # the finding text is made only for a value convert_iku_value must read
    plain = iku.jenis != "kategori"
    for fname, apa in (("target", "Target"), ("target_revisi", "Target revisi")):
        key = ("iku", kode, fname)
        where = lokasi[key] = over.get(key) or at(f"{ip}.{fname}")
        raw = d.get(fname)
        setattr(iku, fname, raw if as_is(raw, plain) else
                convert_iku_value(iku, raw, where, values, apa))
    if d.get("target_tw") is not None:
        iku.target_tw = []
        for q in range(4):
            key = ("iku", kode, "target_tw", q + 1)
            where = lokasi[key] = over.get(key) or at(f"{ip}.target_tw[{q}]")
            raw = d["target_tw"][q]
            iku.target_tw.append(raw if as_is(raw, plain) else
                                 convert_iku_value(iku, raw, where, values,
                                                   f"Target {PERIODE[q]}"))
    real = d.get("realisasi_tw") or [None] * 4
    if iku.rumus == "rasio":
        _build_rasio(d, iku, ip, loc, values)
    else:
        for q in range(4):
            key = ("iku", kode, "realisasi_tw", q + 1)
            where = lokasi[key] = over.get(key) or at(f"{ip}.realisasi_tw[{q}]")
            raw = real[q]
            iku.realisasi_tw[q] = raw if as_is(raw, plain) else \
                convert_iku_value(iku, raw, where, values, f"Realisasi {PERIODE[q]}")
    if iku.capaian_skor == "nilai" and iku.jenis == "kategori" and iku.skala.punya_rentang:
        _labels_without_score(iku, lokasi, values)
    where = loc(("iku", kode, "realisasi_tahunan"), f"{ip}.realisasi_tahunan")
    iku.realisasi_tahunan = convert_iku_value(iku, d.get("realisasi_tahunan"), where, values,
                                              "Realisasi tahunan")
    riwayat_d = d.get("riwayat") or []
    for ri, r in enumerate(riwayat_d):
        rp = f"{ip}.riwayat[{item_label(riwayat_d, ri, 'tahun')}]"
        iku.riwayat.append(Riwayat(
            tahun=r["tahun"],
            target=convert_iku_value(iku, r.get("target"), at(f"{rp}.target"), values,
                                     f"Target {r['tahun']}"),
            realisasi=convert_iku_value(iku, r.get("realisasi"), at(f"{rp}.realisasi"), values,
                                        f"Realisasi {r['tahun']}"),
            capaian=_capaian_tercetak(r.get("capaian"), loc(
                ("iku", kode, "riwayat_capaian", r["tahun"]), f"{rp}.capaian"), values,
                f"Capaian {r['tahun']} IKU {kode}"),
        ))
    return iku


def _check_capaian_skor(iku: Iku, d: dict[str, Any], ip: str, at: Callable[[str], str],
                        report: Report) -> None:
    """``capaian_skor`` needs a scale with numeric bands: ``nilai`` on a kategori IKU divides
    the typed scores (only a banded scale takes numbers), ``kategori`` on an angka IKU maps
    both numbers to their labels."""
    cara = d.get("capaian_skor")
    if cara is None or (iku.skala is not None and iku.skala.punya_rentang):
        return
    if cara == "nilai" and iku.jenis == "angka":
        return  # an angka IKU divides its numbers anyway
    report.error(
        "capaian_skor", at(f"{ip}.capaian_skor"),
        f"IKU {iku.kode} memakai 'capaian_skor: {cara}', tetapi skalanya "
        f"{'tidak ada' if iku.skala is None else 'tidak punya rentang angka'}.",
        "Pakai skala yang setiap labelnya (kecuali yang terendah) punya 'minimal', "
        "atau hapus 'capaian_skor'.")


def _labels_without_score(iku: Iku, lokasi: dict[Key, str], values: Report) -> None:
    """A kategori IKU whose capaian is score / target (``capaian_skor: nilai``) needs
    numbers: a bare label has no score to divide; it is an error and counts as blank."""
    fields: list[tuple[str, Key]] = [("Target", ("iku", iku.kode, "target")),
                                     ("Target revisi", ("iku", iku.kode, "target_revisi"))]
    fields += [(f"Target {PERIODE[q]}", ("iku", iku.kode, "target_tw", q + 1))
               for q in range(4)]
    fields += [(f"Realisasi {PERIODE[q]}", ("iku", iku.kode, "realisasi_tw", q + 1))
               for q in range(4)]
    for apa, key in fields:
        if key[2] == "target_tw":
            value = iku.target_tw[key[3] - 1] if iku.target_tw else None
        elif key[2] == "realisasi_tw":
            value = iku.realisasi_tw[key[3] - 1]
        else:
            value = getattr(iku, key[2])
        if not isinstance(value, str):
            continue
        values.error(
            "label_tanpa_nilai", lokasi.get(key) or lokasi[("iku", iku.kode)],
            f"{apa} IKU {iku.kode} berisi label '{value}' tanpa angka, padahal capaiannya "
            "dihitung dari nilai (capaian_skor: nilai).",
            f"Tulis nilainya, misalnya '86,06 ({value})' atau 86,06.")
        if key[2] == "target_tw":
            iku.target_tw[key[3] - 1] = None  # type: ignore[index]
        elif key[2] == "realisasi_tw":
            iku.realisasi_tw[key[3] - 1] = None
        else:
            setattr(iku, key[2], None)


def _capaian_tercetak(raw: object, lokasi: str, report: Report, apa: str) -> float | None:
    """A capaian in % as an earlier report printed it ("101,25", "101,25 %")."""
    try:
        parsed = parse_value(raw)
    except ParseError as exc:
        report.error("bukan_angka", lokasi, f"{apa}: {exc.message}", exc.saran)
        return None
    if parsed.blank:
        return None
    if parsed.value is None or parsed.label is not None:
        report.error("bukan_angka", lokasi, f"{apa}: '{raw}' bukan angka persen.",
                     "Tulis capaian seperti di laporan, misalnya 101,25.")
        return None
    return parsed.value


def _check_rumus(d: dict[str, Any], iku: Iku, ip: str, at: Callable[[str], str],
                 report: Report) -> None:
    """The settings the reduction-percentage and ratio forms need: a % satuan (their
    values are percentages), Σ/Σ for a ratio, ``penurunan_negatif`` only on reductions."""
    if iku.jenis == "angka" and iku.rumus in ("penurunan_persen", "rasio") and not iku.persen:
        report.error(
            "satuan_rumus", at(f"{ip}.satuan"),
            f"IKU {iku.kode} memakai 'rumus: {iku.rumus}', yang hasilnya persentase, tetapi "
            f"satuannya '{iku.satuan}'.",
            "Tulis 'satuan: \"%\"', atau pakai 'rumus: langsung' bila yang diukur jumlah.")
    if iku.rumus == "rasio" and d.get("agregasi") not in (None, "akhir"):
        report.error(
            "agregasi_rasio", at(f"{ip}.agregasi"),
            f"IKU rasio {iku.kode}: realisasi s.d. triwulan adalah jumlah pembilang dibagi "
            "jumlah penyebut, bukan kumulatif atau rata-rata persentase.",
            "Hapus 'agregasi' dari IKU ini.")
    if d.get("penurunan_negatif") is not None and not iku.penurunan:
        report.error(
            "penurunan_negatif", at(f"{ip}.penurunan_negatif"),
            f"IKU {iku.kode} bukan IKU penurunan, jadi 'penurunan_negatif' tidak berlaku.",
            "Hapus 'penurunan_negatif', atau tulis 'rumus: penurunan_persen' bila realisasi "
            "triwulannya persentase penurunan.")


def _build_rasio(d: dict[str, Any], iku: Iku, ip: str, loc: Callable[[Key, str], str],
                 values: Report) -> None:
    """A ratio IKU's quarters: pairs "6/265" in ``realisasi_tw`` (as the reports print
    them) or the lists ``pembilang_tw`` and ``penyebut_tw`` (as the workbook's columns
    hold them); ``realisasi_tw`` becomes the quarter ratios (rasio.rasio_tw)."""
    from .rasio import baca_pasangan, rasio_tw

    kode = iku.kode
    real = d.get("realisasi_tw") or [None] * 4
    lists = {f: d.get(f) or [None] * 4 for f in ("pembilang_tw", "penyebut_tw")}
    iku.pembilang_tw, iku.penyebut_tw = [None] * 4, [None] * 4
    for q in range(4):
        pair_at = f"{ip}.realisasi_tw[{q}]"
        wheres = {}
        for fname in ("pembilang_tw", "penyebut_tw"):
            path = f"{ip}.{fname}[{q}]" if lists[fname][q] is not None else pair_at
            wheres[fname] = loc(("iku", kode, fname, q + 1), path)
        loc(("iku", kode, "realisasi_tw", q + 1), pair_at)
        typed = {}
        if real[q] is not None:
            try:
                pair = baca_pasangan(real[q])
            except ParseError as exc:
                values.error("bukan_rasio", wheres["pembilang_tw"],
                             f"Realisasi {PERIODE[q]} IKU rasio {kode}: {exc.message}",
                             exc.saran)
                pair = None
            if pair is not None:
                typed = {"pembilang_tw": pair.pembilang, "penyebut_tw": pair.penyebut}
            if any(lists[f][q] is not None for f in lists):
                values.error(
                    "rasio_ganda", wheres["pembilang_tw"],
                    f"Realisasi {PERIODE[q]} IKU rasio {kode} ditulis dua kali: sebagai "
                    "pasangan di 'realisasi_tw' dan di 'pembilang_tw'/'penyebut_tw'.",
                    "Pakai salah satu saja.")
                continue
        for fname, what in (("pembilang_tw", "Pembilang"), ("penyebut_tw", "Penyebut")):
            if fname in typed:
                value = typed[fname]
            else:
                value = convert_money(lists[fname][q], wheres[fname], values,
                                      f"{what} {PERIODE[q]} IKU {kode}")
            getattr(iku, fname)[q] = value
    iku.realisasi_tw = [rasio_tw(x, y) for x, y in zip(iku.pembilang_tw, iku.penyebut_tw,
                                                        strict=True)]
