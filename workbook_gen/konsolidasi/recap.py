"""The national recap: the headline rules that accept, mark or refuse each file, and the
national figures over the counted units (means and medians, ranking, per IKU, budget).

Rules, each stated once here:

* a file that cannot be used is ``ditolak`` (its reasons listed); a unit whose inputs
  have an error finding is ``error``, a workbook with nothing typed is ``belum diisi``:
  both are shown (marked) but not counted in national figures or the ranking
  (``sertakan_error`` counts the ``error`` units);
* without ``tahun``/``periode``, a run that mixes years or periods keeps the value held by
  more than half of the readable files and refuses the others; with no such majority it
  refuses them all (and says so in :attr:`Rekap.catatan`);
* a unit sent twice (or more) is refused in every file;
* every national figure says how many units it covers.
"""

from __future__ import annotations

import os
import statistics
import time
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from ..engine import bulatkan, kategori_untuk, serapan
from ..findings import ERROR, PERINGATAN, Finding
from ..gcpause import paused_gc
from ..layout import PERIODE_PILIHAN
from .check import MAX_UNPACKED_BYTES, FileProblem, read_regular
from .find import cari_berkas, normalise_periode
from .katalog import load_katalog
from .kolom import IkuKolom, IkuStruktur, Kolom, PerUnit
from .read import ProgressFn, read_all
from .records import (
    BAKU,
    BELUM_DIISI,
    DITOLAK,
    NAMA_JENIS,
    OK,
    STATUS_ERROR,
    STATUS_PERINGATAN,
    HasilBerkas,
    IkuRekap,
    KonsolidasiError,
    PosRingkas,
    Rekap,
    Statistik,
    StatusBerkas,
    UnitKatalog,
    UnitRingkas,
)

if TYPE_CHECKING:
    from .cache import BerkasCache


def konsolidasi(inputs: Iterable[str | os.PathLike[str]], *, tahun: int | None = None,
                periode: str | None = None,
                katalog: str | os.PathLike[str] | Sequence[UnitKatalog] | None = None,
                workers: int | None = None, progress: ProgressFn | None = None,
                exclude: Iterable[str | os.PathLike[str]] = (),
                max_unpacked_bytes: int = MAX_UNPACKED_BYTES, sertakan_error: bool = False,
                cache: BerkasCache | None = None, simpan_baris: bool = False) -> Rekap:
    """Read, check and recompute every workbook found in ``inputs``; see the module doc.

    ``periode`` is 'TW I'..'TW IV' or 'Tahunan' (other spellings normalised). With a
    ``cache``, a file whose content (sha256) was read before is not read again.
    ``simpan_baris`` keeps each unit's budget lines (for the history store). Raises
    :class:`KonsolidasiError` when no file is found or the catalogue cannot be used.
    """
    start = time.perf_counter()
    units_katalog: list[UnitKatalog] | None = None
    if katalog is not None:
        units_katalog = (load_katalog(katalog) if isinstance(katalog, (str, os.PathLike))
                         else list(katalog))
    if periode is not None:
        canon = normalise_periode(periode)
        if canon is None:
            raise KonsolidasiError(f"Periode '{periode}' tidak dikenal. Pilih salah satu: "
                                   f"{', '.join(PERIODE_PILIHAN)}.")
        periode = canon
    paths, notes = cari_berkas(inputs, exclude)
    if not paths:
        extra = (" " + " ".join(notes)) if notes else ""
        raise KonsolidasiError("Tidak ada berkas .xlsx/.xlsm yang ditemukan untuk direkap."
                               f"{extra} Sebutkan berkas, folder atau pola seperti "
                               "'kiriman/*.xlsm'.")
    names = [str(p) for p in paths]
    with paused_gc():  # 10,000 results held: each full collection would walk them all
        results, dari_cache = _read(names, cache, workers, max_unpacked_bytes, progress,
                                    simpan_baris)
        rekap = _assemble(results, tahun, periode, units_katalog, sertakan_error)
    rekap.catatan = notes + rekap.catatan
    rekap.dari_cache = dari_cache
    rekap.detik = time.perf_counter() - start
    return rekap


