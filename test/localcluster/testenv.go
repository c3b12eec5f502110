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
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// ownerFile records, in a throw-away work folder, the process that owns it.
const ownerFile = "owner.pid"

// NewThrowawayEnv returns an Env in a new folder under root (one folder per
// call) for tests. Before that it removes the clusters and folders that
// earlier runs left under root when their process died. It also starts a
// reaper: a small detached process that waits for this process to end and
// then deletes every cluster of the new Env, so nothing is left behind even
// when a test binary is killed or times out. Close still cleans up at once.
func NewThrowawayEnv(ctx context.Context, root, binDir string) (*Env, error) {
	if err := os.MkdirAll(root, 0o700); err != nil {
		return nil, err
	}
	reapStale(ctx, root, binDir)
	dir, err := os.MkdirTemp(root, "run-")
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, ownerFile), []byte(strconv.Itoa(os.Getpid())), 0o600); err != nil {
		return nil, err
	}
	env, err := NewEnv(binDir, dir)
	if err != nil {
		return nil, err
	}
	if err := env.startReaper(); err != nil {
		return nil, fmt.Errorf("starting the reaper: %w", err)
	}
	return env, nil
}

// startReaper starts "sh" in its own process group (so a Ctrl-C aimed at
// the test run does not reach it) to wait for us and then clean up.
func (e *Env) startReaper() error {
	script := fmt.Sprintf(`
while kill -0 %d 2>/dev/null; do sleep 1; done
export KWOK_WORKDIR=%q
for c in $(%q get clusters 2>/dev/null); do %q delete cluster --name "$c" >/dev/null 2>&1; done
rm -rf %q
`, os.Getpid(), filepath.Join(e.WorkDir, "kwok"), e.bin("kwokctl"), e.bin("kwokctl"), e.WorkDir)
	cmd := exec.Command("sh", "-c", script)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return err
	}
	// Release it: it must outlive us, and we never wait for it.
	return cmd.Process.Release()
}

// reapStale deletes the clusters of work folders under root whose owner
// process no longer runs.
func reapStale(ctx context.Context, root, binDir string) {
	entries, err := os.ReadDir(root)
	if err != nil {
		return
	}
	for _, entry := range entries {
		dir := filepath.Join(root, entry.Name())
		data, err := os.ReadFile(filepath.Join(dir, ownerFile))
		if err != nil {
			continue
		}
		pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
		if err != nil || processAlive(pid) {
			continue
		}
		if stale, err := NewEnv(binDir, dir); err == nil {
			_ = stale.DeleteAll(ctx)
		}
		_ = os.RemoveAll(dir)
	}
}

func processAlive(pid int) bool {
	return syscall.Kill(pid, 0) == nil
}
