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
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"

	policyv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/policy/v1alpha1"
	workv1alpha2 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha2"
)

// withCPU is a cluster with the given free cpu and plenty of pod slots.
func withCPU(name, cpu string) Cluster {
	return Cluster{Name: name, Free: corev1.ResourceList{
		corev1.ResourceCPU: resource.MustParse(cpu), corev1.ResourcePods: resource.MustParse("1000"),
	}}
}

var oneCPU = corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("1")}

func TestAvailableReplicas(t *testing.T) {
	assert.Equal(t, int64(4), AvailableReplicas(withCPU("a", "4500m"), oneCPU))
	assert.Equal(t, int64(0), AvailableReplicas(Cluster{Name: "unknown"}, oneCPU), "unknown resources hold nothing")
	few := withCPU("a", "100")
	few.Free[corev1.ResourcePods] = resource.MustParse("3")
	assert.Equal(t, int64(3), AvailableReplicas(few, oneCPU), "bounded by free pod slots")
	assert.Equal(t, int64(0), AvailableReplicas(withCPU("a", "8"), corev1.ResourceList{"nvidia.com/gpu": resource.MustParse("1")}),
		"a resource the cluster lacks")
	overfull := withCPU("a", "-2")
	assert.Equal(t, int64(0), AvailableReplicas(overfull, oneCPU))
}

func capacityWorkload(replicas int32, aggregated bool, current ...workv1alpha2.TargetCluster) Workload {
	rs := &policyv1alpha1.ReplicaSchedulingStrategy{ReplicaSchedulingType: policyv1alpha1.ReplicaSchedulingTypeDivided}
	if aggregated {
		rs.ReplicaDivisionPreference = policyv1alpha1.ReplicaDivisionPreferenceAggregated
	} else {
		rs.ReplicaDivisionPreference = policyv1alpha1.ReplicaDivisionPreferenceWeighted
		rs.WeightPreference = &policyv1alpha1.ClusterPreferences{DynamicWeight: policyv1alpha1.DynamicWeightByAvailableReplicas}
	}
	return Workload{APIVersion: "apps/v1", Kind: "Deployment", Replicas: replicas, HasReplicas: true,
		Placement: policyv1alpha1.Placement{ReplicaScheduling: rs}, Requests: oneCPU, Current: current}
}

func TestDynamicWeight(t *testing.T) {
	clusters := []Cluster{withCPU("a", "2"), withCPU("b", "6"), withCPU("c", "0")}
	res, err := Schedule(capacityWorkload(4, false), clusters)
	require.NoError(t, err)
	assert.Equal(t, []workv1alpha2.TargetCluster{{Name: "a", Replicas: 1}, {Name: "b", Replicas: 3}}, res.Clusters, "in proportion to free capacity")

	// Scale up from there: only the 2 added replicas are divided.
	res, err = Schedule(capacityWorkload(6, false, res.Clusters...), clusters)
	require.NoError(t, err)
	assert.Equal(t, []workv1alpha2.TargetCluster{{Name: "a", Replicas: 1}, {Name: "b", Replicas: 5}}, res.Clusters)

	// Scale down: split by what each holds.
	res, err = Schedule(capacityWorkload(3, false, res.Clusters...), clusters)
	require.NoError(t, err)
	assert.Equal(t, []workv1alpha2.TargetCluster{{Name: "b", Replicas: 3}}, res.Clusters, "Webster over 1:5 gives all 3 to b")

	_, err = Schedule(capacityWorkload(9, false), clusters)
	require.ErrorIs(t, err, ErrUnschedulable)
	assert.Contains(t, err.Error(), "a: 2, b: 6, c: 0")
}

