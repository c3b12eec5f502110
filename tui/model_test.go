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

package tui

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	eventsv1 "k8s.io/api/events/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/utils/ptr"

	clusterv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/cluster/v1alpha1"
	policyv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/policy/v1alpha1"
	workv1alpha2 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha2"
	"github.com/kubectl-karmada/kubectl-karmada/internal/names"
	"github.com/kubectl-karmada/kubectl-karmada/internal/servicesummary"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// now is the fixed clock of every test.
var now = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

func ago(d time.Duration) metav1.Time { return metav1.NewTime(now.Add(-d)) }

func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii)
	os.Exit(m.Run())
}

func cluster(name, region, zone string, ready bool, cpuUsed string) clusterv1alpha1.Cluster {
	c := clusterv1alpha1.Cluster{ObjectMeta: metav1.ObjectMeta{Name: name}}
	c.Spec.SyncMode, c.Spec.Region, c.Spec.Zones = clusterv1alpha1.Push, region, []string{zone}
	status := metav1.ConditionTrue
	if !ready {
		status = metav1.ConditionFalse
	}
	c.Status.Conditions = []metav1.Condition{{Type: "Ready", Status: status, Reason: "ClusterReady", LastTransitionTime: ago(5 * time.Minute)}}
	c.Status.KubernetesVersion = "v1.34.4"
	c.Status.NodeSummary = &clusterv1alpha1.NodeSummary{TotalNum: 3, ReadyNum: 3}
	c.Status.ResourceSummary = &clusterv1alpha1.ResourceSummary{
		Allocatable: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("24"), corev1.ResourceMemory: resource.MustParse("96Gi")},
		Allocated:   corev1.ResourceList{corev1.ResourceCPU: resource.MustParse(cpuUsed), corev1.ResourceMemory: resource.MustParse("8Gi")},
	}
	return c
}

func binding(name string, replicas int32, mode *policyv1alpha1.ReplicaSchedulingStrategy, placed map[string]int32, ready map[string]int64) workv1alpha2.Binding {
	b := &workv1alpha2.ResourceBinding{ObjectMeta: metav1.ObjectMeta{Namespace: "demo", Name: name + "-deployment",
		Annotations: map[string]string{names.PropagationPolicyNameAnnotation: name}}}
	b.Spec.Resource = workv1alpha2.ObjectReference{APIVersion: "apps/v1", Kind: "Deployment", Namespace: "demo", Name: name}
	b.Spec.Replicas = replicas
	b.Spec.Placement = &policyv1alpha1.Placement{ReplicaScheduling: mode}
	for _, c := range []string{"member1", "member2", "member3"} {
		if n, ok := placed[c]; ok {
			b.Spec.Clusters = append(b.Spec.Clusters, workv1alpha2.TargetCluster{Name: c, Replicas: n})
			b.Status.SchedulingDecisions = append(b.Status.SchedulingDecisions, workv1alpha2.ClusterDecision{Cluster: c, Selected: true, Replicas: n, AvailableReplicas: ptr.To[int64](40)})
		} else {
			b.Status.SchedulingDecisions = append(b.Status.SchedulingDecisions, workv1alpha2.ClusterDecision{Cluster: c, Filter: "ClusterAffinity", Reason: "not selected by the placement's cluster affinity"})
		}
		if r, ok := ready[c]; ok {
			b.Status.AggregatedStatus = append(b.Status.AggregatedStatus, workv1alpha2.AggregatedStatusItem{ClusterName: c, Applied: true, Health: "Healthy",
				Status: &runtime.RawExtension{Raw: []byte(fmt.Sprintf(`{"readyReplicas":%d}`, r))}})
		}
	}
	b.Status.Conditions = []metav1.Condition{
		{Type: workv1alpha2.Scheduled, Status: metav1.ConditionTrue, Reason: "Success"},
		{Type: workv1alpha2.FullyApplied, Status: metav1.ConditionTrue, Reason: "FullyAppliedSuccess"},
	}
	return b
}

