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

// Package detector finds the templates that propagation policies select
// and writes one binding per template: the detector step of the data flow.
// It watches only the kinds some policy selects, adding a watch the first
// time a policy names a new kind.
package detector

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/util/workqueue"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"
	"sigs.k8s.io/controller-runtime/pkg/recorder"
	"sigs.k8s.io/controller-runtime/pkg/source"

	policyv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/policy/v1alpha1"
	workv1alpha2 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha2"
	"github.com/kubectl-karmada/kubectl-karmada/internal/events"
	"github.com/kubectl-karmada/kubectl-karmada/internal/names"
	"github.com/kubectl-karmada/kubectl-karmada/internal/selector"
	"github.com/kubectl-karmada/kubectl-karmada/internal/workload"
)

// TemplateHashAnnotation on a binding is a hash of what members get of the
// template; the binding's resourceVersion is only moved when it changes,
// so status written back to the template does not churn the binding.
const TemplateHashAnnotation = "resourcebinding.karmada.io/template-hash"

// Key names one template.
type Key struct {
	GVK             schema.GroupVersionKind
	Namespace, Name string
}

// Detector binds templates to policies.
type Detector struct {
	Client client.Client
	Cache  cache.Cache
	// Recorder reports, on the policy, selectors that cannot select.
	Recorder recorder.EventRecorder
	// Successes says each success event once per object generation.
	Successes *events.Successes

	templates controller.TypedController[Key]
	// requeue carries templates a policy change touches into the template
	// controller's queue.
	requeue chan event.TypedGenericEvent[Key]

	mu       sync.Mutex
	watching map[schema.GroupVersionKind]bool
}

// SetupWithManager registers the template controller and the two policy
// controllers.
func (d *Detector) SetupWithManager(mgr ctrl.Manager) error {
	d.requeue = make(chan event.TypedGenericEvent[Key], 1024)
	d.watching = map[schema.GroupVersionKind]bool{}
	var err error
	d.templates, err = controller.NewTyped[Key]("detector", mgr, controller.TypedOptions[Key]{
		Reconciler:              reconcile.TypedFunc[Key](d.reconcileTemplate),
		MaxConcurrentReconciles: 4,
	})
	if err != nil {
		return err
	}
	err = d.templates.Watch(source.TypedChannel[Key, Key](d.requeue, handler.TypedFuncs[Key, Key]{
		GenericFunc: func(_ context.Context, e event.TypedGenericEvent[Key], q workqueue.TypedRateLimitingInterface[Key]) {
			q.Add(e.Object)
		},
	}))
	if err != nil {
		return err
	}
	if err := ctrl.NewControllerManagedBy(mgr).Named("detector-propagationpolicy").
		For(&policyv1alpha1.PropagationPolicy{}).
		Complete(reconcile.Func(func(ctx context.Context, req reconcile.Request) (reconcile.Result, error) {
			pp := &policyv1alpha1.PropagationPolicy{}
			return d.reconcilePolicy(ctx, req, pp, &pp.Spec, names.PropagationPolicyPermanentIDLabel)
		})); err != nil {
		return err
	}
	return ctrl.NewControllerManagedBy(mgr).Named("detector-clusterpropagationpolicy").
		For(&policyv1alpha1.ClusterPropagationPolicy{}).
		Complete(reconcile.Func(func(ctx context.Context, req reconcile.Request) (reconcile.Result, error) {
			cpp := &policyv1alpha1.ClusterPropagationPolicy{}
			return d.reconcilePolicy(ctx, req, cpp, &cpp.Spec, names.ClusterPropagationPolicyPermanentIDLabel)
		}))
}

