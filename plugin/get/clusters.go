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

package get

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/duration"
	"sigs.k8s.io/controller-runtime/pkg/client"

	clusterv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/cluster/v1alpha1"
)

type clustersView struct{}

func (clustersView) list(ctx context.Context, c client.Client, _, name string) (runtime.Object, error) {
	list := &clusterv1alpha1.ClusterList{}
	if name != "" {
		one := &clusterv1alpha1.Cluster{}
		if err := c.Get(ctx, client.ObjectKey{Name: name}, one); err != nil {
			return nil, err
		}
		list.Items = append(list.Items, *one)
	} else if err := c.List(ctx, list); err != nil {
		return nil, err
	}
	list.APIVersion, list.Kind = "v1", "List"
	for i := range list.Items {
		list.Items[i].APIVersion, list.Items[i].Kind = clusterv1alpha1.GroupVersion.String(), "Cluster"
	}
	return list, nil
}

func (clustersView) table(w io.Writer, obj runtime.Object, wide, _ bool) error {
	list := obj.(*clusterv1alpha1.ClusterList)
	head := []string{"NAME", "VERSION", "MODE", "READY", "NODES", "CPU", "MEMORY"}
	if wide {
		head = append(head, "PROVIDER", "REGION", "ZONES", "TAINTS")
	}
	row(w, append(head, "AGE")...)
	for i := range list.Items {
		c := &list.Items[i]
		ready := "Unknown"
		if cond := meta.FindStatusCondition(c.Status.Conditions, clusterv1alpha1.ClusterConditionReady); cond != nil {
			ready = string(cond.Status)
		}
		nodes := "-"
		if s := c.Status.NodeSummary; s != nil {
			nodes = fmt.Sprintf("%d/%d", s.ReadyNum, s.TotalNum)
		}
		cells := []string{c.Name, orDash(c.Status.KubernetesVersion), string(c.Spec.SyncMode), ready, nodes,
			usage(c.Status.ResourceSummary, corev1.ResourceCPU), usage(c.Status.ResourceSummary, corev1.ResourceMemory)}
		if wide {
			zones := c.Spec.Zones
			if len(zones) == 0 && c.Spec.Zone != "" {
				zones = []string{c.Spec.Zone}
			}
			taints := make([]string, 0, len(c.Spec.Taints))
			for _, t := range c.Spec.Taints {
				taints = append(taints, t.ToString())
			}
			cells = append(cells, orDash(c.Spec.Provider), orDash(c.Spec.Region), orDash(strings.Join(zones, ",")), orDash(strings.Join(taints, ",")))
		}
		row(w, append(cells, duration.HumanDuration(time.Since(c.CreationTimestamp.Time)))...)
	}
	return nil
}

// usage is "allocated/allocatable (percent)" of one resource.
func usage(s *clusterv1alpha1.ResourceSummary, name corev1.ResourceName) string {
	if s == nil {
		return "-"
	}
	total, ok := s.Allocatable[name]
	if !ok || total.IsZero() {
		return "-"
	}
	used := s.Allocated[name]
	return fmt.Sprintf("%s/%s (%d%%)", human(used, name), human(total, name), used.MilliValue()*100/total.MilliValue())
}

// human prints CPU in cores and memory in Gi, rounded for a table.
func human(q resource.Quantity, name corev1.ResourceName) string {
	if name == corev1.ResourceMemory {
		return fmt.Sprintf("%.1fGi", float64(q.Value())/(1<<30))
	}
	return fmt.Sprintf("%.1f", float64(q.MilliValue())/1000)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
