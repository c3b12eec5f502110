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

// Package execution applies each Work to its member cluster with
// server-side apply, records what the member made of it in the Work's
// status, and removes the member's objects when the Work goes. It never
// takes over a member object that is not ours unless the policy says
// Overwrite.
package execution

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
	authorizationv1 "k8s.io/api/authorization/v1"
	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/dynamic"
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
	"sigs.k8s.io/controller-runtime/pkg/source"

	clusterv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/cluster/v1alpha1"
	workv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha1"
	"github.com/kubectl-karmada/kubectl-karmada/controllers/enqueue"
	"github.com/kubectl-karmada/kubectl-karmada/internal/events"
	"github.com/kubectl-karmada/kubectl-karmada/internal/member"
	"github.com/kubectl-karmada/kubectl-karmada/internal/memberaccess"
	"github.com/kubectl-karmada/kubectl-karmada/internal/names"
	"github.com/kubectl-karmada/kubectl-karmada/internal/statuswrite"
	"github.com/kubectl-karmada/kubectl-karmada/internal/workload"
)

// Reasons in the Work's Applied condition.
const (
	reasonApplied     = "AppliedSuccessful"
	reasonApplyFailed = "AppliedFailed"
	reasonConflict    = "ConflictFound"
	reasonSuspended   = "DispatchingSuspended"
	// reasonManifestInvalid: a manifest of the Work is not an object
	// (not JSON, or no apiVersion or kind). Trying again cannot help:
	// the Work waits for its spec to change.
	reasonManifestInvalid = "ManifestInvalid"
	unreachableRetryBase  = 5 * time.Second
	// statusBatchDelay is how long member status changes are gathered
	// before one Work status write.
	statusBatchDelay = time.Second
)

// Reconciler applies Works.
type Reconciler struct {
	Client  client.Client
	Members *member.Set
	// Recorder says on a Work when it took over a member's object.
	Recorder recorder.EventRecorder
	// Successes says each success event once per Work generation.
	Successes *events.Successes
	// Workers is how many Works are applied at once.
	Workers int
	// ProgressInterval is the least time between two status writes of a
	// Work whose objects are still starting (zero: every change is
	// written), and ProgressBudget, when set, bounds such writes per
	// second together with other controllers. Failed applies and the
	// moment every object is healthy are written at once.
	ProgressInterval time.Duration
	ProgressBudget   *rate.Limiter

	watches *memberWatches
	// status paces the Works' status writes and remembers them until the
	// cache shows them.
	status statuswrite.Status[types.NamespacedName]
	// applied remembers, per Work, the generation last applied and what it
	// made: the status may not say so yet (progress is paced), and a
	// member status change must not lead to applying again.
	applied sync.Map // types.NamespacedName -> appliedWork

	// namespaces remembers the member namespaces known to exist, and those
	// where the member identity's Secrets binding stands (secretAccessKey),
	// so an apply does not ask each time.
	namespaces sync.Map
}

// SetupWithManager registers the controller. Besides Work events, it is
// woken by changes of the objects it applied in members (through watches
// limited to our label), so member status flows back within a second.
func (r *Reconciler) SetupWithManager(mgr ctrl.Manager) error {
	events := make(chan event.TypedGenericEvent[memberChange], 1024)
	r.watches = newMemberWatches(events)
	r.status.Interval, r.status.Budget = r.ProgressInterval, r.ProgressBudget
	return ctrl.NewControllerManagedBy(mgr).Named("execution").
		For(&workv1alpha1.Work{}, builder.WithPredicates(predicate.Or(predicate.GenerationChangedPredicate{}, predicate.LabelChangedPredicate{}, enqueue.DeletionStarted()))).
		WatchesRawSource(source.TypedChannel[memberChange, reconcile.Request](events, handler.TypedFuncs[memberChange, reconcile.Request]{
			// A member's status changes in bursts (pods become ready one by
			// one); waiting a moment folds a burst into one status write.
			// An object that became healthy is reported at once: that is
			// the moment the template's readiness waits for.
			GenericFunc: func(_ context.Context, e event.TypedGenericEvent[memberChange], q workqueue.TypedRateLimitingInterface[reconcile.Request]) {
				req := reconcile.Request{NamespacedName: e.Object.work}
				if e.Object.healthy {
					q.Add(req)
				} else {
					q.AddAfter(req, statusBatchDelay)
				}
			},
		})).
		WithOptions(controller.Options{MaxConcurrentReconciles: max(1, r.Workers)}).
		Complete(r)
}

