"""What a traced startup depended on besides the files it sourced.

The trace cache must follow everything startup read. The files a shell sources are in the
trace; what the commands it ran read is not. So every path a traced command named
(``[ -d /opt/x ]``, ``$(cat ~/goflags.txt)``) is probed, the host name is part of the
fingerprint (``$(hostname)`` branches), the version files of the version managers we know
(goenv, asdf, mise, go itself) are probed when their command ran, and a command we know
nothing about makes the trace uncacheable: which files it read cannot be known.
"""

from __future__ import annotations

import os
import re
import shlex
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import lru_cache

from .records import Record

#: bash and zsh builtins and reserved words: they read no file the trace does not show.
SHELL_WORDS = frozenset(
    {
        ".", ":", "[", "[[", "((", "))", "]]", "{", "}", "!", "alias", "autoload", "bg", "bind",
        "bindkey", "break", "builtin", "bye", "caller", "case", "cd", "chdir", "command", "compadd",
        "compcall", "compctl", "compdef", "compdescribe", "compfiles", "compgen", "compgroups",
        "complete", "compopt", "compquote", "compset", "comptags", "comptry", "compvalues",
        "continue", "coproc", "declare", "dirs", "disable", "disown", "do", "done", "echo",
        "echotc", "echoti", "elif", "else", "emulate", "enable", "esac", "eval", "exec", "exit",
        "export", "false", "fc", "fg", "fi", "float", "for", "function", "functions", "getln",
        "getopts", "hash", "help", "history", "if", "in", "integer", "jobs", "kill", "let", "limit",
        "local", "log", "logout", "mapfile", "noglob", "popd", "print", "private", "printf",
        "pushd", "pushln", "pwd", "r", "read", "readarray", "readonly", "rehash", "return", "sched",
        "select", "set", "setopt", "shift", "shopt", "source", "suspend", "test", "then", "time",
        "times", "trap", "true", "ttyctl", "type", "typeset", "ulimit", "umask", "unalias",
        "unfunction", "unhash", "unlimit", "unset", "unsetopt", "until", "vared", "wait", "whence",
        "where", "which", "while", "zcompile", "zformat", "zle", "zmodload", "zparseopts",
        "zregexparse", "zstyle"
    }
)  # fmt: skip

#: External commands whose output depends only on their arguments, the files those name
#: (probed), the host (fingerprinted) and the user (part of the cache key).
PURE_COMMANDS = frozenset(
    {
        "awk", "basename", "cat", "cut", "date", "dircolors", "dirname", "env", "expr", "gawk",
        "getconf", "grep", "head", "hostname", "id", "lesspipe", "locale", "ls", "mawk", "mkdir",
        "mktemp", "diff", "cmp", "iconv", "base64", "md5sum", "sha256sum", "rev", "fold", "paste",
        "printenv", "rm", "touch", "chmod", "cp", "mv", "ln", "tee", "xargs", "find", "stat",
        "file", "which", "nproc", "readlink", "realpath", "sed", "seq", "sort", "stty", "tail",
        "hexdump", "od", "xxd", "cksum", "sum", "true", "false", "sleep",
        "tput", "tr", "tty", "uname", "uniq", "wc", "whoami"
    }
)  # fmt: skip

_ASSIGNMENT = re.compile(r"[A-Za-z0-9_]+(?:\[.*\])?\+?=")  # NAME[sub]+=, zsh's 4=x

#: Paths that change by themselves: not evidence of what startup read.
_UNSTABLE = ("/proc/", "/dev/", "/sys/", "/run/")
_SCRATCH = frozenset({"/tmp", "/var/tmp", "/dev/shm"})

#: Words that run the next word as the command.
_RUNNERS = frozenset({"command", "builtin", "exec", "env", "nohup", "nice", "noglob", "time"})


def _manager_files(
    env: Mapping[str, str], home: str, folder: str
) -> dict[str, Callable[[], list[str]]]:
    """Per known command: the files that decide what it prints in ``folder``."""
    from goenv_tui.core.managers import version_files

    def under(base: str, *names: str) -> list[str]:
        return [os.path.join(base, n) for n in names]

    config = env.get("XDG_CONFIG_HOME") or os.path.join(home, ".config")
    goenv_root = env.get("GOENV_ROOT") or os.path.join(home, ".goenv")
    asdf_root = env.get("ASDF_DATA_DIR") or os.path.join(home, ".asdf")
    go_env_file = env.get("GOENV") or os.path.join(config, "go", "env")
    return {
        "goenv": lambda: [
            *version_files("goenv", env, folder),
            *under(goenv_root, "versions", "shims"),
            os.path.join(home, ".goenvrc"),
        ],
        "asdf": lambda: [
            *version_files("asdf", env, folder),
            env.get("ASDF_CONFIG_FILE") or os.path.join(home, ".asdfrc"),
            *under(asdf_root, "installs/golang", "shims"),
        ],
        "mise": lambda: version_files("mise", env, folder),
        # pyenv's and rbenv's init print code from their own scripts, plugins and versions
        "pyenv": lambda: _env_manager(env, home, folder, "PYENV_ROOT", ".pyenv", "python"),
        "rbenv": lambda: _env_manager(env, home, folder, "RBENV_ROOT", ".rbenv", "ruby"),
        "go": lambda: [go_env_file, *_go_binary(env)],
    }


