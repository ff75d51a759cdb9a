"""A small fish tokenizer: statements, their words' byte spans, and what a `set` assigns.

Enough to find ``set [-gx|--global --export ...] [--] NAME value...`` at a line: quotes
(``'...'`` with ``\\'``/``\\\\``, ``"..."`` with backslash escapes), backslash escapes and line
continuations, ``(...)`` command substitutions, comments, ``;``/newline/``&``/``|``
separators, ``and``/``or``/``not`` prefixes and the block keywords that ``end`` closes.
"""

from __future__ import annotations

from dataclasses import dataclass

_BLOCKS = frozenset({"function", "if", "while", "for", "switch", "begin"})
_PREFIXES = frozenset({"and", "or", "not", "builtin", "command"})
_SHORT = {"g": "global", "x": "export", "U": "universal", "l": "local", "u": "unexport"}
_BAD = {
    "e": "erase",
    "q": "query",
    "n": "names",
    "S": "show",
    "a": "append",
    "p": "prepend",
    "f": "function",
}


@dataclass(frozen=True)
class Word:
    """A word's byte span and its plain text (None when it holds an expansion)."""

    start: int
    end: int
    text: str | None


@dataclass(frozen=True)
class FishStatement:
    """One fish statement; ``set_name`` is what a `set` statement assigns."""

    start: int  # first byte of the command (after and/or/not)
    end: int
    start_row: int
    end_row: int
    in_function: bool
    set_name: str | None = None
    name_end: int = 0
    value_span: tuple[int, int] | None = None
    append: bool = False
    refused: str | None = None  # why the statement cannot be edited


def _words(data: bytes) -> list[list[Word]]:
    """Statements as word lists (a separator ends a statement)."""
    out: list[list[Word]] = []
    cur: list[Word] = []
    i, n = 0, len(data)
    while i < n:
        c = data[i : i + 1]
        if c in (b" ", b"\t", b"\r"):
            i += 1
            continue
        if data[i : i + 2] == b"\\\n":
            i += 2
            continue
        if c in (b"\n", b";", b"&", b"|"):
            if cur:
                out.append(cur)
                cur = []
            i += 2 if data[i : i + 2] in (b"&&", b"||") else 1
            continue
        if c == b"#":
            while i < n and data[i : i + 1] != b"\n":
                i += 1
            continue
        start = i
        plain: bytearray | None = bytearray()
        depth = 0
        while i < n:
            c = data[i : i + 1]
            if depth == 0 and c in (b" ", b"\t", b"\n", b";", b"&", b"|", b"\r"):
                break
            if c == b"\\":
                if plain is not None and data[i + 1 : i + 2] != b"\n":
                    plain += data[i + 1 : i + 2]
                i += 2
            elif c == b"'":
                i += 1
                while i < n and data[i : i + 1] != b"'":
                    if data[i : i + 1] == b"\\" and data[i + 1 : i + 2] in (b"'", b"\\"):
                        i += 1
                    if plain is not None:
                        plain += data[i : i + 1]
                    i += 1
                i += 1
            elif c == b'"':
                i += 1
                while i < n and data[i : i + 1] != b'"':
                    if data[i : i + 1] == b"\\":
                        i += 1
                    elif data[i : i + 1] in (b"$", b"("):
                        plain = None
                    if plain is not None:
                        plain += data[i : i + 1]
                    i += 1
                i += 1
            else:
                if c in (b"$", b"*", b"?", b"{", b"~"):
                    plain = None
                if c == b"(":
                    depth += 1
                    plain = None
                elif c == b")" and depth:
                    depth -= 1
                if plain is not None:
                    plain += c
                i += 1
        text = plain.decode("utf-8", "surrogateescape") if plain is not None else None
        cur.append(Word(start, min(i, n), text))
    if cur:
        out.append(cur)
    return out


def fish_statements(data: bytes) -> list[FishStatement]:
    """Every statement of a fish file, with `set` details."""
    out: list[FishStatement] = []
    stack: list[str] = []
    for words in _words(data):
        while len(words) > 1 and words[0].text in _PREFIXES:
            words = words[1:]
        head = words[0].text or ""
        if head == "end" and stack:
            stack.pop()
        start, end = words[0].start, words[-1].end
        row0, row1 = data.count(b"\n", 0, start), data.count(b"\n", 0, max(start, end - 1))
        in_func = "function" in stack
        if head in _BLOCKS:
            stack.append(head)
        if head != "set":
            out.append(FishStatement(start, end, row0, row1, in_func))
            continue
        out.append(_set(words, start, end, row0, row1, in_func))
    return out


def _set(words: list[Word], start: int, end: int, r0: int, r1: int, func: bool) -> FishStatement:
    flags: set[str] = set()
    rest = words[1:]
    while rest and (rest[0].text or "").startswith("-"):
        w = rest.pop(0).text or ""
        if w == "--":
            break
        if w.startswith("--"):
            flags.add(w[2:])
        else:
            flags.update(_SHORT.get(c, _BAD.get(c, c)) for c in w[1:])
    if not rest or rest[0].text is None:
        return FishStatement(start, end, r0, r1, func)
    name = rest[0]
    values = rest[1:]
    refused = None
    bad = flags & {"erase", "query", "names", "show", "function"}
    if bad:
        refused = f"does not assign a value (set --{sorted(bad)[0]})"
    elif "local" in flags:
        refused = "sets a local variable"
    span = (values[0].start, values[-1].end) if values else None
    return FishStatement(
        start,
        end,
        r0,
        r1,
        func,
        name.text,
        name.end,
        span,
        bool(flags & {"append", "prepend"}),
        refused,
    )
