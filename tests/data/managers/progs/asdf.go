// An asdf-like `asdf exec TOOL ARGS...`, built with the real go for the tests: a compiled
// program (as asdf >= 0.16 is) that picks the golang version from ASDF_GOLANG_VERSION or a
// .tool-versions with a golang line (the working folder up to /, then $HOME; with
// `legacy_version_file = yes` in ~/.asdfrc a folder's .go-version counts after its
// .tool-versions), sources the plugin's exec-env in
// `bash -c` with the inherited environment plus ASDF_INSTALL_*, reads `env -0` back and
// execs the tool of that install with what the callback exported.
package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
)

func fail(format string, args ...any) { failAs("asdf", 126, format, args...) }

func fromFile(path string) string {
	return firstMatch(path, func(line string) string {
		if fields := strings.Fields(line); len(fields) >= 2 && fields[0] == "golang" {
			return fields[1]
		}
		return ""
	})
}

func firstLine(path string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	return strings.TrimSpace(strings.SplitN(string(data), "\n", 2)[0])
}

func legacyEnabled() bool {
	rc := os.Getenv("ASDF_CONFIG_FILE")
	if rc == "" {
		rc = filepath.Join(os.Getenv("HOME"), ".asdfrc")
	}
	data, _ := os.ReadFile(rc)
	for _, line := range strings.Split(string(data), "\n") {
		key, value, found := strings.Cut(line, "=")
		if found && strings.TrimSpace(key) == "legacy_version_file" {
			return strings.TrimSpace(value) == "yes"
		}
	}
	return false
}

func version() string {
	if v := os.Getenv("ASDF_GOLANG_VERSION"); v != "" {
		return v
	}
	legacy := legacyEnabled()
	dir, _ := os.Getwd()
	for {
		if v := fromFile(filepath.Join(dir, ".tool-versions")); v != "" {
			return v
		}
		if v := firstLine(filepath.Join(dir, ".go-version")); legacy && v != "" {
			return v
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	return fromFile(filepath.Join(os.Getenv("HOME"), ".tool-versions"))
}

func main() {
	if len(os.Args) < 3 || os.Args[1] != "exec" {
		fail("usage: asdf exec TOOL ARGS...")
	}
	data := os.Getenv("ASDF_DATA_DIR")
	if data == "" {
		data = filepath.Join(os.Getenv("HOME"), ".asdf")
	}
	v := version()
	if v == "" {
		fail("No version is set for command %s", os.Args[2])
	}
	install := filepath.Join(data, "installs", "golang", v)
	extra := []string{"ASDF_INSTALL_TYPE=version", "ASDF_INSTALL_VERSION=" + v, "ASDF_INSTALL_PATH=" + install}
	env := append(os.Environ(), extra...)
	callback := filepath.Join(data, "plugins", "golang", "bin", "exec-env")
	if _, err := os.Stat(callback); err == nil {
		cmd := exec.Command("bash", "-c", fmt.Sprintf("fn() { . %q; env -0; }; fn", callback))
		cmd.Env = env
		cmd.Stderr = os.Stderr
		out, err := cmd.Output()
		if err != nil {
			fail("exec-env failed: %v", err)
		}
		env = env[:0]
		for _, item := range strings.Split(string(out), "\x00") {
			if item != "" {
				env = append(env, item)
			}
		}
	}
	tool := filepath.Join(install, "go", "bin", os.Args[2])
	if err := syscall.Exec(tool, append([]string{tool}, os.Args[3:]...), env); err != nil {
		fail("cannot run %s: %v", tool, err)
	}
}
