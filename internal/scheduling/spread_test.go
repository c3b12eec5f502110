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

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	policyv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/policy/v1alpha1"
	workv1alpha2 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha2"
)

// topology is six clusters over two regions and four zones, with free cpu
// rising with the number so the ranking by capacity is visible.
func topology() []Cluster {
	place := []struct{ name, region, zone, cpu string }{
		{"a1", "us-east", "us-east-1a", "1"},
		{"a2", "us-east", "us-east-1a", "2"},
		{"b1", "us-east", "us-east-1b", "3"},
		{"c1", "eu-west", "eu-west-1a", "4"},
		{"c2", "eu-west", "eu-west-1a", "5"},
		{"d1", "eu-west", "eu-west-1b", "6"},
	}
	out := make([]Cluster, len(place))
	for i, p := range place {
		out[i] = withCPU(p.name, p.cpu)
		out[i].Region, out[i].Zones = p.region, []string{p.zone}
		out[i].Provider = "kwok"
	}
	return out
}

func spreadBy(field policyv1alpha1.SpreadFieldValue, minGroups, maxGroups int) policyv1alpha1.SpreadConstraint {
	return policyv1alpha1.SpreadConstraint{SpreadByField: field, MinGroups: minGroups, MaxGroups: maxGroups}
}

func regionsOf(t *testing.T, res Result, clusters []Cluster) map[string]int32 {
	t.Helper()
	region := map[string]string{}
	for _, c := range clusters {
		region[c.Name] = c.Region
	}
	out := map[string]int32{}
	for _, tc := range res.Clusters {
		out[region[tc.Name]] += tc.Replicas
	}
	return out
}

func TestSpreadDuplicated(t *testing.T) {
	// One region, at most: the region with more free capacity wins.
	w := deployment(2, policyv1alpha1.Placement{SpreadConstraints: []policyv1alpha1.SpreadConstraint{spreadBy("region", 1, 1)}})
	w.Requests = oneCPU
	res, err := Schedule(w, topology())
	require.NoError(t, err)
	assert.Equal(t, []string{"c1", "c2", "d1"}, names(res.Clusters))
	assert.Contains(t, res.Filtered("a1"), "SpreadConstraint: region us-east not chosen")

	// Two clusters at most: the two with most room.
	w.Placement.SpreadConstraints = []policyv1alpha1.SpreadConstraint{spreadBy("cluster", 1, 2)}
	res, err = Schedule(w, topology())
	require.NoError(t, err)
	assert.Equal(t, []string{"c2", "d1"}, names(res.Clusters))

	// Stable: clusters holding the workload keep it although others have more room.
	w.Current = []workv1alpha2.TargetCluster{{Name: "a1", Replicas: 2}, {Name: "a2", Replicas: 2}}
	res, err = Schedule(w, topology())
	require.NoError(t, err)
	assert.Equal(t, []string{"a1", "a2"}, names(res.Clusters))
}

func TestSpreadHighAvailability(t *testing.T) {
	// At least two zones in two regions, at most one zone per region is not
	// expressible, but two regions and two zones must both hold replicas.
	spread := []policyv1alpha1.SpreadConstraint{spreadBy("zone", 2, 0), spreadBy("region", 2, 2)}
	for _, mode := range []struct {
		name string
		rs   *policyv1alpha1.ReplicaSchedulingStrategy
	}{
		{"duplicated", nil},
		{"static", divided()},
		{"dynamic", capacityWorkload(0, false).Placement.ReplicaScheduling},
		{"aggregated", capacityWorkload(0, true).Placement.ReplicaScheduling},
	} {
		t.Run(mode.name, func(t *testing.T) {
			w := deployment(2, policyv1alpha1.Placement{SpreadConstraints: spread, ReplicaScheduling: mode.rs})
			w.Requests = oneCPU
			res, err := Schedule(w, topology())
			require.NoError(t, err)
			regions := regionsOf(t, res, topology())
			assert.Len(t, regions, 2, "both regions hold replicas: %v", res.Clusters)
			for r, n := range regions {
				assert.Positive(t, n, r)
			}
		})
	}
}