// Reconcile applies one Work, or removes its objects when it is deleted.
func (r *Reconciler) Reconcile(ctx context.Context, req reconcile.Request) (reconcile.Result, error) {
	cluster := names.ClusterFromExecutionSpace(req.Namespace)
	if cluster == "" {
		return reconcile.Result{}, nil
	}
	work := &workv1alpha1.Work{}
	if err := r.Client.Get(ctx, req.NamespacedName, work); err != nil {
		if apierrors.IsNotFound(err) {
			r.forget(req.NamespacedName)
		}
		return reconcile.Result{}, client.IgnoreNotFound(err)
	}
	member, memberErr := r.Members.Get(ctx, cluster)

	if !work.DeletionTimestamp.IsZero() {
		r.forget(req.NamespacedName)
		r.Successes.Forget(work.UID)
		if !controllerutil.ContainsFinalizer(work, names.ExecutionFinalizer) {
			return reconcile.Result{}, nil
		}
		switch {
		case apierrors.IsNotFound(memberErr):
			// The cluster left: nothing to clean up there any more.
		case r.leavingUnreachable(ctx, cluster, memberErr):
			// As Karmada does: a member that is leaving and cannot be
			// reached (or never could) is not waited for, or its unjoin
			// would never end.
		case memberErr != nil:
			return reconcile.Result{RequeueAfter: unreachableRetryBase}, nil
		case !r.preserve(ctx, work, cluster):
			if err := r.deleteFromMember(ctx, member, work); err != nil {
				return reconcile.Result{}, err
			}
		}
		controllerutil.RemoveFinalizer(work, names.ExecutionFinalizer)
		return reconcile.Result{}, client.IgnoreNotFound(r.Client.Update(ctx, work))
	}
	if controllerutil.AddFinalizer(work, names.ExecutionFinalizer) {
		if err := r.Client.Update(ctx, work); err != nil {
			return reconcile.Result{}, err
		}
	}
	if memberErr != nil {
		return r.setStatus(ctx, work, applied(metav1.ConditionFalse, reasonApplyFailed, fmt.Sprintf("cluster %s cannot be reached: %v", cluster, memberErr)), nil)
	}
	if work.Spec.SuspendDispatching != nil && *work.Spec.SuspendDispatching {
		return r.setStatus(ctx, work, applied(metav1.ConditionFalse, reasonSuspended, "dispatching is suspended by the policy: the member keeps its last copy"), work.Status.ManifestStatuses)
	}

	// Woken by a member status change for a Work already applied at its
	// generation: read the status from the watch, write nothing there.
	if statuses, ok := r.reflectCached(member, work); ok {
		return r.setStatus(ctx, work, applied(metav1.ConditionTrue, reasonApplied, "manifests have been applied to the member"), statuses)
	}

	cond, statuses := r.applyAll(ctx, member, work)
	reason := cond.Reason
	if reason == reasonApplied {
		r.applied.Store(req.NamespacedName, appliedWork{generation: work.Generation, statuses: statuses})
	} else {
		r.applied.Delete(req.NamespacedName)
	}
	if reason == reasonManifestInvalid && work.Generation != invalidSeen(work) {
		// Said once per generation: the Work is not tried again until it changes.
		r.Recorder.Eventf(work, nil, corev1.EventTypeWarning, events.SyncFailed, "Sync", "%s", events.WorkNotSynced(work, cluster, cond.Message))
	}
	if reason == reasonApplied && r.Successes.First(work, events.SyncSucceed) {
		r.Recorder.Eventf(work, nil, corev1.EventTypeNormal, events.SyncSucceed, "Sync", "%s", events.WorkSynced(work, cluster))
	}
	result, err := r.setStatus(ctx, work, cond, statuses)
	if err != nil {
		return reconcile.Result{}, err
	}
	if reason == reasonApplyFailed {
		return reconcile.Result{RequeueAfter: unreachableRetryBase}, nil
	}
	return result, nil
}

