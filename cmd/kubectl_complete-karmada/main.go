/*
Copyright 2026 The kubectl-karmada Authors.

Licensed under the Apache License, Version 2.0 (the "License");
you may not use this file except in compliance with the License.
You may obtain a copy of the License at

    http://www.apache.org/licenses/LICENSE-2.0

Unless required by applicable law or agreed to in writing, software
distributed under the License is distributed on an "AS IS" BASIS,
WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
See the License for the specific language governing permissions and
limitations under the License.
*/

// Command kubectl_complete-karmada lets kubectl (1.26 and later) complete
// "kubectl karmada <TAB>": kubectl runs an executable of this name, found
// on PATH, with cobra's "__complete" arguments. It hands them to the
// kubectl-karmada beside it (or on PATH), which answers in cobra's
// protocol: subcommands, flags, cluster names, contexts. Being a separate
// small program keeps the archives from carrying the plugin twice.
package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
)

func main() {
	plugin, err := findPlugin()
	if err != nil {
		// Completion must never print into the user's command line; a
		// message on stderr and no candidates is the polite failure.
		fmt.Fprintln(os.Stderr, "kubectl_complete-karmada:", err)
		os.Exit(1)
	}
	cmd := exec.Command(plugin, os.Args[1:]...) //nolint:gosec // kubectl's completion request, handed to our own plugin
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			os.Exit(exit.ExitCode())
		}
		fmt.Fprintln(os.Stderr, "kubectl_complete-karmada:", err)
		os.Exit(1)
	}
}

// findPlugin prefers the kubectl-karmada installed beside this program
// (krew and the archives put them together), so completion always matches
// the plugin that runs; otherwise the one on PATH.
func findPlugin() (string, error) {
	name := "kubectl-karmada"
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	if self, err := os.Executable(); err == nil {
		if resolved, err := filepath.EvalSymlinks(self); err == nil {
			self = resolved
		}
		beside := filepath.Join(filepath.Dir(self), name)
		if _, err := os.Stat(beside); err == nil {
			return beside, nil
		}
	}
	return exec.LookPath(name)
}
