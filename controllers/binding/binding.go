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

// Package binding turns a scheduled binding into one Work per chosen
// member (the template, overridden, with that member's replicas), removes
// the Works of members that left the placement, and carries the members'
// status back: Works -> binding aggregatedStatus -> the template's status.
package binding

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	"golang.org/x/time/rate"
	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/util/workqueue"
	"k8s.io/klog/v2"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"
	"sigs.k8s.io/controller-runtime/pkg/recorder"

	clusterv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/cluster/v1alpha1"
	policyv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/policy/v1alpha1"
	workv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha1"
	workv1alpha2 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha2"
	"github.com/kubectl-karmada/kubectl-karmada/controllers/enqueue"
	"github.com/kubectl-karmada/kubectl-karmada/internal/events"
	"github.com/kubectl-karmada/kubectl-karmada/internal/names"
	"github.com/kubectl-karmada/kubectl-karmada/internal/overrides"
	"github.com/kubectl-karmada/kubectl-karmada/internal/render"
	"github.com/kubectl-karmada/kubectl-karmada/internal/statuswrite"
	"github.com/kubectl-karmada/kubectl-karmada/internal/workload"
)

// Reconciler renders Works and aggregates status for bindings.
type Reconciler struct {
	Client   client.Client
	Recorder recorder.EventRecorder
	// Successes says each success event once per binding generation.
	Successes *events.Successes
	// Workers is how many bindings are handled at once.
	Workers int
	// ProgressInterval is the least time between two status writes of a
	// binding (or of its template) whose members are still starting (zero:
	// every change is written), and ProgressBudget, when set, bounds such
	// writes per second together with other controllers. The settled
	// state, and apply failures, are written at once.
	ProgressInterval time.Duration
	ProgressBudget   *rate.Limiter
	// GracePeriod is how long a copy left by failover may wait for the
	// new placement (DefaultGracePeriod when zero) unless its task says.
	GracePeriod time.Duration

	// status paces the status writes of bindings and templates, keyed by
	// statusKey, and remembers them until the cache shows them.
	status statuswrite.Status[statusKey]
	// written holds the versions our writes of Works replaced, so that a
	// cache not caught up yet does not make us write them again.
	written statuswrite.Versions[client.ObjectKey]
}

// FieldOwner owns the binding controller's fields of a binding's status
// (aggregatedStatus and the FullyApplied condition).
const FieldOwner = "binding-controller"

// statusKey tells apart, in the pacer, a binding's own status and its
// template's.
type statusKey struct {
	binding  client.ObjectKey
	template bool
}

// SetupWithManager registers one controller per binding kind, each also
// woken by the Works of its bindings.
func (r *Reconciler) SetupWithManager(mgr ctrl.Manager) error {
	r.status.Interval, r.status.Budget = r.ProgressInterval, r.ProgressBudget
	for _, kind := range []struct {
		name       string
		obj        client.Object
		list       client.ObjectList
		namespaced bool
	}{
		{"binding-resourcebinding", &workv1alpha2.ResourceBinding{}, &workv1alpha2.ResourceBindingList{}, true},
		{"binding-clusterresourcebinding", &workv1alpha2.ClusterResourceBinding{}, &workv1alpha2.ClusterResourceBindingList{}, false},
	} {
		newBinding := func() workv1alpha2.Binding { return kind.obj.DeepCopyObject().(workv1alpha2.Binding) }
		namespaced := kind.namespaced
		err := ctrl.NewControllerManagedBy(mgr).Named(kind.name).
			For(kind.obj).
			Watches(&workv1alpha1.Work{}, workEvents(namespaced)).
			Watches(&clusterv1alpha1.Cluster{}, handler.EnqueueRequestsFromMapFunc(r.bindingsOnCluster(namespaced)),
				builder.WithPredicates(leaving())).
			// An override policy changes what members receive.
			Watches(&policyv1alpha1.OverridePolicy{}, handler.EnqueueRequestsFromMapFunc(enqueue.All(r.Client, kind.list, enqueue.SameNamespace))).
			Watches(&policyv1alpha1.ClusterOverridePolicy{}, handler.EnqueueRequestsFromMapFunc(enqueue.All(r.Client, kind.list, nil))).
			WithOptions(controller.Options{MaxConcurrentReconciles: max(1, r.Workers)}).
			Complete(reconcile.Func(func(ctx context.Context, req reconcile.Request) (reconcile.Result, error) {
				return r.reconcile(ctx, req, newBinding())
			}))
		if err != nil {
			return err
		}
	}
	return nil
}

