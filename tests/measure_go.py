"""The closing-note table, measured with the real go: run as `.venv/bin/python
tests/measure_go.py` (about two minutes).

Per go version (1.27.3 and 1.21.13): where go refuses `go env -w/-u` in its own script tests,
whether goenv-tui refuses; whether go's acceptances are accepted (or refused with a proof of
harm); the validator over the consequence corpus; the doctor over the same configurations
(an error naming the variable where go breaks); and `show --changed` against go's own
`go env -changed` (its script-test points and every corpus configuration).
"""

from __future__ import annotations

import sys
import tempfile
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from tests.conftest import find_new_go, find_old_go  # noqa: E402
from tests.consequences import CASES, judge  # noqa: E402
from tests.gotestscripts import FAILURE, SUCCESS, toolchain_version  # noqa: E402
from tests.test_consequences import (  # noqa: E402
    Observed,
    changed_judged,
    doctor_judged,
    observe_all,
)
from tests.test_go_script_tests import (  # noqa: E402
    Toolchain,
    changed_difference,
    changed_runs,
    harmful,
    our_refusals,
    pairs,
    replayed,
    unset_refusal,
    verdicts,
)


def script_rows(tc: Toolchain, scratch: Path) -> dict[str, str]:
    """The script-test rows for one toolchain."""
    refusals = verdicts(tc, "-w", FAILURE)
    refused = sum(bool(our_refusals(tc, r)) for r in refusals)
    unsets = verdicts(tc, "-u", FAILURE)
    unset_refused = sum(unset_refusal(r, tc) is not None for r in unsets)
    accepted = proven = total = 0
    for run in verdicts(tc, "-w", SUCCESS):
        ours = our_refusals(tc, run)
        for name, value in (pairs(run) or {}).items():
            total += 1
            if name not in ours:
                accepted += 1
            elif harmful(name, value) is not None:
                proven += 1
    points = changed_runs(tc)
    scratch.mkdir(parents=True, exist_ok=True)
    same = sum(changed_difference(tc, r, scratch) is None for r in points)
    return {
        "go refuses go env -w / -u: goenv-tui refuses": (
            f"{refused}/{len(refusals)} / {unset_refused}/{len(unsets)}"
        ),
        "go accepts go env -w: accepted (refused with a proof of harm)": (
            f"{accepted}/{total} ({proven})"
        ),
        "show --changed vs go env -changed, script points": (
            f"{same}/{len(points)}" if points else "none (no -changed)"
        ),
    }


def corpus_rows(observed: Observed, version: str) -> dict[str, str]:
    """The consequence-corpus rows for one version."""
    verdict = Counter(judge(c, version) for c in CASES)
    doctor = Counter(
        doctor_judged(c, version, observed.seen[(version, i)])
        for i, c in enumerate(CASES)
        if not c.unset
    )
    changed = Counter(changed_judged(c, version, observed) for c in CASES if not c.unset)
    checked = changed["right"] + changed["wrong"]
    return {
        "values judged by their consequences: right / only warned / wrong": (
            f"{verdict['right']} / {verdict['warned']} / {verdict['wrong']}, of {len(CASES)}"
        ),
        "doctor: error naming the variable where go breaks (right, of cases)": (
            f"{doctor['right']}/{sum(doctor.values())}"
        ),
        "show --changed vs go 1.27's go env -changed, corpus configurations": (
            f"{changed['right']}/{checked}"
        ),
    }


def main() -> int:
    gos = {v: p for v, p in (("new", find_new_go()), ("old", find_old_go())) if p is not None}
    if len(gos) < 2:
        print("measure_go.py needs both go 1.27.3 and go 1.21.13 (run .ci/run first)")
        return 2
    with tempfile.TemporaryDirectory(prefix="goenv-tui-measure-") as tmp:
        root = Path(tmp)
        rows: dict[str, dict[str, str]] = {}
        for key, go in gos.items():
            tc = replayed(go, root / f"scripts-{key}")
            rows[toolchain_version(go)] = script_rows(tc, root / f"changed-{key}")
        observed = observe_all(root / "corpus", {toolchain_version(g): g for g in gos.values()})
        for version in observed.versions:
            rows[version].update(corpus_rows(observed, version))
    versions = list(rows)
    checks = list(rows[versions[0]])
    width = max(len(c) for c in checks)
    print(f"{'check':{width}}  " + "  ".join(f"{v:>16}" for v in versions))
    for check in checks:
        print(f"{check:{width}}  " + "  ".join(f"{rows[v][check]:>16}" for v in versions))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
