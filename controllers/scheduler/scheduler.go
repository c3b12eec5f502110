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

// Package scheduler is the controller around the pure scheduling package:
// it reads a binding and the Clusters, asks scheduling where the template
// goes, and writes the result into spec.clusters and the Scheduled
// condition. A failed scheduling never removes an earlier result, so
// nothing that runs is torn down.
package scheduler

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/wait"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"
	"sigs.k8s.io/controller-runtime/pkg/recorder"
	"sigs.k8s.io/controller-runtime/pkg/source"

	clusterv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/cluster/v1alpha1"
	workv1alpha2 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha2"
	"github.com/kubectl-karmada/kubectl-karmada/controllers/enqueue"
	"github.com/kubectl-karmada/kubectl-karmada/internal/events"
	"github.com/kubectl-karmada/kubectl-karmada/internal/scheduling"
	"github.com/kubectl-karmada/kubectl-karmada/internal/statuswrite"
)

// Scheduler schedules bindings.
type Scheduler struct {
	Client   client.Client
	Recorder recorder.EventRecorder
	// Successes says each success event once per binding generation.
	Successes *events.Successes
	// Quotas, when set, bounds placements by capacity with the members'
	// ResourceQuotas in the workload's namespace.
	Quotas *MemberQuotas
	// DefaultTolerations apply to a NoExecute taint a placement does not
	// name (DefaultTolerations(300s, 300s) in karmada-controllers).
	DefaultTolerations []corev1.Toleration

	// capacity is held by a placement that divides by free resources,
	// from reading what others hold until the cache shows its own result,
	// so that two such placements (a ResourceBinding and a
	// ClusterResourceBinding, each kind with its own worker) never take
	// the same free capacity.
	capacity sync.Mutex

	// decided holds the decisions last written for each binding. The
	// pass woken by our own spec write often reads the binding from the
	// cache before our status write reaches it; these, not the cache's
	// older ones, are what that pass keeps while the placement stands.
	decided sync.Map // client.ObjectKey -> []workv1alpha2.ClusterDecision
}

// SetupWithManager registers one controller for ResourceBindings and one
// for ClusterResourceBindings; both are also woken by Cluster changes that
// matter for placement.
func (s *Scheduler) SetupWithManager(mgr ctrl.Manager) error {
	for _, kind := range []struct {
		name string
		obj  client.Object
		list client.ObjectList
	}{
		{"scheduler-resourcebinding", &workv1alpha2.ResourceBinding{}, &workv1alpha2.ResourceBindingList{}},
		{"scheduler-clusterresourcebinding", &workv1alpha2.ClusterResourceBinding{}, &workv1alpha2.ClusterResourceBindingList{}},
	} {
		newBinding := func() workv1alpha2.Binding { return kind.obj.DeepCopyObject().(workv1alpha2.Binding) }
		b := ctrl.NewControllerManagedBy(mgr).Named(kind.name).
			For(kind.obj, builder.WithPredicates(predicate.GenerationChangedPredicate{})).
			Watches(&clusterv1alpha1.Cluster{}, handler.EnqueueRequestsFromMapFunc(enqueue.All(s.Client, kind.list, nil)),
				builder.WithPredicates(placementChanged())).
			Watches(&clusterv1alpha1.Cluster{}, handler.EnqueueRequestsFromMapFunc(s.waitingForCapacity(kind.list)),
				builder.WithPredicates(capacityChanged()))
		if _, namespaced := kind.obj.(*workv1alpha2.ResourceBinding); namespaced && s.Quotas != nil {
			// Quotas are namespaced: only ResourceBindings place pods
			// under them.
			b = b.WatchesRawSource(source.Channel(s.Quotas.changed, handler.EnqueueRequestsFromMapFunc(s.waitingForCapacity(kind.list))))
		}
		err := b.Complete(reconcile.Func(func(ctx context.Context, req reconcile.Request) (reconcile.Result, error) {
			return s.reconcile(ctx, req, newBinding())
		}))
		if err != nil {
			return err
		}
	}
	return nil
}

// templateRef is enough of a template to record an event on it.
func templateRef(r workv1alpha2.ObjectReference) *unstructured.Unstructured {
	u := &unstructured.Unstructured{}
	u.SetAPIVersion(r.APIVersion)
	u.SetKind(r.Kind)
	u.SetNamespace(r.Namespace)
	u.SetName(r.Name)
	u.SetUID(r.UID)
	u.SetResourceVersion(r.ResourceVersion)
	return u
}

