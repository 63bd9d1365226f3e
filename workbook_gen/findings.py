"""Findings (temuan), the report that collects them, and the project's exceptions.

Every problem the project finds in a spec, a workbook or the data is a :class:`Finding`
with a level (``error`` or ``peringatan``), a location (spec path, or ``Sheet!Cell``,
prefixed by the file), a message and what to do. Checks collect every finding instead of
stopping at the first; callers decide the exit code from :attr:`Report.valid`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field

ERROR = "error"
PERINGATAN = "peringatan"


@dataclass(frozen=True)
class Finding:
    tingkat: str  # ERROR or PERINGATAN
    jenis: str  # short machine code, e.g. "target_nol"
    lokasi: str  # "templates/x.yaml: sasaran[0].iku[1].target" or "Realisasi!F7"
    pesan: str  # what is wrong (Indonesian)
    saran: str = ""  # what to type or do instead (Indonesian)

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


@dataclass
class Report:
    """An ordered collection of findings."""

    findings: list[Finding] = field(default_factory=list)

    def add(self, tingkat: str, jenis: str, lokasi: str, pesan: str, saran: str = "") -> None:
        self.findings.append(Finding(tingkat, jenis, lokasi, pesan, saran))

    def error(self, jenis: str, lokasi: str, pesan: str, saran: str = "") -> None:
        self.add(ERROR, jenis, lokasi, pesan, saran)

    def warn(self, jenis: str, lokasi: str, pesan: str, saran: str = "") -> None:
        self.add(PERINGATAN, jenis, lokasi, pesan, saran)

    def extend(self, other: Iterable[Finding]) -> None:
        self.findings.extend(other)

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.findings)

    def __len__(self) -> int:
        return len(self.findings)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.tingkat == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.tingkat == PERINGATAN]

    @property
    def valid(self) -> bool:
        return not self.errors

    def as_list(self) -> list[dict[str, str]]:
        return [f.as_dict() for f in self.findings]

    def to_json(self) -> str:
        return json.dumps(
            {"valid": self.valid, "temuan": self.as_list()}, ensure_ascii=False, indent=2
        )

    def format_table(self) -> str:
        """A readable table for people (Indonesian)."""
        if not self.findings:
            return "Tidak ada temuan."
        lines = []
        for i, f in enumerate(self.findings, 1):
            lines.append(f"{i:>3}. [{f.tingkat.upper()}] {f.lokasi}")
            lines.append(f"     {f.pesan}")
            if f.saran:
                lines.append(f"     Saran: {f.saran}")
        lines.append(
            f"Jumlah: {len(self.errors)} error, {len(self.warnings)} peringatan."
        )
        return "\n".join(lines)


class WorkbookGenError(Exception):
    """Base of every error the project reports to a person (never shown as a traceback)."""


class SpecError(WorkbookGenError):
    """A spec that cannot be used; :attr:`report` lists every problem."""

    def __init__(self, report: Report, sumber: str) -> None:
        super().__init__(f"Spec {sumber} tidak valid ({len(report.errors)} error).")
        self.report = report
        self.sumber = sumber


class OutputError(WorkbookGenError):
    """An output file that cannot be written (exists, folder missing, locked)."""
