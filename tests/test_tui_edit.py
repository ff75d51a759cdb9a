"""The TUI's edit mode: press keys over a sandbox HOME (real go, real bash, real files) and
check what the CLI and the files see."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from rich.console import Console
from textual.widgets import Input, Static

from goenv_tui.core.plan import stage
from goenv_tui.core.plan.change import BLOCK, GOENV, SET, UNSET, Change, Place
from goenv_tui.core.resolve import Options
from goenv_tui.ui.app import GoEnvApp, make_app
from goenv_tui.ui.screens.confirm_screen import ConfirmScreen
from goenv_tui.ui.screens.edit_screen import EditScreen
from goenv_tui.ui.screens.history_screen import HistoryScreen
from goenv_tui.ui.screens.preview_screen import (
    APPLIED,
    APPLYING,
    COMPUTING,
    SHOWN,
    PreviewScreen,
)
from goenv_tui.ui.widgets.variable_table import VariableTable

from .conftest import Sandbox
from .tui_fixtures import fixture_env, fixture_result

PROFILE = 'if [ -f "$HOME/.bashrc" ]; then . "$HOME/.bashrc"; fi\n'
GOENV_BEFORE = "# mine\nGOFLAGS=-mod=mod\n"


@pytest.fixture
def home(sandbox: Sandbox) -> Iterator[Sandbox]:
    """Debian-like: ~/.profile sources ~/.bashrc; the go env file sets GOFLAGS."""
    sandbox.write(".profile", PROFILE)
    sandbox.write(".bashrc", "# rc\nalias ll='ls -l'\n")
    sandbox.write(".config/go/env", GOENV_BEFORE)
    yield sandbox


def sandbox_app(sb: Sandbox) -> GoEnvApp:
    opts = Options(env=dict(sb.env), cwd=str(sb.home), cache_dir=str(sb.root / "cache"))
    return make_app(opts, env=dict(sb.env))


def staged(sb: Sandbox) -> list[Change]:
    return stage.load(str(sb.state), str(sb.home))


async def until(pilot: object, cond: Callable[[], bool], limit: float = 60) -> None:
    """Wait for the workers (real go, traced shells) without a fixed sleep."""
    deadline = time.monotonic() + limit
    while not cond():
        assert time.monotonic() < deadline, "timed out"
        await pilot.pause(0.05)  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]


async def probed(app: GoEnvApp, pilot: object) -> None:
    await until(pilot, lambda: app.result is not None)


def errors(app: GoEnvApp) -> list[str]:
    return [n.message for n in app._notifications if n.severity == "error"]


def text_of(widget: Static) -> str:
    console = Console(width=200, record=True, file=open(os.devnull, "w"))  # noqa: SIM115
    console.print(widget.content)
    return console.export_text()


async def select(pilot: object, name: str) -> None:
    await pilot.press("slash", *name, "enter")  # type: ignore[attr-defined]


async def test_e_stages_a_change_that_the_cli_sees(home: Sandbox) -> None:
    app = sandbox_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await probed(app, pilot)
        await select(pilot, "GOPRIVATE")
        await pilot.press("e")
        screen = app.screen
        assert isinstance(screen, EditScreen)
        labels = [t.label for t in screen.targets]
        assert labels[0] == "go env file ~/.config/go/env (where it takes effect)"
        assert "startup file managed block in ~/.bashrc" in labels
        assert any("/etc/profile.d/goenv-tui.sh" in x for x in labels) == (os.geteuid() == 0)
        await pilot.press(*"*.corp.example", "enter")
        assert screen.busy  # the check runs in a worker; the UI stays responsive
        await until(pilot, lambda: not isinstance(app.screen, EditScreen))
        assert staged(home) == [Change(SET, "GOPRIVATE", "*.corp.example", Place(GOENV))]
        assert app.staged == staged(home)
        label = app.query_one(VariableTable).get_row("GOPRIVATE")[0]
        assert label.plain.startswith("  ✎ ")
        # ↓ in the value chooses the next place: the managed block
        await pilot.press("e", "down")
        assert app.screen.chosen.place == Place(BLOCK)  # type: ignore[attr-defined]
        await pilot.press("enter")
        await until(pilot, lambda: not isinstance(app.screen, EditScreen))
    assert staged(home)[-1] == Change(SET, "GOPRIVATE", "*.corp.example", Place(BLOCK))
    out = home.goenv_tui("stage", "list")
    assert out.returncode == 0, out.stderr
    assert "1. set GOPRIVATE=*.corp.example  [to goenv]" in out.stdout
    assert "2. set GOPRIVATE=*.corp.example  [to startup]" in out.stdout
    assert home.go_env_file.read_text() == GOENV_BEFORE  # staging writes nothing


@pytest.mark.parametrize(
    ("name", "value"), [("GOSUMDB", "https://sum.golang.org"), ("CGO_ENABLED", "2")]
)
async def test_refused_value_stages_nothing(home: Sandbox, name: str, value: str) -> None:
    app = sandbox_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await probed(app, pilot)
        await select(pilot, name)
        await pilot.press("e")
        screen = app.screen
        assert isinstance(screen, EditScreen)
        screen.query_one(Input).value = ""
        await pilot.press(*value, "enter")
        await until(pilot, lambda: not screen.busy)
        assert app.screen is screen  # left open to correct the value
        (error,) = errors(app)
        assert name in error and "\n" not in error
        await pilot.press("escape")
        assert not isinstance(app.screen, EditScreen)
    assert staged(home) == []
    assert not (home.state / "staged.json").exists()


async def test_esc_during_the_check_stages_nothing(home: Sandbox) -> None:
    app = sandbox_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await probed(app, pilot)
        await select(pilot, "GOPRIVATE")
        await pilot.press("e", *"x.example", "enter", "escape")
        assert not isinstance(app.screen, EditScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.staged == []
    assert staged(home) == []


async def test_u_stages_unset_or_says_why_not(home: Sandbox) -> None:
    app = sandbox_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await probed(app, pilot)
        await select(pilot, "GOPRIVATE")
        await pilot.press("u")
        await until(pilot, lambda: bool(errors(app)))
        assert "nothing to unset" in errors(app)[0]
        assert staged(home) == []
        await pilot.press("escape")
        await select(pilot, "GOFLAGS")
        await pilot.press("e", *" -trimpath", "enter")
        await until(pilot, lambda: bool(app.staged))
        # `u` unsets where the value takes effect, like `e`: it replaces the staged set
        await pilot.press("u")
        await until(pilot, lambda: app.staged and app.staged[-1].op == UNSET)
        assert any(
            "It replaces the staged change: set GOFLAGS=" in n.message for n in (app._notifications)
        )
    assert staged(home) == [Change(UNSET, "GOFLAGS", None, Place(GOENV))]


async def test_an_empty_value_is_staged_only_when_asked_twice(home: Sandbox) -> None:
    app = sandbox_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await probed(app, pilot)
        await select(pilot, "GOFLAGS")
        await pilot.press("e")
        screen = app.screen
        assert isinstance(screen, EditScreen)
        screen.query_one(Input).value = ""
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen and not screen.busy and app.staged == []
        assert "empty value" in text_of(screen.query_one("#edit-status", Static))
        await pilot.press("enter")  # asked for explicitly
        await until(pilot, lambda: not isinstance(app.screen, EditScreen))
    assert staged(home) == [Change(SET, "GOFLAGS", "", Place(GOENV))]


async def test_p_shows_the_diff_and_d_drops(home: Sandbox) -> None:
    stage.save(
        str(home.state),
        [Change(SET, "GOPRIVATE", "*.corp.example"), Change(UNSET, "GOFLAGS")],
    )
    app = sandbox_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await probed(app, pilot)
        assert {"GOPRIVATE", "GOFLAGS"} <= {c.name for c in app.staged}
        await pilot.press("p")
        screen = app.screen
        assert isinstance(screen, PreviewScreen)
        # computing (with a loading indicator) or, on a fast machine, already shown
        assert screen.state in (COMPUTING, SHOWN)
        await until(pilot, lambda: screen.state == SHOWN)
        body = text_of(screen.query_one("#preview-content", Static))
        assert "--- ~/.config/go/env (now)" in body
        assert "+GOPRIVATE=*.corp.example" in body and "-GOFLAGS=-mod=mod" in body
        assert "go env -w GOPRIVATE=*.corp.example" in body.replace("'", "")
        assert "After apply" in body
        await pilot.press("down", "d")  # drop the second staged change (unset GOFLAGS)
        await until(pilot, lambda: screen.state == SHOWN)
        body = text_of(screen.query_one("#preview-content", Static))
        assert "-GOFLAGS" not in body and "+GOPRIVATE=*.corp.example" in body
        await pilot.press("escape")
        assert not isinstance(app.screen, PreviewScreen)
    assert staged(home) == [Change(SET, "GOPRIVATE", "*.corp.example")]
    assert home.go_env_file.read_text() == GOENV_BEFORE


async def test_apply_then_history_then_rollback_for_real(home: Sandbox) -> None:
    app = sandbox_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await probed(app, pilot)
        await pilot.press("a")  # nothing staged yet: says so, opens nothing
        assert not isinstance(app.screen, PreviewScreen)
        await select(pilot, "GOPRIVATE")
        await pilot.press("e", *"*.corp.example", "enter")
        await until(pilot, lambda: not isinstance(app.screen, EditScreen))
        await pilot.press("a")  # the preview, then the question
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("n")
        preview = app.screen
        assert isinstance(preview, PreviewScreen) and preview.state == SHOWN
        assert home.go_env_file.read_text() == GOENV_BEFORE  # "n" changed nothing
        await pilot.press("a", "y")
        await until(pilot, lambda: preview.state == APPLIED)
        outcome = text_of(preview.query_one("#preview-content", Static))
        assert "ok GOPRIVATE: a fresh terminal gets '*.corp.example' from ~/.config/go/env:" in (
            outcome
        )
        assert not errors(app)
        await until(pilot, lambda: app.result is not None and not app.workers)
        res = app.result.resolution  # type: ignore[union-attr]
        assert res is not None and res.variables["GOPRIVATE"].value == "*.corp.example"
        assert "✎" not in app.query_one(VariableTable).get_row("GOPRIVATE")[0].plain
        await pilot.press("escape", "H")
        history = app.screen
        assert isinstance(history, HistoryScreen)
        await until(pilot, lambda: bool(history.records))
        (rec,) = history.records
        assert "set GOPRIVATE=*.corp.example" in rec.description
        assert outcome.count(rec.txid) >= 1
        await pilot.press("R")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await until(pilot, lambda: len(history.records) == 2)
        assert not errors(app)
    # the rollback restored the original bytes
    assert rec.files[0].path == str(home.go_env_file)
    assert rec.files[0].original == GOENV_BEFORE.encode()
    assert home.go_env_file.read_text() == GOENV_BEFORE
    assert staged(home) == []
    out = home.goenv_tui("history")
    assert rec.txid in out.stdout and "Roll back: set GOPRIVATE" in out.stdout


async def test_apply_writes_go_env_w_bytes(home: Sandbox, tmp_path: Path) -> None:
    stage.save(str(home.state), [Change(SET, "GOPRIVATE", "*.corp.example")])
    app = sandbox_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await probed(app, pilot)
        await pilot.press("p")
        preview = app.screen
        assert isinstance(preview, PreviewScreen)
        await until(pilot, lambda: preview.state == SHOWN)
        await pilot.press("a", "y")
        await until(pilot, lambda: preview.state == APPLIED)
    ref = tmp_path / "ref-env"
    ref.write_text(GOENV_BEFORE)
    env = dict(home.env, GOENV=str(ref))
    subprocess.run(["go", "env", "-w", "GOPRIVATE=*.corp.example"], env=env, check=True)
    assert home.go_env_file.read_bytes() == ref.read_bytes()


async def test_nothing_to_write_clears_the_plan_without_asking(home: Sandbox) -> None:
    stage.save(str(home.state), [Change(SET, "GOFLAGS", "-mod=mod", Place(GOENV))])
    app = sandbox_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await probed(app, pilot)
        await pilot.press("a")
        preview = app.screen
        assert isinstance(preview, PreviewScreen)
        await until(pilot, lambda: preview.state == APPLIED)
        assert "nothing was written" in text_of(preview.query_one("#preview-content", Static))
        assert app.staged == []
    assert staged(home) == []
    assert home.go_env_file.read_text() == GOENV_BEFORE
    assert not (home.state / "history").exists() or not os.listdir(home.state / "history")


async def test_rollback_of_a_file_changed_since_is_refused(home: Sandbox) -> None:
    out = home.goenv_tui("set", "GOPRIVATE=*.corp.example", "--to", "goenv", "--yes")
    assert out.returncode == 0, out.stderr
    home.write(".config/go/env", "GOFLAGS=-trimpath\n")  # edited by hand since
    app = sandbox_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await probed(app, pilot)
        await pilot.press("H")
        history = app.screen
        assert isinstance(history, HistoryScreen)
        await until(pilot, lambda: bool(history.records))
        await pilot.press("enter")
        confirm = app.screen
        assert isinstance(confirm, ConfirmScreen)
        assert any("changed since" in line for line in confirm.details)
        await pilot.press("y")
        await until(pilot, lambda: bool(errors(app)))
        (error,) = errors(app)
        assert "changed since" in error and "\n" not in error
        assert not history.busy and len(history.records) == 1
    assert home.go_env_file.read_text() == "GOFLAGS=-trimpath\n"


async def test_read_only_snapshot_refuses_every_edit_key(tmp_path: Path) -> None:
    from goenv_tui.core.snapshot import take

    res = fixture_result().resolution
    assert res is not None
    state = tmp_path / "state"
    opts = Options(env=fixture_env(), cwd=str(tmp_path))
    app = make_app(
        opts, snapshot=take(res, redactor=None, now=0), env=fixture_env(), state_dir=str(state)
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for action in ("edit", "unset", "preview", "apply", "history"):
            assert app.check_action(action, ()) is False
        await select(pilot, "GOPROXY")
        for key in ("e", "u", "p", "a", "H"):
            await pilot.press(key)
            await pilot.pause()
            assert app.screen is app.screen_stack[0], key
        await app.run_action("edit")  # the palette's way in is refused too
        assert app.screen is app.screen_stack[0]
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert not {"Edit", "Unset", "Preview", "Apply", "History"} & titles
    assert not state.exists()


async def test_edit_keys_are_documented() -> None:
    app = make_app(result=fixture_result(), env=fixture_env())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        keys = {b.key: b for b in app.BINDINGS}  # type: ignore[union-attr]
        for key in ("e", "u", "p", "a", "H", "A"):
            assert keys[key].id and keys[key].tooltip  # type: ignore[union-attr]
        for screen in (EditScreen, PreviewScreen, HistoryScreen, ConfirmScreen):
            for b in screen.BINDINGS:
                assert b.id and b.description and b.tooltip, b  # type: ignore[union-attr]
        await pilot.press("f1")
        help_text = "".join(text_of(w) for w in app.screen.query(Static))
        for word in ("Edit", "Unset", "Preview", "Apply", "History"):
            assert word in help_text


async def test_ctrl_c_and_quit_during_apply_end_with_one_line(home: Sandbox) -> None:
    """The apply is one transaction: Ctrl+C says it finishes first, and quitting waits for
    it, then leaves the one line that says how it ended (and how to undo it)."""
    home.write(".bashrc", "# rc\nsleep 1  # a slow startup: the check after apply takes time\n")
    app = sandbox_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await probed(app, pilot)
        await select(pilot, "GOPRIVATE")
        # into the managed block: the check after apply traces the slow ~/.bashrc again
        await pilot.press("e", *"*.corp.example", "down", "enter")
        await until(pilot, lambda: not isinstance(app.screen, EditScreen))
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await until(pilot, lambda: app.applying)
        assert isinstance(app.screen, PreviewScreen) and app.screen.state == APPLYING
        await pilot.press("ctrl+c")
        assert any("cannot be stopped halfway" in n.message for n in app._notifications)
        await pilot.press("ctrl+q")
        assert app.applying and not app._exit  # it waits for the transaction
        assert any("quits as soon as" in n.message for n in app._notifications)
        await until(pilot, lambda: app._exit, limit=90)
        (line,) = [str(r) for r in app._exit_renderables]
    assert line.startswith("Applied ") and "every change took effect as previewed" in line
    txid = line.split()[1].rstrip(":")
    assert f"undo with `goenv-tui rollback {txid}`." in line
    assert "export GOPRIVATE='*.corp.example'" in (home.home / ".bashrc").read_text()
