"""Replay the `go env` commands of a Go toolchain's own script tests with the real go.

The scripts stay in the toolchain ($GOROOT/src/cmd/go/testdata/script/*.txt); this module
holds no text of them, only the script engine's rules (cmd/internal/script, 1.21:
cmd/go/internal/script; the same in 1.21 ... 1.27):

- a line is split on space, tab, CR, LF; an unquoted ``#`` ends it; ``'...'`` quotes, and
  ``''`` inside quotes is one ``'``; leading unquoted ``!``/``?`` and ``[cond]`` words are
  the expected status and conditions (all must hold); a last unquoted ``&`` backgrounds it;
- ``$NAME``/``${NAME}`` (os.Expand) are expanded only outside quotes, with the values
  regexp-quoted in the pattern of ``stdout``/``stderr``/``grep``;
- ``stdout``/``stderr`` check the last command that produced output (commands without a
  WaitFunc, such as ``env K=V``, ``cd``, ``cp`` or the checks themselves, leave it alone);
- the archive is extracted into ``$WORK/gopath/src``, the first working directory
  (script_test.go: initScriptDirs, scriptEnv).

Only ``go env ...`` runs; every other go command is recorded as not replayed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

#: The script engine's argument separators (engine.go: argSepChars, '#' ends the line).
ARG_SEP = " \t\r\n#"
#: Script commands that install no WaitFunc: they leave the last command's output in place.
QUIET_COMMANDS = frozenset(
    {
        "cd",
        "chmod",
        "cmp",
        "cmpenv",
        "cp",
        "exists",
        "grep",
        "mkdir",
        "mv",
        "replace",
        "rm",
        "skip",
        "sleep",
        "stderr",
        "stdout",
        "stop",
        "symlink",
    }
)
#: go subcommands that change nothing a later `go env` reads.
HARMLESS_GO = frozenset({"help", "version"})
#: ${/} and ${:} (state.go: NewState), never part of the process environment.
SEPARATORS = {"/": os.sep, ":": os.pathsep}
SUCCESS, FAILURE, EITHER = "success", "failure", "either"
TIMEOUT = 30.0


# --------------------------------------------------------------------------- parsing


@dataclass(frozen=True)
class Condition:
    """One ``[tag]`` or ``[!tag]`` prefix."""

    want: bool
    tag: str


@dataclass(frozen=True)
class Command:
    """One parsed script line: raw arguments are lists of (text, quoted) fragments."""

    line: int
    name: str
    want: str
    conds: tuple[Condition, ...]
    raw_args: tuple[tuple[tuple[str, bool], ...], ...]


@dataclass(frozen=True)
class ArchiveFile:
    """One ``-- name --`` section of the txtar archive."""

    name: str
    data: bytes


def split_txtar(data: bytes) -> tuple[bytes, list[ArchiveFile]]:
    """The script text and the archive files (golang.org/x/tools/txtar: Parse)."""
    comment, name, rest = _find_marker(data)
    files: list[ArchiveFile] = []
    while name:
        body, next_name, rest = _find_marker(rest)
        files.append(ArchiveFile(name, body))
        name = next_name
    return comment, files


def _find_marker(data: bytes) -> tuple[bytes, str, bytes]:
    i = 0
    while True:
        name, after = _marker(data[i:])
        if name:
            return data[:i], name, after
        j = data.find(b"\n", i)
        if j < 0:
            return (data if data.endswith(b"\n") or not data else data + b"\n"), "", b""
        i = j + 1


def _marker(data: bytes) -> tuple[str, bytes]:
    if not data.startswith(b"-- "):
        return "", b""
    line, sep, after = data.partition(b"\n")
    if not (line.endswith(b" --") and len(line) >= 6):
        return "", b""
    return line[3:-3].decode().strip(), after if sep else b""


def parse_line(lineno: int, line: str) -> Command | None:
    """engine.go parse(): None for a blank or comment-only line; ValueError when malformed."""
    name = ""
    want = SUCCESS
    conds: list[Condition] = []
    args: list[tuple[tuple[str, bool], ...]] = []
    frags: list[tuple[str, bool]] = []
    start = -1
    quoted = False

    def flush() -> None:
        nonlocal name, want
        if not frags:
            return
        word = frags[0][0]
        if not name and len(frags) == 1 and not frags[0][1]:
            if word in ("!", "?"):
                want = FAILURE if word == "!" else EITHER
            elif word.startswith("[") and word.endswith("]"):
                tag = word[1:-1].strip()
                neg = tag.startswith("!")
                conds.append(Condition(not neg, tag[1:].strip() if neg else tag))
            else:
                name = word
        else:
            args.append(tuple(frags))
        frags.clear()

    i = 0
    while True:
        if not quoted and (i >= len(line) or line[i] in ARG_SEP):
            if start >= 0:
                frags.append((line[start:i], False))
                start = -1
            flush()
            if i >= len(line) or line[i] == "#":
                break
            i += 1
            continue
        if i >= len(line):
            raise ValueError(f"line {lineno}: unterminated quoted argument")
        if line[i] == "'":
            if not quoted:
                if start >= 0:
                    frags.append((line[start:i], False))
                start, quoted = i + 1, True
            elif i + 1 < len(line) and line[i + 1] == "'":
                frags.append((line[start:i], True))
                start = i + 1
                i += 1
            else:
                frags.append((line[start:i], True))
                start, quoted = i + 1, False
        elif start < 0:
            start = i
        i += 1
    if not name:
        return None
    if args and args[-1] == (("&", False),):
        args.pop()
    return Command(lineno, name, want, tuple(conds), tuple(args))


def parse_script(text: str) -> list[Command]:
    """Every command of a script text, with its 1-based line number."""
    out: list[Command] = []
    for num, line in enumerate(text.split("\n"), start=1):
        cmd = parse_line(num, line)
        if cmd is not None:
            out.append(cmd)
    return out


def expand(text: str, env: Mapping[str, str], in_regexp: bool = False) -> str:
    """os.Expand with the script's variables (regexp-quoted for patterns)."""

    def value(name: str) -> str:
        v = env.get(name, SEPARATORS.get(name, ""))
        return re.escape(v) if in_regexp else v

    out: list[str] = []
    i = j = 0
    while j < len(text):
        if text[j] == "$" and j + 1 < len(text):
            out.append(text[i:j])
            name, width = _shell_name(text[j + 1 :])
            if name:
                out.append(value(name))
            elif width == 0:
                out.append("$")
            j += width
            i = j + 1
        j += 1
    out.append(text[i:])
    return "".join(out)


