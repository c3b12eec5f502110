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

// Package namespacesync provisions namespaces, as Karmada's namespace sync
// controller does: every namespace of the control plane, except the
// reserved and skipped ones, is written as a Work to every member, members
// that join later included, with the ClusterOverridePolicies that select
// it; when it goes, so do the Works, and the execution controller removes
// the copies from the members.
//
// Where this differs from Karmada (docs/karmada-compatibility.md):
//   - a namespace that starts to be skipped later (the label is added) is
//     released: its Works go with preserveResourcesOnDeletion, so the
//     members keep their copies;
//   - a namespace a ClusterPropagationPolicy selects is that policy's to
//     place: this controller leaves its Works to the binding controller.
package namespacesync

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/utils/ptr"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
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
)

// SkipLabel is Karmada's label that, "true" on a namespace, keeps it out
// of the members.
const SkipLabel = "namespace.karmada.io/skip-auto-propagation"

// DefaultSkipped is what Karmada skips by default beside its reserved
// namespaces: the kube-* ones.
var DefaultSkipped = []string{"kube-.*"}

// Reserved reports whether a namespace is never provisioned, whatever
// the options: default, and the karmada-* ones (the system, the
// credentials, the execution namespaces, and any a future version adds).
func Reserved(namespace string) bool {
	return namespace == metav1.NamespaceDefault || strings.HasPrefix(namespace, "karmada-")
}

// Reconciler provisions namespaces in the members.
type Reconciler struct {
	Client   client.Client
	Recorder recorder.EventRecorder
	// Skipped namespaces are never provisioned: regular expressions, each
	// matched against the whole name (Karmada's
	// --skipped-propagating-namespaces).
	Skipped []*regexp.Regexp
}

// CompileSkipped compiles the expressions of --skipped-propagating-namespaces,
// anchored at both ends.
func CompileSkipped(exprs []string) ([]*regexp.Regexp, error) {
	out := make([]*regexp.Regexp, 0, len(exprs))
	for _, e := range exprs {
		re, err := regexp.Compile("^(?:" + e + ")$")
		if err != nil {
			return nil, fmt.Errorf("skipped namespace expression %q: %w", e, err)
		}
		out = append(out, re)
	}
	return out, nil
}

// SetupWithManager registers the controller: namespaces, and what changes
// where or how they are provisioned (Clusters joining or leaving, their
// execution namespaces appearing, ClusterOverridePolicies, a policy taking
// a namespace over).
func (r *Reconciler) SetupWithManager(mgr ctrl.Manager) error {
	every := handler.EnqueueRequestsFromMapFunc(enqueue.All(r.Client, &corev1.NamespaceList{}, nil))
	return ctrl.NewControllerManagedBy(mgr).
		Named("namespace-sync").
		For(&corev1.Namespace{}, builder.WithPredicates(predicate.Or(predicate.LabelChangedPredicate{}, predicate.AnnotationChangedPredicate{},
			enqueue.DeletionStarted()))).
		Watches(&corev1.Namespace{}, every, builder.WithPredicates(predicate.NewPredicateFuncs(func(o client.Object) bool {
			return names.ClusterFromExecutionSpace(o.GetName()) != ""
		}), predicate.Funcs{UpdateFunc: func(event.UpdateEvent) bool { return false }})).
		Watches(&clusterv1alpha1.Cluster{}, every, builder.WithPredicates(predicate.Or(predicate.Funcs{
			UpdateFunc: func(event.UpdateEvent) bool { return false },
		}, enqueue.DeletionStarted()))).
		Watches(&policyv1alpha1.ClusterOverridePolicy{}, every, builder.WithPredicates(predicate.NewPredicateFuncs(selectsNamespaces))).
		Watches(&workv1alpha2.ClusterResourceBinding{}, handler.EnqueueRequestsFromMapFunc(func(_ context.Context, o client.Object) []reconcile.Request {
			b := o.(*workv1alpha2.ClusterResourceBinding)
			if b.Spec.Resource.Kind != "Namespace" || b.Spec.Resource.APIVersion != "v1" {
				return nil
			}
			return []reconcile.Request{{NamespacedName: client.ObjectKey{Name: b.Spec.Resource.Name}}}
		})).
		Complete(r)
}