// fixture is a clusterset with a cordoned and a not-ready member, three
// workloads, two services (one in conflict) and a few events.
func fixture() Snapshot {
	m3 := cluster("member3", "eu-west", "eu-west-1a", false, "20")
	m2 := cluster("member2", "us-east", "us-east-1b", true, "6")
	m2.Spec.Taints = []corev1.Taint{{Key: unschedulableTaint, Effect: corev1.TaintEffectNoSchedule}}
	dynamic := &policyv1alpha1.ReplicaSchedulingStrategy{ReplicaSchedulingType: policyv1alpha1.ReplicaSchedulingTypeDivided,
		WeightPreference: &policyv1alpha1.ClusterPreferences{DynamicWeight: policyv1alpha1.DynamicWeightByAvailableReplicas}}
	unschedulable := binding("huge", 500, dynamic, nil, nil)
	unschedulable.BindingStatus().Conditions[0] = metav1.Condition{Type: workv1alpha2.Scheduled, Status: metav1.ConditionFalse, Reason: "Unschedulable",
		Message: "not enough capacity"}
	return Snapshot{
		Connected: true, At: now,
		Clusters: []clusterv1alpha1.Cluster{cluster("member1", "us-east", "us-east-1a", true, "1500m"), m2, m3},
		Bindings: []workv1alpha2.Binding{
			binding("nginx", 4, nil, map[string]int32{"member1": 4, "member2": 4}, map[string]int64{"member1": 4, "member2": 2}),
			binding("api", 6, dynamic, map[string]int32{"member1": 2, "member3": 4}, map[string]int64{"member1": 2, "member3": 4}),
			unschedulable,
		},
		Events: []eventsv1.Event{
			{ObjectMeta: metav1.ObjectMeta{Namespace: "demo", Name: "e1", CreationTimestamp: ago(30 * time.Second)}, Type: "Warning", Reason: "ScheduleBindingFailed",
				Regarding: corev1.ObjectReference{Kind: "Deployment", Namespace: "demo", Name: "huge"}, Note: "not enough capacity: 500 more replicas needed"},
			{ObjectMeta: metav1.ObjectMeta{Namespace: "demo", Name: "e2", CreationTimestamp: ago(2 * time.Minute)}, Type: "Normal", Reason: "SyncSucceed",
				Regarding: corev1.ObjectReference{Kind: "Deployment", Namespace: "demo", Name: "nginx"}, Note: "applied to member1"},
		},
		Services: []servicesummary.Service{
			{Namespace: "demo", Name: "nginx", Type: "ClusterSetIP",
				Exporters: []servicesummary.Exporter{{Cluster: "member1", Valid: "True/Valid", Ready: "True/Exported", Conflict: "False/NoConflicts"},
					{Cluster: "member2", Valid: "True/Valid", Ready: "True/Exported", Conflict: "False/NoConflicts"}},
				Importers: []servicesummary.Importer{{Cluster: "member1", IPs: []string{"10.96.0.10"}, Endpoints: map[string]int{"member1": 4, "member2": 2}},
					{Cluster: "member3", IPs: []string{"10.96.0.20"}, Endpoints: map[string]int{"member1": 4, "member2": 2}}}},
			{Namespace: "demo", Name: "web", Type: "ClusterSetIP",
				Exporters: []servicesummary.Exporter{{Cluster: "member1", Valid: "True/Valid", Conflict: "True/PortConflict", ConflictMessage: "member3: PortConflict"},
					{Cluster: "member3", Valid: "False/NoService"}}},
		},
	}
}

type fakeActions struct {
	cordoned map[string]bool
	scaled   map[string]int32
}

func (f *fakeActions) Cordon(_ context.Context, cluster string, on bool) error {
	f.cordoned[cluster] = on
	return nil
}

func (f *fakeActions) Scale(_ context.Context, ref workv1alpha2.ObjectReference, replicas int32) error {
	f.scaled[ref.Name] = replicas
	return nil
}

func newModel(t *testing.T, w, h int, actions Actions) Model {
	t.Helper()
	m := New(Options{Actions: actions, Now: func() time.Time { return now }})
	return send(m, tea.WindowSizeMsg{Width: w, Height: h}, SnapshotMsg(fixture()))
}

// send feeds messages to the model and runs the commands they return
// (actions), feeding their results back, as the program would.
func send(m Model, msgs ...tea.Msg) Model {
	for len(msgs) > 0 {
		next, cmd := m.Update(msgs[0])
		m, msgs = next.(Model), msgs[1:]
		if cmd != nil {
			if out := cmd(); out != nil {
				msgs = append(msgs, out)
			}
		}
	}
	return m
}

func keys(s string) []tea.Msg {
	var out []tea.Msg
	for _, k := range strings.Split(s, " ") {
		switch k {
		case "enter":
			out = append(out, tea.KeyMsg{Type: tea.KeyEnter})
		case "esc":
			out = append(out, tea.KeyMsg{Type: tea.KeyEsc})
		case "tab":
			out = append(out, tea.KeyMsg{Type: tea.KeyTab})
		case "down":
			out = append(out, tea.KeyMsg{Type: tea.KeyDown})
		case "backspace":
			out = append(out, tea.KeyMsg{Type: tea.KeyBackspace})
		default:
			out = append(out, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)})
		}
	}
	return out
}

func screen(m Model) string { return ansi.Strip(m.View()) }

func TestSwitchViews(t *testing.T) {
	m := newModel(t, 120, 35, nil)
	assert.Contains(t, screen(m), "CPU")
	m = send(m, keys("tab")...)
	assert.Contains(t, screen(m), "PLACEMENT")
	m = send(m, keys("4")...)
	assert.Contains(t, screen(m), "ScheduleBindingFailed")
	m = send(m, keys("3")...)
	assert.Contains(t, screen(m), "demo/web")
	m = send(m, tea.KeyMsg{Type: tea.KeyShiftTab})
	assert.Contains(t, screen(m), "deployment/demo/nginx")
}

