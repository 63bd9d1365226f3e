"""What the consolidation knows: statuses, the small per-unit summaries a worker returns,
and the national :class:`Rekap` (pure data, picklable, no Spec)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

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
