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
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	eventsv1 "k8s.io/api/events/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/util/duration"

	clusterv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/cluster/v1alpha1"
	workv1alpha2 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha2"
	"github.com/kubectl-karmada/kubectl-karmada/internal/names"
	"github.com/kubectl-karmada/kubectl-karmada/internal/scheduling"
	"github.com/kubectl-karmada/kubectl-karmada/internal/servicesummary"
	"github.com/kubectl-karmada/kubectl-karmada/internal/workload"
)

// The four views. Each turns a snapshot into rows (with the text "/"
// filters on) and one selected item into a detail page.
const (
	viewClusters = iota
	viewWorkloads
	viewServices
	viewEvents
	viewCount
)

var viewNames = [viewCount]string{"Clusters", "Workloads", "Services", "Events"}

// Cells returns the row's cells, making them if they are lazy.
func (r row) Cells() []string {
	if r.lazy != nil {
		return r.lazy()
	}
	return r.cells
}

// row is one line of a view's table.
type row struct {
	// key names the item: a cluster, a binding, a service, an event.
	key   string
	cells []string
	// lazy, when set, makes the cells only when the row is on screen.
	lazy func() []string
	// text is what the filter matches.
	text string
}

const unschedulableTaint = "cluster.karmada.io/unschedulable"

// Narrow screens drop, in order: mode, version, region/zone, memory,
// nodes; a cordoned cluster (in TAINTS) always stands out.
var clusterColumns = []column{
	{"NAME", 12, 0}, {"READY", 10, 0}, {"VERSION", 8, 6}, {"MODE", 4, 7}, {"REGION/ZONE", 18, 5},
	{"NODES", 5, 3}, {"CPU", 15, 1}, {"MEMORY", 15, 4}, {"TAINTS", 12, 2},
}

func clusterRows(s *Snapshot, now time.Time) []row {
	rows := make([]row, 0, len(s.Clusters))
	for _, c := range byName(s.Clusters) {
		ready := dimStyle.Render("Unknown")
		if cond := meta.FindStatusCondition(c.Status.Conditions, clusterv1alpha1.ClusterConditionReady); cond != nil {
			since := duration.HumanDuration(now.Sub(cond.LastTransitionTime.Time))
			if cond.Status == "True" {
				ready = goodStyle.Render("True") + " " + since
			} else {
				ready = badStyle.Render("False") + " " + since
			}
		}
		nodes := "-"
		if ns := c.Status.NodeSummary; ns != nil {
			nodes = fmt.Sprintf("%d/%d", ns.ReadyNum, ns.TotalNum)
		}
		cpu, mem := dimStyle.Render("-"), dimStyle.Render("-")
		if rs := c.Status.ResourceSummary; rs != nil {
			cpu = bar(used(rs, corev1.ResourceCPU), quantity(rs.Allocatable, corev1.ResourceCPU), 8)
			mem = bar(used(rs, corev1.ResourceMemory), quantity(rs.Allocatable, corev1.ResourceMemory), 8)
		}
		var taints []string
		cordoned := false
		for _, t := range c.Spec.Taints {
			if t.Key == unschedulableTaint {
				cordoned = true
				continue
			}
			taints = append(taints, t.Key+":"+string(t.Effect))
		}
		if cordoned {
			taints = append([]string{warnStyle.Render("CORDONED")}, taints...)
		}
		zone := zonesOf(c)
		cells := []string{c.Name, ready, orDash(c.Status.KubernetesVersion), string(c.Spec.SyncMode),
			orDash(strings.Trim(c.Spec.Region+"/"+zone, "/")), nodes, cpu, mem, orDash(strings.Join(taints, ","))}
		rows = append(rows, row{key: c.Name, cells: cells, text: strings.Join([]string{c.Name, c.Spec.Region, zone, c.Spec.Provider}, " ")})
	}
	return rows
}