// placementChanged passes Cluster events that can change a placement:
// joins, leaves, spec edits (labels, taints, topology) and readiness.
func placementChanged() predicate.Predicate {
	return predicate.Funcs{
		UpdateFunc: func(e event.UpdateEvent) bool {
			o, n := e.ObjectOld.(*clusterv1alpha1.Cluster), e.ObjectNew.(*clusterv1alpha1.Cluster)
			return o.Generation != n.Generation ||
				!apiequality.Semantic.DeepEqual(o.Labels, n.Labels) ||
				meta.IsStatusConditionTrue(o.Status.Conditions, clusterv1alpha1.ClusterConditionReady) !=
					meta.IsStatusConditionTrue(n.Status.Conditions, clusterv1alpha1.ClusterConditionReady) ||
				len(o.Status.APIEnablements) != len(n.Status.APIEnablements)
		},
	}
}

// capacityChanged passes Cluster updates whose free resources changed.
func capacityChanged() predicate.Predicate {
	return predicate.Funcs{
		CreateFunc: func(event.CreateEvent) bool { return false },
		DeleteFunc: func(event.DeleteEvent) bool { return false },
		UpdateFunc: func(e event.UpdateEvent) bool {
			o, n := e.ObjectOld.(*clusterv1alpha1.Cluster), e.ObjectNew.(*clusterv1alpha1.Cluster)
			return !apiequality.Semantic.DeepEqual(o.Status.ResourceSummary, n.Status.ResourceSummary)
		},
	}
}

// waitingForCapacity maps a capacity change to the bindings it can help:
// those divided by capacity that are not scheduled yet. Scheduled ones keep
// their placement (minimal movement), so waking them would only churn.
func (s *Scheduler) waitingForCapacity(list client.ObjectList) handler.MapFunc {
	return func(ctx context.Context, _ client.Object) []reconcile.Request {
		l := list.DeepCopyObject().(client.ObjectList)
		if err := s.Client.List(ctx, l, client.UnsafeDisableDeepCopy); err != nil {
			return nil
		}
		var reqs []reconcile.Request
		_ = meta.EachListItem(l, func(o runtime.Object) error {
			b := o.(workv1alpha2.Binding)
			if scheduling.UsesCapacity(b.BindingSpec().Placement) &&
				!meta.IsStatusConditionTrue(b.BindingStatus().Conditions, workv1alpha2.Scheduled) {
				reqs = append(reqs, reconcile.Request{NamespacedName: client.ObjectKeyFromObject(b)})
			}
			return nil
		})
		return reqs
	}
}

