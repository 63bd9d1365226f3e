"""Petunjuk: how to fill the workbook, what the colours mean, how to enable macros,
where the Hitung Capaian button is and what to do when it reports problems."""

from __future__ import annotations

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from .. import formulas
from ..layout import (
    SHEET_ANGGARAN,
    SHEET_CATATAN,
    SHEET_IDENTITAS,
    SHEET_REALISASI,
    SHEET_TARGET,
    SUMMARY_SHEETS,
)
from .context import BUTTON_CAPTION, Context
from .styles import (
    WARNA_GRUP,
    WARNA_HEADER,
    WARNA_INPUT,
    WARNA_RUMUS,
    WARNA_TEMUAN,
    WARNA_TIDAK_BERLAKU,
    protect,
    setup_print,
    unit_line,
)


def _angka(x: float) -> str:
    return formulas.num(x).replace(".", ",")


def band_text(ctx: Context) -> list[tuple[str, str]]:
    """(colour, 'Baik: capaian 80 sampai 100 %') for every category band."""
    out = []
    prev = None
    for band in ctx.spec.pengaturan.kategori:
        parts = []
        if band.minimal is not None:
            parts.append(f"di atas {_angka(band.minimal)}" if band.lebih_dari
                         else f"{_angka(band.minimal)}")
        if prev is not None and prev.minimal is not None:
            top = _angka(prev.minimal)
            if band.minimal is None:
                parts.append(f"sampai {top}" if prev.lebih_dari else f"di bawah {top}")
            else:
                parts.append(f"sampai {top}" if prev.lebih_dari else f"sampai di bawah {top}")
        if band.minimal is not None and not band.lebih_dari and len(parts) == 1:
            parts[0] += " ke atas"
        rng = " ".join(parts) or "semua nilai"
        out.append((band.warna, f"{band.nama}: capaian {rng} %"))
        prev = band
    return out


LITE_SECTION = ("Menjalankan tombol dengan xlwings Lite (versi .xlsx ini)", [
    "Tombol berjalan di Excel Microsoft 365, Excel 2021 ke atas dan Excel di web melalui "
    "add-in gratis xlwings Lite, tanpa Python dan tanpa makro; semua perhitungan berjalan "
    "di komputer Anda dan tidak ada data yang dikirim keluar.",
    "Berkas dari email atau unduhan: klik 'Aktifkan Pengeditan' (Enable Editing). Bila "
    "panel xlwings Lite belum terpasang, Excel menawarkannya: pilih tambahkan (Add), lalu "
    "'Percayai dan Lanjutkan' (Trust and Continue), dan klik tombol sekali lagi.",
    "Rincian untuk admin (memasang add-in untuk semua staf): docs/lite.md.",
])


