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

package servicediscovery

import (
	"context"
	"time"

	discoveryv1 "k8s.io/api/discovery/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/types"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"
	"sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"
	mcsv1beta1 "sigs.k8s.io/mcs-api/pkg/apis/v1beta1"

	clusterv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/cluster/v1alpha1"
	"github.com/kubectl-karmada/kubectl-karmada/controllers/enqueue"
	"github.com/kubectl-karmada/kubectl-karmada/internal/mcs"
)

// Finalizer holds a leaving Cluster until the imports made in that member
// are removed: once it has left, nothing would keep them current.
const Finalizer = "karmada.io/service-discovery"

// leaving cleans up a member that leaves the clusterset.
type leaving struct {
	*Reconciler
}

func (l leaving) setup(mgr ctrl.Manager) error {
	// Joining (create) and leaving (deletion starts) are all it acts on;
	// a Cluster's status, written every few seconds, is no reason to look.
	return ctrl.NewControllerManagedBy(mgr).Named("service-discovery-membership").
		For(&clusterv1alpha1.Cluster{}, builder.WithPredicates(predicate.Or(predicate.GenerationChangedPredicate{}, enqueue.DeletionStarted()))).
		Complete(reconcile.Func(l.reconcile))
}

func (l leaving) reconcile(ctx context.Context, req reconcile.Request) (reconcile.Result, error) {
	cluster := &clusterv1alpha1.Cluster{}
	if err := l.Client.Get(ctx, req.NamespacedName, cluster); err != nil {
		return reconcile.Result{}, client.IgnoreNotFound(err)
	}
	if cluster.DeletionTimestamp.IsZero() {
		if controllerutil.AddFinalizer(cluster, Finalizer) {
			return reconcile.Result{}, l.Client.Update(ctx, cluster)
		}
		return reconcile.Result{}, nil
	}
	if !controllerutil.ContainsFinalizer(cluster, Finalizer) {
		return reconcile.Result{}, nil
	}
	// A member that does not answer cannot be cleaned, and must not keep
	// the Cluster from going.
	if meta.IsStatusConditionTrue(cluster.Status.Conditions, clusterv1alpha1.ClusterConditionReady) {
		if err := l.removeAllImports(ctx, cluster); err != nil {
			log.FromContext(ctx).Info("could not remove the imports of a leaving member", "cluster", cluster.Name, "error", err.Error())
			if time.Since(cluster.DeletionTimestamp.Time) < 30*time.Second {
				return reconcile.Result{RequeueAfter: 2 * time.Second}, nil
			}
		}
	}
	controllerutil.RemoveFinalizer(cluster, Finalizer)
	return reconcile.Result{}, client.IgnoreNotFound(l.Client.Update(ctx, cluster))
}

// removeAllImports removes every import this controller made in a member.
func (l leaving) removeAllImports(ctx context.Context, cluster *clusterv1alpha1.Cluster) error {
	m, err := l.Members.For(ctx, cluster)
	if err != nil {
		return err
	}
	c := m.Client
	var imports mcsv1beta1.ServiceImportList
	if err := c.List(ctx, &imports, client.MatchingLabels{discoveryv1.LabelManagedBy: mcs.ManagedBy}); err != nil {
		return client.IgnoreNotFound(ignoreNoMatch(err))
	}
	for _, imp := range imports.Items {
		if err := l.removeImport(ctx, c, types.NamespacedName{Namespace: imp.Namespace, Name: imp.Name}); err != nil {
			return err
		}
	}
	return nil
}