// applyAll applies every manifest of the Work to the member and returns
// the Applied condition (its reason says the worst that happened: an
// invalid manifest, a conflict, a failed apply) and each object's status.
func (r *Reconciler) applyAll(ctx context.Context, member *member.Member, work *workv1alpha1.Work) (metav1.Condition, []workv1alpha1.ManifestStatus) {
	var statuses []workv1alpha1.ManifestStatus
	var problems []string
	reason := reasonApplied
	for i, m := range work.Spec.Workload.Manifests {
		obj := &unstructured.Unstructured{}
		if err := obj.UnmarshalJSON(m.Raw); err != nil {
			reason = reasonManifestInvalid
			problems = append(problems, fmt.Sprintf("manifest %d is not an object this controller can apply: %v", i, err))
			continue
		}
		st, conflict, err := r.apply(ctx, member, work, obj)
		if err != nil {
			switch {
			case reason == reasonManifestInvalid:
			case conflict:
				reason = reasonConflict
			case reason == reasonApplied:
				reason = reasonApplyFailed
			}
			problems = append(problems, err.Error())
			continue
		}
		st.Identifier.Ordinal = i
		statuses = append(statuses, *st)
	}
	if len(problems) > 0 {
		return applied(metav1.ConditionFalse, reason, strings.Join(problems, "; ")), statuses
	}
	return applied(metav1.ConditionTrue, reasonApplied, "manifests have been applied to the member"), statuses
}

// invalidSeen is the generation at which the Work's status already said
// its manifests are invalid (0 when it does not).
func invalidSeen(work *workv1alpha1.Work) int64 {
	c := meta.FindStatusCondition(work.Status.Conditions, workv1alpha1.WorkApplied)
	if c == nil || c.Reason != reasonManifestInvalid {
		return 0
	}
	return c.ObservedGeneration
}

// appliedWork is what one successful apply of a Work made.
type appliedWork struct {
	generation int64
	statuses   []workv1alpha1.ManifestStatus
}

// reflectCached returns the Work's manifest statuses read from the member
// watches, when the Work was applied at its current generation (by this
// process, or as its status says) and every object is in the watch cache.
func (r *Reconciler) reflectCached(member *member.Member, work *workv1alpha1.Work) ([]workv1alpha1.ManifestStatus, bool) {
	var made []workv1alpha1.ManifestStatus
	if a, ok := r.applied.Load(client.ObjectKeyFromObject(work)); ok && a.(appliedWork).generation == work.Generation {
		made = a.(appliedWork).statuses
	} else if cond := meta.FindStatusCondition(work.Status.Conditions, workv1alpha1.WorkApplied); cond != nil &&
		cond.Status == metav1.ConditionTrue && cond.ObservedGeneration == work.Generation {
		made = work.Status.ManifestStatuses
	}
	if len(made) == 0 || len(made) != len(work.Spec.Workload.Manifests) {
		return nil, false
	}
	out := make([]workv1alpha1.ManifestStatus, 0, len(made))
	for _, ms := range made {
		id := ms.Identifier
		gvr := schema.GroupVersionResource{Group: id.Group, Version: id.Version, Resource: id.Resource}
		obj, ok := r.watches.cached(member, gvr, id.Namespace, id.Name)
		if !ok {
			return nil, false
		}
		status, health, err := workload.Reflect(obj)
		if err != nil {
			return nil, false
		}
		ms.Status, ms.Health = status, health
		out = append(out, ms)
	}
	return out, true
}

// forget drops what is remembered of a Work that is going.
func (r *Reconciler) forget(key types.NamespacedName) {
	r.status.Forget(key)
	r.applied.Delete(key)
}