const (
	// statusBatchDelay is how long Work status changes are gathered before
	// the binding and template status are written once for all of them.
	statusBatchDelay = time.Second
)

// workEvents wakes a Work's binding: at once when the Work appears or goes,
// is applied (or fails to be) or becomes available, and a moment later for
// other status changes, which come in bursts (one per member, several per
// rollout).
func workEvents(namespaced bool) handler.EventHandler {
	owner := func(o client.Object) (reconcile.Request, bool) {
		ns, name := o.GetLabels()[names.BindingNamespaceLabel], o.GetLabels()[names.BindingNameLabel]
		return reconcile.Request{NamespacedName: client.ObjectKey{Namespace: ns, Name: name}}, name != "" && (ns != "") == namespaced
	}
	type queue = workqueue.TypedRateLimitingInterface[reconcile.Request]
	return handler.Funcs{
		CreateFunc: func(_ context.Context, e event.CreateEvent, q queue) {
			if req, ok := owner(e.Object); ok {
				q.Add(req)
			}
		},
		UpdateFunc: func(_ context.Context, e event.UpdateEvent, q queue) {
			req, ok := owner(e.ObjectNew)
			if !ok {
				return
			}
			before, after := e.ObjectOld.(*workv1alpha1.Work), e.ObjectNew.(*workv1alpha1.Work)
			if conditionStatus(before, workv1alpha1.WorkApplied) != conditionStatus(after, workv1alpha1.WorkApplied) ||
				conditionStatus(before, workv1alpha1.WorkAvailable) != conditionStatus(after, workv1alpha1.WorkAvailable) {
				q.Add(req)
				return
			}
			q.AddAfter(req, statusBatchDelay)
		},
		DeleteFunc: func(_ context.Context, e event.DeleteEvent, q queue) {
			if req, ok := owner(e.Object); ok {
				q.Add(req)
			}
		},
	}
}

// conditionStatus reads one condition of a Work ("" when missing).
func conditionStatus(w *workv1alpha1.Work, condType string) metav1.ConditionStatus {
	if c := meta.FindStatusCondition(w.Status.Conditions, condType); c != nil {
		return c.Status
	}
	return ""
}

// leaving passes the Cluster update that starts its deletion.
func leaving() predicate.Predicate {
	return predicate.Funcs{
		CreateFunc: func(event.CreateEvent) bool { return false },
		UpdateFunc: func(e event.UpdateEvent) bool {
			return e.ObjectOld.GetDeletionTimestamp().IsZero() && !e.ObjectNew.GetDeletionTimestamp().IsZero()
		},
		DeleteFunc:  func(event.DeleteEvent) bool { return true },
		GenericFunc: func(event.GenericEvent) bool { return false },
	}
}

// bindingsOnCluster maps a Cluster to the bindings that have a Work there.
func (r *Reconciler) bindingsOnCluster(namespaced bool) handler.MapFunc {
	return func(ctx context.Context, o client.Object) []reconcile.Request {
		var works workv1alpha1.WorkList
		if err := r.Client.List(ctx, &works, client.InNamespace(names.ExecutionSpace(o.GetName()))); err != nil {
			return nil
		}
		var reqs []reconcile.Request
		for _, w := range works.Items {
			ns, name := w.Labels[names.BindingNamespaceLabel], w.Labels[names.BindingNameLabel]
			if name != "" && (ns != "") == namespaced {
				reqs = append(reqs, reconcile.Request{NamespacedName: client.ObjectKey{Namespace: ns, Name: name}})
			}
		}
		return reqs
	}
}

