"""Snapshots for bug reports: take (redacted), write TOML/JSON/Markdown, load, validate."""

from __future__ import annotations

import json
import os
import platform
import socket
import stat
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from goenv_tui import __version__
from goenv_tui.core.model import ChainEntry, GoBinary, GoInfo, ShellTrace, Variable
from goenv_tui.core.resolve import SCHEMA as SHOW_SCHEMA
from goenv_tui.core.resolve import Resolution
from goenv_tui.core.textsafe import LONE_SURROGATE, escape_bytes

if TYPE_CHECKING:
    from goenv_tui.core.redact import Redactor

SCHEMA = "goenv-tui/snapshot/1"
FORMATS = ("toml", "json", "md")
MAX_BYTES = 8 * 1024 * 1024
MD_BEGIN = "<!-- goenv-tui snapshot: the JSON below is what `goenv-tui --snapshot` reads -->"


class SnapshotError(ValueError):
    """A snapshot that cannot be read: the message is one sentence for the user."""


@dataclass
class Snapshot:
    """One machine's resolved Go environment, as exported."""

    resolution: Resolution
    meta: dict[str, Any] = field(default_factory=dict)
    findings: list[dict[str, Any]] = field(default_factory=list)
    redactions: list[dict[str, str]] = field(default_factory=list)

    @property
    def redacted(self) -> bool:
        """True when secrets, home and private hosts were replaced."""
        return bool(self.meta.get("redacted"))

    def banner(self) -> str:
        """Whose and when, for the read-only TUI (short: it leads an 80-column line)."""
        m = self.meta
        who = m.get("host") or "unknown host"
        when = str(m.get("created") or "unknown time").replace("T", " ").replace("Z", " UTC")
        return f"{who} · {when}" + ("" if self.redacted else " · NOT redacted")


# -- taking ------------------------------------------------------------------------------


def take(
    res: Resolution,
    *,
    redactor: Redactor | None,
    findings: list[dict[str, Any]] | None = None,
    now: float | None = None,
) -> Snapshot:
    """A snapshot of `res`; with a redactor every value, path and note goes through it."""
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now))
    host = socket.gethostname()
    meta: dict[str, Any] = {
        "tool": f"goenv-tui {__version__}",
        "created": stamp,
        "os": platform.system().lower(),
        "arch": platform.machine(),
        "host": host,
        "redacted": redactor is not None,
    }
    if redactor is None:
        return Snapshot(res, meta, list(findings or []), [])
    meta["host"] = redactor.value("GOPRIVATE", host, "meta.host")  # a host name: pseudonymise
    red = _redact_resolution(res, redactor)
    redactions = [{"field": r.field, "reason": r.reason} for r in redactor.redactions]
    return Snapshot(red, meta, list(findings or []), redactions)


def learn_values(res: Resolution, r: Redactor) -> None:
    """Teach ``r`` every value's secrets and private names first, so that text redacted early
    is not missed by what a later value (GOPRIVATE, a GOFLAGS token) teaches."""
    for name, var in res.variables.items():
        r.learn(name, var.value)
        for e in var.chain:
            r.learn(name, e.value)


