"""From a katalog's tables to one spec mapping per unit, each value's katalog location
kept beside it.

The katalog's own rules live here (references between tables, one row per unit and per
unit+IKU, required cells); every rule about an IKU, a number or a budget line stays in
``workbook_gen.spec``: each unit's mapping is validated by ``spec_from_data`` exactly as
a YAML spec, and its findings are moved from spec paths to the katalog cells they came
from (``terjemahkan``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..findings import Finding, Report, SpecError
from ..parsing import ParseError, parse_value
from ..spec import KODE_TANPA_KOMPONEN, Spec, spec_from_data
from .baca import Bahan, Baris, KatalogError, read_tables
from .format import PENGATURAN_KUNCI, PERIODE_KATALOG, TW

SUMBER = "\x00katalog"  # spec source marker: findings at f"{SUMBER}: path" are translated
PREFIX = SUMBER + ": "


@dataclass
class UnitData:
    """One unit's spec mapping and where each of its values is in the katalog."""

    kode_satker: str
    nama: str
    data: dict[str, Any]
    letak: dict[str, str]  # spec path ("sasaran[0].iku[1].target") -> katalog location
    tempat: str  # the unit's row

    def terjemahkan(self, f: Finding) -> Finding:
        """The finding with its spec path replaced by the katalog location."""
        if not f.lokasi.startswith(PREFIX):
            return f
        path = f.lokasi[len(PREFIX):]
        letak = self._letak_berkode()
        probe = path
        while probe:
            if probe in letak:
                return Finding(f.tingkat, f.jenis, letak[probe], f.pesan, f.saran)
            cut = max(probe.rfind("."), probe.rfind("["))
            probe = probe[:cut] if cut > 0 else ""
        return Finding(f.tingkat, f.jenis, f"{self.tempat} (unit {self.kode_satker}: {path})",
                       f.pesan, f.saran)

    def _letak_berkode(self) -> dict[str, str]:
        """``letak`` keyed by index paths and by the paths findings use, which name list
        items by their codes (``sasaran[SS1].iku[IKU-2].target``, see spec.item_label)."""
        import re

        from ..spec import _path_text

        out = dict(self.letak)
        for key, where in self.letak.items():
            parts: list[str | int] = [int(i) if i else n for n, i in
                                      re.findall(r"([^.\[\]]+)|\[(\d+)\]", key)]
            out.setdefault(_path_text(parts, self.data), where)
        return out

    def spec(self) -> Spec:
        """The unit's Spec; SpecError with findings at katalog locations."""
        try:
            spec = spec_from_data(self.data, SUMBER)
        except SpecError as exc:
            report = Report([self.terjemahkan(f) for f in exc.report])
            raise SpecError(report, self.tempat) from None
        spec.sumber = f"{self.kode_satker} {self.nama}"
        spec.temuan_masukan = [self.terjemahkan(f) for f in spec.temuan_masukan]
        return spec


@dataclass
class Katalog:
    sumber: str
    tahun: int | None
    periode: str | None
    unit: list[UnitData] = field(default_factory=list)
    report: Report = field(default_factory=Report)


def _tanpa_komponen(k: dict[str, Any], kp: str, letak: dict[str, str]) -> None:
    """A kegiatan whose one row has komponen code '-' is itself the budget line (spec:
    a kegiatan without komponen); its values and their cells move up to the kegiatan."""
    if len(k["komponen"]) != 1 or k["komponen"][0]["kode"] != KODE_TANPA_KOMPONEN:
        return
    c = k.pop("komponen")[0]
    cp = f"{kp}.komponen[0]"
    for key, value in c.items():
        if key not in ("kode", "nama"):
            k[key] = value
    for path in [p for p in letak if p == cp or p.startswith(cp + ".")]:
        field = path[len(cp) + 1:]
        moved = letak.pop(path)
        if field not in ("kode", "nama"):
            letak[f"{kp}.{field}" if field else kp] = moved


def _kode(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).strip() or None


