"""The doctor in the TUI: the findings strip, the table's marks, Enter to the variable, f to
stage a fix and preview it, apply for real (sandbox HOMEs: real go, real bash, real files),
read-only snapshots, the export."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from textual.widgets import Input, Static

from goenv_tui.core.doctor import Finding
from goenv_tui.core.plan.change import GOENV, UNSET, Change, Place
from goenv_tui.core.resolve import Options, Resolution
from goenv_tui.ui import findings as ui_findings
from goenv_tui.ui.app import GoEnvApp, focused_pane, make_app
from goenv_tui.ui.screens.confirm_screen import ConfirmScreen
from goenv_tui.ui.screens.edit_screen import EditScreen
from goenv_tui.ui.screens.help_screen import HelpScreen
from goenv_tui.ui.screens.preview_screen import APPLIED, SHOWN, PreviewScreen
from goenv_tui.ui.widgets.findings_pane import FindingsList, FindingsPane
from goenv_tui.ui.widgets.variable_table import VariableTable

from .conftest import Sandbox
from .test_tui_edit import PROFILE, errors, sandbox_app, select, staged, text_of, until
from .tui_fixtures import (
    HOME,
    fixture_env,
    fixture_finding_dicts,
    fixture_findings,
    fixture_options,
    fixture_result,
)

BROKEN_SUMDB = "GOSUMDB=https://sum.golang.org\n"


def strip(app: GoEnvApp) -> str:
    return text_of(app.query_one("#findings-summary", Static)).strip()


def label(app: GoEnvApp, name: str) -> str:
    return str(app.query_one(VariableTable).get_row(name)[0].plain)


def ids(app: GoEnvApp) -> list[str]:
    return [f.id for f in app.findings or []]


async def diagnosed(app: GoEnvApp, pilot: object) -> None:
    """Wait for the probe and then the doctor (it runs after the table is painted)."""
    await until(pilot, lambda: app.result is not None and app.findings is not None)


@pytest.fixture
def broken(sandbox: Sandbox) -> Sandbox:
    """A go env file whose GOSUMDB is a URL: go reads it as a key and every download fails."""
    sandbox.write(".profile", PROFILE)
    sandbox.write(".bashrc", "# rc\n")
    sandbox.write(".config/go/env", BROKEN_SUMDB)
    return sandbox


async def test_strip_marks_enter_fix_apply_for_real(broken: Sandbox) -> None:
    app = sandbox_app(broken)
    async with app.run_test(size=(80, 24)) as pilot:
        await diagnosed(app, pilot)
        assert ids(app)[0] == "gosumdb-url"
        line = strip(app)
        assert line.startswith("d ✗ 1 error") and "GOSUMDB='https://sum.golang.org'" in line
        assert label(app, "GOSUMDB") == "✗ GOSUMDB"  # a mark, not a colour alone
        assert label(app, "GOPATH") in {"  GOPATH", "i GOPATH"}
        # A filter that hides GOSUMDB; Enter on the finding clears it and selects GOSUMDB.
        await select(pilot, "GOPATH")
        assert "GOSUMDB" not in app.visible_variables()
        await pilot.press("d")
        pane = app.query_one(FindingsPane)
        assert pane.opened and focused_pane(app.focused) == "findings"
        assert app.query_one("#body").has_class("-findings-open")
        assert pane.highlighted is not None and pane.highlighted.id == "gosumdb-url"
        assert "Enter: its variable · f: fix" in strip(app)
        await pilot.press("enter")
        table = app.query_one(VariableTable)
        assert app.focused is table and table.selected == "GOSUMDB"
        assert app.filter_text == "" and app.query_one("#filter", Input).value == ""
        assert not pane.opened and not app.query_one("#body").has_class("-findings-open")
        # f on the table: GOSUMDB has exactly one fixable finding.
        await pilot.press("f")
        await until(pilot, lambda: isinstance(app.screen, PreviewScreen))
        preview = app.screen
        assert isinstance(preview, PreviewScreen) and preview.state == SHOWN
        fix = Change(UNSET, "GOSUMDB", None, Place(GOENV))  # what `goenv-tui fix` stages
        assert staged(broken) == [fix] and app.staged == [fix]
        assert "-GOSUMDB=https://sum.golang.org" in text_of(
            preview.query_one("#preview-content", Static)
        )
        assert label(app, "GOSUMDB") == "✗ ✎ GOSUMDB"  # both marks
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await until(pilot, lambda: preview.state == APPLIED)
        # The apply re-probes, and the doctor runs again over what the files say now.
        await until(
            pilot,
            lambda: (
                app.findings is not None
                and app.result is not None
                and app.result.resolution is not None
                and app.result.resolution.variables["GOSUMDB"].value == "sum.golang.org"
            ),
        )
        assert "gosumdb-url" not in ids(app)
        assert not errors(app)
        await pilot.press("escape")
        assert "✗" not in strip(app)
        assert label(app, "GOSUMDB") == "  GOSUMDB"  # the mark column stays, empty
    assert "GOSUMDB" not in broken.go_env_file.read_text()
    assert staged(broken) == []
    out = broken.goenv_tui("doctor", "--json")
    assert "gosumdb-url" not in {f["id"] for f in json.loads(out.stdout)["findings"]}


@pytest.fixture
def shadowed(sandbox: Sandbox) -> Sandbox:
    """The go env file sets GOFLAGS, but ~/.bashrc exports another value over it."""
    sandbox.write(".profile", PROFILE)
    sandbox.write(".bashrc", "export GOFLAGS=-trimpath\n")
    sandbox.write(".config/go/env", "GOFLAGS=-mod=mod\n")
    return sandbox


async def test_f_in_the_list_fixes_the_highlighted_one_or_says_why_not(shadowed: Sandbox) -> None:
    app = sandbox_app(shadowed)
    async with app.run_test(size=(80, 24)) as pilot:
        await diagnosed(app, pilot)
        mine = [f for f in app.findings or [] if f.variable == "GOFLAGS"]
        with_fix = [f for f in mine if f.fix is not None]
        without = [f for f in mine if f.fix is None]
        assert [f.id for f in with_fix] == ["goenv-shadowed-goflags"]
        assert without, "a GOFLAGS finding without a fix (the stale session)"
        assert label(app, "GOFLAGS").startswith("! ")
        await pilot.press("d")
        pane = app.query_one(FindingsPane)
        options = app.query_one(FindingsList)
        options.highlighted = ids(app).index(without[0].id)
        await pilot.press("f")  # no fix: one sentence, its message; nothing staged
        await pilot.pause()
        (note,) = [n for n in app._notifications if "no automatic fix" in n.message]
        assert note.message == f"{without[0].id} has no automatic fix; {without[0].message}"
        assert not (shadowed.state / "staged.json").exists()
        options.highlighted = ids(app).index("goenv-shadowed-goflags")
        assert pane.highlighted == with_fix[0]
        await pilot.press("f")
        await until(pilot, lambda: isinstance(app.screen, PreviewScreen))
        assert staged(shadowed) == list(with_fix[0].fix.changes)  # type: ignore[union-attr]
        await pilot.press("escape")
        assert not isinstance(app.screen, PreviewScreen)
    assert shadowed.home.joinpath(".bashrc").read_text() == "export GOFLAGS=-trimpath\n"


#: What a CLI suggestion looks like: the TUI says keys instead.
CLI_WORDS = ("goenv-tui set", "goenv-tui unset", "goenv-tui fix", "--to ", "--from ", "--force")


def cli_words(text: str) -> list[str]:
    return [w for w in CLI_WORDS if w in text]


async def test_the_tui_says_keys_not_cli_flags(shadowed: Sandbox) -> None:
    """Every suggestion the core makes (findings, their fixes, the preview's verdicts and
    warnings, notifications) reaches the TUI as the keys that do it."""
    shadowed.write(".bashrc", "case $- in *i*) ;; *) return;; esac\nexport GOFLAGS=-trimpath\n")
    app = sandbox_app(shadowed)
    async with app.run_test(size=(100, 30)) as pilot:
        await diagnosed(app, pilot)
        said = [f.message for f in app.findings or []]
        said += [f.fix.summary for f in app.findings or [] if f.fix is not None]
        assert [t for t in said if cli_words(t)] == []
        await select(pilot, "GOFLAGS")
        await pilot.press("e")
        assert isinstance(app.screen, EditScreen)
        app.screen.query_one(Input).value = "-race"
        await pilot.press("enter")
        await until(pilot, lambda: bool(app.staged))
        assert not errors(app)
        await pilot.press("p")
        await until(pilot, lambda: isinstance(app.screen, PreviewScreen))
        screen = app.screen
        await until(pilot, lambda: screen.state == SHOWN)  # type: ignore[attr-defined]
        body = text_of(screen.query_one("#preview-content", Static))
        assert "ssh host cmd" in body  # the block after the guard does not reach it: said
        assert "press e on GOFLAGS" in body, body
        assert cli_words(body) == [], body
        notes = [n.message for n in app._notifications]
        assert [n for n in notes if cli_words(n)] == []


async def test_a_fix_that_cannot_be_planned_stages_nothing(shadowed: Sandbox) -> None:
    app = sandbox_app(shadowed)
    async with app.run_test(size=(80, 24)) as pilot:
        await diagnosed(app, pilot)
        # ~/.bashrc changes after the probe: its line 1 no longer sets GOFLAGS.
        shadowed.write(".bashrc", "# moved\nexport GOFLAGS=-trimpath\n")
        await select(pilot, "GOFLAGS")
        await pilot.press("f")
        await until(pilot, lambda: bool(errors(app)))
        (error,) = errors(app)
        assert "GOFLAGS" in error and "\n" not in error  # the plan's own sentence
        assert not isinstance(app.screen, PreviewScreen)
        assert app.staged == []
    assert not (shadowed.state / "staged.json").exists()


async def test_f_on_a_variable_without_findings_says_so(broken: Sandbox) -> None:
    app = sandbox_app(broken)
    async with app.run_test(size=(80, 24)) as pilot:
        await diagnosed(app, pilot)
        await select(pilot, "GOARCH")
        await pilot.press("f")
        await pilot.pause()
        assert any(
            n.message == "The doctor has no finding about GOARCH." for n in app._notifications
        )
        assert not isinstance(app.screen, PreviewScreen)
    assert not (broken.state / "staged.json").exists()


async def test_the_table_is_painted_before_the_doctor_answers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    release = threading.Event()
    found = fixture_findings()

    def slow(res: Resolution, opts: Options) -> tuple[list[Finding], str | None]:
        assert release.wait(30)
        return found, None

    monkeypatch.setattr(ui_findings, "examine", slow)
    app = make_app(fixture_options(), result=fixture_result(), env=fixture_env())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.query_one(VariableTable)
        assert table.row_count > 40 and app.findings is None
        assert strip(app) == "Checking for problems…"
        assert label(app, "GOPROXY") == "  GOPROXY"
        await pilot.press("f")  # not known yet: says so
        await pilot.pause()
        assert any("still checking" in n.message for n in app._notifications)
        release.set()
        await until(pilot, lambda: app.findings is not None)
        assert strip(app).startswith("d ! 3 warnings  i 1 info")
        assert label(app, "GOPROXY") == "! GOPROXY"
        assert label(app, "GOPATH") == "i GOPATH"


async def test_a_failing_doctor_is_one_line_not_a_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object) -> list[Finding]:
        raise RuntimeError("boom")

    from goenv_tui.core import doctor

    monkeypatch.setattr(doctor, "diagnose", broken)
    app = make_app(fixture_options(), result=fixture_result(), env=fixture_env())
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.doctor_error is not None)
        assert app.is_running and app.findings is None
        assert strip(app).startswith("The doctor failed (RuntimeError('boom'))")
        assert app.query_one("#findings-summary").has_class("-error")
        assert app.query_one(VariableTable).row_count > 40


async def test_read_only_snapshot_shows_its_findings(tmp_path: Path) -> None:
    from goenv_tui.core.snapshot import dumps, load, take

    res = fixture_result().resolution
    assert res is not None
    path = tmp_path / "snap.json"
    snap = take(res, redactor=None, findings=fixture_finding_dicts(), now=0)
    path.write_text(dumps(snap, "json"))
    state = tmp_path / "state"
    opts = Options(env=fixture_env(), cwd=str(tmp_path))
    app = make_app(opts, snapshot=load(str(path)), env=fixture_env(), state_dir=str(state))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert ids(app) == [f["id"] for f in fixture_finding_dicts()]
        assert strip(app).startswith("d ! 3 warnings  i 1 info")
        assert label(app, "GOPROXY") == "! GOPROXY"
        assert app.check_action("fix", ()) is False
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert "Fix" not in titles and "Findings" in titles
        await pilot.press("d")
        assert "f: fix" not in strip(app)
        options = app.query_one(FindingsList)
        options.highlighted = ids(app).index("goenv-shadowed-goproxy")
        await pilot.press("f")  # refused like every edit key
        await pilot.pause()
        assert app.screen is app.screen_stack[0]
        await pilot.press("enter")  # Enter still goes to the variable
        assert app.query_one(VariableTable).selected == "GOPROXY"
        await app.run_action("fix")  # the palette's way in is refused too
        assert app.screen is app.screen_stack[0]
    assert not state.exists()


async def test_export_keeps_the_findings_redacted(tmp_path: Path) -> None:
    state = tmp_path / "state"
    opts = Options(env=fixture_env(), cwd=str(tmp_path))
    app = make_app(
        opts,
        result=fixture_result(),
        env=fixture_env(),
        state_dir=str(state),
        findings=fixture_findings(),
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("s", "j")
        await pilot.pause()
    (written,) = tmp_path.glob("goenv-snapshot-*.json")
    data = json.loads(written.read_text())
    assert [f["id"] for f in data["findings"]] == [f.id for f in fixture_findings()]
    text = written.read_text()
    assert HOME not in text and "proxy.corp.example" not in text
    assert any(r["field"].startswith("findings.") for r in data["redactions"])


async def test_findings_keys_and_help_are_documented() -> None:
    app = make_app(
        fixture_options(), result=fixture_result(), env=fixture_env(), findings=fixture_findings()
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        keys = {b.key: b for b in app.BINDINGS}  # type: ignore[union-attr]
        for key in ("d", "f"):
            assert keys[key].id and keys[key].description and keys[key].tooltip  # type: ignore[union-attr]
        for b in FindingsList.BINDINGS:
            assert b.id and b.description and b.tooltip, b  # type: ignore[union-attr]
        await pilot.press("f1")
        main_help = " ".join("".join(text_of(w) for w in app.screen.query(Static)).split())
        assert "findings" in main_help and "Fix" in main_help and "Findings" in main_help
        assert "✗ / ! / i" in main_help  # the table's marks
        await pilot.press("escape", "d", "f1")
        assert isinstance(app.screen, HelpScreen) and app.screen.title_text == "Findings"
        await pilot.press("escape")
        assert app.query_one(FindingsPane).opened
        await pilot.press("escape")  # Esc backs out to the table
        assert focused_pane(app.focused) == "variables"
        await pilot.press("tab", "tab")  # Tab reaches the list too
        assert app.query_one(FindingsPane).opened
        await pilot.press("d")
        assert focused_pane(app.focused) == "variables"


async def test_a_finding_about_no_variable_says_so() -> None:
    general = Finding("several-gos", "warning", None, "Two go binaries are on PATH.")
    app = make_app(
        fixture_options(), result=fixture_result(), env=fixture_env(), findings=[general]
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("d", "enter")
        await pilot.pause()
        assert any("not about one variable" in n.message for n in app._notifications)
        await pilot.press("f")
        await pilot.pause()
        assert any(
            n.message.startswith("several-gos has no automatic fix") for n in app._notifications
        )
