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
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// Controllers is a karmada-controllers process started against a control
// plane, as a user runs it locally.
type Controllers struct {
	cmd *exec.Cmd
	log *os.File
}

// BuildControllers builds cmd/karmada-controllers into dir and returns the
// binary's path.
func BuildControllers(dir string) (string, error) {
	bin := filepath.Join(dir, "karmada-controllers")
	// Built as make build and the image build it, so that what is
	// measured is what ships.
	build := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", bin, "github.com/kubectl-karmada/kubectl-karmada/cmd/karmada-controllers")
	build.Dir = repoRoot()
	if out, err := build.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building the controllers: %w: %s", err, out)
	}
	return bin, nil
}

// StartControllers starts binary against the control plane of kubeconfig,
// logging to logPath, with extra flags. The process dies with ours.
func StartControllers(binary, kubeconfig, logPath, probeAddr string, extra ...string) (*Controllers, error) {
	logFile, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, err
	}
	// One process per environment, killed and restarted by the tests as a
	// crash would: an election would only make each restart wait for the
	// lease. extra may turn it back on.
	args := append([]string{"--kubeconfig", kubeconfig, "--metrics-bind-address", "0", "--health-probe-bind-address", probeAddr, "--leader-elect=false"}, extra...)
	cmd := exec.Command(binary, args...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		_ = logFile.Close()
		return nil, err
	}
	return &Controllers{cmd: cmd, log: logFile}, nil
}

// PID of the process.
func (c *Controllers) PID() int { return c.cmd.Process.Pid }

// Terminate asks the process to stop, as a rolling restart does (SIGTERM),
// and waits for it.
func (c *Controllers) Terminate() error {
	if err := c.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return err
	}
	err := c.cmd.Wait()
	_ = c.log.Close()
	return err
}

// Kill stops the process at once, as a crash would, and waits for it.
func (c *Controllers) Kill() {
	_ = c.cmd.Process.Kill()
	_ = c.cmd.Wait()
	_ = c.log.Close()
}

// clockTicks is how many ticks /proc counts per second: USER_HZ, which
// Linux keeps at 100 for user space whatever the kernel's own tick rate.
const clockTicks = 100

// CPUSeconds is the CPU time a process used so far (user and system).
func CPUSeconds(pid int) (float64, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// Fields after the command name, which is in parentheses and may hold spaces.
	fields := strings.Fields(string(data[strings.LastIndexByte(string(data), ')')+2:]))
	utime, err := strconv.ParseFloat(fields[11], 64)
	if err != nil {
		return 0, err
	}
	stime, err := strconv.ParseFloat(fields[12], 64)
	if err != nil {
		return 0, err
	}
	return (utime + stime) / clockTicks, nil
}

// Memory is a process's resident memory, in MB.
type Memory struct {
	// RSS is all of it now, Peak the most it ever was.
	RSS, Peak float64
	// Anon is the part the process allocated (heap, stacks); File the
	// part mapped from files, mostly the binary's own code.
	Anon, File float64
}

// MemoryMB reads a process's resident memory.
func MemoryMB(pid int) (Memory, error) {
	var m Memory
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return m, err
	}
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseFloat(f[1], 64)
		switch f[0] {
		case "VmRSS:":
			m.RSS = kb / 1024
		case "VmHWM:":
			m.Peak = kb / 1024
		case "RssAnon:":
			m.Anon = kb / 1024
		case "RssFile:":
			m.File = kb / 1024
		}
	}
	return m, nil
}

// MachineCPUSeconds returns the CPU time every core of the machine has
// spent busy (not idle nor waiting for I/O) since boot.
func MachineCPUSeconds() (float64, error) {
	data, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, err
	}
	line, _, _ := strings.Cut(string(data), "\n")
	fields := strings.Fields(line)
	if len(fields) < 8 || fields[0] != "cpu" {
		return 0, fmt.Errorf("unexpected /proc/stat: %q", line)
	}
	var busy float64
	for i, f := range fields[1:] {
		if i == 3 || i == 4 { // idle, iowait
			continue
		}
		v, err := strconv.ParseFloat(f, 64)
		if err != nil {
			return 0, err
		}
		busy += v
	}
	return busy / clockTicks, nil
}
