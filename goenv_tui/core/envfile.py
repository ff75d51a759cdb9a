"""Read the go env file and $GOROOT/go.env with exactly the go command's reader rules.

Go's reader (cmd/go/internal/cfg/cfg.go: readEnvFile, identical in 1.21 ... 1.27) splits the
bytes on ``\\n`` only, keeps a line only if it contains ``=`` and its first byte is ``A``-``Z``,
takes the key before the first ``=`` and the rest as the value, never trims or unquotes, and
lets the last duplicate win. :func:`read_env_file` reproduces that and, for every line go
skips or evidently misreads, adds a short ``note`` and the ``intended_key``.

Bytes are decoded as UTF-8 with ``surrogateescape``: go works on bytes, so invalid UTF-8 is
kept faithfully (``value.encode("utf-8", "surrogateescape")`` gives back go's bytes).

Errors: a missing file reads as no lines (go treats it the same way). A file that exists but
cannot be read (permission, a directory, too large, an I/O error) raises
:class:`EnvFileError` (an OSError), whose ``str()`` is one sentence for the user.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable, Mapping

from goenv_tui.core.model import FileLine
from goenv_tui.core.names import KNOWN_GO_NAMES, is_go_name

#: Files larger than this are refused (go would read them; we will not show them).
MAX_FILE_BYTES = 16 * 1024 * 1024

_BOM = "\ufeff"
_SPACE = " \t"

#: Values go splits into quoted fields (cmd/internal/quoted): quotes there are syntax.
QUOTED_FIELD_NAMES = frozenset(
    {"GOFLAGS", "CC", "CXX", "FC", "GOCACHEPROG", "PKG_CONFIG"}
    | {f"CGO_{x}FLAGS" for x in ("C", "CPP", "CXX", "F", "LD")}
)


class EnvFileError(OSError):
    """A KEY=VALUE file that exists but cannot be read; ``str()`` is one sentence.

    ``kind`` is one of ``permission``, ``directory``, ``too-large``, ``os-error``.
    A subclass of OSError so that ``except OSError`` callers catch it too.
    """

    def __init__(self, path: str, kind: str, sentence: str) -> None:
        super().__init__(sentence)
        self.path = path
        self.kind = kind


def read_bytes(path: str, what: str = "file") -> bytes | None:
    """Read a whole file; None when it does not exist; :class:`EnvFileError` otherwise.

    ``what`` names the file in the error sentence (e.g. "go env file").
    """
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        return None
    except OSError as exc:
        raise _os_error(path, what, exc) from exc
    if os.path.isdir(path):
        raise EnvFileError(
            path, "directory", f"The {what} {path} is a directory, so go ignores it."
        )
    if st.st_size > MAX_FILE_BYTES:
        raise EnvFileError(
            path,
            "too-large",
            f"The {what} {path} is {st.st_size} bytes, larger than the "
            f"{MAX_FILE_BYTES // (1024 * 1024)} MiB goenv-tui reads; check it by hand.",
        )
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise _os_error(path, what, exc) from exc
    if len(data) > MAX_FILE_BYTES:
        raise EnvFileError(
            path,
            "too-large",
            f"The {what} {path} is larger than the "
            f"{MAX_FILE_BYTES // (1024 * 1024)} MiB goenv-tui reads; check it by hand.",
        )
    return data


def _os_error(path: str, what: str, exc: OSError) -> EnvFileError:
    if exc.errno in (errno.EACCES, errno.EPERM):
        return EnvFileError(
            path,
            "permission",
            f"Cannot read the {what} {path}: permission denied "
            "(go cannot read it either, so it ignores it).",
        )
    if exc.errno == errno.EISDIR:
        return EnvFileError(
            path, "directory", f"The {what} {path} is a directory, so go ignores it."
        )
    reason = exc.strerror or type(exc).__name__
    return EnvFileError(path, "os-error", f"Cannot read the {what} {path}: {reason}.")


def decode(data: bytes) -> str:
    """Decode file bytes faithfully (UTF-8, invalid bytes kept as surrogate escapes)."""
    return data.decode("utf-8", "surrogateescape")


def split_lines(text: str) -> list[str]:
    """Split like go: on ``\\n`` only; a final newline does not start another line."""
    if not text:
        return []
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    return lines


def go_accepts(line: str) -> bool:
    """True when go's reader keeps this line (contains '=', first char A-Z)."""
    return "=" in line and "A" <= line[0] <= "Z"


def guess_go_name(word: str) -> str | None:
    """The Go variable a user evidently meant by ``word`` (case, spaces, typos), or None."""
    word = word.strip(_SPACE + "\r")
    if not word:
        return None
    up = word.upper()
    if up in KNOWN_GO_NAMES:
        return up
    if not up.startswith(("GO", "CGO_")) and up not in {"CC", "CXX", "AR", "FC"}:
        return None
    import difflib

    close = difflib.get_close_matches(up, sorted(KNOWN_GO_NAMES), n=1, cutoff=0.85)
    return close[0] if close else None


