"""Hitung Capaian with no Python installed and no macros: the xlwings Lite path.

* ``package`` writes the Lite workbook (``buat SPEC -o UNIT.xlsx --lite``): the macro-free
  workbook plus the add-in parts that carry ``main.py`` and the routine's modules.
* ``bundle`` packs the routine's pure modules and writes ``main.py``.
* ``book`` is the book adapter for xlwings Lite; ``run`` is what ``main.py`` calls.

``book`` and ``run`` import the standard library and the pure core only: they run in
Pyodide inside Excel. Nothing here is imported by this package's ``__init__``.
"""
