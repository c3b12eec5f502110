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

package localcluster

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// BinaryNames are the upstream programs a local cluster runs.
var BinaryNames = []string{"etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok", "kwokctl", "kubectl"}

// EnvBinDir names the variable that points at a folder holding every
// binary of BinaryNames; when it is unset, EnsureBinaries builds them.
const EnvBinDir = "KARMADA_LOCAL_BIN"

// EnsureBinaries returns the folder holding the upstream binaries. It runs
// test/tools/install.sh, which builds them from the Go module proxy on first
// use and afterwards only prints the cache folder.
func EnsureBinaries(ctx context.Context) (string, error) {
	if dir := os.Getenv(EnvBinDir); dir != "" {
		return dir, checkBinaries(dir)
	}
	script := filepath.Join(repoRoot(), "test", "tools", "install.sh")
	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, "bash", script)
	cmd.Stdout = &out
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("building the local cluster binaries with %s: %w", script, err)
	}
	dir := strings.TrimSpace(out.String())
	return dir, checkBinaries(dir)
}

func checkBinaries(dir string) error {
	for _, name := range BinaryNames {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			return fmt.Errorf("%s is missing from %s (run test/tools/install.sh): %w", name, dir, err)
		}
	}
	return nil
}

// repoRoot is the module root, found from this file's path so that tests of
// any package, and the local-up command, find the tools script.
func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}