def _shell_name(s: str) -> tuple[str, int]:
    special = "*#$@!?-0123456789"
    if s[0] == "{":
        if len(s) > 2 and s[1] in special and s[2] == "}":
            return s[1], 3
        end = s.find("}", 1)
        if end < 0:
            return "", 1
        return ("", 2) if end == 1 else (s[1:end], end + 1)
    if s[0] in special:
        return s[0], 1
    m = re.match(r"[A-Za-z0-9_]*", s)
    assert m is not None
    return m.group(0), m.end()


def expand_args(cmd: Command, env: Mapping[str, str], regexp_args: Sequence[int] = ()) -> list[str]:
    """engine.go expandArgs: quoted fragments stay literal."""
    out = []
    for i, frags in enumerate(cmd.raw_args):
        out.append(
            "".join(t if q else expand(t, env, i in regexp_args) for t, q in frags),
        )
    return out


def go_regexp(pattern: str) -> re.Pattern[str]:
    """A Go RE2 pattern of a script check as Python re (match.go prefixes (?m))."""
    return re.compile(pattern.replace(r"\z", r"\Z"), re.MULTILINE)


# --------------------------------------------------------------------------- replay


@dataclass(frozen=True)
class Host:
    """What the script conditions ask about this machine and this toolchain."""

    goos: str
    goarch: str
    cgo: bool
    goexperiment: str = ""

    def holds(self, cond: Condition) -> bool | None:
        """Whether a condition holds here; None when this replay cannot tell."""
        tag, _, suffix = cond.tag.partition(":")
        known: dict[str, Callable[[], bool]] = {
            "GOOS": lambda: suffix == self.goos,
            "GOARCH": lambda: suffix == self.goarch,
            "exec": lambda: shutil.which(suffix) is not None,
            "cgo": lambda: self.cgo,
            "short": lambda: False,  # replayed as the full (non-short) run
            "net": lambda: False,  # the replay never uses the network
            "symlink": lambda: True,
            "compiler": lambda: suffix == "gc",
            "GOEXPERIMENT": lambda: suffix in self.goexperiment.split(","),
        }
        if tag not in known:
            return None
        return known[tag]() == cond.want


@dataclass
class Expect:
    """A ``stdout``/``stderr``/``grep`` check of a script, as the script states it."""

    where: str
    stream: str  # stdout | stderr | grep
    negated: bool
    pattern: str
    count: int | None = None
    path: str | None = None  # grep: the file
    held: bool | None = None  # whether the replay met it (None: not checked)


