#!/usr/bin/env bash
# Siapkan proyek di mesin Linux baru: virtualenv .venv, paket Python proyek (dengan
# perlengkapan uji), LibreOffice headless untuk uji rumus, python3-uno untuk uji
# spreadsheet hidup (UNO) dan Gnumeric (ssconvert, mesin rumus kedua); lewati paket
# Debian dengan WORKBOOK_GEN_TANPA_LIBREOFFICE=1. Aman dijalankan berulang kali.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[uji]'

# Paket Debian yang dibutuhkan uji, masing-masing hanya bila belum ada:
#   libreoffice-calc-nogui  soffice headless (uji rumus)
#   python3-uno             jembatan UNO (uji Hitung Capaian pada spreadsheet hidup)
#   gnumeric                ssconvert (mesin rumus kedua)
#   libreoffice-writer-nogui  .docx ke PDF (uji tampilan tabel LKj)
#   poppler-utils           pdftotext/pdftoppm (membaca dan melihat halaman)
PAKET_DEBIAN=()
if ! command -v soffice >/dev/null 2>&1; then
    PAKET_DEBIAN+=(libreoffice-calc-nogui)
fi
if [ ! -f /usr/lib/python3/dist-packages/uno.py ] && [ ! -f /usr/lib/libreoffice/program/uno.py ]; then
    PAKET_DEBIAN+=(python3-uno)
fi
if ! command -v ssconvert >/dev/null 2>&1; then
    PAKET_DEBIAN+=(gnumeric)
fi
if [ ! -e /usr/lib/libreoffice/program/libswlo.so ]; then
    PAKET_DEBIAN+=(libreoffice-writer-nogui)
fi
if ! command -v pdftotext >/dev/null 2>&1; then
    PAKET_DEBIAN+=(poppler-utils)
fi
if [ "${WORKBOOK_GEN_TANPA_LIBREOFFICE:-0}" != "1" ] && [ "${#PAKET_DEBIAN[@]}" -gt 0 ]; then
    SUDO=""
    if [ "$(id -u)" != "0" ]; then
        SUDO="sudo"
    fi
    if command -v apt-get >/dev/null 2>&1; then
        echo "Memasang ${PAKET_DEBIAN[*]} (untuk uji rumus dan spreadsheet hidup)..."
        $SUDO apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${PAKET_DEBIAN[@]}" >/dev/null
    else
        echo "Peringatan: apt-get tidak ada; pasang sendiri: ${PAKET_DEBIAN[*]}." >&2
    fi
fi
bash scripts/install_pyodide.sh
echo "Siap: .venv/bin/workbook-gen"
