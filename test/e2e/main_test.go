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

// Package e2e tests kubectl-karmada against real clusters: a control-plane
// API server and member clusters started on this machine by the
// localcluster package. Nothing here talks to a fake.
package e2e

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/go-logr/logr"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/cli-runtime/pkg/genericiooptions"
	"k8s.io/client-go/tools/clientcmd"
	"sigs.k8s.io/controller-runtime/pkg/client"
	ctrllog "sigs.k8s.io/controller-runtime/pkg/log"

	"github.com/kubectl-karmada/kubectl-karmada/internal/pki"
	karmadascheme "github.com/kubectl-karmada/kubectl-karmada/internal/scheme"
	"github.com/kubectl-karmada/kubectl-karmada/plugin/initcmd"
	"github.com/kubectl-karmada/kubectl-karmada/plugin/join"
	"github.com/kubectl-karmada/kubectl-karmada/test/e2e/framework"
	"github.com/kubectl-karmada/kubectl-karmada/test/localcluster"
)

// The clusters every test of this package shares: a control plane and
// three members joined to it, with the controllers running beside them
// as a process of their own. Tests keep to their own namespaces so they do not step on each
// other.
var (
	env          *localcluster.Env
	controlPlane *localcluster.Cluster
	members      = map[string]*localcluster.Cluster{}

	// cp, m1, m2 and m3 are clients of the control plane and the members.
	cp, m1, m2, m3 client.Client
	// fw holds the control plane and member clients for the framework's
	// checks.
	fw *framework.Env

	// stopControllers stops the controllers started by startControllers;
	// controllersProbeAddr serves their /healthz and /readyz.
	stopControllers      func()
	controllersProbeAddr string
	controllersBinary    string
)

// memberOptions are the test members: two zones of us-east and one of
// eu-west; e2e-m1 and e2e-m2 have 2 nodes of 4 cpu each, e2e-m3 has twice
// the cpu, so capacity-aware scheduling has something to tell apart.
var memberOptions = []localcluster.MemberOptions{
	{Name: "e2e-m1", Region: "us-east", Zone: "us-east-1a", Nodes: 2, CPU: "4", Memory: "16Gi", Pods: "110"},
	{Name: "e2e-m2", Region: "us-east", Zone: "us-east-1b", Nodes: 2, CPU: "4", Memory: "16Gi", Pods: "110"},
	{Name: "e2e-m3", Region: "eu-west", Zone: "eu-west-1a", Nodes: 2, CPU: "8", Memory: "16Gi", Pods: "110"},
}

// scheme knows the built-in kinds and ours.
var scheme = karmadascheme.New()

func TestMain(m *testing.M) {
	// The commands run in-process use controller-runtime clients, which
	// warn when no logger is set; they have nothing to log here.
	ctrllog.SetLogger(logr.Discard())
	os.Exit(run(m))
}

func run(m *testing.M) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := setUp(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "setting up the local clusters:", err)
		tearDown()
		return 1
	}
	defer tearDown()
	defer func() { stopControllers() }()
	code := m.Run()
	if code != 0 {
		keepControllersLog()
	}
	return code
}

// keepControllersLog copies the controllers' log out of the work folder,
// which tearDown removes, so a failure can be read after the run.
func keepControllersLog() {
	data, err := os.ReadFile(filepath.Join(env.WorkDir, "controllers.log"))
	if err != nil {
		return
	}
	kept := filepath.Join(os.TempDir(), "kubectl-karmada-e2e-controllers.log")
	if os.WriteFile(kept, data, 0o600) == nil {
		fmt.Fprintln(os.Stderr, "the controllers' log is kept in", kept)
	}
}