def sections(ctx: Context) -> list[tuple[str, list[str]]]:
    """The Petunjuk text: (heading, paragraphs)."""
    spec = ctx.spec
    tombol = (
        f"Tombol \"{BUTTON_CAPTION}\" ada di bagian atas sheet {SHEET_IDENTITAS}, "
        f"{SHEET_REALISASI} dan {SHEET_ANGGARAN}."
        if ctx.macro or ctx.lite else
        f"Berkas ini adalah salinan .xlsx TANPA makro: tombol \"{BUTTON_CAPTION}\" hanya ada "
        "di versi .xlsm. Rumus di sheet Realisasi, Anggaran dan sheet ringkasan tetap "
        "menghitung otomatis; untuk memeriksa isian pakai versi .xlsm."
    )
    ringkasan = ", ".join(n for n in ctx.summary_names or SUMMARY_SHEETS if n != SHEET_CATATAN)
    return [
        ("Untuk apa workbook ini", [
            f"Workbook standar pelaporan kinerja (SAKIP) untuk {unit_line(spec)}. Target, "
            "realisasi dan anggaran diisi sekali di sini; capaian, serapan dan tabel laporan "
            "kinerja (LKj) dihitung dari isian itu, sehingga angka yang sama tidak perlu "
            "diketik berulang kali.",
        ]),
        ("Urutan pengisian", [
            f"1. {SHEET_IDENTITAS}: periksa nama unit dan tahun, pilih periode laporan "
            "(TW I, TW II, TW III, TW IV atau Tahunan), isi nama dan NIP (atau NRP) kepala, "
            "dan total pagu DIPA bila ada. Mengganti periode langsung menghitung ulang semua "
            "kolom 's.d. periode'. Narasi bab Penutup LKj (permasalahan, upaya, saran) juga "
            "diketik di sini.",
            f"2. {SHEET_TARGET}: isi target PK, target revisi (bila ada revisi anggaran / "
            "Automatic Adjustment), target per triwulan (boleh kosong) dan, untuk IKU "
            "penurunan, baseline (jumlah kasus tahun lalu).",
            f"3. {SHEET_REALISASI}: isi realisasi setiap triwulan. Sel kosong berarti belum "
            "dilaporkan (tidak dihitung 0): kosongkan bila belum ada, tulis 0 hanya bila "
            "realisasinya memang nol. Untuk IKU kategori pilih label dari daftar. Untuk IKU "
            "penurunan isi jumlah kasus triwulan itu; persentase penurunan dihitung otomatis. "
            "Isi juga "
            "faktor pendorong, penghambat dan upaya.",
            "   IKU rasio (\"persentase X dari Y\"): isi pembilang dan penyebut setiap "
            "triwulan di kolom Pembilang/Penyebut (U:AB), misalnya 6 dan 265; persentase "
            "triwulan dan s.d. periode (jumlah pembilang / jumlah penyebut) dihitung otomatis. "
            "IKU penurunan dalam persen: isi persentase penurunannya; kenaikan kasus ditulis "
            "negatif, misalnya -135,15%.",
            f"4. {SHEET_ANGGARAN}: isi pagu awal, pagu revisi (bila ada) dan realisasi setiap "
            "triwulan dalam rupiah. Triwulan yang kosong ditandai belum dilaporkan (dalam "
            "jumlah dihitung 0); tulis 0 bila memang tidak ada belanja. Bila hanya realisasi "
            "setahun yang diketahui, isi kolom Realisasi Tahunan (dipakai pada TW IV/Tahunan). "
            "Jumlah per kegiatan, per jenis belanja dan total dihitung otomatis.",
            f"5. Sheet ringkasan ({ringkasan}) dihitung rumus dari isian. Klik "
            f"\"{BUTTON_CAPTION}\" untuk memeriksa isian dan menulis temuannya di "
            f"{SHEET_CATATAN}.",
            "Angka boleh diketik seperti biasa menurut pengaturan Windows/Excel Anda, misalnya "
            "1.470 atau 12,5 pada pengaturan Indonesia. Sel IKU bersatuan persen berformat "
            "persen: ketik 54% untuk 54 % (di Excel 54 saja juga jadi 54 %; di LibreOffice "
            "ketik dengan tanda %). Angka yang tersimpan sebagai teks (misalnya ditempel dari "
            "Word) tidak dihitung rumus maupun Hitung Capaian: ketik ulang sebagai angka.",
        ]),
        ("Tombol Hitung Capaian", [
            tombol,
            "Tombol ini membaca semua sel isian, memeriksanya, menghitung capaian dengan "
            "aturan yang sama dengan rumus di workbook, membandingkan angka yang dihitung "
            "rumus dengan hasilnya, menandai sel bermasalah dan menulis Catatan Validasi. "
            "Isian Anda tidak pernah diubah.",
        ]),
        LITE_SECTION if ctx.lite else
        ("Mengaktifkan makro (versi .xlsm)", [
            "Tombol memakai makro VBA yang memanggil Python melalui xlwings. Di komputer perlu "
            "terpasang Python dan paket workbook-gen (lihat docs/excel.md atau tanyakan admin "
            "perencanaan); modul xlwings sudah ada di dalam workbook ini.",
            "Saat membuka berkas, Excel menampilkan bilah kuning 'PERINGATAN KEAMANAN Makro "
            "telah dinonaktifkan': klik 'Aktifkan Konten' (Enable Content).",
            "Bila muncul bilah merah 'RISIKO KEAMANAN Microsoft telah memblokir makro' (berkas "
            "dari email atau unduhan): tutup Excel, klik kanan berkas di File Explorer, pilih "
            "Properties, centang 'Unblock' (Buka blokir), klik OK, lalu buka lagi.",
            "Di macOS Excel dapat meminta izin akses folder saat pertama kali tombol dipakai: "
            "pilih Izinkan (Grant Access).",
        ]),
        ("Bila Hitung Capaian melaporkan masalah", [
            f"Masalah ditulis di sheet '{SHEET_CATATAN}': setiap baris menyebut sheet dan sel, "
            "apa yang salah dan apa yang harus diisi. ERROR harus diperbaiki (nilainya tidak "
            "dihitung); PERINGATAN perlu diperiksa (misalnya realisasi belum diisi).",
            "Perbaiki sel yang disebut, lalu klik Hitung Capaian lagi. Contoh: jumlah orang "
            "diketik di IKU bersatuan persen, teks di sel angka, target 0 atau kosong.",
            "Bila makro tidak berjalan sama sekali, rumus di sheet Realisasi dan Anggaran "
            "tetap benar; kirim workbook ke admin untuk diproses.",
        ]),
        ("Yang tidak boleh diubah", [
            "Jangan mengganti nama, menghapus atau memindahkan sheet, dan jangan menyisipkan "
            "baris atau kolom: posisi setiap sel dicatat di sheet tersembunyi dan dibaca saat "
            "konsolidasi. Sheet dikunci (Protect Sheet)"
            + (" dengan kata sandi dari admin." if spec.pengaturan.kata_sandi else
               " tanpa kata sandi; membuka kuncinya hanya untuk keperluan admin."),
            "Sel abu-abu berisi rumus: jangan diketik ulang. Bila sebuah angka terlihat salah, "
            "perbaiki isiannya (sel kuning).",
        ]),
        ("Cara menghitung (ringkas)", [
            "Realisasi s.d. periode: kumulatif = jumlah triwulan yang dilaporkan; nilai akhir "
            "= triwulan terakhir yang dilaporkan; rata-rata = rata-rata triwulan yang "
            "dilaporkan. Triwulan yang tidak diukur (kolom 'Diukur pada' di sheet Target) "
            "tidak dihitung. Realisasi tahunan (kolom 'Realisasi tahunan' di sheet "
            "Realisasi, diisi hanya bila angka setahun yang dilaporkan berbeda dari "
            "triwulannya) menggantikan angka dari triwulan mulai TW IV; perbedaannya "
            "dicatat di Catatan Validasi.",
            "Capaian IKU maksimal = realisasi / target x 100. IKU minimal = (2 x target - "
            "realisasi) / target x 100 (paling kecil 0), atau target / realisasi x 100 bila "
            "diatur demikian. IKU penurunan: realisasi = (baseline - jumlah kasus) / "
            "baseline x 100. IKU kategori: peringkat label realisasi / peringkat label "
            "target x 100.",
            "Target 0 atau kosong: capaian dikosongkan (tidak dihitung). Pembulatan: "
            + ("dipotong" if spec.pengaturan.pembulatan == "potong" else "dibulatkan")
            + f" {spec.pengaturan.desimal} desimal.",
            "Kategori dan rata-rata capaian memakai capaian terhadap target "
            + ("revisi (target utama unit ini; IKU tanpa target revisi memakai target PK)"
               if spec.pengaturan.utama_revisi else "PK")
            + "; capaian terhadap kedua target tetap ditampilkan.",
            "Serapan anggaran = realisasi s.d. periode / pagu efektif x 100; sisa = pagu "
            "efektif - realisasi.",
        ]),
    ]


