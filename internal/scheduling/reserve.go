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

package scheduling

import (
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/types"

	workv1alpha2 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha2"
	"github.com/kubectl-karmada/kubectl-karmada/internal/workload"
)

// NotStarted is what to reserve in each cluster for replicas that have no
// pods yet. A member's resourceSummary counts pods that exist; replicas
// another binding was just given there have none, so without a reservation
// many workloads scheduled at once would all see the same free capacity
// and book it twice. NotStarted sums, per cluster, what such replicas of
// bindings other than self will ask for: assigned replicas minus the pods
// the member reports for that binding (status.replicas of its copy), times
// one replica's requests.
func NotStarted(bindings []workv1alpha2.Binding, self types.UID) map[string]corev1.ResourceList {
	out := map[string]corev1.ResourceList{}
	for _, b := range bindings {
		spec := b.BindingSpec()
		if b.GetUID() == self || spec.ReplicaRequirements == nil || len(spec.Clusters) == 0 {
			continue
		}
		started := map[string]int64{}
		for _, item := range b.BindingStatus().AggregatedStatus {
			started[item.ClusterName], _ = workload.ReportedCount(item.Status, "replicas")
		}
		for _, t := range spec.Clusters {
			missing := int64(t.Replicas) - started[t.Name]
			if missing <= 0 {
				continue
			}
			list := out[t.Name]
			if list == nil {
				list = corev1.ResourceList{}
				out[t.Name] = list
			}
			add(list, corev1.ResourcePods, *resource.NewQuantity(missing, resource.DecimalSI))
			for name, q := range spec.ReplicaRequirements.ResourceRequest {
				add(list, name, *resource.NewMilliQuantity(q.MilliValue()*missing, q.Format))
			}
		}
	}
	return out
}

func add(list corev1.ResourceList, name corev1.ResourceName, q resource.Quantity) {
	sum := list[name]
	sum.Add(q)
	list[name] = sum
}

// Reserve takes reserved resources out of each cluster's free resources.
func Reserve(clusters []Cluster, reserved map[string]corev1.ResourceList) {
	for i := range clusters {
		c := &clusters[i]
		r := reserved[c.Name]
		if c.Free == nil || r == nil {
			continue
		}
		free := c.Free.DeepCopy()
		for name, q := range r {
			if f, ok := free[name]; ok {
				f.Sub(q)
				free[name] = f
			}
		}
		c.Free = free
	}
}