func setUp(ctx context.Context) error {
	bin, err := localcluster.EnsureBinaries(ctx)
	if err != nil {
		return err
	}
	env, err = localcluster.NewThrowawayEnv(ctx, filepath.Join(os.TempDir(), "kubectl-karmada-e2e"), bin)
	if err != nil {
		return err
	}
	start := time.Now()
	controlPlane, err = env.StartControlPlane(ctx, localcluster.ControlPlaneOptions{Name: "e2e-cp"})
	if err != nil {
		return err
	}
	if err := initControlPlane(ctx); err != nil {
		return err
	}
	for _, o := range memberOptions {
		m, err := env.StartMember(ctx, o)
		if err != nil {
			return err
		}
		members[o.Name] = m
		if err := joinMember(ctx, o); err != nil {
			return fmt.Errorf("joining %s: %w", o.Name, err)
		}
	}
	fmt.Fprintf(os.Stderr, "local clusters ready in %s (work folder %s)\n", time.Since(start).Round(time.Millisecond), env.WorkDir)
	if cp, err = client.New(controlPlane.Config, client.Options{Scheme: scheme}); err != nil {
		return err
	}
	for name, c := range map[string]*client.Client{"e2e-m1": &m1, "e2e-m2": &m2, "e2e-m3": &m3} {
		if *c, err = client.New(members[name].Config, client.Options{Scheme: scheme}); err != nil {
			return err
		}
	}
	fw = &framework.Env{CP: cp, Members: memberClients()}
	return startControllers()
}

// initControlPlane runs "kubectl karmada init" against the control plane.
func initControlPlane(ctx context.Context) error {
	streams, _, _, _ := genericiooptions.NewTestIOStreams()
	o := &initcmd.Options{ControlPlaneKubeconfig: controlPlane.Kubeconfig, Timeout: time.Minute, IOStreams: streams}
	if err := o.Complete(); err != nil {
		return err
	}
	return o.Run(ctx)
}

// joinMember runs "kubectl karmada join" for one member.
func joinMember(ctx context.Context, m localcluster.MemberOptions) error {
	streams, _, _, _ := genericiooptions.NewTestIOStreams()
	cmd := join.NewCmdJoin("kubectl karmada", controlPlaneFlags(), streams)
	cmd.SetArgs([]string{m.Name, "--cluster-kubeconfig", members[m.Name].Kubeconfig, "--cluster-region", m.Region, "--cluster-zones", m.Zone})
	return cmd.ExecuteContext(ctx)
}

// controlPlaneFlags are kubectl's flags pointing at the control plane, as
// a user's --kubeconfig would.
func controlPlaneFlags() *genericclioptions.ConfigFlags {
	f := genericclioptions.NewConfigFlags(false)
	f.KubeConfig = &controlPlane.Kubeconfig
	return f
}

// startControllers starts the karmada-controllers binary (built once per
// run) against the control plane, as a user runs it locally, with a short
// status period. Its log goes to controllers.log in the work folder.
func startControllers() error {
	if controllersBinary == "" {
		bin, err := localcluster.BuildControllers(env.WorkDir)
		if err != nil {
			return err
		}
		controllersBinary = bin
	}
	addr, err := freePort()
	if err != nil {
		return err
	}
	// The controllers act as the user init gives a role to, so every test
	// also checks that role is enough.
	kubeconfig, err := clientcmd.LoadFromFile(controlPlane.Kubeconfig)
	if err != nil {
		return err
	}
	for _, auth := range kubeconfig.AuthInfos {
		auth.Impersonate = pki.ControllersUser
	}
	asControllers := filepath.Join(env.WorkDir, "controllers.kubeconfig")
	if err := clientcmd.WriteToFile(*kubeconfig, asControllers); err != nil {
		return err
	}
	c, err := localcluster.StartControllers(controllersBinary, asControllers, filepath.Join(env.WorkDir, "controllers.log"), addr,
		"--cluster-status-update-frequency", "2s", "--endpoints-not-ready-timeout", "4s",
		// Every success event, so tests can look for them; the budget
		// that bounds them under a burst is unit-tested.
		"--success-events-qps", "0")
	if err != nil {
		return err
	}
	controllersProbeAddr = addr
	stopControllers = c.Kill
	return nil
}

// freePort returns a loopback address with a port nothing listens on.
func freePort() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

func tearDown() {
	if env == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := env.DeleteAll(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "tearing down the local clusters:", err)
	}
}
