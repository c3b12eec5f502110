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

package v1alpha2

import (
	"context"

	"sigs.k8s.io/controller-runtime/pkg/client"
)

// Binding is a ResourceBinding or a ClusterResourceBinding: controllers
// handle both through it.
// +kubebuilder:object:generate=false
type Binding interface {
	client.Object
	// BindingSpec returns the binding's spec, for reading and writing.
	BindingSpec() *ResourceBindingSpec
	// BindingStatus returns the binding's status, for reading and writing.
	BindingStatus() *ResourceBindingStatus
}

// BindingSpec returns the binding's spec.
func (b *ResourceBinding) BindingSpec() *ResourceBindingSpec { return &b.Spec }

// BindingStatus returns the binding's status.
func (b *ResourceBinding) BindingStatus() *ResourceBindingStatus { return &b.Status }

// BindingSpec returns the binding's spec.
func (b *ClusterResourceBinding) BindingSpec() *ResourceBindingSpec { return &b.Spec }

// BindingStatus returns the binding's status.
func (b *ClusterResourceBinding) BindingStatus() *ResourceBindingStatus { return &b.Status }

// NewBinding returns an empty binding of the right kind for a template in
// namespace: a ResourceBinding there, or a ClusterResourceBinding for a
// cluster-scoped template.
func NewBinding(namespace, name string) Binding {
	if namespace == "" {
		b := &ClusterResourceBinding{}
		b.Name = name
		return b
	}
	b := &ResourceBinding{}
	b.Namespace, b.Name = namespace, name
	return b
}

// ListBindings reads the ResourceBindings of namespace (every namespace
// when empty) and, for every namespace, the ClusterResourceBindings too.
// opts apply to both lists (client.UnsafeDisableDeepCopy, for one).
func ListBindings(ctx context.Context, c client.Reader, namespace string, opts ...client.ListOption) ([]Binding, error) {
	var rbs ResourceBindingList
	if err := c.List(ctx, &rbs, append([]client.ListOption{client.InNamespace(namespace)}, opts...)...); err != nil {
		return nil, err
	}
	out := make([]Binding, 0, len(rbs.Items))
	for i := range rbs.Items {
		out = append(out, &rbs.Items[i])
	}
	if namespace != "" {
		return out, nil
	}
	var crbs ClusterResourceBindingList
	if err := c.List(ctx, &crbs, opts...); err != nil {
		return nil, err
	}
	for i := range crbs.Items {
		out = append(out, &crbs.Items[i])
	}
	return out, nil
}

// Targets are the clusters a binding reaches: its own (spec.clusters), then
// those of the bindings that require it (propagateDeps) that it does not
// have, with no replicas of their own.
func (s *ResourceBindingSpec) Targets() []TargetCluster {
	if len(s.RequiredBy) == 0 {
		return s.Clusters
	}
	out := append([]TargetCluster(nil), s.Clusters...)
	seen := make(map[string]bool, len(out))
	for _, c := range out {
		seen[c.Name] = true
	}
	for _, r := range s.RequiredBy {
		for _, c := range r.Clusters {
			if !seen[c.Name] {
				seen[c.Name] = true
				out = append(out, TargetCluster{Name: c.Name})
			}
		}
	}
	return out
}