// selectsNamespaces: a ClusterOverridePolicy with a Namespace selector.
func selectsNamespaces(o client.Object) bool {
	p, ok := o.(*policyv1alpha1.ClusterOverridePolicy)
	if !ok {
		return false
	}
	for _, s := range p.Spec.ResourceSelectors {
		if s.APIVersion == "v1" && s.Kind == "Namespace" {
			return true
		}
	}
	return false
}

// Synced reports whether a namespace is provisioned in the members.
func (r *Reconciler) Synced(ns *corev1.Namespace) bool {
	if Reserved(ns.Name) || strings.EqualFold(ns.Labels[SkipLabel], "true") {
		return false
	}
	for _, re := range r.Skipped {
		if re.MatchString(ns.Name) {
			return false
		}
	}
	return true
}

// Reconcile writes, hands over or removes the Works of one namespace.
func (r *Reconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	workName := names.WorkName("Namespace", req.Name, "")
	ns := &corev1.Namespace{}
	err := r.Client.Get(ctx, req.NamespacedName, ns)
	if client.IgnoreNotFound(err) != nil {
		return ctrl.Result{}, err
	}
	gone := apierrors.IsNotFound(err) || !ns.DeletionTimestamp.IsZero()
	if !gone && Reserved(ns.Name) {
		return ctrl.Result{}, nil
	}
	var clusters clusterv1alpha1.ClusterList
	if err := r.Client.List(ctx, &clusters); err != nil {
		return ctrl.Result{}, err
	}
	// A policy that selects the namespace places it: our Works become its
	// binding's, which keeps or removes each as its placement says.
	crb := &workv1alpha2.ClusterResourceBinding{}
	if err := r.Client.Get(ctx, client.ObjectKey{Name: names.BindingName("Namespace", req.Name)}, crb); err == nil {
		var errs []error
		for _, c := range clusters.Items {
			errs = append(errs, r.handOver(ctx, client.ObjectKey{Namespace: names.ExecutionSpace(c.Name), Name: workName}, crb))
		}
		return ctrl.Result{}, errors.Join(errs...)
	} else if !apierrors.IsNotFound(err) {
		return ctrl.Result{}, err
	}

	// The copy and its override rules are the same for every member but
	// for the rules' targets: read them once.
	var template *unstructured.Unstructured
	var rules *overrides.Set
	if !gone && r.Synced(ns) {
		raw, err := runtime.DefaultUnstructuredConverter.ToUnstructured(ns)
		if err != nil {
			return ctrl.Result{}, err
		}
		template = &unstructured.Unstructured{Object: raw}
		template.SetAPIVersion("v1")
		template.SetKind("Namespace")
		if rules, err = overrides.ForTemplate(ctx, r.Client, template); err != nil {
			return ctrl.Result{}, err
		}
	}
	var errs []error
	var wait bool
	for i := range clusters.Items {
		c := &clusters.Items[i]
		key := client.ObjectKey{Namespace: names.ExecutionSpace(c.Name), Name: workName}
		switch {
		case gone || !c.DeletionTimestamp.IsZero():
			errs = append(errs, r.remove(ctx, key, false))
		case !r.Synced(ns):
			errs = append(errs, r.remove(ctx, key, true))
		default:
			later, err := r.write(ctx, ns, template, rules, c.Name, key)
			wait, errs = wait || later, append(errs, err)
		}
	}
	if wait {
		return ctrl.Result{RequeueAfter: time.Second}, errors.Join(errs...)
	}
	return ctrl.Result{}, errors.Join(errs...)
}

