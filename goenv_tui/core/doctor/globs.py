"""Go's module path patterns (GOPRIVATE, GONOSUMDB, GOINSECURE ...), for coverage checks.

:func:`match_prefix_patterns` is golang.org/x/mod/module.MatchPrefixPatterns: a comma list of
``path.Match`` globs (``*`` and ``?`` never match ``/``), each matched against as many leading
path elements of the target as the glob has; a trailing ``/`` is dropped, nothing is trimmed.
"""

from __future__ import annotations

import re
from functools import lru_cache


@lru_cache(maxsize=256)
def _compile(glob: str) -> re.Pattern[str] | None:
    """path.Match's syntax as a regular expression; None when the glob is malformed."""
    out: list[str] = []
    i = 0
    while i < len(glob):
        ch = glob[i]
        if ch == "*":
            out.append("[^/]*")
        elif ch == "?":
            out.append("[^/]")
        elif ch == "\\":
            i += 1
            if i == len(glob):
                return None
            out.append(re.escape(glob[i]))
        elif ch == "[":
            end = i + 1
            if end < len(glob) and glob[end] == "^":
                end += 1
            body_start = end
            while end < len(glob) and (glob[end] != "]" or end == body_start):
                if glob[end] == "\\":
                    end += 1
                end += 1
            if end >= len(glob):
                return None
            body = glob[i + 1 : end]
            neg = body.startswith("^")
            body = body[1:] if neg else body
            out.append("[" + ("^" if neg else "") + body + "]")
            i = end
        else:
            out.append(re.escape(ch))
        i += 1
    try:
        return re.compile("".join(out) + r"\Z", re.DOTALL)
    except re.error:
        return None


def match_prefix_patterns(globs: str, target: str) -> bool:
    """True when some glob of the comma list matches a leading part of ``target``."""
    for glob in globs.split(","):
        glob = glob.removesuffix("/")
        if not glob:
            continue
        n = glob.count("/")
        parts = target.split("/")
        if len(parts) <= n:
            continue
        prefix = "/".join(parts[: n + 1])
        rx = _compile(glob)
        if rx is not None and rx.match(prefix):
            return True
    return False


def covered_by(pattern: str, patterns: list[str]) -> bool:
    """True when every path ``pattern`` matches is also matched by one of ``patterns``
    (decided on the pattern's own text: ``*.corp.com`` covers ``*.corp.com`` and
    ``git.corp.com``; ``corp.com`` does not cover ``*.corp.com``)."""
    pattern = pattern.removesuffix("/")
    return bool(pattern) and match_prefix_patterns(",".join(patterns), pattern)
