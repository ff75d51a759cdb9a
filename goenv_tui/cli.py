"""The command line: `goenv-tui show|explain ...` (a thin face over the core)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NoReturn

from goenv_tui import __version__

if TYPE_CHECKING:
    from goenv_tui.core.resolve import Options


class UsageError(Exception):
    """Bad input: one sentence for stderr, exit status 2."""


class _Parser(argparse.ArgumentParser):
    """argparse that reports errors as one sentence (no usage dump) and exits 2."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message}; run '{self.prog} --help' for usage")


def _globals(sub: bool = False) -> _Parser:
    """Global options; a subcommand's copy must not reset what was given before it."""
    common = _Parser(add_help=False)
    kw: dict[str, Any] = {"default": argparse.SUPPRESS} if sub else {}
    common.add_argument("--go", metavar="PATH", help="use this go binary instead of PATH's", **kw)
    common.add_argument(
        "--shell",
        choices=["bash", "zsh", "sh", "fish"],
        help="the shell whose startup files to read (default: $SHELL)",
        **kw,
    )
    common.add_argument(
        "--no-trace",
        action="store_true",
        help="read startup files statically instead of tracing the shell",
        **kw,
    )
    common.add_argument("--theme", metavar="NAME", help="TUI theme", **kw)
    common.add_argument("--state-dir", metavar="DIR", help="where state is kept", **kw)
    return common


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser (global options work before or after the command)."""
    common = _globals(sub=True)
    parser = _Parser(
        prog="goenv-tui",
        parents=[_globals()],
        description="Explain a Go developer's environment, layer by layer.",
    )
    parser.add_argument("--version", action="version", version=f"goenv-tui {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    show = sub.add_parser("show", parents=[common], help="every Go variable and its source")
    show.add_argument("names", nargs="*", metavar="NAME")
    show.add_argument("--json", action="store_true", help="print the show/1 JSON object")
    show.add_argument(
        "--changed", action="store_true", help="only what `go env -changed` reports, and why"
    )
    explain = sub.add_parser("explain", parents=[common], help="one variable's chain in words")
    explain.add_argument("name", metavar="NAME")
    return parser


def _options(args: argparse.Namespace) -> Options:
    from goenv_tui.core.paths import cache_dir
    from goenv_tui.core.resolve import Options

    env = dict(os.environ)
    if args.go is not None:
        go = os.path.abspath(os.path.expanduser(args.go))
        if not os.path.isfile(go) or not os.access(go, os.X_OK):
            raise UsageError(
                f"--go {args.go}: not an executable file; give the path of a go binary"
            )
        args.go = go
    return Options(
        env=env,
        go_path=args.go,
        shell=args.shell,
        trace=not args.no_trace,
        cache_dir=cache_dir(env),
    )


def _pick(names: Sequence[str], known: Sequence[str]) -> list[str]:
    """Validate NAME arguments against the variables go knows (case-insensitive help)."""
    picked: list[str] = []
    for raw in names:
        name = raw.strip()
        if name in known:
            picked.append(name)
            continue
        hint = next((k for k in known if k.lower() == name.lower()), None)
        tip = f"did you mean {hint}? " if hint else ""
        raise UsageError(
            f"{raw!r} is not a Go variable this go knows; {tip}run 'goenv-tui show' to list them"
        )
    return picked


def cmd_show(args: argparse.Namespace) -> int:
    """`show [NAME...] [--json] [--changed]`."""
    from goenv_tui.core.paths import clip
    from goenv_tui.core.resolve import probe
    from goenv_tui.table import LEGEND, header, table

    opts = _options(args)
    res = probe(opts)
    names = _pick(args.names, list(res.variables)) if args.names else sorted(res.variables)
    reasons: dict[str, str] | None = None
    how = ""
    if args.changed:
        from goenv_tui.core.changed import changed_names
        from goenv_tui.core.explain import changed_reason

        changed, how = changed_names(res.go, res.variables, opts.env, opts.cwd)
        names = [n for n in names if n in changed]
        home = os.environ.get("HOME")
        reasons = {n: changed_reason(res.variables[n], home) for n in names}
    if args.json:
        out = res.to_json(names)
        if reasons is not None:
            out["changed"] = {"method": how, "reasons": reasons}
        json.dump(out, sys.stdout, indent=2, sort_keys=False)
        sys.stdout.write("\n")
        return 0
    home = os.environ.get("HOME")
    width = _width()
    lines = [clip(line, width) for line in header(res, home)]
    lines.append("")
    lines.extend(table({n: res.variables[n] for n in names}, home, width, reasons))
    if args.changed:
        lines.append(f"({len(names)} changed; {how})")
    if any(res.variables[n].flags for n in names):
        lines.append(LEGEND)
    print("\n".join(lines))
    return 0


def cmd_explain(args: argparse.Namespace) -> int:
    """`explain NAME`: the whole chain in words."""
    from goenv_tui.core.explain import story, where
    from goenv_tui.core.resolve import probe

    res = probe(_options(args))
    (name,) = _pick([args.name], list(res.variables))
    var = res.variables[name]
    home = os.environ.get("HOME")
    print(story(var, home, res.go.error))
    print()
    print("Chain, lowest precedence first:")
    if not var.chain:
        print("  (no layer sets it)")
    for entry in var.chain:
        print(f"  {entry.state:<9} {entry.layer:<8} {where(entry, home):<28} {entry.value!r}")
    if res.go.error:
        print(f"\nNote: {res.go.error}")
    return 0


def cmd_tui(args: argparse.Namespace) -> int:
    """No command: the interactive explorer."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UsageError(
            "the interactive explorer needs a terminal; use 'goenv-tui show' in scripts"
        )
    opts = _options(args)
    from goenv_tui.core.background import ProbeTask

    task = ProbeTask(opts)  # started before Textual is imported: the two overlap
    from goenv_tui.ui.app import make_app

    make_app(opts, task=task, theme=args.theme, env=dict(opts.env)).run()
    return 0


def _width() -> int:
    import shutil

    return max(60, min(shutil.get_terminal_size((80, 24)).columns, 200))


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `goenv-tui` console script."""
    try:
        args = build_parser().parse_args(argv)
        if args.command == "explain":
            return cmd_explain(args)
        if args.command is None:
            return cmd_tui(args)
        if args.command == "show":
            return cmd_show(args)
        raise UsageError(f"unknown command {args.command!r}")
    except UsageError as err:
        print(f"goenv-tui: {err}.", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