def _redact_resolution(res: Resolution, r: Redactor) -> Resolution:
    """A copy of `res` with every value, path, origin and note redacted (values first)."""
    learn_values(res, r)
    variables: dict[str, Variable] = {}
    for name, var in res.variables.items():
        base = f"variables.{name}"
        value = r.value(name, var.value, f"{base}.value")
        chain = [
            ChainEntry(
                e.layer,
                r.value(name, e.value, f"{base}.chain[{i}].value"),
                e.state,
                e.file,
                e.line,
                e.origin,
                e.note,
            )
            for i, e in enumerate(var.chain)
        ]
        variables[name] = Variable(name, value, chain, list(var.flags))
    for name, var in variables.items():
        base = f"variables.{name}"
        var.chain = [
            ChainEntry(
                e.layer,
                e.value,
                e.state,
                _opt(r.text, e.file, f"{base}.chain[{i}].file"),
                e.line,
                _opt(r.text, e.origin, f"{base}.chain[{i}].origin"),
                _opt(r.text, e.note, f"{base}.chain[{i}].note"),
            )
            for i, e in enumerate(var.chain)
        ]
    go = res.go
    new_go = GoInfo(
        path=_opt(r.text, go.path, "go.path"),
        version=go.version,
        local_version=go.local_version,
        goroot=_opt(r.text, go.goroot, "go.goroot"),
        env_file=_opt(r.text, go.env_file, "go.env_file"),
        goroot_env_file=_opt(r.text, go.goroot_env_file, "go.goroot_env_file"),
        error=_opt(r.text, go.error, "go.error"),
        on_path=[
            GoBinary(
                r.text(b.path, f"go.on_path[{i}].path"),
                r.text(b.realpath, f"go.on_path[{i}].realpath"),
                b.version,
            )
            for i, b in enumerate(go.on_path)
        ],
    )
    sh = res.shell
    new_shell = ShellTrace(
        shell=sh.shell,
        path=sh.path,
        mode=sh.mode,
        traced=sh.traced,
        complete=sh.complete,
        error=_opt(r.text, sh.error, "shell.error"),
        files_read=[r.text(f, f"shell.files_read[{i}]") for i, f in enumerate(sh.files_read)],
        version=sh.version,
    )
    warnings = [r.text(w, f"warnings[{i}]") for i, w in enumerate(res.warnings)]
    return Resolution(new_go, new_shell, variables, warnings=warnings)


def _opt(fn: Callable[[str, str], str], value: str | None, where: str) -> str | None:
    return None if value is None else fn(value, where)


# -- writing -----------------------------------------------------------------------------


def to_data(snap: Snapshot) -> dict[str, Any]:
    """The snapshot as plain data (the JSON form; TOML drops the nulls)."""
    res = snap.resolution
    return {
        "schema": SCHEMA,
        "meta": dict(snap.meta),
        "go": res.go.to_json(),
        "shell": res.shell.to_json(),
        "warnings": list(res.warnings),
        "variables": {n: res.variables[n].to_json() for n in sorted(res.variables)},
        "findings": list(snap.findings),
        "redactions": list(snap.redactions),
    }


def dumps(snap: Snapshot, fmt: str) -> str:
    """Serialise in one of FORMATS; the result is always valid UTF-8 text.

    A byte that is not UTF-8 (a surrogateescape lone surrogate in memory, from a file, a name
    or the environment) is written in JSON (and the Markdown's JSON) as the escape ``\\udcNN``,
    which loads back exactly; TOML cannot hold it, so there it becomes the text ``\\xNN``.
    """
    data = to_data(snap)
    if fmt == "json":
        return _json_text(data, 2) + "\n"
    if fmt == "toml":
        import tomli_w

        return tomli_w.dumps(_drop_none(_bytes_as_text(data)))
    if fmt == "md":
        from goenv_tui.core.snapshot_md import markdown

        return markdown(snap, _json_text(data, 1))
    raise ValueError(f"unknown format {fmt!r}")


def _json_text(data: Any, indent: int) -> str:
    """JSON with non-ASCII kept readable, but every lone surrogate as a ``\\uXXXX`` escape."""
    text = json.dumps(data, indent=indent, ensure_ascii=False)
    return LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _bytes_as_text(value: Any) -> Any:
    if isinstance(value, str):
        return escape_bytes(value)
    if isinstance(value, dict):
        return {escape_bytes(k): _bytes_as_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_bytes_as_text(v) for v in value]
    return value


def _drop_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _drop_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_none(v) for v in value]
    return value


# -- reading -----------------------------------------------------------------------------


def load(path: str) -> Snapshot:
    """Read a snapshot file (TOML, JSON, the Markdown export, or `show --json` output)."""
    try:
        raw = _read_regular(path)
    except SnapshotError:
        raise
    except OSError as err:
        raise SnapshotError(
            f"cannot read {path}: {err.strerror or err}; check the path and its permissions"
        ) from err
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise SnapshotError(f"{path} is not UTF-8 text, so it is not a snapshot") from err
    return loads(text, path)


