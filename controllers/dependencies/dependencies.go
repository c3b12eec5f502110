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

// Package dependencies is Karmada's dependencies distributor: when a
// binding's policy says propagateDeps, the ConfigMaps, Secrets,
// ServiceAccounts and PersistentVolumeClaims its workload references
// (workload.Dependencies) follow it to exactly its clusters, and leave
// with it.
//
// Each dependency gets an attached binding, named as any binding of it
// (<name>-<kind>), whose spec.requiredBy holds one snapshot per binding
// that requires it: that binding's name and clusters. The binding
// controller sends a binding to its own clusters and to every cluster of
// its requiredBy. A dependency that a policy of its own also selects has
// one binding for both: the detector writes its placement, this
// controller only its requiredBy.
//
// An attached binding that no policy places (spec.placement empty) takes
// its conflictResolution and preserveResourcesOnDeletion from the
// bindings that require it, as Karmada decides: Overwrite if any says
// Overwrite, preserve if any says preserve. When they disagree, the
// attached binding says so (a DependencyPolicyConflict condition and
// event) until they agree or the one that disagrees goes.
package dependencies

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/google/uuid"
	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/selection"
	"k8s.io/utils/ptr"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"
	"sigs.k8s.io/controller-runtime/pkg/recorder"

	policyv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/policy/v1alpha1"
	workv1alpha2 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha2"
	"github.com/kubectl-karmada/kubectl-karmada/internal/events"
	"github.com/kubectl-karmada/kubectl-karmada/internal/names"
	"github.com/kubectl-karmada/kubectl-karmada/internal/statuswrite"
	"github.com/kubectl-karmada/kubectl-karmada/internal/workload"
)

// Kinds are the kinds a dependency may be.
var Kinds = []string{"ConfigMap", "Secret", "ServiceAccount", "PersistentVolumeClaim"}

// ConflictCondition is True on an attached binding whose requiring
// bindings' policies disagree on conflictResolution or
// preserveResourcesOnDeletion.
const ConflictCondition = "DependencyPolicyConflict"

// FieldOwner owns ConflictCondition in a binding's status.
const FieldOwner = "dependencies-distributor"

// dependencyIndex indexes ResourceBindings by the dependencies their
// annotation records ("Kind/name"), so a dependency's change finds them.
const dependencyIndex = "dependencies"

// Distributor keeps attached bindings in step with the bindings that
// require them.
type Distributor struct {
	Client   client.Client
	Recorder recorder.EventRecorder
	// Successes says each success event once per binding generation.
	Successes *events.Successes
}

// SetupWithManager watches ResourceBindings that require or are required,
// and the dependency kinds' metadata (their content is the binding
// controller's to read).
func (d *Distributor) SetupWithManager(mgr ctrl.Manager) error {
	if err := mgr.GetFieldIndexer().IndexField(context.Background(), &workv1alpha2.ResourceBinding{}, dependencyIndex, func(o client.Object) []string {
		refs := recorded(o)
		keys := make([]string, 0, len(refs))
		for _, ref := range refs {
			keys = append(keys, ref.Kind+"/"+ref.Name)
		}
		return keys
	}); err != nil {
		return err
	}
	b := ctrl.NewControllerManagedBy(mgr).Named("dependencies-distributor").
		For(&workv1alpha2.ResourceBinding{}, builder.WithPredicates(involved()))
	for _, kind := range Kinds {
		b = b.Watches(dependencyMeta(kind), handler.EnqueueRequestsFromMapFunc(d.concerned(kind)), builder.OnlyMetadata)
	}
	return b.Complete(d)
}

func dependencyMeta(kind string) *metav1.PartialObjectMetadata {
	m := &metav1.PartialObjectMetadata{}
	m.SetGroupVersionKind(corev1.SchemeGroupVersion.WithKind(kind))
	return m
}

// involved passes the bindings this controller has work on: those whose
// policy propagates dependencies (or did), and attached ones.
func involved() predicate.Predicate {
	is := func(o client.Object) bool {
		b, ok := o.(*workv1alpha2.ResourceBinding)
		if !ok {
			return false
		}
		if b.Spec.PropagateDeps || len(b.Spec.RequiredBy) > 0 || b.Annotations[names.DependenciesAnnotation] != "" {
			return true
		}
		for k := range b.Labels {
			if names.IsDependedByLabel(k) {
				return true
			}
		}
		return false
	}
	return predicate.Funcs{
		CreateFunc:  func(e event.CreateEvent) bool { return is(e.Object) },
		DeleteFunc:  func(e event.DeleteEvent) bool { return is(e.Object) },
		UpdateFunc:  func(e event.UpdateEvent) bool { return is(e.ObjectOld) || is(e.ObjectNew) },
		GenericFunc: func(e event.GenericEvent) bool { return is(e.Object) },
	}
}

