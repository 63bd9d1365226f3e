"""A running headless LibreOffice for tests that drive a live spreadsheet over UNO.

``Office`` starts ``soffice`` with a throw-away profile (tests.support.libreoffice) and
its own pipe name, connects the UNO bridge (``workbook_gen.excel.uno.import_uno``), and
on ``close()`` terminates the office and kills its process group, so nothing outlives
the fixture. Documents are loaded hidden; ``load`` returns the SpreadsheetDocument.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from workbook_gen.excel.uno import import_uno, property_values

from .libreoffice import _kill_group, _make_profile, find_soffice

START_TIMEOUT = 60.0


class Office:
    def __init__(self, soffice: str | None = None) -> None:
        self.uno = import_uno()
        exe = soffice or find_soffice()
        if exe is None:
            raise RuntimeError("soffice tidak ditemukan")
        self._tmp = tempfile.TemporaryDirectory(prefix="wg-uno-")
        profile = _make_profile(Path(self._tmp.name), "en-US")
        self.pipe = f"wg_uno_{os.getpid()}_{uuid.uuid4().hex[:8]}"
        self.proc = subprocess.Popen(
            [exe, "--headless", "--invisible", "--nologo", "--norestore", "--nodefault",
             "--nolockcheck", f"-env:UserInstallation={profile.as_uri()}",
             f"--accept=pipe,name={self.pipe};urp;StarOffice.ComponentContext"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True)
        try:
            self.ctx = self._connect()
            smgr = self.ctx.ServiceManager
            self.desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop",
                                                          self.ctx)
        except BaseException:
            self.close()
            raise

    def _connect(self) -> Any:
        local = self.uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local)
        url = f"uno:pipe,name={self.pipe};urp;StarOffice.ComponentContext"
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                return resolver.resolve(url)
            except Exception:  # noqa: BLE001 - NoConnectException until soffice listens
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("LibreOffice tidak bisa dihubungi lewat UNO") from None
                time.sleep(0.2)

    def load(self, path: Path) -> Any:
        return self.desktop.loadComponentFromURL(
            path.resolve().as_uri(), "_blank", 0, property_values(self.uno, Hidden=True))

    def close(self) -> None:
        try:
            if getattr(self, "desktop", None) is not None:
                self.desktop.terminate()
        except Exception:  # noqa: BLE001 - the bridge goes away while terminating
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        _kill_group(self.proc)
        self._tmp.cleanup()