def _read(names: list[str], cache: BerkasCache | None, workers: int | None,
          max_unpacked_bytes: int, progress: ProgressFn | None, keep_baris: bool
          ) -> tuple[list[HasilBerkas], int]:
    """Each file's result, in order: from the cache when its bytes were read before (a file
    whose stat is unchanged is not even hashed), else read by the workers, which start
    before the cached results are decoded. Fresh and cached results go through the same
    decoder; a damaged cache entry is read again."""
    from .cache import DAMAGED, decode, racy, tanda_stat

    results: list[HasilBerkas | None] = [None] * len(names)
    now = time.time_ns()
    tanda: list[tuple[str, str] | None] = [None] * len(names)
    sidik: list[str | None] = [None] * len(names)
    known: dict[str, tuple[str, str]] = {}
    cached: list[int] = []
    todo = list(range(len(names)))
    if cache is not None:
        tanda = [tanda_stat(n) for n in names]
        known = cache.stats()
        unknown: list[int] = []
        for i, t in enumerate(tanda):
            seen = known.get(t[0]) if t is not None else None
            if t is not None and seen is not None and seen[0] == t[1]:
                sidik[i] = seen[1]
            else:
                unknown.append(i)
        if not cache.empty():  # a first run need not hash files twice
            for i, h in zip(unknown, _sidik_all([names[i] for i in unknown]), strict=True):
                sidik[i] = h
        stored = cache.stored([h for h in sidik if h is not None])
        cached = [i for i in todo if sidik[i] in stored]
        todo = [i for i in todo if sidik[i] not in stored]

    def remember(i: int, h: str | None) -> None:
        t = tanda[i]
        if cache is not None and t is not None and h is not None \
                and known.get(t[0]) != (t[1], h) and not racy(t[1], now):
            cache.put_stat(t[0], t[1], h)

    def take(i: int, h: str | None, blob: bytes, fresh: bool = True) -> None:
        """File ``i``'s result from its encoding (raises DAMAGED); a fresh one is stored."""
        r = decode(blob, names[i], keep_baris)
        r.sidik = h
        results[i] = r
        if cache is not None and h is not None:
            if fresh:
                cache.put(h, blob)
            remember(i, h)

    again: list[int] = []
    reading = read_all([names[i] for i in todo], workers, max_unpacked_bytes, progress)
    try:
        for start in range(0, len(cached) if cache is not None else 0, 500):
            chunk = cached[start:start + 500]  # decoded while the workers read the others
            blobs = cache.blobs([h for i in chunk if (h := sidik[i])])  # type: ignore[union-attr]
            for i in chunk:
                blob = blobs.get(sidik[i] or "")
                if blob is not None:
                    try:
                        take(i, sidik[i], blob, fresh=False)
                        continue
                    except DAMAGED:
                        pass
                again.append(i)  # no entry, or a damaged one: the file is read again
        for i, (h, blob) in zip(todo, reading, strict=True):
            take(i, h, blob)
    finally:
        reading.close()
    if again:
        for i, (h, blob) in zip(again, read_all([names[i] for i in again], workers,
                                                max_unpacked_bytes, None), strict=True):
            take(i, h, blob)
    if cache is not None:
        cache.commit()
    dari_cache = len(cached) - len(again)
    return [r for r in results if r is not None], dari_cache


def _sidik(name: str) -> str | None:
    try:
        return read_regular(name)[1]
    except FileProblem:
        return None


def _sidik_all(names: Sequence[str]) -> Iterator[str | None]:
    """Each file's sha256 (None when it cannot be read), in order. Reading and hashing
    release the GIL, so threads use every core; at most a few files' bytes are held at
    once (each thread drops its file's bytes before taking the next one)."""
    threads = min(8, os.cpu_count() or 1)
    if threads <= 1 or len(names) < 64:
        yield from map(_sidik, names)
        return
    pool = ThreadPoolExecutor(max_workers=threads)
    try:
        yield from pool.map(_sidik, names)
    finally:  # Ctrl+C: the files not yet hashed are dropped
        pool.shutdown(wait=True, cancel_futures=True)


