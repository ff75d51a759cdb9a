"""Suggested actions: written once, as goenv-tui's own command line in backticks, and said
as that command (the CLI) or as the keys that do the same (the TUI).

Every suggestion the core makes goes through :func:`command` (or the helpers on it), so
that a test can follow each one (:func:`commands`) and the TUI can say it as keys
(:func:`as_keys`).
"""

from __future__ import annotations

import re
import shlex

PROG = "goenv-tui"
_IN_TEXT = re.compile(r"`(goenv-tui(?: [^`]*)?)`")


def command(*argv: str) -> str:
    """```goenv-tui ARGV...``` in backticks, each word quoted for a POSIX shell (a ``~``
    stays bare: the shell's expansion and goenv-tui's own give the same file)."""
    return "`" + " ".join(_quoted(word) for word in (PROG, *argv)) + "`"


def _quoted(word: str) -> str:
    bare = word.replace("~", "")
    return word if bare and shlex.quote(bare) == bare else shlex.quote(word)


def set_command(name: str, value: str, place: str | None = None) -> str:
    """The command that sets ``name`` to ``value`` (in ``place``, a ``--to`` text)."""
    return command("set", f"{name}={value}", *(("--to", place) if place else ()))


def unset_command(name: str, place: str | None = None) -> str:
    """The command that unsets ``name`` (from ``place``, a ``--from`` text)."""
    return command("unset", name, *(("--from", place) if place else ()))


def fix_command(finding_id: str) -> str:
    """The command that applies a finding's fix."""
    return command("fix", finding_id)


def commands(text: str) -> list[list[str]]:
    """Every goenv-tui command suggested in ``text``, as argv lists without the program."""
    out = []
    for match in _IN_TEXT.finditer(text):
        try:
            words = shlex.split(match.group(1))
        except ValueError:
            continue
        out.append(words[1:])
    return out


def _place_words(spec: str) -> str:
    if spec == "goenv":
        return "the go env file"
    if spec == "startup":
        return "the managed block"
    if spec.startswith("startup:"):
        return f"the managed block in {spec.removeprefix('startup:')}"
    return spec


#: The TUI's keys for a command that needs no arguments there.
_KEY_FOR = {
    "explain": "the detail pane explains the selected variable",
    "history": "press H",
    "preview": "press p",
    "apply": "press a",
    "show": "press A",
    "doctor": "press d",
}


def _keys(argv: list[str]) -> str | None:
    """How the TUI does ``argv`` (None: it has no keys for it; the command stays)."""
    if not argv:
        return None
    verb, rest = argv[0], argv[1:]
    place = rest[rest.index("--to") + 1] if "--to" in rest[:-1] else None
    if verb == "set" and rest and "=" in rest[0]:
        name, value = rest[0].split("=", 1)
        where = f", choose {_place_words(place)}" if place else ""
        return f"press e on {name}, type {value!r}{where} and press Enter"
    if verb == "unset" and rest:
        return f"press u on {rest[0]}"
    if verb == "fix" and rest:
        return f"press f on finding {rest[0]} (d shows the findings)"
    if verb == "rollback":
        which = f" {rest[0]}" if rest and not rest[0].startswith("-") else ""
        return f"press H, choose{which or ' the transaction'} and press R"
    if verb in _KEY_FOR:
        return _KEY_FOR[verb]
    if verb == "stage" and rest[:1] == ["clear"]:
        return "press p and d on each staged change"
    return None


def as_keys(text: str) -> str:
    """``text`` with each suggested command said as the TUI's keys for it."""

    def swap(match: re.Match[str]) -> str:
        try:
            words = shlex.split(match.group(1))
        except ValueError:
            return match.group(0)
        keys = _keys(words[1:])
        return match.group(0) if keys is None else keys

    return _IN_TEXT.sub(swap, text)