// reconcilePolicy gives the policy its permanent ID, makes sure the kinds
// it selects are watched, and requeues every template it may touch:
// those it selects and those bound to it before (it may no longer select
// them, or be gone).
func (d *Detector) reconcilePolicy(ctx context.Context, req reconcile.Request, policy client.Object, spec *policyv1alpha1.PropagationSpec, idLabel string) (reconcile.Result, error) {
	err := d.Client.Get(ctx, req.NamespacedName, policy)
	if client.IgnoreNotFound(err) != nil {
		return reconcile.Result{}, err
	}
	found := err == nil && policy.GetDeletionTimestamp().IsZero()
	if found && policy.GetLabels()[idLabel] == "" {
		patch := client.MergeFrom(policy.DeepCopyObject().(client.Object))
		labels := policy.GetLabels()
		if labels == nil {
			labels = map[string]string{}
		}
		labels[idLabel] = uuid.NewString()
		policy.SetLabels(labels)
		if err := d.Client.Patch(ctx, policy, patch); err != nil {
			return reconcile.Result{}, err
		}
	}

	kinds := d.watchedKinds()
	var result reconcile.Result
	if found {
		var problems []string
		for i, s := range spec.ResourceSelectors {
			if s.LabelSelector != nil {
				if _, err := metav1.LabelSelectorAsSelector(s.LabelSelector); err != nil {
					problems = append(problems, fmt.Sprintf("resourceSelectors[%d].labelSelector selects nothing: %v", i, err))
				}
			}
			gvk := schema.FromAPIVersionAndKind(s.APIVersion, s.Kind)
			if err := d.watch(gvk); err != nil {
				if !meta.IsNoMatchError(err) {
					return reconcile.Result{}, err
				}
				// The kind may come later (a CRD installed after the
				// policy): look again, and select the other kinds now.
				problems = append(problems, fmt.Sprintf("resourceSelectors[%d]: the control plane does not serve %s %s (yet)", i, s.APIVersion, s.Kind))
				result.RequeueAfter = 30 * time.Second
				continue
			}
			kinds[gvk] = true
		}
		if len(problems) > 0 {
			d.Recorder.Eventf(policy, nil, corev1.EventTypeWarning, events.ApplyPolicyFailed, "ApplyPolicy", "%s", strings.Join(problems, "; "))
		}
	}
	for gvk := range kinds {
		list := &unstructured.UnstructuredList{}
		list.SetGroupVersionKind(gvk.GroupVersion().WithKind(gvk.Kind + "List"))
		if err := d.Client.List(ctx, list, client.InNamespace(req.Namespace)); err != nil {
			return reconcile.Result{}, err
		}
		for i := range list.Items {
			obj := &list.Items[i]
			if (found && selector.Match(spec.ResourceSelectors, req.Namespace, obj) != selector.None) || boundTo(obj, req.Namespace, req.Name) {
				d.requeue <- event.TypedGenericEvent[Key]{Object: Key{GVK: gvk, Namespace: obj.GetNamespace(), Name: obj.GetName()}}
			}
		}
	}
	return result, nil
}

// boundTo reports whether obj's annotations name the given policy
// (namespace "" for a ClusterPropagationPolicy).
func boundTo(obj *unstructured.Unstructured, namespace, name string) bool {
	a := obj.GetAnnotations()
	if namespace == "" {
		return a[names.ClusterPropagationPolicyAnnotation] == name
	}
	return a[names.PropagationPolicyNameAnnotation] == name && a[names.PropagationPolicyNamespaceAnnotation] == namespace
}

func (d *Detector) watchedKinds() map[schema.GroupVersionKind]bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make(map[schema.GroupVersionKind]bool, len(d.watching))
	for k := range d.watching {
		out[k] = true
	}
	return out
}

// watch starts delivering the events of a kind to the template controller.
func (d *Detector) watch(gvk schema.GroupVersionKind) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.watching[gvk] {
		return nil
	}
	if _, err := d.Client.RESTMapper().RESTMapping(gvk.GroupKind(), gvk.Version); err != nil {
		return err
	}
	obj := &unstructured.Unstructured{}
	obj.SetGroupVersionKind(gvk)
	err := d.templates.Watch(source.TypedKind[*unstructured.Unstructured, Key](d.Cache, obj,
		handler.TypedEnqueueRequestsFromMapFunc(func(_ context.Context, o *unstructured.Unstructured) []Key {
			return []Key{{GVK: gvk, Namespace: o.GetNamespace(), Name: o.GetName()}}
		})))
	if err != nil {
		return err
	}
	d.watching[gvk] = true
	return nil
}

// reservedNamespace holds objects that are never templates.
func reservedNamespace(ns string) bool {
	return ns == names.SystemNamespace || ns == names.ClusterNamespace ||
		strings.HasPrefix(ns, names.ExecutionSpacePrefix) || strings.HasPrefix(ns, "kube-")
}

