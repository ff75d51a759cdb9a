"""`goenv-tui doctor [--json]` and `goenv-tui fix FINDING_ID [--yes]`."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from goenv_tui.usage import OptionsFor, UsageError

if TYPE_CHECKING:
    from goenv_tui.core.doctor import Finding
    from goenv_tui.core.resolve import Options, Resolution


def add_doctor_commands(
    sub: Any, common: argparse.ArgumentParser, wanted: Callable[[str], bool]
) -> None:
    """Register doctor and fix (those that ``wanted`` names)."""
    if wanted("doctor"):
        p = sub.add_parser("doctor", parents=[common], help="find the classic mistakes")
        p.add_argument("--json", action="store_true", help="print the doctor/1 JSON object")
    if not wanted("fix"):
        return
    p = sub.add_parser("fix", parents=[common], help="stage and apply a finding's fix")
    p.add_argument("finding", metavar="FINDING_ID")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--yes", action="store_true", help="apply without asking")
    g.add_argument("--dry-run", action="store_true", help="show the preview only")


def examine(opts: Options, *, check_fixes: bool = True) -> tuple[Resolution, list[Finding]]:
    """Probe, then diagnose (with what `ssh host cmd` gets, for the guard rule)."""
    from goenv_tui.core.doctor import diagnose_live
    from goenv_tui.core.resolve import probe

    res = probe(opts)
    return res, diagnose_live(res, opts, check_fixes=check_fixes)


def cmd_doctor(args: argparse.Namespace, options: OptionsFor) -> int:
    """Exit 1 when there is an error finding, else 0."""
    from goenv_tui.core.doctor import ERROR, to_json
    from goenv_tui.core.doctor.report import render
    from goenv_tui.core.doctor.shown import shown_findings

    res, found = examine(options(args))
    findings = shown_findings(found, res)
    if args.json:
        json.dump(to_json(findings), sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(render(findings))
    return 1 if any(f.severity == ERROR for f in findings) else 0


def run_fix(args: argparse.Namespace, state: str, opts: Options) -> int:
    """Preview the fix, ask, apply through the journal, then check the finding is gone."""
    from goenv_tui.cli_edit import confirm_and_apply
    from goenv_tui.core.doctor import diagnose_live
    from goenv_tui.core.plan.workflow import make_preview

    res, findings = examine(opts)
    found = next((f for f in findings if f.id == args.finding), None)
    if found is None:
        ids = ", ".join(f.id for f in findings if f.fix) or "none"
        raise UsageError(
            f"there is no finding {args.finding!r} now (fixable ones: {ids}); "
            "run goenv-tui doctor to see the current findings"
        )
    if found.fix is None:
        raise UsageError(f"{found.id} has no automatic fix; {found.message.rstrip('.')}")
    print(f"Fix for {found.id}: {found.fix.summary}\n")
    pv = make_preview(list(found.fix.changes), opts, before=res)
    sys.stdout.write(pv.text)
    if args.dry_run:
        print("(dry run: nothing was changed)")
        return 0
    status, done = confirm_and_apply(pv, opts, state, args.yes)
    if done is None:
        return status
    after = done.after
    if not any(f.id == found.id for f in diagnose_live(after, opts, check_fixes=False)):
        print(f"Fixed: goenv-tui doctor no longer reports {found.id}.")
        return status
    # This session may still hold the old value: judge the files by what a new shell gets.
    fresh = replace(opts, env=fresh_env(opts.env, after))
    _res, again = examine(fresh, check_fixes=False)
    still = [f for f in again if f.id == found.id]
    if still:
        print(f"!! {found.id} is still reported: {still[0].message}")
        return 1
    print(
        f"Fixed in the files: a new shell no longer has {found.id}; this session keeps "
        "its old environment until you open a new terminal."
    )
    return status


def fresh_env(env: Mapping[str, str], res: Resolution) -> dict[str, str]:
    """This environment with every Go variable as a fresh login shell now sets it."""
    out = {k: v for k, v in env.items() if k not in res.variables}
    out.update({k: v for k, v in res.shell.final_env.items() if k in res.variables})
    return out
