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

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/duration"

	workv1alpha2 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha2"
	"github.com/kubectl-karmada/kubectl-karmada/internal/names"
	"github.com/kubectl-karmada/kubectl-karmada/internal/scheduling"
)

// The detail pages: plain lines, scrolled by the model.

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

func serviceDetail(s *Snapshot, key string) []string {
	svc := serviceByName(s, key)
	if svc == nil {
		return []string{"the service is no longer exported"}
	}
	lines := []string{titleStyle.Render("Service " + key), "  type " + orDash(svc.Type), "", titleStyle.Render("Exported by")}
	for _, e := range svc.Exporters {
		lines = append(lines, fmt.Sprintf("  %-14s Valid=%s  Ready=%s  Conflict=%s", e.Cluster, orDash(e.Valid), orDash(e.Ready), orDash(e.Conflict)))
		if e.ConflictMessage != "" {
			lines = append(lines, "                 "+e.ConflictMessage)
		}
	}
	lines = append(lines, "", titleStyle.Render("Imported by"))
	for _, i := range svc.Importers {
		lines = append(lines, fmt.Sprintf("  %-14s IPs %s  endpoints %s", i.Cluster, orDash(strings.Join(i.IPs, ",")), orDash(i.EndpointsString())))
	}
	if len(svc.Importers) == 0 {
		lines = append(lines, "  none yet")
	}
	return lines
}

func eventDetail(s *Snapshot, key string, now time.Time) []string {
	i, err := strconv.Atoi(key)
	if err != nil || i >= len(s.Events) {
		return []string{"the event is gone"}
	}
	e := &s.Events[i]
	return []string{titleStyle.Render(e.Type + " " + e.Reason),
		fmt.Sprintf("  about %s %s/%s", e.Regarding.Kind, e.Regarding.Namespace, e.Regarding.Name),
		fmt.Sprintf("  %s ago, by %s", duration.HumanDuration(now.Sub(eventTime(e))), e.ReportingController),
		"", "  " + e.Note}
}
