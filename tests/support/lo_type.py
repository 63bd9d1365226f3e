"""Type text into cells with LibreOffice, as a person at the keyboard would.

Run with an interpreter that has LibreOffice's ``uno`` module (Debian: /usr/bin/python3
with python3-uno), not the project's virtualenv:

    /usr/bin/python3 tests/support/lo_type.py JOB.json

JOB.json: {"input": "in.xlsx", "output": "out.xlsx", "locale": "id-ID",
           "cells": [["Realisasi", "E7", "54%"], ...]}

Each text goes through LibreOffice's input handler (``.uno:EnterString`` on the selected
cell), so number recognition, the cell's format (a percent cell) and the locale apply
exactly as when typing; the workbook is then saved as xlsx. A throw-away profile (its own
locale) and a private pipe are used, so runs can go in parallel; soffice is ended by its
process group in every case.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]

SETTINGS = [
    ("/org.openoffice.Setup/L10N", "ooSetupSystemLocale", "{locale}"),
    ("/org.openoffice.Setup/L10N", "ooLocale", "{locale}"),
    ("/org.openoffice.Setup/Office", "ooSetupInstCompleted", "true"),
    ("/org.openoffice.Office.Common/Misc", "FirstRun", "false"),
]


def profile_xcu(locale: str) -> str:
    items = "".join(
        f'<item oor:path="{path}"><prop oor:name="{name}" oor:op="fuse">'
        f"<value>{value.format(locale=locale)}</value></prop></item>\n"
        for path, name, value in SETTINGS)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
            'xmlns:xs="http://www.w3.org/2001/XMLSchema" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
            f"{items}</oor:items>\n")


def prop(name: str, value: object) -> PropertyValue:
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def url(path: str) -> str:
    return uno.systemPathToFileUrl(os.path.abspath(path))


def connect(pipe: str, deadline: float):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local)
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def main(job_path: str) -> None:
    with open(job_path, encoding="utf-8") as fh:
        job = json.load(fh)
    root = tempfile.mkdtemp(prefix="lo-type-")
    os.makedirs(os.path.join(root, "user"))
    with open(os.path.join(root, "user", "registrymodifications.xcu"), "w",
              encoding="utf-8") as fh:
        fh.write(profile_xcu(job.get("locale", "id-ID")))
    pipe = f"lotype{os.getpid()}"
    proc = subprocess.Popen(
        [job.get("soffice", "soffice"), "--headless", "--invisible", "--norestore",
         "--nologo", f"-env:UserInstallation={url(root)}", f"--accept=pipe,name={pipe};urp;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    desktop = None
    try:
        deadline = time.monotonic() + 90
        ctx = connect(pipe, deadline)
        smgr = ctx.ServiceManager
        desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        work = os.path.join(root, "isian" + os.path.splitext(job["input"])[1])
        shutil.copyfile(job["input"], work)  # a private copy: no lock files shared
        doc = None
        while doc is None:  # the first load can come back empty while soffice starts
            doc = desktop.loadComponentFromURL(url(work), "_blank", 0,
                                               (prop("Hidden", True),))
            if doc is None:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"LibreOffice could not open {job['input']}")
                time.sleep(0.5)
        dispatcher = smgr.createInstanceWithContext("com.sun.star.frame.DispatchHelper", ctx)
        controller = doc.getCurrentController()
        frame = controller.getFrame()
        for sheet, cell, text in job["cells"]:
            controller.select(doc.Sheets.getByName(sheet).getCellRangeByName(cell))
            dispatcher.executeDispatch(frame, ".uno:EnterString", "", 0,
                                       (prop("StringName", text),))
        doc.storeToURL(url(job["output"]), (prop("FilterName", "Calc MS Excel 2007 XML"),))
        try:
            doc.close(True)
        except Exception:  # soffice may go away while closing; the file is stored
            desktop = None
    finally:
        if desktop is not None:
            try:
                desktop.terminate()
            except Exception:
                pass
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1])
