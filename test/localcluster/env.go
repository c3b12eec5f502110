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

// Package localcluster starts and stops real Kubernetes clusters on this
// machine, without Docker: kwokctl's binary runtime runs upstream etcd,
// kube-apiserver, kube-controller-manager and (for members) kube-scheduler
// and the kwok controller as local processes, and kwok plays the kubelet
// for fake nodes. Pods on those nodes get IPs, become Ready and fill
// EndpointSlices, so status, scheduling and service discovery behave as in
// a real cluster; only no container runs.
//
// An Env keeps everything it makes in one work folder of its own (kwok's
// state, logs and one kubeconfig per cluster) and never touches
// ~/.kube/config or ~/.kwok.
//
// Where real containers are needed, a KindEnv (kind.go) makes kind
// clusters from a node image built offline; both hand out the same Cluster,
// so kubeconfigs, clients and WriteKubeconfig work alike on either.
package localcluster

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
)

// Env creates clusters that share one work folder and one set of binaries.
type Env struct {
	// BinDir holds the upstream binaries (see EnsureBinaries).
	BinDir string
	// WorkDir holds kwok's state and the per-cluster kubeconfigs.
	WorkDir string
}

// Cluster is one running local cluster, of an Env or a KindEnv.
type Cluster struct {
	// Name is the cluster's name, unique within its environment.
	Name string
	// Kubeconfig is the path of a kubeconfig holding only this cluster
	// (kwokctl's context "kwok-<Name>", or kind's "kind-<Name>").
	Kubeconfig string
	// Config reaches the cluster's API server as its administrator.
	Config *rest.Config

	// env is the kwok environment, for Stop, Start and PID; nil for a
	// kind cluster.
	env *Env
}

// NewEnv returns an Env that keeps its files in workDir (created if needed)
// and runs the binaries in binDir.
func NewEnv(binDir, workDir string) (*Env, error) {
	if err := checkBinaries(binDir); err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(workDir)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Join(abs, "kubeconfigs"), 0o700); err != nil {
		return nil, err
	}
	return &Env{BinDir: binDir, WorkDir: abs}, nil
}

// ControlPlaneOptions shape a control-plane cluster.
type ControlPlaneOptions struct {
	// Name of the cluster.
	Name string
}

// StartControlPlane creates a control-plane-only cluster, like Karmada's
// own: etcd, kube-apiserver and a kube-controller-manager that runs only
// the namespace and garbage-collector controllers. It has no scheduler, no
// kwok controller and no nodes, so a Deployment there is a template that
// never gets pods. Starting a cluster that already runs returns it as is.
func (e *Env) StartControlPlane(ctx context.Context, o ControlPlaneOptions) (*Cluster, error) {
	return e.start(ctx, o.Name,
		"--disable", "kube-scheduler",
		"--disable", "kwok-controller",
		"--extra-args", "kube-controller-manager=controllers=namespace,garbagecollector",
		// As Karmada's: templates need no ServiceAccount to exist.
		"--extra-args", "kube-apiserver=disable-admission-plugins=ServiceAccount",
	)
}

// StartMember creates a member cluster with fake nodes (see MemberOptions).
// Starting a member that already runs makes sure its nodes exist.
func (e *Env) StartMember(ctx context.Context, o MemberOptions) (*Cluster, error) {
	if err := o.validate(); err != nil {
		return nil, err
	}
	c, err := e.start(ctx, o.Name)
	if err != nil {
		return nil, err
	}
	if err := c.ensureNodes(ctx, o); err != nil {
		return nil, fmt.Errorf("creating the nodes of %s: %w", o.Name, err)
	}
	return c, nil
}

func (e *Env) start(ctx context.Context, name string, extra ...string) (*Cluster, error) {
	if errs := validation.IsDNS1123Label(name); len(errs) > 0 {
		return nil, fmt.Errorf("cluster name %q: %s", name, strings.Join(errs, "; "))
	}
	kubeconfig := filepath.Join(e.WorkDir, "kubeconfigs", name+".yaml")
	running, err := e.running(ctx)
	if err != nil {
		return nil, err
	}
	if !running[name] {
		args := append([]string{
			"create", "cluster",
			"--name", name,
			"--runtime", "binary",
			"--kubeconfig", kubeconfig,
			"--wait", "1m",
			"--etcd-binary", e.bin("etcd"),
			"--kube-apiserver-binary", e.bin("kube-apiserver"),
			"--kube-controller-manager-binary", e.bin("kube-controller-manager"),
			"--kube-scheduler-binary", e.bin("kube-scheduler"),
			"--kwok-controller-binary", e.bin("kwok"),
		}, extra...)
		// kwokctl picks free ports when it starts; two environments
		// starting clusters at the same moment (make test runs packages
		// side by side) can pick the same one, and the second cluster may
		// then even pass its wait by answering from the first's port. One
		// creation at a time on this machine: the ports one picks are
		// bound before the next picks. One retry on fresh ports remains
		// for a port some other program took.
		unlock, err := lockCreation()
		if err != nil {
			return nil, err
		}
		defer unlock()
		for attempt := 0; attempt < 2; attempt++ {
			if _, err = e.kwokctl(ctx, args...); err == nil {
				break
			}
			// A half-made cluster would make the next attempt fail too.
			_, _ = e.kwokctl(context.WithoutCancel(ctx), "delete", "cluster", "--name", name)
		}
		if err != nil {
			return nil, fmt.Errorf("creating cluster %s: %w", name, err)
		}
	} else if _, err := os.Stat(kubeconfig); err != nil {
		// It runs but lost its kubeconfig: ask kwokctl for it again.
		out, err := e.kwokctl(ctx, "get", "kubeconfig", "--name", name)
		if err != nil {
			return nil, err
		}
		if err := os.WriteFile(kubeconfig, out, 0o600); err != nil {
			return nil, err
		}
	}
	return newCluster(name, kubeconfig, e)
}