// leavingUnreachable reports whether cluster is being removed while its
// member cannot be reached: no credentials to reach it with (memberErr),
// or not ready.
func (r *Reconciler) leavingUnreachable(ctx context.Context, cluster string, memberErr error) bool {
	c := &clusterv1alpha1.Cluster{}
	if err := r.Client.Get(ctx, client.ObjectKey{Name: cluster}, c); err != nil || c.DeletionTimestamp.IsZero() {
		return false
	}
	return memberErr != nil || !meta.IsStatusConditionTrue(c.Status.Conditions, clusterv1alpha1.ClusterConditionReady)
}

// preserve reports whether a deleted Work's objects stay in the member:
// the policy asks for it, or the member is leaving with its resources kept.
func (r *Reconciler) preserve(ctx context.Context, work *workv1alpha1.Work, cluster string) bool {
	if work.Spec.PreserveResourcesOnDeletion != nil && *work.Spec.PreserveResourcesOnDeletion {
		return true
	}
	c := &clusterv1alpha1.Cluster{}
	return r.Client.Get(ctx, client.ObjectKey{Name: cluster}, c) == nil && c.Annotations[names.KeepResourcesAnnotation] == "true"
}

// apply writes one object to the member. conflict is true when the member
// holds an object of that name that is not ours and may not be taken over.
func (r *Reconciler) apply(ctx context.Context, member *member.Member, work *workv1alpha1.Work, obj *unstructured.Unstructured) (*workv1alpha1.ManifestStatus, bool, error) {
	gvk := obj.GroupVersionKind()
	mapping, err := member.Mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
	if meta.IsNoMatchError(err) {
		member.Mapper.Reset() // a CRD may have arrived since discovery
		mapping, err = member.Mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
	}
	if meta.IsNoMatchError(err) {
		return nil, false, fmt.Errorf("%s %s: the member does not serve this kind: %w", gvk.Kind, obj.GetName(), err)
	}
	if err != nil {
		return nil, false, fmt.Errorf("%s %s: reading the member's API (discovery): %w", gvk.Kind, obj.GetName(), err)
	}
	var res dynamic.ResourceInterface = member.Dynamic.Resource(mapping.Resource)
	if mapping.Scope.Name() == meta.RESTScopeNameNamespace {
		if err := r.ensureNamespace(ctx, member, obj.GetNamespace()); err != nil {
			return nil, false, err
		}
		res = member.Dynamic.Resource(mapping.Resource).Namespace(obj.GetNamespace())
	}
	if mapping.Resource == secrets {
		// The member identity holds Secrets only where it binds them to
		// itself, so it cannot watch them cluster-wide: each Secret is
		// looked up before its apply instead.
		if err := r.ensureSecretAccess(ctx, member, obj.GetNamespace()); err != nil {
			return nil, false, err
		}
	} else if err := r.watches.ensure(member, mapping.Resource); err != nil {
		return nil, false, err
	}

	// An object in the watch cache is ours (the watch only sees ours), so
	// only an object missing from it needs a look in the member.
	var tookOverFrom []string
	if _, ours := r.watches.cached(member, mapping.Resource, obj.GetNamespace(), obj.GetName()); !ours {
		existing, err := res.Get(ctx, obj.GetName(), metav1.GetOptions{})
		switch {
		case apierrors.IsNotFound(err):
		case err != nil:
			return nil, false, fmt.Errorf("%s %s: %w%s", gvk.Kind, obj.GetName(), err, grantHint(err, member.Name, mapping.Resource))
		case existing.GetLabels()[names.ManagedByLabel] == "true":
		case gvk.GroupKind() == namespaceKind:
			// A namespace is a shared container, not a workload: the
			// member's own is adopted (our labels join its fields, none of
			// them removed) and left in place when ours goes.
			if err := adopt(ctx, res, existing); err != nil {
				return nil, false, fmt.Errorf("adopting namespace %s: %w", obj.GetName(), err)
			}
		case obj.GetAnnotations()[names.ConflictResolutionAnnotation] != "overwrite":
			return nil, true, fmt.Errorf("%s %s/%s already exists in the member and is not managed by karmada; set conflictResolution: Overwrite in the policy to take it over",
				gvk.Kind, obj.GetNamespace(), obj.GetName())
		default:
			if tookOverFrom, err = takeOver(ctx, res, existing); err != nil {
				return nil, false, fmt.Errorf("taking over %s %s/%s: %w", gvk.Kind, obj.GetNamespace(), obj.GetName(), err)
			}
		}
	}

	data, err := json.Marshal(obj.Object)
	if err != nil {
		return nil, false, err
	}
	out, err := res.Patch(ctx, obj.GetName(), types.ApplyPatchType, data, metav1.PatchOptions{FieldManager: names.FieldManager, Force: ptrTrue()})
	if err != nil {
		if apierrors.IsNotFound(err) {
			r.namespaces.Delete(member.Name + "/" + obj.GetNamespace()) // someone deleted it
		}
		if apierrors.IsForbidden(err) && mapping.Resource == secrets {
			r.namespaces.Delete(secretAccessKey(member.Name, obj.GetNamespace())) // its binding went (an unjoin)
		}
		return nil, false, fmt.Errorf("applying %s %s: %w%s", gvk.Kind, obj.GetName(), err, grantHint(err, member.Name, mapping.Resource))
	}
	if tookOverFrom != nil {
		r.Recorder.Eventf(work, nil, corev1.EventTypeNormal, "TakeOverSucceed", "TakeOver",
			"took over %s %s/%s in cluster %s from %s (conflictResolution: Overwrite); what the template does not set was removed",
			gvk.Kind, obj.GetNamespace(), obj.GetName(), member.Name, strings.Join(tookOverFrom, ", "))
	}
	status, health, err := workload.Reflect(out)
	if err != nil {
		return nil, false, err
	}
	return &workv1alpha1.ManifestStatus{
		Identifier: workv1alpha1.ResourceIdentifier{
			Group: gvk.Group, Version: gvk.Version, Kind: gvk.Kind, Resource: mapping.Resource.Resource,
			Namespace: obj.GetNamespace(), Name: obj.GetName(),
		},
		Status: status,
		Health: health,
	}, false, nil
}