func TestSpreadAggregatedPacksPerGroup(t *testing.T) {
	// Aggregated still packs: 5 replicas over two regions use the fullest
	// cluster of each region (d1 with 6, b1 with 3), not more.
	w := capacityWorkload(5, true)
	w.Requests = oneCPU
	w.Placement.SpreadConstraints = []policyv1alpha1.SpreadConstraint{spreadBy("region", 2, 0)}
	res, err := Schedule(w, topology())
	require.NoError(t, err)
	assert.Equal(t, []string{"b1", "d1"}, names(res.Clusters))
	var sum int32
	for _, c := range res.Clusters {
		sum += c.Replicas
	}
	assert.Equal(t, int32(5), sum)
}

func TestSpreadFailures(t *testing.T) {
	// Three regions wanted, two exist.
	w := deployment(3, policyv1alpha1.Placement{SpreadConstraints: []policyv1alpha1.SpreadConstraint{spreadBy("region", 3, 0)}})
	_, err := Schedule(w, topology())
	require.ErrorIs(t, err, ErrNoClusterFit)
	assert.Contains(t, err.Error(), "spreading by region needs at least 3 groups, the clusters that fit are in 2")

	// A cluster without the field is dropped and says why.
	clusters := topology()
	clusters[0].Region = ""
	w.Placement.SpreadConstraints = []policyv1alpha1.SpreadConstraint{spreadBy("region", 1, 0)}
	res, err := Schedule(w, clusters)
	require.NoError(t, err)
	assert.Equal(t, "SpreadConstraint: the cluster has no region", res.Filtered("a1"))

	// By label: clusters without the label are dropped.
	clusters = topology()
	clusters[5].Labels = map[string]string{"rack": "r1"}
	w.Placement.SpreadConstraints = []policyv1alpha1.SpreadConstraint{{SpreadByLabel: "rack", MinGroups: 1}}
	res, err = Schedule(w, clusters)
	require.NoError(t, err)
	assert.Equal(t, []string{"d1"}, names(res.Clusters))

	// One replica cannot be in two regions.
	w = deployment(1, policyv1alpha1.Placement{SpreadConstraints: []policyv1alpha1.SpreadConstraint{spreadBy("region", 2, 0)}, ReplicaScheduling: divided()})
	_, err = Schedule(w, topology())
	require.ErrorIs(t, err, ErrUnschedulable)
	assert.Contains(t, err.Error(), "1 replicas land in 1 region groups")
}

func TestDecisionsExplainEveryCluster(t *testing.T) {
	clusters := topology()
	w := capacityWorkload(4, false)
	w.Requests = oneCPU
	w.Placement.ClusterAffinity = &policyv1alpha1.ClusterAffinity{ExcludeClusters: []string{"a1"}}
	w.Placement.SpreadConstraints = []policyv1alpha1.SpreadConstraint{spreadBy("region", 1, 1)}
	res, err := Schedule(w, clusters)
	require.NoError(t, err)
	require.Len(t, res.Decisions, len(clusters))
	byName := map[string]workv1alpha2.ClusterDecision{}
	for _, d := range res.Decisions {
		byName[d.Cluster] = d
	}
	assert.Equal(t, FilterClusterAffinity, byName["a1"].Filter)
	assert.Equal(t, FilterSpreadConstraint, byName["b1"].Filter)
	for _, name := range []string{"c1", "c2", "d1"} {
		d := byName[name]
		assert.True(t, d.Selected, name)
		require.NotNil(t, d.AvailableReplicas, name)
		assert.Positive(t, d.Replicas, name)
	}
	assert.Equal(t, int64(6), *byName["d1"].AvailableReplicas)

	bounded, omitted := Bounded(res.Decisions, 4)
	assert.Equal(t, int32(2), omitted)
	assert.Equal(t, []bool{true, true, true, false}, []bool{bounded[0].Selected, bounded[1].Selected, bounded[2].Selected, bounded[3].Selected})
}

