"""The hidden ``xlwings.conf`` sheet of an .xlsm: settings xlwings' VBA reads before it
starts Python (keys in column A from A1 down, values in column B; a key here overrides
xlwings' user and folder config files).

* ``ADD_WORKBOOK_TO_PYTHONPATH`` False: nothing is imported from the workbook's folder,
  and a workbook opened from a OneDrive/SharePoint folder (a URL, not a path) does not
  break xlwings before the routine starts.
* ``INTERPRETER_WIN``: the Python that ``pasang.bat`` of the offline install kit
  (``workbook-gen paket``) creates, under the user's own %LOCALAPPDATA%; xlwings
  expands the variable. On macOS the interpreter comes from xlwings' user config
  (docs/excel.md).
"""

from __future__ import annotations

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from .context import Context
from .styles import protect

SHEET_XLWINGS_CONF = "xlwings.conf"
#: Where pasang.bat puts the virtual environment (per user, no admin rights).
VENV_WIN = r"%LOCALAPPDATA%\workbook-gen\python"
INTERPRETER_WIN = VENV_WIN + r"\Scripts\python.exe"
SETTINGS = (
    ("ADD_WORKBOOK_TO_PYTHONPATH", "False"),
    ("INTERPRETER_WIN", INTERPRETER_WIN),
)


def write(wb: Workbook, ctx: Context) -> Worksheet | None:
    """Only in a workbook with the button (.xlsm)."""
    if not ctx.macro:
        return None
    ws = wb.add_worksheet(SHEET_XLWINGS_CONF)
    ws.set_column("A:A", 32)
    ws.set_column("B:B", 60)
    for i, (key, value) in enumerate(SETTINGS):
        ws.write_string(i, 0, key)
        ws.write_string(i, 1, value)
    protect(ws, ctx.spec)
    ws.hide()
    return ws
