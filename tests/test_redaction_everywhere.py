"""Every secret stays hidden wherever redaction is promised, end to end through the real CLI."""

from __future__ import annotations

import pytest

from .conftest import Sandbox

TOKENS = ("Tok3nAlpha", "Tok3nBravo", "Tok3nCharlie", "Tok3nDelta", "Tok3nEcho")


@pytest.fixture
def secretive(sandbox: Sandbox) -> Sandbox:
    sandbox.write(
        ".config/go/env",
        "GOAUTH=custom /usr/local/bin/auth-helper --token=Tok3nBravo\n"
        "GOFLAGS=-ldflags=-X=main.apiKey=Tok3nCharlie\n",
    )
    sandbox.write(".profile", ". ~/.bashrc\n")
    sandbox.write(
        ".bashrc",
        "export GOPROXY='https://alice:Tok3nAlpha@proxy.example.com,"
        "https://proxy2.example.com/?token=Tok3nDelta,direct'\n"
        "export GONOSUMDB='*.corp.example'\n",
    )
    return sandbox


def _clean(done_out: str, where: str) -> None:
    for token in TOKENS:
        assert token not in done_out, f"{token} leaked through {where}"


@pytest.mark.parametrize("fmt", ["toml", "json", "md"])
def test_snapshots_hide_every_secret(secretive: Sandbox, fmt: str) -> None:
    done = secretive.goenv_tui("snapshot", "--format", fmt)
    assert done.returncode == 0, done.stderr
    _clean(done.stdout + done.stderr, f"snapshot --format {fmt}")


@pytest.mark.parametrize("args", [["doctor"], ["doctor", "--json"]])
def test_the_doctor_hides_every_secret(secretive: Sandbox, args: list[str]) -> None:
    done = secretive.goenv_tui(*args)
    assert done.returncode in (0, 1), done.stderr
    _clean(done.stdout + done.stderr, " ".join(args))


def test_no_redact_warns_on_stderr(secretive: Sandbox) -> None:
    done = secretive.goenv_tui("snapshot", "--no-redact", "--format", "json")
    assert done.returncode == 0
    assert "--no-redact" in done.stderr and "credentials" in done.stderr
    assert "Tok3nAlpha" in done.stdout  # really not redacted


def test_a_refused_value_does_not_echo_its_password(secretive: Sandbox) -> None:
    done = secretive.goenv_tui(
        "set", "GOPROXY=https://bob:Tok3nEcho/x@p.example.com", "--to", "goenv", "--dry-run"
    )
    _clean(done.stdout + done.stderr, "a refused set")


def test_the_edit_flow_hides_the_secret_it_writes(secretive: Sandbox) -> None:
    value = "GOFLAGS=-ldflags=-X=main.apiKey=Tok3nEcho"
    outputs: dict[str, str] = {}
    for label, args in {
        "set --dry-run": ["set", value, "--to", "goenv", "--dry-run"],
        "stage set": ["stage", "set", value, "--to", "goenv"],
        "stage list": ["stage", "list"],
        "preview": ["preview"],
        "apply": ["apply", "--yes"],
        "history": ["history"],
        "history --json": ["history", "--json"],
        "rollback": ["rollback", "--yes"],
    }.items():
        done = secretive.goenv_tui(*args)
        assert done.returncode in (0, 1), f"{label}: {done.stdout}{done.stderr}"
        outputs[label] = done.stdout + done.stderr
    assert "Tok3nEcho" in secretive.go_env_file.read_text() or "Tok3nCharlie" in (
        secretive.go_env_file.read_text()
    )
    for label, text in outputs.items():
        _clean(text, label)


async def test_the_tui_preview_history_and_rollback_hide_every_secret(secretive: Sandbox) -> None:
    """The explorer's preview, history and rollback confirmation show no secret."""
    from goenv_tui.ui.screens.confirm_screen import ConfirmScreen
    from goenv_tui.ui.screens.history_screen import HistoryScreen
    from goenv_tui.ui.screens.preview_screen import PreviewScreen

    from .test_tui_edit import probed, sandbox_app, until

    applied = secretive.goenv_tui("set", "GOFLAGS=-ldflags=-X=main.apiKey=Tok3nEcho", "--yes")
    assert applied.returncode == 0, applied.stderr
    staged = secretive.goenv_tui(
        "stage", "set", "GOPROXY=https://bob:Tok3nEcho@proxy.example.com", "--to", "goenv"
    )
    assert staged.returncode == 0, staged.stderr
    app = sandbox_app(secretive)
    seen: dict[str, str] = {}
    async with app.run_test(size=(100, 40)) as pilot:
        await probed(app, pilot)  # the table shows your own values as they are: no redaction
        await pilot.press("p")
        await until(pilot, lambda: isinstance(app.screen, PreviewScreen))
        await pilot.pause(0.5)
        seen["preview"] = app.export_screenshot()
        await pilot.press("escape")
        await pilot.press("H")
        await until(pilot, lambda: isinstance(app.screen, HistoryScreen))
        await until(pilot, lambda: bool(app.screen.records))  # type: ignore[attr-defined]
        seen["history"] = app.export_screenshot()
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        seen["rollback"] = app.export_screenshot()
        await pilot.press("escape")
    assert "proxy.example.com" in seen["preview"]  # the staged change is on screen
    for where, text in seen.items():
        _clean(text, f"the TUI {where}")