@dataclass
class GoEnvRun:
    """One ``go env ...`` command of a script and what the real go did with it."""

    script: str
    line: int
    args: list[str]
    want: str
    env: dict[str, str]
    cwd: str
    goenv_file: str | None  # the file go reads and writes (None: none, GOENV=off)
    file_before: bytes | None
    replayable: bool  # only `go env`/`go help`/`go version` ran before it
    code: int = -1
    stdout: str = ""
    stderr: str = ""
    file_after: bytes | None = None
    expects: list[Expect] = field(default_factory=list)

    @property
    def where(self) -> str:
        return f"{self.script}:{self.line}"

    @property
    def mode(self) -> str:
        """-w, -u or read (every other form)."""
        return self.args[0] if self.args and self.args[0] in ("-w", "-u") else "read"


@dataclass
class ScriptReplay:
    """Everything one script's replay found."""

    script: str
    runs: list[GoEnvRun] = field(default_factory=list)
    not_replayed: list[str] = field(default_factory=list)  # "file:line go build ..."
    undetermined: list[str] = field(default_factory=list)  # lines with unknown conditions
    skipped_at: str | None = None  # a `skip` that held
    error: str | None = None  # a command the replay could not perform


def base_env(work: Path, home: Path, go: Path) -> dict[str, str]:
    """scriptEnv() and initScriptDirs() with the replay's substitutes: the real GOROOT, a
    scratch HOME (its XDG_CONFIG_HOME/go/telemetry/mode says off), no proxy or checksum
    database (GOPROXY/GOSUMDB off), GOTOOLCHAIN=local, empty GOFLAGS."""
    goroot = go.resolve().parent.parent
    config = home / ".config"
    (config / "go" / "telemetry").mkdir(parents=True, exist_ok=True)
    (config / "go" / "telemetry" / "mode").write_text("off")
    (work / "tmp").mkdir(parents=True, exist_ok=True)
    (work / "gopath" / "src").mkdir(parents=True, exist_ok=True)
    (work / "gocache").mkdir(parents=True, exist_ok=True)
    version = (goroot / "VERSION").read_text().split("\n", 1)[0]
    return {
        "PATH": f"{go.parent}:/usr/local/bin:/usr/bin:/bin",
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(config),
        "CCACHE_DISABLE": "1",
        "GOARCH": host_value(go, "GOHOSTARCH"),
        "GOOS": host_value(go, "GOHOSTOS"),
        "GOCACHE": str(work / "gocache"),
        "GOCOVERDIR": "",
        "GODEBUG": "",
        "GOEXE": "",
        "GOEXPERIMENT": "",
        "GOPROXY": "off",
        "GOPRIVATE": "",
        "GOROOT": str(goroot),
        "GOTRACEBACK": "system",
        "GOSUMDB": "off",
        "GONOPROXY": "",
        "GONOSUMDB": "",
        "GOVCS": "*:all",
        "GOTOOLCHAIN": "local",
        "GOFLAGS": "",
        "devnull": os.devnull,
        "goversion": version.removeprefix("go"),
        "newline": "\n",
        "WORK": str(work),
        "TMPDIR": str(work / "tmp"),
        "GOPATH": str(work / "gopath"),
        "PWD": str(work / "gopath" / "src"),
    }


def host_value(go: Path, name: str) -> str:
    """One `go env NAME` of the toolchain in a minimal environment."""
    env = {"PATH": "/usr/bin:/bin", "HOME": "/nonexistent", "GOENV": "off", "GOTOOLCHAIN": "local"}
    out = subprocess.run(
        [str(go), "env", name], env=env, capture_output=True, text=True, check=True, timeout=TIMEOUT
    )
    return out.stdout.strip()


def env_file_path(env: Mapping[str, str], cwd: str) -> str | None:
    """The go env file go reads for this environment (cfg.EnvFile, os.UserConfigDir)."""
    goenv = env.get("GOENV", "")
    if goenv == "off":
        return None
    if goenv:
        return os.path.join(cwd, goenv)
    xdg = env.get("XDG_CONFIG_HOME", "")
    if xdg and os.path.isabs(xdg):
        return os.path.join(xdg, "go", "env")
    home = env.get("HOME", "")
    return os.path.join(home, ".config", "go", "env") if home else None


