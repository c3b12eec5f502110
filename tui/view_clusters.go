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

	tea "github.com/charmbracelet/bubbletea"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/util/duration"

	clusterv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/cluster/v1alpha1"
)

// clustersView lists the member clusters: health, version, topology,
// nodes, resources and taints.
type clustersView struct{}

func (clustersView) name() string      { return "Clusters" }
func (clustersView) columns() []column { return clusterColumns }
func (clustersView) actions() []action {
	return []action{{cordonKey, func(m *Model) tea.Cmd { m.askCordon(); return nil }}}
}
func (clustersView) rows(s *Snapshot, now time.Time) []row { return clusterRows(s, now) }
func (clustersView) detail(s *Snapshot, key string, now time.Time) []string {
	return clusterDetail(s, key, now)
}
func (clustersView) empty(*Snapshot) string {
	return "no member clusters: kubectl karmada join NAME --cluster-kubeconfig FILE"
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

func clusterDetail(s *Snapshot, name string, now time.Time) []string {
	for i := range s.Clusters {
		c := &s.Clusters[i]
		if c.Name != name {
			continue
		}
		lines := []string{titleStyle.Render("Cluster " + c.Name),
			fmt.Sprintf("  endpoint %s  mode %s  version %s", c.Spec.APIEndpoint, c.Spec.SyncMode, orDash(c.Status.KubernetesVersion)),
			fmt.Sprintf("  provider %s  region %s  zones %s", orDash(c.Spec.Provider), orDash(c.Spec.Region), orDash(zonesOf(c))),
			"", titleStyle.Render("Conditions")}
		for _, cond := range c.Status.Conditions {
			lines = append(lines, strings.TrimSuffix(fmt.Sprintf("  %s=%s %s (%s ago): %s", cond.Type, cond.Status, cond.Reason,
				duration.HumanDuration(now.Sub(cond.LastTransitionTime.Time)), cond.Message), ": "))
		}
		if rs := c.Status.ResourceSummary; rs != nil {
			lines = append(lines, "", titleStyle.Render("Resources (allocated+allocating / allocatable)"))
			keys := make([]string, 0, len(rs.Allocatable))
			for k := range rs.Allocatable {
				keys = append(keys, string(k))
			}
			sort.Strings(keys)
			for _, k := range keys {
				q := rs.Allocatable[corev1.ResourceName(k)]
				lines = append(lines, fmt.Sprintf("  %-18s %s  of %s", k, bar(used(rs, corev1.ResourceName(k)), q.AsApproximateFloat64(), 20), q.String()))
			}
		}
		lines = append(lines, "", titleStyle.Render("Taints"))
		for _, t := range c.Spec.Taints {
			lines = append(lines, fmt.Sprintf("  %s=%s:%s", t.Key, t.Value, t.Effect))
		}
		if len(c.Spec.Taints) == 0 {
			lines = append(lines, "  none")
		}
		lines = append(lines, "", titleStyle.Render("Served APIs"), fmt.Sprintf("  %d group versions", len(c.Status.APIEnablements)))
		return lines
	}
	return []string{"the cluster is gone"}
}
