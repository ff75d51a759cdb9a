"""The tree-sitter-bash parser the edit builders share (bashparse keeps its own for reading)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

#: Nodes whose lines are data, not code: a line inside one of them never runs as a command.
TEXT_NODES = frozenset({"heredoc_body", "string", "raw_string", "ansi_c_string"})


@lru_cache(maxsize=1)
def _parser() -> Any:
    import tree_sitter_bash
    from tree_sitter import Language, Parser

    return Parser(Language(tree_sitter_bash.language()))


def parse(data: bytes) -> Any:
    """The tree-sitter-bash tree of ``data`` (never raises on bad shell text)."""
    return _parser().parse(data)


def rows_inside_text(data: bytes, first: int, last: int) -> bool:
    """True when a line in rows ``first..last`` (0-based) lies inside a here-document body
    or continues a quoted string, so the shell would not run it as code."""
    stack = [parse(data).root_node]
    while stack:
        node = stack.pop()
        s, e = node.start_point[0], node.end_point[0]
        if e < first or s > last:
            continue
        if node.type in TEXT_NODES:
            lo = s if node.type == "heredoc_body" else s + 1
            if max(lo, first) <= min(e, last):
                return True
        stack.extend(node.children)
    return False
