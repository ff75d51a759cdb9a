"""Small parsers the rules share: go's quoted-field split, absolute paths, globs (path.Match),
URLs as cmd/go parses them, toolchain versions, commands on PATH."""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass

from goenv_tui.core.validate.tables import _MINOR_RE, _SCHEME_RE


def _minor(go_version: str | None) -> int | None:
    """The minor version of "go1.27.3", "1.21", "devel go1.27-..."; None if unknown."""
    if not go_version:
        return None
    m = _MINOR_RE.search(go_version)
    return int(m.group(1)) if m else None


def _quoted_split(s: str) -> list[str] | str:
    """cmd/internal/quoted.Split: fields, quoted only when the quote starts the field.

    Returns the fields, or go's error text.
    """
    fields: list[str] = []
    i, n = 0, len(s)
    while i < n:
        while i < n and s[i] in " \t\n\r":
            i += 1
        if i >= n:
            break
        if s[i] in "'\"":
            quote = s[i]
            end = s.find(quote, i + 1)
            if end < 0:
                return f"unterminated {quote} string"
            fields.append(s[i + 1 : end])
            i = end + 1
            continue
        j = i
        while j < n and s[j] not in " \t\n\r":
            j += 1
        fields.append(s[i:j])
        i = j
    return fields


def _is_abs(path: str, hostos: str) -> bool:
    """filepath.IsAbs for `hostos`."""
    if hostos != "windows":
        return path.startswith("/")
    if path.startswith(("\\\\", "//")):
        return True
    return bool(re.match(r"^[A-Za-z]:[\\/]", path))


def _glob_ok(pattern: str) -> bool:
    """Whether path.Match accepts `pattern` (no ErrBadPattern)."""
    i, n = 0, len(pattern)

    def esc(k: int) -> int:
        if k >= n or pattern[k] in "-]":
            return -1
        if pattern[k] == "\\":
            k += 1
            if k >= n:
                return -1
        return k + 1

    while i < n:
        c = pattern[i]
        if c == "\\":
            if i + 1 >= n:
                return False
            i += 2
        elif c == "[":
            i += 1
            if i < n and pattern[i] == "^":
                i += 1
            nrange = 0
            while True:
                if i < n and pattern[i] == "]" and nrange > 0:
                    i += 1
                    break
                i = esc(i)
                if i < 0:
                    return False
                if i < n and pattern[i] == "-":
                    i = esc(i + 1)
                    if i < 0:
                        return False
                nrange += 1
        else:
            i += 1
    return True


@dataclass(frozen=True)
class _URL:
    scheme: str
    userinfo: str
    host: str
    rest: str  # path, query and fragment


def _parse_url(raw: str) -> _URL | str:
    """A small net/url.Parse: the parts goenv-tui checks, or go's error text."""
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in raw):
        return f'parse "{raw}": net/url: invalid control character in URL'
    if raw.startswith(":"):
        return f'parse "{raw}": missing protocol scheme'
    m = _SCHEME_RE.match(raw)
    scheme, rest = (m.group(1).lower(), raw[m.end() :]) if m else ("", raw)
    userinfo = host = ""
    if rest.startswith("//"):
        end = len(rest)
        for sep in "/?#":
            k = rest.find(sep, 2)
            if 0 <= k < end:
                end = k
        auth, rest = rest[2:end], rest[end:]
        if "@" in auth:
            userinfo, _, auth = auth.rpartition("@")
        host = auth
        port = host.rpartition("]")[2] if host.startswith("[") else host
        if ":" in port:
            digits = port.rpartition(":")[2]
            if digits and not digits.isdigit():
                return f'parse "{raw}": invalid port ":{digits}" after host'
        if " " in host:
            return f'parse "{raw}": invalid character " " in host name'
    return _URL(scheme, userinfo, host, rest)


def _redact(raw: str) -> str:
    """A URL with its password (or whole userinfo) replaced, for messages."""
    u = _parse_url(raw)
    if isinstance(u, str) or not u.userinfo:
        return raw
    user = u.userinfo.partition(":")[0]
    shown = f"{user}:xxxxx" if ":" in u.userinfo else "xxxxx"
    return raw.replace(u.userinfo + "@", shown + "@", 1)


def _gover_valid(v: str) -> bool:
    """internal/gover.IsValid: 1, 1.21, 1.21.3, 1.21rc1, 1.21beta (no leading zeros)."""
    m = re.fullmatch(r"(0|[1-9]\d*)(?:\.(0|[1-9]\d*)(.*))?", v)
    if not m:
        return False
    rest = m.group(3)
    if m.group(2) is None or not rest:
        return True
    if rest.startswith("."):
        return re.fullmatch(r"\.(0|[1-9]\d*)", rest) is not None
    return re.fullmatch(r"[a-z]+(?:0|[1-9]\d*)?", rest) is not None


def _toolchain_version(name: str) -> str:
    """cmd/go/internal/gover.FromToolchain: "go1.22.0-custom" -> "1.22.0", or ""."""
    if "/" in name or "\\" in name or not name.startswith("go"):
        return ""
    v = re.split(r"[ \t-]", name[2:], maxsplit=1)[0]
    return v if _gover_valid(v) else ""


def _is_this_host(hostos: str) -> bool:
    """Whether paths for `hostos` can be checked on this machine."""
    return (os.name == "nt") == (hostos == "windows")


def _which(word: str, hostos: str, path: str | None = None) -> str | None:
    """Where a command word resolves: the file itself when it is a path, else on ``path``
    (the user's PATH; None: this process's); None when it does not."""
    if "/" in word or (hostos == "windows" and "\\" in word):
        return word if os.path.isfile(word) and os.access(word, os.X_OK) else None
    return shutil.which(word, path=path)
