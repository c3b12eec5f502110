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

// Command runcwrap is an OCI runtime for dockerd that stands in front of
// runc on machines whose processes lack some capabilities. Docker asks runc
// for every capability when a container is --privileged (kind's nodes are);
// runc then fails with "unable to apply caps: operation not permitted" when
// the machine withholds one of them. runcwrap removes, from the container's
// OCI config, exactly the capabilities its own bounding set lacks, and then
// runs runc with the arguments it was given. Everything else is untouched.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// runc is the real runtime; RUNCWRAP_RUNC overrides it for tests.
const runc = "/usr/sbin/runc"

func main() {
	real := runc
	if p := os.Getenv("RUNCWRAP_RUNC"); p != "" {
		real = p
	}
	if err := filter(os.Args[1:]); err != nil {
		fmt.Fprintf(os.Stderr, "runcwrap: %v\n", err)
		os.Exit(1)
	}
	args := append([]string{real}, os.Args[1:]...)
	if err := syscall.Exec(real, args, os.Environ()); err != nil {
		fmt.Fprintf(os.Stderr, "runcwrap: running %s: %v\n", real, err)
		os.Exit(1)
	}
}

// filter rewrites the OCI file named by the arguments, if any: the bundle's
// config.json on create and run, the process file on exec.
func filter(args []string) error {
	missing, err := missingCaps()
	if err != nil || len(missing) == 0 {
		return err
	}
	return filterWith(args, missing)
}

// filterWith removes the missing capabilities from the OCI file the runc
// arguments name.
func filterWith(args []string, missing map[string]bool) error {
	var command, bundle, process string
	for i := 0; i < len(args); i++ {
		a := args[i]
		value := func(flag string) (string, bool) {
			if a == flag && i+1 < len(args) {
				i++
				return args[i], true
			}
			if v, ok := strings.CutPrefix(a, flag+"="); ok {
				return v, true
			}
			return "", false
		}
		if v, ok := value("--bundle"); ok {
			bundle = v
		} else if v, ok := value("-b"); ok {
			bundle = v
		} else if v, ok := value("--process"); ok {
			process = v
		} else if v, ok := value("-p"); ok {
			process = v
		} else if command == "" && (a == "create" || a == "run" || a == "exec") {
			// The first of these is the command: global flags before it
			// take values (--root DIR, --log FILE) that are never one of
			// these words.
			command = a
		}
	}
	switch {
	case (command == "create" || command == "run") && bundle != "":
		return rewrite(filepath.Join(bundle, "config.json"), missing, func(doc map[string]any) map[string]any {
			p, _ := doc["process"].(map[string]any)
			return p
		})
	case command == "exec" && process != "":
		return rewrite(process, missing, func(doc map[string]any) map[string]any { return doc })
	}
	return nil
}

// rewrite drops the missing capabilities from every list in the process
// object that find returns, keeping every other field as it was.
func rewrite(path string, missing map[string]bool, find func(map[string]any) map[string]any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		return fmt.Errorf("reading %s: %w", path, err)
	}
	proc := find(doc)
	caps, _ := proc["capabilities"].(map[string]any)
	if caps == nil {
		return nil
	}
	for set, v := range caps {
		list, _ := v.([]any)
		kept := list[:0]
		for _, c := range list {
			if name, _ := c.(string); !missing[name] {
				kept = append(kept, c)
			}
		}
		caps[set] = kept
	}
	out, err := json.Marshal(doc)
	if err != nil {
		return err
	}
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	return os.WriteFile(path, out, info.Mode().Perm())
}

// missingCaps names the capabilities the kernel knows that this process's
// bounding set lacks.
func missingCaps() (map[string]bool, error) {
	bnd, err := boundingSet()
	if err != nil {
		return nil, err
	}
	last := len(capNames) - 1
	if b, err := os.ReadFile("/proc/sys/kernel/cap_last_cap"); err == nil {
		if n, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && n < last {
			last = n
		}
	}
	missing := map[string]bool{}
	for i := 0; i <= last; i++ {
		if bnd&(1<<uint(i)) == 0 {
			missing[capNames[i]] = true
		}
	}
	return missing, nil
}

func boundingSet() (uint64, error) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, err
	}
	defer func() { _ = f.Close() }()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if v, ok := strings.CutPrefix(s.Text(), "CapBnd:"); ok {
			return strconv.ParseUint(strings.TrimSpace(v), 16, 64)
		}
	}
	return 0, fmt.Errorf("no CapBnd in /proc/self/status")
}

// capNames are the Linux capabilities by number (linux/capability.h).
var capNames = []string{
	"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER",
	"CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP",
	"CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST",
	"CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER",
	"CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE",
	"CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE",
	"CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD",
	"CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP",
	"CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM",
	"CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
	"CAP_CHECKPOINT_RESTORE",
}
