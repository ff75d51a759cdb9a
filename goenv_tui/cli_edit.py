"""The edit commands: set, unset, stage, preview, apply, history, rollback, recover."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shlex
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from goenv_tui.usage import OptionsFor, UsageError

if TYPE_CHECKING:
    from goenv_tui.core.plan.change import Change
    from goenv_tui.core.plan.workflow import Applied, Preview
    from goenv_tui.core.resolve import Options
    from goenv_tui.core.txn import TxRecord


def add_edit_commands(
    sub: Any, common: argparse.ArgumentParser, wanted: Callable[[str], bool]
) -> None:
    """Register the edit commands that ``wanted`` names on the main parser's subparsers."""

    def confirm_flags(p: argparse.ArgumentParser, dry_run: bool = True) -> None:
        g = p.add_mutually_exclusive_group()
        g.add_argument("--yes", action="store_true", help="apply without asking")
        if dry_run:
            g.add_argument("--dry-run", action="store_true", help="show the preview only")

    def set_args(p: argparse.ArgumentParser) -> None:
        p.add_argument("assignment", metavar="NAME=VALUE")
        p.add_argument(
            "--empty", action="store_true", help="allow an empty VALUE (refused otherwise)"
        )
        p.add_argument(
            "--to",
            metavar="PLACE",
            help="goenv | startup | startup:FILE | FILE:LINE (default: where it takes effect)",
        )

    def unset_args(p: argparse.ArgumentParser) -> None:
        p.add_argument("name", metavar="NAME")
        p.add_argument(
            "--from",
            dest="to",
            metavar="PLACE",
            help="goenv | startup | FILE:LINE (default: the go env file and the goenv-tui block)",
        )

    if wanted("set"):
        p = sub.add_parser("set", parents=[common], help="set a variable (preview, then apply)")
        set_args(p)
        confirm_flags(p)
    if wanted("unset"):
        p = sub.add_parser("unset", parents=[common], help="unset a variable (preview, then apply)")
        unset_args(p)
        confirm_flags(p)
    if wanted("stage"):
        stage = sub.add_parser("stage", parents=[common], help="add to / show the staged plan")
        actions = stage.add_subparsers(dest="action", metavar="set|unset|list|drop|clear")
        actions.required = True
        set_args(actions.add_parser("set", parents=[common], help="stage NAME=VALUE"))
        unset_args(actions.add_parser("unset", parents=[common], help="stage unsetting NAME"))
        actions.add_parser("list", parents=[common], help="the staged changes, numbered")
        drop = actions.add_parser("drop", parents=[common], help="remove staged change N")
        drop.add_argument("number", metavar="N", type=int)
        actions.add_parser("clear", parents=[common], help="remove every staged change")
    if wanted("preview"):
        sub.add_parser("preview", parents=[common], help="the staged plan's preview")
    if wanted("apply"):
        p = sub.add_parser(
            "apply", parents=[common], help="apply the staged plan as one transaction"
        )
        confirm_flags(p, dry_run=False)
    if wanted("history"):
        p = sub.add_parser("history", parents=[common], help="applied transactions")
        p.add_argument("--json", action="store_true", help="print the history/1 JSON object")
    if wanted("rollback"):
        p = sub.add_parser(
            "rollback", parents=[common], help="undo the last (or given) transaction"
        )
        p.add_argument("txid", nargs="?", metavar="TXID")
        confirm_flags(p, dry_run=False)
        p.add_argument("--force", action="store_true", help="also overwrite files changed since")
    if wanted("recover"):
        sub.add_parser("recover", parents=[common], help="finish an interrupted apply")


def for_user(text: str) -> str:
    """Text for the user's own terminal, secrets hidden (core.redact, imported on use)."""
    from goenv_tui.core.redact import for_user as hidden

    return hidden(text)


EDIT_COMMANDS = frozenset(
    {"set", "unset", "stage", "preview", "apply", "history", "rollback", "recover", "fix"}
)


