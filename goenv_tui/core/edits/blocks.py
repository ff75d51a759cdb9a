"""Managed blocks in startup files: ``# >>> goenv-tui >>>`` ... ``# <<< goenv-tui <<<``.

One block per file. Adding a block inserts whole lines (in the file's line ending, after a
BOM); removing its last assignment removes exactly those bytes again, so the file is restored
byte for byte (a block appended to a file without a final newline also takes back the newline
it added). Markers are found CRLF-tolerantly. The block by itself and the whole new file must
pass the target shell's syntax check (docs/shell-provenance.md §3, §5).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from goenv_tui.core.edits.errors import EditError
from goenv_tui.core.edits.quoting import assignment_line, check_name, check_shell
from goenv_tui.core.edits.syntax import require_valid
from goenv_tui.core.edits.treesitter import rows_inside_text

START = b"# >>> goenv-tui >>>"
END = b"# <<< goenv-tui <<<"
NOTE = b"# Managed by goenv-tui: change it with goenv-tui, or delete the whole block."
BOM = b"\xef\xbb\xbf"
POSITIONS = ("top", "end")

_SH_ENTRY = re.compile(rb"\s*export\s+([A-Za-z_][A-Za-z0-9_]*)=")
_FISH_ENTRY = re.compile(rb"\s*set\s+(?:-\S+\s+)*(?:--\s+)?([A-Za-z_][A-Za-z0-9_]*)(?:\s|$)")

Entry = tuple[str | None, bytes]  # (assigned name or None, the line without its ending)


@dataclass(frozen=True)
class BlockInfo:
    """Where the block is (1-based, inclusive, counted after a BOM) and what it assigns."""

    start_line: int
    end_line: int
    names: tuple[str, ...]


def _split(data: bytes) -> list[bytes]:
    """Lines with their endings, split after each \\n only."""
    parts = data.split(b"\n")
    out = [p + b"\n" for p in parts[:-1]]
    if parts[-1]:
        out.append(parts[-1])
    return out


def _body(line: bytes) -> bytes:
    return line.rstrip(b"\n").rstrip(b"\r")


def _ending(line: bytes) -> bytes:
    return line[len(_body(line)) :]


def _file_eol(lines: list[bytes]) -> bytes:
    crlf = sum(1 for ln in lines if ln.endswith(b"\r\n"))
    lf = sum(1 for ln in lines if ln.endswith(b"\n")) - crlf
    return b"\r\n" if crlf > lf else b"\n"


def _find(lines: list[bytes]) -> tuple[int, int] | None:
    starts = [i for i, ln in enumerate(lines) if _body(ln).strip() == START]
    ends = [i for i, ln in enumerate(lines) if _body(ln).strip() == END]
    if not starts and not ends:
        return None
    if len(starts) != 1 or len(ends) != 1 or ends[0] < starts[0]:
        raise EditError(
            "The file's goenv-tui markers are damaged (each marker must appear exactly once, "
            "start before end); fix them by hand."
        )
    return starts[0], ends[0]


def _entries(lines: list[bytes], shell: str) -> list[Entry]:
    pattern = _FISH_ENTRY if shell == "fish" else _SH_ENTRY
    out: list[Entry] = []
    for ln in lines:
        body = _body(ln)
        m = pattern.match(body)
        out.append((m.group(1).decode("ascii") if m else None, body))
    return out


def _is_note(line: bytes) -> bool:
    stripped = _body(line).strip()
    return not stripped or stripped == NOTE


def _quiet(line: bytes) -> bool:
    stripped = _body(line).strip()
    return not stripped or stripped.startswith(b"#")


def _header_end(lines: list[bytes]) -> int:
    """Where a top block goes: after a shebang and a comment header ended by a blank line."""
    i = 1 if lines and lines[0].startswith(b"#!") else 0
    j = i
    while j < len(lines) and _body(lines[j]).startswith(b"#"):
        j += 1
    if j > i and j < len(lines) and not _body(lines[j]).strip():
        return j
    return i


def _insert(lines: list[bytes], idx: int, content: list[bytes], eol: bytes) -> list[bytes]:
    if idx < len(lines) or not lines or lines[-1].endswith(b"\n"):
        return lines[:idx] + [c + eol for c in content] + lines[idx:]
    # after a last line without a newline: add one before, and keep "no final newline"
    return [*lines[:-1], lines[-1] + eol, *(c + eol for c in content[:-1]), content[-1]]


def _remove(lines: list[bytes], s: int, e: int) -> list[bytes]:
    out = lines[:s] + lines[e + 1 :]
    if not lines[e].endswith(b"\n") and s > 0:
        added = _ending(lines[s]) or b"\n"  # the ending the block's lines were written with
        prev = out[s - 1]
        if prev.endswith(added):
            out[s - 1] = prev[: -len(added)]
    return out


def _at(lines: list[bytes], s: int, e: int, position: str) -> bool:
    if position == "top":
        return all(_quiet(ln) for ln in lines[:s])
    return all(_quiet(ln) for ln in lines[e + 1 :])


def _replace(lines: list[bytes], s: int, e: int, content: list[bytes]) -> list[bytes]:
    """The block at lines s..e rewritten in place, keeping its line ending."""
    eol = _ending(lines[s]) or _file_eol(lines)
    new = [c + eol for c in content]
    if not lines[e].endswith(b"\n"):
        new[-1] = content[-1]
    return lines[:s] + new + lines[e + 1 :]


def _place(
    lines: list[bytes],
    found: tuple[int, int] | None,
    content: list[bytes],
    position: str,
    behind_bom: bool = False,
) -> list[bytes]:
    """Put the block ``content`` (lines without endings) into ``lines`` (no BOM)."""
    if found is not None:
        s, e = found
        if _at(lines, s, e, position):
            return _replace(lines, s, e, content)
        lines = _remove(lines, s, e)
    eol = _file_eol(lines)
    idx = _header_end(lines) if position == "top" else len(lines)
    if behind_bom and idx == 0:
        # sh, bash and zsh read a BOM as part of the first word: `<BOM># >>>` is a command
        # with a redirection. Go below a first comment/blank line, or refuse.
        if not lines or not _quiet(lines[0]):
            raise EditError(
                "The file starts with a UTF-8 byte-order mark, which the shell reads as part "
                "of the first command; remove the mark before adding a block at the top."
            )
        idx = 1
    return _insert(lines, idx, content, eol)


def _parts(current: bytes | None) -> tuple[bytes, list[bytes]]:
    data = current or b""
    if data.startswith(BOM):
        return BOM, _split(data[len(BOM) :])
    return b"", _split(data)


def block_info(current: bytes | None, shell: str) -> BlockInfo | None:
    """The file's goenv-tui block, or None."""
    _bom, lines = _parts(current)
    found = _find(lines)
    if found is None:
        return None
    s, e = found
    names = tuple(n for n, _ in _entries(lines[s + 1 : e], shell) if n is not None)
    return BlockInfo(s + 1, e + 1, names)