func (r *Reconciler) reconcile(ctx context.Context, req reconcile.Request, binding workv1alpha2.Binding) (reconcile.Result, error) {
	if err := r.Client.Get(ctx, req.NamespacedName, binding); err != nil {
		if apierrors.IsNotFound(err) {
			for _, k := range []statusKey{{binding: req.NamespacedName}, {binding: req.NamespacedName, template: true}} {
				r.status.Forget(k)
			}
		}
		return reconcile.Result{}, client.IgnoreNotFound(err)
	}
	works, err := r.works(ctx, binding)
	if err != nil {
		return reconcile.Result{}, err
	}
	if !binding.GetDeletionTimestamp().IsZero() {
		return reconcile.Result{}, r.finalize(ctx, binding, works)
	}
	if controllerutil.AddFinalizer(binding, names.BindingFinalizer) {
		if err := r.Client.Update(ctx, binding); err != nil {
			return reconcile.Result{}, err
		}
	}

	template := &unstructured.Unstructured{}
	template.SetGroupVersionKind(schema.FromAPIVersionAndKind(binding.BindingSpec().Resource.APIVersion, binding.BindingSpec().Resource.Kind))
	err = r.Client.Get(ctx, client.ObjectKey{Namespace: binding.BindingSpec().Resource.Namespace, Name: binding.BindingSpec().Resource.Name}, template)
	if apierrors.IsNotFound(err) {
		return reconcile.Result{}, nil // the template is going; so is its binding
	}
	if err != nil {
		return reconcile.Result{}, err
	}

	keep, done, evictionWait := r.evictions(binding.BindingSpec(), works, time.Now())
	refused, behind, err := r.syncWorks(ctx, binding, template, works, keep)
	if err != nil {
		// A conflict is retried at once: nothing to tell anyone.
		if !apierrors.IsConflict(err) {
			r.Recorder.Eventf(template, binding, corev1.EventTypeWarning, events.SyncWorkFailed, "SyncWork", "%s", err.Error())
		}
		return reconcile.Result{}, err
	}
	if len(binding.BindingSpec().Targets()) > 0 && len(refused) == 0 && !behind && r.Successes.First(binding, events.SyncWorkSucceed) {
		r.Recorder.Eventf(binding, nil, corev1.EventTypeNormal, events.SyncWorkSucceed, "SyncWork", "%s", events.WorksSynced(binding))
		r.Recorder.Eventf(template, binding, corev1.EventTypeNormal, events.SyncWorkSucceed, "SyncWork", "%s", events.WorksSynced(binding))
	}
	if err := r.finishEvictions(ctx, binding, done); err != nil {
		return reconcile.Result{}, err
	}
	result, err := r.aggregate(ctx, binding, template, works, refused)
	if evictionWait > 0 && (result.RequeueAfter == 0 || result.RequeueAfter > evictionWait) {
		result.RequeueAfter = evictionWait
	}
	if behind && (result.RequeueAfter == 0 || result.RequeueAfter > statuswrite.LookAgain) {
		result.RequeueAfter = statuswrite.LookAgain
	}
	return result, err
}

// works lists the Works of a binding.
func (r *Reconciler) works(ctx context.Context, binding workv1alpha2.Binding) (map[string]*workv1alpha1.Work, error) {
	var list workv1alpha1.WorkList
	if err := r.Client.List(ctx, &list, client.MatchingLabels{
		names.BindingNamespaceLabel: binding.GetNamespace(), names.BindingNameLabel: binding.GetName(),
	}); err != nil {
		return nil, err
	}
	out := make(map[string]*workv1alpha1.Work, len(list.Items))
	for i := range list.Items {
		out[names.ClusterFromExecutionSpace(list.Items[i].Namespace)] = &list.Items[i]
	}
	return out, nil
}

