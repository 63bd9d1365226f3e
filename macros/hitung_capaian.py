"""Run the Hitung Capaian button's routine by hand on a workbook open in Excel
(debugging from an editor): ``python macros/hitung_capaian.py BERKAS.xlsm``.

The button itself imports ``workbook_gen.excel.tombol`` (see macros/vba/*.bas).
"""

from __future__ import annotations

import sys

if __name__ == "__main__":  # pragma: no cover - needs Excel
    import xlwings as xw

    from workbook_gen.excel.tombol import main

    xw.Book(sys.argv[1] if len(sys.argv) > 1 else "contoh.xlsm").set_mock_caller()
    main()