// newCluster reads a cluster's kubeconfig into a Cluster; env is nil for a
// kind cluster.
func newCluster(name, kubeconfig string, env *Env) (*Cluster, error) {
	cfg, err := clientcmd.BuildConfigFromFlags("", kubeconfig)
	if err != nil {
		return nil, fmt.Errorf("reading the kubeconfig of %s: %w", name, err)
	}
	// Tests and local-up create objects in bursts; the defaults (5 QPS)
	// would make them wait on the client, not on the server.
	cfg.QPS, cfg.Burst = 200, 400
	return &Cluster{Name: name, Kubeconfig: kubeconfig, Config: cfg, env: env}, nil
}

// Names lists the clusters that exist in the work folder, running or not.
func (e *Env) Names(ctx context.Context) ([]string, error) {
	running, err := e.running(ctx)
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(running))
	for n := range running {
		names = append(names, n)
	}
	sort.Strings(names)
	return names, nil
}

func (e *Env) running(ctx context.Context) (map[string]bool, error) {
	out, err := e.kwokctl(ctx, "get", "clusters")
	if err != nil {
		return nil, err
	}
	found := map[string]bool{}
	for _, line := range strings.Fields(string(out)) {
		found[line] = true
	}
	return found, nil
}

// Delete stops a cluster's processes and removes its files.
func (e *Env) Delete(ctx context.Context, name string) error {
	_, err := e.kwokctl(ctx, "delete", "cluster", "--name", name)
	_ = os.Remove(filepath.Join(e.WorkDir, "kubeconfigs", name+".yaml"))
	return err
}

// DeleteAll deletes every cluster of the work folder, also ones this Env did
// not start, and then removes the work folder.
func (e *Env) DeleteAll(ctx context.Context) error {
	names, err := e.Names(ctx)
	if err != nil {
		return err
	}
	var errs []error
	for _, n := range names {
		errs = append(errs, e.Delete(ctx, n))
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	return os.RemoveAll(e.WorkDir)
}

// Stop stops every process of the cluster but keeps its state, as when a
// member's API server goes down. Start brings it back.
func (c *Cluster) Stop(ctx context.Context) error {
	if c.env == nil {
		return errNotKwok(c)
	}
	_, err := c.env.kwokctl(ctx, "stop", "cluster", "--name", c.Name)
	return err
}

// Start starts a stopped cluster again and waits for its API server.
func (c *Cluster) Start(ctx context.Context) error {
	if c.env == nil {
		return errNotKwok(c)
	}
	if _, err := c.env.kwokctl(ctx, "start", "cluster", "--name", c.Name, "--wait", "2m"); err != nil {
		return err
	}
	return nil
}

// PID returns the process ID of one component of the cluster, such as
// "kube-apiserver", for measurements.
func (c *Cluster) PID(component string) (int, error) {
	if c.env == nil {
		return 0, errNotKwok(c)
	}
	data, err := os.ReadFile(filepath.Join(c.env.WorkDir, "kwok", "clusters", c.Name, "pids", component+".pid"))
	if err != nil {
		return 0, err
	}
	return strconv.Atoi(strings.TrimSpace(string(data)))
}

// errNotKwok is what the process-level operations return for a cluster
// that does not run as local processes (a kind cluster, or one made by
// hand from a kubeconfig).
func errNotKwok(c *Cluster) error {
	return fmt.Errorf("cluster %s does not run as local processes", c.Name)
}

func (e *Env) bin(name string) string { return filepath.Join(e.BinDir, name) }

// kwokctl runs kwokctl with its state kept in our work folder.
func (e *Env) kwokctl(ctx context.Context, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, e.bin("kwokctl"), args...)
	// kwokctl runs kubectl to wait for the API server: give it ours, so a
	// machine without kubectl (or with another version) works the same.
	cmd.Env = append(os.Environ(),
		"KWOK_WORKDIR="+filepath.Join(e.WorkDir, "kwok"),
		"PATH="+e.BinDir+string(os.PathListSeparator)+os.Getenv("PATH"))
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("kwokctl %s: %w: %s", strings.Join(args, " "), err, lastLines(stderr.String(), 15))
	}
	return stdout.Bytes(), nil
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// lockCreation takes a lock that every process of this project holds
// while it creates a kwok cluster, and returns its release.
func lockCreation() (func(), error) {
	f, err := os.OpenFile(filepath.Join(os.TempDir(), "kubectl-karmada-kwokctl-create.lock"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("waiting for another cluster's creation: %w", err)
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		_ = f.Close()
	}, nil
}