// reconcileTemplate writes, updates or removes the binding of one template.
func (d *Detector) reconcileTemplate(ctx context.Context, key Key) (reconcile.Result, error) {
	if reservedNamespace(key.Namespace) {
		return reconcile.Result{}, nil
	}
	bindingName := names.BindingName(key.GVK.Kind, key.Name)
	template := &unstructured.Unstructured{}
	template.SetGroupVersionKind(key.GVK)
	err := d.Client.Get(ctx, client.ObjectKey{Namespace: key.Namespace, Name: key.Name}, template)
	if apierrors.IsNotFound(err) {
		// The owner reference lets the garbage collector remove the
		// binding too; deleting it here is only quicker.
		return reconcile.Result{}, d.deleteBinding(ctx, key.Namespace, bindingName)
	}
	if err != nil || !template.GetDeletionTimestamp().IsZero() {
		return reconcile.Result{}, err
	}

	chosen, preempted, err := d.choosePolicy(ctx, template)
	if err != nil {
		return reconcile.Result{}, err
	}
	if chosen == nil {
		if err := d.markTemplate(ctx, template, nil); err != nil {
			return reconcile.Result{}, err
		}
		return reconcile.Result{}, d.unclaimBinding(ctx, template, bindingName)
	}
	if chosen.permanentID == "" {
		// The policy controller gives it one in a moment.
		return reconcile.Result{RequeueAfter: time.Second}, nil
	}
	if err := d.markTemplate(ctx, template, chosen); err != nil {
		return reconcile.Result{}, err
	}
	if preempted != nil {
		// Said once the claim changed hands: the template now names chosen.
		d.Recorder.Eventf(template, nil, corev1.EventTypeNormal, events.PreemptPolicySucceed, "PreemptPolicy", "%s",
			events.Preempted(chosen.describe(), preempted.describe()))
	}
	err = d.writeBinding(ctx, template, bindingName, chosen)
	switch {
	case err == nil:
		// Once per generation of the template and policy applied.
		if d.Successes.First(template, events.ApplyPolicySucceed+"/"+chosen.namespace+"/"+chosen.name) {
			d.Recorder.Eventf(template, nil, corev1.EventTypeNormal, events.ApplyPolicySucceed, "ApplyPolicy", "%s", events.ApplyPolicy(chosen.namespace, chosen.name))
		}
	case errors.Is(err, errBindingTaken):
		// Only the other template's going frees the name: say so, look again.
		d.Recorder.Eventf(template, nil, corev1.EventTypeWarning, events.ApplyPolicyFailed, "ApplyPolicy", "%s", err.Error())
		return reconcile.Result{RequeueAfter: 30 * time.Second}, nil
	case apierrors.IsInvalid(err):
		// Retrying cannot help (a name too long for a binding): only a
		// change of the template or the policy can.
		d.Recorder.Eventf(template, nil, corev1.EventTypeWarning, events.ApplyPolicyFailed, "ApplyPolicy", "the binding cannot be written: %s", err.Error())
		return reconcile.Result{}, nil
	}
	return reconcile.Result{}, err
}

// errBindingTaken: the binding name a template needs is held by another
// template whose name folds to the same one (Admin and admin Roles).
var errBindingTaken = errors.New("belongs to another template")

// choosePolicy returns the policy that propagates template, or nil: the
// policy that holds it, unless another preempts it (see choose); then
// preempted is the one it was taken from.
func (d *Detector) choosePolicy(ctx context.Context, template *unstructured.Unstructured) (chosen, preempted *candidate, err error) {
	var cands []candidate
	if template.GetNamespace() != "" {
		var pps policyv1alpha1.PropagationPolicyList
		if err := d.Client.List(ctx, &pps, client.InNamespace(template.GetNamespace())); err != nil {
			return nil, nil, err
		}
		for i := range pps.Items {
			p := &pps.Items[i]
			if pr := selector.Match(p.Spec.ResourceSelectors, p.Namespace, template); pr != selector.None && p.DeletionTimestamp.IsZero() {
				cands = append(cands, candidate{namespace: p.Namespace, name: p.Name, spec: &p.Spec, permanentID: p.Labels[names.PropagationPolicyPermanentIDLabel], precision: pr})
			}
		}
	}
	var cpps policyv1alpha1.ClusterPropagationPolicyList
	if err := d.Client.List(ctx, &cpps); err != nil {
		return nil, nil, err
	}
	for i := range cpps.Items {
		p := &cpps.Items[i]
		if pr := selector.Match(p.Spec.ResourceSelectors, "", template); pr != selector.None && p.DeletionTimestamp.IsZero() {
			cands = append(cands, candidate{name: p.Name, spec: &p.Spec, permanentID: p.Labels[names.ClusterPropagationPolicyPermanentIDLabel], precision: pr})
		}
	}
	ann := template.GetAnnotations()
	chosen, preempted = choose(cands, func(c candidate) bool {
		if c.namespace == "" {
			return ann[names.ClusterPropagationPolicyAnnotation] == c.name
		}
		return ann[names.PropagationPolicyNamespaceAnnotation] == c.namespace && ann[names.PropagationPolicyNameAnnotation] == c.name
	})
	return chosen, preempted, nil
}

