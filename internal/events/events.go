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

// Package events holds what the controllers say in events: Karmada's
// reasons and messages, so tools and people that look for Karmada's find
// ours, and the rule for successes: each is said once per object
// generation, not on every pass (failures are said every time they are
// new). Successes may be turned off for large fleets (Successes.Off).
package events

import (
	"fmt"
	"strings"
	"sync"

	"golang.org/x/time/rate"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	workv1alpha2 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha2"
)

// Karmada's event reasons.
const (
	ApplyPolicySucceed        = "ApplyPolicySucceed"
	ApplyPolicyFailed         = "ApplyPolicyFailed"
	ApplyOverridePolicyFailed = "ApplyOverridePolicyFailed"
	PreemptPolicySucceed      = "PreemptPolicySucceed"
	ScheduleBindingSucceed    = "ScheduleBindingSucceed"
	ScheduleBindingFailed     = "ScheduleBindingFailed"
	SyncWorkSucceed           = "SyncWorkSucceed"
	SyncWorkFailed            = "SyncWorkFailed"
	AggregateStatusSucceed    = "AggregateStatusSucceed"
	// SyncSucceed and SyncFailed are about one Work and its member.
	SyncSucceed            = "SyncSucceed"
	SyncFailed             = "SyncFailed"
	ReflectStatusSucceed   = "ReflectStatusSucceed"
	InterpretHealthSucceed = "InterpretHealthSucceed"
	WorkDispatching        = "WorkDispatching"
	// The dependencies distributor's (propagateDeps).
	GetDependenciesSucceed                  = "GetDependenciesSucceed"
	GetDependenciesFailed                   = "GetDependenciesFailed"
	SyncScheduleResultToDependenciesSucceed = "SyncScheduleResultToDependenciesSucceed"
	SyncScheduleResultToDependenciesFailed  = "SyncScheduleResultToDependenciesFailed"
	DependencyPolicyConflict                = "DependencyPolicyConflict"
	EvictWorkloadFromClusterSucceed         = "EvictWorkloadFromClusterSucceed"
	// Unclaimed is ours: no policy selects the template any more.
	Unclaimed = "Unclaimed"
)

// ApplyPolicy is the message of ApplyPolicySucceed: namespace is "" for a
// ClusterPropagationPolicy.
func ApplyPolicy(namespace, name string) string {
	if namespace == "" {
		return fmt.Sprintf("Apply cluster policy(%s) succeed", name)
	}
	return fmt.Sprintf("Apply policy(%s/%s) succeed", namespace, name)
}

// Preempted is the message of PreemptPolicySucceed: by and of name the
// policies as "propagation policy(NS/NAME)" or "cluster propagation
// policy(NAME)".
func Preempted(by, of string) string {
	if by != "" {
		by = strings.ToUpper(by[:1]) + by[1:]
	}
	return fmt.Sprintf("%s preempted %s successfully", by, of)
}

// Scheduled is the message of ScheduleBindingSucceed, with the placement.
func Scheduled(clusters []workv1alpha2.TargetCluster) string {
	parts := make([]string, 0, len(clusters))
	for _, c := range clusters {
		parts = append(parts, fmt.Sprintf("%s:%d", c.Name, c.Replicas))
	}
	return fmt.Sprintf("Binding has been scheduled successfully. Result: {%s}", strings.Join(parts, ", "))
}

// bindingKind names a binding as Karmada's messages do.
func bindingKind(b client.Object) string {
	if b.GetNamespace() == "" {
		return fmt.Sprintf("clusterResourceBinding(%s)", b.GetName())
	}
	return fmt.Sprintf("resourceBinding(%s/%s)", b.GetNamespace(), b.GetName())
}

// WorksSynced is the message of SyncWorkSucceed.
func WorksSynced(b client.Object) string {
	return fmt.Sprintf("Sync work of %s successful.", bindingKind(b))
}

