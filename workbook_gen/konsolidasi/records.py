"""What the consolidation knows: statuses, the small per-unit summaries a worker returns,
and the national :class:`Rekap` (pure data, picklable, no Spec)."""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, overload

from ..findings import ERROR, PERINGATAN, Finding, WorkbookGenError
from ..spec import Pengaturan

EXTENSIONS = (".xlsx", ".xlsm")
OK = "OK"
STATUS_PERINGATAN = "peringatan"
DITOLAK = "ditolak"
STATUS_ERROR = "error"  # read, but an error finding in its inputs: shown, not counted
BELUM_DIISI = "belum diisi"  # read, but nothing typed: shown, not counted
BELUM_MENGIRIM = "belum mengirim"  # in the katalog, no file at all
#: statuses of units that are shown in the recap (everything but DITOLAK)
DITAMPILKAN = (OK, STATUS_PERINGATAN, STATUS_ERROR, BELUM_DIISI)

SHEET_STATUS = "Status Pengumpulan"
SHEET_UNIT = "Rekap Unit"
SHEET_IKU = "Rekap IKU"
SHEET_ANGGARAN = "Rekap Anggaran"
SHEET_TEMUAN = "Temuan"
SHEET_GRAFIK = "Grafik"
REKAP_SHEETS = (SHEET_STATUS, SHEET_UNIT, SHEET_IKU, SHEET_ANGGARAN, SHEET_TEMUAN, SHEET_GRAFIK)

WARNA_STATUS = {OK: "#C6EFCE", STATUS_PERINGATAN: "#FFE699", DITOLAK: "#F4B6B6",
                STATUS_ERROR: "#F4B6B6", BELUM_DIISI: "#D9D9D9", BELUM_MENGIRIM: "#D9D9D9"}
WARNA_TINGKAT = {"Error": "#F4B6B6", "Peringatan": "#FFE699"}
NAMA_JENIS = {"51": "Belanja Pegawai", "52": "Belanja Barang", "53": "Belanja Modal",
              "-": "Jenis belanja belum diisi"}
LABEL_JENIS = {"51": "51 Pegawai", "52": "52 Barang", "53": "53 Modal", "-": "Tanpa Jenis"}
SEQUENTIAL_BELOW = 8  # fewer files than this: read in this process (no pool start-up)

BAKU = Pengaturan()  # national figures: default rounding (2 decimals, half-up) and bands


class KonsolidasiError(WorkbookGenError):
    """Nothing to consolidate, or a catalogue that cannot be used (message names the file)."""


# --------------------------------------------------------------------------- records


Value = float | str | None  # a target or realisasi: a number, or a label for kategori IKUs


@dataclass(slots=True)
class PosRingkas:
    """A budget group of one unit (total, a jenis belanja, a sasaran or one budget line)."""

    kode: str
    nama: str
    pagu: float
    realisasi: float
    serapan: float | None  # rounded
    sisa: float


@dataclass(slots=True)
class SasaranRingkas:
    kode: str
    nama: str
    capaian: float | None
    capaian_revisi: float | None
    kategori: str | None
    pagu: float
    realisasi: float
    serapan: float | None


@dataclass(slots=True)
class IkuRingkas:
    kode: str
    nama: str
    satuan: str
    capaian: float | None  # rounded, against the PK target
    capaian_revisi: float | None
    kategori: str | None
    warna: str | None
    target: Value = None  # PK target
    realisasi: Value = None  # s.d. periode


_FLOAT_NONE = {float, type(None)}


def _kolom_angka(values: Sequence[Any], cek_nan: bool = True) -> Sequence[Any]:
    """Floats (None as NaN) in 8 bytes each; a column holding anything else (or a NaN of
    its own: ``cek_nan=False`` when the caller knows there is none) stays a tuple. An array
    of doubles is taken as it is (NaN meaning None)."""
    if type(values) is array and values.typecode == "d":
        return values
    if set(map(type, values)) <= _FLOAT_NONE and (not cek_nan or all(v == v for v in values)):
        return array("d", [math.nan if v is None else v for v in values])
    return tuple(values)


def sama(a: Any, b: Any) -> bool:
    """The same value of the same type (so one object may stand for both)."""
    return a is b or (type(a) is type(b) and a == b and (
        type(a) is not float or a != 0 or math.copysign(1, a) == math.copysign(1, b)))


def _angka(col: Sequence[Any], i: int) -> Any:
    v = col[i]
    return None if type(col) is array and math.isnan(v) else v


