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
	"errors"
	"sort"

	"k8s.io/apimachinery/pkg/types"

	clusterv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/cluster/v1alpha1"
	policyv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/policy/v1alpha1"
	workv1alpha2 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha2"
	"github.com/kubectl-karmada/kubectl-karmada/internal/workload"
)

// The scheduler controller and "explain-placement --dry-run" both start
// from the functions below, so a what-if decides exactly as the scheduler
// would and names a failure the same way.

// ForBinding is the scheduling input of a binding: the template's kind,
// replicas and one replica's requests as the detector recorded them, the
// placement, and the clusters the binding holds now.
func ForBinding(spec *workv1alpha2.ResourceBindingSpec) Workload {
	w := Workload{
		APIVersion:  spec.Resource.APIVersion,
		Kind:        spec.Resource.Kind,
		Replicas:    spec.Replicas,
		HasReplicas: workload.KindHasReplicas(spec.Resource.APIVersion, spec.Resource.Kind),
		Current:     spec.Clusters,
	}
	if spec.ReplicaRequirements != nil {
		w.Requests = spec.ReplicaRequirements.ResourceRequest
	}
	if spec.Placement != nil {
		w.Placement = *spec.Placement
	}
	return w
}

// Candidates are the Clusters as a placement sees them. bindings are all
// bindings when the placement divides by free capacity (UsesCapacity), nil
// otherwise: what they were given and have not started yet is taken out
// of each cluster's free resources first, except for self, the binding
// being scheduled.
func Candidates(clusters []clusterv1alpha1.Cluster, bindings []workv1alpha2.Binding, self types.UID) []Cluster {
	members := FromClusters(clusters)
	if bindings != nil {
		Reserve(members, NotStarted(bindings, self))
	}
	return members
}

// FailureReason is the reason of the Scheduled condition for a failed
// scheduling: NoClusterFit when filters left no cluster, Unschedulable
// when the clusters left cannot hold the replicas, SchedulerError for
// anything else.
func FailureReason(err error) string {
	switch {
	case errors.Is(err, ErrNoClusterFit):
		return workv1alpha2.BindingReasonNoClusterFit
	case errors.Is(err, ErrUnschedulable):
		return workv1alpha2.BindingReasonUnschedulable
	}
	return workv1alpha2.BindingReasonSchedulerError
}

// Unknown lists, sorted, the clusters a placement names (in its cluster
// affinity, its ordered affinities or its static weights) that are not
// joined: a typo there sends every replica to the other clusters, so
// commands warn about it and the scheduler says it in the binding.
func Unknown(p *policyv1alpha1.Placement, clusters []clusterv1alpha1.Cluster) []string {
	if p == nil {
		return nil
	}
	joined := make(map[string]bool, len(clusters))
	for _, c := range clusters {
		joined[c.Name] = true
	}
	named := map[string]bool{}
	note := func(a *policyv1alpha1.ClusterAffinity) {
		if a == nil {
			return
		}
		for _, n := range a.ClusterNames {
			named[n] = true
		}
	}
	note(p.ClusterAffinity)
	for i := range p.ClusterAffinities {
		note(&p.ClusterAffinities[i].ClusterAffinity)
	}
	if rs := p.ReplicaScheduling; rs != nil && rs.WeightPreference != nil {
		for i := range rs.WeightPreference.StaticWeightList {
			note(&rs.WeightPreference.StaticWeightList[i].TargetCluster)
		}
	}
	var out []string
	for n := range named {
		if !joined[n] {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}