func TestAggregated(t *testing.T) {
	clusters := []Cluster{withCPU("a", "3"), withCPU("b", "10"), withCPU("c", "5")}
	res, err := Schedule(capacityWorkload(4, true), clusters)
	require.NoError(t, err)
	assert.Equal(t, []workv1alpha2.TargetCluster{{Name: "b", Replicas: 4}}, res.Clusters, "the fullest capacity first, one cluster when it fits")

	res, err = Schedule(capacityWorkload(12, true), clusters)
	require.NoError(t, err)
	assert.Equal(t, []string{"b", "c"}, names(res.Clusters), "the fewest clusters that fit")
	assert.Equal(t, int32(12), sum(res.Clusters))

	// Already in a: it stays first even though b is fuller.
	res, err = Schedule(capacityWorkload(3, true, workv1alpha2.TargetCluster{Name: "a", Replicas: 1}), clusters)
	require.NoError(t, err)
	assert.Equal(t, []workv1alpha2.TargetCluster{{Name: "a", Replicas: 3}}, res.Clusters)
}

// TestCapacityProperties checks, over many inputs, that the replicas add
// up, no cluster gets more than it can hold, and the same input gives the
// same output.
func TestCapacityProperties(t *testing.T) {
	for seed := range 200 {
		clusters := make([]Cluster, 0, 1+seed%5)
		var total int64
		for i := range 1 + seed%5 {
			cpu := (seed*7 + i*13) % 11
			clusters = append(clusters, withCPU(fmt.Sprintf("m%d", i), fmt.Sprint(cpu)))
			total += int64(cpu)
		}
		for _, aggregated := range []bool{false, true} {
			replicas := int32(seed % 23)
			w := capacityWorkload(replicas, aggregated)
			res, err := Schedule(w, clusters)
			if int64(replicas) > total {
				require.ErrorIs(t, err, ErrUnschedulable)
				continue
			}
			require.NoError(t, err, "seed %d", seed)
			assert.Equal(t, replicas, sum(res.Clusters), "seed %d", seed)
			for _, tc := range res.Clusters {
				for _, c := range clusters {
					if c.Name == tc.Name {
						assert.LessOrEqual(t, int64(tc.Replicas), AvailableReplicas(c, oneCPU), "seed %d %s", seed, c.Name)
					}
				}
			}
			again, err := Schedule(w, clusters)
			require.NoError(t, err)
			assert.Equal(t, res.Clusters, again.Clusters, "same input, same output")
		}
	}
}

func sum(ts []workv1alpha2.TargetCluster) int32 {
	var n int32
	for _, t := range ts {
		n += t.Replicas
	}
	return n
}

// FuzzDivideByCapacity schedules any replica count over clusters of any
// free capacity, by dynamic weight and aggregated: when it succeeds the
// replicas add up and no cluster gets more than it can hold; when it
// fails, it is because the clusters together hold fewer.
func FuzzDivideByCapacity(f *testing.F) {
	f.Add(int32(10), false, []byte{3, 5, 0, 9})
	f.Add(int32(math.MaxInt32), true, []byte{255, 255})
	f.Add(int32(7), true, []byte{1, 1, 1, 1, 1, 1, 1})
	f.Fuzz(func(t *testing.T, replicas int32, aggregated bool, free []byte) {
		if replicas < 0 || len(free) == 0 || len(free) > 16 {
			return
		}
		clusters := make([]Cluster, len(free))
		var total int64
		for i, cpu := range free {
			// Up to 255 thousand CPUs: capacities near the int32 bound.
			clusters[i] = withCPU(fmt.Sprintf("c%02d", i), fmt.Sprint(int64(cpu)*1000))
			total += int64(cpu) * 1000
		}
		res, err := Schedule(capacityWorkload(replicas, aggregated), clusters)
		if err != nil {
			require.ErrorIs(t, err, ErrUnschedulable)
			require.Less(t, total, int64(replicas), "refused although the clusters hold %d", total)
			return
		}
		var placed int64
		for _, c := range res.Clusters {
			placed += int64(c.Replicas)
			var cpu byte
			for i := range clusters {
				if clusters[i].Name == c.Name {
					cpu = free[i]
				}
			}
			require.LessOrEqual(t, int64(c.Replicas), int64(cpu)*1000, "%s above its capacity", c.Name)
		}
		require.Equal(t, int64(replicas), placed)
	})
}
