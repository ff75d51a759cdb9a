"""The xtrace record format: the PS4 strings for bash and zsh, and their parser.

Each record is printed before a command: a start byte, a nonce, then fields separated by
US (0x1f), the watched variables each led by FS (0x1c), GS (0x1d), then the command text.
The closing PS4 (the marker's) ends its variables with an empty `FS=` entry: that record shows
every watched name, not only the ones traced throughout.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .quoting import unquote

RS, US, FS, GS = "\x1e", "\x1f", "\x1c", "\x1d"


@dataclass(frozen=True)
class Record:
    """One xtrace record: where the command is, who runs it, the watched variables."""

    main: bool  # printed by the main shell (not a subshell)
    file: str
    line: int
    function: str  # the innermost function ("" at file level)
    caller_file: str  # bash: BASH_SOURCE[1]; zsh: the caller's file (functions, eval)
    caller_line: int
    depth: int  # function nesting depth
    vars: dict[str, tuple[bool, str]]  # name -> (exported, value)
    text: str  # the traced command
    all_names: bool = False  # printed by the closing PS4: every watched name is in `vars`


#: Ends the variables of a record printed by the closing PS4.
CLOSING = FS + "="


def bash_ps4(nonce: str, names: Iterable[str], closing: bool = False) -> str:
    """A bash (>= 4.4) PS4 printing one record; safe under `set -u`."""
    fields = US.join(
        [
            "${$}",
            "${BASHPID}",
            "${BASH_SOURCE[0]-}",
            "${LINENO}",
            "${FUNCNAME[0]-}",
            "${BASH_SOURCE[1]-}",
            "${BASH_LINENO[0]-}",
            "${FUNCNAME+${#FUNCNAME[@]}}",  # set -u: an unset FUNCNAME is no error
        ]
    )
    values = "".join(f"${{{n}+{FS}{n}=${{{n}@a}}=${{{n}@Q}}}}" for n in names)
    return f"{RS}{nonce}{US}{fields}{US}{values}{CLOSING if closing else ''}{GS}"


def zsh_ps4(nonce: str, names: Iterable[str], closing: bool = False) -> str:
    """A zsh PS4 (needs PROMPT_SUBST); `%` in values is doubled so prompt escapes stay inert."""
    fields = US.join(
        [
            "${ZSH_SUBSHELL:-0}",
            "0",
            "%x",
            "%I",
            "${funcstack[1]-}",
            "${funcfiletrace[1]-}",
            "-",
            "${#funcstack}",
        ]
    )
    values = "".join(f"${{{n}+{FS}{n}=${{(t){n}}}=${{${{(qqqq){n}}}//\\%/%%}}}}" for n in names)
    return f"{RS}{nonce}{US}{fields}{US}{values}{CLOSING if closing else ''}{GS}"


def parse_records(data: bytes, nonce: str, shell: str) -> list[Record]:
    """Split a trace into records (the command text runs to the next record)."""
    text = data.decode("utf-8", "surrogateescape")
    parts = re.split(re.escape(RS) + "+" + re.escape(nonce) + re.escape(US), text)
    out: list[Record] = []
    for part in parts[1:]:
        head, sep, command = part.partition(GS)
        if not sep:
            continue
        fields = head.split(US)
        if len(fields) < 9:
            continue
        rec = _record(fields, command, shell)
        if rec is not None:
            out.append(rec)
    return out


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        return 0


def _record(fields: list[str], command: str, shell: str) -> Record | None:
    a, b, file, line, func, caller, caller_line, depth = fields[:8]
    values = US.join(fields[8:])
    if shell == "zsh":
        main = a == "0"
        caller, _, caller_line = caller.rpartition(":")
    else:
        main = a == b and a != ""
    found: dict[str, tuple[bool, str]] = {}
    all_names = False
    for item in values.split(FS)[1:]:
        name, _, rest = item.partition("=")
        if not name:
            all_names = True
            continue
        attrs, _, quoted = rest.partition("=")
        exported = "export" in attrs if shell == "zsh" else "x" in attrs
        found[name] = (exported, unquote(quoted))
    cmd = command[1:] if command.startswith(" ") else command
    return Record(
        main,
        file,
        _int(line),
        func,
        caller,
        _int(caller_line),
        _int(depth),
        found,
        cmd.rstrip("\n"),
        all_names,
    )
