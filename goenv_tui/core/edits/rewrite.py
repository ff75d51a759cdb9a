"""Rewrite or disable the exact assignment at FILE:LINE (the place a chain entry shows).

sh/bash/zsh files are read with tree-sitter-bash; fish files with :mod:`fishwords`. Only the
bytes of the chosen statement change: the value of NAME is replaced, or the assignment is
disabled (a statement alone on its lines is commented out with ``# goenv-tui: ``; a name in a
multi-name export is removed; a statement sharing its line becomes ``:``/``true``). The result
must pass the shell's syntax check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from goenv_tui.core.edits.errors import EditError
from goenv_tui.core.edits.fishwords import FishStatement, fish_statements
from goenv_tui.core.edits.quoting import check_name, check_shell, check_value, word
from goenv_tui.core.edits.syntax import require_valid, syntax_error
from goenv_tui.core.edits.treesitter import parse

PREFIX = b"# goenv-tui: "
_SUBSHELLS = {
    "subshell": "inside a subshell ( ... ), so it never reaches the shell",
    "command_substitution": "inside a command substitution, so it never reaches the shell",
    "process_substitution": "inside a process substitution, so it never reaches the shell",
    "pipeline": "inside a pipeline, which runs it in a subshell",
}
_DECL = frozenset({"export", "declare", "typeset", "readonly"})
_ALONE_AFTER = re.compile(rb"[ \t]*;?[ \t]*(#[^\n]*)?\r?")


@dataclass(frozen=True)
class _Hit:
    assign: Any  # the variable_assignment node (sh) or None (fish)
    stmt_start: int
    stmt_end: int
    value_span: tuple[int, int] | None  # the value's bytes (None: no value written)
    insert_at: int  # where a value goes when there is none
    others: list[tuple[int, int]]  # the spans of the statement's other arguments (sh)
    append: bool


def rewrite_line(
    current: bytes,
    shell: str,
    line: int,
    name: str,
    new_value: str | None,
    *,
    expand_home: bool | None = None,
) -> bytes:
    """``current`` with NAME's assignment at ``line`` (1-based) set to ``new_value``, or
    disabled when ``new_value`` is None. Raises EditError (one sentence) when refused."""
    check_shell(shell)
    check_name(name)
    if new_value is not None:
        check_value(name, new_value)
    count = current.count(b"\n") + (0 if current.endswith(b"\n") or not current else 1)
    if not 1 <= line <= count:
        raise EditError(f"Line {line} is not in the file (it has {count} lines).")
    hit = _find_fish(current, line, name) if shell == "fish" else _find_sh(current, line, name)
    if new_value is not None:
        if hit.append:
            raise EditError(
                f"Line {line} appends to {name} rather than setting it; edit it by hand."
            )
        text = word(shell, new_value, expand_home).encode("utf-8", "surrogateescape")
        if hit.value_span is None:
            pad = b" " if shell == "fish" else b""
            new = current[: hit.insert_at] + pad + text + current[hit.insert_at :]
        else:
            a, b = hit.value_span
            new = current[:a] + text + current[b:]
        require_valid(shell, new, current, "the file")
        return new
    return _disable(current, shell, hit)


# --------------------------------------------------------------------------- sh family


def _text(node: Any) -> str:
    return bytes(node.text).decode("utf-8", "surrogateescape")


def _covers(node: Any, row: int) -> bool:
    start, end = node.start_point, node.end_point
    return bool(start[0] <= row and (row < end[0] or (row == end[0] and end[1] > 0)))


def _args(node: Any) -> list[Any]:
    """A declaration's arguments after the keyword and its flags, or an assignment list."""
    if node.type == "variable_assignment":
        return [node]
    if node.type == "variable_assignments":
        return [c for c in node.children if c.type == "variable_assignment"]
    return [
        c
        for c in node.children[1:]
        if c.is_named and not (c.type == "word" and _text(c).startswith(("-", "+")))
    ]


def _flags(node: Any) -> str:
    return "".join(
        _text(c)[1:] for c in node.children[1:] if c.type == "word" and _text(c).startswith("-")
    )