// concerned maps a dependency to its attached binding and to the bindings
// that record it (one created later must be attached to them).
func (d *Distributor) concerned(kind string) handler.MapFunc {
	return func(ctx context.Context, o client.Object) []reconcile.Request {
		reqs := []reconcile.Request{{NamespacedName: client.ObjectKey{Namespace: o.GetNamespace(), Name: names.BindingName(kind, o.GetName())}}}
		var list workv1alpha2.ResourceBindingList
		if err := d.Client.List(ctx, &list, client.InNamespace(o.GetNamespace()), client.MatchingFields{dependencyIndex: kind + "/" + o.GetName()}); err != nil {
			return reqs
		}
		for _, b := range list.Items {
			reqs = append(reqs, reconcile.Request{NamespacedName: client.ObjectKeyFromObject(&b)})
		}
		return reqs
	}
}

// recorded are the dependencies a binding's annotation records.
func recorded(o client.Object) []workv1alpha2.ObjectReference {
	var refs []workv1alpha2.ObjectReference
	if s := o.GetAnnotations()[names.DependenciesAnnotation]; s != "" {
		_ = json.Unmarshal([]byte(s), &refs) // a hand-edited value records nothing
	}
	return refs
}

// Reconcile handles one binding in both of its possible roles: as one
// that requires dependencies, and as an attached one.
func (d *Distributor) Reconcile(ctx context.Context, req reconcile.Request) (reconcile.Result, error) {
	b := &workv1alpha2.ResourceBinding{}
	err := d.Client.Get(ctx, req.NamespacedName, b)
	if client.IgnoreNotFound(err) != nil {
		return reconcile.Result{}, err
	}
	if apierrors.IsNotFound(err) {
		return reconcile.Result{}, d.release(ctx, req.NamespacedName, nil)
	}
	if err := d.require(ctx, b); err != nil {
		return reconcile.Result{}, err
	}
	return reconcile.Result{}, d.syncAttached(ctx, b)
}

// require attaches b to each of its workload's dependencies and detaches
// it from the others; a binding that does not (or no longer) propagate
// dependencies, or that is going, is detached from all.
func (d *Distributor) require(ctx context.Context, b *workv1alpha2.ResourceBinding) error {
	key := client.ObjectKeyFromObject(b)
	if !b.Spec.PropagateDeps || !b.DeletionTimestamp.IsZero() {
		if err := d.release(ctx, key, nil); err != nil {
			return err
		}
		return d.record(ctx, b, nil)
	}
	template := &unstructured.Unstructured{}
	template.SetGroupVersionKind(schema.FromAPIVersionAndKind(b.Spec.Resource.APIVersion, b.Spec.Resource.Kind))
	if err := d.Client.Get(ctx, client.ObjectKey{Namespace: b.Spec.Resource.Namespace, Name: b.Spec.Resource.Name}, template); err != nil {
		return client.IgnoreNotFound(err) // the template is going; so is b
	}
	deps, err := workload.Dependencies(template)
	if err != nil {
		// Only an edit of the template can mend it.
		d.Recorder.Eventf(template, b, corev1.EventTypeWarning, events.GetDependenciesFailed, "GetDependencies", "%s", err.Error())
		return nil
	}
	if d.Successes.First(b, events.GetDependenciesSucceed) {
		d.Recorder.Eventf(template, b, corev1.EventTypeNormal, events.GetDependenciesSucceed, "GetDependencies", "%s", events.GotDependencies(deps))
	}
	if err := d.record(ctx, b, deps); err != nil {
		return err
	}

	keep := map[string]bool{}
	var errs []error
	for _, dep := range deps {
		a, err := d.attach(ctx, b, dep)
		if err == nil && a != nil {
			// b's policy may have changed what a takes from it.
			err = d.syncAttached(ctx, a)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%s %s: %w", dep.Kind, dep.Name, err))
		}
		if a != nil {
			keep[a.Name] = true
		}
	}
	if err := d.release(ctx, key, keep); err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		if !apierrors.IsConflict(err) {
			d.Recorder.Eventf(b, nil, corev1.EventTypeWarning, events.SyncScheduleResultToDependenciesFailed, "SyncDependencies", "%s", err.Error())
		}
		return err
	}
	if d.Successes.First(b, events.SyncScheduleResultToDependenciesSucceed) {
		d.Recorder.Eventf(b, nil, corev1.EventTypeNormal, events.SyncScheduleResultToDependenciesSucceed, "SyncDependencies", "%s", events.DependenciesSynced)
	}
	return nil
}

