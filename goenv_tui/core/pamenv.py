"""Read /etc/environment and ~/.pam_environment the way pam_env (Linux-PAM 1.5) does.

Checked against pam_env.c of Linux-PAM 1.5 (Debian 12 ships 1.5.2). Both files go through
``_assemble_line``: leading blanks are skipped, the first ``#`` anywhere cuts the rest of the
line (the blanks before it stay), a backslash at the end of a line (trailing blanks allowed)
is removed and the next non-blank, non-comment line is appended as is; a line that does not
end in a newline (the last line of a file without a final newline, or one longer than the
8192-byte buffer) or that starts with a NUL byte makes pam_env stop reading the file.

/etc/environment (``_parse_env_file``, "simple" syntax, not shell): an optional leading
``export `` is dropped, the value runs to the end of the line (``\\r`` and trailing blanks
kept), ``$HOME`` stays literal, the key must be letters, digits and ``_``; when the value
starts with a quote, that quote and a quote that is the very last character are removed
(all others stay); ``KEY`` alone unsets.

~/.pam_environment (``_parse_config_file``, pam_env.conf syntax):
``VAR [DEFAULT=[value]] [OVERRIDE=[value]]``, values optionally in double quotes, with
``${VAR}`` (the PAM environment built so far: /etc/environment, earlier lines) and
``@{HOME}``/``@{SHELL}`` (the passwd entry) expanded, ``\\$``/``\\@`` escaped. OVERRIDE wins
when it expands to non-empty, else DEFAULT; neither: the variable is unset. A plain
``KEY=value`` word (no blank in it) also works, because pam_env then "unsets" the name
``KEY=value`` with pam_putenv, which sets it; such a value is literal. A blank after the last
argument makes the line invalid ("Unrecognized Option"). pam_env reads the user file only
with ``user_readenv=1`` (Debian's sshd sets it; the Linux-PAM default has been 0 since 1.5).

Errors are those of :func:`goenv_tui.core.envfile.read_bytes`: missing → [],
unreadable → :class:`~goenv_tui.core.envfile.EnvFileError`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass

from goenv_tui.core.envfile import decode, guess_go_name, read_bytes
from goenv_tui.core.model import FileLine

#: pam_env's line buffer (BUF_SIZE); a physical line that does not fit stops the reader.
PAM_BUF_SIZE = 8192

_KEY_RE = re.compile(r"^[A-Za-z0-9_]*$")
_BLANKS = " \t\n"


@dataclass(frozen=True)
class _Logical:
    line: int  # first physical line
    text: str  # assembled text, comment cut, without the final newline
    raw: str  # the physical line(s) as in the file, joined by \n
    note: str | None = None  # set when the assembler itself cut something


def _assemble(text: str) -> tuple[list[_Logical], list[tuple[int, str]], str | None, int]:
    """pam_env's ``_assemble_line`` over a whole file.

    Returns (logical lines, skipped physical lines (blank/comment), a stop reason or None,
    the number of the line where pam_env stopped).
    """
    phys = text.split("\n")
    no_final_newline = phys[-1] != ""
    if not no_final_newline:
        phys.pop()
    out: list[_Logical] = []
    skipped: list[tuple[int, str]] = []
    i = 0
    while i < len(phys):
        start = i
        parts: list[str] = []
        raws: list[str] = []
        cut = False
        while i < len(phys):
            line = phys[i]
            raws.append(line)
            i += 1
            used = sum(len(x.encode("utf-8", "surrogateescape")) for x in parts)
            if used + len(line.encode("utf-8", "surrogateescape")) + 1 >= PAM_BUF_SIZE:
                return out, skipped, "line too long: pam_env stops reading the file here", i
            if line.startswith("\0"):
                return out, skipped, "NUL byte: pam_env stops reading the file here", i
            s = line.lstrip(_BLANKS)
            if i == len(phys) and no_final_newline and (parts or (s and s[0] != "#")):
                return out, skipped, "no newline at the end: pam_env ignores this line", i
            if not s or s.startswith("#"):
                if not parts:
                    skipped.append((i, line))
                    raws.clear()
                    start = i
                continue
            hash_at = line.find("#")
            if hash_at >= 0:
                parts.append(line[:hash_at])
                cut = True
                break
            body = line.rstrip(" \t")
            if body.endswith("\\"):
                parts.append(body[:-1])
                continue
            parts.append(line)
            break
        if parts:
            note = "'#' starts a comment: pam_env cuts the value here" if cut else None
            out.append(_Logical(start + 1, "".join(parts), "\n".join(raws), note))
    return out, skipped, None, 0


def _strip_quotes(value: str) -> str:
    """pam_env's "not too smart" quote handling for /etc/environment values."""
    if not value or value[0] not in "\"'":
        return value
    chars: list[str] = []
    rest = value[1:]
    for n, ch in enumerate(rest):
        if ch not in "\"'" or n + 1 < len(rest):
            chars.append(ch)
    return "".join(chars)