def _tolak(r: HasilBerkas, jenis: str, pesan: str, saran: str = "") -> None:
    r.masalah.append(Finding(ERROR, jenis, "", pesan, saran))


def _majority(results: list[HasilBerkas], attr: str, what: str, option: str,
              catatan: list[str]) -> None:
    """Refuse the files whose tahun/periode differs from the value held by more than half
    of the readable files; refuse them all when no value has such a majority."""
    usable = [r for r in results if r.terbaca and not r.masalah]
    counts = Counter(getattr(r, attr) for r in usable)
    if len(counts) < 2:
        return
    top, n = counts.most_common(1)[0]
    rincian = ", ".join(f"{v}: {c} berkas" for v, c in counts.most_common())
    if 2 * n > len(usable):
        refused = [r for r in usable if getattr(r, attr) != top]
        for r in refused:
            _tolak(r, f"{what}_berbeda",
                   f"{what.capitalize()} workbook {getattr(r, attr)} berbeda dari {what} "
                   f"sebagian besar berkas ({top}); tidak direkap bersama.",
                   f'Pakai {option} "{getattr(r, attr)}" untuk merekap {what} itu, atau minta '
                   f"unit mengirim workbook {what} {top}.")
        catatan.append(f"{what.capitalize()} berkas bercampur ({rincian}): {len(refused)} "
                       f"berkas dengan {what} selain {top} ditolak. Pakai {option} untuk "
                       f"memilih {what} lain.")
    else:
        for r in usable:
            _tolak(r, f"{what}_bercampur",
                   f"{what.capitalize()} berkas bercampur tanpa mayoritas yang jelas "
                   f"({rincian}); tidak ada yang direkap.",
                   f"Pilih {what} yang direkap dengan {option}.")
        catatan.append(f"{what.capitalize()} berkas bercampur tanpa mayoritas yang jelas "
                       f"({rincian}): semua berkas ditolak. Pilih {what} dengan {option}.")


def _assemble(results: list[HasilBerkas], tahun: int | None, periode: str | None,
              katalog: list[UnitKatalog] | None, sertakan_error: bool = False) -> Rekap:
    catatan: list[str] = []
    # checks that reject a readable file
    for r in results:
        if not r.terbaca or r.masalah:
            continue
        if tahun is not None and r.tahun != tahun:
            _tolak(r, "tahun", f"Workbook tahun {r.tahun}, bukan tahun {tahun} yang direkap.",
                   f"Minta unit mengirim workbook tahun {tahun}.")
        if periode is not None and r.periode != periode:
            _tolak(r, "periode", f"Periode workbook {r.periode} (Identitas!B10), bukan "
                   f"{periode} yang direkap.",
                   f"Minta unit mengisi dan mengirim workbook {periode}.")
    if tahun is None:
        _majority(results, "tahun", "tahun", "--tahun", catatan)
    if periode is None:
        _majority(results, "periode", "periode", "--periode", catatan)
    by_kode: dict[str, list[HasilBerkas]] = {}
    for r in results:
        if r.terbaca and not r.masalah and r.kode_satker:
            by_kode.setdefault(r.kode_satker, []).append(r)
    for kode, group in by_kode.items():
        if len(group) < 2:
            continue
        for r in group:
            others = ", ".join(o.berkas for o in group if o is not r)
            _tolak(r, "unit_ganda",
                   f"Unit dengan kode satker {kode} juga dikirim dalam berkas {others}; "
                   "tidak ada yang direkap sampai tinggal satu berkas.",
                   "Pastikan setiap unit mengirim satu berkas: hapus berkas yang lama atau "
                   "salah, lalu jalankan rekap lagi.")

    notes: dict[int, list[Finding]] = {}
    if katalog is not None:
        known = {k.kode_satker for k in katalog}
        for r in results:
            if r.terbaca and not r.masalah and r.kode_satker not in known:
                notes.setdefault(id(r), []).append(Finding(
                    PERINGATAN, "di_luar_katalog", "",
                    f"Unit {r.kode_satker} ({r.nama_unit}) tidak ada di katalog.",
                    "Periksa kode satker di lembar Identitas, atau tambahkan unit ke katalog."))

    statuses = [_status(r, notes.get(id(r), []), sertakan_error) for r in results]
    shown = [s.unit for s in statuses if s.unit is not None]
    counted = [u for u in shown if u.dihitung]
    _rank(counted)
    counted.sort(key=lambda u: (u.peringkat is None, u.peringkat or 0, u.kode_satker))
    others = sorted((u for u in shown if not u.dihitung), key=lambda u: u.kode_satker)
    belum: list[UnitKatalog] = []
    ditolak_katalog: list[UnitKatalog] = []
    if katalog is not None:
        sent = {u.kode_satker for u in shown}
        tried = {r.kode_satker for r in results if r.kode_satker}
        belum = [k for k in katalog if k.kode_satker not in sent | tried]
        ditolak_katalog = [k for k in katalog if k.kode_satker in tried - sent]
    pagu = sum(u.total.pagu for u in counted)
    real = sum(u.total.realisasi for u in counted)
    return Rekap(
        berkas=statuses, unit=counted + others, iku=_iku_rekap(shown),
        jenis_belanja=_jenis(counted),
        total=PosRingkas("TOTAL", "Jumlah nasional", pagu, real, _serapan(real, pagu),
                         pagu - real),
        capaian=statistik([u.capaian for u in counted]),
        capaian_rata_rata_revisi=statistik([u.capaian_revisi for u in counted]).rata_rata,
        belum_mengirim=belum, ditolak_katalog=ditolak_katalog, tahun=tahun, periode=periode,
        pakai_katalog=katalog is not None, sertakan_error=sertakan_error, catatan=catatan)