func (s *Scheduler) reconcile(ctx context.Context, req reconcile.Request, binding workv1alpha2.Binding) (reconcile.Result, error) {
	if err := s.Client.Get(ctx, req.NamespacedName, binding); err != nil {
		if apierrors.IsNotFound(err) {
			s.decided.Delete(req.NamespacedName)
		}
		return reconcile.Result{}, client.IgnoreNotFound(err)
	}
	if !binding.GetDeletionTimestamp().IsZero() {
		return reconcile.Result{}, nil // its events are forgotten by the binding controller, which finalizes it
	}
	spec := binding.BindingSpec()
	if spec.Placement == nil {
		return reconcile.Result{}, s.unplaced(ctx, binding)
	}
	var clusters clusterv1alpha1.ClusterList
	if err := s.Client.List(ctx, &clusters); err != nil {
		return reconcile.Result{}, err
	}
	var reserved []workv1alpha2.Binding
	byCapacity := scheduling.UsesCapacity(spec.Placement)
	if byCapacity {
		s.capacity.Lock()
		defer s.capacity.Unlock()
		// Read-only use of the cache's objects: no copies of every binding.
		all, err := workv1alpha2.ListBindings(ctx, s.Client, "", client.UnsafeDisableDeepCopy)
		if err != nil {
			return reconcile.Result{}, err
		}
		reserved = all
	}
	w, members := scheduling.ForBinding(spec), scheduling.Candidates(clusters.Items, reserved, binding.GetUID())
	if byCapacity {
		if err := s.withQuotas(ctx, members, clusters.Items, spec, reserved, binding); err != nil {
			return reconcile.Result{}, err
		}
	}
	s.prepare(&w, binding)
	result, schedErr := scheduling.Schedule(w, members)
	again := lookAgain(w, members)

	placed := false
	if schedErr == nil && !apiequality.Semantic.DeepEqual(result.Clusters, spec.Clusters) {
		if err := s.place(ctx, binding, w, members, result); err != nil {
			return reconcile.Result{}, err
		}
		placed = true
		if byCapacity {
			// Runs before the unlock above.
			defer s.awaitCache(ctx, client.ObjectKeyFromObject(binding), binding.DeepCopyObject().(workv1alpha2.Binding))
		}
	}

	cond := metav1.Condition{Type: workv1alpha2.Scheduled, Status: metav1.ConditionTrue, Reason: workv1alpha2.BindingReasonSuccess,
		Message: "binding has been scheduled", ObservedGeneration: binding.GetGeneration()}
	if schedErr != nil {
		cond.Status, cond.Reason, cond.Message = metav1.ConditionFalse, scheduling.FailureReason(schedErr), schedErr.Error()
		// Say it on the binding and on the template, where users look.
		s.Recorder.Eventf(binding, nil, corev1.EventTypeWarning, events.ScheduleBindingFailed, "Schedule", "%s", schedErr.Error())
		s.Recorder.Eventf(templateRef(spec.Resource), binding, corev1.EventTypeWarning, events.ScheduleBindingFailed, "Schedule", "%s", schedErr.Error())
	} else if s.Successes.First(binding, events.ScheduleBindingSucceed) {
		msg := events.Scheduled(spec.Clusters)
		s.Recorder.Eventf(binding, nil, corev1.EventTypeNormal, events.ScheduleBindingSucceed, "Schedule", "%s", msg)
		s.Recorder.Eventf(templateRef(spec.Resource), binding, corev1.EventTypeNormal, events.ScheduleBindingSucceed, "Schedule", "%s", msg)
	}
	if missing := scheduling.Unknown(spec.Placement, clusters.Items); len(missing) > 0 {
		cond.Message += fmt.Sprintf("; not joined, though the policy names them: %s", strings.Join(missing, ", "))
	}
	status := binding.BindingStatus()
	before := status.DeepCopy()
	meta.SetStatusCondition(&status.Conditions, cond)
	status.SchedulerObservedGeneration = binding.GetGeneration()
	status.SchedulerObservingAffinityName = result.AffinityName
	status.SchedulingDecisions, status.OmittedSchedulingDecisions = scheduling.Bounded(result.Decisions, workv1alpha2.MaxSchedulingDecisions)
	// The decisions explain a placement as it was made. While it stands,
	// capacity figures that moved since (pods starting everywhere) are no
	// reason to rewrite the binding: that was a second status write for
	// most bindings, woken again by the scheduler's own spec update.
	previous := before.SchedulingDecisions
	if d, ok := s.decided.Load(req.NamespacedName); ok {
		previous = d.([]workv1alpha2.ClusterDecision)
	}
	if !placed && sameButCapacity(previous, status.SchedulingDecisions) {
		status.SchedulingDecisions = previous
	}
	if apiequality.Semantic.DeepEqual(before, status) {
		return again, nil
	}
	if schedErr == nil {
		now := metav1.Now()
		status.LastScheduledTime = &now
	}
	if err := statuswrite.Apply(ctx, s.Client, binding, FieldOwner, owned(status)); err != nil {
		return reconcile.Result{}, fmt.Errorf("writing the scheduling result: %w", err)
	}
	s.decided.Store(req.NamespacedName, status.SchedulingDecisions)
	return again, nil
}

// place writes a new placement. Only spec.clusters (and the graceful
// eviction tasks it makes) are the scheduler's; the rest of the spec is
// the detector's. The lock keeps a placement made for an older spec
// (replicas) from landing on a newer one.
func (s *Scheduler) place(ctx context.Context, binding workv1alpha2.Binding, w scheduling.Workload, members []scheduling.Cluster, result scheduling.Result) error {
	spec := binding.BindingSpec()
	patch := client.MergeFromWithOptions(binding.DeepCopyObject().(client.Object), client.MergeFromWithOptimisticLock{})
	evicted := evictions(w, members, spec)
	recordEvictions(binding, evicted)
	spec.Clusters = result.Clusters
	if err := s.Client.Patch(ctx, binding, patch); err != nil {
		return err
	}
	for _, t := range evicted {
		msg := events.Evicted(t.FromCluster, t.Message)
		s.Recorder.Eventf(binding, nil, corev1.EventTypeNormal, events.EvictWorkloadFromClusterSucceed, "Evict", "%s", msg)
		s.Recorder.Eventf(templateRef(spec.Resource), binding, corev1.EventTypeNormal, events.EvictWorkloadFromClusterSucceed, "Evict", "%s", msg)
	}
	return nil
}