def run_edit_command(args: argparse.Namespace, options: OptionsFor) -> int:
    """Dispatch one edit command; refusals raise UsageError (exit 2)."""
    from goenv_tui.core.paths import state_dir
    from goenv_tui.core.plan.errors import NeedsRoot, PlanError
    from goenv_tui.core.txn import TxnError

    env = dict(os.environ)
    state = state_dir(env, args.state_dir)
    home = env.get("HOME") or os.path.expanduser("~")
    try:
        if args.command == "history":
            return _history(state, home, args.json)
        if args.command == "recover":
            return _recover(state, home)
        if args.command == "rollback":
            return _rollback(state, home, args)
        if args.command == "stage":
            return _stage(args, state, home, options)
        if args.command == "preview":
            return _preview_staged(state, home, options(args))
        if args.command == "apply":
            return _apply_staged(args, state, home, options(args))
        if args.command == "fix":
            from goenv_tui.cli_doctor import run_fix

            return run_fix(args, state, options(args))
        change = _change_of(args, home)
        return _now(args, change, state, options(args))
    except NeedsRoot as err:
        cmd = shlex.join(["sudo", "goenv-tui", *sys.argv[1:]])
        raise UsageError(f"{str(err).rstrip('.')}; run: {cmd}") from err
    except (PlanError, TxnError) as err:
        raise UsageError(str(err).rstrip(".")) from err


def _change_of(args: argparse.Namespace, home: str) -> Change:
    from goenv_tui.core.plan.change import parse_change

    if args.command in ("set",) or getattr(args, "action", None) == "set":
        return parse_change("set", args.assignment, args.to, home, empty_ok=args.empty)
    return parse_change("unset", args.name, args.to, home)


def auto_recover(state_override: str | None) -> None:
    """At every start: finish an interrupted apply first (a stat when there is none).

    Its report goes to stderr so that scripted output (``show --json``) stays clean.
    """
    from goenv_tui.core.paths import JOURNAL_NAME, state_dir

    env = dict(os.environ)
    state = state_dir(env, state_override)
    if not os.path.exists(os.path.join(state, JOURNAL_NAME)):
        return  # the usual case: a stat, no import of the transaction engine
    from goenv_tui.core.txn import TxnError
    from goenv_tui.core.txn.trust import UntrustedState

    home = env.get("HOME") or os.path.expanduser("~")
    try:
        with contextlib.redirect_stdout(sys.stderr):
            _recover(state, home)
    except UntrustedState as err:
        raise UsageError(str(err)) from err
    except TxnError as err:
        print(f"goenv-tui: recovery failed: {err}", file=sys.stderr)


def _recover(state: str, home: str) -> int:
    from goenv_tui.core.plan.workflow import recovery_lines
    from goenv_tui.core.txn import recover

    done = recover(state) if os.path.isdir(state) else None  # (stray temp files too)
    lines = recovery_lines(done, home) if done is not None else []
    print("\n".join(lines) if lines else "Nothing to recover: no change was interrupted.")
    return 0


def _ask(question: str, yes: bool) -> bool:
    """True when the user agreed (or --yes); with no terminal and no --yes: refuse."""
    if yes:
        return True
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UsageError(
            "nothing was changed: there is no terminal to confirm on; add --yes to apply "
            "(or --dry-run to only preview)"
        )
    try:
        answer = input(f"{question} [y/N] ")
    except EOFError:
        answer = ""
    return answer.strip().lower() in ("y", "yes")


def _now(args: argparse.Namespace, change: Change, state: str, opts: Options) -> int:
    """`set`/`unset`: a one-change plan, previewed then applied."""
    from goenv_tui.core.plan.workflow import make_preview

    pv = make_preview([change], opts)
    sys.stdout.write(pv.text)
    if getattr(args, "dry_run", False):
        print("(dry run: nothing was changed)")
        return 0
    return confirm_and_apply(pv, opts, state, args.yes)[0]