def _number(v: Any, where: str, apa: str, report: Report, integer: bool = False) -> Any:
    """A number from a cell (12, '12,5', '1.470'), or None with an error at ``where``."""
    if v is None or isinstance(v, (int, float)) and not isinstance(v, bool):
        out = v
    else:
        try:
            parsed = parse_value(v)
        except ParseError as exc:
            report.error("bukan_angka", where, f"{apa}: {exc.message}", exc.saran)
            return None
        if parsed.value is None or parsed.label is not None:
            report.error("bukan_angka", where, f"{apa}: '{v}' bukan angka.", "Tulis angka.")
            return None
        out = parsed.value
    if out is not None and integer:
        if float(out).is_integer():
            return int(out)
        report.error("bukan_bilangan_bulat", where, f"{apa}: '{v}' harus bilangan bulat.",
                     "Tulis bilangan bulat, misalnya 2026.")
        return None
    return out


def _periode(v: Any) -> str | None:
    text = " ".join(str(v or "").split()).casefold()
    for p in PERIODE_KATALOG:
        if p.casefold() == text or p.replace(" ", "").casefold() == text.replace(" ", ""):
            return "tahunan" if p == "Tahunan" else p
    return None


def _pengaturan(rows: list[Baris], report: Report
                ) -> tuple[dict[str, Any], dict[str, str], int | None, str | None]:
    out: dict[str, Any] = {}
    letak: dict[str, str] = {}
    seen: dict[str, str] = {}
    rows_where: dict[str, str] = {}
    tahun = periode = None
    for b in rows:
        key = str(b.nilai.get("pengaturan") or "").strip().casefold().replace(" ", "_")
        where = b.letak.get("nilai", b.tempat)
        value = b.nilai.get("nilai")
        if key == "kategori" and isinstance(value, list):
            out["kategori"] = [_band(b, f"{where}[{i}]", report) for i, b in enumerate(value)]
            letak["pengaturan.kategori"] = where  # YAML katalog: bands as in a spec
            continue
        if key not in PENGATURAN_KUNCI:
            report.error("pengaturan_tidak_dikenal", b.letak.get("pengaturan", b.tempat),
                         f"Pengaturan '{b.nilai.get('pengaturan')}' tidak dikenal.",
                         f"Pakai salah satu: {', '.join(PENGATURAN_KUNCI)}.")
            continue
        if key in seen:
            report.error("pengaturan_ganda", b.letak.get("pengaturan", b.tempat),
                         f"Pengaturan '{key}' sudah ditulis di {seen[key]}.",
                         "Tulis setiap pengaturan sekali.")
            continue
        seen[key] = b.letak.get("pengaturan", b.tempat)
        rows_where[key] = where
        if key in ("tahun", "periode"):
            letak[key] = where
        if value is None:
            continue
        if key == "tahun":
            tahun = _number(value, where, "Tahun", report, integer=True)
        elif key == "periode":
            periode = _periode(value)
            if periode is None:
                report.error("periode", where, f"Periode '{value}' tidak dikenal.",
                             f"Isi salah satu: {', '.join(PERIODE_KATALOG)}.")
        elif key in ("desimal", "batas_capaian", "batas_realisasi_persen"):
            n = _number(value, where, f"Pengaturan {key}", report, integer=key == "desimal")
            if n is not None:
                out[key] = n
                letak[f"pengaturan.{key}"] = where
        else:
            out[key] = str(value)
            letak[f"pengaturan.{key}"] = where
    given = {"tahun": tahun, "periode": periode}
    for key in ("tahun", "periode"):
        if given[key] is None and not any(f.lokasi == rows_where.get(key) for f in report):
            report.error("pengaturan_wajib", rows_where.get(key, "Pengaturan"),
                         f"Pengaturan '{key}' wajib diisi.",
                         "Isi tahun anggaran, misalnya 2026." if key == "tahun" else
                         f"Isi salah satu: {', '.join(PERIODE_KATALOG)}.")
    return out, letak, tahun, periode