// byName returns the clusters sorted by name (the cache lists them in no
// particular order).
func byName(clusters []clusterv1alpha1.Cluster) []*clusterv1alpha1.Cluster {
	out := make([]*clusterv1alpha1.Cluster, len(clusters))
	for i := range clusters {
		out[i] = &clusters[i]
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func zonesOf(c *clusterv1alpha1.Cluster) string {
	if len(c.Spec.Zones) > 0 {
		return strings.Join(c.Spec.Zones, ",")
	}
	return c.Spec.Zone
}

func used(rs *clusterv1alpha1.ResourceSummary, name corev1.ResourceName) float64 {
	return quantity(rs.Allocated, name) + quantity(rs.Allocating, name)
}

func quantity(list corev1.ResourceList, name corev1.ResourceName) float64 {
	q, ok := list[name]
	if !ok {
		return 0
	}
	return q.AsApproximateFloat64()
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

var serviceColumns = []column{
	{"SERVICE", 22, 0}, {"TYPE", 12, 4}, {"EXPORTED BY", 18, 0}, {"IMPORTED BY", 18, 2}, {"ENDPOINTS", 18, 1}, {"CONFLICT", 14, 3},
	{"IPS", 16, 5},
}

func serviceRows(s *Snapshot) []row {
	rows := make([]row, 0, len(s.Services))
	for _, svc := range s.Services {
		var exporters, importers, ips []string
		for _, e := range svc.Exporters {
			if strings.HasPrefix(e.Valid, "True/") {
				exporters = append(exporters, e.Cluster)
			} else {
				exporters = append(exporters, badStyle.Render(e.Cluster+"!"))
			}
		}
		endpoints := ""
		for _, i := range svc.Importers {
			importers = append(importers, i.Cluster)
			ips = append(ips, i.IPs...)
			if e := i.EndpointsString(); len(e) > len(endpoints) {
				endpoints = e
			}
		}
		conflict := svc.Conflicts()
		if conflict != "" {
			conflict = badStyle.Render(conflict)
		}
		name := svc.Namespace + "/" + svc.Name
		rows = append(rows, row{
			key:   name,
			cells: []string{name, orDash(svc.Type), orDash(strings.Join(exporters, ",")), orDash(strings.Join(importers, ",")), orDash(endpoints), orDash(conflict), orDash(strings.Join(ips, ","))},
			text:  name,
		})
	}
	return rows
}

var eventColumns = []column{{"AGE", 5, 0}, {"TYPE", 7, 2}, {"REASON", 22, 0}, {"OBJECT", 28, 1}, {"MESSAGE", 30, 0}}

func eventRows(s *Snapshot, now time.Time) []row {
	rows := make([]row, 0, len(s.Events))
	for i := range s.Events {
		e := &s.Events[i]
		typ := e.Type
		if typ == corev1.EventTypeWarning {
			typ = warnStyle.Render(typ)
		}
		obj := strings.ToLower(e.Regarding.Kind) + "/" + e.Regarding.Name
		if e.Regarding.Namespace != "" {
			obj = strings.ToLower(e.Regarding.Kind) + "/" + e.Regarding.Namespace + "/" + e.Regarding.Name
		}
		msg := strings.ReplaceAll(e.Note, "\n", " ")
		rows = append(rows, row{
			key:   fmt.Sprint(i),
			cells: []string{duration.HumanDuration(now.Sub(eventTime(e))), typ, e.Reason, obj, msg},
			text:  strings.Join([]string{e.Type, e.Reason, obj, msg}, " "),
		})
	}
	return rows
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// SortEvents orders events newest first and keeps at most maxEvents.
func SortEvents(events []eventsv1.Event) []eventsv1.Event {
	sort.SliceStable(events, func(i, j int) bool { return eventTime(&events[i]).After(eventTime(&events[j])) })
	if len(events) > maxEvents {
		events = events[:maxEvents]
	}
	return events
}

// eventTime is when an event last happened, whichever field says so.
func eventTime(e *eventsv1.Event) time.Time {
	switch {
	case e.Series != nil:
		return e.Series.LastObservedTime.Time
	case !e.EventTime.IsZero():
		return e.EventTime.Time
	case !e.DeprecatedLastTimestamp.IsZero():
		return e.DeprecatedLastTimestamp.Time
	}
	return e.CreationTimestamp.Time
}

// serviceByName finds a service in the snapshot.
func serviceByName(s *Snapshot, name string) *servicesummary.Service {
	for i := range s.Services {
		if s.Services[i].Namespace+"/"+s.Services[i].Name == name {
			return &s.Services[i]
		}
	}
	return nil
}
