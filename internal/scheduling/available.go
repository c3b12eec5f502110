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
	"fmt"
	"math"
	"sort"

	corev1 "k8s.io/api/core/v1"

	workv1alpha2 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha2"
)

// ErrUnschedulable means clusters fit but together lack the capacity.
var ErrUnschedulable = errors.New("not enough capacity")

// AvailableReplicas is how many more replicas needing requests per replica
// a cluster can hold: for each requested resource, what is free divided by
// the request, and never more than its free pod slots; the smallest wins.
// Its ResourceQuotas (QuotaFree) bound it the same way. A cluster whose
// resources are not known yet can hold none.
func AvailableReplicas(c Cluster, requests corev1.ResourceList) int64 {
	if c.Free == nil {
		return 0
	}
	nodes := fits(c.Free, requests, true)
	if c.QuotaFree == nil {
		return nodes
	}
	return min(nodes, fits(c.QuotaFree, requests, false))
}

// QuotaBound reports whether the cluster's ResourceQuotas, not its nodes,
// are what limits AvailableReplicas.
func QuotaBound(c Cluster, requests corev1.ResourceList) bool {
	return c.Free != nil && c.QuotaFree != nil && fits(c.QuotaFree, requests, false) < fits(c.Free, requests, true)
}

// fits is how many replicas free holds: pods slots, and each requested
// resource. A resource free does not list holds none when strict (a
// cluster without GPUs), any number otherwise (a quota that does not
// count it).
func fits(free, requests corev1.ResourceList, strict bool) int64 {
	best := int64(math.MaxInt32)
	if pods, ok := free[corev1.ResourcePods]; ok {
		best = min(best, max(0, pods.Value()))
	}
	for name, req := range requests {
		if req.IsZero() {
			continue
		}
		f, ok := free[name]
		if !ok {
			if strict {
				return 0
			}
			continue
		}
		best = min(best, max(0, f.MilliValue()/req.MilliValue()))
	}
	return best
}

// divideByCapacity splits replicas over feasible clusters by what each can
// still hold (dynamic weight) or packs them into as few clusters as fit
// (aggregated). Both are incremental: on a scale up only the added
// replicas are placed; on a scale down the new total is split by what each
// cluster already has, so as few replicas as possible move.
func divideByCapacity(w Workload, feasible []Cluster, available []int64, aggregated bool, v *verdicts) ([]workv1alpha2.TargetCluster, error) {
	current := map[string]int32{}
	var assigned int32
	for _, c := range feasible {
		for _, t := range w.Current {
			if t.Name == c.Name {
				current[c.Name] = t.Replicas
				assigned += t.Replicas
			}
		}
	}
	result := map[string]int32{}
	switch {
	case w.Replicas == assigned:
		result = current
	case w.Replicas < assigned:
		weights := make([]int64, len(feasible))
		for i, c := range feasible {
			weights[i] = int64(current[c.Name])
		}
		for i, n := range Webster(w.Replicas, weights) {
			result[feasible[i].Name] = n
		}
	default:
		need := w.Replicas - assigned
		var total int64
		for _, a := range available {
			total += a
		}
		if total < int64(need) {
			for i, c := range feasible {
				v.get(c.Name).Reason = fmt.Sprintf("can hold %d more", available[i])
				if QuotaBound(c, w.Requests) {
					v.get(c.Name).Reason += ", as its ResourceQuota allows"
				}
			}
			return nil, fmt.Errorf("%w: %d more replicas needed, the clusters can hold %d (%s)", ErrUnschedulable, need, total, describeAvailable(feasible, available, w.Requests))
		}
		room := append([]int64(nil), available...)
		added := make([]int32, len(feasible))
		seeds := spreadSeeds(w, feasible, available, current)
		if aggregated {
			room = packFewest(feasible, available, current, int64(need), seeds)
		}
		need = seed(need, seeds, added, room)
		for i, n := range capped(need, room) {
			added[i] += n
		}
		for i, c := range feasible {
			if n := current[c.Name] + added[i]; n > 0 {
				result[c.Name] = n
			} else if aggregated {
				v.get(c.Name).Reason = "not needed: fewer clusters hold every replica"
			}
		}
	}
	out := make([]workv1alpha2.TargetCluster, 0, len(result))
	for _, c := range feasible {
		if n := result[c.Name]; n > 0 {
			out = append(out, workv1alpha2.TargetCluster{Name: c.Name, Replicas: n})
		}
	}
	return out, nil
}

// capped divides n by the weights with Webster, never giving a cluster more
// than its weight (its capacity): what rounding would put above it is
// divided again over the clusters with room left. n must not exceed the
// sum of the weights.
func capped(n int32, capacity []int64) []int32 {
	out := make([]int32, len(capacity))
	room := append([]int64(nil), capacity...)
	for n > 0 {
		step := Webster(n, room)
		n = 0
		for i, s := range step {
			if int64(s) > room[i] {
				n += s - int32(room[i]) //nolint:gosec // room[i] < s, an int32
				s = int32(room[i])      //nolint:gosec // as above
			}
			out[i] += s
			room[i] -= int64(s)
		}
	}
	return out
}

// packFewest keeps the capacity of the fewest clusters that hold need:
// clusters already running the workload first, then the seeds a spread
// constraint asks for, then the fullest capacity first, ties by name. The
// others get weight 0.
func packFewest(feasible []Cluster, available []int64, current map[string]int32, need int64, seeds []int) []int64 {
	order := make([]int, len(feasible))
	seed := map[int]bool{}
	for i := range order {
		order[i] = i
	}
	for _, i := range seeds {
		seed[i] = true
	}
	sort.SliceStable(order, func(a, b int) bool {
		i, j := order[a], order[b]
		if (current[feasible[i].Name] > 0) != (current[feasible[j].Name] > 0) {
			return current[feasible[i].Name] > 0
		}
		if seed[i] != seed[j] {
			return seed[i]
		}
		if available[i] != available[j] {
			return available[i] > available[j]
		}
		return feasible[i].Name < feasible[j].Name
	})
	kept := make([]int64, len(available))
	var sum int64
	for _, i := range order {
		if sum >= need && !seed[i] {
			break
		}
		kept[i] = available[i]
		sum += available[i]
	}
	return kept
}

func describeAvailable(clusters []Cluster, available []int64, requests corev1.ResourceList) string {
	parts := ""
	for i, c := range clusters {
		if i > 0 {
			parts += ", "
		}
		parts += fmt.Sprintf("%s: %d", c.Name, available[i])
		if QuotaBound(c, requests) {
			parts += " by its ResourceQuota"
		}
	}
	return parts
}
