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

package e2e

import (
	"bytes"
	"context"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/stretchr/testify/require"
	"sigs.k8s.io/controller-runtime/pkg/client"

	clusterv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/cluster/v1alpha1"
	"github.com/kubectl-karmada/kubectl-karmada/test/e2e/framework"
	"github.com/kubectl-karmada/kubectl-karmada/tui"
)

// screenShows waits until the TUI has drawn all of texts (styles removed).
func screenShows(t *testing.T, tm *teatest.TestModel, texts ...string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		plain := []byte(ansi.Strip(string(b)))
		for _, text := range texts {
			if !bytes.Contains(plain, []byte(text)) {
				return false
			}
		}
		return true
	}, teatest.WithDuration(time.Minute), teatest.WithCheckInterval(100*time.Millisecond))
}

// TestTUIFollowsTheControlPlane runs the TUI on the control plane: scaling
// the template shows the new per-cluster replicas, and cordoning a cluster
// from the TUI taints the Cluster object.
func TestTUIFollowsTheControlPlane(t *testing.T) {
	ns := framework.TestNamespace(t, cp, "tui")
	require.NoError(t, cp.Create(t.Context(), framework.Nginx(ns, "web", 2)))
	require.NoError(t, cp.Create(t.Context(), framework.Policy(ns, "web", []string{"e2e-m1"}, nil)))
	t.Cleanup(func() { _, _ = karmada(t, "uncordon", "e2e-m2") })

	model := tui.New(tui.Options{Actions: tui.ClientActions{Client: cp}, View: "workloads"})
	tm := teatest.NewTestModel(t, model, teatest.WithInitialTermSize(160, 40))
	ctx, cancel := context.WithCancel(context.WithoutCancel(t.Context()))
	defer cancel()
	source := &tui.Source{Config: controlPlane.Config, Client: cp, Interval: 100 * time.Millisecond, ServicesInterval: 5 * time.Second}
	go func() { _ = source.Run(ctx, tm.Send) }()

	screenShows(t, tm, "deployment/"+ns+"/web", "e2e-m1 ▰▰▰ 2/2")
	fw.Scale(t, ns, "web", 3)
	screenShows(t, tm, "e2e-m1 ▰▰▰ 3/3")

	// Cordon e2e-m2 from the clusters view: filter to it, c, confirm.
	tm.Type("1/e2e-m2")
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	tm.Type("c")
	screenShows(t, tm, "Cordon cluster e2e-m2? (y/n)")
	tm.Type("y")
	framework.Eventually(t, 30*time.Second, func(ctx context.Context) (bool, string) {
		c := &clusterv1alpha1.Cluster{}
		if err := cp.Get(ctx, client.ObjectKey{Name: "e2e-m2"}, c); err != nil {
			return false, err.Error()
		}
		for _, taint := range c.Spec.Taints {
			if taint.Key == clusterv1alpha1.TaintClusterUnscheduled {
				return true, ""
			}
		}
		return false, "not tainted yet"
	})
	screenShows(t, tm, "CORDONED")

	require.NoError(t, tm.Quit())
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
}