// record writes the dependencies of b in its annotation, as Karmada does
// (tools read it; the index finds b by it); nil removes it.
func (d *Distributor) record(ctx context.Context, b *workv1alpha2.ResourceBinding, deps []workv1alpha2.ObjectReference) error {
	value := ""
	if deps != nil {
		data, err := json.Marshal(deps)
		if err != nil {
			return err
		}
		value = string(data)
	}
	if b.Annotations[names.DependenciesAnnotation] == value {
		return nil
	}
	patch := client.MergeFrom(b.DeepCopy())
	if value == "" {
		delete(b.Annotations, names.DependenciesAnnotation)
	} else {
		metav1.SetMetaDataAnnotation(&b.ObjectMeta, names.DependenciesAnnotation, value)
	}
	return d.Client.Patch(ctx, b, patch)
}

// errTaken: a dependency's binding name is held by another object whose
// name folds to the same binding name.
var errTaken = errors.New("its binding name belongs to another object")

// attach puts b's snapshot (its clusters) in the attached binding of dep,
// creating it, and returns that binding; nil when dep does not exist (its
// creation wakes b again).
func (d *Distributor) attach(ctx context.Context, b *workv1alpha2.ResourceBinding, dep workv1alpha2.ObjectReference) (*workv1alpha2.ResourceBinding, error) {
	obj := dependencyMeta(dep.Kind)
	if err := d.Client.Get(ctx, client.ObjectKey{Namespace: dep.Namespace, Name: dep.Name}, obj); err != nil || !obj.DeletionTimestamp.IsZero() {
		return nil, client.IgnoreNotFound(err)
	}
	name := names.BindingName(dep.Kind, dep.Name)
	labelKey, labelValue := names.DependedByLabel(b.Namespace, b.Name)
	snapshot := workv1alpha2.BindingSnapshot{Namespace: b.Namespace, Name: b.Name, Clusters: b.Spec.Clusters}

	a := &workv1alpha2.ResourceBinding{}
	err := d.Client.Get(ctx, client.ObjectKey{Namespace: b.Namespace, Name: name}, a)
	if apierrors.IsNotFound(err) {
		a = &workv1alpha2.ResourceBinding{ObjectMeta: metav1.ObjectMeta{
			Namespace: b.Namespace, Name: name,
			Labels: map[string]string{labelKey: labelValue, names.ResourceBindingPermanentIDLabel: uuid.NewString()},
			// The garbage collector removes it with its dependency.
			OwnerReferences: []metav1.OwnerReference{{APIVersion: "v1", Kind: dep.Kind, Name: dep.Name, UID: obj.UID}},
			// Born with the binding controller's finalizer, as the
			// detector's bindings are.
			Finalizers: []string{names.BindingFinalizer},
		}}
		a.Spec.Resource = resourceOf(dep, obj)
		a.Spec.RequiredBy = []workv1alpha2.BindingSnapshot{snapshot}
		resolve(a, []*workv1alpha2.ResourceBinding{b})
		return a, d.Client.Create(ctx, a)
	}
	if err != nil {
		return nil, err
	}
	if a.Spec.Resource.UID != "" && a.Spec.Resource.UID != obj.UID {
		ref := a.Spec.Resource
		return nil, fmt.Errorf("binding %s: %w, %s %s", name, errTaken, ref.Kind, ref.Name)
	}
	before := a.DeepCopy()
	metav1.SetMetaDataLabel(&a.ObjectMeta, labelKey, labelValue)
	a.Spec.RequiredBy = withSnapshot(a.Spec.RequiredBy, snapshot)
	if apiequality.Semantic.DeepEqual(before, a) {
		return a, nil
	}
	return a, d.Client.Update(ctx, a)
}