class IkuStruktur(tuple):  # type: ignore[type-arg]
    """The (kode, nama, satuan) of a unit's IKUs, shared by every unit with the same IKUs,
    with the position of each kode (the last one, should a kode appear twice)."""

    def __init__(self, items: Any = ()) -> None:
        self.indeks = {kode: i for i, (kode, _, _) in enumerate(self)}


class IkuKolom(Sequence[IkuRingkas]):
    """A unit's IKUs stored by column: the (kode, nama, satuan) of each IKU in a tuple shared
    by every unit with the same IKUs, capaian as 8-byte numbers. Reads as a list of
    :class:`IkuRingkas` (built on access); :meth:`kosongkan` is the one change it takes.
    Keeps the parent small at 10,000 units (a list of records costs about 3 KB a unit)."""

    __slots__ = ("struktur", "capaian", "capaian_revisi", "kategori", "warna", "target",
                 "realisasi")

    def __init__(self, struktur: IkuStruktur, capaian: Sequence[Any],
                 capaian_revisi: Sequence[Any], kategori: tuple[str | None, ...],
                 warna: tuple[str | None, ...], target: tuple[Any, ...] | None = None,
                 realisasi: tuple[Any, ...] | None = None, cek_nan: bool = True) -> None:
        self.struktur = struktur
        self.capaian = _kolom_angka(capaian, cek_nan)
        same = type(self.capaian) is array and (
            self.capaian == capaian_revisi if type(capaian_revisi) is array else
            list(capaian_revisi) == list(capaian) and set(map(type, capaian_revisi)) <= _FLOAT_NONE)
        self.capaian_revisi = self.capaian if same else _kolom_angka(capaian_revisi, cek_nan)
        self.kategori = kategori
        self.warna = warna
        self.target = target
        self.realisasi = realisasi

    def __len__(self) -> int:
        return len(self.struktur)

    @overload
    def __getitem__(self, i: int) -> IkuRingkas: ...

    @overload
    def __getitem__(self, i: slice) -> list[IkuRingkas]: ...

    def __getitem__(self, i: int | slice) -> IkuRingkas | list[IkuRingkas]:
        if isinstance(i, slice):
            return [self[j] for j in range(len(self))[i]]
        kode, nama, satuan = self.struktur[i]
        return IkuRingkas(kode, nama, satuan, _angka(self.capaian, i),
                          _angka(self.capaian_revisi, i), self.kategori[i], self.warna[i],
                          None if self.target is None else self.target[i],
                          None if self.realisasi is None else self.realisasi[i])

    def __iter__(self) -> Iterator[IkuRingkas]:
        return (self[i] for i in range(len(self)))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"IkuKolom({list(self)!r})"

    def kode_capaian_kategori(self) -> Iterator[tuple[str, Any, str | None]]:
        """(kode, capaian, kategori) of each IKU, without building records."""
        cap = self.capaian
        values = [None if v != v else v for v in cap] if type(cap) is array else cap
        return zip((k for k, _, _ in self.struktur), values, self.kategori, strict=True)

    def kosongkan(self) -> None:
        """No capaian and no category (a workbook with nothing typed)."""
        n = len(self)
        self.capaian = self.capaian_revisi = _kolom_angka([None] * n)
        self.kategori = self.warna = (None,) * n


@dataclass(slots=True)
class UnitRingkas:
    """What the recap needs of one unit: small and picklable (no Spec)."""

    kode_satker: str
    nama: str
    provinsi: str | None
    tahun: int
    periode: str  # "TW I".."TW IV" / "Tahunan"
    capaian: float | None
    capaian_revisi: float | None
    kategori: str | None
    warna: str | None
    total: PosRingkas
    sasaran: Sequence[SasaranRingkas]  # a list, or a Kolom (the same, by column)
    iku: Sequence[IkuRingkas]  # a list, or an IkuKolom (the same, by column)
    jenis_belanja: Sequence[PosRingkas]  # a list, or a Kolom
    terisi: bool = True  # False: no realisasi typed at all (status "belum diisi")
    baris: Sequence[PosRingkas] = field(default_factory=list)  # budget lines (for the store)
    peringkat: int | None = None
    status: str = OK  # set by the recap: OK / peringatan / error / belum diisi
    dihitung: bool = True  # counted in national figures and the ranking