// grantHint tells, after a refusal by the member's RBAC (not by its guard
// of protected namespaces, which no grant lifts), how to let the member
// identity write that kind: it holds workloads only, unless join granted
// more.
func grantHint(err error, cluster string, gvr schema.GroupVersionResource) string {
	if !apierrors.IsForbidden(err) || gvr == secrets || strings.Contains(err.Error(), "denied request") {
		return ""
	}
	return fmt.Sprintf("; the member identity of %s holds workloads only: join %s again with --grant %s/%s to let it write %s (docs/security.md says what that allows)",
		cluster, cluster, gvr.Group, gvr.Resource, gvr.Resource)
}

// deleteFromMember removes the Work's objects from the member, leaving
// alone any that are no longer ours.
func (r *Reconciler) deleteFromMember(ctx context.Context, member *member.Member, work *workv1alpha1.Work) error {
	for _, m := range work.Spec.Workload.Manifests {
		obj := &unstructured.Unstructured{}
		if err := obj.UnmarshalJSON(m.Raw); err != nil {
			continue
		}
		gvk := obj.GroupVersionKind()
		mapping, err := member.Mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
		if err != nil {
			continue // the kind is gone from the member, so is the object
		}
		var res dynamic.ResourceInterface = member.Dynamic.Resource(mapping.Resource)
		if mapping.Scope.Name() == meta.RESTScopeNameNamespace {
			res = member.Dynamic.Resource(mapping.Resource).Namespace(obj.GetNamespace())
		}
		existing, err := res.Get(ctx, obj.GetName(), metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			continue
		}
		if err != nil {
			return err
		}
		if existing.GetLabels()[names.WorkNameLabel] != work.Name {
			continue
		}
		if existing.GetAnnotations()[AdoptedAnnotation] == "true" {
			if err := release(ctx, res, existing); err != nil {
				return err
			}
			continue
		}
		background := metav1.DeletePropagationBackground
		if err := res.Delete(ctx, obj.GetName(), metav1.DeleteOptions{PropagationPolicy: &background}); client.IgnoreNotFound(err) != nil {
			return err
		}
	}
	return nil
}