def read_or_none(path: str | None) -> bytes | None:
    """A file's bytes; None when it does not exist (or there is no path)."""
    if path is None:
        return None
    try:
        return Path(path).read_bytes()
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return None


def run_go(go: Path, args: Sequence[str], env: Mapping[str, str], cwd: str) -> tuple[int, str, str]:
    """Run the real go; (exit code, stdout, stderr)."""
    out = subprocess.run(
        [str(go), *args],
        env=dict(env),
        cwd=cwd,
        capture_output=True,
        text=True,
        errors="surrogateescape",
        stdin=subprocess.DEVNULL,
        timeout=TIMEOUT,
        check=False,
    )
    return out.returncode, out.stdout, out.stderr


class Replayer:
    """Walks one script's commands with the script's state on a real scratch $WORK."""

    def __init__(self, script: Path, go: Path, host: Host, root: Path) -> None:
        self.name = script.name
        self.go = go
        self.host = host
        self.work = root / "work"
        self.env = base_env(self.work, root / "home", go)
        self.cwd = self.env["PWD"]
        self.result = ScriptReplay(script.name)
        self.last_output: GoEnvRun | None = None  # the command stdout/stderr check
        self.output_replayed = False
        self.stdout = self.stderr = ""
        text, files = split_txtar(script.read_bytes())
        self.commands = parse_script(text.decode("utf-8", "surrogateescape"))
        self._extract(files)

    def _extract(self, files: Sequence[ArchiveFile]) -> None:
        for f in files:
            target = Path(self.cwd, expand(f.name, self.env))
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(f.data)

    def run(self) -> ScriptReplay:
        """Replay every command; stops at a `skip`/`stop` that holds or a failed step."""
        for cmd in self.commands:
            active = self._active(cmd)
            if active is None:
                self.result.undetermined.append(f"{self.name}:{cmd.line} {cmd.name}")
                continue
            if not active:
                continue
            if cmd.name in ("skip", "stop"):
                self.result.skipped_at = f"{self.name}:{cmd.line} {cmd.name}"
                break
            try:
                self._step(cmd)
            except OSError as exc:
                self.result.error = f"{self.name}:{cmd.line} {cmd.name}: {exc}"
                break
        return self.result

    def _active(self, cmd: Command) -> bool | None:
        verdicts = [self.host.holds(c) for c in cmd.conds]
        if False in verdicts:
            return False
        return None if None in verdicts else True

    def _step(self, cmd: Command) -> None:
        regexp_args = self._regexp_args(cmd)
        args = expand_args(cmd, self.env, regexp_args)
        handler = getattr(self, f"_cmd_{cmd.name}", None)
        if handler is not None:
            handler(cmd, args)
            return
        if cmd.name not in QUIET_COMMANDS:
            self._unreplayed_output(cmd, args)

    @staticmethod
    def _regexp_args(cmd: Command) -> tuple[int, ...]:
        if cmd.name not in ("stdout", "stderr", "grep"):
            return ()
        skip = 0
        for frags in cmd.raw_args:
            word = "".join(t for t, _ in frags)
            if word.startswith("-count=") or word == "-q":
                skip += 1
            else:
                break
        return (skip,)

    def _unreplayed_output(self, cmd: Command, args: Sequence[str]) -> None:
        self.last_output = None
        self.output_replayed = False
        self.result.not_replayed.append(f"{self.name}:{cmd.line} {cmd.name} {' '.join(args)}")

    # -- script commands

    def _cmd_env(self, cmd: Command, args: Sequence[str]) -> None:
        printed = not args or any("=" not in a for a in args)
        for a in args:
            if "=" in a:
                key, _, value = a.partition("=")
                self.env[key] = value
        if printed:
            self.last_output = None
            self.output_replayed = True
            self.stdout = "".join(f"{a}={self.env.get(a, '')}\n" for a in args if "=" not in a)
            self.stderr = ""

    def _cmd_cd(self, cmd: Command, args: Sequence[str]) -> None:
        target = os.path.normpath(os.path.join(self.cwd, args[0]))
        if not os.path.isdir(target):
            raise FileNotFoundError(f"cd: {target} does not exist")
        self.cwd = target
        self.env["PWD"] = target

    def _cmd_mkdir(self, cmd: Command, args: Sequence[str]) -> None:
        for a in args:
            Path(self.cwd, a).mkdir(parents=True, exist_ok=True)

    def _cmd_rm(self, cmd: Command, args: Sequence[str]) -> None:
        for a in args:
            p = Path(self.cwd, a)
            if p.is_dir() and not p.is_symlink():
                shutil.rmtree(p)
            elif p.exists() or p.is_symlink():
                p.unlink()

    def _cmd_cp(self, cmd: Command, args: Sequence[str]) -> None:
        dst = Path(self.cwd, args[-1])
        for a in args[:-1]:
            if a in ("stdout", "stderr"):
                data = (self.stdout if a == "stdout" else self.stderr).encode()
                name = a
            else:
                data = Path(self.cwd, a).read_bytes()
                name = Path(a).name
            (dst / name if dst.is_dir() else dst).write_bytes(data)

    def _cmd_stdout(self, cmd: Command, args: Sequence[str]) -> None:
        self._check(cmd, "stdout", args)

    def _cmd_stderr(self, cmd: Command, args: Sequence[str]) -> None:
        self._check(cmd, "stderr", args)

    def _cmd_grep(self, cmd: Command, args: Sequence[str]) -> None:
        self._check(cmd, "grep", args)

    def _check(self, cmd: Command, stream: str, args: Sequence[str]) -> None:
        rest = list(args)
        count = None
        if rest and rest[0].startswith("-count="):
            count = int(rest.pop(0).removeprefix("-count="))
        if rest and rest[0] == "-q":
            rest.pop(0)
        path = rest[1] if stream == "grep" and len(rest) > 1 else None
        exp = Expect(f"{self.name}:{cmd.line}", stream, cmd.want == FAILURE, rest[0], count, path)
        if stream == "grep":
            text = (read_or_none(os.path.join(self.cwd, path or "")) or b"").decode(
                "utf-8", "surrogateescape"
            )
            exp.held = _holds(exp, text)
            if self.last_output is not None:
                self.last_output.expects.append(exp)
            return
        if self.output_replayed:
            exp.held = _holds(exp, self.stdout if stream == "stdout" else self.stderr)
        if self.last_output is not None:
            self.last_output.expects.append(exp)

    def _cmd_go(self, cmd: Command, args: Sequence[str]) -> None:
        if not args or args[0] != "env":
            if args and args[0] in HARMLESS_GO:
                self.last_output, self.output_replayed = None, False
                return
            self._unreplayed_output(cmd, ["go", *args])
            return
        goenv_file = env_file_path(self.env, self.cwd)
        run = GoEnvRun(
            script=self.name,
            line=cmd.line,
            args=list(args[1:]),
            want=cmd.want,
            env=dict(self.env),
            cwd=self.cwd,
            goenv_file=goenv_file,
            file_before=read_or_none(goenv_file),
            replayable=not self.result.not_replayed,
        )
        run.code, run.stdout, run.stderr = run_go(self.go, ["env", *run.args], self.env, self.cwd)
        run.file_after = read_or_none(goenv_file)
        self.stdout, self.stderr = run.stdout, run.stderr
        self.last_output, self.output_replayed = run, True
        self.result.runs.append(run)


