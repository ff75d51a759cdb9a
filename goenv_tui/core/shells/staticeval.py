"""Evaluate an assignment's value as written, without running anything."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .bashparse import _parser, _text
from .quoting import unquote


def evaluate(value_text: str, env: Mapping[str, str]) -> tuple[str, str | None]:
    """(value, why uncertain) for a value as written; expands ~, $NAME, ${NAME} from env."""
    if value_text == "":
        return "", None
    try:
        tree = _parser().parse(("X=" + value_text).encode("utf-8", "surrogateescape"))
        node = tree.root_node.children[0].child_by_field_name("value")
    except Exception:
        node = None
    if node is None:
        return value_text, "the value could not be parsed"
    why: list[str] = []
    out = _eval(node, env, why, top=True)
    return out, (why[0] if why else None)


def _eval(node: Any, env: Mapping[str, str], why: list[str], top: bool = False) -> str:
    t = node.type
    if t in ("word", "number"):
        text = _text(node)
        if top and (text == "~" or text.startswith("~/")) and "HOME" in env:
            text = env["HOME"] + text[1:]
        return unquote(text)
    if t == "raw_string":
        return _text(node)[1:-1]
    if t == "ansi_c_string":
        return unquote(_text(node))
    if t == "concatenation":
        return "".join(
            _eval(c, env, why, top=(i == 0 and top)) for i, c in enumerate(node.children)
        )
    if t == "string":
        parts: list[str] = []
        for c in node.children:
            if c.type == '"':
                continue
            if c.type == "string_content":
                parts.append(unquote('"' + _text(c) + '"'))
            else:
                parts.append(_eval(c, env, why))
        return "".join(parts)
    if t in ("simple_expansion", "expansion"):
        names = [c for c in node.children if c.type in ("variable_name", "special_variable_name")]
        others = [
            c
            for c in node.children
            if c.type not in ("variable_name", "$", "${", "}", "special_variable_name")
        ]
        if len(names) == 1 and not others:
            name = _text(names[0])
            if name in env:
                return env[name]
            why.append(f"the value uses ${name}, which the static reading does not know")
            return ""
        why.append("value uses a parameter expansion")
        return _text(node)
    if t in ("command_substitution", "process_substitution"):
        why.append("value contains a command substitution")
        return _text(node)
    if t == "arithmetic_expansion":
        why.append("value contains arithmetic")
        return _text(node)
    why.append(f"the value has a {t.replace('_', ' ')}")
    return _text(node)
