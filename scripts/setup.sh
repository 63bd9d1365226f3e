#!/usr/bin/env bash
# Siapkan proyek di mesin Linux baru: virtualenv .venv, paket Python proyek (dengan
# perlengkapan uji), dan LibreOffice headless untuk uji rumus (lewati dengan
# WORKBOOK_GEN_TANPA_LIBREOFFICE=1). Aman dijalankan berulang kali.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[uji]'

if [ "${WORKBOOK_GEN_TANPA_LIBREOFFICE:-0}" != "1" ] && ! command -v soffice >/dev/null 2>&1; then
    SUDO=""
    if [ "$(id -u)" != "0" ]; then
        SUDO="sudo"
    fi
    if command -v apt-get >/dev/null 2>&1; then
        echo "Memasang LibreOffice headless (untuk uji rumus)..."
        $SUDO apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libreoffice-calc-nogui >/dev/null
    else
        echo "Peringatan: apt-get tidak ada; pasang LibreOffice (soffice) sendiri untuk uji rumus." >&2
    fi
fi
bash scripts/install_pyodide.sh
echo "Siap: .venv/bin/workbook-gen"