def parse_etc_environment(text: str) -> list[FileLine]:
    """Parse /etc/environment text; one FileLine per logical line and per skipped line."""
    logical, skipped, stop, stop_line = _assemble(text)
    out: list[FileLine] = [FileLine(n, None, "", raw) for n, raw in skipped]
    for lg in logical:
        key_part = lg.text.lstrip(_BLANKS)
        if key_part.startswith("export "):
            key_part = key_part[len("export ") :]
        if key_part.startswith("="):
            out.append(FileLine(lg.line, None, "", lg.raw, "missing key: pam_env skips it"))
            continue
        name, eq, value = key_part.partition("=")
        if not eq:
            if not name:
                continue
            if _KEY_RE.match(name):
                out.append(FileLine(lg.line, name, "", lg.raw, "no '=': pam_env unsets it", None))
            else:
                out.append(
                    FileLine(
                        lg.line,
                        None,
                        "",
                        lg.raw,
                        "no '=': pam_env skips it",
                        guess_go_name(name.split()[0] if name.split() else name),
                    )
                )
            continue
        if not _KEY_RE.match(name):
            out.append(
                FileLine(
                    lg.line,
                    None,
                    "",
                    lg.raw,
                    "non-alphanumeric key: pam_env skips it",
                    guess_go_name(name),
                )
            )
            continue
        note = lg.note
        final = _strip_quotes(value)
        if note is None:
            note = _etc_value_note(value, final)
        out.append(FileLine(lg.line, name, final, lg.raw, note, None))
    if stop is not None:
        out.append(FileLine(stop_line, None, "", text.split("\n")[stop_line - 1][:200], stop))
    out.sort(key=lambda fl: fl.line)
    return out


def _etc_value_note(value: str, final: str) -> str | None:
    if "$" in final:
        return "'$' stays literal: /etc/environment is not shell"
    if final.endswith("\r"):
        return "CRLF: value ends in \\r"
    if final.startswith("~"):
        return "'~' stays literal: /etc/environment is not shell"
    if final != value and ('"' in final or "'" in final):
        return "mismatched quotes: pam_env keeps some of them"
    if final[-1:] in (" ", "\t"):
        return "value ends with a space: pam_env keeps it"
    return None


def read_etc_environment(path: str = "/etc/environment") -> list[FileLine]:
    """Read /etc/environment; [] when missing; EnvFileError when unreadable."""
    data = read_bytes(path, "file")
    return [] if data is None else parse_etc_environment(decode(data))


def _expand(
    arg: str, pam_env: Mapping[str, str], home: str, shell: str
) -> tuple[str | None, str | None]:
    """pam_env's ``_expand_arg``; (value or None when pam_env aborts the file, note)."""
    out: list[str] = []
    note: str | None = None
    i = 0
    while i < len(arg):
        ch = arg[i]
        if ch == "\\":
            i += 1  # the backslash is always dropped; $ and @ after it are literal
            if i < len(arg) and arg[i] in "$@":
                out.append(arg[i])
                i += 1
            continue
        if ch in "$@" and arg[i + 1 : i + 2] == "{":
            end = arg.find("}", i + 2)
            if end < 0:
                return None, "unterminated ${...}: pam_env stops reading the file here"
            name = arg[i + 2 : end]
            if ch == "$":
                val = pam_env.get(name, "")
            elif name == "HOME":
                val = home
            elif name == "SHELL":
                val = shell
            else:
                val = ""
            if val == "" and note is None:
                note = f"{ch}{{{name}}} is empty at login"
            out.append(val)
            i = end + 1
            continue
        if ch in "$@" and note is None:
            note = f"'{ch}' without braces stays literal"
        out.append(ch)
        i += 1
    return "".join(out), note


