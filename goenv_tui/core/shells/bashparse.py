"""Static reading of bash/sh/zsh startup files with tree-sitter-bash.

Finds the statements that set, export or unset watched names, `source`/`.` targets, and maps a
traced line (bash reports the LAST line of a multi-line word) to its statement's start line.
The parse never aborts: tree-sitter recovers from errors; unreadable files give an empty result.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

SIMPLE_TYPES = frozenset(
    {
        "command",
        "declaration_command",
        "unset_command",
        "variable_assignment",
        "variable_assignments",
        "test_command",
        "negated_command",
    }
)
SUBSHELL_TYPES = frozenset({"subshell", "command_substitution", "process_substitution"})
BRANCH_REASONS = {
    "if_statement": "inside an if branch",
    "case_statement": "inside a case branch",
    "while_statement": "inside a loop",
    "for_statement": "inside a loop",
    "c_style_for_statement": "inside a loop",
}
DECL_KEYWORDS = frozenset({"export", "declare", "typeset", "readonly", "local"})


@dataclass(frozen=True)
class Statement:
    """One simple statement: its 1-based line range, first word, enclosing function."""

    start: int
    end: int
    word: str  # the command name, "export"/"declare"/... , or "" for a bare assignment
    function: str | None
    in_subshell: bool
    conditional: str | None


@dataclass(frozen=True)
class StaticAssignment:
    """A statement that sets, exports or unsets one name, as written in the file."""

    name: str
    op: str  # "set" | "append" | "export" | "unset"
    value_text: str | None  # the value as written (None: no value given)
    exported: bool | None  # True: exports; False: un-exports (export -n); None: unchanged
    line: int
    end_line: int
    function: str | None = None
    conditional: str | None = None  # why it may not run: "inside an if branch", ...
    dynamic: str | None = None  # why its value is uncertain


@dataclass(frozen=True)
class SourceRef:
    """A `source FILE` / `. FILE` statement."""

    line: int
    target_text: str
    function: str | None
    conditional: str | None


@dataclass
class ParsedFile:
    """What the static parse found in one file."""

    path: str
    statements: list[Statement] = field(default_factory=list)
    assignments: list[StaticAssignment] = field(default_factory=list)
    sources: list[SourceRef] = field(default_factory=list)
    functions: dict[str, int] = field(default_factory=dict)  # name -> its definition's line
    lines: list[str] = field(default_factory=list, repr=False)  # the source text
    error: str | None = None
    _index: dict[int, Statement | None] | None = field(default=None, repr=False, compare=False)

    def statement_at(self, line: int) -> Statement | None:
        """The outermost simple statement covering `line` (first one on that line)."""
        if self._index is None:
            self._index = {}
        if line not in self._index:
            self._index[line] = self._statement_at(line)
        return self._index[line]

    def statements_on(self, line: int) -> list[Statement]:
        """Every simple statement covering `line`."""
        return [s for s in self.statements if s.start <= line <= s.end]

    def _statement_at(self, line: int) -> Statement | None:
        best: Statement | None = None
        for st in self.statements:
            if st.start <= line <= st.end and (
                best is None or (st.start, -st.end) < (best.start, -best.end)
            ):
                if best is not None and best.start <= st.start and st.end <= best.end:
                    continue
                best = st
        return best

    def assignments_for(self, names: Iterable[str]) -> list[StaticAssignment]:
        """The assignments to any of `names`, in file order."""
        wanted = set(names)
        return [a for a in self.assignments if a.name in wanted]


@lru_cache(maxsize=1)
def _parser() -> Any:
    import tree_sitter_bash
    from tree_sitter import Language, Parser

    return Parser(Language(tree_sitter_bash.language()))


def parse_bytes(data: bytes, path: str = "<text>") -> ParsedFile:
    """Parse shell source text; never raises."""
    out = ParsedFile(path, lines=data.decode("utf-8", "surrogateescape").splitlines())
    try:
        tree = _parser().parse(data)
    except Exception as exc:  # a parser failure must never stop the trace
        out.error = f"cannot parse {path}: {exc}"
        return out
    _Walker(out).walk(tree.root_node, None, False, None)
    return out


_CACHE: dict[str, ParsedFile] = {}


_PINNED = threading.local()


@contextlib.contextmanager
def pinned_parses() -> Iterator[None]:
    """Within this block each file is read once: later `parse_file` calls of the same path
    reuse that parse (one trace's attribution reads the same few files thousands of times)."""
    outer = getattr(_PINNED, "files", None)
    _PINNED.files = {} if outer is None else outer
    try:
        yield
    finally:
        _PINNED.files = outer


def parse_file(path: str) -> ParsedFile:
    """Parse a file (cached by content hash); an unreadable file gives an empty result."""
    pinned: dict[str, ParsedFile] | None = getattr(_PINNED, "files", None)
    if pinned is not None:
        hit = pinned.get(path)
        if hit is None:
            hit = pinned[path] = _parse_file(path)
        return hit
    return _parse_file(path)


def _parse_file(path: str) -> ParsedFile:
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        return ParsedFile(path, error=f"cannot read {path}: {exc.strerror}")
    key = path + "\0" + hashlib.sha256(data).hexdigest()
    hit = _CACHE.get(key)
    if hit is None:
        if len(_CACHE) > 256:
            _CACHE.clear()
        hit = _CACHE[key] = parse_bytes(data, path)
    return hit


def _text(node: Any) -> str:
    return bytes(node.text).decode("utf-8", "surrogateescape")


def _dynamic(node: Any) -> str | None:
    """Why a value node's runtime value is uncertain (None: plain text or simple $VARs)."""
    stack = [node]
    reason: str | None = None
    while stack:
        n = stack.pop()
        if n.type in ("command_substitution", "process_substitution"):
            return "value contains a command substitution"
        if n.type == "arithmetic_expansion":
            reason = "value contains arithmetic"
        if n.type == "expansion" and reason is None:
            reason = "value uses a parameter expansion"
        stack.extend(n.children)
    return reason


class _Walker:
    def __init__(self, out: ParsedFile) -> None:
        self.out = out

    def walk(self, node: Any, func: str | None, sub: bool, cond: str | None) -> None:
        t = node.type
        if t in SIMPLE_TYPES:
            self.simple(node, func, sub, cond)
            return
        if t == "function_definition":
            name_node = node.child_by_field_name("name")
            func = _text(name_node) if name_node is not None else "?"
            self.out.functions.setdefault(func, node.start_point[0] + 1)
            cond = None
        elif t in SUBSHELL_TYPES:
            sub = True
        elif t == "pipeline":
            sub = True  # each pipeline element runs in a subshell (no lastpipe)
        elif t in BRANCH_REASONS:
            cond = cond or BRANCH_REASONS[t]
        elif t == "list":
            cond = cond or "after && or ||"
        for child in node.children:
            self.walk(child, func, sub, cond)

    def simple(self, node: Any, func: str | None, sub: bool, cond: str | None) -> None:
        start, end = node.start_point[0] + 1, node.end_point[0] + 1
        word = ""
        t = node.type
        if t == "declaration_command" and node.children:
            word = _text(node.children[0])
        elif t == "unset_command":
            word = "unset"
        elif t == "command":
            name = node.child_by_field_name("name")
            word = _text(name) if name is not None else ""
        self.out.statements.append(Statement(start, end, word, func, sub, cond))
        if sub:
            return
        if t in ("variable_assignment", "variable_assignments"):
            assigns = (
                [node]
                if t == "variable_assignment"
                else [c for c in node.children if c.type == "variable_assignment"]
            )
            for a in assigns:
                self.assignment(a, None, start, end, func, cond)
        elif t == "declaration_command":
            self.declaration(node, word, start, end, func, cond)
        elif t == "unset_command":
            self.unset(node, start, end, func, cond)
        elif t == "command" and word in (".", "source"):
            args = [
                c
                for c in node.children
                if c.type != "command_name"
                and c.type not in ("variable_assignment", "file_redirect")
            ]
            if args:
                self.out.sources.append(SourceRef(start, _text(args[0]), func, cond))

    def assignment(
        self,
        a: Any,
        exported: bool | None,
        start: int,
        end: int,
        func: str | None,
        cond: str | None,
    ) -> None:
        name_node = a.child_by_field_name("name")
        if name_node is None or name_node.type != "variable_name":
            return
        value = a.child_by_field_name("value")
        op = "append" if any(c.type == "+=" for c in a.children) else "set"
        self.out.assignments.append(
            StaticAssignment(
                _text(name_node),
                op,
                _text(value) if value is not None else "",
                exported,
                start,
                end,
                func,
                cond,
                _dynamic(value) if value is not None else None,
            )
        )

    def declaration(
        self, node: Any, word: str, start: int, end: int, func: str | None, cond: str | None
    ) -> None:
        flags = "".join(
            _text(c)[1:] for c in node.children[1:] if c.type == "word" and _text(c).startswith("-")
        )
        plus = "".join(
            _text(c)[1:] for c in node.children[1:] if c.type == "word" and _text(c).startswith("+")
        )
        if word == "local" or "f" in flags or "F" in flags or "p" in flags:
            return
        if word in ("declare", "typeset") and func is not None and "g" not in flags:
            return  # a local variable of the function
        exported: bool | None = None
        if word == "export":
            exported = "n" not in flags
        elif "x" in flags:
            exported = True
        elif "x" in plus:
            exported = False
        for c in node.children[1:]:
            if c.type == "variable_assignment":
                self.assignment(c, exported, start, end, func, cond)
            elif c.type in ("variable_name", "word") and not _text(c).startswith(("-", "+")):
                name = _text(c)
                if name.isidentifier() and exported is not None:
                    self.out.assignments.append(
                        StaticAssignment(name, "export", None, exported, start, end, func, cond)
                    )

    def unset(self, node: Any, start: int, end: int, func: str | None, cond: str | None) -> None:
        words = [_text(c) for c in node.children[1:]]
        if "-f" in words:
            return
        for w in words:
            if not w.startswith("-") and w.isidentifier():
                self.out.assignments.append(
                    StaticAssignment(w, "unset", None, None, start, end, func, cond)
                )


@lru_cache(maxsize=64)
def expansion_of(name: str) -> re.Pattern[str]:
    """Where a text expands ``name``: `$NAME` or `${NAME...`, not `$NAMES`."""
    return re.compile(rf"\$\{{?{re.escape(name)}(?![A-Za-z0-9_])")


def reads_itself(path: str, line: int, name: str) -> bool:
    """Whether the assignment of ``name`` at ``path:line`` reads ``name`` in its own value
    (`GOFLAGS="$GOFLAGS -trimpath"`, `${GOPATH:-...}`): it builds on an earlier value."""
    if not os.path.isfile(path) or path.endswith(".fish"):
        return False
    written = parse_file(path).assignments
    texts = [a.value_text or "" for a in written if a.line == line and a.name == name]
    return any(expansion_of(name).search(text) for text in texts)