class _Unknown:
    """References to a unit or IKU that is not in the katalog: one finding per code and
    sheet (at its first cell, naming the others), not one per row."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.found: dict[tuple[str, str, str], list[str]] = {}

    def add(self, jenis: str, sheet: str, kode: str | None, where: str) -> None:
        self.found.setdefault((jenis, sheet, kode or ""), []).append(where)

    def report_all(self, ikus: list[str]) -> None:
        for (jenis, _sheet, kode), cells in self.found.items():
            others = ""
            if len(cells) > 1:
                more = f" dan {len(cells) - 6} lainnya" if len(cells) > 6 else ""
                others = f" (juga di {', '.join(cells[1:6])}{more})"
            if jenis == "unit_tidak_dikenal":
                self.report.error(jenis, cells[0], f"Kode satker '{kode or '(kosong)'}' tidak "
                                  f"ada di lembar Unit{others}.",
                                  "Tambahkan unitnya di lembar Unit atau perbaiki kodenya.")
            else:
                known = ", ".join(ikus[:10]) + (", ..." if len(ikus) > 10 else "")
                self.report.error(jenis, cells[0], f"Kode IKU '{kode or '(kosong)'}' tidak ada "
                                  f"di lembar IKU{others}.",
                                  f"Pakai salah satu: {known or '(belum ada IKU)'}.")


def _band(b: Any, where: str, report: Report) -> Any:
    """A capaian category from a YAML katalog, whose scalars are all text."""
    if not isinstance(b, dict):
        return b
    out = dict(b)
    m = out.get("minimal")
    out["minimal"] = None if m in (None, "", "null", "~") else _number(
        m, f"{where}.minimal", "Minimal kategori", report)
    if "lebih_dari" in out:
        out["lebih_dari"] = str(out["lebih_dari"]).strip().casefold() in ("true", "ya", "1")
    return out


def _text(v: Any) -> str | None:
    return None if v is None else str(v)


def susun(bahan: Bahan) -> Katalog:
    """Apply the katalog's rules to its tables; per unit a spec mapping (not yet checked
    by the spec's rules: :meth:`UnitData.spec` does that)."""
    report = bahan.report
    t = bahan.tabel
    pengaturan, p_letak, tahun, periode = _pengaturan(t.get("pengaturan", []), report)
    kat = Katalog(sumber=bahan.sumber, tahun=tahun, periode=periode, report=report)

    skala: dict[str, list[dict[str, Any]]] = {}
    s_letak: dict[str, str] = {}
    for b in t.get("skala", []):
        nama = _kode(b.nilai["skala"])
        label = _text(b.nilai.get("label"))
        if nama is None or label is None:
            report.error("sel_wajib", b.tempat, "Nama skala dan label wajib diisi.",
                         "Isi kedua kolom, atau hapus barisnya.")
            continue
        level: dict[str, Any] = {"label": label}
        if b.nilai.get("minimal") is not None:
            level["minimal"] = _number(b.nilai["minimal"], b.letak["minimal"],
                                       f"Minimal label '{label}'", report)
        s_letak.setdefault(f"skala.{nama}", b.tempat)
        skala.setdefault(nama, []).append(level)

    # national indicator set: sasaran -> IKU definitions (targets come per unit)
    sasaran: list[dict[str, Any]] = []
    sas_index: dict[str, int] = {}
    sas_letak: dict[str, str] = {}
    for b in t.get("sasaran", []):
        kode = _kode(b.nilai.get("kode"))
        if kode is None:
            report.error("sel_wajib", b.letak["kode"], "Kode sasaran kosong.",
                         "Isi kode sasaran, misalnya SS1.")
            continue
        i = len(sasaran)
        if kode in sas_index:
            report.error("kode_ganda", b.letak["kode"], f"Kode sasaran '{kode}' dipakai dua "
                         "kali.", "Beri setiap sasaran kode yang berbeda.")
            continue
        sas_index[kode] = i
        sasaran.append({"kode": kode, "nama": _text(b.nilai.get("nama")) or "", "iku": []})
        sas_letak[f"sasaran[{i}]"] = b.tempat
        sas_letak[f"sasaran[{i}].kode"] = b.letak["kode"]
        sas_letak[f"sasaran[{i}].nama"] = b.letak["nama"]
    iku_pos: dict[str, tuple[int, int]] = {}
    iku_row: dict[str, Baris] = {}
    for b in t.get("iku", []):
        kode = _kode(b.nilai.get("kode"))
        skode = _kode(b.nilai.get("kode_sasaran"))
        if kode is None:
            report.error("sel_wajib", b.letak["kode"], "Kode IKU kosong.",
                         "Isi kode IKU, misalnya IKU-1.")
            continue
        if kode in iku_row:
            report.error("kode_ganda", b.letak["kode"],
                         f"Kode IKU '{kode}' sudah dipakai di {iku_row[kode].tempat}.",
                         "Beri setiap IKU kode yang berbeda.")
            continue
        if skode not in sas_index:
            report.error("sasaran_tidak_dikenal", b.letak["kode_sasaran"],
                         f"IKU {kode} menunjuk sasaran '{skode or '(kosong)'}' yang tidak ada "
                         "di lembar Sasaran.",
                         f"Pakai salah satu kode sasaran: {', '.join(sas_index) or '(belum ada)'}.")
            continue
        d: dict[str, Any] = {"kode": kode}
        letak = {"kode": b.letak["kode"]}
        for k in ("nama", "satuan", "penanggung_jawab", "polaritas", "rumus_minimal", "agregasi",
                  "jenis", "skala", "rumus", "capaian_skor"):
            v = b.nilai.get(k)
            if v is not None or k in ("nama", "satuan"):
                d[k] = _kode(v) if k == "skala" else (_text(v) or "")
                letak[k] = b.letak[k]
        if b.nilai.get("diukur_pada") is not None:
            parts = [" ".join(x.split()) for x in
                     str(b.nilai["diukur_pada"]).replace(";", ",").split(",") if x.strip()]
            d["diukur_pada"] = [next((q for q in TW if q.casefold() == x.casefold()), x)
                                for x in parts]
            letak["diukur_pada"] = b.letak["diukur_pada"]
        if b.nilai.get("bobot") is not None:
            bobot = _number(b.nilai["bobot"], b.letak["bobot"], f"Bobot IKU {kode}", report)
            if bobot is not None:
                d["bobot"] = bobot
                letak["bobot"] = b.letak["bobot"]
        si = sas_index[skode]
        iku_pos[kode] = (si, len(sasaran[si]["iku"]))
        sasaran[si]["iku"].append(d)
        iku_row[kode] = Baris(d, letak, b.tempat)
    for kode, i in sas_index.items():
        if not sasaran[i]["iku"]:
            report.error("sasaran_tanpa_iku", sas_letak[f"sasaran[{i}]"],
                         f"Sasaran {kode} belum punya IKU.",
                         "Tambahkan IKU-nya di lembar IKU (kolom Kode Sasaran), atau hapus "
                         "sasaran ini.")

    units: dict[str, Baris] = {}
    for b in t.get("unit", []):
        kode = _kode(b.nilai.get("kode_satker"))
        if kode is None:
            report.error("sel_wajib", b.letak["kode_satker"], "Kode satker kosong.",
                         "Isi kode satker unit, misalnya 426482.")
            continue
        if kode in units:
            report.error("kode_ganda", b.letak["kode_satker"],
                         f"Kode satker {kode} sudah dipakai di {units[kode].tempat}.",
                         "Setiap unit satu baris dengan kode satker yang berbeda.")
            continue
        units[kode] = b
    if not units and not report.errors:
        report.error("tanpa_unit", "Unit", "Katalog belum berisi unit.",
                     "Tambahkan satu baris per unit di lembar Unit.")

    unknown = _Unknown(report)
    targets: dict[tuple[str, str], Baris] = {}
    for b in t.get("target", []):
        ks, ki = _kode(b.nilai.get("kode_satker")), _kode(b.nilai.get("kode_iku"))
        ok = True
        if ks not in units:
            unknown.add("unit_tidak_dikenal", "Target", ks, b.letak["kode_satker"])
            ok = False
        if ki not in iku_pos:
            unknown.add("iku_tidak_dikenal", "Target", ki, b.letak["kode_iku"])
            ok = False
        if not ok:
            continue
        if (ks, ki) in targets:
            report.error("target_ganda", b.tempat,
                         f"Target IKU {ki} unit {ks} sudah ditulis di {targets[ks, ki].tempat}.",
                         "Satu baris per unit per IKU; hapus salah satunya.")
            continue
        targets[ks, ki] = b

    budget: dict[str, list[Baris]] = {}
    for b in t.get("anggaran", []):
        ks = _kode(b.nilai.get("kode_satker"))
        if ks not in units:
            unknown.add("unit_tidak_dikenal", "Anggaran", ks, b.letak["kode_satker"])
            continue
        budget.setdefault(ks, []).append(b)
    unknown.report_all(list(iku_pos))

    base_letak = {**p_letak, **s_letak, **sas_letak}
    for si, s in enumerate(sasaran):
        for ii, d in enumerate(s["iku"]):
            for k, where in iku_row[d["kode"]].letak.items():
                base_letak[f"sasaran[{si}].iku[{ii}].{k}"] = where
            base_letak[f"sasaran[{si}].iku[{ii}]"] = iku_row[d["kode"]].tempat
    for ks, ub in units.items():
        kat.unit.append(_unit(ks, ub, sasaran, iku_pos, targets, budget.get(ks, []),
                              pengaturan, skala, tahun, periode, base_letak, report))
    return kat


