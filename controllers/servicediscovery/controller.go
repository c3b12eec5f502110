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

// Package servicediscovery is the multi-cluster services controller: it
// reads the ServiceExports of every member and, in every member of the
// clusterset that has the namespace, writes a ServiceImport, copies of the
// exporting clusters' EndpointSlices and, for ClusterSetIP imports, a
// selector-less derived Service that carries them. One reconcile handles
// one service (namespace/name) across all members.
package servicediscovery

import (
	"context"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/util/workqueue"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"
	"sigs.k8s.io/controller-runtime/pkg/source"
	mcsv1beta1 "sigs.k8s.io/mcs-api/pkg/apis/v1beta1"

	clusterv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/cluster/v1alpha1"
	workv1alpha2 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha2"
	"github.com/kubectl-karmada/kubectl-karmada/internal/member"
)

// burstDelay folds bursts of member events about one service.
const burstDelay = 200 * time.Millisecond

// Reconciler runs service discovery.
type Reconciler struct {
	// Client reads the control plane (Clusters, and ServiceImports authored
	// there to limit the consumers).
	Client client.Client
	// Members gives the clients of each member.
	Members *member.Set
	// NotReadyTimeout is how long a member may stay not ready before its
	// endpoints are removed from the other members.
	NotReadyTimeout time.Duration

	watches *watches
}

// SetupWithManager registers the controller: member events come through a
// channel, Cluster changes wake every known service.
func (r *Reconciler) SetupWithManager(mgr ctrl.Manager) error {
	events := make(chan event.TypedGenericEvent[types.NamespacedName], 1024)
	r.watches = newWatches(events)
	if err := (leaving{r}).setup(mgr); err != nil {
		return err
	}
	return ctrl.NewControllerManagedBy(mgr).Named("service-discovery").
		WithOptions(controller.Options{MaxConcurrentReconciles: 4}).
		WatchesRawSource(source.TypedChannel[types.NamespacedName, reconcile.Request](events, handler.TypedFuncs[types.NamespacedName, reconcile.Request]{
			// Slices change in bursts (pods become ready one by one);
			// a short wait folds a burst into one pass.
			GenericFunc: func(_ context.Context, e event.TypedGenericEvent[types.NamespacedName], q workqueue.TypedRateLimitingInterface[reconcile.Request]) {
				q.AddAfter(reconcile.Request{NamespacedName: e.Object}, burstDelay)
			},
		})).
		WatchesRawSource(source.Kind(mgr.GetCache(), &clusterv1alpha1.Cluster{},
			handler.TypedEnqueueRequestsFromMapFunc(func(ctx context.Context, c *clusterv1alpha1.Cluster) []reconcile.Request {
				return r.everyService(ctx)
			}), predicate.TypedFuncs[*clusterv1alpha1.Cluster]{
				UpdateFunc: func(e event.TypedUpdateEvent[*clusterv1alpha1.Cluster]) bool {
					return meta.IsStatusConditionTrue(e.ObjectOld.Status.Conditions, clusterv1alpha1.ClusterConditionReady) !=
						meta.IsStatusConditionTrue(e.ObjectNew.Status.Conditions, clusterv1alpha1.ClusterConditionReady) ||
						e.ObjectOld.DeletionTimestamp.IsZero() != e.ObjectNew.DeletionTimestamp.IsZero()
				},
			})).
		// A ServiceImport authored on the control plane, and where its
		// binding sends it, decide who imports.
		WatchesRawSource(source.Kind(mgr.GetCache(), &mcsv1beta1.ServiceImport{},
			&handler.TypedEnqueueRequestForObject[*mcsv1beta1.ServiceImport]{})).
		WatchesRawSource(source.Kind(mgr.GetCache(), &workv1alpha2.ResourceBinding{},
			handler.TypedEnqueueRequestsFromMapFunc(func(_ context.Context, b *workv1alpha2.ResourceBinding) []reconcile.Request {
				if b.Spec.Resource.Kind != "ServiceImport" {
					return nil
				}
				return []reconcile.Request{{NamespacedName: types.NamespacedName{Namespace: b.Namespace, Name: b.Spec.Resource.Name}}}
			}))).
		Complete(reconcile.Func(r.reconcile))
}

// everyService lists the services any member exports, and starts the
// export watch of members not watched yet (a join, or a restart).
func (r *Reconciler) everyService(ctx context.Context) []reconcile.Request {
	var clusters clusterv1alpha1.ClusterList
	if err := r.Client.List(ctx, &clusters); err == nil {
		for i := range clusters.Items {
			if m, err := r.Members.For(ctx, &clusters.Items[i]); err == nil {
				_, _ = r.watches.member(m)
			}
		}
	}
	keys := r.watches.keys(r.Members.Members())
	reqs := make([]reconcile.Request, 0, len(keys))
	for _, k := range keys {
		reqs = append(reqs, reconcile.Request{NamespacedName: k})
	}
	return reqs
}