def _find_sh(data: bytes, line: int, name: str) -> _Hit:
    row = line - 1
    tree = parse(data)
    hits: list[tuple[Any, Any, str | None]] = []
    notes: list[str] = []

    def visit(node: Any, ctx: str | None) -> None:
        t = node.type
        if t == "heredoc_body" and _covers(node, row):
            notes.append(f"line {line} is inside a here-document")
        if t == "function_definition":
            fname = node.child_by_field_name("name")
            ctx = f"inside the function {_text(fname) if fname is not None else '?'}"
        elif t in _SUBSHELLS:
            ctx = ctx or _SUBSHELLS[t]
        parent = node.parent.type if node.parent is not None else ""
        stmt = t in ("declaration_command", "variable_assignments") or (
            t == "variable_assignment"
            and parent not in ("declaration_command", "variable_assignments", "command")
        )
        if stmt and _covers(node, row):
            if t == "declaration_command":
                keyword = _text(node.children[0]) if node.children else ""
                if keyword not in _DECL or set(_flags(node)) & set("fFp"):
                    return
            for a in _args(node):
                n = a.child_by_field_name("name") if a.type == "variable_assignment" else None
                if n is not None and _text(n) == name:
                    hits.append((a, node, ctx))
        if t == "command" and _covers(node, row):
            for c in node.children:
                n = c.child_by_field_name("name") if c.type == "variable_assignment" else None
                if n is not None and _text(n) == name:
                    notes.append(f"line {line} sets {name} only for the one command it runs")
        for c in node.children:
            visit(c, ctx)

    visit(tree.root_node, None)
    if not hits:
        why = notes[0] if notes else f"line {line} holds no assignment to {name}"
        raise EditError(_cap(why) + ".")
    if len(hits) > 1:
        raise EditError(f"Line {line} assigns {name} more than once; edit it by hand.")
    a, node, ctx = hits[0]
    if ctx is not None:
        raise EditError(f"The assignment to {name} on line {line} is {ctx}; edit it by hand.")
    if node.has_error or a.has_error:
        raise EditError(f"Line {line} does not parse cleanly; edit it by hand.")
    stmt = node
    while stmt.parent is not None and stmt.parent.type == "redirected_statement":
        stmt = stmt.parent
    value = a.child_by_field_name("value")
    return _Hit(
        a,
        stmt.start_byte,
        stmt.end_byte,
        (value.start_byte, value.end_byte) if value is not None else None,
        a.end_byte,
        [(c.start_byte, c.end_byte) for c in _args(node)],
        any(c.type == "+=" for c in a.children),
    )


# --------------------------------------------------------------------------- fish


def _find_fish(data: bytes, line: int, name: str) -> _Hit:
    row = line - 1
    hits: list[FishStatement] = []
    for st in fish_statements(data):
        if st.start_row <= row <= st.end_row and st.set_name == name:
            hits.append(st)
    if not hits:
        raise EditError(f"Line {line} holds no fish `set` of {name}.")
    if len(hits) > 1:
        raise EditError(f"Line {line} sets {name} more than once; edit it by hand.")
    st = hits[0]
    if st.in_function:
        raise EditError(
            f"The assignment to {name} on line {line} is inside a function; edit it by hand."
        )
    if st.refused:
        raise EditError(f"Line {line} {st.refused}; edit it by hand.")
    return _Hit(None, st.start, st.end, st.value_span, st.name_end, [], st.append)


# --------------------------------------------------------------------------- disabling


def _disable(data: bytes, shell: str, hit: _Hit) -> bytes:
    if len(hit.others) > 1:  # remove one name of a multi-name export
        spans = hit.others
        i = [s for s, _ in spans].index(hit.assign.start_byte)
        cut = (spans[i - 1][1], spans[i][1]) if i > 0 else (spans[0][0], spans[1][0])
        new = data[: cut[0]] + data[cut[1] :]
        require_valid(shell, new, data, "the file")
        return new
    start, end = hit.stmt_start, hit.stmt_end
    line_start = data.rfind(b"\n", 0, start) + 1
    line_end = data.find(b"\n", end)
    line_end = len(data) if line_end < 0 else line_end
    before, after = data[line_start:start], data[end:line_end]
    noop = b"true" if shell == "fish" else b":"
    if before.strip(b" \t") or not _ALONE_AFTER.fullmatch(after):
        original = data[start:end]
        new = data[:start] + noop + data[end:]
        if b"\n" not in original and not after.strip(b" \t\r"):
            new = data[:start] + noop + b" " + PREFIX.rstrip() + b" " + original + data[end:]
        require_valid(shell, new, data, "the file")
        return new
    head = data[:start]
    body = data[start:line_end].replace(b"\n", b"\n" + PREFIX)
    tail = data[line_end:]
    new = head + PREFIX + body + tail
    if syntax_error(shell, new, "the file") is None:
        return new
    # a comment alone would leave an empty `then ... fi` body: keep a no-op command there
    new = head + noop + b" " + PREFIX + body + tail
    require_valid(shell, new, data, "the file")
    return new


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]