def _conf_args(rest: str) -> tuple[dict[str, str | None], str | None]:
    """pam_env's ``_parse_line`` arguments; (DEFAULT/OVERRIDE values, error or None).

    A value of None means "given but empty and unquoted" (pam_env leaves it unset).
    """
    args: dict[str, str | None] = {}
    ptr = rest
    while ptr[:1] in (" ", "\t") and ptr:
        ptr = ptr.lstrip(" \t")
        if ptr.startswith("DEFAULT="):
            which, ptr = "DEFAULT", ptr[8:]
        elif ptr.startswith("OVERRIDE="):
            which, ptr = "OVERRIDE", ptr[9:]
        elif not ptr:
            return args, "blank at the end of the line: pam_env skips the line"
        else:
            return args, "unrecognized option: pam_env skips the line"
        if ptr.startswith('"'):
            end = ptr.find('"', 1)
            if end < 0:
                return args, "unterminated quote: pam_env skips the line"
            val: str | None = ptr[1:end]
            ptr = ptr[end + 1 :]
            if ptr and ptr[0] not in " \t\n":
                return args, "quotes must cover the whole value: pam_env skips the line"
        else:
            n = len(ptr)
            for j, c in enumerate(ptr):
                if c in " \t\n":
                    n = j
                    break
            val, ptr = (ptr[:n] or None), ptr[n:]
        if val is not None or which not in args:
            args[which] = val
    return args, None


def parse_pam_environment(
    text: str,
    home: str,
    shell: str = "",
    env: Mapping[str, str] | None = None,
) -> list[FileLine]:
    """Parse ~/.pam_environment text (pam_env.conf syntax plus plain KEY=value words).

    ``env`` is the PAM environment before this file (e.g. /etc/environment's values);
    ``home`` and ``shell`` come from the passwd entry. A line that unsets has ``value`` ""
    and the note "no value: pam_env unsets it".
    """
    pam_env = dict(env or {})
    logical, skipped, stop, stop_line = _assemble(text)
    out: list[FileLine] = [FileLine(n, None, "", raw) for n, raw in skipped]
    for lg in logical:
        body = lg.text
        n = len(body)
        for j, c in enumerate(body):
            if c in _BLANKS:
                n = j
                break
        name, rest = body[:n], body[n:]
        if not name:
            out.append(
                FileLine(
                    lg.line,
                    None,
                    "",
                    lg.raw,
                    "indented: pam_env misreads it",
                    guess_go_name(body.strip().split("=", 1)[0]),
                )
            )
            continue
        args, err = _conf_args(rest)
        if err is not None:
            out.append(
                FileLine(lg.line, None, "", lg.raw, err, guess_go_name(name.split("=", 1)[0]))
            )
            continue
        override = args.get("OVERRIDE")
        default = args.get("DEFAULT")
        value: str | None = None
        note = lg.note
        stopped = False
        if override:
            val, xnote = _expand(override, pam_env, home, shell)
            if val is None:
                note, stopped = xnote, True
            elif val:
                value, note = val, note or xnote
        if value is None and default is not None and not stopped:
            val, xnote = _expand(default, pam_env, home, shell)
            if val is None:
                note, stopped = xnote, True
            else:
                value, note = val, note or xnote
        if stopped:
            out.append(FileLine(lg.line, None, "", lg.raw, note, guess_go_name(name)))
            stop, stop_line = None, 0
            break
        if value is None and "=" in name:
            # pam_putenv("KEY=value") in _undefine_var sets it.
            key, value = name.split("=", 1)
            if note is None and "$" in value:
                note = "'$' stays literal in a plain KEY=value line"
            elif note is None and value[:1] in "\"'":
                note = "value keeps the quotes"
            if args and note is None:
                note = "mixes KEY=value with DEFAULT/OVERRIDE: pam_env sets KEY=value"
            pam_env[key] = value
            out.append(FileLine(lg.line, key, value, lg.raw, note, None))
            continue
        if value is None:
            pam_env.pop(name, None)
            out.append(FileLine(lg.line, name, "", lg.raw, "no value: pam_env unsets it"))
            continue
        pam_env[name] = value
        out.append(FileLine(lg.line, name, value, lg.raw, note, None))
    if stop is not None:
        out.append(FileLine(stop_line, None, "", text.split("\n")[stop_line - 1][:200], stop))
    out.sort(key=lambda fl: fl.line)
    return out


def read_pam_environment(
    path: str | None = None,
    home: str | None = None,
    shell: str | None = None,
    env: Mapping[str, str] | None = None,
) -> list[FileLine]:
    """Read ~/.pam_environment (``path`` defaults to $HOME/.pam_environment)."""
    home = home if home is not None else os.path.expanduser("~")
    path = path if path is not None else os.path.join(home, ".pam_environment")
    data = read_bytes(path, "file")
    if data is None:
        return []
    return parse_pam_environment(decode(data), home, shell or "", env)