def _read_regular(path: str) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most MAX_BYTES (a FIFO, device or
    directory is refused at once: opened non-blocking, checked with fstat before any read)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise SnapshotError(
                f"{path} is {_kind(st.st_mode)}, not a regular file; give the snapshot file itself"
            )
        if st.st_size > MAX_BYTES:
            raise SnapshotError(
                f"{path} is {st.st_size} bytes, more than a snapshot can be "
                f"({MAX_BYTES // (1024 * 1024)} MiB); check that it is a goenv-tui snapshot"
            )
        from goenv_tui.core.txn.fsio import read_at_most  # only when a file is opened

        os.set_blocking(fd, True)
        data = read_at_most(fd, MAX_BYTES)
        if len(data) > MAX_BYTES:  # it grew while being read
            raise SnapshotError(f"{path} grew past {MAX_BYTES // (1024 * 1024)} MiB while read")
        return data
    finally:
        os.close(fd)


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def loads(text: str, source: str = "<snapshot>") -> Snapshot:
    """Parse and validate a snapshot's text; SnapshotError (one sentence) when it is not one."""
    data = _parse(text, source)
    if not isinstance(data, dict):
        raise SnapshotError(f"{source} does not hold a goenv-tui snapshot (not an object)")
    schema = data.get("schema")
    if schema == SHOW_SCHEMA:
        data = {**data, "meta": {"tool": "goenv-tui show --json"}}
    elif schema != SCHEMA:
        if isinstance(schema, str) and schema.startswith("goenv-tui/snapshot/"):
            raise SnapshotError(
                f"{source} uses snapshot schema {schema!r}, which this goenv-tui "
                f"({__version__}) does not know; upgrade goenv-tui to read it"
            )
        raise SnapshotError(
            f"{source} is not a goenv-tui snapshot (schema {schema!r}); "
            "make one with 'goenv-tui snapshot'"
        )
    try:
        return _from_data(data)
    except (ValueError, TypeError, AttributeError) as err:
        raise SnapshotError(f"{source} is a damaged snapshot: {err}") from err


def _parse(text: str, source: str) -> Any:
    stripped = text.lstrip("\ufeff \t\r\n")
    try:
        if stripped.startswith("{"):
            return json.loads(stripped)
        if MD_BEGIN in text:
            return json.loads(_md_payload(text, source))
        import tomllib

        return tomllib.loads(text)
    except SnapshotError:
        raise
    except RecursionError as err:
        raise SnapshotError(f"{source} is nested too deeply to be a snapshot") from err
    except ValueError as err:  # json.JSONDecodeError and tomllib.TOMLDecodeError
        reason = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise SnapshotError(f"{source} cannot be parsed ({reason}); is it truncated?") from err


def _md_payload(text: str, source: str) -> str:
    after = text.split(MD_BEGIN, 1)[1]
    start = after.find("```json")
    end = after.find("\n```", start + 7)
    if start < 0 or end < 0:
        raise SnapshotError(f"{source} holds a goenv-tui Markdown export without its JSON part")
    return after[start + 7 : end]


def _from_data(data: Mapping[str, Any]) -> Snapshot:
    variables = data.get("variables")
    if not isinstance(variables, Mapping):
        raise ValueError("variables must be a table")
    meta = data.get("meta") or {}
    findings = data.get("findings") or []
    redactions = data.get("redactions") or []
    warnings = data.get("warnings") or []
    if not isinstance(meta, Mapping) or not isinstance(findings, list):
        raise ValueError("meta must be a table and findings a list")
    if not isinstance(redactions, list) or not isinstance(warnings, list):
        raise ValueError("redactions and warnings must be lists")
    res = Resolution(
        GoInfo.from_json(_table(data.get("go"), "go")),
        ShellTrace.from_json(_table(data.get("shell"), "shell")),
        {str(n): Variable.from_json(str(n), _table(v, n)) for n, v in variables.items()},
        warnings=[str(w) for w in warnings],
    )
    return Snapshot(
        res,
        {str(k): v for k, v in meta.items() if isinstance(v, (str, bool, int, float))},
        [dict(_table(f, "finding")) for f in findings],
        [
            {"field": str(r.get("field")), "reason": str(r.get("reason"))}
            for r in map(lambda x: _table(x, "redaction"), redactions)
        ],
    )


def _table(value: Any, what: str) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ValueError(f"{what} must be a table, not {type(value).__name__}")
    return value