def block_set(
    current: bytes | None,
    shell: str,
    assignments: Mapping[str, str],
    *,
    position: str,
    expand_home: bool | None = None,
) -> bytes:
    """The file with ``assignments`` in its goenv-tui block (created at ``position``).

    ``position``: "top" (after a shebang/comment header, before any code such as
    ~/.bashrc's interactive guard) or "end". An existing block is updated in place when it is
    already at that position, else moved. ``expand_home`` None: a leading ``$HOME``/``~``
    expands (see :mod:`quoting`).
    """
    check_shell(shell)
    if position not in POSITIONS:
        raise EditError(f"Unknown block position {position!r}: expected top or end.")
    if not assignments:
        raise EditError("Nothing to set: no assignment given.")
    new_lines = {
        name: assignment_line(shell, name, value, expand_home).encode("utf-8", "surrogateescape")
        for name, value in assignments.items()
    }
    bom, lines = _parts(current)
    found = _find(lines)
    entries: list[Entry] = (
        _entries(lines[found[0] + 1 : found[1]], shell) if found else [(None, NOTE)]
    )
    for name, text in new_lines.items():
        hits = [i for i, (n, _) in enumerate(entries) if n == name]
        if hits:
            entries[hits[0]] = (name, text)
            entries = [en for i, en in enumerate(entries) if i not in hits[1:]]
        else:
            entries.append((name, text))
    content = [START, *(text for _, text in entries), END]
    _check(shell, b"\n".join(content) + b"\n", None, "the goenv-tui block")
    behind = bool(bom) and shell != "fish"
    placed = _place(lines, found, content, position, behind)
    new = bom + b"".join(placed)
    _check(shell, new, current, "the file")
    where = _find(placed)
    if shell != "fish" and where and rows_inside_text(b"".join(placed), *where):
        raise EditError(
            "The block would land inside a here-document or a quoted string of the file, "
            "so the shell would never run it; fix the file's end first."
        )
    return new


def block_unset(current: bytes | None, shell: str, names: Iterable[str]) -> bytes | None:
    """The file without ``names`` in its block; None when there is no file.

    Removing the last assignment removes the whole block and restores the file as it was
    before the block was added. A name not in the block changes nothing.
    """
    check_shell(shell)
    wanted = set(names)
    for name in wanted:
        check_name(name)
    if current is None:
        return None
    bom, lines = _parts(current)
    found = _find(lines)
    if found is None:
        return current
    s, e = found
    entries = _entries(lines[s + 1 : e], shell)
    kept = [en for en in entries if en[0] not in wanted]
    if len(kept) == len(entries):
        return current
    if all(n is None and _is_note(text) for n, text in kept):
        new = bom + b"".join(_remove(lines, s, e))
    else:
        content = [START, *(text for _, text in kept), END]
        new = bom + b"".join(_replace(lines, s, e, content))
    _check(shell, new, current, "the file", removal=True)
    return new


def _check(shell: str, new: bytes, old: bytes | None, label: str, removal: bool = False) -> None:
    # a block added to a broken file may sit inside its unterminated quote: refuse even
    # when the error looks unchanged; removing a block must stay possible
    require_valid(shell, new, old, label, allow_same_error=removal, allow_if_old_broken=removal)
