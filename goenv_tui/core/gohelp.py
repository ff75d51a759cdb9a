"""Per-variable help text, taken from the installed go's own `go help environment`."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Mapping

from goenv_tui.core.acting import as_acting_user

_NAMES = re.compile(r"^\t([A-Z][A-Z0-9_]*(?:, [A-Z][A-Z0-9_]*)*)\s*$")


def parse_help(text: str) -> dict[str, str]:
    """Split `go help environment` into {NAME: its paragraph(s)}, keeping go's wording."""
    out: dict[str, list[str]] = {}
    current: list[str] = []  # the paragraph of the names being read (shared by a group)
    for line in text.splitlines():
        m = _NAMES.match(line)
        if m:
            current = []
            for name in m.group(1).split(", "):
                out[name] = current
            continue
        if line.startswith("\t\t"):
            current.append(line[2:])
        elif line.strip():
            current = []  # a section heading or prose between lists
    return {name: "\n".join(lines).strip() for name, lines in out.items() if lines}


def go_help(go: str, env: Mapping[str, str], timeout: float = 5.0) -> dict[str, str]:
    """Run `go help environment` with the user's environment; {} when go cannot answer."""
    try:
        done = subprocess.run(
            [go, "help", "environment"],
            env=dict(env),
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            timeout=timeout,
            check=False,
            **as_acting_user(),
        )
    except (OSError, subprocess.SubprocessError):
        return {}
    return parse_help(done.stdout) if done.returncode == 0 else {}