def parse_env_text(text: str) -> list[FileLine]:
    """Parse decoded file text into one :class:`FileLine` per line (see the module doc)."""
    out: list[FileLine] = []
    for num, raw in enumerate(split_lines(text), start=1):
        out.append(_parse_line(num, raw))
    # Duplicates: every copy but the last is dead.
    last: dict[str, int] = {}
    for fl in out:
        if fl.key is not None:
            last[fl.key] = fl.line
    result: list[FileLine] = []
    for fl in out:
        if fl.key is not None and last[fl.key] != fl.line:
            fl = FileLine(
                fl.line,
                fl.key,
                fl.value,
                fl.raw,
                f"duplicate: line {last[fl.key]} wins",
                fl.intended_key,
            )
        result.append(fl)
    return result


def _parse_line(num: int, raw: str) -> FileLine:
    if go_accepts(raw):
        key, value = raw.split("=", 1)
        note, intended = _misread(key, value)
        return FileLine(num, key, value, raw, note, intended)
    note, intended = _skipped(num, raw)
    return FileLine(num, None, "", raw, note, intended)


def _skipped(num: int, raw: str) -> tuple[str | None, str | None]:
    """Why go skips a line, when the user evidently meant something by it."""
    body = raw.rstrip("\r")
    stripped = body.lstrip(_SPACE)
    if not stripped or stripped.startswith("#"):
        return None, None
    if num == 1 and body.startswith(_BOM):
        rest = body[len(_BOM) :]
        if go_accepts(rest):
            return "UTF-8 BOM hides this line", guess_go_name(rest.split("=", 1)[0])
        return "UTF-8 BOM hides this line", None
    if "=" not in body:
        words = stripped.split()
        if not words:
            return None, None
        word = words[1] if words[0] == "export" and len(words) > 1 else words[0]
        return "no '=': go skips it", guess_go_name(word.rstrip(":"))
    if stripped != body and stripped[:1].isalpha():
        if stripped.startswith("export "):
            key = stripped[len("export ") :].lstrip(_SPACE).split("=", 1)[0]
            return "export prefix: go skips it", guess_go_name(key)
        return "indented: go skips lines not starting with A-Z", guess_go_name(
            stripped.split("=", 1)[0]
        )
    if body.startswith("export") and body[6:7] in (" ", "\t"):
        key = body[7:].lstrip(_SPACE).split("=", 1)[0]
        return "export prefix: go skips it", guess_go_name(key)
    key = body.split("=", 1)[0]
    if key[:1].islower():
        intended = guess_go_name(key)
        if intended is not None and intended == key.strip(_SPACE).upper():
            return "lowercase key: go skips it", intended
        return "go skips lines not starting with A-Z", intended
    return "go skips lines not starting with A-Z", guess_go_name(key)


def _misread(key: str, value: str) -> tuple[str | None, str | None]:
    """What is evidently wrong with a line go accepts (one phrase), and the meant key."""
    clean = key.strip(_SPACE)
    if clean != key:
        if key.rstrip(_SPACE) != key:
            return (
                f"key has a trailing space: go reads key {key!r}",
                guess_go_name(clean) or clean,
            )
        return f"key has spaces: go reads key {key!r}", guess_go_name(clean)
    if key not in KNOWN_GO_NAMES:
        guess = guess_go_name(key)
        if guess is not None and guess == key.upper():
            return f"mixed-case key: go reads key {key!r}", guess
        if guess is not None:
            return f"unknown name: go reads key {key!r}", guess
        if not is_go_name(key):
            return "not a Go variable: go ignores it", None
        return f"unknown Go name {key!r}", None
    if value.endswith("\r"):
        return "CRLF: value ends in \\r", None
    quoted = len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'"
    if quoted and key not in QUOTED_FIELD_NAMES:
        return "value keeps the quotes", None
    if " #" in value or "\t#" in value:
        return "trailing comment is part of the value", None
    if value[:1] in (" ", "\t"):
        return "value starts with a space: go keeps it", None
    if value[-1:] in (" ", "\t"):
        return "value ends with a space: go keeps it", None
    if _has_surrogates(value):
        return "value is not valid UTF-8", None
    return None, None


def _has_surrogates(text: str) -> bool:
    return any("\udc80" <= ch <= "\udcff" for ch in text)


def read_env_file(path: str) -> list[FileLine]:
    """Every line of a go env file (or go.env), 1-based; [] when the file does not exist.

    Raises :class:`EnvFileError` when the file exists but cannot be read.
    """
    data = read_bytes(path, "go.env file" if path.endswith("go.env") else "go env file")
    if data is None:
        return []
    return parse_env_text(decode(data))


def effective_map(lines: Iterable[FileLine]) -> dict[str, str]:
    """The KEY -> value map go builds from one file's lines (last duplicate wins)."""
    out: dict[str, str] = {}
    for fl in lines:
        if fl.key is not None:
            out[fl.key] = fl.value
    return out


def read_env_map(path: str) -> dict[str, str]:
    """What go reads from ``path``: {} when missing or unreadable (go is silent too)."""
    try:
        return effective_map(read_env_file(path))
    except EnvFileError:
        return {}


def merge_go_files(user: Mapping[str, str], goroot: Mapping[str, str]) -> dict[str, str]:
    """Go's combined file map: $GOROOT/go.env never overwrites a key of the user file."""
    out = dict(goroot)
    out.update(user)
    return out
