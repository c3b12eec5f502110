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

// Package controllers is the middle layer of the tests: each controller's
// reconciler runs in-process, called directly, against one real
// control-plane API server (etcd and kube-apiserver from test/localcluster,
// with our CRDs), with no manager, no other controller and no member. Faster
// than the end-to-end tests and closer to the truth than fakes: the API
// server's validation, defaulting, finalizers and status subresources are
// real.
package controllers

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/go-logr/logr"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/cli-runtime/pkg/genericiooptions"
	"k8s.io/utils/ptr"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/config"
	ctrllog "sigs.k8s.io/controller-runtime/pkg/log"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	"github.com/kubectl-karmada/kubectl-karmada/api/crds"
	"github.com/kubectl-karmada/kubectl-karmada/internal/crdinstall"
	"github.com/kubectl-karmada/kubectl-karmada/internal/names"
	"github.com/kubectl-karmada/kubectl-karmada/internal/scheme"
	"github.com/kubectl-karmada/kubectl-karmada/plugin/join"
	"github.com/kubectl-karmada/kubectl-karmada/test/localcluster"
)

// cp is a client of the control plane every test shares.
var (
	cp    client.Client
	plane *localcluster.Cluster
	env   *localcluster.Env
)

func TestMain(m *testing.M) {
	ctrllog.SetLogger(logr.Discard())
	os.Exit(run(m))
}

func run(m *testing.M) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	bin, err := localcluster.EnsureBinaries(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	env, err = localcluster.NewThrowawayEnv(ctx, filepath.Join(os.TempDir(), "kubectl-karmada-controllers-test"), bin)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		_ = env.DeleteAll(ctx)
	}()
	start := time.Now()
	plane, err = env.StartControlPlane(ctx, localcluster.ControlPlaneOptions{Name: "ctl-cp"})
	if err != nil {
		fmt.Fprintln(os.Stderr, "starting the control plane:", err)
		return 1
	}
	all, err := crds.ControlPlane()
	if err == nil {
		_, err = crdinstall.Apply(ctx, plane.Config, all, time.Minute)
	}
	if err == nil {
		cp, err = client.New(plane.Config, client.Options{Scheme: scheme.New()})
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "preparing the control plane:", err)
		return 1
	}
	fmt.Fprintf(os.Stderr, "control plane ready in %s\n", time.Since(start).Round(time.Millisecond))
	return m.Run()
}

// runAlone runs the controllers setup registers, alone, in a manager of
// their own against the control plane, until the test ends.
func runAlone(t *testing.T, setup func(mgr ctrl.Manager) error) {
	t.Helper()
	mgr, err := ctrl.NewManager(plane.Config, ctrl.Options{
		Scheme:  scheme.New(),
		Metrics: metricsserver.Options{BindAddress: "0"},
		Client:  client.Options{Cache: &client.CacheOptions{Unstructured: true}},
		// Two tests may run the same controller, each in its own manager.
		Controller: config.Controller{SkipNameValidation: ptr.To(true)},
	})
	require.NoError(t, err)
	require.NoError(t, setup(mgr))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- mgr.Start(ctx) }()
	t.Cleanup(func() {
		cancel()
		require.NoError(t, <-done)
	})
}

// theMember is the one member cluster, started and joined (as join does)
// by the first test that asks for it: most tests need none.
var theMember = sync.OnceValues(func() (*localcluster.Cluster, error) {
	ctx := context.Background()
	opts := localcluster.MemberOptions{Name: "ctl-m1", Nodes: 1, CPU: "8", Memory: "32Gi", Pods: "110"}
	m, err := env.StartMember(ctx, opts)
	if err != nil {
		// make test runs this package beside the end-to-end tests, which
		// start their own clusters at the same time on the same cores; a
		// member that came up broken (its node never Ready) is made
		// again, once.
		fmt.Fprintln(os.Stderr, "starting the member again after:", err)
		if err := env.Delete(ctx, opts.Name); err != nil {
			return nil, err
		}
		if m, err = env.StartMember(ctx, opts); err != nil {
			return nil, err
		}
	}
	if err := client.IgnoreAlreadyExists(cp.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: names.ClusterNamespace}})); err != nil {
		return nil, err
	}
	streams, _, _, _ := genericiooptions.NewTestIOStreams()
	flags := genericclioptions.NewConfigFlags(false)
	flags.KubeConfig = &plane.Kubeconfig
	cmd := join.NewCmdJoin("kubectl karmada", flags, streams)
	cmd.SetArgs([]string{memberName, "--cluster-kubeconfig", m.Kubeconfig})
	if err := cmd.ExecuteContext(ctx); err != nil {
		return nil, fmt.Errorf("joining the member: %w", err)
	}
	return m, nil
})

// memberName is the name theMember is joined as.
const memberName = "cm1"

// memberClient returns an administrator's client of theMember.
func memberClient(t *testing.T) client.Client {
	t.Helper()
	m, err := theMember()
	require.NoError(t, err)
	c, err := client.New(m.Config, client.Options{Scheme: scheme.New()})
	require.NoError(t, err)
	return c
}
