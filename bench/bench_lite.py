"""Sizes and times of the xlwings Lite workbook (``buat --lite``) for the bundled examples.

Prints per example: the workbook's size, the add-in settings part (webextension1.xml,
Office keeps add-in settings to about 2 MB), main.py's length and the packed core (zip
and base64), the time to write the workbook, and, when Pyodide is installed
(scripts/install_pyodide.sh), the time of one Hitung Capaian run of main.py under Pyodide
in Node.js against the Lite double (start-up included) with the calls it made.

Run: .venv/bin/python bench/bench_lite.py
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.test_lite import PYODIDE, RUNNER, _properties, values_of  # noqa: E402
from workbook_gen.generate import build_workbook  # noqa: E402
from workbook_gen.lite import bundle, package  # noqa: E402
from workbook_gen.spec import load_spec  # noqa: E402

EXAMPLES = sorted((ROOT / "templates").glob("*.yaml"))


def main() -> None:
    core = bundle.core_zip()
    print(f"inti: {len(bundle.core_files())} berkas, zip {len(core):,} B, "
          f"base64 {len(core) * 4 // 3:,} B")
    with tempfile.TemporaryDirectory() as tmp:
        for path in EXAMPLES:
            spec = load_spec(path)
            t0 = time.perf_counter()
            data = package.build_lite_workbook(spec)
            t_build = time.perf_counter() - t0
            out = Path(tmp) / "unit.xlsx"
            out.write_bytes(data)
            z = zipfile.ZipFile(out)
            webext = len(z.read(package.WEBEXT))
            main_py = _properties(z)["main.py"]
            line = (f"{path.name}: workbook {len(data):,} B, webextension1.xml {webext:,} B "
                    f"({webext / 2_000_000:.1%} dari ~2 MB), main.py {len(main_py):,} karakter, "
                    f"ditulis {t_build:.2f} s")
            if (PYODIDE / "pyodide.asm.wasm").exists():
                plain = Path(tmp) / "plain.xlsx"
                plain.write_bytes(build_workbook(spec, macro=False))
                values = json.loads(json.dumps(values_of(plain), default=str))
                job = Path(tmp) / "job.json"
                job.write_text(json.dumps({
                    "fake_lite": (ROOT / "tests" / "fake_lite.py").read_text("utf-8"),
                    "main": main_py, "name": "unit.xlsx", "values": values}), "utf-8")
                t0 = time.perf_counter()
                done = subprocess.run(["node", str(RUNNER), str(PYODIDE), str(job)],
                                      capture_output=True, text=True, timeout=600)
                t_run = time.perf_counter() - t0
                record = json.loads(done.stdout.strip().splitlines()[-1])
                calls = {k: len(v) for k, v in record["calls"].items()}
                line += (f"; Pyodide {record['python']}: {t_run:.1f} s per klik (dengan "
                         f"memuat Python), panggilan {calls}")
            print(line)


if __name__ == "__main__":
    main()