// finalize deletes the binding's Works and lets the binding go once they
// are gone (each Work waits for its member objects to be removed).
func (r *Reconciler) finalize(ctx context.Context, binding workv1alpha2.Binding, works map[string]*workv1alpha1.Work) error {
	r.Successes.Forget(binding.GetUID())
	for _, w := range works {
		if w.DeletionTimestamp.IsZero() {
			if err := r.Client.Delete(ctx, w); client.IgnoreNotFound(err) != nil {
				return err
			}
			r.written.Forget(client.ObjectKeyFromObject(w))
		}
	}
	if len(works) > 0 {
		return nil // woken again as each Work goes
	}
	if controllerutil.RemoveFinalizer(binding, names.BindingFinalizer) {
		return r.Client.Update(ctx, binding)
	}
	return nil
}

// syncWorks makes one Work per target cluster (spec.Targets: scheduled,
// or required there by another binding) and deletes the others but those
// in keep (left by failover, see evictions).
// behind is true when a Work was left alone because the cache does not
// show our last write of it yet.
// A copy that cannot be rendered (an override fails or is refused) is
// returned in refused by cluster; that cluster keeps its Work as it was.
func (r *Reconciler) syncWorks(ctx context.Context, binding workv1alpha2.Binding, template *unstructured.Unstructured, works map[string]*workv1alpha1.Work, keep map[string]bool) (refused map[string]error, behind bool, err error) {
	spec := binding.BindingSpec()
	wanted := map[string]bool{}
	ops, err := overrides.ForTemplate(ctx, r.Client, template)
	if err != nil {
		return nil, false, err
	}
	live, err := r.liveClusters(ctx)
	if err != nil {
		return nil, false, err
	}
	for _, target := range spec.Targets() {
		if !live[target.Name] {
			// Left, or leaving: its Work goes whatever the scheduler says.
			continue
		}
		wanted[target.Name] = true
		manifest, err := render.ForMember(template, target, spec.ConflictResolution, ops)
		if err != nil {
			if refused == nil {
				refused = map[string]error{}
			}
			refused[target.Name] = err
			continue
		}
		wrote, err := r.writeWork(ctx, binding, template, target.Name, manifest, works[target.Name])
		if err != nil {
			return nil, false, err
		}
		behind = behind || !wrote
	}
	for cluster, w := range works {
		// A cluster failover left keeps its copy while its task says.
		if !wanted[cluster] && !keep[cluster] && w.DeletionTimestamp.IsZero() {
			if err := r.Client.Delete(ctx, w); client.IgnoreNotFound(err) != nil {
				return nil, false, err
			}
			r.written.Forget(client.ObjectKeyFromObject(w))
		}
	}
	return refused, behind, nil
}

// liveClusters are the joined clusters not being removed.
func (r *Reconciler) liveClusters(ctx context.Context) (map[string]bool, error) {
	var clusters clusterv1alpha1.ClusterList
	if err := r.Client.List(ctx, &clusters); err != nil {
		return nil, err
	}
	live := make(map[string]bool, len(clusters.Items))
	for _, c := range clusters.Items {
		if c.DeletionTimestamp.IsZero() {
			live[c.Name] = true
		}
	}
	return live, nil
}