@dataclass(slots=True)
class HasilBerkas:
    """The outcome of reading one file (returned by a worker process)."""

    berkas: str
    kode_satker: str | None = None
    nama_unit: str | None = None
    versi_template: int | None = None
    tahun: int | None = None
    periode: str | None = None
    masalah: list[Finding] = field(default_factory=list)  # why the file cannot be used
    temuan: list[Finding] = field(default_factory=list)  # the engine's findings
    unit: UnitRingkas | None = None
    sidik: str | None = None  # sha256 of the file's bytes (cache key)

    @property
    def terbaca(self) -> bool:
        return self.unit is not None


@dataclass(slots=True)
class StatusBerkas:
    """One row of Status Pengumpulan."""

    berkas: str
    kode_satker: str | None
    nama_unit: str | None
    versi_template: int | None
    tahun: int | None
    periode: str | None
    status: str  # OK / peringatan / error / belum diisi / ditolak
    alasan: list[str]
    temuan: list[Finding]  # rejection reasons first, then the engine's findings
    unit: UnitRingkas | None = None
    sidik: str | None = None

    @property
    def diterima(self) -> bool:
        """Read and shown in the recap (maybe not counted: see :attr:`UnitRingkas.dihitung`)."""
        return self.status != DITOLAK

    @property
    def jumlah_error(self) -> int:
        return sum(f.tingkat == ERROR for f in self.temuan)

    @property
    def jumlah_peringatan(self) -> int:
        return sum(f.tingkat == PERINGATAN for f in self.temuan)


@dataclass(slots=True)
class Statistik:
    """A national figure over the counted units, with how many units it covers."""

    jumlah_unit: int
    rata_rata: float | None
    median: float | None
    minimum: float | None
    maksimum: float | None


class Kolom(Sequence[Any]):
    """A unit's sasaran (:class:`SasaranRingkas`) or budget groups (:class:`PosRingkas`)
    stored by column: (kode, nama) pairs shared by units of one katalog, the numbers in one
    flat column of 8-byte floats, a sasaran's kategori in a tuple. Reads as the list of
    records (built on access); :meth:`kosongkan` is the one change it takes."""

    __slots__ = ("sasaran", "nama", "angka", "kategori")

    def __init__(self, sasaran: bool, nama: tuple[tuple[str, str], ...], angka: Sequence[Any],
                 kategori: tuple[str | None, ...] = (), cek_nan: bool = True) -> None:
        self.sasaran = sasaran  # True: SasaranRingkas (5 numbers each), else PosRingkas (4)
        self.nama = nama
        self.angka = _kolom_angka(angka, cek_nan)
        self.kategori = kategori

    def __len__(self) -> int:
        return len(self.nama)

    @overload
    def __getitem__(self, i: int) -> Any: ...

    @overload
    def __getitem__(self, i: slice) -> list[Any]: ...

    def __getitem__(self, i: int | slice) -> Any:
        if isinstance(i, slice):
            return [self[j] for j in range(len(self))[i]]
        kode, nama = self.nama[i]
        a = self.angka
        if self.sasaran:
            j = 5 * i
            return SasaranRingkas(kode, nama, _angka(a, j), _angka(a, j + 1), self.kategori[i],
                                  _angka(a, j + 2), _angka(a, j + 3), _angka(a, j + 4))
        j = 4 * i
        return PosRingkas(kode, nama, _angka(a, j), _angka(a, j + 1), _angka(a, j + 2),
                          _angka(a, j + 3))

    def __iter__(self) -> Iterator[Any]:
        return (self[i] for i in range(len(self)))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Kolom({list(self)!r})"

    def pagu_realisasi(self) -> Iterator[tuple[str, Any, Any]]:
        """(kode, pagu, realisasi) of each budget group, without building records."""
        a = self.angka
        return ((kode, _angka(a, 4 * i), _angka(a, 4 * i + 1))
                for i, (kode, _) in enumerate(self.nama))

    def kosongkan(self) -> None:
        """No capaian and no category for any sasaran (a workbook with nothing typed)."""
        values = [_angka(self.angka, j) for j in range(len(self.angka))]
        for j in range(0, len(values), 5):
            values[j] = values[j + 1] = None
        self.angka = _kolom_angka(values)
        self.kategori = (None,) * len(self)


def _iku_value(u: UnitRingkas, kode: str, attr: str) -> tuple[bool, Any]:
    """(has it, value) of one IKU of a unit: its capaian or kategori."""
    iku = u.iku
    if isinstance(iku, IkuKolom):
        i = iku.struktur.indeks.get(kode)
        if i is None:
            return False, None
        return True, (_angka(iku.capaian, i) if attr == "capaian" else iku.kategori[i])
    found, value = False, None
    for h in iku:
        if h.kode == kode:
            found, value = True, getattr(h, attr)
    return found, value