def _unit(ks: str, ub: Baris, sasaran: list[dict[str, Any]],
          iku_pos: dict[str, tuple[int, int]], targets: dict[tuple[str, str], Baris],
          lines: list[Baris], pengaturan: dict[str, Any], skala: dict[str, Any],
          tahun: int | None, periode: str | None, base_letak: dict[str, str],
          report: Report) -> UnitData:
    letak = dict(base_letak)
    unit = {"kode_satker": ks, "nama": _text(ub.nilai.get("nama")) or ""}
    for k in ("nama", "kode_satker", "provinsi", "kepala", "nip"):
        letak[f"unit.{k}"] = ub.letak[k]
        if k in ("provinsi", "kepala", "nip") and ub.nilai.get(k) is not None:
            unit[k] = _kode(ub.nilai[k]) if k == "nip" else _text(ub.nilai[k])
    letak["unit"] = ub.tempat
    nip = ub.nilai.get("nip")
    if isinstance(nip, (int, float)) and abs(nip) >= 1e15:
        report.error("nip_angka", ub.letak["nip"],
                     f"NIP unit {ks} diketik sebagai angka ({nip:.0f}); Excel hanya menyimpan 15 "
                     "angka pertama, jadi angka terakhirnya sudah berubah.",
                     "Format sel sebagai Teks lalu ketik ulang NIP 18 angka.")
        unit.pop("nip", None)
    sas = [{**s, "iku": [dict(d) for d in s["iku"]]} for s in sasaran]
    missing = []
    for kode, (si, ii) in iku_pos.items():
        d = sas[si]["iku"][ii]
        path = f"sasaran[{si}].iku[{ii}]"
        tb = targets.get((ks, kode))
        d["target"] = None
        if tb is None:
            missing.append(kode)
            continue
        for k in ("target", "target_revisi", "baseline"):
            if tb.nilai.get(k) is not None or k == "target":
                d[k] = tb.nilai.get(k)
                letak[f"{path}.{k}"] = tb.letak[k]
        tw = [tb.nilai.get(f"target_tw{q}") for q in range(1, 5)]
        if any(v is not None for v in tw):
            d["target_tw"] = tw
            for q in range(4):
                letak[f"{path}.target_tw[{q}]"] = tb.letak[f"target_tw{q + 1}"]
            letak[f"{path}.target_tw"] = tb.letak["target_tw1"]
    if missing:
        report.warn("target_kosong", ub.letak["kode_satker"],
                    f"Unit {ks} belum punya baris target untuk IKU {', '.join(missing)}; "
                    "targetnya kosong di workbook.",
                    "Tambahkan baris di lembar Target bila IKU itu punya target untuk unit ini.")
    data: dict[str, Any] = {"versi_spec": 1, "unit": unit, "tahun": tahun, "periode": periode}
    if pengaturan:
        data["pengaturan"] = dict(pengaturan)
    if skala:
        data["skala"] = skala
    data["sasaran"] = sas
    if lines:
        kegiatan: list[dict[str, Any]] = []
        k_index: dict[str, int] = {}
        for b in lines:
            kk = _kode(b.nilai.get("kode_kegiatan")) or ""
            if kk not in k_index:
                k_index[kk] = len(kegiatan)
                kegiatan.append({"kode": kk, "nama": _text(b.nilai.get("kegiatan")) or "",
                                 "komponen": []})
                ki = k_index[kk]
                letak[f"anggaran.kegiatan[{ki}].kode"] = b.letak["kode_kegiatan"]
                letak[f"anggaran.kegiatan[{ki}].nama"] = b.letak["kegiatan"]
                letak[f"anggaran.kegiatan[{ki}]"] = b.tempat
            ki = k_index[kk]
            ci = len(kegiatan[ki]["komponen"])
            c: dict[str, Any] = {"kode": _kode(b.nilai.get("kode")) or "",
                                 "nama": _text(b.nilai.get("nama")) or "",
                                 "sasaran": _kode(b.nilai.get("kode_sasaran")) or "",
                                 "pagu_awal": b.nilai.get("pagu_awal")}
            for k in ("akun", "jenis_belanja"):
                if b.nilai.get(k) is not None:
                    c[k] = _kode(b.nilai[k])
            if b.nilai.get("pagu_revisi") is not None:
                c["pagu_revisi"] = b.nilai["pagu_revisi"]
            if b.nilai.get("penanggung_jawab") is not None:
                c["penanggung_jawab"] = _text(b.nilai["penanggung_jawab"])
                letak[f"anggaran.kegiatan[{ki}].komponen[{ci}].penanggung_jawab"] = \
                    b.letak["penanggung_jawab"]
            cp = f"anggaran.kegiatan[{ki}].komponen[{ci}]"
            for k, col in (("kode", "kode"), ("nama", "nama"), ("sasaran", "kode_sasaran"),
                           ("akun", "akun"), ("jenis_belanja", "jenis_belanja"),
                           ("pagu_awal", "pagu_awal"), ("pagu_revisi", "pagu_revisi")):
                letak[f"{cp}.{k}"] = b.letak[col]
            letak[cp] = b.tempat
            kegiatan[ki]["komponen"].append(c)
        for ki, k in enumerate(kegiatan):
            _tanpa_komponen(k, f"anggaran.kegiatan[{ki}]", letak)
        data["anggaran"] = {"kegiatan": kegiatan}
    return UnitData(ks, unit["nama"], data, letak, ub.tempat)