// writeWork creates or updates the Work of one member. It returns false
// when it left the Work alone because the cache does not show our last
// write of it yet.
func (r *Reconciler) writeWork(ctx context.Context, binding workv1alpha2.Binding, template *unstructured.Unstructured, cluster string, manifest *unstructured.Unstructured, existing *workv1alpha1.Work) (bool, error) {
	workName := names.WorkName(template.GetKind(), template.GetName(), template.GetNamespace())
	render.Stamp(manifest, cluster, workName)
	raw, err := manifest.MarshalJSON()
	if err != nil {
		return false, err
	}
	key := client.ObjectKey{Namespace: names.ExecutionSpace(cluster), Name: workName}
	rv := ""
	if existing != nil {
		rv = existing.ResourceVersion
	}
	if r.written.Stale(key, rv) {
		return false, nil
	}

	work := existing
	if work == nil {
		work = &workv1alpha1.Work{ObjectMeta: metav1.ObjectMeta{Namespace: names.ExecutionSpace(cluster), Name: workName}}
	}
	before := work.DeepCopy()
	if work.Labels == nil {
		work.Labels = map[string]string{}
	}
	work.Labels[names.BindingNamespaceLabel] = binding.GetNamespace()
	work.Labels[names.BindingNameLabel] = binding.GetName()
	for _, l := range []string{names.ResourceBindingPermanentIDLabel, names.ClusterResourceBindingPermanentIDLabel} {
		if id := binding.GetLabels()[l]; id != "" {
			work.Labels[l] = id
		}
	}
	work.Spec.Workload.Manifests = []workv1alpha1.Manifest{{RawExtension: runtime.RawExtension{Raw: raw}}}
	work.Spec.SuspendDispatching = suspended(binding.BindingSpec().Suspension, cluster)
	work.Spec.PreserveResourcesOnDeletion = binding.BindingSpec().PreserveResourcesOnDeletion

	if existing == nil {
		// Born with the execution controller's finalizer: one write less.
		controllerutil.AddFinalizer(work, names.ExecutionFinalizer)
		err = r.Client.Create(ctx, work)
	} else if !sameWork(before, work) {
		err = r.Client.Update(ctx, work)
	} else {
		return true, nil
	}
	if err == nil {
		r.written.Wrote(key, rv, work.ResourceVersion)
	}
	return true, err
}

// sameWork compares what the binding controller writes of a Work.
func sameWork(a, b *workv1alpha1.Work) bool {
	return apiequality.Semantic.DeepEqual(a.Labels, b.Labels) &&
		apiequality.Semantic.DeepEqual(a.Spec.SuspendDispatching, b.Spec.SuspendDispatching) &&
		apiequality.Semantic.DeepEqual(a.Spec.PreserveResourcesOnDeletion, b.Spec.PreserveResourcesOnDeletion) &&
		render.SameManifests(a.Spec.Workload.Manifests, b.Spec.Workload.Manifests)
}

func suspended(s *policyv1alpha1.Suspension, cluster string) *bool {
	if s == nil {
		return nil
	}
	if s.Dispatching != nil && *s.Dispatching {
		return s.Dispatching
	}
	if s.DispatchingOnClusters != nil {
		for _, c := range s.DispatchingOnClusters.ClusterNames {
			if c == cluster {
				t := true
				return &t
			}
		}
	}
	return nil
}