// TestSpreadProperties checks, over many inputs and every division, that
// when scheduling succeeds the replicas add up, every constraint's
// minGroups groups hold replicas and no more than maxGroups do, and the
// same input gives the same output.
func TestSpreadProperties(t *testing.T) {
	modes := map[string]*policyv1alpha1.ReplicaSchedulingStrategy{
		"static": divided(), "dynamic": capacityWorkload(0, false).Placement.ReplicaScheduling,
		"aggregated": capacityWorkload(0, true).Placement.ReplicaScheduling,
	}
	scheduled := 0
	for seed := range 300 {
		clusters := topology()[:2+seed%5]
		for i := range clusters {
			clusters[i] = withCPU(clusters[i].Name, fmt.Sprint(1+(seed*7+i*5)%9))
			clusters[i].Region, clusters[i].Zones = topology()[i].Region, topology()[i].Zones
		}
		constraints := []policyv1alpha1.SpreadConstraint{
			spreadBy("region", 1+seed%2, 2), spreadBy("zone", 1+seed%3, 0), spreadBy("cluster", 1, 0),
		}
		for name, rs := range modes {
			w := deployment(int32(seed%17), policyv1alpha1.Placement{SpreadConstraints: constraints, ReplicaScheduling: rs})
			w.Requests = oneCPU
			res, err := Schedule(w, append([]Cluster(nil), clusters...))
			if err != nil {
				continue // too few groups, replicas or capacity: checked elsewhere
			}
			scheduled++
			assert.Equal(t, w.Replicas, sum(res.Clusters), "seed %d %s", seed, name)
			for _, sc := range constraints {
				groups := map[string]bool{}
				for _, tc := range res.Clusters {
					for _, c := range clusters {
						if c.Name == tc.Name && tc.Replicas > 0 {
							groups[groupOf(sc, c)] = true
						}
					}
				}
				assert.GreaterOrEqual(t, len(groups), sc.MinGroups, "seed %d %s %s: %v", seed, name, sc.SpreadByField, res.Clusters)
				if sc.MaxGroups > 0 {
					assert.LessOrEqual(t, len(groups), sc.MaxGroups, "seed %d %s %s", seed, name, sc.SpreadByField)
				}
			}
			again, err := Schedule(w, append([]Cluster(nil), clusters...))
			require.NoError(t, err)
			assert.Equal(t, res.Clusters, again.Clusters, "same input, same output")
		}
	}
	assert.Greater(t, scheduled, 300, "most inputs can be scheduled; the checks above ran on them")
}

// TestSpreadCombined: a cluster constraint under a region constraint
// selects as Karmada's spread selection does: the best cluster of each
// region the region constraint keeps, even past the cluster constraint's
// maxGroups, then the best others up to it.
func TestSpreadCombined(t *testing.T) {
	w := deployment(2, policyv1alpha1.Placement{SpreadConstraints: []policyv1alpha1.SpreadConstraint{
		spreadBy("cluster", 1, 1), spreadBy("region", 2, 2)}})
	w.Requests = oneCPU
	res, err := Schedule(w, topology())
	require.NoError(t, err)
	assert.Equal(t, []string{"b1", "d1"}, names(res.Clusters), "one cluster in each of the two regions, the roomiest")
	assert.Contains(t, res.Filtered("c2"), "SpreadConstraint: cluster c2 not chosen")

	w.Placement.SpreadConstraints[1] = spreadBy("region", 1, 1)
	res, err = Schedule(w, topology())
	require.NoError(t, err)
	assert.Equal(t, []string{"d1"}, names(res.Clusters), "region max 1: one region, one cluster")

	w.Placement.SpreadConstraints = []policyv1alpha1.SpreadConstraint{spreadBy("cluster", 1, 3), spreadBy("region", 2, 2)}
	res, err = Schedule(w, topology())
	require.NoError(t, err)
	assert.Equal(t, []string{"b1", "c2", "d1"}, names(res.Clusters), "one per region, then the roomiest other")
}
