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

package binding

import (
	"context"
	"time"

	"sigs.k8s.io/controller-runtime/pkg/client"

	policyv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/policy/v1alpha1"
	workv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha1"
	workv1alpha2 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha2"
)

// DefaultGracePeriod is how long a copy left by failover waits for the
// new placement to be healthy when its task names no grace period
// (Karmada's --graceful-eviction-timeout).
const DefaultGracePeriod = 10 * time.Minute

// evictions reads a binding's graceful eviction tasks (a cluster the
// workload is leaving, written by failover): which clusters keep their
// old copy for now, which tasks are done, and when to look again. As in
// Karmada, by the task's purgeMode:
//   - Immediately (Directly): the old copy goes at once;
//   - Graciously (Gracefully, the default): it stays until every cluster
//     of the new placement is applied and healthy, or the grace period
//     ends;
//   - Never: it stays until someone deletes the task.
func (r *Reconciler) evictions(spec *workv1alpha2.ResourceBindingSpec, works map[string]*workv1alpha1.Work, now time.Time) (keep map[string]bool, done []int, wait time.Duration) {
	if len(spec.GracefulEvictionTasks) == 0 {
		return nil, nil, 0
	}
	targets := map[string]bool{}
	for _, t := range spec.Targets() {
		targets[t.Name] = true
	}
	items, _, healthy := collect(spec, works, nil)
	healthy = healthy && len(items) > 0
	keep = map[string]bool{}
	for i, task := range spec.GracefulEvictionTasks {
		switch task.PurgeMode {
		case policyv1alpha1.PurgeNever:
			keep[task.FromCluster] = !targets[task.FromCluster]
			continue
		case policyv1alpha1.PurgeImmediately, policyv1alpha1.PurgeDirectly:
			if !targets[task.FromCluster] {
				done = append(done, i)
			}
			continue
		}
		if targets[task.FromCluster] {
			continue // not placed elsewhere yet: its Work is still wanted
		}
		if healthy {
			done = append(done, i)
			continue
		}
		grace := r.GracePeriod
		if grace == 0 {
			grace = DefaultGracePeriod
		}
		if task.GracePeriodSeconds != nil {
			grace = time.Duration(*task.GracePeriodSeconds) * time.Second
		}
		start := now
		if task.CreationTimestamp != nil {
			start = task.CreationTimestamp.Time
		}
		left := start.Add(grace).Sub(now)
		if left <= 0 {
			done = append(done, i)
			continue
		}
		keep[task.FromCluster] = true
		if wait == 0 || left < wait {
			wait = left
		}
	}
	return keep, done, wait
}

// finishEvictions removes the done tasks from the binding: the binding
// controller ends what the scheduler's failover started, as Karmada's
// graceful eviction controller does.
func (r *Reconciler) finishEvictions(ctx context.Context, binding workv1alpha2.Binding, done []int) error {
	if len(done) == 0 {
		return nil
	}
	patch := client.MergeFromWithOptions(binding.DeepCopyObject().(client.Object), client.MergeFromWithOptimisticLock{})
	spec := binding.BindingSpec()
	gone := map[int]bool{}
	for _, i := range done {
		gone[i] = true
	}
	var left []workv1alpha2.GracefulEvictionTask
	for i, t := range spec.GracefulEvictionTasks {
		if !gone[i] {
			left = append(left, t)
		}
	}
	spec.GracefulEvictionTasks = left
	return r.Client.Patch(ctx, binding, patch)
}