// aggregate writes the binding's aggregatedStatus and FullyApplied, then
// the template's status summed over the members. The settled state (every
// member applied and healthy) is written at once, and so are, for the
// binding, failed applies; while members only make progress, each is
// written as the progress pacer allows. A copy refused while rendering
// counts as a failed apply of its cluster.
func (r *Reconciler) aggregate(ctx context.Context, binding workv1alpha2.Binding, template *unstructured.Unstructured, works map[string]*workv1alpha1.Work, refused map[string]error) (reconcile.Result, error) {
	status := binding.BindingStatus()
	items, allApplied, settled := collect(binding.BindingSpec(), works, refused)
	key := client.ObjectKeyFromObject(binding)
	bindingKey, templateKey := statusKey{binding: key}, statusKey{binding: key, template: true}
	var wait time.Duration
	if r.status.Stale(bindingKey, binding.GetResourceVersion()) || r.status.Stale(templateKey, template.GetResourceVersion()) {
		return reconcile.Result{RequeueAfter: statuswrite.LookAgain}, nil
	}

	before := status.DeepCopy()
	status.AggregatedStatus = items
	cond := metav1.Condition{Type: workv1alpha2.FullyApplied, Status: metav1.ConditionTrue, Reason: "FullyAppliedSuccess",
		Message: "all works have been successfully applied", ObservedGeneration: binding.GetGeneration()}
	if !allApplied {
		cond.Status, cond.Reason, cond.Message = metav1.ConditionFalse, "FullyAppliedFailed", notAppliedMessage(items)
	}
	meta.SetStatusCondition(&status.Conditions, cond)
	if !apiequality.Semantic.DeepEqual(before, status) {
		due, err := r.writeWhenDue(bindingKey, binding, isNews(before.AggregatedStatus, items, settled), settled, func() error {
			// Only its own fields: the scheduler writes the others.
			return statuswrite.Apply(ctx, r.Client, binding, FieldOwner, &workv1alpha2.ResourceBindingStatus{
				AggregatedStatus: items, Conditions: []metav1.Condition{*meta.FindStatusCondition(status.Conditions, workv1alpha2.FullyApplied)}})
		})
		if err != nil {
			return reconcile.Result{}, err
		}
		wait = due
		// A new failure, once written, is also an event on the template.
		if old := meta.FindStatusCondition(before.Conditions, workv1alpha2.FullyApplied); due == 0 && hasApplyFailure(items) &&
			(old == nil || old.Message != cond.Message) {
			r.Recorder.Eventf(template, binding, corev1.EventTypeWarning, events.SyncFailed, "Apply", "%s", cond.Message)
			r.reportToPolicies(binding, refused)
		}
	} else if settled {
		r.status.Done(bindingKey)
	}
	if settled && allApplied && r.Successes.First(binding, events.AggregateStatusSucceed) {
		r.Recorder.Eventf(binding, nil, corev1.EventTypeNormal, events.AggregateStatusSucceed, "AggregateStatus", "%s", events.Aggregated(binding))
		r.Recorder.Eventf(template, binding, corev1.EventTypeNormal, events.AggregateStatusSucceed, "AggregateStatus", "%s", events.Aggregated(binding))
	}

	newStatus, err := workload.Aggregate(template, items)
	if err != nil {
		return reconcile.Result{}, err
	}
	old, _, _ := unstructured.NestedMap(template.Object, "status")
	if newStatus != nil && !apiequality.Semantic.DeepEqual(normalize(old), normalize(newStatus)) {
		// The template only counts replicas: nothing but the settled
		// state is news there.
		due, err := r.writeWhenDue(templateKey, template, settled, settled, func() error {
			template.Object["status"] = newStatus
			return r.Client.Status().Update(ctx, template)
		})
		if err != nil {
			return reconcile.Result{}, err
		}
		if due > 0 && (wait == 0 || due < wait) {
			wait = due
		}
	} else if settled {
		r.status.Done(templateKey)
	}
	return reconcile.Result{RequeueAfter: wait}, nil
}

// writeWhenDue writes obj's changed status now when it is news, or when
// the progress interval has passed for key; otherwise it returns how long
// to wait.
func (r *Reconciler) writeWhenDue(key statusKey, obj client.Object, news, settled bool, write func() error) (time.Duration, error) {
	return r.status.Write(key, obj, news, settled, func() error {
		if err := write(); err != nil {
			return err
		}
		klog.V(4).InfoS("status written", "binding", key.binding, "template", key.template, "news", news, "settled", settled)
		return nil
	})
}

// isNews reports whether a binding's new aggregated status is worth a
// write at once: it settled, or an apply failed or stopped failing.
// Members applying and starting their objects are progress.
func isNews(before, after []workv1alpha2.AggregatedStatusItem, settled bool) bool {
	return settled || (!sameApplyResults(before, after) && (hasApplyFailure(after) || hasApplyFailure(before)))
}