// Aggregated is the message of AggregateStatusSucceed.
func Aggregated(b client.Object) string {
	return fmt.Sprintf("Update %s with AggregatedStatus successfully.", bindingKind(b))
}

// WorkSynced is the message of SyncSucceed.
func WorkSynced(work client.Object, cluster string) string {
	return fmt.Sprintf("Sync work(%s/%s) to cluster(%s) successful.", work.GetNamespace(), work.GetName(), cluster)
}

// WorkNotSynced is the message of SyncFailed.
func WorkNotSynced(work client.Object, cluster string, err string) string {
	return fmt.Sprintf("Failed to sync work(%s/%s) to cluster(%s), err: %s", work.GetNamespace(), work.GetName(), cluster, err)
}

// Reflected is the message of ReflectStatusSucceed.
func Reflected(kind, namespace, name string) string {
	return fmt.Sprintf("Reflect status for object(%s/%s/%s) succeed.", kind, namespace, name)
}

// Healthy is the message of InterpretHealthSucceed.
func Healthy(kind, namespace, name, health string) string {
	return fmt.Sprintf("Interpret health of object(%s/%s/%s) as %s.", kind, namespace, name, health)
}

// Evicted is the message of EvictWorkloadFromClusterSucceed.
func Evicted(cluster, why string) string {
	return fmt.Sprintf("Evict from cluster %s succeed: %s.", cluster, why)
}

// UnclaimedMessage is the message of Unclaimed: policy is the one that
// let the template go, as names.PolicyOf says it.
func UnclaimedMessage(policy string, binding client.Object) string {
	return fmt.Sprintf("No policy selects it any more (it was %s): its member copies stay as they are, as in Karmada; delete %s to remove them.",
		policy, bindingKind(binding))
}

// GotDependencies is the message of GetDependenciesSucceed.
func GotDependencies(deps []workv1alpha2.ObjectReference) string {
	parts := make([]string, 0, len(deps))
	for _, d := range deps {
		parts = append(parts, d.Kind+"/"+d.Name)
	}
	return fmt.Sprintf("Get dependencies([%s]) succeed.", strings.Join(parts, " "))
}

// DependenciesSynced is the message of SyncScheduleResultToDependenciesSucceed.
const DependenciesSynced = "Sync schedule results to dependencies succeed."

// DependencyConflict is the message of DependencyPolicyConflict: what the
// policies of the bindings requiring one dependency disagree on.
func DependencyConflict(what []string) string {
	return fmt.Sprintf("Dependency policy conflict detected: %s.", strings.Join(what, "; "))
}

// Successes says each success once per object generation.
type Successes struct {
	// Off turns success events off (--success-events=false).
	Off bool
	// Budget, when set, bounds the success events per second: under a
	// burst (a thousand templates at once) each is an API write that
	// slows the work it reports on. One over the budget is not said now
	// and not recorded as said, so a later pass may still say it.
	Budget *rate.Limiter

	mu sync.Mutex
	// said holds, per object, the generation each reason was said at.
	said map[types.UID]map[string]int64
}

// remembered bounds said: past it, what was said is forgotten at once
// (a success may then be said a second time), so objects that went
// without a Forget cannot make it grow for ever.
const remembered = 100000

// First reports whether reason is to be said about obj now: successes are
// on and it was not said at obj's generation yet. It records it as said.
func (s *Successes) First(obj client.Object, reason string) bool {
	if s == nil || s.Off {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.said == nil || len(s.said) > remembered {
		s.said = map[types.UID]map[string]int64{}
	}
	reasons := s.said[obj.GetUID()]
	if reasons == nil {
		reasons = map[string]int64{}
		s.said[obj.GetUID()] = reasons
	}
	if gen, ok := reasons[reason]; ok && gen == obj.GetGeneration() {
		return false
	}
	if s.Budget != nil && !s.Budget.Allow() {
		return false
	}
	reasons[reason] = obj.GetGeneration()
	return true
}

// Forget drops what was said about an object that is gone.
func (s *Successes) Forget(uid types.UID) {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.said, uid)
}
