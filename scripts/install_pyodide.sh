#!/usr/bin/env bash
# Pasang Pyodide (Python dalam WebAssembly) untuk uji jalur xlwings Lite di Node.js:
# paket npm 'pyodide' ke folder .pyodide/ (diabaikan git). Aman dijalankan berulang kali;
# bila sudah terpasang dengan versi yang sama, tidak ada yang diunduh. Uji berjalan tanpa
# jaringan: paket ini sudah memuat pyodide.asm.wasm, python_stdlib.zip dan pyodide-lock.json.
# Lewati dengan WORKBOOK_GEN_TANPA_PYODIDE=1.
set -euo pipefail
cd "$(dirname "$0")/.."

VERSI="${PYODIDE_VERSI:-314.0.7}"
TUJUAN=".pyodide"
if [ "${WORKBOOK_GEN_TANPA_PYODIDE:-0}" = "1" ]; then
    exit 0
fi
if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
    echo "Peringatan: node/npm tidak ada; uji Pyodide dilewati (pasang Node.js 18+)." >&2
    exit 0
fi
PAKET="$TUJUAN/node_modules/pyodide"
if [ -f "$PAKET/package.json" ] && \
   [ "$(node -p "require('./$PAKET/package.json').version")" = "$VERSI" ]; then
    exit 0
fi
mkdir -p "$TUJUAN"
npm install --prefix "$TUJUAN" --no-audit --no-fund --no-save --silent "pyodide@$VERSI"
for f in pyodide.mjs pyodide.asm.mjs pyodide.asm.wasm python_stdlib.zip pyodide-lock.json; do
    if [ ! -f "$PAKET/$f" ]; then
        echo "Kesalahan: $PAKET/$f tidak ada setelah npm install." >&2
        exit 1
    fi
done
echo "Pyodide $VERSI terpasang di $PAKET"