func TestFilterNarrowsAndEscClears(t *testing.T) {
	m := newModel(t, 120, 35, nil)
	m = send(m, keys("2 / a p i enter")...)
	s := screen(m)
	assert.Contains(t, s, "deployment/demo/api")
	assert.NotContains(t, s, "deployment/demo/nginx")
	assert.Contains(t, s, `filter "api"`)
	m = send(m, keys("esc")...)
	assert.Contains(t, screen(m), "deployment/demo/nginx")
	m = send(m, keys("/ z z z enter")...)
	assert.Contains(t, screen(m), "nothing matches the filter")
}

func TestWorkloadDetailExplainsPlacement(t *testing.T) {
	m := newModel(t, 120, 35, nil)
	m = send(m, keys("2 enter")...)
	s := screen(m)
	assert.Contains(t, s, "deployment/demo/api")
	assert.Regexp(t, `member2\s+no\s+-\s+-\s+-\s+ClusterAffinity: not selected`, s)
	assert.Regexp(t, `member3\s+yes\s+4\s+4\s+40\s+applied, Healthy`, s)
	m = send(m, keys("esc")...)
	assert.Contains(t, screen(m), "PLACEMENT")
}

func TestCordonAsksFirst(t *testing.T) {
	f := &fakeActions{cordoned: map[string]bool{}, scaled: map[string]int32{}}
	m := newModel(t, 120, 35, f)
	m = send(m, keys("c")...)
	assert.Contains(t, screen(m), "Cordon cluster member1? (y/n)")
	m = send(m, keys("n")...)
	assert.Empty(t, f.cordoned, "no means no")
	m = send(m, keys("down c")...)
	assert.Contains(t, screen(m), "Uncordon cluster member2?", "member2 is cordoned")
	m = send(m, keys("y")...)
	assert.Equal(t, map[string]bool{"member2": false}, f.cordoned)
	assert.Contains(t, screen(m), "uncordoned member2")
}

func TestScaleAsksForReplicas(t *testing.T) {
	f := &fakeActions{cordoned: map[string]bool{}, scaled: map[string]int32{}}
	m := newModel(t, 120, 35, f)
	m = send(m, keys("2 s")...)
	assert.Contains(t, screen(m), "Scale deployment/demo/api to")
	m = send(m, keys("backspace 7 enter")...)
	assert.Equal(t, map[string]int32{"api": 7}, f.scaled)
	m = send(m, keys("s backspace x enter")...)
	assert.Contains(t, screen(m), "is not a replica count")
}

func TestReadOnlyHasNoActions(t *testing.T) {
	m := New(Options{ReadOnly: true, Actions: &fakeActions{}, Now: func() time.Time { return now }})
	m = send(m, tea.WindowSizeMsg{Width: 100, Height: 30}, SnapshotMsg(fixture()))
	m = send(m, keys("c")...)
	assert.NotContains(t, screen(m), "Cordon")
	assert.NotContains(t, screen(m), "cordon/uncordon")
}

func TestConnectionLossShows(t *testing.T) {
	m := newModel(t, 100, 30, nil)
	m = send(m, ConnectionMsg{Connected: false, Err: "control plane unreachable, retrying: connection refused"})
	s := screen(m)
	assert.Contains(t, s, "connection lost, retrying")
	assert.Contains(t, s, "connection refused")
	assert.Contains(t, s, "member1", "the last data stays on screen")
	m = send(m, ConnectionMsg{Connected: true})
	assert.Contains(t, screen(m), "live")
}

func TestEveryLineFitsTheScreen(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 35}, {200, 50}, {50, 12}} {
		m := newModel(t, size[0], size[1], nil)
		for _, k := range []string{"1", "2", "3", "4", "?"} {
			m = send(m, keys(k)...)
			lines := strings.Split(m.View(), "\n")
			require.Len(t, lines, size[1], "%dx%d view %s", size[0], size[1], k)
			for _, l := range lines {
				require.LessOrEqual(t, ansi.StringWidth(l), size[0], "%dx%d view %s: %q", size[0], size[1], k, ansi.Strip(l))
			}
			m = send(m, keys("esc")...)
		}
	}
}

// TestGolden renders each view at 80x24 and 120x35 and compares with
// testdata/*.golden (go test ./tui -update rewrites them).
func TestGolden(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 35}} {
		for _, v := range []struct{ name, keys string }{
			{"clusters", "1"}, {"workloads", "2"}, {"services", "3"}, {"events", "4"},
			{"workload-detail", "2 enter"}, {"service-detail", "3 down enter"}, {"cluster-detail", "1 enter"},
		} {
			name := fmt.Sprintf("%s-%dx%d", v.name, size[0], size[1])
			t.Run(name, func(t *testing.T) {
				m := send(newModel(t, size[0], size[1], &fakeActions{}), keys(v.keys)...)
				got := screen(m) + "\n"
				path := filepath.Join("testdata", name+".golden")
				if *update {
					require.NoError(t, os.MkdirAll("testdata", 0o755))
					require.NoError(t, os.WriteFile(path, []byte(got), 0o600))
				}
				want, err := os.ReadFile(path)
				require.NoError(t, err, "run go test ./tui -update to create it")
				assert.Equal(t, string(want), got)
			})
		}
	}
}
