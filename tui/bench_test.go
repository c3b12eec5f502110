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
	"fmt"
	"runtime"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	workv1alpha2 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha2"
)

// bigSnapshot is n bindings over 20 clusters, each placed on 3.
func bigSnapshot(n int) Snapshot {
	s := fixture()
	s.Clusters = nil
	for i := range 20 {
		s.Clusters = append(s.Clusters, cluster(fmt.Sprintf("member%02d", i), "us-east", "us-east-1a", true, "4"))
	}
	s.Bindings = make([]workv1alpha2.Binding, n)
	for i := range s.Bindings {
		b := binding(fmt.Sprintf("app%05d", i), 6, nil,
			map[string]int32{"member1": 2, "member2": 2, "member3": 2}, map[string]int64{"member1": 2, "member2": 1, "member3": 2})
		s.Bindings[i] = b
	}
	return s
}

// BenchmarkWorkloadsFrame renders the workloads view (120x35) of 5,000
// bindings: the cost of one screen update when something changed.
func BenchmarkWorkloadsFrame(b *testing.B) {
	m := New(Options{Now: func() time.Time { return now }})
	m = send(m, tea.WindowSizeMsg{Width: 120, Height: 35}, SnapshotMsg(bigSnapshot(5000)), keys("2")[0])
	for b.Loop() {
		_ = m.View()
	}
}

// BenchmarkSnapshotHeap reports the heap a 5,000-binding snapshot and the
// model holding it take, per binding (the informer cache holds the same
// objects; the snapshot shares them).
func BenchmarkSnapshotHeap(b *testing.B) {
	for b.Loop() {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		s := bigSnapshot(5000)
		m := send(New(Options{}), tea.WindowSizeMsg{Width: 120, Height: 35}, SnapshotMsg(s))
		runtime.GC()
		runtime.ReadMemStats(&after)
		runtime.KeepAlive(m)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/5000, "heap-bytes/binding")
	}
}