def confirm_and_apply(
    pv: Preview, opts: Options, state: str, yes: bool, *, staged: bool = False
) -> tuple[int, Applied | None]:
    """Ask (unless --yes), apply, print the verification; (exit status, what was applied).
    ``staged``: it is the staged plan, cleared once it fully took effect."""
    from goenv_tui.core.paths import tilde
    from goenv_tui.core.plan.workflow import ApplyInterrupted, apply_and_clear, apply_preview

    if not pv.plan.changed_files:
        return 0, None
    if not _ask("Apply these changes?", yes):
        print("Nothing was changed.")
        return 1, None
    try:
        done = (apply_and_clear if staged else apply_preview)(pv, opts, state)
    except ApplyInterrupted as stop:
        print(f"goenv-tui: {stop}.", file=sys.stderr)
        return 130, None
    r = done.result
    for d in done.created_dirs:
        print(f"created folder {tilde(d, pv.home)}")
    print(f"Applied {r.txid}: {len(r.written) + len(r.deleted)} file(s) written.")
    for c in done.checks:
        print(f"  {'ok' if c.ok else '!!'} {for_user(c.message)}")
    for v in done.no_effect:
        print(f"  !! {for_user(v.message)}")
    for w in r.warnings:
        print(f"  ! {w}")
    print(f"Undo with: goenv-tui rollback {r.txid}")
    return (0 if done.ok else 1), done


def _stage(args: argparse.Namespace, state: str, home: str, options: OptionsFor) -> int:
    from goenv_tui.core.plan import stage
    from goenv_tui.core.plan.workflow import make_preview

    if args.action == "list":
        changes = stage.load(state, home)
        if not changes:
            print("Nothing is staged.")
        for k, c in enumerate(changes, 1):
            print(f"{k}. {for_user(c.describe())}")
        return 0
    if args.action == "clear":
        n = len(stage.load(state, home)) if os.path.isdir(state) else 0
        stage.save(state, [])
        print(f"Cleared {n} staged change(s).")
        return 0
    if args.action == "drop":
        dropped = stage.drop(state, home, args.number)
        print(f"Dropped: {for_user(dropped.describe())}")
        return 0
    change = _change_of(args, home)
    # refuses before anything is staged
    pv = make_preview(stage.merged(stage.load(state, home), change)[0], options(args), staging=True)
    changes, gone = stage.add(state, home, change)
    print(f"Staged ({len(changes)} in the plan): {for_user(change.describe())}")
    if gone is not None:
        print(for_user(stage.replaced_notice(gone)))
    if pv.plan.incomplete:
        print(f"Not ready to apply: {pv.plan.incomplete}.")
    print("See it with: goenv-tui preview; apply it with: goenv-tui apply")
    return 0


def _preview_staged(state: str, home: str, opts: Options) -> int:
    from goenv_tui.core.plan import stage
    from goenv_tui.core.plan.workflow import make_preview

    changes = stage.load(state, home)
    if not changes:
        print("Nothing is staged; add a change with goenv-tui stage set NAME=VALUE.")
        return 0
    pv = make_preview(changes, opts)
    sys.stdout.write(pv.text)
    stage.save(state, changes, _hashes(pv))  # apply refuses if a file moves on from these
    return 0


def _hashes(pv: Preview) -> dict[str, str | None]:
    """Each file of the preview (as written) and what it was: content hash and identity."""
    from goenv_tui.core.txn import sha256_hex
    from goenv_tui.core.txn.identity import preview_fingerprint

    return {
        f.path: preview_fingerprint(None if f.old is None else sha256_hex(f.old), f.identity)
        for f in pv.plan.files
    }


