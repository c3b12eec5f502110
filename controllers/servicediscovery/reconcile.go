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
	"errors"
	"fmt"
	"sort"
	"time"

	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/client-go/kubernetes"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"
	mcsv1beta1 "sigs.k8s.io/mcs-api/pkg/apis/v1beta1"

	clusterv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/cluster/v1alpha1"
	workv1alpha2 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha2"
	"github.com/kubectl-karmada/kubectl-karmada/internal/mcs"
	"github.com/kubectl-karmada/kubectl-karmada/internal/member"
	"github.com/kubectl-karmada/kubectl-karmada/internal/names"
)

// fieldOwner is our server-side apply field manager in members.
const fieldOwner = "kubectl-karmada-service-discovery"

// joined is one joined cluster as this pass sees it.
type joined struct {
	name  string
	m     *member.Member
	watch *memberWatch
	// live members are written to; a member not ready for less than the
	// timeout is not written to but its last known endpoints still count;
	// past the timeout its endpoints are withdrawn.
	live, withdrawn bool
}

// endpoints is one exporting cluster's endpoints.
type endpoints struct {
	cluster string
	slices  []*discoveryv1.EndpointSlice
}

func (r *Reconciler) reconcile(ctx context.Context, req reconcile.Request) (reconcile.Result, error) {
	key := req.NamespacedName
	members, recheck, err := r.members(ctx)
	if err != nil {
		return reconcile.Result{}, err
	}

	// Read every member's export of the service and its Service.
	var exports []mcs.Export
	exportObjs := map[string]*unstructured.Unstructured{}
	var sources []endpoints
	for _, m := range members {
		if !m.watch.synced() {
			recheck = shortest(recheck, time.Second)
			continue
		}
		obj, ok := m.watch.export(key)
		if !ok {
			r.watches.unscope(m.watch, key)
			continue
		}
		scoped, err := r.watches.scope(m.watch, key)
		if err != nil {
			return reconcile.Result{}, err
		}
		if !scoped.synced() {
			recheck = shortest(recheck, 500*time.Millisecond)
			continue
		}
		if m.withdrawn {
			continue
		}
		e := mcs.Export{Cluster: m.name, Created: obj.GetCreationTimestamp(), Service: scoped.service(key)}
		e.Labels, _, _ = unstructured.NestedStringMap(obj.Object, "spec", "exportedLabels")
		e.Annotations, _, _ = unstructured.NestedStringMap(obj.Object, "spec", "exportedAnnotations")
		exports = append(exports, e)
		exportObjs[m.name] = obj
		if e.Validity().Status == metav1.ConditionTrue {
			sources = append(sources, endpoints{cluster: m.name, slices: scoped.endpointSlices()})
		}
	}
	merged, exported := mcs.Merge(exports)

	var errs []error
	for _, e := range exports {
		if m := find(members, e.Cluster); m != nil && m.live {
			errs = append(errs, r.writeExportStatus(ctx, m, exportObjs[e.Cluster], e, merged, exported))
		}
	}
	limited, consumers, err := r.consumers(ctx, key)
	if err != nil {
		return reconcile.Result{}, err
	}
	for _, m := range members {
		if !m.live {
			continue
		}
		c := m.m.Client
		importer := exported && (!limited || consumers[m.name])
		if importer {
			importer, err = namespaceExists(ctx, m.m.Kube, key.Namespace)
			if err != nil {
				errs = append(errs, err)
				continue
			}
		}
		if importer {
			errs = append(errs, r.writeImport(ctx, c, key, merged, sources, limited))
		} else {
			errs = append(errs, r.removeImport(ctx, c, key))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return reconcile.Result{}, err
	}
	return reconcile.Result{RequeueAfter: recheck}, nil
}

// members lists the joined clusters with their clients and watches, and
// how soon a not-ready one passes the timeout (so the pass reruns then).
func (r *Reconciler) members(ctx context.Context) ([]*joined, time.Duration, error) {
	var clusters clusterv1alpha1.ClusterList
	if err := r.Client.List(ctx, &clusters); err != nil {
		return nil, 0, err
	}
	var out []*joined
	var recheck time.Duration
	for i := range clusters.Items {
		c := &clusters.Items[i]
		if !c.DeletionTimestamp.IsZero() {
			continue // leaving: its exports no longer count; see leaving.go
		}
		m, err := r.Members.For(ctx, c)
		if err != nil {
			log.FromContext(ctx).V(1).Info("member not reachable yet", "cluster", c.Name, "error", err.Error())
			continue
		}
		w, err := r.watches.member(m)
		if err != nil {
			return nil, 0, err
		}
		mem := &joined{name: c.Name, m: m, watch: w}
		ready := meta.FindStatusCondition(c.Status.Conditions, clusterv1alpha1.ClusterConditionReady)
		switch {
		case ready == nil || ready.Status == metav1.ConditionTrue:
			mem.live = true
		default:
			left := r.NotReadyTimeout - time.Since(ready.LastTransitionTime.Time)
			if left > 0 {
				recheck = shortest(recheck, left+time.Second)
			} else {
				mem.withdrawn = true
			}
		}
		out = append(out, mem)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out, recheck, nil
}

// consumers reads whether a ServiceImport of the service was authored on
// the control plane (Karmada's way of limiting the consumers): then only
// the members its binding was scheduled to import the service, and the
// import's spec is the template's; we only add the IPs and the status.
func (r *Reconciler) consumers(ctx context.Context, key types.NamespacedName) (bool, map[string]bool, error) {
	authored := &mcsv1beta1.ServiceImport{}
	err := r.Client.Get(ctx, key, authored)
	switch {
	case apierrors.IsNotFound(err) || meta.IsNoMatchError(err):
		return false, nil, nil
	case err != nil:
		return false, nil, err
	}
	binding := &workv1alpha2.ResourceBinding{}
	err = r.Client.Get(ctx, types.NamespacedName{Namespace: key.Namespace, Name: names.BindingName("ServiceImport", key.Name)}, binding)
	if err != nil {
		return true, nil, client.IgnoreNotFound(err)
	}
	out := map[string]bool{}
	for _, t := range binding.Spec.Clusters {
		out[t.Name] = true
	}
	return true, out, nil
}

// writeExportStatus sets Valid, Ready and Conflict on a member's export.
func (r *Reconciler) writeExportStatus(ctx context.Context, m *joined, obj *unstructured.Unstructured, e mcs.Export, merged mcs.Merged, exported bool) error {
	export := &mcsv1beta1.ServiceExport{}
	if err := runtime.DefaultUnstructuredConverter.FromUnstructured(obj.Object, export); err != nil {
		return err
	}
	before := export.Status.DeepCopy()
	valid := e.Validity()
	valid.ObservedGeneration = export.Generation
	meta.SetStatusCondition(&export.Status.Conditions, valid)
	ready := metav1.Condition{Type: string(mcsv1beta1.ServiceExportConditionReady), Status: metav1.ConditionFalse,
		Reason: string(mcsv1beta1.ServiceExportReasonPending), Message: "the export is not valid", ObservedGeneration: export.Generation}
	if valid.Status == metav1.ConditionTrue && exported {
		ready.Status, ready.Reason, ready.Message = metav1.ConditionTrue, string(mcsv1beta1.ServiceExportReasonExported), "imported by the clusterset"
	}
	meta.SetStatusCondition(&export.Status.Conditions, ready)
	if valid.Status == metav1.ConditionTrue {
		conflict := merged.ConflictCondition()
		conflict.ObservedGeneration = export.Generation
		meta.SetStatusCondition(&export.Status.Conditions, conflict)
	} else {
		meta.RemoveStatusCondition(&export.Status.Conditions, string(mcsv1beta1.ServiceExportConditionConflict))
	}
	if apiequality.Semantic.DeepEqual(before, &export.Status) {
		return nil
	}
	if err := m.m.Client.Status().Update(ctx, export); err != nil && !apierrors.IsNotFound(err) && !apierrors.IsConflict(err) {
		return fmt.Errorf("%s: writing the status of ServiceExport %s: %w", m.name, client.ObjectKeyFromObject(export), err)
	}
	return nil
}

// writeImport writes the ServiceImport, the derived Service (ClusterSetIP)
// and the EndpointSlice copies into one importing member, and removes
// slices no source has any more.
func (r *Reconciler) writeImport(ctx context.Context, c client.Client, key types.NamespacedName, merged mcs.Merged, sources []endpoints, limited bool) error {
	imp := &mcsv1beta1.ServiceImport{}
	err := c.Get(ctx, key, imp)
	exists := err == nil
	if err != nil && !apierrors.IsNotFound(err) {
		return ignoreNoMatch(err)
	}
	derived := mcs.DerivedServiceName(key.Namespace, key.Name)
	if limited {
		// The import is the propagated template's: wait for it, and make
		// way for it if one of ours is still there.
		if !exists {
			return nil
		}
		if imp.Labels[discoveryv1.LabelManagedBy] == mcs.ManagedBy {
			return client.IgnoreNotFound(c.Delete(ctx, imp))
		}
	}
	spec := &merged.Spec
	if limited {
		spec = nil // the template's
	}
	// Write only what changed: the import's IPs stay what they are until
	// the derived Service says otherwise.
	exported := exportedMeta{labels: merged.Labels, annotations: merged.Annotations}
	if spec == nil {
		exported = exportedMeta{}
	}
	if !exists || !importUpToDate(imp, spec, derived, exported) {
		if imp, err = applyImport(ctx, c, key, spec, derived, imp.Spec.IPs, exported); err != nil {
			return err
		}
	}
	owner := metav1.OwnerReference{APIVersion: mcsv1beta1.GroupName + "/v1beta1", Kind: "ServiceImport", Name: imp.Name, UID: imp.UID,
		BlockOwnerDeletion: ptr.To(false)}

	serviceLabel := ""
	if imp.Spec.Type == mcsv1beta1.ClusterSetIP {
		serviceLabel = derived
		ips, err := writeDerivedService(ctx, c, key.Namespace, derived, imp, owner)
		if err != nil {
			return err
		}
		if !apiequality.Semantic.DeepEqual(ips, imp.Spec.IPs) {
			if imp, err = applyImport(ctx, c, key, spec, derived, ips, exported); err != nil {
				return err
			}
		}
	}

	clusters := make([]mcsv1beta1.ClusterStatus, 0, len(sources))
	for _, s := range sources {
		clusters = append(clusters, mcsv1beta1.ClusterStatus{Cluster: s.cluster})
	}
	if !apiequality.Semantic.DeepEqual(clusters, imp.Status.Clusters) {
		patch := client.MergeFrom(imp.DeepCopy())
		imp.Status.Clusters = clusters
		if err := c.Status().Patch(ctx, imp, patch); err != nil {
			return fmt.Errorf("writing the status of ServiceImport %s: %w", key, err)
		}
	}
	return writeSlices(ctx, c, key, serviceLabel, sources, owner)
}

// importUpToDate reports whether an import already holds what we own:
// our label, the derived-service annotation (ClusterSetIP) and, unless the
// import is a propagated template's (spec nil), the merged spec.
func importUpToDate(imp *mcsv1beta1.ServiceImport, spec *mcsv1beta1.ServiceImportSpec, derived string, exported exportedMeta) bool {
	if (imp.Spec.Type == mcsv1beta1.ClusterSetIP) != (imp.Annotations[mcs.DerivedServiceAnnotation] == derived) {
		return false
	}
	if !contains(imp.Labels, exported.labels) || !contains(imp.Annotations, exported.annotations) {
		return false
	}
	if spec == nil {
		return true
	}
	want := spec.DeepCopy()
	want.IPs = imp.Spec.IPs
	return imp.Labels[discoveryv1.LabelManagedBy] == mcs.ManagedBy && apiequality.Semantic.DeepEqual(*want, imp.Spec)
}

// applyImport applies the fields of an import we own: in a propagated
// import (spec nil) only the derived-service annotation and the IPs, else
// also our label and the merged spec.
func applyImport(ctx context.Context, c client.Client, key types.NamespacedName, spec *mcsv1beta1.ServiceImportSpec, derived string, ips []string, exported exportedMeta) (*mcsv1beta1.ServiceImport, error) {
	patch := &unstructured.Unstructured{}
	patch.SetGroupVersionKind(mcsv1beta1.SchemeGroupVersion.WithKind("ServiceImport"))
	patch.SetNamespace(key.Namespace)
	patch.SetName(key.Name)
	clusterSetIP := spec == nil || spec.Type == mcsv1beta1.ClusterSetIP
	annotations := map[string]string{}
	for k, v := range exported.annotations {
		annotations[k] = v
	}
	if clusterSetIP {
		annotations[mcs.DerivedServiceAnnotation] = derived
	}
	if len(annotations) > 0 {
		patch.SetAnnotations(annotations)
	}
	if spec != nil {
		labels := map[string]string{}
		for k, v := range exported.labels {
			labels[k] = v
		}
		labels[discoveryv1.LabelManagedBy] = mcs.ManagedBy
		patch.SetLabels(labels)
		patch.Object["spec"] = mustUnstructured(spec)
	}
	if clusterSetIP && len(ips) > 0 {
		if err := unstructured.SetNestedStringSlice(patch.Object, ips, "spec", "ips"); err != nil {
			return nil, err
		}
	}
	if err := c.Patch(ctx, patch, client.Apply, client.FieldOwner(fieldOwner), client.ForceOwnership); err != nil { //nolint:staticcheck // no apply configurations for the MCS types
		return nil, fmt.Errorf("applying ServiceImport %s: %w", key, err)
	}
	imp := &mcsv1beta1.ServiceImport{}
	return imp, runtime.DefaultUnstructuredConverter.FromUnstructured(patch.Object, imp)
}

// exportedMeta are the exportedLabels and exportedAnnotations an import
// carries (the oldest export's).
type exportedMeta struct {
	labels, annotations map[string]string
}

// contains reports whether have holds every entry of want.
func contains(have, want map[string]string) bool {
	for k, v := range want {
		if have[k] != v {
			return false
		}
	}
	return true
}

// writeDerivedService makes sure of the selector-less ClusterIP Service
// that kube-proxy and DNS see for a ClusterSetIP import, writing it only
// when it differs; it returns its IPs.
func writeDerivedService(ctx context.Context, c client.Client, namespace, name string, imp *mcsv1beta1.ServiceImport, owner metav1.OwnerReference) ([]string, error) {
	svc := &corev1.Service{
		TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "Service"},
		ObjectMeta: metav1.ObjectMeta{Namespace: namespace, Name: name, OwnerReferences: []metav1.OwnerReference{owner},
			Labels: map[string]string{discoveryv1.LabelManagedBy: mcs.ManagedBy, mcsv1beta1.LabelServiceName: imp.Name}},
		Spec: corev1.ServiceSpec{Type: corev1.ServiceTypeClusterIP, SessionAffinity: imp.Spec.SessionAffinity, SessionAffinityConfig: imp.Spec.SessionAffinityConfig},
	}
	// An IP for each family the import serves, as far as this cluster can
	// (naming a family it lacks would be refused).
	if len(imp.Spec.IPFamilies) > 1 {
		svc.Spec.IPFamilyPolicy = ptr.To(corev1.IPFamilyPolicyPreferDualStack)
	}
	for _, p := range imp.Spec.Ports {
		svc.Spec.Ports = append(svc.Spec.Ports, corev1.ServicePort{Name: p.Name, Protocol: p.Protocol, AppProtocol: p.AppProtocol, Port: p.Port,
			TargetPort: intstr.FromInt32(p.Port)})
	}
	if len(svc.Spec.Ports) == 0 {
		return nil, nil // a Service needs a port; the import has none yet
	}
	cur := &corev1.Service{}
	if err := c.Get(ctx, client.ObjectKeyFromObject(svc), cur); err == nil && derivedUpToDate(cur, svc) {
		return cur.Spec.ClusterIPs, nil
	}
	if err := c.Patch(ctx, svc, client.Apply, client.FieldOwner(fieldOwner), client.ForceOwnership); err != nil { //nolint:staticcheck // as above
		return nil, fmt.Errorf("applying the derived Service %s/%s: %w", namespace, name, err)
	}
	return svc.Spec.ClusterIPs, nil
}

// derivedUpToDate compares what we set of the derived Service.
func derivedUpToDate(cur, want *corev1.Service) bool {
	if !apiequality.Semantic.DeepEqual(cur.OwnerReferences, want.OwnerReferences) || cur.Spec.SessionAffinity != want.Spec.SessionAffinity ||
		!apiequality.Semantic.DeepEqual(cur.Spec.SessionAffinityConfig, want.Spec.SessionAffinityConfig) || len(cur.Spec.Ports) != len(want.Spec.Ports) {
		return false
	}
	for k, v := range want.Labels {
		if cur.Labels[k] != v {
			return false
		}
	}
	for i, p := range want.Spec.Ports {
		q := cur.Spec.Ports[i]
		if p.Name != q.Name || p.Protocol != q.Protocol || p.Port != q.Port || p.TargetPort != q.TargetPort ||
			!apiequality.Semantic.DeepEqual(p.AppProtocol, q.AppProtocol) {
			return false
		}
	}
	return true
}

// writeSlices writes one copy of each source slice (only those that
// differ from what the member holds) and deletes copies whose source is
// gone.
func writeSlices(ctx context.Context, c client.Client, key types.NamespacedName, serviceLabel string, sources []endpoints, owner metav1.OwnerReference) error {
	held, err := listSlices(ctx, c, key)
	if err != nil {
		return err
	}
	want := map[string]bool{}
	for _, s := range sources {
		for _, src := range s.slices {
			slice := copySlice(key, s.cluster, serviceLabel, src, owner)
			want[slice.Name] = true
			if cur, ok := held[slice.Name]; ok && sliceUpToDate(cur, slice) {
				continue
			}
			if err := c.Patch(ctx, slice, client.Apply, client.FieldOwner(fieldOwner), client.ForceOwnership); err != nil { //nolint:staticcheck // as above
				return fmt.Errorf("applying EndpointSlice %s/%s: %w", slice.Namespace, slice.Name, err)
			}
		}
	}
	return deleteSlices(ctx, c, held, want)
}

// sliceUpToDate compares what we set of a slice copy.
func sliceUpToDate(cur, want *discoveryv1.EndpointSlice) bool {
	for k, v := range want.Labels {
		if cur.Labels[k] != v {
			return false
		}
	}
	return cur.AddressType == want.AddressType && apiequality.Semantic.DeepEqual(cur.Ports, want.Ports) &&
		apiequality.Semantic.DeepEqual(cur.Endpoints, want.Endpoints) && apiequality.Semantic.DeepEqual(cur.OwnerReferences, want.OwnerReferences)
}

// copySlice is the importing side's copy of one source slice: the same
// addresses, conditions and ports, without the source's node and pod
// references, which mean nothing in another cluster.
func copySlice(key types.NamespacedName, cluster, serviceLabel string, src *discoveryv1.EndpointSlice, owner metav1.OwnerReference) *discoveryv1.EndpointSlice {
	labels := map[string]string{
		mcsv1beta1.LabelServiceName:   key.Name,
		mcsv1beta1.LabelSourceCluster: cluster,
		discoveryv1.LabelManagedBy:    mcs.ManagedBy,
	}
	if serviceLabel != "" {
		labels[discoveryv1.LabelServiceName] = serviceLabel
	}
	out := &discoveryv1.EndpointSlice{
		TypeMeta: metav1.TypeMeta{APIVersion: "discovery.k8s.io/v1", Kind: "EndpointSlice"},
		ObjectMeta: metav1.ObjectMeta{Namespace: key.Namespace, Name: mcs.SliceName(key.Name, cluster, src.Name), Labels: labels,
			OwnerReferences: []metav1.OwnerReference{owner}},
		AddressType: src.AddressType,
		Ports:       src.Ports,
	}
	for _, e := range src.Endpoints {
		e.NodeName, e.TargetRef = nil, nil
		out.Endpoints = append(out.Endpoints, *e.DeepCopy())
	}
	if out.Endpoints == nil {
		out.Endpoints = []discoveryv1.Endpoint{}
	}
	return out
}

// removeImport deletes what this controller made in a member for a
// service nobody exports (or that member no longer imports). A ServiceImport
// propagated from the control plane is not ours to delete: only one with
// our managed-by label goes.
func (r *Reconciler) removeImport(ctx context.Context, c client.Client, key types.NamespacedName) error {
	held, err := listSlices(ctx, c, key)
	if err != nil {
		return err
	}
	if err := deleteSlices(ctx, c, held, nil); err != nil {
		return err
	}
	derived := &corev1.Service{ObjectMeta: metav1.ObjectMeta{Namespace: key.Namespace, Name: mcs.DerivedServiceName(key.Namespace, key.Name)}}
	if err := c.Delete(ctx, derived); client.IgnoreNotFound(err) != nil {
		return err
	}
	imp := &mcsv1beta1.ServiceImport{}
	if err := c.Get(ctx, key, imp); err != nil {
		return client.IgnoreNotFound(ignoreNoMatch(err))
	}
	if imp.Labels[discoveryv1.LabelManagedBy] != mcs.ManagedBy {
		return nil
	}
	return client.IgnoreNotFound(c.Delete(ctx, imp))
}

// listSlices returns the slice copies we made in a member for a service.
func listSlices(ctx context.Context, c client.Client, key types.NamespacedName) (map[string]*discoveryv1.EndpointSlice, error) {
	var slices discoveryv1.EndpointSliceList
	if err := c.List(ctx, &slices, client.InNamespace(key.Namespace),
		client.MatchingLabels{discoveryv1.LabelManagedBy: mcs.ManagedBy, mcsv1beta1.LabelServiceName: key.Name}); err != nil {
		return nil, err
	}
	out := make(map[string]*discoveryv1.EndpointSlice, len(slices.Items))
	for i := range slices.Items {
		out[slices.Items[i].Name] = &slices.Items[i]
	}
	return out, nil
}

// deleteSlices deletes the held copies not in keep.
func deleteSlices(ctx context.Context, c client.Client, held map[string]*discoveryv1.EndpointSlice, keep map[string]bool) error {
	for name, slice := range held {
		if !keep[name] {
			if err := c.Delete(ctx, slice); client.IgnoreNotFound(err) != nil {
				return err
			}
		}
	}
	return nil
}

// mustUnstructured turns a typed value into its JSON map.
func mustUnstructured(v any) map[string]any {
	m, err := runtime.DefaultUnstructuredConverter.ToUnstructured(v)
	if err != nil {
		panic(err) // a typed API struct always converts
	}
	return m
}

func ignoreNoMatch(err error) error {
	if meta.IsNoMatchError(err) {
		return nil
	}
	return err
}

func namespaceExists(ctx context.Context, kube kubernetes.Interface, namespace string) (bool, error) {
	ns, err := kube.CoreV1().Namespaces().Get(ctx, namespace, metav1.GetOptions{})
	switch {
	case apierrors.IsNotFound(err):
		return false, nil
	case err != nil:
		return false, err
	}
	return ns.DeletionTimestamp.IsZero(), nil
}

func find(members []*joined, name string) *joined {
	for _, m := range members {
		if m.name == name {
			return m
		}
	}
	return nil
}

// shortest is the sooner of two requeue delays; 0 means none.
func shortest(a, b time.Duration) time.Duration {
	if a == 0 || (b > 0 && b < a) {
		return b
	}
	return a
}