def _env_manager(
    env: Mapping[str, str], home: str, folder: str, root_var: str, default: str, language: str
) -> list[str]:
    """What a pyenv-style manager's commands read: its version files (up from ``folder``,
    then ROOT/version), its own scripts and plugins, its shims and versions."""
    from goenv_tui.core.managers import folders_up

    root = env.get(root_var) or os.path.join(home, default)
    name = os.path.basename(default).lstrip(".")
    up = [os.path.join(d, f".{language}-version") for d in folders_up(folder)]
    parts = ("version", "versions", "shims", "plugins", "libexec", f"libexec/{name}-init")
    return [*up, *(os.path.join(root, part) for part in parts)]


def _go_binary(env: Mapping[str, str]) -> list[str]:
    """The go on PATH and its go.env (a toolchain switch replaces them)."""
    import shutil

    found = shutil.which("go", path=env.get("PATH", ""))
    if found is None:
        return []
    real = os.path.realpath(found)
    return [real, os.path.join(os.path.dirname(os.path.dirname(real)), "go.env")]


def command_words(rec: Record) -> str:
    """The command a traced record ran (its first word, past assignments and runners), as
    written: a path stays a path (/opt/conda/bin/conda is no call of a `conda` function)."""
    return _command_word(rec.text)


@lru_cache(maxsize=4096)
def _command_word(text: str) -> str:
    first, more = text.partition("\n")[::2]
    if not any(quote in first for quote in "'\"\\"):  # plain words: no need to unquote
        found = _pick(iter(first.split()))
        if found is not None or not more:
            return found or ""
    # the whole text, read only as far as the command word: a quoted word may span lines;
    # zsh prints $'...' words
    lexer = shlex.shlex(text.replace("$'", "'"), posix=True)
    lexer.whitespace_split = True
    lexer.commenters = ""
    try:
        return _pick(iter(lexer)) or ""
    except ValueError:
        return _pick(iter(first.split())) or ""


def _pick(words: Iterator[str]) -> str | None:
    """The command word among `words` ("" for none; None when the words ran out first)."""
    lead = None
    for word in words:
        lead = word if lead is None else lead
        assignment = _ASSIGNMENT.match(word)
        if assignment is not None:
            if word[assignment.end() :].startswith("("):
                return ""  # NAME=(...) / NAME+=(...): an array assignment, no command
            continue  # VAR=value cmd
        if word in ("-v", "-V") and lead in ("command", "type"):
            return ""  # `command -v NAME`: a lookup, no run
        if word in _RUNNERS or word.startswith("-"):
            continue
        return word.lstrip("\\")
    return None


_STANDARD_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def _runnable(word: str, search: str) -> bool:
    """Whether ``word`` names a program that could have run (on PATH or as a path)."""
    import shutil

    if "/" in word:
        return os.access(word, os.X_OK)
    return shutil.which(word, path=search) is not None


def _lookups(text: str) -> list[str]:
    """The names a `command -v`, `type`, `which` or `hash` record looks up on PATH."""
    words = text.split("\n", 1)[0].split()
    if len(words) < 2 or words[0] not in ("command", "type", "which", "hash", "whence"):
        return []
    return [w.strip("'\"") for w in words[1:] if not w.startswith("-")][:20]


def _git_metadata_only(text: str) -> bool:
    """`git rev-parse ...`, `git --version`: what they print is the checkout's own identity."""
    words = text.split()
    return len(words) >= 2 and words[1] in ("rev-parse", "--version", "version", "symbolic-ref")


_SHELLS = frozenset({"bash", "sh", "dash", "zsh"})
_SEPARATORS = re.compile(r"\$\(|`|;;|&&|\|\||[;|&\n()]")
#: ${!paths[@]}, ${x:-y}: no command in them; nor in an array assignment, paths=($PATH)
_EXPANSIONS = re.compile(r"\$\{[^{}]*\}")
_ARRAYS = re.compile(r"\b(\w+)=\([^()]*\)")
_LEADS = frozenset({"do", "then", "else", "elif", "if", "while", "until", "!", "{", "}", "time"})


