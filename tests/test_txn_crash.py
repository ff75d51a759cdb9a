"""A real SIGKILL at every checkpoint of apply and of recovery, then recovery: all-or-nothing."""

from __future__ import annotations

import pytest

from goenv_tui.core.txn import CHECKPOINTS, history, recover

from .test_txn_scenario import KILLED, Scenario, committed, expand, scenario

__all__ = ["scenario"]

APPLY_POINTS = expand("apply.")
RECOVER_POINTS = expand("recover.")
# Hot journal with nothing replaced, half replaced, everything replaced + void history record.
HOT = CHECKPOINTS[CHECKPOINTS.index("apply.journal-written") : CHECKPOINTS.index("apply.committed")]
HOT_POINTS = ["apply.journal-written", "apply.file-replaced:2", "apply.before-commit"]


def test_checkpoints_are_named_in_order() -> None:
    assert CHECKPOINTS.index("apply.journal-written") < CHECKPOINTS.index("apply.committed")
    assert len(set(CHECKPOINTS)) == len(CHECKPOINTS)
    assert len(APPLY_POINTS) == 15 and len(RECOVER_POINTS) == 8


@pytest.mark.parametrize("fault", APPLY_POINTS)
def test_kill_during_apply_then_recover(scenario: Scenario, fault: str) -> None:
    out = scenario.apply_child(fault)
    assert out.returncode == KILLED, f"{fault} was never reached: {out.stderr}"
    result = recover(str(scenario.state))
    done = committed(fault)
    scenario.assert_state("new" if done else "old")
    assert result.recovered == (fault.split(":")[0] in HOT)
    records = history(str(scenario.state))
    assert len(records) == (1 if done else 0)
    assert not recover(str(scenario.state)).recovered  # idempotent


@pytest.mark.parametrize("rfault", RECOVER_POINTS)
@pytest.mark.parametrize("fault", HOT_POINTS)
def test_kill_during_recovery_then_recover_again(
    scenario: Scenario, fault: str, rfault: str
) -> None:
    assert scenario.apply_child(fault).returncode == KILLED
    out = scenario.recover_child(rfault)
    assert out.returncode == KILLED, f"{rfault} was never reached: {out.stderr}"
    recover(str(scenario.state))
    scenario.assert_state("old")
    assert history(str(scenario.state)) == []


def test_recovery_killed_at_every_checkpoint_in_turn(scenario: Scenario) -> None:
    assert scenario.apply_child("apply.before-commit").returncode == KILLED
    for rfault in RECOVER_POINTS:
        out = scenario.recover_child(rfault)
        if out.returncode == 0:
            break  # an earlier run already finished the job
        assert out.returncode == KILLED, out.stderr
    recover(str(scenario.state))
    scenario.assert_state("old")


def test_apply_runs_recovery_first(scenario: Scenario) -> None:
    assert scenario.apply_child("apply.file-replaced:2").returncode == KILLED
    out = scenario.apply_child(None)
    assert out.returncode == 0, out.stderr
    scenario.assert_state("new")
    assert len(history(str(scenario.state))) == 1


def test_file_edited_after_the_crash_is_kept_as_conflict(scenario: Scenario) -> None:
    assert scenario.apply_child("apply.file-replaced:2").returncode == KILLED
    scenario.profile.write_bytes(b"edited by hand after the crash\n")  # replaced, then edited
    scenario.goenv.write_bytes(b"GOFLAGS=-mod=mod\n")  # not yet created, then created by hand
    result = recover(str(scenario.state))
    assert dict(result.conflicts) == {
        str(scenario.profile): str(scenario.profile) + ".conflict",
        str(scenario.goenv): str(scenario.goenv) + ".conflict",
    }
    assert (scenario.home / ".profile.conflict").read_bytes() == b"edited by hand after the crash\n"
    assert (scenario.goenv.parent / "env.conflict").read_bytes() == b"GOFLAGS=-mod=mod\n"
    for conflict in scenario.home.rglob("*.conflict"):
        conflict.unlink()
    scenario.assert_state("old")
