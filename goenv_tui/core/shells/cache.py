"""Cache traces by the content of every file they depend on (tracing runs user code)."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import asdict
from typing import Any

from ..model import Assignment, ExecInto, ShellTrace

#: 2: probed paths and the host name; 3: eval origins, exec, bare exports; 4: the folder
#: entered; 5: whether the answer holds for any folder; 6: PATH at the end
SCHEMA = 6


def cache_key(
    shell: str,
    shell_path: str,
    mode: str,
    names: Iterable[str],
    base_env: Mapping[str, str],
    home: str,
    cwd: str | None = None,
) -> str:
    """The key of one trace request (shell binary identity and the folder entered included)."""
    try:
        st = os.stat(shell_path)
        ident = [os.path.realpath(shell_path), st.st_size, st.st_mtime_ns]
    except OSError:
        ident = [shell_path]
    blob = json.dumps(
        [
            SCHEMA,
            shell,
            ident,
            mode,
            sorted(names),
            sorted(base_env.items()),
            home,
            os.geteuid(),
            cwd,
        ]
    )
    return hashlib.sha256(blob.encode()).hexdigest()[:40]


def _digest(path: str) -> str | None:
    try:
        with open(path, "rb") as fh:
            return hashlib.sha256(fh.read()).hexdigest()
    except OSError:
        return None


def _listing(directory: str) -> str | None:
    try:
        return "\n".join(sorted(os.listdir(directory)))
    except OSError:
        return None


def changed_since(files: Iterable[str], since_ns: int, *, missing_ok: bool = False) -> bool:
    """Whether any of ``files`` changed (content or metadata: ctime, which no one can set
    back) at or after ``since_ns`` (time.time_ns() before the trace), or cannot be read
    (``missing_ok``: a missing path is a state like any other, e.g. a probed folder).

    A trace whose files changed while it ran is not cached: the fingerprint taken after it
    would pair the new bytes with the old answer for good. File times come from the kernel's
    coarse clock, which lags time.time_ns(), so an edit made before the trace started always
    reads as earlier (no slack needed).
    """
    for path in dict.fromkeys(files):
        try:
            st = os.stat(path)
        except FileNotFoundError:
            if missing_ok:
                continue
            return True
        except OSError:
            return True
        if max(st.st_ctime_ns, st.st_mtime_ns) >= since_ns:
            return True
    return False


def _probe(path: str) -> list[Any] | None:
    """What a command could have seen of ``path``: its kind, and its content (a file up to
    1 MiB, else its size and time) or its listing (a folder)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    if os.path.isdir(path):
        return ["dir", _listing(path)]
    if st.st_size <= 1024 * 1024:
        return ["file", _digest(path)]
    return ["file", st.st_size, st.st_mtime_ns]


def fingerprint(
    files: Iterable[str], candidates: Iterable[str], probed: Iterable[str] = ()
) -> dict[str, Any]:
    """Hashes of the files read, existence of candidates, listings of their directories,
    what the startup's commands could see of the paths they named, and the host name."""
    files = list(dict.fromkeys(files))
    dirs = sorted({os.path.dirname(f) for f in files})
    return {
        "files": {f: _digest(f) for f in files},
        "exists": {c: os.path.exists(c) for c in candidates},
        "dirs": {d: _listing(d) for d in dirs},
        "probed": {p: _probe(p) for p in dict.fromkeys(probed)},
        "host": os.uname().nodename,
    }


def load_payload(cache_dir: str, name: str) -> dict[str, Any] | None:
    """The payload of cache file ``name`` when what it was computed from is unchanged (its
    fingerprint still holds), else None."""
    try:
        with open(os.path.join(cache_dir, name), encoding="utf-8") as fh:
            data = json.load(fh)
        fp = data["fingerprint"]
        if fingerprint(fp["files"], fp["exists"], fp["probed"]) != fp:
            return None
        payload: dict[str, Any] = data["trace"]
        return payload
    except (OSError, ValueError, KeyError, TypeError):
        return None


def store_payload(
    cache_dir: str,
    name: str,
    payload: Any,
    files: Iterable[str],
    candidates: Iterable[str] = (),
    probed: Iterable[str] = (),
) -> None:
    """Save ``payload`` as cache file ``name`` with the fingerprint of what it depends on
    (best effort)."""
    data = {"fingerprint": fingerprint(files, candidates, probed), "trace": payload}
    write_cache_file(cache_dir, name, json.dumps(data))


def load(cache_dir: str, key: str) -> ShellTrace | None:
    """A cached trace whose files are unchanged, else None."""
    t = load_payload(cache_dir, key + ".json")
    if t is None:
        return None
    try:
        t["assignments"] = [Assignment(**a) for a in t["assignments"]]
        if t.get("exec_into") is not None:
            t["exec_into"] = ExecInto(**t["exec_into"])
        return ShellTrace(**t)
    except (KeyError, TypeError):
        return None


def previous_names(cache_dir: str, key: str) -> set[str]:
    """The names an earlier trace of this request found set, fresh or not (a trace after an
    edit watches them from the start, see watchset.py); empty when there is none."""
    try:
        with open(os.path.join(cache_dir, key + ".json"), encoding="utf-8") as fh:
            trace = json.load(fh)["trace"]
        names = {str(a["name"]) for a in trace["assignments"] if a.get("ran")}
        return names | {str(n) for n in trace["final_env"]}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return set()


def write_cache_file(cache_dir: str, name: str, text: str) -> None:
    """Write a cache file atomically (best effort): an exclusive temp, owned like the folder
    (never root's in a user's HOME), removed again on any error."""
    from goenv_tui.core.txn.fsio import create_exclusive
    from goenv_tui.core.txn.ownership import give_away, make_dirs

    tmp = None
    try:
        make_dirs(cache_dir, 0o700)
        final = os.path.join(cache_dir, name)
        fd, tmp = create_exclusive(final, 0o600)
        give_away(tmp, fd)
        with os.fdopen(fd, "w", encoding="utf-8", errors="surrogateescape") as fh:
            fh.write(text)
        os.replace(tmp, final)
        tmp = None
    except (OSError, ValueError):
        pass
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def store(cache_dir: str, key: str, trace: ShellTrace, candidates: Iterable[str]) -> None:
    """Save a trace with the fingerprint of what it depends on (best effort)."""
    store_payload(
        cache_dir, key + ".json", asdict(trace), trace.files_read, candidates, trace.probed
    )