def _status(r: HasilBerkas, extra: list[Finding], sertakan_error: bool) -> StatusBerkas:
    """One file's status and reasons; sets the unit's status and whether it is counted."""
    alasan: list[str] = []
    if r.masalah or r.unit is None:
        status = DITOLAK
        alasan = [f.pesan for f in r.masalah]
    else:
        errors = sum(f.tingkat == ERROR for f in r.temuan)
        alasan = [f.pesan for f in extra]
        if not r.unit.terisi:
            status = BELUM_DIISI
            _no_capaian(r.unit)
            alasan.insert(0, "Workbook belum diisi: tidak ada realisasi IKU maupun realisasi "
                          "anggaran; ditampilkan, tetapi tidak dihitung dalam angka nasional "
                          "dan peringkat.")
        elif errors:
            status = STATUS_ERROR
            alasan.insert(0, f"{errors} error pada isian (lihat lembar Temuan); "
                          + ("tetap dihitung karena --sertakan-error." if sertakan_error else
                             "ditampilkan, tetapi tidak dihitung dalam angka nasional dan "
                             "peringkat."))
        elif extra or r.temuan:
            status = STATUS_PERINGATAN
        else:
            status = OK
        if r.temuan and status != BELUM_DIISI:
            alasan.append(f"{len(r.temuan)} temuan pada isian ({errors} error, "
                          f"{len(r.temuan) - errors} peringatan); lihat lembar Temuan.")
        r.unit.status = status
        r.unit.dihitung = status in (OK, STATUS_PERINGATAN) or (
            status == STATUS_ERROR and sertakan_error)
    return StatusBerkas(
        berkas=r.berkas, kode_satker=r.kode_satker, nama_unit=r.nama_unit,
        versi_template=r.versi_template, tahun=r.tahun, periode=r.periode, status=status,
        alasan=alasan, temuan=list(r.masalah) + extra + list(r.temuan),
        unit=r.unit if status != DITOLAK else None, sidik=r.sidik)


def _no_capaian(u: UnitRingkas) -> None:
    """A workbook with nothing typed has no capaian (not 0 "Kurang")."""
    u.capaian = u.capaian_revisi = None
    u.kategori = u.warna = None
    if isinstance(u.sasaran, Kolom):
        u.sasaran.kosongkan()
    for s in u.sasaran if isinstance(u.sasaran, list) else ():
        s.capaian = s.capaian_revisi = None
        s.kategori = None
    if isinstance(u.iku, IkuKolom):
        u.iku.kosongkan()
        return
    for h in u.iku:
        h.capaian = h.capaian_revisi = None
        h.kategori = h.warna = None