def write(wb: Workbook, ctx: Context) -> Worksheet:
    st = ctx.styles
    ws = wb.add_worksheet("Petunjuk")
    ws.set_column("A:A", 4)
    ws.set_column("B:B", 120)
    ws.hide_gridlines(2)
    ws.write_string("A1", f"Petunjuk Pengisian Workbook Kinerja {ctx.spec.unit.nama} "
                    f"{ctx.spec.tahun}", st.get("title"))
    ws.write_string("A2", unit_line(ctx.spec), st.get("subtitle"))
    row = 3
    head = st.get("label", font_size=12, font_color=WARNA_HEADER)
    para = st.get("plain", text_wrap=True, valign="top")
    for heading, paragraphs in sections(ctx):
        row += 1
        ws.write_string(row, 0, heading, head)
        row += 1
        for text in paragraphs:
            ws.write_string(row, 1, text, para)
            ws.set_row(row, 15 * (1 + len(text) // 130))
            row += 1
        if heading == "Urutan pengisian":
            row = _legend(ws, ctx, row + 1)
    setup_print(ws, header_row=None, landscape=False, title="Petunjuk")
    protect(ws, ctx.spec)
    ws.activate()
    return ws


def _legend(ws: Worksheet, ctx: Context, row: int) -> int:
    st = ctx.styles
    ws.write_string(row, 0, "Arti warna", st.get("label", font_size=12, font_color=WARNA_HEADER))
    row += 1
    items = [
        (WARNA_INPUT, "Kuning: sel isian. Hanya sel ini yang bisa diubah."),
        (WARNA_RUMUS, "Abu-abu muda: rumus, dihitung otomatis (terkunci)."),
        (WARNA_TIDAK_BERLAKU, "Abu-abu: tidak berlaku untuk IKU ini (misalnya baseline IKU "
                              "yang bukan penurunan)."),
        (WARNA_GRUP, "Biru muda: baris jumlah (per kegiatan, per jenis belanja, total)."),
        (WARNA_TEMUAN, f"Merah: isian yang bermasalah menurut sheet '{SHEET_CATATAN}'; tanda "
                       "hilang setelah diperbaiki dan Hitung Capaian dijalankan lagi."),
        *[(colour, f"Kategori capaian - {text}") for colour, text in band_text(ctx)],
    ]
    for colour, text in items:
        ws.write_blank(row, 0, None, st.get("legend", bg_color=colour))
        ws.write_string(row, 1, text, st.get("plain"))
        row += 1
    return row