// markTemplate records the chosen policy on the template as Karmada does
// (annotations with its name, a label with its permanent ID), or removes
// the record when chosen is nil.
func (d *Detector) markTemplate(ctx context.Context, template *unstructured.Unstructured, chosen *candidate) error {
	ann, lbl := map[string]string{}, map[string]string{}
	for k, v := range template.GetAnnotations() {
		ann[k] = v
	}
	for k, v := range template.GetLabels() {
		lbl[k] = v
	}
	for _, k := range []string{names.PropagationPolicyNameAnnotation, names.PropagationPolicyNamespaceAnnotation, names.ClusterPropagationPolicyAnnotation} {
		delete(ann, k)
	}
	delete(lbl, names.PropagationPolicyPermanentIDLabel)
	delete(lbl, names.ClusterPropagationPolicyPermanentIDLabel)
	switch {
	case chosen == nil:
	case chosen.namespace != "":
		ann[names.PropagationPolicyNameAnnotation] = chosen.name
		ann[names.PropagationPolicyNamespaceAnnotation] = chosen.namespace
		lbl[names.PropagationPolicyPermanentIDLabel] = chosen.permanentID
	default:
		ann[names.ClusterPropagationPolicyAnnotation] = chosen.name
		lbl[names.ClusterPropagationPolicyPermanentIDLabel] = chosen.permanentID
	}
	if apiequality.Semantic.DeepEqual(nilIfEmpty(ann), nilIfEmpty(template.GetAnnotations())) &&
		apiequality.Semantic.DeepEqual(nilIfEmpty(lbl), nilIfEmpty(template.GetLabels())) {
		return nil
	}
	patch := client.MergeFrom(template.DeepCopy())
	template.SetAnnotations(ann)
	template.SetLabels(lbl)
	return d.Client.Patch(ctx, template, patch)
}

func nilIfEmpty(m map[string]string) map[string]string {
	if len(m) == 0 {
		return nil
	}
	return m
}

// writeBinding creates or updates the template's binding from the policy.
func (d *Detector) writeBinding(ctx context.Context, template *unstructured.Unstructured, name string, chosen *candidate) error {
	replicas, requirements, err := workload.Replicas(template)
	if err != nil {
		return fmt.Errorf("reading the replicas of %s %s: %w", template.GetKind(), template.GetName(), err)
	}
	hash, err := contentHash(template)
	if err != nil {
		return err
	}
	binding := workv1alpha2.NewBinding(template.GetNamespace(), name)
	err = d.Client.Get(ctx, client.ObjectKeyFromObject(binding), binding)
	if client.IgnoreNotFound(err) != nil {
		return err
	}
	exists := err == nil
	if exists && binding.BindingSpec().Resource.UID != "" && binding.BindingSpec().Resource.UID != template.GetUID() {
		ref := binding.BindingSpec().Resource
		return fmt.Errorf("binding %s %w, %s %s (binding names are lower case); this one is not propagated while it stands", name, errBindingTaken, ref.Kind, ref.Name)
	}
	before := binding.DeepCopyObject().(workv1alpha2.Binding)

	idLabel := names.ResourceBindingPermanentIDLabel
	if template.GetNamespace() == "" {
		idLabel = names.ClusterResourceBindingPermanentIDLabel
	}
	labels := binding.GetLabels()
	if labels == nil {
		labels = map[string]string{}
	}
	if labels[idLabel] == "" {
		labels[idLabel] = uuid.NewString()
	}
	delete(labels, names.PropagationPolicyPermanentIDLabel)
	delete(labels, names.ClusterPropagationPolicyPermanentIDLabel)
	if chosen.namespace != "" {
		labels[names.PropagationPolicyPermanentIDLabel] = chosen.permanentID
	} else {
		labels[names.ClusterPropagationPolicyPermanentIDLabel] = chosen.permanentID
	}
	binding.SetLabels(labels)
	ann := binding.GetAnnotations()
	if ann == nil {
		ann = map[string]string{}
	}
	resourceVersion := binding.BindingSpec().Resource.ResourceVersion
	if ann[TemplateHashAnnotation] != hash || resourceVersion == "" {
		resourceVersion = template.GetResourceVersion()
	}
	ann[TemplateHashAnnotation] = hash
	// Name the policy on the binding too, as Karmada does, for readers.
	for _, k := range []string{names.PropagationPolicyNameAnnotation, names.PropagationPolicyNamespaceAnnotation, names.ClusterPropagationPolicyAnnotation} {
		delete(ann, k)
	}
	if chosen.namespace != "" {
		ann[names.PropagationPolicyNameAnnotation] = chosen.name
		ann[names.PropagationPolicyNamespaceAnnotation] = chosen.namespace
	} else {
		ann[names.ClusterPropagationPolicyAnnotation] = chosen.name
	}
	binding.SetAnnotations(ann)
	if err := controllerutil.SetOwnerReference(template, binding, d.Client.Scheme()); err != nil {
		return err
	}

	spec := binding.BindingSpec()
	spec.Resource = workv1alpha2.ObjectReference{
		APIVersion: template.GetAPIVersion(), Kind: template.GetKind(),
		Namespace: template.GetNamespace(), Name: template.GetName(),
		UID: template.GetUID(), ResourceVersion: resourceVersion,
	}
	spec.Replicas = replicas
	spec.ReplicaRequirements = requirements
	placement := chosen.spec.Placement
	spec.Placement = &placement
	spec.PropagateDeps = chosen.spec.PropagateDeps
	spec.SchedulerName = chosen.spec.SchedulerName
	spec.Failover = chosen.spec.Failover
	spec.ConflictResolution = chosen.spec.ConflictResolution
	spec.Suspension = chosen.spec.Suspension
	spec.PreserveResourcesOnDeletion = chosen.spec.PreserveResourcesOnDeletion
	spec.SchedulePriority = chosen.spec.SchedulePriority

	if !exists {
		// Born with the binding controller's finalizer: one write less.
		controllerutil.AddFinalizer(binding, names.BindingFinalizer)
		return d.Client.Create(ctx, binding)
	}
	if apiequality.Semantic.DeepEqual(before, binding) {
		return nil // nothing changed: no write
	}
	return d.Client.Update(ctx, binding)
}