def _serapan(realisasi: float, pagu: float) -> float | None:
    return bulatkan(serapan(realisasi, pagu), BAKU)


def statistik(values: Iterable[float | None]) -> Statistik:
    """Mean, median, minimum and maximum of the values given (None skipped), rounded."""
    vals = [v for v in values if v is not None]
    if not vals:
        return Statistik(0, None, None, None, None)
    return Statistik(len(vals), bulatkan(sum(vals) / len(vals), BAKU),
                     bulatkan(statistics.median(vals), BAKU), min(vals), max(vals))


def _rank(units: list[UnitRingkas]) -> None:
    """Competition ranking by overall capaian (PK): equal capaian, equal rank (1, 2, 2, 4)."""
    ordered = sorted((u for u in units if u.capaian is not None), key=lambda u: -u.capaian)
    prev: float | None = None
    rank = 0
    for i, u in enumerate(ordered, 1):
        if u.capaian != prev:
            rank, prev = i, u.capaian
        u.peringkat = rank


def _iku_rekap(units: list[UnitRingkas]) -> list[IkuRekap]:
    """Per IKU kode (in order of first appearance, units by kode satker): each shown unit's
    capaian and category (views of the units, see :class:`PerUnit`), national figures over
    the counted units, the name and unit most units give it."""
    by_kode = {u.kode_satker: u for u in sorted(units, key=lambda u: u.kode_satker)}
    counted: dict[str, list[float | None]] = {}
    structures: dict[int, list[Any]] = {}  # id -> [(kode, nama, satuan) of each IKU, units]
    for u in by_kode.values():
        iku = u.iku
        if isinstance(iku, IkuKolom):
            struktur = iku.struktur
            cap = iku.capaian
            values: Sequence[float | None] = [None if v != v else v for v in cap] \
                if type(cap) is array else cap
            pairs: Iterable[tuple[str, float | None]] = (
                (kode, values[i]) for kode, i in struktur.indeks.items())
        else:
            struktur = IkuStruktur((h.kode, h.nama, h.satuan) for h in iku)
            last = {h.kode: h.capaian for h in iku}
            pairs = last.items()
        for kode, c in pairs:
            got = counted.get(kode)
            if got is None:
                got = counted[kode] = []
            if u.dihitung:
                got.append(c)
        seen = structures.get(id(struktur))
        if seen is None:
            structures[id(struktur)] = [struktur, 1]
        else:
            seen[1] += 1
    names: dict[str, Counter[tuple[str, str]]] = {}
    for struktur, n in structures.values():  # in order of first appearance
        for kode, nama, satuan in struktur:
            names.setdefault(kode, Counter())[(nama, satuan)] += n
    out = []
    for kode, values in counted.items():
        st = statistik(values)
        out.append(IkuRekap(kode, _most_common(names[kode], 0), _most_common(names[kode], 1),
                            PerUnit(kode, by_kode, "capaian"), PerUnit(kode, by_kode, "kategori"),
                            st, kategori_untuk(st.rata_rata, BAKU)[0]))
    return out


def _most_common(pairs: Counter[tuple[str, str]], which: int) -> str:
    """The name (0) or unit (1) most units give an IKU; ties go to the first seen."""
    c: Counter[str] = Counter()
    for pair, n in pairs.items():
        c[pair[which]] += n
    return c.most_common(1)[0][0]


def _jenis(units: list[UnitRingkas]) -> list[PosRingkas]:
    sums: dict[str, list[float]] = {}
    for u in units:
        groups = u.jenis_belanja
        for kode, pagu, realisasi in (groups.pagu_realisasi() if isinstance(groups, Kolom) else
                                      ((j.kode, j.pagu, j.realisasi) for j in groups)):
            acc = sums.setdefault(kode, [0.0, 0.0])
            acc[0] += pagu
            acc[1] += realisasi
    return [PosRingkas(k, NAMA_JENIS.get(k, k), pg, rl, _serapan(rl, pg), pg - rl)
            for k, (pg, rl) in sorted(sums.items())]