// sameApplyResults reports whether two aggregated statuses hold the same
// clusters with the same apply results, whatever their counters.
func sameApplyResults(a, b []workv1alpha2.AggregatedStatusItem) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].ClusterName != b[i].ClusterName || a[i].Applied != b[i].Applied || a[i].AppliedMessage != b[i].AppliedMessage {
			return false
		}
	}
	return true
}

// collect reads each scheduled member's Work into an aggregated status
// item. allApplied: every member applied its Work; settled: and every copy
// is healthy.
func collect(spec *workv1alpha2.ResourceBindingSpec, works map[string]*workv1alpha1.Work, refused map[string]error) (
	items []workv1alpha2.AggregatedStatusItem, allApplied, settled bool) {
	targets := spec.Targets()
	items = make([]workv1alpha2.AggregatedStatusItem, 0, len(targets))
	allApplied = len(targets) > 0
	// Nothing is settled before some member has been chosen.
	settled = allApplied
	for _, target := range targets {
		item := workv1alpha2.AggregatedStatusItem{ClusterName: target.Name, Health: workv1alpha1.ResourceUnknownHealth}
		if w, ok := works[target.Name]; ok {
			if c := meta.FindStatusCondition(w.Status.Conditions, workv1alpha1.WorkApplied); c != nil {
				item.Applied = c.Status == metav1.ConditionTrue
				if !item.Applied {
					item.AppliedMessage = c.Message
				}
			}
			if len(w.Status.ManifestStatuses) > 0 {
				item.Status = w.Status.ManifestStatuses[0].Status
				if h := w.Status.ManifestStatuses[0].Health; h != "" {
					item.Health = h
				}
			}
		}
		if err := refused[target.Name]; err != nil {
			item.Applied, item.AppliedMessage = false, err.Error()
		}
		allApplied = allApplied && item.Applied
		settled = settled && item.Applied && item.Health == workv1alpha1.ResourceHealthy
		items = append(items, item)
	}
	sort.Slice(items, func(i, j int) bool { return items[i].ClusterName < items[j].ClusterName })
	return items, allApplied, settled
}

// reportToPolicies records, on each override policy that tried to change
// a member copy's identity, an event saying it was refused, so the
// policy's author sees it where they look.
func (r *Reconciler) reportToPolicies(binding workv1alpha2.Binding, refused map[string]error) {
	reported := map[client.Object]bool{}
	for _, err := range refused {
		var idErr *overrides.IdentityError
		if errors.As(err, &idErr) && !reported[idErr.Policy] {
			reported[idErr.Policy] = true
			r.Recorder.Eventf(idErr.Policy, binding, corev1.EventTypeWarning, events.ApplyOverridePolicyFailed, "ApplyOverridePolicy", "%s", err.Error())
		}
	}
}

// hasApplyFailure reports whether a member reported a failed apply (not
// merely one still pending).
func hasApplyFailure(items []workv1alpha2.AggregatedStatusItem) bool {
	for _, it := range items {
		if !it.Applied && it.AppliedMessage != "" {
			return true
		}
	}
	return false
}

func notAppliedMessage(items []workv1alpha2.AggregatedStatusItem) string {
	if len(items) == 0 {
		return "no cluster is scheduled"
	}
	for _, it := range items {
		if !it.Applied {
			if it.AppliedMessage != "" {
				return fmt.Sprintf("cluster %s: %s", it.ClusterName, it.AppliedMessage)
			}
			return fmt.Sprintf("cluster %s has not applied its work yet", it.ClusterName)
		}
	}
	return ""
}

// normalize makes two statuses comparable whatever the numeric types
// (int64 from us, float64 or int64 from a decoded object), and leaves out
// zero counters: the API server drops them from the built-in kinds we sum
// (omitempty), so writing them would change nothing and cost a write.
func normalize(m map[string]any) map[string]any {
	data, _ := json.Marshal(m)
	out := map[string]any{}
	_ = json.Unmarshal(data, &out)
	for k, v := range out {
		if f, ok := v.(float64); ok && f == 0 {
			delete(out, k)
		}
	}
	return out
}
