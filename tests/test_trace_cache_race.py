"""The trace cache never keeps an answer older than the files it was computed from."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path

from .conftest import REPO, Sandbox

WAIT = 'while [ ! -e "$HOME/go-on" ]; do sleep 0.05; done\n'


def _gopath(sandbox: Sandbox, cache: str) -> str:
    done = sandbox.goenv_tui(
        "show", "--json", "GOPATH", env=dict(sandbox.env, XDG_CACHE_HOME=cache)
    )
    assert done.returncode == 0, done.stderr
    return _fresh(done.stdout)


def _fresh(show_json: str) -> str:
    """The value a fresh shell gives GOPATH (the startup entry of its chain)."""
    chain = json.loads(show_json)["variables"]["GOPATH"]["chain"]
    return str(next(e["value"] for e in chain if e["layer"] == "startup"))


def test_a_file_edited_while_the_trace_runs_is_not_cached_with_the_old_answer(
    sandbox: Sandbox,
) -> None:
    cache = str(sandbox.root / "xdg-cache")
    sandbox.write(".profile", ". ~/.bashrc\n")
    rc = sandbox.write(".bashrc", "export GOPATH=/srv/old\n" + WAIT)
    env = dict(sandbox.env, XDG_CACHE_HOME=cache, PYTHONPATH=str(REPO))
    slow = subprocess.Popen(
        [sys.executable, "-m", "goenv_tui", "show", "--json", "GOPATH"],
        env=env,
        cwd=sandbox.home,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(1.0)  # the traced shell has read ~/.bashrc and waits in the loop
    rc.write_text("export GOPATH=/srv/new\n" + WAIT)
    (sandbox.home / "go-on").touch()
    out, err = slow.communicate(timeout=60)
    assert slow.returncode == 0, err
    assert _fresh(out) == "/srv/old"  # what the slow trace saw
    assert _gopath(sandbox, cache) == "/srv/new"  # not the cached old answer
    assert _gopath(sandbox, cache) == "/srv/new"  # and now cached, still right


def test_two_writers_creating_the_cache_folder_both_write(tmp_path: Path) -> None:
    """The go probe and the trace write their first cache files at the same time: whoever
    creates the folder second still writes (a lost race left the first run uncached)."""
    from goenv_tui.core.shells.cache import write_cache_file

    for attempt in range(20):
        folder = tmp_path / str(attempt) / "cache" / "goenv-tui"
        start = threading.Barrier(2)

        def write(name: str, folder: Path = folder, start: threading.Barrier = start) -> None:
            start.wait()
            write_cache_file(str(folder), name, "{}")

        threads = [threading.Thread(target=write, args=(n,)) for n in ("a.json", "b.json")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(p.name for p in folder.iterdir()) == ["a.json", "b.json"]