// unplaced handles a binding only required by others (propagateDeps):
// no policy places it, so it has no clusters of its own.
func (s *Scheduler) unplaced(ctx context.Context, binding workv1alpha2.Binding) error {
	spec := binding.BindingSpec()
	if len(spec.Clusters) == 0 {
		return nil
	}
	patch := client.MergeFromWithOptions(binding.DeepCopyObject().(client.Object), client.MergeFromWithOptimisticLock{})
	spec.Clusters = nil
	return s.Client.Patch(ctx, binding, patch)
}

// withQuotas gives each ready member what its ResourceQuotas in the
// workload's namespace still allow, less what other bindings of that
// namespace were given there and have not started.
func (s *Scheduler) withQuotas(ctx context.Context, members []scheduling.Cluster, clusters []clusterv1alpha1.Cluster,
	spec *workv1alpha2.ResourceBindingSpec, reserved []workv1alpha2.Binding, binding workv1alpha2.Binding) error {
	if s.Quotas == nil || binding.GetNamespace() == "" {
		return nil
	}
	scope := scheduling.PodScope{BestEffort: true}
	if r := spec.ReplicaRequirements; r != nil {
		scope = scheduling.PodScope{PriorityClass: r.PriorityClassName, BestEffort: len(r.ResourceRequest) == 0}
	}
	ready := map[string]bool{}
	for _, c := range clusters {
		ready[c.Name] = meta.IsStatusConditionTrue(c.Status.Conditions, clusterv1alpha1.ClusterConditionReady)
	}
	for i := range members {
		if !ready[members[i].Name] {
			continue // not a candidate; and a member that is down would keep us waiting
		}
		quotas, err := s.Quotas.Quotas(ctx, members[i].Name, binding.GetNamespace())
		if err != nil {
			return err
		}
		members[i].QuotaFree = scheduling.QuotaFree(quotas, scope)
	}
	scheduling.ReserveQuota(members, reserved, binding.GetNamespace(), binding.GetUID())
	return nil
}

// FieldOwner owns the scheduler's fields of a binding's status.
const FieldOwner = "karmada-scheduler"

// owned is the part of a binding's status the scheduler writes: its
// Scheduled condition, the decisions and their bookkeeping. The rest
// (aggregated status, FullyApplied) is the binding controller's.
func owned(status *workv1alpha2.ResourceBindingStatus) *workv1alpha2.ResourceBindingStatus {
	return &workv1alpha2.ResourceBindingStatus{
		SchedulerObservedGeneration:    status.SchedulerObservedGeneration,
		SchedulerObservingAffinityName: status.SchedulerObservingAffinityName,
		LastScheduledTime:              status.LastScheduledTime,
		Conditions:                     onlyCondition(status.Conditions, workv1alpha2.Scheduled),
		SchedulingDecisions:            status.SchedulingDecisions,
		OmittedSchedulingDecisions:     status.OmittedSchedulingDecisions,
	}
}

// onlyCondition is the condition of type t in conds, alone.
func onlyCondition(conds []metav1.Condition, t string) []metav1.Condition {
	if c := meta.FindStatusCondition(conds, t); c != nil {
		return []metav1.Condition{*c}
	}
	return nil
}

// awaitCache waits, for a second at most, until the cache holds the
// placement just written, so that the next placement by capacity counts
// what this one took instead of reading the binding from before.
func (s *Scheduler) awaitCache(ctx context.Context, key client.ObjectKey, written workv1alpha2.Binding) {
	_ = wait.PollUntilContextTimeout(ctx, 5*time.Millisecond, time.Second, true, func(ctx context.Context) (bool, error) {
		cached := written.DeepCopyObject().(workv1alpha2.Binding)
		if err := s.Client.Get(ctx, key, cached); err != nil {
			return apierrors.IsNotFound(err), nil
		}
		return cached.GetGeneration() >= written.GetGeneration(), nil
	})
}

// sameButCapacity reports whether two lists of decisions say the same,
// how many more replicas each cluster could hold aside.
func sameButCapacity(a, b []workv1alpha2.ClusterDecision) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		x.AvailableReplicas, y.AvailableReplicas = nil, nil
		if x != y {
			return false
		}
	}
	return true
}