def load_katalog(path: Any) -> Katalog:
    """Read and assemble a katalog; KatalogError when its tables cannot be read. Problems
    between its tables are in :attr:`Katalog.report` (rows with a problem are left out of
    the units), units' own values are checked unit by unit (:meth:`UnitData.spec`), so
    :func:`periksa_unit` gives every problem at once."""
    bahan = read_tables(path)
    if bahan.report.errors:
        raise KatalogError(bahan.report, bahan.sumber)
    return susun(bahan)


def periksa_unit(kat: Katalog) -> tuple[list[Spec], Report]:
    """Every unit's Spec and one report of every problem (the same problem in the shared
    indicator set reported once, not once per unit)."""
    specs: list[Spec] = []
    report = Report(list(kat.report))
    seen: set[tuple[str, str, str, str]] = set()
    for u in kat.unit:
        try:
            spec = u.spec()
            found = spec.temuan_masukan
            specs.append(spec)
        except SpecError as exc:
            found = list(exc.report)
        merge(report, found, seen)
    return specs, report


def merge(report: Report, found: list[Finding], seen: set[tuple[str, str, str, str]]) -> None:
    """Add ``found`` to ``report``: a problem of the shared indicator set once, not once
    per unit, and no second error at a cell that already has one."""
    bad = {f.lokasi for f in report.errors}
    for f in found:
        key = (f.tingkat, f.jenis, f.lokasi, f.pesan)
        if key in seen or f.tingkat == "error" and f.lokasi in bad:
            continue
        seen.add(key)
        report.findings.append(f)


def daftar_unit(path: Any) -> list[tuple[str, str]]:
    """(kode satker, nama) of every unit in a katalog, in katalog order: what the
    consolidation's ``--katalog`` needs to list units that have not sent their workbook.
    KatalogError when the katalog cannot be read or its Unit table has errors."""
    bahan = read_tables(path)
    if bahan.report.errors:
        raise KatalogError(bahan.report, bahan.sumber)
    kat = susun(bahan)
    unit_errors = [f for f in kat.report.errors if f.lokasi.split("!")[0].casefold() in
                   ("unit", "unit.csv") or ": unit[" in f.lokasi]
    if unit_errors:
        raise KatalogError(Report(unit_errors), kat.sumber)
    return [(u.kode_satker, u.nama) for u in kat.unit]
