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
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/kubectl-karmada/kubectl-karmada/api/crds"
	"github.com/kubectl-karmada/kubectl-karmada/internal/crdinstall"
	karmadascheme "github.com/kubectl-karmada/kubectl-karmada/internal/scheme"
	"github.com/kubectl-karmada/kubectl-karmada/test/localcluster"
)

// The clusters every test of this package shares. Tests keep to their own
// namespaces so they do not step on each other.
var (
	env          *localcluster.Env
	controlPlane *localcluster.Cluster
	member1      *localcluster.Cluster

	// cp and m1 are clients of the control plane and of member1.
	cp, m1 client.Client
)

// scheme knows the built-in kinds and ours.
var scheme = karmadascheme.New()

func TestMain(m *testing.M) {
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
	return m.Run()
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
	all, err := crds.ControlPlane()
	if err != nil {
		return err
	}
	if _, err := crdinstall.Apply(ctx, controlPlane.Config, all, time.Minute); err != nil {
		return err
	}
	member1, err = env.StartMember(ctx, localcluster.MemberOptions{
		Name: "e2e-m1", Region: "us-east", Zone: "us-east-1a", Nodes: 2, CPU: "4", Memory: "16Gi", Pods: "110",
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "local clusters ready in %s (work folder %s)\n", time.Since(start).Round(time.Millisecond), env.WorkDir)
	if cp, err = client.New(controlPlane.Config, client.Options{Scheme: scheme}); err != nil {
		return err
	}
	m1, err = client.New(member1.Config, client.Options{Scheme: scheme})
	return err
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
