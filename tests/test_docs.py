"""Every command and option of the CLI is documented in docs/cli.md."""

from __future__ import annotations

import argparse

from workbook_gen.cli import build_parser

from .conftest import ROOT


def _commands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


def test_every_command_and_option_is_documented():
    doc = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    missing = []
    for name, parser in _commands().items():
        if f"## `workbook-gen {name}" not in doc:
            missing.append(name)
        for action in parser._actions:
            for opt in action.option_strings:
                if opt.startswith("--") and opt != "--help" and f"`{opt}" not in doc:
                    missing.append(f"{name} {opt}")
    assert missing == []


def test_readme_starts_with_the_two_commands():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    block = lines[lines.index("```bash") + 1: lines.index("```")]
    assert block == [
        "bash scripts/setup.sh && .venv/bin/workbook-gen demo",
        ".venv/bin/python -m pytest",
    ]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert ci.rstrip().splitlines()[-1] == block[1]
