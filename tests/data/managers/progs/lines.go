// Shared by the manager-like test programs (built together with each one's main.go).
package main

import (
	"bufio"
	"fmt"
	"os"
)

// failAs prints "NAME: message" on stderr and exits with code.
func failAs(name string, code int, format string, args ...any) {
	fmt.Fprintf(os.Stderr, name+": "+format+"\n", args...)
	os.Exit(code)
}

// firstMatch is the first non-empty answer of pick over the lines of path ("" if none).
func firstMatch(path string, pick func(line string) string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	scanner := bufio.NewScanner(f)
	for scanner.Scan() {
		if v := pick(scanner.Text()); v != "" {
			return v
		}
	}
	return ""
}
