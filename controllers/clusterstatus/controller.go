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

// Package clusterstatus keeps each Cluster's status precise: health from
// the member's /readyz (with thresholds, so one lost probe does not flap
// it), Kubernetes version, served APIs, node counts and resource sums. It
// only observes and reports; what follows from a report (the not-ready
// taint) is the cluster lifecycle controller's (controllers/cluster).
package clusterstatus

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	logf "sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/metrics"
	"sigs.k8s.io/controller-runtime/pkg/predicate"

	clusterv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/cluster/v1alpha1"
	"github.com/kubectl-karmada/kubectl-karmada/controllers/enqueue"
	"github.com/kubectl-karmada/kubectl-karmada/internal/member"
)

// clusterReady reports each member's health for Prometheus: 1 ready, 0 not
// ready, -1 not known yet.
var clusterReady = prometheus.NewGaugeVec(prometheus.GaugeOpts{
	Name: "karmada_cluster_ready",
	Help: "Whether a member cluster is ready: 1 ready, 0 not ready, -1 unknown.",
}, []string{"cluster"})

func init() {
	metrics.Registry.MustRegister(clusterReady)
}

// Reconciler refreshes the status of one Cluster at a time.
type Reconciler struct {
	Client  client.Client
	Members *member.Set
	// Interval between two refreshes of a Cluster.
	Interval time.Duration
	// FailureThreshold consecutive failed probes make a ready member not
	// ready; SuccessThreshold good ones make a not-ready member ready.
	FailureThreshold, SuccessThreshold int

	mu     sync.Mutex
	health map[string]*probeHistory
}

// probeHistory counts the consecutive probe results of one member.
type probeHistory struct {
	ready               *bool
	failures, successes int
}

// SetupWithManager registers the controller.
func (r *Reconciler) SetupWithManager(mgr ctrl.Manager) error {
	return ctrl.NewControllerManagedBy(mgr).
		Named("cluster-status").
		// A Cluster is probed when it is created, when its spec changes
		// (endpoint, credentials) or its deletion starts, and then every
		// Interval. Not on its own status writes: each would start another
		// probe (listing the member's pods) and usually another write, a
		// loop that kept members busy while their pods started.
		For(&clusterv1alpha1.Cluster{}, builder.WithPredicates(predicate.Or(predicate.GenerationChangedPredicate{}, enqueue.DeletionStarted()))).
		Complete(r)
}

// Reconcile probes the member and writes the Cluster's status.
func (r *Reconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	log := logf.FromContext(ctx)
	cluster := &clusterv1alpha1.Cluster{}
	if err := r.Client.Get(ctx, req.NamespacedName, cluster); err != nil {
		if apierrors.IsNotFound(err) {
			r.forget(req.Name)
		}
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	if !cluster.DeletionTimestamp.IsZero() {
		return ctrl.Result{}, nil // leaving: nothing more to observe
	}

	status := cluster.Status.DeepCopy()
	observed, probeErr := r.observe(ctx, cluster)
	ready, reason, message := r.record(cluster.Name, probeErr)
	if probeErr != nil {
		log.V(1).Info("member probe failed", "cluster", cluster.Name, "err", probeErr)
	}
	if observed != nil {
		// Keep what only a healthy member can tell us; keep the last
		// known values while it is down.
		status.KubernetesVersion = observed.KubernetesVersion
		status.APIEnablements = observed.APIEnablements
		status.NodeSummary = observed.NodeSummary
		status.ResourceSummary = observed.ResourceSummary
		meta.SetStatusCondition(&status.Conditions, observed.apisCondition)
	}
	readyStatus, gauge := metav1.ConditionUnknown, -1.0
	if ready != nil {
		readyStatus = map[bool]metav1.ConditionStatus{true: metav1.ConditionTrue, false: metav1.ConditionFalse}[*ready]
		gauge = map[bool]float64{true: 1, false: 0}[*ready]
	}
	clusterReady.WithLabelValues(cluster.Name).Set(gauge)
	meta.SetStatusCondition(&status.Conditions, metav1.Condition{
		Type: clusterv1alpha1.ClusterConditionReady, Status: readyStatus, Reason: reason, Message: message,
		ObservedGeneration: cluster.Generation,
	})

	if !apiequality.Semantic.DeepEqual(status, &cluster.Status) {
		patch := client.MergeFrom(cluster.DeepCopy())
		cluster.Status = *status
		if err := r.Client.Status().Patch(ctx, cluster, patch); err != nil {
			return ctrl.Result{}, fmt.Errorf("writing the status of cluster %s: %w", cluster.Name, err)
		}
	}
	return ctrl.Result{RequeueAfter: r.Interval}, nil
}

// record adds one probe result and returns the member's health after the
// thresholds: nil while still unknown.
func (r *Reconciler) record(name string, probeErr error) (*bool, string, string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.health == nil {
		r.health = map[string]*probeHistory{}
	}
	h, ok := r.health[name]
	if !ok {
		h = &probeHistory{}
		r.health[name] = h
	}
	if probeErr == nil {
		h.successes, h.failures = h.successes+1, 0
	} else {
		h.failures, h.successes = h.failures+1, 0
	}
	switch {
	case h.ready == nil && probeErr == nil, // the first answer decides
		h.ready != nil && !*h.ready && h.successes >= r.SuccessThreshold:
		h.ready = ptr.To(true)
	case h.ready == nil && h.failures >= r.FailureThreshold,
		h.ready != nil && *h.ready && h.failures >= r.FailureThreshold:
		h.ready = ptr.To(false)
	}
	switch {
	case h.ready == nil:
		return nil, "Probing", fmt.Sprintf("%d probes failed so far: %v", h.failures, probeErr)
	case *h.ready && probeErr != nil:
		return h.ready, "ClusterReady", fmt.Sprintf("cluster is healthy; the last probe failed (%d of %d before not ready): %v", h.failures, r.FailureThreshold, probeErr)
	case *h.ready:
		return h.ready, "ClusterReady", "cluster is healthy and ready to accept workloads"
	case probeErr == nil:
		return h.ready, "ClusterNotReady", fmt.Sprintf("cluster is recovering (%d of %d good probes)", h.successes, r.SuccessThreshold)
	default:
		return h.ready, "ClusterNotReady", fmt.Sprintf("cluster is not reachable or not healthy: %v", probeErr)
	}
}

func (r *Reconciler) forget(name string) {
	clusterReady.DeleteLabelValues(name)
	r.mu.Lock()
	delete(r.health, name)
	r.mu.Unlock()
}
