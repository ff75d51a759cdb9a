"""Pilot tests: press keys, assert on the app's state (real probes over sandbox HOMEs)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from textual.widgets import Input

from goenv_tui.core.background import ProbeTask
from goenv_tui.core.resolve import Options
from goenv_tui.ui.app import GoEnvApp, focused_pane, make_app
from goenv_tui.ui.screens.help_screen import HelpScreen
from goenv_tui.ui.widgets.detail_pane import DetailPane
from goenv_tui.ui.widgets.status_bar import StatusBar
from goenv_tui.ui.widgets.variable_table import VariableTable

from .conftest import Sandbox
from .tui_fixtures import fixture_env, fixture_result


def sandbox_app(sb: Sandbox) -> GoEnvApp:
    opts = Options(env=dict(sb.env), cwd=str(sb.home), cache_dir=str(sb.root / "cache"))
    return make_app(opts, env=dict(sb.env))


async def wait_probe(app: GoEnvApp, pilot: object, limit: float = 30) -> None:
    deadline = time.monotonic() + limit
    while app.result is None and time.monotonic() < deadline:
        await pilot.pause(0.05)  # type: ignore[attr-defined]
    assert app.result is not None, "the probe never finished"
    await pilot.pause()  # type: ignore[attr-defined]


def rows(app: GoEnvApp) -> list[str]:
    table = app.query_one(VariableTable)
    return [str(k.value) for k in table.rows]


def detail_text(app: GoEnvApp) -> str:
    from rich.console import Console

    console = Console(width=200, record=True, file=open(os.devnull, "w"))  # noqa: SIM115
    console.print(app.query_one(DetailPane).current)
    return console.export_text()


async def test_paint_first_then_values(sandbox: Sandbox) -> None:
    sandbox.write(".config/go/env", "GOFLAGS=-mod=mod\n")
    # A slow ~/.bashrc: the layout must be up, in its loading state, long before it ends.
    sandbox.write(".bash_profile", ". ~/.bashrc\n")
    sandbox.write(".bashrc", "sleep 3\nexport GOPATH=$HOME/work\n")
    app = sandbox_app(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        status = app.query_one(StatusBar)
        assert status.has_class("-loading")
        assert rows(app) == []
        await pilot.press("question_mark")  # the UI answers while the trace still runs
        assert isinstance(app.screen, HelpScreen)
        assert app.result is None and status.has_class("-loading")
        await pilot.press("escape")
        await wait_probe(app, pilot)
        assert not status.has_class("-loading")
        assert "GOPATH" in rows(app) and "GOFLAGS" in rows(app)
        res = app.result.resolution  # type: ignore[union-attr]
        assert res is not None
        assert res.variables["GOFLAGS"].source.file == str(sandbox.go_env_file)  # type: ignore[union-attr]
        # The app was not started from a login shell, so ~/.bashrc's GOPATH is stale here.
        gopath = res.variables["GOPATH"]
        assert gopath.value == str(sandbox.home / "go") and "stale" in gopath.flags
        assert [(e.line, e.state) for e in gopath.chain if e.layer == "startup"] == [(2, "stale")]


async def test_filter_enter_detail_help_quit(sandbox: Sandbox) -> None:
    app = sandbox_app(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_probe(app, pilot)
        total = len(rows(app))
        await pilot.press("slash")
        assert focused_pane(app.focused) == "filter"
        await pilot.press(*"GOSUMDB")
        assert rows(app) == ["GOSUMDB"]
        await pilot.press("enter")
        assert focused_pane(app.focused) == "variables"
        await pilot.press("enter")
        assert focused_pane(app.focused) == "detail"
        text = detail_text(app)
        assert "go.env" in text and "sum.golang.org" in text and "ACTIVE" in text
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        assert app.screen.title_text == "Detail"
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert focused_pane(app.focused) == "variables"
        await pilot.press("A")  # A: every variable again (a applies the staged plan)
        assert len(rows(app)) == total
        await pilot.press("q")
    assert app.return_code == 0


async def test_changed_toggle_copy_and_keys() -> None:
    app = make_app(result=fixture_result(), env=fixture_env())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        everything = rows(app)
        await pilot.press("c")
        changed = rows(app)
        assert set(changed) == app.result.changed  # type: ignore[union-attr]
        assert "GOPROXY" in changed and len(changed) < len(everything)
        await pilot.press("c")
        assert rows(app) == everything
        await pilot.press("slash", *"GOPROXY", "enter")
        await pilot.press("y")
        assert app.clipboard == "https://proxy.corp.example,direct"
        await pilot.press("escape", "j", "k")  # vim keys in the table
        await pilot.press("tab")
        assert focused_pane(app.focused) == "detail"


async def test_help_is_for_the_focused_pane() -> None:
    app = make_app(result=fixture_result(), env=fixture_env())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen) and app.screen.title_text == "Variables"
        await pilot.press("q")  # q closes the help, it does not quit
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("slash", "question_mark")  # '?' types into the filter
        assert app.query_one("#filter", Input).value == "?"


async def test_every_binding_has_id_description_and_tooltip() -> None:
    app = make_app(result=fixture_result(), env=fixture_env())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for owner in (app, app.query_one(VariableTable), app.query_one(DetailPane)):
            for b in owner.BINDINGS:
                assert b.id and b.description and b.tooltip, b  # type: ignore[union-attr]


async def test_command_palette_lists_every_action() -> None:
    app = make_app(result=fixture_result(), env=fixture_env())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        titles = {c.title for c in app.get_system_commands(app.screen)}  # type: ignore[attr-defined]
        for want in ("Filter", "Changed", "Reprobe", "Copy", "Open", "Help", "All"):
            assert want in titles
        assert "Theme" in titles  # Textual's own theme switcher
        await pilot.press("colon")
        assert app.screen.__class__.__name__ == "CommandPalette"


async def test_broken_go_is_shown_not_hidden(sandbox: Sandbox) -> None:
    sandbox.write(".config/go/env", "GOTOOLCHAIN=bogus\n")
    env = {k: v for k, v in sandbox.env.items() if k != "GOTOOLCHAIN"}
    sandbox.env = env
    app = sandbox_app(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_probe(app, pilot)
        status = app.query_one(StatusBar)
        assert status.has_class("-error")
        assert "GOTOOLCHAIN" in str(status.render())
        assert "GOTOOLCHAIN" in rows(app)


async def test_reprobe_picks_up_an_edit(sandbox: Sandbox) -> None:
    app = sandbox_app(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_probe(app, pilot)
        sandbox.write(".config/go/env", "GOFLAGS=-trimpath\n")
        app.result = None
        await pilot.press("r")
        await wait_probe(app, pilot)
        assert app.result.resolution.variables["GOFLAGS"].value == "-trimpath"  # type: ignore[union-attr]


async def test_early_task_is_adopted(sandbox: Sandbox) -> None:
    opts = Options(env=dict(sandbox.env), cwd=str(sandbox.home))
    task = ProbeTask(opts)
    app = make_app(opts, task=task, env=dict(sandbox.env))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_probe(app, pilot)
        assert app.result is task.result()


async def test_open_editor_without_a_file_says_so() -> None:
    app = make_app(result=fixture_result(), env=fixture_env())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"GOVERSION", "enter", "o")
        await pilot.pause()
        assert any("does not come from a file" in n.message for n in app._notifications)


def test_cli_refuses_without_a_terminal(sandbox: Sandbox) -> None:
    out = sandbox.goenv_tui()
    assert out.returncode == 2
    assert "needs a terminal" in out.stderr and out.stderr.count("\n") == 1


async def test_theme_failures_are_one_notification_with_a_fallback(tmp_path: Path) -> None:
    themes = tmp_path / "config" / "goenv-tui" / "themes"
    themes.mkdir(parents=True)
    (themes / "broken.toml").write_text('name = "mine"\nprimary = "not-a-colour"\n')
    (themes / "bad-syntax.toml").write_text("name = \n")
    env = dict(fixture_env(), XDG_CONFIG_HOME=str(tmp_path / "config"))
    app = make_app(result=fixture_result(), env=env, theme="no-such-theme")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        notes = [n for n in app._notifications if n.title == "Themes"]
        assert len(notes) == 1
        text = notes[0].message
        assert "broken.toml" in text and "bad-syntax.toml" in text and "no-such-theme" in text
        assert app.theme == "goenv-dark"


async def test_user_theme_is_used(tmp_path: Path) -> None:
    themes = tmp_path / "config" / "goenv-tui" / "themes"
    themes.mkdir(parents=True)
    (themes / "mine.toml").write_text('name = "mine"\nprimary = "#ff8800"\n')
    env = dict(fixture_env(), XDG_CONFIG_HOME=str(tmp_path / "config"))
    app = make_app(result=fixture_result(), env=env, theme="mine")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == "mine"
        assert not [n for n in app._notifications if n.title == "Themes"]
        assert app.theme_variables["layer-startup"]  # the app's own variables still resolve


async def test_snapshot_opens_read_only(tmp_path: Path) -> None:
    from goenv_tui.core.snapshot import dumps, load, take

    res = fixture_result().resolution
    assert res is not None
    path = tmp_path / "snap.toml"
    path.write_text(dumps(take(res, redactor=None, now=0), "toml"))
    opts = Options(env=fixture_env(), cwd=str(tmp_path))
    app = make_app(opts, snapshot=load(str(path)), env=fixture_env())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        status = str(app.query_one(StatusBar).render())
        assert "READ-ONLY" in status and "1970-01-01 00:00:00 UTC" in status
        assert app.check_action("reprobe", ()) is False
        assert app.check_action("open_editor", ()) is False
        before = app.result
        await pilot.press("r")  # nothing to re-probe: the snapshot stays
        await pilot.pause()
        assert app.result is before
        await pilot.press("slash", *"GOPROXY", "enter", "enter")
        assert rows(app) == ["GOPROXY"]
        assert "~/.bashrc:2" in detail_text(app)


async def test_export_markdown_to_file_and_clipboard(tmp_path: Path) -> None:
    state = tmp_path / "state"
    opts = Options(env=fixture_env(), cwd=str(tmp_path))
    app = make_app(opts, result=fixture_result(), env=fixture_env(), state_dir=str(state))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("s")
        assert app.screen.__class__.__name__ == "ExportScreen"
        await pilot.press("m")
        await pilot.pause()
        (written,) = tmp_path.glob("goenv-snapshot-*.md")
        text = written.read_text()
        assert app.clipboard == text
        assert "/home/gopher" not in text and "goenv-tui snapshot" in text
        assert (state.stat().st_mode & 0o777) == 0o700
        assert ((state / "redact.key").stat().st_mode & 0o777) == 0o600


@pytest.mark.parametrize(
    ("term", "colorterm", "theme"),
    [
        ("linux", "", "goenv-ansi16"),
        ("screen", "", "goenv-ansi16"),
        ("tmux-256color", "", "goenv-dark"),
        ("xterm-256color", "", "goenv-dark"),
        ("screen", "truecolor", "goenv-dark"),
    ],
)
def test_default_theme_follows_the_terminal(term: str, colorterm: str, theme: str) -> None:
    from goenv_tui.ui.app import default_theme

    assert default_theme({"TERM": term, "COLORTERM": colorterm}) == theme


async def test_term_linux_starts_in_the_16_colour_theme() -> None:
    env = dict(fixture_env(), TERM="linux")
    app = make_app(result=fixture_result(), env=env)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == "goenv-ansi16"
