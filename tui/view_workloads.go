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
	"sort"
	"strconv"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/util/duration"

	workv1alpha2 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha2"
	"github.com/kubectl-karmada/kubectl-karmada/internal/names"
	"github.com/kubectl-karmada/kubectl-karmada/internal/scheduling"
	"github.com/kubectl-karmada/kubectl-karmada/internal/workload"
)

// workloadsView lists every binding: its template, policy, mode, state
// and the replicas ready and scheduled in each cluster; its detail page
// says why the scheduler chose those clusters.
type workloadsView struct{}

func (workloadsView) name() string      { return "Workloads" }
func (workloadsView) columns() []column { return workloadColumns }
func (workloadsView) actions() []action {
	return []action{{scaleKey, (*Model).askScale}}
}
func (workloadsView) rows(s *Snapshot, _ time.Time) []row { return workloadRows(s) }
func (workloadsView) detail(s *Snapshot, key string, now time.Time) []string {
	return workloadDetail(s, key, now)
}
func (workloadsView) empty(*Snapshot) string {
	return "nothing propagated yet: kubectl karmada propagate KIND/NAME"
}

var workloadColumns = []column{
	{"WORKLOAD", 26, 0}, {"POLICY", 14, 4}, {"MODE", 14, 3}, {"DESIRED", 7, 2}, {"STATE", 13, 1}, {"PLACEMENT (ready/scheduled)", 30, 0},
}

func workloadRows(s *Snapshot) []row {
	rows := make([]row, 0, len(s.Bindings))
	bindings := append([]workv1alpha2.Binding(nil), s.Bindings...)
	sort.Slice(bindings, func(i, j int) bool {
		return workloadName(bindings[i].BindingSpec().Resource) < workloadName(bindings[j].BindingSpec().Resource)
	})
	for _, b := range bindings {
		ref := workloadName(b.BindingSpec().Resource)
		rows = append(rows, row{key: b.GetNamespace() + "/" + b.GetName(), text: ref + " " + names.PolicyOf(b.GetAnnotations()),
			lazy: func() []string { return workloadCells(b) }})
	}
	return rows
}

// workloadCells renders one binding's row.
func workloadCells(b workv1alpha2.Binding) []string {
	spec, status := b.BindingSpec(), b.BindingStatus()
	hasReplicas := workload.KindHasReplicas(spec.Resource.APIVersion, spec.Resource.Kind)
	ready := readyByCluster(status)
	placement := make([]string, 0, len(spec.Clusters))
	for _, t := range spec.Clusters {
		want := int64(t.Replicas)
		if !hasReplicas {
			want = 1
		}
		r, ok := ready[t.Name]
		text := fmt.Sprintf("%s %s %d/%d", t.Name, replicaBar(r, want), r, want)
		if !ok {
			text = fmt.Sprintf("%s %s ?/%d", t.Name, replicaBar(0, want), want)
		}
		placement = append(placement, text)
	}
	mode, desired := scheduling.Mode(spec.Placement), fmt.Sprint(spec.Replicas)
	if !hasReplicas {
		mode, desired = "Whole object", "-"
	}
	return []string{workloadName(spec.Resource), orDash(names.PolicyOf(b.GetAnnotations())), mode, desired, state(status), orDash(strings.Join(placement, " "))}
}

func workloadName(r workv1alpha2.ObjectReference) string {
	if r.Namespace == "" {
		return strings.ToLower(r.Kind) + "/" + r.Name
	}
	return strings.ToLower(r.Kind) + "/" + r.Namespace + "/" + r.Name
}

// readyByCluster reads readyReplicas (or, for kinds without replicas,
// whether the copy is healthy) out of each member's reported status.
func readyByCluster(s *workv1alpha2.ResourceBindingStatus) map[string]int64 {
	out := map[string]int64{}
	for _, item := range s.AggregatedStatus {
		ready, reported := workload.ReportedCount(item.Status, "readyReplicas")
		switch {
		case reported:
			out[item.ClusterName] = ready
		case item.Applied && item.Health == "Healthy":
			out[item.ClusterName] = 1
		case item.Applied:
			out[item.ClusterName] = 0
		}
	}
	return out
}

