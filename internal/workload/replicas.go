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

// Package workload knows what the propagation needs of each kind of
// template: where its replicas are, what one replica asks of a node, how
// to strip a template down to what a member should receive, and how to
// add up the members' status. Kinds it does not know are propagated as
// they are, with no replicas.
package workload

import (
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"

	workv1alpha2 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha2"
)

// replicaField is where each kind keeps its replica count.
var replicaField = map[schema.GroupKind][]string{
	{Group: "apps", Kind: "Deployment"}:  {"spec", "replicas"},
	{Group: "apps", Kind: "StatefulSet"}: {"spec", "replicas"},
	{Group: "apps", Kind: "ReplicaSet"}:  {"spec", "replicas"},
	{Group: "batch", Kind: "Job"}:        {"spec", "parallelism"},
}

// KindHasReplicas reports whether a kind has replicas to divide.
func KindHasReplicas(apiVersion, kind string) bool {
	_, ok := replicaField[schema.FromAPIVersionAndKind(apiVersion, kind).GroupKind()]
	return ok
}

// Replicas returns the template's replica count and what one replica
// needs. Kinds without replicas return 0 and nil.
func Replicas(obj *unstructured.Unstructured) (int32, *workv1alpha2.ReplicaRequirements, error) {
	field, ok := replicaField[obj.GroupVersionKind().GroupKind()]
	if !ok {
		return 0, nil, nil
	}
	replicas, found, err := unstructured.NestedInt64(obj.Object, field...)
	if err != nil {
		return 0, nil, err
	}
	if !found {
		replicas = 1 // the API server's default for every kind here
	}
	pod, err := podTemplate(obj)
	if err != nil || pod == nil {
		return int32(replicas), nil, err //nolint:gosec // replica counts fit in int32
	}
	return int32(replicas), requirements(obj.GetNamespace(), &pod.Spec), nil //nolint:gosec // as above
}

// SetReplicas writes a replica count into obj (a member's copy).
func SetReplicas(obj *unstructured.Unstructured, replicas int32) error {
	field, ok := replicaField[obj.GroupVersionKind().GroupKind()]
	if !ok {
		return nil
	}
	return unstructured.SetNestedField(obj.Object, int64(replicas), field...)
}

func podTemplate(obj *unstructured.Unstructured) (*corev1.PodTemplateSpec, error) {
	raw, found, err := unstructured.NestedMap(obj.Object, "spec", "template")
	if err != nil || !found {
		return nil, err
	}
	pt := &corev1.PodTemplateSpec{}
	if err := runtime.DefaultUnstructuredConverter.FromUnstructured(raw, pt); err != nil {
		return nil, err
	}
	return pt, nil
}

// requirements is what one replica asks of a node (PodRequests) and where
// it may run.
func requirements(namespace string, spec *corev1.PodSpec) *workv1alpha2.ReplicaRequirements {
	req := &workv1alpha2.ReplicaRequirements{
		Namespace:         namespace,
		PriorityClassName: spec.PriorityClassName,
		ResourceRequest:   PodRequests(spec),
	}
	if len(req.ResourceRequest) == 0 {
		req.ResourceRequest = nil
	}
	if len(spec.NodeSelector) > 0 || len(spec.Tolerations) > 0 || hardAffinity(spec) != nil {
		req.NodeClaim = &workv1alpha2.NodeClaim{
			NodeSelector:     spec.NodeSelector,
			Tolerations:      spec.Tolerations,
			HardNodeAffinity: hardAffinity(spec),
		}
	}
	return req
}

// PodRequests is what a pod asks of a node: the larger of its containers'
// sum and its largest init container, for each resource, plus its overhead.
func PodRequests(spec *corev1.PodSpec) corev1.ResourceList {
	sum := corev1.ResourceList{}
	for _, c := range spec.Containers {
		for name, q := range c.Resources.Requests {
			cur := sum[name]
			cur.Add(q)
			sum[name] = cur
		}
	}
	for _, c := range spec.InitContainers {
		for name, q := range c.Resources.Requests {
			if cur, ok := sum[name]; !ok || q.Cmp(cur) > 0 {
				sum[name] = q.DeepCopy()
			}
		}
	}
	for name, q := range spec.Overhead {
		cur := sum[name]
		cur.Add(q)
		sum[name] = cur
	}
	return sum
}

func hardAffinity(spec *corev1.PodSpec) *corev1.NodeSelector {
	if spec.Affinity == nil || spec.Affinity.NodeAffinity == nil {
		return nil
	}
	return spec.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution
}
