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

// Package cluster is a member's lifecycle on the control plane, in one
// file: what happens when a member joins, becomes not ready, and leaves.
// (The clients and informers of a member live in internal/member; its
// health and resources are observed by clusterstatus, which only reports.)
//
//   - joins: the Cluster gets the cluster finalizer and its execution
//     namespace (karmada-es-NAME), where the binding controller writes its
//     Works.
//   - not ready: when clusterstatus reports Ready False, the Cluster gets
//     the cluster.karmada.io/not-ready:NoSchedule taint (with the time it
//     was added), so no new placement goes there; Ready True removes it.
//   - leaves (the Cluster is deleted): the binding controller deletes its
//     Works and the execution controller removes their objects from the
//     member; once no Work is left, the execution namespace goes and the
//     finalizer is removed. When the Cluster is gone, its member (clients,
//     informers) is stopped.
package cluster

import (
	"context"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/predicate"

	clusterv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/cluster/v1alpha1"
	workv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha1"
	"github.com/kubectl-karmada/kubectl-karmada/internal/member"
	"github.com/kubectl-karmada/kubectl-karmada/internal/names"
	"github.com/kubectl-karmada/kubectl-karmada/internal/taints"
)

// Lifecycle keeps each Cluster's finalizer, execution namespace and
// not-ready taint, and stops a member that left.
type Lifecycle struct {
	Client  client.Client
	Members *member.Set
}

// SetupWithManager registers the controller. It acts on joins, spec
// changes, the start of a deletion and readiness changes, not on every
// status write.
func (r *Lifecycle) SetupWithManager(mgr ctrl.Manager) error {
	return ctrl.NewControllerManagedBy(mgr).
		Named("cluster-lifecycle").
		For(&clusterv1alpha1.Cluster{}, builder.WithPredicates(predicate.Or(
			predicate.GenerationChangedPredicate{},
			predicate.Funcs{UpdateFunc: func(e event.UpdateEvent) bool {
				o, n := e.ObjectOld.(*clusterv1alpha1.Cluster), e.ObjectNew.(*clusterv1alpha1.Cluster)
				return o.DeletionTimestamp.IsZero() != n.DeletionTimestamp.IsZero() || readiness(o) != readiness(n)
			}}))).
		Complete(r)
}

// readiness is the Ready condition's status, "" when there is none.
func readiness(c *clusterv1alpha1.Cluster) metav1.ConditionStatus {
	if cond := meta.FindStatusCondition(c.Status.Conditions, clusterv1alpha1.ClusterConditionReady); cond != nil {
		return cond.Status
	}
	return ""
}

// Reconcile moves one Cluster along its lifecycle.
func (r *Lifecycle) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	cluster := &clusterv1alpha1.Cluster{}
	if err := r.Client.Get(ctx, req.NamespacedName, cluster); err != nil {
		if apierrors.IsNotFound(err) {
			r.Members.Forget(req.Name)
		}
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	if !cluster.DeletionTimestamp.IsZero() {
		return r.leave(ctx, cluster)
	}
	if controllerutil.AddFinalizer(cluster, names.ClusterFinalizer) {
		if err := r.Client.Update(ctx, cluster); err != nil {
			return ctrl.Result{}, err
		}
	}
	ready, err := r.ensureExecutionSpace(ctx, cluster.Name)
	if err != nil {
		return ctrl.Result{}, err
	}
	if err := r.syncNotReadyTaint(ctx, cluster); err != nil {
		return ctrl.Result{}, err
	}
	if !ready {
		// The namespace of an earlier join of this name is still going.
		return ctrl.Result{RequeueAfter: time.Second}, nil
	}
	return ctrl.Result{}, nil
}

// leave lets a leaving Cluster go once its Works are gone: the binding
// controller deletes them as soon as the Cluster is being deleted, and the
// execution controller removes their objects from the member, which it can
// still reach until then.
func (r *Lifecycle) leave(ctx context.Context, cluster *clusterv1alpha1.Cluster) (ctrl.Result, error) {
	if !controllerutil.ContainsFinalizer(cluster, names.ClusterFinalizer) {
		return ctrl.Result{}, nil
	}
	var works workv1alpha1.WorkList
	if err := r.Client.List(ctx, &works, client.InNamespace(names.ExecutionSpace(cluster.Name))); err != nil {
		return ctrl.Result{}, err
	}
	if len(works.Items) > 0 {
		return ctrl.Result{RequeueAfter: time.Second}, nil
	}
	ns := &corev1.Namespace{}
	ns.Name = names.ExecutionSpace(cluster.Name)
	if err := r.Client.Delete(ctx, ns); client.IgnoreNotFound(err) != nil {
		return ctrl.Result{}, err
	}
	controllerutil.RemoveFinalizer(cluster, names.ClusterFinalizer)
	return ctrl.Result{}, client.IgnoreNotFound(r.Client.Update(ctx, cluster))
}

// syncNotReadyTaint follows the Ready condition clusterstatus reports:
// False adds the not-ready taints (NoSchedule: no new placements;
// NoExecute: workloads leave once their toleration of it runs out,
// 300 seconds unless their policy says otherwise), True removes them,
// and while the member is not known yet nothing changes.
func (r *Lifecycle) syncNotReadyTaint(ctx context.Context, cluster *clusterv1alpha1.Cluster) error {
	var add, remove []corev1.Taint
	has := taints.Has(cluster.Spec.Taints, taints.NotReady) && taints.Has(cluster.Spec.Taints, taints.NotReadyNoExecute)
	switch readiness(cluster) {
	case metav1.ConditionFalse:
		if has {
			return nil
		}
		now := metav1.Now()
		for _, t := range []corev1.Taint{taints.NotReady, taints.NotReadyNoExecute} {
			if !taints.Has(cluster.Spec.Taints, t) {
				t.TimeAdded = &now // when the member went away, for failover
				add = append(add, t)
			}
		}
	case metav1.ConditionTrue:
		if !taints.Has(cluster.Spec.Taints, taints.NotReady) && !taints.Has(cluster.Spec.Taints, taints.NotReadyNoExecute) {
			return nil
		}
		remove = []corev1.Taint{taints.NotReady, taints.NotReadyNoExecute}
	default:
		return nil
	}
	before := cluster.DeepCopy()
	cluster.Spec.Taints, _ = taints.Edit(cluster.Spec.Taints, add, remove)
	return taints.Patch(ctx, r.Client, before, cluster)
}

// ensureExecutionSpace creates the namespace that holds the member's
// Works. It is not ready while the namespace of an earlier join of the
// same name is still being deleted (unjoin, then join again at once).
func (r *Lifecycle) ensureExecutionSpace(ctx context.Context, cluster string) (bool, error) {
	ns := &corev1.Namespace{}
	ns.Name = names.ExecutionSpace(cluster)
	err := r.Client.Get(ctx, client.ObjectKeyFromObject(ns), ns)
	if apierrors.IsNotFound(err) {
		return true, client.IgnoreAlreadyExists(r.Client.Create(ctx, ns))
	}
	return err == nil && ns.DeletionTimestamp.IsZero(), err
}
