"""Follow every suggestion a finding makes, with --dry-run: each must succeed as it stands,
refer to files and lines that exist today, and not send the user on to another suggestion."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from goenv_tui.core.advice import commands
from tests.conftest import Sandbox

#: Suggestions that change state: followed with --dry-run.
FOLLOWED = {"set", "unset", "fix"}
#: Suggestions about the staged plan or history: checked for form only (they need a state
#: the finding does not create).
KNOWN = FOLLOWED | {
    "rollback",
    "stage",
    "preview",
    "apply",
    "show",
    "doctor",
    "recover",
    "explain",
    "history",
}
#: A flag said outside a whole command is a suggestion nobody can follow as written.
_BARE_FLAG = re.compile(r"(?<![\w`-])--(?:to|from|empty|force)\b")
_IN_TEXT = re.compile(r"`goenv-tui[^`]*`")


def _lines_exist(argv: list[str], home: Path) -> None:
    """A FILE:LINE in --to/--from names a line the file has today."""
    for flag in ("--to", "--from"):
        if flag not in argv[:-1]:
            continue
        spec = argv[argv.index(flag) + 1]
        match = re.fullmatch(r"(.+):([0-9]+)", spec)
        if match is None:
            continue
        name = match.group(1)
        path = home / name[2:] if name.startswith("~/") else Path(name)
        assert path.is_file(), f"{spec}: no such file today"
        count = len(path.read_bytes().splitlines())
        assert 1 <= int(match.group(2)) <= count, f"{spec}: the file has {count} lines"


def check_text(text: str) -> None:
    """No --to/--from outside a whole command."""
    bare = _BARE_FLAG.findall(_IN_TEXT.sub("", text))
    assert not bare, f"a flag suggested outside a command: {text}"


def follow(
    sb: Sandbox, text: str, env: Mapping[str, str] | None, seen: set[tuple[str, ...]]
) -> list[list[str]]:
    """Follow each suggestion in ``text`` once; returns the ones followed."""
    check_text(text)
    followed = []
    for argv in commands(text):
        assert argv and argv[0] in KNOWN, f"not a goenv-tui command: {argv} in {text}"
        if argv[0] not in FOLLOWED or tuple(argv) in seen:
            continue
        seen.add(tuple(argv))
        _lines_exist(argv, sb.home)
        out = sb.goenv_tui(*argv, "--dry-run", env=env)
        said = out.stdout + out.stderr
        assert out.returncode == 0, f"{argv} failed:\n{said}\n(suggested by: {text})"
        onward = [a for a in commands(said) if a and a[0] in ("set", "unset")]
        assert not onward, f"{argv} suggests something else: {onward}\n{said}"
        assert "no effect" not in said, f"{argv} would do nothing:\n{said}"
        check_text(said)
        followed.append(argv)
    return followed


def follow_findings(
    sb: Sandbox, findings: Mapping[str, dict[str, Any]], env: Mapping[str, str] | None
) -> int:
    """Every finding's suggestions (its message and its fix) followed; how many."""
    seen: set[tuple[str, ...]] = set()
    count = 0
    for fid, finding in findings.items():
        text = finding["message"]
        if finding["fix"] is not None:
            text += f" `goenv-tui fix {fid}`"
        count += len(follow(sb, text, env, seen))
    return count
