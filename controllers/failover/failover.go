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

// Package failover is Karmada's application failover: a workload whose
// policy sets failover.application and that stays unhealthy in a cluster
// longer than decisionConditions.tolerationSeconds is taken off that
// cluster. This controller only says so, with a graceful eviction task
// on the binding; the scheduler places the workload elsewhere (it keeps
// out of the clusters a task names) and the binding controller keeps the
// old copy as the task's purgeMode says, then ends the task.
package failover

import (
	"context"
	"fmt"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/ptr"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"
	"sigs.k8s.io/controller-runtime/pkg/recorder"

	policyv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/policy/v1alpha1"
	workv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha1"
	workv1alpha2 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha2"
	"github.com/kubectl-karmada/kubectl-karmada/internal/events"
)

// Producer names this controller in the tasks it makes, as Karmada's.
const Producer = "ResourceBindingApplicationFailoverController"

// Reconciler watches the health the binding controller aggregates.
type Reconciler struct {
	Client   client.Client
	Recorder recorder.EventRecorder

	// since holds, per binding and cluster, when the copy was first seen
	// unhealthy; a restart starts the count again, as in Karmada.
	mu    sync.Mutex
	since map[types.UID]map[string]time.Time
}

// SetupWithManager watches ResourceBindings whose policy sets
// failover.application.
func (r *Reconciler) SetupWithManager(mgr ctrl.Manager) error {
	r.since = map[types.UID]map[string]time.Time{}
	wanted := func(o client.Object) bool {
		b, ok := o.(*workv1alpha2.ResourceBinding)
		return ok && b.Spec.Failover != nil && b.Spec.Failover.Application != nil
	}
	return ctrl.NewControllerManagedBy(mgr).Named("application-failover").
		For(&workv1alpha2.ResourceBinding{}, builder.WithPredicates(predicate.Funcs{
			CreateFunc:  func(e event.CreateEvent) bool { return wanted(e.Object) },
			UpdateFunc:  func(e event.UpdateEvent) bool { return wanted(e.ObjectNew) || wanted(e.ObjectOld) },
			DeleteFunc:  func(e event.DeleteEvent) bool { r.forget(e.Object.GetUID()); return false },
			GenericFunc: func(event.GenericEvent) bool { return false },
		})).
		Complete(r)
}

func (r *Reconciler) forget(uid types.UID) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.since, uid)
}

// Reconcile counts how long each copy has been unhealthy and evicts the
// workload from a cluster where it was too long.
func (r *Reconciler) Reconcile(ctx context.Context, req reconcile.Request) (reconcile.Result, error) {
	b := &workv1alpha2.ResourceBinding{}
	if err := r.Client.Get(ctx, req.NamespacedName, b); err != nil {
		return reconcile.Result{}, client.IgnoreNotFound(err)
	}
	if b.Spec.Failover == nil || b.Spec.Failover.Application == nil || !b.DeletionTimestamp.IsZero() {
		r.forget(b.UID)
		return reconcile.Result{}, nil
	}
	app := b.Spec.Failover.Application
	toleration := 300 * time.Second
	if s := app.DecisionConditions.TolerationSeconds; s != nil {
		toleration = time.Duration(*s) * time.Second
	}
	now := time.Now()
	due, wait := r.count(b, now, toleration)
	if len(due) == 0 {
		return reconcile.Result{RequeueAfter: wait}, nil
	}
	patch := client.MergeFromWithOptions(b.DeepCopy(), client.MergeFromWithOptimisticLock{})
	stamp := metav1.NewTime(now)
	purge := app.PurgeMode
	if purge == "" {
		purge = policyv1alpha1.PurgeGracefully
	}
	for _, cluster := range due {
		b.Spec.GracefulEvictionTasks = append(b.Spec.GracefulEvictionTasks, workv1alpha2.GracefulEvictionTask{
			FromCluster: cluster, Replicas: replicasIn(b, cluster), PurgeMode: purge, GracePeriodSeconds: app.GracePeriodSeconds,
			Reason: "ApplicationFailure", Message: fmt.Sprintf("unhealthy for longer than %s", toleration),
			Producer: Producer, CreationTimestamp: &stamp,
		})
	}
	if err := r.Client.Patch(ctx, b, patch); err != nil {
		return reconcile.Result{}, err
	}
	for _, cluster := range due {
		msg := events.Evicted(cluster, fmt.Sprintf("the application was unhealthy there for longer than %s", toleration))
		r.Recorder.Eventf(b, nil, corev1.EventTypeNormal, events.EvictWorkloadFromClusterSucceed, "Evict", "%s", msg)
	}
	return reconcile.Result{RequeueAfter: wait}, nil
}

// count updates when each scheduled copy turned unhealthy and returns the
// clusters unhealthy for toleration or longer (and not already left), and
// how long until the next one would be.
func (r *Reconciler) count(b *workv1alpha2.ResourceBinding, now time.Time, toleration time.Duration) (due []string, wait time.Duration) {
	leaving := map[string]bool{}
	for _, t := range b.Spec.GracefulEvictionTasks {
		leaving[t.FromCluster] = true
	}
	scheduled := map[string]bool{}
	for _, t := range b.Spec.Clusters {
		scheduled[t.Name] = true
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	seen := r.since[b.UID]
	if seen == nil {
		seen = map[string]time.Time{}
		r.since[b.UID] = seen
	}
	unhealthy := map[string]bool{}
	for _, item := range b.Status.AggregatedStatus {
		if item.Health == workv1alpha1.ResourceUnhealthy && scheduled[item.ClusterName] && !leaving[item.ClusterName] {
			unhealthy[item.ClusterName] = true
		}
	}
	for cluster := range seen {
		if !unhealthy[cluster] {
			delete(seen, cluster) // healthy again, or gone: the count starts over
		}
	}
	for cluster := range unhealthy {
		start, ok := seen[cluster]
		if !ok {
			start, seen[cluster] = now, now
		}
		if left := start.Add(toleration).Sub(now); left > 0 {
			if wait == 0 || left < wait {
				wait = left
			}
			continue
		}
		due = append(due, cluster)
		delete(seen, cluster)
	}
	return due, wait
}

func replicasIn(b *workv1alpha2.ResourceBinding, cluster string) *int32 {
	for _, t := range b.Spec.Clusters {
		if t.Name == cluster {
			return ptr.To(t.Replicas)
		}
	}
	return nil
}