// unwanted: an attached binding that no policy places and nothing
// requires any more.
func unwanted(a *workv1alpha2.ResourceBinding) bool {
	return a.Spec.Placement == nil && len(a.Spec.RequiredBy) == 0 && a.Labels[names.PropagationPolicyPermanentIDLabel] == "" &&
		a.Labels[names.ClusterPropagationPolicyPermanentIDLabel] == ""
}

func resourceOf(dep workv1alpha2.ObjectReference, obj *metav1.PartialObjectMetadata) workv1alpha2.ObjectReference {
	return workv1alpha2.ObjectReference{APIVersion: "v1", Kind: dep.Kind, Namespace: dep.Namespace, Name: dep.Name,
		UID: obj.UID, ResourceVersion: obj.ResourceVersion}
}

// withSnapshot puts s in list in place of the one of the same binding,
// sorted by binding, so that writers agree on the order.
func withSnapshot(list []workv1alpha2.BindingSnapshot, s workv1alpha2.BindingSnapshot) []workv1alpha2.BindingSnapshot {
	out := withoutSnapshot(list, client.ObjectKey{Namespace: s.Namespace, Name: s.Name})
	out = append(out, s)
	sort.Slice(out, func(i, j int) bool {
		if out[i].Namespace != out[j].Namespace {
			return out[i].Namespace < out[j].Namespace
		}
		return out[i].Name < out[j].Name
	})
	return out
}

func withoutSnapshot(list []workv1alpha2.BindingSnapshot, key client.ObjectKey) []workv1alpha2.BindingSnapshot {
	out := make([]workv1alpha2.BindingSnapshot, 0, len(list))
	for _, s := range list {
		if s.Namespace != key.Namespace || s.Name != key.Name {
			out = append(out, s)
		}
	}
	return out
}