// state sums up the Scheduled and FullyApplied conditions.
func state(s *workv1alpha2.ResourceBindingStatus) string {
	sched := meta.FindStatusCondition(s.Conditions, workv1alpha2.Scheduled)
	applied := meta.FindStatusCondition(s.Conditions, workv1alpha2.FullyApplied)
	switch {
	case sched == nil:
		return dimStyle.Render("Pending")
	case sched.Status != "True":
		return badStyle.Render(sched.Reason)
	case applied == nil || applied.Status != "True":
		return warnStyle.Render("Applying")
	}
	return goodStyle.Render("Running")
}

func workloadDetail(s *Snapshot, key string, now time.Time) []string {
	var b workv1alpha2.Binding
	for _, x := range s.Bindings {
		if x.GetNamespace()+"/"+x.GetName() == key {
			b = x
		}
	}
	if b == nil {
		return []string{"the binding is gone"}
	}
	spec, status := b.BindingSpec(), b.BindingStatus()
	lines := []string{titleStyle.Render(workloadName(spec.Resource)),
		fmt.Sprintf("  %d replicas, %s, policy %s, binding %s", spec.Replicas, scheduling.Mode(spec.Placement), orDash(names.PolicyOf(b.GetAnnotations())), b.GetName())}
	for _, c := range status.Conditions {
		lines = append(lines, strings.TrimSuffix(fmt.Sprintf("  %s=%s %s: %s", c.Type, c.Status, c.Reason, c.Message), ": "))
	}
	if status.SchedulerObservingAffinityName != "" {
		lines = append(lines, "  affinity term in use: "+status.SchedulerObservingAffinityName)
	}
	lines = append(lines, "", titleStyle.Render("Placement, and why"))
	ready := readyByCluster(status)
	applied := map[string]string{}
	for _, item := range status.AggregatedStatus {
		switch {
		case item.Applied:
			applied[item.ClusterName] = "applied, " + string(item.Health)
		default:
			applied[item.ClusterName] = "not applied: " + item.AppliedMessage
		}
	}
	rows := make([][]string, 0, len(status.SchedulingDecisions))
	for _, d := range status.SchedulingDecisions {
		chosen, replicas, readyText, why := "no", "-", "-", d.Reason
		if d.Selected {
			chosen, replicas = "yes", strconv.Itoa(int(d.Replicas))
			if r, ok := ready[d.Cluster]; ok {
				readyText = strconv.FormatInt(r, 10)
			}
			why = orDash(applied[d.Cluster])
		}
		if d.Filter != "" {
			why = d.Filter + ": " + d.Reason
		}
		canHold := "-"
		if d.AvailableReplicas != nil {
			canHold = strconv.FormatInt(*d.AvailableReplicas, 10)
		}
		rows = append(rows, []string{d.Cluster, chosen, replicas, readyText, canHold, orDash(why)})
	}
	cols := []column{{"CLUSTER", 12, 0}, {"CHOSEN", 6, 0}, {"REPLICAS", 8, 0}, {"READY", 5, 0}, {"CAN HOLD", 8, 1}, {"WHY", 30, 0}}
	for _, l := range renderTable(cols, rows, -1, 0, len(rows), 200) {
		lines = append(lines, "  "+strings.TrimRight(l, " "))
	}
	if status.OmittedSchedulingDecisions > 0 {
		lines = append(lines, fmt.Sprintf("  (%d more clusters not recorded)", status.OmittedSchedulingDecisions))
	}
	lines = append(lines, "", titleStyle.Render("Recent events"))
	n := 0
	for i := range s.Events {
		e := &s.Events[i]
		if e.Regarding.Name == spec.Resource.Name && e.Regarding.Namespace == spec.Resource.Namespace &&
			(e.Regarding.Kind == spec.Resource.Kind || e.Regarding.Name == b.GetName()) && n < 10 {
			lines = append(lines, fmt.Sprintf("  %s ago  %s  %s: %s", duration.HumanDuration(now.Sub(eventTime(e))), e.Type, e.Reason, e.Note))
			n++
		}
	}
	if n == 0 {
		lines = append(lines, "  none")
	}
	return lines
}