class PerUnit(Mapping[str, Any]):
    """kode satker -> one IKU's capaian (or kategori) in each shown unit that has it, in
    kode satker order: read from the units themselves, so 20 IKUs x 10,000 units cost no
    dict entries or numbers of their own. Equal to the dict it stands for; ``dict(view)``
    for JSON."""

    __slots__ = ("_kode", "_units", "_attr", "_len")

    def __init__(self, kode: str, units: dict[str, UnitRingkas], attr: str) -> None:
        self._kode = kode
        self._units = units  # kode satker -> unit, shared by every IKU's view
        self._attr = attr
        self._len: int | None = None

    def get(self, kode_satker: str, default: Any = None) -> Any:  # type: ignore[override]
        u = self._units.get(kode_satker)
        if u is None:
            return default
        found, value = _iku_value(u, self._kode, self._attr)
        return value if found else default

    def __getitem__(self, kode_satker: str) -> Any:
        u = self._units.get(kode_satker)
        found, value = (False, None) if u is None else _iku_value(u, self._kode, self._attr)
        if not found:
            raise KeyError(kode_satker)
        return value

    def __iter__(self) -> Iterator[str]:
        return (k for k, u in self._units.items() if _iku_value(u, self._kode, self._attr)[0])

    def __len__(self) -> int:
        if self._len is None:
            self._len = sum(1 for _ in self)
        return self._len

    def items(self) -> Any:
        out = []
        for k, u in self._units.items():
            found, value = _iku_value(u, self._kode, self._attr)
            if found:
                out.append((k, value))
        return out

    def __repr__(self) -> str:
        return f"PerUnit({dict(self.items())!r})"


@dataclass
class IkuRekap:
    """One IKU across units (matched by kode): capaian per shown unit and national figures
    over the counted units."""

    kode: str
    nama: str
    satuan: str
    capaian: Mapping[str, float | None]  # kode satker -> capaian (PK), shown units with the IKU
    kategori: Mapping[str, str | None]  # (a dict, or a PerUnit view of the same)
    statistik: Statistik
    kategori_rata_rata: str | None

    @property
    def jumlah_unit(self) -> int:
        return self.statistik.jumlah_unit

    @property
    def rata_rata(self) -> float | None:
        return self.statistik.rata_rata

    @property
    def median(self) -> float | None:
        return self.statistik.median

    @property
    def minimum(self) -> float | None:
        return self.statistik.minimum

    @property
    def maksimum(self) -> float | None:
        return self.statistik.maksimum


@dataclass(frozen=True)
class UnitKatalog:
    kode_satker: str
    nama: str


@dataclass
class Rekap:
    berkas: list[StatusBerkas]
    unit: list[UnitRingkas]  # shown units: counted by rank, then the others by kode
    iku: list[IkuRekap]
    jenis_belanja: list[PosRingkas]  # national, per jenis belanja (counted units)
    total: PosRingkas  # national budget (counted units)
    capaian: Statistik  # units' capaian (PK), counted units
    capaian_rata_rata_revisi: float | None
    belum_mengirim: list[UnitKatalog]  # in the katalog, no file at all
    ditolak_katalog: list[UnitKatalog] = field(default_factory=list)  # sent, all rejected
    tahun: int | None = None
    periode: str | None = None
    pakai_katalog: bool = False
    sertakan_error: bool = False
    detik: float = 0.0
    catatan: list[str] = field(default_factory=list)  # notes for the terminal and JSON
    dari_cache: int = 0  # files whose result came from the cache

    @property
    def capaian_rata_rata(self) -> float | None:
        return self.capaian.rata_rata

    @property
    def jumlah_berkas(self) -> int:
        return len(self.berkas)

    @property
    def diterima(self) -> list[StatusBerkas]:
        return [b for b in self.berkas if b.diterima]

    @property
    def ditolak(self) -> list[StatusBerkas]:
        return [b for b in self.berkas if not b.diterima]

    @property
    def unit_dihitung(self) -> list[UnitRingkas]:
        return [u for u in self.unit if u.dihitung]

    def unit_urut_kode(self) -> list[UnitRingkas]:
        return sorted(self.unit, key=lambda u: u.kode_satker)