// release takes the binding key out of the attached bindings that carry
// its label, except those named in keep.
func (d *Distributor) release(ctx context.Context, key client.ObjectKey, keep map[string]bool) error {
	labelKey, _ := names.DependedByLabel(key.Namespace, key.Name)
	has, err := labels.NewRequirement(labelKey, selection.Exists, nil)
	if err != nil {
		return err
	}
	var list workv1alpha2.ResourceBindingList
	if err := d.Client.List(ctx, &list, client.InNamespace(key.Namespace), client.MatchingLabelsSelector{Selector: labels.NewSelector().Add(*has)}); err != nil {
		return err
	}
	var errs []error
	for i := range list.Items {
		a := &list.Items[i]
		if keep[a.Name] {
			continue
		}
		delete(a.Labels, labelKey)
		a.Spec.RequiredBy = withoutSnapshot(a.Spec.RequiredBy, key)
		var err error
		if unwanted(a) {
			err = d.Client.Delete(ctx, a)
		} else {
			err = d.Client.Update(ctx, a)
		}
		if client.IgnoreNotFound(err) != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// syncAttached keeps an attached binding as its requirers say: it drops
// the snapshots of bindings that are gone; one that no policy places
// goes with its last requirer, follows its dependency's resourceVersion
// (so the binding controller sends each change) and takes its
// requirers' conflictResolution and preserveResourcesOnDeletion.
func (d *Distributor) syncAttached(ctx context.Context, a *workv1alpha2.ResourceBinding) error {
	if !a.DeletionTimestamp.IsZero() {
		return nil
	}
	if unwanted(a) {
		return client.IgnoreNotFound(d.Client.Delete(ctx, a))
	}
	if len(a.Spec.RequiredBy) == 0 && !hasConflictCondition(a) {
		return nil // neither attached nor reporting
	}
	before := a.DeepCopy()
	var requirers []*workv1alpha2.ResourceBinding
	for _, s := range a.Spec.RequiredBy {
		r := &workv1alpha2.ResourceBinding{}
		err := d.Client.Get(ctx, client.ObjectKey{Namespace: s.Namespace, Name: s.Name}, r)
		switch {
		case apierrors.IsNotFound(err):
			// Gone while we were not looking (its own pass would have
			// taken it out).
			a.Spec.RequiredBy = withoutSnapshot(a.Spec.RequiredBy, client.ObjectKey{Namespace: s.Namespace, Name: s.Name})
			key, _ := names.DependedByLabel(s.Namespace, s.Name)
			delete(a.Labels, key)
		case err != nil:
			return err
		default:
			requirers = append(requirers, r)
		}
	}
	if unwanted(a) {
		return client.IgnoreNotFound(d.Client.Delete(ctx, a))
	}
	if a.Spec.Placement == nil {
		obj := dependencyMeta(a.Spec.Resource.Kind)
		err := d.Client.Get(ctx, client.ObjectKey{Namespace: a.Spec.Resource.Namespace, Name: a.Spec.Resource.Name}, obj)
		if apierrors.IsNotFound(err) {
			return nil // the garbage collector removes a with it
		}
		if err != nil {
			return err
		}
		a.Spec.Resource = resourceOf(a.Spec.Resource, obj)
		conflicts := resolve(a, requirers)
		if err := d.reportConflicts(ctx, a, conflicts); err != nil {
			return err
		}
	} else if err := d.reportConflicts(ctx, a, nil); err != nil {
		// Its own policy decides: nothing to resolve.
		return err
	}
	if apiequality.Semantic.DeepEqual(before.Spec, a.Spec) && apiequality.Semantic.DeepEqual(before.Labels, a.Labels) {
		return nil
	}
	return d.Client.Update(ctx, a)
}

// resolve sets an attached binding's conflictResolution and
// preserveResourcesOnDeletion from its requirers' and says what they
// disagree on.
func resolve(a *workv1alpha2.ResourceBinding, requirers []*workv1alpha2.ResourceBinding) (conflicts []string) {
	var overwrite, abort, preserve, discard []string
	for _, r := range requirers {
		name := r.Namespace + "/" + r.Name
		if r.Spec.ConflictResolution == policyv1alpha1.ConflictOverwrite {
			overwrite = append(overwrite, name)
		} else {
			abort = append(abort, name)
		}
		if ptr.Deref(r.Spec.PreserveResourcesOnDeletion, false) {
			preserve = append(preserve, name)
		} else {
			discard = append(discard, name)
		}
	}
	a.Spec.ConflictResolution = ""
	if len(overwrite) > 0 {
		a.Spec.ConflictResolution = policyv1alpha1.ConflictOverwrite
	}
	a.Spec.PreserveResourcesOnDeletion = nil
	if len(preserve) > 0 {
		a.Spec.PreserveResourcesOnDeletion = ptr.To(true)
	}
	if len(overwrite) > 0 && len(abort) > 0 {
		conflicts = append(conflicts, fmt.Sprintf("ConflictResolution conflicted (Overwrite by %s vs Abort by %s; Overwrite applies)",
			strings.Join(overwrite, ", "), strings.Join(abort, ", ")))
	}
	if len(preserve) > 0 && len(discard) > 0 {
		conflicts = append(conflicts, fmt.Sprintf("PreserveResourcesOnDeletion conflicted (true by %s vs false by %s; true applies)",
			strings.Join(preserve, ", "), strings.Join(discard, ", ")))
	}
	return conflicts
}

func hasConflictCondition(a *workv1alpha2.ResourceBinding) bool {
	return meta.IsStatusConditionTrue(a.Status.Conditions, ConflictCondition)
}

// reportConflicts sets ConflictCondition on a while its requirers
// disagree (and says it in an event when that is new), and turns it False
// once they agree. (False, not removed: an apply that gives up the last
// field of a status leaves it null, which the schema refuses.)
func (d *Distributor) reportConflicts(ctx context.Context, a *workv1alpha2.ResourceBinding, conflicts []string) error {
	cond := metav1.Condition{Type: ConflictCondition, Status: metav1.ConditionFalse, Reason: "PoliciesAgree",
		Message: "The policies of the bindings that require it agree.", ObservedGeneration: a.Generation}
	if len(conflicts) > 0 {
		cond.Status, cond.Reason, cond.Message = metav1.ConditionTrue, events.DependencyPolicyConflict, events.DependencyConflict(conflicts)
	}
	old := meta.FindStatusCondition(a.Status.Conditions, ConflictCondition)
	if (old == nil && len(conflicts) == 0) || (old != nil && old.Status == cond.Status && old.Message == cond.Message) {
		return nil
	}
	if len(conflicts) > 0 {
		d.Recorder.Eventf(a, nil, corev1.EventTypeWarning, events.DependencyPolicyConflict, "SyncDependencies", "%s", cond.Message)
	}
	status := &workv1alpha2.ResourceBindingStatus{}
	meta.SetStatusCondition(&status.Conditions, cond)
	if err := statuswrite.Apply(ctx, d.Client, a, FieldOwner, status); err != nil {
		return err
	}
	meta.SetStatusCondition(&a.Status.Conditions, cond)
	return nil
}