func (r *Reconciler) ensureNamespace(ctx context.Context, member *member.Member, ns string) error {
	key := member.Name + "/" + ns
	if _, known := r.namespaces.Load(key); ns == "" || known {
		return nil
	}
	_, err := member.Kube.CoreV1().Namespaces().Get(ctx, ns, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		// Labelled ours: the namespace's own Work (namespace sync) then
		// finds it ours, and removes it when the namespace goes.
		_, err = member.Kube.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns,
			Labels: map[string]string{names.ManagedByLabel: "true"}}}, metav1.CreateOptions{})
		if apierrors.IsAlreadyExists(err) {
			err = nil
		}
	}
	if err != nil {
		return fmt.Errorf("namespace %s in the member: %w", ns, err)
	}
	r.namespaces.Store(key, true)
	return nil
}

var secrets = corev1.SchemeGroupVersion.WithResource("secrets")

// secretAccessKey remembers, beside the namespaces, where the member
// identity's Secrets binding is known to stand.
func secretAccessKey(member, ns string) string { return member + "/" + ns + "/secrets" }

// ensureSecretAccess binds the member identity's Secrets role in ns, once
// per member and namespace, and waits until the member's authorizer shows
// it. The member's admission guard refuses the binding in a protected
// namespace, and says so.
func (r *Reconciler) ensureSecretAccess(ctx context.Context, member *member.Member, ns string) error {
	key := secretAccessKey(member.Name, ns)
	if _, known := r.namespaces.Load(key); known {
		return nil
	}
	_, err := member.Kube.RbacV1().RoleBindings(ns).Create(ctx, memberaccess.SecretsBinding(member.Name, ns), metav1.CreateOptions{})
	if err != nil && !apierrors.IsAlreadyExists(err) {
		return fmt.Errorf("binding the Secrets role in namespace %s of the member: %w", ns, err)
	}
	// RBAC takes a moment to see a new binding.
	review := &authorizationv1.SelfSubjectAccessReview{Spec: authorizationv1.SelfSubjectAccessReviewSpec{
		ResourceAttributes: &authorizationv1.ResourceAttributes{Namespace: ns, Verb: "patch", Resource: "secrets"}}}
	err = wait.PollUntilContextTimeout(ctx, 50*time.Millisecond, 5*time.Second, true, func(ctx context.Context) (bool, error) {
		out, err := member.Kube.AuthorizationV1().SelfSubjectAccessReviews().Create(ctx, review, metav1.CreateOptions{})
		return err == nil && out.Status.Allowed, err
	})
	if err != nil {
		return fmt.Errorf("waiting for the right to write Secrets in namespace %s of the member: %w", ns, err)
	}
	r.namespaces.Store(key, true)
	return nil
}

func applied(status metav1.ConditionStatus, reason, message string) metav1.Condition {
	return metav1.Condition{Type: workv1alpha1.WorkApplied, Status: status, Reason: reason, Message: message}
}