def _inline_code_is_pure(text: str) -> bool:
    """Whether a `bash -c CODE` record runs only builtins and pure commands in CODE (its
    paths are probed like any other the record names)."""
    try:
        words = shlex.split(text)
    except ValueError:
        return False
    code = None
    for i, word in enumerate(words[1:], 1):
        if word.startswith("-") and not word.startswith("--") and "c" in word:
            code = words[i + 1] if i + 1 < len(words) else None
            break
    if code is None:
        return False
    plain = _ARRAYS.sub(r"\1=x", _EXPANSIONS.sub("x", code))
    for segment in _SEPARATORS.split(plain):
        words = segment.split()
        while words and words[0] in _LEADS:
            words = words[1:]
        first = _pick(iter(words))
        if first and first not in SHELL_WORDS and first not in PURE_COMMANDS:
            return False
    return True


def named_paths(records: Iterable[Record], home: str) -> list[str]:
    """Every absolute path (or ~/path) a traced command named, in order (capped)."""
    out: dict[str, None] = {}
    for rec in records:
        for word in rec.text.replace("\n", " ").split():
            word = word.strip("'\";()[]{}<>|&`$")
            word = word.split("=", 1)[1] if "=" in word and not word.startswith("/") else word
            if word.startswith("~/"):
                word = os.path.join(home, word[2:])
            path = os.path.normpath(word) if word.startswith("/") else ""
            busy = path in _SCRATCH or path in (home, "/")  # their listings change by themselves
            if path and not path.startswith(_UNSTABLE) and not busy:
                out.setdefault(path, None)
                if len(out) >= 2000:
                    return list(out)
    return list(out)


def startup_inputs(
    records: list[Record],
    env: Mapping[str, str],
    home: str,
    followed: Iterable[str] = (),
    folder: str | None = None,
) -> tuple[list[str], str | None]:
    """(paths to probe, why the trace cannot be cached or None). ``followed``: scripts
    whose own commands are in ``records`` (a wrapper chain's), so running them hides
    nothing; ``folder``: where the commands ran last (a manager's version file is looked
    up from there)."""
    from .startup import EXEC_SHELLS

    managers = _manager_files(env, home, folder or home)
    traced = {os.path.basename(path) for path in followed}
    probed = named_paths(records, home)
    later_functions: dict[str, int] = {}  # function -> the last record that ran inside it
    for i, rec in enumerate(records):
        if rec.function:
            later_functions[rec.function] = i
    search = os.pathsep.join(
        [env.get("PATH", ""), _STANDARD_PATH, f"{home}/.local/bin", f"{home}/bin"]
    )
    dirs = [d for d in dict.fromkeys(search.split(os.pathsep)) if d.startswith("/")]
    known: dict[str, bool] = {}

    def where_it_would_be(name: str) -> list[str]:
        """Where a program called ``name`` would appear: installing it changes the answer."""
        return [os.path.join(d, name) for d in dirs] if "/" not in name else [name]

    for i, rec in enumerate(records):
        for looked_up in _lookups(rec.text):  # `command -v goenv`, `type -p go`, `which go`
            probed.extend(where_it_would_be(looked_up))
        written = command_words(rec)
        word = os.path.basename(written)
        if not word or word in SHELL_WORDS or word in PURE_COMMANDS:
            continue
        if word == "git" and _git_metadata_only(rec.text):
            continue  # oh-my-zsh's `git rev-parse HEAD` of its own tree (whose files are read)
        if rec.text.split(None, 1)[0] == "exec" and (word in EXEC_SHELLS or word == "tmux"):
            continue  # the shell it execs is traced in turn, with its own inputs
        if word in _SHELLS and _inline_code_is_pure(rec.text):
            continue  # pyenv's init: `bash --norc -ec 'IFS=:; paths=($PATH); ...'`
        files = managers.get(word)
        if files is not None:  # a manager we know (its command or its shell function)
            probed.extend(files())
            continue
        if ("/" not in written and later_functions.get(word, -1) > i) or word in traced:
            continue  # a call of a shell function or a traced script: its body is traced
        runnable = known.get(written)
        if runnable is None:
            runnable = known[written] = _runnable(written, search)  # once per word and trace
        if not runnable:
            probed.extend(where_it_would_be(written))  # no such program yet: it read nothing
            continue
        where = f" ({rec.file}:{rec.line})" if os.path.isabs(rec.file) else ""
        return probed, f"the startup ran {word}{where}, whose reads cannot be followed"
    return list(dict.fromkeys(probed)), None
