"""Untrusted text: stray bytes never raise, escapes never reach a terminal, snapshots are files."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from goenv_tui.core.textsafe import for_terminal, unescape

from .conftest import Sandbox

OSC52 = "\x1b]52;c;cHduZWQ=\x07"
OSC0 = "\x1b]0;owned\x07"


@given(st.text())
def test_for_terminal_leaves_no_control_character(text: str) -> None:
    shown = for_terminal(text)
    assert not any(ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F for ch in shown)
    assert not any(0xD800 <= ord(ch) <= 0xDFFF for ch in shown)


@given(st.binary())
def test_stray_bytes_are_shown_escaped_and_read_back(raw: bytes) -> None:
    text = raw.decode("utf-8", "surrogateescape")
    shown = for_terminal(text)
    shown.encode("utf-8")  # always valid UTF-8
    if "\\x" not in text and "\\u" not in text:
        assert unescape(shown) == text


@pytest.mark.parametrize("fmt", ["toml", "json", "md"])
def test_a_stray_byte_in_goprivate_snapshots_in_every_format(sandbox: Sandbox, fmt: str) -> None:
    sandbox.write(".config/go/env", b"GOPRIVATE=corp\xff.example\n")
    sandbox.write(".profile", b"export GOFLAGS=-ldflags=-X=main.v=\xfe\n")
    out = sandbox.root / f"snap.{fmt}"
    done = sandbox.goenv_tui("snapshot", "--format", fmt, "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    out.read_bytes().decode("utf-8")  # valid UTF-8
    back = sandbox.goenv_tui("diff", str(out), str(out))
    assert back.returncode == 0, back.stderr


def test_escape_sequences_from_files_never_reach_the_terminal(sandbox: Sandbox) -> None:
    sandbox.write(".config/go/env", f"GOPRIVATE=a{OSC52}.example\n")
    sandbox.write(".profile", f"export GONOSUMDB='b{OSC0}.example'\n")
    for args in (["show"], ["show", "--json"], ["explain", "GOPRIVATE"], ["doctor"]):
        done = sandbox.goenv_tui(*args)
        assert "Traceback" not in done.stderr, args
        assert "\x1b" not in done.stdout and "\x07" not in done.stdout, args
        assert "\x1b" not in done.stderr, args
    shown = sandbox.goenv_tui("show", "GOPRIVATE").stdout
    assert "\\x1b]52;c;" in shown


def test_a_crafted_snapshot_sends_no_escape_to_the_terminal(sandbox: Sandbox) -> None:
    good = sandbox.root / "good.json"
    assert sandbox.goenv_tui("snapshot", "--format", "json", "-o", str(good)).returncode == 0
    data = json.loads(good.read_text())
    data["variables"]["GOPROXY"]["value"] = f"https://x{OSC52}/"
    data.setdefault("variables", {})[f"GO{OSC0}"] = data["variables"]["GOPROXY"]
    bad = sandbox.root / "bad.json"
    bad.write_text(json.dumps(data))
    done = sandbox.goenv_tui("diff", str(good), str(bad))
    assert done.returncode in (1, 2), done.stderr
    assert "\x1b" not in done.stdout + done.stderr
    assert "Traceback" not in done.stderr


def test_a_fifo_is_not_a_snapshot(sandbox: Sandbox) -> None:
    fifo = sandbox.root / "pipe"
    os.mkfifo(fifo)
    done = sandbox.goenv_tui("diff", str(fifo), "-", timeout=30)
    assert done.returncode == 2
    assert "not a regular file" in done.stderr
    assert done.stderr.count("\n") == 1


def test_a_directory_is_not_a_snapshot(sandbox: Sandbox, tmp_path: Path) -> None:
    done = sandbox.goenv_tui("--snapshot", str(tmp_path), timeout=30)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr


async def test_a_crafted_snapshot_reaches_the_tui_escaped(tmp_path: Path) -> None:
    from goenv_tui.core.resolve import Options
    from goenv_tui.core.snapshot import dumps, load, take
    from goenv_tui.ui.app import make_app
    from goenv_tui.ui.widgets.status_bar import StatusBar
    from goenv_tui.ui.widgets.variable_table import VariableTable

    from .tui_fixtures import fixture_env, fixture_result

    res = fixture_result().resolution
    assert res is not None
    data = json.loads(dumps(take(res, redactor=None, now=0), "json"))
    data["variables"]["GOPROXY"]["value"] = f"https://x{OSC52}/[bold]lit[/bold]"
    for key in ("host", "user"):
        if key in data:
            data[key] = f"[link=http://evil]{OSC0}"
    path = tmp_path / "crafted.json"
    path.write_text(json.dumps(data))
    opts = Options(env=fixture_env(), cwd=str(tmp_path))
    app = make_app(opts, snapshot=load(str(path)), env=fixture_env())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        cell = app.query_one(VariableTable).get_row("GOPROXY")[1]
        assert "\x1b" not in str(cell)
        assert "\\x1b]52;c;" in str(cell) and "[bold]lit[/bold]" in str(cell)
        status = str(app.query_one(StatusBar).render())
        assert "\x1b" not in status
        screen = app.export_screenshot()
        assert "\x1b" not in screen and "\x07" not in screen