// setStatus writes the Work's status when it changed: at once when an
// apply failed (or stopped failing) or every object became healthy;
// otherwise, while the objects start, as the progress pacer allows (the
// result then says when to come back).
func (r *Reconciler) setStatus(ctx context.Context, work *workv1alpha1.Work, cond metav1.Condition, statuses []workv1alpha1.ManifestStatus) (reconcile.Result, error) {
	key := client.ObjectKeyFromObject(work)
	before := work.Status.DeepCopy()
	cond.ObservedGeneration = work.Generation
	meta.SetStatusCondition(&work.Status.Conditions, cond)
	work.Status.ManifestStatuses = statuses
	available := metav1.Condition{Type: workv1alpha1.WorkAvailable, Status: metav1.ConditionFalse, Reason: "NotAvailable", ObservedGeneration: work.Generation,
		Message: "some objects are not healthy yet"}
	if cond.Status == metav1.ConditionTrue && allHealthy(statuses) {
		available.Status, available.Reason, available.Message = metav1.ConditionTrue, "Available", "all objects are healthy"
	}
	meta.SetStatusCondition(&work.Status.Conditions, available)
	r.setDispatching(work, before.Conditions)
	settled := available.Status == metav1.ConditionTrue
	if settled && r.Successes.First(work, events.ReflectStatusSucceed) {
		// Once the objects are healthy at this generation: their status is
		// in the Work, and their health known.
		for _, s := range statuses {
			id := s.Identifier
			r.Recorder.Eventf(work, nil, corev1.EventTypeNormal, events.ReflectStatusSucceed, "ReflectStatus", "%s", events.Reflected(id.Kind, id.Namespace, id.Name))
			r.Recorder.Eventf(work, nil, corev1.EventTypeNormal, events.InterpretHealthSucceed, "InterpretHealth", "%s", events.Healthy(id.Kind, id.Namespace, id.Name, string(s.Health)))
		}
	}
	if apiequality.Semantic.DeepEqual(before, &work.Status) {
		if settled {
			r.status.Done(key)
		}
		return reconcile.Result{}, nil
	}
	if r.status.Stale(key, work.ResourceVersion) {
		return reconcile.Result{RequeueAfter: statuswrite.LookAgain}, nil
	}
	wait, err := r.status.Write(key, work, isNews(before.Conditions, work.Status.Conditions, settled), settled, func() error {
		if err := r.Client.Status().Update(ctx, work); err != nil {
			return err
		}
		klog.V(4).InfoS("status written", "work", key, "settled", settled)
		return nil
	})
	return reconcile.Result{RequeueAfter: wait}, err
}

// setDispatching sets Karmada's Dispatching condition, with its reasons
// and messages, and says so in a WorkDispatching event when dispatching
// is suspended or resumed (not when a Work starts as dispatched, which is
// every Work).
func (r *Reconciler) setDispatching(work *workv1alpha1.Work, before []metav1.Condition) {
	cond := metav1.Condition{Type: workv1alpha1.WorkDispatching, Status: metav1.ConditionTrue, Reason: "Dispatching",
		Message: "Work is being dispatched to member clusters.", ObservedGeneration: work.Generation}
	if work.Spec.SuspendDispatching != nil && *work.Spec.SuspendDispatching {
		cond.Status, cond.Reason, cond.Message = metav1.ConditionFalse, "SuspendDispatching", "Work dispatching is in a suspended state."
	}
	meta.SetStatusCondition(&work.Status.Conditions, cond)
	prev := meta.FindStatusCondition(before, workv1alpha1.WorkDispatching)
	if (prev == nil && cond.Status == metav1.ConditionFalse) || (prev != nil && prev.Status != cond.Status) {
		r.Recorder.Eventf(work, nil, corev1.EventTypeNormal, events.WorkDispatching, "Dispatch", "%s", cond.Message)
	}
}

// isNews reports whether a Work's new status is worth a write at once:
// every object is healthy (settled), or an apply failed or stopped
// failing. An apply that went well is progress until the objects are
// healthy.
func isNews(before, after []metav1.Condition, settled bool) bool {
	failing := func(conds []metav1.Condition) bool {
		c := meta.FindStatusCondition(conds, workv1alpha1.WorkApplied)
		return c != nil && c.Status != metav1.ConditionTrue
	}
	return settled || (!sameCondition(before, after, workv1alpha1.WorkApplied) && (failing(before) || failing(after)))
}

// sameCondition reports whether a condition says the same in two lists,
// its transition time aside.
func sameCondition(a, b []metav1.Condition, condType string) bool {
	x, y := meta.FindStatusCondition(a, condType), meta.FindStatusCondition(b, condType)
	if x == nil || y == nil {
		return x == y
	}
	return x.Status == y.Status && x.Reason == y.Reason && x.Message == y.Message && x.ObservedGeneration == y.ObservedGeneration
}

func allHealthy(statuses []workv1alpha1.ManifestStatus) bool {
	for _, s := range statuses {
		if s.Health != workv1alpha1.ResourceHealthy {
			return false
		}
	}
	return len(statuses) > 0
}

func ptrTrue() *bool { t := true; return &t }