// write creates or updates the namespace's Work for one member. wait is
// true when a policy's Work of that name is still going.
func (r *Reconciler) write(ctx context.Context, ns *corev1.Namespace, template *unstructured.Unstructured, rules *overrides.Set, cluster string, key client.ObjectKey) (wait bool, err error) {
	manifest, err := render.ForMember(template, workv1alpha2.TargetCluster{Name: cluster}, "", rules)
	if err != nil {
		var idErr *overrides.IdentityError
		if errors.As(err, &idErr) {
			r.Recorder.Eventf(idErr.Policy, ns, corev1.EventTypeWarning, events.ApplyOverridePolicyFailed, "ApplyOverridePolicy", "%s", err.Error())
		}
		r.Recorder.Eventf(ns, nil, corev1.EventTypeWarning, events.SyncFailed, "SyncNamespace", "namespace not provisioned in cluster %s: %s", cluster, err.Error())
		return false, nil // a policy change wakes it again
	}
	render.Stamp(manifest, cluster, key.Name)
	data, err := manifest.MarshalJSON()
	if err != nil {
		return false, err
	}

	work := &workv1alpha1.Work{ObjectMeta: metav1.ObjectMeta{Namespace: key.Namespace, Name: key.Name}}
	err = r.Client.Get(ctx, key, work)
	switch {
	case apierrors.IsNotFound(err):
		work.Labels = map[string]string{Label: ns.Name}
		work.OwnerReferences = []metav1.OwnerReference{*metav1.NewControllerRef(ns, corev1.SchemeGroupVersion.WithKind("Namespace"))}
		work.Spec.Workload.Manifests = []workv1alpha1.Manifest{{RawExtension: runtime.RawExtension{Raw: data}}}
		// Born with the execution controller's finalizer, as every Work.
		controllerutil.AddFinalizer(work, names.ExecutionFinalizer)
		err := r.Client.Create(ctx, work)
		if apierrors.IsNotFound(err) || apierrors.HasStatusCause(err, corev1.NamespaceTerminatingCause) {
			// The execution namespace is not there yet, or an old one
			// (a member that joined again) is still going: its creation
			// wakes us.
			return false, nil
		}
		return false, err
	case err != nil:
		return false, err
	case work.Labels[names.BindingNameLabel] != "":
		// A policy's, until its binding removes it (the policy went).
		return !work.DeletionTimestamp.IsZero(), nil
	}
	before := work.DeepCopy()
	work.Spec.Workload.Manifests = []workv1alpha1.Manifest{{RawExtension: runtime.RawExtension{Raw: data}}}
	if render.SameManifests(before.Spec.Workload.Manifests, work.Spec.Workload.Manifests) {
		return false, nil
	}
	return false, r.Client.Update(ctx, work)
}

// handOver gives our Work for one member to the policy's binding.
func (r *Reconciler) handOver(ctx context.Context, key client.ObjectKey, crb *workv1alpha2.ClusterResourceBinding) error {
	work := &workv1alpha1.Work{}
	if err := r.Client.Get(ctx, key, work); err != nil {
		return client.IgnoreNotFound(err)
	}
	if work.Labels[Label] == "" || work.Labels[names.BindingNameLabel] != "" {
		return nil
	}
	delete(work.Labels, Label)
	work.Labels[names.BindingNamespaceLabel] = ""
	work.Labels[names.BindingNameLabel] = crb.Name
	work.OwnerReferences = nil
	return r.Client.Update(ctx, work)
}

// Label on a Work names the namespace it provisions.
const Label = "namespace.kubectl-karmada.io/name"

// remove deletes the namespace's Work for one member, when it is ours;
// keep leaves the member's copy in place.
func (r *Reconciler) remove(ctx context.Context, key client.ObjectKey, keep bool) error {
	work := &workv1alpha1.Work{}
	if err := r.Client.Get(ctx, key, work); err != nil {
		return client.IgnoreNotFound(err)
	}
	if work.Labels[Label] == "" || work.Labels[names.BindingNameLabel] != "" || !work.DeletionTimestamp.IsZero() {
		return nil
	}
	if keep && !ptr.Deref(work.Spec.PreserveResourcesOnDeletion, false) {
		work.Spec.PreserveResourcesOnDeletion = ptr.To(true)
		if err := r.Client.Update(ctx, work); err != nil {
			return err
		}
	}
	return client.IgnoreNotFound(r.Client.Delete(ctx, work))
}
