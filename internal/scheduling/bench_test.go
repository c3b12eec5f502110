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
	"fmt"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"

	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"

	policyv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/policy/v1alpha1"
	workv1alpha2 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha2"
)

// benchClusters makes n clusters over 3 regions with some free capacity.
func benchClusters(n int) []Cluster {
	out := make([]Cluster, n)
	for i := range out {
		out[i] = Cluster{
			Name:   fmt.Sprintf("member-%04d", i),
			Region: []string{"us-east", "eu-west", "ap-south"}[i%3],
			Labels: map[string]string{"env": []string{"prod", "dev"}[i%2]},
			Free: corev1.ResourceList{
				corev1.ResourceCPU:  *resource.NewQuantity(int64(8+i%17), resource.DecimalSI),
				corev1.ResourcePods: *resource.NewQuantity(110, resource.DecimalSI),
			},
		}
	}
	return out
}

func benchWorkloads() map[string]Workload {
	static := capacityWorkload(30, false)
	static.Placement.ReplicaScheduling = &policyv1alpha1.ReplicaSchedulingStrategy{
		ReplicaSchedulingType: policyv1alpha1.ReplicaSchedulingTypeDivided, ReplicaDivisionPreference: policyv1alpha1.ReplicaDivisionPreferenceWeighted,
	}
	duplicated := capacityWorkload(3, false)
	duplicated.Placement.ReplicaScheduling = nil
	spread := capacityWorkload(30, false)
	spread.Placement.SpreadConstraints = []policyv1alpha1.SpreadConstraint{
		{SpreadByField: policyv1alpha1.SpreadByFieldRegion, MinGroups: 2, MaxGroups: 2},
		{SpreadByField: policyv1alpha1.SpreadByFieldCluster, MinGroups: 2},
	}
	return map[string]Workload{
		"spread":     spread,
		"duplicated": duplicated,
		"static":     static,
		"dynamic":    capacityWorkload(30, false),
		"aggregated": capacityWorkload(30, true),
	}
}

// BenchmarkScheduleOneWorkload schedules one workload over 10, 100 and
// 1000 clusters in each division mode.
func BenchmarkScheduleOneWorkload(b *testing.B) {
	for _, n := range []int{10, 100, 1000} {
		clusters := benchClusters(n)
		for name, w := range benchWorkloads() {
			b.Run(fmt.Sprintf("%s/clusters=%d", name, n), func(b *testing.B) {
				for b.Loop() {
					if _, err := Schedule(w, clusters); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkSchedule10000Bindings schedules 10,000 workloads over 100
// clusters, one after the other, as after a restart of the controllers.
func BenchmarkSchedule10000Bindings(b *testing.B) {
	clusters := benchClusters(100)
	w := capacityWorkload(5, false)
	for b.Loop() {
		for range 10000 {
			if _, err := Schedule(w, clusters); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkNotStarted10000Bindings sums the reservations of 10,000
// bindings over 100 clusters, which the scheduler does before each
// capacity-based placement.
func BenchmarkNotStarted10000Bindings(b *testing.B) {
	bindings := make([]workv1alpha2.Binding, 10000)
	for i := range bindings {
		rb := &workv1alpha2.ResourceBinding{}
		rb.UID = types.UID(fmt.Sprint(i))
		rb.Spec.ReplicaRequirements = &workv1alpha2.ReplicaRequirements{ResourceRequest: oneCPU}
		rb.Spec.Clusters = []workv1alpha2.TargetCluster{{Name: fmt.Sprintf("member-%04d", i%100), Replicas: 3}}
		rb.Status.AggregatedStatus = []workv1alpha2.AggregatedStatusItem{{
			ClusterName: rb.Spec.Clusters[0].Name, Status: &runtime.RawExtension{Raw: []byte(`{"replicas":2,"readyReplicas":2}`)},
		}}
		bindings[i] = rb
	}
	for b.Loop() {
		if len(NotStarted(bindings, "")) != 100 {
			b.Fatal("every cluster has a replica not started")
		}
	}
}
