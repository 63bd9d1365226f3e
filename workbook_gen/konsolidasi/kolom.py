"""Records stored by column, so the parent holds 10,000 units in a few KB each: a unit's
IKUs (:class:`IkuKolom`), sasaran and budget groups (:class:`Kolom`) read as the lists of
records they stand for, and the recap's unit x IKU matrix (:class:`PerUnit`) reads the
units themselves. Names shared by the units of one katalog are held once
(:class:`IkuStruktur`); numbers are 8-byte floats (None as NaN)."""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, overload

from .records import IkuRingkas, PosRingkas, SasaranRingkas

if TYPE_CHECKING:
    from .records import UnitRingkas

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

    def column(self, kodes: Sequence[str]) -> list[Any]:
        """``[self.get(k) for k in kodes]`` (one column of the unit x IKU matrix), with the
        IKU's position looked up once per structure instead of once per unit."""
        units, kode, capaian = self._units, self._kode, self._attr == "capaian"
        where: dict[int, tuple[IkuStruktur, int | None]] = {}  # id(structure) -> its index
        out: list[Any] = []
        add = out.append
        for k in kodes:
            u = units.get(k)
            iku = None if u is None else u.iku
            if type(iku) is not IkuKolom:
                add(self.get(k))
                continue
            s = iku.struktur
            hit = where.get(id(s))
            if hit is None or hit[0] is not s:
                hit = where[id(s)] = (s, s.indeks.get(kode))
            i = hit[1]
            if i is None:
                add(None)
            elif capaian:
                col = iku.capaian
                v = col[i]
                add(None if v != v and type(col) is array else v)  # NaN stands for None
            else:
                add(iku.kategori[i])
        return out

    def __repr__(self) -> str:
        return f"PerUnit({dict(self.items())!r})"