// deleteBinding deletes the binding of a template that is gone.
func (d *Detector) deleteBinding(ctx context.Context, namespace, name string) error {
	binding := workv1alpha2.NewBinding(namespace, name)
	err := d.Client.Get(ctx, client.ObjectKeyFromObject(binding), binding)
	if err != nil {
		return client.IgnoreNotFound(err)
	}
	return client.IgnoreNotFound(d.Client.Delete(ctx, binding))
}

// unclaimBinding removes, from the binding of a template that no policy
// selects any more (its policy went, or no longer selects it), what named
// that policy, as Karmada does: the binding stays, with its placement, so
// the member copies keep running (and keep following the template).
// Deleting a policy to replace it with another then moves nothing that
// both place; deleting the binding (or the template) removes the copies.
func (d *Detector) unclaimBinding(ctx context.Context, template *unstructured.Unstructured, name string) error {
	binding := workv1alpha2.NewBinding(template.GetNamespace(), name)
	err := d.Client.Get(ctx, client.ObjectKeyFromObject(binding), binding)
	if err != nil {
		return client.IgnoreNotFound(err)
	}
	if binding.BindingSpec().Resource.UID != template.GetUID() {
		return nil
	}
	before := binding.DeepCopyObject().(workv1alpha2.Binding)
	hash, err := contentHash(template)
	if err != nil {
		return err
	}
	ann, lbl := binding.GetAnnotations(), binding.GetLabels()
	if ann[TemplateHashAnnotation] != hash {
		ann[TemplateHashAnnotation] = hash
		binding.BindingSpec().Resource.ResourceVersion = template.GetResourceVersion()
	}
	policy := names.PolicyOf(ann)
	claimed := false
	for _, k := range []string{names.PropagationPolicyNameAnnotation, names.PropagationPolicyNamespaceAnnotation, names.ClusterPropagationPolicyAnnotation} {
		_, had := ann[k]
		claimed = claimed || had
		delete(ann, k)
	}
	for _, k := range []string{names.PropagationPolicyPermanentIDLabel, names.ClusterPropagationPolicyPermanentIDLabel} {
		_, had := lbl[k]
		claimed = claimed || had
		delete(lbl, k)
	}
	if apiequality.Semantic.DeepEqual(before, binding) {
		return nil
	}
	if err := d.Client.Update(ctx, binding); err != nil || !claimed {
		return err
	}
	d.Recorder.Eventf(template, binding, corev1.EventTypeNormal, events.Unclaimed, "ApplyPolicy", "%s", events.UnclaimedMessage(policy, binding))
	return nil
}

// contentHash is a hash of what members get of the template.
func contentHash(template *unstructured.Unstructured) (string, error) {
	data, err := json.Marshal(workload.MemberCopy(template).Object)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:8]), nil
}