def _holds(exp: Expect, text: str) -> bool:
    try:
        rx = go_regexp(exp.pattern)
    except re.error:
        return False
    if exp.count is not None:
        found = len(rx.findall(text)) == exp.count
    else:
        found = rx.search(text) is not None
    return found != exp.negated


# --------------------------------------------------------------------------- toolchain


def script_dir(go: Path) -> Path:
    """$GOROOT/src/cmd/go/testdata/script of a go binary's own tree."""
    return go.resolve().parent.parent / "src" / "cmd" / "go" / "testdata" / "script"


_GO_ENV_LINE = re.compile(r"^(?:\s*(?:\[[^\]]*\]|!|\?)\s*)*go\s+env\b", re.MULTILINE)


def go_env_scripts(go: Path) -> list[Path]:
    """Every script of the toolchain whose commands include `go env`."""
    found = []
    for path in sorted(script_dir(go).glob("*.txt")):
        text, _ = split_txtar(path.read_bytes())
        if _GO_ENV_LINE.search(text.decode("utf-8", "surrogateescape")):
            found.append(path)
    return found


def toolchain_version(go: Path) -> str:
    """The first line of $GOROOT/VERSION ("go1.27.3")."""
    goroot = go.resolve().parent.parent
    return (goroot / "VERSION").read_text().split("\n", 1)[0].strip()


def host_of(go: Path) -> Host:
    """The conditions' answers for this machine and toolchain."""
    return Host(
        goos=host_value(go, "GOHOSTOS"),
        goarch=host_value(go, "GOHOSTARCH"),
        cgo=host_value(go, "CGO_ENABLED") == "1",
    )
