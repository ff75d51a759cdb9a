// A mise-like program for the tests, built with the real go. Its shims are symlinks to the
// program itself (mise's are): run as `go`, it picks the go version from MISE_GO_VERSION,
// else the nearest mise.toml, .mise.toml or .tool-versions up from the working folder,
// else ~/.config/mise/config.toml; then execs that install's bin/go with GOROOT set to the
// install and GOBIN to its bin folder unless the environment already has a GOBIN (as
// mise's go backend does by default).
package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
)

var tomlGo = regexp.MustCompile(`^\s*go\s*=\s*"([^"]+)"`)

func fail(format string, args ...any) { failAs("mise", 127, format, args...) }

func fromFile(path string) string {
	return firstMatch(path, func(line string) string {
		if strings.HasSuffix(path, ".toml") {
			if m := tomlGo.FindStringSubmatch(line); m != nil {
				return m[1]
			}
			return ""
		}
		if fields := strings.Fields(line); len(fields) >= 2 && fields[0] == "go" {
			return fields[1]
		}
		return ""
	})
}

func version() string {
	if v := os.Getenv("MISE_GO_VERSION"); v != "" {
		return v
	}
	dir, _ := os.Getwd()
	for {
		for _, name := range []string{"mise.toml", ".mise.toml", ".tool-versions"} {
			if v := fromFile(filepath.Join(dir, name)); v != "" {
				return v
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	config := os.Getenv("XDG_CONFIG_HOME")
	if config == "" {
		config = filepath.Join(os.Getenv("HOME"), ".config")
	}
	return fromFile(filepath.Join(config, "mise", "config.toml"))
}

func main() {
	tool := filepath.Base(os.Args[0])
	if tool == "mise" {
		fail("only the shims are implemented here")
	}
	data := os.Getenv("MISE_DATA_DIR")
	if data == "" {
		data = filepath.Join(os.Getenv("HOME"), ".local", "share", "mise")
	}
	v := version()
	if v == "" {
		fail("no version is set for %s", tool)
	}
	install := filepath.Join(data, "installs", "go", v)
	if real, err := filepath.EvalSymlinks(install); err == nil {
		install = real // the tests link an install to a real toolchain: GOROOT is that tree
	}
	env := []string{}
	for _, item := range os.Environ() {
		if !strings.HasPrefix(item, "GOROOT=") {
			env = append(env, item)
		}
	}
	if _, set := os.LookupEnv("GOBIN"); !set {
		env = append(env, "GOBIN="+filepath.Join(install, "bin"))
	}
	env = append(env, "GOROOT="+install)
	target := filepath.Join(install, "bin", tool)
	if err := syscall.Exec(target, append([]string{target}, os.Args[1:]...), env); err != nil {
		fail("cannot run %s: %v", target, err)
	}
}