def _apply_staged(args: argparse.Namespace, state: str, home: str, opts: Options) -> int:
    from goenv_tui.core.paths import tilde
    from goenv_tui.core.plan import stage
    from goenv_tui.core.plan.workflow import make_preview

    changes = stage.load(state, home)
    if not changes:
        raise UsageError("nothing is staged; add a change with goenv-tui stage set NAME=VALUE")
    pv = make_preview(changes, opts)
    seen = stage.previewed(state)
    if seen is not None:
        now = _hashes(pv)
        moved = [p for p, was in seen.items() if now.get(p) != was]
        if moved:
            names = ", ".join(tilde(p, home) for p in moved)
            raise UsageError(
                f"{names} changed since goenv-tui preview showed it; nothing was changed: "
                "run goenv-tui preview again to see the plan against the file as it is now"
            )
    sys.stdout.write(pv.text)
    if not pv.plan.changed_files:  # every file has this content already: the plan is done
        stage.save(state, [])
    return confirm_and_apply(pv, opts, state, args.yes, staged=True)[0]


def _record_json(rec: TxRecord) -> dict[str, Any]:
    return {
        "txid": rec.txid,
        "time": rec.time,
        "description": for_user(rec.description),
        "rollback_of": rec.rollback_of,
        "files": [
            {"path": f.path, "created": f.original is None, "deleted": f.new_sha256 is None}
            for f in rec.files
        ],
    }


def _history(state: str, home: str, as_json: bool) -> int:
    from goenv_tui.core.paths import tilde
    from goenv_tui.core.txn import history

    records = history(state) if os.path.isdir(state) else []
    if as_json:
        body = {"schema": "goenv-tui/history/1", "transactions": [_record_json(r) for r in records]}
        json.dump(body, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 0
    if not records:
        print("No change has been applied yet.")
        return 0
    for rec in reversed(records):
        print(f"{rec.txid}  {rec.time}  {for_user(rec.description)}")
        for f in rec.files:
            what = "created" if f.original is None else "deleted" if f.new_sha256 is None else ""
            print(f"    {tilde(f.path, home)}{'  (' + what + ')' if what else ''}")
    return 0


def _rollback(state: str, home: str, args: argparse.Namespace) -> int:
    from goenv_tui.core.acting import state_owner
    from goenv_tui.core.paths import tilde
    from goenv_tui.core.plan.preview import file_diff
    from goenv_tui.core.txn import history, rollback
    from goenv_tui.core.txn.rollback import pick_record, rollback_plan

    records = history(state) if os.path.isdir(state) else []
    rec = pick_record(records, args.txid)
    changes, changed = rollback_plan(rec, state_owner(state))
    verb = "Re-apply what" if rec.rollback_of is not None else "Roll back"
    print(f"{verb} {rec.txid} ({for_user(rec.description)}){' undid' if rec.rollback_of else ''}:")
    for ch in changes:
        try:
            with open(os.path.realpath(ch.path), "rb") as fh:
                now: bytes | None = fh.read()
        except FileNotFoundError:
            now = None
        mark = "  ! changed since that change was applied" if ch.path in changed else ""
        print(f"\n{tilde(ch.path, home)}{mark}")
        print(file_diff(ch.path, now, ch.new, home).rstrip("\n") or "  (already restored)")
    if changed and not args.force:
        names = ", ".join(tilde(p, home) for p in changed)
        raise UsageError(
            f"nothing was rolled back: {names} changed since {rec.txid} was applied "
            "(the diff above shows what would be lost); add --force to overwrite"
        )
    if not _ask("\nRoll back?", args.yes):
        print("Nothing was changed.")
        return 1
    r = rollback(state, rec.txid, force=args.force)
    count = len(r.written) + len(r.deleted)
    if r.txid is None:
        print(f"Nothing to do: the files of {rec.txid} are already as that would leave them.")
    else:
        print(f"Rolled back {rec.txid} as {r.txid}: {count} file(s) restored.")
        print(f"Undo with: goenv-tui rollback {r.txid}")
    return 0
