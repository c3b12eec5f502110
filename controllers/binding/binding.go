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
	"fmt"
	"sort"
	"strconv"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/util/workqueue"
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
	"github.com/kubectl-karmada/kubectl-karmada/internal/names"
	"github.com/kubectl-karmada/kubectl-karmada/internal/overrides"
	"github.com/kubectl-karmada/kubectl-karmada/internal/workload"
)

// Reconciler renders Works and aggregates status for bindings.
type Reconciler struct {
	Client   client.Client
	Recorder recorder.EventRecorder
	// Workers is how many bindings are handled at once.
	Workers int

	// lastStatusWrite holds, per binding still progressing, when its
	// status was last written.
	lastStatusWrite sync.Map
}

// SetupWithManager registers one controller per binding kind, each also
// woken by the Works of its bindings.
func (r *Reconciler) SetupWithManager(mgr ctrl.Manager) error {
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
	// progressInterval is the least time between two status writes of a
	// binding whose members are still progressing.
	progressInterval = 3 * time.Second
)

// workEvents wakes a Work's binding: at once when the Work appears or goes,
// and a moment later for status changes, which come in bursts (one per
// member, several per rollout).
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
			if req, ok := owner(e.ObjectNew); ok {
				q.AddAfter(req, statusBatchDelay)
			}
		},
		DeleteFunc: func(_ context.Context, e event.DeleteEvent, q queue) {
			if req, ok := owner(e.Object); ok {
				q.Add(req)
			}
		},
	}
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

	if err := r.syncWorks(ctx, binding, template, works); err != nil {
		r.Recorder.Eventf(template, binding, corev1.EventTypeWarning, "SyncWorkFailed", "SyncWork", "%s", err.Error())
		return reconcile.Result{}, err
	}
	return r.aggregate(ctx, binding, template, works)
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
	for _, w := range works {
		if w.DeletionTimestamp.IsZero() {
			if err := r.Client.Delete(ctx, w); client.IgnoreNotFound(err) != nil {
				return err
			}
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

// syncWorks makes one Work per scheduled cluster and deletes the others.
func (r *Reconciler) syncWorks(ctx context.Context, binding workv1alpha2.Binding, template *unstructured.Unstructured, works map[string]*workv1alpha1.Work) error {
	spec := binding.BindingSpec()
	wanted := map[string]bool{}
	ops, err := overrides.ForTemplate(ctx, r.Client, template)
	if err != nil {
		return err
	}
	live, err := r.liveClusters(ctx)
	if err != nil {
		return err
	}
	for _, target := range spec.Clusters {
		if !live[target.Name] {
			// Left, or leaving: its Work goes whatever the scheduler says.
			continue
		}
		wanted[target.Name] = true
		manifest, err := r.render(template, spec, target, ops)
		if err != nil {
			return fmt.Errorf("rendering %s for %s: %w", template.GetName(), target.Name, err)
		}
		if err := r.writeWork(ctx, binding, template, target.Name, manifest, works[target.Name]); err != nil {
			return err
		}
	}
	for cluster, w := range works {
		if !wanted[cluster] && w.DeletionTimestamp.IsZero() {
			if err := r.Client.Delete(ctx, w); client.IgnoreNotFound(err) != nil {
				return err
			}
		}
	}
	return nil
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

// render makes what one member receives.
func (r *Reconciler) render(template *unstructured.Unstructured, spec *workv1alpha2.ResourceBindingSpec, target workv1alpha2.TargetCluster, ops *overrides.Set) (*unstructured.Unstructured, error) {
	obj := workload.MemberCopy(template)
	if workload.KindHasReplicas(template.GetAPIVersion(), template.GetKind()) {
		if err := workload.SetReplicas(obj, target.Replicas); err != nil {
			return nil, err
		}
	}
	if err := ops.Apply(obj, target.Name); err != nil {
		return nil, err
	}
	ann := obj.GetAnnotations()
	if ann == nil {
		ann = map[string]string{}
	}
	ann[workload.TemplateGenerationAnnotation] = strconv.FormatInt(template.GetGeneration(), 10)
	if spec.ConflictResolution == policyv1alpha1.ConflictOverwrite {
		ann[names.ConflictResolutionAnnotation] = "overwrite"
	}
	obj.SetAnnotations(ann)
	return obj, nil
}

func (r *Reconciler) writeWork(ctx context.Context, binding workv1alpha2.Binding, template *unstructured.Unstructured, cluster string, manifest *unstructured.Unstructured, existing *workv1alpha1.Work) error {
	workName := names.WorkName(template.GetKind(), template.GetName(), template.GetNamespace())
	labels := manifest.GetLabels()
	if labels == nil {
		labels = map[string]string{}
	}
	labels[names.ManagedByLabel] = "true"
	labels[names.WorkNamespaceLabel] = names.ExecutionSpace(cluster)
	labels[names.WorkNameLabel] = workName
	manifest.SetLabels(labels)
	raw, err := manifest.MarshalJSON()
	if err != nil {
		return err
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
		return r.Client.Create(ctx, work)
	}
	if sameWork(before, work) {
		return nil
	}
	return r.Client.Update(ctx, work)
}

// sameWork compares Works by meaning: the manifests as JSON documents,
// whatever their key order.
func sameWork(a, b *workv1alpha1.Work) bool {
	if !apiequality.Semantic.DeepEqual(a.Labels, b.Labels) ||
		!apiequality.Semantic.DeepEqual(a.Spec.SuspendDispatching, b.Spec.SuspendDispatching) ||
		!apiequality.Semantic.DeepEqual(a.Spec.PreserveResourcesOnDeletion, b.Spec.PreserveResourcesOnDeletion) ||
		len(a.Spec.Workload.Manifests) != len(b.Spec.Workload.Manifests) {
		return false
	}
	for i := range a.Spec.Workload.Manifests {
		var x, y map[string]any
		if json.Unmarshal(a.Spec.Workload.Manifests[i].Raw, &x) != nil || json.Unmarshal(b.Spec.Workload.Manifests[i].Raw, &y) != nil {
			return false
		}
		if !apiequality.Semantic.DeepEqual(x, y) {
			return false
		}
	}
	return true
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
// the template's status summed over the members. While members are still
// progressing, it writes at most once per progressInterval; the settled
// state (every member applied and healthy) is written at once.
func (r *Reconciler) aggregate(ctx context.Context, binding workv1alpha2.Binding, template *unstructured.Unstructured, works map[string]*workv1alpha1.Work) (reconcile.Result, error) {
	status := binding.BindingStatus()
	items, statuses, allApplied, settled := collect(binding.BindingSpec(), works)

	key := client.ObjectKeyFromObject(binding)
	if !settled {
		if last, ok := r.lastStatusWrite.Load(key); ok {
			if wait := progressInterval - time.Since(last.(time.Time)); wait > 0 {
				return reconcile.Result{RequeueAfter: wait}, nil
			}
		}
	}
	wrote := false
	before := status.DeepCopy()
	status.AggregatedStatus = items
	cond := metav1.Condition{Type: workv1alpha2.FullyApplied, Status: metav1.ConditionTrue, Reason: "FullyAppliedSuccess",
		Message: "all works have been successfully applied", ObservedGeneration: binding.GetGeneration()}
	if !allApplied {
		cond.Status, cond.Reason, cond.Message = metav1.ConditionFalse, "FullyAppliedFailed", notAppliedMessage(items)
	}
	if old := meta.FindStatusCondition(before.Conditions, workv1alpha2.FullyApplied); !allApplied && hasApplyFailure(items) &&
		(old == nil || old.Message != cond.Message) {
		r.Recorder.Eventf(template, binding, corev1.EventTypeWarning, "ApplyFailed", "Apply", "%s", cond.Message)
	}
	meta.SetStatusCondition(&status.Conditions, cond)
	if !apiequality.Semantic.DeepEqual(before, status) {
		if err := r.Client.Status().Update(ctx, binding); err != nil {
			return reconcile.Result{}, err
		}
		wrote = true
	}

	newStatus, err := workload.Aggregate(template, statuses)
	if err != nil {
		return reconcile.Result{}, err
	}
	old, _, _ := unstructured.NestedMap(template.Object, "status")
	if newStatus != nil && !apiequality.Semantic.DeepEqual(normalize(old), normalize(newStatus)) {
		template.Object["status"] = newStatus
		if err := r.Client.Status().Update(ctx, template); err != nil {
			return reconcile.Result{}, err
		}
		wrote = true
	}
	if wrote {
		r.lastStatusWrite.Store(key, time.Now())
	}
	if settled {
		r.lastStatusWrite.Delete(key)
	}
	return reconcile.Result{}, nil
}

// collect reads each scheduled member's Work into an aggregated status
// item. allApplied: every member applied its Work; settled: and every copy
// is healthy.
func collect(spec *workv1alpha2.ResourceBindingSpec, works map[string]*workv1alpha1.Work) (
	items []workv1alpha2.AggregatedStatusItem, statuses []*runtime.RawExtension, allApplied, settled bool) {
	items = make([]workv1alpha2.AggregatedStatusItem, 0, len(spec.Clusters))
	statuses = make([]*runtime.RawExtension, 0, len(spec.Clusters))
	allApplied = len(spec.Clusters) > 0
	settled = true
	for _, target := range spec.Clusters {
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
		allApplied = allApplied && item.Applied
		settled = settled && item.Applied && item.Health == workv1alpha1.ResourceHealthy
		statuses = append(statuses, item.Status)
		items = append(items, item)
	}
	sort.Slice(items, func(i, j int) bool { return items[i].ClusterName < items[j].ClusterName })
	return items, statuses, allApplied, settled
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
// (int64 from us, float64 or int64 from a decoded object).
func normalize(m map[string]any) map[string]any {
	data, _ := json.Marshal(m)
	out := map[string]any{}
	_ = json.Unmarshal(data, &out)
	return out
}
